/* `padlock server` and its connections: --echo byte for byte (also after the client's
 * close_notify), client certificates required and optional (the identity in the log, refusals
 * named), the certificate chosen by SNI, clients that are silent, slow, not TLS, vanish or do not
 * read (each cut by its timeout with the reason logged, while other clients are served), the
 * connection cap, SIGTERM / SIGINT (close_notify to open connections, exit 0) and IPv6. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "loopback.h"
#include "padlock/x509.h"
#include "server_harness.h"
#include "testlib.h"

#define CERT "--cert localhost.pem --key localhost-key.pem"

/* Sends data and reads the same bytes back. */
static void echo_round(pl_tls *c, const uint8_t *data, size_t len) {
    pl_tls_send(c, data, len);
    size_t got = 0;
    while (got < len) {
        if (c->len == 0) {
            padlock_err rc;
            if (pl_tls_more(c, &rc) <= 0) {
                fail_msg("echo ended after %zu of %zu bytes: %s", got, len, padlock_strerror(rc));
            }
        }
        size_t n = c->len < len - got ? c->len : len - got;
        assert_memory_equal(c->buf, data + got, n);
        memmove(c->buf, c->buf + n, c->len - n);
        c->len -= n;
        got += n;
    }
}

static void echo_text(pl_tls *c, const char *text) {
    echo_round(c, (const uint8_t *)text, strlen(text));
}

static void expect_line(const pl_srv *s, const char *a, const char *b, const char *d) {
    const char *parts[] = {a, b, d, NULL};
    pl_srv_expect_line(s, parts);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_echo(void **state) {
    (void)state;
    pl_srv s;
    pl_srv_start(&s, CERT " --echo");
    /* --port 0: the port the system chose, on the first line of standard output. */
    char url[64];
    assert_true(s.port > 0 && s.port < 65536);
    snprintf(url, sizeof(url), "https://127.0.0.1:%d/", s.port);
    assert_string_equal(s.url, url);
    pl_tls *c = pl_tls_open(s.port, NULL, NULL, NULL, NULL);
    echo_text(c, "hello padlock\n");
    size_t big_len = 200000;
    uint8_t *big = malloc(big_len);
    assert_non_null(big);
    for (size_t i = 0; i < big_len; i++) {
        big[i] = (uint8_t)(i * 31 + 7);
    }
    echo_round(c, big, big_len);
    PL_ASSERT_OK(padlock_fd_close(c->conn, c->fd));
    assert_int_equal(pl_tls_more(c, NULL), 0); /* the server answers with close_notify */
    pl_tls_free(c);
    char bytes[96];
    snprintf(bytes, sizeof(bytes), "in=%zu out=%zu outcome=ok", big_len + 14, big_len + 14);
    expect_line(&s, "TLSv1.3 TLS_AES_128_GCM_SHA256 sni=localhost alpn=- client=-", bytes, "");
    /* Data followed at once by close_notify is still all echoed before the server closes. */
    c = pl_tls_open(s.port, NULL, NULL, NULL, NULL);
    pl_tls_send(c, "last words", 10);
    PL_ASSERT_OK(padlock_fd_close(c->conn, c->fd));
    while (c->len < 10) {
        assert_true(pl_tls_more(c, NULL) > 0);
    }
    assert_memory_equal(c->buf, "last words", 10);
    assert_int_equal(pl_tls_more(c, NULL), 0);
    pl_tls_free(c);
    expect_line(&s, "in=10 out=10 outcome=ok", "", "");
    assert_int_equal(pl_srv_stop(&s, SIGTERM), 0);
    free(big);
}

/* A handshake that the server refuses: the client's error names the alert. */
static void refused(int port, const char *cert, const char *key, const char *alert) {
    pl_tls *c = pl_tls_open(port, NULL, cert, key, NULL);
    padlock_err rc = padlock_fd_handshake(c->conn, c->fd);
    if (rc == PADLOCK_OK) {
        /* TLS 1.3: the client finishes first; the server's verdict arrives with the first
         * read. */
        rc = pl_tls_more(c, NULL) < 0 ? padlock_conn_error(c->conn) : PADLOCK_OK;
    }
    assert_int_equal(rc, PADLOCK_E_PEER_ALERT);
    if (strstr(padlock_conn_error_message(c->conn), alert) == NULL) {
        fail_msg("client error: %s (expected %s)", padlock_conn_error_message(c->conn), alert);
    }
    pl_tls_free(c);
}

static void test_client_auth(void **state) {
    (void)state;
    pl_srv s;
    pl_srv_start(&s, CERT " --echo --client-ca ca/ca.pem");
    pl_tls *c = pl_tls_open(s.port, NULL, "alice.pem", "alice-key.pem", NULL);
    echo_text(c, "it is me\n");
    pl_tls_free(c);
    expect_line(&s, "client=\"CN=alice\"", "in=9 out=9", "outcome=closed");
    refused(s.port, NULL, NULL, "certificate_required");
    expect_line(&s, "client=-", "outcome=handshake failed: ", "certificate");
    refused(s.port, "mallory.pem", "mallory-key.pem", "unknown_ca");
    expect_line(&s, "client=-", "outcome=handshake failed: ", "CN=mallory");
    assert_int_equal(pl_srv_stop(&s, SIGTERM), 0);
    char *log = pl_srv_log(&s);
    assert_non_null(strstr(log, "padlock server: client certificates required, issued under "
                                "ca/ca.pem\n"));
    free(log);

    pl_srv_start(&s, CERT " --echo --client-ca ca --verify-client optional");
    c = pl_tls_open(s.port, NULL, NULL, NULL, NULL);
    echo_text(c, "anonymous\n");
    pl_tls_free(c);
    expect_line(&s, "client=-", "in=10 out=10", "outcome=closed");
    c = pl_tls_open(s.port, NULL, "alice.pem", "alice-key.pem", NULL);
    echo_text(c, "alice\n");
    pl_tls_free(c);
    expect_line(&s, "client=\"CN=alice\"", "in=6 out=6", "outcome=closed");
    /* Optional is about sending none: a certificate that is sent must verify. */
    refused(s.port, "mallory.pem", "mallory-key.pem", "unknown_ca");
    expect_line(&s, "client=-", "outcome=handshake failed: ", "CN=mallory");
    assert_int_equal(pl_srv_stop(&s, SIGTERM), 0);
}

/* The subject of the certificate the server presented. */
static void expect_server_cert(pl_tls *c, const char *subject) {
    size_t len;
    const uint8_t *der = padlock_conn_peer_cert(c->conn, 0, &len);
    assert_non_null(der);
    padlock_cert *cert;
    PL_ASSERT_OK(padlock_cert_from_der(der, len, &cert));
    assert_string_equal(padlock_cert_subject(cert), subject);
    padlock_cert_free(cert);
}

static void test_sni(void **state) {
    (void)state;
    pl_srv s;
    pl_srv_start(&s, CERT " --cert other.pem --key other-key.pem --echo");
    pl_tls *c = pl_tls_open(s.port, "other.test", NULL, NULL, NULL);
    echo_text(c, "x");
    expect_server_cert(c, "CN=other.test");
    pl_tls_free(c);
    expect_line(&s, "sni=other.test", "in=1 out=1", "");
    c = pl_tls_open(s.port, "localhost", NULL, NULL, NULL);
    echo_text(c, "y");
    expect_server_cert(c, "CN=localhost");
    pl_tls_free(c);
    assert_int_equal(pl_srv_stop(&s, SIGTERM), 0);
    char *log = pl_srv_log(&s);
    assert_non_null(strstr(log, "padlock server: certificate \"CN=localhost\" (EC P-256) for "
                                "DNS:localhost, IP:127.0.0.1, IP:::1, valid until "));
    assert_non_null(strstr(log, "padlock server: certificate \"CN=other.test\" (RSA 2048 bits) "
                                "for DNS:other.test, valid until "));
    free(log);
}

/* 1 when the server closed the plain TCP connection fd (within 10 s). */
static int tcp_closed(int fd) {
    char b[256];
    ssize_t r;
    while ((r = recv(fd, b, sizeof(b), 0)) > 0) {
    }
    return r == 0 || (r < 0 && errno == ECONNRESET);
}

static void test_bad_clients(void **state) {
    (void)state;
    pl_srv s;
    pl_srv_start(&s, CERT " --echo --handshake-timeout 1 --idle-timeout 2");
    /* Silent: cut after the handshake timeout, while another client is served. */
    double t0 = now_s();
    int silent = pl_tcp_connect("127.0.0.1", s.port);
    pl_tls *c = pl_tls_open(s.port, NULL, NULL, NULL, NULL);
    echo_text(c, "served while another client stalls\n");
    assert_true(tcp_closed(silent));
    double waited = now_s() - t0;
    assert_true(waited >= 0.9 && waited < 5);
    close(silent);
    expect_line(&s, "sni=- alpn=- client=- in=0 out=0", "outcome=handshake timed out (1 s)", "");
    /* Not TLS at all. */
    int text = pl_tcp_connect("127.0.0.1", s.port);
    const char get[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    assert_int_equal(send(text, get, strlen(get), 0), (ssize_t)strlen(get));
    assert_true(tcp_closed(text));
    close(text);
    expect_line(&s, "outcome=handshake failed: ", "", "");
    /* Vanishing in the middle of the handshake. */
    int gone = pl_tcp_connect("127.0.0.1", s.port);
    const uint8_t partial[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03};
    assert_int_equal(send(gone, partial, sizeof(partial), 0), (ssize_t)sizeof(partial));
    close(gone);
    expect_line(&s, "outcome=handshake failed: the peer closed the connection", "", "");
    /* Idle after the handshake: close_notify after the idle timeout. */
    echo_text(c, "then silence\n");
    t0 = now_s();
    assert_int_equal(pl_tls_more(c, NULL), 0);
    waited = now_s() - t0;
    assert_true(waited >= 1.5 && waited < 6);
    pl_tls_free(c);
    expect_line(&s, "in=48 out=48", "outcome=idle timeout (2 s)", "");
    assert_int_equal(pl_srv_stop(&s, SIGTERM), 0);
}

/* Over --www: a request that never ends and a client that never reads are cut by the idle
 * timeout; the server answers others meanwhile. */
static void test_slow_http_clients(void **state) {
    (void)state;
    assert_int_equal(pl_test_sh("mkdir -p '%s/slow' && head -c 8388608 /dev/zero > "
                                "'%s/slow/big.bin' && echo hi > '%s/slow/index.html'",
                                pl_srv_pki(), pl_srv_pki(), pl_srv_pki()),
                     0);
    pl_srv s;
    pl_srv_start(&s, CERT " --www slow --idle-timeout 2");
    pl_tls *drip = pl_tls_open(s.port, NULL, NULL, NULL, NULL);
    pl_tls_send(drip, "GET / HTTP/1.1\r\nHo", 18);
    double drip_start = now_s();
    pl_tls *stuck = pl_tls_open(s.port, NULL, NULL, NULL, NULL);
    const char big[] = "GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n";
    pl_tls_send(stuck, big, strlen(big));
    /* The slow ones do not hold up a normal client. */
    double t0 = now_s();
    pl_http_resp r;
    pl_http_get(s.port, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", 0, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal((char *)r.body, "hi\n");
    free(r.body);
    assert_true(now_s() - t0 < 1.5);
    /* A byte every half second does not keep a request alive past the timeout: the request is
     * cut 2 s after it began, while bytes still trickle in (a timeout restarted by each byte
     * would not end it before the trickle stops). Writes fail once the server has closed. */
    const char *cut = "outcome=timed out waiting for the rest of the request (2 s)";
    int was_cut = 0;
    while (!was_cut && now_s() - drip_start < 4.0) {
        pl_test_sleep_ms(500);
        size_t n;
        padlock_err rc = padlock_fd_write(drip->conn, drip->fd, (const uint8_t *)"s", 1, &n);
        was_cut = pl_srv_log_wait(&s, cut, rc == PADLOCK_OK ? 0 : 1000);
    }
    if (!was_cut) {
        char *log = pl_srv_log(&s);
        fail_msg("the dripping request was not cut while it dripped:\n%s", log);
    }
    expect_line(&s, "out=0 http=-", cut, "");
    expect_line(&s, "http=200 ", "outcome=timed out: the client read nothing for 2 s", "");
    pl_tls_free(drip);
    pl_tls_free(stuck);
    assert_int_equal(pl_srv_stop(&s, SIGTERM), 0);
}

static void test_connection_cap(void **state) {
    (void)state;
    pl_srv s;
    pl_srv_start(&s, CERT " --echo --max-connections 1");
    pl_tls *a = pl_tls_open(s.port, NULL, NULL, NULL, NULL);
    echo_text(a, "first\n");
    /* The second waits in the backlog: no answer to its ClientHello while the first is open. */
    pl_tls *b = pl_tls_open(s.port, NULL, NULL, NULL, NULL);
    struct timeval tv = {1, 0};
    setsockopt(b->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    assert_int_equal(padlock_fd_handshake(b->conn, b->fd), PADLOCK_E_WANT_READ);
    PL_ASSERT_OK(padlock_fd_close(a->conn, a->fd));
    assert_int_equal(pl_tls_more(a, NULL), 0);
    pl_tls_free(a);
    tv.tv_sec = 10;
    setsockopt(b->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    PL_ASSERT_OK(padlock_fd_handshake(b->conn, b->fd));
    echo_text(b, "second\n");
    pl_tls_free(b);
    assert_int_equal(pl_srv_stop(&s, SIGTERM), 0);
}

static void test_shutdown(void **state) {
    (void)state;
    pl_srv s;
    pl_srv_start(&s, CERT " --echo");
    pl_tls *idle = pl_tls_open(s.port, NULL, NULL, NULL, NULL);
    echo_text(idle, "before\n");
    int half = pl_tcp_connect("127.0.0.1", s.port); /* no ClientHello yet */
    pl_test_sleep_ms(100);
    double t0 = now_s();
    kill(s.pid, SIGTERM);
    /* The open connection gets close_notify. */
    assert_int_equal(pl_tls_more(idle, NULL), 0);
    PL_ASSERT_OK(padlock_fd_close(idle->conn, idle->fd));
    /* The silent handshake holds the exit for up to PL_SERVER_LINGER_MS (signal 0: only wait). */
    assert_int_equal(pl_srv_stop(&s, 0), 0);
    assert_true(now_s() - t0 < 4.5);
    assert_true(tcp_closed(half));
    close(half);
    pl_tls_free(idle);
    char *log = pl_srv_log(&s);
    assert_non_null(strstr(log, "padlock server: SIGTERM: no new connections; closing 2 open "
                                "connections\n"));
    assert_non_null(strstr(log, "in=7 out=7 outcome=ok (server stopping)\n"));
    assert_non_null(strstr(log, "outcome=cut off: the server stopped during the handshake\n"));
    assert_non_null(strstr(log, "padlock server: stopped\n"));
    free(log);
    /* SIGINT too; nothing listens afterwards. */
    pl_srv_start(&s, CERT " --echo");
    int port = s.port;
    assert_int_equal(pl_srv_stop(&s, SIGINT), 0);
    assert_int_equal(pl_test_loopback_connect(port, 0), -1);
}

static void test_ipv6(void **state) {
    (void)state;
    int probe = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a;
    memset(&a, 0, sizeof(a));
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    int usable = probe >= 0 && bind(probe, (struct sockaddr *)&a, sizeof(a)) == 0;
    if (probe >= 0) {
        close(probe);
    }
    if (!usable) {
        skip(); /* no IPv6 loopback on this machine */
    }
    pl_srv s;
    pl_srv_start(&s, CERT " --echo --listen ::1");
    char want[64];
    snprintf(want, sizeof(want), "https://[::1]:%d/", s.port);
    assert_string_equal(s.url, want);
    pl_tls *c = pl_tls_open_at("::1", s.port, "::1", NULL, NULL, NULL);
    echo_text(c, "over IPv6\n");
    pl_tls_free(c);
    expect_line(&s, " [::1]:", "sni=- ", "in=10 out=10");
    assert_int_equal(pl_srv_stop(&s, SIGTERM), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_echo),
        cmocka_unit_test(test_client_auth),
        cmocka_unit_test(test_sni),
        cmocka_unit_test(test_bad_clients),
        cmocka_unit_test(test_slow_http_clients),
        cmocka_unit_test(test_connection_cap),
        cmocka_unit_test(test_shutdown),
        cmocka_unit_test(test_ipv6),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
