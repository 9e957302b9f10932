/* The AEAD step of record protection (RFC 8446 §5.2, RFC 5246 §6.2.3.3), the one place where
 * record.c seals and opens: libcrypto's AEAD in every build that ships. Only a fuzz build
 * configured with PADLOCK_FUZZ_NO_RECORD_PROTECTION swaps in protect_none.c (DEVELOPERS.md). */
#ifndef PL_RECORD_PROTECT_H
#define PL_RECORD_PROTECT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "util/err.h"

#if defined(PADLOCK_FUZZ_NO_RECORD_PROTECTION) && !defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
#error "PADLOCK_FUZZ_NO_RECORD_PROTECTION exists only in fuzz builds"
#endif

#ifdef PADLOCK_FUZZ_NO_RECORD_PROTECTION

/* Fuzz builds only (protect_none.c): copies in[0..in_len) to out (no encryption) and writes a
 * tag of zeros; len, aead and nonce as for pl_aead_seal_from. */
PL_NODISCARD padlock_err pl_record_protect_seal(pl_aead_ctx *aead,
                                                const uint8_t nonce[PL_AEAD_NONCE_LEN],
                                                const uint8_t *aad, size_t aad_len,
                                                const uint8_t *in, size_t in_len, uint8_t *out,
                                                size_t len, uint8_t tag_out[PL_AEAD_TAG_LEN]);

/* Fuzz builds only (protect_none.c): copies in[0..len) to out (no decryption) when tag is all
 * zeros, else PADLOCK_E_AEAD_OPEN, so that a damaged record still meets bad_record_mac. */
PL_NODISCARD padlock_err pl_record_protect_open(pl_aead_ctx *aead,
                                                const uint8_t nonce[PL_AEAD_NONCE_LEN],
                                                const uint8_t *aad, size_t aad_len,
                                                const uint8_t *in, uint8_t *out, size_t len,
                                                const uint8_t tag[PL_AEAD_TAG_LEN]);

#else

/* Seals one record's payload: pl_aead_seal_from (in[0..in_len) encrypted into out, which holds
 * len bytes in all; see crypto.h), the record layer's only encryption. */
PL_NODISCARD static inline padlock_err
pl_record_protect_seal(pl_aead_ctx *aead, const uint8_t nonce[PL_AEAD_NONCE_LEN],
                       const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t in_len,
                       uint8_t *out, size_t len, uint8_t tag_out[PL_AEAD_TAG_LEN]) {
    return pl_aead_seal_from(aead, nonce, aad, aad_len, in, in_len, out, len, tag_out);
}

/* Opens one record's payload: pl_aead_open_from (in[0..len) authenticated by tag and
 * decrypted into out; see crypto.h), the record layer's only decryption. */
PL_NODISCARD static inline padlock_err
pl_record_protect_open(pl_aead_ctx *aead, const uint8_t nonce[PL_AEAD_NONCE_LEN],
                       const uint8_t *aad, size_t aad_len, const uint8_t *in, uint8_t *out,
                       size_t len, const uint8_t tag[PL_AEAD_TAG_LEN]) {
    return pl_aead_open_from(aead, nonce, aad, aad_len, in, out, len, tag);
}

#endif

#endif
