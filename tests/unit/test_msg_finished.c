/* Finished: exact verify_data length (TLS 1.3 hash lengths, TLS 1.2's 12 bytes), the
 * constant-time comparison and its decrypt_error, and the builder. */
#include <string.h>

#include "msg/msg.h"
#include "parse_check.h"
#include "testlib.h"

static size_t g_verify_len;

static padlock_err parse_fin(const uint8_t *in, size_t len, pl_errinfo *err) {
    const uint8_t *verify_data;
    return pl_finished_parse(&verify_data, in, len, g_verify_len, err);
}

static void test_finished_lengths(void **state) {
    (void)state;
    const size_t lengths[] = {32, 48, 64, 12};
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        uint8_t vd[64], msg[128];
        for (size_t k = 0; k < sizeof(vd); k++) {
            vd[k] = (uint8_t)(k * 7 + i);
        }
        pl_buf b;
        pl_buf_init(&b, msg, sizeof(msg));
        PL_ASSERT_OK(pl_finished_build(&b, vd, lengths[i]));
        assert_int_equal(b.len, PL_HS_HEADER_LEN + lengths[i]);
        assert_int_equal(msg[0], PL_HS_FINISHED);
        assert_int_equal(msg[3], lengths[i]);
        const uint8_t *got = NULL;
        pl_errinfo err;
        pl_errinfo_init(&err);
        PL_ASSERT_OK(pl_finished_parse(&got, msg + 4, lengths[i], lengths[i], &err));
        assert_ptr_equal(got, msg + 4);
        PL_ASSERT_OK(pl_finished_verify(msg + 4, lengths[i], vd, lengths[i], &err));
        pl_errinfo_cleanup(&err);
        g_verify_len = lengths[i];
        pl_test_truncations(parse_fin, msg + 4, lengths[i], NULL, 0);
        pl_test_trailing_byte(parse_fin, msg + 4, lengths[i]);
    }
    g_verify_len = 32;
    uint8_t vd[48] = {0};
    pl_test_parse_fails(parse_fin, vd, 48, PADLOCK_E_DECODE,
                        "Finished: verify_data has 48 bytes, expected 32");
}

static void test_finished_mismatch(void **state) {
    (void)state;
    uint8_t expected[32], got[32];
    memset(expected, 0xab, sizeof(expected));
    for (size_t pos = 0; pos < sizeof(got); pos++) {
        memcpy(got, expected, sizeof(got));
        got[pos] ^= 0x01;
        pl_errinfo err;
        pl_errinfo_init(&err);
        /* RFC 8446 §4.4.4: an incorrect Finished is a decrypt_error. */
        PL_ASSERT_ERR(pl_finished_verify(got, sizeof(got), expected, sizeof(expected), &err),
                      PADLOCK_E_DECRYPT_ERROR);
        assert_string_equal(pl_errinfo_message(&err),
                            "Finished: verify_data does not match the handshake");
        assert_int_equal(padlock_err_alert(err.code), PADLOCK_ALERT_DECRYPT_ERROR);
        pl_errinfo_cleanup(&err);
    }
    pl_errinfo err;
    pl_errinfo_init(&err);
    PL_ASSERT_ERR(pl_finished_verify(got, 31, expected, sizeof(expected), &err), PADLOCK_E_DECODE);
    pl_errinfo_cleanup(&err);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finished_lengths),
        cmocka_unit_test(test_finished_mismatch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
