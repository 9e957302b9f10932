/* The DER writer: exact encodings of lengths at every width boundary, back-filled nested
 * lengths that outgrow their reserved octet, minimal INTEGERs, named bit lists, OIDs, strings,
 * high tag numbers and the RFC 5280 §4.1.2.5 UTCTime/GeneralizedTime switch; every output
 * read back by the strict reader; and every writer failing cleanly (builder unchanged) at
 * every capacity too small for it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "util/mem.h"
#include "wire/der.h"

static uint8_t g_storage[70000 + 64];

/* Asserts that b holds exactly the bytes of hex. */
static void assert_hex(const pl_buf *b, const char *hex) {
    size_t len;
    uint8_t *want = pl_test_unhex(hex, &len);
    assert_non_null(want);
    if (b->len != len || memcmp(b->p, want, len) != 0) {
        char got[512] = {0};
        for (size_t i = 0; i < b->len && 2 * i + 2 < sizeof(got); i++) {
            snprintf(got + 2 * i, 3, "%02x", b->p[i]);
        }
        fail_msg("wrote %s, expected %s", got, hex);
    }
    free(want);
}

/* One element written with fn reads back with pl_der_next as tag with content_len octets. */
static void assert_reads_back(const pl_buf *b, pl_der_tag tag, size_t content_len) {
    pl_cur c;
    pl_cur_init(&c, b->p, b->len);
    pl_der_tag got;
    pl_cur v;
    PL_ASSERT_OK(pl_der_next(&c, &got, &v, NULL));
    assert_int_equal(got, tag);
    assert_int_equal(pl_cur_left(&v), content_len);
    PL_ASSERT_OK(pl_der_done(&c));
}

static void test_lengths(void **state) {
    (void)state;
    static const struct {
        size_t len;
        const char *head;
    } t[] = {
        {0, "0400"},     {1, "0401"},       {127, "047f"},       {128, "048180"},
        {255, "0481ff"}, {256, "04820100"}, {65535, "0482ffff"}, {65536, "0483010000"},
    };
    static uint8_t contents[65536];
    memset(contents, 0x5a, sizeof(contents));
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        pl_buf b;
        pl_buf_init(&b, g_storage, sizeof(g_storage));
        PL_ASSERT_OK(pl_der_put(&b, PL_DER_OCTET_STRING, contents, t[i].len));
        size_t head_len = strlen(t[i].head) / 2;
        assert_int_equal(b.len, head_len + t[i].len);
        pl_buf head = b;
        head.len = head_len;
        assert_hex(&head, t[i].head);
        assert_reads_back(&b, PL_DER_OCTET_STRING, t[i].len);
    }
}

/* Nested elements whose lengths need one, two and three length octets: the contents move up
 * as each is closed, innermost first. */
static void test_nesting(void **state) {
    (void)state;
    static uint8_t fill[300];
    memset(fill, 0xab, sizeof(fill));
    pl_buf b;
    pl_buf_init(&b, g_storage, sizeof(g_storage));
    pl_der_nest outer, mid, inner, empty;
    PL_ASSERT_OK(pl_der_open(&b, PL_DER_SEQUENCE, &outer));
    PL_ASSERT_OK(pl_der_open(&b, PL_DER_CTX_CONS(3), &mid));
    PL_ASSERT_OK(pl_der_open(&b, PL_DER_SET, &inner));
    PL_ASSERT_OK(pl_der_put_null(&b));
    PL_ASSERT_OK(pl_der_close(&b, &inner));
    PL_ASSERT_OK(pl_der_put(&b, PL_DER_OCTET_STRING, fill, 200));
    PL_ASSERT_OK(pl_der_close(&b, &mid));
    PL_ASSERT_OK(pl_der_open(&b, PL_DER_SEQUENCE, &empty));
    PL_ASSERT_OK(pl_der_close(&b, &empty));
    PL_ASSERT_OK(pl_der_put(&b, PL_DER_OCTET_STRING, fill, 300));
    PL_ASSERT_OK(pl_der_close(&b, &outer));
    /* SET { NULL } = 31 02 05 00; [3] { SET, OCTET STRING(200) } = a3 81 cf ...; the outer
     * SEQUENCE holds 3 + 207 + 2 + 304 = 516 octets (82 02 04). */
    assert_int_equal(b.len, 4 + 516);
    const uint8_t head[] = {0x30, 0x82, 0x02, 0x04, 0xa3, 0x81, 0xcf, 0x31,
                            0x02, 0x05, 0x00, 0x04, 0x81, 0xc8, 0xab};
    assert_memory_equal(b.p, head, sizeof(head));
    const uint8_t tail[] = {0x30, 0x00, 0x04, 0x82, 0x01, 0x2c, 0xab};
    assert_memory_equal(b.p + 4 + 3 + 207, tail, sizeof(tail));
    /* The reader agrees, element by element. */
    pl_cur c;
    pl_cur_init(&c, b.p, b.len);
    pl_cur seq, tagged, set, v;
    PL_ASSERT_OK(pl_der_expect(&c, PL_DER_SEQUENCE, &seq, NULL));
    PL_ASSERT_OK(pl_der_done(&c));
    PL_ASSERT_OK(pl_der_expect(&seq, PL_DER_CTX_CONS(3), &tagged, NULL));
    PL_ASSERT_OK(pl_der_expect(&tagged, PL_DER_SET, &set, NULL));
    PL_ASSERT_OK(pl_der_null(&set));
    pl_span s;
    PL_ASSERT_OK(pl_der_octet_string(&tagged, PL_DER_OCTET_STRING, &s));
    assert_int_equal(s.len, 200);
    PL_ASSERT_OK(pl_der_done(&tagged));
    PL_ASSERT_OK(pl_der_expect(&seq, PL_DER_SEQUENCE, &v, NULL));
    assert_int_equal(pl_cur_left(&v), 0);
    PL_ASSERT_OK(pl_der_octet_string(&seq, PL_DER_OCTET_STRING, &s));
    assert_int_equal(s.len, 300);
    assert_memory_equal(s.p, fill, 300);
    PL_ASSERT_OK(pl_der_done(&seq));
    /* An OCTET STRING that encapsulates DER, as an extension's extnValue does. */
    pl_buf_init(&b, g_storage, sizeof(g_storage));
    pl_der_nest wrap;
    PL_ASSERT_OK(pl_der_open(&b, PL_DER_OCTET_STRING, &wrap));
    PL_ASSERT_OK(pl_der_open(&b, PL_DER_SEQUENCE, &inner));
    PL_ASSERT_OK(pl_der_put_boolean(&b, 1));
    PL_ASSERT_OK(pl_der_close(&b, &inner));
    PL_ASSERT_OK(pl_der_close(&b, &wrap));
    assert_hex(&b, "0405"
                   "30030101ff");
}

/* pl_der_build grows its heap buffer until the document fits. */
static padlock_err write_big(pl_buf *b, const void *ctx) {
    static const uint8_t fill[5000] = {7};
    size_t n = *(const size_t *)ctx;
    pl_der_nest seq;
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &seq));
    PL_TRY(pl_der_put(b, PL_DER_OCTET_STRING, fill, n));
    return pl_der_close(b, &seq);
}

static void test_build(void **state) {
    (void)state;
    static const size_t sizes[] = {0, 1000, 1019, 5000};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        uint8_t *out = NULL;
        size_t len = 0;
        PL_ASSERT_OK(pl_der_build(write_big, &sizes[i], &out, &len));
        pl_buf b = {out, len, len};
        assert_reads_back(&b, PL_DER_SEQUENCE, sizes[i] + (sizes[i] < 128 ? 2 : 4));
        pl_free(out);
    }
}

static void check_unsigned(const char *magnitude_hex, const char *want) {
    size_t len = 0;
    uint8_t *m = magnitude_hex[0] ? pl_test_unhex(magnitude_hex, &len) : NULL;
    pl_buf b;
    pl_buf_init(&b, g_storage, sizeof(g_storage));
    PL_ASSERT_OK(pl_der_put_unsigned(&b, PL_DER_INTEGER, m, len));
    assert_hex(&b, want);
    /* The reader accepts it as a minimal non-negative INTEGER of the same value. */
    pl_cur c;
    pl_cur_init(&c, b.p, b.len);
    pl_span got;
    PL_ASSERT_OK(pl_der_unsigned(&c, PL_DER_INTEGER, &got));
    size_t skip = 0;
    while (skip < len && m[skip] == 0) {
        skip++;
    }
    assert_int_equal(got.len, len - skip);
    if (got.len > 0) {
        assert_memory_equal(got.p, m + skip, got.len);
    }
    free(m);
}

static void test_integers(void **state) {
    (void)state;
    check_unsigned("", "020100");
    check_unsigned("00", "020100");
    check_unsigned("0000", "020100");
    check_unsigned("01", "020101");
    check_unsigned("7f", "02017f");
    check_unsigned("80", "02020080");
    check_unsigned("ff", "020200ff");
    check_unsigned("000080", "02020080");
    check_unsigned("0100", "02020100");
    /* A 128-bit serial number with its top bit set takes a sign octet: 17 content octets,
     * within RFC 5280 §4.1.2.2's 20. */
    check_unsigned("f0000000000000000000000000000001", "021100f0000000000000000000000000000001");
    check_unsigned("70000000000000000000000000000001", "021070000000000000000000000000000001");
    pl_buf b;
    pl_buf_init(&b, g_storage, sizeof(g_storage));
    PL_ASSERT_OK(pl_der_put_small_uint(&b, PL_DER_INTEGER, 0));
    PL_ASSERT_OK(pl_der_put_small_uint(&b, PL_DER_INTEGER, 256));
    PL_ASSERT_OK(pl_der_put_small_uint(&b, PL_DER_CTX(2), 20));
    PL_ASSERT_OK(pl_der_put_small_uint(&b, PL_DER_INTEGER, UINT64_MAX));
    assert_hex(&b, "020100"
                   "02020100"
                   "820114"
                   "020900ffffffffffffffff");
}

static void test_primitives(void **state) {
    (void)state;
    pl_buf b;
    pl_buf_init(&b, g_storage, sizeof(g_storage));
    PL_ASSERT_OK(pl_der_put_boolean(&b, 1));
    PL_ASSERT_OK(pl_der_put_boolean(&b, 0));
    PL_ASSERT_OK(pl_der_put_null(&b));
    const uint8_t bits[] = {0xaa, 0xbb};
    PL_ASSERT_OK(pl_der_put_bit_octets(&b, bits, sizeof(bits)));
    const uint8_t oid_bytes[] = {0x55, 0x1d, 0x11};
    pl_span oid = {oid_bytes, sizeof(oid_bytes)};
    PL_ASSERT_OK(pl_der_put_oid(&b, oid));
    assert_hex(&b, "0101ff"
                   "010100"
                   "0500"
                   "030300aabb"
                   "0603551d11");
    pl_cur c;
    pl_cur_init(&c, b.p, b.len);
    int v;
    PL_ASSERT_OK(pl_der_boolean(&c, &v));
    assert_true(v);
    PL_ASSERT_OK(pl_der_boolean(&c, &v));
    assert_false(v);
    PL_ASSERT_OK(pl_der_null(&c));
    pl_span s;
    PL_ASSERT_OK(pl_der_bit_octets(&c, &s));
    assert_int_equal(s.len, 2);
    PL_ASSERT_OK(pl_der_oid(&c, &s));
    PL_ASSERT_OK(pl_der_done(&c));
    /* Invalid OID contents are refused: empty, unterminated, a leading 0x80 group. */
    const uint8_t bad1[] = {0x55, 0x9d};
    const uint8_t bad2[] = {0x80, 0x01};
    pl_span bad[] = {{oid_bytes, 0}, {bad1, sizeof(bad1)}, {bad2, sizeof(bad2)}};
    for (size_t i = 0; i < 3; i++) {
        size_t before = b.len;
        PL_ASSERT_ERR(pl_der_put_oid(&b, bad[i]), PADLOCK_E_INVALID_ARGUMENT);
        assert_int_equal(b.len, before);
    }
    /* High tag numbers (X.690 §8.1.2.4) round-trip through the reader. */
    pl_buf_init(&b, g_storage, sizeof(g_storage));
    PL_ASSERT_OK(pl_der_put(&b, PL_DER_CTX(30), "x", 1));
    PL_ASSERT_OK(pl_der_put(&b, PL_DER_CTX(31), "x", 1));
    PL_ASSERT_OK(pl_der_put(&b, PL_DER_CTX(200), "x", 1));
    assert_hex(&b, "9e0178"
                   "9f1f0178"
                   "9f81480178");
    pl_cur_init(&c, b.p, b.len);
    static const uint32_t numbers[] = {30, 31, 200};
    for (size_t i = 0; i < 3; i++) {
        pl_der_tag tag;
        pl_cur value;
        PL_ASSERT_OK(pl_der_next(&c, &tag, &value, NULL));
        assert_int_equal(tag, PL_DER_CTX(numbers[i]));
    }
    PL_ASSERT_ERR(pl_der_put(&b, PL_DER_CTX(PL_DER_MAX_TAG_NUMBER + 1), "x", 1),
                  PADLOCK_E_INVALID_ARGUMENT);
}

static void check_named_bits(uint32_t bits, const char *want) {
    pl_buf b;
    pl_buf_init(&b, g_storage, sizeof(g_storage));
    PL_ASSERT_OK(pl_der_put_named_bits(&b, PL_DER_BIT_STRING, bits));
    assert_hex(&b, want);
    pl_cur c;
    pl_cur_init(&c, b.p, b.len);
    pl_span s;
    uint8_t unused;
    PL_ASSERT_OK(pl_der_bit_string(&c, PL_DER_BIT_STRING, &s, &unused));
    uint32_t back = 0;
    for (unsigned n = 0; n < s.len * 8 - unused; n++) {
        if (s.p[n / 8] & (0x80u >> (n % 8))) {
            back |= 1u << n;
        }
    }
    assert_int_equal(back, bits);
    /* DER: the last bit written is a one (X.690 §11.2.2). */
    if (bits != 0) {
        unsigned last = (unsigned)(s.len * 8 - unused - 1);
        assert_true(s.p[last / 8] & (0x80u >> (last % 8)));
    }
}

static void test_named_bits(void **state) {
    (void)state;
    check_named_bits(0, "030100");
    check_named_bits(1u << 0, "03020780");               /* digitalSignature */
    check_named_bits((1u << 0) | (1u << 2), "030205a0"); /* + keyEncipherment */
    check_named_bits((1u << 5) | (1u << 6), "03020106"); /* keyCertSign, cRLSign */
    check_named_bits(1u << 7, "03020001");
    check_named_bits(1u << 8, "0303070080"); /* decipherOnly */
    check_named_bits(0x80000000u, "03050000000001");
}

static void check_time(int64_t t, pl_der_tag tag, const char *text) {
    pl_buf b;
    pl_buf_init(&b, g_storage, sizeof(g_storage));
    PL_ASSERT_OK(pl_der_put_time(&b, t));
    assert_int_equal(b.p[0], tag);
    assert_int_equal(b.p[1], strlen(text));
    assert_memory_equal(b.p + 2, text, strlen(text));
    pl_cur c;
    pl_cur_init(&c, b.p, b.len);
    int64_t back;
    PL_ASSERT_OK(pl_der_time(&c, &back));
    assert_true(back == t);
}

static void test_time(void **state) {
    (void)state;
    check_time(0, PL_DER_UTC_TIME, "700101000000Z");
    check_time(1740787200, PL_DER_UTC_TIME, "250301000000Z");
    /* RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
    check_time(2524607999, PL_DER_UTC_TIME, "491231235959Z");
    check_time(2524608000, PL_DER_GENERALIZED_TIME, "20500101000000Z");
    /* UTCTime's window starts in 1950. */
    check_time(-631152000, PL_DER_UTC_TIME, "500101000000Z");
    check_time(-631152001, PL_DER_GENERALIZED_TIME, "19491231235959Z");
    check_time(253402300799, PL_DER_GENERALIZED_TIME, "99991231235959Z");
    check_time(-62167219200LL, PL_DER_GENERALIZED_TIME, "00000101000000Z");
    pl_buf b;
    pl_buf_init(&b, g_storage, sizeof(g_storage));
    PL_ASSERT_ERR(pl_der_put_time(&b, 253402300800), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_der_put_time(&b, -62167219201LL), PADLOCK_E_INVALID_ARGUMENT);
    assert_int_equal(b.len, 0);
    /* Round trips across the century, leap days and both types. */
    for (int64_t t = -1000000000LL; t < 4000000000LL; t += 86399 * 53 + 7) {
        pl_buf_init(&b, g_storage, sizeof(g_storage));
        PL_ASSERT_OK(pl_der_put_time(&b, t));
        pl_cur c;
        pl_cur_init(&c, b.p, b.len);
        int64_t back;
        PL_ASSERT_OK(pl_der_time(&c, &back));
        assert_true(back == t);
    }
}

static void test_strings(void **state) {
    (void)state;
    pl_buf b;
    pl_buf_init(&b, g_storage, sizeof(g_storage));
    PL_ASSERT_OK(pl_der_put_string(&b, PL_DER_UTF8_STRING, "\xe2\x82\xac", 3));
    PL_ASSERT_OK(pl_der_put_string(&b, PL_DER_PRINTABLE_STRING, "Ab 1", 4));
    PL_ASSERT_OK(pl_der_put_string(&b, PL_DER_CTX(2), "a.example", 9));
    assert_hex(&b, "0c03e282ac"
                   "130441622031"
                   "8209612e6578616d706c65");
    size_t before = b.len;
    static const struct {
        pl_der_tag tag;
        const char *s;
    } bad[] = {
        {PL_DER_UTF8_STRING, "\xc0\x80"},       /* overlong */
        {PL_DER_PRINTABLE_STRING, "a*b"},       /* '*' is not printable */
        {PL_DER_IA5_STRING, "\xe2\x82\xac"},    /* not ASCII */
        {PL_DER_CTX(2), "caf\xc3\xa9.example"}, /* dNSName is IA5 */
        {PL_DER_OCTET_STRING, "x"},             /* not a string type */
        {PL_DER_OCTET_STRING, ""},
        {PL_DER_CTX_CONS(2), "x"}, /* constructed */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (pl_der_put_string(&b, bad[i].tag, bad[i].s, strlen(bad[i].s)) !=
            PADLOCK_E_INVALID_ARGUMENT) {
            fail_msg("string %zu accepted", i);
        }
        assert_int_equal(b.len, before);
    }
}

/* Writes one fixed document; returns the first failure. */
static padlock_err write_document(pl_buf *b) {
    static const uint8_t fill[140] = {1};
    const uint8_t oid_bytes[] = {0x2a, 0x03};
    pl_span oid = {oid_bytes, sizeof(oid_bytes)};
    const uint8_t serial[] = {0x80, 0x01};
    pl_der_nest seq, inner;
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &seq));
    PL_TRY(pl_der_put_unsigned(b, PL_DER_INTEGER, serial, sizeof(serial)));
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &inner));
    PL_TRY(pl_der_put_oid(b, oid));
    PL_TRY(pl_der_put_null(b));
    PL_TRY(pl_der_close(b, &inner));
    PL_TRY(pl_der_put_time(b, 2524608000));
    PL_TRY(pl_der_put_named_bits(b, PL_DER_BIT_STRING, 0x61));
    PL_TRY(pl_der_put_string(b, PL_DER_UTF8_STRING, "x", 1));
    PL_TRY(pl_der_put_boolean(b, 1));
    PL_TRY(pl_der_put_small_uint(b, PL_DER_INTEGER, 70000));
    PL_TRY(pl_der_put_bit_octets(b, fill, sizeof(fill)));
    return pl_der_close(b, &seq);
}

/* At every capacity below the document's size the document fails with
 * PADLOCK_E_BUFFER_TOO_SMALL without writing past the storage (ASan watches the heap copy);
 * at the full size it is written byte for byte as before. */
static void test_every_capacity(void **state) {
    (void)state;
    pl_buf b;
    pl_buf_init(&b, g_storage, sizeof(g_storage));
    PL_ASSERT_OK(write_document(&b));
    size_t full = b.len;
    uint8_t want[512];
    assert_true(full <= sizeof(want));
    memcpy(want, b.p, full);
    assert_reads_back(&b, PL_DER_SEQUENCE, full - 3);
    for (size_t cap = 0; cap < full; cap++) {
        uint8_t *storage = malloc(cap == 0 ? 1 : cap);
        pl_buf_init(&b, storage, cap);
        padlock_err rc = write_document(&b);
        if (rc != PADLOCK_E_BUFFER_TOO_SMALL) {
            fail_msg("capacity %zu: %s", cap, padlock_strerror(rc));
        }
        assert_true(b.len <= cap);
        free(storage);
    }
    uint8_t exact[512];
    pl_buf_init(&b, exact, full);
    PL_ASSERT_OK(write_document(&b));
    assert_int_equal(b.len, full);
    assert_memory_equal(exact, want, full);
}

/* A failing write leaves b.len where it was (checked per writer with a builder one octet
 * short of each element). */
static void test_failure_leaves_builder(void **state) {
    (void)state;
    static const uint8_t big[300] = {0};
    uint8_t storage[400];
    for (size_t cap = 0; cap < 310; cap++) {
        pl_buf b;
        pl_buf_init(&b, storage, cap);
        padlock_err rc = pl_der_put(&b, PL_DER_OCTET_STRING, big, sizeof(big));
        assert_true(rc == PADLOCK_E_BUFFER_TOO_SMALL ? b.len == 0 : cap >= 304);
        pl_buf_init(&b, storage, cap);
        rc = pl_der_put_unsigned(&b, PL_DER_INTEGER, (const uint8_t *)"\x80\x00", 2);
        assert_true(rc == PADLOCK_E_BUFFER_TOO_SMALL ? b.len == 0 : cap >= 5);
        /* A close that needs two more length octets than there is room for. */
        pl_buf_init(&b, storage, cap);
        pl_der_nest n;
        if (pl_der_open(&b, PL_DER_SEQUENCE, &n) == PADLOCK_OK &&
            pl_der_put(&b, PL_DER_OCTET_STRING, big, 297) == PADLOCK_OK) {
            size_t before = b.len;
            rc = pl_der_close(&b, &n);
            if (rc == PADLOCK_OK) {
                assert_int_equal(b.len, before + 2);
                assert_true(cap >= before + 2);
            } else {
                assert_int_equal(rc, PADLOCK_E_BUFFER_TOO_SMALL);
                assert_int_equal(b.len, before);
                assert_int_equal(b.p[1], 0x00); /* the reserved octet, untouched */
            }
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lengths),    cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_integers),   cmocka_unit_test(test_primitives),
        cmocka_unit_test(test_named_bits), cmocka_unit_test(test_time),
        cmocka_unit_test(test_strings),    cmocka_unit_test(test_every_capacity),
        cmocka_unit_test(test_build),      cmocka_unit_test(test_failure_leaves_builder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
