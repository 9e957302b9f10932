/* Modular inversion of public values by the binary extended Euclidean algorithm (HAC 14.61,
 * for an odd modulus): the ECDSA verifier's w = s^-1 mod n (SEC1 §4.1.4 step 4). Numbers are
 * little-endian arrays of 64-bit words of one fixed width per call. Variable time. */
#include "crypto/modinv.h"

#include <string.h>

#define PL_MODINV_WORDS ((PL_MODINV_MAX_LEN + 7) / 8)

__extension__ typedef unsigned __int128 pl_u128;

/* The word loops run a constant 4, 6 or 9 times per curve (see pl_modinv_vartime); unrolled,
 * the carries stay in registers. */
#define PL_MI_UNROLL _Pragma("GCC unroll 9")

typedef struct pl_mi_num {
    uint64_t w[PL_MODINV_WORDS];
} pl_mi_num;

static void pl_mi_from_bytes(pl_mi_num *x, const uint8_t *be, size_t len) {
    memset(x, 0, sizeof(*x));
    for (size_t i = 0; i < len; i++) {
        x->w[i / 8] |= (uint64_t)be[len - 1 - i] << (8 * (i % 8));
    }
}

static void pl_mi_to_bytes(const pl_mi_num *x, uint8_t *be, size_t len) {
    for (size_t i = 0; i < len; i++) {
        be[len - 1 - i] = (uint8_t)(x->w[i / 8] >> (8 * (i % 8)));
    }
}

static inline int pl_mi_is_zero(const pl_mi_num *x, size_t words) {
    uint64_t acc = 0;
    PL_MI_UNROLL
    for (size_t i = 0; i < words; i++) {
        acc |= x->w[i];
    }
    return acc == 0;
}

static inline int pl_mi_is_one(const pl_mi_num *x, size_t words) {
    uint64_t acc = x->w[0] ^ 1;
    PL_MI_UNROLL
    for (size_t i = 1; i < words; i++) {
        acc |= x->w[i];
    }
    return acc == 0;
}

/* 1 if x >= y. */
static inline int pl_mi_geq(const pl_mi_num *x, const pl_mi_num *y, size_t words) {
    for (size_t i = words; i-- > 0;) {
        if (x->w[i] != y->w[i]) {
            return x->w[i] > y->w[i];
        }
    }
    return 1;
}

/* x += y; returns the carry out of the top word. */
static inline uint64_t pl_mi_add(pl_mi_num *x, const pl_mi_num *y, size_t words) {
    uint64_t carry = 0;
    PL_MI_UNROLL
    for (size_t i = 0; i < words; i++) {
        uint64_t s = x->w[i] + carry;
        carry = s < carry;
        x->w[i] = s + y->w[i];
        carry += x->w[i] < s;
    }
    return carry;
}

/* x -= y; returns the borrow out of the top word. */
static inline uint64_t pl_mi_sub(pl_mi_num *x, const pl_mi_num *y, size_t words) {
    uint64_t borrow = 0;
    PL_MI_UNROLL
    for (size_t i = 0; i < words; i++) {
        uint64_t d = x->w[i] - borrow;
        borrow = d > x->w[i];
        borrow += d < y->w[i];
        x->w[i] = d - y->w[i];
    }
    return borrow;
}

/* x >>= k for 1 <= k <= 63, the low k bits of top entering at the most significant word. */
static inline void pl_mi_shr(pl_mi_num *x, uint64_t top, unsigned k, size_t words) {
    PL_MI_UNROLL
    for (size_t i = 0; i + 1 < words; i++) {
        x->w[i] = (x->w[i] >> k) | (x->w[i + 1] << (64 - k));
    }
    x->w[words - 1] = (x->w[words - 1] >> k) | (top << (64 - k));
}

/* x = x / 2^k mod n for x in [0, n-1], 1 <= k <= 63, with ninv = -n^-1 mod 2^64 (one
 * Montgomery reduction step of k bits): m = x * ninv mod 2^k makes x + m * n divisible by 2^k,
 * and (x + m * n) / 2^k < n since m < 2^k. */
static inline void pl_mi_div2k_mod(pl_mi_num *x, const pl_mi_num *n, uint64_t ninv, unsigned k,
                                   size_t words) {
    uint64_t m = (x->w[0] * ninv) & ((UINT64_C(1) << k) - 1);
    uint64_t carry = 0;
    PL_MI_UNROLL
    for (size_t i = 0; i < words; i++) {
        pl_u128 t = (pl_u128)m * n->w[i] + x->w[i] + carry;
        x->w[i] = (uint64_t)t;
        carry = (uint64_t)(t >> 64);
    }
    pl_mi_shr(x, carry, k, words);
}

/* Divides u by its largest power of two and x by the same power mod n (u nonzero). */
static inline void pl_mi_make_odd(pl_mi_num *u, pl_mi_num *x, const pl_mi_num *n, uint64_t ninv,
                                  size_t words) {
    while ((u->w[0] & 1) == 0) {
        unsigned k = u->w[0] == 0 ? 63 : (unsigned)__builtin_ctzll(u->w[0]);
        pl_mi_shr(u, 0, k, words);
        pl_mi_div2k_mod(x, n, ninv, k, words);
    }
}

/* x = x - y mod n for x, y in [0, n-1]. */
static inline void pl_mi_sub_mod(pl_mi_num *x, const pl_mi_num *y, const pl_mi_num *n,
                                 size_t words) {
    if (pl_mi_sub(x, y, words)) {
        (void)pl_mi_add(x, n, words); /* the carry out cancels the borrow */
    }
}

/* The inversion on words-word numbers with u = a in [1, n-1], n odd and above 1. Called with a
 * constant words per curve size, so the compiler unrolls every word loop. */
static inline __attribute__((always_inline)) padlock_err
pl_mi_core(pl_mi_num *u, const pl_mi_num *mod, size_t words, pl_mi_num *out) {
    /* ninv = -n^-1 mod 2^64 by Newton's iteration: n * n = 1 mod 8 for odd n, and each step
     * doubles the correct low bits (3, 6, 12, 24, 48, 96). */
    uint64_t inv = mod->w[0];
    for (int i = 0; i < 5; i++) {
        inv *= 2 - mod->w[0] * inv;
    }
    uint64_t ninv = 0 - inv;
    pl_mi_num v = *mod;
    pl_mi_num x1;
    pl_mi_num x2;
    memset(&x1, 0, sizeof(x1));
    x1.w[0] = 1;
    memset(&x2, 0, sizeof(x2));
    /* Invariants: x1 * a = u and x2 * a = v (mod n); gcd(u, v) = gcd(a, n). Each round makes
     * u and v odd, then replaces the larger by the difference, until one of them is 1. */
    while (!pl_mi_is_one(u, words) && !pl_mi_is_one(&v, words)) {
        /* u = v means gcd(a, n) = u > 1: no inverse (and u would become 0). */
        PL_CHECK(!pl_mi_is_zero(u, words) && !pl_mi_is_zero(&v, words), PADLOCK_E_INVALID_ARGUMENT);
        pl_mi_make_odd(u, &x1, mod, ninv, words);
        pl_mi_make_odd(&v, &x2, mod, ninv, words);
        if (pl_mi_geq(u, &v, words)) {
            (void)pl_mi_sub(u, &v, words);
            pl_mi_sub_mod(&x1, &x2, mod, words);
        } else {
            (void)pl_mi_sub(&v, u, words);
            pl_mi_sub_mod(&x2, &x1, mod, words);
        }
    }
    *out = pl_mi_is_one(u, words) ? x1 : x2;
    return PADLOCK_OK;
}

padlock_err pl_modinv_vartime(const uint8_t *a, const uint8_t *n, size_t len, uint8_t *out) {
    PL_CHECK(len >= 1 && len <= PL_MODINV_MAX_LEN, PADLOCK_E_INVALID_ARGUMENT);
    size_t words = (len + 7) / 8;
    pl_mi_num u;
    pl_mi_num mod;
    pl_mi_from_bytes(&u, a, len);
    pl_mi_from_bytes(&mod, n, len);
    PL_CHECK((mod.w[0] & 1) == 1 && !pl_mi_is_one(&mod, words), PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(!pl_mi_is_zero(&u, words) && !pl_mi_geq(&u, &mod, words), PADLOCK_E_INVALID_ARGUMENT);
    pl_mi_num inv;
    padlock_err err;
    switch (words) {
    case 4: err = pl_mi_core(&u, &mod, 4, &inv); break; /* P-256 */
    case 6: err = pl_mi_core(&u, &mod, 6, &inv); break; /* P-384 */
    case 9: err = pl_mi_core(&u, &mod, 9, &inv); break; /* P-521 */
    default: err = pl_mi_core(&u, &mod, words, &inv); break;
    }
    if (err == PADLOCK_OK) {
        pl_mi_to_bytes(&inv, out, len);
    }
    return err;
}
