/* The public-value modular inversion behind ECDSA verification (src/crypto/modinv.c): every
 * unit of two small moduli exhaustively, the three NIST curve orders and two composites against
 * Python's pow(a, -1, n) on edge and pseudo-random values, and the refusals (zero, a >= n, even
 * or unit modulus, a sharing a factor with n). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/modinv.h"
#include "testlib.h"

static void test_modinv_small_field_exhaustive(void **state) {
    (void)state;
    /* Every unit of Z/251 (prime) and of Z/255 = Z/(3 * 5 * 17): a * a^-1 = 1. */
    const unsigned moduli[] = {251, 255};
    for (size_t m = 0; m < 2; m++) {
        uint8_t n = (uint8_t)moduli[m];
        for (unsigned a = 1; a < n; a++) {
            uint8_t in = (uint8_t)a;
            uint8_t w = 0;
            padlock_err err = pl_modinv_vartime(&in, &n, 1, &w);
            if (a % 3 == 0 && n == 255) {
                PL_ASSERT_ERR(err, PADLOCK_E_INVALID_ARGUMENT);
            } else if ((a % 5 == 0 || a % 17 == 0) && n == 255) {
                PL_ASSERT_ERR(err, PADLOCK_E_INVALID_ARGUMENT);
            } else {
                PL_ASSERT_OK(err);
                assert_int_equal((a * w) % n, 1);
            }
        }
    }
}

static void test_modinv_refusals(void **state) {
    (void)state;
    uint8_t n[2] = {0x00, 0xfb}; /* 251, two bytes wide */
    uint8_t a[2] = {0x00, 0x00};
    uint8_t w[2];
    PL_ASSERT_ERR(pl_modinv_vartime(a, n, 2, w), PADLOCK_E_INVALID_ARGUMENT); /* zero */
    memcpy(a, n, 2);
    PL_ASSERT_ERR(pl_modinv_vartime(a, n, 2, w), PADLOCK_E_INVALID_ARGUMENT); /* a = n */
    a[0] = 1;
    PL_ASSERT_ERR(pl_modinv_vartime(a, n, 2, w), PADLOCK_E_INVALID_ARGUMENT); /* a > n */
    a[0] = 0;
    a[1] = 3;
    uint8_t even[2] = {0x01, 0x00};
    PL_ASSERT_ERR(pl_modinv_vartime(a, even, 2, w), PADLOCK_E_INVALID_ARGUMENT);
    uint8_t one[2] = {0x00, 0x01};
    uint8_t a0[2] = {0x00, 0x00};
    PL_ASSERT_ERR(pl_modinv_vartime(a0, one, 2, w), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_modinv_vartime(a, n, 0, w), PADLOCK_E_INVALID_ARGUMENT);
    uint8_t big[PL_MODINV_MAX_LEN + 1] = {0};
    big[PL_MODINV_MAX_LEN] = 3;
    PL_ASSERT_ERR(pl_modinv_vartime(big, big, sizeof(big), big), PADLOCK_E_INVALID_ARGUMENT);
    /* A multi-word modulus with a common factor: n = 3 * (2^127 - 1), a = 3 * 2^100. */
    uint8_t n3[17] = {0x01, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfd};
    uint8_t a3[17] = {0};
    a3[4] = 0x30; /* 3 * 2^100 = 0x3 << 100: byte 4 from the top of 17 holds bits 100..103 */
    uint8_t w3[17];
    PL_ASSERT_ERR(pl_modinv_vartime(a3, n3, 17, w3), PADLOCK_E_INVALID_ARGUMENT);
}

static void hex_of(const uint8_t *b, size_t len, char *out) {
    for (size_t i = 0; i < len; i++) {
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    }
}

/* The values inverted for one modulus: small ones, the largest ones below n, powers of two
 * (long runs of trailing zeros, as a crafted signature's s may have), all-ones runs, then
 * pseudo-random values below n. */
#define PL_MI_VALUES 1000

static void make_values(const uint8_t *n, size_t len, uint8_t (*values)[PL_MODINV_MAX_LEN]) {
    pl_test_rng rng;
    pl_test_rng_seed(&rng, 0x6d6f64696e76ULL + len);
    for (int v = 0; v < PL_MI_VALUES; v++) {
        uint8_t *a = values[v];
        memset(a, 0, len);
        if (v < 40) {
            a[len - 1] = (uint8_t)(v + 1);
        } else if (v < 80) {
            memcpy(a, n, len);
            unsigned borrow = (unsigned)(v - 39); /* n - 1 .. n - 40 */
            for (size_t i = len; i-- > 0 && borrow != 0;) {
                unsigned d = a[i];
                a[i] = (uint8_t)(d - borrow);
                borrow = d < borrow ? 1 : 0;
            }
        } else if (v < 80 + (int)(8 * len) - 8) {
            size_t bit = (size_t)(v - 80) + 1; /* 2^1 .. below the top octet */
            a[len - 1 - bit / 8] = (uint8_t)(1u << (bit % 8));
        } else if (v < 80 + 2 * ((int)(8 * len) - 8)) {
            size_t bits = (size_t)(v - 80 - (int)(8 * len) + 8) + 1; /* 2^bits - 1 */
            for (size_t i = 0; i < bits; i++) {
                a[len - 1 - i / 8] |= (uint8_t)(1u << (i % 8));
            }
        } else {
            PL_ASSERT_OK(pl_test_rng_fill(&rng, a, len));
            a[0] = n[0] == 0xff ? a[0] : (uint8_t)(a[0] % n[0]); /* below n's top octet ... */
            a[0] = a[0] == 0xff ? 0xfe : a[0];                   /* ... so below n */
        }
    }
}

/* The moduli: the orders n of P-256, P-384 and P-521 (SEC 2 v2 §2.4.2, §2.5.1, §2.6.1), where
 * every value is invertible, and odd composites of three and eight words, where some are not. */
static const char *const pl_moduli[] = {
    "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
    "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52"
    "973",
    "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f"
    "709a5d03bb5c9b8899c47aebb6fb71e91386409",
    "017ffffffffffffffffffffffffffffffd", /* 3 * (2^127 - 1) */
    "c3a5e1f0d2b4968778695a4b3c2d1e0ff1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff"
    "0123456789abcdef0fedcba987654321f5", /* divisible by 5 */
};

static void test_modinv_against_python(void **state) {
    (void)state;
    for (size_t c = 0; c < sizeof(pl_moduli) / sizeof(pl_moduli[0]); c++) {
        size_t len;
        uint8_t *n = pl_test_unhex(pl_moduli[c], &len);
        assert_non_null(n);
        static uint8_t values[PL_MI_VALUES][PL_MODINV_MAX_LEN];
        make_values(n, len, values);
        static char text[PL_MI_VALUES * (2 * PL_MODINV_MAX_LEN + 1) + 1];
        size_t at = 0;
        for (int v = 0; v < PL_MI_VALUES; v++) {
            hex_of(values[v], len, text + at);
            at += 2 * len;
            text[at++] = '\n';
        }
        char path[512];
        snprintf(path, sizeof(path), "%s/values-%zu.txt", pl_test_tmpdir(), c);
        assert_int_equal(pl_test_write_file(path, text, at), 0);
        /* Python's pow(a, -1, n) (3.8+), "-" where there is no inverse. */
        char *want = NULL;
        assert_int_equal(pl_test_sh_capture(&want,
                                            "python3 -c 'import sys, math\n"
                                            "n = int(sys.argv[1], 16)\n"
                                            "for line in open(sys.argv[2]):\n"
                                            "    a = int(line, 16)\n"
                                            "    print(format(pow(a, -1, n), \"0%zux\") "
                                            "if math.gcd(a, n) == 1 else \"-\")' %s %s",
                                            2 * len, pl_moduli[c], path),
                         0);
        assert_non_null(want);
        const char *line = want;
        int refused = 0;
        for (int v = 0; v < PL_MI_VALUES; v++) {
            uint8_t w[PL_MODINV_MAX_LEN];
            padlock_err err = pl_modinv_vartime(values[v], n, len, w);
            if (line[0] == '-') {
                PL_ASSERT_ERR(err, PADLOCK_E_INVALID_ARGUMENT);
                refused++;
                line += 2;
                continue;
            }
            PL_ASSERT_OK(err);
            char got[2 * PL_MODINV_MAX_LEN + 1];
            hex_of(w, len, got);
            if (strncmp(got, line, 2 * len) != 0 || line[2 * len] != '\n') {
                fail_msg("modulus %zu, value %d: got %s, want %.*s", c, v, got, (int)(2 * len),
                         line);
            }
            line += 2 * len + 1;
        }
        /* The composites exercise the refusal; the orders are prime. */
        assert_true(c < 3 ? refused == 0 : refused > 0);
        free(want);
        free(n);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modinv_small_field_exhaustive),
        cmocka_unit_test(test_modinv_refusals),
        cmocka_unit_test(test_modinv_against_python),
    };
    return cmocka_run_group_tests_name("modinv", tests, NULL, NULL);
}
