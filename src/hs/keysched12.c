/* The TLS 1.2 key schedule: the PRF (RFC 5246 §5), the extended master secret (RFC 7627 §4) or,
 * only when configured, the RFC 5246 §8.1 one, AEAD
 * record keys from the key block (§6.3, RFC 5288 §3, RFC 7905 §2), Finished (§7.4.9) and the
 * RFC 5705 exporter. */
#include "hs/keysched12.h"

#include <string.h>

#include "util/mem.h"

#define PL_KS12_LABEL_MAX 64
/* RFC 5288 §3: fixed_iv_length 4 (the salt); RFC 7905 §2: 12. */
#define PL_KS12_GCM_SALT_LEN 4

static int pl_ks12_hash_ok(const pl_hash_alg *hash) {
    return hash == &pl_hash_sha256 || hash == &pl_hash_sha384;
}

padlock_err pl_ks12_prf(const pl_hash_alg *hash, const uint8_t *secret, size_t secret_len,
                        const char *label, const uint8_t *seed1, size_t seed1_len,
                        const uint8_t *seed2, size_t seed2_len, uint8_t *out, size_t out_len) {
    PL_CHECK(pl_ks12_hash_ok(hash) && label != NULL, PADLOCK_E_INVALID_ARGUMENT);
    size_t label_len = strlen(label);
    PL_CHECK(label_len > 0, PADLOCK_E_INVALID_ARGUMENT);
    /* RFC 5246 §5: P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) +
     * HMAC_hash(secret, A(2) + seed) + ..., A(0) = seed, A(i) = HMAC_hash(secret, A(i-1)); the
     * PRF's seed is label + seed. The keyed state is made once and copied for each HMAC. */
    pl_hmac keyed, h;
    pl_hmac_init(&keyed, hash, secret, secret_len);
    uint8_t a[PL_HASH_MAX_LEN], block[PL_HASH_MAX_LEN];
    size_t n = hash->digest_len;
    h = keyed; /* A(1) = HMAC(secret, seed) */
    pl_hmac_update(&h, (const uint8_t *)label, label_len);
    pl_hmac_update(&h, seed1, seed1_len);
    pl_hmac_update(&h, seed2, seed2_len);
    pl_hmac_final(&h, a);
    for (size_t done = 0; done < out_len; done += n) {
        h = keyed;
        pl_hmac_update(&h, a, n);
        pl_hmac_update(&h, (const uint8_t *)label, label_len);
        pl_hmac_update(&h, seed1, seed1_len);
        pl_hmac_update(&h, seed2, seed2_len);
        pl_hmac_final(&h, block);
        size_t take = out_len - done < n ? out_len - done : n;
        memcpy(out + done, block, take);
        if (done + take < out_len) {
            h = keyed; /* A(i+1) = HMAC(secret, A(i)) */
            pl_hmac_update(&h, a, n);
            pl_hmac_final(&h, a);
        }
    }
    pl_wipe(&keyed, sizeof(keyed));
    pl_wipe(&h, sizeof(h));
    pl_wipe(a, sizeof(a));
    pl_wipe(block, sizeof(block));
    return PADLOCK_OK;
}

padlock_err pl_ks12_extended_master_secret(pl_ks12_master *out, const pl_hash_alg *hash,
                                           const uint8_t *premaster, size_t premaster_len,
                                           const pl_digest *session_hash) {
    PL_CHECK(session_hash->hash == hash, PADLOCK_E_INVALID_ARGUMENT);
    out->hash = hash;
    return pl_ks12_prf(hash, premaster, premaster_len, "extended master secret", session_hash->b,
                       session_hash->len, NULL, 0, out->b, sizeof(out->b));
}

padlock_err pl_ks12_master_secret(pl_ks12_master *out, const pl_hash_alg *hash,
                                  const uint8_t *premaster, size_t premaster_len,
                                  const uint8_t client_random[PL_RANDOM_LEN],
                                  const uint8_t server_random[PL_RANDOM_LEN]) {
    out->hash = hash;
    return pl_ks12_prf(hash, premaster, premaster_len, "master secret", client_random,
                       PL_RANDOM_LEN, server_random, PL_RANDOM_LEN, out->b, sizeof(out->b));
}

padlock_err pl_ks12_record_keys(const pl_ks12_master *master, const pl_aead_alg *aead,
                                const uint8_t client_random[PL_RANDOM_LEN],
                                const uint8_t server_random[PL_RANDOM_LEN],
                                pl_record_keys *out_client, pl_record_keys *out_server) {
    size_t key_len = aead->key_len;
    size_t iv_len = aead->id == PL_AEAD_CHACHA20_POLY1305 ? PL_AEAD_NONCE_LEN
                                                           : PL_KS12_GCM_SALT_LEN;
    uint8_t block[2 * (PL_AEAD_MAX_KEY_LEN + PL_AEAD_NONCE_LEN)];
    size_t need = 2 * (key_len + iv_len);
    /* RFC 5246 §6.3: the key block's seed is server_random + client_random. */
    PL_TRY(pl_ks12_prf(master->hash, master->b, sizeof(master->b), "key expansion", server_random,
                       PL_RANDOM_LEN, client_random, PL_RANDOM_LEN, block, need));
    memset(out_client, 0, sizeof(*out_client));
    memset(out_server, 0, sizeof(*out_server));
    out_client->prot = out_server->prot = PL_RECORD_TLS12;
    out_client->aead = out_server->aead = aead;
    /* client_write_MAC_key and server_write_MAC_key are empty for AEAD suites (RFC 5246
     * §6.2.3.3); then client_write_key, server_write_key, client_write_IV, server_write_IV. */
    memcpy(out_client->key, block, key_len);
    memcpy(out_server->key, block + key_len, key_len);
    memcpy(out_client->iv, block + 2 * key_len, iv_len);
    memcpy(out_server->iv, block + 2 * key_len + iv_len, iv_len);
    pl_wipe(block, sizeof(block));
    return PADLOCK_OK;
}

padlock_err pl_ks12_finished(const pl_ks12_master *master, pl_role sender, const pl_digest *th,
                             uint8_t out[PL_KS12_VERIFY_LEN]) {
    PL_CHECK(th->hash == master->hash, PADLOCK_E_INVALID_ARGUMENT);
    return pl_ks12_prf(master->hash, master->b, sizeof(master->b),
                       sender == PL_ROLE_CLIENT ? "client finished" : "server finished", th->b,
                       th->len, NULL, 0, out, PL_KS12_VERIFY_LEN);
}

padlock_err pl_ks12_finished_verify(const pl_ks12_master *master, pl_role sender,
                                    const pl_digest *th, const uint8_t *verify_data, size_t len) {
    PL_CHECK(len == PL_KS12_VERIFY_LEN, PADLOCK_E_DECODE);
    uint8_t expected[PL_KS12_VERIFY_LEN];
    PL_TRY(pl_ks12_finished(master, sender, th, expected));
    int same = pl_ct_equal(expected, verify_data, PL_KS12_VERIFY_LEN);
    pl_wipe(expected, sizeof(expected));
    return same ? PADLOCK_OK : PADLOCK_E_DECRYPT_ERROR;
}

/* Labels of the TLS 1.2 key schedule (RFC 5246 §6.3, §7.4.9, §8.1; RFC 7627 §4). */
static int pl_ks12_reserved_label(const char *label) {
    static const char *const reserved[] = {"client finished", "server finished", "master secret",
                                           "key expansion", "extended master secret"};
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
        if (strcmp(label, reserved[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

padlock_err pl_ks12_export(const pl_ks12_master *master, const uint8_t client_random[PL_RANDOM_LEN],
                           const uint8_t server_random[PL_RANDOM_LEN], const char *label,
                           const uint8_t *context, size_t context_len, int has_context,
                           uint8_t *out, size_t out_len) {
    PL_CHECK(label != NULL && label[0] != '\0' && !pl_ks12_reserved_label(label),
             PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(!has_context || context_len <= 0xffff, PADLOCK_E_INVALID_ARGUMENT);
    /* RFC 5705 §4: seed = client_random + server_random [+ context_value_length +
     * context_value]. */
    uint8_t seed[2 * PL_RANDOM_LEN + 2];
    memcpy(seed, client_random, PL_RANDOM_LEN);
    memcpy(seed + PL_RANDOM_LEN, server_random, PL_RANDOM_LEN);
    size_t seed_len = 2 * PL_RANDOM_LEN;
    if (has_context) {
        seed[seed_len++] = (uint8_t)(context_len >> 8);
        seed[seed_len++] = (uint8_t)context_len;
    }
    return pl_ks12_prf(master->hash, master->b, sizeof(master->b), label, seed, seed_len,
                       has_context ? context : NULL, has_context ? context_len : 0, out, out_len);
}

void pl_ks12_master_cleanup(pl_ks12_master *master) {
    pl_wipe(master, sizeof(*master));
}
