/* Memory: the one place padlock allocates (so allocations can be counted), secure wipe and
 * constant-time comparison. */
#ifndef PL_UTIL_MEM_H
#define PL_UTIL_MEM_H

#include <stddef.h>
#include <stdint.h>

/* Allocation wrappers over the C library, counted in padlock_mem_stats. pl_free(NULL) is a
 * no-op. pl_calloc and pl_realloc follow their C counterparts (overflow-checked). */
void *pl_malloc(size_t size);
void *pl_calloc(size_t num, size_t size);
void *pl_realloc(void *p, size_t size);
void pl_free(void *p);

/* Wipes the whole block (as allocated) before freeing it: for anything that held a secret. */
void pl_free_secret(void *p);

/* Overwrites n bytes at p with zeros in a way the compiler may not remove. */
void pl_wipe(void *p, size_t n);

/* 1 if the n bytes at a and b are equal, else 0; the time taken depends only on n. */
int pl_ct_equal(const void *a, const void *b, size_t n);

/* 1 if all n bytes at p are zero, else 0; the time taken depends only on n. */
int pl_ct_is_zero(const void *p, size_t n);

#endif
