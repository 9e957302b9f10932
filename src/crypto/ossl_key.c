/* Private keys: DER decoding after our structural check (RFC 5958 §2, RFC 5915 §3, RFC 8017
 * App. A.1.2), generation, the public half as SubjectPublicKeyInfo, PKCS#8 export, and signing
 * for TLS SignatureSchemes (RFC 8446 §4.2.3, §4.4.3). Decoding may use libcrypto's decoders:
 * keys are loaded once per configuration, not per handshake; signing uses the decoded key. */
/* Required by ossl_common.h, which declares libcrypto's deprecated low-level functions. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/x509.h>

#include "crypto/ossl_common.h"
#include "util/mem.h"
#include "wire/der.h"

/* Decodes the libcrypto key from a container whose shape pl_privkey_inspect accepted. */
static EVP_PKEY *pl_privkey_decode(const uint8_t *der, size_t len, pl_privkey_format format) {
    const unsigned char *p = der;
    EVP_PKEY *pkey = NULL;
    if (format == PL_PRIVKEY_PKCS8) {
        PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
        if (p8 != NULL) {
            pkey = EVP_PKCS82PKEY(p8);
            PKCS8_PRIV_KEY_INFO_free(p8); /* clears the key octets */
        }
    } else {
        int type = format == PL_PRIVKEY_SEC1 ? EVP_PKEY_EC : EVP_PKEY_RSA;
        pkey = d2i_PrivateKey_ex(type, NULL, &p, (long)len, NULL, NULL);
    }
    if (pkey != NULL && p != der + len) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
    return pkey;
}

/* The bits padlock reports for a key type, or 0 when the decoded key is not that type. */
static unsigned pl_privkey_check_type(EVP_PKEY *pkey, pl_key_type type) {
    int bits = EVP_PKEY_get_bits(pkey);
    switch (type) {
    case PL_KEY_RSA: return EVP_PKEY_is_a(pkey, "RSA") && bits > 0 ? (unsigned)bits : 0;
    case PL_KEY_RSA_PSS: return EVP_PKEY_is_a(pkey, "RSA-PSS") && bits > 0 ? (unsigned)bits : 0;
    case PL_KEY_EC_P256: return EVP_PKEY_is_a(pkey, "EC") && bits == 256 ? 256 : 0;
    case PL_KEY_EC_P384: return EVP_PKEY_is_a(pkey, "EC") && bits == 384 ? 384 : 0;
    case PL_KEY_EC_P521: return EVP_PKEY_is_a(pkey, "EC") && bits == 521 ? 521 : 0;
    case PL_KEY_ED25519: return EVP_PKEY_is_a(pkey, "ED25519") ? 256 : 0;
    case PL_KEY_NONE: break;
    }
    return 0;
}

/* The scheme a key proves itself with: for an RSASSA-PSS key the hash its parameters allow
 * (RFC 4055 §3.1), which must be a SHA-2 hash for padlock to use the key at all. */
static padlock_err pl_privkey_test_scheme(const pl_privkey *key, const pl_spki *spki,
                                          const pl_sig_alg **out) {
    uint16_t scheme = 0;
    switch (key->type) {
    case PL_KEY_RSA: scheme = PL_SIG_RSA_PSS_RSAE_SHA256; break;
    case PL_KEY_EC_P256: scheme = PL_SIG_ECDSA_SECP256R1_SHA256; break;
    case PL_KEY_EC_P384: scheme = PL_SIG_ECDSA_SECP384R1_SHA384; break;
    case PL_KEY_EC_P521: scheme = PL_SIG_ECDSA_SECP521R1_SHA512; break;
    case PL_KEY_ED25519: scheme = PL_SIG_ED25519; break;
    case PL_KEY_RSA_PSS:
        PL_CHECK(!spki->pss.present || spki->pss.hash != 0, PADLOCK_E_KEY_UNSUPPORTED);
        scheme = !spki->pss.present || spki->pss.hash == PL_HASH_SHA256 ? PL_SIG_RSA_PSS_PSS_SHA256
                 : spki->pss.hash == PL_HASH_SHA384                     ? PL_SIG_RSA_PSS_PSS_SHA384
                                                                        : PL_SIG_RSA_PSS_PSS_SHA512;
        break;
    case PL_KEY_NONE: return PADLOCK_E_BAD_KEY;
    }
    *out = pl_sig_by_scheme(scheme);
    return PADLOCK_OK;
}

/* Signs a fixed message and verifies it with the key's own SubjectPublicKeyInfo (noting the
 * RSASSA-PSS restrictions found there), so that a
 * key whose halves do not belong together (a corrupt or tampered file) fails at load time
 * rather than in every handshake. This costs one signature; libcrypto's pairwise check would
 * run primality tests, hundreds of milliseconds for RSA-4096. */
static padlock_err pl_privkey_self_test(pl_privkey *key) {
    static const uint8_t msg[] = "padlock private key consistency check";
    uint8_t *spki_der = NULL;
    size_t spki_len = 0;
    PL_TRY(pl_privkey_spki(key, &spki_der, &spki_len));
    pl_spki spki;
    const pl_sig_alg *alg = NULL;
    padlock_err err = pl_spki_parse(spki_der, spki_len, &spki);
    if (err == PADLOCK_OK) {
        key->pss = spki.pss;
        err = pl_privkey_test_scheme(key, &spki, &alg);
    }
    uint8_t sig[PL_SIG_MAX_LEN];
    size_t sig_len = 0;
    if (err == PADLOCK_OK) {
        err = pl_privkey_sign(key, alg, NULL, msg, sizeof(msg), sig, sizeof(sig), &sig_len);
    }
    if (err == PADLOCK_OK) {
        err = pl_sig_verify(alg, spki_der, spki_len, msg, sizeof(msg), sig, sig_len);
    }
    pl_free(spki_der);
    if (err == PADLOCK_E_KEY_UNSUPPORTED || err == PADLOCK_E_NO_MEMORY) {
        return err;
    }
    return err == PADLOCK_OK ? PADLOCK_OK : PADLOCK_E_BAD_KEY;
}

/* Wraps pkey (taking ownership) once it is known to be the expected type and consistent. */
static padlock_err pl_privkey_wrap(EVP_PKEY *pkey, pl_key_type type, pl_privkey **out) {
    unsigned bits = pl_privkey_check_type(pkey, type);
    if (bits == 0 || EVP_PKEY_get_size(pkey) > PL_SIG_MAX_LEN) {
        /* Keys above RSA-4096 sign beyond PL_SIG_MAX_LEN; TLS does not need them. */
        EVP_PKEY_free(pkey);
        return pl_ossl_fail(bits == 0 ? PADLOCK_E_BAD_KEY : PADLOCK_E_KEY_UNSUPPORTED);
    }
    pl_privkey *key = pl_calloc(1, sizeof(*key));
    if (key == NULL) {
        EVP_PKEY_free(pkey);
        return PADLOCK_E_NO_MEMORY;
    }
    key->pkey = pkey;
    key->type = type;
    key->bits = bits;
    padlock_err err = PADLOCK_OK;
    if (type == PL_KEY_EC_P256 || type == PL_KEY_EC_P384 || type == PL_KEY_EC_P521) {
        /* Made here once: per signature, EVP_PKEY_sign would fetch the signature method and
         * build a provider context (EVP_PKEY_CTX_new_from_pkey + EVP_PKEY_sign_init). */
        key->ec = EVP_PKEY_get1_EC_KEY(pkey);
        err = key->ec != NULL ? PADLOCK_OK : PADLOCK_E_NO_MEMORY;
    }
    if (err == PADLOCK_OK) {
        err = pl_privkey_self_test(key);
    }
    if (err != PADLOCK_OK) {
        pl_privkey_free(key);
        return pl_ossl_fail(err);
    }
    *out = key;
    return PADLOCK_OK;
}

padlock_err pl_privkey_from_der(const uint8_t *der, size_t der_len, pl_privkey_format format,
                                pl_privkey **out) {
    PL_CHECK(der != NULL && out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(der_len <= INT32_MAX, PADLOCK_E_BAD_KEY);
    pl_key_type type;
    PL_TRY(pl_privkey_inspect(der, der_len, format, &format, &type));
    EVP_PKEY *pkey = pl_privkey_decode(der, der_len, format);
    PL_CHECK(pkey != NULL, pl_ossl_fail(PADLOCK_E_BAD_KEY));
    return pl_privkey_wrap(pkey, type, out);
}

/* EVP_PKEY_Q_keygen takes a size only for "RSA", so both RSA kinds go the long way. */
static EVP_PKEY *pl_rsa_keygen(const char *name, unsigned bits) {
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, name, NULL);
    EVP_PKEY *pkey = NULL;
    if (ctx != NULL && EVP_PKEY_keygen_init(ctx) == 1 &&
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) == 1 && EVP_PKEY_keygen(ctx, &pkey) != 1) {
        pkey = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    return pkey;
}

padlock_err pl_privkey_generate(pl_key_type type, unsigned rsa_bits, pl_privkey **out) {
    PL_CHECK(out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    EVP_PKEY *pkey = NULL;
    switch (type) {
    case PL_KEY_EC_P256: pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"); break;
    case PL_KEY_EC_P384: pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384"); break;
    case PL_KEY_EC_P521: pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521"); break;
    case PL_KEY_ED25519: pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"); break;
    case PL_KEY_RSA:
    case PL_KEY_RSA_PSS:
        PL_CHECK(rsa_bits == 2048 || rsa_bits == 3072 || rsa_bits == 4096,
                 PADLOCK_E_INVALID_ARGUMENT);
        pkey = pl_rsa_keygen(type == PL_KEY_RSA ? "RSA" : "RSA-PSS", rsa_bits);
        break;
    case PL_KEY_NONE: return PADLOCK_E_INVALID_ARGUMENT;
    }
    PL_CHECK(pkey != NULL, pl_ossl_fail(PADLOCK_E_CRYPTO));
    return pl_privkey_wrap(pkey, type, out);
}

void pl_privkey_free(pl_privkey *key) {
    if (key == NULL) {
        return;
    }
    EC_KEY_free(key->ec); /* libcrypto clears private key material on free */
    EVP_PKEY_free(key->pkey);
    pl_free(key);
}

pl_key_type pl_privkey_type(const pl_privkey *key) {
    return key->type;
}

unsigned pl_privkey_bits(const pl_privkey *key) {
    return key->bits;
}

padlock_err pl_privkey_spki(const pl_privkey *key, uint8_t **out, size_t *out_len) {
    int n = i2d_PUBKEY(key->pkey, NULL);
    PL_CHECK(n > 0, pl_ossl_fail(PADLOCK_E_CRYPTO));
    uint8_t *buf = pl_malloc((size_t)n);
    PL_CHECK(buf != NULL, PADLOCK_E_NO_MEMORY);
    unsigned char *p = buf;
    if (i2d_PUBKEY(key->pkey, &p) != n) {
        pl_free(buf);
        return pl_ossl_fail(PADLOCK_E_CRYPTO);
    }
    *out = buf;
    *out_len = (size_t)n;
    return PADLOCK_OK;
}

padlock_err pl_privkey_pkcs8(const pl_privkey *key, uint8_t **out, size_t *out_len) {
    PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(key->pkey);
    PL_CHECK(p8 != NULL, pl_ossl_fail(PADLOCK_E_CRYPTO));
    int n = i2d_PKCS8_PRIV_KEY_INFO(p8, NULL);
    uint8_t *buf = n > 0 ? pl_malloc((size_t)n) : NULL;
    unsigned char *p = buf;
    int ok = buf != NULL && i2d_PKCS8_PRIV_KEY_INFO(p8, &p) == n;
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (!ok) {
        pl_free_secret(buf);
        return pl_ossl_fail(n > 0 ? PADLOCK_E_NO_MEMORY : PADLOCK_E_CRYPTO);
    }
    *out = buf;
    *out_len = (size_t)n;
    return PADLOCK_OK;
}

int pl_privkey_can_sign(const pl_privkey *key, const pl_sig_alg *alg) {
    if (key == NULL || alg == NULL || key->type != alg->key_type) {
        return 0;
    }
    /* RFC 4055 §3.1 (RFC 8446 §4.2.3 for rsa_pss_pss_*): a PSS key's parameters bind it to
     * one hash, its MGF1 hash, and a minimum salt length. */
    return !key->pss.present ||
           (key->pss.hash == alg->hash->id && key->pss.mgf1_hash == alg->hash->id &&
            alg->hash->digest_len >= key->pss.min_salt_len);
}

static padlock_err pl_sign_ed25519(const pl_privkey *key, const uint8_t *msg, size_t msg_len,
                                   uint8_t *out, size_t *out_len) {
    EVP_MD_CTX *mctx = EVP_MD_CTX_new();
    PL_CHECK(mctx != NULL, pl_ossl_fail(PADLOCK_E_NO_MEMORY));
    size_t len = 64;
    int ok = EVP_DigestSignInit_ex(mctx, NULL, NULL, NULL, NULL, key->pkey, NULL) == 1 &&
             EVP_DigestSign(mctx, out, &len, msg, msg_len) == 1 && len == 64;
    EVP_MD_CTX_free(mctx);
    PL_CHECK(ok, pl_ossl_fail(PADLOCK_E_CRYPTO));
    *out_len = len;
    return PADLOCK_OK;
}

/* ECDSA over a digest. libcrypto's provider signs the same way (ECDSA_sign_ex on its own
 * EC_KEY): the same constant-time scalar multiplication, the nonce from libcrypto's private DRBG
 * mixed with the key and digest. The DER Ecdsa-Sig-Value (RFC 3279 §2.2.3, RFC 8446 §4.2.3) is
 * written here from the public r and s: ECDSA_sign's encoder and the ECDSA_size its callers
 * need cost 11 of a signature's 41 allocations. */
static padlock_err pl_sign_ecdsa(const pl_privkey *key, const pl_sig_alg *alg,
                                 const uint8_t *digest, uint8_t *out, size_t out_cap,
                                 size_t *out_len) {
    const pl_ossl_curve *curve = pl_ossl_curve_of(key->type);
    PL_CHECK(curve != NULL, PADLOCK_E_CRYPTO);
    ECDSA_SIG *sig = ECDSA_do_sign(digest, (int)alg->hash->digest_len, key->ec);
    PL_CHECK(sig != NULL, pl_ossl_fail(PADLOCK_E_CRYPTO));
    const BIGNUM *r_bn = NULL;
    const BIGNUM *s_bn = NULL;
    ECDSA_SIG_get0(sig, &r_bn, &s_bn);
    int len = (int)curve->order_len;
    uint8_t r[PL_MODINV_MAX_LEN];
    uint8_t s[PL_MODINV_MAX_LEN];
    int ok = BN_bn2binpad(r_bn, r, len) == len && BN_bn2binpad(s_bn, s, len) == len;
    ECDSA_SIG_free(sig);
    PL_CHECK(ok, pl_ossl_fail(PADLOCK_E_CRYPTO));
    pl_buf b;
    pl_buf_init(&b, out, out_cap);
    pl_der_nest seq;
    PL_TRY(pl_der_open(&b, PL_DER_SEQUENCE, &seq));
    PL_TRY(pl_der_put_unsigned(&b, PL_DER_INTEGER, r, (size_t)len));
    PL_TRY(pl_der_put_unsigned(&b, PL_DER_INTEGER, s, (size_t)len));
    PL_TRY(pl_der_close(&b, &seq));
    *out_len = b.len;
    return PADLOCK_OK;
}

/* RSA and ECDSA sign a digest computed by padlock's own hash. */
static padlock_err pl_sign_digest(const pl_privkey *key, const pl_sig_alg *alg,
                                  const uint8_t *digest, uint8_t *out, size_t out_cap,
                                  size_t *out_len) {
    if (key->ec != NULL) {
        return pl_sign_ecdsa(key, alg, digest, out, out_cap, out_len);
    }
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
    PL_CHECK(ctx != NULL, pl_ossl_fail(PADLOCK_E_NO_MEMORY));
    int ok = EVP_PKEY_sign_init(ctx) == 1;
    if (ok && alg->key_type != PL_KEY_EC_P256 && alg->key_type != PL_KEY_EC_P384 &&
        alg->key_type != PL_KEY_EC_P521) {
        const EVP_MD *md = pl_ossl_md(alg->hash);
        ok = md != NULL && EVP_PKEY_CTX_set_signature_md(ctx, md) == 1;
        if (ok && alg->pss) {
            /* RFC 8446 §4.2.3: MGF1 with the signature's hash, salt as long as the digest. */
            ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
                 EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) == 1 &&
                 EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) == 1;
        } else if (ok) {
            ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1;
        }
    }
    size_t len = out_cap;
    ok = ok && EVP_PKEY_sign(ctx, out, &len, digest, alg->hash->digest_len) == 1;
    EVP_PKEY_CTX_free(ctx);
    PL_CHECK(ok, pl_ossl_fail(PADLOCK_E_CRYPTO));
    *out_len = len;
    return PADLOCK_OK;
}

padlock_err pl_privkey_sign(const pl_privkey *key, const pl_sig_alg *alg, const pl_rng *rng,
                            const uint8_t *msg, size_t msg_len, uint8_t *out, size_t out_cap,
                            size_t *out_len) {
    /* libcrypto draws ECDSA nonces and PSS salts from its own CSPRNG: 3.0 has no interface to
     * supply them, so rng is not consulted (see crypto.h). */
    (void)rng;
    PL_CHECK(pl_privkey_can_sign(key, alg), PADLOCK_E_INVALID_ARGUMENT);
    int max = EVP_PKEY_get_size(key->pkey);
    PL_CHECK(max > 0, PADLOCK_E_CRYPTO);
    PL_CHECK(out_cap >= (size_t)max, PADLOCK_E_BUFFER_TOO_SMALL);
    if (alg->key_type == PL_KEY_ED25519) {
        return pl_sign_ed25519(key, msg, msg_len, out, out_len);
    }
    uint8_t digest[PL_HASH_MAX_LEN];
    pl_hash(alg->hash, msg, msg_len, digest);
    return pl_sign_digest(key, alg, digest, out, out_cap, out_len);
}
