/* The server against crafted ClientHellos: a client offering only TLS 1.0-1.2, no common suite,
 * no common group, malformed and misplaced extensions, a ClientHello truncated at every byte
 * offset, a record cut short; each gets its alert and a clear error, and the server keeps
 * serving other connections of its configuration. Then the second ClientHello after a
 * HelloRetryRequest (RFC 8446 §4.1.2: the same hello but for what the retry asked, and fixing
 * it), and early data a client sends anyway (§4.2.10: skipped, never accepted). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "pair.h"
#include "pki.h"
#include "testlib.h"

/* ---- Building ClientHellos by hand ---------------------------------------------------------- */

typedef struct ext {
    uint16_t id;
    uint8_t body[512];
    size_t len;
} ext;

typedef struct hello {
    uint16_t legacy_version;
    uint8_t random[32];
    uint8_t session_id_len;
    uint8_t suites[64];
    size_t suites_len;
    uint8_t compression[4];
    size_t compression_len;
    ext exts[24];
    size_t num_exts;
    int no_extensions; /* a hello without an extensions block */
} hello;

static pl_kx_key x25519_key; /* the X25519 share of every crafted hello */

static void put16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static ext *add_ext(hello *h, uint16_t id) {
    assert_true(h->num_exts < 24);
    ext *e = &h->exts[h->num_exts++];
    memset(e, 0, sizeof(*e));
    e->id = id;
    return e;
}

static ext *find_ext(hello *h, uint16_t id) {
    for (size_t i = 0; i < h->num_exts; i++) {
        if (h->exts[i].id == id) {
            return &h->exts[i];
        }
    }
    fail_msg("the hello has no extension %u", id);
    return &h->exts[0];
}

static void drop_ext(hello *h, uint16_t id) {
    for (size_t i = 0; i < h->num_exts; i++) {
        if (h->exts[i].id == id) {
            memmove(&h->exts[i], &h->exts[i + 1], (h->num_exts - i - 1) * sizeof(ext));
            h->num_exts--;
            return;
        }
    }
}

/* An extension holding a u16 list with a 1- or 2-byte length. */
static void set_u16_list(ext *e, int prefix, const uint16_t *v, size_t n) {
    size_t off = (size_t)prefix;
    if (prefix == 1) {
        e->body[0] = (uint8_t)(2 * n);
    } else {
        put16(e->body, (uint16_t)(2 * n));
    }
    for (size_t i = 0; i < n; i++) {
        put16(e->body + off + 2 * i, v[i]);
    }
    e->len = off + 2 * n;
}

/* key_share with one entry per group: X25519 gets a real share, others len dummy bytes. */
static void set_shares(ext *e, const uint16_t *groups, const size_t *lens, size_t n) {
    size_t off = 2;
    for (size_t i = 0; i < n; i++) {
        put16(e->body + off, groups[i]);
        put16(e->body + off + 2, (uint16_t)lens[i]);
        if (groups[i] == PADLOCK_GROUP_X25519 && lens[i] == 32) {
            memcpy(e->body + off + 4, x25519_key.share, 32);
        } else {
            memset(e->body + off + 4, 0x42, lens[i]);
        }
        off += 4 + lens[i];
    }
    put16(e->body, (uint16_t)(off - 2));
    e->len = off;
}

/* A ClientHello like a TLS 1.3 client's: suites, X25519 and P-256, an X25519 share, our
 * signature schemes, TLS 1.3 and 1.2, psk_dhe_ke, SNI "localhost", a 32-byte session id. */
static void default_hello(hello *h) {
    memset(h, 0, sizeof(*h));
    h->legacy_version = 0x0303;
    memset(h->random, 0x5a, sizeof(h->random));
    h->session_id_len = 32;
    static const uint16_t suites[] = {0x1301, 0x1302, 0x1303, 0xc02f};
    for (size_t i = 0; i < 4; i++) {
        put16(h->suites + 2 * i, suites[i]);
    }
    h->suites_len = 8;
    h->compression_len = 1;
    ext *e = add_ext(h, PL_EXT_SERVER_NAME);
    static const char name[] = "localhost";
    put16(e->body, (uint16_t)(3 + strlen(name)));
    e->body[2] = 0;
    put16(e->body + 3, (uint16_t)strlen(name));
    memcpy(e->body + 5, name, strlen(name));
    e->len = 5 + strlen(name);
    static const uint16_t groups[] = {PADLOCK_GROUP_X25519, PADLOCK_GROUP_SECP256R1};
    set_u16_list(add_ext(h, PL_EXT_SUPPORTED_GROUPS), 2, groups, 2);
    static const uint16_t sigs[] = {0x0403, 0x0804, 0x0807};
    set_u16_list(add_ext(h, PL_EXT_SIGNATURE_ALGORITHMS), 2, sigs, 3);
    static const uint16_t share_group[] = {PADLOCK_GROUP_X25519};
    static const size_t share_len[] = {32};
    set_shares(add_ext(h, PL_EXT_KEY_SHARE), share_group, share_len, 1);
    static const uint16_t versions[] = {0x0304, 0x0303};
    set_u16_list(add_ext(h, PL_EXT_SUPPORTED_VERSIONS), 1, versions, 2);
    e = add_ext(h, PL_EXT_PSK_KEY_EXCHANGE_MODES);
    e->body[0] = 1;
    e->body[1] = PL_PSK_DHE_KE;
    e->len = 2;
}

/* The handshake message (header included) into out; returns its length. */
static size_t encode(const hello *h, uint8_t *out, size_t cap) {
    pl_buf b;
    pl_buf_init(&b, out, cap);
    pl_buf_vec msg, exts;
    PL_ASSERT_OK(pl_msg_begin(&b, PL_HS_CLIENT_HELLO, &msg));
    PL_ASSERT_OK(pl_buf_u16(&b, h->legacy_version));
    PL_ASSERT_OK(pl_buf_bytes(&b, h->random, 32));
    uint8_t sid[32];
    memset(sid, 0x33, sizeof(sid));
    PL_ASSERT_OK(pl_buf_vec8_bytes(&b, sid, h->session_id_len));
    PL_ASSERT_OK(pl_buf_vec16_bytes(&b, h->suites, h->suites_len));
    PL_ASSERT_OK(pl_buf_vec8_bytes(&b, h->compression, h->compression_len));
    if (!h->no_extensions) {
        PL_ASSERT_OK(pl_buf_vec_open(&b, 2, &exts));
        for (size_t i = 0; i < h->num_exts; i++) {
            PL_ASSERT_OK(pl_buf_u16(&b, h->exts[i].id));
            PL_ASSERT_OK(pl_buf_vec16_bytes(&b, h->exts[i].body, h->exts[i].len));
        }
        PL_ASSERT_OK(pl_buf_vec_close(&b, &exts));
    }
    PL_ASSERT_OK(pl_msg_end(&b, &msg));
    return b.len;
}

/* ---- Talking to the server ------------------------------------------------------------------ */

static padlock_config *server_cfg;

/* Feeds a plaintext record of type holding data[0..len) to conn. */
static void feed_record(padlock_conn *conn, uint8_t type, const uint8_t *data, size_t len) {
    uint8_t *rec = malloc(len + 5);
    rec[0] = type;
    put16(rec + 1, 0x0301);
    put16(rec + 3, (uint16_t)len);
    memcpy(rec + 5, data, len);
    size_t used;
    padlock_err rc = padlock_conn_input(conn, rec, len + 5, &used);
    assert_true(rc == padlock_conn_error(conn));
    free(rec);
}

/* Everything the server has to send. */
static size_t drain(padlock_conn *conn, uint8_t *out, size_t cap) {
    size_t total = 0;
    for (;;) {
        const uint8_t *p;
        size_t n;
        padlock_err rc = padlock_conn_output(conn, &p, &n);
        assert_true(rc == PADLOCK_OK || rc == padlock_conn_error(conn));
        if (n == 0) {
            return total;
        }
        if (total + n > cap) {
            fail_msg("%zu bytes of output, more than %zu: %s", total + n, cap,
                     padlock_conn_error_message(conn));
        }
        memcpy(out + total, p, n);
        total += n;
        PL_ASSERT_OK(padlock_conn_output_done(conn, n));
    }
}

/* Sends the hello to a new server connection; returns it with its output in out. */
static padlock_conn *send_hello(const hello *h, uint8_t *out, size_t cap, size_t *out_len) {
    static uint8_t msg[8192];
    size_t len = encode(h, msg, sizeof(msg));
    padlock_conn *conn;
    PL_ASSERT_OK(padlock_conn_new(server_cfg, &conn));
    feed_record(conn, PL_CONTENT_HANDSHAKE, msg, len);
    *out_len = drain(conn, out, cap);
    return conn;
}

/* The server refuses h: error code with needle in its message, and its only output is the
 * plaintext fatal alert. */
static void expect_refusal(const hello *h, padlock_err code, int alert, const char *needle) {
    uint8_t out[64];
    size_t n;
    padlock_conn *conn = send_hello(h, out, sizeof(out), &n);
    if (padlock_conn_error(conn) != code) {
        fail_msg("expected %s, got %s: %s", padlock_strerror(code),
                 padlock_strerror(padlock_conn_error(conn)), padlock_conn_error_message(conn));
    }
    if (needle != NULL && strstr(padlock_conn_error_message(conn), needle) == NULL) {
        fail_msg("\"%s\" not in \"%s\"", needle, padlock_conn_error_message(conn));
    }
    static const uint8_t head[5] = {PL_CONTENT_ALERT, 3, 3, 0, 2};
    assert_int_equal(n, 7);
    assert_memory_equal(out, head, 5);
    assert_int_equal(out[5], 2);
    assert_int_equal(out[6], alert);
    assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_ERROR);
    padlock_conn_free(conn);
}

/* A real client still gets through on the same configuration. */
static void still_serving(void) {
    padlock_config *ccfg = pl_pair_client_config();
    pl_pair p;
    pl_pair_open(&p, ccfg, server_cfg, NULL);
    pl_pair_handshake(&p);
    pl_pair_transfer(&p, p.client, (const uint8_t *)"still here", 10);
    pl_pair_close(&p);
    padlock_config_free(ccfg);
}

static int setup(void **state) {
    (void)state;
    server_cfg = pl_pair_server_config("p256");
    return pl_kx_generate(&pl_kx_x25519, NULL, &x25519_key) == PADLOCK_OK ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    padlock_config_free(server_cfg);
    pl_kx_key_cleanup(&x25519_key);
    return 0;
}

/* ---- Tests ---------------------------------------------------------------------------------- */

/* The crafted default hello is answered with a ServerHello (the baseline of the tests). */
static void test_crafted_hello_accepted(void **state) {
    (void)state;
    hello h;
    default_hello(&h);
    uint8_t out[8192];
    size_t n;
    padlock_conn *conn = send_hello(&h, out, sizeof(out), &n);
    assert_int_equal(padlock_conn_error(conn), PADLOCK_OK);
    assert_true(n > 5);
    assert_int_equal(out[0], PL_CONTENT_HANDSHAKE);
    assert_int_equal(out[5], PL_HS_SERVER_HELLO);
    /* Appendix D.4: a session id asks for the compatibility change_cipher_spec, right after the
     * ServerHello. */
    size_t sh_len = 5 + ((size_t)out[3] << 8 | out[4]);
    static const uint8_t ccs[6] = {PL_CONTENT_CHANGE_CIPHER_SPEC, 3, 3, 0, 1, 1};
    assert_memory_equal(out + sh_len, ccs, sizeof(ccs));
    assert_int_equal(out[sh_len + 6], PL_CONTENT_APPLICATION_DATA);
    assert_string_equal(padlock_conn_server_name(conn), "localhost");
    padlock_conn_free(conn);
    /* Without a session id, no change_cipher_spec. */
    h.session_id_len = 0;
    conn = send_hello(&h, out, sizeof(out), &n);
    sh_len = 5 + ((size_t)out[3] << 8 | out[4]);
    assert_int_equal(out[sh_len], PL_CONTENT_APPLICATION_DATA);
    padlock_conn_free(conn);
}

static void test_old_versions(void **state) {
    (void)state;
    hello h;
    /* TLS 1.2 and older: no supported_versions. This server speaks TLS 1.2 too, so a TLS 1.2
     * hello is taken up, and refused here for lacking the extended master secret (RFC 7627
     * §5.2); the TLS 1.2 handshake itself is tested in test_server12. */
    default_hello(&h);
    drop_ext(&h, PL_EXT_SUPPORTED_VERSIONS);
    drop_ext(&h, PL_EXT_KEY_SHARE);
    drop_ext(&h, PL_EXT_PSK_KEY_EXCHANGE_MODES);
    expect_refusal(&h, PADLOCK_E_HANDSHAKE_FAILURE, PADLOCK_ALERT_HANDSHAKE_FAILURE,
                   "no extended_master_secret");
    /* TLS 1.0 and 1.1 are never negotiated. */
    h.legacy_version = 0x0301;
    expect_refusal(&h, PADLOCK_E_PROTOCOL_VERSION, PADLOCK_ALERT_PROTOCOL_VERSION,
                   "offers only 0x0301");
    h.legacy_version = 0x0302;
    expect_refusal(&h, PADLOCK_E_PROTOCOL_VERSION, PADLOCK_ALERT_PROTOCOL_VERSION,
                   "offers only 0x0302");
    /* A pre-extensions hello (TLS 1.0 style). */
    h.legacy_version = 0x0301;
    h.no_extensions = 1;
    expect_refusal(&h, PADLOCK_E_PROTOCOL_VERSION, PADLOCK_ALERT_PROTOCOL_VERSION, NULL);
    /* supported_versions listing TLS 1.1 and 1.0 only. */
    default_hello(&h);
    static const uint16_t old[] = {0x0302, 0x0301};
    set_u16_list(find_ext(&h, PL_EXT_SUPPORTED_VERSIONS), 1, old, 2);
    expect_refusal(&h, PADLOCK_E_PROTOCOL_VERSION, PADLOCK_ALERT_PROTOCOL_VERSION,
                   "offers none of the versions this server speaks (TLS 1.2 and TLS 1.3)");
    /* RFC 8446 Appendix D.5: legacy_version 0x0300 is refused whatever else is offered. */
    default_hello(&h);
    h.legacy_version = 0x0300;
    expect_refusal(&h, PADLOCK_E_PROTOCOL_VERSION, PADLOCK_ALERT_PROTOCOL_VERSION, "SSL 3.0");
    still_serving();
    /* A server limited to TLS 1.3 refuses TLS 1.2 in either form. */
    padlock_config *all = server_cfg;
    server_cfg = pl_pair_server_config("p256");
    PL_ASSERT_OK(padlock_config_set_versions(server_cfg, PADLOCK_TLS13, PADLOCK_TLS13));
    default_hello(&h);
    drop_ext(&h, PL_EXT_SUPPORTED_VERSIONS);
    expect_refusal(&h, PADLOCK_E_PROTOCOL_VERSION, PADLOCK_ALERT_PROTOCOL_VERSION,
                   "offers only 0x0303 (no supported_versions); this server speaks TLS 1.3");
    default_hello(&h);
    static const uint16_t tls12[] = {0x0303};
    set_u16_list(find_ext(&h, PL_EXT_SUPPORTED_VERSIONS), 1, tls12, 1);
    expect_refusal(&h, PADLOCK_E_PROTOCOL_VERSION, PADLOCK_ALERT_PROTOCOL_VERSION,
                   "offers none of the versions this server speaks (TLS 1.3)");
    padlock_config_free(server_cfg);
    server_cfg = all;
}

/* An SSL 2.0-compatible ClientHello (RFC 5246 Appendix E.2), as old clients send to servers of
 * unknown version: msg_length with the top bit set, msg_type 1, version 3.1, cipher specs of 3
 * bytes, no session ID, a 16-byte challenge. Refused with a clean error and no crash. */
static void test_sslv2_compatible_hello(void **state) {
    (void)state;
    uint8_t v2[2 + 9 + 6 + 16];
    size_t i = 0;
    v2[i++] = 0x80;
    v2[i++] = (uint8_t)(sizeof(v2) - 2);
    v2[i++] = 1;    /* msg_type: client_hello */
    v2[i++] = 3;    /* version 3.1 */
    v2[i++] = 1;
    v2[i++] = 0;    /* cipher_spec_length 6 */
    v2[i++] = 6;
    v2[i++] = 0;    /* session_id_length 0 */
    v2[i++] = 0;
    v2[i++] = 0;    /* challenge_length 16 */
    v2[i++] = 16;
    static const uint8_t specs[6] = {0x00, 0xc0, 0x2f, 0x00, 0x00, 0x9c};
    memcpy(v2 + i, specs, sizeof(specs));
    i += sizeof(specs);
    memset(v2 + i, 0xa5, 16);
    padlock_conn *conn;
    PL_ASSERT_OK(padlock_conn_new(server_cfg, &conn));
    size_t used;
    padlock_err rc = padlock_conn_input(conn, v2, sizeof(v2), &used);
    assert_int_equal(rc, PADLOCK_E_PROTOCOL_VERSION);
    assert_int_equal(padlock_conn_error(conn), PADLOCK_E_PROTOCOL_VERSION);
    assert_non_null(strstr(padlock_conn_error_message(conn),
                           "an SSL 2.0 compatible ClientHello (client version 3.1)"));
    /* The answer is a TLS protocol_version alert, which such a client understands. */
    uint8_t out[64];
    static const uint8_t alert[7] = {PL_CONTENT_ALERT, 3, 3, 0, 2, 2,
                                     PADLOCK_ALERT_PROTOCOL_VERSION};
    assert_int_equal(drain(conn, out, sizeof(out)), sizeof(alert));
    assert_memory_equal(out, alert, sizeof(alert));
    assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_ERROR);
    padlock_conn_free(conn);
    still_serving();
}

static void test_nothing_in_common(void **state) {
    (void)state;
    hello h;
    /* Suites: TLS_AES_128_CCM_SHA256 and a TLS 1.2 suite. */
    default_hello(&h);
    put16(h.suites, 0x1304);
    put16(h.suites + 2, 0xc02b);
    h.suites_len = 4;
    expect_refusal(&h, PADLOCK_E_HANDSHAKE_FAILURE, PADLOCK_ALERT_HANDSHAKE_FAILURE,
                   "cipher suites");
    /* Groups: ffdhe2048 only. */
    default_hello(&h);
    static const uint16_t ffdhe[] = {0x0100};
    static const size_t ffdhe_len[] = {256};
    set_u16_list(find_ext(&h, PL_EXT_SUPPORTED_GROUPS), 2, ffdhe, 1);
    set_shares(find_ext(&h, PL_EXT_KEY_SHARE), ffdhe, ffdhe_len, 1);
    expect_refusal(&h, PADLOCK_E_HANDSHAKE_FAILURE, PADLOCK_ALERT_HANDSHAKE_FAILURE,
                   "key exchange group");
    /* Signature schemes: only ones no certificate of this server (P-256) makes. */
    default_hello(&h);
    static const uint16_t rsa_only[] = {0x0804, 0x0805};
    set_u16_list(find_ext(&h, PL_EXT_SIGNATURE_ALGORITHMS), 2, rsa_only, 2);
    expect_refusal(&h, PADLOCK_E_HANDSHAKE_FAILURE, PADLOCK_ALERT_HANDSHAKE_FAILURE,
                   "signature scheme");
    still_serving();
}

static void test_malformed_extensions(void **state) {
    (void)state;
    hello h;
    /* A list of odd length. */
    default_hello(&h);
    ext *e = find_ext(&h, PL_EXT_SUPPORTED_GROUPS);
    e->body[1] = 3;
    e->len = 5;
    expect_refusal(&h, PADLOCK_E_DECODE, PADLOCK_ALERT_DECODE_ERROR, "supported_groups");
    /* An extension twice (RFC 8446 §4.2). */
    default_hello(&h);
    *add_ext(&h, PL_EXT_SIGNATURE_ALGORITHMS) = *find_ext(&h, PL_EXT_SIGNATURE_ALGORITHMS);
    expect_refusal(&h, PADLOCK_E_ILLEGAL_PARAMETER, PADLOCK_ALERT_ILLEGAL_PARAMETER, "twice");
    /* An unknown extension twice. */
    default_hello(&h);
    add_ext(&h, 0x7777);
    add_ext(&h, 0x7777);
    expect_refusal(&h, PADLOCK_E_ILLEGAL_PARAMETER, PADLOCK_ALERT_ILLEGAL_PARAMETER, "twice");
    /* An extension whose length runs past the block. */
    default_hello(&h);
    e = add_ext(&h, 0x1234);
    e->len = 4;
    uint8_t msg[2048];
    size_t len = encode(&h, msg, sizeof(msg));
    msg[len - 5] = 0x10; /* the unknown extension claims 16 bytes; 4 follow */
    padlock_conn *conn;
    PL_ASSERT_OK(padlock_conn_new(server_cfg, &conn));
    feed_record(conn, PL_CONTENT_HANDSHAKE, msg, len);
    assert_int_equal(padlock_conn_error(conn), PADLOCK_E_DECODE);
    padlock_conn_free(conn);
    /* An X25519 share of the wrong length: not a valid point (§4.2.8.2). */
    default_hello(&h);
    static const uint16_t x25519[] = {PADLOCK_GROUP_X25519};
    static const size_t short_len[] = {31};
    set_shares(find_ext(&h, PL_EXT_KEY_SHARE), x25519, short_len, 1);
    expect_refusal(&h, PADLOCK_E_BAD_KEY_SHARE, PADLOCK_ALERT_ILLEGAL_PARAMETER, "x25519");
    /* Compression other than exactly {null} (§4.1.2). */
    default_hello(&h);
    h.compression[1] = 1;
    h.compression_len = 2;
    expect_refusal(&h, PADLOCK_E_ILLEGAL_PARAMETER, PADLOCK_ALERT_ILLEGAL_PARAMETER, "compression");
    /* pre_shared_key not last (§4.2.11). */
    default_hello(&h);
    e = add_ext(&h, PL_EXT_PRE_SHARED_KEY);
    static const uint8_t psk[] = {0, 7, 0, 1, 0xaa, 0, 0, 0, 0, 0, 33, 32};
    memcpy(e->body, psk, sizeof(psk));
    e->len = sizeof(psk) + 32;
    add_ext(&h, 0x7777);
    expect_refusal(&h, PADLOCK_E_ILLEGAL_PARAMETER, PADLOCK_ALERT_ILLEGAL_PARAMETER,
                   "pre_shared_key is not the last");
    /* Missing signature_algorithms and no PSK (§9.2). */
    default_hello(&h);
    drop_ext(&h, PL_EXT_SIGNATURE_ALGORITHMS);
    expect_refusal(&h, PADLOCK_E_MISSING_EXTENSION, PADLOCK_ALERT_MISSING_EXTENSION,
                   "signature_algorithms");
    /* key_share without supported_groups (§9.2). */
    default_hello(&h);
    drop_ext(&h, PL_EXT_SUPPORTED_GROUPS);
    expect_refusal(&h, PADLOCK_E_MISSING_EXTENSION, PADLOCK_ALERT_MISSING_EXTENSION,
                   "lacks supported_groups");
    /* Neither: no (EC)DHE at all, which this server always does. */
    drop_ext(&h, PL_EXT_KEY_SHARE);
    expect_refusal(&h, PADLOCK_E_MISSING_EXTENSION, PADLOCK_ALERT_MISSING_EXTENSION,
                   "lacks supported_groups");
    /* A cookie nobody asked for (§4.2.2). */
    default_hello(&h);
    e = add_ext(&h, PL_EXT_COOKIE);
    static const uint8_t cookie[] = {0, 2, 1, 2};
    memcpy(e->body, cookie, sizeof(cookie));
    e->len = sizeof(cookie);
    expect_refusal(&h, PADLOCK_E_ILLEGAL_PARAMETER, PADLOCK_ALERT_ILLEGAL_PARAMETER, "cookie");
    /* An IP address as server_name (RFC 6066 §3). */
    default_hello(&h);
    e = find_ext(&h, PL_EXT_SERVER_NAME);
    memcpy(e->body + 5, "127.0.0.1", 9);
    put16(e->body, 12);
    put16(e->body + 3, 9);
    e->len = 14;
    expect_refusal(&h, PADLOCK_E_ILLEGAL_PARAMETER, PADLOCK_ALERT_ILLEGAL_PARAMETER,
                   "not a DNS hostname");
    /* Unknown extensions and GREASE values are ignored (§4.1.2, RFC 8701). */
    default_hello(&h);
    add_ext(&h, 0x0a0a);
    e = add_ext(&h, 0xfe0d);
    e->len = 3;
    uint8_t out[8192];
    size_t n;
    conn = send_hello(&h, out, sizeof(out), &n);
    assert_int_equal(padlock_conn_error(conn), PADLOCK_OK);
    assert_int_equal(out[5], PL_HS_SERVER_HELLO);
    padlock_conn_free(conn);
    still_serving();
}

/* The default hello cut after every byte of its body (the header saying so): decode_error,
 * except at the one offset where the cut leaves a complete hello without extensions, a TLS 1.2
 * hello without the extended master secret (handshake_failure). */
static void test_truncated_at_every_offset(void **state) {
    (void)state;
    hello h;
    default_hello(&h);
    uint8_t full[2048];
    size_t len = encode(&h, full, sizeof(full));
    size_t body = len - 4;
    size_t no_exts = 2 + 32 + 1 + 32 + 2 + h.suites_len + 1 + h.compression_len;
    for (size_t cut = 0; cut < body; cut++) {
        uint8_t msg[2048];
        memcpy(msg, full, 4 + cut);
        msg[1] = 0;
        put16(msg + 2, (uint16_t)cut);
        padlock_conn *conn;
        PL_ASSERT_OK(padlock_conn_new(server_cfg, &conn));
        feed_record(conn, PL_CONTENT_HANDSHAKE, msg, 4 + cut);
        uint8_t out[64];
        size_t n = drain(conn, out, sizeof(out));
        padlock_err want = cut == no_exts ? PADLOCK_E_HANDSHAKE_FAILURE : PADLOCK_E_DECODE;
        if (padlock_conn_error(conn) != want) {
            fail_msg("cut at %zu of %zu: %s (%s)", cut, body,
                     padlock_strerror(padlock_conn_error(conn)), padlock_conn_error_message(conn));
        }
        assert_int_equal(n, 7);
        assert_int_equal(out[6], cut == no_exts ? PADLOCK_ALERT_HANDSHAKE_FAILURE
                                                : PADLOCK_ALERT_DECODE_ERROR);
        padlock_conn_free(conn);
        if (cut % 64 == 0) {
            still_serving();
        }
    }
    /* The record itself cut short, then the end of the stream: truncated, no alert to send. */
    for (size_t cut = 1; cut < len + 5; cut += 37) {
        uint8_t rec[2048 + 5];
        rec[0] = PL_CONTENT_HANDSHAKE;
        put16(rec + 1, 0x0301);
        put16(rec + 3, (uint16_t)len);
        memcpy(rec + 5, full, len);
        padlock_conn *conn;
        PL_ASSERT_OK(padlock_conn_new(server_cfg, &conn));
        size_t used;
        PL_ASSERT_OK(padlock_conn_input(conn, rec, cut, &used));
        assert_int_equal(used, cut);
        assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_WANT_READ);
        PL_ASSERT_ERR(padlock_conn_input(conn, NULL, 0, &used), PADLOCK_E_TRUNCATED);
        uint8_t out[64];
        assert_int_equal(drain(conn, out, sizeof(out)), 0);
        padlock_conn_free(conn);
    }
    still_serving();
}

/* Messages a server never expects first, and records that may not come first. */
static void test_unexpected_first_records(void **state) {
    (void)state;
    static const uint8_t finished[4 + 32] = {PL_HS_FINISHED, 0, 0, 32};
    padlock_conn *conn;
    uint8_t out[64];
    PL_ASSERT_OK(padlock_conn_new(server_cfg, &conn));
    feed_record(conn, PL_CONTENT_HANDSHAKE, finished, sizeof(finished));
    assert_int_equal(padlock_conn_error(conn), PADLOCK_E_UNEXPECTED_MESSAGE);
    assert_non_null(strstr(padlock_conn_error_message(conn), "expecting ClientHello"));
    assert_int_equal(drain(conn, out, sizeof(out)), 7);
    padlock_conn_free(conn);
    /* A change_cipher_spec before any ClientHello (RFC 8446 §5). */
    static const uint8_t one = 1;
    PL_ASSERT_OK(padlock_conn_new(server_cfg, &conn));
    feed_record(conn, PL_CONTENT_CHANGE_CIPHER_SPEC, &one, 1);
    assert_int_equal(padlock_conn_error(conn), PADLOCK_E_UNEXPECTED_MESSAGE);
    assert_int_equal(drain(conn, out, sizeof(out)), 7);
    assert_int_equal(out[6], PADLOCK_ALERT_UNEXPECTED_MESSAGE);
    padlock_conn_free(conn);
    /* Application data before the handshake, without early_data. */
    static const uint8_t junk[40] = {1, 2, 3};
    PL_ASSERT_OK(padlock_conn_new(server_cfg, &conn));
    feed_record(conn, PL_CONTENT_APPLICATION_DATA, junk, sizeof(junk));
    assert_int_equal(padlock_conn_error(conn), PADLOCK_E_UNEXPECTED_MESSAGE);
    padlock_conn_free(conn);
    still_serving();
}

/* ---- HelloRetryRequest ---------------------------------------------------------------------- */

/* A configuration that takes P-256 only, so the default hello's X25519 share is retried. */
static padlock_config *p256_only(void) {
    padlock_config *cfg = pl_pair_server_config("p256");
    const uint16_t p256[1] = {PADLOCK_GROUP_SECP256R1};
    PL_ASSERT_OK(padlock_config_set_groups(cfg, p256, 1));
    return cfg;
}

/* Sends h1 to a new connection of cfg, which must answer with a HelloRetryRequest for P-256
 * (and the compatibility change_cipher_spec); the cookie goes to cookie (16 bytes). */
static padlock_conn *retry(padlock_config *cfg, const hello *h1, uint8_t cookie[16]) {
    uint8_t msg[4096], out[4096];
    size_t len = encode(h1, msg, sizeof(msg));
    padlock_conn *conn;
    PL_ASSERT_OK(padlock_conn_new(cfg, &conn));
    feed_record(conn, PL_CONTENT_HANDSHAKE, msg, len);
    size_t n = drain(conn, out, sizeof(out));
    assert_int_equal(padlock_conn_error(conn), PADLOCK_OK);
    size_t rec_len = (size_t)out[3] << 8 | out[4];
    assert_int_equal(n, 5 + rec_len + 6); /* the HelloRetryRequest, the change_cipher_spec */
    pl_server_hello hrr;
    pl_errinfo err;
    pl_errinfo_init(&err);
    uint32_t offered = pl_ext_bit(PL_EXT_SUPPORTED_VERSIONS) | pl_ext_bit(PL_EXT_KEY_SHARE);
    PL_ASSERT_OK(pl_server_hello_parse(&hrr, out + 9, rec_len - 4, offered, &err));
    assert_int_equal(hrr.kind, PL_EXT_IN_HRR);
    assert_int_equal(hrr.exts.key_share_group, PADLOCK_GROUP_SECP256R1);
    assert_int_equal(hrr.exts.selected_version, 0x0304);
    assert_int_equal(hrr.cipher_suite, 0x1301);
    assert_int_equal(pl_cur_left(&hrr.exts.cookie), 16);
    memcpy(cookie, hrr.exts.cookie.p, 16);
    assert_int_equal(out[5 + rec_len], PL_CONTENT_CHANGE_CIPHER_SPEC);
    pl_errinfo_cleanup(&err);
    return conn;
}

/* The second hello the retry asks for: a P-256 share and the cookie. */
static void second_hello(const hello *h1, const uint8_t cookie[16], hello *h2) {
    *h2 = *h1;
    static const uint16_t p256[] = {PADLOCK_GROUP_SECP256R1};
    static const size_t p256_len[] = {65};
    ext *share = find_ext(h2, PL_EXT_KEY_SHARE);
    set_shares(share, p256, p256_len, 1);
    /* A valid uncompressed point: the generator of P-256. */
    static const char gx[] = "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";
    static const char gy[] = "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";
    share->body[6] = 4;
    for (size_t i = 0; i < 32; i++) {
        unsigned x, y;
        sscanf(gx + 2 * i, "%2x", &x);
        sscanf(gy + 2 * i, "%2x", &y);
        share->body[7 + i] = (uint8_t)x;
        share->body[39 + i] = (uint8_t)y;
    }
    ext *c = add_ext(h2, PL_EXT_COOKIE);
    put16(c->body, 16);
    memcpy(c->body + 2, cookie, 16);
    c->len = 18;
}

/* Sends h2 on conn after the retry: PADLOCK_OK and a ServerHello, or the refusal. */
static void expect_second(padlock_conn *conn, const hello *h2, padlock_err code,
                          const char *needle) {
    uint8_t msg[4096], out[8192];
    size_t len = encode(h2, msg, sizeof(msg));
    feed_record(conn, PL_CONTENT_HANDSHAKE, msg, len);
    size_t n = drain(conn, out, sizeof(out));
    if (padlock_conn_error(conn) != code) {
        fail_msg("second ClientHello: expected %s, got %s (%s)", padlock_strerror(code),
                 padlock_strerror(padlock_conn_error(conn)), padlock_conn_error_message(conn));
    }
    if (code == PADLOCK_OK) {
        assert_int_equal(out[5], PL_HS_SERVER_HELLO);
        /* No second change_cipher_spec: the first went after the HelloRetryRequest. */
        size_t sh_len = 5 + ((size_t)out[3] << 8 | out[4]);
        assert_int_equal(out[sh_len], PL_CONTENT_APPLICATION_DATA);
        return;
    }
    assert_non_null(strstr(padlock_conn_error_message(conn), needle));
    assert_int_equal(n, 7);
    assert_int_equal(out[6], PADLOCK_ALERT_ILLEGAL_PARAMETER);
}

static void test_second_client_hello(void **state) {
    (void)state;
    padlock_config *cfg = p256_only();
    hello h1, h2;
    default_hello(&h1);
    uint8_t cookie[16];
    /* The hello the retry asked for, with padding added (RFC 8446 §4.1.2 allows it). */
    padlock_conn *conn = retry(cfg, &h1, cookie);
    second_hello(&h1, cookie, &h2);
    add_ext(&h2, 21)->len = 7;
    expect_second(conn, &h2, PADLOCK_OK, NULL);
    padlock_conn_free(conn);
    /* Each change the retry did not allow, and each thing it asked for left undone. */
    for (int variant = 0; variant < 8; variant++) {
        conn = retry(cfg, &h1, cookie);
        second_hello(&h1, cookie, &h2);
        const char *needle = NULL;
        switch (variant) {
        case 0:
            h2.random[7] ^= 1;
            needle = "random";
            break;
        case 1:
            h2.suites_len = 2;
            needle = "cipher_suites";
            break;
        case 2: {
            static const uint16_t sigs[] = {0x0403};
            set_u16_list(find_ext(&h2, PL_EXT_SIGNATURE_ALGORITHMS), 2, sigs, 1);
            needle = "extensions other than";
            break;
        }
        case 3:
            drop_ext(&h2, PL_EXT_COOKIE);
            needle = "cookie";
            break;
        case 4:
            find_ext(&h2, PL_EXT_COOKIE)->body[5] ^= 0x80;
            needle = "cookie";
            break;
        case 5: {
            static const uint16_t x25519[] = {PADLOCK_GROUP_X25519};
            static const size_t len32[] = {32};
            set_shares(find_ext(&h2, PL_EXT_KEY_SHARE), x25519, len32, 1);
            needle = "secp256r1";
            break;
        }
        case 6: {
            static const uint16_t both[] = {PADLOCK_GROUP_SECP256R1, PADLOCK_GROUP_X25519};
            static const size_t lens[] = {65, 32};
            set_shares(find_ext(&h2, PL_EXT_KEY_SHARE), both, lens, 2);
            needle = "exactly one share";
            break;
        }
        default:
            add_ext(&h2, PL_EXT_EARLY_DATA);
            needle = "early_data";
            break;
        }
        expect_second(conn, &h2, PADLOCK_E_ILLEGAL_PARAMETER, needle);
        padlock_conn_free(conn);
    }
    padlock_config_free(cfg);
}

/* ---- Early data ----------------------------------------------------------------------------- */

/* The default ClientHello of padlock's client plus early_data, as a client resuming another
 * server's ticket would send it. */
static const uint16_t early_order[] = {
    PL_EXT_SERVER_NAME, PL_EXT_SUPPORTED_GROUPS,   PL_EXT_SIGNATURE_ALGORITHMS,
    PL_EXT_KEY_SHARE,   PL_EXT_SUPPORTED_VERSIONS, PL_EXT_PSK_KEY_EXCHANGE_MODES,
    PL_EXT_EARLY_DATA,
};
static const uint16_t early_groups[] = {PADLOCK_GROUP_X25519, PADLOCK_GROUP_SECP256R1};
static const uint16_t early_sigs[] = {0x0403, 0x0804, 0x0807};
static const pl_client_profile early_profile = {
    .ext_order = early_order,
    .num_ext = sizeof(early_order) / sizeof(early_order[0]),
    .groups = early_groups,
    .num_groups = 2,
    .sig_algs = early_sigs,
    .num_sig_algs = 3,
    .session_id_len = 32,
};

/* count records of size bytes of made-up 0-RTT data. */
static void queue_early_data(pl_pair *p, size_t count, size_t size, uint8_t outer_type) {
    for (size_t i = 0; i < count; i++) {
        uint8_t *q = p->to_server + p->to_server_len;
        q[0] = outer_type;
        put16(q + 1, 0x0303);
        put16(q + 3, (uint16_t)size);
        memset(q + 5, (int)(0x80 + i), size);
        p->to_server_len += 5 + size;
    }
}

/* Runs a pair whose client offers early_data; after the client's first flight, count records of
 * early data follow. Returns the pair, pumped to the end. */
static void early_pair(pl_pair *p, padlock_config *scfg, size_t count, size_t size) {
    padlock_config *ccfg = pl_pair_client_config();
    PL_ASSERT_OK(pl_config_set_client_profile(ccfg, &early_profile));
    pl_pair_open(p, ccfg, scfg, NULL);
    padlock_config_free(ccfg); /* the connection keeps its reference */
    const uint8_t *out;
    size_t n;
    PL_ASSERT_OK(padlock_conn_output(p->client, &out, &n));
    memcpy(p->to_server, out, n); /* ClientHello, then the compatibility change_cipher_spec */
    p->to_server_len = n;
    PL_ASSERT_OK(padlock_conn_output_done(p->client, n));
    queue_early_data(p, count, size, PL_CONTENT_APPLICATION_DATA);
    pl_pair_pump(p);
}

static void test_early_data_skipped(void **state) {
    (void)state;
    pl_pair p;
    /* Three records of 0-RTT data fail to open with the handshake keys and are dropped; the
     * client's real flight then opens, and nothing accepted the early data. */
    early_pair(&p, server_cfg, 3, 1000);
    assert_true(padlock_conn_handshake_done(p.client));
    assert_true(padlock_conn_handshake_done(p.server));
    assert_int_equal(p.server->tls.rio.early_skip, 0);
    pl_pair_transfer(&p, p.client, (const uint8_t *)"1-RTT data", 10);
    pl_pair_close(&p);
    /* More than the bound: the record past it is a bad_record_mac. */
    early_pair(&p, server_cfg, 3, 16000);
    assert_int_equal(padlock_conn_error(p.server), PADLOCK_E_BAD_RECORD_MAC);
    pl_pair_close(&p);
    /* After a HelloRetryRequest, the early data arrives before the second ClientHello and is
     * skipped unopened (RFC 8446 §4.2.10). */
    padlock_config *cfg = p256_only();
    hello h1, h2;
    default_hello(&h1);
    add_ext(&h1, PL_EXT_EARLY_DATA);
    uint8_t cookie[16];
    padlock_conn *conn = retry(cfg, &h1, cookie);
    static const uint8_t early[300] = {0x17};
    for (int i = 0; i < 3; i++) {
        feed_record(conn, PL_CONTENT_APPLICATION_DATA, early, sizeof(early));
    }
    assert_int_equal(padlock_conn_error(conn), PADLOCK_OK);
    second_hello(&h1, cookie, &h2);
    drop_ext(&h2, PL_EXT_EARLY_DATA);
    expect_second(conn, &h2, PADLOCK_OK, NULL);
    padlock_conn_free(conn);
    /* Without early_data in the hello, such a record is unexpected. */
    drop_ext(&h1, PL_EXT_EARLY_DATA);
    conn = retry(cfg, &h1, cookie);
    feed_record(conn, PL_CONTENT_APPLICATION_DATA, early, sizeof(early));
    assert_int_equal(padlock_conn_error(conn), PADLOCK_E_UNEXPECTED_MESSAGE);
    padlock_conn_free(conn);
    padlock_config_free(cfg);
    still_serving();
}

#define T(name) cmocka_unit_test(name)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_crafted_hello_accepted),    T(test_old_versions), T(test_sslv2_compatible_hello),
        T(test_nothing_in_common),         T(test_malformed_extensions),
        T(test_truncated_at_every_offset), T(test_unexpected_first_records),
        T(test_second_client_hello),       T(test_early_data_skipped),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
