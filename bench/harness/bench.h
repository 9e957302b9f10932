/* The benchmark harness's per-library interface. Each TLS library implements one bench_lib
 * (bench/lib_<name>.c); driver.c owns every loop, clock read, memory snapshot and check, so all
 * libraries are measured by the same code. Client and server run in one process and talk over
 * in-memory pipes (pipe.h): no sockets, no system calls on the data path. */
#ifndef BENCH_HARNESS_BENCH_H
#define BENCH_HARNESS_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipe.h"

typedef enum { BENCH_CLIENT = 0, BENCH_SERVER = 1 } bench_role;

/* BENCH_NA: the library cannot be configured as asked (the reason goes to the caller). */
typedef enum { BENCH_DONE, BENCH_WANT, BENCH_ERROR, BENCH_NA } bench_status;

/* TLS 1.3 cipher suites by IANA code point (RFC 8446 §B.4). */
enum {
    BENCH_TLS_AES_128_GCM_SHA256 = 0x1301,
    BENCH_TLS_AES_256_GCM_SHA384 = 0x1302,
    BENCH_TLS_CHACHA20_POLY1305_SHA256 = 0x1303,
};
#define BENCH_GROUP_X25519 0x001d /* RFC 8446 §4.2.7 */
#define BENCH_VERSION_TLS13 0x0304

/* What every library is configured with; the same files and settings for all of them. */
typedef struct {
    const char *root_file;  /* client: the only trust anchor (PEM) */
    const char *chain_file; /* server: leaf then intermediate (PEM) */
    const char *key_file;   /* server: the leaf's private key (PKCS #8 PEM) */
    const char *host;       /* client: sent as SNI and verified against the leaf's SAN */
    uint16_t suite;         /* the only TLS 1.3 suite either side offers */
    bool tickets;           /* server issues exactly one ticket per handshake; otherwise none */
    bool chain_cache;       /* client keeps verified chains (a library without: BENCH_NA) */
} bench_config;

/* The I/O a connection is bound to: it reads peer bytes from `in`, writes to `out`. */
typedef struct {
    bench_pipe *in;
    bench_pipe *out;
} bench_io;

/* What a connection negotiated, read after its handshake (outside every timed section). */
typedef struct {
    uint16_t version;          /* BENCH_VERSION_TLS13 */
    uint16_t suite;            /* IANA cipher suite */
    uint16_t group;            /* IANA named group of the (EC)DHE exchange, 0 if none */
    bool resumed;              /* the handshake used a PSK from a ticket */
    uint32_t tickets_received; /* client: NewSessionTicket messages processed so far */
} bench_info;

/* One TLS library. Every function pointer is required. Errors are printed to stderr by the
 * adapter (through bench_lib_error) and reported as BENCH_ERROR. */
typedef struct {
    const char *name; /* as the runner and the tables show it: "openssl", "gnutls", ... */

    /* The library's own version string, read from the loaded library at run time. */
    const char *(*version)(void);

    /* A client or server context from `cfg`. BENCH_NA with *out_na set to a static sentence when
     * the library cannot be configured so (e.g. it does not let the application choose the
     * suite). The context outlives every connection made from it. */
    bench_status (*ctx_new)(bench_role role, const bench_config *cfg, void **out_ctx,
                            const char **out_na);
    void (*ctx_free)(void *ctx);

    /* A connection bound to `io`, ready to start its handshake. `session` is NULL or (client only)
     * a session from session_take to resume; the caller keeps ownership of it. NULL on error. */
    void *(*conn_new)(void *ctx, bench_io *io, void *session);

    /* Advances the handshake as far as the bytes in io->in allow, writing what it produces to
     * io->out. BENCH_DONE once this side's handshake is complete, BENCH_WANT when it needs
     * peer bytes. */
    bench_status (*handshake)(void *conn);

    /* Reads application data into out[0..cap): BENCH_DONE with *out_len > 0, or BENCH_WANT with
     * *out_len == 0 once io->in holds no complete record. Post-handshake messages (tickets) are
     * processed on the way. */
    bench_status (*read)(void *conn, uint8_t *out, size_t cap, size_t *out_len);

    /* Sends all of in[0..len) as application data (BENCH_DONE) or fails. */
    bench_status (*write)(void *conn, const uint8_t *in, size_t len);

    void (*info)(void *conn, bench_info *out);

    /* Client: the session (with its ticket) from the last NewSessionTicket the connection
     * processed, owned by the caller; NULL if none. */
    void *(*session_take)(void *conn);
    void (*session_free)(void *session);

    void (*conn_free)(void *conn);
} bench_lib;

/* Defined once per program by its library adapter. */
extern const bench_lib bench_this_lib;

/* Prints "<lib>: <what>: <detail>" to stderr unless the driver silenced errors (it does while
 * running handshakes that must fail). */
void bench_lib_error(const char *what, const char *detail);
bool bench_lib_errors_quiet(void);

#endif
