/* Counted allocation, wipe and constant-time comparison. A block's size for the counters and
 * for wiping secrets on free is what the allocator reports for it (malloc_usable_size), so
 * blocks carry no header of ours: a size header aligned for any type cost 32 bytes per block,
 * 128 bytes of every idle server connection. */
#define _DEFAULT_SOURCE /* explicit_bzero */
#include "util/mem.h"

#include <malloc.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "padlock/padlock.h"

static atomic_uint_fast64_t pl_num_allocs;
static atomic_uint_fast64_t pl_num_frees;
static atomic_uint_fast64_t pl_bytes_in_use;
static atomic_uint_fast64_t pl_bytes_peak;

static void pl_mem_account_alloc(size_t size) {
    atomic_fetch_add_explicit(&pl_num_allocs, 1, memory_order_relaxed);
    uint_fast64_t now =
        atomic_fetch_add_explicit(&pl_bytes_in_use, size, memory_order_relaxed) + size;
    uint_fast64_t peak = atomic_load_explicit(&pl_bytes_peak, memory_order_relaxed);
    while (now > peak && !atomic_compare_exchange_weak_explicit(&pl_bytes_peak, &peak, now,
                                                                 memory_order_relaxed,
                                                                 memory_order_relaxed)) {
    }
}

static void pl_mem_account_free(size_t size) {
    atomic_fetch_add_explicit(&pl_num_frees, 1, memory_order_relaxed);
    atomic_fetch_sub_explicit(&pl_bytes_in_use, size, memory_order_relaxed);
}

void *pl_malloc(size_t size) {
    /* No object may be larger than PTRDIFF_MAX: refused here rather than by each allocator
     * (the sanitizers' abort instead of returning NULL). */
    if (size > PTRDIFF_MAX) {
        return NULL;
    }
    /* malloc(0) may return NULL or a block; one byte keeps "NULL means out of memory". */
    void *p = malloc(size != 0 ? size : 1);
    if (p != NULL) {
        pl_mem_account_alloc(malloc_usable_size(p));
    }
    return p;
}

void *pl_calloc(size_t num, size_t size) {
    if (size != 0 && num > SIZE_MAX / size) {
        return NULL;
    }
    void *p = pl_malloc(num * size);
    if (p != NULL) {
        memset(p, 0, num * size);
    }
    return p;
}

void *pl_realloc(void *p, size_t size) {
    if (p == NULL) {
        return pl_malloc(size);
    }
    if (size > PTRDIFF_MAX) {
        return NULL;
    }
    size_t old_size = malloc_usable_size(p);
    void *q = realloc(p, size != 0 ? size : 1);
    if (q == NULL) {
        return NULL;
    }
    pl_mem_account_free(old_size);
    pl_mem_account_alloc(malloc_usable_size(q));
    return q;
}

void pl_free(void *p) {
    if (p == NULL) {
        return;
    }
    pl_mem_account_free(malloc_usable_size(p));
    free(p);
}

void pl_free_secret(void *p) {
    if (p == NULL) {
        return;
    }
    pl_wipe(p, malloc_usable_size(p));
    pl_free(p);
}

void pl_wipe(void *p, size_t n) {
    if (p != NULL && n != 0) {
        explicit_bzero(p, n);
    }
}

int pl_ct_equal(const void *a, const void *b, size_t n) {
    const volatile uint8_t *x = a;
    const volatile uint8_t *y = b;
    uint8_t diff = 0;
    for (size_t i = 0; i < n; i++) {
        diff |= (uint8_t)(x[i] ^ y[i]);
    }
    /* Map 0 -> 1 and 1..255 -> 0 without a branch on diff. */
    return (int)(1 & (((uint32_t)diff - 1) >> 8));
}

int pl_ct_is_zero(const void *p, size_t n) {
    const volatile uint8_t *x = p;
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc |= x[i];
    }
    return (int)(1 & (((uint32_t)acc - 1) >> 8));
}

void padlock_mem_get_stats(padlock_mem_stats *out) {
    out->num_allocs = atomic_load_explicit(&pl_num_allocs, memory_order_relaxed);
    out->num_frees = atomic_load_explicit(&pl_num_frees, memory_order_relaxed);
    out->bytes_in_use = atomic_load_explicit(&pl_bytes_in_use, memory_order_relaxed);
    out->bytes_peak = atomic_load_explicit(&pl_bytes_peak, memory_order_relaxed);
}

void padlock_mem_reset_peak(void) {
    atomic_store_explicit(&pl_bytes_peak,
                          atomic_load_explicit(&pl_bytes_in_use, memory_order_relaxed),
                          memory_order_relaxed);
}
