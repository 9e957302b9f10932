/* The public-value modular inversion behind ECDSA verification (src/crypto/modinv.c): every
 * unit of a small prime field exhaustively, the three NIST curve orders against Python's
 * pow(a, -1, n) on edge and pseudo-random values, and the refusals (zero, a >= n, even or unit
 * modulus, a sharing a factor with n). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/modinv.h"
#include "testlib.h"

/* The orders n of P-256, P-384 and P-521 (SEC 2 v2 §2.4.2, §2.5.1, §2.6.1). */
static const char *const pl_orders[] = {
    "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
    "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52"
    "973",
    "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f7"
    "09a5d03bb5c9b8899c47aebb6fb71e91386409",
};

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

/* The values inverted for one order: 1, 2, n-1, n-2, powers of two (long runs of trailing
 * zeros, as a crafted signature's s may have), then pseudo-random values below n. */
#define PL_MI_VALUES 40

static void make_values(const uint8_t *n, size_t len, uint8_t values[][PL_MODINV_MAX_LEN]) {
    pl_test_rng rng;
    pl_test_rng_seed(&rng, 0x6d6f64696e76ULL + len);
    for (int v = 0; v < PL_MI_VALUES; v++) {
        uint8_t *a = values[v];
        memset(a, 0, len);
        if (v == 0 || v == 1) {
            a[len - 1] = (uint8_t)(v + 1);
        } else if (v == 2 || v == 3) {
            memcpy(a, n, len);
            a[len - 1] = (uint8_t)(a[len - 1] - (v - 1)); /* n is odd: no borrow */
        } else if (v < 12) {
            size_t bit = (size_t)(v - 4) * (8 * len - 10) / 7 + 1; /* 2^1 .. 2^(bits-9) */
            a[len - 1 - bit / 8] = (uint8_t)(1u << (bit % 8));
        } else {
            PL_ASSERT_OK(pl_test_rng_fill(&rng, a, len));
            a[0] = (uint8_t)(a[0] % (n[0] + 1)); /* at most n's top byte ... */
            a[0] = a[0] == n[0] && n[0] > 0 ? (uint8_t)(n[0] - 1) : a[0]; /* ... and below n */
            a[len - 1] |= 1;
        }
    }
}

static void test_modinv_curve_orders(void **state) {
    (void)state;
    for (size_t c = 0; c < sizeof(pl_orders) / sizeof(pl_orders[0]); c++) {
        size_t len;
        uint8_t *n = pl_test_unhex(pl_orders[c], &len);
        assert_non_null(n);
        static uint8_t values[PL_MI_VALUES][PL_MODINV_MAX_LEN];
        make_values(n, len, values);
        static char cmd[PL_MI_VALUES * (2 * PL_MODINV_MAX_LEN + 1) + 512];
        int at = snprintf(cmd, sizeof(cmd),
                          "python3 -c 'import sys; n = int(sys.argv[1], 16); "
                          "print(\" \".join(format(pow(int(a, 16), -1, n), \"0%zux\") "
                          "for a in sys.argv[2:]))' %s",
                          2 * len, pl_orders[c]);
        for (int v = 0; v < PL_MI_VALUES; v++) {
            cmd[at++] = ' ';
            hex_of(values[v], len, cmd + at);
            at += (int)(2 * len);
        }
        char *want = NULL;
        assert_int_equal(pl_test_sh_capture(&want, "%s", cmd), 0);
        assert_non_null(want);
        for (int v = 0; v < PL_MI_VALUES; v++) {
            uint8_t w[PL_MODINV_MAX_LEN];
            PL_ASSERT_OK(pl_modinv_vartime(values[v], n, len, w));
            char got[2 * PL_MODINV_MAX_LEN + 1];
            hex_of(w, len, got);
            const char *expect = want + (size_t)v * (2 * len + 1);
            if (strncmp(got, expect, 2 * len) != 0) {
                fail_msg("order %zu, value %d: got %s, want %.*s", c, v, got, (int)(2 * len),
                         expect);
            }
        }
        free(want);
        free(n);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modinv_small_field_exhaustive),
        cmocka_unit_test(test_modinv_refusals),
        cmocka_unit_test(test_modinv_curve_orders),
    };
    return cmocka_run_group_tests_name("modinv", tests, NULL, NULL);
}
