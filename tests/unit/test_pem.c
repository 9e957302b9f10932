/* PEM (RFC 7468): several blocks with labels, text between blocks, headers, malformed input,
 * and encode/decode round trips at every length modulo 3 and line boundary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "util/mem.h"
#include "wire/pem.h"

static void test_two_blocks_with_text_between(void **state) {
    (void)state;
    const char *text = "Bag Attributes\n"
                       "-----BEGIN CERTIFICATE-----\n"
                       "AAEC\n"
                       "-----END CERTIFICATE-----\n"
                       "comment line\n"
                       "-----BEGIN PRIVATE KEY-----\r\n"
                       "/+8=\r\n"
                       "-----END PRIVATE KEY-----\r\n";
    size_t pos = 0;
    int found;
    pl_pem_block b;
    PL_ASSERT_OK(pl_pem_next(text, strlen(text), &pos, &b, &found));
    assert_int_equal(found, 1);
    assert_string_equal(b.label, "CERTIFICATE");
    assert_int_equal(b.der_len, 3);
    assert_memory_equal(b.der, "\x00\x01\x02", 3);
    assert_int_equal(b.has_headers, 0);
    pl_pem_block_cleanup(&b);
    PL_ASSERT_OK(pl_pem_next(text, strlen(text), &pos, &b, &found));
    assert_int_equal(found, 1);
    assert_string_equal(b.label, "PRIVATE KEY");
    assert_int_equal(b.der_len, 2);
    assert_memory_equal(b.der, "\xff\xef", 2);
    pl_pem_block_cleanup(&b);
    PL_ASSERT_OK(pl_pem_next(text, strlen(text), &pos, &b, &found));
    assert_int_equal(found, 0);
    assert_true(pl_pem_looks_like_pem((const uint8_t *)text, strlen(text)));
    assert_false(pl_pem_looks_like_pem((const uint8_t *)"\x30\x82", 2));
}

static void test_headers_are_reported(void **state) {
    (void)state;
    const char *text = "-----BEGIN RSA PRIVATE KEY-----\n"
                       "Proc-Type: 4,ENCRYPTED\n"
                       "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n"
                       "\n"
                       "AAEC\n"
                       "-----END RSA PRIVATE KEY-----\n";
    size_t pos = 0;
    int found;
    pl_pem_block b;
    PL_ASSERT_OK(pl_pem_next(text, strlen(text), &pos, &b, &found));
    assert_int_equal(found, 1);
    assert_int_equal(b.has_headers, 1);
    assert_int_equal(b.der_len, 3);
    pl_pem_block_cleanup(&b);
}

static void expect_malformed(const char *text) {
    size_t pos = 0;
    int found = -1;
    pl_pem_block b;
    padlock_err err = pl_pem_next(text, strlen(text), &pos, &b, &found);
    if (err != PADLOCK_E_PEM) {
        fail_msg("expected PADLOCK_E_PEM for:\n%s\ngot %d", text, (int)err);
    }
    assert_int_equal(found, 0);
    assert_null(b.der);
}

static void test_malformed(void **state) {
    (void)state;
    expect_malformed("-----BEGIN CERTIFICATE-----\nAAEC\n"); /* no END */
    expect_malformed("-----BEGIN CERTIFICATE-----\nAAEC\n-----END X509 CRL-----\n");
    expect_malformed("-----BEGIN CERTIFICATE-----\nAA*C\n-----END CERTIFICATE-----\n");
    expect_malformed("-----BEGIN CERTIFICATE-----\nAAE\n-----END CERTIFICATE-----\n");
    expect_malformed("-----BEGIN CERTIFICATE-----\nAA=C\n-----END CERTIFICATE-----\n");
    expect_malformed("-----BEGIN CERTIFICATE-----\nA===\n-----END CERTIFICATE-----\n");
    expect_malformed("-----BEGIN CERTIFICATE-----\nAAE=AAEC\n-----END CERTIFICATE-----\n");
    expect_malformed("-----BEGIN CERTIFICATE-----\nAB==\n-----END CERTIFICATE-----\n");
    expect_malformed("-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----\n");
    expect_malformed("-----BEGIN CERTIFICATE-----\nAAEC\n-----BEGIN CERTIFICATE-----\n"
                     "AAEC\n-----END CERTIFICATE-----\n");
    expect_malformed("-----BEGIN CERTIFICATE\nAAEC\n-----END CERTIFICATE-----\n");
    /* Labels (RFC 7468 §3): printable, single inner spaces or hyphens only. Regression for a
     * fuzzer finding: a label with control bytes broke the encode/decode round trip. */
    expect_malformed("-----BEGIN A\x01" "B-----\nAAEC\n-----END A\x01" "B-----\n");
    expect_malformed("-----BEGIN A  B-----\nAAEC\n-----END A  B-----\n");
    expect_malformed("-----BEGIN  A-----\nAAEC\n-----END  A-----\n");
    expect_malformed("-----BEGIN A -----\nAAEC\n-----END A -----\n");
}

static void test_round_trip_lengths(void **state) {
    (void)state;
    uint8_t data[200];
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 37 + 11);
    }
    for (size_t n = 1; n <= sizeof(data); n++) {
        char *text;
        size_t text_len;
        PL_ASSERT_OK(pl_pem_encode("CERTIFICATE", data, n, &text, &text_len));
        assert_int_equal(strlen(text), text_len);
        /* Lines are at most 64 characters. */
        for (char *line = text; *line != '\0';) {
            char *nl = strchr(line, '\n');
            assert_non_null(nl);
            assert_true(nl - line <= 64);
            line = nl + 1;
        }
        size_t pos = 0;
        int found;
        pl_pem_block b;
        PL_ASSERT_OK(pl_pem_next(text, text_len, &pos, &b, &found));
        assert_int_equal(found, 1);
        assert_int_equal(b.der_len, n);
        assert_memory_equal(b.der, data, n);
        assert_int_equal(pos, text_len);
        pl_pem_block_cleanup(&b);
        pl_free(text);
    }
}

/* The decoder's character table: every byte outside the alphabet, '=' and whitespace is
 * refused wherever it appears in a body; every alphabet character decodes to its value. */
static void test_every_byte_value(void **state) {
    (void)state;
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int c = 1; c < 256; c++) {
        if (strchr(alphabet, c) != NULL || c == '=' || c == ' ' || c == '\t' || c == '\r' ||
            c == '\n') {
            continue;
        }
        char text[64];
        int n = snprintf(text, sizeof(text), "-----BEGIN X-----\nAA%cA\n-----END X-----\n", c);
        size_t pos = 0;
        int found;
        pl_pem_block b;
        if (pl_pem_next(text, (size_t)n, &pos, &b, &found) != PADLOCK_E_PEM) {
            fail_msg("byte 0x%02x accepted in a PEM body", c);
        }
    }
    for (int v = 0; v < 64; v++) {
        /* "<c>AAA" decodes to the 6-bit value v followed by 18 zero bits. */
        char text[64];
        int n = snprintf(text, sizeof(text), "-----BEGIN X-----\n%cAAA\n-----END X-----\n",
                         alphabet[v]);
        size_t pos = 0;
        int found;
        pl_pem_block b;
        PL_ASSERT_OK(pl_pem_next(text, (size_t)n, &pos, &b, &found));
        assert_int_equal(b.der_len, 3);
        assert_int_equal(b.der[0], (uint8_t)(v << 2));
        pl_pem_block_cleanup(&b);
    }
}

/* The encoder's output is byte-identical to OpenSSL's for the same DER. */
static void test_matches_openssl(void **state) {
    (void)state;
    const char *dir = pl_test_tmpdir();
    assert_int_equal(pl_test_sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
                                "-nodes -subj /CN=pem.test -keyout %s/k.pem -out %s/c.pem "
                                "2>/dev/null && openssl x509 -in %s/c.pem -outform DER -out %s/c.der",
                                dir, dir, dir, dir),
                     0);
    char path[4096];
    size_t der_len, pem_len;
    snprintf(path, sizeof(path), "%s/c.der", dir);
    uint8_t *der = pl_test_read_file(path, &der_len);
    snprintf(path, sizeof(path), "%s/c.pem", dir);
    uint8_t *pem = pl_test_read_file(path, &pem_len);
    assert_non_null(der);
    assert_non_null(pem);
    char *text;
    size_t text_len;
    PL_ASSERT_OK(pl_pem_encode("CERTIFICATE", der, der_len, &text, &text_len));
    assert_int_equal(text_len, pem_len);
    assert_memory_equal(text, pem, pem_len);
    pl_free(text);
    free(der);
    free(pem);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_blocks_with_text_between),
        cmocka_unit_test(test_headers_are_reported),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_round_trip_lengths),
        cmocka_unit_test(test_every_byte_value),
        cmocka_unit_test(test_matches_openssl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
