/* The handshake transcript hash (RFC 8446 §4.4.1), including the message_hash substitution
 * after HelloRetryRequest and prefix hashes for PSK binders (§4.2.11.2). */
#include "hs/transcript.h"

#include <string.h>

#include "util/mem.h"

#define PL_HS_MESSAGE_HASH 254 /* RFC 8446 §4: HandshakeType message_hash */

void pl_transcript_init(pl_transcript *t) {
    pl_hash_sha256.init(&t->sha256);
    pl_hash_sha384.init(&t->sha384);
    t->hash = NULL;
}

void pl_transcript_cleanup(pl_transcript *t) {
    pl_wipe(t, sizeof(*t));
}

/* The running state for hash, or NULL when it is not running. */
static const pl_hash_state *pl_transcript_state(const pl_transcript *t, const pl_hash_alg *hash) {
    if (t->hash != NULL && t->hash != hash) {
        return NULL;
    }
    if (hash == &pl_hash_sha256) {
        return &t->sha256;
    }
    if (hash == &pl_hash_sha384) {
        return &t->sha384;
    }
    return NULL;
}

void pl_transcript_update(pl_transcript *t, const uint8_t *msg, size_t len) {
    if (t->hash != &pl_hash_sha384) {
        pl_hash_sha256.update(&t->sha256, msg, len);
    }
    if (t->hash != &pl_hash_sha256) {
        pl_hash_sha384.update(&t->sha384, msg, len);
    }
}

padlock_err pl_transcript_select(pl_transcript *t, const pl_hash_alg *hash) {
    PL_CHECK(hash == &pl_hash_sha256 || hash == &pl_hash_sha384, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(t->hash == NULL || t->hash == hash, PADLOCK_E_STATE);
    t->hash = hash;
    pl_wipe(hash == &pl_hash_sha256 ? &t->sha384 : &t->sha256, sizeof(pl_hash_state));
    return PADLOCK_OK;
}

const pl_hash_alg *pl_transcript_hash_alg(const pl_transcript *t) {
    return t->hash;
}

/* Replaces one running hash of ClientHello1 with the hash of message_hash(Hash(ClientHello1)). */
static void pl_transcript_hrr_one(const pl_hash_alg *hash, pl_hash_state *st) {
    uint8_t msg[4 + PL_HASH_MAX_LEN];
    msg[0] = PL_HS_MESSAGE_HASH;
    msg[1] = 0;
    msg[2] = 0;
    msg[3] = hash->digest_len;
    hash->final(st, msg + 4);
    hash->init(st);
    hash->update(st, msg, 4 + (size_t)hash->digest_len);
}

void pl_transcript_hrr(pl_transcript *t) {
    /* RFC 8446 §4.4.1: Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
     * Hash(message_hash || 00 00 Hash.length || Hash(ClientHello1) || HelloRetryRequest ...). */
    if (t->hash != &pl_hash_sha384) {
        pl_transcript_hrr_one(&pl_hash_sha256, &t->sha256);
    }
    if (t->hash != &pl_hash_sha256) {
        pl_transcript_hrr_one(&pl_hash_sha384, &t->sha384);
    }
}

padlock_err pl_transcript_hash_with(const pl_transcript *t, const pl_hash_alg *hash,
                                    const uint8_t *extra, size_t extra_len, pl_digest *out) {
    const pl_hash_state *st = pl_transcript_state(t, hash);
    PL_CHECK(st != NULL, PADLOCK_E_STATE);
    pl_hash_state snapshot;
    memcpy(&snapshot, st, hash->state_len);
    if (extra_len != 0) {
        hash->update(&snapshot, extra, extra_len);
    }
    out->hash = hash;
    out->len = hash->digest_len;
    hash->final(&snapshot, out->b);
    pl_wipe(&snapshot, hash->state_len);
    return PADLOCK_OK;
}

padlock_err pl_transcript_hash(const pl_transcript *t, pl_digest *out) {
    PL_CHECK(t->hash != NULL, PADLOCK_E_STATE);
    return pl_transcript_hash_with(t, t->hash, NULL, 0, out);
}
