/* Regressions for the faults in padlock's parsers that the fuzz targets (fuzz/) found or reach,
 * each reduced to the field at fault: the input is refused with a clear error, and nothing
 * after it overflows or crashes (the sanitizer build runs these too). */
#include <string.h>

#include "hs/session12.h"
#include "hs/ticket_seal.h"
#include "padlock/padlock.h"
#include "testlib.h"

/* A TLS 1.2 session, exported: magic, then the SessionState (ticket_seal.c) behind a two-byte
 * length, so its issued_at is 4 + 2 + 1 + 2 bytes in. */
#define SESSION12_ISSUED_AT 9

static size_t session12_bytes(uint8_t *out, size_t cap) {
    pl_ks12_master master = {.hash = &pl_hash_sha256};
    memset(master.b, 0x5a, sizeof(master.b));
    static const uint8_t sid[32] = {1, 2, 3};
    pl_session12 *s;
    PL_ASSERT_OK(pl_session12_new(&master, PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                  1767225600, 86400, sid, sizeof(sid), NULL, 0, "localhost", &s));
    size_t len;
    PL_ASSERT_OK(pl_session12_export(s, out, cap, &len));
    pl_session12_free(s);
    /* 1767225600 = 0x69559a00, big-endian in the last four bytes of issued_at. */
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session12_issued_at_beyond_int64),
        cmocka_unit_test(test_state_issued_at_beyond_int64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
