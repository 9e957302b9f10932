/* The padlock adapter, on the public API only (padlock/padlock.h, padlock/x509.h). padlock is
 * sans-I/O: a connection takes the peer's bytes from the caller and hands out the bytes to send,
 * so the harness's pipes play the socket's part directly. Input is given in place
 * (bench_pipe_peek), and application data is read with padlock_conn_input_read, which decrypts
 * a record from there straight into the harness's read buffer (the other libraries' BIO or pull
 * function copies the pipe's bytes first, as recv() would). Application data is sealed straight
 * into the pipe's free space with padlock_conn_write_into (bench_pipe_reserve); handshake
 * output is copied into the pipe, as send() would. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/bench.h"
#include "padlock/padlock.h"
#include "padlock/x509.h"

typedef struct {
    padlock_config *cfg;
    bench_role role;
    char host[256];
} pl_ctx;

/* An exported session: the bytes padlock_conn_export_session wrote. */
typedef struct {
    size_t len;
    uint8_t data[];
} pl_session;

typedef struct {
    padlock_conn *conn;
    bench_io *io;
    bench_role role;
    pl_session *last_session; /* client: from the most recent NewSessionTicket */
    uint32_t tickets;
} pl_conn;

static void report(const char *what, padlock_err err, const char *detail) {
    char text[768];
    snprintf(text, sizeof(text), "%s%s%s", padlock_strerror(err), detail != NULL ? ": " : "",
             detail != NULL ? detail : "");
    bench_lib_error(what, text);
}

static void report_conn(const char *what, const pl_conn *c) {
    report(what, padlock_conn_error(c->conn), padlock_conn_error_message(c->conn));
}

static const char *version(void) {
    return "padlock " PADLOCK_BENCH_VERSION;
}

/* ---- contexts ----------------------------------------------------------------------------- */

static void ctx_free(void *p) {
    pl_ctx *c = p;
    if (c != NULL) {
        padlock_config_free(c->cfg);
        free(c);
    }
}

/* The client's only trust anchor, and its verified-chain cache only when asked for (it is on by
 * default; the headline figures verify the chain in every handshake, like the peers). */
static padlock_err set_root(padlock_config *cfg, const char *root_file, bool chain_cache) {
    padlock_trust_store *store = NULL;
    padlock_err err = padlock_trust_store_new(&store);
    if (err == PADLOCK_OK) {
        err = padlock_trust_store_set_verify_cache(store, chain_cache ? 32 : 0);
        if (err == PADLOCK_OK) {
            err = padlock_trust_store_add_file(store, root_file);
        }
        if (err != PADLOCK_OK) {
            report("loading the trust anchor", err, padlock_trust_store_last_error(store));
            padlock_trust_store_free(store);
            return err;
        }
        /* The configuration takes the store, on success and on error. */
        err = padlock_config_set_trust_store(cfg, store);
    }
    return err;
}

static bench_status ctx_new(bench_role role, const bench_config *cfg, void **out_ctx,
                            const char **out_na) {
    (void)out_na;
    pl_ctx *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return BENCH_ERROR;
    }
    c->role = role;
    snprintf(c->host, sizeof(c->host), "%s", cfg->host);
    padlock_err err =
        padlock_config_new(role == BENCH_CLIENT ? PADLOCK_CLIENT : PADLOCK_SERVER, &c->cfg);
    const uint16_t suite = cfg->suite;
    const uint16_t group = PADLOCK_GROUP_X25519;
    if (err == PADLOCK_OK) {
        err = padlock_config_set_versions(c->cfg, PADLOCK_TLS13, PADLOCK_TLS13);
    }
    if (err == PADLOCK_OK) {
        err = padlock_config_set_cipher_suites(c->cfg, &suite, 1);
    }
    if (err == PADLOCK_OK) {
        err = padlock_config_set_groups(c->cfg, &group, 1);
    }
    if (err == PADLOCK_OK && role == BENCH_CLIENT) {
        err = set_root(c->cfg, cfg->root_file, cfg->chain_cache);
    }
    if (err == PADLOCK_OK && role == BENCH_SERVER) {
        err = padlock_config_add_certificate_files(c->cfg, cfg->chain_file, cfg->key_file);
        /* One ticket per handshake when resumption is measured, none otherwise. */
        if (err == PADLOCK_OK) {
            err = padlock_config_set_tickets(c->cfg, cfg->tickets ? 1 : 0, 86400);
        }
    }
    if (err != PADLOCK_OK) {
        report("configuring the context", err,
               c->cfg != NULL ? padlock_config_error_message(c->cfg) : NULL);
        ctx_free(c);
        return BENCH_ERROR;
    }
    *out_ctx = c;
    return BENCH_DONE;
}

/* ---- connections -------------------------------------------------------------------------- */

static void conn_free(void *p) {
    pl_conn *c = p;
    if (c != NULL) {
        padlock_conn_free(c->conn);
        free(c->last_session);
        free(c);
    }
}

static void *conn_new(void *ctx_p, bench_io *io, void *session) {
    pl_ctx *ctx = ctx_p;
    pl_conn *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return NULL;
    }
    c->io = io;
    c->role = ctx->role;
    padlock_err err = padlock_conn_new(ctx->cfg, &c->conn);
    if (err != PADLOCK_OK) {
        report("padlock_conn_new", err, padlock_config_error_message(ctx->cfg));
        conn_free(c);
        return NULL;
    }
    if (ctx->role == BENCH_CLIENT) {
        err = padlock_conn_set_server_name(c->conn, ctx->host);
        if (err == PADLOCK_OK && session != NULL) {
            const pl_session *s = session;
            err = padlock_conn_set_session(c->conn, s->data, s->len);
        }
        if (err != PADLOCK_OK) {
            report("configuring the connection", err, NULL);
            conn_free(c);
            return NULL;
        }
    }
    return c;
}

/* Moves everything the connection has to send into the pipe. */
static bool flush(pl_conn *c) {
    for (;;) {
        const uint8_t *out;
        size_t n;
        padlock_err err = padlock_conn_output(c->conn, &out, &n);
        if (n == 0) {
            return err == PADLOCK_OK;
        }
        size_t sent = bench_pipe_write(c->io->out, out, n);
        if (padlock_conn_output_done(c->conn, sent) != PADLOCK_OK || sent < n) {
            bench_lib_error("output", "the pipe is full");
            return false;
        }
    }
}

/* Client: keeps the session of each NewSessionTicket as it arrives (RFC 8446 §4.6.1), the way
 * the other adapters keep theirs from a callback. */
static bool take_tickets(pl_conn *c) {
    if (c->role != BENCH_CLIENT || !padlock_conn_handshake_done(c->conn)) {
        return true;
    }
    for (;;) {
        size_t len = 0;
        padlock_err err = padlock_conn_export_session(c->conn, NULL, 0, &len);
        if (err == PADLOCK_E_STATE) {
            return true; /* no ticket waiting */
        }
        pl_session *s = err == PADLOCK_E_BUFFER_TOO_SMALL ? malloc(sizeof(*s) + len) : NULL;
        if (s == NULL ||
            padlock_conn_export_session(c->conn, s->data, len, &s->len) != PADLOCK_OK) {
            free(s);
            report("exporting the session", err, NULL);
            return false;
        }
        free(c->last_session);
        c->last_session = s;
        c->tickets++;
    }
}

/* Feeds the pipe's pending bytes to the connection until it stops taking them: at a record
 * holding application data, or when the pipe is empty. */
static bool feed(pl_conn *c) {
    while (bench_pipe_pending(c->io->in) > 0 &&
           padlock_conn_status(c->conn) == PADLOCK_STATUS_WANT_READ) {
        size_t used = 0;
        padlock_err err = padlock_conn_input(c->conn, bench_pipe_peek(c->io->in),
                                             bench_pipe_pending(c->io->in), &used);
        bench_pipe_consume(c->io->in, used);
        if (err != PADLOCK_OK) {
            (void)flush(c); /* the alert for the peer, as the other libraries send theirs */
            return false;
        }
        if (!flush(c)) {
            return false;
        }
        if (used == 0) {
            break;
        }
    }
    return true;
}

static bench_status handshake(void *p) {
    pl_conn *c = p;
    if (!flush(c) || !feed(c)) {
        report_conn("handshake", c);
        return BENCH_ERROR;
    }
    if (!take_tickets(c)) {
        return BENCH_ERROR;
    }
    return padlock_conn_handshake_done(c->conn) ? BENCH_DONE : BENCH_WANT;
}

/* Reads with padlock_conn_input_read: a record of application data is decrypted from the pipe
 * straight into the harness's buffer; handshake and post-handshake records go through the
 * connection as in feed(). */
static bench_status conn_read(void *p, uint8_t *out, size_t cap, size_t *out_len) {
    pl_conn *c = p;
    *out_len = 0;
    bool ok = true;
    while (ok && *out_len == 0 && padlock_conn_status(c->conn) == PADLOCK_STATUS_WANT_READ &&
           bench_pipe_pending(c->io->in) > 0) {
        size_t used = 0;
        padlock_err err =
            padlock_conn_input_read(c->conn, bench_pipe_peek(c->io->in),
                                    bench_pipe_pending(c->io->in), &used, out, cap, out_len);
        bench_pipe_consume(c->io->in, used);
        ok = err == PADLOCK_OK && flush(c) && take_tickets(c);
        if (err != PADLOCK_OK) {
            (void)flush(c); /* the alert for the peer, as the other libraries send theirs */
        }
        if (used == 0) {
            break;
        }
    }
    if (ok && *out_len > 0) {
        return BENCH_DONE;
    }
    switch (ok ? padlock_conn_status(c->conn) : PADLOCK_STATUS_ERROR) {
    case PADLOCK_STATUS_DATA: {
        padlock_err err = padlock_conn_read(c->conn, out, cap, out_len);
        if (err != PADLOCK_OK) {
            report_conn("read", c);
            return BENCH_ERROR;
        }
        return BENCH_DONE;
    }
    case PADLOCK_STATUS_WANT_READ: return BENCH_WANT;
    case PADLOCK_STATUS_CLOSED:
        bench_lib_error("read", "the peer closed the connection");
        return BENCH_ERROR;
    default: report_conn("read", c); return BENCH_ERROR;
    }
}

/* Writes with padlock_conn_write_into: records are sealed straight into the pipe's free space
 * (after anything the connection had waiting), as they would be into a socket's or io_uring's
 * send buffer, so there is no copy out of the connection. Room for one full record is
 * reserved each time, so records are as large as padlock_conn_write makes them. */
static bench_status conn_write(void *p, const uint8_t *in, size_t len) {
    pl_conn *c = p;
    while (len > 0) {
        size_t room;
        uint8_t *dst = bench_pipe_reserve(c->io->out, PADLOCK_WRITE_BUFFER_SIZE, &room);
        if (dst == NULL) {
            bench_lib_error("write", "the pipe is full");
            return BENCH_ERROR;
        }
        size_t written = 0, out_len = 0;
        padlock_err err = padlock_conn_write_into(c->conn, in, len, &written, dst, room, &out_len);
        if (err != PADLOCK_OK) {
            report_conn("write", c);
            return BENCH_ERROR;
        }
        bench_pipe_commit(c->io->out, out_len);
        in += written;
        len -= written;
    }
    return BENCH_DONE;
}

static void info(void *p, bench_info *out) {
    pl_conn *c = p;
    out->version = padlock_conn_version(c->conn);
    out->suite = padlock_conn_cipher_suite(c->conn);
    out->group = padlock_conn_group(c->conn);
    out->resumed = padlock_conn_resumed(c->conn) != 0;
    out->tickets_received = c->tickets;
}

static void *session_take(void *p) {
    pl_conn *c = p;
    pl_session *s = c->last_session;
    c->last_session = NULL;
    return s;
}

static void session_free(void *s) {
    pl_session *session = s;
    if (session != NULL) {
        /* The session holds the resumption PSK. */
        memset(session->data, 0, session->len);
        __asm__ __volatile__("" : : "r"(session->data) : "memory");
        free(session);
    }
}

const bench_lib bench_this_lib = {
    .name = "padlock",
    .version = version,
    .ctx_new = ctx_new,
    .ctx_free = ctx_free,
    .conn_new = conn_new,
    .handshake = handshake,
    .read = conn_read,
    .write = conn_write,
    .info = info,
    .session_take = session_take,
    .session_free = session_free,
    .conn_free = conn_free,
};
