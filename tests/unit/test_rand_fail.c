/* pl_rand_bytes when libcrypto's RAND_bytes fails. The test runs with OPENSSL_CONF set to
 * rand_fail.cnf (tests/unit/CMakeLists.txt), which makes libcrypto's primary DRBG one that
 * refuses every request: padlock's data path is the production one, only libcrypto is
 * configured to fail. A failure after successful fills cannot be injected this way. */
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/rand_buffer.h"
#include "testlib.h"
#include "util/mem.h"

static void test_rand_fail_buffered_draw(void **state) {
    (void)state;
    for (int round = 0; round < 2; round++) {
        uint8_t out[32];
        memset(out, 0xaa, sizeof(out));
        PL_ASSERT_ERR(pl_rand_bytes(NULL, out, sizeof(out)), PADLOCK_E_CRYPTO);
        /* No partial data in the output, and the page stays empty: the next draw fails too
         * instead of handing out what a failed fill left. */
        assert_true(pl_ct_is_zero(out, sizeof(out)));
        pl_rand_buffer_view v;
        assert_int_equal(pl_rand_buffer_inspect(&v), 1);
        assert_int_equal(v.avail, 0);
        assert_true(pl_ct_is_zero(v.buf, v.len));
    }
}

static void test_rand_fail_large_draw(void **state) {
    (void)state;
    uint8_t out[PL_RAND_BUFFER_MAX_DRAW + 100];
    memset(out, 0xaa, sizeof(out));
    PL_ASSERT_ERR(pl_rand_bytes(NULL, out, sizeof(out)), PADLOCK_E_CRYPTO);
    assert_true(pl_ct_is_zero(out, sizeof(out)));
}

static void test_rand_fail_hook_still_used(void **state) {
    (void)state;
    pl_test_rng r;
    pl_test_rng_seed(&r, 1);
    pl_rng rng = {pl_test_rng_fill, &r};
    uint8_t out[32];
    memset(out, 0, sizeof(out));
    PL_ASSERT_OK(pl_rand_bytes(&rng, out, sizeof(out)));
    assert_false(pl_ct_is_zero(out, sizeof(out)));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rand_fail_buffered_draw),
        cmocka_unit_test(test_rand_fail_large_draw),
        cmocka_unit_test(test_rand_fail_hook_still_used),
    };
    return cmocka_run_group_tests_name("rand_fail", tests, NULL, NULL);
}
