/* Ticket keys (padlock_ticket_keys of padlock.h): the set of secret keys a server seals its
 * session tickets with and opens them with (RFC 8446 §4.6.1 leaves the ticket's protection to
 * the server; RFC 5077 §4 describes the usual design, which this follows: key names, an
 * authenticated cipher, rotation). Each key is 32 secret bytes from which a 4-byte key id and
 * an AES-256-GCM key are derived, so every server given the same secret names and uses the key
 * alike. The set is reference-counted, locked, and rotated by padlock or by the application. */
#ifndef PL_HS_TICKET_KEYS_H
#define PL_HS_TICKET_KEYS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "padlock/padlock.h"

#define PL_TICKET_KEYS_MAX 4
#define PL_TICKET_KEY_ID_LEN 4
/* What sealing adds around the sealed bytes: key id, nonce, tag. */
#define PL_TICKET_SEAL_OVERHEAD (PL_TICKET_KEY_ID_LEN + PL_AEAD_NONCE_LEN + PL_AEAD_TAG_LEN)

typedef struct pl_ticket_key {
    uint8_t id[PL_TICKET_KEY_ID_LEN];
    int64_t born;      /* when it started sealing (time hook); INT64_MIN until it sealed once */
    pl_aead_ctx *aead; /* AES-256-GCM keyed with the derived key */
} pl_ticket_key;

struct padlock_ticket_keys {
    atomic_uint refs;
    pthread_mutex_t lock; /* guards everything below, AEAD contexts included */
    uint8_t automatic;    /* random keys that padlock rotates */
    uint8_t num;          /* keys[0] seals; keys[0 .. num) open */
    pl_ticket_key keys[PL_TICKET_KEYS_MAX];
};

/* A new set with one random key (drawn from rng; NULL: the system CSPRNG) that rotates itself.
 * Errors: the rng's, PADLOCK_E_NO_MEMORY, PADLOCK_E_CRYPTO. */
PL_NODISCARD padlock_err pl_ticket_keys_new(const pl_rng *rng, padlock_ticket_keys **out);

/* Takes a reference (released with padlock_ticket_keys_free). */
void pl_ticket_keys_ref(padlock_ticket_keys *keys);

/* Seals in[0..len) into out (len + PL_TICKET_SEAL_OVERHEAD bytes): key id, nonce (fresh random
 * bytes, drawn by the caller with the other random values of its flight), the AES-256-GCM
 * ciphertext with the key id as additional data, the tag. A set that rotates itself first starts
 * a new key from rng when the sealing key is rotate_after seconds old at now. Errors:
 * PADLOCK_E_BUFFER_TOO_SMALL, the rng's, PADLOCK_E_CRYPTO. */
PL_NODISCARD padlock_err pl_ticket_keys_seal(padlock_ticket_keys *keys, const pl_rng *rng,
                                             const uint8_t nonce[PL_AEAD_NONCE_LEN], int64_t now,
                                             uint32_t rotate_after, const uint8_t *in, size_t len,
                                             uint8_t *out, size_t cap, size_t *out_len);

/* Opens a sealed ticket into out (its len - PL_TICKET_SEAL_OVERHEAD plaintext bytes) with the
 * key its id names. PADLOCK_E_DECODE (too short, or no key of that id: sealed elsewhere or with
 * a key rotated out), PADLOCK_E_AEAD_OPEN (altered, or sealed with another key of the same
 * id), PADLOCK_E_BUFFER_TOO_SMALL. On failure out holds nothing usable. */
PL_NODISCARD padlock_err pl_ticket_keys_open(padlock_ticket_keys *keys, const uint8_t *ticket,
                                             size_t len, uint8_t *out, size_t cap, size_t *out_len);

#endif
