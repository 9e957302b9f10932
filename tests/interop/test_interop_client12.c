/* padlock's TLS 1.2 client against real TLS 1.2 servers on 127.0.0.1: `openssl s_server -tls1_2`
 * for every ECDHE suite x group x server key (ECDSA P-256 and P-384 and Ed25519 with the ECDSA
 * suites, RSA with the RSA suites), the client offering TLS 1.3 and 1.2 as by default and
 * verifying the two-level chain; resumption by ticket and by session ID (s_server -no_ticket)
 * through the session API; a client certificate asked for (given and verified, or missing and
 * refused); RSA key transport (s_server -cipher AES128-GCM-SHA256 or AES256-GCM-SHA384) with
 * legacy_rsa_key_exchange, resumed, and refused without it; and `gnutls-serv --priority
 * NORMAL:-VERS-ALL:+VERS-TLS1.2` for every suite x group with ECDSA and RSA keys, resumption, and
 * one without the extended master secret (refused by default, served when so configured). One
 * server process per configuration, stopped by pid. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padlock/x509.h"
#include "peer.h"
#include "testlib.h"

static const uint16_t ecdsa_suites[3] = {PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                         PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                                         PADLOCK_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256};
static const uint16_t rsa_suites[3] = {PADLOCK_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                                       PADLOCK_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                                       PADLOCK_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256};

static void ok(padlock_err rc, const char *what) {
    if (rc != PADLOCK_OK) {
        fail_msg("%s: %s", what, padlock_strerror(rc));
    }
}

/* c with a new client configuration that trusts the generated root, and no connection yet. */
static void new_client_config(pl_client *c) {
    memset(c, 0, sizeof(*c));
    ok(padlock_config_new(PADLOCK_CLIENT, &c->cfg), "config");
    padlock_trust_store *store;
    char root[600];
    snprintf(root, sizeof(root), "%s/root.pem", pl_interop_certs());
    ok(padlock_trust_store_new(&store), "store");
    ok(padlock_trust_store_add_file(store, root), "root");
    ok(padlock_config_set_trust_store(c->cfg, store), "set store");
}

/* The connection of c's configuration to port, for "localhost", offering session if not NULL. */
static void connect_client(pl_client *c, int port, const uint8_t *session, size_t session_len) {
    ok(padlock_conn_new(c->cfg, &c->conn), "conn");
    ok(padlock_conn_set_server_name(c->conn, "localhost"), "name");
    if (session != NULL) {
        ok(padlock_conn_set_session(c->conn, session, session_len), "session");
    }
    c->fd = pl_connect_loopback(port);
}

/* A client verifying against the generated root that offers TLS 1.3's suites and suite12 (0:
 * every TLS 1.2 suite), and group (0: the default groups); session (if not NULL) offered. */
static void open_client(pl_client *c, int port, uint16_t suite12, uint16_t group,
                        const uint8_t *session, size_t session_len) {
    new_client_config(c);
    if (suite12 != 0) {
        const uint16_t suites[] = {PADLOCK_TLS_AES_128_GCM_SHA256, PADLOCK_TLS_AES_256_GCM_SHA384,
                                   PADLOCK_TLS_CHACHA20_POLY1305_SHA256, suite12};
        ok(padlock_config_set_cipher_suites(c->cfg, suites, 4), "suites");
    }
    if (group != 0) {
        ok(padlock_config_set_groups(c->cfg, &group, 1), "groups");
    }
    connect_client(c, port, session, session_len);
}

/* open_client's default client with the certificate chain and key files given. */
static void open_client_cert(pl_client *c, int port, const char *chain, const char *key) {
    new_client_config(c);
    if (padlock_config_add_certificate_files(c->cfg, chain, key) != PADLOCK_OK) {
        fail_msg("client certificate: %s", padlock_config_error_message(c->cfg));
    }
    connect_client(c, port, NULL, 0);
}

/* Sends a line and checks that it comes back as the server echoes it (reversed or not). */
static void echo(pl_client *c, const char *text, int reversed) {
    size_t len = strlen(text);
    char line[256], want[256], got[256];
    snprintf(line, sizeof(line), "%s\n", text);
    for (size_t i = 0; i < len; i++) {
        want[i] = reversed ? text[len - 1 - i] : text[i];
    }
    want[len] = '\n';
    pl_client_write_all(c, (const uint8_t *)line, len + 1);
    pl_client_read_exact(c, (uint8_t *)got, len + 1);
    assert_memory_equal(got, want, len + 1);
}

/* The scheme of a ServerKeyExchange from a key of kind: of the key's family (TLS 1.2 ECDSA
 * schemes name only the hash, RFC 8422 §5.1.3). */
static void expect_scheme(uint16_t scheme, const char *kind) {
    if (strcmp(kind, "rsa") == 0) {
        assert_true((scheme >= 0x0804 && scheme <= 0x0806) || scheme == 0x0401 ||
                    scheme == 0x0501 || scheme == 0x0601);
    } else if (strcmp(kind, "ed25519") == 0) {
        assert_int_equal(scheme, 0x0807);
    } else {
        assert_true(scheme == 0x0403 || scheme == 0x0503 || scheme == 0x0603);
    }
}

/* Every suite against one server limited to group: TLS 1.2 negotiated as asked, the chain
 * verified. The client offers every group: in TLS 1.2 supported_groups also lists the curves
 * the client verifies ECDSA signatures on (RFC 8422 §5.1.1), so the server's certificate's
 * curve must be there. */
static void matrix(const pl_peer *server, const char *kind, uint16_t group, int reversed) {
    const uint16_t *suites = strcmp(kind, "rsa") == 0 ? rsa_suites : ecdsa_suites;
    for (size_t s = 0; s < 3; s++) {
        pl_client c;
        open_client(&c, server->port, suites[s], 0, NULL, 0);
        pl_client_handshake(&c);
        assert_int_equal(padlock_conn_version(c.conn), PADLOCK_TLS12);
        assert_int_equal(padlock_conn_cipher_suite(c.conn), suites[s]);
        assert_int_equal(padlock_conn_group(c.conn), group);
        expect_scheme(padlock_conn_signature_scheme(c.conn), kind);
        assert_int_equal(padlock_conn_peer_cert_count(c.conn), 2); /* leaf + inter */
        char text[96];
        snprintf(text, sizeof(text), "%s %s %s", kind, padlock_cipher_suite_name(suites[s]),
                 padlock_group_name(group));
        echo(&c, text, reversed);
        pl_client_finish(&c);
    }
}

/* The groups of the servers' command lines, as pl_interop_groups. */
static const char *const openssl_groups[3] = {"X25519", "P-256", "P-384"};
static const char *const gnutls_groups[3] = {"X25519", "SECP256R1", "SECP384R1"};

static void start_openssl(pl_peer *p, const char *kind, const char *extra) {
    char line[1024];
    const char *d = pl_interop_certs();
    snprintf(line, sizeof(line),
             "openssl s_server -accept 127.0.0.1:{port} -tls1_2 -cert %s/%s.pem -key %s/%s.key "
             "-cert_chain %s/inter.pem -rev %s",
             d, kind, d, kind, d, extra);
    pl_peer_start_line(p, d, "ACCEPT", NULL, line);
}

/* gnutls-serv limited to TLS 1.2 (and to group, if not NULL); it asks for a client certificate,
 * which padlock's TLS 1.2 client answers with an empty Certificate. */
static void start_gnutls(pl_peer *p, const char *kind, const char *group) {
    char line[1024];
    const char *d = pl_interop_certs();
    snprintf(line, sizeof(line),
             "gnutls-serv --port {port} --echo --x509certfile %s/%s-chain.pem --x509keyfile "
             "%s/%s.key --priority NORMAL:-VERS-ALL:+VERS-TLS1.2%s%s",
             d, kind, d, kind, group != NULL ? ":-GROUP-ALL:+GROUP-" : "",
             group != NULL ? group : "");
    pl_peer_start_line(p, d, PL_GNUTLS_SERV_READY, PL_BIND_LOOPBACK, line);
}

static void test_openssl_matrix(void **state) {
    (void)state;
    for (size_t k = 0; k < 4; k++) {
        for (size_t g = 0; g < 3; g++) {
            char extra[64];
            snprintf(extra, sizeof(extra), "-groups %s", openssl_groups[g]);
            pl_peer server;
            start_openssl(&server, pl_interop_kinds[k], extra);
            matrix(&server, pl_interop_kinds[k], pl_interop_groups[g], 1);
            pl_peer_stop(&server);
        }
    }
}

/* A full handshake and its exported session, then two connections resuming it. */
static void resumption(const pl_peer *server, int reversed) {
    pl_client c;
    open_client(&c, server->port, 0, 0, NULL, 0);
    pl_client_handshake(&c);
    assert_int_equal(padlock_conn_version(c.conn), PADLOCK_TLS12);
    assert_false(padlock_conn_resumed(c.conn));
    uint16_t suite = padlock_conn_cipher_suite(c.conn);
    echo(&c, "first", reversed);
    uint8_t *session = malloc(PADLOCK_SESSION_MAX);
    size_t len;
    ok(padlock_conn_export_session(c.conn, session, PADLOCK_SESSION_MAX, &len), "export");
    pl_client_finish(&c);
    for (int i = 0; i < 2; i++) {
        open_client(&c, server->port, 0, 0, session, len);
        pl_client_handshake(&c);
        assert_int_equal(padlock_conn_version(c.conn), PADLOCK_TLS12);
        assert_true(padlock_conn_resumed(c.conn));
        assert_int_equal(padlock_conn_cipher_suite(c.conn), suite);
        assert_int_equal(padlock_conn_peer_cert_count(c.conn), 0);
        echo(&c, "resumed", reversed);
        ok(padlock_conn_export_session(c.conn, session, PADLOCK_SESSION_MAX, &len), "export");
        pl_client_finish(&c);
    }
    free(session);
}

static void test_openssl_resumption_by_ticket(void **state) {
    (void)state;
    pl_peer server;
    start_openssl(&server, "p256", "");
    resumption(&server, 1);
    pl_peer_stop(&server);
}

static void test_openssl_resumption_by_session_id(void **state) {
    (void)state;
    pl_peer server;
    start_openssl(&server, "rsa", "-no_ticket");
    resumption(&server, 1);
    pl_peer_stop(&server);
}

/* RSA key transport (RFC 5246 §7.4.7.1) against `openssl s_server -cipher` limited to one RSA
 * suite: refused without padlock_config_set_legacy_rsa_key_exchange (no suite in common), and
 * with it negotiated, the data echoed, and the session resumed. */
static void test_openssl_legacy_rsa(void **state) {
    (void)state;
    static const struct {
        const char *cipher;
        uint16_t suite;
    } suites[] = {{"AES128-GCM-SHA256", PADLOCK_TLS_RSA_WITH_AES_128_GCM_SHA256},
                  {"AES256-GCM-SHA384", PADLOCK_TLS_RSA_WITH_AES_256_GCM_SHA384}};
    for (size_t i = 0; i < 2; i++) {
        char extra[64];
        snprintf(extra, sizeof(extra), "-cipher %s", suites[i].cipher);
        pl_peer server;
        start_openssl(&server, "rsa", extra);
        pl_client c;
        open_client(&c, server.port, 0, 0, NULL, 0);
        assert_int_equal(padlock_fd_handshake(c.conn, c.fd), PADLOCK_E_PEER_ALERT);
        pl_client_close(&c);
        uint8_t *session = malloc(PADLOCK_SESSION_MAX);
        size_t len = 0;
        for (int resumed = 0; resumed < 2; resumed++) {
            new_client_config(&c);
            ok(padlock_config_set_legacy_rsa_key_exchange(c.cfg, 1), "legacy RSA");
            connect_client(&c, server.port, resumed ? session : NULL, len);
            pl_client_handshake(&c);
            assert_int_equal(padlock_conn_version(c.conn), PADLOCK_TLS12);
            assert_int_equal(padlock_conn_cipher_suite(c.conn), suites[i].suite);
            assert_int_equal(padlock_conn_resumed(c.conn), resumed);
            echo(&c, suites[i].cipher, 1);
            ok(padlock_conn_export_session(c.conn, session, PADLOCK_SESSION_MAX, &len), "export");
            pl_client_finish(&c);
        }
        free(session);
        pl_peer_stop(&server);
    }
}

/* A TLS 1.2 server asking for a client certificate: given (its CertificateVerify signed over
 * the handshake messages, verified by the server) for each key the server may prefer, and not
 * given, which s_server -Verify refuses. */
static void test_openssl_client_certificate(void **state) {
    (void)state;
    const char *d = pl_interop_certs();
    char extra[600], chain[600], key[600];
    snprintf(extra, sizeof(extra), "-Verify 1 -CAfile %s/root.pem", d);
    snprintf(chain, sizeof(chain), "%s/client-chain.pem", d);
    snprintf(key, sizeof(key), "%s/client.key", d);
    static const char *const kinds[] = {"p256", "rsa"};
    for (size_t k = 0; k < 2; k++) {
        pl_peer server;
        start_openssl(&server, kinds[k], extra);
        pl_client c;
        open_client_cert(&c, server.port, chain, key);
        pl_client_handshake(&c);
        assert_int_equal(padlock_conn_version(c.conn), PADLOCK_TLS12);
        echo(&c, "with a client certificate", 1);
        pl_client_finish(&c);
        /* The server saw and verified our certificate. */
        assert_true(pl_peer_log_wait(&server, "CN = client p256", 5000));

        open_client(&c, server.port, 0, 0, NULL, 0);
        padlock_err rc = padlock_fd_handshake(c.conn, c.fd);
        assert_int_equal(rc, PADLOCK_E_PEER_ALERT);
        pl_client_close(&c);
        pl_peer_stop(&server);
    }
}

static void test_gnutls_matrix(void **state) {
    (void)state;
    static const char *const kinds[] = {"p256", "rsa"};
    for (size_t k = 0; k < 2; k++) {
        for (size_t g = 0; g < 3; g++) {
            pl_peer server;
            start_gnutls(&server, kinds[k], gnutls_groups[g]);
            matrix(&server, kinds[k], pl_interop_groups[g], 0);
            pl_peer_stop(&server);
        }
    }
}

static void test_gnutls_resumption(void **state) {
    (void)state;
    pl_peer server;
    start_gnutls(&server, "p384", NULL);
    resumption(&server, 0);
    pl_peer_stop(&server);
}

/* gnutls-serv without the extended master secret (%NO_SESSION_HASH): refused by default
 * (handshake_failure, RFC 7627 §5.2); with padlock_config_set_require_extended_master_secret(0)
 * the RFC 5246 master secret agrees with gnutls' (the echo crosses), and the session, though
 * the server offered one, is not kept (RFC 7627 §5.3). */
static void test_gnutls_without_ems(void **state) {
    (void)state;
    char line[1024];
    const char *d = pl_interop_certs();
    snprintf(line, sizeof(line),
             "gnutls-serv --port {port} --echo --x509certfile %s/p256-chain.pem --x509keyfile "
             "%s/p256.key --priority NORMAL:-VERS-ALL:+VERS-TLS1.2:%%NO_SESSION_HASH",
             d, d);
    pl_peer server;
    pl_peer_start_line(&server, d, PL_GNUTLS_SERV_READY, PL_BIND_LOOPBACK, line);
    pl_client c;
    open_client(&c, server.port, 0, 0, NULL, 0);
    assert_int_equal(padlock_fd_handshake(c.conn, c.fd), PADLOCK_E_HANDSHAKE_FAILURE);
    assert_non_null(strstr(padlock_conn_error_message(c.conn), "no extended_master_secret"));
    pl_client_close(&c);
    new_client_config(&c);
    ok(padlock_config_set_require_extended_master_secret(c.cfg, 0), "no EMS");
    connect_client(&c, server.port, NULL, 0);
    pl_client_handshake(&c);
    assert_int_equal(padlock_conn_version(c.conn), PADLOCK_TLS12);
    echo(&c, "without the extended master secret", 0);
    uint8_t session[PADLOCK_SESSION_MAX];
    size_t len;
    assert_int_equal(padlock_conn_export_session(c.conn, session, sizeof(session), &len),
                     PADLOCK_E_STATE);
    pl_client_finish(&c);
    pl_peer_stop(&server);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openssl_matrix),
        cmocka_unit_test(test_openssl_resumption_by_ticket),
        cmocka_unit_test(test_openssl_resumption_by_session_id),
        cmocka_unit_test(test_openssl_client_certificate),
        cmocka_unit_test(test_openssl_legacy_rsa),
        cmocka_unit_test(test_gnutls_matrix),
        cmocka_unit_test(test_gnutls_resumption),
        cmocka_unit_test(test_gnutls_without_ems),
    };
    pl_test_apply_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
