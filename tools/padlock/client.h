/* padlock client: what the files of the command share. client.c parses the options and runs a
 * session; client_net.c resolves HOST:PORT and connects; client_io.c drives the connection over
 * the socket (handshake, then the stdin/server relay); client_summary.c prints the result. */
#ifndef PL_TOOLS_CLIENT_H
#define PL_TOOLS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "padlock/padlock.h"
#include "padlock/x509.h"

#define PL_CLIENT_CMD "client"
#define PL_CLIENT_MAX_CAFILES 16
#define PL_CLIENT_HOST_MAX 256

/* The options of one run. */
typedef struct pl_client_args {
    char host[PL_CLIENT_HOST_MAX]; /* HOST without IPv6 brackets */
    char port[32];                 /* PORT as given, "443" when omitted */
    const char *servername;        /* --servername, else NULL (HOST is used) */
    const char *cafiles[PL_CLIENT_MAX_CAFILES];
    int num_cafiles;
    const char *alpn; /* comma-separated list, or NULL */
    const char *cert;
    const char *key;
    const char *keylog;
    int timeout_s;
    int insecure;
    int legacy_rsa; /* --legacy-rsa-key-exchange */
    int json;
    int quiet;
    int no_stdin;
} pl_client_args;

/* ---- client_net.c --------------------------------------------------------------------------- */

/* Splits "HOST:PORT", "[IPv6]:PORT" or "HOST" (port 443) into a->host and a->port. Returns
 * PL_CLI_OK, or PL_CLI_USAGE after saying what is wrong. */
int pl_client_split_target(const char *target, pl_client_args *a);

/* Resolves a->host and a->port (getaddrinfo) and connects to the addresses in order, each
 * within a->timeout_s seconds, until one accepts. On success *out_fd is a non-blocking TCP
 * socket, addr the address connected to ("127.0.0.1", "::1") and *out_port its port. Returns
 * PL_CLI_OK, PL_CLI_USAGE (unknown service name) or PL_CLI_NETWORK (unresolvable, refused,
 * unreachable, timed out), after printing why for each address tried. */
int pl_client_connect(const pl_client_args *a, int *out_fd, char *addr, size_t addr_cap,
                      int *out_port);

/* ---- client_io.c ---------------------------------------------------------------------------- */

/* How driving the connection ended. */
typedef enum pl_client_end {
    PL_CLIENT_DONE = 0, /* the handshake completed (pl_client_io_handshake) */
    PL_CLIENT_CLOSED,   /* the server closed cleanly with close_notify (pl_client_io_relay) */
    PL_CLIENT_TLS,      /* the connection failed: padlock_conn_error and _error_message */
    PL_CLIENT_TIMEOUT,  /* the server sent nothing within the timeout */
    PL_CLIENT_SOCKET,   /* the socket failed: io->sys_errno says why */
    PL_CLIENT_STDOUT,   /* standard output could not be written: io->sys_errno says why */
} pl_client_end;

/* Buffer for bytes read from standard input and not yet taken by the connection. */
#define PL_CLIENT_IN_BUF 16384

typedef struct pl_client_io {
    padlock_conn *conn;
    int fd;         /* the non-blocking socket */
    int in_fd;      /* standard input; -1 once it ended (or with --no-stdin) */
    int out_fd;     /* standard output */
    int timeout_ms; /* handshake, and silence after our close_notify */
    int sent_close; /* close_notify queued */
    int sys_errno;  /* for PL_CLIENT_SOCKET and PL_CLIENT_STDOUT */
    padlock_err rc; /* for PL_CLIENT_TLS: the call that failed (the connection's error is
                       the one to report when it has one) */
    size_t in_off;  /* in_buf[in_off, in_len) waits to be written to the connection */
    size_t in_len;
    uint8_t in_buf[PL_CLIENT_IN_BUF];
} pl_client_io;

/* Sets up io for conn over the socket fd, relaying in_fd (-1: nothing to send) to the server
 * and the server's data to out_fd. */
void pl_client_io_init(pl_client_io *io, padlock_conn *conn, int fd, int in_fd, int out_fd,
                       int timeout_s);

/* Runs the handshake within the timeout: PL_CLIENT_DONE, or why it failed. */
pl_client_end pl_client_io_handshake(pl_client_io *io);

/* Relays until the server closes: standard input to the server (at its end, close_notify,
 * and reading goes on until the server closes or is silent for the timeout), the server's data
 * to standard output. NewSessionTicket and KeyUpdate messages are handled by the connection.
 * PL_CLIENT_CLOSED, or why it ended otherwise. */
pl_client_end pl_client_io_relay(pl_client_io *io);

/* ---- client_summary.c ----------------------------------------------------------------------- */

/* Why a session failed, as reported in the summary and on standard error. */
typedef struct pl_client_failure {
    int exit_code;    /* PL_CLI_FAIL or PL_CLI_NETWORK */
    const char *kind; /* "certificate", "tls", "network" or "output" */
    padlock_err code; /* the connection's error, PADLOCK_OK when the socket or clock said it */
    char message[600];
} pl_client_failure;

/* What the summary is about. */
typedef struct pl_client_report {
    const pl_client_args *args;
    const char *address; /* the address connected to */
    int port;
    const char *peer_name;            /* the name the certificate is checked against */
    const padlock_conn *conn;         /* after the handshake (complete or failed) */
    const padlock_trust_store *roots; /* the roots the chain is checked against, or NULL */
} pl_client_report;

/* Prints the summary: text on standard error, or with --json one JSON object on standard
 * output. failure is NULL after a successful handshake. */
void pl_client_summary(const pl_client_report *r, const pl_client_failure *failure);

#endif
