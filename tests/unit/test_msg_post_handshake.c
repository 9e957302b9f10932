/* The post-handshake messages of RFC 8446 §4.6: NewSessionTicket (fields, lifetime limit,
 * early_data, unknown extensions) and KeyUpdate (0 or 1 only). */
#include <string.h>

#include "msg/msg.h"
#include "parse_check.h"
#include "testlib.h"

static uint8_t g_msg[1024];
static size_t g_msg_len;

static padlock_err parse_nst(const uint8_t *in, size_t len, pl_errinfo *err) {
    pl_new_session_ticket t;
    return pl_new_session_ticket_parse(&t, in, len, err);
}

static padlock_err parse_ku(const uint8_t *in, size_t len, pl_errinfo *err) {
    uint8_t request;
    return pl_key_update_parse(&request, in, len, err);
}

static void ticket(pl_new_session_ticket *t, const uint8_t *ticket_bytes, size_t ticket_len) {
    memset(t, 0, sizeof(*t));
    t->lifetime = PL_TICKET_LIFETIME_MAX;
    t->age_add = 0x01020304;
    pl_cur_init(&t->nonce, (const uint8_t *)"\x00\x01", 2);
    pl_cur_init(&t->ticket, ticket_bytes, ticket_len);
    t->exts.max_early_data_size = 0x4000;
}

static padlock_err build(const pl_new_session_ticket *t, const uint16_t *ids, size_t num) {
    pl_buf b;
    pl_buf_init(&b, g_msg, sizeof(g_msg));
    padlock_err rc = pl_new_session_ticket_build(&b, t, ids, num);
    g_msg_len = b.len;
    return rc;
}

static void test_new_session_ticket(void **state) {
    (void)state;
    uint8_t opaque[100];
    memset(opaque, 0xcd, sizeof(opaque));
    pl_new_session_ticket in, out;
    ticket(&in, opaque, sizeof(opaque));
    const uint16_t early[] = {PL_EXT_EARLY_DATA};
    PL_ASSERT_OK(build(&in, early, 1));
    assert_int_equal(g_msg[0], PL_HS_NEW_SESSION_TICKET);
    pl_errinfo err;
    pl_errinfo_init(&err);
    PL_ASSERT_OK(pl_new_session_ticket_parse(&out, g_msg + 4, g_msg_len - 4, &err));
    assert_int_equal(out.lifetime, 604800);
    assert_int_equal(out.age_add, 0x01020304);
    assert_int_equal(pl_cur_left(&out.nonce), 2);
    assert_memory_equal(out.ticket.p, opaque, sizeof(opaque));
    assert_int_equal(out.exts.max_early_data_size, 0x4000);
    uint16_t ids[4];
    size_t n;
    PL_ASSERT_OK(pl_exts_ids(&out.exts, ids, 4, &n));
    uint8_t again[1024];
    pl_buf b;
    pl_buf_init(&b, again, sizeof(again));
    PL_ASSERT_OK(pl_new_session_ticket_build(&b, &out, ids, n));
    assert_int_equal(b.len, g_msg_len);
    assert_memory_equal(again, g_msg, g_msg_len);
    pl_test_truncations(parse_nst, g_msg + 4, g_msg_len - 4, NULL, 0);
    pl_test_trailing_byte(parse_nst, g_msg + 4, g_msg_len - 4);
    pl_errinfo_cleanup(&err);
}

static void test_new_session_ticket_rules(void **state) {
    (void)state;
    uint8_t opaque[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    pl_new_session_ticket in;
    ticket(&in, opaque, sizeof(opaque));
    /* RFC 8446 §4.6.1: no lifetime above 7 days, from either side. */
    PL_ASSERT_OK(build(&in, NULL, 0));
    g_msg[4 + 3] += 1; /* 604801 */
    pl_test_parse_fails(parse_nst, g_msg + 4, g_msg_len - 4, PADLOCK_E_ILLEGAL_PARAMETER,
                        "NewSessionTicket: lifetime 604801 s exceeds 7 days");
    in.lifetime = PL_TICKET_LIFETIME_MAX + 1;
    PL_ASSERT_ERR(build(&in, NULL, 0), PADLOCK_E_INVALID_ARGUMENT);
    /* ticket<1..2^16-1>: an empty ticket is malformed (and cannot be built). */
    ticket(&in, opaque, 0);
    PL_ASSERT_ERR(build(&in, NULL, 0), PADLOCK_E_INVALID_ARGUMENT);
    const uint8_t empty_ticket[] = {0, 0, 0, 1, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x00, 0x00};
    pl_test_parse_fails(parse_nst, empty_ticket, sizeof(empty_ticket), PADLOCK_E_DECODE,
                        "NewSessionTicket: malformed input");
    /* extensions<0..2^16-2>; unknown ones are ignored, early_data must be 4 bytes. */
    const uint8_t unknown_ext[] = {0,    0,    0,    1,    0,    0,    0,    0,    0x00,
                                   0x00, 0x01, 0xee, 0x00, 0x04, 0xfa, 0xfa, 0x00, 0x00};
    pl_errinfo err;
    pl_errinfo_init(&err);
    pl_new_session_ticket out;
    PL_ASSERT_OK(pl_new_session_ticket_parse(&out, unknown_ext, sizeof(unknown_ext), &err));
    assert_int_equal(out.exts.present, 0);
    assert_int_equal(out.lifetime, 1);
    assert_int_equal(pl_cur_left(&out.nonce), 0);
    pl_errinfo_cleanup(&err);
    const uint8_t short_early[] = {0,    0,    0,    1,    0,    0,    0,    0,    0x00, 0x00,
                                   0x01, 0xee, 0x00, 0x06, 0x00, 0x2a, 0x00, 0x02, 0x00, 0x00};
    pl_test_parse_fails(parse_nst, short_early, sizeof(short_early), PADLOCK_E_DECODE,
                        "NewSessionTicket: early_data extension");
    /* Only early_data among known extensions belongs here. */
    const uint8_t with_cookie[] = {0,    0,    0,    1,    0,    0,    0,    0,    0x00, 0x00,
                                   0x01, 0xee, 0x00, 0x06, 0x00, 0x2c, 0x00, 0x02, 0x00, 0x00};
    pl_test_parse_fails(parse_nst, with_cookie, sizeof(with_cookie), PADLOCK_E_ILLEGAL_PARAMETER,
                        "NewSessionTicket: extension cookie is not allowed");
}

static void test_key_update(void **state) {
    (void)state;
    for (uint8_t request = 0; request <= 1; request++) {
        uint8_t msg[8];
        pl_buf b;
        pl_buf_init(&b, msg, sizeof(msg));
        PL_ASSERT_OK(pl_key_update_build(&b, request));
        const uint8_t want[] = {PL_HS_KEY_UPDATE, 0, 0, 1, request};
        assert_int_equal(b.len, sizeof(want));
        assert_memory_equal(msg, want, sizeof(want));
        uint8_t got = 0xff;
        pl_errinfo err;
        pl_errinfo_init(&err);
        PL_ASSERT_OK(pl_key_update_parse(&got, msg + 4, 1, &err));
        assert_int_equal(got, request);
        pl_errinfo_cleanup(&err);
        pl_test_truncations(parse_ku, msg + 4, 1, NULL, 0);
        pl_test_trailing_byte(parse_ku, msg + 4, 1);
    }
    /* RFC 8446 §4.6.3: any other value is illegal_parameter. */
    for (unsigned v = 2; v <= 255; v++) {
        uint8_t byte = (uint8_t)v;
        pl_test_parse_fails(parse_ku, &byte, 1, PADLOCK_E_ILLEGAL_PARAMETER,
                            "KeyUpdate: request_update is");
    }
    pl_test_parse_fails(parse_ku, (const uint8_t *)"\x00\x00", 2, PADLOCK_E_DECODE,
                        "KeyUpdate: body is 2 bytes, not 1");
    uint8_t msg[8];
    pl_buf b;
    pl_buf_init(&b, msg, sizeof(msg));
    PL_ASSERT_ERR(pl_key_update_build(&b, 2), PADLOCK_E_INVALID_ARGUMENT);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_session_ticket),
        cmocka_unit_test(test_new_session_ticket_rules),
        cmocka_unit_test(test_key_update),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
