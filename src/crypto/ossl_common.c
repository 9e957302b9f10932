/* libcrypto objects shared by the crypto layer, created once per process (DESIGN.md §9):
 * the NIST curves, the SHA-2 EVP_MDs, and RSA public keys built from (n, e) without the
 * OSSL_DECODER/OSSL_PARAM machinery, which costs hundreds of allocations per key. */
/* The RSA and EC_KEY functions used here are deprecated in 3.0 but documented and kept; see
 * ossl_common.h for why padlock prefers them on hot paths. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <pthread.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>

#include "crypto/ossl_common.h"

static EC_GROUP *pl_groups[3];
static pl_ossl_curve pl_curves[3];
static EVP_MD *pl_mds[4];
static pthread_once_t pl_ossl_once = PTHREAD_ONCE_INIT;

static void pl_ossl_init(void) {
    pl_groups[0] = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    pl_groups[1] = EC_GROUP_new_by_curve_name(NID_secp384r1);
    pl_groups[2] = EC_GROUP_new_by_curve_name(NID_secp521r1);
    for (int i = 0; i < 3; i++) {
        const BIGNUM *order = pl_groups[i] != NULL ? EC_GROUP_get0_order(pl_groups[i]) : NULL;
        int len = order != NULL ? BN_num_bytes(order) : 0;
        if (len > 0 && len <= PL_MODINV_MAX_LEN &&
            BN_bn2binpad(order, pl_curves[i].order_be, len) == len) {
            pl_curves[i].group = pl_groups[i];
            pl_curves[i].order = order;
            pl_curves[i].order_len = (size_t)len;
            pl_curves[i].order_bits = BN_num_bits(order);
        }
    }
    pl_mds[PL_HASH_SHA256] = EVP_MD_fetch(NULL, "SHA256", NULL);
    pl_mds[PL_HASH_SHA384] = EVP_MD_fetch(NULL, "SHA384", NULL);
    pl_mds[PL_HASH_SHA512] = EVP_MD_fetch(NULL, "SHA512", NULL);
    ERR_clear_error();
}

int pl_ossl_curve_nid(pl_key_type type) {
    switch (type) {
    case PL_KEY_EC_P256: return NID_X9_62_prime256v1;
    case PL_KEY_EC_P384: return NID_secp384r1;
    case PL_KEY_EC_P521: return NID_secp521r1;
    default: return NID_undef;
    }
}

const EC_GROUP *pl_ossl_group(pl_key_type type) {
    pthread_once(&pl_ossl_once, pl_ossl_init);
    switch (type) {
    case PL_KEY_EC_P256: return pl_groups[0];
    case PL_KEY_EC_P384: return pl_groups[1];
    case PL_KEY_EC_P521: return pl_groups[2];
    default: return NULL;
    }
}

const pl_ossl_curve *pl_ossl_curve_of(pl_key_type type) {
    pthread_once(&pl_ossl_once, pl_ossl_init);
    const pl_ossl_curve *c = NULL;
    switch (type) {
    case PL_KEY_EC_P256: c = &pl_curves[0]; break;
    case PL_KEY_EC_P384: c = &pl_curves[1]; break;
    case PL_KEY_EC_P521: c = &pl_curves[2]; break;
    default: return NULL;
    }
    return c->group != NULL ? c : NULL;
}

const EVP_MD *pl_ossl_md(const pl_hash_alg *hash) {
    pthread_once(&pl_ossl_once, pl_ossl_init);
    if (hash == NULL || hash->id < PL_HASH_SHA256 || hash->id > PL_HASH_SHA512) {
        return NULL;
    }
    return pl_mds[hash->id];
}

padlock_err pl_ossl_fail(padlock_err code) {
    ERR_clear_error();
    return code;
}

padlock_err pl_ossl_rsa_public(const pl_spki *spki, RSA **out) {
    PL_CHECK(spki->type == PL_KEY_RSA || spki->type == PL_KEY_RSA_PSS, PADLOCK_E_BAD_KEY);
    /* An even modulus cannot be an RSA modulus; e must be odd and above 1 (RFC 8017 §3.1). */
    PL_CHECK((spki->rsa_n[spki->rsa_n_len - 1] & 1) == 1, PADLOCK_E_BAD_KEY);
    PL_CHECK((spki->rsa_e[spki->rsa_e_len - 1] & 1) == 1, PADLOCK_E_BAD_KEY);
    PL_CHECK(spki->rsa_e_len > 1 || spki->rsa_e[0] > 1, PADLOCK_E_BAD_KEY);
    PL_CHECK(spki->rsa_n_len <= OPENSSL_RSA_MAX_MODULUS_BITS / 8, PADLOCK_E_BAD_KEY);
    PL_CHECK(spki->rsa_e_len <= spki->rsa_n_len, PADLOCK_E_BAD_KEY);
    BIGNUM *n = BN_bin2bn(spki->rsa_n, (int)spki->rsa_n_len, NULL);
    BIGNUM *e = BN_bin2bn(spki->rsa_e, (int)spki->rsa_e_len, NULL);
    RSA *rsa = RSA_new();
    if (n == NULL || e == NULL || rsa == NULL || RSA_set0_key(rsa, n, e, NULL) != 1) {
        BN_free(n);
        BN_free(e);
        RSA_free(rsa);
        return pl_ossl_fail(PADLOCK_E_NO_MEMORY);
    }
    *out = rsa;
    return PADLOCK_OK;
}
