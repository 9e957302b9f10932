/* The record stream receiving into the caller's storage (pl_rio_receive with dst, src/record/
 * rio.c), TLS 1.3 and TLS 1.2: application data decrypted straight into dst whether the record
 * arrives whole or in pieces, the stream's buffer used (and dst untouched) when dst is too
 * small, a TLS 1.3 record of another inner type moved out of dst and handled as usual, forged
 * records wiped from dst, no plaintext left in a pooled buffer, and nothing allocated or taken
 * from the pool per record. */
#include <string.h>

#include "allocs.h"
#include "record/rio.h"
#include "testlib.h"
#include "util/mem.h"

typedef struct fixture {
    pl_pool pool;
    pl_rio tx; /* the peer's side: seals what rx receives */
    pl_rio rx;
    uint8_t wire[4 * PL_RECORD_MAX_RECORD_LEN];
    size_t wire_len;
    uint8_t data[PL_RECORD_MAX_PLAINTEXT];
    uint8_t dst[PL_RECORD_MAX_RECORD_LEN];
} fixture;

static void install(fixture *f, pl_record_prot prot) {
    pl_record_keys keys;
    for (int dir = 0; dir < 2; dir++) {
        memset(&keys, 0, sizeof(keys));
        keys.prot = prot;
        keys.aead = &pl_aead_aes_128_gcm;
        memset(keys.key, 0x42, sizeof(keys.key));
        memset(keys.iv, 0x17, sizeof(keys.iv));
        PL_ASSERT_OK(dir == 0 ? pl_rio_set_write_keys(&f->tx, &keys)
                              : pl_rio_set_read_keys(&f->rx, &keys));
    }
}

static int setup_prot(void **state, pl_record_prot prot) {
    static fixture f;
    memset(&f, 0, sizeof(f));
    pl_pool_init(&f.pool, 64 * 1024);
    pl_rio_init(&f.tx, &f.pool, 1 << 16);
    pl_rio_init(&f.rx, &f.pool, 1 << 16);
    install(&f, prot);
    for (size_t i = 0; i < sizeof(f.data); i++) {
        f.data[i] = (uint8_t)(i * 13u + 1u);
    }
    *state = &f;
    return 0;
}

static int setup13(void **state) {
    return setup_prot(state, PL_RECORD_TLS13);
}

static int setup12(void **state) {
    return setup_prot(state, PL_RECORD_TLS12);
}

static int teardown(void **state) {
    fixture *f = *state;
    pl_rio_cleanup(&f->tx);
    pl_rio_cleanup(&f->rx);
    pl_pool_cleanup(&f->pool);
    return 0;
}

/* Appends what tx has sealed to the wire; returns the length appended. */
static size_t take(fixture *f) {
    PL_ASSERT_OK(pl_rio_flush(&f->tx));
    const uint8_t *p;
    size_t len;
    pl_rio_output(&f->tx, &p, &len);
    memcpy(f->wire + f->wire_len, p, len);
    f->wire_len += len;
    PL_ASSERT_OK(pl_rio_output_done(&f->tx, len));
    return len;
}

/* Seals n bytes of application data as one record on the wire; returns the record's length. */
static size_t send_app(fixture *f, size_t n) {
    size_t written;
    PL_ASSERT_OK(pl_rio_send_app(&f->tx, f->data, n, &written));
    assert_int_equal(written, n);
    return take(f);
}

/* The plaintext room a record of n bytes of content needs. */
static size_t room(const fixture *f, size_t n) {
    return f->rx.rx.prot == PL_RECORD_TLS13 ? n + 1 : n;
}

/* Whole, and in two pieces (the first without dst, as a caller might give it): decrypted into
 * dst, the stream keeps no buffer, and the one that held the ciphertext went back to the pool
 * without plaintext in it. */
static void test_into_dst(void **state) {
    fixture *f = *state;
    size_t len = send_app(f, 3000);
    send_app(f, 3000);
    memset(f->dst, 0xee, sizeof(f->dst));
    size_t used;
    pl_record *out;
    PL_ASSERT_OK(pl_rio_receive(&f->rx, f->wire, f->wire_len, f->dst, room(f, 3000), &used, &out));
    assert_int_equal(used, len);
    assert_non_null(out);
    assert_int_equal(out->type, PL_CONTENT_APPLICATION_DATA);
    assert_ptr_equal(out->data, f->dst);
    assert_int_equal(out->len, 3000);
    assert_memory_equal(f->dst, f->data, 3000);
    assert_true(pl_ct_is_zero(f->dst + 3000, room(f, 3000) - 3000));
    assert_int_equal(f->dst[room(f, 3000)], 0xee);
    assert_null(f->rx.rx_buf);
    pl_rio_release(&f->rx);

    memset(f->dst, 0xee, sizeof(f->dst));
    PL_ASSERT_OK(pl_rio_receive(&f->rx, f->wire + len, 100, NULL, 0, &used, &out));
    assert_null(out);
    uint8_t *held = f->rx.rx_buf;
    assert_non_null(held);
    PL_ASSERT_OK(pl_rio_receive(&f->rx, f->wire + len + 100, len - 100, f->dst, sizeof(f->dst),
                                &used, &out));
    assert_non_null(out);
    assert_ptr_equal(out->data, f->dst);
    assert_memory_equal(f->dst, f->data, 3000);
    assert_null(f->rx.rx_buf);
    pl_rio_release(&f->rx);
    /* The pool has the buffer back, holding the ciphertext, not the plaintext. */
    uint8_t *again;
    size_t cap;
    PL_ASSERT_OK(pl_pool_get(&f->pool, len - 5, &again, &cap));
    assert_ptr_equal(again, held);
    assert_memory_not_equal(again, f->data, 3000);
    assert_memory_equal(again, f->wire + len + 5, 95);
    pl_pool_put(&f->pool, again, cap, 0);
}

/* The header alone, then the whole fragment (as a reader sized by pl_rio_wanted gives them):
 * the fragment is decrypted from the caller's input, not copied. With dst the plaintext lands
 * there and no receive buffer is ever taken; without, in a buffer taken once the fragment came. */
static void test_header_then_fragment(void **state) {
    fixture *f = *state;
    size_t len = send_app(f, 4000);
    send_app(f, 4000);
    memset(f->dst, 0xee, sizeof(f->dst));
    size_t used;
    pl_record *out;
    PL_ASSERT_OK(pl_rio_receive(&f->rx, f->wire, 5, f->dst, sizeof(f->dst), &used, &out));
    assert_null(out);
    assert_int_equal(pl_rio_wanted(&f->rx), len - 5);
    assert_null(f->rx.rx_buf);
    PL_ASSERT_OK(pl_rio_receive(&f->rx, f->wire + 5, len - 5, f->dst, sizeof(f->dst), &used, &out));
    assert_int_equal(used, len - 5);
    assert_ptr_equal(out->data, f->dst);
    assert_memory_equal(f->dst, f->data, 4000);
    assert_null(f->rx.rx_buf);
    pl_rio_release(&f->rx);
    PL_ASSERT_OK(pl_rio_receive(&f->rx, f->wire + len, 5, NULL, 0, &used, &out));
    assert_null(f->rx.rx_buf);
    PL_ASSERT_OK(pl_rio_receive(&f->rx, f->wire + len + 5, len - 5, NULL, 0, &used, &out));
    assert_non_null(f->rx.rx_buf);
    assert_ptr_equal(out->data, f->rx.rx_buf);
    assert_memory_equal(out->data, f->data, 4000);
    pl_rio_release(&f->rx);
}

/* A dst one byte short of the room: the stream's buffer takes the record, dst is untouched. */
static void test_dst_too_small(void **state) {
    fixture *f = *state;
    send_app(f, 2000);
    memset(f->dst, 0xee, sizeof(f->dst));
    size_t used;
    pl_record *out;
    PL_ASSERT_OK(
        pl_rio_receive(&f->rx, f->wire, f->wire_len, f->dst, room(f, 2000) - 1, &used, &out));
    assert_non_null(out);
    assert_ptr_not_equal(out->data, f->dst);
    assert_int_equal(out->len, 2000);
    assert_memory_equal(out->data, f->data, 2000);
    assert_int_equal(f->dst[0], 0xee);
    assert_non_null(f->rx.rx_buf);
    pl_rio_release(&f->rx);
}

/* A handshake record (a post-handshake message) and an alert, offered with dst: handed out from
 * the stream's buffer with their content, and nothing of theirs is left in dst. In TLS 1.3 they
 * are known only after decryption into dst; in TLS 1.2 by their outer type. */
static void test_other_types_leave_dst(void **state) {
    fixture *f = *state;
    static const uint8_t key_update[] = {24, 0, 0, 1, 1};
    PL_ASSERT_OK(pl_rio_send_handshake(&f->tx, key_update, sizeof(key_update)));
    take(f);
    size_t hs_len = f->wire_len;
    PL_ASSERT_OK(pl_rio_send_alert(&f->tx, PL_ALERT_WARNING, 0));
    take(f);
    memset(f->dst, 0xee, sizeof(f->dst));
    size_t used;
    pl_record *out;
    PL_ASSERT_OK(pl_rio_receive(&f->rx, f->wire, f->wire_len, f->dst, sizeof(f->dst), &used, &out));
    assert_int_equal(used, hs_len);
    assert_int_equal(out->type, PL_CONTENT_HANDSHAKE);
    assert_int_equal(out->len, sizeof(key_update));
    assert_memory_equal(out->data, key_update, sizeof(key_update));
    assert_ptr_equal(out->data, f->rx.rx_buf);
    size_t touched = f->rx.rx.prot == PL_RECORD_TLS13 ? sizeof(key_update) + 1 : 0;
    assert_true(pl_ct_is_zero(f->dst, touched));
    assert_int_equal(f->dst[touched], 0xee);
    pl_rio_release(&f->rx);
    memset(f->dst, 0xee, sizeof(f->dst));
    PL_ASSERT_OK(
        pl_rio_receive(&f->rx, f->wire + hs_len, f->wire_len - hs_len, f->dst, 100, &used, &out));
    assert_int_equal(out->type, PL_CONTENT_ALERT);
    assert_int_equal(out->len, 2);
    assert_int_equal(out->data[0], PL_ALERT_WARNING);
    assert_ptr_equal(out->data, f->rx.rx_buf);
    touched = f->rx.rx.prot == PL_RECORD_TLS13 ? 3 : 0;
    assert_true(pl_ct_is_zero(f->dst, touched));
    assert_int_equal(f->dst[touched], 0xee);
    pl_rio_release(&f->rx);
}

/* A forged record, whole or in pieces: bad_record_mac, and the unauthenticated plaintext AES-GCM
 * wrote into dst before the tag check is wiped. */
static void test_forged_wiped(void **state) {
    fixture *f = *state;
    size_t len = send_app(f, 5000);
    f->wire[len / 2] ^= 0x01;
    const pl_record_prot prot = f->tx.tx.prot;
    for (size_t first = 100; first <= len; first += len - 100) {
        /* A failed stream is unusable: a fresh one per attempt. */
        pl_rio_cleanup(&f->rx);
        pl_rio_init(&f->rx, &f->pool, 1 << 16);
        pl_record_keys keys;
        memset(&keys, 0, sizeof(keys));
        keys.prot = prot;
        keys.aead = &pl_aead_aes_128_gcm;
        memset(keys.key, 0x42, sizeof(keys.key));
        memset(keys.iv, 0x17, sizeof(keys.iv));
        PL_ASSERT_OK(pl_rio_set_read_keys(&f->rx, &keys));
        memset(f->dst, 0xee, sizeof(f->dst));
        size_t used;
        pl_record *out;
        if (first < len) {
            PL_ASSERT_OK(
                pl_rio_receive(&f->rx, f->wire, first, f->dst, sizeof(f->dst), &used, &out));
            assert_null(out);
        }
        size_t from = first < len ? first : 0;
        PL_ASSERT_ERR(
            pl_rio_receive(&f->rx, f->wire + from, len - from, f->dst, sizeof(f->dst), &used, &out),
            PADLOCK_E_BAD_RECORD_MAC);
        assert_true(pl_ct_is_zero(f->dst, room(f, 5000)));
        assert_int_equal(f->dst[room(f, 5000)], 0xee);
    }
}

/* 1 + (i * 37) % 16384 bytes sealed as one record and received into dst, no buffer taken. */
static void send_receive_into(void *ctx, size_t i) {
    fixture *f = ctx;
    f->wire_len = 0;
    size_t n = 1 + (i * 37) % 16384;
    size_t len = send_app(f, n);
    size_t used;
    pl_record *out;
    PL_ASSERT_OK(pl_rio_receive(&f->rx, f->wire, len, f->dst, sizeof(f->dst), &used, &out));
    assert_ptr_equal(out->data, f->dst);
    assert_int_equal(out->len, n);
    assert_null(f->rx.rx_buf);
    pl_rio_release(&f->rx);
}

/* DESIGN.md §11: receiving into dst allocates nothing and takes no buffer from the pool. */
static void test_no_allocation_per_record(void **state) {
    fixture *f = *state;
    /* The sending side's buffer, the largest it needs, is in the pool before counting. */
    size_t used;
    pl_record *out;
    size_t len = send_app(f, sizeof(f->data));
    PL_ASSERT_OK(pl_rio_receive(&f->rx, f->wire, len, f->dst, sizeof(f->dst), &used, &out));
    pl_rio_release(&f->rx);
    pl_test_expect_no_allocation("pl_rio_receive into dst", 1000, send_receive_into, f);
}

#define T13(name) cmocka_unit_test_setup_teardown(name, setup13, teardown)
#define T12(name) cmocka_unit_test_setup_teardown(name, setup12, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T13(test_into_dst),      T13(test_header_then_fragment),
        T13(test_dst_too_small), T13(test_other_types_leave_dst),
        T13(test_forged_wiped),  T13(test_no_allocation_per_record),
        T12(test_into_dst),      T12(test_header_then_fragment),
        T12(test_dst_too_small), T12(test_other_types_leave_dst),
        T12(test_forged_wiped),  T12(test_no_allocation_per_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
