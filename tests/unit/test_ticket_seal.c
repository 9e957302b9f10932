/* The session state format of src/hs/ticket_seal.c, for both versions: a TLS 1.3 state and a
 * TLS 1.2 state (with its extended master secret flag) read back as written, sealed and
 * opened; every truncation and an unknown format are PADLOCK_E_DECODE; the format byte keeps
 * the versions apart. */
#include <string.h>

#include "hs/ticket_seal.h"
#include "testlib.h"

static pl_ticket_state make_state(uint16_t version, const uint8_t *secret, size_t secret_len) {
    pl_ticket_state st;
    memset(&st, 0, sizeof(st));
    st.version = version;
    st.suite = version == PL_TLS12_VERSION ? 0xc02f : PL_SUITE_TLS_AES_128_GCM_SHA256;
    st.issued_at = 1700000000;
    st.lifetime = 3600;
    st.age_add = version == PL_TLS12_VERSION ? 0 : 0x01020304;
    st.ems = version == PL_TLS12_VERSION;
    pl_cur_init(&st.psk, secret, secret_len);
    pl_cur_init(&st.server_name, (const uint8_t *)"example.com", 11);
    return st;
}

/* Writes st, reads it back and checks every field. */
static void round_trip(const pl_ticket_state *st) {
    uint8_t buf[512];
    pl_buf b;
    pl_buf_init(&b, buf, sizeof(buf));
    PL_ASSERT_OK(pl_ticket_state_write(&b, st, NULL));
    assert_int_equal(b.len, pl_ticket_state_len(st, NULL));
    pl_cur c;
    pl_ticket_state got;
    pl_cur_init(&c, buf, b.len);
    PL_ASSERT_OK(pl_ticket_state_read(&c, &got));
    assert_int_equal(got.version, st->version);
    assert_int_equal(got.suite, st->suite);
    assert_true(got.issued_at == st->issued_at);
    assert_int_equal(got.lifetime, st->lifetime);
    assert_int_equal(got.age_add, st->age_add);
    assert_int_equal(got.ems, st->ems);
    assert_int_equal(pl_cur_left(&got.psk), pl_cur_left(&st->psk));
    assert_memory_equal(got.psk.p, st->psk.p, pl_cur_left(&st->psk));
    assert_int_equal(pl_cur_left(&got.server_name), 11);
    assert_memory_equal(got.server_name.p, "example.com", 11);
    /* Every truncation fails to read. */
    for (size_t n = 0; n < b.len; n++) {
        pl_cur_init(&c, buf, n);
        PL_ASSERT_ERR(pl_ticket_state_read(&c, &got), PADLOCK_E_DECODE);
    }
}

static void test_round_trip_both_versions(void **state) {
    (void)state;
    uint8_t psk[32], master[48];
    memset(psk, 0x11, sizeof(psk));
    memset(master, 0x22, sizeof(master));
    pl_ticket_state st13 = make_state(PL_TLS13_VERSION, psk, sizeof(psk));
    pl_ticket_state st12 = make_state(PL_TLS12_VERSION, master, sizeof(master));
    round_trip(&st13);
    round_trip(&st12);
    /* A TLS 1.2 session without the extended master secret says so. */
    st12.ems = 0;
    round_trip(&st12);
    /* The TLS 1.2 state is one byte (its flags) longer than a TLS 1.3 one of the same secret. */
    pl_ticket_state st13_48 = make_state(PL_TLS13_VERSION, master, sizeof(master));
    assert_int_equal(pl_ticket_state_len(&st12, NULL), pl_ticket_state_len(&st13_48, NULL) + 1);
}

static void test_formats_refused(void **state) {
    (void)state;
    uint8_t master[48], buf[512];
    memset(master, 0x22, sizeof(master));
    pl_ticket_state st = make_state(PL_TLS12_VERSION, master, sizeof(master));
    /* Neither version: nothing written. */
    st.version = 0x0302;
    pl_buf b;
    pl_buf_init(&b, buf, sizeof(buf));
    PL_ASSERT_ERR(pl_ticket_state_write(&b, &st, NULL), PADLOCK_E_INVALID_ARGUMENT);
    st.version = PL_TLS12_VERSION;
    pl_buf_init(&b, buf, sizeof(buf));
    PL_ASSERT_OK(pl_ticket_state_write(&b, &st, NULL));
    pl_cur c;
    pl_ticket_state got;
    /* Format bytes other than 1 (TLS 1.3) and 2 (TLS 1.2). */
    const uint8_t formats[] = {0, 3, 0xff};
    for (size_t i = 0; i < sizeof(formats); i++) {
        buf[0] = formats[i];
        pl_cur_init(&c, buf, b.len);
        PL_ASSERT_ERR(pl_ticket_state_read(&c, &got), PADLOCK_E_DECODE);
    }
    /* A TLS 1.2 state relabelled as TLS 1.3 is misread (the flags byte becomes the PSK length)
     * and refused, not taken for a TLS 1.3 session. */
    buf[0] = 1;
    pl_cur_init(&c, buf, b.len);
    PL_ASSERT_ERR(pl_ticket_state_read(&c, &got), PADLOCK_E_DECODE);
    /* A trailing byte. */
    buf[0] = 2;
    pl_cur_init(&c, buf, b.len + 1);
    PL_ASSERT_ERR(pl_ticket_state_read(&c, &got), PADLOCK_E_DECODE);
}

static void test_seal_open_tls12(void **state) {
    (void)state;
    padlock_ticket_keys *keys = NULL;
    PL_ASSERT_OK(pl_ticket_keys_new(NULL, &keys));
    uint8_t master[48];
    memset(master, 0x5a, sizeof(master));
    pl_ticket_state st = make_state(PL_TLS12_VERSION, master, sizeof(master));
    uint8_t ticket[512], opened[512];
    size_t len = 0;
    const uint8_t nonce[PL_AEAD_NONCE_LEN] = {7, 7};
    PL_ASSERT_OK(pl_ticket_seal(keys, NULL, nonce, 1700000000, 86400, &st, NULL, ticket,
                                sizeof(ticket), &len));
    assert_int_equal(len, pl_ticket_sealed_len(&st, NULL));
    /* The master secret does not appear in the ticket. */
    for (size_t i = 0; i + sizeof(master) <= len; i++) {
        assert_true(memcmp(ticket + i, master, sizeof(master)) != 0);
    }
    pl_ticket_state got;
    PL_ASSERT_OK(pl_ticket_open(keys, ticket, len, opened, sizeof(opened), &got));
    assert_int_equal(got.version, PL_TLS12_VERSION);
    assert_int_equal(got.ems, 1);
    assert_memory_equal(got.psk.p, master, sizeof(master));
    /* Too small a buffer to seal into. */
    PL_ASSERT_ERR(pl_ticket_seal(keys, NULL, nonce, 1700000000, 86400, &st, NULL, ticket, len - 1,
                                 &len),
                  PADLOCK_E_BUFFER_TOO_SMALL);
    padlock_ticket_keys_free(keys);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_both_versions),
        cmocka_unit_test(test_formats_refused),
        cmocka_unit_test(test_seal_open_tls12),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
