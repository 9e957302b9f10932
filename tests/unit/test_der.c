/* The strict DER reader: identifier and length boundaries (long form, non-minimal, indefinite,
 * high tag numbers), INTEGER minimality, BOOLEAN values, BIT STRING rules, OIDs, string
 * alphabets and the RFC 5280 §4.1.2.5 time rules; plus civil time conversions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "util/civil_time.h"
#include "wire/der.h"

/* A cursor over a hex string (the test owns the bytes until free_hex). */
static uint8_t *g_bytes[64];
static size_t g_num_bytes;

static pl_cur hex_cur(const char *hex) {
    size_t len;
    uint8_t *b = pl_test_unhex(hex, &len);
    assert_non_null(b);
    assert_true(g_num_bytes < 64);
    g_bytes[g_num_bytes++] = b;
    pl_cur c;
    pl_cur_init(&c, b, len);
    return c;
}

static int free_hex(void **state) {
    (void)state;
    for (size_t i = 0; i < g_num_bytes; i++) {
        free(g_bytes[i]);
    }
    g_num_bytes = 0;
    return 0;
}

/* Reads one element and returns the error; on success checks tag and content length. */
static padlock_err read_one(const char *hex, pl_der_tag want_tag, size_t want_len) {
    pl_cur c = hex_cur(hex);
    size_t before = pl_cur_left(&c);
    pl_der_tag tag;
    pl_cur v;
    pl_span tlv;
    padlock_err err = pl_der_next(&c, &tag, &v, &tlv);
    if (err == PADLOCK_OK) {
        assert_int_equal(tag, want_tag);
        assert_int_equal(pl_cur_left(&v), want_len);
        assert_int_equal(tlv.len, before - pl_cur_left(&c));
    } else {
        assert_int_equal(pl_cur_left(&c), before); /* untouched on failure */
    }
    return err;
}

static void test_lengths(void **state) {
    (void)state;
    char hex[2 * 300 + 16];
    PL_ASSERT_OK(read_one("0400", PL_DER_OCTET_STRING, 0));
    PL_ASSERT_OK(read_one("04017f", PL_DER_OCTET_STRING, 1));
    /* 127 in short form; 128 needs the long form 81 80. */
    strcpy(hex, "047f");
    for (int i = 0; i < 127; i++) {
        strcat(hex, "00");
    }
    PL_ASSERT_OK(read_one(hex, PL_DER_OCTET_STRING, 127));
    strcpy(hex, "048180");
    for (int i = 0; i < 128; i++) {
        strcat(hex, "00");
    }
    PL_ASSERT_OK(read_one(hex, PL_DER_OCTET_STRING, 128));
    /* 256 with two length octets. */
    strcpy(hex, "04820100");
    for (int i = 0; i < 256; i++) {
        strcat(hex, "00");
    }
    PL_ASSERT_OK(read_one(hex, PL_DER_OCTET_STRING, 256));
    /* Non-minimal: long form for a short length, a leading zero length octet. */
    PL_ASSERT_ERR(read_one("04817f00", 0, 0), PADLOCK_E_DER);
    PL_ASSERT_ERR(read_one("0481017f", 0, 0), PADLOCK_E_DER);
    PL_ASSERT_ERR(read_one("048200807f", 0, 0), PADLOCK_E_DER);
    /* Indefinite length (BER only) and the reserved 0xff. */
    PL_ASSERT_ERR(read_one("30800000", 0, 0), PADLOCK_E_DER);
    PL_ASSERT_ERR(read_one("04ff", 0, 0), PADLOCK_E_DER);
    /* Five length octets exceed the limit; lengths beyond the input fail. */
    PL_ASSERT_ERR(read_one("04850100000000", 0, 0), PADLOCK_E_DER);
    PL_ASSERT_ERR(read_one("040201", 0, 0), PADLOCK_E_DER);
    PL_ASSERT_ERR(read_one("0484ffffffff", 0, 0), PADLOCK_E_DER);
    PL_ASSERT_ERR(read_one("04", 0, 0), PADLOCK_E_DER);
    PL_ASSERT_ERR(read_one("", 0, 0), PADLOCK_E_DER);
    PL_ASSERT_ERR(read_one("0481", 0, 0), PADLOCK_E_DER);
}

static void test_tags(void **state) {
    (void)state;
    PL_ASSERT_OK(read_one("3000", PL_DER_SEQUENCE, 0));
    PL_ASSERT_OK(read_one("3100", PL_DER_SET, 0));
    PL_ASSERT_OK(read_one("a000", PL_DER_CTX_CONS(0), 0));
    PL_ASSERT_OK(read_one("8700", PL_DER_CTX(7), 0));
    PL_ASSERT_OK(read_one("4000", PL_DER_APPLICATION | 0, 0));
    PL_ASSERT_OK(read_one("c000", PL_DER_PRIVATE | 0, 0));
    /* High tag numbers: 31 is the smallest, minimal base-128 octets. */
    PL_ASSERT_OK(read_one("9f1f00", PL_DER_CTX(31), 0));
    PL_ASSERT_OK(read_one("bf810000", PL_DER_CTX_CONS(128), 0));
    PL_ASSERT_ERR(read_one("9f1e00", 0, 0), PADLOCK_E_DER);       /* 30 fits the low form */
    PL_ASSERT_ERR(read_one("9f801f00", 0, 0), PADLOCK_E_DER);     /* leading 0x80 */
    PL_ASSERT_ERR(read_one("9f", 0, 0), PADLOCK_E_DER);           /* truncated */
    PL_ASSERT_ERR(read_one("9f81", 0, 0), PADLOCK_E_DER);         /* unterminated */
    PL_ASSERT_ERR(read_one("9fffffff7f00", 0, 0), PADLOCK_E_DER); /* too large */
    /* pl_der_expect checks class and the constructed bit: a constructed OCTET STRING is BER. */
    pl_cur c = hex_cur("2400");
    pl_cur v;
    PL_ASSERT_ERR(pl_der_expect(&c, PL_DER_OCTET_STRING, &v, NULL), PADLOCK_E_DER);
    c = hex_cur("8000");
    PL_ASSERT_ERR(pl_der_expect(&c, PL_DER_CTX_CONS(0), &v, NULL), PADLOCK_E_DER);
    PL_ASSERT_OK(pl_der_expect(&c, PL_DER_CTX(0), &v, NULL));
    PL_ASSERT_OK(pl_der_done(&c));
}

static void test_optional(void **state) {
    (void)state;
    pl_cur c = hex_cur("a0030201020201ff");
    pl_cur v;
    int present;
    PL_ASSERT_OK(pl_der_optional(&c, PL_DER_CTX_CONS(1), &v, &present));
    assert_int_equal(present, 0);
    PL_ASSERT_OK(pl_der_optional(&c, PL_DER_CTX_CONS(0), &v, &present));
    assert_int_equal(present, 1);
    pl_span i;
    PL_ASSERT_OK(pl_der_integer(&v, PL_DER_INTEGER, &i));
    assert_int_equal(i.len, 1);
    assert_int_equal(i.p[0], 2);
    PL_ASSERT_OK(pl_der_done(&v));
    assert_true(pl_der_next_is(&c, PL_DER_INTEGER));
    PL_ASSERT_ERR(pl_der_done(&c), PADLOCK_E_DER);
    PL_ASSERT_OK(pl_der_integer(&c, PL_DER_INTEGER, &i));
    PL_ASSERT_OK(pl_der_optional(&c, PL_DER_CTX_CONS(0), &v, &present));
    assert_int_equal(present, 0);
    assert_false(pl_der_next_is(&c, PL_DER_INTEGER));
}

static void test_integer(void **state) {
    (void)state;
    pl_span s;
    pl_cur c = hex_cur("020100");
    PL_ASSERT_OK(pl_der_integer(&c, PL_DER_INTEGER, &s));
    c = hex_cur("02020080");
    PL_ASSERT_OK(pl_der_integer(&c, PL_DER_INTEGER, &s));
    assert_int_equal(s.len, 2);
    c = hex_cur("0201ff");
    PL_ASSERT_OK(pl_der_integer(&c, PL_DER_INTEGER, &s));
    c = hex_cur("0202ff7f");
    PL_ASSERT_OK(pl_der_integer(&c, PL_DER_INTEGER, &s));
    /* Empty, and the two non-minimal forms. */
    c = hex_cur("0200");
    PL_ASSERT_ERR(pl_der_integer(&c, PL_DER_INTEGER, &s), PADLOCK_E_DER);
    c = hex_cur("0202007f");
    PL_ASSERT_ERR(pl_der_integer(&c, PL_DER_INTEGER, &s), PADLOCK_E_DER);
    c = hex_cur("0202ff80");
    PL_ASSERT_ERR(pl_der_integer(&c, PL_DER_INTEGER, &s), PADLOCK_E_DER);
    assert_int_equal(pl_cur_left(&c), 4);
    /* Unsigned: the sign octet is dropped, negatives refused, zero is empty. */
    c = hex_cur("0203008001");
    PL_ASSERT_OK(pl_der_unsigned(&c, PL_DER_INTEGER, &s));
    assert_int_equal(s.len, 2);
    assert_int_equal(s.p[0], 0x80);
    c = hex_cur("020180");
    PL_ASSERT_ERR(pl_der_unsigned(&c, PL_DER_INTEGER, &s), PADLOCK_E_DER);
    c = hex_cur("020100");
    PL_ASSERT_OK(pl_der_unsigned(&c, PL_DER_INTEGER, &s));
    assert_int_equal(s.len, 0);
    /* Small values with a bound; IMPLICIT tags. */
    uint64_t v;
    c = hex_cur("02020100");
    PL_ASSERT_OK(pl_der_small_uint(&c, PL_DER_INTEGER, 256, &v));
    assert_int_equal(v, 256);
    c = hex_cur("02020101");
    PL_ASSERT_ERR(pl_der_small_uint(&c, PL_DER_INTEGER, 256, &v), PADLOCK_E_DER);
    c = hex_cur("020900ffffffffffffffff");
    PL_ASSERT_OK(pl_der_small_uint(&c, PL_DER_INTEGER, UINT64_MAX, &v));
    assert_true(v == UINT64_MAX);
    c = hex_cur("020a0100000000000000000000");
    PL_ASSERT_ERR(pl_der_small_uint(&c, PL_DER_INTEGER, UINT64_MAX, &v), PADLOCK_E_DER);
    c = hex_cur("800103");
    PL_ASSERT_OK(pl_der_small_uint(&c, PL_DER_CTX(0), 10, &v));
    assert_int_equal(v, 3);
}

static void test_boolean_null(void **state) {
    (void)state;
    int b;
    pl_cur c = hex_cur("0101ff");
    PL_ASSERT_OK(pl_der_boolean(&c, &b));
    assert_int_equal(b, 1);
    c = hex_cur("010100");
    PL_ASSERT_OK(pl_der_boolean(&c, &b));
    assert_int_equal(b, 0);
    const char *bad[] = {"010101", "0101fe", "0100", "010200ff", "0201ff"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        c = hex_cur(bad[i]);
        PL_ASSERT_ERR(pl_der_boolean(&c, &b), PADLOCK_E_DER);
    }
    c = hex_cur("0500");
    PL_ASSERT_OK(pl_der_null(&c));
    c = hex_cur("050100");
    PL_ASSERT_ERR(pl_der_null(&c), PADLOCK_E_DER);
}

static void test_bit_string(void **state) {
    (void)state;
    pl_span s;
    uint8_t unused;
    pl_cur c = hex_cur("030100");
    PL_ASSERT_OK(pl_der_bit_string(&c, PL_DER_BIT_STRING, &s, &unused));
    assert_int_equal(s.len, 0);
    c = hex_cur("030205a0");
    PL_ASSERT_OK(pl_der_bit_string(&c, PL_DER_BIT_STRING, &s, &unused));
    assert_int_equal(unused, 5);
    assert_int_equal(s.len, 1);
    c = hex_cur("030205a8"); /* an unused bit is set */
    PL_ASSERT_ERR(pl_der_bit_string(&c, PL_DER_BIT_STRING, &s, &unused), PADLOCK_E_DER);
    c = hex_cur("030108"); /* more than 7 unused bits */
    PL_ASSERT_ERR(pl_der_bit_string(&c, PL_DER_BIT_STRING, &s, &unused), PADLOCK_E_DER);
    c = hex_cur("030101"); /* unused bits in an empty string */
    PL_ASSERT_ERR(pl_der_bit_string(&c, PL_DER_BIT_STRING, &s, &unused), PADLOCK_E_DER);
    c = hex_cur("0300");
    PL_ASSERT_ERR(pl_der_bit_string(&c, PL_DER_BIT_STRING, &s, &unused), PADLOCK_E_DER);
    c = hex_cur("03020101");
    PL_ASSERT_ERR(pl_der_bit_octets(&c, &s), PADLOCK_E_DER);
    c = hex_cur("030300abcd");
    PL_ASSERT_OK(pl_der_bit_octets(&c, &s));
    assert_int_equal(s.len, 2);
}

static void test_oid(void **state) {
    (void)state;
    pl_span s;
    char text[64];
    pl_cur c = hex_cur("0603551d11");
    PL_ASSERT_OK(pl_der_oid(&c, &s));
    PL_ASSERT_OK(pl_der_oid_text(s, text, sizeof(text)));
    assert_string_equal(text, "2.5.29.17");
    c = hex_cur("06092a864886f70d01010b");
    PL_ASSERT_OK(pl_der_oid(&c, &s));
    PL_ASSERT_OK(pl_der_oid_text(s, text, sizeof(text)));
    assert_string_equal(text, "1.2.840.113549.1.1.11");
    c = hex_cur("0603883703"); /* 2.999.3: a first sub-identifier above 80 */
    PL_ASSERT_OK(pl_der_oid(&c, &s));
    PL_ASSERT_OK(pl_der_oid_text(s, text, sizeof(text)));
    assert_string_equal(text, "2.999.3");
    PL_ASSERT_ERR(pl_der_oid_text(s, text, 5), PADLOCK_E_BUFFER_TOO_SMALL);
    const char *bad[] = {"0600", "0603550d80", "060355801d", "06025581", "0601ff"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        c = hex_cur(bad[i]);
        PL_ASSERT_ERR(pl_der_oid(&c, &s), PADLOCK_E_DER);
    }
    /* An arc wider than 64 bits is valid DER but has no dotted form here. */
    c = hex_cur("060c2a8281828384858687888900");
    PL_ASSERT_OK(pl_der_oid(&c, &s));
    PL_ASSERT_ERR(pl_der_oid_text(s, text, sizeof(text)), PADLOCK_E_DER);
}

static padlock_err time_of(const char *hex, int64_t *out) {
    pl_cur c = hex_cur(hex);
    return pl_der_time(&c, out);
}

/* UTCTime/GeneralizedTime contents as hex of the ASCII text. */
static padlock_err time_text(pl_der_tag tag, const char *text, int64_t *out) {
    char hex[128];
    size_t n = strlen(text);
    snprintf(hex, sizeof(hex), "%02x%02x", (unsigned)tag, (unsigned)n);
    for (size_t i = 0; i < n; i++) {
        snprintf(hex + 4 + 2 * i, 3, "%02x", (unsigned char)text[i]);
    }
    return time_of(hex, out);
}

static void test_time(void **state) {
    (void)state;
    int64_t t;
    PL_ASSERT_OK(time_text(PL_DER_UTC_TIME, "700101000000Z", &t));
    assert_int_equal(t, 0);
    PL_ASSERT_OK(time_text(PL_DER_UTC_TIME, "250301000000Z", &t));
    assert_int_equal(t, 1740787200); /* 2025-03-01T00:00:00Z */
    /* The year pivot: 49 is 2049, 50 is 1950. */
    PL_ASSERT_OK(time_text(PL_DER_UTC_TIME, "491231235959Z", &t));
    assert_int_equal(t, 2524607999);
    PL_ASSERT_OK(time_text(PL_DER_UTC_TIME, "500101000000Z", &t));
    assert_int_equal(t, -631152000);
    PL_ASSERT_OK(time_text(PL_DER_GENERALIZED_TIME, "20500101000000Z", &t));
    assert_int_equal(t, 2524608000);
    PL_ASSERT_OK(time_text(PL_DER_GENERALIZED_TIME, "99991231235959Z", &t));
    assert_int_equal(t, 253402300799);
    /* Leap days. */
    PL_ASSERT_OK(time_text(PL_DER_UTC_TIME, "240229120000Z", &t));
    PL_ASSERT_OK(time_text(PL_DER_GENERALIZED_TIME, "20000229000000Z", &t));
    PL_ASSERT_ERR(time_text(PL_DER_UTC_TIME, "230229000000Z", &t), PADLOCK_E_DER);
    PL_ASSERT_ERR(time_text(PL_DER_GENERALIZED_TIME, "21000229000000Z", &t), PADLOCK_E_DER);
    const char *bad_utc[] = {
        "250230000000Z",                        /* Feb 30 */
        "250431000000Z",                        /* Apr 31 */
        "251301000000Z",                        /* month 13 */
        "250001000000Z",                        /* month 0 */
        "250100000000Z",                        /* day 0 */
        "250101240000Z",                        /* hour 24 */
        "250101006000Z",                        /* minute 60 */
        "250101000060Z",                        /* leap second */
        "250101000000",                         /* no Z */
        "2501010000Z",                          /* no seconds */
        "250101000000+0100", "250101000000.5Z", /* fraction */
        "25010100000aZ",     "250101000000z",
    };
    for (size_t i = 0; i < sizeof(bad_utc) / sizeof(bad_utc[0]); i++) {
        if (time_text(PL_DER_UTC_TIME, bad_utc[i], &t) != PADLOCK_E_DER) {
            fail_msg("UTCTime %s accepted", bad_utc[i]);
        }
    }
    const char *bad_gen[] = {"20250101000000.5Z", "20250101000000.0Z",   "20250101000000",
                             "202501010000Z",     "20250101000000+0000", "2025010100000Z"};
    for (size_t i = 0; i < sizeof(bad_gen) / sizeof(bad_gen[0]); i++) {
        if (time_text(PL_DER_GENERALIZED_TIME, bad_gen[i], &t) != PADLOCK_E_DER) {
            fail_msg("GeneralizedTime %s accepted", bad_gen[i]);
        }
    }
    /* Only the two time types. */
    PL_ASSERT_ERR(time_text(PL_DER_PRINTABLE_STRING, "250101000000Z", &t), PADLOCK_E_DER);
}

static void check_string(const char *hex, int ok) {
    pl_cur c = hex_cur(hex);
    pl_der_tag tag;
    pl_span s;
    padlock_err err = pl_der_string(&c, &tag, &s);
    if ((err == PADLOCK_OK) != ok) {
        fail_msg("string %s: got %d, expected %s", hex, (int)err, ok ? "OK" : "error");
    }
}

static void test_strings(void **state) {
    (void)state;
    check_string("13054578616d70", 1); /* PrintableString "Examp" */
    check_string("13012a", 0);         /* '*' is not printable */
    check_string("130140", 0);         /* '@' is not printable */
    check_string("0c03e282ac", 1);     /* UTF-8 euro sign */
    check_string("0c02c080", 0);       /* overlong */
    check_string("0c03eda080", 0);     /* surrogate */
    check_string("0c04f4908080", 0);   /* above U+10FFFF */
    check_string("0c01e2", 0);         /* truncated */
    check_string("0c01ff", 0);
    check_string("160141", 1); /* IA5 */
    check_string("160180", 0);
    check_string("1e020041", 1);     /* BMP "A" */
    check_string("1e0141", 0);       /* odd length */
    check_string("1e02d800", 0);     /* surrogate */
    check_string("1c0400000041", 1); /* UniversalString "A" */
    check_string("1c0400110000", 0);
    check_string("14029fff", 1); /* Teletex: any octets */
    check_string("12023120", 1); /* NumericString */
    check_string("120141", 0);
    check_string("1a017f", 0); /* VisibleString excludes DEL */
    check_string("040141", 0); /* not a string type */
    pl_cur c = hex_cur("860141");
    pl_span s;
    PL_ASSERT_OK(pl_der_ia5(&c, PL_DER_CTX(6), &s));
    c = hex_cur("860180");
    PL_ASSERT_ERR(pl_der_ia5(&c, PL_DER_CTX(6), &s), PADLOCK_E_DER);
}

static void test_civil_time(void **state) {
    (void)state;
    char buf[PL_RFC3339_BUF];
    pl_time_format_rfc3339(1740787200, buf);
    assert_string_equal(buf, "2025-03-01T00:00:00Z");
    pl_time_format_rfc3339(-1, buf);
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    pl_time_format_rfc3339(INT64_MAX, buf);
    assert_string_equal(buf, "9999-12-31T23:59:59Z");
    pl_time_format_rfc3339(INT64_MIN, buf);
    assert_string_equal(buf, "0000-01-01T00:00:00Z");
    /* Round trips across leap years, centuries and negative times. */
    for (int64_t t = -5000000000LL; t < 9000000000LL; t += 86399 * 97 + 13) {
        pl_civil_time c;
        pl_civil_from_unix(t, &c);
        assert_true(pl_civil_valid(&c));
        assert_true(pl_civil_to_unix(&c) == t);
    }
    int64_t t;
    PL_ASSERT_OK(pl_time_parse_rfc3339("2025-03-01T00:00:00Z", &t));
    assert_int_equal(t, 1740787200);
    PL_ASSERT_OK(pl_time_parse_rfc3339("2025-03-01t01:30:00.123+01:30", &t));
    assert_int_equal(t, 1740787200);
    PL_ASSERT_OK(pl_time_parse_rfc3339("2025-02-28T23:00:00-01:00", &t));
    assert_int_equal(t, 1740787200);
    const char *bad[] = {"2025-02-29T00:00:00Z",     "2025-03-01T00:00:00",
                         "2025-03-01 00:00:00Z",     "2025-03-01T00:00:00.Z",
                         "2025-03-01T00:00:00+1:00", "2025-03-01T00:00:00Zx",
                         "2025-3-01T00:00:00Z",      "",
                         "2025-03-01T24:00:00Z"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        PL_ASSERT_ERR(pl_time_parse_rfc3339(bad[i], &t), PADLOCK_E_INVALID_ARGUMENT);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_lengths, free_hex),
        cmocka_unit_test_teardown(test_tags, free_hex),
        cmocka_unit_test_teardown(test_optional, free_hex),
        cmocka_unit_test_teardown(test_integer, free_hex),
        cmocka_unit_test_teardown(test_boolean_null, free_hex),
        cmocka_unit_test_teardown(test_bit_string, free_hex),
        cmocka_unit_test_teardown(test_oid, free_hex),
        cmocka_unit_test_teardown(test_time, free_hex),
        cmocka_unit_test_teardown(test_strings, free_hex),
        cmocka_unit_test(test_civil_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
