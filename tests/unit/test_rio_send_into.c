/* The record stream sealing into the caller's storage (pl_rio_send_app_into, src/record/rio.c),
 * TLS 1.3 and TLS 1.2 (AES-GCM with its explicit nonce, ChaCha20-Poly1305 without), and under a
 * record size limit (RFC 8449): the same wire bytes as pl_rio_send_app and pl_rio_output for
 * the same keys and sequence numbers, waiting bytes moved first and in order, records split
 * when dst is short, nothing sealed when not even one byte of data fits, the peer opening
 * everything, and nothing allocated or taken from the pool per record. */
#include <string.h>

#include "allocs.h"
#include "record/rio.h"
#include "testlib.h"
#include "util/mem.h"

#define WIRE_CAP (8 * PL_RECORD_MAX_RECORD_LEN)

typedef struct fixture {
    pl_pool pool;
    pl_rio ref;  /* seals the copying way: pl_rio_send_app, pl_rio_output */
    pl_rio into; /* the same keys, sealing with pl_rio_send_app_into */
    pl_rio rx;   /* the peer of into */
    uint8_t ref_wire[WIRE_CAP];
    size_t ref_len;
    uint8_t wire[WIRE_CAP];
    size_t wire_len;
    uint8_t data[4 * PL_RECORD_MAX_PLAINTEXT];
    uint8_t plain[5 * PL_RECORD_MAX_PLAINTEXT];
    size_t plain_len;
    uint8_t dst[PL_RECORD_MAX_RECORD_LEN];
} fixture;

static void keys_for(pl_record_keys *keys, pl_record_prot prot, const pl_aead_alg *aead) {
    memset(keys, 0, sizeof(*keys));
    keys->prot = prot;
    keys->aead = aead;
    memset(keys->key, 0x42, sizeof(keys->key));
    memset(keys->iv, 0x17, sizeof(keys->iv));
}

static int setup_with(void **state, pl_record_prot prot, const pl_aead_alg *aead,
                      uint16_t size_limit) {
    static fixture f;
    memset(&f, 0, sizeof(f));
    pl_pool_init(&f.pool, 64 * 1024);
    pl_rio_init(&f.ref, &f.pool, 1 << 16);
    pl_rio_init(&f.into, &f.pool, 1 << 16);
    pl_rio_init(&f.rx, &f.pool, 1 << 16);
    pl_record_keys keys;
    keys_for(&keys, prot, aead);
    PL_ASSERT_OK(pl_rio_set_write_keys(&f.ref, &keys));
    keys_for(&keys, prot, aead);
    PL_ASSERT_OK(pl_rio_set_write_keys(&f.into, &keys));
    keys_for(&keys, prot, aead);
    PL_ASSERT_OK(pl_rio_set_read_keys(&f.rx, &keys));
    if (size_limit != 0) {
        PL_ASSERT_OK(pl_record_dir_set_size_limit(&f.ref.tx, size_limit));
        PL_ASSERT_OK(pl_record_dir_set_size_limit(&f.into.tx, size_limit));
        PL_ASSERT_OK(pl_record_dir_set_size_limit(&f.rx.rx, size_limit));
    }
    for (size_t i = 0; i < sizeof(f.data); i++) {
        f.data[i] = (uint8_t)(i * 31u + 7u);
    }
    *state = &f;
    return 0;
}

static int setup13(void **state) {
    return setup_with(state, PL_RECORD_TLS13, &pl_aead_aes_128_gcm, 0);
}

static int setup12(void **state) {
    return setup_with(state, PL_RECORD_TLS12, &pl_aead_aes_128_gcm, 0);
}

static int setup12_chacha(void **state) {
    return setup_with(state, PL_RECORD_TLS12, &pl_aead_chacha20_poly1305, 0);
}

static int setup13_limit(void **state) {
    return setup_with(state, PL_RECORD_TLS13, &pl_aead_aes_128_gcm, 1000);
}

static int teardown(void **state) {
    fixture *f = *state;
    pl_rio_cleanup(&f->ref);
    pl_rio_cleanup(&f->into);
    pl_rio_cleanup(&f->rx);
    pl_pool_cleanup(&f->pool);
    return 0;
}

/* Record overhead of the direction: header, explicit nonce, content type, tag. */
static size_t overhead(const pl_rio *r) {
    return pl_record_seal_prefix(&r->tx) + pl_record_seal_suffix(&r->tx, 0);
}

/* Appends everything ref has sealed to ref_wire. */
static void ref_take(fixture *f) {
    PL_ASSERT_OK(pl_rio_flush(&f->ref));
    const uint8_t *p;
    size_t len;
    pl_rio_output(&f->ref, &p, &len);
    assert_true(f->ref_len + len <= WIRE_CAP);
    memcpy(f->ref_wire + f->ref_len, p, len);
    f->ref_len += len;
    PL_ASSERT_OK(pl_rio_output_done(&f->ref, len));
}

/* ref writes data[0..n) the copying way, sending after each record. */
static void ref_write(fixture *f, size_t n) {
    for (size_t off = 0; off < n;) {
        size_t w;
        PL_ASSERT_OK(pl_rio_send_app(&f->ref, f->data + off, n - off, &w));
        assert_true(w > 0);
        off += w;
        ref_take(f);
    }
}

/* into writes data[0..n) into wire with calls of at most cap bytes of dst each. */
static void into_write(fixture *f, size_t n, size_t cap) {
    for (size_t off = 0; off < n;) {
        size_t w, out_len;
        assert_true(f->wire_len + cap <= WIRE_CAP);
        PL_ASSERT_OK(pl_rio_send_app_into(&f->into, f->data + off, n - off, f->wire + f->wire_len,
                                          cap, &w, &out_len));
        assert_true(out_len > 0);
        off += w;
        f->wire_len += out_len;
    }
}

/* rx opens all of wire; the application data lands in plain. */
static void rx_read_all(fixture *f) {
    size_t off = 0;
    while (off < f->wire_len) {
        size_t used;
        pl_record *rec;
        PL_ASSERT_OK(
            pl_rio_receive(&f->rx, f->wire + off, f->wire_len - off, NULL, 0, &used, &rec));
        assert_non_null(rec);
        off += used;
        if (rec->type == PL_CONTENT_APPLICATION_DATA) {
            assert_true(f->plain_len + rec->len <= sizeof(f->plain));
            memcpy(f->plain + f->plain_len, rec->data, rec->len);
            f->plain_len += rec->len;
        }
        pl_rio_release(&f->rx);
    }
}

/* With room for whole records: the same bytes as the copying way, for lengths from one byte to
 * several records, in one call per record or all records in one call; the peer reads it back. */
static void test_same_wire_bytes(void **state) {
    fixture *f = *state;
    static const size_t lens[] = {1, 100, PL_RECORD_MAX_PLAINTEXT, 3 * PL_RECORD_MAX_PLAINTEXT + 5};
    size_t total = 0;
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        ref_write(f, lens[i]);
        into_write(f, lens[i],
                   i % 2 == 0 ? PL_RECORD_MAX_RECORD_LEN : 4 * PL_RECORD_MAX_RECORD_LEN);
        total += lens[i];
    }
    assert_int_equal(f->wire_len, f->ref_len);
    assert_memory_equal(f->wire, f->ref_wire, f->ref_len);
    assert_int_equal(f->into.tx.seq, f->ref.tx.seq);
    /* Nothing went through the stream's own buffer. */
    assert_null(f->into.tx_buf);
    rx_read_all(f);
    assert_int_equal(f->plain_len, total);
    size_t off = 0;
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        assert_memory_equal(f->plain + off, f->data, lens[i]);
        off += lens[i];
    }
}

/* Everything that waits (a record sealed the copying way, a handshake message, an alert) goes
 * first and in order, then the data behind it in the same call; the stream gives its buffer
 * back. */
static void test_waiting_bytes_first(void **state) {
    fixture *f = *state;
    /* A NewSessionTicket-shaped message: type 4, 24-bit length, body. */
    static const uint8_t msg[] = {4, 0, 0, 6, 1, 2, 3, 4, 5, 6};
    for (int k = 0; k < 2; k++) {
        pl_rio *r = k == 0 ? &f->ref : &f->into;
        size_t w;
        PL_ASSERT_OK(pl_rio_send_app(r, f->data, 500, &w));
        assert_int_equal(w, 500);
        PL_ASSERT_OK(pl_rio_send_handshake(r, msg, sizeof(msg)));
        PL_ASSERT_OK(pl_rio_send_alert(r, PL_ALERT_WARNING, 90));
    }
    ref_take(f);
    ref_write(f, 2000);
    into_write(f, 2000, 3 * PL_RECORD_MAX_RECORD_LEN);
    assert_int_equal(f->wire_len, f->ref_len);
    assert_memory_equal(f->wire, f->ref_wire, f->ref_len);
    assert_false(pl_rio_pending(&f->into));
    assert_null(f->into.tx_buf);
    rx_read_all(f);
    assert_int_equal(f->plain_len, 2500);
}

/* dst shorter than what waits: as much as fits moves, nothing is sealed, the rest moves next
 * time, ahead of the data; the bytes are those of the copying way. */
static void test_waiting_bytes_over_calls(void **state) {
    fixture *f = *state;
    for (int k = 0; k < 2; k++) {
        pl_rio *r = k == 0 ? &f->ref : &f->into;
        size_t w;
        PL_ASSERT_OK(pl_rio_send_app(r, f->data, 300, &w));
    }
    ref_take(f);
    ref_write(f, 700);
    size_t waiting = f->into.tx_len - f->into.tx_sent;
    size_t w, out_len;
    PL_ASSERT_OK(pl_rio_send_app_into(&f->into, f->data, 700, f->wire, waiting - 10, &w, &out_len));
    assert_int_equal(w, 0);
    assert_int_equal(out_len, waiting - 10);
    assert_int_equal(f->into.tx_len - f->into.tx_sent, 10);
    uint64_t seq = f->into.tx.seq;
    f->wire_len = out_len;
    PL_ASSERT_OK(pl_rio_send_app_into(&f->into, f->data, 700, f->wire + f->wire_len,
                                      PL_RECORD_MAX_RECORD_LEN, &w, &out_len));
    assert_int_equal(w, 700);
    assert_int_equal(f->into.tx.seq, seq + 1);
    f->wire_len += out_len;
    assert_int_equal(f->wire_len, f->ref_len);
    assert_memory_equal(f->wire, f->ref_wire, f->ref_len);
}

/* A short dst splits the data: the first record takes what fits, exactly filling dst; the peer
 * reads it back whole. */
static void test_short_dst_splits(void **state) {
    fixture *f = *state;
    size_t cap = 700;
    size_t w, out_len;
    PL_ASSERT_OK(pl_rio_send_app_into(&f->into, f->data, 5000, f->wire, cap, &w, &out_len));
    assert_int_equal(out_len, cap);
    assert_int_equal(w, cap - overhead(&f->into));
    size_t off = w;
    f->wire_len = out_len;
    /* len 0 with nothing waiting: nothing happens. */
    PL_ASSERT_OK(
        pl_rio_send_app_into(&f->into, f->data, 0, f->wire + f->wire_len, cap, &w, &out_len));
    assert_int_equal(w, 0);
    assert_int_equal(out_len, 0);
    while (off < 5000) {
        PL_ASSERT_OK(pl_rio_send_app_into(&f->into, f->data + off, 5000 - off,
                                          f->wire + f->wire_len, cap, &w, &out_len));
        assert_true(w > 0);
        off += w;
        f->wire_len += out_len;
    }
    rx_read_all(f);
    assert_int_equal(f->plain_len, 5000);
    assert_memory_equal(f->plain, f->data, 5000);
}

/* Later records in one call are whole: the tail of dst that cannot hold a whole record (or the
 * rest of the data) stays unused. */
static void test_later_records_whole(void **state) {
    fixture *f = *state;
    size_t max = pl_record_max_payload(&f->into.tx);
    size_t full = max + overhead(&f->into);
    size_t w, out_len;
    PL_ASSERT_OK(
        pl_rio_send_app_into(&f->into, f->data, 3 * max, f->wire, 2 * full - 1, &w, &out_len));
    assert_int_equal(w, max);
    assert_int_equal(out_len, full);
    /* The rest of the data fits: a short last record. */
    PL_ASSERT_OK(pl_rio_send_app_into(&f->into, f->data, max + 10, f->wire + out_len,
                                      full + 10 + overhead(&f->into), &w, &out_len));
    assert_int_equal(w, max + 10);
    assert_int_equal(out_len, full + 10 + overhead(&f->into));
}

/* No room for one byte of data: nothing sealed, the sequence number unchanged. */
static void test_dst_too_small(void **state) {
    fixture *f = *state;
    size_t w = 1, out_len = 1;
    PL_ASSERT_OK(
        pl_rio_send_app_into(&f->into, f->data, 100, f->wire, overhead(&f->into), &w, &out_len));
    assert_int_equal(w, 0);
    assert_int_equal(out_len, 0);
    assert_int_equal(f->into.tx.seq, 0);
    PL_ASSERT_OK(pl_rio_send_app_into(&f->into, f->data, 100, f->wire, overhead(&f->into) + 1, &w,
                                      &out_len));
    assert_int_equal(w, 1);
    assert_int_equal(out_len, overhead(&f->into) + 1);
    f->wire_len = out_len;
    rx_read_all(f);
    assert_int_equal(f->plain_len, 1);
    assert_int_equal(f->plain[0], f->data[0]);
}

/* A failed seal (the sequence number exhausted, RFC 8446 §5.3) reports nothing and marks
 * nothing sent: what waited still waits. */
static void test_error_marks_nothing_sent(void **state) {
    fixture *f = *state;
    size_t w;
    PL_ASSERT_OK(pl_rio_send_app(&f->into, f->data, 100, &w));
    size_t waiting = f->into.tx_len - f->into.tx_sent;
    f->into.tx.seq = UINT64_MAX;
    size_t out_len = 1;
    PL_ASSERT_ERR(
        pl_rio_send_app_into(&f->into, f->data, 100, f->wire, sizeof(f->wire), &w, &out_len),
        PADLOCK_E_STATE);
    assert_int_equal(w, 0);
    assert_int_equal(out_len, 0);
    assert_int_equal(f->into.tx_len - f->into.tx_sent, waiting);
}

static void seal_into_and_open(void *ctx, size_t i) {
    fixture *f = ctx;
    size_t n = sizeof(f->data) / 4 - i % 7;
    size_t max = pl_record_max_payload(&f->into.tx);
    size_t w, out_len, used;
    /* Room for one whole record. */
    PL_ASSERT_OK(pl_rio_send_app_into(&f->into, f->data, n, f->wire, max + overhead(&f->into), &w,
                                      &out_len));
    assert_int_equal(w, n < max ? n : max);
    pl_record *rec;
    PL_ASSERT_OK(pl_rio_receive(&f->rx, f->wire, out_len, f->dst, sizeof(f->dst), &used, &rec));
    assert_int_equal(used, out_len);
    assert_non_null(rec);
    assert_int_equal(rec->len, w);
    pl_rio_release(&f->rx);
}

/* DESIGN.md §11: sealing into dst allocates nothing and takes no buffer from the pool. */
static void test_no_allocation_per_record(void **state) {
    fixture *f = *state;
    seal_into_and_open(f, 0);
    pl_test_expect_no_allocation("pl_rio_send_app_into", 1000, seal_into_and_open, f);
    assert_null(f->into.tx_buf);
}

#define T(setup, name) cmocka_unit_test_setup_teardown(name, setup, teardown)
#define ALL(setup)                                                                                 \
    T(setup, test_same_wire_bytes), T(setup, test_waiting_bytes_first),                            \
        T(setup, test_waiting_bytes_over_calls), T(setup, test_short_dst_splits),                  \
        T(setup, test_later_records_whole), T(setup, test_dst_too_small),                          \
        T(setup, test_error_marks_nothing_sent), T(setup, test_no_allocation_per_record)

int main(void) {
    const struct CMUnitTest tests[] = {
        ALL(setup13),
        ALL(setup12),
        ALL(setup12_chacha),
        ALL(setup13_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
