/* The TLS 1.2 client against padlock's TLS 1.2 server, in process (tests/support/pair.c): every
 * ECDHE suite with every group and every kind of server certificate (ECDSA P-256 and P-384,
 * Ed25519, RSA), with data both ways and the exporter agreeing; ALPN; a transfer of more than
 * 1 MiB; resumption by ticket and by session ID through the session API, what keeps a session
 * from being offered, and that neither version's session is ever offered for the other; the
 * version matrix (TLS 1.2 where both speak it, protocol_version where they share none); a
 * downgrade by an attacker who strips TLS 1.3 from the ClientHello, caught by the sentinel;
 * the server's chain verified as in TLS 1.3 (name, root); and RSA key transport with
 * legacy_rsa_key_exchange (both suites, resumption), never offered or accepted without it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "hs/session12.h"
#include "padlock/x509.h"
#include "pair.h"
#include "pki.h"
#include "testlib.h"

static padlock_config *client_cfg(uint16_t min, uint16_t max) {
    padlock_config *cfg = pl_pair_client_config();
    PL_ASSERT_OK(padlock_config_set_versions(cfg, min, max));
    return cfg;
}

static padlock_config *server_cfg(const char *kind, uint16_t min, uint16_t max) {
    padlock_config *cfg = pl_pair_server_config(kind);
    PL_ASSERT_OK(padlock_config_set_versions(cfg, min, max));
    return cfg;
}

/* Both sides agree on the version, suite, group and exporter, and data crosses both ways. */
static void check_tls12(pl_pair *p, uint16_t suite, uint16_t group) {
    assert_int_equal(padlock_conn_version(p->client), PADLOCK_TLS12);
    assert_int_equal(padlock_conn_version(p->server), PADLOCK_TLS12);
    assert_int_equal(padlock_conn_cipher_suite(p->client), suite);
    assert_int_equal(padlock_conn_cipher_suite(p->server), suite);
    if (group != 0) {
        assert_int_equal(padlock_conn_group(p->client), group);
        assert_int_equal(padlock_conn_group(p->server), group);
    }
    uint8_t a[32], b[32];
    PL_ASSERT_OK(padlock_conn_export_keying_material(p->client, a, sizeof(a), "EXPORTER-t",
                                                     (const uint8_t *)"c", 1));
    PL_ASSERT_OK(padlock_conn_export_keying_material(p->server, b, sizeof(b), "EXPORTER-t",
                                                     (const uint8_t *)"c", 1));
    assert_memory_equal(a, b, sizeof(a));
    static const uint8_t ping[] = "ping over TLS 1.2";
    pl_pair_transfer(p, p->client, ping, sizeof(ping));
    pl_pair_transfer(p, p->server, ping, sizeof(ping));
}

static void test_every_suite_group_and_certificate(void **state) {
    (void)state;
    static const uint16_t ecdsa[] = {PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                     PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                                     PADLOCK_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256};
    static const uint16_t rsa[] = {PADLOCK_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                                   PADLOCK_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                                   PADLOCK_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256};
    static const uint16_t groups[] = {PADLOCK_GROUP_X25519, PADLOCK_GROUP_SECP256R1,
                                      PADLOCK_GROUP_SECP384R1};
    static const struct {
        const char *kind;
        const uint16_t *suites;
        uint16_t scheme; /* what padlock's server signs with for padlock's client */
    } certs[] = {
        {"p256", ecdsa, 0x0403},
        {"p384", ecdsa, 0x0503},
        {"ed25519", ecdsa, 0x0807},
        {"rsa", rsa, 0x0804},
    };
    padlock_config *ccfg = pl_pair_client_config(); /* the default: TLS 1.2 and 1.3 */
    for (size_t c = 0; c < sizeof(certs) / sizeof(certs[0]); c++) {
        for (size_t s = 0; s < 3; s++) {
            for (size_t g = 0; g < 3; g++) {
                padlock_config *scfg = server_cfg(certs[c].kind, PADLOCK_TLS12, PADLOCK_TLS12);
                PL_ASSERT_OK(padlock_config_set_cipher_suites(scfg, &certs[c].suites[s], 1));
                PL_ASSERT_OK(padlock_config_set_groups(scfg, &groups[g], 1));
                pl_pair p;
                pl_pair_open(&p, ccfg, scfg, NULL);
                pl_pair_handshake(&p);
                check_tls12(&p, certs[c].suites[s], groups[g]);
                assert_int_equal(padlock_conn_signature_scheme(p.client), certs[c].scheme);
                assert_false(padlock_conn_resumed(p.client));
                pl_pair_close(&p);
                padlock_config_free(scfg);
            }
        }
    }
    padlock_config_free(ccfg);
}

static void test_alpn_and_large_transfer(void **state) {
    (void)state;
    padlock_config *ccfg = pl_pair_client_config();
    static const char *const ours[] = {"h2", "http/1.1"};
    PL_ASSERT_OK(padlock_config_set_alpn(ccfg, ours, 2));
    padlock_config *scfg = server_cfg("p256", PADLOCK_TLS12, PADLOCK_TLS12);
    static const char *const theirs[] = {"http/1.1"};
    PL_ASSERT_OK(padlock_config_set_alpn(scfg, theirs, 1));
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, NULL);
    pl_pair_handshake(&p);
    assert_int_equal(padlock_conn_version(p.client), PADLOCK_TLS12);
    assert_string_equal(padlock_conn_alpn(p.client), "http/1.1");
    assert_string_equal(padlock_conn_alpn(p.server), "http/1.1");
    size_t len = (1u << 20) + 12345;
    uint8_t *data = malloc(len);
    assert_non_null(data);
    for (size_t i = 0; i < len; i++) {
        data[i] = (uint8_t)(i * 31 + (i >> 11));
    }
    pl_pair_transfer(&p, p.client, data, len);
    pl_pair_transfer(&p, p.server, data, len);
    free(data);
    pl_pair_close(&p);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

/* A full handshake, then *out_len bytes of session exported from the client. */
static void first_session(padlock_config *ccfg, padlock_config *scfg, uint8_t *out,
                          size_t *out_len) {
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, NULL);
    pl_pair_handshake(&p);
    assert_int_equal(padlock_conn_version(p.client), PADLOCK_TLS12);
    assert_false(padlock_conn_resumed(p.client));
    PL_ASSERT_OK(padlock_conn_export_session(p.client, out, PADLOCK_SESSION_MAX, out_len));
    /* A TLS 1.2 session stays with the connection: it may be resumed more than once. */
    size_t again;
    uint8_t *copy = malloc(PADLOCK_SESSION_MAX);
    PL_ASSERT_OK(padlock_conn_export_session(p.client, copy, PADLOCK_SESSION_MAX, &again));
    assert_int_equal(again, *out_len);
    assert_memory_equal(copy, out, again);
    free(copy);
    assert_true(pl_session12_is_exported(out, *out_len));
    pl_pair_close(&p);
}

/* A connection offering session[0..len): 1 if it resumed (checked on both sides). */
static int resume(padlock_config *ccfg, padlock_config *scfg, const uint8_t *session, size_t len,
                  const char *name) {
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, name);
    PL_ASSERT_OK(padlock_conn_set_session(p.client, session, len));
    pl_pair_handshake(&p);
    int resumed = padlock_conn_resumed(p.client);
    assert_int_equal(padlock_conn_resumed(p.server), resumed);
    check_tls12(&p, padlock_conn_cipher_suite(p.client), 0);
    pl_pair_close(&p);
    return resumed;
}

static void test_resumption_by_ticket(void **state) {
    (void)state;
    padlock_config *ccfg = pl_pair_client_config();
    padlock_config *scfg = server_cfg("p256", PADLOCK_TLS12, PADLOCK_TLS12);
    PL_ASSERT_OK(padlock_config_set_session_cache(scfg, 0)); /* tickets only */
    uint8_t *s = malloc(PADLOCK_SESSION_MAX);
    size_t len;
    first_session(ccfg, scfg, s, &len);
    assert_true(resume(ccfg, scfg, s, len, NULL));
    assert_true(resume(ccfg, scfg, s, len, NULL)); /* again: tickets may be reused in 1.2 */
    /* Under another name the session is not offered: a full handshake. */
    assert_false(resume(ccfg, scfg, s, len, "www.example.test"));
    /* A corrupted session is refused by the import. */
    s[len - 1] ^= 1;
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, NULL);
    PL_ASSERT_ERR(padlock_conn_set_session(p.client, s, 10), PADLOCK_E_DECODE);
    pl_pair_close(&p);
    /* The server cannot open an altered ticket: a full handshake, no failure. */
    assert_false(resume(ccfg, scfg, s, len, NULL));
    free(s);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

static void test_resumption_by_session_id(void **state) {
    (void)state;
    padlock_config *ccfg = pl_pair_client_config();
    padlock_config *scfg = server_cfg("rsa", PADLOCK_TLS12, PADLOCK_TLS13);
    PL_ASSERT_OK(padlock_config_set_tickets(scfg, 0, 3600)); /* the session cache only */
    padlock_config *c12 = client_cfg(PADLOCK_TLS12, PADLOCK_TLS12);
    uint8_t *s = malloc(PADLOCK_SESSION_MAX);
    size_t len;
    first_session(c12, scfg, s, &len);
    assert_true(resume(c12, scfg, s, len, NULL));
    /* A client offering TLS 1.3 too gets TLS 1.3 from this server: the TLS 1.2 session is not
     * offered for it (no pre_shared_key), and the handshake is a full one. */
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, NULL);
    PL_ASSERT_OK(padlock_conn_set_session(p.client, s, len));
    pl_pair_handshake(&p);
    assert_int_equal(padlock_conn_version(p.client), PADLOCK_TLS13);
    assert_false(padlock_conn_resumed(p.client));
    assert_false(padlock_conn_resumed(p.server));
    pl_pair_close(&p);
    free(s);
    padlock_config_free(c12);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

/* A TLS 1.3 session is never offered when only TLS 1.2 is. */
static void test_tls13_session_not_offered_for_tls12(void **state) {
    (void)state;
    padlock_config *ccfg = pl_pair_client_config();
    padlock_config *scfg = server_cfg("p256", PADLOCK_TLS12, PADLOCK_TLS13);
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, NULL);
    pl_pair_handshake(&p);
    static const uint8_t hi[] = "hi";
    pl_pair_transfer(&p, p.server, hi, sizeof(hi)); /* brings the TLS 1.3 ticket along */
    assert_int_equal(padlock_conn_version(p.client), PADLOCK_TLS13);
    uint8_t *s = malloc(PADLOCK_SESSION_MAX);
    size_t len;
    PL_ASSERT_OK(padlock_conn_export_session(p.client, s, PADLOCK_SESSION_MAX, &len));
    assert_false(pl_session12_is_exported(s, len));
    pl_pair_close(&p);
    padlock_config *c12 = client_cfg(PADLOCK_TLS12, PADLOCK_TLS12);
    assert_false(resume(c12, scfg, s, len, NULL));
    free(s);
    padlock_config_free(c12);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

/* The version matrix: TLS 1.2 wherever both speak it, protocol_version where nothing is shared. */
static void test_versions(void **state) {
    (void)state;
    static const struct {
        uint16_t cmin, cmax, smin, smax;
        uint16_t want; /* 0: protocol_version on both sides */
    } cases[] = {
        {PADLOCK_TLS12, PADLOCK_TLS12, PADLOCK_TLS12, PADLOCK_TLS13, PADLOCK_TLS12},
        {PADLOCK_TLS12, PADLOCK_TLS13, PADLOCK_TLS12, PADLOCK_TLS12, PADLOCK_TLS12},
        {PADLOCK_TLS12, PADLOCK_TLS13, PADLOCK_TLS12, PADLOCK_TLS13, PADLOCK_TLS13},
        {PADLOCK_TLS13, PADLOCK_TLS13, PADLOCK_TLS12, PADLOCK_TLS12, 0},
        {PADLOCK_TLS12, PADLOCK_TLS12, PADLOCK_TLS13, PADLOCK_TLS13, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        padlock_config *ccfg = client_cfg(cases[i].cmin, cases[i].cmax);
        padlock_config *scfg = server_cfg("p256", cases[i].smin, cases[i].smax);
        pl_pair p;
        pl_pair_open(&p, ccfg, scfg, NULL);
        if (cases[i].want != 0) {
            pl_pair_handshake(&p);
            assert_int_equal(padlock_conn_version(p.client), cases[i].want);
            assert_int_equal(padlock_conn_version(p.server), cases[i].want);
        } else {
            pl_pair_pump(&p);
            /* The server refuses the ClientHello; the client reports the server's alert. */
            pl_pair_expect_failure(&p, p.server, PADLOCK_E_PROTOCOL_VERSION, 70);
        }
        pl_pair_close(&p);
        padlock_config_free(ccfg);
        padlock_config_free(scfg);
    }
}

/* The server's chain is verified as in TLS 1.3: a name it does not cover and an untrusted root
 * are refused with the certificate named and the alert the error maps to. */
static void test_certificate_verified(void **state) {
    (void)state;
    padlock_config *scfg = server_cfg("p256", PADLOCK_TLS12, PADLOCK_TLS12);
    padlock_config *ccfg = pl_pair_client_config();
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, "wrong.example");
    pl_pair_pump(&p);
    pl_pair_expect_failure(&p, p.client, PADLOCK_E_CERT_NAME_MISMATCH, 42);
    assert_non_null(strstr(padlock_conn_error_message(p.client), "wrong.example"));
    assert_int_equal(padlock_conn_version(p.client), PADLOCK_TLS12);
    pl_pair_close(&p);
    padlock_config_free(ccfg);
    /* A client whose store holds no root of the server's chain. */
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &ccfg));
    padlock_trust_store *empty;
    PL_ASSERT_OK(padlock_trust_store_new(&empty));
    PL_ASSERT_OK(padlock_config_set_trust_store(ccfg, empty));
    pl_pair_open(&p, ccfg, scfg, NULL);
    pl_pair_pump(&p);
    pl_pair_expect_failure(&p, p.client, PADLOCK_E_CERT_UNTRUSTED, 48);
    pl_pair_close(&p);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

/* An attacker's edit of the ClientHello: TLS 1.3 in supported_versions becomes a version nobody
 * knows, so the server negotiates TLS 1.2 (ignoring the unknown one). *ctx counts the edits. */
static void strip_tls13(void *ctx, uint8_t *data, size_t len) {
    static const uint8_t versions[] = {0x00, 0x2b, 0x00, 0x05, 0x04, 0x03, 0x04, 0x03, 0x03};
    for (size_t i = 0; i + sizeof(versions) <= len; i++) {
        if (memcmp(data + i, versions, sizeof(versions)) == 0) {
            data[i + 5] = 0x7f;
            data[i + 6] = 0x7f;
            (*(int *)ctx)++;
        }
    }
}

/* RFC 8446 §4.1.3: a server that speaks TLS 1.3 and negotiates TLS 1.2 marks its random; a
 * client that offered TLS 1.3 refuses that ServerHello, so the downgrade fails. */
static void test_downgrade_detected(void **state) {
    (void)state;
    padlock_config *ccfg = pl_pair_client_config();
    padlock_config *scfg = server_cfg("p256", PADLOCK_TLS12, PADLOCK_TLS13);
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, NULL);
    int edits = 0;
    p.tap = strip_tls13;
    p.tap_ctx = &edits;
    pl_pair_pump(&p);
    assert_int_equal(edits, 1);
    pl_pair_expect_failure(&p, p.client, PADLOCK_E_ILLEGAL_PARAMETER, 47);
    assert_non_null(strstr(padlock_conn_error_message(p.client), "downgrade sentinel"));
    pl_pair_close(&p);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

/* The cipher suites of the ClientHello in the first record the client sends: the tap of
 * pl_pair, ctx a suites_seen. */
typedef struct suites_seen {
    uint16_t suites[32];
    size_t num;
    int records;
} suites_seen;

static void read_hello_suites(void *ctx, uint8_t *data, size_t len) {
    suites_seen *seen = ctx;
    if (seen->records++ != 0) {
        return;
    }
    /* record header 5, handshake header 4, legacy_version 2, random 32, session ID <0..32> */
    size_t off = 5 + 4 + 2 + 32;
    assert_true(len > off && data[0] == PL_CONTENT_HANDSHAKE && data[5] == 1);
    off += 1 + data[off];
    assert_true(off + 2 <= len);
    size_t n = ((size_t)data[off] << 8 | data[off + 1]) / 2;
    off += 2;
    assert_true(n <= 32 && off + 2 * n <= len);
    for (size_t i = 0; i < n; i++) {
        seen->suites[i] = (uint16_t)(data[off + 2 * i] << 8 | data[off + 2 * i + 1]);
    }
    seen->num = n;
}

/* A server's ServerHello rewritten to select *ctx (the suite in its first record). */
static void force_suite(void *ctx, uint8_t *data, size_t len) {
    size_t off = 5 + 4 + 2 + 32;
    if (len > off && data[0] == PL_CONTENT_HANDSHAKE && data[5] == 2) {
        off += 1 + data[off];
        assert_true(off + 2 <= len);
        uint16_t suite = *(const uint16_t *)ctx;
        data[off] = (uint8_t)(suite >> 8);
        data[off + 1] = (uint8_t)suite;
    }
}

static int is_rsa_kx(uint16_t suite) {
    return suite == PADLOCK_TLS_RSA_WITH_AES_128_GCM_SHA256 ||
           suite == PADLOCK_TLS_RSA_WITH_AES_256_GCM_SHA384;
}

/* RFC 5246 §7.4.7.1 with padlock_config_set_legacy_rsa_key_exchange on both sides: the client
 * offers the RSA key transport suites last, and each works, with data both ways and
 * resumption. */
static void test_legacy_rsa_key_transport(void **state) {
    (void)state;
    padlock_config *ccfg = pl_pair_client_config();
    PL_ASSERT_OK(padlock_config_set_legacy_rsa_key_exchange(ccfg, 1));
    static const uint16_t suites[] = {PADLOCK_TLS_RSA_WITH_AES_128_GCM_SHA256,
                                      PADLOCK_TLS_RSA_WITH_AES_256_GCM_SHA384};
    for (size_t i = 0; i < 2; i++) {
        padlock_config *scfg = server_cfg("rsa", PADLOCK_TLS12, PADLOCK_TLS12);
        PL_ASSERT_OK(padlock_config_set_legacy_rsa_key_exchange(scfg, 1));
        PL_ASSERT_OK(padlock_config_set_cipher_suites(scfg, &suites[i], 1));
        suites_seen seen = {0};
        pl_pair p;
        pl_pair_open(&p, ccfg, scfg, NULL);
        p.tap = read_hello_suites;
        p.tap_ctx = &seen;
        pl_pair_handshake(&p);
        /* Offered after every other suite, least preferred. */
        assert_true(seen.num > 2);
        assert_int_equal(seen.suites[seen.num - 2], PADLOCK_TLS_RSA_WITH_AES_128_GCM_SHA256);
        assert_int_equal(seen.suites[seen.num - 1], PADLOCK_TLS_RSA_WITH_AES_256_GCM_SHA384);
        for (size_t j = 0; j + 2 < seen.num; j++) {
            assert_false(is_rsa_kx(seen.suites[j]));
        }
        check_tls12(&p, suites[i], 0);
        pl_pair_close(&p);
        uint8_t *s = malloc(PADLOCK_SESSION_MAX);
        size_t len;
        first_session(ccfg, scfg, s, &len);
        assert_true(resume(ccfg, scfg, s, len, NULL));
        free(s);
        padlock_config_free(scfg);
    }
    padlock_config_free(ccfg);
}

/* Without the setting no RSA key transport suite is offered, and a server selecting one anyway
 * is refused; with it, a server whose certificate has no RSA key, or that sends a
 * ServerKeyExchange for an RSA suite, is refused too. */
static void test_legacy_rsa_key_transport_refused(void **state) {
    (void)state;
    padlock_config *plain = client_cfg(PADLOCK_TLS12, PADLOCK_TLS12);
    padlock_config *legacy = client_cfg(PADLOCK_TLS12, PADLOCK_TLS12);
    PL_ASSERT_OK(padlock_config_set_legacy_rsa_key_exchange(legacy, 1));
    padlock_config *rsa = server_cfg("rsa", PADLOCK_TLS12, PADLOCK_TLS12);
    PL_ASSERT_OK(padlock_config_set_legacy_rsa_key_exchange(rsa, 1));
    padlock_config *p256 = server_cfg("p256", PADLOCK_TLS12, PADLOCK_TLS12);
    uint16_t forced = PADLOCK_TLS_RSA_WITH_AES_128_GCM_SHA256;

    suites_seen seen = {0};
    pl_pair p;
    pl_pair_open(&p, plain, rsa, NULL);
    p.tap = read_hello_suites;
    p.tap_to_client = force_suite;
    p.tap_ctx = &seen;
    pl_pair_pump(&p);
    assert_true(seen.num > 0);
    for (size_t j = 0; j < seen.num; j++) {
        assert_false(is_rsa_kx(seen.suites[j]));
    }
    pl_pair_close(&p);

    const struct {
        padlock_config **client, **server;
        padlock_err code;
        int alert;
        const char *detail;
    } cases[] = {
        {&plain, &rsa, PADLOCK_E_ILLEGAL_PARAMETER, PADLOCK_ALERT_ILLEGAL_PARAMETER,
         "cipher suite 0x009c was not offered"},
        {&legacy, &p256, PADLOCK_E_HANDSHAKE_FAILURE, PADLOCK_ALERT_HANDSHAKE_FAILURE,
         "server Certificate (TLS 1.2): the certificate's key is not an rsaEncryption key"},
        {&legacy, &rsa, PADLOCK_E_UNEXPECTED_MESSAGE, PADLOCK_ALERT_UNEXPECTED_MESSAGE,
         "ServerKeyExchange"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        /* The server negotiates an ECDHE suite; its ServerHello is made to say RSA. */
        pl_pair_open(&p, *cases[i].client, *cases[i].server, NULL);
        p.tap_to_client = force_suite;
        p.tap_ctx = &forced;
        pl_pair_pump(&p);
        pl_pair_expect_failure(&p, p.client, cases[i].code, cases[i].alert);
        assert_non_null(strstr(padlock_conn_error_message(p.client), cases[i].detail));
        pl_pair_close(&p);
    }
    padlock_config_free(plain);
    padlock_config_free(legacy);
    padlock_config_free(rsa);
    padlock_config_free(p256);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_suite_group_and_certificate),
        cmocka_unit_test(test_alpn_and_large_transfer),
        cmocka_unit_test(test_resumption_by_ticket),
        cmocka_unit_test(test_resumption_by_session_id),
        cmocka_unit_test(test_tls13_session_not_offered_for_tls12),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_downgrade_detected),
        cmocka_unit_test(test_certificate_verified),
        cmocka_unit_test(test_legacy_rsa_key_transport),
        cmocka_unit_test(test_legacy_rsa_key_transport_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
