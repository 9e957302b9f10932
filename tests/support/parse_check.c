/* Parser properties shared by the codec tests: truncation, trailing bytes, error details. */
#include "parse_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

padlock_err pl_test_parse(pl_test_parse_fn fn, const uint8_t *in, size_t len, char *detail,
                          size_t cap) {
    uint8_t *copy = malloc(len > 0 ? len : 1);
    assert_non_null(copy);
    if (len > 0) {
        memcpy(copy, in, len);
    }
    pl_errinfo err;
    pl_errinfo_init(&err);
    padlock_err rc = fn(len > 0 ? copy : NULL, len, &err);
    if (rc != PADLOCK_OK) {
        if (err.code != rc || err.detail == NULL) {
            fail_msg("failure %s (%d) without a matching detail", padlock_strerror(rc), (int)rc);
        }
    }
    if (detail != NULL && cap > 0) {
        snprintf(detail, cap, "%s", err.detail != NULL ? err.detail : "");
    }
    pl_errinfo_cleanup(&err);
    free(copy);
    return rc;
}

void pl_test_truncations(pl_test_parse_fn fn, const uint8_t *in, size_t len, const size_t *ok_lens,
                         size_t num_ok) {
    for (size_t cut = 0; cut < len; cut++) {
        int ok = 0;
        for (size_t i = 0; i < num_ok; i++) {
            ok = ok || ok_lens[i] == cut;
        }
        padlock_err rc = pl_test_parse(fn, in, cut, NULL, 0);
        if (ok ? rc != PADLOCK_OK : rc != PADLOCK_E_DECODE) {
            fail_msg("truncated to %zu of %zu bytes: %s (%d), expected %s", cut, len,
                     padlock_strerror(rc), (int)rc, ok ? "success" : "malformed input");
        }
    }
}

void pl_test_trailing_byte(pl_test_parse_fn fn, const uint8_t *in, size_t len) {
    uint8_t *longer = malloc(len + 1);
    assert_non_null(longer);
    memcpy(longer, in, len);
    longer[len] = 0x00;
    PL_ASSERT_ERR(pl_test_parse(fn, longer, len + 1, NULL, 0), PADLOCK_E_DECODE);
    free(longer);
}

void pl_test_parse_fails(pl_test_parse_fn fn, const uint8_t *in, size_t len, padlock_err code,
                         const char *needle) {
    char detail[512];
    padlock_err rc = pl_test_parse(fn, in, len, detail, sizeof(detail));
    if (rc != code) {
        fail_msg("returned %s (%d) [%s], expected %s (%d)", padlock_strerror(rc), (int)rc, detail,
                 padlock_strerror(code), (int)code);
    }
    if (needle != NULL && strstr(detail, needle) == NULL) {
        fail_msg("detail \"%s\" does not mention \"%s\"", detail, needle);
    }
}
