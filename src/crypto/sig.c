/* The TLS SignatureScheme descriptors (RFC 8446 §4.2.3): each scheme binds one key type, one
 * hash and the padding, so a scheme fixes everything a signature is verified with. */
#include "crypto/crypto.h"

static const pl_sig_alg pl_sig_algs[] = {
    {PL_SIG_RSA_PKCS1_SHA256, "rsa_pkcs1_sha256", &pl_hash_sha256, PL_KEY_RSA, 0},
    {PL_SIG_RSA_PKCS1_SHA384, "rsa_pkcs1_sha384", &pl_hash_sha384, PL_KEY_RSA, 0},
    {PL_SIG_RSA_PKCS1_SHA512, "rsa_pkcs1_sha512", &pl_hash_sha512, PL_KEY_RSA, 0},
    {PL_SIG_ECDSA_SECP256R1_SHA256, "ecdsa_secp256r1_sha256", &pl_hash_sha256, PL_KEY_EC_P256, 0},
    {PL_SIG_ECDSA_SECP384R1_SHA384, "ecdsa_secp384r1_sha384", &pl_hash_sha384, PL_KEY_EC_P384, 0},
    {PL_SIG_ECDSA_SECP521R1_SHA512, "ecdsa_secp521r1_sha512", &pl_hash_sha512, PL_KEY_EC_P521, 0},
    {PL_SIG_RSA_PSS_RSAE_SHA256, "rsa_pss_rsae_sha256", &pl_hash_sha256, PL_KEY_RSA, 1},
    {PL_SIG_RSA_PSS_RSAE_SHA384, "rsa_pss_rsae_sha384", &pl_hash_sha384, PL_KEY_RSA, 1},
    {PL_SIG_RSA_PSS_RSAE_SHA512, "rsa_pss_rsae_sha512", &pl_hash_sha512, PL_KEY_RSA, 1},
    {PL_SIG_ED25519, "ed25519", NULL, PL_KEY_ED25519, 0},
    {PL_SIG_RSA_PSS_PSS_SHA256, "rsa_pss_pss_sha256", &pl_hash_sha256, PL_KEY_RSA_PSS, 1},
    {PL_SIG_RSA_PSS_PSS_SHA384, "rsa_pss_pss_sha384", &pl_hash_sha384, PL_KEY_RSA_PSS, 1},
    {PL_SIG_RSA_PSS_PSS_SHA512, "rsa_pss_pss_sha512", &pl_hash_sha512, PL_KEY_RSA_PSS, 1},
};

const pl_sig_alg *pl_sig_by_scheme(uint16_t scheme) {
    for (size_t i = 0; i < sizeof(pl_sig_algs) / sizeof(pl_sig_algs[0]); i++) {
        if (pl_sig_algs[i].scheme == scheme) {
            return &pl_sig_algs[i];
        }
    }
    return NULL;
}

pl_sig_params pl_sig_params_of(const pl_sig_alg *alg) {
    pl_sig_params p = {PL_SIG_KIND_ED25519, NULL, 0};
    if (alg->key_type == PL_KEY_ED25519) {
        return p;
    }
    p.hash = alg->hash;
    if (alg->pss) {
        /* RFC 8446 §4.2.3: the salt length MUST equal the digest length. */
        p.kind = PL_SIG_KIND_RSA_PSS;
        p.pss_salt_len = alg->hash->digest_len;
    } else {
        p.kind = alg->key_type == PL_KEY_RSA ? PL_SIG_KIND_RSA_PKCS1 : PL_SIG_KIND_ECDSA;
    }
    return p;
}
