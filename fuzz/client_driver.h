/* The body of the client fuzz target (fuzz/client.c), shared with the unit test that replays
 * the committed seeds (tests/unit/test_fuzz_seeds.c) and with the interop test that captures
 * a real server's flight as a seed: the same client configuration everywhere, so that a seed
 * recorded once keeps decrypting as long as the client's ClientHello does not change.
 *
 * Input layout: byte 0 (modulo PL_FUZZ_CLIENT_MODES) chooses the client (bit 0 set: the RFC 8448
 * trace's ClientHello, random and X25519 key, name "server"; clear: the default ClientHello with a
 * fixed deterministic random source, name "localhost"; bit 1 set: it has a certificate to present
 * when asked, the server target's); byte 1 + 1 is the size of the pieces the server's bytes are fed
 * in; the rest is what the server sends. Verification is off (a fuzzed chain cannot be signed; the
 * X.509 targets fuzz verification) and the clock is fixed. */
#ifndef PL_FUZZ_CLIENT_DRIVER_H
#define PL_FUZZ_CLIENT_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "conn_driver.h"
#include "padlock/padlock.h"

#define PL_FUZZ_CLIENT_RFC8448 0x01
#define PL_FUZZ_CLIENT_CERT 0x02
#define PL_FUZZ_CLIENT_MODES 4 /* byte 0 is taken modulo this */

/* A client as the target makes them, its ClientHello not yet built. Free both. */
padlock_err pl_fuzz_client_new(uint8_t mode, padlock_config **out_cfg, padlock_conn **out_conn);

/* Runs one input. Stops the process (__builtin_trap) when an invariant breaks: an error without
 * a message, a status that contradicts the state, output left unsent after a call. */
void pl_fuzz_client_run(const uint8_t *data, size_t size, pl_fuzz_conn_result *out);

#endif
