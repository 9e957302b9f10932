/* The socket helpers (src/io/fd.c) over a socketpair whose other end the test plays by hand:
 * a failing handshake sends its fatal alert before the error is returned; a non-blocking
 * socket yields PADLOCK_E_WANT_READ; the peer's end of stream mid-handshake is a truncation;
 * reads are never larger than the record in progress; bad arguments are refused. */
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "padlock/padlock.h"
#include "testlib.h"

typedef struct pair {
    padlock_config *cfg;
    padlock_conn *conn;
    int fd;   /* the client's end */
    int peer; /* the test's end */
    pl_test_rng rng;
} pair;

static void pair_open(pair *p) {
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    p->fd = sv[0];
    p->peer = sv[1];
    pl_test_rng_seed(&p->rng, 7);
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &p->cfg));
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(p->cfg));
    PL_ASSERT_OK(padlock_config_set_random_fn(p->cfg, pl_test_rng_fill, &p->rng));
    PL_ASSERT_OK(padlock_conn_new(p->cfg, &p->conn));
}

static void pair_close(pair *p) {
    padlock_conn_free(p->conn);
    padlock_config_free(p->cfg);
    close(p->fd);
    close(p->peer);
}

/* Everything the client has sent so far (the test's end is drained without blocking). */
static size_t drain(int fd, uint8_t *buf, size_t cap) {
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    size_t have = 0;
    ssize_t n;
    while (have < cap && (n = read(fd, buf + have, cap - have)) > 0) {
        have += (size_t)n;
    }
    fcntl(fd, F_SETFL, flags);
    return have;
}

/* A record of an unknown content type fails the handshake with unexpected_message, and the
 * alert reaches the peer before padlock_fd_handshake returns (it used to stay queued). */
static void test_failed_handshake_sends_its_alert(void **state) {
    (void)state;
    pair p;
    pair_open(&p);
    static const uint8_t bogus[] = {99, 0x03, 0x03, 0x00, 0x01, 0x00};
    assert_int_equal(write(p.peer, bogus, sizeof(bogus)), (ssize_t)sizeof(bogus));
    PL_ASSERT_ERR(padlock_fd_handshake(p.conn, p.fd), PADLOCK_E_UNEXPECTED_MESSAGE);
    assert_int_equal(padlock_conn_status(p.conn), PADLOCK_STATUS_ERROR);
    uint8_t got[4096];
    size_t n = drain(p.peer, got, sizeof(got));
    assert_true(n > 7);
    assert_int_equal(got[0], 22); /* the ClientHello record first */
    /* RFC 8446 §6: a fatal (2) unexpected_message (10) alert, unprotected at this point. */
    static const uint8_t alert[] = {21, 0x03, 0x03, 0x00, 0x02, 2, 10};
    assert_memory_equal(got + n - sizeof(alert), alert, sizeof(alert));
    pair_close(&p);
}

static void test_non_blocking_wants_read(void **state) {
    (void)state;
    pair p;
    pair_open(&p);
    fcntl(p.fd, F_SETFL, fcntl(p.fd, F_GETFL) | O_NONBLOCK);
    PL_ASSERT_ERR(padlock_fd_handshake(p.conn, p.fd), PADLOCK_E_WANT_READ);
    PL_ASSERT_ERR(padlock_fd_handshake(p.conn, p.fd), PADLOCK_E_WANT_READ);
    assert_int_equal(padlock_conn_error(p.conn), PADLOCK_OK);
    uint8_t got[4096];
    size_t n = drain(p.peer, got, sizeof(got));
    /* One ClientHello record, sent once: 0x0301 as legacy_record_version (RFC 8446 §5.1). */
    assert_true(n > 5);
    assert_int_equal(got[0], 22);
    assert_int_equal(got[1], 0x03);
    assert_int_equal(got[2], 0x01);
    assert_int_equal(n, 5 + (size_t)(got[3] << 8 | got[4]));
    /* A partial header from the peer: the helper takes exactly what it has, no more. */
    static const uint8_t part[] = {22, 0x03};
    assert_int_equal(write(p.peer, part, sizeof(part)), 2);
    PL_ASSERT_ERR(padlock_fd_handshake(p.conn, p.fd), PADLOCK_E_WANT_READ);
    assert_int_equal(padlock_conn_input_wanted(p.conn), 3);
    pair_close(&p);
}

static void test_end_of_stream_is_truncation(void **state) {
    (void)state;
    pair p;
    pair_open(&p);
    shutdown(p.peer, SHUT_WR);
    PL_ASSERT_ERR(padlock_fd_handshake(p.conn, p.fd), PADLOCK_E_TRUNCATED);
    const char *msg = padlock_conn_error_message(p.conn);
    assert_non_null(strstr(msg, "closed the connection during the handshake, in state WAIT_SH"));
    /* No alert for a truncation: the peer is gone. */
    uint8_t got[4096];
    size_t n = drain(p.peer, got, sizeof(got));
    assert_int_equal(n, 5 + (size_t)(got[3] << 8 | got[4]));
    pair_close(&p);
}

static void test_bad_arguments(void **state) {
    (void)state;
    pair p;
    pair_open(&p);
    uint8_t buf[4];
    size_t n;
    PL_ASSERT_ERR(padlock_fd_read(p.conn, p.fd, buf, 0, &n), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_fd_read(p.conn, -1, buf, sizeof(buf), &n), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_fd_write(p.conn, p.fd, NULL, 1, &n), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_fd_handshake(NULL, p.fd), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_fd_close(p.conn, -1), PADLOCK_E_INVALID_ARGUMENT);
    pair_close(&p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failed_handshake_sends_its_alert),
        cmocka_unit_test(test_non_blocking_wants_read),
        cmocka_unit_test(test_end_of_stream_is_truncation),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
