/* The verdict on what a peer proves in a handshake: its Finished's verify_data (RFC 8446 §4.4.4,
 * RFC 5246 §7.4.9), a PSK binder (RFC 8446 §4.2.11.2) and its handshake signatures (RFC 8446
 * §4.4.3, RFC 5246 §7.4.3, §7.4.8). The check's own outcome in every build that ships; only a
 * fuzz build configured with PADLOCK_FUZZ_NO_RECORD_PROTECTION swaps in proof_none.c. */
#ifndef PL_HS_PROOF_H
#define PL_HS_PROOF_H

#include "util/err.h"

#if defined(PADLOCK_FUZZ_NO_RECORD_PROTECTION) && !defined(FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION)
#error "PADLOCK_FUZZ_NO_RECORD_PROTECTION exists only in fuzz builds"
#endif

#ifdef PADLOCK_FUZZ_NO_RECORD_PROTECTION

/* Fuzz builds only (proof_none.c): PADLOCK_OK where rc says the proof is wrong
 * (PADLOCK_E_DECRYPT_ERROR: verify_data or a binder differs; PADLOCK_E_BAD_SIGNATURE: a
 * signature does not verify or is malformed), so that mutated flights go on past the peer's
 * Finished and CertificateVerify; any other rc (a wrong length, a key that cannot verify, no
 * memory) as it is. */
PL_NODISCARD padlock_err pl_hs_peer_proof(padlock_err rc);

#else

/* Returns rc, the outcome of checking a Finished's verify_data, a PSK binder or a peer's
 * handshake signature: a wrong proof stays an error. */
PL_NODISCARD static inline padlock_err pl_hs_peer_proof(padlock_err rc) {
    return rc;
}

#endif

#endif
