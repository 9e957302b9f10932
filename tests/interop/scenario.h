/* What the TLS 1.3 client interop tests (test_interop_openssl.c, test_interop_gnutls.c) do
 * alike with a running server, each with its own server and its own way of answering: the
 * suite x group matrix, HelloRetryRequest, ALPN, client certificates asked for and required, a
 * refused server certificate, and the exporter compared with the server's. */
#ifndef PL_TEST_INTEROP_SCENARIO_H
#define PL_TEST_INTEROP_SCENARIO_H

#include "peer.h"

/* Sends line (no newline: the function adds it) and checks what the server answers: the same
 * line from an echo server, the line reversed from s_server -rev. */
typedef void (*pl_echo_fn)(pl_client *c, const char *line);

/* Starts the program's own server with the chain whose key is of kind ("p256", ... see
 * make_certs.sh) and the server's extra command-line options. */
typedef void (*pl_start_fn)(pl_peer *p, const char *kind, const char *extra);

/* For each key kind of pl_interop_kinds, a server started with extra (and stopped after): one
 * connection per cipher suite x group, each negotiating TLS 1.3, that suite and group and the
 * kind's signature scheme over a two-certificate chain, echoing "<kind> <suite> <group>" and
 * closing with close_notify. */
void pl_interop_matrix(pl_start_fn start, const char *extra, pl_echo_fn echo);

/* Against a server that accepts only P-384 (and sends a HelloRetryRequest for the client's
 * X25519 share): the handshake completes on P-384 and "after a HelloRetryRequest" echoes. */
void pl_interop_hello_retry(const pl_peer *server, pl_echo_fn echo);

/* A client offering only the ALPN protocol proto gets it and echoes "alpn". */
void pl_interop_alpn(const pl_peer *server, const char *proto, pl_echo_fn echo);

/* Against a server that asks for a client certificate: with the generated one and without one
 * (an empty Certificate), the handshake completes and a line echoes. */
void pl_interop_requested_cert(const pl_peer *server, pl_echo_fn echo);

/* Against a server that requires a client certificate: with the generated one the handshake
 * completes and "required and given" echoes; without, the client's side of the handshake
 * completes and the next read fails with the server's certificate_required alert. */
void pl_interop_required_cert(const pl_peer *server, pl_echo_fn echo);

/* Against a server started with the chain of kind and extra (stopped after): a client asking
 * for server_name (NULL: localhost) fails its handshake with want and a message containing
 * message_part, and the server's output shows server_sees (5 s at most). */
void pl_interop_refused(pl_start_fn start, const char *kind, const char *extra,
                        const char *server_name, padlock_err want, const char *message_part,
                        const char *server_sees);

/* 1 MiB each way in 64 KiB rounds through a client with options o: lines of line_len bytes
 * (printable, from a pl_test_rng seeded with seed, each ending in a newline), each answered by
 * the server with the same line, or with the line reversed when reversed is set (s_server
 * -rev); every byte of the answers checked. */
void pl_interop_one_mebibyte(const pl_peer *server, const pl_client_opts *o, uint64_t seed,
                             size_t line_len, int reversed);

/* A client exports 32 octets with the label "EXPERIMENTAL-padlock" and no context; server
 * prints the same in hex (upper-case digits when upper) within 5 s. */
void pl_interop_exporter(const pl_peer *server, int upper);

/* The tests each TLS 1.3 client interop program defines against its own server, for its cmocka
 * list: every peer gets the whole set. */
#define PL_INTEROP_CLIENT13_TESTS                                                                  \
    cmocka_unit_test(test_matrix), cmocka_unit_test(test_hello_retry_request),                     \
        cmocka_unit_test(test_client_certificate), cmocka_unit_test(test_alpn),                    \
        cmocka_unit_test(test_key_update), cmocka_unit_test(test_one_mebibyte),                    \
        cmocka_unit_test(test_close_notify), cmocka_unit_test(test_exporter),                      \
        cmocka_unit_test(test_wrong_name), cmocka_unit_test(test_untrusted_root),                  \
        cmocka_unit_test(test_expired_leaf)

#endif
