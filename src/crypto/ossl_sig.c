/* Signature verification (RFC 8446 §4.2.3, §4.4.3; RFC 5280 §4.1.1.2): key-type binding on our
 * own SubjectPublicKeyInfo parse, then libcrypto's RSA (RFC 8017 §8.1.2, §8.2.2) and Ed25519
 * (RFC 8032 §5.1.7) on keys built directly from the parsed values, ECDSA on the shared curves
 * (ossl_ecdsa.c). Going through
 * d2i_PUBKEY and EVP_PKEY_verify instead costs ~1500 allocations per verification in 3.0. */
/* The RSA and EC_KEY functions used here are deprecated in 3.0 but documented and kept; see
 * ossl_common.h for why padlock prefers them on hot paths. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/ossl_common.h"

static padlock_err pl_verify_rsa(const pl_sig_params *params, const pl_spki *spki,
                                 const uint8_t *digest, const uint8_t *sig, size_t sig_len) {
    const EVP_MD *md = pl_ossl_md(params->hash);
    PL_CHECK(md != NULL, PADLOCK_E_CRYPTO);
    RSA *rsa;
    PL_TRY(pl_ossl_rsa_public(spki, &rsa));
    /* RFC 8017 §8.1.2 step 1, §8.2.2 step 1: the signature is exactly k bytes. */
    size_t k = (size_t)RSA_size(rsa);
    padlock_err err = PADLOCK_E_BAD_SIGNATURE;
    if (sig_len == k && params->kind == PL_SIG_KIND_RSA_PKCS1) {
        /* RSA_verify re-encodes the DigestInfo and compares it whole (RFC 8017 §8.2.2). */
        if (RSA_verify(EVP_MD_get_type(md), digest, (unsigned)params->hash->digest_len, sig,
                       (unsigned)sig_len, rsa) == 1) {
            err = PADLOCK_OK;
        }
    } else if (sig_len == k) {
        /* RFC 8017 §8.1.2: RSAVP1, then EMSA-PSS-VERIFY with MGF1 over the same hash and
         * exactly the given salt length. The encoded message is public: no wipe needed. */
        uint8_t em[OPENSSL_RSA_MAX_MODULUS_BITS / 8];
        if (RSA_public_decrypt((int)sig_len, sig, em, rsa, RSA_NO_PADDING) == (int)k &&
            RSA_verify_PKCS1_PSS_mgf1(rsa, digest, md, md, em, (int)params->pss_salt_len) == 1) {
            err = PADLOCK_OK;
        }
    }
    RSA_free(rsa);
    return err == PADLOCK_OK ? err : pl_ossl_fail(err);
}

static padlock_err pl_verify_ed25519(const pl_spki *spki, const uint8_t *msg, size_t msg_len,
                                     const uint8_t *sig, size_t sig_len) {
    PL_CHECK(sig_len == 64, PADLOCK_E_BAD_SIGNATURE); /* RFC 8032 §5.1.6 */
    EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key_ex(NULL, "ED25519", NULL, spki->key, 32);
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    padlock_err err = PADLOCK_E_NO_MEMORY;
    if (pkey != NULL && mctx != NULL) {
        err = PADLOCK_E_BAD_KEY;
        if (EVP_DigestVerifyInit_ex(mctx, NULL, NULL, NULL, NULL, pkey, NULL) == 1) {
            err = EVP_DigestVerify(mctx, sig, sig_len, msg, msg_len) == 1 ? PADLOCK_OK
                                                                          : PADLOCK_E_BAD_SIGNATURE;
        }
    }
    EVP_MD_CTX_free(mctx);
    EVP_PKEY_free(pkey);
    return err == PADLOCK_OK ? err : pl_ossl_fail(err);
}

/* Whether a parsed key may verify under params: the key-type side of RFC 5280 §4.1.1.2 and
 * RFC 4055 §3.1 (a PSS key's parameters restrict the hashes and the minimum salt). */
static int pl_key_fits(const pl_sig_params *params, const pl_spki *spki) {
    switch (params->kind) {
    case PL_SIG_KIND_RSA_PKCS1: return spki->type == PL_KEY_RSA;
    case PL_SIG_KIND_RSA_PSS:
        if (spki->type == PL_KEY_RSA) {
            return 1;
        }
        return spki->type == PL_KEY_RSA_PSS &&
               (!spki->pss.present ||
                (spki->pss.hash == params->hash->id && spki->pss.mgf1_hash == params->hash->id &&
                 params->pss_salt_len >= spki->pss.min_salt_len));
    case PL_SIG_KIND_ECDSA:
        return spki->type == PL_KEY_EC_P256 || spki->type == PL_KEY_EC_P384 ||
               spki->type == PL_KEY_EC_P521;
    case PL_SIG_KIND_ED25519: return spki->type == PL_KEY_ED25519;
    }
    return 0;
}

static padlock_err pl_verify_parsed(const pl_sig_params *params, const pl_spki *spki,
                                    const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                                    size_t sig_len) {
    PL_CHECK(params != NULL && (params->kind == PL_SIG_KIND_ED25519) == (params->hash == NULL),
             PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(pl_key_fits(params, spki), PADLOCK_E_BAD_KEY);
    if (params->kind == PL_SIG_KIND_ED25519) {
        return pl_verify_ed25519(spki, msg, msg_len, sig, sig_len);
    }
    uint8_t digest[PL_HASH_MAX_LEN];
    pl_hash(params->hash, msg, msg_len, digest);
    if (params->kind == PL_SIG_KIND_ECDSA) {
        return pl_ossl_ecdsa_verify(spki, digest, params->hash->digest_len, sig, sig_len);
    }
    return pl_verify_rsa(params, spki, digest, sig, sig_len);
}

padlock_err pl_sig_verify_params(const pl_sig_params *params, const uint8_t *spki, size_t spki_len,
                                 const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                                 size_t sig_len) {
    pl_spki key;
    PL_TRY(pl_spki_parse(spki, spki_len, &key));
    return pl_verify_parsed(params, &key, msg, msg_len, sig, sig_len);
}

padlock_err pl_sig_verify(const pl_sig_alg *alg, const uint8_t *spki, size_t spki_len,
                          const uint8_t *msg, size_t msg_len, const uint8_t *sig, size_t sig_len) {
    PL_CHECK(alg != NULL, PADLOCK_E_INVALID_ARGUMENT);
    pl_spki key;
    PL_TRY(pl_spki_parse(spki, spki_len, &key));
    /* RFC 8446 §4.2.3: a scheme names the key type (and for ECDSA the curve) exactly;
     * rsa_pss_rsae_* need an rsaEncryption key, rsa_pss_pss_* an RSASSA-PSS key. */
    PL_CHECK(key.type == alg->key_type, PADLOCK_E_BAD_KEY);
    pl_sig_params params = pl_sig_params_of(alg);
    return pl_verify_parsed(&params, &key, msg, msg_len, sig, sig_len);
}
