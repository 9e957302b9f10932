/* The shared record buffer cache: a handful of buffers behind a mutex, best fit on get, the
 * smallest evicted when full. */
#include "util/pool.h"

#include "util/mem.h"

void pl_pool_init(pl_pool *pool, size_t max_bytes) {
    pthread_mutex_init(&pool->lock, NULL);
    pool->max_bytes = max_bytes;
    pool->cached_bytes = 0;
    pool->num = 0;
    for (size_t i = 0; i < PL_POOL_SLOTS; i++) {
        pool->slot[i].p = NULL;
        pool->slot[i].cap = 0;
    }
}

void pl_pool_cleanup(pl_pool *pool) {
    for (size_t i = 0; i < pool->num; i++) {
        pl_free(pool->slot[i].p);
    }
    pool->num = 0;
    pool->cached_bytes = 0;
    pthread_mutex_destroy(&pool->lock);
}

/* Removes slot i (the last slot takes its place). Called with the lock held. */
static pl_pool_slot pl_pool_take(pl_pool *pool, size_t i) {
    pl_pool_slot s = pool->slot[i];
    pool->num--;
    pool->slot[i] = pool->slot[pool->num];
    pool->cached_bytes -= s.cap;
    return s;
}

padlock_err pl_pool_get(pl_pool *pool, size_t min_cap, uint8_t **out, size_t *out_cap) {
    PL_CHECK(min_cap > 0, PADLOCK_E_INVALID_ARGUMENT);
    pl_pool_slot found = {NULL, 0};
    pthread_mutex_lock(&pool->lock);
    size_t best = PL_POOL_SLOTS;
    for (size_t i = 0; i < pool->num; i++) {
        if (pool->slot[i].cap >= min_cap &&
            (best == PL_POOL_SLOTS || pool->slot[i].cap < pool->slot[best].cap)) {
            best = i;
        }
    }
    if (best != PL_POOL_SLOTS) {
        found = pl_pool_take(pool, best);
    }
    pthread_mutex_unlock(&pool->lock);
    if (found.p == NULL) {
        found.p = pl_malloc(min_cap);
        found.cap = min_cap;
        PL_CHECK(found.p != NULL, PADLOCK_E_NO_MEMORY);
    }
    *out = found.p;
    *out_cap = found.cap;
    return PADLOCK_OK;
}

void pl_pool_put(pl_pool *pool, uint8_t *p, size_t cap, size_t used) {
    if (p == NULL) {
        return;
    }
    pl_wipe(p, used < cap ? used : cap);
    uint8_t *evict = NULL;
    pthread_mutex_lock(&pool->lock);
    /* Make room by evicting smaller buffers: the large ones are the ones worth keeping. */
    while (pool->num > 0 &&
           (pool->num == PL_POOL_SLOTS || pool->cached_bytes + cap > pool->max_bytes)) {
        size_t smallest = 0;
        for (size_t i = 1; i < pool->num; i++) {
            if (pool->slot[i].cap < pool->slot[smallest].cap) {
                smallest = i;
            }
        }
        if (pool->slot[smallest].cap > cap) {
            break;
        }
        pl_pool_slot s = pl_pool_take(pool, smallest);
        pl_free(s.p); /* rare: only when the pool is full */
    }
    if (pool->num < PL_POOL_SLOTS && pool->cached_bytes + cap <= pool->max_bytes) {
        pool->slot[pool->num].p = p;
        pool->slot[pool->num].cap = cap;
        pool->num++;
        pool->cached_bytes += cap;
    } else {
        evict = p;
    }
    pthread_mutex_unlock(&pool->lock);
    pl_free(evict);
}
