/* A padlock client and a padlock server connected in memory: what one outputs is queued for the
 * other, and pl_pair_pump moves bytes until neither side has anything left to give or take.
 * Configurations come from pl_pki's certificates. Every failure fails the test. */
#ifndef PL_TEST_PAIR_H
#define PL_TEST_PAIR_H

#include <stddef.h>
#include <stdint.h>

#include "padlock/padlock.h"

typedef struct pl_pair {
    padlock_conn *client;
    padlock_conn *server;
    uint8_t *to_server; /* bytes the client sent that the server has not taken yet */
    size_t to_server_len;
    uint8_t *to_client;
    size_t to_client_len;
    /* Called with the client's bytes before they are queued for the server (tampering);
     * NULL: none. */
    void (*tap)(void *ctx, uint8_t *data, size_t len);
    /* The same for the server's bytes before they are queued for the client. */
    void (*tap_to_client)(void *ctx, uint8_t *data, size_t len);
    void *tap_ctx; /* for both */
} pl_pair;

/* A server configuration presenting the chain of kind ("p256", ... see pki.h). */
padlock_config *pl_pair_server_config(const char *kind);

/* A client configuration that trusts the test root. */
padlock_config *pl_pair_client_config(void);

/* A server configuration presenting the "p256" chain and asking for client certificates (mode),
 * checked against the test root. The caller frees it. */
padlock_config *pl_pair_client_auth_server(padlock_client_auth mode);

/* A client configuration that trusts the test root and presents the chain "<name>-chain.pem"
 * with the key "<name>.key" (NULL: no certificate). The caller frees it. */
padlock_config *pl_pair_client_with_cert(const char *name);

/* Client certificates the server must refuse, each from a client limited to TLS 1.2 ..
 * client_max_version: "rogue" (untrusted: unknown_ca) and "expired" (certificate_expired). Each
 * is refused by server_cfg with that error and alert, in a message naming the certificate
 * ("CN="), in the version client_max_version. */
void pl_pair_expect_bad_client_certs(padlock_config *server_cfg, uint16_t client_max_version);

/* Connects new connections of the two configurations; the client asks for server_name (NULL:
 * "localhost"). The configurations stay the caller's. One pair is open at a time. */
void pl_pair_open(pl_pair *p, padlock_config *client_cfg, padlock_config *server_cfg,
                  const char *server_name);

/* Frees both connections. */
void pl_pair_close(pl_pair *p);

/* Moves bytes both ways until nothing moves; returns how many moved. A side that holds
 * application data takes nothing more until it is read. */
size_t pl_pair_pump(pl_pair *p);

/* Pumps until both handshakes are done and the server's tickets reached the client; fails the
 * test with both sides' errors otherwise. */
void pl_pair_handshake(pl_pair *p);

/* Sends data[0..len) from one side and reads it on the other, checking every byte. */
void pl_pair_transfer(pl_pair *p, padlock_conn *from, const uint8_t *data, size_t len);

/* Asserts that conn failed with code and, if alert is not -1, that its peer received that
 * alert (the peer failed with PADLOCK_E_PEER_ALERT naming it). */
void pl_pair_expect_failure(pl_pair *p, padlock_conn *conn, padlock_err code, int alert);

#endif
