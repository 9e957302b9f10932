/* The server's TLS 1.2 session cache (src/hs/session_cache.c): a stored state comes back under
 * its ID until it expires; a full cache evicts the oldest; IDs of another length, unknown IDs,
 * too small a buffer and over-large states behave as documented; many threads share it. */
#include <pthread.h>
#include <string.h>

#include "hs/session_cache.h"
#include "testlib.h"

static void make_id(uint8_t id[PL_SESSION_ID_LEN], uint32_t n) {
    memset(id, 0, PL_SESSION_ID_LEN);
    /* Spread over the bytes the buckets hash and the rest. */
    id[0] = (uint8_t)(n >> 8);
    id[7] = (uint8_t)n;
    id[31] = (uint8_t)(n * 13);
}

static int lookup(pl_session_cache *c, uint32_t n, int64_t now, uint8_t *out, size_t *out_len) {
    uint8_t id[PL_SESSION_ID_LEN];
    make_id(id, n);
    int found = 0;
    PL_ASSERT_OK(pl_session_cache_get(c, id, sizeof(id), now, out, 64, out_len, &found));
    return found;
}

static void put(pl_session_cache *c, uint32_t n, int64_t now, uint32_t lifetime) {
    uint8_t id[PL_SESSION_ID_LEN], state[20];
    make_id(id, n);
    memset(state, (int)n, sizeof(state));
    PL_ASSERT_OK(pl_session_cache_put(c, id, state, sizeof(state), now, lifetime));
}

static void test_put_get_expire(void **state) {
    (void)state;
    pl_session_cache *c = NULL;
    PL_ASSERT_OK(pl_session_cache_new(4, &c));
    uint8_t out[64];
    size_t len;
    assert_false(lookup(c, 1, 1000, out, &len));
    put(c, 1, 1000, 100);
    assert_true(lookup(c, 1, 1000, out, &len));
    assert_int_equal(len, 20);
    assert_int_equal(out[0], 1);
    assert_true(lookup(c, 1, 1099, out, &len));
    /* Lifetime over: gone (and dropped at the next put). */
    assert_false(lookup(c, 1, 1100, out, &len));
    assert_int_equal(pl_session_cache_count(c), 1);
    put(c, 2, 1100, 100);
    assert_int_equal(pl_session_cache_count(c), 1);
    assert_true(lookup(c, 2, 1100, out, &len));
    /* An ID of another length never matches (a ClientHello may carry 0 to 32 bytes). */
    uint8_t id[PL_SESSION_ID_LEN];
    make_id(id, 2);
    int found = 1;
    PL_ASSERT_OK(pl_session_cache_get(c, id, 16, 1100, out, sizeof(out), &len, &found));
    assert_false(found);
    PL_ASSERT_OK(pl_session_cache_get(c, id, 0, 1100, out, sizeof(out), &len, &found));
    assert_false(found);
    /* Too small a buffer: the length is told. */
    PL_ASSERT_ERR(pl_session_cache_get(c, id, sizeof(id), 1100, out, 19, &len, &found),
                  PADLOCK_E_BUFFER_TOO_SMALL);
    assert_int_equal(len, 20);
    assert_false(found);
    pl_session_cache_free(c);
    pl_session_cache_free(NULL);
    PL_ASSERT_ERR(pl_session_cache_new(0, &c), PADLOCK_E_INVALID_ARGUMENT);
}

static void test_full_evicts_oldest(void **state) {
    (void)state;
    pl_session_cache *c = NULL;
    PL_ASSERT_OK(pl_session_cache_new(3, &c));
    uint8_t out[64];
    size_t len;
    for (uint32_t i = 1; i <= 10; i++) {
        put(c, i, 1000 + i, 3600);
        assert_true(pl_session_cache_count(c) <= 3);
    }
    for (uint32_t i = 1; i <= 7; i++) {
        assert_false(lookup(c, i, 1011, out, &len));
    }
    for (uint32_t i = 8; i <= 10; i++) {
        assert_true(lookup(c, i, 1011, out, &len));
        assert_int_equal(out[0], (uint8_t)i);
    }
    /* A state too large to keep is not kept, without an error. */
    static uint8_t big[PL_SESSION_CACHE_MAX_STATE + 1];
    uint8_t id[PL_SESSION_ID_LEN];
    make_id(id, 99);
    PL_ASSERT_OK(pl_session_cache_put(c, id, big, sizeof(big), 1011, 3600));
    assert_false(lookup(c, 99, 1011, out, &len));
    assert_true(lookup(c, 8, 1011, out, &len));
    pl_session_cache_free(c);
}

static pl_session_cache *g_shared;

static void *worker(void *arg) {
    uint32_t base = (uint32_t)(uintptr_t)arg;
    uint8_t out[64];
    size_t len;
    for (uint32_t i = 0; i < 500; i++) {
        put(g_shared, base + i, 1000, 3600);
        (void)lookup(g_shared, base + i / 2, 1000, out, &len);
    }
    return NULL;
}

static void test_threads(void **state) {
    (void)state;
    PL_ASSERT_OK(pl_session_cache_new(64, &g_shared));
    pthread_t t[4];
    for (uintptr_t i = 0; i < 4; i++) {
        assert_int_equal(pthread_create(&t[i], NULL, worker, (void *)(i * 1000)), 0);
    }
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
    }
    assert_int_equal(pl_session_cache_count(g_shared), 64);
    pl_session_cache_free(g_shared);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get_expire),
        cmocka_unit_test(test_full_evicts_oldest),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
