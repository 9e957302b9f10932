/* Modular inversion of public values by the optimised binary GCD (T. Pornin, "Optimized Binary
 * GCD for Modular Inversion", IACR ePrint 2020/972, algorithm 2, here in variable time): the
 * ECDSA verifier's w = s^-1 mod n (SEC1 §4.1.4 step 4). Numbers are little-endian arrays of
 * 64-bit words of one fixed width per call. */
#include "crypto/modinv.h"

#include <string.h>

#ifndef __SIZEOF_INT128__
#error "src/crypto/modinv.c needs a compiler with 128-bit integers (gcc or clang on a 64-bit target)"
#endif

#define PL_MODINV_WORDS ((PL_MODINV_MAX_LEN + 7) / 8)

__extension__ typedef unsigned __int128 pl_u128;
__extension__ typedef __int128 pl_i128;

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

/* The bit length of x (one more than the index of its highest set bit), 0 for zero. */
static inline unsigned pl_mi_bitlen(const pl_mi_num *x, size_t words) {
    for (size_t i = words; i-- > 0;) {
        if (x->w[i] != 0) {
            return (unsigned)(64 * i + 64 - (size_t)__builtin_clzll(x->w[i]));
        }
    }
    return 0;
}

/* The 64-bit approximation of x for a round in which the larger number has n >= 64 bits: its
 * low 31 bits exactly, above them the 33 bits of x from bit n - 33 up. */
static inline uint64_t pl_mi_approx(const pl_mi_num *x, unsigned n) {
    unsigned p = n - 33;
    uint64_t hi = x->w[p / 64] >> (p % 64);
    if (p % 64 > 31 && p / 64 + 1 < PL_MODINV_WORDS) {
        hi |= x->w[p / 64 + 1] << (64 - p % 64);
    }
    return (x->w[0] & 0x7fffffff) | ((hi & UINT64_C(0x1ffffffff)) << 31);
}

/* t = x * f + y * g as a signed number of words + 1 words (two's complement). */
static inline void pl_mi_lincomb(const pl_mi_num *x, int64_t f, const pl_mi_num *y, int64_t g,
                                 uint64_t *t, size_t words) {
    pl_i128 carry = 0;
    PL_MI_UNROLL
    for (size_t i = 0; i < words; i++) {
        pl_i128 v = (pl_i128)x->w[i] * f + (pl_i128)y->w[i] * g + carry;
        t[i] = (uint64_t)v;
        carry = v >> 64; /* arithmetic: gcc and clang shift signed values so */
    }
    t[words] = (uint64_t)carry;
}

/* t >>= 31 over words + 1 words, arithmetically; returns 1 if t is negative. */
static inline int pl_mi_sar31(uint64_t *t, size_t words) {
    PL_MI_UNROLL
    for (size_t i = 0; i < words; i++) {
        t[i] = (t[i] >> 31) | (t[i + 1] << 33);
    }
    t[words] = (uint64_t)((int64_t)t[words] >> 31);
    return (int64_t)t[words] < 0;
}

/* out = |t| for t of words + 1 words whose magnitude fits words words. */
static inline void pl_mi_abs(const uint64_t *t, int negative, pl_mi_num *out, size_t words) {
    uint64_t flip = negative ? UINT64_MAX : 0;
    uint64_t carry = (uint64_t)negative;
    PL_MI_UNROLL
    for (size_t i = 0; i < words; i++) {
        uint64_t v = (t[i] ^ flip) + carry;
        carry = v < carry;
        out->w[i] = v;
    }
}

/* x = (x * f + y * g) / 2^31 exactly (the low 31 bits of the sum are zero); returns 1, with
 * x = |x|, if the result was negative. */
static inline int pl_mi_update(pl_mi_num *x, int64_t f, const pl_mi_num *y, int64_t g,
                               size_t words) {
    uint64_t t[PL_MODINV_WORDS + 1];
    pl_mi_lincomb(x, f, y, g, t, words);
    int negative = pl_mi_sar31(t, words);
    pl_mi_abs(t, negative, x, words);
    return negative;
}

/* out = (u * f + v * g) / 2^31 mod n for u, v in [0, n-1] and |f| + |g| <= 2^31, with
 * ninv = -n^-1 mod 2^64: adding k * n, k < 2^31, clears the low 31 bits (a Montgomery
 * reduction step), and the quotient lies in (-n, 2n). */
static inline void pl_mi_update_mod(const pl_mi_num *u, int64_t f, const pl_mi_num *v, int64_t g,
                                    const pl_mi_num *n, uint64_t ninv, pl_mi_num *out,
                                    size_t words) {
    uint64_t t[PL_MODINV_WORDS + 1];
    pl_mi_lincomb(u, f, v, g, t, words);
    uint64_t k = (t[0] * ninv) & 0x7fffffff;
    pl_i128 carry = 0;
    PL_MI_UNROLL
    for (size_t i = 0; i < words; i++) {
        pl_i128 s = (pl_i128)t[i] + (pl_i128)((pl_u128)k * n->w[i]) + carry;
        t[i] = (uint64_t)s;
        carry = s >> 64;
    }
    t[words] = (uint64_t)((pl_i128)(int64_t)t[words] + carry);
    int negative = pl_mi_sar31(t, words);
    /* Into [0, n-1]: add n to a negative result, subtract it from one at n or above. */
    uint64_t nt[PL_MODINV_WORDS + 1];
    memcpy(nt, n->w, words * sizeof(uint64_t));
    nt[words] = 0;
    int subtract = !negative;
    if (subtract) {
        int below = 0; /* t < n? */
        for (size_t i = words + 1; i-- > 0;) {
            if (t[i] != nt[i]) {
                below = t[i] < nt[i];
                break;
            }
        }
        subtract = !below;
    }
    if (negative || subtract) {
        uint64_t c = 0;
        for (size_t i = 0; i <= words; i++) {
            uint64_t a = t[i];
            uint64_t b = nt[i];
            if (negative) {
                uint64_t r = a + c;
                c = r < c;
                t[i] = r + b;
                c += t[i] < r;
            } else {
                uint64_t r = a - c;
                c = r > a;
                c += r < b;
                t[i] = r - b;
            }
        }
    }
    memcpy(out->w, t, words * sizeof(uint64_t));
}

/* The inversion of a in [1, n-1], n odd and above 1 (a is overwritten). Each round runs 31 steps of
 * the binary GCD on 64-bit approximations of a and b (exact in their low 31 bits, the decisions'
 * only input besides the comparison), collecting the steps as a matrix applied once to the full
 * numbers, and divided out of u and v by one Montgomery reduction. Invariants: a = y * u and b = y
 * * v (mod n), y the input; b odd. When a reaches 0, b is gcd(y, n) and v the inverse if that is 1.
 * Called with a constant words per curve size, so the compiler unrolls every word loop. */
static inline __attribute__((always_inline)) padlock_err
pl_mi_core(pl_mi_num *a, const pl_mi_num *mod, size_t words, pl_mi_num *out) {
    /* ninv = -n^-1 mod 2^64 by Newton's iteration: n * n = 1 mod 8 for odd n, and each step
     * doubles the correct low bits (3, 6, 12, 24, 48, 96). */
    uint64_t inv = mod->w[0];
    for (int i = 0; i < 5; i++) {
        inv *= 2 - mod->w[0] * inv;
    }
    uint64_t ninv = 0 - inv;
    pl_mi_num b = *mod;
    pl_mi_num u;
    pl_mi_num v;
    memset(&u, 0, sizeof(u));
    u.w[0] = 1;
    memset(&v, 0, sizeof(v));
    /* Each round takes 31 of the at most 2 * bits - 1 steps the binary GCD needs (Pornin §3). */
    size_t rounds = (2 * 64 * words + 30) / 31;
    for (size_t round = 0; round < rounds && !pl_mi_is_zero(a, words); round++) {
        unsigned len = pl_mi_bitlen(&b, words);
        unsigned alen = pl_mi_bitlen(a, words);
        len = alen > len ? alen : len;
        uint64_t xa = len <= 64 ? a->w[0] : pl_mi_approx(a, len);
        uint64_t xb = len <= 64 ? b.w[0] : pl_mi_approx(&b, len);
        int64_t f0 = 1;
        int64_t g0 = 0;
        int64_t f1 = 0;
        int64_t g1 = 1;
        for (int step = 0; step < 31; step++) {
            if (xa & 1) {
                if (xa < xb) {
                    uint64_t tx = xa;
                    xa = xb;
                    xb = tx;
                    int64_t tf = f0;
                    f0 = f1;
                    f1 = tf;
                    int64_t tg = g0;
                    g0 = g1;
                    g1 = tg;
                }
                xa -= xb;
                f0 -= f1;
                g0 -= g1;
            }
            xa >>= 1;
            f1 *= 2;
            g1 *= 2;
        }
        pl_mi_num a_old = *a;
        if (pl_mi_update(a, f0, &b, g0, words)) {
            f0 = -f0;
            g0 = -g0;
        }
        if (pl_mi_update(&b, g1, &a_old, f1, words)) {
            f1 = -f1;
            g1 = -g1;
        }
        pl_mi_num u_old = u;
        pl_mi_update_mod(&u, f0, &v, g0, mod, ninv, &u, words);
        pl_mi_update_mod(&u_old, f1, &v, g1, mod, ninv, &v, words);
    }
    /* b = gcd(a, n): no inverse unless it is 1. */
    PL_CHECK(pl_mi_is_zero(a, words) && pl_mi_is_one(&b, words), PADLOCK_E_INVALID_ARGUMENT);
    *out = v;
    return PADLOCK_OK;
}

padlock_err pl_modinv_vartime(const uint8_t *a, const uint8_t *n, size_t len, uint8_t *out) {
    PL_CHECK(len >= 1 && len <= PL_MODINV_MAX_LEN, PADLOCK_E_INVALID_ARGUMENT);
    size_t words = (len + 7) / 8;
    pl_mi_num x;
    pl_mi_num mod;
    pl_mi_from_bytes(&x, a, len);
    pl_mi_from_bytes(&mod, n, len);
    PL_CHECK((mod.w[0] & 1) == 1 && !pl_mi_is_one(&mod, words), PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(!pl_mi_is_zero(&x, words) && !pl_mi_geq(&x, &mod, words), PADLOCK_E_INVALID_ARGUMENT);
    pl_mi_num inv;
    padlock_err err;
    switch (words) {
    case 4: err = pl_mi_core(&x, &mod, 4, &inv); break; /* P-256 */
    case 6: err = pl_mi_core(&x, &mod, 6, &inv); break; /* P-384 */
    case 9: err = pl_mi_core(&x, &mod, 9, &inv); break; /* P-521 */
    default: err = pl_mi_core(&x, &mod, words, &inv); break;
    }
    if (err == PADLOCK_OK) {
        pl_mi_to_bytes(&inv, out, len);
    }
    return err;
}
