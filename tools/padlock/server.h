/* padlock server: what the files of the command share. server.c parses the options and sets
 * up; server_listen.c opens the listening socket and catches signals; server_loop.c is the
 * poll loop (accepting, timeouts, the connection cap, shutdown); server_conn.c drives one
 * connection over its socket; server_www.c and server_echo.c are the two modes;
 * server_log.c writes the line each connection leaves. */
#ifndef PL_TOOLS_SERVER_H
#define PL_TOOLS_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "http.h"
#include "padlock/padlock.h"
#include "padlock/x509.h"

#define PL_SERVER_CMD "server"
#define PL_SERVER_MAX_CERTS 8
/* How long connections get to finish after SIGINT or SIGTERM before they are cut. */
#define PL_SERVER_DRAIN_MS 5000
/* How long we wait for the client's answer after our close_notify. */
#define PL_SERVER_LINGER_MS 2000

typedef enum pl_server_mode {
    PL_SERVER_ECHO = 1,
    PL_SERVER_WWW = 2,
} pl_server_mode;

/* The options of one run. */
typedef struct pl_server_args {
    const char *certs[PL_SERVER_MAX_CERTS];
    const char *keys[PL_SERVER_MAX_CERTS]; /* NULL: the key is in the --cert file */
    int num_certs;
    pl_server_mode mode;
    const char *www; /* --www DIR as given */
    char root[4096]; /* its realpath */
    const char *listen;
    int port;
    const char *client_ca;
    padlock_client_auth verify_client;
    const char *keylog;
    int legacy_rsa; /* --legacy-rsa-key-exchange */
    int max_conns;
    int idle_timeout_s;
    int handshake_timeout_s;
} pl_server_args;

/* One client connection. Buffers are fixed: a connection never holds more than these plus
 * what padlock holds for it. */
#define PL_SERVER_OUT_BUF 16384

typedef struct pl_server_conn {
    int fd;
    padlock_conn *tls;
    char peer[64];       /* "127.0.0.1:50312", "[::1]:50312" */
    int64_t deadline_ms; /* when the current wait ends (monotonic) */
    uint64_t bytes_in;   /* application data received */
    uint64_t bytes_out;  /* application data sent */
    uint8_t handshake_done;
    uint8_t peer_closed;  /* the client's close_notify arrived */
    uint8_t closing;      /* our close_notify is queued */
    uint8_t close_wanted; /* close once the app's output is out (Connection: close, ...) */
    uint8_t send_blocked; /* the socket takes no more: wait for POLLOUT */
    uint8_t done;         /* finished: log and free */
    char outcome[600];    /* set with done */
    /* Application bytes on their way into the connection: out[out_off, out_len). */
    size_t out_off;
    size_t out_len;
    uint8_t out[PL_SERVER_OUT_BUF];
    /* --www: the request head being received, and the response being sent. */
    size_t req_len;
    uint8_t req[PL_HTTP_HEAD_MAX];
    int file_fd; /* the body being sent, -1 when none */
    uint64_t file_left;
    uint8_t responding; /* a response is not completely queued yet */
    unsigned requests;
    uint16_t statuses[8]; /* the first responses' status codes, for the log */
} pl_server_conn;

/* The running server. */
typedef struct pl_server {
    const pl_server_args *args;
    padlock_config *cfg;
    int listen_fd; /* -1 once closed (shutting down) */
    int signal_fd; /* read end of the self-pipe the signal handler writes to */
    pl_server_conn **conns;
    int num_conns;
    int stopping; /* a signal arrived: no new connections, close the others */
    int64_t stop_deadline_ms;
    int64_t accept_paused_until_ms; /* out of file descriptors: retry accepting then */
} pl_server;

/* Monotonic milliseconds: deadlines are compared with this. */
int64_t pl_server_now_ms(void);

/* ---- server_listen.c ------------------------------------------------------------------------ */

/* Binds and listens on args->listen:args->port, printing "listening on https://ADDR:PORT/" on
 * standard output. PL_CLI_OK, PL_CLI_USAGE (not an address) or PL_CLI_NETWORK (cannot
 * listen), after saying why. */
int pl_server_listen(const pl_server_args *a, int *out_fd);

/* Catches SIGINT and SIGTERM into a self-pipe whose read end is *out_fd, and ignores SIGPIPE. */
int pl_server_signals(int *out_fd);

/* ---- server_loop.c -------------------------------------------------------------------------- */

/* Serves until SIGINT or SIGTERM, then closes every connection and returns an exit code. */
int pl_server_run(pl_server *s);

/* ---- server_conn.c -------------------------------------------------------------------------- */

/* A new connection on an accepted socket, or NULL (said on standard error). */
pl_server_conn *pl_server_conn_new(pl_server *s, int fd, const char *peer);
/* Frees the connection and closes its socket and file (NULL: nothing). */
void pl_server_conn_free(pl_server_conn *c);

/* Does everything that can be done now: sends, receives, runs the mode. c->done when over. */
void pl_server_conn_pump(pl_server *s, pl_server_conn *c);

/* The poll events the connection waits for. */
short pl_server_conn_events(const pl_server *s, const pl_server_conn *c);

/* The deadline passed. */
void pl_server_conn_timeout(pl_server *s, pl_server_conn *c);

/* Ends the connection now with outcome (printf-style). */
void pl_server_conn_finish(pl_server_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Starts a new wait of ms milliseconds. */
void pl_server_conn_wait(pl_server_conn *c, int64_t ms);

/* ---- the modes: server_www.c, server_echo.c ------------------------------------------------- */

/* How many received bytes the mode can take now. */
size_t pl_www_room(const pl_server_conn *c);
size_t pl_echo_room(const pl_server_conn *c);
/* Takes received bytes (at most the room). */
void pl_www_input(pl_server_conn *c, const uint8_t *p, size_t n);
void pl_echo_input(pl_server_conn *c, const uint8_t *p, size_t n);
/* Fills c->out with what goes next; 1 if it did something. */
int pl_www_produce(pl_server *s, pl_server_conn *c);
/* 1 between requests: nothing half received, nothing being answered. */
int pl_www_idle(const pl_server_conn *c);

/* ---- server_log.c --------------------------------------------------------------------------- */

/* Writes the connection's line to standard error. */
void pl_server_log(const pl_server *s, const pl_server_conn *c);

#endif
