/* AEAD descriptors over libcrypto's EVP_CIPHER. The three ciphers are fetched once per
 * process; a pl_aead_ctx is one EVP_CIPHER_CTX that keeps its key schedule and is given a
 * fresh nonce per record, so sealing and opening never allocate. */
#include <limits.h>
#include <pthread.h>

#include <openssl/evp.h>

#include "crypto/crypto.h"

const pl_aead_alg pl_aead_aes_128_gcm = {PL_AEAD_AES_128_GCM, "AES-128-GCM", 16};
const pl_aead_alg pl_aead_aes_256_gcm = {PL_AEAD_AES_256_GCM, "AES-256-GCM", 32};
const pl_aead_alg pl_aead_chacha20_poly1305 = {PL_AEAD_CHACHA20_POLY1305, "ChaCha20-Poly1305",
                                               32};

/* A pl_aead_ctx is the EVP_CIPHER_CTX itself, with its algorithm (NULL until keyed) in the
 * context's application data: no wrapper block per direction of every connection. */
static EVP_CIPHER_CTX *pl_evp(pl_aead_ctx *ctx) {
    return (EVP_CIPHER_CTX *)(void *)ctx;
}

static const pl_aead_alg *pl_aead_keyed(const pl_aead_ctx *ctx) {
    return EVP_CIPHER_CTX_get_app_data((const EVP_CIPHER_CTX *)(const void *)ctx);
}

static EVP_CIPHER *pl_aead_ciphers[4];
static pthread_once_t pl_aead_once = PTHREAD_ONCE_INIT;

static void pl_aead_fetch_all(void) {
    pl_aead_ciphers[PL_AEAD_AES_128_GCM] = EVP_CIPHER_fetch(NULL, "AES-128-GCM", NULL);
    pl_aead_ciphers[PL_AEAD_AES_256_GCM] = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
    pl_aead_ciphers[PL_AEAD_CHACHA20_POLY1305] =
        EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", NULL);
}

static const EVP_CIPHER *pl_aead_cipher(const pl_aead_alg *alg) {
    pthread_once(&pl_aead_once, pl_aead_fetch_all);
    return pl_aead_ciphers[alg->id];
}

padlock_err pl_aead_ctx_new(pl_aead_ctx **out) {
    EVP_CIPHER_CTX *evp = EVP_CIPHER_CTX_new(); /* application data NULL: not keyed */
    PL_CHECK(evp != NULL, PADLOCK_E_NO_MEMORY);
    *out = (pl_aead_ctx *)(void *)evp;
    return PADLOCK_OK;
}

void pl_aead_ctx_free(pl_aead_ctx *ctx) {
    EVP_CIPHER_CTX_free(pl_evp(ctx)); /* cleanses the key schedule; NULL is a no-op */
}

padlock_err pl_aead_ctx_set_key(pl_aead_ctx *ctx, const pl_aead_alg *alg, const uint8_t *key) {
    const EVP_CIPHER *cipher = pl_aead_cipher(alg);
    PL_CHECK(cipher != NULL, PADLOCK_E_CRYPTO);
    /* Re-keyed with the cipher it already holds (handshake to application keys, KeyUpdate),
     * the context keeps libcrypto's provider context and only replaces its key schedule:
     * naming the cipher again would make libcrypto free that context and allocate another. */
    EVP_CIPHER_CTX *evp = pl_evp(ctx);
    const EVP_CIPHER *change = pl_aead_keyed(ctx) == alg ? NULL : cipher;
    EVP_CIPHER_CTX_set_app_data(evp, NULL);
    /* The cipher and key are set once; each record then only sets its nonce. */
    PL_CHECK(EVP_CipherInit_ex2(evp, change, key, NULL, 1, NULL) == 1, PADLOCK_E_CRYPTO);
    EVP_CIPHER_CTX_set_app_data(evp, (void *)(uintptr_t)alg);
    return PADLOCK_OK;
}

const pl_aead_alg *pl_aead_ctx_alg(const pl_aead_ctx *ctx) {
    return pl_aead_keyed(ctx);
}

/* Sets the nonce and direction, then feeds the additional data. */
static padlock_err pl_aead_start(pl_aead_ctx *ctx, const uint8_t *nonce, int enc,
                                 const uint8_t *aad, size_t aad_len) {
    PL_CHECK(pl_aead_keyed(ctx) != NULL, PADLOCK_E_STATE);
    PL_CHECK(aad_len <= INT_MAX, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(EVP_CipherInit_ex2(pl_evp(ctx), NULL, NULL, nonce, enc, NULL) == 1, PADLOCK_E_CRYPTO);
    int outl;
    if (aad_len != 0) {
        PL_CHECK(EVP_CipherUpdate(pl_evp(ctx), NULL, &outl, aad, (int)aad_len) == 1,
                 PADLOCK_E_CRYPTO);
    }
    return PADLOCK_OK;
}

padlock_err pl_aead_seal_from(pl_aead_ctx *ctx, const uint8_t nonce[PL_AEAD_NONCE_LEN],
                              const uint8_t *aad, size_t aad_len, const uint8_t *in,
                              size_t in_len, uint8_t *out, size_t len,
                              uint8_t tag_out[PL_AEAD_TAG_LEN]) {
    PL_CHECK(len <= INT_MAX && in_len <= len, PADLOCK_E_INVALID_ARGUMENT);
    PL_TRY(pl_aead_start(ctx, nonce, 1, aad, aad_len));
    /* Two updates make one plaintext: libcrypto's GCM and ChaCha20-Poly1305 carry a partial
     * block from one update to the next. */
    int outl = 0;
    if (in_len != 0) {
        PL_CHECK(EVP_CipherUpdate(pl_evp(ctx), out, &outl, in, (int)in_len) == 1, PADLOCK_E_CRYPTO);
    }
    int tail = 0;
    if (len != in_len) {
        PL_CHECK(EVP_CipherUpdate(pl_evp(ctx), out + outl, &tail, out + in_len,
                                  (int)(len - in_len)) == 1,
                 PADLOCK_E_CRYPTO);
    }
    int finl = 0;
    PL_CHECK(EVP_CipherFinal_ex(pl_evp(ctx), out + outl + tail, &finl) == 1, PADLOCK_E_CRYPTO);
    PL_CHECK((size_t)outl + (size_t)tail + (size_t)finl == len, PADLOCK_E_CRYPTO);
    PL_CHECK(EVP_CIPHER_CTX_ctrl(pl_evp(ctx), EVP_CTRL_AEAD_GET_TAG, PL_AEAD_TAG_LEN, tag_out) == 1,
             PADLOCK_E_CRYPTO);
    return PADLOCK_OK;
}

padlock_err pl_aead_seal(pl_aead_ctx *ctx, const uint8_t nonce[PL_AEAD_NONCE_LEN],
                         const uint8_t *aad, size_t aad_len, uint8_t *buf, size_t len,
                         uint8_t tag_out[PL_AEAD_TAG_LEN]) {
    return pl_aead_seal_from(ctx, nonce, aad, aad_len, buf, len, buf, len, tag_out);
}

padlock_err pl_aead_open_from(pl_aead_ctx *ctx, const uint8_t nonce[PL_AEAD_NONCE_LEN],
                              const uint8_t *aad, size_t aad_len, const uint8_t *in, uint8_t *out,
                              size_t len, const uint8_t tag[PL_AEAD_TAG_LEN]) {
    PL_CHECK(len <= INT_MAX, PADLOCK_E_INVALID_ARGUMENT);
    PL_TRY(pl_aead_start(ctx, nonce, 0, aad, aad_len));
    /* The tag is only read by libcrypto; the cast drops const for the ctrl interface. */
    PL_CHECK(EVP_CIPHER_CTX_ctrl(pl_evp(ctx), EVP_CTRL_AEAD_SET_TAG, PL_AEAD_TAG_LEN,
                                 (void *)(uintptr_t)tag) == 1,
             PADLOCK_E_CRYPTO);
    int outl = 0;
    if (len != 0) {
        PL_CHECK(EVP_CipherUpdate(pl_evp(ctx), out, &outl, in, (int)len) == 1, PADLOCK_E_CRYPTO);
    }
    int finl = 0;
    /* Final checks the tag in constant time inside libcrypto. */
    PL_CHECK(EVP_CipherFinal_ex(pl_evp(ctx), out + outl, &finl) == 1, PADLOCK_E_AEAD_OPEN);
    return PADLOCK_OK;
}

padlock_err pl_aead_open(pl_aead_ctx *ctx, const uint8_t nonce[PL_AEAD_NONCE_LEN],
                         const uint8_t *aad, size_t aad_len, uint8_t *buf, size_t len,
                         const uint8_t tag[PL_AEAD_TAG_LEN]) {
    return pl_aead_open_from(ctx, nonce, aad, aad_len, buf, buf, len, tag);
}
