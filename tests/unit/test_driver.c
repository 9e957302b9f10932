/* The handshake driver (src/hs/driver.c) on a small synthetic table: the start row, the one
 * place where unexpected messages are refused (with what was expected), handlers that move to a
 * state their row does not allow, the change_cipher_spec rule, and handshake state freed on
 * connecting. Then the real tables of both roles: their shape, and docs/state-machine.md, which
 * must be exactly what pl_hs_describe prints (PL_UPDATE_DOCS=1 rewrites it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs/client12.h"
#include "hs/client13.h"
#include "hs/driver.h"
#include "hs/server12.h"
#include "hs/server13.h"
#include "util/mem.h"

#include "testlib.h"

enum { S_A, S_B, S_C, S_NUM };

static int frees;
static int stay_in_b;

static padlock_err start_a(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    assert_null(msg);
    tls->hs = pl_malloc(16);
    *out_next = S_B;
    return PADLOCK_OK;
}

static padlock_err finished_b(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    (void)tls;
    assert_int_equal(msg->type, PL_HS_FINISHED);
    *out_next = stay_in_b ? S_B : S_C;
    return PADLOCK_OK;
}

/* A handler that goes somewhere its row does not allow: a bug the driver must catch. */
static padlock_err astray_b(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    (void)tls;
    (void)msg;
    *out_next = S_A;
    return PADLOCK_OK;
}

static void free_hs(void *hs) {
    frees++;
    pl_free(hs);
}

static const pl_hs_state_desc states[S_NUM] = {{"A", 0}, {"B", 1}, {"C", 0}};
static const pl_hs_row rows[] = {
    {S_A, PL_HS_K_START, 1u << S_B, start_a, "hello"},
    {S_B, PL_HS_K_FINISHED, (1u << S_B) | (1u << S_C), finished_b, NULL},
    {S_B, PL_HS_K_KEY_UPDATE, 1u << S_B, astray_b, NULL},
};
static const pl_hs_table table = {
    .role = "test",
    .states = states,
    .num_states = S_NUM,
    .start = S_A,
    .connected = S_C,
    .rows = rows,
    .num_rows = 3,
    .free_hs = free_hs,
};

typedef struct fixture {
    pl_hs_config cfg;
    pl_pool pool;
    pl_tls tls;
} fixture;

static int setup(void **state) {
    static fixture f;
    memset(&f, 0, sizeof(f));
    pl_pool_init(&f.pool, 0);
    pl_tls_init(&f.tls, &f.cfg, &table, &f.pool);
    frees = 0;
    stay_in_b = 0;
    *state = &f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    pl_tls_cleanup(&f->tls);
    pl_pool_cleanup(&f->pool);
    return 0;
}

static pl_hs_msg message(uint8_t type, const uint8_t *raw, size_t len) {
    pl_hs_msg m = {type, raw + 4, len - 4, raw, len};
    return m;
}

static void test_start_and_connect(void **state) {
    fixture *f = *state;
    assert_true(pl_hs_speaks_first(&table));
    assert_true(pl_hs_speaks_first(&pl_client13_table));
    PL_ASSERT_OK(pl_hs_begin(&f->tls));
    assert_int_equal(f->tls.state, S_B);
    assert_non_null(f->tls.hs);
    PL_ASSERT_ERR(pl_hs_begin(&f->tls), PADLOCK_E_STATE);
    static const uint8_t fin[] = {PL_HS_FINISHED, 0, 0, 0};
    pl_hs_msg m = message(PL_HS_FINISHED, fin, sizeof(fin));
    stay_in_b = 1;
    PL_ASSERT_OK(pl_hs_dispatch(&f->tls, &m));
    assert_int_equal(f->tls.state, S_B);
    assert_false(f->tls.connected);
    stay_in_b = 0;
    PL_ASSERT_OK(pl_hs_dispatch(&f->tls, &m));
    assert_int_equal(f->tls.state, S_C);
    assert_true(f->tls.connected);
    assert_null(f->tls.hs); /* handshake-only state freed on connecting */
    assert_int_equal(frees, 1);
}

static void test_unexpected_message(void **state) {
    fixture *f = *state;
    PL_ASSERT_OK(pl_hs_begin(&f->tls));
    static const uint8_t cert[] = {PL_HS_CERTIFICATE, 0, 0, 0};
    pl_hs_msg m = message(PL_HS_CERTIFICATE, cert, sizeof(cert));
    PL_ASSERT_ERR(pl_hs_dispatch(&f->tls, &m), PADLOCK_E_UNEXPECTED_MESSAGE);
    assert_string_equal(pl_errinfo_message(&f->tls.err),
                        "test handshake: unexpected Certificate in state B (expecting Finished "
                        "or KeyUpdate)");
    assert_int_equal(f->tls.state, S_B);
}

static void test_handler_astray(void **state) {
    fixture *f = *state;
    PL_ASSERT_OK(pl_hs_begin(&f->tls));
    static const uint8_t ku[] = {PL_HS_KEY_UPDATE, 0, 0, 1, 0};
    pl_hs_msg m = message(PL_HS_KEY_UPDATE, ku, sizeof(ku));
    PL_ASSERT_ERR(pl_hs_dispatch(&f->tls, &m), PADLOCK_E_INTERNAL);
    assert_non_null(strstr(pl_errinfo_message(&f->tls.err), "led to state A"));
    assert_int_equal(f->tls.state, S_B);
}

/* RFC 8446 §5: change_cipher_spec is dropped only where the table says (B), never before the
 * start or once connected. */
static void test_change_cipher_spec_rule(void **state) {
    fixture *f = *state;
    uint8_t one = 1;
    pl_record ccs = {PL_CONTENT_CHANGE_CIPHER_SPEC, &one, 1};
    PL_ASSERT_ERR(pl_hs_on_record(&f->tls, &ccs), PADLOCK_E_UNEXPECTED_MESSAGE);
    pl_errinfo_cleanup(&f->tls.err);
    PL_ASSERT_OK(pl_hs_begin(&f->tls));
    PL_ASSERT_OK(pl_hs_on_record(&f->tls, &ccs));
    PL_ASSERT_OK(pl_hs_on_record(&f->tls, &ccs));
    uint8_t fin[] = {PL_HS_FINISHED, 0, 0, 0};
    pl_record hs = {PL_CONTENT_HANDSHAKE, fin, sizeof(fin)};
    PL_ASSERT_OK(pl_hs_on_record(&f->tls, &hs));
    assert_true(f->tls.connected);
    PL_ASSERT_ERR(pl_hs_on_record(&f->tls, &ccs), PADLOCK_E_UNEXPECTED_MESSAGE);
    assert_string_equal(pl_errinfo_message(&f->tls.err),
                        "test handshake: change_cipher_spec in state C");
}

/* Records: several messages in one are each dispatched; one message over two is assembled. */
static void test_records_to_messages(void **state) {
    fixture *f = *state;
    PL_ASSERT_OK(pl_hs_begin(&f->tls));
    stay_in_b = 1;
    uint8_t two[] = {PL_HS_FINISHED, 0, 0, 1, 7, PL_HS_FINISHED, 0, 0};
    pl_record first = {PL_CONTENT_HANDSHAKE, two, sizeof(two)};
    PL_ASSERT_OK(pl_hs_on_record(&f->tls, &first));
    assert_int_equal(f->tls.state, S_B);
    stay_in_b = 0;
    uint8_t rest[] = {0};
    pl_record second = {PL_CONTENT_HANDSHAKE, rest, 1};
    PL_ASSERT_OK(pl_hs_on_record(&f->tls, &second));
    assert_int_equal(f->tls.state, S_C);
}

/* A role that does not speak first (a server) only marks the start. */
static void test_start_without_a_start_row(void **state) {
    (void)state;
    static const pl_hs_row listen[] = {
        {S_A, PL_HS_K_FINISHED, 1u << S_C, finished_b, NULL},
    };
    pl_hs_table t = table;
    t.rows = listen;
    t.num_rows = 1;
    assert_false(pl_hs_speaks_first(&t));
    pl_hs_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    pl_pool pool;
    pl_pool_init(&pool, 0);
    pl_tls tls;
    pl_tls_init(&tls, &cfg, &t, &pool);
    PL_ASSERT_OK(pl_hs_begin(&tls));
    assert_true(tls.started);
    assert_int_equal(tls.state, S_A);
    assert_false(pl_rio_pending(&tls.rio));
    pl_tls_cleanup(&tls);
    pl_pool_cleanup(&pool);
}

static void test_classify(void **state) {
    (void)state;
    uint8_t sh[4 + 2 + 32] = {PL_HS_SERVER_HELLO, 0, 0, 34, 3, 3};
    pl_hs_msg m = message(PL_HS_SERVER_HELLO, sh, sizeof(sh));
    assert_int_equal(pl_hs_classify(&m), PL_HS_K_SERVER_HELLO);
    memcpy(sh + 6, pl_hrr_random, 32);
    assert_int_equal(pl_hs_classify(&m), PL_HS_K_HELLO_RETRY_REQUEST);
    m.body_len = 20; /* too short to hold a random: a (malformed) ServerHello */
    assert_int_equal(pl_hs_classify(&m), PL_HS_K_SERVER_HELLO);
    m.type = 99;
    assert_int_equal(pl_hs_classify(&m), PL_HS_K_OTHER);
    m.type = PL_HS_MESSAGE_HASH; /* never sent on the wire */
    assert_int_equal(pl_hs_classify(&m), PL_HS_K_OTHER);
    assert_string_equal(pl_hs_kind_name(PL_HS_K_HELLO_RETRY_REQUEST), "HelloRetryRequest");
    assert_string_equal(pl_hs_kind_name(200), "unknown handshake message");
}

/* What every TLS 1.3 role's table holds to: rows go from states to states and have handlers;
 * every state but the start is reached by some row and expects some message; change_cipher_spec
 * is dropped exactly in the states ccs_first to ccs_last (RFC 8446 §5). */
static void check_table_shape(const pl_hs_table *t, uint8_t ccs_first, uint8_t ccs_last) {
    uint32_t reached = 0;
    for (size_t i = 0; i < t->num_rows; i++) {
        assert_true(t->rows[i].from < t->num_states);
        assert_true(t->rows[i].next != 0);
        assert_int_equal(t->rows[i].next >> t->num_states, 0);
        assert_non_null(t->rows[i].handle);
        reached |= t->rows[i].next;
    }
    for (uint8_t s = 0; s < t->num_states; s++) {
        assert_true(s == t->start || (reached & (1u << s)) != 0);
        assert_true(pl_hs_expected(t, s) != 0);
        assert_int_equal(t->states[s].ccs_ok, s >= ccs_first && s <= ccs_last);
    }
}

/* The client's table: the shape, with change_cipher_spec dropped from WAIT_SH to
 * WAIT_FINISHED. */
static void test_client_table_shape(void **state) {
    (void)state;
    const pl_hs_table *t = &pl_client13_table;
    check_table_shape(t, PL_C13_WAIT_SH, PL_C13_WAIT_FINISHED);
    assert_int_equal(pl_hs_expected(t, PL_C13_WAIT_CERT_CR),
                     (1u << PL_HS_K_CERTIFICATE) | (1u << PL_HS_K_CERTIFICATE_REQUEST));
    assert_int_equal(pl_hs_expected(t, PL_C13_WAIT_SH_RETRY), 1u << PL_HS_K_SERVER_HELLO);
}

/* The server's table: the same shape; change_cipher_spec is dropped from the wait for the
 * second ClientHello to the wait for the client's Finished. */
static void test_server_table_shape(void **state) {
    (void)state;
    const pl_hs_table *t = &pl_server13_table;
    check_table_shape(t, PL_S13_WAIT_CH2, PL_S13_WAIT_FINISHED);
    for (size_t i = 0; i < t->num_rows; i++) {
        assert_true(t->rows[i].kind != PL_HS_K_START); /* the client speaks first */
    }
    assert_false(pl_hs_speaks_first(t));
    assert_int_equal(pl_hs_expected(t, PL_S13_START), 1u << PL_HS_K_CLIENT_HELLO);
    /* No early data is ever accepted, so EndOfEarlyData is expected nowhere. */
    for (uint8_t s = 0; s < t->num_states; s++) {
        assert_int_equal(pl_hs_expected(t, s) & (1u << PL_HS_K_END_OF_EARLY_DATA), 0);
    }
}

/* The TLS 1.2 server's table: reached from the TLS 1.3 server's START only; its one
 * change_cipher_spec is a row of its own (none is dropped); renegotiation is a row that always
 * fails (no next state). */
static void test_server12_table_shape(void **state) {
    (void)state;
    const pl_hs_table *t = &pl_server12_table;
    assert_ptr_equal(pl_server13_table.handoff, t);
    /* A full handshake waits for the ClientKeyExchange, or the client's Certificate when one
     * was requested; an abbreviated one for the client's change_cipher_spec. */
    assert_int_equal(pl_server13_table.handoff_states,
                     (1u << PL_S12_WAIT_CKE) | (1u << PL_S12_WAIT_CCS) | (1u << PL_S12_WAIT_CERT));
    assert_null(t->handoff);
    for (size_t i = 0; i < t->num_rows; i++) {
        assert_true(t->rows[i].from < t->num_states);
        assert_non_null(t->rows[i].handle);
        assert_true(t->rows[i].next != 0 || t->rows[i].from == PL_S12_CONNECTED);
    }
    for (uint8_t s = 0; s < t->num_states; s++) {
        assert_int_equal(t->states[s].ccs_ok, 0);
    }
    assert_int_equal(pl_hs_expected(t, PL_S12_WAIT_CKE), 1u << PL_HS_K_CLIENT_KEY_EXCHANGE);
    assert_int_equal(pl_hs_expected(t, PL_S12_WAIT_CERT), 1u << PL_HS_K_CERTIFICATE);
    assert_int_equal(pl_hs_expected(t, PL_S12_WAIT_CV), 1u << PL_HS_K_CERTIFICATE_VERIFY);
    assert_int_equal(pl_hs_expected(t, PL_S12_WAIT_CCS), 1u << PL_HS_K_CHANGE_CIPHER_SPEC);
    assert_int_equal(pl_hs_expected(t, PL_S12_WAIT_FINISHED), 1u << PL_HS_K_FINISHED);
    assert_int_equal(pl_hs_expected(t, PL_S12_CONNECTED), 1u << PL_HS_K_CLIENT_HELLO);
}

static const char doc_head[] =
    "# Handshake state machines\n"
    "\n"
    "Generated from the tables in `src/hs/` by `tests/unit/test_driver.c`: do not edit by hand.\n"
    "After changing a table, regenerate with `PL_UPDATE_DOCS=1 build/tests/unit/test_driver`.\n"
    "\n"
    "Each role's handshake is a table of states and transitions (DESIGN.md §6). In each state\n"
    "the driver (`src/hs/driver.c`) accepts only the messages listed for it and answers any\n"
    "other with an `unexpected_message` alert; the row's handler consumes the message, sends\n"
    "what the row says and moves to one of the row's next states. State names follow RFC 8446\n"
    "Appendix A; WAIT_SH_RETRY is the wait for the ServerHello after a HelloRetryRequest, where\n"
    "a second HelloRetryRequest is unexpected (RFC 8446 §4.1.4), and WAIT_CH2 the server's wait\n"
    "for the second ClientHello. The server never accepts early data, so it has no WAIT_EOED\n"
    "(early data a client sends anyway is skipped by the record layer, §4.2.10).\n"
    "The TLS 1.2 server (RFC 5246 §7.3) is entered from the TLS 1.3 server's START when the\n"
    "ClientHello negotiates TLS 1.2; its change_cipher_spec is a step of the table (§7.1).\n"
    "The TLS 1.2 client is entered from the TLS 1.3 client's ServerHello handler when the\n"
    "server selects TLS 1.2: at WAIT_CERT for a full handshake, at WAIT_NST or WAIT_CCS when it\n"
    "resumes our session (§7.3); a NewSessionTicket comes only if the ServerHello announced it\n"
    "(RFC 5077 §3.2).\n"
    "\n";

static void test_state_machine_doc(void **state) {
    (void)state;
    static uint8_t text[32768];
    pl_buf b;
    pl_buf_init(&b, text, sizeof(text));
    PL_ASSERT_OK(pl_buf_bytes(&b, doc_head, strlen(doc_head)));
    PL_ASSERT_OK(pl_hs_describe(&pl_client13_table, &b));
    PL_ASSERT_OK(pl_buf_bytes(&b, "\n", 1));
    PL_ASSERT_OK(pl_hs_describe(&pl_server13_table, &b));
    PL_ASSERT_OK(pl_buf_bytes(&b, "\n", 1));
    PL_ASSERT_OK(pl_hs_describe(&pl_server12_table, &b));
    PL_ASSERT_OK(pl_buf_bytes(&b, "\n", 1));
    PL_ASSERT_OK(pl_hs_describe(&pl_client12_table, &b));
    char path[4096];
    snprintf(path, sizeof(path), "%s/docs/state-machine.md", pl_test_source_dir());
    if (getenv("PL_UPDATE_DOCS") != NULL) {
        assert_int_equal(pl_test_write_file(path, text, b.len), 0);
    }
    size_t len;
    uint8_t *committed = pl_test_read_file(path, &len);
    if (committed == NULL || len != b.len || memcmp(committed, text, len) != 0) {
        free(committed);
        fail_msg("docs/state-machine.md does not match the tables: run PL_UPDATE_DOCS=1 "
                 "build/tests/unit/test_driver and commit the result");
    }
    free(committed);
    assert_non_null(strstr((const char *)text, "| WAIT_SH | HelloRetryRequest | ClientHello | "
                                               "WAIT_SH_RETRY |"));
    assert_non_null(
        strstr((const char *)text, "    WAIT_CV --> WAIT_FINISHED: CertificateVerify\n"));
    assert_non_null(
        strstr((const char *)text, "| WAIT_CERT | Certificate |  | WAIT_CV, WAIT_FINISHED |"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_start_and_connect),
        T(test_unexpected_message),
        T(test_handler_astray),
        T(test_change_cipher_spec_rule),
        T(test_records_to_messages),
        cmocka_unit_test(test_start_without_a_start_row),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_client_table_shape),
        cmocka_unit_test(test_server_table_shape),
        cmocka_unit_test(test_server12_table_shape),
        cmocka_unit_test(test_state_machine_doc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
