/* The TLS 1.2 key schedule (RFC 5246 §5, §6.3, §8.1, §7.4.9; RFC 7627 §4; RFC 5705 §4): the PRF,
 * the extended master secret (RFC 7627: padlock requires it, so the original §8.1 form is not
 * implemented) as a type of its own, the key block cut into AEAD record
 * keys (RFC 5288 §3: a 4-byte salt for AES-GCM; RFC 7905 §2: a 12-byte IV for ChaCha20), the
 * Finished verify_data, and the keying material exporter.
 *
 * The PRF hash is the cipher suite's (SHA-256 or SHA-384, RFC 5246 §5, RFC 5288 §3). Nothing
 * allocates; every intermediate secret is wiped by the function that made it. */
#ifndef PL_HS_KEYSCHED12_H
#define PL_HS_KEYSCHED12_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "hs/transcript.h"
#include "msg/msg.h"
#include "record/record.h"
#include "util/err.h"

#define PL_KS12_MASTER_LEN 48 /* RFC 5246 §8.1: master_secret[0..47] */
#define PL_KS12_VERIFY_LEN 12 /* RFC 5246 §7.4.9: verify_data_length for these suites */
#define PL_KS12_PREMASTER_RSA_LEN 48

/* A master secret with the PRF hash it goes with. Wipe with pl_ks12_master_cleanup. */
typedef struct pl_ks12_master {
    const pl_hash_alg *hash;
    uint8_t b[PL_KS12_MASTER_LEN];
} pl_ks12_master;

/* RFC 5246 §5: PRF(secret, label, seed) = P_<hash>(secret, label + seed), with seed the
 * concatenation seed1 + seed2 (either may be NULL with length 0). out_len bytes into out.
 * PADLOCK_E_INVALID_ARGUMENT for a hash other than SHA-256/SHA-384 or an empty label. */
PL_NODISCARD padlock_err pl_ks12_prf(const pl_hash_alg *hash, const uint8_t *secret,
                                     size_t secret_len, const char *label, const uint8_t *seed1,
                                     size_t seed1_len, const uint8_t *seed2, size_t seed2_len,
                                     uint8_t *out, size_t out_len);

/* RFC 7627 §4: master_secret = PRF(pre_master_secret, "extended master secret",
 * session_hash)[0..47], session_hash the transcript hash (with the PRF hash) through the
 * ClientKeyExchange. PADLOCK_E_INVALID_ARGUMENT if session_hash is of another hash. */
PL_NODISCARD padlock_err pl_ks12_extended_master_secret(pl_ks12_master *out,
                                                        const pl_hash_alg *hash,
                                                        const uint8_t *premaster,
                                                        size_t premaster_len,
                                                        const pl_digest *session_hash);

/* RFC 5246 §8.1: master_secret = PRF(pre_master_secret, "master secret", ClientHello.random +
 * ServerHello.random)[0..47], for a peer without the extended master secret when the
 * configuration allows one (RFC 7627 §1: open to the triple handshake attack). */
PL_NODISCARD padlock_err pl_ks12_master_secret(pl_ks12_master *out, const pl_hash_alg *hash,
                                               const uint8_t *premaster, size_t premaster_len,
                                               const uint8_t client_random[PL_RANDOM_LEN],
                                               const uint8_t server_random[PL_RANDOM_LEN]);

/* RFC 5246 §6.3: key_block = PRF(master_secret, "key expansion", server_random +
 * client_random), cut into client_write_key, server_write_key, client_write_IV,
 * server_write_IV (AEAD suites have no MAC keys) as TLS 1.2 record keys for aead. Hand each to
 * pl_record_dir_set_keys, which wipes it. */
PL_NODISCARD padlock_err pl_ks12_record_keys(const pl_ks12_master *master,
                                             const pl_aead_alg *aead,
                                             const uint8_t client_random[PL_RANDOM_LEN],
                                             const uint8_t server_random[PL_RANDOM_LEN],
                                             pl_record_keys *out_client,
                                             pl_record_keys *out_server);

/* RFC 5246 §7.4.9: verify_data = PRF(master_secret, "client finished" | "server finished",
 * Hash(handshake_messages))[0..11], sender the role of the Finished's sender. th must be of the
 * master secret's hash (PADLOCK_E_INVALID_ARGUMENT otherwise). */
PL_NODISCARD padlock_err pl_ks12_finished(const pl_ks12_master *master, pl_role sender,
                                          const pl_digest *th, uint8_t out[PL_KS12_VERIFY_LEN]);

/* Checks received verify_data against the expected value in constant time: PADLOCK_OK,
 * PADLOCK_E_DECRYPT_ERROR on mismatch (RFC 5246 §7.2.2: "a handshake cryptographic operation
 * failed, including being unable to ... validate a finished message"), PADLOCK_E_DECODE when len
 * is not 12. */
PL_NODISCARD padlock_err pl_ks12_finished_verify(const pl_ks12_master *master, pl_role sender,
                                                 const pl_digest *th, const uint8_t *verify_data,
                                                 size_t len);

/* RFC 5705 §4: PRF(master_secret, label, client_random + server_random [+ context_length +
 * context]) with the context part only when has_context (an empty context differs from none
 * in TLS 1.2). out_len bytes. PADLOCK_E_INVALID_ARGUMENT for an empty label, a context over
 * 65535 bytes, or a label the TLS 1.2 key schedule itself uses (RFC 5705 §4 and RFC 5246: an
 * exporter must not reproduce the handshake's own derivations). */
PL_NODISCARD padlock_err pl_ks12_export(const pl_ks12_master *master,
                                        const uint8_t client_random[PL_RANDOM_LEN],
                                        const uint8_t server_random[PL_RANDOM_LEN],
                                        const char *label, const uint8_t *context,
                                        size_t context_len, int has_context, uint8_t *out,
                                        size_t out_len);

/* Wipes a master secret. */
void pl_ks12_master_cleanup(pl_ks12_master *master);

#endif
