/* Test support for `padlock server`: certificates made with `padlock cert` for the run, the
 * server started as a child process on a port it picks (--port 0) and stopped by pid, and
 * padlock clients in the test process that talk TLS and HTTP/1.1 to it over 127.0.0.1 with
 * socket timeouts, so that no test can hang. */
#ifndef PL_TEST_SERVER_HARNESS_H
#define PL_TEST_SERVER_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "padlock/padlock.h"

/* The directory of the run's certificates, made on first use: ca/ca.pem (the CA),
 * localhost.pem + localhost-key.pem (localhost, 127.0.0.1, ::1), other.pem + other-key.pem
 * (other.test, RSA), alice.pem + alice-key.pem (a client certificate), rogue/ca.pem and
 * mallory.pem + mallory-key.pem (a client certificate under a CA nobody trusts). */
const char *pl_srv_pki(void);

typedef struct pl_srv {
    pid_t pid;
    int port;
    char url[256];  /* what the server printed: "https://127.0.0.1:PORT/" */
    char log[4200]; /* its standard error */
} pl_srv;

/* Starts `padlock server ARGS --port 0` in the PKI directory (args split at spaces) and waits
 * for its "listening on" line; fails the test if it does not come within 10 s. */
void pl_srv_start(pl_srv *s, const char *args);

/* Sends sig (0: none) and waits for the exit (10 s at most, then SIGKILL and a failure);
 * returns the exit status. */
int pl_srv_stop(pl_srv *s, int sig);

/* The server's standard error so far (malloc'd, free()). */
char *pl_srv_log(const pl_srv *s);

/* 1 as soon as the server's log contains needle, 0 after timeout_ms. */
int pl_srv_log_wait(const pl_srv *s, const char *needle, int timeout_ms);

/* Fails the test unless the log has a line containing every one of the NULL-terminated parts. */
void pl_srv_expect_line(const pl_srv *s, const char *const *parts);

/* A TCP socket connected to host ("127.0.0.1" or "::1") port, with 10 s read and write
 * timeouts. */
int pl_tcp_connect(const char *host, int port);

/* A padlock client that trusts ca/ca.pem, over a TCP connection to 127.0.0.1:port. */
typedef struct pl_tls {
    padlock_config *cfg;
    padlock_conn *conn;
    int fd;
    size_t len; /* received application data not consumed yet: buf[0, len) */
    uint8_t buf[65536];
} pl_tls;

/* Opens a client for server_name (NULL: "localhost") presenting cert/key when not NULL, and
 * offering alpn when not NULL. The handshake runs with the first read or write. */
pl_tls *pl_tls_open(int port, const char *server_name, const char *cert, const char *key,
                    const char *alpn);
/* The same over a connection to host ("127.0.0.1" or "::1"). */
pl_tls *pl_tls_open_at(const char *host, int port, const char *server_name, const char *cert,
                       const char *key, const char *alpn);
/* Closes the socket and frees the client (NULL: nothing); sends no close_notify. */
void pl_tls_free(pl_tls *c);

/* Writes all of data (failing the test on error). */
void pl_tls_send(pl_tls *c, const void *data, size_t len);

/* Reads more application data into c->buf: the number of bytes added, 0 when the server
 * closed with close_notify, -1 on an error (*err, when not NULL, receives it). */
long pl_tls_more(pl_tls *c, padlock_err *err);

/* One HTTP/1.1 response read from the connection. */
typedef struct pl_http_resp {
    int status;
    char head[8192]; /* status line and header fields, NUL-terminated */
    uint8_t *body;   /* malloc'd (free()), body_len bytes */
    size_t body_len;
} pl_http_resp;

/* Reads one response (its body by Content-Length, none when head_only); fails the test if the
 * connection ends first. */
void pl_http_read(pl_tls *c, int head_only, pl_http_resp *r);

/* The value of a header field of r (static buffer), or NULL. */
const char *pl_http_header(const pl_http_resp *r, const char *name);

/* Sends request on a new connection and reads the response. */
void pl_http_get(int port, const char *request, int head_only, pl_http_resp *r);

#endif
