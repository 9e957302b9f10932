/* padlock client, the connection over its socket: one poll loop drives the handshake and then
 * relays standard input to the server and the server's data to standard output, both at once,
 * over a non-blocking socket; received data is decrypted straight into the buffer written out. At
 * the end of standard input it sends close_notify and reads on until the server closes too (RFC
 * 8446 §6.1). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "client.h"

/* The most one read from the socket takes: a whole record of the largest size. */
#define PL_IO_CHUNK (5 + 16384 + 256)

void pl_client_io_init(pl_client_io *io, padlock_conn *conn, int fd, int in_fd, int out_fd,
                       int timeout_s) {
    memset(io, 0, sizeof(*io));
    io->conn = conn;
    io->fd = fd;
    io->in_fd = in_fd;
    io->out_fd = out_fd;
    io->timeout_ms = timeout_s * 1000;
}

static int64_t pl_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sends what the connection has waiting until the socket would block (*blocked = 1) or nothing
 * is left. PL_CLIENT_DONE, PL_CLIENT_TLS or PL_CLIENT_SOCKET. */
static pl_client_end pl_io_flush(pl_client_io *io, int *blocked) {
    *blocked = 0;
    for (;;) {
        const uint8_t *p;
        size_t n;
        padlock_err rc = padlock_conn_output(io->conn, &p, &n);
        if (n == 0) {
            io->rc = rc;
            return rc == PADLOCK_OK ? PL_CLIENT_DONE : PL_CLIENT_TLS;
        }
        ssize_t w = send(io->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            *blocked = 1;
            return PL_CLIENT_DONE;
        }
        if (w < 0) {
            io->sys_errno = errno;
            return PL_CLIENT_SOCKET;
        }
        if ((io->rc = padlock_conn_output_done(io->conn, (size_t)w)) != PADLOCK_OK) {
            return PL_CLIENT_TLS;
        }
    }
}

/* Writes all of p[0..n) to standard output, waiting when it is a non-blocking descriptor that
 * is full. 0, or -1 with io->sys_errno. */
static int pl_io_write_out(pl_client_io *io, const uint8_t *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(io->out_fd, p, n);
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd = {io->out_fd, POLLOUT, 0};
            (void)poll(&pfd, 1, -1);
            continue;
        }
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            io->sys_errno = errno;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Writes application data to standard output; if that fails, nobody reads what the server
 * sends: tells it we are done (best effort). */
static pl_client_end pl_io_emit(pl_client_io *io, const uint8_t *p, size_t n) {
    if (pl_io_write_out(io, p, n) != 0) {
        int blocked;
        if (padlock_conn_close(io->conn) == PADLOCK_OK) {
            (void)pl_io_flush(io, &blocked);
        }
        return PL_CLIENT_STDOUT;
    }
    return PL_CLIENT_DONE;
}

/* Hands the application data the connection holds to standard output. */
static pl_client_end pl_io_deliver(pl_client_io *io) {
    while (padlock_conn_status(io->conn) == PADLOCK_STATUS_DATA) {
        uint8_t buf[16384];
        size_t n;
        if ((io->rc = padlock_conn_read(io->conn, buf, sizeof(buf), &n)) != PADLOCK_OK) {
            return PL_CLIENT_TLS;
        }
        pl_client_end end = pl_io_emit(io, buf, n);
        if (end != PL_CLIENT_DONE) {
            return end;
        }
    }
    return PL_CLIENT_DONE;
}

/* Reads from the socket what completes the record in progress and feeds it to the connection
 * (the end of the stream too). *progress is set when bytes (or the end) arrived. When relaying,
 * application data that completes is decrypted straight into a buffer here and written to
 * standard output (padlock_conn_input_read); during the handshake it waits in the connection
 * until the relay starts. */
static pl_client_end pl_io_fill(pl_client_io *io, int relay, int *progress) {
    uint8_t buf[PL_IO_CHUNK];
    size_t want = padlock_conn_input_wanted(io->conn);
    if (want > sizeof(buf)) {
        want = sizeof(buf);
    }
    ssize_t r = recv(io->fd, buf, want, 0);
    if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
        return PL_CLIENT_DONE;
    }
    if (r < 0) {
        io->sys_errno = errno;
        return PL_CLIENT_SOCKET;
    }
    *progress = 1;
    size_t used;
    /* Never more than the record in progress was read, so the connection takes all of it. */
    if (!relay) {
        io->rc = padlock_conn_input(io->conn, buf, (size_t)r, &used);
        return io->rc == PADLOCK_OK ? PL_CLIENT_DONE : PL_CLIENT_TLS;
    }
    uint8_t plain[PADLOCK_READ_BUFFER_SIZE];
    size_t n;
    io->rc = padlock_conn_input_read(io->conn, buf, (size_t)r, &used, plain, sizeof(plain), &n);
    if (io->rc != PADLOCK_OK) {
        return PL_CLIENT_TLS;
    }
    return n > 0 ? pl_io_emit(io, plain, n) : PL_CLIENT_DONE;
}

/* Reads standard input into io->in_buf; its end (or a read error, said on stderr) ends it. */
static void pl_io_take_stdin(pl_client_io *io) {
    ssize_t r = read(io->in_fd, io->in_buf, sizeof(io->in_buf));
    if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
        return;
    }
    if (r < 0) {
        fprintf(stderr, "padlock %s: cannot read standard input (%s): closing\n", PL_CLIENT_CMD,
                strerror(errno));
    }
    if (r <= 0) {
        io->in_fd = -1;
        return;
    }
    io->in_off = 0;
    io->in_len = (size_t)r;
}

/* Moves standard input into the connection, and queues close_notify once it ended and all of
 * it was taken. Returns 1 when something was queued (to be sent before waiting). */
static int pl_io_send_stdin(pl_client_io *io, pl_client_end *end) {
    if (io->in_off < io->in_len) {
        size_t n;
        io->rc = padlock_conn_write(io->conn, io->in_buf + io->in_off, io->in_len - io->in_off, &n);
        if (io->rc != PADLOCK_OK) {
            *end = PL_CLIENT_TLS;
            return 1;
        }
        io->in_off += n;
        return n > 0;
    }
    if (io->in_fd < 0 && !io->sent_close) {
        io->sent_close = 1;
        if ((io->rc = padlock_conn_close(io->conn)) != PADLOCK_OK) {
            *end = PL_CLIENT_TLS;
        }
        return 1;
    }
    return 0;
}

/* The loop: during the handshake (handshake != 0) until it completed and our last flight is
 * sent, within the timeout; afterwards until the server closes. */
static pl_client_end pl_io_run(pl_client_io *io, int handshake) {
    int64_t deadline = handshake ? pl_now_ms() + io->timeout_ms : -1;
    for (;;) {
        int blocked;
        pl_client_end end = pl_io_flush(io, &blocked);
        if (padlock_conn_error(io->conn) != PADLOCK_OK) {
            return PL_CLIENT_TLS; /* its alert went out with the flush, if the socket took it */
        }
        if (end != PL_CLIENT_DONE) {
            return end;
        }
        if (handshake && padlock_conn_handshake_done(io->conn) && !blocked) {
            return PL_CLIENT_DONE;
        }
        if (!handshake && (end = pl_io_deliver(io)) != PL_CLIENT_DONE) {
            return end;
        }
        padlock_status status = padlock_conn_status(io->conn);
        if (status == PADLOCK_STATUS_CLOSED) {
            /* RFC 8446 §6.1: the server closed; answer with our own close_notify (best effort:
             * it may have closed the socket too). */
            if (!io->sent_close && padlock_conn_close(io->conn) == PADLOCK_OK) {
                (void)pl_io_flush(io, &blocked);
            }
            return PL_CLIENT_CLOSED;
        }
        if (status == PADLOCK_STATUS_ERROR) {
            return PL_CLIENT_TLS;
        }
        if (!handshake) {
            int was_closing = io->sent_close;
            end = PL_CLIENT_DONE;
            if (pl_io_send_stdin(io, &end)) {
                if (end != PL_CLIENT_DONE) {
                    return end;
                }
                if (!was_closing && io->sent_close) {
                    deadline = pl_now_ms() + io->timeout_ms;
                }
                continue;
            }
        }
        struct pollfd pfd[2] = {{io->fd, (short)(POLLIN | (blocked ? POLLOUT : 0)), 0},
                                {io->in_fd, POLLIN, 0}};
        int want_stdin = !handshake && io->in_fd >= 0 && io->in_off == io->in_len;
        int wait_ms = -1;
        if (deadline >= 0) {
            int64_t left = deadline - pl_now_ms();
            wait_ms = left > 0 ? (int)left : 0;
        }
        int n = poll(pfd, want_stdin ? 2 : 1, wait_ms);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            io->sys_errno = errno;
            return PL_CLIENT_SOCKET;
        }
        if (n == 0) {
            return PL_CLIENT_TIMEOUT;
        }
        if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            int progress = 0;
            end = pl_io_fill(io, !handshake, &progress);
            if (end == PL_CLIENT_SOCKET || end == PL_CLIENT_STDOUT) {
                return end;
            }
            if (progress && io->sent_close) {
                deadline = pl_now_ms() + io->timeout_ms; /* silence is timed, not the whole */
            }
        }
        if (want_stdin && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            pl_io_take_stdin(io);
        }
    }
}

pl_client_end pl_client_io_handshake(pl_client_io *io) {
    return pl_io_run(io, 1);
}

pl_client_end pl_client_io_relay(pl_client_io *io) {
    return pl_io_run(io, 0);
}
