/* A scripted TLS 1.2 client for tests of the TLS 1.2 server (see client12.c): each step of
 * the client's side of RFC 5246 §7.3 as a function over a padlock server connection. */
#ifndef PL_TEST_CLIENT12_H
#define PL_TEST_CLIENT12_H

#include <stddef.h>
#include <stdint.h>

#include "hs/keysched12.h"
#include "hs/suite.h"
#include "hs/transcript.h"
#include "padlock/padlock.h"
#include "record/record.h"

/* The client: the server connection it talks to, its transcript and record directions. */
typedef struct pl_client12 {
    padlock_conn *conn;
    const pl_suite *suite;
    pl_transcript transcript;
    uint8_t client_random[PL_RANDOM_LEN];
    uint8_t server_random[PL_RANDOM_LEN];
    uint16_t group;
    uint8_t point[PL_KX_MAX_SHARE_LEN]; /* the server's ECDHE share */
    size_t point_len;
    pl_record_dir tx, rx;
    pl_ks12_master master;
    uint8_t out[32768]; /* what the server sent, not yet read */
    size_t out_len;
    uint8_t spki[1024]; /* the server's public key (RSA key transport encrypts to it) */
    size_t spki_len;
    int rsa_spoil;
    uint8_t session_id[32]; /* the ServerHello's */
    uint8_t session_id_len;
    uint8_t ticket_promised; /* the ServerHello had session_ticket */
    uint8_t ticket[1024];    /* the NewSessionTicket's, if one came */
    size_t ticket_len;
    uint8_t *sent; /* the opts' recording buffer, or NULL */
    size_t sent_len, sent_cap;
    uint8_t no_ems;         /* no extended master secret: the RFC 5246 one */
    uint8_t cr_seen;        /* the server's flight had a CertificateRequest */
    uint8_t hs_log[16384];  /* every handshake message so far (a CertificateVerify signs them) */
    size_t hs_log_len;
} pl_client12;

/* What the ClientHello offers: one suite (and TLS_FALLBACK_SCSV if asked), the group (and
 * P-256, the test certificates' curve), extended_master_secret and renegotiation_info (with a
 * non-empty value if asked). */
typedef struct pl_client12_opts {
    uint16_t suite;
    uint16_t group;
    uint16_t scheme; /* the one signature scheme offered (0: ECDSA P-256, RSA-PSS, RSA PKCS#1) */
    int fallback_scsv;
    int reneg_nonempty;
    uint8_t *sent; /* when not NULL: every byte the client sends is appended here */
    size_t sent_cap;
    void (*after_new)(void); /* when not NULL: called once the server connection exists */
    const uint8_t *session_id; /* legacy_session_id to send (NULL: none) */
    uint8_t session_id_len;
    int offer_ticket;         /* send session_ticket (with ticket[0..ticket_len) if set) */
    const uint8_t *ticket;
    size_t ticket_len;
    /* RSA key transport suites: how to spoil the encrypted pre-master secret (0: not at all;
     * 1: one byte short; 2: a wrong client_version inside; 3: random bytes). */
    int rsa_spoil;
    int expect_cr; /* the server's flight must carry a CertificateRequest (checked) */
    int no_ems;    /* omit extended_master_secret (and derive the RFC 5246 master secret) */
    /* Client authentication, when the server asks: this credential's chain (NULL: an empty
     * Certificate) and a CertificateVerify with cv_scheme (0: the first the key fits). */
    const struct pl_x509_credential *cred;
    uint16_t cv_scheme;
} pl_client12_opts;

/* The change_cipher_spec record's one byte. */
extern const uint8_t pl_client12_ccs;

/* Seals a record of type (with the keys in c->tx) and feeds it to the server. */
void pl_client12_send(pl_client12 *c, uint8_t type, const uint8_t *data, size_t len);

/* Appends everything the server has to send to c->out. */
void pl_client12_drain(pl_client12 *c);

/* Opens the next record of c->out at *off (with the keys in c->rx); 0 when none is left. */
int pl_client12_next(pl_client12 *c, size_t *off, pl_record *out);

/* Builds the ClientHello of o into msg[0..cap); returns its length. */
size_t pl_client12_hello(pl_client12 *c, const pl_client12_opts *o, uint8_t *msg, size_t cap);

/* A new connection of cfg, sent the ClientHello of o; the server's answer is in c->out. */
void pl_client12_start(pl_client12 *c, padlock_config *cfg, const pl_client12_opts *o);

/* Frees the connection and the client's state. */
void pl_client12_finish(pl_client12 *c);

/* Reads and checks the server's first flight in c->out (then emptied). */
void pl_client12_read_flight(pl_client12 *c, const pl_client12_opts *o);

/* Builds the ClientKeyExchange into msg and derives the master secret and both directions'
 * record keys; returns the message's length. */
size_t pl_client12_key_exchange(pl_client12 *c, uint8_t *msg, size_t cap, pl_record_keys *ck,
                                pl_record_keys *sk);

/* Takes a message we send into the transcript and the handshake log. */
void pl_client12_keep(pl_client12 *c, const uint8_t *msg, size_t len);

/* Builds the client's Certificate of cred (NULL: empty) into msg; returns its length. */
size_t pl_client12_certificate(pl_client12 *c, const struct pl_x509_credential *cred, uint8_t *msg,
                               size_t cap);

/* Builds a CertificateVerify into msg: cred's key signs the handshake log with scheme (flip >= 0:
 * that byte of the signed messages altered first). */
size_t pl_client12_certificate_verify(pl_client12 *c, const struct pl_x509_credential *cred,
                                      uint16_t scheme, int flip, uint8_t *msg, size_t cap);

/* Builds the client's Finished into msg (flip >= 0: that byte of verify_data altered). */
size_t pl_client12_finished(pl_client12 *c, int flip, uint8_t *msg, size_t cap);

/* A whole handshake with cfg (answering a CertificateRequest as o says); the connection is left
 * open in c. */
void pl_client12_handshake(pl_client12 *c, padlock_config *cfg, const pl_client12_opts *o);

/* An abbreviated handshake (RFC 5246 §7.3) resuming master, offered as o says (its session ID,
 * its ticket): checks the ServerHello's echo, the server's change_cipher_spec and Finished, and
 * sends the client's. */
void pl_client12_resume(pl_client12 *c, padlock_config *cfg, const pl_client12_opts *o,
                        const pl_ks12_master *master);

/* Application data both ways: a line to the server, 40 KB from it. */
void pl_client12_exchange(pl_client12 *c);

/* Sends close_notify. */
void pl_client12_close(pl_client12 *c);

/* Takes what the server sends and fails the test unless the server failed with code, its error
 * message contains needle (NULL: any message), and it sent exactly one alert record, fatal and
 * of description alert (plaintext or under its keys). Then frees the connection
 * (pl_client12_finish). */
void pl_client12_expect_failure(pl_client12 *c, padlock_err code, uint8_t alert,
                                const char *needle);

#endif
