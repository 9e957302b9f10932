/* The verified-chain cache (vcache.h): a small array searched linearly under a mutex, each
 * entry the SHA-256 key of a successful verification's inputs and its validity interval. A
 * few dozen 64-byte entries compare faster than a hash table is maintained. */
#include "x509/vcache.h"

#include <pthread.h>
#include <string.h>

#include "util/mem.h"

typedef struct pl_vcache_entry {
    uint8_t key[32];
    int64_t not_before; /* latest notBefore on the validated path */
    int64_t not_after;  /* earliest notAfter on it */
    uint64_t used;      /* the cache's clock at the last hit or insertion; 0: empty */
} pl_vcache_entry;

struct pl_x509_vcache {
    pthread_mutex_t lock;
    size_t num;
    uint64_t clock;
    pl_x509_vcache_stats stats;
    pl_vcache_entry entries[];
};

padlock_err pl_x509_vcache_new(size_t entries, pl_x509_vcache **out) {
    PL_CHECK(entries >= 1 && entries <= 4096, PADLOCK_E_INVALID_ARGUMENT);
    pl_x509_vcache *c = pl_calloc(1, sizeof(*c) + entries * sizeof(c->entries[0]));
    PL_CHECK(c != NULL, PADLOCK_E_NO_MEMORY);
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        pl_free(c);
        return PADLOCK_E_NO_MEMORY;
    }
    c->num = entries;
    *out = c;
    return PADLOCK_OK;
}

void pl_x509_vcache_free(pl_x509_vcache *c) {
    if (c != NULL) {
        pthread_mutex_destroy(&c->lock);
        pl_free(c);
    }
}

/* The inputs pl_vkey covers, member for member. A new member of pl_x509_verify_params is a new
 * input of the verdict: this assertion fails until it is added here and to the key. */
struct pl_vkey_covered {
    const pl_x509_store *store;
    int64_t now; /* not keyed: the entry's validity interval answers for it */
    pl_x509_purpose purpose;
    const pl_x509_peer *peer;
    const pl_x509_crl_set *crls; /* not keyed: with CRLs the cache is bypassed */
    uint8_t max_intermediates;
    pl_x509_sig_fn sig_verify; /* not keyed: with a replaced function the cache is bypassed */
};
_Static_assert(sizeof(struct pl_vkey_covered) == sizeof(pl_x509_verify_params),
               "pl_x509_verify_params changed: key the new input in pl_vkey");

static void pl_vkey_u64(const pl_hash_alg *h, pl_hash_state *st, uint64_t v) {
    uint8_t b[8];
    for (int i = 0; i < 8; i++) {
        b[i] = (uint8_t)(v >> (56 - 8 * i));
    }
    h->update(st, b, sizeof(b));
}

/* SHA-256 over an unambiguous encoding (every variable part length-prefixed) of every input of
 * the verdict except the time. */
static void pl_vkey(const pl_x509_verify_params *params, const pl_span *chain, size_t num,
                    uint8_t key[32]) {
    static const uint8_t tag[] = "padlock verified chain v1";
    const pl_hash_alg *h = &pl_hash_sha256;
    pl_hash_state st;
    h->init(&st);
    h->update(&st, tag, sizeof(tag));
    pl_vkey_u64(h, &st, pl_x509_store_id(params->store));
    uint8_t max = params->max_intermediates != 0 ? params->max_intermediates
                                                 : PL_X509_DEFAULT_MAX_INTERMEDIATES;
    uint8_t fixed[2] = {(uint8_t)params->purpose, max};
    h->update(&st, fixed, sizeof(fixed));
    const pl_x509_peer *peer = params->peer;
    if (peer == NULL) {
        pl_vkey_u64(h, &st, UINT64_MAX); /* no identity check: no real length matches */
    } else {
        uint8_t type = (uint8_t)peer->type;
        h->update(&st, &type, 1);
        pl_vkey_u64(h, &st, peer->ip_len);
        h->update(&st, peer->ip, peer->ip_len);
        pl_vkey_u64(h, &st, peer->dns_len);
        h->update(&st, (const uint8_t *)peer->dns, peer->dns_len);
    }
    pl_vkey_u64(h, &st, num);
    for (size_t i = 0; i < num; i++) {
        pl_vkey_u64(h, &st, chain[i].len);
        h->update(&st, chain[i].p, chain[i].len);
    }
    h->final(&st, key);
}

/* 1 (and the entry refreshed) when c holds key valid at now; an entry for key whose interval
 * no longer holds now is dropped. Called with the lock held. */
static int pl_vcache_find(pl_x509_vcache *c, const uint8_t key[32], int64_t now) {
    for (size_t i = 0; i < c->num; i++) {
        pl_vcache_entry *e = &c->entries[i];
        if (e->used == 0 || memcmp(e->key, key, 32) != 0) {
            continue;
        }
        /* The verifier's own test (path_verify.c): valid when notBefore <= now <= notAfter. */
        if (now >= e->not_before && now <= e->not_after) {
            e->used = ++c->clock;
            return 1;
        }
        memset(e, 0, sizeof(*e));
        return 0;
    }
    return 0;
}

/* Keeps the verdict in an empty entry, else in place of the least recently used one. Called
 * with the lock held. */
static void pl_vcache_put(pl_x509_vcache *c, const uint8_t key[32], int64_t not_before,
                          int64_t not_after) {
    pl_vcache_entry *slot = &c->entries[0];
    for (size_t i = 0; i < c->num; i++) {
        pl_vcache_entry *e = &c->entries[i];
        if (e->used != 0 && memcmp(e->key, key, 32) == 0) {
            slot = e; /* another thread verified the same chain meanwhile */
            break;
        }
        if (e->used < slot->used) {
            slot = e;
        }
    }
    if (slot->used != 0 && memcmp(slot->key, key, 32) != 0) {
        c->stats.evictions++;
    }
    memcpy(slot->key, key, 32);
    slot->not_before = not_before;
    slot->not_after = not_after;
    slot->used = ++c->clock;
}

padlock_err pl_x509_verify_cached(pl_x509_vcache *c, const pl_x509_verify_params *params,
                                  const pl_span *chain, size_t num_chain, pl_errinfo *err) {
    if (c == NULL) {
        return pl_x509_verify(params, chain, num_chain, NULL, err);
    }
    int usable = params->store != NULL && params->crls == NULL && params->sig_verify == NULL &&
                 num_chain >= 1 && num_chain <= PL_X509_MAX_CHAIN;
    uint8_t key[32];
    if (usable) {
        pl_vkey(params, chain, num_chain, key);
        pthread_mutex_lock(&c->lock);
        int hit = pl_vcache_find(c, key, params->now);
        if (hit) {
            c->stats.hits++;
        }
        pthread_mutex_unlock(&c->lock);
        if (hit) {
            return PADLOCK_OK;
        }
    }
    pl_x509_path *path = NULL;
    padlock_err rc = pl_x509_verify(params, chain, num_chain, usable ? &path : NULL, err);
    int64_t not_before = INT64_MIN;
    int64_t not_after = INT64_MAX;
    if (path != NULL) {
        for (size_t i = 0; i < path->len; i++) {
            not_before =
                path->certs[i].not_before > not_before ? path->certs[i].not_before : not_before;
            not_after = path->certs[i].not_after < not_after ? path->certs[i].not_after : not_after;
        }
        pl_x509_path_free(path);
    }
    pthread_mutex_lock(&c->lock);
    c->stats.misses++;
    if (rc == PADLOCK_OK && usable) {
        pl_vcache_put(c, key, not_before, not_after);
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

pl_x509_vcache_stats pl_x509_vcache_get_stats(pl_x509_vcache *c) {
    pthread_mutex_lock(&c->lock);
    pl_x509_vcache_stats s = c->stats;
    pthread_mutex_unlock(&c->lock);
    return s;
}
