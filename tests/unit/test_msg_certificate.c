/* Certificate (TLS 1.3 and TLS 1.2 forms), CertificateRequest and CertificateVerify: round
 * trips, every truncation, trailing bytes, bad inner lengths, value rules, and the signed
 * content of RFC 8446 §4.4.3 against the RFC's own example. */
#include <stdlib.h>
#include <string.h>

#include "msg/msg.h"
#include "parse_check.h"
#include "rfc_text.h"
#include "testlib.h"

static uint8_t g_msg[8192];
static size_t g_msg_len;
static uint32_t g_offered;

static const uint8_t *body(void) {
    return g_msg + PL_HS_HEADER_LEN;
}

static size_t body_len(void) {
    return g_msg_len - PL_HS_HEADER_LEN;
}

/* ---- Certificate ------------------------------------------------------------------------------
 */

static uint8_t g_der1[300], g_der2[40];
static uint8_t g_list[1024];

/* A certificate_list body of two entries (DER contents are opaque to this layer). */
static size_t cert_list(int tls12, pl_cur ext1) {
    memset(g_der1, 0x30, sizeof(g_der1));
    memset(g_der2, 0x31, sizeof(g_der2));
    pl_buf b;
    pl_buf_init(&b, g_list, sizeof(g_list));
    PL_ASSERT_OK(pl_cert_entry_write(&b, tls12, g_der1, sizeof(g_der1), ext1));
    pl_cur none;
    pl_cur_init(&none, NULL, 0);
    PL_ASSERT_OK(pl_cert_entry_write(&b, tls12, g_der2, sizeof(g_der2), none));
    return b.len;
}

static padlock_err build_cert(const pl_certificate *c) {
    pl_buf b;
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    padlock_err rc = pl_certificate_build(&b, c);
    g_msg_len = b.len;
    return rc;
}

static padlock_err parse_cert13(const uint8_t *in, size_t len, pl_errinfo *err) {
    pl_certificate c;
    return pl_certificate_parse(&c, in, len, g_offered, err);
}

static padlock_err parse_cert12(const uint8_t *in, size_t len, pl_errinfo *err) {
    pl_certificate c;
    return pl_certificate_parse_tls12(&c, in, len, err);
}

static void expect_cert_rebuilds(const pl_certificate *c) {
    uint8_t again[8192];
    pl_buf b;
    pl_buf_init(&b, again, sizeof(again));
    PL_ASSERT_OK(pl_certificate_build(&b, c));
    assert_int_equal(b.len, g_msg_len);
    assert_memory_equal(again, g_msg, g_msg_len);
}

static void test_certificate_tls13(void **state) {
    (void)state;
    pl_cur none;
    pl_cur_init(&none, NULL, 0);
    pl_certificate in, out;
    memset(&in, 0, sizeof(in));
    pl_cur_init(&in.context, (const uint8_t *)"\x01\x02\x03", 3);
    pl_cur_init(&in.entries, g_list, cert_list(0, none));
    PL_ASSERT_OK(build_cert(&in));
    assert_int_equal(g_msg[0], PL_HS_CERTIFICATE);
    pl_errinfo err;
    pl_errinfo_init(&err);
    PL_ASSERT_OK(pl_certificate_parse(&out, body(), body_len(), 0, &err));
    assert_int_equal(out.num_entries, 2);
    assert_false(out.tls12);
    assert_int_equal(pl_cur_left(&out.context), 3);
    pl_cur it = out.entries;
    pl_cert_entry e;
    assert_true(pl_certificate_next(&out, &it, &e));
    assert_int_equal(pl_cur_left(&e.cert_data), sizeof(g_der1));
    assert_memory_equal(e.cert_data.p, g_der1, sizeof(g_der1));
    assert_int_equal(pl_cur_left(&e.extensions), 0);
    assert_true(pl_certificate_next(&out, &it, &e));
    assert_int_equal(pl_cur_left(&e.cert_data), sizeof(g_der2));
    assert_false(pl_certificate_next(&out, &it, &e));
    expect_cert_rebuilds(&out);
    pl_test_truncations(parse_cert13, body(), body_len(), NULL, 0);
    pl_test_trailing_byte(parse_cert13, body(), body_len());

    /* An empty list is well-formed; what it means is the receiver's decision. */
    pl_cur_init(&in.entries, NULL, 0);
    pl_cur_init(&in.context, NULL, 0);
    PL_ASSERT_OK(build_cert(&in));
    PL_ASSERT_OK(pl_certificate_parse(&out, body(), body_len(), 0, &err));
    assert_int_equal(out.num_entries, 0);
    assert_int_equal(body_len(), 4);
    pl_errinfo_cleanup(&err);
}

static void test_certificate_entry_extensions(void **state) {
    (void)state;
    /* RFC 8446 §4.4.2: entry extensions answer the ClientHello; we request none padlock
     * parses, so any is unsolicited, and known ones not allowed in CT are illegal. */
    const uint8_t status_request[] = {0x00, 0x05, 0x00, 0x01, 0x00};
    pl_cur ext;
    pl_cur_init(&ext, status_request, sizeof(status_request));
    pl_certificate in;
    memset(&in, 0, sizeof(in));
    pl_cur_init(&in.entries, g_list, cert_list(0, ext));
    PL_ASSERT_OK(build_cert(&in));
    g_offered = 0xffffffffu;
    pl_test_parse_fails(parse_cert13, body(), body_len(), PADLOCK_E_UNSUPPORTED_EXTENSION,
                        "Certificate: extension 5 was not offered");
    const uint8_t key_share[] = {0x00, 0x33, 0x00, 0x02, 0x00, 0x1d};
    pl_cur_init(&ext, key_share, sizeof(key_share));
    pl_cur_init(&in.entries, g_list, cert_list(0, ext));
    PL_ASSERT_OK(build_cert(&in));
    pl_test_parse_fails(parse_cert13, body(), body_len(), PADLOCK_E_ILLEGAL_PARAMETER,
                        "Certificate: extension key_share is not allowed");
    /* A malformed entry extension block. */
    const uint8_t broken[] = {0x00, 0x05, 0x00};
    pl_cur_init(&ext, broken, sizeof(broken));
    pl_cur_init(&in.entries, g_list, cert_list(0, ext));
    PL_ASSERT_OK(build_cert(&in));
    pl_test_parse_fails(parse_cert13, body(), body_len(), PADLOCK_E_DECODE,
                        "Certificate: malformed extensions block");
}

static void test_certificate_bad_lengths(void **state) {
    (void)state;
    /* An empty cert_data (<1..2^24-1>), in either form. */
    const uint8_t empty_cert13[] = {0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00};
    g_offered = 0;
    pl_test_parse_fails(parse_cert13, empty_cert13, sizeof(empty_cert13), PADLOCK_E_DECODE,
                        "Certificate: malformed input");
    const uint8_t empty_cert12[] = {0x00, 0x00, 0x03, 0x00, 0x00, 0x00};
    pl_test_parse_fails(parse_cert12, empty_cert12, sizeof(empty_cert12), PADLOCK_E_DECODE, NULL);
    /* An entry whose extensions length runs past the list. */
    const uint8_t long_exts[] = {0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x01, 0xaa, 0x00, 0x05};
    pl_test_parse_fails(parse_cert13, long_exts, sizeof(long_exts), PADLOCK_E_DECODE, NULL);
    /* Context length past the end. */
    const uint8_t long_context[] = {0x05, 0x00};
    pl_test_parse_fails(parse_cert13, long_context, sizeof(long_context), PADLOCK_E_DECODE, NULL);
    /* Builders refuse what the parsers would. */
    uint8_t out[64];
    pl_buf b;
    pl_buf_init(&b, out, sizeof(out));
    pl_cur none;
    pl_cur_init(&none, NULL, 0);
    PL_ASSERT_ERR(pl_cert_entry_write(&b, 0, g_der1, 0, none), PADLOCK_E_INVALID_ARGUMENT);
    pl_cur_init(&none, (const uint8_t *)"\x00\x00", 2);
    PL_ASSERT_ERR(pl_cert_entry_write(&b, 1, g_der1, 1, none), PADLOCK_E_INVALID_ARGUMENT);
    pl_certificate c;
    memset(&c, 0, sizeof(c));
    c.tls12 = 1;
    pl_cur_init(&c.context, (const uint8_t *)"x", 1);
    PL_ASSERT_ERR(pl_certificate_build(&b, &c), PADLOCK_E_INVALID_ARGUMENT);
}

static void test_certificate_tls12(void **state) {
    (void)state;
    pl_cur none;
    pl_cur_init(&none, NULL, 0);
    pl_certificate in, out;
    memset(&in, 0, sizeof(in));
    in.tls12 = 1;
    pl_cur_init(&in.entries, g_list, cert_list(1, none));
    PL_ASSERT_OK(build_cert(&in));
    /* RFC 5246 §7.4.2: a 3-byte list length then 3-byte certificate lengths, nothing else. */
    assert_int_equal(body_len(), 3 + 3 + sizeof(g_der1) + 3 + sizeof(g_der2));
    pl_errinfo err;
    pl_errinfo_init(&err);
    PL_ASSERT_OK(pl_certificate_parse_tls12(&out, body(), body_len(), &err));
    assert_true(out.tls12);
    assert_int_equal(out.num_entries, 2);
    pl_cur it = out.entries;
    pl_cert_entry e;
    assert_true(pl_certificate_next(&out, &it, &e));
    assert_memory_equal(e.cert_data.p, g_der1, sizeof(g_der1));
    assert_true(pl_certificate_next(&out, &it, &e));
    assert_memory_equal(e.cert_data.p, g_der2, sizeof(g_der2));
    assert_false(pl_certificate_next(&out, &it, &e));
    expect_cert_rebuilds(&out);
    pl_test_truncations(parse_cert12, body(), body_len(), NULL, 0);
    pl_test_trailing_byte(parse_cert12, body(), body_len());
    pl_errinfo_cleanup(&err);
}

/* ---- CertificateRequest ------------------------------------------------------------------------
 */

static padlock_err parse_cr(const uint8_t *in, size_t len, pl_errinfo *err) {
    pl_certificate_request cr;
    return pl_certificate_request_parse(&cr, in, len, err);
}

static void test_certificate_request(void **state) {
    (void)state;
    const uint8_t sigalgs[] = {0x08, 0x04, 0x04, 0x03};
    pl_certificate_request in, out;
    memset(&in, 0, sizeof(in));
    pl_cur_init(&in.context, (const uint8_t *)"ctx", 3);
    pl_cur_init(&in.exts.sig_algs, sigalgs, sizeof(sigalgs));
    pl_cur_init(&in.exts.sig_algs_cert, sigalgs, 2);
    const uint16_t order[] = {PL_EXT_SIGNATURE_ALGORITHMS_CERT, PL_EXT_SIGNATURE_ALGORITHMS};
    pl_buf b;
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    PL_ASSERT_OK(pl_certificate_request_build(&b, &in, order, 2));
    g_msg_len = b.len;
    assert_int_equal(g_msg[0], PL_HS_CERTIFICATE_REQUEST);
    pl_errinfo err;
    pl_errinfo_init(&err);
    PL_ASSERT_OK(pl_certificate_request_parse(&out, body(), body_len(), &err));
    assert_memory_equal(out.context.p, "ctx", 3);
    assert_true(pl_ext_u16_contains(out.exts.sig_algs, 0x0403));
    assert_true(pl_ext_u16_contains(out.exts.sig_algs_cert, 0x0804));
    uint16_t ids[4];
    size_t n;
    PL_ASSERT_OK(pl_exts_ids(&out.exts, ids, 4, &n));
    uint8_t again[256];
    pl_buf_init(&b, again, sizeof(again));
    PL_ASSERT_OK(pl_certificate_request_build(&b, &out, ids, n));
    assert_int_equal(b.len, g_msg_len);
    assert_memory_equal(again, g_msg, g_msg_len);
    pl_test_truncations(parse_cr, body(), body_len(), NULL, 0);
    pl_test_trailing_byte(parse_cr, body(), body_len());
    /* RFC 8446 §4.3.2: signature_algorithms is mandatory; unknown extensions are ignored. */
    const uint16_t cert_only[] = {PL_EXT_SIGNATURE_ALGORITHMS_CERT};
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    PL_ASSERT_OK(pl_certificate_request_build(&b, &in, cert_only, 1));
    g_msg_len = b.len;
    pl_test_parse_fails(parse_cr, body(), body_len(), PADLOCK_E_MISSING_EXTENSION,
                        "CertificateRequest: signature_algorithms is missing");
    /* extensions<2..2^16-1>: an empty block is malformed. */
    const uint8_t no_exts[] = {0x00, 0x00, 0x00};
    pl_test_parse_fails(parse_cr, no_exts, sizeof(no_exts), PADLOCK_E_DECODE,
                        "CertificateRequest: malformed input");
    const uint8_t with_unknown[] = {0x00, 0x00, 0x0e, 0x00, 0x2f, 0x00, 0x02, 0x00, 0x00,
                                    0x00, 0x0d, 0x00, 0x04, 0x00, 0x02, 0x08, 0x07};
    PL_ASSERT_OK(pl_certificate_request_parse(&out, with_unknown, sizeof(with_unknown), &err));
    assert_int_equal(out.exts.present, pl_ext_bit(PL_EXT_SIGNATURE_ALGORITHMS));
    pl_errinfo_cleanup(&err);
}

/* ---- CertificateVerify -------------------------------------------------------------------------
 */

static padlock_err parse_cv(const uint8_t *in, size_t len, pl_errinfo *err) {
    pl_certificate_verify cv;
    return pl_certificate_verify_parse(&cv, in, len, err);
}

static void test_certificate_verify(void **state) {
    (void)state;
    uint8_t sig[72];
    memset(sig, 0x5e, sizeof(sig));
    pl_certificate_verify in, out;
    in.scheme = 0x0403;
    pl_cur_init(&in.signature, sig, sizeof(sig));
    pl_buf b;
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    PL_ASSERT_OK(pl_certificate_verify_build(&b, &in));
    g_msg_len = b.len;
    assert_int_equal(g_msg[0], PL_HS_CERTIFICATE_VERIFY);
    assert_int_equal(body_len(), 2 + 2 + sizeof(sig));
    pl_errinfo err;
    pl_errinfo_init(&err);
    PL_ASSERT_OK(pl_certificate_verify_parse(&out, body(), body_len(), &err));
    assert_int_equal(out.scheme, 0x0403);
    assert_memory_equal(out.signature.p, sig, sizeof(sig));
    uint8_t again[128];
    pl_buf_init(&b, again, sizeof(again));
    PL_ASSERT_OK(pl_certificate_verify_build(&b, &out));
    assert_memory_equal(again, g_msg, g_msg_len);
    pl_test_truncations(parse_cv, body(), body_len(), NULL, 0);
    pl_test_trailing_byte(parse_cv, body(), body_len());
    /* signature<0..2^16-1> may be empty at this layer (the verifier refuses it). */
    const uint8_t empty_sig[] = {0x08, 0x07, 0x00, 0x00};
    PL_ASSERT_OK(pl_certificate_verify_parse(&out, empty_sig, sizeof(empty_sig), &err));
    assert_int_equal(out.scheme, 0x0807);
    assert_int_equal(pl_cur_left(&out.signature), 0);
    pl_errinfo_cleanup(&err);
}

static void test_certificate_verify_content(void **state) {
    (void)state;
    /* RFC 8446 §4.4.3's example: a server signature over a transcript hash of 32 bytes of 01. */
    size_t want_len;
    char *text = pl_rfc_load("rfc8446.txt");
    assert_non_null(text);
    uint8_t *want =
        pl_rfc_hex_after(text, "signature for a server CertificateVerify would be:", &want_len);
    free(text);
    assert_non_null(want);
    assert_int_equal(want_len, 64 + 33 + 1 + 32);
    uint8_t hash[PL_HASH_MAX_LEN];
    memset(hash, 0x01, sizeof(hash));
    uint8_t content[PL_CV_CONTENT_MAX];
    pl_buf b;
    pl_buf_init(&b, content, sizeof(content));
    PL_ASSERT_OK(pl_certificate_verify_content(&b, PL_ROLE_SERVER, hash, 32));
    assert_int_equal(b.len, want_len);
    assert_memory_equal(content, want, want_len);
    /* The client's context string differs in one word; the longest content fits the macro. */
    pl_buf_init(&b, content, sizeof(content));
    PL_ASSERT_OK(pl_certificate_verify_content(&b, PL_ROLE_CLIENT, hash, PL_HASH_MAX_LEN));
    assert_int_equal(b.len, PL_CV_CONTENT_MAX);
    assert_memory_equal(content, want, 64);
    assert_memory_equal(content + 64, "TLS 1.3, client CertificateVerify", 33);
    assert_int_equal(content[97], 0);
    pl_buf_init(&b, content, sizeof(content));
    PL_ASSERT_ERR(pl_certificate_verify_content(&b, PL_ROLE_CLIENT, hash, PL_HASH_MAX_LEN + 1),
                  PADLOCK_E_INVALID_ARGUMENT);
    pl_buf_init(&b, content, 100);
    PL_ASSERT_ERR(pl_certificate_verify_content(&b, PL_ROLE_SERVER, hash, 32),
                  PADLOCK_E_BUFFER_TOO_SMALL);
    free(want);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_certificate_tls13),
        cmocka_unit_test(test_certificate_entry_extensions),
        cmocka_unit_test(test_certificate_bad_lengths),
        cmocka_unit_test(test_certificate_tls12),
        cmocka_unit_test(test_certificate_request),
        cmocka_unit_test(test_certificate_verify),
        cmocka_unit_test(test_certificate_verify_content),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
