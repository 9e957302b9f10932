/* Socket helpers: drive a connection over a file descriptor, blocking or non-blocking, using
 * nothing but the public connection API (DESIGN.md §1). Reads are sized by
 * padlock_conn_input_wanted so that no byte is ever held outside the connection; application
 * data is decrypted from the bytes read straight into the caller's buffer when it fits
 * (padlock_conn_input_read). */
#include <errno.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "padlock/padlock.h"

/* The most one read takes: a whole record of the largest size (header + 2^14 + 256). */
#define PL_FD_CHUNK (5 + 16384 + 256)

/* send() without SIGPIPE on sockets, write() on anything else (pipes in tests). */
static ssize_t pl_fd_send(int fd, const uint8_t *p, size_t n) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == ENOTSOCK) {
        w = write(fd, p, n);
    }
    return w;
}

/* Sends everything the connection has waiting. Returns the connection's error when it failed
 * and nothing (no alert) is left to send. */
static padlock_err pl_fd_flush(padlock_conn *conn, int fd) {
    for (;;) {
        const uint8_t *p;
        size_t n;
        padlock_err rc = padlock_conn_output(conn, &p, &n);
        if (n == 0) {
            return rc;
        }
        ssize_t w = pl_fd_send(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno == EAGAIN || errno == EWOULDBLOCK ? PADLOCK_E_WANT_WRITE : PADLOCK_E_IO;
        }
        rc = padlock_conn_output_done(conn, (size_t)w);
        if (rc != PADLOCK_OK) {
            return rc;
        }
    }
}

/* Reads what completes the record in progress and feeds it (end of stream included). With out
 * not NULL, application data it completes is read into out[0..cap) (*out_len), decrypted there
 * straight from the bytes read when it fits. */
static padlock_err pl_fd_fill(padlock_conn *conn, int fd, uint8_t *out, size_t cap,
                              size_t *out_len) {
    uint8_t buf[PL_FD_CHUNK];
    size_t want = padlock_conn_input_wanted(conn);
    if (want == 0) {
        return PADLOCK_E_STATE;
    }
    if (want > sizeof(buf)) {
        want = sizeof(buf);
    }
    ssize_t r;
    do {
        r = read(fd, buf, want);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        return errno == EAGAIN || errno == EWOULDBLOCK ? PADLOCK_E_WANT_READ : PADLOCK_E_IO;
    }
    size_t used;
    padlock_err rc = out != NULL
                         ? padlock_conn_input_read(conn, buf, (size_t)r, &used, out, cap, out_len)
                         : padlock_conn_input(conn, buf, (size_t)r, &used);
    /* A failed connection may have a fatal alert to send: the caller's loop sends it, then
     * reports the error. */
    return rc == padlock_conn_error(conn) ? PADLOCK_OK : rc;
}

/* Sends what waits; for a failed connection (its alert) best effort, then its error. */
static padlock_err pl_fd_send_pending(padlock_conn *conn, int fd) {
    padlock_err rc = pl_fd_flush(conn, fd);
    if (padlock_conn_error(conn) != PADLOCK_OK && rc != PADLOCK_E_WANT_WRITE) {
        return padlock_conn_error(conn);
    }
    return rc;
}

padlock_err padlock_fd_handshake(padlock_conn *conn, int fd) {
    if (conn == NULL || fd < 0) {
        return PADLOCK_E_INVALID_ARGUMENT;
    }
    for (;;) {
        padlock_err rc = PADLOCK_OK;
        switch (padlock_conn_status(conn)) {
        case PADLOCK_STATUS_WANT_WRITE: rc = pl_fd_send_pending(conn, fd); break;
        case PADLOCK_STATUS_WANT_READ:
            if (padlock_conn_handshake_done(conn)) {
                return PADLOCK_OK;
            }
            rc = pl_fd_fill(conn, fd, NULL, 0, NULL);
            break;
        case PADLOCK_STATUS_DATA:
        case PADLOCK_STATUS_CLOSED:
            /* Data or a close can only follow a completed handshake. */
            return PADLOCK_OK;
        case PADLOCK_STATUS_ERROR: return padlock_conn_error(conn);
        }
        if (rc != PADLOCK_OK) {
            return rc;
        }
    }
}

padlock_err padlock_fd_read(padlock_conn *conn, int fd, uint8_t *buf, size_t cap, size_t *out_len) {
    if (conn == NULL || fd < 0 || buf == NULL || cap == 0 || out_len == NULL) {
        return PADLOCK_E_INVALID_ARGUMENT;
    }
    *out_len = 0;
    for (;;) {
        padlock_err rc = PADLOCK_OK;
        switch (padlock_conn_status(conn)) {
        case PADLOCK_STATUS_WANT_WRITE: rc = pl_fd_send_pending(conn, fd); break;
        case PADLOCK_STATUS_DATA: return padlock_conn_read(conn, buf, cap, out_len);
        case PADLOCK_STATUS_CLOSED: return PADLOCK_OK;
        case PADLOCK_STATUS_ERROR: return padlock_conn_error(conn);
        case PADLOCK_STATUS_WANT_READ:
            rc = pl_fd_fill(conn, fd, buf, cap, out_len);
            if (rc == PADLOCK_OK && *out_len > 0) {
                return PADLOCK_OK;
            }
            break;
        }
        if (rc != PADLOCK_OK) {
            return rc;
        }
    }
}

padlock_err padlock_fd_write(padlock_conn *conn, int fd, const uint8_t *data, size_t len,
                             size_t *written) {
    if (conn == NULL || fd < 0 || written == NULL || (data == NULL && len != 0)) {
        return PADLOCK_E_INVALID_ARGUMENT;
    }
    *written = 0;
    if (!padlock_conn_handshake_done(conn)) {
        padlock_err rc = padlock_fd_handshake(conn, fd);
        if (rc != PADLOCK_OK) {
            return rc;
        }
    }
    while (*written < len) {
        size_t n;
        padlock_err rc = padlock_conn_write(conn, data + *written, len - *written, &n);
        if (rc != PADLOCK_OK) {
            return rc;
        }
        *written += n;
        rc = pl_fd_send_pending(conn, fd);
        if (rc == PADLOCK_E_WANT_WRITE && *written > 0) {
            return PADLOCK_OK; /* partly taken: the caller comes back with the rest */
        }
        if (rc != PADLOCK_OK) {
            return rc;
        }
    }
    return PADLOCK_OK;
}

padlock_err padlock_fd_close(padlock_conn *conn, int fd) {
    if (conn == NULL || fd < 0) {
        return PADLOCK_E_INVALID_ARGUMENT;
    }
    padlock_err rc = padlock_conn_close(conn);
    /* A failed connection may still have its fatal alert to send. */
    padlock_err sent = pl_fd_send_pending(conn, fd);
    return rc != PADLOCK_OK ? rc : sent;
}
