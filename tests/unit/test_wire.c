/* The read cursor and the builder: every boundary of integers, fixed bytes and
 * length-prefixed vectors. */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "wire/buf.h"
#include "wire/cur.h"

static void test_cur_integers(void **state) {
    (void)state;
    const uint8_t in[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
                          0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12};
    pl_cur c;
    pl_cur_init(&c, in, sizeof(in));
    uint8_t a;
    uint16_t b;
    uint32_t d, e;
    uint64_t f;
    PL_ASSERT_OK(pl_cur_u8(&c, &a));
    PL_ASSERT_OK(pl_cur_u16(&c, &b));
    PL_ASSERT_OK(pl_cur_u24(&c, &d));
    PL_ASSERT_OK(pl_cur_u32(&c, &e));
    PL_ASSERT_OK(pl_cur_u64(&c, &f));
    assert_int_equal(a, 0x01);
    assert_int_equal(b, 0x0203);
    assert_int_equal(d, 0x040506);
    assert_int_equal(e, 0x0708090a);
    assert_true(f == 0x0b0c0d0e0f101112ULL);
    PL_ASSERT_OK(pl_cur_done(&c));
    /* Reading past the end fails and leaves the cursor unchanged. */
    PL_ASSERT_ERR(pl_cur_u8(&c, &a), PADLOCK_E_DECODE);
    assert_int_equal(pl_cur_left(&c), 0);
}

static void test_cur_one_short(void **state) {
    (void)state;
    const uint8_t in[8] = {0};
    uint16_t v16;
    uint32_t v32;
    uint64_t v64;
    pl_cur c;
    pl_cur_init(&c, in, 1);
    PL_ASSERT_ERR(pl_cur_u16(&c, &v16), PADLOCK_E_DECODE);
    assert_int_equal(pl_cur_left(&c), 1);
    pl_cur_init(&c, in, 2);
    PL_ASSERT_ERR(pl_cur_u24(&c, &v32), PADLOCK_E_DECODE);
    pl_cur_init(&c, in, 3);
    PL_ASSERT_ERR(pl_cur_u32(&c, &v32), PADLOCK_E_DECODE);
    pl_cur_init(&c, in, 7);
    PL_ASSERT_ERR(pl_cur_u64(&c, &v64), PADLOCK_E_DECODE);
    assert_int_equal(pl_cur_left(&c), 7);
}

static void test_cur_empty(void **state) {
    (void)state;
    pl_cur c;
    pl_cur_init(&c, NULL, 0);
    PL_ASSERT_OK(pl_cur_done(&c));
    const uint8_t *p;
    PL_ASSERT_OK(pl_cur_bytes(&c, 0, &p));
    uint8_t v;
    PL_ASSERT_ERR(pl_cur_u8(&c, &v), PADLOCK_E_DECODE);
    pl_cur sub;
    PL_ASSERT_ERR(pl_cur_vec8(&c, 0, 255, &sub), PADLOCK_E_DECODE);
}

static void test_cur_bytes_and_trailing(void **state) {
    (void)state;
    const uint8_t in[] = {1, 2, 3, 4};
    pl_cur c;
    pl_cur_init(&c, in, sizeof(in));
    const uint8_t *p;
    PL_ASSERT_ERR(pl_cur_bytes(&c, 5, &p), PADLOCK_E_DECODE); /* one over */
    PL_ASSERT_OK(pl_cur_bytes(&c, 3, &p));
    assert_ptr_equal(p, in); /* zero-copy */
    PL_ASSERT_ERR(pl_cur_done(&c), PADLOCK_E_DECODE); /* one trailing byte */
    uint8_t last;
    PL_ASSERT_OK(pl_cur_copy(&c, &last, 1));
    assert_int_equal(last, 4);
    PL_ASSERT_OK(pl_cur_done(&c));
}

static void test_cur_vectors(void **state) {
    (void)state;
    /* vec8 of 2 bytes, vec16 of 1 byte, vec24 of 0 bytes */
    const uint8_t in[] = {0x02, 0xaa, 0xbb, 0x00, 0x01, 0xcc, 0x00, 0x00, 0x00};
    pl_cur c, v;
    pl_cur_init(&c, in, sizeof(in));
    PL_ASSERT_OK(pl_cur_vec8(&c, 1, 255, &v));
    assert_int_equal(pl_cur_left(&v), 2);
    assert_int_equal(v.p[0], 0xaa);
    PL_ASSERT_OK(pl_cur_vec16(&c, 0, 65535, &v));
    assert_int_equal(pl_cur_left(&v), 1);
    PL_ASSERT_OK(pl_cur_vec24(&c, 0, 0xffffff, &v));
    assert_int_equal(pl_cur_left(&v), 0);
    PL_ASSERT_OK(pl_cur_done(&c));

    /* Length outside [min, max] and length past the end both fail, cursor untouched. */
    pl_cur_init(&c, in, sizeof(in));
    PL_ASSERT_ERR(pl_cur_vec8(&c, 3, 255, &v), PADLOCK_E_DECODE);
    PL_ASSERT_ERR(pl_cur_vec8(&c, 0, 1, &v), PADLOCK_E_DECODE);
    assert_int_equal(pl_cur_left(&c), sizeof(in));
    const uint8_t over[] = {0x03, 0xaa, 0xbb};
    pl_cur_init(&c, over, sizeof(over));
    PL_ASSERT_ERR(pl_cur_vec8(&c, 0, 255, &v), PADLOCK_E_DECODE);
    assert_int_equal(pl_cur_left(&c), sizeof(over));
    /* A truncated prefix. */
    pl_cur_init(&c, over, 1);
    PL_ASSERT_ERR(pl_cur_vec16(&c, 0, 65535, &v), PADLOCK_E_DECODE);
    pl_cur_init(&c, over, 2);
    PL_ASSERT_ERR(pl_cur_vec24(&c, 0, 0xffffff, &v), PADLOCK_E_DECODE);
}

/* A vector of the maximum length for each prefix width round-trips; one more byte does not. */
static void check_max_vector(uint8_t prefix_len) {
    size_t max = ((size_t)1 << (8 * prefix_len)) - 1;
    size_t cap = max + 1 + prefix_len;
    uint8_t *storage = malloc(cap);
    uint8_t *body = malloc(max + 1);
    assert_non_null(storage);
    assert_non_null(body);
    for (size_t i = 0; i <= max; i++) {
        body[i] = (uint8_t)(i * 7);
    }
    pl_buf b;
    pl_buf_init(&b, storage, cap);
    padlock_err (*whole)(pl_buf *, const void *, size_t) =
        prefix_len == 1 ? pl_buf_vec8_bytes : prefix_len == 2 ? pl_buf_vec16_bytes
                                                              : pl_buf_vec24_bytes;
    PL_ASSERT_ERR(whole(&b, body, max + 1), PADLOCK_E_ENCODE_OVERFLOW);
    assert_int_equal(b.len, 0);
    PL_ASSERT_OK(whole(&b, body, max));
    assert_int_equal(b.len, max + prefix_len);

    pl_cur c, v;
    pl_cur_init(&c, storage, b.len);
    padlock_err (*read)(pl_cur *, size_t, size_t, pl_cur *) =
        prefix_len == 1 ? pl_cur_vec8 : prefix_len == 2 ? pl_cur_vec16 : pl_cur_vec24;
    PL_ASSERT_OK(read(&c, 0, max, &v));
    assert_int_equal(pl_cur_left(&v), max);
    assert_memory_equal(v.p, body, max);
    PL_ASSERT_OK(pl_cur_done(&c));

    /* Open/close with a body one byte too long overflows. */
    pl_buf_init(&b, storage, cap);
    pl_buf_vec vec;
    PL_ASSERT_OK(pl_buf_vec_open(&b, prefix_len, &vec));
    PL_ASSERT_OK(pl_buf_bytes(&b, body, max + 1));
    PL_ASSERT_ERR(pl_buf_vec_close(&b, &vec), PADLOCK_E_ENCODE_OVERFLOW);
    free(storage);
    free(body);
}

static void test_max_vectors(void **state) {
    (void)state;
    check_max_vector(1);
    check_max_vector(2);
    check_max_vector(3);
}

static void test_buf_exact_fit_and_full(void **state) {
    (void)state;
    uint8_t storage[7];
    pl_buf b;
    pl_buf_init(&b, storage, sizeof(storage));
    PL_ASSERT_OK(pl_buf_u8(&b, 0x11));
    PL_ASSERT_OK(pl_buf_u16(&b, 0x2233));
    PL_ASSERT_OK(pl_buf_u24(&b, 0x445566));
    PL_ASSERT_ERR(pl_buf_u16(&b, 0x7777), PADLOCK_E_BUFFER_TOO_SMALL); /* 6 + 2 > 7 */
    assert_int_equal(b.len, 6);
    PL_ASSERT_OK(pl_buf_u8(&b, 0x77)); /* exact fit */
    assert_int_equal(b.len, 7);
    PL_ASSERT_ERR(pl_buf_u8(&b, 0), PADLOCK_E_BUFFER_TOO_SMALL); /* one over */
    PL_ASSERT_ERR(pl_buf_bytes(&b, "x", 1), PADLOCK_E_BUFFER_TOO_SMALL);
    PL_ASSERT_OK(pl_buf_bytes(&b, "", 0)); /* empty always fits */
    const uint8_t want[] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
    assert_memory_equal(storage, want, sizeof(want));
    /* u24 refuses values that do not fit in 24 bits. */
    pl_buf_init(&b, storage, sizeof(storage));
    PL_ASSERT_ERR(pl_buf_u24(&b, 0x1000000), PADLOCK_E_ENCODE_OVERFLOW);
    uint8_t big[8];
    pl_buf_init(&b, big, sizeof(big));
    PL_ASSERT_OK(pl_buf_u64(&b, 0x0102030405060708ULL));
    assert_int_equal(big[0], 1);
    assert_int_equal(big[7], 8);
}

static void test_buf_nested_vectors(void **state) {
    (void)state;
    uint8_t storage[32];
    pl_buf b;
    pl_buf_init(&b, storage, sizeof(storage));
    pl_buf_vec outer, inner, empty;
    PL_ASSERT_OK(pl_buf_vec_open(&b, 2, &outer));
    PL_ASSERT_OK(pl_buf_u8(&b, 0xaa));
    PL_ASSERT_OK(pl_buf_vec_open(&b, 3, &inner));
    PL_ASSERT_OK(pl_buf_bytes(&b, "\x01\x02\x03", 3));
    PL_ASSERT_OK(pl_buf_vec_close(&b, &inner));
    PL_ASSERT_OK(pl_buf_vec_open(&b, 1, &empty));
    PL_ASSERT_OK(pl_buf_vec_close(&b, &empty));
    PL_ASSERT_OK(pl_buf_vec_close(&b, &outer));
    const uint8_t want[] = {0x00, 0x08, 0xaa, 0x00, 0x00, 0x03, 0x01, 0x02, 0x03, 0x00};
    assert_int_equal(b.len, sizeof(want));
    assert_memory_equal(storage, want, sizeof(want));

    /* Reading it back with nested sub-cursors. */
    pl_cur c, o, i, e;
    uint8_t tag;
    pl_cur_init(&c, storage, b.len);
    PL_ASSERT_OK(pl_cur_vec16(&c, 0, 65535, &o));
    PL_ASSERT_OK(pl_cur_u8(&o, &tag));
    PL_ASSERT_OK(pl_cur_vec24(&o, 0, 0xffffff, &i));
    PL_ASSERT_OK(pl_cur_vec8(&o, 0, 255, &e));
    PL_ASSERT_OK(pl_cur_done(&o));
    PL_ASSERT_OK(pl_cur_done(&c));
    assert_int_equal(pl_cur_left(&i), 3);
    assert_int_equal(pl_cur_left(&e), 0);
}

static void test_buf_vector_does_not_fit(void **state) {
    (void)state;
    uint8_t storage[4];
    pl_buf b;
    pl_buf_init(&b, storage, sizeof(storage));
    /* Prefix + body = 5 > 4: nothing is written. */
    PL_ASSERT_ERR(pl_buf_vec16_bytes(&b, "abc", 3), PADLOCK_E_BUFFER_TOO_SMALL);
    assert_int_equal(b.len, 0);
    PL_ASSERT_OK(pl_buf_vec16_bytes(&b, "ab", 2)); /* exact fit */
    assert_int_equal(b.len, 4);
    pl_buf_vec v;
    PL_ASSERT_ERR(pl_buf_vec_open(&b, 1, &v), PADLOCK_E_BUFFER_TOO_SMALL);
    PL_ASSERT_ERR(pl_buf_vec_open(&b, 4, &v), PADLOCK_E_INVALID_ARGUMENT);
    uint8_t *slot;
    pl_buf_init(&b, storage, sizeof(storage));
    PL_ASSERT_OK(pl_buf_reserve(&b, 4, &slot));
    assert_ptr_equal(slot, storage);
    PL_ASSERT_ERR(pl_buf_reserve(&b, 1, &slot), PADLOCK_E_BUFFER_TOO_SMALL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cur_integers),
        cmocka_unit_test(test_cur_one_short),
        cmocka_unit_test(test_cur_empty),
        cmocka_unit_test(test_cur_bytes_and_trailing),
        cmocka_unit_test(test_cur_vectors),
        cmocka_unit_test(test_max_vectors),
        cmocka_unit_test(test_buf_exact_fit_and_full),
        cmocka_unit_test(test_buf_nested_vectors),
        cmocka_unit_test(test_buf_vector_does_not_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
