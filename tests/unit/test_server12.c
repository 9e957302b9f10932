/* The TLS 1.2 server in process, against a scripted TLS 1.2 client built in this test from
 * padlock's message builders, TLS 1.2 key schedule and record layer (an independent check of
 * the key schedule is test_keysched12; of the whole, s_client in test_interop_tls12): a full
 * handshake for every suite and group with application data both ways; the downgrade sentinel
 * and the extensions of the ServerHello; the signature of the ServerKeyExchange; then bad
 * input, each answered with its alert while the server keeps serving: a wrong Finished, a
 * malformed or invalid ClientKeyExchange (cut at every offset), a change_cipher_spec out of
 * place, a plaintext Finished, renegotiation, TLS_FALLBACK_SCSV, non-empty renegotiation_info;
 * KeyUpdate and the exporter refused on TLS 1.2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "hs/keysched12.h"
#include "hs/server12.h"
#include "pair.h"
#include "util/mem.h"
#include "x509/cert.h"
#include "testlib.h"

static padlock_config *server_cfg;

/* The scripted client: its transcript and record directions. */
typedef struct client12 {
    padlock_conn *conn;
    const pl_suite *suite;
    pl_transcript transcript;
    uint8_t client_random[PL_RANDOM_LEN];
    uint8_t server_random[PL_RANDOM_LEN];
    uint16_t group;
    uint8_t point[PL_KX_MAX_SHARE_LEN]; /* the server's ECDHE share */
    size_t point_len;
    pl_record_dir tx, rx;
    pl_ks12_master master;
    uint8_t out[32768]; /* what the server sent, not yet read */
    size_t out_len;
} client12;

static void put16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Seals one record of type from the client (keys per c->tx) and feeds it to the server. */
static void send_record(client12 *c, uint8_t type, const uint8_t *data, size_t len) {
    static uint8_t buf[20000];
    size_t pre = pl_record_seal_prefix(&c->tx);
    memcpy(buf + pre, data, len);
    size_t n;
    PL_ASSERT_OK(pl_record_seal(&c->tx, type, buf, sizeof(buf), len, 0, &n));
    size_t used;
    padlock_err rc = padlock_conn_input(c->conn, buf, n, &used);
    assert_true(rc == padlock_conn_error(c->conn));
}

/* Collects everything the server has to send into c->out. */
static void drain(client12 *c) {
    for (;;) {
        const uint8_t *p;
        size_t n;
        padlock_err rc = padlock_conn_output(c->conn, &p, &n);
        assert_true(rc == PADLOCK_OK || rc == padlock_conn_error(c->conn));
        if (n == 0) {
            return;
        }
        assert_true(c->out_len + n <= sizeof(c->out));
        memcpy(c->out + c->out_len, p, n);
        c->out_len += n;
        PL_ASSERT_OK(padlock_conn_output_done(c->conn, n));
    }
}

/* Opens the next record the server sent, in place in c->out. Returns 0 when none is left. */
static int next_record(client12 *c, size_t *off, pl_record *out) {
    if (*off >= c->out_len) {
        return 0;
    }
    pl_cur cur;
    pl_cur_init(&cur, c->out + *off, c->out_len - *off);
    pl_record_header h;
    PL_ASSERT_OK(pl_record_header_parse(&c->rx, &cur, &h));
    PL_ASSERT_OK(pl_record_open(&c->rx, &h, c->out + *off + PL_RECORD_HEADER_LEN, out));
    *off += PL_RECORD_HEADER_LEN + h.length;
    return 1;
}

/* The ClientHello of a TLS 1.2 client: suite, groups, ECDSA and RSA-PSS schemes, the
 * extended master secret and renegotiation_info unless told otherwise. */
typedef struct hello_opts {
    uint16_t suite;
    uint16_t group;
    int fallback_scsv;
    int reneg_nonempty;
} hello_opts;

static size_t build_hello(client12 *c, const hello_opts *o, uint8_t *msg, size_t cap) {
    uint8_t suites[4], groups[4], schemes[6], reneg[2] = {1, 2};
    static const uint8_t formats[1] = {0};
    put16(suites, o->suite);
    put16(suites + 2, 0x5600);
    put16(groups, o->group);
    put16(groups + 2, PADLOCK_GROUP_SECP256R1); /* the certificate's curve (RFC 8422 §5.1) */
    put16(schemes, 0x0403);
    put16(schemes + 2, 0x0804);
    put16(schemes + 4, 0x0401);
    pl_client_hello ch;
    memset(&ch, 0, sizeof(ch));
    ch.legacy_version = 0x0303;
    ch.random = c->client_random;
    pl_cur_init(&ch.session_id, NULL, 0);
    pl_cur_init(&ch.cipher_suites, suites, o->fallback_scsv ? 4 : 2);
    static const uint8_t null_compression[1] = {0};
    pl_cur_init(&ch.compression_methods, null_compression, 1);
    ch.has_extensions = 1;
    pl_cur_init(&ch.exts.server_name, (const uint8_t *)"localhost", 9);
    pl_cur_init(&ch.exts.supported_groups, groups,
                o->group == PADLOCK_GROUP_SECP256R1 ? 2 : 4);
    pl_cur_init(&ch.exts.sig_algs, schemes, sizeof(schemes));
    pl_cur_init(&ch.exts.ec_point_formats, formats, 1);
    pl_cur_init(&ch.exts.renegotiation_info, reneg, o->reneg_nonempty ? 2 : 0);
    static const uint16_t ids[] = {PL_EXT_SERVER_NAME,       PL_EXT_SUPPORTED_GROUPS,
                                   PL_EXT_SIGNATURE_ALGORITHMS, PL_EXT_EC_POINT_FORMATS,
                                   PL_EXT_EXTENDED_MASTER_SECRET, PL_EXT_RENEGOTIATION_INFO};
    pl_buf b;
    pl_buf_init(&b, msg, cap);
    PL_ASSERT_OK(pl_client_hello_build(&b, &ch, ids, sizeof(ids) / sizeof(ids[0])));
    return b.len;
}

/* A new server connection, sent the hello; the server's output is in c->out. */
static void start(client12 *c, const hello_opts *o) {
    memset(c, 0, sizeof(*c));
    PL_ASSERT_OK(padlock_conn_new(server_cfg, &c->conn));
    pl_record_dir_init(&c->tx);
    pl_record_dir_init(&c->rx);
    pl_transcript_init(&c->transcript);
    for (size_t i = 0; i < PL_RANDOM_LEN; i++) {
        c->client_random[i] = (uint8_t)(i * 7 + 1);
    }
    uint8_t msg[512];
    size_t len = build_hello(c, o, msg, sizeof(msg));
    c->suite = pl_suite_by_code(o->suite);
    PL_ASSERT_OK(pl_transcript_select(&c->transcript, c->suite->hash));
    pl_transcript_update(&c->transcript, msg, len);
    send_record(c, PL_CONTENT_HANDSHAKE, msg, len);
    drain(c);
}

static void finish(client12 *c) {
    padlock_conn_free(c->conn);
    pl_record_dir_cleanup(&c->tx);
    pl_record_dir_cleanup(&c->rx);
    pl_transcript_cleanup(&c->transcript);
    pl_ks12_master_cleanup(&c->master);
}

/* Reads the server's first flight from c->out: ServerHello (checked), Certificate,
 * ServerKeyExchange (signature verified), ServerHelloDone. */
static void read_flight(client12 *c, const hello_opts *o) {
    size_t off = 0;
    pl_record rec;
    uint8_t flight[8192];
    size_t flight_len = 0;
    while (next_record(c, &off, &rec)) {
        assert_int_equal(rec.type, PL_CONTENT_HANDSHAKE);
        memcpy(flight + flight_len, rec.data, rec.len);
        flight_len += rec.len;
    }
    c->out_len = 0;
    pl_cur cur;
    pl_cur_init(&cur, flight, flight_len);
    const uint8_t *spki = NULL;
    size_t spki_len = 0;
    pl_errinfo err;
    pl_errinfo_init(&err);
    static const uint8_t types[4] = {PL_HS_SERVER_HELLO, PL_HS_CERTIFICATE,
                                     PL_HS_SERVER_KEY_EXCHANGE, PL_HS_SERVER_HELLO_DONE};
    for (size_t i = 0; i < 4; i++) {
        const uint8_t *start = cur.p;
        uint8_t type;
        pl_cur body;
        PL_ASSERT_OK(pl_msg_read(&cur, &type, &body));
        assert_int_equal(type, types[i]);
        pl_transcript_update(&c->transcript, start, PL_HS_HEADER_LEN + pl_cur_left(&body));
        if (type == PL_HS_SERVER_HELLO) {
            pl_server_hello sh;
            uint32_t offered = pl_ext_bit(PL_EXT_SERVER_NAME) |
                               pl_ext_bit(PL_EXT_EC_POINT_FORMATS) |
                               pl_ext_bit(PL_EXT_EXTENDED_MASTER_SECRET) |
                               pl_ext_bit(PL_EXT_RENEGOTIATION_INFO);
            PL_ASSERT_OK(pl_server_hello_parse(&sh, body.p, body.len, offered, &err));
            assert_int_equal(sh.kind, PL_EXT_IN_SH12);
            assert_int_equal(sh.legacy_version, 0x0303);
            assert_int_equal(sh.cipher_suite, o->suite);
            /* RFC 8446 §4.1.3: a server that speaks TLS 1.3 marks a TLS 1.2 ServerHello. */
            assert_int_equal(pl_server_hello_downgrade(sh.random), PL_DOWNGRADE_TLS12);
            assert_true(pl_exts_has(&sh.exts, PL_EXT_EXTENDED_MASTER_SECRET));
            assert_true(pl_exts_has(&sh.exts, PL_EXT_RENEGOTIATION_INFO));
            assert_int_equal(pl_cur_left(&sh.exts.renegotiation_info), 0);
            assert_true(pl_exts_has(&sh.exts, PL_EXT_EC_POINT_FORMATS));
            assert_true(pl_exts_has(&sh.exts, PL_EXT_SERVER_NAME));
            assert_int_equal(pl_cur_left(&sh.session_id), 0);
            memcpy(c->server_random, sh.random, PL_RANDOM_LEN);
        } else if (type == PL_HS_CERTIFICATE) {
            pl_certificate cert;
            PL_ASSERT_OK(pl_certificate_parse_tls12(&cert, body.p, body.len, &err));
            assert_int_equal(cert.num_entries, 2);
            pl_cur it = cert.entries;
            pl_cert_entry e;
            assert_true(pl_certificate_next(&cert, &it, &e));
            pl_x509_cert leaf;
            PL_ASSERT_OK(
                pl_x509_cert_parse(&leaf, e.cert_data.p, pl_cur_left(&e.cert_data), NULL));
            spki = leaf.key.spki.p;
            spki_len = leaf.key.spki.len;
        } else if (type == PL_HS_SERVER_KEY_EXCHANGE) {
            pl_server_key_exchange ske;
            PL_ASSERT_OK(pl_server_key_exchange_parse(&ske, body.p, body.len, &err));
            assert_int_equal(ske.group, o->group);
            assert_int_equal(ske.scheme, 0x0403);
            uint8_t signed_bytes[256];
            pl_buf b;
            pl_buf_init(&b, signed_bytes, sizeof(signed_bytes));
            PL_ASSERT_OK(pl_server_key_exchange_signed(&b, c->client_random, c->server_random,
                                                       ske.params));
            PL_ASSERT_OK(pl_sig_verify(pl_sig_by_scheme(ske.scheme), spki, spki_len, b.p, b.len,
                                       ske.signature.p, ske.signature.len));
            c->group = ske.group;
            c->point_len = pl_cur_left(&ske.point);
            memcpy(c->point, ske.point.p, c->point_len);
        }
    }
    assert_int_equal(pl_cur_left(&cur), 0);
    pl_errinfo_cleanup(&err);
}

/* The ClientKeyExchange message for our fresh key, and the keys and master secret from it. */
static size_t client_key_exchange(client12 *c, uint8_t *msg, size_t cap, pl_record_keys *ck,
                                  pl_record_keys *sk) {
    pl_kx_key key;
    PL_ASSERT_OK(pl_kx_generate(pl_kx_by_group(c->group), NULL, &key));
    uint8_t shared[PL_KX_MAX_SECRET_LEN];
    PL_ASSERT_OK(pl_kx_derive(&key, c->point, c->point_len, shared));
    pl_buf b;
    pl_buf_init(&b, msg, cap);
    PL_ASSERT_OK(pl_client_key_exchange_build_ecdhe(&b, key.share, key.alg->share_len));
    pl_transcript_update(&c->transcript, msg, b.len);
    pl_digest session_hash;
    PL_ASSERT_OK(pl_transcript_hash(&c->transcript, &session_hash));
    PL_ASSERT_OK(pl_ks12_extended_master_secret(&c->master, c->suite->hash, shared,
                                                key.alg->secret_len, &session_hash));
    PL_ASSERT_OK(pl_ks12_record_keys(&c->master, c->suite->aead, c->client_random,
                                     c->server_random, ck, sk));
    pl_kx_key_cleanup(&key);
    return b.len;
}

/* Our Finished (flip: a byte of verify_data to corrupt, or -1). */
static size_t client_finished(client12 *c, int flip, uint8_t *msg, size_t cap) {
    pl_digest th;
    PL_ASSERT_OK(pl_transcript_hash(&c->transcript, &th));
    uint8_t vd[PL_KS12_VERIFY_LEN];
    PL_ASSERT_OK(pl_ks12_finished(&c->master, PL_ROLE_CLIENT, &th, vd));
    if (flip >= 0) {
        vd[flip] ^= 0x80;
    }
    pl_buf b;
    pl_buf_init(&b, msg, cap);
    PL_ASSERT_OK(pl_finished_build(&b, vd, sizeof(vd)));
    pl_transcript_update(&c->transcript, msg, b.len);
    return b.len;
}

static const uint8_t ccs_byte = 1;

/* A whole handshake; the connection is left open in c. */
static void handshake(client12 *c, const hello_opts *o) {
    start(c, o);
    read_flight(c, o);
    uint8_t msg[512];
    pl_record_keys ck, sk;
    size_t len = client_key_exchange(c, msg, sizeof(msg), &ck, &sk);
    send_record(c, PL_CONTENT_HANDSHAKE, msg, len);
    send_record(c, PL_CONTENT_CHANGE_CIPHER_SPEC, &ccs_byte, 1);
    PL_ASSERT_OK(pl_record_dir_set_keys(&c->tx, &ck));
    len = client_finished(c, -1, msg, sizeof(msg));
    send_record(c, PL_CONTENT_HANDSHAKE, msg, len);
    drain(c);
    if (padlock_conn_error(c->conn) != PADLOCK_OK) {
        fail_msg("handshake: %s", padlock_conn_error_message(c->conn));
    }
    /* The server's change_cipher_spec, then its Finished under its new keys. */
    size_t off = 0;
    pl_record rec;
    assert_true(next_record(c, &off, &rec));
    assert_int_equal(rec.type, PL_CONTENT_CHANGE_CIPHER_SPEC);
    PL_ASSERT_OK(pl_record_dir_set_keys(&c->rx, &sk));
    assert_true(next_record(c, &off, &rec));
    assert_int_equal(rec.type, PL_CONTENT_HANDSHAKE);
    pl_digest th;
    PL_ASSERT_OK(pl_transcript_hash(&c->transcript, &th));
    assert_int_equal(rec.len, PL_HS_HEADER_LEN + PL_KS12_VERIFY_LEN);
    PL_ASSERT_OK(pl_ks12_finished_verify(&c->master, PL_ROLE_SERVER, &th,
                                         rec.data + PL_HS_HEADER_LEN, PL_KS12_VERIFY_LEN));
    assert_false(next_record(c, &off, &rec));
    c->out_len = 0;
    assert_true(padlock_conn_handshake_done(c->conn));
    assert_int_equal(padlock_conn_version(c->conn), PADLOCK_TLS12);
    assert_int_equal(padlock_conn_cipher_suite(c->conn), o->suite);
    assert_int_equal(padlock_conn_group(c->conn), o->group);
}

/* Application data both ways over the TLS 1.2 records. */
static void exchange(client12 *c) {
    static const char ping[] = "ping over TLS 1.2";
    send_record(c, PL_CONTENT_APPLICATION_DATA, (const uint8_t *)ping, sizeof(ping));
    uint8_t got[64];
    size_t n = 0;
    PL_ASSERT_OK(padlock_conn_read(c->conn, got, sizeof(got), &n));
    assert_int_equal(n, sizeof(ping));
    assert_memory_equal(got, ping, sizeof(ping));
    static uint8_t big[40000];
    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = (uint8_t)(i * 31);
    }
    size_t sent = 0;
    uint8_t recvd[40000];
    size_t recvd_len = 0;
    while (sent < sizeof(big)) {
        size_t w = 0;
        PL_ASSERT_OK(padlock_conn_write(c->conn, big + sent, sizeof(big) - sent, &w));
        sent += w;
        drain(c);
        size_t off = 0;
        pl_record rec;
        while (next_record(c, &off, &rec)) {
            assert_int_equal(rec.type, PL_CONTENT_APPLICATION_DATA);
            memcpy(recvd + recvd_len, rec.data, rec.len);
            recvd_len += rec.len;
        }
        c->out_len = 0;
    }
    assert_int_equal(recvd_len, sizeof(big));
    assert_memory_equal(recvd, big, sizeof(big));
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
            client12 c;
            hello_opts o = {.suite = suites[s], .group = groups[g]};
            handshake(&c, &o);
            exchange(&c);
            /* TLS 1.3-only features are refused, without failing the connection. */
            PL_ASSERT_ERR(padlock_conn_key_update(c.conn, 0), PADLOCK_E_UNSUPPORTED);
            uint8_t km[16];
            PL_ASSERT_ERR(padlock_conn_export_keying_material(c.conn, km, 16, "x", NULL, 0),
                          PADLOCK_E_UNSUPPORTED);
            assert_int_equal(padlock_conn_error(c.conn), PADLOCK_OK);
            finish(&c);
        }
    }
}

/* The server failed with code and sent exactly one alert record (plaintext or under its keys),
 * of description alert; then a new connection of the same configuration still works. */
static void expect_failure(client12 *c, padlock_err code, uint8_t alert, const char *needle) {
    drain(c);
    if (padlock_conn_error(c->conn) != code) {
        fail_msg("expected %s, got %s: %s", padlock_strerror(code),
                 padlock_strerror(padlock_conn_error(c->conn)),
                 padlock_conn_error_message(c->conn));
    }
    if (needle != NULL && strstr(padlock_conn_error_message(c->conn), needle) == NULL) {
        fail_msg("\"%s\" not in \"%s\"", needle, padlock_conn_error_message(c->conn));
    }
    size_t off = 0, alerts = 0;
    pl_record rec;
    while (next_record(c, &off, &rec)) {
        if (rec.type == PL_CONTENT_ALERT) {
            assert_int_equal(rec.len, 2);
            assert_int_equal(rec.data[0], 2);
            assert_int_equal(rec.data[1], alert);
            alerts++;
        }
    }
    assert_int_equal(alerts, 1);
    finish(c);
    client12 again;
    hello_opts o = {.suite = PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                    .group = PADLOCK_GROUP_X25519};
    handshake(&again, &o);
    exchange(&again);
    finish(&again);
}

static const hello_opts default_opts = {.suite = PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                        .group = PADLOCK_GROUP_X25519};

static void test_bad_finished(void **state) {
    (void)state;
    for (int flip = 0; flip < PL_KS12_VERIFY_LEN; flip += 11) {
        client12 c;
        start(&c, &default_opts);
        read_flight(&c, &default_opts);
        uint8_t msg[512];
        pl_record_keys ck, sk;
        size_t len = client_key_exchange(&c, msg, sizeof(msg), &ck, &sk);
        send_record(&c, PL_CONTENT_HANDSHAKE, msg, len);
        send_record(&c, PL_CONTENT_CHANGE_CIPHER_SPEC, &ccs_byte, 1);
        PL_ASSERT_OK(pl_record_dir_set_keys(&c.tx, &ck));
        pl_wipe(&sk, sizeof(sk));
        len = client_finished(&c, flip, msg, sizeof(msg));
        send_record(&c, PL_CONTENT_HANDSHAKE, msg, len);
        expect_failure(&c, PADLOCK_E_DECRYPT_ERROR, PADLOCK_ALERT_DECRYPT_ERROR,
                       "client Finished: verify_data is wrong");
    }
}

static void test_bad_client_key_exchange(void **state) {
    (void)state;
    uint8_t msg[512];
    pl_record_keys ck, sk;
    /* Cut at every offset of the body (the header saying so): decode_error. */
    client12 probe;
    start(&probe, &default_opts);
    read_flight(&probe, &default_opts);
    size_t len = client_key_exchange(&probe, msg, sizeof(msg), &ck, &sk);
    finish(&probe);
    for (size_t cut = 0; cut < len - PL_HS_HEADER_LEN; cut += 5) {
        client12 c;
        start(&c, &default_opts);
        read_flight(&c, &default_opts);
        uint8_t bad[512];
        memcpy(bad, msg, PL_HS_HEADER_LEN + cut);
        bad[1] = 0;
        put16(bad + 2, (uint16_t)cut);
        send_record(&c, PL_CONTENT_HANDSHAKE, bad, PL_HS_HEADER_LEN + cut);
        expect_failure(&c, PADLOCK_E_DECODE, PADLOCK_ALERT_DECODE_ERROR, "ClientKeyExchange");
    }
    /* An X25519 public key of zeros: the shared secret would be all zero (RFC 7748 §6.1). */
    client12 c;
    start(&c, &default_opts);
    read_flight(&c, &default_opts);
    uint8_t zero_point[PL_HS_HEADER_LEN + 1 + 32] = {PL_HS_CLIENT_KEY_EXCHANGE, 0, 0, 33, 32};
    send_record(&c, PL_CONTENT_HANDSHAKE, zero_point, sizeof(zero_point));
    expect_failure(&c, PADLOCK_E_BAD_KEY_SHARE, PADLOCK_ALERT_ILLEGAL_PARAMETER,
                   "ClientKeyExchange: the client's x25519 public key is invalid");
}

static void test_out_of_order(void **state) {
    (void)state;
    /* A change_cipher_spec before the ClientKeyExchange. */
    client12 c;
    start(&c, &default_opts);
    read_flight(&c, &default_opts);
    send_record(&c, PL_CONTENT_CHANGE_CIPHER_SPEC, &ccs_byte, 1);
    expect_failure(&c, PADLOCK_E_UNEXPECTED_MESSAGE, PADLOCK_ALERT_UNEXPECTED_MESSAGE,
                   "change_cipher_spec in state WAIT_CKE");
    /* A Finished without change_cipher_spec, in the clear. */
    start(&c, &default_opts);
    read_flight(&c, &default_opts);
    uint8_t msg[512];
    pl_record_keys ck, sk;
    size_t len = client_key_exchange(&c, msg, sizeof(msg), &ck, &sk);
    send_record(&c, PL_CONTENT_HANDSHAKE, msg, len);
    len = client_finished(&c, -1, msg, sizeof(msg));
    send_record(&c, PL_CONTENT_HANDSHAKE, msg, len);
    pl_wipe(&ck, sizeof(ck));
    pl_wipe(&sk, sizeof(sk));
    expect_failure(&c, PADLOCK_E_UNEXPECTED_MESSAGE, PADLOCK_ALERT_UNEXPECTED_MESSAGE,
                   "Finished in state WAIT_CCS");
    /* Application data before the handshake completed. */
    start(&c, &default_opts);
    read_flight(&c, &default_opts);
    static const uint8_t junk[5 + 8] = {PL_CONTENT_APPLICATION_DATA, 3, 3, 0, 8, 1};
    size_t used;
    padlock_err rc = padlock_conn_input(c.conn, junk, sizeof(junk), &used);
    assert_int_equal(rc, padlock_conn_error(c.conn));
    expect_failure(&c, PADLOCK_E_UNEXPECTED_MESSAGE, PADLOCK_ALERT_UNEXPECTED_MESSAGE, NULL);
}

static void test_renegotiation_refused(void **state) {
    (void)state;
    client12 c;
    handshake(&c, &default_opts);
    /* A ClientHello under the connection's keys asks to renegotiate (RFC 5746). */
    uint8_t msg[512];
    size_t len = build_hello(&c, &default_opts, msg, sizeof(msg));
    send_record(&c, PL_CONTENT_HANDSHAKE, msg, len);
    expect_failure(&c, PADLOCK_E_HANDSHAKE_FAILURE, PADLOCK_ALERT_HANDSHAKE_FAILURE,
                   "renegotiation is refused");
}

static void test_hello_refusals(void **state) {
    (void)state;
    client12 c;
    /* RFC 7507: a fallback to TLS 1.2 while the server speaks TLS 1.3. */
    hello_opts o = default_opts;
    o.fallback_scsv = 1;
    start(&c, &o);
    expect_failure(&c, PADLOCK_E_INAPPROPRIATE_FALLBACK, PADLOCK_ALERT_INAPPROPRIATE_FALLBACK,
                   "TLS_FALLBACK_SCSV");
    /* RFC 5746 §3.6: renegotiation_info must be empty on an initial handshake. */
    o = default_opts;
    o.reneg_nonempty = 1;
    start(&c, &o);
    expect_failure(&c, PADLOCK_E_HANDSHAKE_FAILURE, PADLOCK_ALERT_HANDSHAKE_FAILURE,
                   "renegotiation_info is not empty");
    /* A suite whose key the server lacks (its certificate is ECDSA P-256). */
    o = default_opts;
    o.suite = PADLOCK_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
    start(&c, &o);
    expect_failure(&c, PADLOCK_E_HANDSHAKE_FAILURE, PADLOCK_ALERT_HANDSHAKE_FAILURE,
                   "no certificate of this server fits");
}

/* A server limited to TLS 1.2 sends no downgrade sentinel: it does not speak TLS 1.3. */
static void test_tls12_only_no_sentinel(void **state) {
    (void)state;
    padlock_config *all = server_cfg;
    server_cfg = pl_pair_server_config("p256");
    PL_ASSERT_OK(padlock_config_set_versions(server_cfg, PADLOCK_TLS12, PADLOCK_TLS12));
    client12 c;
    start(&c, &default_opts);
    size_t off = 0;
    pl_record rec;
    assert_true(next_record(&c, &off, &rec));
    assert_int_equal(rec.data[0], PL_HS_SERVER_HELLO);
    /* header 4, legacy_version 2, then the random */
    assert_int_equal(pl_server_hello_downgrade(rec.data + 6), PL_DOWNGRADE_NONE);
    finish(&c);
    /* And a fallback signal is then no reason to refuse (RFC 7507 §3: TLS 1.2 is our best). */
    hello_opts o = default_opts;
    o.fallback_scsv = 1;
    start(&c, &o);
    assert_int_equal(padlock_conn_error(c.conn), PADLOCK_OK);
    finish(&c);
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
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
