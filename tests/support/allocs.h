/* The steady-state allocation check of the data-path tests (DESIGN.md §11): a loop of records
 * (sealed and opened, sent and received) run between two readings of padlock's heap counters.
 * Failures fail the test (cmocka) naming the loop. */
#ifndef PL_TEST_ALLOCS_H
#define PL_TEST_ALLOCS_H

#include <stddef.h>

#include "record/record.h"

/* One turn of the loop: the i-th record through whatever the test drives, asserting what must
 * arrive. ctx is the test's own state. */
typedef void (*pl_test_step_fn)(void *ctx, size_t i);

/* Runs step(ctx, i) for i = 0 .. count - 1 and fails the test, naming what, unless those steps
 * together made no allocation through padlock and left its bytes in use as they were. Whatever
 * the first record may allocate for good (a pooled buffer) belongs before the call. */
void pl_test_expect_no_allocation(const char *what, size_t count, pl_test_step_fn step, void *ctx);

/* The two ends of one direction of records: tx seals what rx opens. */
typedef struct pl_record_ends {
    pl_record_dir tx;
    pl_record_dir rx;
} pl_record_ends;

/* Initialises tx and rx with the same keys of protection prot and algorithm aead (a record
 * test's own keys). */
typedef void (*pl_record_pair_fn)(pl_record_dir *tx, pl_record_dir *rx, pl_record_prot prot,
                                  const pl_aead_alg *aead);

/* For TLS 1.3 and then TLS 1.2 records under AES-128-GCM: pair makes a pl_record_ends, then
 * pl_test_expect_no_allocation runs step over it (ctx: the pl_record_ends) for 1000 records,
 * after which tx must have sealed 1000; the ends are cleaned up. */
void pl_record_expect_no_allocation(pl_record_pair_fn pair, pl_test_step_fn step);

#endif
