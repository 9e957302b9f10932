/* A small shared cache of byte buffers (record buffers). A connection holds a record buffer only
 * while it holds bytes (DESIGN.md §11) and hands it back here when it is empty; the next record,
 * of this connection or another sharing the pool, takes it again. An idle connection thus holds
 * no buffer, and the steady-state data path allocates nothing. The pool keeps at most
 * PL_POOL_SLOTS buffers and max_bytes bytes; anything beyond is freed. Thread-safe: one pool is
 * shared by every connection of a configuration. */
#ifndef PL_UTIL_POOL_H
#define PL_UTIL_POOL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define PL_POOL_SLOTS 8

typedef struct pl_pool_slot {
    uint8_t *p;
    size_t cap;
} pl_pool_slot;

typedef struct pl_pool {
    pthread_mutex_t lock;
    size_t max_bytes;    /* cached bytes kept at most */
    size_t cached_bytes; /* bytes of the cached buffers */
    uint8_t num;         /* cached buffers in slot[0..num) */
    pl_pool_slot slot[PL_POOL_SLOTS];
} pl_pool;

/* Initialises an empty pool that caches at most max_bytes (0: cache nothing, every get
 * allocates and every put frees). */
void pl_pool_init(pl_pool *pool, size_t max_bytes);

/* Frees every cached buffer. No buffer taken from the pool may be put back afterwards. */
void pl_pool_cleanup(pl_pool *pool);

/* A buffer of at least min_cap bytes (min_cap > 0): the smallest cached one that fits, else a
 * new one of exactly min_cap bytes. *out_cap is its real size. The buffer is owned by the
 * caller until it is put back (or freed with pl_free). PADLOCK_E_NO_MEMORY on failure. */
PL_NODISCARD padlock_err pl_pool_get(pl_pool *pool, size_t min_cap, uint8_t **out, size_t *out_cap);

/* Gives a buffer from pl_pool_get back. Its first used bytes are wiped first (record
 * plaintext may be secret). When the pool is full, the smallest buffer (the one given back or
 * a cached one) is freed. p NULL is a no-op. */
void pl_pool_put(pl_pool *pool, uint8_t *p, size_t cap, size_t used);

#endif
