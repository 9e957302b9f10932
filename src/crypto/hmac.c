/* HMAC (RFC 2104) and HKDF (RFC 5869) on the hash descriptors: no allocation, so the key
 * schedule and Finished computations cost only hashing. A keyed HMAC state is plain storage and
 * is copied to key several HMACs (HKDF-Expand from one PRK) with one keying. */
#include <string.h>

#include "crypto/crypto.h"
#include "util/mem.h"

/* block[0..len) ^= the byte pad repeated, a word at a time (len is a multiple of 8). */
static void pl_hmac_xor_pad(uint8_t *block, size_t len, uint64_t pad) {
    for (size_t i = 0; i < len; i += 8) {
        uint64_t w;
        memcpy(&w, block + i, 8);
        w ^= pad;
        memcpy(block + i, &w, 8);
    }
}

void pl_hmac_init(pl_hmac *h, const pl_hash_alg *hash, const uint8_t *key, size_t key_len) {
    /* The block length in a local: the key bytes written below could alias *hash otherwise, and
     * the compiler would reload it on every byte. */
    const size_t block_len = hash->block_len;
    uint8_t block[PL_HASH_MAX_BLOCK];
    /* RFC 2104 §2: keys longer than the block are hashed first; shorter ones padded with zeros. */
    size_t used = key_len;
    if (key_len > block_len) {
        pl_hash(hash, key, key_len, block);
        used = hash->digest_len;
    } else if (key_len != 0) {
        memcpy(block, key, key_len);
    }
    memset(block + used, 0, block_len - used);
    pl_hmac_xor_pad(block, block_len, 0x3636363636363636u); /* ipad */
    h->hash = hash;
    hash->init(&h->inner);
    hash->update(&h->inner, block, block_len);
    pl_hmac_xor_pad(block, block_len, 0x3636363636363636u ^ 0x5c5c5c5c5c5c5c5cu); /* opad */
    hash->init(&h->outer);
    hash->update(&h->outer, block, block_len);
    pl_wipe(block, block_len);
}

void pl_hmac_update(pl_hmac *h, const uint8_t *in, size_t len) {
    h->hash->update(&h->inner, in, len);
}

void pl_hmac_final(pl_hmac *h, uint8_t *out) {
    const pl_hash_alg *hash = h->hash;
    uint8_t inner[PL_HASH_MAX_LEN];
    hash->final(&h->inner, inner);
    hash->update(&h->outer, inner, hash->digest_len);
    hash->final(&h->outer, out);
    pl_wipe(inner, hash->digest_len);
    pl_wipe(&h->inner, hash->state_len);
    pl_wipe(&h->outer, hash->state_len);
}

/* *dst = *src for a keyed HMAC, copying only the state bytes its hash uses. */
static void pl_hmac_copy(pl_hmac *dst, const pl_hmac *src) {
    dst->hash = src->hash;
    memcpy(&dst->inner, &src->inner, src->hash->state_len);
    memcpy(&dst->outer, &src->outer, src->hash->state_len);
}

void pl_hmac_cleanup(pl_hmac *h) {
    pl_wipe(h, sizeof(*h));
}

void pl_hmac_oneshot(const pl_hash_alg *hash, const uint8_t *key, size_t key_len,
                     const uint8_t *msg, size_t msg_len, uint8_t *out) {
    pl_hmac h;
    pl_hmac_init(&h, hash, key, key_len);
    pl_hmac_update(&h, msg, msg_len);
    pl_hmac_final(&h, out);
}

void pl_hkdf_extract(const pl_hash_alg *hash, const uint8_t *salt, size_t salt_len,
                     const uint8_t *ikm, size_t ikm_len, uint8_t *prk_out) {
    /* RFC 5869 §2.2: an absent salt is HashLen zeros, which HMAC pads identically to empty. */
    pl_hmac_oneshot(hash, salt, salt_len, ikm, ikm_len, prk_out);
}

padlock_err pl_hkdf_expand_keyed(const pl_hmac *prk, const uint8_t *info, size_t info_len,
                                 uint8_t *out, size_t out_len) {
    const pl_hash_alg *hash = prk->hash;
    /* RFC 5869 §2.3: L <= 255*HashLen. */
    PL_CHECK(out_len <= 255 * (size_t)hash->digest_len, PADLOCK_E_INVALID_ARGUMENT);
    uint8_t t[PL_HASH_MAX_LEN];
    size_t t_len = 0;
    size_t done = 0;
    for (uint8_t counter = 1; done < out_len; counter++) {
        /* T(n) = HMAC-Hash(PRK, T(n-1) | info | n), from a copy of the keyed state. */
        pl_hmac h;
        pl_hmac_copy(&h, prk);
        pl_hmac_update(&h, t, t_len);
        pl_hmac_update(&h, info, info_len);
        pl_hmac_update(&h, &counter, 1);
        pl_hmac_final(&h, t);
        t_len = hash->digest_len;
        size_t n = out_len - done < t_len ? out_len - done : t_len;
        memcpy(out + done, t, n);
        done += n;
    }
    pl_wipe(t, sizeof(t));
    return PADLOCK_OK;
}

padlock_err pl_hkdf_expand(const pl_hash_alg *hash, const uint8_t *prk, size_t prk_len,
                           const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len) {
    pl_hmac keyed;
    pl_hmac_init(&keyed, hash, prk, prk_len);
    padlock_err err = pl_hkdf_expand_keyed(&keyed, info, info_len, out, out_len);
    pl_hmac_cleanup(&keyed);
    return err;
}
