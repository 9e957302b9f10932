/* The malloc interposer (libbench_alloc.so, loaded with LD_PRELOAD in memory runs). It forwards
 * to glibc's allocator through its __libc_* entry points, so no dlsym bootstrap is needed, and
 * keeps live bytes as the sum of malloc_usable_size over live blocks: what the process really
 * holds, slack included, headers excluded. Counters are atomic so a helper thread a library
 * might start is still counted exactly; memory runs are never timed. */
#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "alloc.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void *__libc_memalign(size_t align, size_t size);
extern void __libc_free(void *ptr);

#define EXPORT __attribute__((visibility("default")))

static bench_alloc_stats_t stats;

EXPORT bench_alloc_stats_t *bench_alloc_stats(void);
EXPORT bench_alloc_stats_t *bench_alloc_stats(void) {
    return &stats;
}

static void account_new(void *p) {
    if (p == NULL) {
        return;
    }
    int side = __atomic_load_n(&stats.side, __ATOMIC_RELAXED);
    __atomic_fetch_add(&stats.calls[side], 1, __ATOMIC_RELAXED);
    int64_t size = (int64_t)malloc_usable_size(p);
    int64_t live = __atomic_add_fetch(&stats.live, size, __ATOMIC_RELAXED);
    int64_t peak = __atomic_load_n(&stats.peak, __ATOMIC_RELAXED);
    while (live > peak && !__atomic_compare_exchange_n(&stats.peak, &peak, live, false,
                                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}

static void account_gone(void *p) {
    if (p != NULL) {
        __atomic_sub_fetch(&stats.live, (int64_t)malloc_usable_size(p), __ATOMIC_RELAXED);
    }
}

EXPORT void *malloc(size_t size) {
    void *p = __libc_malloc(size);
    account_new(p);
    return p;
}

EXPORT void *calloc(size_t n, size_t size) {
    void *p = __libc_calloc(n, size);
    account_new(p);
    return p;
}

EXPORT void *realloc(void *ptr, size_t size) {
    int64_t old = ptr != NULL ? (int64_t)malloc_usable_size(ptr) : 0;
    void *p = __libc_realloc(ptr, size);
    if (p == NULL) {
        /* realloc(ptr, 0) frees; a failed realloc leaves ptr live. */
        if (ptr != NULL && size == 0) {
            __atomic_sub_fetch(&stats.live, old, __ATOMIC_RELAXED);
        }
        return NULL;
    }
    __atomic_sub_fetch(&stats.live, old, __ATOMIC_RELAXED);
    account_new(p);
    return p;
}

EXPORT void *reallocarray(void *ptr, size_t n, size_t size) {
    if (size != 0 && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(ptr, n * size);
}

EXPORT void free(void *ptr) {
    account_gone(ptr);
    __libc_free(ptr);
}

EXPORT void *memalign(size_t align, size_t size) {
    void *p = __libc_memalign(align, size);
    account_new(p);
    return p;
}

EXPORT void *aligned_alloc(size_t align, size_t size) {
    return memalign(align, size);
}

EXPORT int posix_memalign(void **out, size_t align, size_t size) {
    if (align < sizeof(void *) || (align & (align - 1)) != 0) {
        return EINVAL;
    }
    void *p = memalign(align, size);
    if (p == NULL) {
        return ENOMEM;
    }
    *out = p;
    return 0;
}

/* glibc's valloc and pvalloc do not go through memalign: without these two their blocks
 * would be freed through free() above without ever having been counted. */
EXPORT void *valloc(size_t size) {
    return memalign((size_t)sysconf(_SC_PAGESIZE), size);
}

EXPORT void *pvalloc(size_t size) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (size > SIZE_MAX - page) {
        errno = ENOMEM;
        return NULL;
    }
    return memalign(page, size == 0 ? page : (size + page - 1) / page * page);
}
