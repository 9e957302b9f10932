/* padlock server, one connection over its non-blocking socket: the bytes padlock has for the
 * client are sent, what the client sends is fed in no faster than the mode can take it, the
 * mode's answer is written back, and the connection ends with close_notify both ways
 * (RFC 8446 §6.1) or with the precise reason it did not. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server.h"

/* The most one read from the socket takes: a whole record of the largest size. */
#define PL_CONN_CHUNK (5 + 16384 + 256)
/* Rounds of work one pump does before the loop serves the other connections. */
#define PL_CONN_ROUNDS 64

pl_server_conn *pl_server_conn_new(pl_server *s, int fd, const char *peer) {
    pl_server_conn *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        fprintf(stderr, "padlock %s: %s: out of memory\n", PL_SERVER_CMD, peer);
        return NULL;
    }
    padlock_err rc = padlock_conn_new(s->cfg, &c->tls);
    if (rc != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: %s: %s\n", PL_SERVER_CMD, peer, padlock_strerror(rc));
        free(c);
        return NULL;
    }
    c->fd = fd;
    c->file_fd = -1;
    snprintf(c->peer, sizeof(c->peer), "%s", peer);
    pl_server_conn_wait(c, (int64_t)s->args->handshake_timeout_s * 1000);
    return c;
}

void pl_server_conn_free(pl_server_conn *c) {
    if (c == NULL) {
        return;
    }
    padlock_conn_free(c->tls);
    if (c->file_fd >= 0) {
        close(c->file_fd);
    }
    close(c->fd);
    free(c);
}

void pl_server_conn_wait(pl_server_conn *c, int64_t ms) {
    c->deadline_ms = pl_server_now_ms() + ms;
}

void pl_server_conn_finish(pl_server_conn *c, const char *fmt, ...) {
    if (c->done) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->outcome, sizeof(c->outcome), fmt, ap);
    va_end(ap);
    c->done = 1;
}

static int64_t pl_idle_ms(const pl_server *s) {
    return (int64_t)s->args->idle_timeout_s * 1000;
}

/* The mode has nothing half done: no request half received, no response being sent. */
static int pl_idle(const pl_server *s, const pl_server_conn *c) {
    return c->out_off == c->out_len && (s->args->mode != PL_SERVER_WWW || pl_www_idle(c));
}

static size_t pl_room(const pl_server *s, const pl_server_conn *c) {
    return s->args->mode == PL_SERVER_WWW ? pl_www_room(c) : pl_echo_room(c);
}

static void pl_socket_failed(pl_server_conn *c, int err) {
    const char *when = c->handshake_done ? "" : " during the handshake";
    if (err == ECONNRESET) {
        pl_server_conn_finish(c, "the client reset the connection%s", when);
    } else if (err == EPIPE) {
        pl_server_conn_finish(c, "the client closed the connection%s", when);
    } else {
        pl_server_conn_finish(c, "socket error%s: %s", when, strerror(err));
    }
}

/* The connection failed: its own message names what went wrong. */
static void pl_tls_failed(pl_server_conn *c) {
    pl_server_conn_finish(c, "%s%s", c->handshake_done ? "" : "handshake failed: ",
                          padlock_conn_error_message(c->tls));
}

/* Sends what padlock has waiting until the socket would block. -1 once the connection ended. */
static int pl_flush(const pl_server *s, pl_server_conn *c) {
    c->send_blocked = 0;
    for (;;) {
        const uint8_t *p;
        size_t n;
        /* A failure is recorded in the connection (and its alert is what waits here). */
        if (padlock_conn_output(c->tls, &p, &n) != PADLOCK_OK || n == 0) {
            return 0;
        }
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            c->send_blocked = 1;
            return 0;
        }
        if (w < 0) {
            pl_socket_failed(c, errno);
            return -1;
        }
        if (padlock_conn_output_done(c->tls, (size_t)w) != PADLOCK_OK) {
            pl_server_conn_finish(c, "internal error: more bytes sent than were waiting");
            return -1;
        }
        /* A client that reads keeps its connection; one that stalls runs into the timeout. */
        if (c->handshake_done && !c->closing) {
            pl_server_conn_wait(c, pl_idle_ms(s));
        }
    }
}

/* Moves the mode's output into the connection: one record at a time, as padlock takes it. */
static int pl_push(pl_server_conn *c) {
    int progress = 0;
    while (c->out_off < c->out_len) {
        size_t n;
        if (padlock_conn_write(c->tls, c->out + c->out_off, c->out_len - c->out_off, &n) !=
                PADLOCK_OK ||
            n == 0) {
            break; /* failed (the connection says why), or records wait to be sent first */
        }
        c->out_off += n;
        c->bytes_out += n;
        progress = 1;
    }
    if (c->out_off == c->out_len) {
        c->out_off = c->out_len = 0;
    }
    return progress;
}

/* Hands received application data to the mode, or drops it once we are closing. */
static int pl_deliver(pl_server *s, pl_server_conn *c) {
    uint8_t buf[16384];
    int discard = c->closing || c->close_wanted;
    size_t room = discard ? sizeof(buf) : pl_room(s, c);
    if (room == 0) {
        return 0;
    }
    size_t n;
    if (padlock_conn_read(c->tls, buf, room < sizeof(buf) ? room : sizeof(buf), &n) != PADLOCK_OK) {
        return 0;
    }
    c->bytes_in += n;
    if (discard) {
        return 1;
    }
    if (s->args->mode == PL_SERVER_WWW) {
        pl_www_input(c, buf, n);
    } else {
        pl_echo_input(c, buf, n);
        pl_server_conn_wait(c, pl_idle_ms(s));
    }
    return 1;
}

static int pl_wants_input(const pl_server *s, const pl_server_conn *c) {
    return !c->peer_closed &&
           (!c->handshake_done || c->closing || c->close_wanted || pl_room(s, c) > 0);
}

/* The client closed its side of TCP. */
static void pl_eof(pl_server *s, pl_server_conn *c) {
    if (c->closing) {
        pl_server_conn_finish(c, "ok"); /* it read our close_notify and hung up */
        return;
    }
    if (c->handshake_done && pl_idle(s, c)) {
        /* Without close_notify, but between requests: nothing was cut short. */
        pl_server_conn_finish(c, "closed");
        return;
    }
    size_t used;
    if (padlock_conn_input(c->tls, NULL, 0, &used) == PADLOCK_OK) {
        pl_server_conn_finish(c, "closed");
        return;
    }
    pl_tls_failed(c);
}

/* Reads what completes the record in progress and feeds it to the connection. */
static int pl_receive(pl_server *s, pl_server_conn *c) {
    uint8_t buf[PL_CONN_CHUNK];
    size_t want = padlock_conn_input_wanted(c->tls);
    if (want == 0) {
        return 0;
    }
    ssize_t r = recv(c->fd, buf, want < sizeof(buf) ? want : sizeof(buf), 0);
    if (r < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) {
        return 0;
    }
    if (r < 0) {
        pl_socket_failed(c, errno);
        return 0;
    }
    if (r == 0) {
        pl_eof(s, c);
        return 0;
    }
    size_t used;
    /* No more than the record in progress was read, so all of it is taken; a failure is
     * recorded in the connection and reported by the next round. */
    return padlock_conn_input(c->tls, buf, (size_t)r, &used) == PADLOCK_OK ||
           padlock_conn_error(c->tls) != PADLOCK_OK;
}

/* Queues close_notify once the mode is done and the client or the server wants to end. */
static int pl_maybe_close(pl_server *s, pl_server_conn *c) {
    if (c->closing || !pl_idle(s, c) || !(c->close_wanted || c->peer_closed || s->stopping)) {
        return 0;
    }
    if (padlock_conn_close(c->tls) != PADLOCK_OK) {
        return 1; /* failed: reported by the next round */
    }
    c->closing = 1;
    pl_server_conn_wait(c, PL_SERVER_LINGER_MS);
    return 1;
}

/* One round: 1 if something moved. */
static int pl_round(pl_server *s, pl_server_conn *c) {
    if (pl_flush(s, c) != 0) {
        return 0;
    }
    if (padlock_conn_error(c->tls) != PADLOCK_OK) {
        if (!c->send_blocked) {
            pl_tls_failed(c); /* its alert, if it has one, went out with the flush */
        }
        return 0;
    }
    int progress = 0;
    if (!c->handshake_done && padlock_conn_handshake_done(c->tls)) {
        c->handshake_done = 1;
        pl_server_conn_wait(c, pl_idle_ms(s));
        progress = 1;
    }
    if (c->handshake_done && !c->closing) {
        if (s->args->mode == PL_SERVER_WWW && c->out_off == c->out_len) {
            progress |= pl_www_produce(s, c);
        }
        progress |= pl_push(c);
        progress |= pl_maybe_close(s, c);
        if (c->done || padlock_conn_error(c->tls) != PADLOCK_OK) {
            return !c->done;
        }
    }
    switch (padlock_conn_status(c->tls)) {
    case PADLOCK_STATUS_DATA: progress |= pl_deliver(s, c); break;
    case PADLOCK_STATUS_CLOSED:
        if (!c->peer_closed) {
            c->peer_closed = 1; /* answer what it asked, then close too */
            progress = 1;
        } else if (c->closing) {
            pl_server_conn_finish(c, s->stopping ? "ok (server stopping)" : "ok");
        }
        break;
    case PADLOCK_STATUS_WANT_READ:
        if (pl_wants_input(s, c)) {
            progress |= pl_receive(s, c);
        }
        break;
    case PADLOCK_STATUS_WANT_WRITE:
    case PADLOCK_STATUS_ERROR: break;
    }
    return progress && !c->done;
}

void pl_server_conn_pump(pl_server *s, pl_server_conn *c) {
    for (int i = 0; i < PL_CONN_ROUNDS && !c->done && pl_round(s, c); i++) {
    }
}

short pl_server_conn_events(const pl_server *s, const pl_server_conn *c) {
    short ev = 0;
    if (c->send_blocked ||
        (c->handshake_done && !c->closing && (c->out_off < c->out_len || c->responding))) {
        ev |= POLLOUT;
    }
    if (pl_wants_input(s, c) && padlock_conn_status(c->tls) == PADLOCK_STATUS_WANT_READ) {
        ev |= POLLIN;
    }
    return ev;
}

void pl_server_conn_timeout(pl_server *s, pl_server_conn *c) {
    const pl_server_args *a = s->args;
    if (padlock_conn_error(c->tls) != PADLOCK_OK) {
        pl_tls_failed(c); /* its alert could not be sent in time */
    } else if (!c->handshake_done && s->stopping) {
        pl_server_conn_finish(c, "cut off: the server stopped during the handshake");
    } else if (!c->handshake_done) {
        pl_server_conn_finish(c, "handshake timed out (%d s)", a->handshake_timeout_s);
    } else if (c->closing) {
        /* Our close_notify went out; the client did not answer in time. */
        pl_server_conn_finish(c, s->stopping ? "ok (server stopping)" : "ok");
    } else if (pl_idle(s, c)) {
        if (padlock_conn_close(c->tls) == PADLOCK_OK) {
            (void)pl_flush(s, c);
        }
        pl_server_conn_finish(c, "idle timeout (%d s)", a->idle_timeout_s);
    } else if (a->mode == PL_SERVER_WWW && !c->responding) {
        pl_server_conn_finish(c, "timed out waiting for the rest of the request (%d s)",
                              a->idle_timeout_s);
    } else {
        pl_server_conn_finish(c, "timed out: the client read nothing for %d s", a->idle_timeout_s);
    }
}
