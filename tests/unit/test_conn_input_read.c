/* padlock_conn_input_read (src/conn.c) between a padlock client and server in memory
 * (tests/support/pair.c), TLS 1.3 and TLS 1.2: application data decrypted straight into the
 * caller's buffer, the copying read when the buffer is small or the record came in pieces,
 * several records in one input taken one per call, a KeyUpdate and close_notify handled as
 * padlock_conn_input handles them without leaving their bytes in the buffer, a forged record
 * refused with the buffer wiped, and no allocation per record on the direct path. */
#include <string.h>

#include "allocs.h"
#include "padlock/padlock.h"
#include "pair.h"
#include "testlib.h"
#include "util/mem.h"

#define BIG (PADLOCK_READ_BUFFER_SIZE + 100)

typedef struct fixture {
    pl_pair pair;
    padlock_config *ccfg;
    padlock_config *scfg;
    uint8_t wire[8 * 17000];
    size_t wire_len;
    uint8_t data[4 * 16384];
    uint8_t buf[BIG];
} fixture;

static int setup_version(void **state, uint16_t version) {
    static fixture f;
    memset(&f.pair, 0, sizeof(f.pair));
    f.wire_len = 0;
    f.ccfg = pl_pair_client_config();
    f.scfg = pl_pair_server_config("p256");
    PL_ASSERT_OK(padlock_config_set_versions(f.ccfg, version, version));
    PL_ASSERT_OK(padlock_config_set_versions(f.scfg, version, version));
    pl_pair_open(&f.pair, f.ccfg, f.scfg, NULL);
    pl_pair_handshake(&f.pair);
    assert_int_equal(padlock_conn_version(f.pair.server), version);
    for (size_t i = 0; i < sizeof(f.data); i++) {
        f.data[i] = (uint8_t)(i * 29u + 3u);
    }
    *state = &f;
    return 0;
}

static int setup13(void **state) {
    return setup_version(state, PADLOCK_TLS13);
}

static int setup12(void **state) {
    return setup_version(state, PADLOCK_TLS12);
}

static int teardown(void **state) {
    fixture *f = *state;
    pl_pair_close(&f->pair);
    padlock_config_free(f->ccfg);
    padlock_config_free(f->scfg);
    return 0;
}

/* Appends everything conn has to send to the wire; returns how much. */
static size_t take(fixture *f, padlock_conn *conn) {
    size_t total = 0;
    for (;;) {
        const uint8_t *out;
        size_t len;
        PL_ASSERT_OK(padlock_conn_output(conn, &out, &len));
        if (len == 0) {
            return total;
        }
        assert_true(f->wire_len + len <= sizeof(f->wire));
        memcpy(f->wire + f->wire_len, out, len);
        f->wire_len += len;
        total += len;
        PL_ASSERT_OK(padlock_conn_output_done(conn, len));
    }
}

/* The client writes data[0..n) (one record per 16 KiB); returns the wire bytes. */
static size_t client_writes(fixture *f, size_t n) {
    size_t before = f->wire_len;
    for (size_t off = 0; off < n;) {
        size_t w;
        PL_ASSERT_OK(padlock_conn_write(f->pair.client, f->data + off, n - off, &w));
        assert_true(w > 0);
        off += w;
        take(f, f->pair.client);
    }
    return f->wire_len - before;
}

/* A whole 16 KiB record lands in a buffer of PADLOCK_READ_BUFFER_SIZE: all of it consumed, the
 * data in place, zeros after it, nothing left to read. */
static void test_direct(void **state) {
    fixture *f = *state;
    size_t len = client_writes(f, 16384);
    memset(f->buf, 0xee, sizeof(f->buf));
    size_t used, got;
    PL_ASSERT_OK(padlock_conn_input_read(f->pair.server, f->wire, len, &used, f->buf,
                                         PADLOCK_READ_BUFFER_SIZE, &got));
    assert_int_equal(used, len);
    assert_int_equal(got, 16384);
    assert_memory_equal(f->buf, f->data, 16384);
    if (padlock_conn_version(f->pair.server) == PADLOCK_TLS13) {
        /* Decrypted here: the content type byte followed the data, and was cleared. */
        assert_int_equal(f->buf[16384], 0);
    }
    assert_int_equal(f->buf[PADLOCK_READ_BUFFER_SIZE], 0xee);
    assert_int_equal(padlock_conn_status(f->pair.server), PADLOCK_STATUS_WANT_READ);
    assert_int_equal(padlock_conn_input_wanted(f->pair.server), 5);
    PL_ASSERT_ERR(padlock_conn_read(f->pair.server, f->buf, 10, &got), PADLOCK_E_STATE);
}

/* Three records in one input: one per call, each consumed exactly. */
static void test_one_record_per_call(void **state) {
    fixture *f = *state;
    size_t len = client_writes(f, 3 * 16384);
    size_t off = 0;
    for (int k = 0; k < 3; k++) {
        size_t used, got;
        PL_ASSERT_OK(padlock_conn_input_read(f->pair.server, f->wire + off, len - off, &used,
                                             f->buf, sizeof(f->buf), &got));
        assert_int_equal(used, len / 3);
        assert_int_equal(got, 16384);
        assert_memory_equal(f->buf, f->data + k * 16384, 16384);
        off += used;
    }
    assert_int_equal(off, len);
}

/* Smaller buffers: the rest waits in the connection (status DATA) and comes out by
 * padlock_conn_read or the next padlock_conn_input_read, which takes no input meanwhile.
 * 16384 bytes is one short of a TLS 1.3 record's room (content type), not of TLS 1.2's. */
static void test_small_buffer(void **state) {
    fixture *f = *state;
    size_t len = client_writes(f, 2 * 16384);
    size_t used, got;
    PL_ASSERT_OK(padlock_conn_input_read(f->pair.server, f->wire, len, &used, f->buf, 1000, &got));
    assert_int_equal(used, len / 2);
    assert_int_equal(got, 1000);
    assert_memory_equal(f->buf, f->data, 1000);
    assert_int_equal(padlock_conn_status(f->pair.server), PADLOCK_STATUS_DATA);
    size_t used2;
    PL_ASSERT_OK(padlock_conn_input_read(f->pair.server, f->wire + used, len - used, &used2, f->buf,
                                         5000, &got));
    assert_int_equal(used2, 0);
    assert_int_equal(got, 5000);
    assert_memory_equal(f->buf, f->data + 1000, 5000);
    PL_ASSERT_OK(padlock_conn_read(f->pair.server, f->buf, sizeof(f->buf), &got));
    assert_int_equal(got, 16384 - 6000);
    assert_memory_equal(f->buf, f->data + 6000, got);
    PL_ASSERT_OK(padlock_conn_input_read(f->pair.server, f->wire + used, len - used, &used2, f->buf,
                                         16384, &got));
    assert_int_equal(used2, len / 2);
    assert_int_equal(got, 16384);
    assert_memory_equal(f->buf, f->data + 16384, 16384);
}

/* A record in pieces, the first given to padlock_conn_input: the last piece completes it into
 * the buffer. */
static void test_split(void **state) {
    fixture *f = *state;
    size_t len = client_writes(f, 9000);
    size_t used, got;
    PL_ASSERT_OK(padlock_conn_input(f->pair.server, f->wire, 2, &used));
    assert_int_equal(used, 2);
    PL_ASSERT_OK(padlock_conn_input_read(f->pair.server, f->wire + 2, 4000, &used, f->buf,
                                         sizeof(f->buf), &got));
    assert_int_equal(used, 4000);
    assert_int_equal(got, 0);
    PL_ASSERT_OK(padlock_conn_input_read(f->pair.server, f->wire + 4002, len - 4002, &used, f->buf,
                                         sizeof(f->buf), &got));
    assert_int_equal(used, len - 4002);
    assert_int_equal(got, 9000);
    assert_memory_equal(f->buf, f->data, 9000);
}

/* Post-handshake records met on the way: a KeyUpdate asking for ours (TLS 1.3) is handled as
 * padlock_conn_input handles it (we owe and then send our KeyUpdate; data under the new keys
 * still arrives), a close_notify ends the stream; neither leaves bytes in the buffer. */
static void test_key_update_and_close(void **state) {
    fixture *f = *state;
    padlock_conn *c = f->pair.client;
    padlock_conn *s = f->pair.server;
    size_t ku_len = 0;
    if (padlock_conn_version(s) == PADLOCK_TLS13) {
        PL_ASSERT_OK(padlock_conn_key_update(c, 1));
        ku_len = take(f, c);
        assert_true(ku_len > 0);
    }
    size_t data_len = client_writes(f, 700);
    PL_ASSERT_OK(padlock_conn_close(c));
    size_t close_len = take(f, c);
    memset(f->buf, 0xee, sizeof(f->buf));
    size_t used, got;
    if (ku_len > 0) {
        /* The KeyUpdate alone: nothing for the application, the buffer as it was. */
        PL_ASSERT_OK(
            padlock_conn_input_read(s, f->wire, ku_len, &used, f->buf, sizeof(f->buf), &got));
        assert_int_equal(used, ku_len);
        assert_int_equal(got, 0);
        assert_true(pl_ct_is_zero(f->buf, ku_len - 5 - 16));
        assert_int_equal(f->buf[ku_len - 5 - 16], 0xee);
        assert_int_equal(padlock_conn_status(s), PADLOCK_STATUS_WANT_WRITE);
    }
    PL_ASSERT_OK(padlock_conn_input_read(s, f->wire + ku_len, data_len + close_len, &used, f->buf,
                                         sizeof(f->buf), &got));
    assert_int_equal(used, data_len);
    assert_int_equal(got, 700);
    assert_memory_equal(f->buf, f->data, 700);
    memset(f->buf, 0xee, sizeof(f->buf));
    PL_ASSERT_OK(padlock_conn_input_read(s, f->wire + ku_len + data_len, close_len, &used, f->buf,
                                         sizeof(f->buf), &got));
    assert_int_equal(used, close_len);
    assert_int_equal(got, 0);
    if (ku_len > 0) {
        assert_true(pl_ct_is_zero(f->buf, 3)); /* TLS 1.3: decrypted here, then moved out */
    }
    assert_int_equal(f->buf[3], 0xee);
    PL_ASSERT_ERR(padlock_conn_read(s, f->buf, 10, &got), PADLOCK_E_CLOSED);
    if (ku_len > 0) {
        /* Our KeyUpdate went out with the close_notify's answer; the client takes it. */
        assert_true(take(f, s) > 0);
    }
}

/* A forged record: the connection fails with bad_record_mac as with padlock_conn_input, nothing
 * is returned, and the unauthenticated plaintext written into the buffer is wiped. */
static void test_forged(void **state) {
    fixture *f = *state;
    size_t len = client_writes(f, 8000);
    f->wire[len - 20] ^= 0x04;
    memset(f->buf, 0xee, sizeof(f->buf));
    size_t used, got = 99;
    PL_ASSERT_ERR(
        padlock_conn_input_read(f->pair.server, f->wire, len, &used, f->buf, sizeof(f->buf), &got),
        PADLOCK_E_BAD_RECORD_MAC);
    assert_int_equal(got, 0);
    assert_true(pl_ct_is_zero(f->buf, 8000));
    assert_int_equal(padlock_conn_status(f->pair.server), PADLOCK_STATUS_WANT_WRITE);
    PL_ASSERT_ERR(
        padlock_conn_input_read(f->pair.server, f->wire, len, &used, f->buf, sizeof(f->buf), &got),
        PADLOCK_E_BAD_RECORD_MAC);
    assert_int_equal(used, 0);
}

/* Arguments are checked like padlock_conn_input's and padlock_conn_read's. */
static void test_arguments(void **state) {
    fixture *f = *state;
    size_t used, got;
    PL_ASSERT_ERR(padlock_conn_input_read(NULL, f->wire, 1, &used, f->buf, 1, &got),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_conn_input_read(f->pair.server, f->wire, 1, &used, NULL, 1, &got),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_conn_input_read(f->pair.server, f->wire, 1, &used, f->buf, 1, NULL),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_conn_input_read(f->pair.server, NULL, 1, &used, f->buf, 1, &got),
                  PADLOCK_E_INVALID_ARGUMENT);
}

/* The client writes 1 + (i * 997) % 16384 bytes, one record the server reads straight into the
 * buffer. */
static void write_read_direct(void *ctx, size_t i) {
    fixture *f = ctx;
    f->wire_len = 0;
    size_t n = 1 + (i * 997) % 16384;
    size_t len = client_writes(f, n);
    size_t used, got;
    PL_ASSERT_OK(
        padlock_conn_input_read(f->pair.server, f->wire, len, &used, f->buf, sizeof(f->buf), &got));
    assert_int_equal(got, n);
}

/* DESIGN.md §11: the direct path allocates nothing per record (the sender's buffer is pooled
 * after the first record). */
static void test_no_allocation_per_record(void **state) {
    fixture *f = *state;
    size_t used, got;
    size_t len = client_writes(f, 16384);
    PL_ASSERT_OK(
        padlock_conn_input_read(f->pair.server, f->wire, len, &used, f->buf, sizeof(f->buf), &got));
    pl_test_expect_no_allocation("padlock_conn_input_read", 300, write_read_direct, f);
}

#define T13(name) cmocka_unit_test_setup_teardown(name, setup13, teardown)
#define T12(name) cmocka_unit_test_setup_teardown(name, setup12, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T13(test_direct),
        T13(test_one_record_per_call),
        T13(test_small_buffer),
        T13(test_split),
        T13(test_key_update_and_close),
        T13(test_forged),
        T13(test_arguments),
        T13(test_no_allocation_per_record),
        T12(test_direct),
        T12(test_one_record_per_call),
        T12(test_small_buffer),
        T12(test_split),
        T12(test_key_update_and_close),
        T12(test_forged),
        T12(test_no_allocation_per_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
