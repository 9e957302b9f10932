/* The TLS 1.2 client (RFC 5246 §7.3): ECDHE (RFC 8422) with an ECDSA, EdDSA or RSA certificate,
 * AEAD suites only (RFC 5288, RFC 7905), the extended master secret required (RFC 7627; unless
 * configured otherwise),
 * renegotiation refused (RFC 5746), resumption by session ID or ticket (RFC 5077), our
 * certificate when the server asks (RFC 5246 §7.4.6, §7.4.8). The TLS 1.3 client's ServerHello
 * handler hands a ServerHello that selects TLS 1.2 to pl_client12_on_server_hello, which
 * switches the connection to this table. client12_hello.c
 * checks the ServerHello and decides between the full and the abbreviated handshake;
 * client12_auth.c answers a CertificateRequest; client12.c has the table and the rest. */
#ifndef PL_HS_CLIENT12_H
#define PL_HS_CLIENT12_H

#include <stdint.h>

#include "hs/auth13.h"
#include "hs/client13.h"
#include "hs/driver.h"
#include "hs/finished12.h"
#include "hs/keysched12.h"
#include "hs/msg_log.h"
#include "hs/session12.h"
#include "hs/tls.h"
#include "hs/transcript.h"

typedef enum pl_client12_state {
    PL_C12_WAIT_CERT,     /* full handshake: the server's Certificate */
    PL_C12_WAIT_SKE,      /* its ServerKeyExchange */
    PL_C12_WAIT_SHD,      /* its ServerHelloDone (or a CertificateRequest first) */
    PL_C12_WAIT_SHD_CR,   /* its ServerHelloDone after a CertificateRequest */
    PL_C12_WAIT_NST,      /* the NewSessionTicket the ServerHello announced (RFC 5077 §3.3) */
    PL_C12_WAIT_CCS,      /* the server's change_cipher_spec */
    PL_C12_WAIT_FINISHED, /* its Finished, under its new keys */
    PL_C12_CONNECTED,
    PL_C12_NUM_STATES
} pl_client12_state;

/* The client's TLS 1.2 state machine (entered from the TLS 1.3 client's table). */
extern const pl_hs_table pl_client12_table;

/* The states the TLS 1.3 client's ServerHello handler may enter in pl_client12_table. */
#define PL_C12_ENTRY_STATES                                                                        \
    ((1u << PL_C12_WAIT_CERT) | (1u << PL_C12_WAIT_NST) | (1u << PL_C12_WAIT_CCS))

/* What the TLS 1.2 client keeps while the handshake runs (tls->hs), wiped when it ends. */
typedef struct pl_client12_hs {
    pl_transcript transcript; /* with the suite's (PRF) hash */
    pl_scratch scratch;
    uint8_t client_random[PL_RANDOM_LEN];
    uint8_t server_random[PL_RANDOM_LEN];
    uint8_t session_id[PL_SESSION_ID_MAX]; /* the ServerHello's */
    uint8_t session_id_len;
    uint8_t resumed;         /* the abbreviated handshake of tls->session12 */
    uint8_t ems;             /* the server sent extended_master_secret (RFC 7627) */
    uint8_t ticket_promised; /* the ServerHello had session_ticket: a NewSessionTicket follows */
    uint8_t cert_requested;  /* a CertificateRequest came: we answer with a Certificate */
    uint8_t keep_log;        /* we have certificates: the messages are kept in log */
    uint16_t cred_scheme;    /* the scheme our CertificateVerify signs with */
    const struct pl_x509_credential *cred; /* our certificate for the request; NULL: none */
    pl_msg_log log;                        /* the handshake messages so far (keep_log) */
    uint8_t point_len;
    uint8_t point[PL_KX_MAX_SHARE_LEN]; /* the server's ECDHE share (ServerKeyExchange) */
    const pl_kx_alg *kx;                /* its group */
    pl_auth13_leaf leaf;                /* the server's key, once its Certificate arrived */
    pl_ks12_master master;
    pl_record_keys read_keys;  /* the server's, installed at its change_cipher_spec */
    pl_record_keys write_keys; /* ours, installed at our change_cipher_spec */
    uint8_t *ticket;           /* a NewSessionTicket's ticket (owned), or NULL */
    uint16_t ticket_len;
    uint32_t ticket_hint; /* its ticket_lifetime_hint */
} pl_client12_hs;

/* The TLS 1.3 client's handler for a ServerHello (msg; c13 the TLS 1.3 client's state, with our
 * ClientHello's random, session ID, extensions and transcript) that selects TLS 1.2: checks it
 * (version, downgrade sentinel, suite, extensions, session ID echo) and switches tls to
 * pl_client12_table in the state that follows (PL_C12_ENTRY_STATES). Errors: PROTOCOL_VERSION,
 * ILLEGAL_PARAMETER, HANDSHAKE_FAILURE (no extended master secret when it is required or the
 * session resumed had it), the parser's. */
PL_NODISCARD padlock_err pl_client12_on_server_hello(pl_tls *tls, pl_client13_hs *c13,
                                                     const pl_hs_msg *msg, uint8_t *out_next);

/* Sends our change_cipher_spec and Finished over the transcript so far (RFC 5246 §7.1,
 * §7.4.9), switching to our keys between them, and flushes. */
PL_NODISCARD padlock_err pl_client12_send_ccs_finished(pl_tls *tls, pl_client12_hs *h);

/* ---- Our authentication (client12_auth.c) ---- */

/* Takes a whole handshake message into the transcript (and the log, when kept). Only
 * PADLOCK_E_NO_MEMORY fails. */
PL_NODISCARD padlock_err pl_client12_take(pl_client12_hs *h, const uint8_t *msg, size_t len);

/* Sends a whole handshake message, taking it as pl_client12_take does. */
PL_NODISCARD padlock_err pl_client12_send_message(pl_tls *tls, pl_client12_hs *h,
                                                  const uint8_t *msg, size_t len);

/* The CertificateRequest handler (RFC 5246 §7.4.4): chooses h->cred, moves to WAIT_SHD_CR. */
PL_NODISCARD padlock_err pl_client12_on_certificate_request(pl_tls *tls, const pl_hs_msg *msg,
                                                            uint8_t *out_next);

/* Sends our Certificate (§7.4.6): h->cred's chain, or none. */
PL_NODISCARD padlock_err pl_client12_send_certificate(pl_tls *tls, pl_client12_hs *h);

/* Sends our CertificateVerify (§7.4.8) with h->cred, over the log. */
PL_NODISCARD padlock_err pl_client12_send_verify(pl_tls *tls, pl_client12_hs *h);

/* ---- Offering a session (client12_hello.c), for the TLS 1.3 client's ClientHello ---- */

/* tls->session12 if it may be offered now (TLS 1.2 enabled, lifetime, server name, a suite we
 * offer, a ticket that fits the ClientHello: pl_client13_ticket_room), else NULL. */
const pl_session12 *pl_client12_offerable(const pl_tls *tls);

/* The TLS 1.2 signature schemes a ClientHello offers beyond TLS 1.3's: RSASSA-PKCS1-v1_5, which
 * a TLS 1.2 ServerKeyExchange may use (RFC 8446 §4.2.3: "MAY appear ... for backward
 * compatibility with TLS 1.2"). */
extern const uint16_t pl_client12_extra_sig_algs[];
extern const size_t pl_client12_num_extra_sig_algs;

#endif
