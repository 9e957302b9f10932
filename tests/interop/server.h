/* A padlock server for interop tests: a thread in the test process listening on 127.0.0.1 (a
 * free port), serving one connection at a time over the socket helpers, and keeping what each
 * connection negotiated so that a test can compare it with what the real client printed.
 * Socket reads and writes time out after 10 s, so no client can hang a test. */
#ifndef PL_TEST_INTEROP_SERVER_H
#define PL_TEST_INTEROP_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "padlock/padlock.h"

/* What the server does once the handshake is done. */
typedef enum pl_srv_mode {
    /* Sends "padlock <suite> <group> resumed=<0|1>\n", then answers every line with
     * "echo: <line>\n" until the client closes or sends "quit", after which it closes. */
    PL_SRV_LINES = 0,
    /* Reads an HTTP/1.1 request and answers 200 with the body PL_SRV_HTTP_BODY, then closes. */
    PL_SRV_HTTP = 1,
} pl_srv_mode;

#define PL_SRV_HTTP_BODY "hello from padlock over TLS 1.3\n"

/* One connection, once it ended. */
typedef struct pl_srv_result {
    padlock_err handshake; /* PADLOCK_OK, or why the handshake failed */
    char message[256];     /* the connection's error message, "" if none */
    uint16_t suite, group, scheme;
    int resumed;
    size_t peer_certs;
    char alpn[32];
    char sni[128];
    size_t lines;         /* lines echoed */
    uint32_t ku_received; /* KeyUpdates received and sent (after the session) */
    uint32_t ku_sent;
} pl_srv_result;

#define PL_SRV_MAX_RESULTS 128

typedef struct pl_srv {
    padlock_config *cfg; /* borrowed */
    pl_srv_mode mode;
    int listen_fd;
    int port;
    pthread_t thread;
    atomic_int stop;
    pthread_mutex_t lock;
    pthread_cond_t done;
    pl_srv_result results[PL_SRV_MAX_RESULTS];
    size_t num_results;
} pl_srv;

/* Starts serving cfg (which must outlive the server) on 127.0.0.1. */
void pl_srv_start(pl_srv *s, padlock_config *cfg, pl_srv_mode mode);

/* Stops the thread (it finishes the connection in progress) and closes the socket. */
void pl_srv_stop(pl_srv *s);

/* Waits up to 15 s until n connections ended and returns the n-th (1-based); fails the test
 * otherwise. */
const pl_srv_result *pl_srv_wait(pl_srv *s, size_t n);

/* A server configuration with the generated leaf of kind (pl_interop_kinds) and its
 * intermediate; fails the test when they do not load. The caller frees it. */
padlock_config *pl_srv_config_for(const char *kind);

/* Asks clients of cfg for certificates (mode) issued under the generated root. */
void pl_srv_require_client_certs(padlock_config *cfg, padlock_client_auth mode);

#endif
