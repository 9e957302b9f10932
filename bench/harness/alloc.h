/* Heap accounting shared by every benchmark program: the LD_PRELOAD interposer (alloc.c) counts
 * each malloc-family call made by anyone in the process — the TLS library, its crypto library
 * (libcrypto, nettle, GMP, wolfCrypt) and libc itself — and the driver reads the counters
 * through bench_alloc_stats(), looked up with dlsym so that timing runs carry no interposer. */
#ifndef BENCH_HARNESS_ALLOC_H
#define BENCH_HARNESS_ALLOC_H

#include <stdint.h>

/* Who the driver is running when an allocation happens: calls are attributed to it. */
enum { BENCH_SIDE_HARNESS = 0, BENCH_SIDE_CLIENT = 1, BENCH_SIDE_SERVER = 2, BENCH_SIDES = 3 };

typedef struct {
    int side;                    /* written by the driver */
    int64_t live;                /* bytes in live blocks (malloc_usable_size of each) */
    int64_t peak;                /* highest `live` since the driver last reset it */
    uint64_t calls[BENCH_SIDES]; /* malloc, calloc, realloc and aligned allocations per side */
} bench_alloc_stats_t;

#define BENCH_ALLOC_STATS_SYMBOL "bench_alloc_stats"
typedef bench_alloc_stats_t *(*bench_alloc_stats_fn)(void);

#endif
