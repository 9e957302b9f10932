/* Regressions for the faults in padlock's parsers that the fuzz targets (fuzz/) found or reach,
 * each reduced to the field at fault: the input is refused with a clear error, and nothing
 * after it overflows or crashes (the sanitizer build runs these too). */
#include <stdlib.h>
#include <string.h>

#include "hs/session12.h"
#include "hs/ticket_seal.h"
#include "msg/msg.h"
#include "padlock/padlock.h"
#include "testlib.h"
#include "wire/buf.h"

/* A TLS 1.2 session, exported: magic, then the SessionState (ticket_seal.c) behind a two-byte
 * length, so its issued_at is 4 + 2 + 1 + 2 bytes in. */
#define SESSION12_ISSUED_AT 9

#define SESSION_TIME 1767225600

/* An exported TLS 1.2 session for "localhost" issued at SESSION_TIME, with a session ID and a
 * ticket of ticket_len bytes (0: none). */
static size_t session12_with_ticket(size_t ticket_len, uint8_t *out, size_t cap) {
    pl_ks12_master master = {.hash = &pl_hash_sha256};
    memset(master.b, 0x5a, sizeof(master.b));
    static const uint8_t sid[32] = {1, 2, 3};
    uint8_t *ticket = ticket_len != 0 ? malloc(ticket_len) : NULL;
    assert_true(ticket_len == 0 || ticket != NULL);
    if (ticket != NULL) {
        memset(ticket, 0x33, ticket_len);
    }
    pl_session12 *s;
    PL_ASSERT_OK(pl_session12_new(&master, PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                  SESSION_TIME, 86400, sid, sizeof(sid), ticket, ticket_len,
                                  "localhost", &s));
    free(ticket);
    size_t len;
    PL_ASSERT_OK(pl_session12_export(s, out, cap, &len));
    pl_session12_free(s);
    return len;
}

static size_t session12_bytes(uint8_t *out, size_t cap) {
    size_t len = session12_with_ticket(0, out, cap);
    /* 1767225600 = 0x6955b900, big-endian in the last four bytes of issued_at. */
    assert_int_equal(out[SESSION12_ISSUED_AT + 4], 0x69);
    return len;
}

/* Found while writing fuzz_session, which reaches it: a TLS 1.2 session whose issued_at had the
 * top bit set was imported, read as a negative time, and the ClientHello's age check
 * (now - received_at) overflowed. Such a value
 * is not a clock reading padlock wrote: the session is refused, as a TLS 1.3 one is. */
static void test_session12_issued_at_beyond_int64(void **state) {
    (void)state;
    uint8_t data[256];
    size_t len = session12_bytes(data, sizeof(data));
    padlock_config *cfg;
    padlock_conn *conn;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    PL_ASSERT_OK(padlock_conn_new(cfg, &conn));
    PL_ASSERT_OK(padlock_conn_set_session(conn, data, len));
    data[SESSION12_ISSUED_AT] = 0x80;
    PL_ASSERT_ERR(padlock_conn_set_session(conn, data, len), PADLOCK_E_DECODE);
    data[SESSION12_ISSUED_AT] = 0x7f; /* the largest int64_t still reads (and is not offered) */
    memset(data + SESSION12_ISSUED_AT + 1, 0xff, 7);
    PL_ASSERT_OK(padlock_conn_set_session(conn, data, len));
    PL_ASSERT_OK(padlock_conn_set_server_name(conn, "localhost"));
    const uint8_t *out;
    size_t out_len;
    PL_ASSERT_OK(padlock_conn_output(conn, &out, &out_len));
    assert_true(out_len > 0);
    padlock_conn_free(conn);
    padlock_config_free(cfg);
}

/* The same rule where the server reads its own state back (tickets, the session cache). */
static void test_state_issued_at_beyond_int64(void **state) {
    (void)state;
    uint8_t data[256];
    size_t len = session12_bytes(data, sizeof(data));
    const uint8_t *st_bytes = data + 6; /* the SessionState */
    size_t st_len = len - 6 - 1 - 32 - 2;
    pl_cur c;
    pl_ticket_state st;
    pl_cur_init(&c, st_bytes, st_len);
    PL_ASSERT_OK(pl_ticket_state_read(&c, &st));
    assert_int_equal(st.issued_at, 1767225600);
    data[SESSION12_ISSUED_AT] = 0xff;
    pl_cur_init(&c, st_bytes, st_len);
    PL_ASSERT_ERR(pl_ticket_state_read(&c, &st), PADLOCK_E_DECODE);
}

/* An exported TLS 1.3 session (ticket13.c's format) for "localhost" of TLS_AES_128_GCM_SHA256,
 * received at SESSION_TIME, with a ticket of ticket_len bytes. */
static size_t session13_with_ticket(size_t ticket_len, uint8_t *out, size_t cap) {
    static const uint8_t psk[32] = {7};
    uint8_t *ticket = malloc(ticket_len);
    assert_non_null(ticket);
    memset(ticket, 0x22, ticket_len);
    pl_buf b;
    pl_buf_init(&b, out, cap);
    PL_ASSERT_OK(pl_buf_bytes(&b, "PLs1", 4));
    PL_ASSERT_OK(pl_buf_u16(&b, PADLOCK_TLS_AES_128_GCM_SHA256));
    PL_ASSERT_OK(pl_buf_u64(&b, SESSION_TIME));
    PL_ASSERT_OK(pl_buf_u32(&b, 86400));
    PL_ASSERT_OK(pl_buf_u32(&b, 0x01020304));
    PL_ASSERT_OK(pl_buf_vec8_bytes(&b, psk, sizeof(psk)));
    PL_ASSERT_OK(pl_buf_vec8_bytes(&b, "localhost", 9));
    PL_ASSERT_OK(pl_buf_vec16_bytes(&b, ticket, ticket_len));
    free(ticket);
    return b.len;
}

static int64_t session_time(void *ctx) {
    (void)ctx;
    return SESSION_TIME;
}

/* Whether the ClientHello a client sends after being given the sessions s13 and s12 (each
 * NULL: none) offers each, by pre_shared_key and session_ticket. The hello must go out. */
static void hello_offers(const uint8_t *s13, size_t s13_len, const uint8_t *s12, size_t s12_len,
                         int *out_psk, int *out_ticket) {
    padlock_config *cfg;
    padlock_conn *conn;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(cfg));
    PL_ASSERT_OK(padlock_config_set_time_fn(cfg, session_time, NULL));
    PL_ASSERT_OK(padlock_conn_new(cfg, &conn));
    PL_ASSERT_OK(padlock_conn_set_server_name(conn, "localhost"));
    if (s12 != NULL) {
        PL_ASSERT_OK(padlock_conn_set_session(conn, s12, s12_len));
    }
    if (s13 != NULL) {
        PL_ASSERT_OK(padlock_conn_set_session(conn, s13, s13_len));
    }
    /* The hello's records, reassembled into the handshake message. */
    static uint8_t msg[1 << 17];
    size_t msg_len = 0;
    for (;;) {
        const uint8_t *p;
        size_t n;
        PL_ASSERT_OK(padlock_conn_output(conn, &p, &n));
        if (n == 0) {
            break;
        }
        for (size_t off = 0; off + 5 <= n;) {
            size_t rec = (size_t)p[off + 3] << 8 | p[off + 4];
            assert_int_equal(p[off], PL_CONTENT_HANDSHAKE);
            assert_true(off + 5 + rec <= n && msg_len + rec <= sizeof(msg));
            memcpy(msg + msg_len, p + off + 5, rec);
            msg_len += rec;
            off += 5 + rec;
        }
        PL_ASSERT_OK(padlock_conn_output_done(conn, n));
    }
    assert_int_equal(padlock_conn_error(conn), PADLOCK_OK);
    assert_true(msg_len > 4 && msg[0] == PL_HS_CLIENT_HELLO);
    pl_client_hello ch;
    pl_errinfo err;
    pl_errinfo_init(&err);
    PL_ASSERT_OK(pl_client_hello_parse(&ch, msg + 4, msg_len - 4, &err));
    *out_psk = pl_exts_has(&ch.exts, PL_EXT_PRE_SHARED_KEY);
    *out_ticket = pl_cur_left(&ch.exts.session_ticket) != 0;
    pl_errinfo_cleanup(&err);
    padlock_conn_free(conn);
    padlock_config_free(cfg);
}

/* Found with fuzz_session on a crafted input (the fuzzer's default 4 KiB inputs could not make
 * it; the inputs are now in its corpus as regress-*): a session whose ticket (a server may issue
 * up to 2^16-1 bytes, RFC 8446 §4.6.1, RFC 5077 §3.3) left no room in the ClientHello's
 * extensions block (2^16-1 bytes at most) failed every connection it was given to with "value
 * too long for its length field", before anything was sent. It is not offered: a full
 * handshake. Tickets that fit are still offered, and two sessions share the room. */
static void test_session_ticket_too_long_for_hello(void **state) {
    (void)state;
    static uint8_t s13[PADLOCK_SESSION_MAX], s12[PADLOCK_SESSION_MAX];
    int psk, ticket;
    size_t s13_len = session13_with_ticket(65535, s13, sizeof(s13));
    hello_offers(s13, s13_len, NULL, 0, &psk, &ticket);
    assert_false(psk);
    size_t s12_len = session12_with_ticket(65535, s12, sizeof(s12));
    hello_offers(NULL, 0, s12, s12_len, &psk, &ticket);
    assert_false(ticket);
    /* Fitting on their own: each offered. */
    s13_len = session13_with_ticket(40000, s13, sizeof(s13));
    hello_offers(s13, s13_len, NULL, 0, &psk, &ticket);
    assert_true(psk);
    s12_len = session12_with_ticket(40000, s12, sizeof(s12));
    hello_offers(NULL, 0, s12, s12_len, &psk, &ticket);
    assert_true(ticket);
    /* Not both: the TLS 1.2 session, picked first, keeps its place. */
    hello_offers(s13, s13_len, s12, s12_len, &psk, &ticket);
    assert_true(ticket);
    assert_false(psk);
    /* Both when both fit. */
    s13_len = session13_with_ticket(20000, s13, sizeof(s13));
    hello_offers(s13, s13_len, s12, s12_len, &psk, &ticket);
    assert_true(ticket && psk);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session12_issued_at_beyond_int64),
        cmocka_unit_test(test_state_issued_at_beyond_int64),
        cmocka_unit_test(test_session_ticket_too_long_for_hello),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
