/* ServerHello, HelloRetryRequest and the TLS 1.2 ServerHello: which is which, round trips,
 * every truncation, trailing bytes, bad lengths, value rules, unsolicited extensions, and the
 * RFC 8446 §4.1.3 downgrade sentinels. */
#include <string.h>

#include "msg/msg.h"
#include "parse_check.h"
#include "testlib.h"

static uint8_t g_random[PL_RANDOM_LEN];
static uint8_t g_share[32];
static uint8_t g_msg[1024];
static size_t g_msg_len;
static uint32_t g_offered;

static const uint16_t g_order13[] = {PL_EXT_KEY_SHARE, PL_EXT_SUPPORTED_VERSIONS};
static const uint16_t g_order_hrr[] = {PL_EXT_SUPPORTED_VERSIONS, PL_EXT_KEY_SHARE, PL_EXT_COOKIE};
static const uint16_t g_order12[] = {PL_EXT_RENEGOTIATION_INFO, PL_EXT_EXTENDED_MASTER_SECRET,
                                     PL_EXT_EC_POINT_FORMATS, PL_EXT_ALPN};
static const uint8_t g_ecpf[] = {0};

static void hello(pl_server_hello *sh, const uint8_t *random) {
    memset(sh, 0, sizeof(*sh));
    for (size_t i = 0; i < PL_RANDOM_LEN; i++) {
        g_random[i] = (uint8_t)(0x40 + i);
    }
    memset(g_share, 0x77, sizeof(g_share));
    sh->legacy_version = 0x0303;
    sh->random = random != NULL ? random : g_random;
    pl_cur_init(&sh->session_id, g_random, 32);
    sh->cipher_suite = 0x1301;
    sh->has_extensions = 1;
    sh->exts.selected_version = 0x0304;
    sh->exts.key_share_group = 0x001d;
    pl_cur_init(&sh->exts.key_exchange, g_share, sizeof(g_share));
    pl_cur_init(&sh->exts.cookie, (const uint8_t *)"opaque", 6);
    pl_cur_init(&sh->exts.ec_point_formats, g_ecpf, sizeof(g_ecpf));
    pl_cur_init(&sh->exts.alpn, (const uint8_t *)"h2", 2);
}

static padlock_err build(const pl_server_hello *sh, const uint16_t *order, size_t num) {
    pl_buf b;
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    padlock_err rc = pl_server_hello_build(&b, sh, order, num);
    g_msg_len = b.len;
    return rc;
}

static padlock_err parse_sh(const uint8_t *in, size_t len, pl_errinfo *err) {
    pl_server_hello sh;
    return pl_server_hello_parse(&sh, in, len, g_offered, err);
}

static void parse_ok(pl_server_hello *out) {
    pl_errinfo err;
    pl_errinfo_init(&err);
    assert_int_equal(g_msg[0], PL_HS_SERVER_HELLO);
    padlock_err rc = pl_server_hello_parse(out, g_msg + PL_HS_HEADER_LEN,
                                           g_msg_len - PL_HS_HEADER_LEN, g_offered, &err);
    if (rc != PADLOCK_OK) {
        fail_msg("ServerHello parse: %s", pl_errinfo_message(&err));
    }
    pl_errinfo_cleanup(&err);
}

static void expect_fail(padlock_err code, const char *needle) {
    pl_test_parse_fails(parse_sh, g_msg + PL_HS_HEADER_LEN, g_msg_len - PL_HS_HEADER_LEN, code,
                        needle);
}

static void expect_rebuilds(const pl_server_hello *sh) {
    uint16_t ids[16];
    size_t n;
    PL_ASSERT_OK(pl_exts_ids(&sh->exts, ids, 16, &n));
    uint8_t again[1024];
    pl_buf b;
    pl_buf_init(&b, again, sizeof(again));
    PL_ASSERT_OK(pl_server_hello_build(&b, sh, ids, n));
    assert_int_equal(b.len, g_msg_len);
    assert_memory_equal(again, g_msg, g_msg_len);
}

static void test_tls13_server_hello(void **state) {
    (void)state;
    pl_server_hello in, out;
    hello(&in, NULL);
    PL_ASSERT_OK(build(&in, g_order13, 2));
    g_offered = pl_ext_mask(g_order13, 2);
    parse_ok(&out);
    assert_int_equal(out.kind, PL_EXT_IN_SH);
    assert_int_equal(out.cipher_suite, 0x1301);
    assert_memory_equal(out.random, g_random, PL_RANDOM_LEN);
    assert_int_equal(out.exts.selected_version, 0x0304);
    assert_int_equal(out.exts.key_share_group, 0x001d);
    assert_memory_equal(out.exts.key_exchange.p, g_share, 32);
    expect_rebuilds(&out);
    pl_test_truncations(parse_sh, g_msg + 4, g_msg_len - 4,
                        (const size_t[]){2 + 32 + 1 + 32 + 2 + 1}, 1);
    pl_test_trailing_byte(parse_sh, g_msg + 4, g_msg_len - 4);
}

static void test_hello_retry_request(void **state) {
    (void)state;
    pl_server_hello in, out;
    hello(&in, pl_hrr_random);
    in.exts.key_share_group = 0x0017;
    PL_ASSERT_OK(build(&in, g_order_hrr, 3));
    /* The client offered supported_versions and key_share; the cookie needs no offer. */
    g_offered = pl_ext_bit(PL_EXT_SUPPORTED_VERSIONS) | pl_ext_bit(PL_EXT_KEY_SHARE);
    parse_ok(&out);
    assert_int_equal(out.kind, PL_EXT_IN_HRR);
    assert_int_equal(out.exts.key_share_group, 0x0017);
    assert_int_equal(pl_cur_left(&out.exts.cookie), 6);
    expect_rebuilds(&out);
    pl_test_trailing_byte(parse_sh, g_msg + 4, g_msg_len - 4);
    /* A HelloRetryRequest has no server_share, and must carry supported_versions. */
    const uint16_t share_only[] = {PL_EXT_KEY_SHARE};
    PL_ASSERT_OK(build(&in, share_only, 1));
    expect_fail(PADLOCK_E_MISSING_EXTENSION, "HelloRetryRequest: supported_versions is missing");
    /* Extensions allowed only in a ServerHello are refused in an HRR. */
    const uint16_t with_psk[] = {PL_EXT_SUPPORTED_VERSIONS, PL_EXT_KEY_SHARE};
    PL_ASSERT_OK(build(&in, with_psk, 2));
    g_msg[g_msg_len - 2 - 4] = 0x00; /* key_share -> pre_shared_key (0x0029), same length 2 */
    g_msg[g_msg_len - 2 - 3] = 0x29;
    g_offered = 0xffffffffu;
    expect_fail(PADLOCK_E_ILLEGAL_PARAMETER,
                "HelloRetryRequest: extension pre_shared_key is not allowed");
    /* Without extensions at all it cannot say which version it is for. */
    in.has_extensions = 0;
    PL_ASSERT_ERR(build(&in, NULL, 0), PADLOCK_E_INVALID_ARGUMENT);
}

static void test_tls12_server_hello(void **state) {
    (void)state;
    pl_server_hello in, out;
    hello(&in, NULL);
    pl_server_hello_set_downgrade(g_random, PL_DOWNGRADE_TLS12);
    in.cipher_suite = 0xc02f;
    PL_ASSERT_OK(build(&in, g_order12, 4));
    g_offered = pl_ext_mask(g_order12, 4);
    parse_ok(&out);
    assert_int_equal(out.kind, PL_EXT_IN_SH12);
    assert_int_equal(pl_server_hello_downgrade(out.random), PL_DOWNGRADE_TLS12);
    assert_true(pl_exts_has(&out.exts, PL_EXT_EXTENDED_MASTER_SECRET));
    assert_memory_equal(out.exts.alpn.p, "h2", 2);
    expect_rebuilds(&out);
    /* RFC 5246 §7.4.1.4: what the client did not request is refused. */
    g_offered = pl_ext_mask(g_order12, 3);
    expect_fail(PADLOCK_E_UNSUPPORTED_EXTENSION,
                "ServerHello (TLS 1.2): extension application_layer_protocol_negotiation was not "
                "offered");
    /* A TLS 1.2 ServerHello may end after the compression method. */
    in.has_extensions = 0;
    PL_ASSERT_OK(build(&in, NULL, 0));
    parse_ok(&out);
    assert_false(out.has_extensions);
    assert_int_equal(out.exts.present, 0);
    expect_rebuilds(&out);
    pl_test_truncations(parse_sh, g_msg + 4, g_msg_len - 4, NULL, 0);
    pl_test_trailing_byte(parse_sh, g_msg + 4, g_msg_len - 4);
}

static void test_value_rules(void **state) {
    (void)state;
    pl_server_hello in;
    hello(&in, NULL);
    g_offered = 0xffffffffu;
    /* RFC 8446 §4.1.3: legacy_compression_method must be 0. */
    PL_ASSERT_OK(build(&in, g_order13, 2));
    g_msg[4 + 2 + 32 + 1 + 32 + 2] = 1;
    expect_fail(PADLOCK_E_ILLEGAL_PARAMETER, "ServerHello: compression method 1 is not null");
    /* RFC 8446 §4.2.1: a selected version below TLS 1.3. */
    in.exts.selected_version = 0x0303;
    PL_ASSERT_OK(build(&in, g_order13, 2));
    expect_fail(PADLOCK_E_ILLEGAL_PARAMETER, "supported_versions selects 0x0303");
    /* legacy_session_id_echo<0..32>. */
    in.exts.selected_version = 0x0304;
    PL_ASSERT_OK(build(&in, g_order13, 2));
    g_msg[4 + 2 + 32] = 33;
    expect_fail(PADLOCK_E_DECODE, "ServerHello: malformed input");
    pl_cur_init(&in.session_id, g_msg, 33);
    PL_ASSERT_ERR(build(&in, g_order13, 2), PADLOCK_E_INVALID_ARGUMENT);
    /* Extensions block length past the end, or bytes after it. */
    hello(&in, NULL);
    PL_ASSERT_OK(build(&in, g_order13, 2));
    g_msg[4 + 2 + 32 + 1 + 32 + 2 + 1 + 1] += 1;
    expect_fail(PADLOCK_E_DECODE, NULL);
    g_msg[4 + 2 + 32 + 1 + 32 + 2 + 1 + 1] -= 2;
    expect_fail(PADLOCK_E_DECODE, "ServerHello: bytes follow the extensions block");
    /* A server share for a key exchange the client never offered. */
    PL_ASSERT_OK(build(&in, g_order13, 2));
    g_offered = pl_ext_bit(PL_EXT_SUPPORTED_VERSIONS);
    expect_fail(PADLOCK_E_UNSUPPORTED_EXTENSION,
                "ServerHello: extension key_share was not offered");
    /* A GREASE extension (RFC 8701 §3) in a ServerHello. */
    g_offered = 0xffffffffu;
    g_msg[4 + 2 + 32 + 1 + 32 + 2 + 1 + 2] = 0x4a;
    g_msg[4 + 2 + 32 + 1 + 32 + 2 + 1 + 3] = 0x4a;
    expect_fail(PADLOCK_E_UNSUPPORTED_EXTENSION, "extension 19018 was not offered");
}

static void test_downgrade_sentinels(void **state) {
    (void)state;
    uint8_t random[PL_RANDOM_LEN];
    memset(random, 0x44, sizeof(random));
    assert_int_equal(pl_server_hello_downgrade(random), PL_DOWNGRADE_NONE);
    pl_server_hello_set_downgrade(random, PL_DOWNGRADE_NONE);
    assert_int_equal(random[31], 0x44);
    pl_server_hello_set_downgrade(random, PL_DOWNGRADE_TLS12);
    /* RFC 8446 §4.1.3: 44 4F 57 4E 47 52 44 01, after 24 untouched bytes. */
    const uint8_t tls12[8] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01};
    assert_memory_equal(random + 24, tls12, 8);
    assert_int_equal(random[23], 0x44);
    assert_int_equal(pl_server_hello_downgrade(random), PL_DOWNGRADE_TLS12);
    pl_server_hello_set_downgrade(random, PL_DOWNGRADE_TLS11);
    assert_int_equal(random[31], 0x00);
    assert_int_equal(pl_server_hello_downgrade(random), PL_DOWNGRADE_TLS11);
    random[31] = 0x02;
    assert_int_equal(pl_server_hello_downgrade(random), PL_DOWNGRADE_NONE);
    random[31] = 0x01;
    random[24] = 0x45;
    assert_int_equal(pl_server_hello_downgrade(random), PL_DOWNGRADE_NONE);
    /* The HelloRetryRequest random is the SHA-256 of "HelloRetryRequest" (RFC 8446 §4.1.3). */
    uint8_t digest[32];
    pl_hash(&pl_hash_sha256, (const uint8_t *)"HelloRetryRequest", 17, digest);
    assert_memory_equal(pl_hrr_random, digest, 32);
}

static padlock_err parse_ee(const uint8_t *in, size_t len, pl_errinfo *err) {
    pl_exts e;
    return pl_encrypted_extensions_parse(&e, in, len, g_offered, err);
}

static void test_encrypted_extensions(void **state) {
    (void)state;
    pl_exts in, out;
    memset(&in, 0, sizeof(in));
    const uint8_t groups[] = {0x00, 0x1d};
    pl_cur_init(&in.supported_groups, groups, sizeof(groups));
    pl_cur_init(&in.alpn, (const uint8_t *)"http/1.1", 8);
    in.record_size_limit = 0x4001;
    const uint16_t order[] = {PL_EXT_SUPPORTED_GROUPS, PL_EXT_SERVER_NAME, PL_EXT_ALPN,
                              PL_EXT_RECORD_SIZE_LIMIT, PL_EXT_EARLY_DATA};
    pl_buf b;
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    PL_ASSERT_OK(pl_encrypted_extensions_build(&b, &in, order, 5));
    g_msg_len = b.len;
    assert_int_equal(g_msg[0], PL_HS_ENCRYPTED_EXTENSIONS);
    g_offered = pl_ext_mask(order, 5);
    pl_errinfo err;
    pl_errinfo_init(&err);
    PL_ASSERT_OK(pl_encrypted_extensions_parse(&out, g_msg + 4, g_msg_len - 4, g_offered, &err));
    assert_memory_equal(out.alpn.p, "http/1.1", 8);
    assert_int_equal(out.record_size_limit, 0x4001);
    assert_true(pl_exts_has(&out, PL_EXT_EARLY_DATA));
    uint16_t ids[8];
    size_t n;
    PL_ASSERT_OK(pl_exts_ids(&out, ids, 8, &n));
    uint8_t again[256];
    pl_buf_init(&b, again, sizeof(again));
    PL_ASSERT_OK(pl_encrypted_extensions_build(&b, &out, ids, n));
    assert_int_equal(b.len, g_msg_len);
    assert_memory_equal(again, g_msg, g_msg_len);
    /* An empty block is a legal EncryptedExtensions. */
    const uint8_t empty[] = {0x00, 0x00};
    PL_ASSERT_OK(pl_encrypted_extensions_parse(&out, empty, 2, 0, &err));
    assert_int_equal(out.present, 0);
    pl_test_truncations(parse_ee, g_msg + 4, g_msg_len - 4, NULL, 0);
    pl_test_trailing_byte(parse_ee, g_msg + 4, g_msg_len - 4);
    /* Early data accepted although the client did not ask for it. */
    g_offered = pl_ext_mask(order, 4);
    pl_test_parse_fails(parse_ee, g_msg + 4, g_msg_len - 4, PADLOCK_E_UNSUPPORTED_EXTENSION,
                        "EncryptedExtensions: extension early_data was not offered");
    pl_errinfo_cleanup(&err);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tls13_server_hello),  cmocka_unit_test(test_hello_retry_request),
        cmocka_unit_test(test_tls12_server_hello),  cmocka_unit_test(test_value_rules),
        cmocka_unit_test(test_downgrade_sentinels), cmocka_unit_test(test_encrypted_extensions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
