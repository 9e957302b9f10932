/* Properties every parser of peer input must have, checked on heap copies of exactly the
 * bytes under test so that AddressSanitizer catches any read past them. */
#ifndef PL_TEST_PARSE_CHECK_H
#define PL_TEST_PARSE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "testlib.h"
#include "util/err.h"

/* A parser under test: parses in[0..len), records a detail in err on failure. */
typedef padlock_err (*pl_test_parse_fn)(const uint8_t *in, size_t len, pl_errinfo *err);

/* Runs fn on a heap copy of in[0..len) with a fresh pl_errinfo. On failure the detail (or "")
 * is copied to detail (cap bytes; may be NULL) and a failure without a detail fails the test.
 * Returns fn's result. */
padlock_err pl_test_parse(pl_test_parse_fn fn, const uint8_t *in, size_t len, char *detail,
                          size_t cap);

/* Every strict prefix of in must fail with PADLOCK_E_DECODE, except prefixes whose lengths are
 * listed in ok_lens (legal shorter forms, e.g. a hello without extensions), which must parse. */
void pl_test_truncations(pl_test_parse_fn fn, const uint8_t *in, size_t len, const size_t *ok_lens,
                         size_t num_ok);

/* in followed by one more byte must fail with PADLOCK_E_DECODE. */
void pl_test_trailing_byte(pl_test_parse_fn fn, const uint8_t *in, size_t len);

/* Asserts that fn fails on in[0..len) with code and a detail containing needle. */
void pl_test_parse_fails(pl_test_parse_fn fn, const uint8_t *in, size_t len, padlock_err code,
                         const char *needle);

#endif
