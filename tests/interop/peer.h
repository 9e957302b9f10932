/* Interop test support: real TLS servers (openssl s_server, gnutls-serv) started on 127.0.0.1
 * with a free port, their output captured, stopped by pid (and killed with the test process
 * if it dies first); and padlock clients connected to them over TCP with bounded socket
 * timeouts, so that no test can hang. */
#ifndef PL_TEST_INTEROP_PEER_H
#define PL_TEST_INTEROP_PEER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "padlock/padlock.h"

typedef struct pl_peer {
    pid_t pid;
    int port;
    int stdin_fd; /* the server's standard input */
    char log_path[512];
} pl_peer;

/* Starts a server: argv (NULL-terminated) with "{port}" in an argument replaced by a free port,
 * run in dir with its output in a log file there; LD_PRELOAD is set to preload if not NULL.
 * Waits until the log contains ready (its "{port}" replaced likewise; 10 s at most) and fails
 * the test otherwise. */
void pl_peer_start(pl_peer *p, const char *dir, const char *ready, const char *preload,
                   const char *const *argv);

/* The line gnutls-serv writes once its IPv4 socket listens: it writes "listening on IPv4 ..."
 * before socket(), bind() and listen(), and "done" after them. */
#define PL_GNUTLS_SERV_READY "listening on IPv4 0.0.0.0 port {port}...done"

/* pl_peer_start with a command line split at spaces (no quoting). */
void pl_peer_start_line(pl_peer *p, const char *dir, const char *ready, const char *preload,
                        const char *line);

/* Stops the server (SIGTERM, then SIGKILL) and reaps it. */
void pl_peer_stop(pl_peer *p);

/* 1 as soon as the server's output contains needle, 0 after timeout_ms. */
int pl_peer_log_wait(const pl_peer *p, const char *needle, int timeout_ms);

/* Waits (10 s at most) until the process printed needle; otherwise prints its output and
 * fails the test. */
void pl_peer_expect(const pl_peer *p, const char *needle);

/* Fails the test, printing out, unless a client's captured output out contains needle. */
void pl_expect_output(const char *out, const char *needle);

/* Writes text to the server's standard input. */
void pl_peer_stdin(const pl_peer *p, const char *text);

/* The directory of the generated certificates (tests/interop/make_certs.sh), made once per
 * test program under its tmpdir. */
const char *pl_interop_certs(void);

/* A padlock client. */
typedef struct pl_client_opts {
    const char *root;        /* trust anchor file; NULL: verification disabled */
    const char *server_name; /* NULL: "localhost" */
    uint16_t suite;          /* the only suite offered; 0: the default list */
    uint16_t group;          /* the only group offered; 0: the default list */
    const char *alpn;        /* the only ALPN protocol offered, or NULL */
    const char *cert;        /* client certificate chain and key files, or NULL */
    const char *key;
} pl_client_opts;

typedef struct pl_client {
    padlock_config *cfg;
    padlock_conn *conn;
    int fd;
} pl_client;

/* A TCP socket connected to 127.0.0.1:port whose reads and writes time out after 20 s. */
int pl_connect_loopback(int port);

/* Configures a client as opts say and connects it to 127.0.0.1:port (no TLS yet). Socket reads
 * and writes time out after 20 s. */
void pl_client_open(pl_client *c, const pl_client_opts *opts, int port);

/* Options for a client that verifies against the generated root and presents no certificate;
 * pl_client_use_cert adds the generated client certificate. */
pl_client_opts pl_client_default_opts(void);
void pl_client_use_cert(pl_client_opts *o);

/* Runs the handshake, failing the test with the connection's message if it fails. */
void pl_client_handshake(pl_client *c);

/* pl_client_open and pl_client_handshake. */
void pl_client_connect(pl_client *c, const pl_client_opts *opts, int port);

/* Sends close_notify (failing the test if it cannot), then pl_client_close. */
void pl_client_finish(pl_client *c);

/* Frees the connection and configuration and closes the socket. */
void pl_client_close(pl_client *c);

/* Writes all of data (failing the test on error). */
void pl_client_write_all(pl_client *c, const uint8_t *data, size_t len);

/* Reads exactly len bytes (failing the test on error or early end). */
void pl_client_read_exact(pl_client *c, uint8_t *out, size_t len);

/* Reads once, failing the test unless that is the clean end of the stream (the server's
 * close_notify): no error, no data, the connection CLOSED. */
void pl_client_expect_clean_end(pl_client *c);

/* The matrix: server key kinds of make_certs.sh, cipher suites and groups. */
extern const char *const pl_interop_kinds[4];
extern const uint16_t pl_interop_suites[3];
extern const uint16_t pl_interop_groups[3];

/* Asserts that a server with a key of kind signed its CertificateVerify with the scheme TLS 1.3
 * binds to that key: ECDSA with the key's curve, RSA-PSS (rsaEncryption) for RSA, Ed25519. */
void pl_interop_expect_scheme(uint16_t scheme, const char *kind);

#endif
