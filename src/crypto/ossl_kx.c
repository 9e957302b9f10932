/* Ephemeral key exchange for TLS NamedGroups (RFC 8446 §4.2.7, §4.2.8.2, §7.4): X25519
 * (RFC 7748) through libcrypto's EVP key import and derivation, and ECDHE on P-256/P-384 directly
 * on the shared curve objects with constant-time scalar multiplication, which costs a tenth of the
 * allocations of building EVP_PKEYs from parameters for every share. */
/* Required by ossl_common.h, which declares libcrypto's deprecated low-level functions. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <pthread.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/params.h>

#include "crypto/ossl_common.h"
#include "util/lend.h"
#include "util/mem.h"

const pl_kx_alg pl_kx_x25519 = {PL_GROUP_X25519, "x25519", 32, 32, 32};
const pl_kx_alg pl_kx_secp256r1 = {PL_GROUP_SECP256R1, "secp256r1", 32, 65, 32};
const pl_kx_alg pl_kx_secp384r1 = {PL_GROUP_SECP384R1, "secp384r1", 48, 97, 48};

const pl_kx_alg *pl_kx_by_group(uint16_t group) {
    switch (group) {
    case PL_GROUP_X25519: return &pl_kx_x25519;
    case PL_GROUP_SECP256R1: return &pl_kx_secp256r1;
    case PL_GROUP_SECP384R1: return &pl_kx_secp384r1;
    default: return NULL;
    }
}

static pl_key_type pl_kx_curve(const pl_kx_alg *alg) {
    return alg->group == PL_GROUP_SECP256R1 ? PL_KEY_EC_P256 : PL_KEY_EC_P384;
}

/* 1 if the big-endian scalar lies in [1, n-1] for the group order n; constant time in the
 * scalar, as it is a private key. */
static int pl_kx_scalar_in_range(const EC_GROUP *group, const uint8_t *k, size_t len) {
    uint8_t order[PL_KX_MAX_PRIV_LEN];
    if (BN_bn2binpad(EC_GROUP_get0_order(group), order, (int)len) != (int)len) {
        return 0;
    }
    uint32_t borrow = 0; /* k - order: a final borrow means k < order */
    for (size_t i = len; i-- > 0;) {
        uint32_t d = (uint32_t)k[i] - order[i] - borrow;
        borrow = (d >> 8) & 1;
    }
    return (int)(borrow & (uint32_t)(1 - pl_ct_is_zero(k, len)));
}

/* The scalar as a constant-time BIGNUM (cleared on free). */
static BIGNUM *pl_kx_scalar(const uint8_t *k, size_t len) {
    BIGNUM *bn = BN_new();
    if (bn == NULL) {
        return NULL;
    }
    BN_set_flags(bn, BN_FLG_CONSTTIME);
    if (BN_bin2bn(k, (int)len, bn) == NULL) {
        BN_clear_free(bn);
        return NULL;
    }
    return bn;
}

/* share = k * G as an uncompressed point (RFC 8446 §4.2.8.2). */
static padlock_err pl_kx_ec_public(pl_kx_key *key) {
    const EC_GROUP *group = pl_ossl_group(pl_kx_curve(key->alg));
    PL_CHECK(group != NULL, PADLOCK_E_CRYPTO);
    BN_CTX *bn_ctx = BN_CTX_new();
    BIGNUM *k = pl_kx_scalar(key->priv, key->alg->priv_len);
    EC_POINT *pub = EC_POINT_new(group);
    int ok = bn_ctx != NULL && k != NULL && pub != NULL &&
             EC_POINT_mul(group, pub, k, NULL, NULL, bn_ctx) == 1 &&
             EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED, key->share,
                                key->alg->share_len, bn_ctx) == key->alg->share_len;
    EC_POINT_free(pub);
    BN_clear_free(k);
    BN_CTX_free(bn_ctx);
    return ok ? PADLOCK_OK : pl_ossl_fail(PADLOCK_E_CRYPTO);
}

/* X25519 keys are imported through a context made from one public key created once per process
 * (the base point): EVP_PKEY_CTX_new_from_name would look the key manager up by name for every
 * key (11 allocations for a private key where this costs 10; 10 for a peer's key, 4 on the
 * exchange's context below). Sharing it is safe: it is never modified, and making a context
 * from it only takes a reference (atomically) and reads its key manager, as libssl does with
 * the keys of an SSL_CTX from every thread. */
static EVP_PKEY *pl_x25519_base;
static pthread_once_t pl_x25519_once = PTHREAD_ONCE_INIT;
static const uint8_t pl_x25519_base_point[32] = {9}; /* RFC 7748 §4.1: u = 9 */

static void pl_x25519_init(void) {
    pl_x25519_base = EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL, pl_x25519_base_point, 32);
    ERR_clear_error();
}

/* Imports 32 bytes (a private key with selection EVP_PKEY_KEYPAIR, a public one with
 * EVP_PKEY_PUBLIC_KEY) through ctx, on which EVP_PKEY_fromdata_init is called. */
static EVP_PKEY *pl_x25519_import(EVP_PKEY_CTX *ctx, int selection, const uint8_t *bytes) {
    OSSL_PARAM params[2] = {
        OSSL_PARAM_octet_string(selection == EVP_PKEY_KEYPAIR ? OSSL_PKEY_PARAM_PRIV_KEY
                                                              : OSSL_PKEY_PARAM_PUB_KEY,
                                (void *)bytes, 32),
        OSSL_PARAM_END,
    };
    EVP_PKEY *pkey = NULL;
    if (EVP_PKEY_fromdata_init(ctx) != 1 || EVP_PKEY_fromdata(ctx, &pkey, selection, params) != 1) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    return pkey;
}

/* OpenSSL 3.0 walks its whole table of algorithm names (EVP_KEYMGMT_names_do_all, ~12 k
 * instructions) for every EVP_PKEY_CTX it makes from a key and for every EVP_PKEY it creates,
 * besides allocating both. Of the four an exchange would make (import context, own key, peer
 * key, exchange context), two are kept and lent instead: the import context, which
 * EVP_PKEY_fromdata_init resets for each use (libcrypto's exchange below does the same with
 * its context), and a public key whose value is replaced by the peer's share for each exchange
 * (EVP_PKEY_set1_encoded_public_key, which libssl uses for peers' shares). A scratch is lent to
 * one caller at a time, and its peer key is referenced only by that caller's exchange context,
 * freed before the scratch goes back; it holds public values only. A caller that finds all
 * lent makes its own. */
typedef struct pl_x25519_scratch {
    EVP_PKEY_CTX *import; /* from pl_x25519_base */
    EVP_PKEY *peer;       /* a public key, overwritten by each use */
} pl_x25519_scratch;

/* Scratches kept, one per lending slot: the most X25519 operations that run at once without
 * making their own. */
static pl_lend pl_x25519_lend = PL_LEND_INIT;
static pl_x25519_scratch pl_x25519_kept[PL_LEND_SLOTS];

static void pl_x25519_scratch_free(pl_x25519_scratch *sc) {
    EVP_PKEY_free(sc->peer);
    EVP_PKEY_CTX_free(sc->import);
    memset(sc, 0, sizeof(*sc));
}

/* Lends a kept scratch (its objects made on its first use), or fills *own when all are lent.
 * The scratch's import and peer are NULL when libcrypto could not make them. */
static pl_x25519_scratch *pl_x25519_scratch_take(pl_x25519_scratch *own) {
    memset(own, 0, sizeof(*own));
    int slot = pl_lend_take(&pl_x25519_lend);
    pl_x25519_scratch *sc = slot >= 0 ? &pl_x25519_kept[slot] : own;
    if (sc->import == NULL && pthread_once(&pl_x25519_once, pl_x25519_init) == 0 &&
        pl_x25519_base != NULL) {
        sc->import = EVP_PKEY_CTX_new_from_pkey(NULL, pl_x25519_base, NULL);
        sc->peer = sc->import != NULL
                       ? pl_x25519_import(sc->import, EVP_PKEY_PUBLIC_KEY, pl_x25519_base_point)
                       : NULL;
        if (sc->peer == NULL) {
            pl_x25519_scratch_free(sc);
        }
    }
    return sc;
}

/* Gives a lent scratch back, or frees the caller's own. */
static void pl_x25519_scratch_give(pl_x25519_scratch *sc, pl_x25519_scratch *own) {
    if (sc == own) {
        pl_x25519_scratch_free(sc);
        return;
    }
    pl_lend_give(&pl_x25519_lend, (int)(sc - pl_x25519_kept));
}

/* The public key, and the libcrypto key pair kept in key->impl for the exchange (importing it
 * again there would cost a parameter import per handshake). libcrypto computes the public key
 * from the private one when it imports only the latter; reading it back as a parameter copies
 * it without the 5 allocations of EVP_PKEY_get_raw_public_key's export. */
static padlock_err pl_kx_x25519_public(pl_kx_key *key) {
    pl_x25519_scratch own;
    pl_x25519_scratch *sc = pl_x25519_scratch_take(&own);
    EVP_PKEY *pkey =
        sc->import != NULL ? pl_x25519_import(sc->import, EVP_PKEY_KEYPAIR, key->priv) : NULL;
    pl_x25519_scratch_give(sc, &own);
    size_t len = 0;
    if (pkey == NULL ||
        EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, key->share, 32, &len) != 1 ||
        len != 32) {
        EVP_PKEY_free(pkey);
        return pl_ossl_fail(PADLOCK_E_CRYPTO);
    }
    key->impl = pkey;
    return PADLOCK_OK;
}

padlock_err pl_kx_from_private(const pl_kx_alg *alg, const uint8_t *priv, size_t priv_len,
                               pl_kx_key *out) {
    PL_CHECK(alg != NULL && priv_len == alg->priv_len, PADLOCK_E_INVALID_ARGUMENT);
    memset(out, 0, sizeof(*out));
    out->alg = alg;
    memcpy(out->priv, priv, priv_len);
    padlock_err err;
    if (alg->group == PL_GROUP_X25519) {
        /* RFC 7748 §5: every 32-byte string is a private key (it is clamped when used). */
        err = pl_kx_x25519_public(out);
    } else {
        const EC_GROUP *group = pl_ossl_group(pl_kx_curve(alg));
        err = group == NULL                                  ? PADLOCK_E_CRYPTO
              : pl_kx_scalar_in_range(group, priv, priv_len) ? pl_kx_ec_public(out)
                                                             : PADLOCK_E_INVALID_ARGUMENT;
    }
    if (err != PADLOCK_OK) {
        pl_kx_key_cleanup(out);
    }
    return err;
}

padlock_err pl_kx_generate(const pl_kx_alg *alg, const pl_rng *rng, pl_kx_key *out) {
    PL_CHECK(alg != NULL, PADLOCK_E_INVALID_ARGUMENT);
    uint8_t priv[PL_KX_MAX_PRIV_LEN];
    padlock_err err;
    if (alg->group == PL_GROUP_X25519) {
        err = pl_rand_bytes(rng, priv, alg->priv_len);
    } else {
        /* FIPS 186-5 §A.4.2 style rejection sampling: a uniform scalar in [1, n-1]. For P-256
         * and P-384 a draw is rejected with probability below 2^-32, so the bound of 64 draws
         * is only reached by a broken rng. */
        const EC_GROUP *group = pl_ossl_group(pl_kx_curve(alg));
        PL_CHECK(group != NULL, PADLOCK_E_CRYPTO);
        err = PADLOCK_E_CRYPTO;
        for (int i = 0; i < 64; i++) {
            err = pl_rand_bytes(rng, priv, alg->priv_len);
            if (err != PADLOCK_OK || pl_kx_scalar_in_range(group, priv, alg->priv_len)) {
                break;
            }
            err = PADLOCK_E_CRYPTO;
        }
    }
    if (err == PADLOCK_OK) {
        err = pl_kx_from_private(alg, priv, alg->priv_len, out);
    }
    pl_wipe(priv, sizeof(priv));
    return err;
}

static padlock_err pl_kx_derive_x25519(const pl_kx_key *key, const uint8_t *peer,
                                       uint8_t *secret_out) {
    EVP_PKEY *own = key->impl; /* made with the key pair: no second import */
    PL_CHECK(own != NULL, PADLOCK_E_CRYPTO);
    pl_x25519_scratch own_scratch;
    pl_x25519_scratch *sc = pl_x25519_scratch_take(&own_scratch);
    EVP_PKEY_CTX *ctx = NULL;
    padlock_err err = PADLOCK_E_CRYPTO;
    /* RFC 7748 §5: every 32-byte string is a u-coordinate, so the share is taken as it is. */
    if (sc->peer != NULL && EVP_PKEY_set1_encoded_public_key(sc->peer, peer, 32) == 1 &&
        (ctx = EVP_PKEY_CTX_new_from_pkey(NULL, own, NULL)) != NULL &&
        EVP_PKEY_derive_init(ctx) == 1 && EVP_PKEY_derive_set_peer_ex(ctx, sc->peer, 0) == 1) {
        /* libcrypto refuses an all-zero result itself (RFC 7748 §6.1); the check below keeps
         * the rule here regardless of the library version. */
        size_t len = 32;
        err = EVP_PKEY_derive(ctx, secret_out, &len) == 1 && len == 32 &&
                      !pl_ct_is_zero(secret_out, 32)
                  ? PADLOCK_OK
                  : PADLOCK_E_BAD_KEY_SHARE;
    }
    /* The context holds the only other reference to the peer key: freed before it is lent. */
    EVP_PKEY_CTX_free(ctx);
    pl_x25519_scratch_give(sc, &own_scratch);
    return err == PADLOCK_OK ? err : pl_ossl_fail(err);
}

static padlock_err pl_kx_derive_ec(const pl_kx_key *key, const uint8_t *peer, uint8_t *secret_out) {
    const pl_kx_alg *alg = key->alg;
    /* RFC 8446 §4.2.8.2: only the uncompressed form (legacy_form 4) is allowed. */
    PL_CHECK(peer[0] == POINT_CONVERSION_UNCOMPRESSED, PADLOCK_E_BAD_KEY_SHARE);
    const EC_GROUP *group = pl_ossl_group(pl_kx_curve(alg));
    PL_CHECK(group != NULL, PADLOCK_E_CRYPTO);
    BN_CTX *bn_ctx = BN_CTX_new();
    BIGNUM *k = pl_kx_scalar(key->priv, alg->priv_len);
    EC_POINT *q = EC_POINT_new(group);
    EC_POINT *r = EC_POINT_new(group);
    BIGNUM *x = BN_new();
    padlock_err err = PADLOCK_E_NO_MEMORY;
    if (bn_ctx != NULL && k != NULL && q != NULL && r != NULL && x != NULL) {
        /* RFC 8446 §4.2.8.2: the point must be on the curve; oct2point checks the curve
         * equation for every point it accepts. The curves have cofactor 1, so a point on the
         * curve other than infinity (which has no 65/97-byte encoding) has order n. */
        err = EC_POINT_oct2point(group, q, peer, alg->share_len, bn_ctx) == 1
                  ? PADLOCK_OK
                  : PADLOCK_E_BAD_KEY_SHARE;
    }
    if (err == PADLOCK_OK) {
        err = EC_POINT_mul(group, r, NULL, q, k, bn_ctx) == 1 &&
                      EC_POINT_get_affine_coordinates(group, r, x, NULL, bn_ctx) == 1 &&
                      BN_bn2binpad(x, secret_out, alg->secret_len) == alg->secret_len
                  ? PADLOCK_OK
                  : PADLOCK_E_BAD_KEY_SHARE;
    }
    BN_clear_free(x);
    EC_POINT_clear_free(r);
    EC_POINT_free(q);
    BN_clear_free(k);
    BN_CTX_free(bn_ctx);
    return err == PADLOCK_OK ? err : pl_ossl_fail(err);
}

padlock_err pl_kx_derive(const pl_kx_key *key, const uint8_t *peer_share, size_t peer_share_len,
                         uint8_t *secret_out) {
    PL_CHECK(key != NULL && key->alg != NULL, PADLOCK_E_INVALID_ARGUMENT);
    /* RFC 8446 §4.2.8.2: a share is exactly one encoded key of the group. */
    PL_CHECK(peer_share != NULL && peer_share_len == key->alg->share_len, PADLOCK_E_BAD_KEY_SHARE);
    padlock_err err = key->alg->group == PL_GROUP_X25519
                          ? pl_kx_derive_x25519(key, peer_share, secret_out)
                          : pl_kx_derive_ec(key, peer_share, secret_out);
    if (err != PADLOCK_OK) {
        pl_wipe(secret_out, key->alg->secret_len);
    }
    return err;
}

void pl_kx_key_cleanup(pl_kx_key *key) {
    if (key != NULL) {
        EVP_PKEY_free(key->impl); /* libcrypto clears the private key it frees */
        pl_wipe(key, sizeof(*key));
    }
}
