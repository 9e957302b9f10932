/* Helpers shared by padlock's test programs. Tests use cmocka for assertions; these helpers
 * only find files, make scratch directories, decode hex and run external commands. */
#ifndef PL_TESTLIB_H
#define PL_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "padlock/padlock.h"

/* Asserts that a padlock call returned PADLOCK_OK, printing the error's message otherwise. */
#define PL_ASSERT_OK(expr)                                                                         \
    do {                                                                                           \
        padlock_err pl_assert_err_ = (expr);                                                       \
        if (pl_assert_err_ != PADLOCK_OK) {                                                        \
            fail_msg("%s failed: %s (%d)", #expr, padlock_strerror(pl_assert_err_),                \
                     (int)pl_assert_err_);                                                         \
        }                                                                                          \
    } while (0)

/* Asserts that a padlock call returned the given error code. */
#define PL_ASSERT_ERR(expr, code)                                                                  \
    do {                                                                                           \
        padlock_err pl_assert_err_ = (expr);                                                       \
        if (pl_assert_err_ != (code)) {                                                            \
            fail_msg("%s returned %s (%d), expected %s (%d)", #expr,                               \
                     padlock_strerror(pl_assert_err_), (int)pl_assert_err_,                        \
                     padlock_strerror(code), (int)(code));                                         \
        }                                                                                          \
    } while (0)

/* $PL_SHARED_DIR (../shared of the source tree), $PL_SOURCE_DIR, $PL_BINARY_DIR. */
const char *pl_test_shared_dir(void);
const char *pl_test_source_dir(void);
const char *pl_test_binary_dir(void);

/* A fresh empty directory under the build tree for this test program's scratch files; the
 * returned path lives until exit. */
const char *pl_test_tmpdir(void);

/* The value of one hex digit (either case), or -1 when c is not one. */
int pl_test_hex_digit(char c);

/* Decodes a hex string into a malloc'd buffer (free()); returns NULL on bad hex. */
uint8_t *pl_test_unhex(const char *hex, size_t *out_len);

/* Reads a whole file into a malloc'd NUL-terminated buffer; NULL if unreadable. */
uint8_t *pl_test_read_file(const char *path, size_t *out_len);

/* Writes len bytes to path; returns 0 on success. */
int pl_test_write_file(const char *path, const void *data, size_t len);

/* Calls fn(ctx, name, data, len) for every file of the fuzz target's seed corpus
 * (fuzz/corpus/<target>/ in the source tree; the test fails on one it cannot read); returns how
 * many there were. */
int pl_test_for_each_seed(const char *target,
                          void (*fn)(void *ctx, const char *name, const uint8_t *data, size_t len),
                          void *ctx);

/* Copies the file dir/in to dir/out with the low bit of the octet `back` octets before its end
 * flipped (1: the last octet), e.g. to break a signature; returns 0 on success. Flipped, not
 * overwritten: a fixed value would leave the file unchanged whenever the octet held it. */
int pl_test_copy_flipped(const char *dir, const char *in, const char *out, size_t back);

/* Runs a shell command (printf-style), returns its exit status (or -1); stdout and stderr
 * go to the test's output. */
int pl_test_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Like pl_test_sh but captures stdout into a malloc'd NUL-terminated string (*out, free()). */
int pl_test_sh_capture(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* What a run of the padlock command printed: its exit status, stdout and stderr (cut to the
 * buffers' size). */
typedef struct pl_test_run {
    int status;
    char out[65536];
    char err[65536];
} pl_test_run;

/* Runs `padlock ARGS` (the build's binary) from dir with env prepended to the command line
 * ("" or e.g. "PADLOCK_CAROOT=/x" or "env -u HOME"), capturing into *r (a static buffer in
 * callers: it is large). Returns r->status. */
int pl_test_padlock(pl_test_run *r, const char *dir, const char *env, const char *args);

/* pl_test_padlock with the arguments formatted printf-style (at most 4 KiB) and standard input
 * from /dev/null unless the arguments redirect it ("client HOST < 'file'"). */
int pl_test_padlockf(pl_test_run *r, const char *dir, const char *env, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Sleeps ms milliseconds. */
void pl_test_sleep_ms(int ms);

/* Splits line in place at spaces (no quoting) into words, at most max - 1 of them, and ends
 * the list with NULL. Returns how many there are. */
size_t pl_test_split_words(char *line, char **words, size_t max);

/* A padlock command line (the arguments) and a part of the standard error it must print. */
typedef struct pl_test_cli_case {
    const char *args;
    const char *err;
} pl_test_cli_case;

/* Runs each case with pl_test_padlockf in dir with env and fails the test, naming the case,
 * unless it exits with status and its standard error contains the case's err; with quiet set,
 * its standard output must be empty too. r holds the last run. */
void pl_test_padlock_cases(pl_test_run *r, const char *dir, const char *env, int status,
                           const pl_test_cli_case *cases, size_t num, int quiet);

/* Runs only the tests whose names match $PL_TEST_FILTER (cmocka's filter: * and ? wildcards)
 * when it is set; call before cmocka_run_group_tests. */
void pl_test_apply_filter(void);

/* Fails the test unless the standard error of run r contains part. */
void pl_test_expect_err(const pl_test_run *r, const char *part);

/* Fails the test unless run r was a usage error of `padlock <cmd>`: exit 2, reason and the hint
 * "(run 'padlock <cmd> --help' for usage)" on standard error, nothing on standard output. */
void pl_test_expect_usage(const pl_test_run *r, const char *cmd, const char *reason);

/* A deterministic byte stream for the rng hooks: splitmix64 output from a seed. Not random
 * in any cryptographic sense; it makes tests and fuzzing reproducible. */
typedef struct pl_test_rng {
    uint64_t state;
} pl_test_rng;

void pl_test_rng_seed(pl_test_rng *r, uint64_t seed);
/* Matches pl_rng_fn / the config's random hook: ctx is a pl_test_rng. */
padlock_err pl_test_rng_fill(void *ctx, uint8_t *out, size_t len);

#endif
