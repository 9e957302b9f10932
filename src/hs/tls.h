/* The protocol state of one TLS 1.3 connection, shared by both roles: the record stream, the
 * first fatal error, the handshake state and the role's handshake-only state, and what lives
 * on after the handshake (negotiated parameters, the peer's certificates, application traffic,
 * exporter and resumption secrets, received tickets). The public connection (src/conn.c) wraps
 * one; the driver (driver.h) moves it through its role's state table; client13.c and
 * server13.c fill in the role. Long-lived fields are kept narrow (DESIGN.md §11): everything a
 * handshake needs only while it runs is in the heap block tls->hs, freed when it ends. */
#ifndef PL_HS_TLS_H
#define PL_HS_TLS_H

#include <stddef.h>
#include <stdint.h>

#include "hs/config.h"
#include "hs/keysched12.h"
#include "hs/keysched13.h"
#include "hs/peer_chain.h"
#include "hs/suite.h"
#include "hs/ticket13.h"
#include "hs/transcript.h"
#include "record/rio.h"
#include "util/err.h"
#include "util/log.h"

struct pl_hs_table;

/* What a TLS 1.2 connection keeps for the keying material exporter (RFC 5705 §4): its master
 * secret (always extended, RFC 7627 §5.4) and both randoms. */
typedef struct pl_tls12_export {
    pl_ks12_master master;
    uint8_t client_random[PL_RANDOM_LEN];
    uint8_t server_random[PL_RANDOM_LEN];
} pl_tls12_export;

typedef struct pl_tls {
    const pl_hs_config *cfg;         /* borrowed from the configuration */
    const struct pl_hs_table *table; /* the role's state machine */
    pl_rio rio;
    pl_errinfo err;    /* the first fatal error, with a detail naming what was at fault */
    void *hs;          /* the role's handshake-only state; NULL before start and once done */
    char *server_name; /* client: the name set for the server (SNI, verification); server: the
                          SNI the client sent; owned, NUL-terminated */
    char *alpn;        /* the negotiated application protocol, NUL-terminated, or NULL */
    pl_peer_chain *peer_certs; /* NULL until the peer sent certificates; a reference */
    const pl_suite *suite;     /* NULL until the ServerHello */
    uint8_t state;             /* a state of table */
    uint8_t started;           /* the handshake began (pl_hs_begin) */
    uint8_t connected;         /* the handshake completed */
    uint8_t resumed;           /* the handshake resumed a session with a ticket's PSK */
    uint8_t ku_owed;           /* the peer asked for a KeyUpdate we have not sent yet */
    uint16_t version;          /* negotiated protocol version, 0 until known */
    uint16_t group;            /* key exchange group */
    uint16_t peer_sig_scheme;  /* the scheme of the peer's CertificateVerify */
    uint32_t ku_sent;          /* KeyUpdate messages sent and received (for tests, stats) */
    uint32_t ku_received;
    pl_ks13_secret write_secret;    /* our current application traffic secret */
    pl_ks13_secret read_secret;     /* the peer's */
    pl_ks13_secret exporter;        /* exporter_master_secret (RFC 8446 §7.5) */
    pl_ks13_secret resumption;      /* resumption_master_secret (§7.1) */
    pl_ticket13_list tickets;       /* client: tickets received (§4.6.1) */
    pl_tls12_export *export12;      /* TLS 1.2: set when the handshake completes; owned */
    struct pl_session12 *session12; /* client: the TLS 1.2 session to offer (imported), then
                                       the one this connection made; owned, or NULL */
} pl_tls;

/* Initialises tls for a role table over the configuration (borrowed; it must outlive tls);
 * record buffers come from pool. */
void pl_tls_init(pl_tls *tls, const pl_hs_config *cfg, const struct pl_hs_table *table,
                 pl_pool *pool);

/* Frees and wipes everything tls holds, including the handshake state. */
void pl_tls_cleanup(pl_tls *tls);

/* Frees the handshake-only state (wiping its secrets) through the table. */
void pl_tls_free_hs(pl_tls *tls);

/* Records the first fatal error with a printf-style detail (see pl_errinfo_set) and returns
 * the held code, so that handlers can `return pl_tls_fail(...)`. */
padlock_err pl_tls_fail(pl_tls *tls, padlock_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The outcome rc of verifying a signature of the peer's (scheme: its name) with its
 * certificate's key, in the message `where` names ("ServerKeyExchange", "server
 * CertificateVerify"): PADLOCK_OK when rc is, else the connection fails (pl_tls_fail) with
 * PADLOCK_E_BAD_SIGNATURE (decrypt_error) for a signature that does not verify,
 * PADLOCK_E_BAD_CERTIFICATE (bad_certificate) for a key that cannot verify it (malformed, or its
 * parameters exclude the scheme), and rc itself otherwise. */
PL_NODISCARD padlock_err pl_tls_check_peer_signature(pl_tls *tls, padlock_err rc,
                                                     const char *where, const char *scheme);

/* The peer's signer role: what a CertificateVerify received here is signed as. */
pl_role pl_tls_peer_role(const pl_tls *tls);

/* Installs secret (a traffic secret of the negotiated suite) as the peer's (read) or our
 * (write) record protection (RFC 8446 §7.3). */
PL_NODISCARD padlock_err pl_tls_set_read_secret(pl_tls *tls, const pl_ks13_secret *secret);
PL_NODISCARD padlock_err pl_tls_set_write_secret(pl_tls *tls, const pl_ks13_secret *secret);

/* Hands a key log line for secret to the configuration's key-log hook, if any (the line is
 * wiped afterwards). client_random is the ClientHello's random. */
void pl_tls_keylog(pl_tls *tls, const uint8_t client_random[PL_RANDOM_LEN], pl_keylog_label label,
                   const pl_ks13_secret *secret);

/* The same for a secret given as bytes (the TLS 1.2 master secret: CLIENT_RANDOM). */
void pl_tls_keylog_bytes(pl_tls *tls, const uint8_t client_random[PL_RANDOM_LEN],
                         pl_keylog_label label, const uint8_t *secret, size_t secret_len);

/* Sends one whole handshake message: hashes it into t (if not NULL) and queues it. */
PL_NODISCARD padlock_err pl_tls_send_message(pl_tls *tls, pl_transcript *t, const uint8_t *msg,
                                             size_t len);

/* ---- Steps of the handshake both roles take alike (RFC 8446 §4.4.4, §7.1) ---- */

/* From the Early Secret and the (EC)DHE output: the Handshake Secret, from it the Master Secret
 * (*out_master) and both handshake traffic secrets with their key log lines, and record
 * protection with them, ours for writing (installed first, so that an alert about the peer's
 * next record is protected too) and the peer's for reading. The traffic secrets themselves are
 * not kept: what the handshake still needs of them are their finished_keys (§4.4.4),
 * *out_c_finished and *out_s_finished. th is the transcript hash through the ServerHello; early
 * is wiped. */
PL_NODISCARD padlock_err pl_tls_handshake_secrets(
    pl_tls *tls, pl_ks13_early *early, const uint8_t *shared, size_t shared_len,
    const pl_digest *th, const uint8_t client_random[PL_RANDOM_LEN], pl_ks13_master *out_master,
    pl_ks13_secret *out_c_finished, pl_ks13_secret *out_s_finished);

/* The application traffic secrets (ours in tls->write_secret, the peer's in tls->read_secret)
 * and the exporter master secret, with their key log lines; th is the transcript hash through
 * the server's Finished. Nothing is installed: each role switches keys at its own moment. */
PL_NODISCARD padlock_err pl_tls_application_secrets(pl_tls *tls, const pl_ks13_master *master,
                                                    const pl_digest *th,
                                                    const uint8_t client_random[PL_RANDOM_LEN]);

/* Sends our Finished over the transcript so far (finished_key: ours, from
 * pl_tls_handshake_secrets) and hashes it into t. */
PL_NODISCARD padlock_err pl_tls_send_finished(pl_tls *tls, pl_transcript *t,
                                              const pl_ks13_secret *finished_key);

/* Checks the peer's Finished against the transcript so far (finished_key: the peer's, from
 * pl_tls_handshake_secrets) in constant time and hashes it into t. PADLOCK_E_DECRYPT_ERROR
 * (§4.4.4) or PADLOCK_E_DECODE (wrong length), with a detail naming the peer. */
PL_NODISCARD padlock_err pl_tls_check_finished(pl_tls *tls, pl_transcript *t,
                                               const pl_ks13_secret *finished_key,
                                               const pl_hs_msg *msg);

/* A growable work buffer for building outgoing handshake messages, owned by handshake state. */
typedef struct pl_scratch {
    uint8_t *p;
    size_t cap;
} pl_scratch;

/* Starts *out as an empty builder over at least need bytes of s (grown if needed). */
PL_NODISCARD padlock_err pl_scratch_buf(pl_scratch *s, size_t need, pl_buf *out);

/* Frees the work buffer, wiping it. */
void pl_scratch_cleanup(pl_scratch *s);

/* ---- Post-handshake (post13.c), both roles ---- */

/* The KeyUpdate handler of a connected state, for the table of either role (RFC 8446 §4.6.3):
 * installs the peer's next traffic secret and, when asked, owes the peer a KeyUpdate of our
 * own (sent by pl_tls_pay_key_update). Stays in the state. Errors: DECODE, ILLEGAL_PARAMETER
 * (request_update other than 0 or 1), UNEXPECTED_MESSAGE (the KeyUpdate does not end its
 * record, §5.1). */
PL_NODISCARD padlock_err pl_tls_on_key_update(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next);

/* Sends a KeyUpdate (request_update 0 or 1) under the current keys and moves to the next
 * write traffic secret (§7.2). Pays any owed update. PADLOCK_E_STATE before the handshake
 * completed. */
PL_NODISCARD padlock_err pl_tls_send_key_update(pl_tls *tls, uint8_t request_update);

/* Sends the KeyUpdate the peer asked for, if one is owed. */
PL_NODISCARD padlock_err pl_tls_pay_key_update(pl_tls *tls);

/* TLS-Exporter (RFC 8446 §7.5) with the exporter_master_secret: out_len bytes. PADLOCK_E_STATE
 * before the handshake completed; the errors of pl_ks13_export. */
PL_NODISCARD padlock_err pl_tls_export(const pl_tls *tls, uint8_t *out, size_t out_len,
                                       const char *label, const uint8_t *context,
                                       size_t context_len);

#endif
