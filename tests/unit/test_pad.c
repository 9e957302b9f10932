/* The TLS 1.3 padding scan (src/record/pad.c, RFC 8446 §5.4): every implementation this machine
 * runs (64-bit words, SSE2, AVX2) finds the last non-zero byte exactly where a plain backwards
 * search does, for every length up to a few blocks and for full records, with the content type
 * at every position near block and group edges, zeros inside the content, and no non-zero byte
 * at all. */
#include <string.h>

#include "record/pad.h"
#include "record/record.h"
#include "testlib.h"

#define MAX_INNER (PL_RECORD_MAX_PLAINTEXT + 1)
/* Past a record's size too: the vector scans count blocks in runs of 255. */
#define MAX_SCAN (256 * 256 + 300)

static uint8_t buf[MAX_SCAN];

/* The reference: a backwards search. */
static int reference(const uint8_t *p, size_t n, size_t *at) {
    for (size_t i = n; i > 0; i--) {
        if (p[i - 1] != 0) {
            *at = i - 1;
            return 1;
        }
    }
    *at = 0;
    return 0;
}

/* The implementations to compare: the portable one always, the vector ones this machine has. */
static size_t impls(pl_pad_impl out[3]) {
    size_t num = 0;
    out[num++] = PL_PAD_PORTABLE;
    if (pl_pad_best() != PL_PAD_PORTABLE) {
        out[num++] = PL_PAD_SSE2;
    }
    if (pl_pad_best() == PL_PAD_AVX2) {
        out[num++] = PL_PAD_AVX2;
    }
    return num;
}

static void check(size_t n) {
    pl_pad_impl list[3];
    size_t num = impls(list);
    size_t want_at;
    int want = reference(buf, n, &want_at);
    for (size_t k = 0; k < num; k++) {
        size_t at = 12345;
        int found = pl_pad_find_type_with(buf, n, list[k], &at);
        if (found != want || at != want_at) {
            fail_msg("impl %d, length %zu: found %d at %zu, want %d at %zu", (int)list[k], n, found,
                     at, want, want_at);
        }
    }
    size_t at;
    assert_int_equal(pl_pad_find_type(buf, n, &at), want);
    assert_int_equal(at, want_at);
}

/* Lengths 0..1100 (every block and group edge of the first four blocks), the type at every
 * position of each, content bytes before it (some zero), zeros after it; and all zeros. */
static void test_short_lengths(void **state) {
    (void)state;
    for (size_t n = 0; n <= 1100; n++) {
        memset(buf, 0, n);
        check(n);
        for (size_t t = 0; t < n; t++) {
            memset(buf, 0, n);
            for (size_t i = 0; i < t; i++) {
                buf[i] = (uint8_t)(i % 5 == 0 ? 0 : i * 7 + 1);
            }
            buf[t] = (uint8_t)(t % 3 + PL_CONTENT_ALERT);
            check(n);
        }
    }
}

/* Full-size inner plaintexts (2^14 + 1 and nearby) and lengths around the 255-block run of the
 * vector scans: the type near every block edge and at both ends, with and without an earlier
 * non-zero byte; all 0xff; all zeros. */
static void test_full_records(void **state) {
    (void)state;
    const size_t lens[] = {MAX_INNER, MAX_INNER - 1, 16384 - 255,
                           255 * 256, 255 * 256 + 1, MAX_SCAN};
    for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
        size_t n = lens[l];
        for (size_t t = 0; t < n; t += (t % 256 == 0 || t % 256 == 255) ? 1 : 127) {
            memset(buf, 0, n);
            buf[0] = 1;
            buf[t] = PL_CONTENT_APPLICATION_DATA;
            check(n);
            buf[0] = 0;
            check(n);
        }
        memset(buf, 0xff, n);
        check(n);
        memset(buf, 0, n);
        check(n);
    }
}

/* Padding lengths of a full-size inner plaintext (2^14 + 1) and of lengths one short of and one
 * past whole vector blocks: every one up to 600 and from 600 short of all but the content type,
 * and those within two bytes of each block edge between. The content before the type is all
 * non-zero, so that only the padding decides. */
static void test_every_padding_length(void **state) {
    (void)state;
    const size_t lens[] = {MAX_INNER, 64 * 256 - 1, 64 * 256 + 1};
    for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
        size_t n = lens[l];
        memset(buf, 0x5a, n);
        for (size_t pad = 0; pad < n; pad++) {
            size_t t = n - 1 - pad;
            size_t edge = t % 128;
            if (pad <= 600 || t <= 600 || edge <= 2 || edge >= 126) {
                buf[t] = PL_CONTENT_HANDSHAKE;
                check(n);
            }
            buf[t] = 0;
        }
        check(n); /* all zeros now */
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_lengths),
        cmocka_unit_test(test_full_records),
        cmocka_unit_test(test_every_padding_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
