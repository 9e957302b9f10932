/* Fuzz builds only: record "protection" that neither encrypts nor authenticates (a zero tag in
 * place of the AEAD's), so that libFuzzer's mutations of encrypted handshake flights reach the
 * state machines (RFC 8446 §5.2 framing, sizes and sequence numbers stay as they are). */
#include "record/protect.h"

#if !defined(PADLOCK_FUZZ_NO_RECORD_PROTECTION) ||                                                 \
    !defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
#error "protect_none.c is for fuzz builds with PADLOCK_FUZZ_NO_RECORD_PROTECTION only"
#endif

#include <string.h>

padlock_err pl_record_protect_seal(pl_aead_ctx *aead, const uint8_t nonce[PL_AEAD_NONCE_LEN],
                                   const uint8_t *aad, size_t aad_len, const uint8_t *in,
                                   size_t in_len, uint8_t *out, size_t len,
                                   uint8_t tag_out[PL_AEAD_TAG_LEN]) {
    (void)nonce;
    (void)aad;
    (void)aad_len;
    /* The same contract as pl_aead_seal_from, so that record.c behaves as it does for real. */
    PL_CHECK(aead != NULL && in_len <= len, PADLOCK_E_INVALID_ARGUMENT);
    if (in != out && in_len != 0) {
        memmove(out, in, in_len);
    }
    memset(tag_out, 0, PL_AEAD_TAG_LEN);
    return PADLOCK_OK;
}

padlock_err pl_record_protect_open(pl_aead_ctx *aead, const uint8_t nonce[PL_AEAD_NONCE_LEN],
                                   const uint8_t *aad, size_t aad_len, const uint8_t *in,
                                   uint8_t *out, size_t len, const uint8_t tag[PL_AEAD_TAG_LEN]) {
    (void)nonce;
    (void)aad;
    (void)aad_len;
    PL_CHECK(aead != NULL, PADLOCK_E_INVALID_ARGUMENT);
    uint8_t any = 0;
    for (size_t i = 0; i < PL_AEAD_TAG_LEN; i++) {
        any |= tag[i];
    }
    PL_CHECK(any == 0, PADLOCK_E_AEAD_OPEN);
    if (in != out && len != 0) {
        memmove(out, in, len);
    }
    return PADLOCK_OK;
}
