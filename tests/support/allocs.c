/* The steady-state allocation check of the data-path tests (DESIGN.md §11): padlock's heap
 * counters read before and after a loop of records, and that loop over both record protections
 * for the record layer's tests. */
#include "allocs.h"

#include "testlib.h"

void pl_test_expect_no_allocation(const char *what, size_t count, pl_test_step_fn step, void *ctx) {
    padlock_mem_stats before, after;
    padlock_mem_get_stats(&before);
    for (size_t i = 0; i < count; i++) {
        step(ctx, i);
    }
    padlock_mem_get_stats(&after);
    if (after.num_allocs != before.num_allocs) {
        fail_msg("%s: %llu allocations in %zu records", what,
                 (unsigned long long)(after.num_allocs - before.num_allocs), count);
    }
    if (after.bytes_in_use != before.bytes_in_use) {
        fail_msg("%s: %llu bytes in use before %zu records, %llu after", what,
                 (unsigned long long)before.bytes_in_use, count,
                 (unsigned long long)after.bytes_in_use);
    }
}

void pl_record_expect_no_allocation(pl_record_pair_fn pair, pl_test_step_fn step) {
    static const struct {
        pl_record_prot prot;
        const char *name;
    } prots[] = {{PL_RECORD_TLS13, "TLS 1.3 records"}, {PL_RECORD_TLS12, "TLS 1.2 records"}};
    for (size_t p = 0; p < sizeof(prots) / sizeof(prots[0]); p++) {
        pl_record_ends ends;
        pair(&ends.tx, &ends.rx, prots[p].prot, &pl_aead_aes_128_gcm);
        pl_test_expect_no_allocation(prots[p].name, 1000, step, &ends);
        assert_int_equal(ends.tx.seq, 1000);
        pl_record_dir_cleanup(&ends.tx);
        pl_record_dir_cleanup(&ends.rx);
    }
}
