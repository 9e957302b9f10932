/* NSS key log line formatting: exact lines, every label, buffer bounds, argument checks. */
#include <string.h>

#include "testlib.h"
#include "util/log.h"

static uint8_t random_[32], secret[48];

static int setup(void **state) {
    (void)state;
    for (int i = 0; i < 32; i++) {
        random_[i] = (uint8_t)i;
    }
    for (int i = 0; i < 48; i++) {
        secret[i] = (uint8_t)(0xa0 + i);
    }
    return 0;
}

static void test_exact_lines(void **state) {
    (void)state;
    char line[PL_KEYLOG_LINE_MAX];
    size_t len;
    PL_ASSERT_OK(pl_keylog_format(line, sizeof(line), &len,
                                  PL_KEYLOG_CLIENT_HANDSHAKE_TRAFFIC_SECRET, random_, secret, 32));
    const char *want = "CLIENT_HANDSHAKE_TRAFFIC_SECRET "
                       "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
                       "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
    assert_string_equal(line, want);
    assert_int_equal(len, strlen(want));
    /* TLS 1.2: CLIENT_RANDOM with the 48-byte master secret. */
    PL_ASSERT_OK(
        pl_keylog_format(line, sizeof(line), &len, PL_KEYLOG_CLIENT_RANDOM, random_, secret, 48));
    assert_string_equal(line, "CLIENT_RANDOM "
                              "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
                              "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
                              "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf");
    PL_ASSERT_ERR(
        pl_keylog_format(line, sizeof(line), &len, PL_KEYLOG_CLIENT_RANDOM, random_, secret, 32),
        PADLOCK_E_INVALID_ARGUMENT);
}

static void test_labels(void **state) {
    (void)state;
    const struct {
        pl_keylog_label label;
        const char *name;
    } labels[] = {
        {PL_KEYLOG_CLIENT_RANDOM, "CLIENT_RANDOM"},
        {PL_KEYLOG_CLIENT_EARLY_TRAFFIC_SECRET, "CLIENT_EARLY_TRAFFIC_SECRET"},
        {PL_KEYLOG_CLIENT_HANDSHAKE_TRAFFIC_SECRET, "CLIENT_HANDSHAKE_TRAFFIC_SECRET"},
        {PL_KEYLOG_SERVER_HANDSHAKE_TRAFFIC_SECRET, "SERVER_HANDSHAKE_TRAFFIC_SECRET"},
        {PL_KEYLOG_CLIENT_TRAFFIC_SECRET_0, "CLIENT_TRAFFIC_SECRET_0"},
        {PL_KEYLOG_SERVER_TRAFFIC_SECRET_0, "SERVER_TRAFFIC_SECRET_0"},
        {PL_KEYLOG_EARLY_EXPORTER_SECRET, "EARLY_EXPORTER_SECRET"},
        {PL_KEYLOG_EXPORTER_SECRET, "EXPORTER_SECRET"},
    };
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        assert_string_equal(pl_keylog_label_name(labels[i].label), labels[i].name);
        assert_true(strlen(labels[i].name) <= PL_KEYLOG_LABEL_MAX);
        /* The longest line of every label (48-byte secret) fits PL_KEYLOG_LINE_MAX exactly or
         * with room, and one byte less than needed is refused without writing. */
        char line[PL_KEYLOG_LINE_MAX];
        size_t len;
        PL_ASSERT_OK(
            pl_keylog_format(line, sizeof(line), &len, labels[i].label, random_, secret, 48));
        assert_int_equal(len, strlen(labels[i].name) + 1 + 64 + 1 + 96);
        assert_int_equal(line[len], '\0');
        assert_int_equal(memcmp(line, labels[i].name, strlen(labels[i].name)), 0);
        char small[PL_KEYLOG_LINE_MAX];
        memset(small, 'z', sizeof(small));
        PL_ASSERT_ERR(pl_keylog_format(small, len, &len, labels[i].label, random_, secret, 48),
                      PADLOCK_E_BUFFER_TOO_SMALL);
        assert_int_equal(small[0], 'z');
    }
    assert_null(pl_keylog_label_name((pl_keylog_label)99));
}

static void test_bad_arguments(void **state) {
    (void)state;
    char line[PL_KEYLOG_LINE_MAX];
    size_t len;
    PL_ASSERT_ERR(
        pl_keylog_format(line, sizeof(line), &len, (pl_keylog_label)99, random_, secret, 32),
        PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(
        pl_keylog_format(line, sizeof(line), &len, PL_KEYLOG_EXPORTER_SECRET, random_, secret, 0),
        PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(
        pl_keylog_format(line, sizeof(line), &len, PL_KEYLOG_EXPORTER_SECRET, random_, secret, 49),
        PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_keylog_format(line, 0, &len, PL_KEYLOG_EXPORTER_SECRET, random_, secret, 32),
                  PADLOCK_E_BUFFER_TOO_SMALL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_lines),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
