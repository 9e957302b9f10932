/* The running transcript hash of a handshake (RFC 8446 §4.4.1): whole handshake messages,
 * headers included, hashed as they are sent or received. Until the cipher suite is known it runs
 * SHA-256 and SHA-384 side by side; choosing the suite keeps one. It supports the message_hash
 * substitution after a HelloRetryRequest and hashes of "the transcript so far plus some bytes"
 * for PSK binders over a truncated ClientHello (§4.2.11.2), without disturbing the running state:
 * a hash state is a plain struct, so a snapshot is a copy. No allocation. */
#ifndef PL_HS_TRANSCRIPT_H
#define PL_HS_TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "util/err.h"

#define PL_TRANSCRIPT_MAX_HASH_LEN 48 /* SHA-384, the largest TLS 1.3 suite hash */

/* A transcript hash value together with the hash that produced it, so that consumers (the key
 * schedule) can refuse a value of the wrong hash instead of reading the wrong number of bytes. */
typedef struct pl_digest {
    const pl_hash_alg *hash;
    uint8_t len; /* hash->digest_len */
    uint8_t b[PL_TRANSCRIPT_MAX_HASH_LEN];
} pl_digest;

typedef struct pl_transcript {
    pl_hash_state sha256;
    pl_hash_state sha384;
    const pl_hash_alg *hash; /* NULL while both run; the chosen hash afterwards */
} pl_transcript;

/* Starts an empty transcript with both SHA-256 and SHA-384 running. */
void pl_transcript_init(pl_transcript *t);

/* Wipes the hash states: they cover handshake messages that travelled encrypted. */
void pl_transcript_cleanup(pl_transcript *t);

/* Hashes one whole handshake message, its 4-byte header included (RFC 8446 §4.4.1). */
void pl_transcript_update(pl_transcript *t, const uint8_t *msg, size_t len);

/* Chooses the hash of the negotiated suite and drops the other. Choosing the same hash again is
 * allowed (ServerHello after HelloRetryRequest); a different one gives PADLOCK_E_STATE. A hash
 * other than SHA-256/SHA-384 gives PADLOCK_E_INVALID_ARGUMENT. */
PL_NODISCARD padlock_err pl_transcript_select(pl_transcript *t, const pl_hash_alg *hash);

/* The chosen hash, or NULL while both run. */
const pl_hash_alg *pl_transcript_hash_alg(const pl_transcript *t);

/* RFC 8446 §4.4.1: after a HelloRetryRequest, ClientHello1 is replaced by the synthetic message
 * message_hash (254) || 00 00 Hash.length || Hash(ClientHello1). Call it when the transcript
 * holds exactly ClientHello1, after choosing the hash from the HelloRetryRequest and before
 * hashing the HelloRetryRequest itself. (While both hashes run, each is replaced with its own.) */
void pl_transcript_hrr(pl_transcript *t);

/* The current transcript hash with the chosen hash, without disturbing the running state.
 * PADLOCK_E_STATE if no hash is chosen yet. */
PL_NODISCARD padlock_err pl_transcript_hash(const pl_transcript *t, pl_digest *out);

/* The hash (with hash, which must be running) of the transcript so far followed by extra, for
 * instance a ClientHello truncated before its binders (RFC 8446 §4.2.11.2); the transcript is
 * unchanged. extra may be NULL when extra_len is 0. PADLOCK_E_STATE if hash is not running. */
PL_NODISCARD padlock_err pl_transcript_hash_with(const pl_transcript *t, const pl_hash_alg *hash,
                                                 const uint8_t *extra, size_t extra_len,
                                                 pl_digest *out);

#endif
