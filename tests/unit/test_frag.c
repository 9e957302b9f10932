/* Handshake message reassembly: coalesced and fragmented messages (down to 1-byte records),
 * zero-copy hand-out, the RFC 8446 §5.1 rules (interleaving, key changes, empty records), the
 * size limit, and that memory exists only while a message is partial. */
#include <stdlib.h>
#include <string.h>

#include "record/frag.h"
#include "record/record.h"
#include "testlib.h"
#include "util/mem.h"

/* Writes a handshake message of the given type and body length (patterned body) at p and
 * returns its total length. */
static size_t put_msg(uint8_t *p, uint8_t type, uint32_t body_len) {
    p[0] = type;
    p[1] = (uint8_t)(body_len >> 16);
    p[2] = (uint8_t)(body_len >> 8);
    p[3] = (uint8_t)body_len;
    for (uint32_t i = 0; i < body_len; i++) {
        p[4 + i] = (uint8_t)(type + i * 13);
    }
    return 4 + (size_t)body_len;
}

static void expect_msg(pl_frag *f, const uint8_t *want, size_t want_len) {
    pl_hs_msg m;
    int found;
    PL_ASSERT_OK(pl_frag_next(f, &m, &found));
    assert_true(found);
    assert_int_equal(m.raw_len, want_len);
    assert_memory_equal(m.raw, want, want_len);
    assert_int_equal(m.type, want[0]);
    assert_int_equal(m.body_len, want_len - 4);
    assert_ptr_equal(m.body, m.raw + 4);
}

static void expect_none(pl_frag *f) {
    pl_hs_msg m;
    int found;
    PL_ASSERT_OK(pl_frag_next(f, &m, &found));
    assert_false(found);
}

static void test_many_messages_per_record(void **state) {
    (void)state;
    static uint8_t rec[2048];
    size_t a = put_msg(rec, 8, 100);
    size_t b = put_msg(rec + a, 5, 0); /* an empty body (like EndOfEarlyData) */
    size_t c = put_msg(rec + a + b, 20, 32);
    pl_frag f;
    pl_frag_init(&f, 1 << 14);
    padlock_mem_stats before, after;
    padlock_mem_get_stats(&before);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, rec, a + b + c));
    const size_t offs[] = {0, a, a + b};
    const size_t lens[] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        pl_hs_msg m;
        int found;
        PL_ASSERT_OK(pl_frag_next(&f, &m, &found));
        assert_true(found);
        /* Whole messages inside a record are handed out in place. */
        assert_ptr_equal(m.raw, rec + offs[i]);
        assert_int_equal(m.raw_len, lens[i]);
    }
    expect_none(&f);
    padlock_mem_get_stats(&after);
    assert_true(after.num_allocs == before.num_allocs);
    assert_false(pl_frag_pending(&f));
    PL_ASSERT_OK(pl_frag_key_change(&f));
    pl_frag_cleanup(&f);
}

static void test_one_byte_records(void **state) {
    (void)state;
    static uint8_t msgs[1024];
    size_t a = put_msg(msgs, 11, 300);
    size_t b = put_msg(msgs + a, 15, 0);
    size_t c = put_msg(msgs + a + b, 20, 48);
    pl_frag f;
    pl_frag_init(&f, 1 << 14);
    padlock_mem_stats base, now;
    padlock_mem_get_stats(&base);
    const size_t ends[] = {a, a + b, a + b + c};
    int next = 0;
    for (size_t i = 0; i < a + b + c; i++) {
        PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msgs + i, 1));
        pl_hs_msg m;
        int found;
        PL_ASSERT_OK(pl_frag_next(&f, &m, &found));
        if (i + 1 == ends[next]) {
            assert_true(found);
            size_t start = next == 0 ? 0 : ends[next - 1];
            assert_int_equal(m.raw_len, ends[next] - start);
            assert_memory_equal(m.raw, msgs + start, m.raw_len);
            next++;
        } else {
            assert_false(found);
            assert_true(pl_frag_pending(&f));
            PL_ASSERT_ERR(pl_frag_key_change(&f), PADLOCK_E_UNEXPECTED_MESSAGE);
        }
        expect_none(&f);
    }
    assert_int_equal(next, 3);
    /* Each fragmented message with a body cost one allocation of its own size; all are gone
     * now that the last was released (and the empty one needed none). */
    padlock_mem_get_stats(&now);
    assert_true(now.num_allocs - base.num_allocs == 2);
    assert_true(now.bytes_in_use == base.bytes_in_use);
    pl_frag_cleanup(&f);
}

static void test_mixed_fragmentation(void **state) {
    (void)state;
    static uint8_t msgs[4096];
    size_t a = put_msg(msgs, 2, 90);
    size_t b = put_msg(msgs + a, 8, 1200);
    size_t c = put_msg(msgs + a + b, 11, 7);
    size_t d = put_msg(msgs + a + b + c, 15, 260);
    size_t total = a + b + c + d;
    /* record 1: A + half of B; record 2: rest of B + C + 2 header bytes of D; record 3: rest. */
    size_t cut1 = a + 600, cut2 = a + b + c + 2;
    pl_frag f;
    pl_frag_init(&f, 1 << 14);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msgs, cut1));
    expect_msg(&f, msgs, a);
    expect_none(&f);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msgs + cut1, cut2 - cut1));
    expect_msg(&f, msgs + a, b);
    expect_msg(&f, msgs + a + b, c);
    expect_none(&f);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msgs + cut2, total - cut2));
    expect_msg(&f, msgs + a + b + c, d);
    expect_none(&f);
    PL_ASSERT_OK(pl_frag_key_change(&f));
    pl_frag_cleanup(&f);
}

static void test_interleaving(void **state) {
    (void)state;
    static uint8_t msg[64];
    size_t n = put_msg(msg, 4, 40);
    pl_frag f;
    pl_frag_init(&f, 1 << 14);
    /* Other records between whole messages are fine. */
    const uint8_t alert[2] = {1, 0};
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_APPLICATION_DATA, alert, 2));
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msg, n));
    expect_msg(&f, msg, n);
    expect_none(&f);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_ALERT, alert, 2));
    /* RFC 8446 §5.1: but not between the fragments of one message. */
    const uint8_t types[] = {PL_CONTENT_ALERT, PL_CONTENT_APPLICATION_DATA,
                             PL_CONTENT_CHANGE_CIPHER_SPEC};
    for (size_t i = 0; i < sizeof(types); i++) {
        pl_frag_cleanup(&f);
        pl_frag_init(&f, 1 << 14);
        PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msg, 10));
        expect_none(&f);
        PL_ASSERT_ERR(pl_frag_feed(&f, types[i], alert, 2), PADLOCK_E_UNEXPECTED_MESSAGE);
    }
    /* Also when only part of the header has arrived. */
    pl_frag_cleanup(&f);
    pl_frag_init(&f, 1 << 14);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msg, 3));
    expect_none(&f);
    PL_ASSERT_ERR(pl_frag_feed(&f, PL_CONTENT_ALERT, alert, 2), PADLOCK_E_UNEXPECTED_MESSAGE);
    pl_frag_cleanup(&f);
}

static void test_key_change_boundary(void **state) {
    (void)state;
    static uint8_t rec[128];
    size_t a = put_msg(rec, 2, 40);     /* ServerHello */
    size_t b = put_msg(rec + a, 8, 10); /* EncryptedExtensions, wrongly in the same record */
    pl_frag f;
    pl_frag_init(&f, 1 << 14);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, rec, a));
    expect_msg(&f, rec, a);
    PL_ASSERT_OK(pl_frag_key_change(&f)); /* aligned with the record boundary */
    /* RFC 8446 §5.1: a message followed by more bytes in its record cannot precede a key
     * change, whether those bytes were looked at or not. */
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, rec, a + b));
    expect_msg(&f, rec, a);
    PL_ASSERT_ERR(pl_frag_key_change(&f), PADLOCK_E_UNEXPECTED_MESSAGE);
    /* Feeding another record while bytes are unread is a caller error. */
    PL_ASSERT_ERR(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, rec, a), PADLOCK_E_STATE);
    expect_msg(&f, rec + a, b);
    expect_none(&f);
    PL_ASSERT_OK(pl_frag_key_change(&f));
    /* A message begun before the key change. */
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, rec, a - 1));
    expect_none(&f);
    PL_ASSERT_ERR(pl_frag_key_change(&f), PADLOCK_E_UNEXPECTED_MESSAGE);
    pl_frag_cleanup(&f);
}

static void test_empty_record(void **state) {
    (void)state;
    pl_frag f;
    pl_frag_init(&f, 1 << 14);
    const uint8_t dummy = 0;
    /* RFC 8446 §5.1, §5.4: zero-length handshake records are unexpected_message. */
    PL_ASSERT_ERR(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, &dummy, 0), PADLOCK_E_UNEXPECTED_MESSAGE);
    PL_ASSERT_ERR(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, NULL, 0), PADLOCK_E_UNEXPECTED_MESSAGE);
    /* Empty application data records are allowed (cover traffic) and change nothing. */
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_APPLICATION_DATA, NULL, 0));
    expect_none(&f);
    pl_frag_cleanup(&f);
}

static void test_size_limit(void **state) {
    (void)state;
    static uint8_t msg[2048];
    pl_frag f;
    pl_frag_init(&f, 1000);
    padlock_mem_stats before, after;
    padlock_mem_get_stats(&before);
    /* Refused from the header alone: nothing of the body is buffered first. */
    put_msg(msg, 11, 1001);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msg, 4));
    pl_hs_msg m;
    int found;
    PL_ASSERT_ERR(pl_frag_next(&f, &m, &found), PADLOCK_E_HANDSHAKE_TOO_LARGE);
    padlock_mem_get_stats(&after);
    assert_true(after.num_allocs == before.num_allocs);
    assert_int_equal(padlock_err_alert(PADLOCK_E_HANDSHAKE_TOO_LARGE),
                     PADLOCK_ALERT_ILLEGAL_PARAMETER);
    pl_frag_cleanup(&f);
    /* Also when the header itself arrives in pieces. */
    pl_frag_init(&f, 1000);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msg, 2));
    expect_none(&f);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msg + 2, 2));
    PL_ASSERT_ERR(pl_frag_next(&f, &m, &found), PADLOCK_E_HANDSHAKE_TOO_LARGE);
    pl_frag_cleanup(&f);
    /* The largest accepted size, whole and fragmented; and a 2^24 - 1 length header. */
    pl_frag_init(&f, 1000);
    size_t n = put_msg(msg, 11, 1000);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msg, n));
    expect_msg(&f, msg, n);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msg, 500));
    expect_none(&f);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msg + 500, n - 500));
    expect_msg(&f, msg, n);
    const uint8_t huge[4] = {11, 0xff, 0xff, 0xff};
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, huge, 4));
    PL_ASSERT_ERR(pl_frag_next(&f, &m, &found), PADLOCK_E_HANDSHAKE_TOO_LARGE);
    pl_frag_cleanup(&f);
}

static void test_split_header_empty_body(void **state) {
    (void)state;
    const uint8_t msg[4] = {5, 0, 0, 0};
    pl_frag f;
    pl_frag_init(&f, 100);
    padlock_mem_stats before, after;
    padlock_mem_get_stats(&before);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msg, 1));
    expect_none(&f);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msg + 1, 3));
    expect_msg(&f, msg, 4);
    expect_none(&f);
    padlock_mem_get_stats(&after);
    assert_true(after.num_allocs == before.num_allocs);
    PL_ASSERT_OK(pl_frag_key_change(&f));
    pl_frag_cleanup(&f);
}

static void test_memory_only_while_partial(void **state) {
    (void)state;
    static uint8_t msg[3000];
    size_t n = put_msg(msg, 11, 2996);
    padlock_mem_stats base, now;
    padlock_mem_get_stats(&base);
    pl_frag f;
    pl_frag_init(&f, 1 << 14);
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msg, 1000));
    expect_none(&f);
    padlock_mem_get_stats(&now);
    assert_true(now.bytes_in_use - base.bytes_in_use == n); /* exactly the message */
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msg + 1000, n - 1000));
    expect_msg(&f, msg, n); /* still valid: handed out from the buffer */
    expect_none(&f);        /* the next call releases it */
    padlock_mem_get_stats(&now);
    assert_true(now.bytes_in_use == base.bytes_in_use);
    /* Cleanup with a partial message pending frees it. */
    PL_ASSERT_OK(pl_frag_feed(&f, PL_CONTENT_HANDSHAKE, msg, 10));
    expect_none(&f);
    pl_frag_cleanup(&f);
    padlock_mem_get_stats(&now);
    assert_true(now.bytes_in_use == base.bytes_in_use);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_messages_per_record),
        cmocka_unit_test(test_one_byte_records),
        cmocka_unit_test(test_mixed_fragmentation),
        cmocka_unit_test(test_interleaving),
        cmocka_unit_test(test_key_change_boundary),
        cmocka_unit_test(test_empty_record),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_split_header_empty_body),
        cmocka_unit_test(test_memory_only_while_partial),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
