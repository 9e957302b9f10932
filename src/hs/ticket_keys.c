/* Ticket keys: deriving a key's id and AES-256-GCM key from its secret, rotating, sealing and
 * opening under the set's lock, and the public padlock_ticket_keys_* functions (RFC 8446
 * §4.6.1, RFC 5077 §4 for the design). */
#include "hs/ticket_keys.h"

#include <string.h>

#include "util/mem.h"

static const char pl_tk_id_label[] = "padlock ticket key id";
static const char pl_tk_key_label[] = "padlock ticket key aes-256-gcm";

/* Keys a slot from a 32-byte secret: the secret is uniformly random, so it serves as the HKDF
 * pseudorandom key directly (RFC 5869 §3.3), and two labels separate the id from the key. The
 * slot's AEAD context is created if it has none. */
static padlock_err pl_tk_init(pl_ticket_key *k, const uint8_t secret[PADLOCK_TICKET_KEY_LEN]) {
    uint8_t key[32];
    PL_TRY(pl_hkdf_expand(&pl_hash_sha256, secret, PADLOCK_TICKET_KEY_LEN,
                          (const uint8_t *)pl_tk_id_label, sizeof(pl_tk_id_label) - 1, k->id,
                          sizeof(k->id)));
    padlock_err rc = pl_hkdf_expand(&pl_hash_sha256, secret, PADLOCK_TICKET_KEY_LEN,
                                    (const uint8_t *)pl_tk_key_label, sizeof(pl_tk_key_label) - 1,
                                    key, sizeof(key));
    if (rc == PADLOCK_OK && k->aead == NULL) {
        rc = pl_aead_ctx_new(&k->aead);
    }
    if (rc == PADLOCK_OK) {
        rc = pl_aead_ctx_set_key(k->aead, &pl_aead_aes_256_gcm, key);
    }
    pl_wipe(key, sizeof(key));
    k->born = INT64_MIN;
    return rc;
}

/* Puts a new random key in front; the former sealing key keeps opening, anything older goes
 * (its AEAD context is reused for the new key). Called with the lock held. */
static padlock_err pl_tk_rotate(padlock_ticket_keys *keys, const pl_rng *rng) {
    uint8_t secret[PADLOCK_TICKET_KEY_LEN];
    PL_TRY(pl_rand_bytes(rng, secret, sizeof(secret)));
    pl_ticket_key fresh;
    memset(&fresh, 0, sizeof(fresh));
    for (size_t i = 1; i < keys->num; i++) {
        if (i == 1) {
            fresh.aead = keys->keys[1].aead;
        } else {
            pl_aead_ctx_free(keys->keys[i].aead);
        }
        keys->keys[i].aead = NULL;
    }
    keys->num = keys->num > 0 ? 1 : 0;
    padlock_err rc = pl_tk_init(&fresh, secret);
    pl_wipe(secret, sizeof(secret));
    if (rc != PADLOCK_OK) {
        pl_aead_ctx_free(fresh.aead);
        return rc;
    }
    if (keys->num > 0) {
        keys->keys[1] = keys->keys[0];
    }
    keys->keys[0] = fresh;
    keys->num = keys->num > 0 ? 2 : 1;
    keys->automatic = 1;
    return PADLOCK_OK;
}

padlock_err pl_ticket_keys_new(const pl_rng *rng, padlock_ticket_keys **out) {
    padlock_ticket_keys *keys = pl_calloc(1, sizeof(*keys));
    PL_CHECK(keys != NULL, PADLOCK_E_NO_MEMORY);
    atomic_init(&keys->refs, 1);
    pthread_mutex_init(&keys->lock, NULL);
    padlock_err rc = pl_tk_rotate(keys, rng);
    if (rc != PADLOCK_OK) {
        padlock_ticket_keys_free(keys);
        return rc;
    }
    *out = keys;
    return PADLOCK_OK;
}

void pl_ticket_keys_ref(padlock_ticket_keys *keys) {
    atomic_fetch_add(&keys->refs, 1);
}

padlock_err pl_ticket_keys_seal(padlock_ticket_keys *keys, const pl_rng *rng,
                                const uint8_t nonce[PL_AEAD_NONCE_LEN], int64_t now,
                                uint32_t rotate_after, const uint8_t *in, size_t len, uint8_t *out,
                                size_t cap, size_t *out_len) {
    PL_CHECK(cap >= len + PL_TICKET_SEAL_OVERHEAD, PADLOCK_E_BUFFER_TOO_SMALL);
    pthread_mutex_lock(&keys->lock);
    padlock_err rc = keys->num > 0 ? PADLOCK_OK : PADLOCK_E_CRYPTO;
    pl_ticket_key *k = &keys->keys[0];
    if (rc == PADLOCK_OK && keys->automatic && k->born != INT64_MIN &&
        now - k->born >= (int64_t)rotate_after) {
        rc = pl_tk_rotate(keys, rng);
    }
    if (rc == PADLOCK_OK && k->born == INT64_MIN) {
        k->born = now;
    }
    /* The key id is the additional data: a ticket cannot be moved to another key's name. */
    uint8_t *body = out + PL_TICKET_KEY_ID_LEN + PL_AEAD_NONCE_LEN;
    if (rc == PADLOCK_OK) {
        memcpy(out, k->id, PL_TICKET_KEY_ID_LEN);
        memmove(body, in, len);
        memcpy(out + PL_TICKET_KEY_ID_LEN, nonce, PL_AEAD_NONCE_LEN);
        rc = pl_aead_seal(k->aead, nonce, out, PL_TICKET_KEY_ID_LEN, body, len, body + len);
    }
    pthread_mutex_unlock(&keys->lock);
    PL_TRY(rc);
    *out_len = len + PL_TICKET_SEAL_OVERHEAD;
    return PADLOCK_OK;
}

padlock_err pl_ticket_keys_open(padlock_ticket_keys *keys, const uint8_t *ticket, size_t len,
                                uint8_t *out, size_t cap, size_t *out_len) {
    PL_CHECK(len >= PL_TICKET_SEAL_OVERHEAD, PADLOCK_E_DECODE);
    size_t body_len = len - PL_TICKET_SEAL_OVERHEAD;
    PL_CHECK(cap >= body_len, PADLOCK_E_BUFFER_TOO_SMALL);
    const uint8_t *nonce = ticket + PL_TICKET_KEY_ID_LEN;
    const uint8_t *body = nonce + PL_AEAD_NONCE_LEN;
    padlock_err rc = PADLOCK_E_DECODE;
    pthread_mutex_lock(&keys->lock);
    for (size_t i = 0; i < keys->num && rc != PADLOCK_OK; i++) {
        pl_ticket_key *k = &keys->keys[i];
        if (memcmp(k->id, ticket, PL_TICKET_KEY_ID_LEN) != 0) {
            continue;
        }
        memcpy(out, body, body_len);
        rc = pl_aead_open(k->aead, nonce, ticket, PL_TICKET_KEY_ID_LEN, out, body_len,
                          body + body_len);
    }
    pthread_mutex_unlock(&keys->lock);
    if (rc != PADLOCK_OK) {
        pl_wipe(out, body_len);
        return rc;
    }
    *out_len = body_len;
    return PADLOCK_OK;
}

/* ---- Public API ----------------------------------------------------------------------------- */

padlock_err padlock_ticket_keys_new(padlock_ticket_keys **out) {
    PL_CHECK(out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    return pl_ticket_keys_new(NULL, out);
}

void padlock_ticket_keys_free(padlock_ticket_keys *keys) {
    if (keys == NULL || atomic_fetch_sub(&keys->refs, 1) != 1) {
        return;
    }
    for (size_t i = 0; i < PL_TICKET_KEYS_MAX; i++) {
        pl_aead_ctx_free(keys->keys[i].aead);
    }
    pthread_mutex_destroy(&keys->lock);
    pl_free_secret(keys);
}

padlock_err padlock_ticket_keys_rotate(padlock_ticket_keys *keys) {
    PL_CHECK(keys != NULL, PADLOCK_E_INVALID_ARGUMENT);
    pthread_mutex_lock(&keys->lock);
    padlock_err rc = pl_tk_rotate(keys, NULL);
    pthread_mutex_unlock(&keys->lock);
    return rc;
}

padlock_err padlock_ticket_keys_set(padlock_ticket_keys *keys, const uint8_t *secrets, size_t num) {
    PL_CHECK(keys != NULL && secrets != NULL, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(num >= 1 && num <= PL_TICKET_KEYS_MAX, PADLOCK_E_INVALID_ARGUMENT);
    padlock_err rc = PADLOCK_OK;
    pthread_mutex_lock(&keys->lock);
    for (size_t i = 0; i < num && rc == PADLOCK_OK; i++) {
        rc = pl_tk_init(&keys->keys[i], secrets + i * PADLOCK_TICKET_KEY_LEN);
    }
    for (size_t i = num; i < PL_TICKET_KEYS_MAX; i++) {
        pl_aead_ctx_free(keys->keys[i].aead);
        keys->keys[i].aead = NULL;
    }
    /* A key that failed to install leaves no set half old and half new: nothing seals or opens
     * (servers fall back to full handshakes) until the next successful call. */
    keys->num = rc == PADLOCK_OK ? (uint8_t)num : 0;
    keys->automatic = 0;
    pthread_mutex_unlock(&keys->lock);
    return rc;
}
