/* ECDSA verification (SEC1 v2 §4.1.4) composed from libcrypto's curve arithmetic on the shared
 * per-process groups: the signature's DER (RFC 3279 §2.2.3) read by padlock, s inverted by
 * padlock's public-value inversion, u1·G + u2·Q by libcrypto's EC_POINT_mul. ECDSA_verify on an
 * EC_KEY costs 82 allocations per call, 27 of them copying the group into the key; this costs 3
 * and fewer instructions. */
/* EC_POINT_get_Jprojective_coordinates_GFp is deprecated in 3.0 but documented; see
 * ossl_common.h for why padlock prefers such functions on hot paths. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <string.h>

#include <openssl/bn.h>

#include "crypto/ossl_common.h"
#include "util/lend.h"
#include "wire/der.h"

/* One of the signature's INTEGERs as a len-byte big-endian number, checked to lie in [1, n-1]
 * (SEC1 §4.1.4 step 1). */
static padlock_err pl_ecdsa_scalar(pl_cur *seq, const pl_ossl_curve *curve, uint8_t *out) {
    pl_span v;
    /* Strict DER: minimal, non-negative; ECDSA_verify accepted exactly what re-encodes to the
     * same bytes, which is the same set. */
    PL_CHECK(pl_der_unsigned(seq, PL_DER_INTEGER, &v) == PADLOCK_OK, PADLOCK_E_BAD_SIGNATURE);
    PL_CHECK(v.len >= 1 && v.len <= curve->order_len, PADLOCK_E_BAD_SIGNATURE);
    size_t pad = curve->order_len - v.len;
    memset(out, 0, pad);
    memcpy(out + pad, v.p, v.len);
    /* Both values are public: memcmp's timing reveals nothing. Zero has an empty magnitude. */
    PL_CHECK(memcmp(out, curve->order_be, curve->order_len) < 0, PADLOCK_E_BAD_SIGNATURE);
    return PADLOCK_OK;
}

/* RFC 3279 §2.2.3: Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, nothing after. */
static padlock_err pl_ecdsa_sig_parse(const uint8_t *sig, size_t sig_len,
                                      const pl_ossl_curve *curve, uint8_t *r_out, uint8_t *s_out) {
    pl_cur top;
    pl_cur_init(&top, sig, sig_len);
    pl_cur seq;
    PL_CHECK(pl_der_expect(&top, PL_DER_SEQUENCE, &seq, NULL) == PADLOCK_OK &&
                 pl_der_done(&top) == PADLOCK_OK,
             PADLOCK_E_BAD_SIGNATURE);
    PL_TRY(pl_ecdsa_scalar(&seq, curve, r_out));
    PL_TRY(pl_ecdsa_scalar(&seq, curve, s_out));
    PL_CHECK(pl_der_done(&seq) == PADLOCK_OK, PADLOCK_E_BAD_SIGNATURE);
    return PADLOCK_OK;
}

/* SEC1 §4.1.4 step 3 (as libcrypto does it): e is the digest's leftmost order_bits bits. */
static int pl_ecdsa_digest(const pl_ossl_curve *curve, const uint8_t *digest, size_t len,
                           BIGNUM *e) {
    size_t bits = (size_t)curve->order_bits;
    if (8 * len > bits) {
        len = (bits + 7) / 8;
    }
    if (BN_bin2bn(digest, (int)len, e) == NULL) {
        return 0;
    }
    return 8 * len <= bits || BN_rshift(e, e, (int)(8 - bits % 8)) == 1;
}

/* libcrypto's temporaries for one verification: a BN_CTX (its BIGNUMs keep their storage
 * between uses) and the two points. Fresh ones cost 29 of a verification's 32 allocations, so
 * a few per curve are kept and lent to one verification at a time; a verification that finds
 * them all lent makes its own. They only ever hold public values (the key, the signature and
 * values derived from them), so nothing is wiped between uses. */
typedef struct pl_ecdsa_scratch {
    BN_CTX *bn;
    EC_POINT *q;  /* the public key */
    EC_POINT *pt; /* u1·G + u2·Q */
} pl_ecdsa_scratch;

/* Scratches kept per curve, one per lending slot: the most verifications of one curve that run
 * at once without allocating (each holds 2-3 KiB while kept). */
typedef struct pl_ecdsa_pool {
    pl_lend lend;
    pl_ecdsa_scratch kept[PL_LEND_SLOTS];
} pl_ecdsa_pool;

static pl_ecdsa_pool pl_ecdsa_pools[3] = {
    {.lend = PL_LEND_INIT},
    {.lend = PL_LEND_INIT},
    {.lend = PL_LEND_INIT},
};

static void pl_ecdsa_scratch_free(pl_ecdsa_scratch *sc) {
    EC_POINT_free(sc->pt);
    EC_POINT_free(sc->q);
    BN_CTX_free(sc->bn);
    memset(sc, 0, sizeof(*sc));
}

/* Lends a kept scratch of curve's pool (its objects made on its first use), or fills *own when
 * all are lent. The scratch's bn is NULL when libcrypto could not allocate. */
static pl_ecdsa_scratch *pl_ecdsa_scratch_take(const pl_ossl_curve *curve, pl_ecdsa_pool *pool,
                                               pl_ecdsa_scratch *own) {
    int slot = pl_lend_take(&pool->lend);
    pl_ecdsa_scratch *sc = slot >= 0 ? &pool->kept[slot] : own;
    if (sc->bn == NULL) {
        sc->bn = BN_CTX_new();
        sc->q = EC_POINT_new(curve->group);
        sc->pt = EC_POINT_new(curve->group);
        if (sc->bn == NULL || sc->q == NULL || sc->pt == NULL) {
            pl_ecdsa_scratch_free(sc);
        }
    }
    return sc;
}

/* Gives a lent scratch back to pool, or frees the verification's own. */
static void pl_ecdsa_scratch_give(pl_ecdsa_pool *pool, pl_ecdsa_scratch *sc,
                                  pl_ecdsa_scratch *own) {
    if (sc == own) {
        pl_ecdsa_scratch_free(sc);
        return;
    }
    pl_lend_give(&pool->lend, (int)(sc - pool->kept));
}

/* Step 7 without converting R to affine coordinates (a field inversion, 42 k instructions for
 * P-256): R = (X : Y : Z) in Jacobian coordinates has x = X / Z^2, and x mod n = r exactly when
 * x = r or x = r + n < p, that is X = r * Z^2 or X = (r + n) * Z^2 (mod p). R is not the point
 * at infinity (Z != 0). */
static int pl_ecdsa_x_matches(const pl_ossl_curve *curve, const EC_POINT *pt, const BIGNUM *r,
                              BN_CTX *bn) {
    const BIGNUM *p = EC_GROUP_get0_field(curve->group);
    BIGNUM *x = BN_CTX_get(bn);
    BIGNUM *z = BN_CTX_get(bn);
    BIGNUM *cand = BN_CTX_get(bn); /* the last BN_CTX_get fails if any did */
    if (p == NULL || cand == NULL ||
        EC_POINT_get_Jprojective_coordinates_GFp(curve->group, pt, x, NULL, z, bn) != 1 ||
        BN_mod_sqr(z, z, p, bn) != 1) {
        return 0;
    }
    if (BN_mod_mul(cand, r, z, p, bn) == 1 && BN_cmp(cand, x) == 0) {
        return 1;
    }
    return BN_add(cand, r, curve->order) == 1 && BN_cmp(cand, p) < 0 &&
           BN_mod_mul(cand, cand, z, p, bn) == 1 && BN_cmp(cand, x) == 0;
}

/* Steps 4-7 on parsed values: u1 = e·w, u2 = r·w, R = u1·G + u2·Q, accept iff R is not the
 * point at infinity and x(R) mod n = r. */
static padlock_err pl_ecdsa_check(const pl_ossl_curve *curve, const pl_ecdsa_scratch *sc,
                                  const uint8_t *digest, size_t digest_len, const uint8_t *r_be,
                                  const uint8_t *w_be) {
    const EC_GROUP *group = curve->group;
    BN_CTX *bn = sc->bn;
    EC_POINT *pt = sc->pt;
    int len = (int)curve->order_len;
    BIGNUM *r = BN_CTX_get(bn);
    BIGNUM *w = BN_CTX_get(bn);
    BIGNUM *u1 = BN_CTX_get(bn);
    BIGNUM *u2 = BN_CTX_get(bn); /* the last BN_CTX_get fails if any did */
    if (u2 == NULL || BN_bin2bn(r_be, len, r) == NULL || BN_bin2bn(w_be, len, w) == NULL ||
        !pl_ecdsa_digest(curve, digest, digest_len, u1) ||
        BN_mod_mul(u1, u1, w, curve->order, bn) != 1 ||
        BN_mod_mul(u2, r, w, curve->order, bn) != 1 ||
        EC_POINT_mul(group, pt, u1, sc->q, u2, bn) != 1) {
        return PADLOCK_E_CRYPTO;
    }
    return EC_POINT_is_at_infinity(group, pt) == 0 && pl_ecdsa_x_matches(curve, pt, r, bn)
               ? PADLOCK_OK
               : PADLOCK_E_BAD_SIGNATURE;
}

padlock_err pl_ossl_ecdsa_verify(const pl_spki *spki, const uint8_t *digest, size_t digest_len,
                                 const uint8_t *sig, size_t sig_len) {
    const pl_ossl_curve *curve = pl_ossl_curve_of(spki->type);
    PL_CHECK(curve != NULL, PADLOCK_E_CRYPTO);
    pl_ecdsa_pool *pool = &pl_ecdsa_pools[spki->type == PL_KEY_EC_P256   ? 0
                                          : spki->type == PL_KEY_EC_P384 ? 1
                                                                         : 2];
    pl_ecdsa_scratch own = {NULL, NULL, NULL};
    pl_ecdsa_scratch *sc = pl_ecdsa_scratch_take(curve, pool, &own);
    padlock_err err = PADLOCK_E_NO_MEMORY;
    if (sc->bn != NULL) {
        BN_CTX_start(sc->bn);
        /* RFC 5480 §2.2, SEC1 §3.2.2: oct2point checks the curve equation for every point it
         * decodes, but takes the one-octet encoding of the point at infinity too, under which
         * every (x(e·G) mod n, 1) would verify: Q must not be infinity. */
        err = EC_POINT_oct2point(curve->group, sc->q, spki->key, spki->key_len, sc->bn) == 1 &&
                      EC_POINT_is_at_infinity(curve->group, sc->q) == 0
                  ? PADLOCK_OK
                  : PADLOCK_E_BAD_KEY;
    }
    uint8_t r[PL_MODINV_MAX_LEN];
    uint8_t s[PL_MODINV_MAX_LEN];
    uint8_t w[PL_MODINV_MAX_LEN];
    if (err == PADLOCK_OK) {
        err = pl_ecdsa_sig_parse(sig, sig_len, curve, r, s);
    }
    if (err == PADLOCK_OK) {
        /* Step 4, w = s^-1 mod n: s is public, n prime and s in [1, n-1], so it exists. */
        err = pl_modinv_vartime(s, curve->order_be, curve->order_len, w) == PADLOCK_OK
                  ? pl_ecdsa_check(curve, sc, digest, digest_len, r, w)
                  : PADLOCK_E_CRYPTO;
    }
    if (sc->bn != NULL) {
        BN_CTX_end(sc->bn);
    }
    pl_ecdsa_scratch_give(pool, sc, &own);
    return err == PADLOCK_OK ? err : pl_ossl_fail(err);
}
