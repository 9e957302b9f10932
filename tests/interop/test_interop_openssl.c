/* padlock's client against `openssl s_server` on 127.0.0.1: every cipher suite x group x server
 * key (ECDSA P-256/P-384, RSA-2048 signing with PSS, Ed25519) over a two-level chain that padlock
 * verifies; HelloRetryRequest; client certificates requested and required; ALPN; KeyUpdate in
 * both directions; 1 MiB each way; close_notify both ways; the exporter against OpenSSL's; and
 * a wrong name, an untrusted root and an expired leaf, each refused with its own error and
 * alert; and padlock_conn_write_into in both versions. One server process per configuration; every
 * server is stopped by pid. */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client_driver.h"
#include "conn.h"
#include "peer.h"
#include "scenario.h"
#include "testlib.h"

#define READY "ACCEPT"

/* Starts s_server limited to one version (version: "-tls1_3" or "-tls1_2") with the leaf of
 * kind, its issuer and extra options. */
static void start_version(pl_peer *p, const char *version, const char *kind, const char *extra) {
    char line[1024];
    const char *d = pl_interop_certs();
    const char *issuer = strcmp(kind, "rogue") == 0 ? "rogue-root" : "inter";
    snprintf(line, sizeof(line),
             "openssl s_server -accept 127.0.0.1:{port} %s -cert %s/%s.pem -key %s/%s.key "
             "-cert_chain %s/%s.pem %s",
             version, d, kind, d, kind, d, issuer, extra);
    pl_peer_start_line(p, d, READY, NULL, line);
}

/* Starts s_server (TLS 1.3 only) with the leaf of kind, its issuer and extra options. */
static void start(pl_peer *p, const char *kind, const char *extra) {
    start_version(p, "-tls1_3", kind, extra);
}

/* Sends a line to an `s_server -rev` and checks it comes back reversed. */
static void reversed_echo(pl_client *c, const char *text) {
    size_t len = strlen(text);
    char line[256], want[256], got[256];
    snprintf(line, sizeof(line), "%s\n", text);
    for (size_t i = 0; i < len; i++) {
        want[i] = text[len - 1 - i];
    }
    want[len] = '\n';
    pl_client_write_all(c, (const uint8_t *)line, len + 1);
    pl_client_read_exact(c, (uint8_t *)got, len + 1);
    assert_memory_equal(got, want, len + 1);
}

static void test_matrix(void **state) {
    (void)state;
    pl_interop_matrix(start, "-rev", reversed_echo);
}

/* The server accepts only P-384; the client shares an X25519 key and offers P-384 too. */
static void test_hello_retry_request(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p256", "-rev -groups P-384");
    pl_interop_hello_retry(&server, reversed_echo);
    pl_peer_stop(&server);
}

static void test_client_certificate(void **state) {
    (void)state;
    char extra[600];
    /* Requested: with a certificate, and without one (an empty Certificate is fine). */
    snprintf(extra, sizeof(extra), "-rev -verify 1 -CAfile %s/root.pem", pl_interop_certs());
    pl_peer server;
    start(&server, "p256", extra);
    pl_interop_requested_cert(&server, reversed_echo);
    /* The server saw and verified our certificate. */
    assert_true(pl_peer_log_wait(&server, "CN = client p256", 5000));
    pl_peer_stop(&server);

    /* Required: accepted with one; without, the server's certificate_required alert is named. */
    snprintf(extra, sizeof(extra), "-rev -Verify 1 -CAfile %s/root.pem", pl_interop_certs());
    start(&server, "p256", extra);
    pl_interop_required_cert(&server, reversed_echo);
    pl_peer_stop(&server);
}

static void test_alpn(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p256", "-rev -alpn h2,http/1.1");
    pl_interop_alpn(&server, "http/1.1", reversed_echo);
    /* No protocol in common: OpenSSL refuses, and the message names its alert. */
    pl_client_opts o = pl_client_default_opts();
    o.alpn = "spdy/3";
    pl_client c;
    pl_client_open(&c, &o, server.port);
    PL_ASSERT_ERR(padlock_fd_handshake(c.conn, c.fd), PADLOCK_E_PEER_ALERT);
    assert_non_null(strstr(padlock_conn_error_message(c.conn),
                           "peer sent fatal alert no_application_protocol"));
    pl_client_close(&c);
    pl_peer_stop(&server);
}

/* Reads one line the server typed (its stdin) and checks it. */
static void expect_line(pl_client *c, const char *want) {
    char got[128];
    pl_client_read_exact(c, (uint8_t *)got, strlen(want));
    assert_memory_equal(got, want, strlen(want));
}

/* Feeds what the server sends until the client has received want KeyUpdates (10 s at most),
 * with the socket non-blocking so that a KeyUpdate without data behind it is seen. */
static void await_key_updates(pl_client *c, uint32_t want) {
    int flags = fcntl(c->fd, F_GETFL);
    fcntl(c->fd, F_SETFL, flags | O_NONBLOCK);
    for (int i = 0; i < 500 && c->conn->tls.ku_received < want; i++) {
        struct pollfd pfd = {c->fd, POLLIN, 0};
        poll(&pfd, 1, 20);
        uint8_t buf[64];
        size_t n;
        padlock_err rc = padlock_fd_read(c->conn, c->fd, buf, sizeof(buf), &n);
        assert_true(rc == PADLOCK_E_WANT_READ || rc == PADLOCK_OK);
        assert_int_equal(n, 0);
    }
    fcntl(c->fd, F_SETFL, flags);
    assert_int_equal(c->conn->tls.ku_received, want);
}

/* How many times the server's -msg trace shows a KeyUpdate arriving. */
static int key_updates_received_by_server(const pl_peer *p) {
    size_t len;
    char *log = (char *)pl_test_read_file(p->log_path, &len);
    int n = 0;
    for (const char *at = log;
         at != NULL && (at = strstr(at, "<<< TLS 1.3, Handshake [length 0005], "
                                        "KeyUpdate")) != NULL;
         at++) {
        n++;
    }
    free(log);
    return n;
}

static void test_key_update(void **state) {
    (void)state;
    /* s_server's interactive mode: stdin lines are sent, a line "K" sends a KeyUpdate that asks
     * for one back; -msg traces the records it receives. */
    pl_peer server;
    start(&server, "p256", "-msg");
    pl_client_opts o = pl_client_default_opts();
    pl_client c;
    pl_client_connect(&c, &o, server.port);
    const pl_tls *tls = &c.conn->tls;

    /* The client updates and asks the server to: both directions move to new keys. */
    PL_ASSERT_OK(padlock_conn_key_update(c.conn, 1));
    pl_client_write_all(&c, (const uint8_t *)"client-updated\n", 15);
    assert_true(pl_peer_log_wait(&server, "client-updated", 5000));
    pl_peer_stdin(&server, "server-after-request\n");
    expect_line(&c, "server-after-request\n");
    assert_int_equal(tls->ku_sent, 1);
    assert_int_equal(tls->ku_received, 1); /* the server's answer */

    /* The server updates and asks the client to: padlock answers at once. (s_server drops what
     * follows a command in the same read, so the next line waits for the KeyUpdate.) */
    pl_peer_stdin(&server, "K\n");
    await_key_updates(&c, 2);
    assert_int_equal(tls->ku_sent, 2);
    for (int i = 0; i < 250 && key_updates_received_by_server(&server) < 2; i++) {
        poll(NULL, 0, 20);
    }
    assert_int_equal(key_updates_received_by_server(&server), 2);
    pl_peer_stdin(&server, "server-updated\n");
    expect_line(&c, "server-updated\n");
    pl_client_write_all(&c, (const uint8_t *)"client-answered\n", 16);
    assert_true(pl_peer_log_wait(&server, "client-answered", 5000));
    pl_client_finish(&c);
    pl_peer_stop(&server);
}

/* 1 MiB each way through `s_server -rev`, in 64 KiB rounds so that neither side's socket
 * buffers fill up while the other is not reading. */
static void test_one_mebibyte(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "rsa", "-rev");
    pl_client_opts o = pl_client_default_opts();
    pl_interop_one_mebibyte(&server, &o, 1, 1024, 1);
    pl_peer_stop(&server);
}

/* The server closes (s_server -rev closes on "CLOSE"): padlock reads a clean end; and padlock's
 * close_notify reaches the server. */
static void test_close_notify(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "ed25519", "-rev");
    pl_client_opts o = pl_client_default_opts();
    pl_client c;
    pl_client_connect(&c, &o, server.port);
    pl_client_write_all(&c, (const uint8_t *)"CLOSE\n", 6);
    pl_client_expect_clean_end(&c);
    pl_client_finish(&c);

    pl_client_connect(&c, &o, server.port);
    reversed_echo(&c, "bye");
    PL_ASSERT_OK(padlock_fd_close(c.conn, c.fd));
    assert_true(pl_peer_log_wait(&server, "CONNECTION CLOSED", 5000));
    pl_client_close(&c);
    pl_peer_stop(&server);
}

static void test_exporter(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p384", "-keymatexport EXPERIMENTAL-padlock -keymatexportlen 32");
    pl_interop_exporter(&server, 1);
    pl_peer_stop(&server);
}

/* A refused server certificate: the error, its message, and the alert OpenSSL received. */
static void test_wrong_name(void **state) {
    (void)state;
    pl_interop_refused(start, "p256", "", "wrong.example", PADLOCK_E_CERT_NAME_MISMATCH,
                       "wrong.example", "SSL alert number 42");
}

static void test_untrusted_root(void **state) {
    (void)state;
    pl_interop_refused(start, "rogue", "", NULL, PADLOCK_E_CERT_UNTRUSTED, "rogue",
                       "SSL alert number 48");
}

static void test_expired_leaf(void **state) {
    (void)state;
    pl_interop_refused(start, "expired", "", NULL, PADLOCK_E_CERT_EXPIRED, "expired",
                       "SSL alert number 45");
}

/* examples/https_get fetches s_server's status page, verifying its chain and IP address; and
 * against an untrusted server it fails with the reason. */
static void test_https_get_example(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "rsa", "-www");
    char *out = NULL;
    int rc =
        pl_test_sh_capture(&out, "%s/https_get --cafile %s/root.pem https://127.0.0.1:%d/ 2>&1",
                           pl_test_binary_dir(), pl_interop_certs(), server.port);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "HTTP/1.0 200 ok"));
    assert_non_null(strstr(out, "s_server -accept"));
    assert_non_null(strstr(out, "TLSv1.3, TLS_AES_128_GCM_SHA256, x25519"));
    free(out);
    pl_peer_stop(&server);

    start(&server, "rogue", "-www");
    rc = pl_test_sh_capture(&out, "%s/https_get --cafile %s/root.pem https://localhost:%d/ 2>&1",
                            pl_test_binary_dir(), pl_interop_certs(), server.port);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "no trusted root"));
    free(out);
    pl_peer_stop(&server);
}

/* Moves bytes between the client and the socket until the client reports done(); everything
 * the server sends is appended to rec. Returns the application data read. */
static size_t pump(padlock_conn *conn, int fd, uint8_t *rec, size_t *rec_len,
                   int (*done)(const padlock_conn *conn)) {
    size_t data = 0;
    while (!done(conn)) {
        switch (padlock_conn_status(conn)) {
        case PADLOCK_STATUS_WANT_WRITE: {
            const uint8_t *p;
            size_t n;
            PL_ASSERT_OK(padlock_conn_output(conn, &p, &n));
            assert_int_equal(write(fd, p, n), (ssize_t)n);
            PL_ASSERT_OK(padlock_conn_output_done(conn, n));
            break;
        }
        case PADLOCK_STATUS_WANT_READ: {
            ssize_t r = read(fd, rec + *rec_len, padlock_conn_input_wanted(conn));
            assert_true(r > 0);
            size_t used;
            PL_ASSERT_OK(padlock_conn_input(conn, rec + *rec_len, (size_t)r, &used));
            *rec_len += (size_t)r;
            break;
        }
        case PADLOCK_STATUS_DATA: {
            uint8_t buf[64];
            size_t n;
            PL_ASSERT_OK(padlock_conn_read(conn, buf, sizeof(buf), &n));
            data += n;
            break;
        }
        default: fail_msg("client: %s", padlock_conn_error_message(conn));
        }
    }
    return data;
}

static int connected_and_flushed(const padlock_conn *conn) {
    return padlock_conn_handshake_done(conn) &&
           padlock_conn_status(conn) != PADLOCK_STATUS_WANT_WRITE;
}

static int peer_closed(const padlock_conn *conn) {
    return padlock_conn_status(conn) == PADLOCK_STATUS_CLOSED;
}

/* The client fuzz target's seeds from a real server: what s_server -rev sends to the target's
 * default client (fuzz/client_driver.h) over a whole connection (handshake, tickets, the
 * reversed "hello", close_notify), as a TLS 1.3 server and (tls12) as a TLS 1.2 server. The
 * exchange is checked every run, and so is its replay through the target; PL_UPDATE_SEEDS=1
 * writes it to fuzz/corpus/client/<name>. */
static void fuzz_seed_capture(int tls12, const char *name) {
    pl_peer server;
    start_version(&server, tls12 ? "-tls1_2" : "-tls1_3", "p256", "-rev");
    padlock_config *cfg;
    padlock_conn *conn;
    PL_ASSERT_OK(pl_fuzz_client_new(0, &cfg, &conn));
    int fd = pl_connect_loopback(server.port);
    size_t cap = 1 << 20, len = 2;
    uint8_t *rec = malloc(cap);
    rec[0] = 0x00; /* the default client */
    rec[1] = 0xff; /* pieces of 256 bytes */
    pump(conn, fd, rec, &len, connected_and_flushed);
    size_t written;
    PL_ASSERT_OK(padlock_conn_write(conn, (const uint8_t *)"hello\n", 6, &written));
    PL_ASSERT_OK(padlock_conn_write(conn, (const uint8_t *)"CLOSE\n", 6, &written));
    assert_int_equal(pump(conn, fd, rec, &len, peer_closed), 6);
    assert_int_equal(padlock_conn_version(conn), tls12 ? PADLOCK_TLS12 : PADLOCK_TLS13);
    padlock_conn_free(conn);
    padlock_config_free(cfg);
    close(fd);
    pl_peer_stop(&server);
    pl_fuzz_conn_result r;
    pl_fuzz_client_run(rec, len, &r);
    assert_true(r.handshake_done);
    assert_true(r.closed);
    assert_int_equal(r.app_bytes, 6);
    assert_int_equal(r.error, PADLOCK_OK);
    if (getenv("PL_UPDATE_SEEDS") != NULL) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/fuzz/corpus/client/%s", pl_test_source_dir(), name);
        assert_int_equal(pl_test_write_file(path, rec, len), 0);
    }
    free(rec);
}

static void test_fuzz_seed_capture(void **state) {
    (void)state;
    fuzz_seed_capture(0, "openssl-p256-rev");
}

static void test_fuzz_seed_capture_tls12(void **state) {
    (void)state;
    fuzz_seed_capture(1, "openssl-tls12-p256-rev");
}

/* Sends data with padlock_conn_write_into through a buffer of cap bytes, so that records are
 * split where the buffer ends; what the connection has waiting goes out first. */
static void send_into(pl_client *c, const uint8_t *data, size_t len, size_t cap) {
    uint8_t buf[PADLOCK_WRITE_BUFFER_SIZE];
    assert_true(cap <= sizeof(buf));
    for (size_t off = 0; off < len;) {
        size_t w, out_len;
        PL_ASSERT_OK(
            padlock_conn_write_into(c->conn, data + off, len - off, &w, buf, cap, &out_len));
        for (size_t sent = 0; sent < out_len;) {
            ssize_t n = write(c->fd, buf + sent, out_len - sent);
            assert_true(n > 0);
            sent += (size_t)n;
        }
        off += w;
    }
}

/* padlock_conn_write_into against s_server -rev, TLS 1.3 (with a KeyUpdate of ours waiting in
 * front of the data) and TLS 1.2 (explicit nonces): a 3000-byte line in records cut at 700
 * bytes of buffer, then one in a full buffer, come back reversed. */
static void write_into_round(pl_peer *server, int key_update) {
    pl_client_opts o = pl_client_default_opts();
    pl_client c;
    pl_client_connect(&c, &o, server->port);
    if (key_update) {
        PL_ASSERT_OK(padlock_conn_key_update(c.conn, 0));
    }
    char line[3001], want[3001], got[3001];
    for (size_t i = 0; i < 3000; i++) {
        line[i] = (char)('a' + i * 7 % 26);
    }
    line[3000] = '\n';
    for (size_t i = 0; i < 3000; i++) {
        want[i] = line[2999 - i];
    }
    want[3000] = '\n';
    static const size_t caps[] = {700, PADLOCK_WRITE_BUFFER_SIZE};
    for (size_t k = 0; k < 2; k++) {
        send_into(&c, (const uint8_t *)line, sizeof(line), caps[k]);
        pl_client_read_exact(&c, (uint8_t *)got, sizeof(got));
        assert_memory_equal(got, want, sizeof(want));
    }
    if (key_update) {
        assert_int_equal(c.conn->tls.ku_sent, 1);
    }
    pl_client_finish(&c);
}

static void test_write_into(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p256", "-rev");
    write_into_round(&server, 1);
    pl_peer_stop(&server);
    start_version(&server, "-tls1_2", "p256", "-rev");
    write_into_round(&server, 0);
    pl_peer_stop(&server);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        PL_INTEROP_CLIENT13_TESTS,
        cmocka_unit_test(test_write_into),
        cmocka_unit_test(test_https_get_example),
        cmocka_unit_test(test_fuzz_seed_capture),
        cmocka_unit_test(test_fuzz_seed_capture_tls12),
    };
    pl_test_apply_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
