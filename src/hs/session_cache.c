/* The TLS 1.2 session cache (RFC 5246 §7.4.1.2, §F.1.4): a hash table of entries chained per
 * bucket, and a ring that remembers their order of insertion. Every entry lives the same
 * lifetime from its insertion, so the ring's oldest entry is also the first to expire: expired
 * entries leave from the front, and a full cache evicts the front. */
#include "hs/session_cache.h"

#include <pthread.h>
#include <string.h>

#include "util/mem.h"

typedef struct pl_sc_entry {
    struct pl_sc_entry *next; /* in its bucket */
    int64_t expires;
    uint8_t id[PL_SESSION_ID_LEN];
    size_t len;
    uint8_t state[]; /* len bytes */
} pl_sc_entry;

struct pl_session_cache {
    pthread_mutex_t lock; /* guards everything below */
    size_t max;
    size_t num;            /* entries in the ring */
    size_t head;           /* ring index of the oldest entry */
    pl_sc_entry **ring;    /* max slots, made at the first put */
    pl_sc_entry **buckets; /* num_buckets chains, made with the ring */
    size_t num_buckets;    /* a power of two, at least max */
};

padlock_err pl_session_cache_new(size_t max, pl_session_cache **out) {
    PL_CHECK(max > 0, PADLOCK_E_INVALID_ARGUMENT);
    pl_session_cache *c = pl_calloc(1, sizeof(*c));
    PL_CHECK(c != NULL, PADLOCK_E_NO_MEMORY);
    pthread_mutex_init(&c->lock, NULL);
    c->max = max;
    c->num_buckets = 1;
    while (c->num_buckets < max) {
        c->num_buckets <<= 1;
    }
    *out = c;
    return PADLOCK_OK;
}

static void pl_sc_entry_free(pl_sc_entry *e) {
    if (e != NULL) {
        pl_wipe(e->state, e->len);
        pl_free_secret(e);
    }
}

void pl_session_cache_free(pl_session_cache *c) {
    if (c == NULL) {
        return;
    }
    for (size_t i = 0; c->ring != NULL && i < c->num; i++) {
        pl_sc_entry_free(c->ring[(c->head + i) % c->max]);
    }
    pl_free(c->ring);
    pl_free(c->buckets);
    pthread_mutex_destroy(&c->lock);
    pl_free(c);
}

/* The bucket of an ID: the IDs we store are random, so their first bytes spread evenly. */
static pl_sc_entry **pl_sc_bucket(const pl_session_cache *c, const uint8_t *id) {
    uint64_t h = 0;
    for (size_t i = 0; i < 8; i++) {
        h = h << 8 | id[i];
    }
    return &c->buckets[h & (c->num_buckets - 1)];
}

/* Takes e out of its bucket chain. */
static void pl_sc_unlink(pl_session_cache *c, const pl_sc_entry *e) {
    for (pl_sc_entry **p = pl_sc_bucket(c, e->id); *p != NULL; p = &(*p)->next) {
        if (*p == e) {
            *p = e->next;
            return;
        }
    }
}

/* Drops the oldest entry. Called with the lock held and num > 0. */
static void pl_sc_pop(pl_session_cache *c) {
    pl_sc_entry *e = c->ring[c->head];
    pl_sc_unlink(c, e);
    pl_sc_entry_free(e);
    c->ring[c->head] = NULL;
    c->head = (c->head + 1) % c->max;
    c->num--;
}

/* The entry of id, NULL if none. Called with the lock held. */
static pl_sc_entry *pl_sc_find(const pl_session_cache *c, const uint8_t *id, size_t id_len) {
    if (c->buckets == NULL || id_len != PL_SESSION_ID_LEN) {
        return NULL;
    }
    for (pl_sc_entry *e = *pl_sc_bucket(c, id); e != NULL; e = e->next) {
        if (memcmp(e->id, id, PL_SESSION_ID_LEN) == 0) {
            return e;
        }
    }
    return NULL;
}

padlock_err pl_session_cache_put(pl_session_cache *c, const uint8_t id[PL_SESSION_ID_LEN],
                                 const uint8_t *state, size_t len, int64_t now,
                                 uint32_t lifetime) {
    if (len > PL_SESSION_CACHE_MAX_STATE) {
        return PADLOCK_OK;
    }
    pl_sc_entry *e = pl_malloc(sizeof(*e) + len);
    PL_CHECK(e != NULL, PADLOCK_E_NO_MEMORY);
    e->next = NULL;
    e->expires = now + (int64_t)lifetime;
    memcpy(e->id, id, PL_SESSION_ID_LEN);
    e->len = len;
    memcpy(e->state, state, len);
    padlock_err rc = PADLOCK_OK;
    pthread_mutex_lock(&c->lock);
    if (c->ring == NULL) {
        c->ring = pl_calloc(c->max, sizeof(*c->ring));
        c->buckets = pl_calloc(c->num_buckets, sizeof(*c->buckets));
        if (c->ring == NULL || c->buckets == NULL) {
            pl_free(c->ring);
            pl_free(c->buckets);
            c->ring = NULL;
            c->buckets = NULL;
            rc = PADLOCK_E_NO_MEMORY;
        }
    }
    if (rc == PADLOCK_OK) {
        while (c->num > 0 && (c->num == c->max || c->ring[c->head]->expires <= now)) {
            pl_sc_pop(c);
        }
        pl_sc_entry **bucket = pl_sc_bucket(c, e->id);
        e->next = *bucket;
        *bucket = e;
        c->ring[(c->head + c->num) % c->max] = e;
        c->num++;
        e = NULL;
    }
    pthread_mutex_unlock(&c->lock);
    pl_sc_entry_free(e);
    return rc;
}

padlock_err pl_session_cache_get(pl_session_cache *c, const uint8_t *id, size_t id_len,
                                 int64_t now, uint8_t *out, size_t cap, size_t *out_len,
                                 int *out_found) {
    *out_found = 0;
    *out_len = 0;
    padlock_err rc = PADLOCK_OK;
    pthread_mutex_lock(&c->lock);
    pl_sc_entry *e = pl_sc_find(c, id, id_len);
    if (e != NULL && e->expires > now) {
        *out_len = e->len;
        if (cap < e->len) {
            rc = PADLOCK_E_BUFFER_TOO_SMALL;
        } else {
            memcpy(out, e->state, e->len);
            *out_found = 1;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

size_t pl_session_cache_count(pl_session_cache *c) {
    pthread_mutex_lock(&c->lock);
    size_t n = c->num;
    pthread_mutex_unlock(&c->lock);
    return n;
}
