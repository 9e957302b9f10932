/* RSA key transport for the TLS 1.2 RSA key exchange: RSAES-PKCS1-v1_5 (RFC 8017 §7.2) and the
 * pre-master secret decryption of RFC 5246 §7.4.7.1, whose padding and version checks run in
 * constant time inside libcrypto (RSA_PKCS1_WITH_TLS_PADDING) and which never fails visibly. */
/* The RSA and EC_KEY functions used here are deprecated in 3.0 but documented and kept; see
 * ossl_common.h for why padlock prefers them on hot paths. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/params.h>

#include "crypto/ossl_common.h"
#include "util/mem.h"

#define PL_PREMASTER_LEN 48

padlock_err pl_rsa_encrypt_pkcs1(const uint8_t *spki, size_t spki_len, const pl_rng *rng,
                                 const uint8_t *msg, size_t msg_len, uint8_t *out, size_t out_cap,
                                 size_t *out_len) {
    /* libcrypto draws the padding string from its own CSPRNG; 3.0 cannot take it from rng. */
    (void)rng;
    pl_spki key;
    PL_TRY(pl_spki_parse(spki, spki_len, &key));
    /* RFC 5246 §7.4.7.1: the server's certificate carries an rsaEncryption key. */
    PL_CHECK(key.type == PL_KEY_RSA, PADLOCK_E_BAD_KEY);
    RSA *rsa;
    PL_TRY(pl_ossl_rsa_public(&key, &rsa));
    size_t k = (size_t)RSA_size(rsa);
    padlock_err err = PADLOCK_OK;
    if (out_cap < k) {
        err = PADLOCK_E_BUFFER_TOO_SMALL;
    } else if (k < 11 || msg_len > k - 11) { /* RFC 8017 §7.2.1 step 1 */
        err = PADLOCK_E_INVALID_ARGUMENT;
    } else if (RSA_public_encrypt((int)msg_len, msg, out, rsa, RSA_PKCS1_PADDING) != (int)k) {
        err = pl_ossl_fail(PADLOCK_E_CRYPTO);
    }
    RSA_free(rsa);
    PL_TRY(err);
    *out_len = k;
    return PADLOCK_OK;
}

/* A decryption context for an RSA private key with the given padding mode. */
static padlock_err pl_rsa_decrypt_ctx(const pl_privkey *key, int padding, EVP_PKEY_CTX **out) {
    PL_CHECK(key != NULL && key->type == PL_KEY_RSA, PADLOCK_E_BAD_KEY);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
    PL_CHECK(ctx != NULL, pl_ossl_fail(PADLOCK_E_NO_MEMORY));
    if (EVP_PKEY_decrypt_init(ctx) != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx, padding) != 1) {
        EVP_PKEY_CTX_free(ctx);
        return pl_ossl_fail(PADLOCK_E_CRYPTO);
    }
    *out = ctx;
    return PADLOCK_OK;
}

padlock_err pl_rsa_decrypt_pkcs1(const pl_privkey *key, const uint8_t *ct, size_t ct_len,
                                 uint8_t *out, size_t out_cap, size_t *out_len) {
    EVP_PKEY_CTX *ctx = NULL;
    PL_TRY(pl_rsa_decrypt_ctx(key, RSA_PKCS1_PADDING, &ctx));
    /* libcrypto 3.2 (and distributions backporting it) answers padding errors with a random
     * message ("implicit rejection"); this primitive reports them, as its contract says.
     * Providers that do not know the parameter ignore it. */
    unsigned int implicit_rejection = 0;
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_uint("implicit-rejection", &implicit_rejection);
    params[1] = OSSL_PARAM_construct_end();
    if (EVP_PKEY_CTX_set_params(ctx, params) != 1) {
        EVP_PKEY_CTX_free(ctx);
        return pl_ossl_fail(PADLOCK_E_CRYPTO);
    }
    /* libcrypto needs room for a full modulus-length message before it knows the real one. */
    size_t k = (size_t)EVP_PKEY_get_size(key->pkey);
    uint8_t *buf = pl_malloc(k);
    padlock_err err = PADLOCK_E_NO_MEMORY;
    size_t len = k;
    if (buf != NULL) {
        err = EVP_PKEY_decrypt(ctx, buf, &len, ct, ct_len) == 1 ? PADLOCK_OK : PADLOCK_E_CRYPTO;
    }
    if (err == PADLOCK_OK && len > out_cap) {
        err = PADLOCK_E_BUFFER_TOO_SMALL;
    }
    if (err == PADLOCK_OK) {
        memcpy(out, buf, len);
        *out_len = len;
    }
    if (buf != NULL) {
        pl_wipe(buf, k);
    }
    pl_free(buf);
    EVP_PKEY_CTX_free(ctx);
    return err == PADLOCK_OK ? err : pl_ossl_fail(err);
}

padlock_err pl_rsa_decrypt_premaster(const pl_privkey *key, const uint8_t *ct, size_t ct_len,
                                     uint16_t client_version, uint8_t out[48]) {
    /* RFC 5246 §7.4.7.1: prepare a random pre-master secret before decrypting, and use it
     * whenever the message is unusable, so that no failure is observable. */
    uint8_t fallback[PL_PREMASTER_LEN];
    PL_TRY(pl_rand_bytes(NULL, fallback, sizeof(fallback)));
    EVP_PKEY_CTX *ctx = NULL;
    padlock_err err = pl_rsa_decrypt_ctx(key, RSA_PKCS1_WITH_TLS_PADDING, &ctx);
    if (err != PADLOCK_OK) {
        pl_wipe(fallback, sizeof(fallback));
        return err;
    }
    /* With this padding libcrypto checks the PKCS#1 type 2 padding, the 48-byte length and
     * the leading client_version in constant time and, when any check fails, returns its own
     * random 48 bytes with success: the padding outcome never reaches this code. The
     * negotiated-version workaround for old clients (TLS_NEGOTIATED_VERSION) is left unset:
     * the version must be the ClientHello's, as RFC 5246 §7.4.7.1 requires. */
    unsigned int version = client_version;
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_uint(OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION, &version);
    params[1] = OSSL_PARAM_construct_end();
    uint8_t decrypted[PL_PREMASTER_LEN] = {0};
    size_t len = sizeof(decrypted);
    int ok = EVP_PKEY_CTX_set_params(ctx, params) == 1;
    /* The call fails only for public reasons: a ciphertext that is not exactly the modulus
     * length or not below the modulus, or an internal error. Its result is folded into a mask
     * instead of a branch, so even those choose between the two buffers without a jump. */
    ok = ok && EVP_PKEY_decrypt(ctx, decrypted, &len, ct, ct_len) == 1;
    uint8_t good = (uint8_t)(ok & (len == PL_PREMASTER_LEN));
    uint8_t mask = (uint8_t)(0u - good);
    for (size_t i = 0; i < PL_PREMASTER_LEN; i++) {
        out[i] = (uint8_t)((decrypted[i] & mask) | (fallback[i] & (uint8_t)~mask));
    }
    pl_wipe(decrypted, sizeof(decrypted));
    pl_wipe(fallback, sizeof(fallback));
    EVP_PKEY_CTX_free(ctx);
    ERR_clear_error();
    return PADLOCK_OK;
}
