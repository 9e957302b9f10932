/* What the client and server fuzz drivers (client_driver.c, server_driver.c) share: feeding a
 * connection its peer's bytes in pieces, draining its output after every call as a transport
 * would, reading application data, exercising the API once connected, and the invariants
 * checked on the way (a broken one stops the process with __builtin_trap). PL_FUZZ_CHECK and
 * pl_fuzz_split serve the other targets too. */
#ifndef PL_FUZZ_CONN_DRIVER_H
#define PL_FUZZ_CONN_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "padlock/padlock.h"

/* Stops the process when cond is false: libFuzzer reports the input as a crash. */
#define PL_FUZZ_CHECK(cond)                                                                        \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

/* For targets whose input is two parts: the split point its first two bytes give (big-endian,
 * capped at what follows) in *split, *data and *size stepped past them. 0 when the input is
 * shorter than those two bytes. */
static inline int pl_fuzz_split(const uint8_t **data, size_t *size, size_t *split) {
    if (*size < 2) {
        return 0;
    }
    *split = (size_t)(*data)[0] << 8 | (*data)[1];
    *data += 2;
    *size -= 2;
    if (*split > *size) {
        *split = *size;
    }
    return 1;
}

/* What a run did. */
typedef struct pl_fuzz_conn_result {
    int handshake_done;
    int resumed;       /* the session was resumed */
    int closed;        /* the peer's close_notify was seen */
    size_t app_bytes;  /* application data read */
    padlock_err error; /* the connection's error, PADLOCK_OK if none */
} pl_fuzz_conn_result;

/* Takes everything conn has to send; checks that nothing is left owed. */
void pl_fuzz_conn_drain(padlock_conn *conn);

/* Checks that a call either worked (rc PADLOCK_OK) or reports the connection's error. */
void pl_fuzz_conn_ok_or_failed(padlock_conn *conn, padlock_err rc);

/* Once connected: writes message, asks for a KeyUpdate with one back (TLS 1.2 refuses it
 * without harm to the connection), exports keying material; checks version and cipher suite. */
void pl_fuzz_conn_use(padlock_conn *conn, const char *message);

/* Feeds data to conn in pieces of piece octets until it ends, fails or the peer closes:
 * output drained and application data read after every call, use(conn) once when the
 * handshake is done, then the end of the stream. Fills *out from the connection and checks
 * that its error and status agree. conn stays the caller's. */
void pl_fuzz_conn_feed(padlock_conn *conn, const uint8_t *data, size_t size, size_t piece,
                       void (*use)(padlock_conn *conn), pl_fuzz_conn_result *out);

#endif
