/* Client certificates on the TLS 1.2 server (RFC 5246 §7.4.4, §7.4.6, §7.4.8): padlock's TLS 1.2
 * client with and without a certificate against servers that require or merely ask for one
 * (the verified chain exposed, an empty Certificate refused with handshake_failure when
 * required, untrusted and expired certificates refused with their alerts as in TLS 1.3); the
 * scripted TLS 1.2 client (tests/support/client12.c) checking the CertificateRequest and
 * sending a CertificateVerify that does not verify, one with a scheme not offered or not
 * fitting the key, none at all, or one without a certificate; resumption keeping the client's
 * identity, and a session without one not resumed by a server that now requires it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client12.h"
#include "conn.h"
#include "padlock/x509.h"
#include "pair.h"
#include "pki.h"
#include "testlib.h"
#include "util/mem.h"
#include "x509/credential.h"

/* A TLS 1.2 server (TLS 1.3 too when both) asking for client certificates (mode) checked
 * against the test root. */
static padlock_config *auth_server(padlock_client_auth mode, int both) {
    padlock_config *cfg = pl_pair_client_auth_server(mode);
    PL_ASSERT_OK(
        padlock_config_set_versions(cfg, PADLOCK_TLS12, both ? PADLOCK_TLS13 : PADLOCK_TLS12));
    return cfg;
}

/* A TLS 1.2-only client with the certificate name (NULL: none). */
static padlock_config *client12_with(const char *name) {
    padlock_config *cfg = pl_pair_client_with_cert(name);
    PL_ASSERT_OK(padlock_config_set_versions(cfg, PADLOCK_TLS12, PADLOCK_TLS12));
    return cfg;
}

static void test_pair(void **state) {
    (void)state;
    padlock_config *optional = auth_server(PADLOCK_CLIENT_AUTH_OPTIONAL, 0);
    padlock_config *required = auth_server(PADLOCK_CLIENT_AUTH_REQUIRED, 1);
    padlock_config *with = client12_with("client"), *without = client12_with(NULL);
    pl_pair p;
    /* Optional, with a certificate: the server has the verified chain and the scheme. */
    pl_pair_open(&p, with, optional, NULL);
    pl_pair_handshake(&p);
    assert_int_equal(padlock_conn_version(p.server), PADLOCK_TLS12);
    assert_int_equal(padlock_conn_peer_cert_count(p.server), 2);
    size_t len;
    const uint8_t *leaf = padlock_conn_peer_cert(p.server, 0, &len);
    assert_non_null(leaf);
    assert_null(padlock_conn_peer_cert(p.server, 2, &len));
    assert_int_equal(padlock_conn_signature_scheme(p.server), 0x0403);
    pl_pair_transfer(&p, p.client, (const uint8_t *)"authenticated", 13);
    pl_pair_transfer(&p, p.server, (const uint8_t *)"welcome", 7);
    pl_pair_close(&p);
    /* Optional, without one: let in, no chain. */
    pl_pair_open(&p, without, optional, NULL);
    pl_pair_handshake(&p);
    assert_int_equal(padlock_conn_version(p.server), PADLOCK_TLS12);
    assert_int_equal(padlock_conn_peer_cert_count(p.server), 0);
    pl_pair_transfer(&p, p.client, (const uint8_t *)"anonymous", 9);
    pl_pair_close(&p);
    /* Required, on a server that also speaks TLS 1.3: a TLS 1.2 client with a certificate gets
     * TLS 1.2; without one, handshake_failure (RFC 5246 §7.4.6). */
    pl_pair_open(&p, with, required, NULL);
    pl_pair_handshake(&p);
    assert_int_equal(padlock_conn_version(p.server), PADLOCK_TLS12);
    assert_int_equal(padlock_conn_peer_cert_count(p.server), 2);
    pl_pair_close(&p);
    pl_pair_open(&p, without, required, NULL);
    pl_pair_expect_failure(&p, p.server, PADLOCK_E_HANDSHAKE_FAILURE,
                           PADLOCK_ALERT_HANDSHAKE_FAILURE);
    assert_non_null(strstr(padlock_conn_error_message(p.server), "requires a client"));
    pl_pair_close(&p);
    /* Untrusted and expired client certificates: the errors and alerts of TLS 1.3, naming the
     * certificate. */
    pl_pair_expect_bad_client_certs(optional, PADLOCK_TLS12);
    padlock_config_free(with);
    padlock_config_free(without);
    padlock_config_free(optional);
    padlock_config_free(required);
}

/* An RSA client key: verification off (the test RSA leaf is a server certificate), the
 * CertificateVerify is RSA-PSS, checked against the leaf. */
static void test_pair_rsa(void **state) {
    (void)state;
    padlock_config *scfg = pl_pair_server_config("p256");
    PL_ASSERT_OK(padlock_config_set_client_auth(scfg, PADLOCK_CLIENT_AUTH_REQUIRED));
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(scfg));
    padlock_config *ccfg = client12_with("rsa");
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, NULL);
    pl_pair_handshake(&p);
    assert_int_equal(padlock_conn_version(p.server), PADLOCK_TLS12);
    assert_int_equal(padlock_conn_peer_cert_count(p.server), 2);
    assert_int_equal(padlock_conn_signature_scheme(p.server), 0x0804);
    pl_pair_close(&p);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

static padlock_config *server_cfg;
static pl_x509_credential cred;

static const pl_client12_opts auth_opts = {.suite = PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                           .group = PADLOCK_GROUP_X25519,
                                           .expect_cr = 1,
                                           .cred = &cred};

/* The scripted client's handshake with a certificate, and without one (optional). */
static void test_scripted(void **state) {
    (void)state;
    pl_client12 c;
    pl_client12_handshake(&c, server_cfg, &auth_opts);
    assert_int_equal(padlock_conn_peer_cert_count(c.conn), 2);
    assert_int_equal(padlock_conn_signature_scheme(c.conn), 0x0403);
    pl_client12_exchange(&c);
    pl_client12_finish(&c);
    pl_client12_opts o = auth_opts;
    o.cred = NULL;
    pl_client12_handshake(&c, server_cfg, &o);
    assert_int_equal(padlock_conn_peer_cert_count(c.conn), 0);
    pl_client12_exchange(&c);
    pl_client12_finish(&c);
}

/* The scripted client up to its ClientKeyExchange, with cert as its Certificate (NULL:
 * empty). */
static void up_to_cke(pl_client12 *c, const pl_x509_credential *cert) {
    pl_client12_start(c, server_cfg, &auth_opts);
    pl_client12_read_flight(c, &auth_opts);
    assert_true(c->cr_seen);
    static uint8_t msg[8192];
    size_t len = pl_client12_certificate(c, cert, msg, sizeof(msg));
    pl_client12_send(c, PL_CONTENT_HANDSHAKE, msg, len);
    pl_record_keys ck, sk;
    len = pl_client12_key_exchange(c, msg, sizeof(msg), &ck, &sk);
    pl_client12_send(c, PL_CONTENT_HANDSHAKE, msg, len);
    pl_wipe(&ck, sizeof(ck));
    pl_wipe(&sk, sizeof(sk));
    assert_int_equal(padlock_conn_error(c->conn), PADLOCK_OK);
}

/* A CertificateVerify of scheme with sig_len bytes of junk for a signature. */
static void send_junk_verify(pl_client12 *c, uint16_t scheme, size_t sig_len) {
    uint8_t sig[256], msg[300];
    memset(sig, 0x30, sizeof(sig));
    pl_certificate_verify cv;
    cv.scheme = scheme;
    pl_cur_init(&cv.signature, sig, sig_len);
    pl_buf b;
    pl_buf_init(&b, msg, sizeof(msg));
    PL_ASSERT_OK(pl_certificate_verify_build(&b, &cv));
    pl_client12_send(c, PL_CONTENT_HANDSHAKE, msg, b.len);
}

static void test_bad_certificate_verify(void **state) {
    (void)state;
    pl_client12 c;
    uint8_t msg[1024];
    /* A signature over other messages (one byte of the log altered, at several places): the
     * signature does not verify, decrypt_error (RFC 5246 §7.2.2). */
    for (int flip = 0; flip < 3; flip++) {
        up_to_cke(&c, &cred);
        size_t len =
            pl_client12_certificate_verify(&c, &cred, 0x0403, flip * 500, msg, sizeof(msg));
        pl_client12_send(&c, PL_CONTENT_HANDSHAKE, msg, len);
        pl_client12_expect_failure(
            &c, PADLOCK_E_BAD_SIGNATURE, PADLOCK_ALERT_DECRYPT_ERROR,
            "client CertificateVerify (TLS 1.2): the ecdsa_secp256r1_sha256 signature does not "
            "verify");
    }
    /* A scheme the CertificateRequest did not offer (ECDSA with SHA-1). */
    up_to_cke(&c, &cred);
    send_junk_verify(&c, 0x0203, 70);
    pl_client12_expect_failure(&c, PADLOCK_E_ILLEGAL_PARAMETER, PADLOCK_ALERT_ILLEGAL_PARAMETER,
                   "0x0203 was not offered");
    /* An offered scheme that does not fit the certificate's P-256 key. */
    up_to_cke(&c, &cred);
    send_junk_verify(&c, 0x0804, 256);
    pl_client12_expect_failure(&c, PADLOCK_E_ILLEGAL_PARAMETER, PADLOCK_ALERT_ILLEGAL_PARAMETER,
                   "does not fit the certificate's key");
    /* No CertificateVerify after a certificate: change_cipher_spec is unexpected. */
    up_to_cke(&c, &cred);
    pl_client12_send(&c, PL_CONTENT_CHANGE_CIPHER_SPEC, &pl_client12_ccs, 1);
    pl_client12_drain(&c);
    assert_int_equal(padlock_conn_error(c.conn), PADLOCK_E_UNEXPECTED_MESSAGE);
    pl_client12_finish(&c);
    /* A CertificateVerify without a certificate is unexpected too. */
    up_to_cke(&c, NULL);
    size_t len = pl_client12_certificate_verify(&c, &cred, 0x0403, -1, msg, sizeof(msg));
    pl_client12_send(&c, PL_CONTENT_HANDSHAKE, msg, len);
    pl_client12_drain(&c);
    assert_int_equal(padlock_conn_error(c.conn), PADLOCK_E_UNEXPECTED_MESSAGE);
    pl_client12_finish(&c);
    /* A ClientKeyExchange where the Certificate belongs. */
    pl_client12_start(&c, server_cfg, &auth_opts);
    pl_client12_read_flight(&c, &auth_opts);
    pl_record_keys ck, sk;
    len = pl_client12_key_exchange(&c, msg, sizeof(msg), &ck, &sk);
    pl_client12_send(&c, PL_CONTENT_HANDSHAKE, msg, len);
    pl_client12_drain(&c);
    assert_int_equal(padlock_conn_error(c.conn), PADLOCK_E_UNEXPECTED_MESSAGE);
    pl_client12_finish(&c);
}

/* Regression (found by fuzz_server_unsealed): a client certificate whose EC point is off the
 * curve, followed by a CertificateVerify, failed the server with "malformed or invalid key"
 * and an internal_error alert, as if the fault were the server's. The certificate is at fault:
 * bad_certificate (RFC 5246 §7.2.2). The server does not verify chains, so the certificate is
 * only parsed and its key first used by the CertificateVerify. */
static void test_client_key_off_curve(void **state) {
    (void)state;
    padlock_config *scfg = pl_pair_server_config("p256");
    PL_ASSERT_OK(padlock_config_set_client_auth(scfg, PADLOCK_CLIENT_AUTH_REQUIRED));
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(scfg));
    /* The client certificate with one bit of its point's y flipped: the SubjectPublicKeyInfo
     * ends with the uncompressed point (RFC 5480 §2.2). */
    static uint8_t der[8192];
    assert_true(cred.der_len[0] <= sizeof(der));
    memcpy(der, cred.der[0], cred.der_len[0]);
    const uint8_t *spki_end = cred.leaf.key.spki.p + cred.leaf.key.spki.len;
    assert_true(spki_end > cred.der[0] && spki_end <= cred.der[0] + cred.der_len[0]);
    der[spki_end - 1 - cred.der[0]] ^= 0x01;
    pl_x509_credential bent = cred;
    bent.der[0] = der;
    bent.num_certs = 1;

    pl_client12 c;
    pl_client12_start(&c, scfg, &auth_opts);
    pl_client12_read_flight(&c, &auth_opts);
    assert_true(c.cr_seen);
    static uint8_t msg[8192];
    size_t len = pl_client12_certificate(&c, &bent, msg, sizeof(msg));
    pl_client12_send(&c, PL_CONTENT_HANDSHAKE, msg, len);
    pl_record_keys ck, sk;
    len = pl_client12_key_exchange(&c, msg, sizeof(msg), &ck, &sk);
    pl_client12_send(&c, PL_CONTENT_HANDSHAKE, msg, len);
    pl_wipe(&ck, sizeof(ck));
    pl_wipe(&sk, sizeof(sk));
    assert_int_equal(padlock_conn_error(c.conn), PADLOCK_OK);
    len = pl_client12_certificate_verify(&c, &cred, 0x0403, -1, msg, sizeof(msg));
    pl_client12_send(&c, PL_CONTENT_HANDSHAKE, msg, len);
    pl_client12_expect_failure(&c, PADLOCK_E_BAD_CERTIFICATE, PADLOCK_ALERT_BAD_CERTIFICATE,
                               "client CertificateVerify (TLS 1.2): the certificate's key cannot "
                               "verify a ecdsa_secp256r1_sha256 signature");
    padlock_config_free(scfg);
}

/* A full handshake, then the client's exported session. */
static void first(padlock_config *ccfg, padlock_config *scfg, uint8_t *s, size_t *len) {
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, NULL);
    pl_pair_handshake(&p);
    assert_false(padlock_conn_resumed(p.server));
    PL_ASSERT_OK(padlock_conn_export_session(p.client, s, PADLOCK_SESSION_MAX, len));
    pl_pair_close(&p);
}

/* The session's client identity comes back on resumption, by ticket and by session ID; a
 * session without one does not resume on a server that now requires it. */
static void test_resumption(void **state) {
    (void)state;
    static uint8_t s[PADLOCK_SESSION_MAX];
    size_t len;
    padlock_config *with = client12_with("client"), *without = client12_with(NULL);
    for (int by_id = 0; by_id < 2; by_id++) {
        padlock_config *scfg = auth_server(PADLOCK_CLIENT_AUTH_REQUIRED, 0);
        if (by_id) {
            PL_ASSERT_OK(padlock_config_set_tickets(scfg, 0, 3600)); /* the session cache only */
        } else {
            PL_ASSERT_OK(padlock_config_set_session_cache(scfg, 0));
        }
        first(with, scfg, s, &len);
        pl_pair p;
        pl_pair_open(&p, with, scfg, NULL);
        PL_ASSERT_OK(padlock_conn_set_session(p.client, s, len));
        pl_pair_handshake(&p);
        assert_true(padlock_conn_resumed(p.server));
        assert_int_equal(padlock_conn_peer_cert_count(p.server), 2);
        assert_int_equal(padlock_conn_signature_scheme(p.server), 0); /* no CertificateVerify */
        pl_pair_close(&p);
        padlock_config_free(scfg);
    }
    /* Optional: a session without a certificate; then required, sharing the ticket keys. */
    padlock_ticket_keys *keys;
    PL_ASSERT_OK(padlock_ticket_keys_new(&keys));
    padlock_config *open_server = auth_server(PADLOCK_CLIENT_AUTH_OPTIONAL, 0);
    padlock_config *strict = auth_server(PADLOCK_CLIENT_AUTH_REQUIRED, 0);
    PL_ASSERT_OK(padlock_config_set_ticket_keys(open_server, keys));
    PL_ASSERT_OK(padlock_config_set_ticket_keys(strict, keys));
    first(without, open_server, s, &len);
    pl_pair p;
    pl_pair_open(&p, without, open_server, NULL);
    PL_ASSERT_OK(padlock_conn_set_session(p.client, s, len));
    pl_pair_handshake(&p);
    assert_true(padlock_conn_resumed(p.server));
    assert_int_equal(padlock_conn_peer_cert_count(p.server), 0);
    pl_pair_close(&p);
    pl_pair_open(&p, without, strict, NULL);
    PL_ASSERT_OK(padlock_conn_set_session(p.client, s, len));
    pl_pair_expect_failure(&p, p.server, PADLOCK_E_HANDSHAKE_FAILURE,
                           PADLOCK_ALERT_HANDSHAKE_FAILURE);
    assert_false(padlock_conn_resumed(p.server));
    pl_pair_close(&p);
    padlock_ticket_keys_free(keys);
    padlock_config_free(open_server);
    padlock_config_free(strict);
    padlock_config_free(with);
    padlock_config_free(without);
}

/* A client chain too large for a ticket (over 65535 bytes with the session state; padlock
 * takes chains of up to 128 KiB): the server had promised a ticket in its ServerHello and failed
 * the handshake sealing it. RFC 5077 §3.3: it sends an empty ticket instead; the handshake
 * completes, the client keeps no ticket. Found while writing fuzz_ticket_state. */
static void test_client_chain_too_large_for_ticket(void **state) {
    (void)state;
    /* The client's chain with fillers: self-signed certificates of about 4.9 KB, ignored by
     * path building, 16 certificates in all (a credential's limit). */
    char chain[4096], cmd[8192];
    snprintf(chain, sizeof(chain), "%s/big-client-chain.pem", pl_test_tmpdir());
    assert_int_equal(pl_test_sh("cp '%s' '%s'", pl_pki("client-chain.pem"), chain), 0);
    for (int i = 0; i < 14; i++) {
        snprintf(cmd, sizeof(cmd),
                 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
                 "-keyout /dev/null -subj /CN=filler%d -days 1 -addext \"nsComment=$(head -c "
                 "4500 /dev/zero | tr '\\0' a)\" 2>/dev/null >> '%s'",
                 i, chain);
        assert_int_equal(pl_test_sh("%s", cmd), 0);
    }
    padlock_config *ccfg = pl_pair_client_config();
    PL_ASSERT_OK(padlock_config_set_versions(ccfg, PADLOCK_TLS12, PADLOCK_TLS12));
    PL_ASSERT_OK(padlock_config_add_certificate_files(ccfg, chain, pl_pki("client.key")));
    padlock_config *scfg = auth_server(PADLOCK_CLIENT_AUTH_REQUIRED, 0);
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, NULL);
    pl_pair_handshake(&p);
    assert_int_equal(padlock_conn_version(p.server), PADLOCK_TLS12);
    assert_int_equal(padlock_conn_peer_cert_count(p.server), 16);
    pl_pair_transfer(&p, p.client, (const uint8_t *)"big", 3);
    /* No ticket, and no session ID to resume by either. */
    uint8_t s[PADLOCK_SESSION_MAX];
    size_t len;
    PL_ASSERT_ERR(padlock_conn_export_session(p.client, s, sizeof(s), &len), PADLOCK_E_STATE);
    pl_pair_close(&p);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

static int setup(void **state) {
    (void)state;
    server_cfg = auth_server(PADLOCK_CLIENT_AUTH_OPTIONAL, 1);
    return pl_x509_credential_load(&cred, pl_pki("client-chain.pem"), pl_pki("client.key"), NULL) ==
                   PADLOCK_OK
               ? 0
               : -1;
}

static int teardown(void **state) {
    (void)state;
    pl_x509_credential_cleanup(&cred);
    padlock_config_free(server_cfg);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair),       cmocka_unit_test(test_pair_rsa),
        cmocka_unit_test(test_scripted),   cmocka_unit_test(test_bad_certificate_verify),
        cmocka_unit_test(test_client_key_off_curve),
        cmocka_unit_test(test_resumption), cmocka_unit_test(test_client_chain_too_large_for_ticket),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
