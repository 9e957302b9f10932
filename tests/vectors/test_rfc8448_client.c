/* RFC 8448 §3 ("Simple 1-RTT Handshake") end to end through the public connection API, every
 * value read from the RFC text: with the trace's client random and X25519 key fed through the
 * random hook and the trace's ClientHello profile, the client sends the RFC's ClientHello
 * record; fed the server's records it sends the RFC's Finished record, logs the RFC's secrets,
 * keeps the RFC's ticket PSK, and its application data and close_notify records are the RFC's.
 * Continuing the trace with the server's keys, the established connection moves records both
 * ways without a single allocation. Verification is off: the RFC's certificate is RSA-1024 and
 * long expired (only the CertificateVerify signature is checked). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "hs/keysched13.h"
#include "hs/suite.h"
#include "record/record.h"
#include "rfc8448_profile.h"
#include "rfc_text.h"
#include "testlib.h"
#include "util/mem.h"

typedef struct bytes {
    uint8_t *p;
    size_t len;
} bytes;

static bytes owned[64];
static size_t num_owned;

static bytes rfc(const char *step, int nth, const char *field) {
    bytes b;
    b.p = pl_rfc8448_value(pl_rfc8448_text, "3", step, nth, field, &b.len);
    if (b.p == NULL) {
        fail_msg("RFC 8448 §3: no \"%s\" in step #%d \"%s\"", field, nth, step);
    }
    assert_true(num_owned < sizeof(owned) / sizeof(owned[0]));
    owned[num_owned++] = b;
    return b;
}

/* The random hook: the queued bytes first (the trace's random, then its X25519 key). */
typedef struct queue_rng {
    uint8_t buf[64];
    size_t len;
    size_t off;
} queue_rng;

static padlock_err queue_rng_fill(void *ctx, uint8_t *out, size_t len) {
    queue_rng *q = ctx;
    if (q->len - q->off < len) {
        return PADLOCK_E_INTERNAL; /* the trace draws exactly what was queued */
    }
    memcpy(out, q->buf + q->off, len);
    q->off += len;
    return PADLOCK_OK;
}

static int64_t fixed_time(void *ctx) {
    (void)ctx;
    return 1546300800; /* 2019-01-01, the RFC's date */
}

/* Key log lines collected by the hook. */
static char keylog[8][256];
static size_t num_keylog;

static void keylog_hook(void *ctx, const char *line) {
    (void)ctx;
    if (num_keylog < 8) {
        snprintf(keylog[num_keylog++], sizeof(keylog[0]), "%s", line);
    }
}

/* Takes everything the connection has to send. */
static bytes take_output(padlock_conn *conn) {
    const uint8_t *p;
    size_t n;
    PL_ASSERT_OK(padlock_conn_output(conn, &p, &n));
    bytes b = {malloc(n + 1), n};
    memcpy(b.p, p, n);
    PL_ASSERT_OK(padlock_conn_output_done(conn, n));
    assert_true(num_owned < sizeof(owned) / sizeof(owned[0]));
    owned[num_owned++] = b;
    return b;
}

static void feed_all(padlock_conn *conn, bytes in) {
    size_t used;
    PL_ASSERT_OK(padlock_conn_input(conn, in.p, in.len, &used));
    assert_int_equal(used, in.len);
}

static void assert_bytes(bytes got, bytes want) {
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.p, want.p, want.len);
}

/* A client configured like the trace's. */
static padlock_conn *rfc_client(padlock_config **out_cfg, queue_rng *q) {
    bytes ch = rfc("{client}  construct a ClientHello", 0, "ClientHello");
    bytes priv = rfc("{client}  create an ephemeral x25519 key pair", 0, "private key");
    memcpy(q->buf, ch.p + 6, 32); /* ClientHello.random: after type, length, version */
    memcpy(q->buf + 32, priv.p, 32);
    q->len = 64;
    q->off = 0;
    padlock_config *cfg;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(cfg));
    PL_ASSERT_OK(padlock_config_set_random_fn(cfg, queue_rng_fill, q));
    PL_ASSERT_OK(padlock_config_set_time_fn(cfg, fixed_time, NULL));
    PL_ASSERT_OK(padlock_config_set_keylog(cfg, keylog_hook, NULL));
    PL_ASSERT_OK(
        padlock_config_set_cipher_suites(cfg, pl_test_rfc8448_suites, pl_test_rfc8448_num_suites));
    PL_ASSERT_OK(pl_config_set_client_profile(cfg, &pl_test_rfc8448_profile));
    padlock_conn *conn;
    PL_ASSERT_OK(padlock_conn_new(cfg, &conn));
    PL_ASSERT_OK(padlock_conn_set_server_name(conn, "server"));
    *out_cfg = cfg;
    return conn;
}

/* Runs the handshake of the trace; returns the connected client. */
static padlock_conn *rfc_handshake(padlock_config **cfg, queue_rng *q) {
    padlock_conn *conn = rfc_client(cfg, q);
    assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_WANT_WRITE);
    bytes ch_record = take_output(conn);
    assert_bytes(ch_record, rfc("{client}  send handshake record", 0, "complete record"));
    assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_WANT_READ);

    feed_all(conn, rfc("{server}  send handshake record", 0, "complete record"));
    assert_false(padlock_conn_handshake_done(conn));
    feed_all(conn, rfc("{server}  send handshake record", 1, "complete record"));
    assert_true(padlock_conn_handshake_done(conn));
    assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_WANT_WRITE);
    bytes fin_record = take_output(conn);
    assert_bytes(fin_record, rfc("{client}  send handshake record", 1, "complete record"));
    assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_WANT_READ);
    return conn;
}

static void free_owned(void) {
    for (size_t i = 0; i < num_owned; i++) {
        free(owned[i].p);
    }
    num_owned = 0;
}

/* "LABEL <random hex> <secret hex>" for a secret of the trace. */
static void expect_keylog(const char *label, const uint8_t *random, bytes secret) {
    char want[256];
    size_t n = (size_t)snprintf(want, sizeof(want), "%s ", label);
    for (size_t i = 0; i < 32; i++) {
        n += (size_t)snprintf(want + n, sizeof(want) - n, "%02x", random[i]);
    }
    n += (size_t)snprintf(want + n, sizeof(want) - n, " ");
    for (size_t i = 0; i < secret.len; i++) {
        n += (size_t)snprintf(want + n, sizeof(want) - n, "%02x", secret.p[i]);
    }
    for (size_t i = 0; i < num_keylog; i++) {
        if (strcmp(keylog[i], want) == 0) {
            return;
        }
    }
    fail_msg("no key log line %s", want);
}

static void test_simple_1rtt(void **state) {
    (void)state;
    num_keylog = 0;
    padlock_config *cfg;
    queue_rng q;
    padlock_conn *conn = rfc_handshake(&cfg, &q);
    assert_int_equal(padlock_conn_version(conn), PADLOCK_TLS13);
    assert_int_equal(padlock_conn_cipher_suite(conn), PADLOCK_TLS_AES_128_GCM_SHA256);
    assert_int_equal(padlock_conn_group(conn), PADLOCK_GROUP_X25519);
    assert_int_equal(padlock_conn_signature_scheme(conn), 0x0804); /* rsa_pss_rsae_sha256 */
    assert_null(padlock_conn_alpn(conn));
    assert_int_equal(padlock_conn_peer_cert_count(conn), 1);
    size_t der_len;
    const uint8_t *der = padlock_conn_peer_cert(conn, 0, &der_len);
    assert_non_null(der);
    assert_int_equal(der[0], 0x30);
    assert_null(padlock_conn_peer_cert(conn, 1, &der_len));

    /* The secrets the trace derives, as key log lines. */
    assert_int_equal(num_keylog, 5);
    expect_keylog("CLIENT_HANDSHAKE_TRAFFIC_SECRET", q.buf,
                  rfc("{server}  derive secret \"tls13 c hs traffic\"", 0, "expanded"));
    expect_keylog("SERVER_HANDSHAKE_TRAFFIC_SECRET", q.buf,
                  rfc("{server}  derive secret \"tls13 s hs traffic\"", 0, "expanded"));
    expect_keylog("CLIENT_TRAFFIC_SECRET_0", q.buf,
                  rfc("{server}  derive secret \"tls13 c ap traffic\"", 0, "expanded"));
    expect_keylog("SERVER_TRAFFIC_SECRET_0", q.buf,
                  rfc("{server}  derive secret \"tls13 s ap traffic\"", 0, "expanded"));
    expect_keylog("EXPORTER_SECRET", q.buf,
                  rfc("{server}  derive secret \"tls13 exp master\"", 0, "expanded"));

    /* The ticket, kept with the PSK the trace computes. */
    feed_all(conn, rfc("{server}  send handshake record", 2, "complete record"));
    assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_WANT_READ);
    const pl_ticket13 *t = conn->tls.tickets.newest;
    assert_non_null(t);
    assert_int_equal(conn->tls.tickets.num, 1);
    bytes psk = rfc("{server}  generate resumption secret \"tls13 resumption\"", 0, "expanded");
    assert_int_equal(t->psk.len, psk.len);
    assert_memory_equal(t->psk.b, psk.p, psk.len);
    assert_int_equal(t->suite, PADLOCK_TLS_AES_128_GCM_SHA256);
    assert_int_equal(t->received_at, fixed_time(NULL));

    /* Application data both ways: the client's record is the RFC's. */
    bytes payload = rfc("{client}  send application_data record", 0, "payload");
    size_t written;
    PL_ASSERT_OK(padlock_conn_write(conn, payload.p, payload.len, &written));
    assert_int_equal(written, payload.len);
    assert_bytes(take_output(conn),
                 rfc("{client}  send application_data record", 0, "complete record"));
    feed_all(conn, rfc("{server}  send application_data record", 0, "complete record"));
    assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_DATA);
    uint8_t buf[64];
    size_t n;
    PL_ASSERT_OK(padlock_conn_read(conn, buf, sizeof(buf), &n));
    bytes server_payload = rfc("{server}  send application_data record", 0, "payload");
    assert_int_equal(n, server_payload.len);
    assert_memory_equal(buf, server_payload.p, n);
    PL_ASSERT_ERR(padlock_conn_read(conn, buf, sizeof(buf), &n), PADLOCK_E_STATE);

    /* close_notify both ways. */
    PL_ASSERT_OK(padlock_conn_close(conn));
    assert_bytes(take_output(conn), rfc("{client}  send alert record", 0, "complete record"));
    PL_ASSERT_ERR(padlock_conn_write(conn, payload.p, payload.len, &written), PADLOCK_E_CLOSED);
    assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_WANT_READ);
    feed_all(conn, rfc("{server}  send alert record", 0, "complete record"));
    assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_CLOSED);
    PL_ASSERT_ERR(padlock_conn_read(conn, buf, sizeof(buf), &n), PADLOCK_E_CLOSED);
    size_t used;
    PL_ASSERT_OK(padlock_conn_input(conn, NULL, 0, &used)); /* EOF after close_notify: clean */
    assert_int_equal(padlock_conn_error(conn), PADLOCK_OK);
    padlock_conn_free(conn);
    padlock_config_free(cfg);
    free_owned();
}

/* Record protection for one direction from a traffic secret of the trace. */
static void trace_dir(pl_record_dir *d, const char *step, uint64_t seq) {
    bytes secret = rfc(step, 0, "expanded");
    pl_ks13_secret s;
    s.hash = &pl_hash_sha256;
    s.len = (uint8_t)secret.len;
    memcpy(s.b, secret.p, secret.len);
    pl_record_keys keys;
    PL_ASSERT_OK(pl_ks13_traffic_keys(&s, &keys, &pl_aead_aes_128_gcm));
    pl_record_dir_init(d);
    PL_ASSERT_OK(pl_record_dir_set_keys(d, &keys));
    d->seq = seq;
}

static uint8_t big_in[PL_RECORD_MAX_RECORD_LEN];
static uint8_t big_out[PL_RECORD_MAX_PLAINTEXT];

/* One round: the "server" seals len bytes to the client, which reads them; the client writes
 * len bytes, which the "server" opens. */
static void round_trip(padlock_conn *conn, pl_record_dir *server_tx, pl_record_dir *server_rx,
                       size_t len, uint8_t fill) {
    memset(big_in + PL_RECORD_HEADER_LEN, fill, len);
    size_t rec_len;
    PL_ASSERT_OK(pl_record_seal(server_tx, PL_CONTENT_APPLICATION_DATA, big_in, sizeof(big_in), len,
                                0, &rec_len));
    size_t used;
    PL_ASSERT_OK(padlock_conn_input(conn, big_in, rec_len, &used));
    assert_int_equal(used, rec_len);
    size_t n;
    PL_ASSERT_OK(padlock_conn_read(conn, big_out, sizeof(big_out), &n));
    assert_int_equal(n, len);
    assert_int_equal(big_out[0], fill);
    assert_int_equal(big_out[len - 1], fill);

    memset(big_out, (uint8_t)(fill + 1), len);
    size_t written;
    PL_ASSERT_OK(padlock_conn_write(conn, big_out, len, &written));
    assert_int_equal(written, len);
    const uint8_t *p;
    PL_ASSERT_OK(padlock_conn_output(conn, &p, &n));
    memcpy(big_in, p, n);
    PL_ASSERT_OK(padlock_conn_output_done(conn, n));
    pl_cur c;
    pl_cur_init(&c, big_in, n);
    pl_record_header h;
    PL_ASSERT_OK(pl_record_header_parse(server_rx, &c, &h));
    assert_int_equal(h.length + PL_RECORD_HEADER_LEN, n);
    pl_record rec;
    PL_ASSERT_OK(pl_record_open(server_rx, &h, big_in + PL_RECORD_HEADER_LEN, &rec));
    assert_int_equal(rec.type, PL_CONTENT_APPLICATION_DATA);
    assert_int_equal(rec.len, len);
    assert_int_equal(rec.data[len - 1], (uint8_t)(fill + 1));
}

/* Continues the trace after its application data with the server's keys: records of every
 * size both ways, and not one allocation once the first of each size was seen. */
static void test_no_allocation_per_record(void **state) {
    (void)state;
    padlock_mem_stats start;
    padlock_mem_get_stats(&start);
    padlock_config *cfg;
    queue_rng q;
    padlock_conn *conn = rfc_handshake(&cfg, &q);
    feed_all(conn, rfc("{server}  send handshake record", 2, "complete record"));
    /* DESIGN.md §11: an idle connection (configuration included, the pool's recycled buffers
     * not: they are shared) stays within 8 KiB of padlock's own memory; handshake state and
     * record buffers are gone. */
    padlock_mem_stats idle;
    padlock_mem_get_stats(&idle);
    assert_null(conn->tls.hs);
    assert_null(conn->tls.rio.rx_buf);
    assert_null(conn->tls.rio.tx_buf);
    assert_true(idle.bytes_in_use - start.bytes_in_use - cfg->pool.cached_bytes <= 8192);
    /* The server sent the ticket (sequence 0) and the trace's application data (1) to come; the
     * client nothing yet. */
    pl_record_dir server_tx, server_rx;
    trace_dir(&server_tx, "{server}  derive secret \"tls13 s ap traffic\"", 1);
    trace_dir(&server_rx, "{server}  derive secret \"tls13 c ap traffic\"", 0);
    static const size_t sizes[] = {1, 100, 1500, 16384};
    for (size_t i = 0; i < 4; i++) {
        round_trip(conn, &server_tx, &server_rx, sizes[i], (uint8_t)i);
    }
    padlock_mem_stats before, after;
    padlock_mem_get_stats(&before);
    for (size_t i = 0; i < 200; i++) {
        round_trip(conn, &server_tx, &server_rx, sizes[i % 4], (uint8_t)i);
    }
    padlock_mem_get_stats(&after);
    assert_int_equal(after.num_allocs - before.num_allocs, 0);
    assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_WANT_READ);
    pl_record_dir_cleanup(&server_tx);
    pl_record_dir_cleanup(&server_rx);
    padlock_conn_free(conn);
    padlock_config_free(cfg);
    free_owned();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_1rtt),
        cmocka_unit_test(test_no_allocation_per_record),
    };
    return cmocka_run_group_tests(tests, pl_rfc8448_setup, pl_rfc8448_teardown);
}
