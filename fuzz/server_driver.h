/* The body of the server fuzz target (fuzz/server.c), shared with the unit test that replays
 * and records its committed seeds (tests/unit/test_fuzz_seeds.c): the same server configuration
 * everywhere, deterministic from end to end (an Ed25519 certificate made from a fixed key with
 * a fixed serial and validity, so signatures are deterministic too; fixed ticket keys, a
 * counter as random source, a fixed clock), so that a client's flight recorded once keeps
 * completing the handshake, resumption included.
 *
 * Input layout: byte 0 chooses the configuration (PL_FUZZ_SERVER_* bits); byte 1 + 1 is the size
 * of the pieces the client's bytes are fed in; the rest is what the client sends. Client
 * certificates, when asked for, are not verified (a fuzzed chain cannot be; the X.509 targets
 * fuzz verification) but their signature is checked. */
#ifndef PL_FUZZ_SERVER_DRIVER_H
#define PL_FUZZ_SERVER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "conn_driver.h"
#include "padlock/padlock.h"

#define PL_FUZZ_SERVER_CLIENT_AUTH 0x01 /* ask for a client certificate (optional) */
#define PL_FUZZ_SERVER_P384_ONLY 0x02   /* take only P-384: an X25519 share gets a retry */
#define PL_FUZZ_SERVER_REQUIRED 0x04    /* with CLIENT_AUTH: required */
#define PL_FUZZ_SERVER_TLS12 0x08       /* speak TLS 1.2 only (a client's TLS 1.2 flights) */
#define PL_FUZZ_SERVER_MODES 16

/* The fixed time of the server (2026-01-01), for clients recording seeds. */
#define PL_FUZZ_SERVER_TIME 1767225600

/* The server's credential, which the client target presents too: a self-signed certificate for
 * "localhost" with a fixed Ed25519 key, the same bytes every time (fixed serial and validity;
 * Ed25519 signatures are deterministic), as PEM into *out_cert (pl_free) and the key as PEM
 * into *out_key (pl_free_secret). Resets the random source (pl_fuzz_server_reset). */
PADLOCK_NODISCARD padlock_err pl_fuzz_credential(char **out_cert, size_t *out_cert_len,
                                                 char **out_key, size_t *out_key_len);

/* The configuration of mode (made once, kept for the process). NULL if it cannot be made. */
padlock_config *pl_fuzz_server_config(uint8_t mode);

/* Resets the deterministic random source: call before each server connection. */
void pl_fuzz_server_reset(void);

/* Runs one input. Stops the process (__builtin_trap) when an invariant breaks: an error without
 * a message, a status that contradicts the state, output left unsent after a call. */
void pl_fuzz_server_run(const uint8_t *data, size_t size, pl_fuzz_conn_result *out);

#endif
