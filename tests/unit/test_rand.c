/* pl_rand_bytes and the per-thread randomness buffer (src/crypto/rand_buffer.c): consumed bytes
 * are wiped from the page, draws are distinct across refills, a forked child never hands out its
 * parent's bytes, each thread has its own page that goes when the thread exits, large draws and
 * an rng hook bypass the page. The RAND_bytes failure path is test_rand_fail.c. */
#define _GNU_SOURCE /* mincore, memmem */

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "crypto/rand_buffer.h"
#include "testlib.h"
#include "util/mem.h"

/* The calling thread's page after at least one buffered draw (which this makes). */
static pl_rand_buffer_view page_view(void) {
    uint8_t b[1];
    PL_ASSERT_OK(pl_rand_bytes(NULL, b, sizeof(b)));
    pl_rand_buffer_view v;
    assert_int_equal(pl_rand_buffer_inspect(&v), 1);
    assert_int_equal(v.len, PL_RAND_BUFFER_LEN);
    return v;
}

/* Fails unless buf[avail..len) is all zeros and the unconsumed part buf[0..avail) is not (4088
 * random bytes are never all zero). */
static void assert_page_wiped(const pl_rand_buffer_view *v) {
    assert_true(pl_ct_is_zero(v->buf + v->avail, v->len - v->avail));
    if (v->avail >= 32) {
        assert_false(pl_ct_is_zero(v->buf, v->avail));
    }
}

static void test_rand_consumed_bytes_wiped(void **state) {
    (void)state;
    pl_rand_buffer_view v = page_view();
    assert_page_wiped(&v);
    for (size_t len = 1; len <= PL_RAND_BUFFER_MAX_DRAW; len += 37) {
        size_t before = v.avail;
        uint8_t out[PL_RAND_BUFFER_MAX_DRAW];
        /* The bytes the draw will take: the end of the unconsumed part, unless it refills. */
        uint8_t expect[PL_RAND_BUFFER_MAX_DRAW];
        int refills = before < len;
        if (!refills) {
            memcpy(expect, v.buf + before - len, len);
        }
        PL_ASSERT_OK(pl_rand_bytes(NULL, out, len));
        assert_int_equal(pl_rand_buffer_inspect(&v), 1);
        assert_int_equal(v.avail, (refills ? PL_RAND_BUFFER_LEN : before) - len);
        if (!refills) {
            assert_memory_equal(out, expect, len);
        }
        assert_page_wiped(&v);
    }
}

static void test_rand_refill_drops_rest(void **state) {
    (void)state;
    pl_rand_buffer_view v = page_view();
    uint8_t out[PL_RAND_BUFFER_MAX_DRAW];
    while (v.avail >= PL_RAND_BUFFER_MAX_DRAW) {
        PL_ASSERT_OK(pl_rand_bytes(NULL, out, PL_RAND_BUFFER_MAX_DRAW));
        assert_int_equal(pl_rand_buffer_inspect(&v), 1);
    }
    /* Fewer bytes left than the next draw: they are dropped and the page refilled whole. */
    uint8_t rest[PL_RAND_BUFFER_MAX_DRAW];
    size_t rest_len = v.avail;
    memcpy(rest, v.buf, rest_len);
    PL_ASSERT_OK(pl_rand_bytes(NULL, out, PL_RAND_BUFFER_MAX_DRAW));
    assert_int_equal(pl_rand_buffer_inspect(&v), 1);
    assert_int_equal(v.avail, PL_RAND_BUFFER_LEN - PL_RAND_BUFFER_MAX_DRAW);
    assert_page_wiped(&v);
    if (rest_len >= 16) {
        assert_null(memmem(out, sizeof(out), rest, 16));
        assert_null(memmem(v.buf, v.avail, rest, 16));
    }
}

static int cmp32(const void *a, const void *b) {
    return memcmp(a, b, 32);
}

static void test_rand_draws_distinct(void **state) {
    (void)state;
    /* 32-byte draws across several refills (4088 / 32 = 127 per page) are pairwise distinct;
     * a repeated or stale page would repeat whole draws. */
    enum { N = 1000 };
    uint8_t(*draws)[32] = malloc(N * 32);
    assert_non_null(draws);
    for (size_t i = 0; i < N; i++) {
        PL_ASSERT_OK(pl_rand_bytes(NULL, draws[i], 32));
    }
    qsort(draws, N, 32, cmp32);
    for (size_t i = 1; i < N; i++) {
        assert_memory_not_equal(draws[i - 1], draws[i], 32);
    }
    free(draws);
}

/* What a forked child reports through its pipe. */
typedef struct child_report {
    int had_page;
    size_t avail_at_start; /* of its copy of the parent's page, before drawing */
    uint8_t drawn[64];
} child_report;

static void test_rand_fork_child_differs(void **state) {
    (void)state;
    pl_rand_buffer_view v = page_view();
    assert_true(v.avail > 64);
    /* The parent's unconsumed bytes at the fork: everything it will hand out until its next
     * refill. */
    uint8_t *parent_rest = malloc(v.avail);
    assert_non_null(parent_rest);
    size_t parent_rest_len = v.avail;
    memcpy(parent_rest, v.buf, v.avail);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        child_report r;
        memset(&r, 0, sizeof(r));
        pl_rand_buffer_view cv;
        r.had_page = pl_rand_buffer_inspect(&cv);
        r.avail_at_start = r.had_page ? cv.avail : (size_t)-1;
        int ok = pl_rand_bytes(NULL, r.drawn, sizeof(r.drawn)) == PADLOCK_OK;
        ssize_t n = ok ? write(fds[1], &r, sizeof(r)) : -1;
        _exit(n == (ssize_t)sizeof(r) ? 0 : 1);
    }
    close(fds[1]);
    child_report r;
    size_t got = 0;
    while (got < sizeof(r)) {
        ssize_t n = read(fds[0], (uint8_t *)&r + got, sizeof(r) - got);
        assert_true(n > 0);
        got += (size_t)n;
    }
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* The child inherited the thread's page pointer, but the kernel zeroed the page: empty. */
    assert_int_equal(r.had_page, 1);
    assert_int_equal(r.avail_at_start, 0);
    uint8_t mine[64];
    PL_ASSERT_OK(pl_rand_bytes(NULL, mine, sizeof(mine)));
    assert_memory_not_equal(mine, r.drawn, sizeof(mine));
    /* Not 16 bytes of the child's draw anywhere in what the parent had left to hand out. */
    for (size_t off = 0; off + 16 <= sizeof(r.drawn); off += 16) {
        assert_null(memmem(parent_rest, parent_rest_len, r.drawn + off, 16));
    }
    free(parent_rest);
}

enum { NUM_THREADS = 4 };

typedef struct thread_result {
    int ok;
    const uint8_t *page_buf;
    size_t avail;
    uint8_t drawn[32];
} thread_result;

static void *thread_draw(void *arg) {
    thread_result *t = arg;
    pl_rand_buffer_view v = {NULL, 0, 0};
    t->ok = pl_rand_buffer_inspect(&v) == 0 &&
            pl_rand_bytes(NULL, t->drawn, sizeof(t->drawn)) == PADLOCK_OK &&
            pl_rand_buffer_inspect(&v) == 1;
    t->page_buf = v.buf;
    t->avail = v.avail;
    return NULL;
}

/* 1 if the page holding buf is still mapped in this process. */
static int is_mapped(const uint8_t *buf) {
    long page_size = sysconf(_SC_PAGESIZE);
    void *page = (void *)((uintptr_t)buf & ~(uintptr_t)(page_size - 1));
    unsigned char vec[1];
    if (mincore(page, 1, vec) == 0) {
        return 1;
    }
    assert_int_equal(errno, ENOMEM);
    return 0;
}

static void test_rand_threads_own_pages(void **state) {
    (void)state;
    pl_rand_buffer_view mine = page_view();
    pthread_t th[NUM_THREADS];
    thread_result res[NUM_THREADS];
    memset(res, 0, sizeof(res));
    for (int i = 0; i < NUM_THREADS; i++) {
        assert_int_equal(pthread_create(&th[i], NULL, thread_draw, &res[i]), 0);
    }
    for (int i = 0; i < NUM_THREADS; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
    }
    /* Checked once all have exited: a thread still running could map its page where one that
     * exited had its own. */
    for (int i = 0; i < NUM_THREADS; i++) {
        /* A new thread starts without a page, gets its own, and its exit unmaps it. */
        assert_int_equal(res[i].ok, 1);
        assert_int_equal(res[i].avail, PL_RAND_BUFFER_LEN - 32);
        assert_false(is_mapped(res[i].page_buf));
    }
    for (int i = 0; i < NUM_THREADS; i++) {
        assert_ptr_not_equal(res[i].page_buf, mine.buf);
        for (int j = 0; j < i; j++) {
            assert_memory_not_equal(res[i].drawn, res[j].drawn, 32);
        }
    }
    assert_true(is_mapped(mine.buf));
}

static void test_rand_large_draws_bypass_page(void **state) {
    (void)state;
    pl_rand_buffer_view v = page_view();
    size_t before = v.avail;
    enum { BIG = 3 * PL_RAND_BUFFER_LEN };
    uint8_t *a = malloc(BIG);
    uint8_t *b = malloc(BIG);
    assert_non_null(a);
    assert_non_null(b);
    memset(a, 0, BIG);
    memset(b, 0, BIG);
    PL_ASSERT_OK(pl_rand_bytes(NULL, a, BIG));
    PL_ASSERT_OK(pl_rand_bytes(NULL, b, PL_RAND_BUFFER_MAX_DRAW + 1));
    assert_int_equal(pl_rand_buffer_inspect(&v), 1);
    assert_int_equal(v.avail, before);
    /* Filled to the end (a zero 64-byte tail would be a short fill), and not repeating. */
    assert_false(pl_ct_is_zero(a + BIG - 64, 64));
    assert_false(pl_ct_is_zero(b + PL_RAND_BUFFER_MAX_DRAW + 1 - 32, 32));
    assert_null(memmem(a, BIG, b, 32));
    assert_null(memmem(a + 32, BIG - 32, a, 32));
    free(a);
    free(b);
    /* The largest buffered draw does come from the page. */
    uint8_t c[PL_RAND_BUFFER_MAX_DRAW];
    PL_ASSERT_OK(pl_rand_bytes(NULL, c, sizeof(c)));
    assert_int_equal(pl_rand_buffer_inspect(&v), 1);
    assert_true(v.avail != before);
}

static void test_rand_hook_wins(void **state) {
    (void)state;
    pl_rand_buffer_view v = page_view();
    size_t before = v.avail;
    pl_test_rng r;
    pl_test_rng_seed(&r, 7);
    pl_rng rng = {pl_test_rng_fill, &r};
    uint8_t got[48];
    PL_ASSERT_OK(pl_rand_bytes(&rng, got, sizeof(got)));
    pl_test_rng_seed(&r, 7);
    uint8_t want[48];
    PL_ASSERT_OK(pl_test_rng_fill(&r, want, sizeof(want)));
    assert_memory_equal(got, want, sizeof(got));
    assert_int_equal(pl_rand_buffer_inspect(&v), 1);
    assert_int_equal(v.avail, before);
    /* A pl_rng without fn is the system source, like NULL. */
    pl_rng none = {NULL, NULL};
    PL_ASSERT_OK(pl_rand_bytes(&none, got, 16));
    assert_int_equal(pl_rand_buffer_inspect(&v), 1);
    assert_int_equal(v.avail, before - 16);
}

static void test_rand_zero_length(void **state) {
    (void)state;
    pl_rand_buffer_view v = page_view();
    size_t before = v.avail;
    uint8_t b[1] = {0x5a};
    PL_ASSERT_OK(pl_rand_bytes(NULL, b, 0));
    assert_int_equal(b[0], 0x5a);
    assert_int_equal(pl_rand_buffer_inspect(&v), 1);
    assert_int_equal(v.avail, before);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rand_consumed_bytes_wiped),
        cmocka_unit_test(test_rand_refill_drops_rest),
        cmocka_unit_test(test_rand_draws_distinct),
        cmocka_unit_test(test_rand_fork_child_differs),
        cmocka_unit_test(test_rand_threads_own_pages),
        cmocka_unit_test(test_rand_large_draws_bypass_page),
        cmocka_unit_test(test_rand_hook_wins),
        cmocka_unit_test(test_rand_zero_length),
    };
    return cmocka_run_group_tests_name("rand", tests, NULL, NULL);
}
