/* ClientHello: parse and build round trips (TLS 1.3 and extension-less TLS 1.2 hellos), every
 * truncation, trailing bytes, bad inner lengths, the RFC 8446 §4.1.2 and §9.2 rules for hellos
 * offering TLS 1.3, and the pre_shared_key binders tail. */
#include <string.h>

#include "msg/msg.h"
#include "parse_check.h"
#include "testlib.h"

static uint8_t g_random[PL_RANDOM_LEN];
static const uint8_t g_suites[] = {0x13, 0x01, 0x13, 0x02, 0x0a, 0x0a}; /* GREASE last */
static const uint8_t g_null[] = {0x00};
static const uint8_t g_groups[] = {0x00, 0x1d, 0x00, 0x17};
static const uint8_t g_sigalgs[] = {0x04, 0x03, 0x08, 0x04};
static const uint8_t g_versions13[] = {0x03, 0x04, 0x03, 0x03};
static const uint8_t g_versions12[] = {0x03, 0x03};
static const uint8_t g_modes[] = {PL_PSK_DHE_KE};
static uint8_t g_shares[64];
static uint8_t g_identities[32];
static uint8_t g_binders[64];

/* A TLS 1.3 ClientHello's fields and its extension order. */
static const uint16_t g_order13[] = {PL_EXT_SERVER_NAME, PL_EXT_SUPPORTED_GROUPS,
                                     PL_EXT_SIGNATURE_ALGORITHMS, PL_EXT_SUPPORTED_VERSIONS,
                                     PL_EXT_KEY_SHARE};
#define NUM_ORDER13 (sizeof(g_order13) / sizeof(g_order13[0]))

static void hello13(pl_client_hello *ch) {
    memset(ch, 0, sizeof(*ch));
    for (size_t i = 0; i < PL_RANDOM_LEN; i++) {
        g_random[i] = (uint8_t)(0xa0 + i);
    }
    uint8_t share[32];
    memset(share, 0x33, sizeof(share));
    pl_buf b;
    pl_buf_init(&b, g_shares, sizeof(g_shares));
    PL_ASSERT_OK(pl_ext_key_share_entry_write(&b, 0x001d, share, sizeof(share)));
    ch->legacy_version = 0x0303;
    ch->random = g_random;
    pl_cur_init(&ch->session_id, g_random, 32);
    pl_cur_init(&ch->cipher_suites, g_suites, sizeof(g_suites));
    pl_cur_init(&ch->compression_methods, g_null, sizeof(g_null));
    ch->has_extensions = 1;
    pl_cur_init(&ch->exts.server_name, (const uint8_t *)"example.org", 11);
    pl_cur_init(&ch->exts.supported_groups, g_groups, sizeof(g_groups));
    pl_cur_init(&ch->exts.sig_algs, g_sigalgs, sizeof(g_sigalgs));
    pl_cur_init(&ch->exts.versions, g_versions13, sizeof(g_versions13));
    pl_cur_init(&ch->exts.key_shares, g_shares, b.len);
}

static uint8_t g_msg[4096];
static size_t g_msg_len;

/* Builds into g_msg; returns the builder's result. */
static padlock_err build(const pl_client_hello *ch, const uint16_t *order, size_t num) {
    pl_buf b;
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    padlock_err rc = pl_client_hello_build(&b, ch, order, num);
    g_msg_len = b.len;
    return rc;
}

static padlock_err parse_ch(const uint8_t *in, size_t len, pl_errinfo *err) {
    pl_client_hello ch;
    return pl_client_hello_parse(&ch, in, len, err);
}

/* Parses g_msg's body in place into *out. */
static void parse_ok(pl_client_hello *out) {
    pl_cur c, body;
    uint8_t type;
    pl_cur_init(&c, g_msg, g_msg_len);
    PL_ASSERT_OK(pl_msg_read(&c, &type, &body));
    assert_int_equal(type, PL_HS_CLIENT_HELLO);
    PL_ASSERT_OK(pl_cur_done(&c));
    pl_errinfo err;
    pl_errinfo_init(&err);
    padlock_err rc = pl_client_hello_parse(out, body.p, body.len, &err);
    if (rc != PADLOCK_OK) {
        fail_msg("ClientHello parse: %s", pl_errinfo_message(&err));
    }
    pl_errinfo_cleanup(&err);
}

static void expect_fail(padlock_err code, const char *needle) {
    pl_test_parse_fails(parse_ch, g_msg + PL_HS_HEADER_LEN, g_msg_len - PL_HS_HEADER_LEN, code,
                        needle);
}

/* Rebuilds a parsed hello with the extension order it arrived in; must equal g_msg. */
static void expect_rebuilds(const pl_client_hello *ch) {
    uint16_t ids[32];
    size_t n;
    PL_ASSERT_OK(pl_exts_ids(&ch->exts, ids, 32, &n));
    uint8_t again[4096];
    pl_buf b;
    pl_buf_init(&b, again, sizeof(again));
    PL_ASSERT_OK(pl_client_hello_build(&b, ch, ids, n));
    assert_int_equal(b.len, g_msg_len);
    assert_memory_equal(again, g_msg, g_msg_len);
}

static void test_tls13_round_trip(void **state) {
    (void)state;
    pl_client_hello in, out;
    hello13(&in);
    PL_ASSERT_OK(build(&in, g_order13, NUM_ORDER13));
    parse_ok(&out);
    assert_int_equal(out.legacy_version, 0x0303);
    assert_memory_equal(out.random, g_random, PL_RANDOM_LEN);
    assert_int_equal(pl_cur_left(&out.session_id), 32);
    assert_true(out.has_extensions);
    assert_int_equal(out.exts.present, pl_ext_mask(g_order13, NUM_ORDER13));
    pl_cur suites = out.cipher_suites;
    uint16_t s;
    assert_true(pl_ext_u16_next(&suites, &s) && s == 0x1301);
    assert_true(pl_ext_u16_contains(out.cipher_suites, 0x0a0a)); /* GREASE kept, ignored */
    assert_memory_equal(out.exts.server_name.p, "example.org", 11);
    pl_cur kx;
    assert_true(pl_ext_key_share_find(out.exts.key_shares, 0x001d, &kx));
    assert_int_equal(pl_client_hello_binders_len(&out), 0);
    expect_rebuilds(&out);
}

static void test_truncations_and_trailing(void **state) {
    (void)state;
    pl_client_hello in;
    hello13(&in);
    PL_ASSERT_OK(build(&in, g_order13, NUM_ORDER13));
    const uint8_t *body = g_msg + PL_HS_HEADER_LEN;
    size_t len = g_msg_len - PL_HS_HEADER_LEN;
    /* Cut right after the compression methods, it is a legal hello without extensions. */
    const size_t no_extensions = 2 + 32 + 1 + 32 + 2 + sizeof(g_suites) + 1 + 1;
    pl_test_truncations(parse_ch, body, len, &no_extensions, 1);
    pl_test_trailing_byte(parse_ch, body, len);
}

static void test_tls12_hello_without_extensions(void **state) {
    (void)state;
    pl_client_hello in, out;
    hello13(&in);
    in.has_extensions = 0;
    pl_cur_init(&in.session_id, NULL, 0);
    const uint8_t methods[] = {0x01, 0x00}; /* deflate offered: legal below TLS 1.3 */
    pl_cur_init(&in.compression_methods, methods, sizeof(methods));
    PL_ASSERT_OK(build(&in, NULL, 0));
    parse_ok(&out);
    assert_false(out.has_extensions);
    assert_int_equal(out.exts.present, 0);
    expect_rebuilds(&out);
    /* An empty extensions block is a different, equally legal, encoding. */
    in.has_extensions = 1;
    PL_ASSERT_OK(build(&in, NULL, 0));
    parse_ok(&out);
    assert_true(out.has_extensions);
    expect_rebuilds(&out);
    /* Extensions are requested but the hello has no block to put them in. */
    in.has_extensions = 0;
    PL_ASSERT_ERR(build(&in, g_order13, 1), PADLOCK_E_INVALID_ARGUMENT);
}

/* Writes a ClientHello body by hand: the pieces between the random and the extensions. */
static void raw_hello(const uint8_t *mid, size_t mid_len, const uint8_t *tail, size_t tail_len) {
    size_t n = 0;
    g_msg[n++] = PL_HS_CLIENT_HELLO;
    n += 3;
    g_msg[n++] = 0x03;
    g_msg[n++] = 0x03;
    memset(g_msg + n, 0x11, PL_RANDOM_LEN);
    n += PL_RANDOM_LEN;
    memcpy(g_msg + n, mid, mid_len);
    n += mid_len;
    if (tail_len > 0) {
        memcpy(g_msg + n, tail, tail_len);
    }
    n += tail_len;
    size_t body = n - PL_HS_HEADER_LEN;
    g_msg[1] = (uint8_t)(body >> 16);
    g_msg[2] = (uint8_t)(body >> 8);
    g_msg[3] = (uint8_t)body;
    g_msg_len = n;
}

static void test_bad_inner_lengths(void **state) {
    (void)state;
    /* legacy_session_id<0..32>: 33 bytes. */
    uint8_t mid[64] = {33};
    memcpy(mid + 34, "\x00\x02\x13\x01\x01\x00", 6);
    raw_hello(mid, 40, NULL, 0);
    expect_fail(PADLOCK_E_DECODE, "ClientHello: malformed input");
    /* cipher_suites: odd length, empty. */
    raw_hello((const uint8_t *)"\x00\x00\x03\x13\x01\x13\x01\x00", 8, NULL, 0);
    expect_fail(PADLOCK_E_DECODE, "ClientHello: cipher_suites has an odd length");
    raw_hello((const uint8_t *)"\x00\x00\x00\x01\x00", 5, NULL, 0);
    expect_fail(PADLOCK_E_DECODE, NULL);
    /* legacy_compression_methods<1..2^8-1>: empty. */
    raw_hello((const uint8_t *)"\x00\x00\x02\x13\x01\x00", 6, NULL, 0);
    expect_fail(PADLOCK_E_DECODE, NULL);
    /* Extensions block longer, then shorter, than what follows; a lone byte after it. */
    const uint8_t mid_ok[] = {0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00};
    raw_hello(mid_ok, sizeof(mid_ok), (const uint8_t *)"\x00\x05\x00\x17\x00\x00", 6);
    expect_fail(PADLOCK_E_DECODE, NULL);
    raw_hello(mid_ok, sizeof(mid_ok), (const uint8_t *)"\x00\x03\x00\x17\x00\x00", 6);
    expect_fail(PADLOCK_E_DECODE, NULL);
    raw_hello(mid_ok, sizeof(mid_ok), (const uint8_t *)"\x00\x04\x00\x17\x00\x00\x00", 7);
    expect_fail(PADLOCK_E_DECODE, "ClientHello: bytes follow the extensions block");
    raw_hello(mid_ok, sizeof(mid_ok), (const uint8_t *)"\x00", 1);
    expect_fail(PADLOCK_E_DECODE, NULL);
    /* A well-formed hello of the same shape parses. */
    raw_hello(mid_ok, sizeof(mid_ok), (const uint8_t *)"\x00\x04\x00\x17\x00\x00", 6);
    pl_client_hello ch;
    parse_ok(&ch);
    assert_true(pl_exts_has(&ch.exts, PL_EXT_EXTENDED_MASTER_SECRET));
    /* An extension error is reported as such. */
    raw_hello(mid_ok, sizeof(mid_ok), (const uint8_t *)"\x00\x05\x00\x17\x00\x01\x00", 7);
    expect_fail(PADLOCK_E_DECODE, "ClientHello: extended_master_secret extension must be empty");
}

static void test_compression_rules(void **state) {
    (void)state;
    /* RFC 5246 §7.4.1.2: null must be offered, whatever the version. */
    const uint8_t no_null[] = {0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x01};
    raw_hello(no_null, sizeof(no_null), NULL, 0);
    expect_fail(PADLOCK_E_ILLEGAL_PARAMETER,
                "ClientHello: compression methods do not include null");
    /* RFC 8446 §4.1.2: a TLS 1.3 hello offers exactly {null}. */
    pl_client_hello in;
    hello13(&in);
    const uint8_t two[] = {0x00, 0x01};
    pl_cur_init(&in.compression_methods, two, sizeof(two));
    PL_ASSERT_OK(build(&in, g_order13, NUM_ORDER13));
    expect_fail(PADLOCK_E_ILLEGAL_PARAMETER,
                "ClientHello: TLS 1.3 hello offers compression methods other than null");
    /* The same hello offering only TLS 1.2 is fine. */
    pl_cur_init(&in.exts.versions, g_versions12, sizeof(g_versions12));
    PL_ASSERT_OK(build(&in, g_order13, NUM_ORDER13));
    pl_client_hello out;
    parse_ok(&out);
}

static void test_tls13_mandatory_extensions(void **state) {
    (void)state;
    pl_client_hello in, out;
    hello13(&in);
    /* RFC 8446 §9.2: no PSK, so signature_algorithms and supported_groups are required. */
    const uint16_t no_sigalgs[] = {PL_EXT_SUPPORTED_GROUPS, PL_EXT_SUPPORTED_VERSIONS,
                                   PL_EXT_KEY_SHARE};
    PL_ASSERT_OK(build(&in, no_sigalgs, 3));
    expect_fail(PADLOCK_E_MISSING_EXTENSION,
                "TLS 1.3 hello without pre_shared_key lacks signature_algorithms");
    const uint16_t no_groups[] = {PL_EXT_SIGNATURE_ALGORITHMS, PL_EXT_SUPPORTED_VERSIONS,
                                  PL_EXT_KEY_SHARE};
    PL_ASSERT_OK(build(&in, no_groups, 3));
    expect_fail(PADLOCK_E_MISSING_EXTENSION,
                "TLS 1.3 hello without pre_shared_key lacks supported_groups");
    /* supported_groups and key_share come together. */
    const uint16_t no_shares[] = {PL_EXT_SIGNATURE_ALGORITHMS, PL_EXT_SUPPORTED_GROUPS,
                                  PL_EXT_SUPPORTED_VERSIONS};
    PL_ASSERT_OK(build(&in, no_shares, 3));
    expect_fail(PADLOCK_E_MISSING_EXTENSION, "has supported_groups without key_share");

    /* With a PSK (psk_ke), neither is needed, but key_share still needs supported_groups. */
    uint8_t binder[32];
    memset(binder, 0x42, sizeof(binder));
    pl_buf b;
    pl_buf_init(&b, g_identities, sizeof(g_identities));
    PL_ASSERT_OK(pl_ext_psk_identity_write(&b, (const uint8_t *)"ticket", 6, 7));
    pl_cur_init(&in.exts.psk_identities, g_identities, b.len);
    pl_buf_init(&b, g_binders, sizeof(g_binders));
    PL_ASSERT_OK(pl_ext_psk_binder_write(&b, binder, sizeof(binder)));
    pl_cur_init(&in.exts.psk_binders, g_binders, b.len);
    pl_cur_init(&in.exts.psk_modes, g_modes, sizeof(g_modes));
    const uint16_t psk_only[] = {PL_EXT_SUPPORTED_VERSIONS, PL_EXT_PSK_KEY_EXCHANGE_MODES,
                                 PL_EXT_PRE_SHARED_KEY};
    PL_ASSERT_OK(build(&in, psk_only, 3));
    parse_ok(&out);
    assert_int_equal(out.exts.psk_count, 1);
    /* The binders are the last 2 + 33 bytes of the message (RFC 8446 §4.2.11.2). */
    assert_int_equal(pl_client_hello_binders_len(&out), 35);
    assert_int_equal(pl_client_hello_binders_len(&in), 35);
    assert_memory_equal(g_msg + g_msg_len - 32, binder, 32);
    assert_int_equal(g_msg[g_msg_len - 33], 32);
    expect_rebuilds(&out);
    const uint16_t psk_shares[] = {PL_EXT_SUPPORTED_VERSIONS, PL_EXT_KEY_SHARE,
                                   PL_EXT_PSK_KEY_EXCHANGE_MODES, PL_EXT_PRE_SHARED_KEY};
    PL_ASSERT_OK(build(&in, psk_shares, 4));
    expect_fail(PADLOCK_E_MISSING_EXTENSION, "has key_share without supported_groups");

    /* A hello that does not offer TLS 1.3 is held to none of this. */
    pl_cur_init(&in.exts.versions, g_versions12, sizeof(g_versions12));
    PL_ASSERT_OK(build(&in, no_shares, 3));
    parse_ok(&out);
    const uint16_t nothing_much[] = {PL_EXT_SERVER_NAME};
    PL_ASSERT_OK(build(&in, nothing_much, 1));
    parse_ok(&out);
}

static void test_build_errors(void **state) {
    (void)state;
    pl_client_hello in;
    hello13(&in);
    PL_ASSERT_OK(build(&in, g_order13, NUM_ORDER13));
    size_t full = g_msg_len;
    for (size_t cap = 0; cap < full; cap++) {
        pl_buf b;
        pl_buf_init(&b, g_msg, cap);
        PL_ASSERT_ERR(pl_client_hello_build(&b, &in, g_order13, NUM_ORDER13),
                      PADLOCK_E_BUFFER_TOO_SMALL);
    }
    pl_cur_init(&in.session_id, g_msg, 33);
    PL_ASSERT_ERR(build(&in, g_order13, NUM_ORDER13), PADLOCK_E_INVALID_ARGUMENT);
    hello13(&in);
    pl_cur_init(&in.cipher_suites, g_suites, 3);
    PL_ASSERT_ERR(build(&in, g_order13, NUM_ORDER13), PADLOCK_E_INVALID_ARGUMENT);
    hello13(&in);
    const uint16_t not_in_ch[] = {PL_EXT_SERVER_NAME, PL_EXT_SERVER_NAME};
    PL_ASSERT_ERR(build(&in, not_in_ch, 2), PADLOCK_E_INVALID_ARGUMENT);
}

static void test_handshake_header(void **state) {
    (void)state;
    const uint8_t two[] = {0x18, 0x00, 0x00, 0x01, 0x01, 0x14, 0x00, 0x00, 0x00, 0x0b};
    pl_cur c, body;
    uint8_t type;
    pl_cur_init(&c, two, sizeof(two));
    PL_ASSERT_OK(pl_msg_read(&c, &type, &body));
    assert_int_equal(type, PL_HS_KEY_UPDATE);
    assert_int_equal(pl_cur_left(&body), 1);
    PL_ASSERT_OK(pl_msg_read(&c, &type, &body));
    assert_int_equal(type, PL_HS_FINISHED);
    assert_int_equal(pl_cur_left(&body), 0);
    /* A header announcing more than is there leaves the cursor where it was. */
    PL_ASSERT_ERR(pl_msg_read(&c, &type, &body), PADLOCK_E_DECODE);
    assert_int_equal(pl_cur_left(&c), 1);
    pl_cur_init(&c, two, 3);
    PL_ASSERT_ERR(pl_msg_read(&c, &type, &body), PADLOCK_E_DECODE);
    assert_int_equal(pl_cur_left(&c), 3);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tls13_round_trip),
        cmocka_unit_test(test_truncations_and_trailing),
        cmocka_unit_test(test_tls12_hello_without_extensions),
        cmocka_unit_test(test_bad_inner_lengths),
        cmocka_unit_test(test_compression_rules),
        cmocka_unit_test(test_tls13_mandatory_extensions),
        cmocka_unit_test(test_build_errors),
        cmocka_unit_test(test_handshake_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
