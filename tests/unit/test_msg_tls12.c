/* The TLS 1.2 handshake messages (RFC 5246 §7.4, RFC 8422 §5.4/§5.7, RFC 5077 §3.3): each is
 * built, parsed back field by field, rebuilt byte for byte, and every truncation, a trailing
 * byte and the values each rule forbids fail with the right code and a detail naming the
 * message. */
#include <string.h>

#include "msg/msg.h"
#include "parse_check.h"
#include "testlib.h"

static uint8_t g_msg[2048];
static size_t g_msg_len;

/* The body of the message in g_msg, after its 4-byte header (checked to be of type). */
static const uint8_t *body(uint8_t type) {
    assert_true(g_msg_len >= 4);
    assert_int_equal(g_msg[0], type);
    assert_int_equal(((size_t)g_msg[1] << 16) | ((size_t)g_msg[2] << 8) | g_msg[3], g_msg_len - 4);
    return g_msg + 4;
}

static padlock_err parse_ske(const uint8_t *in, size_t len, pl_errinfo *err) {
    pl_server_key_exchange ske;
    return pl_server_key_exchange_parse(&ske, in, len, err);
}

static padlock_err parse_cke_ecdhe(const uint8_t *in, size_t len, pl_errinfo *err) {
    pl_cur point;
    return pl_client_key_exchange_parse_ecdhe(&point, in, len, err);
}

static padlock_err parse_cke_rsa(const uint8_t *in, size_t len, pl_errinfo *err) {
    pl_cur ct;
    return pl_client_key_exchange_parse_rsa(&ct, in, len, err);
}

static padlock_err parse_cr12(const uint8_t *in, size_t len, pl_errinfo *err) {
    pl_certificate_request12 cr;
    return pl_certificate_request12_parse(&cr, in, len, err);
}

static padlock_err parse_nst12(const uint8_t *in, size_t len, pl_errinfo *err) {
    pl_new_session_ticket12 t;
    return pl_new_session_ticket12_parse(&t, in, len, err);
}

static padlock_err parse_shd(const uint8_t *in, size_t len, pl_errinfo *err) {
    (void)in;
    return pl_server_hello_done_parse(len, err);
}

static padlock_err parse_hr(const uint8_t *in, size_t len, pl_errinfo *err) {
    (void)in;
    return pl_hello_request_parse(len, err);
}

static void test_server_key_exchange(void **state) {
    (void)state;
    uint8_t point[65], sig[72];
    memset(point, 0x04, sizeof(point));
    memset(sig, 0x30, sizeof(sig));
    pl_server_key_exchange in, out;
    memset(&in, 0, sizeof(in));
    in.group = 0x0017;
    pl_cur_init(&in.point, point, sizeof(point));
    in.scheme = 0x0403;
    pl_cur_init(&in.signature, sig, sizeof(sig));
    pl_buf b;
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    PL_ASSERT_OK(pl_server_key_exchange_build(&b, &in));
    g_msg_len = b.len;
    const uint8_t *p = body(PL_HS_SERVER_KEY_EXCHANGE);
    size_t len = g_msg_len - 4;
    /* RFC 8422 §5.4: named_curve (3), the curve, the point with a 1-byte length. */
    assert_int_equal(p[0], 3);
    assert_int_equal(p[1], 0x00);
    assert_int_equal(p[2], 0x17);
    assert_int_equal(p[3], sizeof(point));
    pl_errinfo err;
    pl_errinfo_init(&err);
    PL_ASSERT_OK(pl_server_key_exchange_parse(&out, p, len, &err));
    assert_int_equal(out.group, 0x0017);
    assert_int_equal(out.scheme, 0x0403);
    assert_int_equal(pl_cur_left(&out.point), sizeof(point));
    assert_memory_equal(out.signature.p, sig, sizeof(sig));
    /* The signed parameters are exactly the ServerECDHParams bytes. */
    assert_ptr_equal(out.params.p, p);
    assert_int_equal(pl_cur_left(&out.params), 4 + sizeof(point));
    uint8_t params[80];
    pl_buf_init(&b, params, sizeof(params));
    PL_ASSERT_OK(pl_server_key_exchange_params(&b, 0x0017, point, sizeof(point)));
    assert_int_equal(b.len, pl_cur_left(&out.params));
    assert_memory_equal(params, out.params.p, b.len);
    /* What the signature covers: client_random + server_random + params. */
    uint8_t cr[PL_RANDOM_LEN], sr[PL_RANDOM_LEN], signed_bytes[200];
    memset(cr, 0xc1, sizeof(cr));
    memset(sr, 0x5e, sizeof(sr));
    pl_buf_init(&b, signed_bytes, sizeof(signed_bytes));
    PL_ASSERT_OK(pl_server_key_exchange_signed(&b, cr, sr, out.params));
    assert_int_equal(b.len, 2 * PL_RANDOM_LEN + pl_cur_left(&out.params));
    assert_memory_equal(signed_bytes, cr, PL_RANDOM_LEN);
    assert_memory_equal(signed_bytes + PL_RANDOM_LEN, sr, PL_RANDOM_LEN);
    assert_memory_equal(signed_bytes + 2 * PL_RANDOM_LEN, p, pl_cur_left(&out.params));
    /* Rebuilt from what was parsed: the same bytes. */
    uint8_t again[2048];
    pl_buf_init(&b, again, sizeof(again));
    PL_ASSERT_OK(pl_server_key_exchange_build(&b, &out));
    assert_int_equal(b.len, g_msg_len);
    assert_memory_equal(again, g_msg, g_msg_len);
    pl_test_truncations(parse_ske, p, len, NULL, 0);
    pl_test_trailing_byte(parse_ske, p, len);
    /* RFC 8422 §5.4: explicit curves are refused. */
    uint8_t explicit_curve[2048];
    memcpy(explicit_curve, p, len);
    explicit_curve[0] = 1;
    pl_test_parse_fails(parse_ske, explicit_curve, len, PADLOCK_E_ILLEGAL_PARAMETER,
                        "ServerKeyExchange: curve type 1, not named_curve");
    /* An empty point. */
    const uint8_t empty_point[] = {3, 0x00, 0x1d, 0, 0x08, 0x04, 0, 0};
    pl_test_parse_fails(parse_ske, empty_point, sizeof(empty_point), PADLOCK_E_DECODE,
                        "ServerKeyExchange");
    /* Points the builder cannot write. */
    in.point.len = 0;
    pl_buf_init(&b, again, sizeof(again));
    PL_ASSERT_ERR(pl_server_key_exchange_build(&b, &in), PADLOCK_E_INVALID_ARGUMENT);
    pl_errinfo_cleanup(&err);
}

static void test_client_key_exchange(void **state) {
    (void)state;
    uint8_t point[32], ct[256];
    memset(point, 0x99, sizeof(point));
    memset(ct, 0xab, sizeof(ct));
    pl_buf b;
    pl_errinfo err;
    pl_errinfo_init(&err);
    pl_cur got;
    /* RFC 8422 §5.7: ecdh_Yc<1..2^8-1>. */
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    PL_ASSERT_OK(pl_client_key_exchange_build_ecdhe(&b, point, sizeof(point)));
    g_msg_len = b.len;
    const uint8_t *p = body(PL_HS_CLIENT_KEY_EXCHANGE);
    assert_int_equal(g_msg_len, 4 + 1 + sizeof(point));
    PL_ASSERT_OK(pl_client_key_exchange_parse_ecdhe(&got, p, g_msg_len - 4, &err));
    assert_int_equal(pl_cur_left(&got), sizeof(point));
    assert_memory_equal(got.p, point, sizeof(point));
    pl_test_truncations(parse_cke_ecdhe, p, g_msg_len - 4, NULL, 0);
    pl_test_trailing_byte(parse_cke_ecdhe, p, g_msg_len - 4);
    const uint8_t empty[] = {0};
    pl_test_parse_fails(parse_cke_ecdhe, empty, sizeof(empty), PADLOCK_E_DECODE,
                        "ClientKeyExchange");
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    PL_ASSERT_ERR(pl_client_key_exchange_build_ecdhe(&b, point, 0), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_client_key_exchange_build_ecdhe(&b, ct, 256), PADLOCK_E_INVALID_ARGUMENT);
    /* RFC 5246 §7.4.7.1: EncryptedPreMasterSecret with a 2-byte length. */
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    PL_ASSERT_OK(pl_client_key_exchange_build_rsa(&b, ct, sizeof(ct)));
    g_msg_len = b.len;
    p = body(PL_HS_CLIENT_KEY_EXCHANGE);
    assert_int_equal(p[0], 0x01);
    assert_int_equal(p[1], 0x00);
    PL_ASSERT_OK(pl_client_key_exchange_parse_rsa(&got, p, g_msg_len - 4, &err));
    assert_int_equal(pl_cur_left(&got), sizeof(ct));
    assert_memory_equal(got.p, ct, sizeof(ct));
    pl_test_truncations(parse_cke_rsa, p, g_msg_len - 4, NULL, 0);
    pl_test_trailing_byte(parse_cke_rsa, p, g_msg_len - 4);
    /* SSL 3.0's form without the length is not accepted. */
    pl_test_parse_fails(parse_cke_rsa, ct, sizeof(ct), PADLOCK_E_DECODE, "ClientKeyExchange");
    pl_errinfo_cleanup(&err);
}

static void test_certificate_request12(void **state) {
    (void)state;
    const uint8_t types[] = {PL_CERT_TYPE_RSA_SIGN, PL_CERT_TYPE_ECDSA_SIGN};
    const uint8_t schemes[] = {0x04, 0x03, 0x08, 0x04};
    const uint8_t names[] = {0x00, 0x03, 0x30, 0x01, 0x00, 0x00, 0x02, 0x30, 0x00};
    pl_certificate_request12 in, out;
    pl_cur_init(&in.cert_types, types, sizeof(types));
    pl_cur_init(&in.sig_algs, schemes, sizeof(schemes));
    pl_cur_init(&in.authorities, names, sizeof(names));
    pl_buf b;
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    PL_ASSERT_OK(pl_certificate_request12_build(&b, &in));
    g_msg_len = b.len;
    const uint8_t *p = body(PL_HS_CERTIFICATE_REQUEST);
    size_t len = g_msg_len - 4;
    pl_errinfo err;
    pl_errinfo_init(&err);
    PL_ASSERT_OK(pl_certificate_request12_parse(&out, p, len, &err));
    assert_memory_equal(out.cert_types.p, types, sizeof(types));
    assert_memory_equal(out.sig_algs.p, schemes, sizeof(schemes));
    assert_int_equal(pl_cur_left(&out.authorities), sizeof(names));
    pl_test_truncations(parse_cr12, p, len, NULL, 0);
    pl_test_trailing_byte(parse_cr12, p, len);
    /* An odd signature algorithm list. */
    const uint8_t odd[] = {1, 64, 0, 3, 4, 3, 8, 0, 0};
    pl_test_parse_fails(parse_cr12, odd, sizeof(odd), PADLOCK_E_DECODE,
                        "supported_signature_algorithms has an odd length");
    /* No certificate type; no signature algorithm; an empty DistinguishedName. */
    const uint8_t no_types[] = {0, 0, 2, 4, 3, 0, 0};
    pl_test_parse_fails(parse_cr12, no_types, sizeof(no_types), PADLOCK_E_DECODE,
                        "CertificateRequest");
    const uint8_t no_schemes[] = {1, 64, 0, 0, 0, 0};
    pl_test_parse_fails(parse_cr12, no_schemes, sizeof(no_schemes), PADLOCK_E_DECODE,
                        "CertificateRequest");
    const uint8_t empty_name[] = {1, 64, 0, 2, 4, 3, 0, 2, 0, 0};
    pl_test_parse_fails(parse_cr12, empty_name, sizeof(empty_name), PADLOCK_E_DECODE,
                        "CertificateRequest");
    in.sig_algs.len = 3;
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    PL_ASSERT_ERR(pl_certificate_request12_build(&b, &in), PADLOCK_E_INVALID_ARGUMENT);
    pl_errinfo_cleanup(&err);
}

static void test_new_session_ticket12(void **state) {
    (void)state;
    uint8_t opaque[300];
    memset(opaque, 0x7e, sizeof(opaque));
    pl_new_session_ticket12 in = {.lifetime_hint = 86400}, out;
    pl_cur_init(&in.ticket, opaque, sizeof(opaque));
    pl_buf b;
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    PL_ASSERT_OK(pl_new_session_ticket12_build(&b, &in));
    g_msg_len = b.len;
    const uint8_t *p = body(PL_HS_NEW_SESSION_TICKET);
    /* RFC 5077 §3.3: uint32 ticket_lifetime_hint, opaque ticket<0..2^16-1>. */
    assert_int_equal(g_msg_len - 4, 4 + 2 + sizeof(opaque));
    pl_errinfo err;
    pl_errinfo_init(&err);
    PL_ASSERT_OK(pl_new_session_ticket12_parse(&out, p, g_msg_len - 4, &err));
    assert_int_equal(out.lifetime_hint, 86400);
    assert_memory_equal(out.ticket.p, opaque, sizeof(opaque));
    pl_test_truncations(parse_nst12, p, g_msg_len - 4, NULL, 0);
    pl_test_trailing_byte(parse_nst12, p, g_msg_len - 4);
    /* An empty ticket is legal (the server changed its mind, RFC 5077 §3.3). */
    const uint8_t none[] = {0, 0, 0, 0, 0, 0};
    PL_ASSERT_OK(pl_new_session_ticket12_parse(&out, none, sizeof(none), &err));
    assert_int_equal(pl_cur_left(&out.ticket), 0);
    pl_errinfo_cleanup(&err);
}

static void test_empty_messages(void **state) {
    (void)state;
    pl_buf b;
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    PL_ASSERT_OK(pl_server_hello_done_build(&b));
    g_msg_len = b.len;
    assert_int_equal(g_msg_len, 4);
    (void)body(PL_HS_SERVER_HELLO_DONE);
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    PL_ASSERT_OK(pl_hello_request_build(&b));
    g_msg_len = b.len;
    assert_int_equal(g_msg_len, 4);
    (void)body(PL_HS_HELLO_REQUEST);
    const uint8_t one[] = {0};
    assert_int_equal(pl_test_parse(parse_shd, one, 0, NULL, 0), PADLOCK_OK);
    assert_int_equal(pl_test_parse(parse_hr, one, 0, NULL, 0), PADLOCK_OK);
    pl_test_parse_fails(parse_shd, one, 1, PADLOCK_E_DECODE,
                        "ServerHelloDone: 1 bytes in a message that is empty");
    pl_test_parse_fails(parse_hr, one, 1, PADLOCK_E_DECODE,
                        "HelloRequest: 1 bytes in a message that is empty");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_key_exchange),
        cmocka_unit_test(test_client_key_exchange),
        cmocka_unit_test(test_certificate_request12),
        cmocka_unit_test(test_new_session_ticket12),
        cmocka_unit_test(test_empty_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
