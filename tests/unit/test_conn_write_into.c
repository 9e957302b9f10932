/* padlock_conn_write_into (src/conn.c) between a padlock client and server in memory
 * (tests/support/pair.c), TLS 1.3 and TLS 1.2: data sealed into the caller's buffer reaches the
 * peer intact, 16 KiB per call with PADLOCK_WRITE_BUFFER_SIZE; what waits goes first (the
 * server's NewSessionTicket, our KeyUpdate and the one the peer asked for); short buffers split
 * records; a buffer too small, len 0, the state errors, a failed connection and bad arguments;
 * and no allocation per record. */
#include <string.h>

#include "allocs.h"
#include "padlock/padlock.h"
#include "pair.h"
#include "testlib.h"

#define DATA_LEN (3 * 16384 + 5)

typedef struct fixture {
    pl_pair pair;
    padlock_config *ccfg;
    padlock_config *scfg;
    uint8_t wire[8 * PADLOCK_WRITE_BUFFER_SIZE];
    size_t wire_len;
    uint8_t data[DATA_LEN];
    uint8_t got[DATA_LEN + 5000];
    uint8_t buf[PADLOCK_READ_BUFFER_SIZE];
} fixture;

static fixture fix;

/* Connects a pair limited to version; with handshake 0 the handshake is left to the test. */
static void open_pair(fixture *f, uint16_t version, int handshake) {
    memset(&f->pair, 0, sizeof(f->pair));
    f->wire_len = 0;
    f->ccfg = pl_pair_client_config();
    f->scfg = pl_pair_server_config("p256");
    PL_ASSERT_OK(padlock_config_set_versions(f->ccfg, version, version));
    PL_ASSERT_OK(padlock_config_set_versions(f->scfg, version, version));
    pl_pair_open(&f->pair, f->ccfg, f->scfg, NULL);
    if (handshake) {
        pl_pair_handshake(&f->pair);
        assert_int_equal(padlock_conn_version(f->pair.server), version);
    }
    for (size_t i = 0; i < sizeof(f->data); i++) {
        f->data[i] = (uint8_t)(i * 37u + 11u);
    }
}

static int setup13(void **state) {
    open_pair(&fix, PADLOCK_TLS13, 1);
    *state = &fix;
    return 0;
}

static int setup12(void **state) {
    open_pair(&fix, PADLOCK_TLS12, 1);
    *state = &fix;
    return 0;
}

static int setup13_no_handshake(void **state) {
    open_pair(&fix, PADLOCK_TLS13, 0);
    *state = &fix;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    pl_pair_close(&f->pair);
    padlock_config_free(f->ccfg);
    padlock_config_free(f->scfg);
    return 0;
}

/* from writes data[0..n) with write_into, cap bytes of wire per call, appending to wire;
 * returns the number of calls. */
static size_t write_into(fixture *f, padlock_conn *from, size_t n, size_t cap) {
    size_t calls = 0;
    for (size_t off = 0; off < n; calls++) {
        size_t w, out_len;
        assert_true(f->wire_len + cap <= sizeof(f->wire));
        PL_ASSERT_OK(padlock_conn_write_into(from, f->data + off, n - off, &w,
                                             f->wire + f->wire_len, cap, &out_len));
        assert_true(out_len > 0 && out_len <= cap);
        off += w;
        f->wire_len += out_len;
    }
    return calls;
}

/* to reads all of wire; returns the application data it got (in f->got). */
static size_t read_all(fixture *f, padlock_conn *to) {
    size_t off = 0, total = 0;
    while (off < f->wire_len) {
        size_t used, n;
        PL_ASSERT_OK(padlock_conn_input_read(to, f->wire + off, f->wire_len - off, &used, f->buf,
                                             sizeof(f->buf), &n));
        assert_true(used > 0 || n > 0);
        assert_true(total + n <= sizeof(f->got));
        memcpy(f->got + total, f->buf, n);
        total += n;
        off += used;
    }
    return total;
}

/* One full record per call with PADLOCK_WRITE_BUFFER_SIZE; the peer reads everything back and
 * nothing waits in the sender afterwards. */
static void test_peer_reads_back(void **state) {
    fixture *f = *state;
    size_t calls = write_into(f, f->pair.client, DATA_LEN, PADLOCK_WRITE_BUFFER_SIZE);
    assert_int_equal(calls, 4);
    assert_int_equal(padlock_conn_status(f->pair.client), PADLOCK_STATUS_WANT_READ);
    assert_int_equal(read_all(f, f->pair.server), DATA_LEN);
    assert_memory_equal(f->got, f->data, DATA_LEN);
}

/* Several records per call in a large buffer, and a short buffer that splits records: the peer
 * reads both back. */
static void test_many_and_short_records(void **state) {
    fixture *f = *state;
    assert_int_equal(write_into(f, f->pair.server, DATA_LEN, 4 * PADLOCK_WRITE_BUFFER_SIZE), 1);
    assert_true(write_into(f, f->pair.server, 5000, 600) >= 9);
    assert_int_equal(read_all(f, f->pair.client), DATA_LEN + 5000);
    assert_memory_equal(f->got, f->data, DATA_LEN);
    assert_memory_equal(f->got + DATA_LEN, f->data, 5000);
}

/* The server's NewSessionTicket, built when the client's Finished arrived, goes out ahead of
 * the first data: the client gets both. */
static void test_ticket_first(void **state) {
    fixture *f = *state;
    padlock_conn *c = f->pair.client;
    padlock_conn *s = f->pair.server;
    while (!padlock_conn_handshake_done(s)) {
        padlock_conn *order[2][2] = {{c, s}, {s, c}};
        for (int k = 0; k < 2 && !padlock_conn_handshake_done(s); k++) {
            const uint8_t *out;
            size_t len, used;
            PL_ASSERT_OK(padlock_conn_output(order[k][0], &out, &len));
            if (len > 0) {
                PL_ASSERT_OK(padlock_conn_input(order[k][1], out, len, &used));
                assert_int_equal(used, len);
                PL_ASSERT_OK(padlock_conn_output_done(order[k][0], len));
            }
        }
    }
    assert_int_equal(padlock_conn_status(s), PADLOCK_STATUS_WANT_WRITE);
    const uint8_t *pending;
    size_t pending_len;
    PL_ASSERT_OK(padlock_conn_output(s, &pending, &pending_len));
    assert_true(pending_len > 0);
    uint8_t ticket_records[2048];
    assert_true(pending_len <= sizeof(ticket_records));
    memcpy(ticket_records, pending, pending_len);

    write_into(f, s, 1000, PADLOCK_WRITE_BUFFER_SIZE);
    assert_memory_equal(f->wire, ticket_records, pending_len);
    assert_int_equal(padlock_conn_status(s), PADLOCK_STATUS_WANT_READ);
    size_t session_len;
    PL_ASSERT_ERR(padlock_conn_export_session(c, NULL, 0, &session_len), PADLOCK_E_STATE);
    assert_int_equal(read_all(f, c), 1000);
    assert_memory_equal(f->got, f->data, 1000);
    PL_ASSERT_ERR(padlock_conn_export_session(c, NULL, 0, &session_len),
                  PADLOCK_E_BUFFER_TOO_SMALL);
    assert_true(session_len > 0);
}

/* RFC 8446 §4.6.3: a KeyUpdate of ours waits and goes first; the peer asked for one back, which
 * it owes until its next data, and write_into pays it first too. Data under the new keys
 * arrives both ways. A buffer shorter than what waits moves part of it and takes no data. */
static void test_key_updates_first(void **state) {
    fixture *f = *state;
    padlock_conn *c = f->pair.client;
    padlock_conn *s = f->pair.server;
    PL_ASSERT_OK(padlock_conn_key_update(s, 1));
    size_t w, out_len;
    PL_ASSERT_OK(padlock_conn_write_into(s, f->data, 100, &w, f->wire, 10, &out_len));
    assert_int_equal(w, 0);
    assert_int_equal(out_len, 10);
    f->wire_len = out_len;
    write_into(f, s, 2000, PADLOCK_WRITE_BUFFER_SIZE);
    assert_int_equal(read_all(f, c), 2000);
    assert_memory_equal(f->got, f->data, 2000);

    assert_int_equal(padlock_conn_status(c), PADLOCK_STATUS_WANT_WRITE);
    f->wire_len = 0;
    /* len 0 moves what waits and takes nothing. */
    PL_ASSERT_OK(padlock_conn_write_into(c, f->data, 0, &w, f->wire, sizeof(f->wire), &out_len));
    assert_int_equal(w, 0);
    assert_true(out_len > 0);
    f->wire_len = out_len;
    assert_int_equal(padlock_conn_status(c), PADLOCK_STATUS_WANT_READ);
    write_into(f, c, 3000, PADLOCK_WRITE_BUFFER_SIZE);
    assert_int_equal(read_all(f, s), 3000);
    assert_memory_equal(f->got, f->data, 3000);
}

/* A close_notify queued by padlock_conn_close waits for padlock_conn_output: write_into says
 * CLOSED and moves nothing. */
static void test_after_close(void **state) {
    fixture *f = *state;
    padlock_conn *c = f->pair.client;
    PL_ASSERT_OK(padlock_conn_close(c));
    size_t w = 1, out_len = 1;
    PL_ASSERT_ERR(padlock_conn_write_into(c, f->data, 10, &w, f->wire, sizeof(f->wire), &out_len),
                  PADLOCK_E_CLOSED);
    assert_int_equal(w, 0);
    assert_int_equal(out_len, 0);
    assert_int_equal(padlock_conn_status(c), PADLOCK_STATUS_WANT_WRITE);
}

/* A failed connection returns its error and leaves its alert for padlock_conn_output. */
static void test_failed(void **state) {
    fixture *f = *state;
    padlock_conn *s = f->pair.server;
    write_into(f, f->pair.client, 500, PADLOCK_WRITE_BUFFER_SIZE);
    f->wire[f->wire_len - 3] ^= 1;
    size_t used, n;
    PL_ASSERT_ERR(
        padlock_conn_input_read(s, f->wire, f->wire_len, &used, f->buf, sizeof(f->buf), &n),
        PADLOCK_E_BAD_RECORD_MAC);
    size_t w = 1, out_len = 1;
    PL_ASSERT_ERR(padlock_conn_write_into(s, f->data, 10, &w, f->wire, sizeof(f->wire), &out_len),
                  PADLOCK_E_BAD_RECORD_MAC);
    assert_int_equal(w, 0);
    assert_int_equal(out_len, 0);
    const uint8_t *alert;
    size_t alert_len;
    PL_ASSERT_OK(padlock_conn_output(s, &alert, &alert_len));
    assert_true(alert_len > 0);
}

/* No room for one byte of data and nothing waiting: BUFFER_TOO_SMALL, the connection is fine
 * and the next call with room works. len 0: nothing to do. */
static void test_buffer_too_small(void **state) {
    fixture *f = *state;
    padlock_conn *c = f->pair.client;
    /* TLS 1.3: header, content type, tag; TLS 1.2 AES-GCM: header, explicit nonce, tag. */
    size_t overhead = padlock_conn_version(c) == PADLOCK_TLS13 ? 5 + 1 + 16 : 5 + 8 + 16;
    size_t w = 1, out_len = 1;
    PL_ASSERT_ERR(padlock_conn_write_into(c, f->data, 10, &w, f->wire, overhead, &out_len),
                  PADLOCK_E_BUFFER_TOO_SMALL);
    assert_int_equal(w, 0);
    assert_int_equal(out_len, 0);
    PL_ASSERT_ERR(padlock_conn_write_into(c, f->data, 10, &w, NULL, 0, &out_len),
                  PADLOCK_E_BUFFER_TOO_SMALL);
    PL_ASSERT_OK(padlock_conn_write_into(c, f->data, 0, &w, NULL, 0, &out_len));
    assert_int_equal(out_len, 0);
    assert_int_equal(padlock_conn_error(c), PADLOCK_OK);
    PL_ASSERT_OK(padlock_conn_write_into(c, f->data, 10, &w, f->wire, overhead + 1, &out_len));
    assert_int_equal(w, 1);
    assert_int_equal(out_len, overhead + 1);
    f->wire_len = out_len;
    assert_int_equal(read_all(f, f->pair.server), 1);
    assert_int_equal(f->got[0], f->data[0]);
}

/* Before the handshake: PADLOCK_E_STATE, and the ClientHello stays for padlock_conn_output. */
static void test_before_handshake(void **state) {
    fixture *f = *state;
    size_t w, out_len;
    PL_ASSERT_ERR(padlock_conn_write_into(f->pair.client, f->data, 10, &w, f->wire, sizeof(f->wire),
                                          &out_len),
                  PADLOCK_E_STATE);
    assert_int_equal(out_len, 0);
    const uint8_t *hello;
    size_t hello_len;
    PL_ASSERT_OK(padlock_conn_output(f->pair.client, &hello, &hello_len));
    assert_true(hello_len > 0);
    assert_int_equal(hello[0], 22); /* a handshake record */
}

static void test_arguments(void **state) {
    fixture *f = *state;
    padlock_conn *c = f->pair.client;
    size_t w, out_len;
    PL_ASSERT_ERR(padlock_conn_write_into(NULL, f->data, 1, &w, f->wire, 100, &out_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_conn_write_into(c, NULL, 1, &w, f->wire, 100, &out_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_conn_write_into(c, f->data, 1, NULL, f->wire, 100, &out_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_conn_write_into(c, f->data, 1, &w, NULL, 100, &out_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_conn_write_into(c, f->data, 1, &w, f->wire, 100, NULL),
                  PADLOCK_E_INVALID_ARGUMENT);
    assert_int_equal(padlock_conn_error(c), PADLOCK_OK);
}

/* The client seals 1 + (i * 997) % 16384 bytes into the wire, the server reads them straight
 * into its buffer. */
static void write_into_read(void *ctx, size_t i) {
    fixture *f = ctx;
    size_t n = 1 + (i * 997) % 16384;
    size_t w, out_len, used, got;
    PL_ASSERT_OK(padlock_conn_write_into(f->pair.client, f->data, n, &w, f->wire,
                                         PADLOCK_WRITE_BUFFER_SIZE, &out_len));
    assert_int_equal(w, n);
    PL_ASSERT_OK(padlock_conn_input_read(f->pair.server, f->wire, out_len, &used, f->buf,
                                         sizeof(f->buf), &got));
    assert_int_equal(used, out_len);
    assert_int_equal(got, n);
}

/* DESIGN.md §11: sealing into the caller's buffer allocates nothing per record, not even the
 * first time (the connection's send buffer is never taken). */
static void test_no_allocation_per_record(void **state) {
    pl_test_expect_no_allocation("padlock_conn_write_into", 300, write_into_read, *state);
}

#define T13(name) cmocka_unit_test_setup_teardown(name, setup13, teardown)
#define T12(name) cmocka_unit_test_setup_teardown(name, setup12, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T13(test_peer_reads_back),
        T13(test_many_and_short_records),
        cmocka_unit_test_setup_teardown(test_ticket_first, setup13_no_handshake, teardown),
        T13(test_key_updates_first),
        T13(test_after_close),
        T13(test_failed),
        T13(test_buffer_too_small),
        cmocka_unit_test_setup_teardown(test_before_handshake, setup13_no_handshake, teardown),
        T13(test_arguments),
        T13(test_no_allocation_per_record),
        T12(test_peer_reads_back),
        T12(test_many_and_short_records),
        T12(test_after_close),
        T12(test_failed),
        T12(test_buffer_too_small),
        T12(test_no_allocation_per_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
