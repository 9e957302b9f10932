/* `openssl s_client -tls1_2` against a padlock server (a thread of this test on 127.0.0.1):
 * every TLS 1.2 suite x group x server key (ECDSA P-256 and P-384, Ed25519 with the ECDSA
 * suites, RSA with the RSA suites), with the extended master secret and secure renegotiation
 * reported by the client; TLS 1.1 refused with protocol_version; TLS_FALLBACK_SCSV refused
 * with inappropriate_fallback while the server speaks TLS 1.3; a server limited to TLS 1.3
 * refusing a TLS 1.2 client; resumption by ticket and by session ID; legacy RSA key transport
 * (`-cipher AES128-GCM-SHA256`) refused by default and working when enabled; client certificates
 * (`-cert -key`, ECDSA P-256 and P-384 and RSA, required and optional, refused without one and
 * with an untrusted one); `gnutls-cli --priority NORMAL:-VERS-ALL:+VERS-TLS1.2` for every suite x
 * group with ECDSA and RSA keys, --resume, ECDSA and RSA client certificates, and %NO_SESSION_HASH
 * (no extended master secret: refused by default, served when configured). Each check compares what
 * the client printed with what the server recorded. Clients run under `timeout` or are stopped by
 * pid, so none can hang the test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padlock/x509.h"
#include "peer.h"
#include "server.h"
#include "testlib.h"

static char *s_client(const pl_srv *s, const char *extra, const char *lines) {
    char *out = NULL;
    pl_test_sh_capture(&out,
                       "( printf '%s' | timeout 20 openssl s_client -connect 127.0.0.1:%d "
                       "-servername localhost -CAfile %s/root.pem -verify_return_error -ign_eof "
                       "%s ) 2>&1",
                       lines, s->port, pl_interop_certs(), extra);
    assert_non_null(out);
    return out;
}

static const char *const openssl_groups[3] = {"X25519", "P-256", "P-384"};
/* The curve of each pl_interop_kinds key (any group for RSA and Ed25519). */
static const char *const cert_curves[4] = {"P-256", "P-384", "P-256", "P-256"};

typedef struct suite12 {
    uint16_t code;
    const char *openssl;
    int rsa;
} suite12;

static const suite12 suites[6] = {
    {PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "ECDHE-ECDSA-AES128-GCM-SHA256", 0},
    {PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "ECDHE-ECDSA-AES256-GCM-SHA384", 0},
    {PADLOCK_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-ECDSA-CHACHA20-POLY1305", 0},
    {PADLOCK_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "ECDHE-RSA-AES128-GCM-SHA256", 1},
    {PADLOCK_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "ECDHE-RSA-AES256-GCM-SHA384", 1},
    {PADLOCK_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-RSA-CHACHA20-POLY1305", 1},
};

static void test_openssl_tls12_matrix(void **state) {
    (void)state;
    size_t seen = 0;
    for (size_t k = 0; k < 4; k++) {
        int rsa_key = strcmp(pl_interop_kinds[k], "rsa") == 0;
        padlock_config *cfg = pl_srv_config_for(pl_interop_kinds[k]);
        PL_ASSERT_OK(padlock_config_set_preference(cfg, PADLOCK_PREFER_CLIENT));
        pl_srv s;
        pl_srv_start(&s, cfg, PL_SRV_LINES);
        size_t n = 0;
        for (size_t c = 0; c < 6; c++) {
            if (suites[c].rsa != rsa_key) {
                continue;
            }
            for (size_t g = 0; g < 3; g++) {
                char extra[256], line[160];
                /* RFC 8422 §5.1: the client lists the certificate's curve too; the server
                 * takes the client's first group. */
                int same = strcmp(openssl_groups[g], cert_curves[k]) == 0;
                snprintf(extra, sizeof(extra), "-tls1_2 -cipher %s -groups %s%s%s",
                         suites[c].openssl, openssl_groups[g], same ? "" : ":",
                         same ? "" : cert_curves[k]);
                char *out = s_client(&s, extra, "hello tls12\\nquit\\n");
                const pl_srv_result *r = pl_srv_wait(&s, ++n);
                if (r->handshake != PADLOCK_OK) {
                    printf("---- the client's output ----\n%s\n----\n", out);
                    fail_msg("%s with %s, %s: %s (%s)", pl_interop_kinds[k], suites[c].openssl,
                             openssl_groups[g], padlock_strerror(r->handshake), r->message);
                }
                assert_int_equal(r->suite, suites[c].code);
                assert_int_equal(r->group, pl_interop_groups[g]);
                assert_string_equal(r->sni, "localhost");
                assert_int_equal(r->lines, 1);
                snprintf(line, sizeof(line), "padlock %s %s resumed=0",
                         padlock_cipher_suite_name(suites[c].code),
                         padlock_group_name(pl_interop_groups[g]));
                pl_expect_output(out, line);
                pl_expect_output(out, "echo: hello tls12");
                pl_expect_output(out, "Verify return code: 0 (ok)");
                snprintf(line, sizeof(line), "New, TLSv1.2, Cipher is %s", suites[c].openssl);
                pl_expect_output(out, line);
                /* RFC 7627 and RFC 5746, as the client saw them. */
                pl_expect_output(out, "Extended master secret: yes");
                pl_expect_output(out, "Secure Renegotiation IS supported");
                free(out);
                seen++;
            }
        }
        pl_srv_stop(&s);
        padlock_config_free(cfg);
    }
    /* 3 ECDSA suites x 3 groups for p256, p384, ed25519; 3 RSA suites x 3 groups for rsa. */
    assert_int_equal(seen, 36);
}

static void test_openssl_refusals(void **state) {
    (void)state;
    padlock_config *cfg = pl_srv_config_for("p256");
    pl_srv s;
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    /* TLS 1.1 is never negotiated. */
    char *out = s_client(&s, "-tls1_1 -cipher DEFAULT@SECLEVEL=0", "x\\n");
    const pl_srv_result *r = pl_srv_wait(&s, 1);
    assert_int_equal(r->handshake, PADLOCK_E_PROTOCOL_VERSION);
    pl_expect_output(out, "alert protocol version");
    free(out);
    /* RFC 7507: a fallback to TLS 1.2 while the server speaks TLS 1.3. */
    out = s_client(&s, "-tls1_2 -fallback_scsv", "x\\n");
    r = pl_srv_wait(&s, 2);
    assert_int_equal(r->handshake, PADLOCK_E_INAPPROPRIATE_FALLBACK);
    pl_expect_output(out, "inappropriate fallback");
    free(out);
    /* The same client without the SCSV is served. */
    out = s_client(&s, "-tls1_2", "plain\\nquit\\n");
    r = pl_srv_wait(&s, 3);
    assert_int_equal(r->handshake, PADLOCK_OK);
    pl_expect_output(out, "echo: plain");
    free(out);
    pl_srv_stop(&s);
    padlock_config_free(cfg);
    /* A server limited to TLS 1.3 refuses a TLS 1.2 client. */
    cfg = pl_srv_config_for("p256");
    PL_ASSERT_OK(padlock_config_set_versions(cfg, PADLOCK_TLS13, PADLOCK_TLS13));
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    out = s_client(&s, "-tls1_2", "x\\n");
    r = pl_srv_wait(&s, 1);
    assert_int_equal(r->handshake, PADLOCK_E_PROTOCOL_VERSION);
    pl_expect_output(out, "alert protocol version");
    free(out);
    pl_srv_stop(&s);
    padlock_config_free(cfg);
}

/* RFC 5246 §7.4.4 - §7.4.8 with `s_client -tls1_2 -cert -key`: ECDSA and RSA client keys on a
 * server that requires them (which speaks TLS 1.3 too) and on one that merely asks; refused
 * without a certificate (handshake_failure) and with an untrusted one (unknown_ca). */
static void test_openssl_tls12_client_certificates(void **state) {
    (void)state;
    const char *d = pl_interop_certs();
    for (int required = 1; required >= 0; required--) {
        padlock_config *cfg = pl_srv_config_for("p256");
        pl_srv_require_client_certs(cfg, required ? PADLOCK_CLIENT_AUTH_REQUIRED
                                                  : PADLOCK_CLIENT_AUTH_OPTIONAL);
        pl_srv s;
        pl_srv_start(&s, cfg, PL_SRV_LINES);
        size_t n = 0;
        /* s_client signs with ECDSA-SHA256 from a P-384 key too: in TLS 1.2 an ECDSA scheme
         * names the hash only (RFC 8422 §5.1.3), and the server accepts it. */
        static const struct {
            const char *name;
            uint16_t scheme;
        } keys[] = {{"client", 0x0403}, {"client-rsa", 0x0804}, {"client-p384", 0x0403}};
        for (size_t k = 0; k < 3; k++) {
            char extra[1400];
            snprintf(extra, sizeof(extra),
                     "-tls1_2 -cert %s/%s.pem -key %s/%s.key -cert_chain %s/inter.pem", d,
                     keys[k].name, d, keys[k].name, d);
            char *out = s_client(&s, extra, "with a certificate\nquit\n");
            const pl_srv_result *r = pl_srv_wait(&s, ++n);
            if (r->handshake != PADLOCK_OK) {
                printf("---- the client's output ----\n%s\n----\n", out);
                fail_msg("%s: %s (%s)", keys[k].name, padlock_strerror(r->handshake), r->message);
            }
            assert_int_equal(r->suite, PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
            assert_int_equal(r->peer_certs, 2);
            assert_int_equal(r->scheme, keys[k].scheme);
            pl_expect_output(out, "New, TLSv1.2");
            pl_expect_output(out, "echo: with a certificate");
            free(out);
        }
        /* None: handshake_failure when required (RFC 5246 §7.4.6), let in otherwise. */
        char *out = s_client(&s, "-tls1_2", "anonymous\nquit\n");
        const pl_srv_result *r = pl_srv_wait(&s, ++n);
        if (required) {
            assert_int_equal(r->handshake, PADLOCK_E_HANDSHAKE_FAILURE);
            pl_expect_output(out, "alert handshake failure");
        } else {
            assert_int_equal(r->handshake, PADLOCK_OK);
            assert_int_equal(r->peer_certs, 0);
            pl_expect_output(out, "echo: anonymous");
        }
        free(out);
        /* One under a root the server does not trust: unknown_ca. */
        char extra[1400];
        snprintf(extra, sizeof(extra), "-tls1_2 -cert %s/rogue.pem -key %s/rogue.key", d, d);
        out = s_client(&s, extra, "nothing\n");
        r = pl_srv_wait(&s, ++n);
        assert_int_equal(r->handshake, PADLOCK_E_CERT_UNTRUSTED);
        pl_expect_output(out, "unknown ca");
        free(out);
        pl_srv_stop(&s);
        padlock_config_free(cfg);
    }
}

/* Resumption with s_client's -sess_out/-sess_in: by ticket (RFC 5077), and with -no_ticket by
 * session ID from the server's cache. */
static void test_openssl_tls12_resumption(void **state) {
    (void)state;
    padlock_config *cfg = pl_srv_config_for("p256");
    pl_srv s;
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    static const char *const modes[2] = {"", "-no_ticket"};
    size_t n = 0;
    for (size_t m = 0; m < 2; m++) {
        char extra[1024];
        snprintf(extra, sizeof(extra), "-tls1_2 %s -sess_out %s/s12.sess", modes[m],
                 pl_test_tmpdir());
        char *out = s_client(&s, extra, "first\\nquit\\n");
        const pl_srv_result *r = pl_srv_wait(&s, ++n);
        assert_int_equal(r->handshake, PADLOCK_OK);
        assert_false(r->resumed);
        pl_expect_output(out, "New, TLSv1.2");
        free(out);
        for (int again = 0; again < 2; again++) {
            snprintf(extra, sizeof(extra), "-tls1_2 %s -sess_in %s/s12.sess", modes[m],
                     pl_test_tmpdir());
            out = s_client(&s, extra, "again\\nquit\\n");
            r = pl_srv_wait(&s, ++n);
            if (r->handshake != PADLOCK_OK || !r->resumed) {
                printf("---- the client's output ----\n%s\n----\n", out);
                fail_msg("%s: handshake %s (%s), resumed %d", modes[m],
                         padlock_strerror(r->handshake), r->message, r->resumed);
            }
            pl_expect_output(out, "Reused, TLSv1.2");
            pl_expect_output(out, "padlock TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            pl_expect_output(out, "none resumed=1");
            pl_expect_output(out, "echo: again");
            free(out);
        }
    }
    pl_srv_stop(&s);
    padlock_config_free(cfg);
}

/* Legacy RSA key transport (RFC 5246 §7.4.7.1): refused unless enabled by name; enabled, both
 * suites work with an RSA certificate, and ECDHE is still preferred when offered. */
static void test_openssl_legacy_rsa(void **state) {
    (void)state;
    padlock_config *cfg = pl_srv_config_for("rsa");
    pl_srv s;
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    char *out = s_client(&s, "-tls1_2 -cipher AES128-GCM-SHA256", "x\\n");
    const pl_srv_result *r = pl_srv_wait(&s, 1);
    assert_int_equal(r->handshake, PADLOCK_E_HANDSHAKE_FAILURE);
    pl_expect_output(out, "alert handshake failure");
    free(out);
    pl_srv_stop(&s);
    padlock_config_free(cfg);

    cfg = pl_srv_config_for("rsa");
    PL_ASSERT_OK(padlock_config_set_legacy_rsa_key_exchange(cfg, 1));
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    static const struct {
        const char *openssl;
        uint16_t code;
    } rsa[2] = {{"AES128-GCM-SHA256", PADLOCK_TLS_RSA_WITH_AES_128_GCM_SHA256},
                {"AES256-GCM-SHA384", PADLOCK_TLS_RSA_WITH_AES_256_GCM_SHA384}};
    for (size_t i = 0; i < 2; i++) {
        char extra[128], line[128];
        snprintf(extra, sizeof(extra), "-tls1_2 -cipher %s", rsa[i].openssl);
        out = s_client(&s, extra, "legacy\\nquit\\n");
        r = pl_srv_wait(&s, i + 1);
        if (r->handshake != PADLOCK_OK) {
            printf("---- the client's output ----\n%s\n----\n", out);
            fail_msg("%s: %s (%s)", rsa[i].openssl, padlock_strerror(r->handshake), r->message);
        }
        assert_int_equal(r->suite, rsa[i].code);
        snprintf(line, sizeof(line), "New, TLSv1.2, Cipher is %s", rsa[i].openssl);
        pl_expect_output(out, line);
        pl_expect_output(out, "echo: legacy");
        pl_expect_output(out, "Extended master secret: yes");
        free(out);
    }
    out = s_client(&s, "-tls1_2 -cipher AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256",
                   "both\\nquit\\n");
    r = pl_srv_wait(&s, 3);
    assert_int_equal(r->handshake, PADLOCK_OK);
    assert_int_equal(r->suite, PADLOCK_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
    free(out);
    pl_srv_stop(&s);
    padlock_config_free(cfg);
}

/* ---- gnutls-cli ------------------------------------------------------------------------------ */

static const char *const gnutls_ciphers[3] = {"AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305"};
static const char *const gnutls_groups[3] = {"GROUP-X25519", "GROUP-SECP256R1", "GROUP-SECP384R1"};

/* gnutls-cli with a TLS 1.2 priority string (and extra options): waits for the greeting, sends
 * a line, waits for its echo, and quits. With --resume the greeting of the second connection
 * says resumed=1. */
static void gnutls_cli(const pl_srv *s, const char *priority, const char *description,
                       const char *extra, int resumed) {
    char line[2048];
    snprintf(line, sizeof(line),
             "gnutls-cli -p %d --x509cafile %s/root.pem --sni-hostname localhost "
             "--verify-hostname localhost --priority %s %s 127.0.0.1",
             s->port, pl_interop_certs(), priority, extra);
    pl_peer c;
    pl_peer_start_line(&c, pl_test_tmpdir(), resumed ? "resumed=1" : "resumed=0", NULL, line);
    if (resumed) {
        pl_peer_expect(&c, "This is a resumed session");
    }
    pl_peer_expect(&c, "(TLS1.2-X.509)-(ECDHE-");
    pl_peer_expect(&c, description);
    /* RFC 7627 and RFC 5746 as gnutls reports them. */
    pl_peer_expect(&c, "Options: extended master secret, safe renegotiation");
    pl_peer_stdin(&c, "hello gnutls\n");
    pl_peer_expect(&c, "echo: hello gnutls");
    pl_peer_stdin(&c, "quit\n");
    pl_peer_expect(&c, "Peer has closed the GnuTLS connection");
    pl_peer_stop(&c);
}

static void test_gnutls_tls12(void **state) {
    (void)state;
    static const char *const kinds[2] = {"p256", "rsa"};
    static const uint16_t codes[2][3] = {{PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                          PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                                          PADLOCK_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256},
                                         {PADLOCK_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                                          PADLOCK_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                                          PADLOCK_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256}};
    for (size_t k = 0; k < 2; k++) {
        padlock_config *cfg = pl_srv_config_for(kinds[k]);
        PL_ASSERT_OK(padlock_config_set_preference(cfg, PADLOCK_PREFER_CLIENT));
        pl_srv s;
        pl_srv_start(&s, cfg, PL_SRV_LINES);
        size_t n = 0;
        for (size_t c = 0; c < 3; c++) {
            for (size_t g = 0; g < 3; g++) {
                /* The certificate's curve (P-256) is listed after the group under test. */
                char priority[256], description[128];
                snprintf(priority, sizeof(priority),
                         "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+%s:-GROUP-ALL:+%s%s",
                         gnutls_ciphers[c], gnutls_groups[g], g == 1 ? "" : ":+GROUP-SECP256R1");
                snprintf(description, sizeof(description), ")-(%s)", gnutls_ciphers[c]);
                gnutls_cli(&s, priority, description, "", 0);
                const pl_srv_result *r = pl_srv_wait(&s, ++n);
                if (r->handshake != PADLOCK_OK) {
                    fail_msg("gnutls %s %s %s: %s (%s)", kinds[k], gnutls_ciphers[c],
                             gnutls_groups[g], padlock_strerror(r->handshake), r->message);
                }
                assert_int_equal(r->suite, codes[k][c]);
                assert_int_equal(r->group, pl_interop_groups[g]);
                assert_int_equal(r->lines, 1);
            }
        }
        /* --resume: a second connection resuming the first's session (by ticket). */
        gnutls_cli(&s, "NORMAL:-VERS-ALL:+VERS-TLS1.2", "(TLS1.2-X.509)", "--resume", 1);
        assert_false(pl_srv_wait(&s, n + 1)->resumed);
        const pl_srv_result *r = pl_srv_wait(&s, n + 2);
        assert_int_equal(r->handshake, PADLOCK_OK);
        assert_true(r->resumed);
        pl_srv_stop(&s);
        padlock_config_free(cfg);
    }
    /* Client certificates, ECDSA and RSA, on a server that requires them. */
    padlock_config *cfg = pl_srv_config_for("p256");
    pl_srv_require_client_certs(cfg, PADLOCK_CLIENT_AUTH_REQUIRED);
    pl_srv s;
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    static const char *const client_keys[2] = {"client", "client-rsa"};
    for (size_t k = 0; k < 2; k++) {
        char extra[1300];
        snprintf(extra, sizeof(extra), "--x509certfile %s/%s-chain.pem --x509keyfile %s/%s.key",
                 pl_interop_certs(), client_keys[k], pl_interop_certs(), client_keys[k]);
        gnutls_cli(&s, "NORMAL:-VERS-ALL:+VERS-TLS1.2", "(TLS1.2-X.509)", extra, 0);
        const pl_srv_result *r = pl_srv_wait(&s, k + 1);
        if (r->handshake != PADLOCK_OK) {
            fail_msg("gnutls with %s: %s (%s)", client_keys[k], padlock_strerror(r->handshake),
                     r->message);
        }
        assert_int_equal(r->peer_certs, 2);
        assert_int_equal(r->scheme, k == 0 ? 0x0403 : 0x0804);
    }
    pl_srv_stop(&s);
    padlock_config_free(cfg);
}

/* gnutls-cli without the extended master secret (%NO_SESSION_HASH): refused by default
 * (handshake_failure, RFC 7627 §5.2); served with the RFC 5246 master secret by a server
 * configured with padlock_config_set_require_extended_master_secret(0), which keeps no session
 * for it (RFC 7627 §5.3): --resume gets a full handshake. */
static void test_gnutls_without_ems(void **state) {
    (void)state;
    padlock_config *cfg = pl_srv_config_for("p256");
    pl_srv s;
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    char line[2048];
    snprintf(line, sizeof(line),
             "timeout 20 gnutls-cli -p %d --x509cafile %s/root.pem --sni-hostname localhost "
             "--verify-hostname localhost "
             "--priority NORMAL:-VERS-ALL:+VERS-TLS1.2:%%NO_SESSION_HASH 127.0.0.1 </dev/null 2>&1",
             s.port, pl_interop_certs());
    char *out = NULL;
    pl_test_sh_capture(&out, "%s", line);
    assert_non_null(out);
    const pl_srv_result *r = pl_srv_wait(&s, 1);
    assert_int_equal(r->handshake, PADLOCK_E_HANDSHAKE_FAILURE);
    assert_non_null(strstr(r->message, "no extended_master_secret"));
    pl_expect_output(out, "Handshake failed");
    free(out);
    pl_srv_stop(&s);
    padlock_config_free(cfg);

    cfg = pl_srv_config_for("p256");
    PL_ASSERT_OK(padlock_config_set_require_extended_master_secret(cfg, 0));
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    snprintf(line, sizeof(line),
             "gnutls-cli -p %d --x509cafile %s/root.pem --sni-hostname localhost "
             "--verify-hostname localhost "
             "--priority NORMAL:-VERS-ALL:+VERS-TLS1.2:%%NO_SESSION_HASH --resume 127.0.0.1",
             s.port, pl_interop_certs());
    pl_peer c;
    pl_peer_start_line(&c, pl_test_tmpdir(), "resumed=0", NULL, line);
    pl_peer_expect(&c, "(TLS1.2-X.509)-(ECDHE-");
    pl_peer_expect(&c, "Options: safe renegotiation");
    /* The second connection of --resume: a full handshake again, whose keys agree too. */
    pl_peer_expect(&c, "Resume Handshake was completed");
    pl_peer_stdin(&c, "hello without ems\n");
    pl_peer_expect(&c, "echo: hello without ems");
    pl_peer_stdin(&c, "quit\n");
    pl_peer_expect(&c, "Peer has closed the GnuTLS connection");
    pl_peer_stop(&c);
    for (size_t i = 1; i <= 2; i++) {
        r = pl_srv_wait(&s, i);
        assert_int_equal(r->handshake, PADLOCK_OK);
        assert_false(r->resumed);
    }
    assert_int_equal(pl_srv_wait(&s, 2)->lines, 1);
    pl_srv_stop(&s);
    padlock_config_free(cfg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openssl_tls12_matrix),
        cmocka_unit_test(test_openssl_refusals),
        cmocka_unit_test(test_openssl_tls12_client_certificates),
        cmocka_unit_test(test_openssl_tls12_resumption),
        cmocka_unit_test(test_openssl_legacy_rsa),
        cmocka_unit_test(test_gnutls_tls12),
        cmocka_unit_test(test_gnutls_without_ems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
