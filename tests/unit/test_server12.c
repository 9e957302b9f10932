/* The TLS 1.2 server in process, against a scripted TLS 1.2 client built in this test from
 * padlock's message builders, TLS 1.2 key schedule and record layer (an independent check of
 * the key schedule is test_keysched12; of the whole, s_client in test_interop_tls12): a full
 * handshake for every suite and group with application data both ways; the downgrade sentinel
 * and the extensions of the ServerHello; the signature of the ServerKeyExchange; then bad
 * input, each answered with its alert while the server keeps serving: a wrong Finished, a
 * malformed or invalid ClientKeyExchange (cut at every offset), a change_cipher_spec out of
 * place, a plaintext Finished, renegotiation, TLS_FALLBACK_SCSV, non-empty renegotiation_info;
 * KeyUpdate refused on TLS 1.2, and the RFC 5705 exporter; resumption by session ID and by
 * ticket, and what makes a session not resume; a client without the extended master secret,
 * refused by default and served with the RFC 5246 one when configured; legacy RSA key transport
 * and its implicit rejection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "hs/keysched12.h"
#include "hs/server12.h"
#include "client12.h"
#include "pair.h"
#include "pki.h"
#include "padlock/x509.h"
#include "util/mem.h"
#include "x509/cert.h"
#include "testlib.h"

static padlock_config *server_cfg;

static void put16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void test_every_suite_and_group(void **state) {
    (void)state;
    static const uint16_t suites[] = {PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                      PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                                      PADLOCK_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256};
    static const uint16_t groups[] = {PADLOCK_GROUP_X25519, PADLOCK_GROUP_SECP256R1,
                                      PADLOCK_GROUP_SECP384R1};
    for (size_t s = 0; s < 3; s++) {
        for (size_t g = 0; g < 3; g++) {
            pl_client12 c;
            pl_client12_opts o = {.suite = suites[s], .group = groups[g]};
            pl_client12_handshake(&c, server_cfg, &o);
            pl_client12_exchange(&c);
            /* KeyUpdate is TLS 1.3's: refused, without failing the connection. */
            PL_ASSERT_ERR(padlock_conn_key_update(c.conn, 0), PADLOCK_E_UNSUPPORTED);
            assert_int_equal(padlock_conn_error(c.conn), PADLOCK_OK);
            /* RFC 5705 over the extended master secret, as the client derives it; no context
             * and an empty one differ in TLS 1.2. */
            uint8_t km[40], want[40], empty[40];
            PL_ASSERT_OK(padlock_conn_export_keying_material(c.conn, km, 40, "EXPORTER-x",
                                                             (const uint8_t *)"ctx", 3));
            PL_ASSERT_OK(pl_ks12_export(&c.master, c.client_random, c.server_random,
                                        "EXPORTER-x", (const uint8_t *)"ctx", 3, 1, want, 40));
            assert_memory_equal(km, want, 40);
            PL_ASSERT_OK(padlock_conn_export_keying_material(c.conn, km, 40, "EXPORTER-x", NULL,
                                                             0));
            PL_ASSERT_OK(padlock_conn_export_keying_material(
                c.conn, empty, 40, "EXPORTER-x", (const uint8_t *)"", 0));
            assert_memory_not_equal(km, empty, 40);
            PL_ASSERT_ERR(padlock_conn_export_keying_material(c.conn, km, 40, "key expansion",
                                                              NULL, 0),
                          PADLOCK_E_INVALID_ARGUMENT);
            pl_client12_finish(&c);
        }
    }
}

static const pl_client12_opts default_opts = {
    .suite = PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .group = PADLOCK_GROUP_X25519};

/* The server failed with code and sent exactly one alert record (pl_client12_expect_failure);
 * then a new connection of the same configuration still works. */
static void expect_failure(pl_client12 *c, padlock_err code, uint8_t alert, const char *needle) {
    pl_client12_expect_failure(c, code, alert, needle);
    pl_client12 again;
    pl_client12_handshake(&again, server_cfg, &default_opts);
    pl_client12_exchange(&again);
    pl_client12_finish(&again);
}

/* A new connection of server_cfg sent the ClientHello of o fails as expect_failure says. */
static void hello_refused(const pl_client12_opts *o, padlock_err code, uint8_t alert,
                          const char *needle) {
    pl_client12 c;
    pl_client12_start(&c, server_cfg, o);
    expect_failure(&c, code, alert, needle);
}

/* A new connection of server_cfg sent the default ClientHello; its first flight read. */
static void read_first_flight(pl_client12 *c) {
    pl_client12_start(c, server_cfg, &default_opts);
    pl_client12_read_flight(c, &default_opts);
}

static void test_bad_finished(void **state) {
    (void)state;
    for (int flip = 0; flip < PL_KS12_VERIFY_LEN; flip += 11) {
        pl_client12 c;
        read_first_flight(&c);
        uint8_t msg[512];
        pl_record_keys ck, sk;
        size_t len = pl_client12_key_exchange(&c, msg, sizeof(msg), &ck, &sk);
        pl_client12_send(&c, PL_CONTENT_HANDSHAKE, msg, len);
        pl_client12_send(&c, PL_CONTENT_CHANGE_CIPHER_SPEC, &pl_client12_ccs, 1);
        PL_ASSERT_OK(pl_record_dir_set_keys(&c.tx, &ck));
        pl_wipe(&sk, sizeof(sk));
        len = pl_client12_finished(&c, flip, msg, sizeof(msg));
        pl_client12_send(&c, PL_CONTENT_HANDSHAKE, msg, len);
        expect_failure(&c, PADLOCK_E_DECRYPT_ERROR, PADLOCK_ALERT_DECRYPT_ERROR,
                       "client Finished: verify_data is wrong");
    }
}

static void test_bad_client_key_exchange(void **state) {
    (void)state;
    uint8_t msg[512];
    pl_record_keys ck, sk;
    /* Cut at every offset of the body (the header saying so): decode_error. */
    pl_client12 probe;
    read_first_flight(&probe);
    size_t len = pl_client12_key_exchange(&probe, msg, sizeof(msg), &ck, &sk);
    pl_client12_finish(&probe);
    for (size_t cut = 0; cut < len - PL_HS_HEADER_LEN; cut += 5) {
        pl_client12 c;
        read_first_flight(&c);
        uint8_t bad[512];
        memcpy(bad, msg, PL_HS_HEADER_LEN + cut);
        bad[1] = 0;
        put16(bad + 2, (uint16_t)cut);
        pl_client12_send(&c, PL_CONTENT_HANDSHAKE, bad, PL_HS_HEADER_LEN + cut);
        expect_failure(&c, PADLOCK_E_DECODE, PADLOCK_ALERT_DECODE_ERROR, "ClientKeyExchange");
    }
    /* An X25519 public key of zeros: the shared secret would be all zero (RFC 7748 §6.1). */
    pl_client12 c;
    read_first_flight(&c);
    uint8_t zero_point[PL_HS_HEADER_LEN + 1 + 32] = {PL_HS_CLIENT_KEY_EXCHANGE, 0, 0, 33, 32};
    pl_client12_send(&c, PL_CONTENT_HANDSHAKE, zero_point, sizeof(zero_point));
    expect_failure(&c, PADLOCK_E_BAD_KEY_SHARE, PADLOCK_ALERT_ILLEGAL_PARAMETER,
                   "ClientKeyExchange: the client's x25519 public key is invalid");
}

static void test_out_of_order(void **state) {
    (void)state;
    /* A change_cipher_spec before the ClientKeyExchange. */
    pl_client12 c;
    read_first_flight(&c);
    pl_client12_send(&c, PL_CONTENT_CHANGE_CIPHER_SPEC, &pl_client12_ccs, 1);
    expect_failure(&c, PADLOCK_E_UNEXPECTED_MESSAGE, PADLOCK_ALERT_UNEXPECTED_MESSAGE,
                   "change_cipher_spec in state WAIT_CKE");
    /* A Finished without change_cipher_spec, in the clear. */
    read_first_flight(&c);
    uint8_t msg[512];
    pl_record_keys ck, sk;
    size_t len = pl_client12_key_exchange(&c, msg, sizeof(msg), &ck, &sk);
    pl_client12_send(&c, PL_CONTENT_HANDSHAKE, msg, len);
    len = pl_client12_finished(&c, -1, msg, sizeof(msg));
    pl_client12_send(&c, PL_CONTENT_HANDSHAKE, msg, len);
    pl_wipe(&ck, sizeof(ck));
    pl_wipe(&sk, sizeof(sk));
    expect_failure(&c, PADLOCK_E_UNEXPECTED_MESSAGE, PADLOCK_ALERT_UNEXPECTED_MESSAGE,
                   "Finished in state WAIT_CCS");
    /* Application data before the handshake completed. */
    read_first_flight(&c);
    static const uint8_t junk[5 + 8] = {PL_CONTENT_APPLICATION_DATA, 3, 3, 0, 8, 1};
    size_t used;
    padlock_err rc = padlock_conn_input(c.conn, junk, sizeof(junk), &used);
    assert_int_equal(rc, padlock_conn_error(c.conn));
    expect_failure(&c, PADLOCK_E_UNEXPECTED_MESSAGE, PADLOCK_ALERT_UNEXPECTED_MESSAGE, NULL);
}

static void test_renegotiation_refused(void **state) {
    (void)state;
    pl_client12 c;
    pl_client12_handshake(&c, server_cfg, &default_opts);
    /* A ClientHello under the connection's keys asks to renegotiate (RFC 5746). */
    uint8_t msg[512];
    size_t len = pl_client12_hello(&c, &default_opts, msg, sizeof(msg));
    pl_client12_send(&c, PL_CONTENT_HANDSHAKE, msg, len);
    expect_failure(&c, PADLOCK_E_HANDSHAKE_FAILURE, PADLOCK_ALERT_HANDSHAKE_FAILURE,
                   "renegotiation is refused");
}

static void test_hello_refusals(void **state) {
    (void)state;
    /* RFC 7507: a fallback to TLS 1.2 while the server speaks TLS 1.3. */
    pl_client12_opts o = default_opts;
    o.fallback_scsv = 1;
    hello_refused(&o, PADLOCK_E_INAPPROPRIATE_FALLBACK, PADLOCK_ALERT_INAPPROPRIATE_FALLBACK,
                  "TLS_FALLBACK_SCSV");
    /* RFC 5746 §3.6: renegotiation_info must be empty on an initial handshake. */
    o = default_opts;
    o.reneg_nonempty = 1;
    hello_refused(&o, PADLOCK_E_HANDSHAKE_FAILURE, PADLOCK_ALERT_HANDSHAKE_FAILURE,
                  "renegotiation_info is not empty");
    /* A suite whose key the server lacks (its certificate is ECDSA P-256). */
    o = default_opts;
    o.suite = PADLOCK_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
    hello_refused(&o, PADLOCK_E_HANDSHAKE_FAILURE, PADLOCK_ALERT_HANDSHAKE_FAILURE,
                  "no certificate of this server fits");
}

/* RFC 7627: a client without the extended master secret is refused by default; with
 * padlock_config_set_require_extended_master_secret(cfg, 0) it gets the RFC 5246 master secret
 * (the scripted client derives it itself: Finished, records and exporter agree), the
 * ServerHello without the extension, and no session kept (no ticket, no session ID: §5.3);
 * a session made with the extension is not resumed by a hello without it (§5.3: abort). */
static void test_no_extended_master_secret(void **state) {
    (void)state;
    pl_client12 c;
    pl_client12_opts o = default_opts;
    o.no_ems = 1;
    hello_refused(&o, PADLOCK_E_HANDSHAKE_FAILURE, PADLOCK_ALERT_HANDSHAKE_FAILURE,
                  "no extended_master_secret");
    padlock_config *all = server_cfg;
    server_cfg = pl_pair_server_config("p256");
    PL_ASSERT_OK(padlock_config_set_require_extended_master_secret(server_cfg, 0));
    o.offer_ticket = 1;
    pl_client12_handshake(&c, server_cfg, &o);
    assert_false(c.ticket_promised);
    assert_int_equal(c.session_id_len, 0);
    pl_client12_exchange(&c);
    uint8_t km[32], want[32];
    PL_ASSERT_OK(padlock_conn_export_keying_material(c.conn, km, 32, "EXPORTER-n", NULL, 0));
    PL_ASSERT_OK(pl_ks12_export(&c.master, c.client_random, c.server_random, "EXPORTER-n", NULL,
                                0, 0, want, 32));
    assert_memory_equal(km, want, 32);
    pl_client12_finish(&c);
    /* Sessions made with the extension, by ID and by ticket, offered without it. */
    for (int ticket = 0; ticket < 2; ticket++) {
        pl_client12 first;
        o = default_opts;
        o.offer_ticket = ticket;
        pl_client12_handshake(&first, server_cfg, &o);
        uint8_t id[32];
        memset(id, 0x29, sizeof(id));
        o.no_ems = 1;
        o.session_id = ticket ? id : first.session_id;
        o.session_id_len = 32;
        o.ticket = ticket ? first.ticket : NULL;
        o.ticket_len = ticket ? first.ticket_len : 0;
        assert_true(ticket ? first.ticket_len > 0 : first.session_id_len == 32);
        hello_refused(&o, PADLOCK_E_HANDSHAKE_FAILURE, PADLOCK_ALERT_HANDSHAKE_FAILURE,
                      "resumes a session made with the extended master secret");
        pl_client12_finish(&first);
    }
    padlock_config_free(server_cfg);
    server_cfg = all;
}

/* Legacy RSA key transport (RFC 5246 §7.4.7.1): off by default; on, both suites complete with
 * an RSA certificate, and a ciphertext one byte short, one hiding a wrong client_version and
 * random bytes all get as far as the client's Finished and fail there alike (its record does
 * not open under the server's keys: bad_record_mac, the same detail): nothing tells them apart
 * before. */
static void test_legacy_rsa(void **state) {
    (void)state;
    padlock_config *rsa = pl_pair_server_config("rsa");
    pl_client12 *c = malloc(sizeof(*c));
    assert_non_null(c);
    pl_client12_opts o = default_opts;
    o.suite = PADLOCK_TLS_RSA_WITH_AES_128_GCM_SHA256;
    pl_client12_start(c, rsa, &o);
    pl_client12_drain(c);
    assert_int_equal(padlock_conn_error(c->conn), PADLOCK_E_HANDSHAKE_FAILURE);
    pl_client12_finish(c);
    padlock_config_free(rsa);

    rsa = pl_pair_server_config("rsa");
    PL_ASSERT_OK(padlock_config_set_legacy_rsa_key_exchange(rsa, 1));
    static const uint16_t suites[2] = {PADLOCK_TLS_RSA_WITH_AES_128_GCM_SHA256,
                                       PADLOCK_TLS_RSA_WITH_AES_256_GCM_SHA384};
    for (size_t i = 0; i < 2; i++) {
        o.suite = suites[i];
        pl_client12_handshake(c, rsa, &o);
        pl_client12_exchange(c);
        pl_client12_finish(c);
    }
    o.suite = PADLOCK_TLS_RSA_WITH_AES_128_GCM_SHA256;
    char first[512] = "";
    for (int spoil = 1; spoil <= 3; spoil++) {
        o.rsa_spoil = spoil;
        pl_client12_start(c, rsa, &o);
        pl_client12_read_flight(c, &o);
        uint8_t msg[1024];
        pl_record_keys ck, sk;
        size_t len = pl_client12_key_exchange(c, msg, sizeof(msg), &ck, &sk);
        pl_client12_send(c, PL_CONTENT_HANDSHAKE, msg, len);
        pl_client12_drain(c);
        /* Nothing yet: the server went on with a random pre-master secret. */
        assert_int_equal(padlock_conn_error(c->conn), PADLOCK_OK);
        assert_int_equal(c->out_len, 0);
        pl_client12_send(c, PL_CONTENT_CHANGE_CIPHER_SPEC, &pl_client12_ccs, 1);
        PL_ASSERT_OK(pl_record_dir_set_keys(&c->tx, &ck));
        pl_wipe(&sk, sizeof(sk));
        len = pl_client12_finished(c, -1, msg, sizeof(msg));
        pl_client12_send(c, PL_CONTENT_HANDSHAKE, msg, len);
        pl_client12_drain(c);
        /* Our keys differ from the server's, so the Finished record does not open. */
        assert_int_equal(padlock_conn_error(c->conn), PADLOCK_E_BAD_RECORD_MAC);
        if (spoil == 1) {
            snprintf(first, sizeof(first), "%s", padlock_conn_error_message(c->conn));
        }
        assert_string_equal(padlock_conn_error_message(c->conn), first);
        /* The alert, under no keys yet on the server's side, is the same for each. */
        size_t off = 0;
        pl_record rec;
        assert_true(pl_client12_next(c, &off, &rec));
        assert_int_equal(rec.type, PL_CONTENT_ALERT);
        assert_int_equal(rec.data[1], PADLOCK_ALERT_BAD_RECORD_MAC);
        pl_client12_finish(c);
    }
    free(c);
    padlock_config_free(rsa);
}

/* Resumption (RFC 5246 §7.3, RFC 5077): by session ID from the cache, and by ticket; each
 * resumed connection carries data; an altered ticket, another server name or a suite the client
 * no longer offers mean a full handshake; a wrong Finished in the abbreviated handshake is
 * decrypt_error. */
static void test_resumption(void **state) {
    (void)state;
    pl_client12 *c = malloc(sizeof(*c)), *r = malloc(sizeof(*r));
    assert_non_null(c);
    assert_non_null(r);
    /* By session ID: a client that does not take tickets gets one in the ServerHello. */
    pl_client12_handshake(c, server_cfg, &default_opts);
    assert_int_equal(c->session_id_len, 32);
    assert_false(c->ticket_promised);
    assert_false(padlock_conn_resumed(c->conn));
    pl_client12_opts o = default_opts;
    o.session_id = c->session_id;
    o.session_id_len = c->session_id_len;
    pl_client12_resume(r, server_cfg, &o, &c->master);
    pl_client12_exchange(r);
    /* No key exchange in an abbreviated handshake: no group. */
    assert_int_equal(padlock_conn_group(r->conn), 0);
    assert_int_equal(padlock_conn_cipher_suite(r->conn), default_opts.suite);
    uint8_t km[32], want[32];
    PL_ASSERT_OK(padlock_conn_export_keying_material(r->conn, km, 32, "EXPORTER-r", NULL, 0));
    PL_ASSERT_OK(pl_ks12_export(&r->master, r->client_random, r->server_random, "EXPORTER-r",
                                NULL, 0, 0, want, 32));
    assert_memory_equal(km, want, 32);
    pl_client12_finish(r);
    /* An unknown session ID: a full handshake with a new one. */
    uint8_t unknown[32];
    memset(unknown, 0x42, sizeof(unknown));
    o.session_id = unknown;
    pl_client12_start(r, server_cfg, &o);
    pl_client12_read_flight(r, &o);
    assert_int_equal(r->session_id_len, 32);
    assert_memory_not_equal(r->session_id, unknown, 32);
    pl_client12_finish(r);
    pl_client12_finish(c);

    /* By ticket: a client offering session_ticket gets one after its Finished, and no ID. */
    o = default_opts;
    o.offer_ticket = 1;
    pl_client12_handshake(c, server_cfg, &o);
    assert_true(c->ticket_promised);
    assert_true(c->ticket_len > 0);
    assert_int_equal(c->session_id_len, 0);
    pl_client12_exchange(c);
    uint8_t id[32];
    memset(id, 0x17, sizeof(id));
    o.ticket = c->ticket;
    o.ticket_len = c->ticket_len;
    o.session_id = id;
    o.session_id_len = sizeof(id);
    pl_client12_resume(r, server_cfg, &o, &c->master);
    pl_client12_exchange(r);
    pl_client12_finish(r);
    /* The same ticket with a wrong Finished from the client. */
    pl_client12_start(r, server_cfg, &o);
    r->master = c->master;
    {
        size_t off = 0;
        pl_record rec;
        assert_true(pl_client12_next(r, &off, &rec));
        memcpy(r->server_random, rec.data + 6, PL_RANDOM_LEN);
        pl_transcript_update(&r->transcript, rec.data, rec.len);
        assert_true(pl_client12_next(r, &off, &rec)); /* change_cipher_spec */
        pl_record_keys ck, sk;
        PL_ASSERT_OK(pl_ks12_record_keys(&r->master, r->suite->aead, r->client_random,
                                         r->server_random, &ck, &sk));
        PL_ASSERT_OK(pl_record_dir_set_keys(&r->rx, &sk));
        assert_true(pl_client12_next(r, &off, &rec)); /* Finished */
        pl_transcript_update(&r->transcript, rec.data, rec.len);
        r->out_len = 0;
        pl_client12_send(r, PL_CONTENT_CHANGE_CIPHER_SPEC, &pl_client12_ccs, 1);
        PL_ASSERT_OK(pl_record_dir_set_keys(&r->tx, &ck));
        uint8_t msg[64];
        size_t len = pl_client12_finished(r, 3, msg, sizeof(msg));
        pl_client12_send(r, PL_CONTENT_HANDSHAKE, msg, len);
        pl_client12_drain(r);
        assert_int_equal(padlock_conn_error(r->conn), PADLOCK_E_DECRYPT_ERROR);
        pl_client12_finish(r);
    }
    /* An altered ticket: ignored, a full handshake (with a new ticket). */
    uint8_t altered[1024];
    memcpy(altered, c->ticket, c->ticket_len);
    altered[c->ticket_len / 2] ^= 1;
    o.ticket = altered;
    pl_client12_start(r, server_cfg, &o);
    pl_client12_read_flight(r, &o);
    assert_true(r->ticket_promised);
    assert_false(padlock_conn_resumed(r->conn));
    pl_client12_finish(r);
    /* The session's suite no longer offered: a full handshake with the one offered. */
    o.ticket = c->ticket;
    o.suite = PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384;
    pl_client12_start(r, server_cfg, &o);
    pl_client12_read_flight(r, &o);
    pl_client12_finish(r);
    /* Without a session ID to echo, a ticket is not used (RFC 5077 §3.4). */
    o = default_opts;
    o.offer_ticket = 1;
    o.ticket = c->ticket;
    o.ticket_len = c->ticket_len;
    pl_client12_start(r, server_cfg, &o);
    pl_client12_read_flight(r, &o);
    pl_client12_finish(r);
    pl_client12_finish(c);
    free(c);
    free(r);
}

/* A server limited to TLS 1.2 sends no downgrade sentinel: it does not speak TLS 1.3. */
static void test_tls12_only_no_sentinel(void **state) {
    (void)state;
    padlock_config *all = server_cfg;
    server_cfg = pl_pair_server_config("p256");
    PL_ASSERT_OK(padlock_config_set_versions(server_cfg, PADLOCK_TLS12, PADLOCK_TLS12));
    pl_client12 c;
    pl_client12_start(&c, server_cfg, &default_opts);
    size_t off = 0;
    pl_record rec;
    assert_true(pl_client12_next(&c, &off, &rec));
    assert_int_equal(rec.data[0], PL_HS_SERVER_HELLO);
    /* header 4, legacy_version 2, then the random */
    assert_int_equal(pl_server_hello_downgrade(rec.data + 6), PL_DOWNGRADE_NONE);
    pl_client12_finish(&c);
    /* And a fallback signal is then no reason to refuse (RFC 7507 §3: TLS 1.2 is our best). */
    pl_client12_opts o = default_opts;
    o.fallback_scsv = 1;
    pl_client12_start(&c, server_cfg, &o);
    assert_int_equal(padlock_conn_error(c.conn), PADLOCK_OK);
    pl_client12_finish(&c);
    padlock_config_free(server_cfg);
    server_cfg = all;
}

static int setup(void **state) {
    (void)state;
    server_cfg = pl_pair_server_config("p256");
    /* The client's group order decides, so that each group can be asked for. */
    return padlock_config_set_preference(server_cfg, PADLOCK_PREFER_CLIENT) == PADLOCK_OK ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    padlock_config_free(server_cfg);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_suite_and_group),
        cmocka_unit_test(test_bad_finished),
        cmocka_unit_test(test_bad_client_key_exchange),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_renegotiation_refused),
        cmocka_unit_test(test_hello_refusals),
        cmocka_unit_test(test_tls12_only_no_sentinel),
        cmocka_unit_test(test_resumption),
        cmocka_unit_test(test_no_extended_master_secret),
        cmocka_unit_test(test_legacy_rsa),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
