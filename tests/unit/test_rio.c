/* The record stream (src/record/rio.c) and the buffer pool (src/util/pool.c): records received
 * byte by byte or several at once, buffers sized to the record and given back, handshake
 * messages coalesced and split at the size limit, the compatibility change_cipher_spec placed
 * where RFC 8446 D.4 wants it, application data backpressure, partial sends, and key changes
 * that seal what is open first and refuse a record with bytes after the last message. */
#include <string.h>

#include "record/rio.h"
#include "testlib.h"
#include "util/mem.h"

static void test_pool(void **state) {
    (void)state;
    pl_pool pool;
    pl_pool_init(&pool, 1000);
    uint8_t *a, *b, *c;
    size_t ca, cb, cc;
    PL_ASSERT_OK(pl_pool_get(&pool, 100, &a, &ca));
    PL_ASSERT_OK(pl_pool_get(&pool, 300, &b, &cb));
    assert_int_equal(ca, 100);
    assert_int_equal(cb, 300);
    memset(a, 0xaa, 100);
    pl_pool_put(&pool, a, ca, 10);
    pl_pool_put(&pool, b, cb, 0);
    /* The smallest buffer that fits; its used bytes were wiped. */
    PL_ASSERT_OK(pl_pool_get(&pool, 50, &c, &cc));
    assert_ptr_equal(c, a);
    assert_int_equal(cc, 100);
    assert_int_equal(c[0], 0);
    assert_int_equal(c[9], 0);
    assert_int_equal(c[10], 0xaa);
    /* Beyond max_bytes the smallest buffers go: 300 + 800 > 1000 evicts the 300. */
    uint8_t *d;
    size_t cd;
    PL_ASSERT_OK(pl_pool_get(&pool, 800, &d, &cd));
    pl_pool_put(&pool, d, cd, 0);
    assert_int_equal(pool.num, 1);
    assert_int_equal(pool.cached_bytes, 800);
    pl_pool_put(&pool, c, cc, 0); /* fits beside the 800 */
    assert_int_equal(pool.num, 2);
    PL_ASSERT_ERR(pl_pool_get(&pool, 0, &d, &cd), PADLOCK_E_INVALID_ARGUMENT);
    pl_pool_cleanup(&pool);
    /* A pool that keeps nothing frees on put. */
    padlock_mem_stats before, after;
    pl_pool_init(&pool, 0);
    padlock_mem_get_stats(&before);
    PL_ASSERT_OK(pl_pool_get(&pool, 64, &d, &cd));
    pl_pool_put(&pool, d, cd, 64);
    padlock_mem_get_stats(&after);
    assert_int_equal(after.bytes_in_use, before.bytes_in_use);
    pl_pool_cleanup(&pool);
}

typedef struct fixture {
    pl_pool pool;
    pl_rio rio;
} fixture;

static int setup(void **state) {
    static fixture f;
    pl_pool_init(&f.pool, 64 * 1024);
    pl_rio_init(&f.rio, &f.pool, 1 << 16);
    *state = &f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    pl_rio_cleanup(&f->rio);
    pl_pool_cleanup(&f->pool);
    return 0;
}

static void test_receive_byte_by_byte(void **state) {
    fixture *f = *state;
    static const uint8_t rec[] = {22, 3, 3, 0, 4, 1, 2, 3, 4, 21};
    assert_int_equal(pl_rio_wanted(&f->rio), 5);
    pl_record *out = NULL;
    for (size_t i = 0; i < 9; i++) {
        size_t used;
        PL_ASSERT_OK(pl_rio_receive(&f->rio, rec + i, 1, NULL, 0, &used, &out));
        assert_int_equal(used, 1);
        if (i < 8) {
            assert_null(out);
            assert_int_equal(pl_rio_wanted(&f->rio), i < 4 ? 4 - i : 8 - i);
            assert_true(pl_rio_partial(&f->rio));
        }
    }
    assert_non_null(out);
    assert_int_equal(out->type, 22);
    assert_int_equal(out->len, 4);
    assert_memory_equal(out->data, rec + 5, 4);
    assert_int_equal(f->rio.rx_cap, 4); /* sized to the record */
    assert_int_equal(pl_rio_wanted(&f->rio), 0);
    size_t used;
    PL_ASSERT_ERR(pl_rio_receive(&f->rio, rec + 9, 1, NULL, 0, &used, &out), PADLOCK_E_STATE);
    pl_rio_release(&f->rio);
    assert_null(f->rio.rx_buf);
    assert_int_equal(f->pool.num, 1); /* the buffer went back */
}

static void test_receive_stops_after_a_record(void **state) {
    fixture *f = *state;
    static const uint8_t two[] = {21, 3, 3, 0, 2, 1, 0, 21, 3, 3, 0, 2, 2, 40};
    size_t used;
    pl_record *out;
    PL_ASSERT_OK(pl_rio_receive(&f->rio, two, sizeof(two), NULL, 0, &used, &out));
    assert_int_equal(used, 7);
    assert_int_equal(out->data[1], 0);
    pl_rio_release(&f->rio);
    PL_ASSERT_OK(pl_rio_receive(&f->rio, two + 7, sizeof(two) - 7, NULL, 0, &used, &out));
    assert_int_equal(used, 7);
    assert_int_equal(out->data[1], 40);
    pl_rio_release(&f->rio);
    /* A bad header fails without consuming a buffer. */
    static const uint8_t bad[] = {99, 3, 3, 0, 1, 0};
    PL_ASSERT_ERR(pl_rio_receive(&f->rio, bad, sizeof(bad), NULL, 0, &used, &out),
                  PADLOCK_E_UNEXPECTED_MESSAGE);
    assert_null(f->rio.rx_buf);
}

/* Splits the send buffer into records: types and payload lengths. */
static size_t records(const pl_rio *r, uint8_t *types, size_t *lens, size_t cap) {
    const uint8_t *p;
    size_t len;
    pl_rio_output(r, &p, &len);
    size_t n = 0;
    while (len >= 5 && n < cap) {
        size_t l = (size_t)p[3] << 8 | p[4];
        types[n] = p[0];
        lens[n++] = l;
        p += 5 + l;
        len -= 5 + l;
    }
    assert_int_equal(len, 0);
    return n;
}

static void test_handshake_coalesced_and_split(void **state) {
    fixture *f = *state;
    uint8_t msg[300];
    memset(msg, 7, sizeof(msg));
    PL_ASSERT_OK(pl_rio_send_handshake(&f->rio, msg, 10));
    PL_ASSERT_OK(pl_rio_send_handshake(&f->rio, msg, 20));
    assert_true(pl_rio_pending(&f->rio));
    PL_ASSERT_OK(pl_rio_flush(&f->rio));
    uint8_t types[8];
    size_t lens[8];
    assert_int_equal(records(&f->rio, types, lens, 8), 1);
    assert_int_equal(lens[0], 30); /* both messages in one record */
    const uint8_t *p;
    size_t len;
    pl_rio_output(&f->rio, &p, &len);
    PL_ASSERT_OK(pl_rio_output_done(&f->rio, 5));
    PL_ASSERT_ERR(pl_rio_output_done(&f->rio, len), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_OK(pl_rio_output_done(&f->rio, len - 5));
    assert_false(pl_rio_pending(&f->rio));
    assert_null(f->rio.tx_buf); /* given back once everything was sent */

    /* With protection and a 64-byte limit, a 300-byte message spans five records. */
    pl_record_keys keys;
    memset(&keys, 0, sizeof(keys));
    keys.prot = PL_RECORD_TLS13;
    keys.aead = &pl_aead_aes_128_gcm;
    PL_ASSERT_OK(pl_rio_set_write_keys(&f->rio, &keys));
    PL_ASSERT_OK(pl_record_dir_set_size_limit(&f->rio.tx, 64));
    PL_ASSERT_OK(pl_rio_send_handshake(&f->rio, msg, sizeof(msg)));
    PL_ASSERT_OK(pl_rio_flush(&f->rio));
    size_t n = records(&f->rio, types, lens, 8);
    assert_int_equal(n, 5); /* 63 * 4 + 48 */
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(types[i], PL_CONTENT_APPLICATION_DATA);
        assert_int_equal(lens[i], (i < 4 ? 63 : 48) + 1 + 16);
    }
}

static void test_compatibility_ccs(void **state) {
    fixture *f = *state;
    uint8_t msg[8] = {1, 0, 0, 4};
    PL_ASSERT_OK(pl_rio_send_handshake(&f->rio, msg, sizeof(msg)));
    pl_rio_want_ccs(&f->rio);
    /* An unprotected alert goes without it... */
    PL_ASSERT_OK(pl_rio_send_alert(&f->rio, PL_ALERT_FATAL, 40));
    uint8_t types[8];
    size_t lens[8];
    assert_int_equal(records(&f->rio, types, lens, 8), 2);
    assert_int_equal(types[1], PL_CONTENT_ALERT);
    /* ...a handshake record (a second ClientHello) gets it, once. */
    PL_ASSERT_OK(pl_rio_send_handshake(&f->rio, msg, sizeof(msg)));
    PL_ASSERT_OK(pl_rio_send_handshake(&f->rio, msg, sizeof(msg)));
    PL_ASSERT_OK(pl_rio_flush(&f->rio));
    assert_int_equal(records(&f->rio, types, lens, 8), 4);
    assert_int_equal(types[2], PL_CONTENT_CHANGE_CIPHER_SPEC);
    assert_int_equal(lens[2], 1);
    assert_int_equal(types[3], PL_CONTENT_HANDSHAKE);
    assert_int_equal(f->rio.ccs_pending, 0);
}

static void test_ccs_before_first_protected_record(void **state) {
    fixture *f = *state;
    pl_rio_want_ccs(&f->rio);
    pl_record_keys keys;
    memset(&keys, 0, sizeof(keys));
    keys.prot = PL_RECORD_TLS13;
    keys.aead = &pl_aead_chacha20_poly1305;
    PL_ASSERT_OK(pl_rio_set_write_keys(&f->rio, &keys));
    PL_ASSERT_OK(pl_rio_send_alert(&f->rio, PL_ALERT_FATAL, 42));
    uint8_t types[4];
    size_t lens[4];
    assert_int_equal(records(&f->rio, types, lens, 4), 2);
    assert_int_equal(types[0], PL_CONTENT_CHANGE_CIPHER_SPEC);
    assert_int_equal(types[1], PL_CONTENT_APPLICATION_DATA);
    assert_int_equal(lens[1], 2 + 1 + 16);
}

/* A key change seals the open record under the old protection first. */
static void test_write_key_change_seals_first(void **state) {
    fixture *f = *state;
    uint8_t msg[8] = {20, 0, 0, 4};
    PL_ASSERT_OK(pl_rio_send_handshake(&f->rio, msg, sizeof(msg)));
    pl_record_keys keys;
    memset(&keys, 0, sizeof(keys));
    keys.prot = PL_RECORD_TLS13;
    keys.aead = &pl_aead_aes_256_gcm;
    PL_ASSERT_OK(pl_rio_set_write_keys(&f->rio, &keys));
    PL_ASSERT_OK(pl_rio_send_handshake(&f->rio, msg, sizeof(msg)));
    PL_ASSERT_OK(pl_rio_flush(&f->rio));
    uint8_t types[4];
    size_t lens[4];
    assert_int_equal(records(&f->rio, types, lens, 4), 2);
    assert_int_equal(types[0], PL_CONTENT_HANDSHAKE);
    assert_int_equal(lens[0], 8);
    assert_int_equal(types[1], PL_CONTENT_APPLICATION_DATA);
}

/* RFC 8446 §5.1: the read keys may not change while the current record has bytes left. */
static void test_read_key_change_at_record_boundary(void **state) {
    fixture *f = *state;
    static const uint8_t rec[] = {22, 3, 3, 0, 6, 2, 0, 0, 0, 8, 0};
    size_t used;
    pl_record *out;
    PL_ASSERT_OK(pl_rio_receive(&f->rio, rec, sizeof(rec), NULL, 0, &used, &out));
    PL_ASSERT_OK(pl_frag_feed(&f->rio.frag, out->type, out->data, out->len));
    pl_hs_msg m;
    int found;
    PL_ASSERT_OK(pl_frag_next(&f->rio.frag, &m, &found));
    assert_true(found);
    pl_record_keys keys;
    memset(&keys, 0, sizeof(keys));
    keys.prot = PL_RECORD_TLS13;
    keys.aead = &pl_aead_aes_128_gcm;
    memset(keys.key, 9, sizeof(keys.key));
    PL_ASSERT_ERR(pl_rio_set_read_keys(&f->rio, &keys), PADLOCK_E_UNEXPECTED_MESSAGE);
    assert_true(pl_ct_is_zero(keys.key, sizeof(keys.key))); /* wiped anyway */
}

/* Application data: one record per call; nothing taken while sealed bytes wait and the buffer
 * has no room. */
static void test_application_backpressure(void **state) {
    fixture *f = *state;
    pl_record_keys keys;
    memset(&keys, 0, sizeof(keys));
    keys.prot = PL_RECORD_TLS13;
    keys.aead = &pl_aead_aes_128_gcm;
    PL_ASSERT_OK(pl_rio_set_write_keys(&f->rio, &keys));
    static uint8_t data[40000];
    size_t written;
    PL_ASSERT_OK(pl_rio_send_app(&f->rio, data, sizeof(data), &written));
    assert_int_equal(written, 16384);
    PL_ASSERT_OK(pl_rio_send_app(&f->rio, data, sizeof(data), &written));
    assert_int_equal(written, 0);
    PL_ASSERT_OK(pl_rio_send_app(&f->rio, data, 0, &written));
    assert_int_equal(written, 0);
    const uint8_t *p;
    size_t len;
    pl_rio_output(&f->rio, &p, &len);
    assert_int_equal(len, 5 + 16384 + 1 + 16);
    PL_ASSERT_OK(pl_rio_output_done(&f->rio, len));
    PL_ASSERT_OK(pl_rio_send_app(&f->rio, data, 100, &written));
    assert_int_equal(written, 100);
    /* A small record fits beside it in the same buffer. */
    PL_ASSERT_OK(pl_rio_send_app(&f->rio, data, 100, &written));
    assert_int_equal(written, 100);
}

/* A protected record that arrives whole is decrypted from the caller's input (which is left as
 * it was), one that arrives in pieces from the receive buffer: the same plaintext either way,
 * and a tampered record fails either way. */
static void test_receive_protected_whole_and_split(void **state) {
    fixture *f = *state;
    pl_rio tx;
    pl_rio_init(&tx, &f->pool, 1 << 16);
    pl_record_keys keys;
    memset(&keys, 0, sizeof(keys));
    keys.prot = PL_RECORD_TLS13;
    keys.aead = &pl_aead_aes_128_gcm;
    PL_ASSERT_OK(pl_rio_set_write_keys(&tx, &keys));
    memset(&keys, 0, sizeof(keys));
    keys.prot = PL_RECORD_TLS13;
    keys.aead = &pl_aead_aes_128_gcm;
    PL_ASSERT_OK(pl_rio_set_read_keys(&f->rio, &keys));
    static uint8_t data[3000];
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 13u + 1u);
    }
    static uint8_t wire[3 * (5 + sizeof(data) + 17)];
    static uint8_t copy[sizeof(wire)];
    size_t wire_len = 0;
    for (int k = 0; k < 3; k++) {
        size_t written;
        PL_ASSERT_OK(pl_rio_send_app(&tx, data, sizeof(data), &written));
        assert_int_equal(written, sizeof(data));
        const uint8_t *p;
        size_t len;
        pl_rio_output(&tx, &p, &len);
        memcpy(wire + wire_len, p, len);
        wire_len += len;
        PL_ASSERT_OK(pl_rio_output_done(&tx, len));
    }
    size_t rec_len = wire_len / 3;
    memcpy(copy, wire, wire_len);
    size_t used;
    pl_record *out;
    /* Whole. */
    PL_ASSERT_OK(pl_rio_receive(&f->rio, wire, rec_len, NULL, 0, &used, &out));
    assert_int_equal(used, rec_len);
    assert_non_null(out);
    assert_int_equal(out->type, PL_CONTENT_APPLICATION_DATA);
    assert_int_equal(out->len, sizeof(data));
    assert_memory_equal(out->data, data, sizeof(data));
    assert_memory_equal(wire, copy, wire_len);
    pl_rio_release(&f->rio);
    /* In two pieces: the second record's header and part of its body, then the rest. */
    PL_ASSERT_OK(pl_rio_receive(&f->rio, wire + rec_len, 100, NULL, 0, &used, &out));
    assert_int_equal(used, 100);
    assert_null(out);
    PL_ASSERT_OK(
        pl_rio_receive(&f->rio, wire + rec_len + 100, rec_len - 100, NULL, 0, &used, &out));
    assert_non_null(out);
    assert_int_equal(out->len, sizeof(data));
    assert_memory_equal(out->data, data, sizeof(data));
    pl_rio_release(&f->rio);
    /* Whole but tampered with. */
    wire[2 * rec_len + 50] ^= 1;
    PL_ASSERT_ERR(pl_rio_receive(&f->rio, wire + 2 * rec_len, rec_len, NULL, 0, &used, &out),
                  PADLOCK_E_BAD_RECORD_MAC);
    pl_rio_cleanup(&tx);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool),
        T(test_receive_byte_by_byte),
        T(test_receive_stops_after_a_record),
        T(test_handshake_coalesced_and_split),
        T(test_compatibility_ccs),
        T(test_ccs_before_first_protected_record),
        T(test_write_key_change_seals_first),
        T(test_read_key_change_at_record_boundary),
        T(test_application_backpressure),
        T(test_receive_protected_whole_and_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
