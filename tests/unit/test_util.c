/* The error table, the first-error holder, counted allocation, wipe and constant-time
 * comparison. */
#include <malloc.h>
#include <string.h>

#include "testlib.h"
#include "util/err.h"
#include "util/lend.h"
#include "util/mem.h"

static void test_strerror_and_alerts(void **state) {
    (void)state;
    assert_string_equal(padlock_strerror(PADLOCK_OK), "success");
    assert_string_equal(padlock_strerror(PADLOCK_E_CERT_EXPIRED), "certificate has expired");
    assert_string_equal(padlock_strerror((padlock_err)9999), "unknown error");
    assert_int_equal(padlock_err_alert(PADLOCK_E_DECODE), PADLOCK_ALERT_DECODE_ERROR);
    assert_int_equal(padlock_err_alert(PADLOCK_E_CERT_EXPIRED), PADLOCK_ALERT_CERTIFICATE_EXPIRED);
    assert_int_equal(padlock_err_alert(PADLOCK_E_CERT_UNTRUSTED), PADLOCK_ALERT_UNKNOWN_CA);
    assert_int_equal(padlock_err_alert(PADLOCK_E_PEER_ALERT), PADLOCK_ALERT_NONE);
    assert_int_equal(padlock_err_category_of(PADLOCK_E_BAD_RECORD_MAC), PADLOCK_CAT_PROTOCOL);
    assert_int_equal(padlock_err_category_of(PADLOCK_OK), PADLOCK_CAT_NONE);
    assert_string_equal(padlock_alert_name(PADLOCK_ALERT_HANDSHAKE_FAILURE), "handshake_failure");
    assert_string_equal(padlock_alert_name(116), "certificate_required");
    assert_string_equal(padlock_alert_name(254), "unknown_alert");
}

/* Every error in the table has a distinct code, a non-empty message and a named alert. */
static void test_table_is_consistent(void **state) {
    (void)state;
#define CHECK_ENTRY(name, code, cat, alert, msg)                                                   \
    assert_int_equal(PADLOCK_E_##name, code);                                                      \
    assert_true(strlen(padlock_strerror(PADLOCK_E_##name)) > 0);                                  \
    if (PADLOCK_ALERT_##alert != PADLOCK_ALERT_NONE) {                                             \
        assert_string_not_equal(padlock_alert_name(PADLOCK_ALERT_##alert), "unknown_alert");       \
    }
    PADLOCK_ERROR_LIST(CHECK_ENTRY)
#undef CHECK_ENTRY
    int seen[256] = {0};
#define COUNT_CODE(name, code, cat, alert, msg) seen[code]++;
    PADLOCK_ERROR_LIST(COUNT_CODE)
#undef COUNT_CODE
    for (int i = 0; i < 256; i++) {
        assert_true(seen[i] <= 1);
    }
}

static void test_errinfo_first_error_wins(void **state) {
    (void)state;
    pl_errinfo e;
    pl_errinfo_init(&e);
    assert_int_equal(e.code, PADLOCK_OK);
    assert_int_equal(pl_errinfo_set(&e, PADLOCK_E_CERT_EXPIRED,
                                    "certificate \"%s\" expired on %s", "CN=api.example.com",
                                    "2025-03-01T00:00:00Z"),
                     PADLOCK_E_CERT_EXPIRED);
    /* A later error does not replace the first, and the call returns the first code. */
    assert_int_equal(pl_errinfo_set(&e, PADLOCK_E_IO, "later"), PADLOCK_E_CERT_EXPIRED);
    assert_string_equal(pl_errinfo_message(&e),
                        "certificate \"CN=api.example.com\" expired on 2025-03-01T00:00:00Z");
    pl_errinfo_cleanup(&e);
    assert_int_equal(e.code, PADLOCK_OK);
    /* Without a detail, the message comes from the table. */
    pl_errinfo_set(&e, PADLOCK_E_DECODE, NULL);
    assert_string_equal(pl_errinfo_message(&e), "malformed input");
    pl_errinfo_cleanup(&e);
}

static void test_allocation_counting(void **state) {
    (void)state;
    padlock_mem_stats before, during, after;
    padlock_mem_get_stats(&before);
    uint8_t *p = pl_malloc(100);
    assert_non_null(p);
    uint8_t *q = pl_calloc(10, 10);
    assert_non_null(q);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(q[i], 0);
    }
    padlock_mem_get_stats(&during);
    assert_int_equal(during.num_allocs - before.num_allocs, 2);
    /* Counted as the allocator sizes the blocks (no header of ours in front of them). */
    assert_int_equal(during.bytes_in_use - before.bytes_in_use,
                     malloc_usable_size(p) + malloc_usable_size(q));
    assert_true(malloc_usable_size(p) >= 100 && malloc_usable_size(q) >= 100);
    assert_true(during.bytes_peak >= during.bytes_in_use);
    p = pl_realloc(p, 300);
    assert_non_null(p);
    padlock_mem_get_stats(&during);
    assert_int_equal(during.bytes_in_use - before.bytes_in_use,
                     malloc_usable_size(p) + malloc_usable_size(q));
    assert_true(malloc_usable_size(p) >= 300);
    pl_free(p);
    pl_free_secret(q);
    pl_free(NULL);
    padlock_mem_get_stats(&after);
    assert_int_equal(after.bytes_in_use, before.bytes_in_use);
    assert_int_equal(after.num_frees - before.num_frees, 3); /* realloc counts as free+alloc */
    /* Overflowing requests fail instead of wrapping. */
    assert_null(pl_calloc(SIZE_MAX / 2, 4));
    assert_null(pl_malloc(SIZE_MAX));
}

static void test_wipe_and_ct(void **state) {
    (void)state;
    uint8_t secret[32];
    memset(secret, 0xa5, sizeof(secret));
    pl_wipe(secret, sizeof(secret));
    assert_true(pl_ct_is_zero(secret, sizeof(secret)));
    secret[31] = 1;
    assert_false(pl_ct_is_zero(secret, sizeof(secret)));

    uint8_t a[16], b[16];
    memset(a, 0x42, sizeof(a));
    memcpy(b, a, sizeof(b));
    assert_int_equal(pl_ct_equal(a, b, sizeof(a)), 1);
    for (size_t i = 0; i < sizeof(a); i++) {
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= (uint8_t)(1 << bit);
            assert_int_equal(pl_ct_equal(a, b, sizeof(a)), 0);
            b[i] ^= (uint8_t)(1 << bit);
        }
    }
    assert_int_equal(pl_ct_equal(a, b, 0), 1);
}

/* Every slot is lent once, none twice; a slot given back is lent again, lowest first. */
static void test_lend_slots(void **state) {
    (void)state;
    pl_lend lend = PL_LEND_INIT;
    int seen[PL_LEND_SLOTS] = {0};
    for (int i = 0; i < PL_LEND_SLOTS; i++) {
        int slot = pl_lend_take(&lend);
        assert_in_range(slot, 0, PL_LEND_SLOTS - 1);
        assert_int_equal(seen[slot], 0);
        seen[slot] = 1;
    }
    assert_int_equal(pl_lend_take(&lend), -1); /* all out: the borrower makes its own */
    pl_lend_give(&lend, 5);
    pl_lend_give(&lend, 2);
    assert_int_equal(pl_lend_take(&lend), 2);
    assert_int_equal(pl_lend_take(&lend), 5);
    assert_int_equal(pl_lend_take(&lend), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_and_alerts),
        cmocka_unit_test(test_table_is_consistent),
        cmocka_unit_test(test_errinfo_first_error_wins),
        cmocka_unit_test(test_allocation_counting),
        cmocka_unit_test(test_wipe_and_ct),
        cmocka_unit_test(test_lend_slots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
