/* The TLS 1.2 server (RFC 5246 §7.3): the full handshake with ECDHE (RFC 8422) and an ECDSA or
 * RSA certificate, AEAD suites only, the extended master secret required (RFC 7627; unless
 * configured otherwise), client certificates (RFC 5246 §7.4.4 - §7.4.8) and
 * renegotiation refused (RFC 5746); resumption by session ID or ticket (RFC 5077). The TLS 1.3
 * server hands a ClientHello that negotiates TLS 1.2 to pl_server12_on_client_hello, which
 * switches the connection to this table. server12_hello.c chooses and sends the server's
 * flight; server12.c has the table and the client's flight; server12_resume.c resumption. */
#ifndef PL_HS_SERVER12_H
#define PL_HS_SERVER12_H

#include <stdint.h>

#include "hs/auth13.h"
#include "hs/driver.h"
#include "hs/finished12.h"
#include "hs/keysched12.h"
#include "hs/msg_log.h"
#include "hs/tls.h"
#include "hs/transcript.h"

typedef enum pl_server12_state {
    PL_S12_WAIT_CKE,      /* our flight is out: ServerHello .. ServerHelloDone */
    PL_S12_WAIT_CCS,      /* the client's change_cipher_spec */
    PL_S12_WAIT_CERT,     /* we sent a CertificateRequest: the client's Certificate */
    PL_S12_WAIT_CV,       /* the client's CertificateVerify, after its ClientKeyExchange */
    PL_S12_WAIT_FINISHED, /* the client's Finished, under its new keys */
    PL_S12_CONNECTED,
    PL_S12_NUM_STATES
} pl_server12_state;

/* The server's TLS 1.2 state machine (entered from the TLS 1.3 server's table). */
extern const pl_hs_table pl_server12_table;

/* What the TLS 1.2 server keeps while the handshake runs (tls->hs), wiped when it ends. */
typedef struct pl_server12_hs {
    pl_transcript transcript; /* with the suite's (PRF) hash */
    pl_scratch scratch;
    uint8_t client_random[PL_RANDOM_LEN];
    uint8_t server_random[PL_RANDOM_LEN];
    pl_kx_key share;           /* our ephemeral ECDHE key */
    pl_ks12_master master;     /* set at the ClientKeyExchange */
    pl_record_keys read_keys;  /* the client's, installed at its change_cipher_spec */
    pl_record_keys write_keys; /* ours, installed at our change_cipher_spec */
    uint8_t session_id[32];    /* the ServerHello's: a new one for the cache, or the echo */
    uint8_t session_id_len;
    uint8_t resumed;           /* the abbreviated handshake of a stored session */
    uint8_t issue_ticket;      /* full handshake: a NewSessionTicket follows the client's
                                  Finished (RFC 5077 §3.3) */
    uint8_t ems;               /* the client offered the extended master secret (RFC 7627) */
    uint16_t resumed_suite;    /* the stored session's cipher suite */
    uint16_t client_version;   /* the ClientHello's legacy_version (RFC 5246 §7.4.7.1) */
    const pl_privkey *rsa_key; /* RSA key transport: our certificate's key */
    pl_auth13_leaf leaf;       /* the client's certificate key, when it sent a certificate */
    uint8_t client_cert;       /* the client sent a certificate: its CertificateVerify follows */
    uint8_t keep_log;          /* a client certificate is expected: the messages are kept */
    pl_msg_log log;            /* the handshake messages so far, which a TLS 1.2
                                  CertificateVerify signs (RFC 5246 §7.4.8); freed after it */
} pl_server12_hs;

/* The signature schemes this server accepts in TLS 1.2 (RFC 5246 §7.4.1.4.1 with the RFC 8446
 * code points; no SHA-1, no SHA-224), in its order of preference: for its ServerKeyExchange
 * and in its CertificateRequest. */
extern const uint16_t pl_server12_sig_algs[];
extern const size_t pl_server12_num_sig_algs;

/* Takes a handshake message into the transcript and, while a client certificate is expected,
 * into h->log. */
PL_NODISCARD padlock_err pl_server12_take(pl_server12_hs *h, const uint8_t *msg, size_t len);

/* Sends a handshake message, taken as by pl_server12_take. */
PL_NODISCARD padlock_err pl_server12_send(pl_tls *tls, pl_server12_hs *h, const uint8_t *msg,
                                          size_t len);

/* The TLS 1.3 server's START handler for a ClientHello (ch, parsed from msg) that negotiated
 * TLS 1.2: chooses suite, certificate, signature scheme and group, sends ServerHello,
 * Certificate, ServerKeyExchange and ServerHelloDone, and switches tls to pl_server12_table
 * (PL_S12_WAIT_CKE in *out_next). Refusals are HANDSHAKE_FAILURE (nothing in common, no
 * extended master secret), ILLEGAL_PARAMETER or NO_APPLICATION_PROTOCOL, each naming what. */
PL_NODISCARD padlock_err pl_server12_on_client_hello(pl_tls *tls, const pl_client_hello *ch,
                                                     const pl_hs_msg *msg, uint8_t *out_next);

/* Sends our change_cipher_spec and Finished over the transcript so far (RFC 5246 §7.1, §7.4.9),
 * switching to our new keys between them, and flushes. */
PL_NODISCARD padlock_err pl_server12_send_ccs_finished(pl_tls *tls, pl_server12_hs *h);

/* ---- server12_auth.c ---- */

/* Sends our CertificateRequest (RFC 5246 §7.4.4). */
PL_NODISCARD padlock_err pl_server12_send_cr(pl_tls *tls, pl_server12_hs *h);

/* The table's handlers for the client's Certificate (RFC 5246 §7.4.6; verified as
 * pl_auth13_take_chain does, an empty one refused with HANDSHAKE_FAILURE when client
 * certificates are required) and CertificateVerify (§7.4.8: ILLEGAL_PARAMETER for a scheme not
 * offered or not fitting the certificate's key, BAD_SIGNATURE). */
PL_NODISCARD padlock_err pl_server12_on_certificate(pl_tls *tls, const pl_hs_msg *msg,
                                                    uint8_t *out_next);
PL_NODISCARD padlock_err pl_server12_on_certificate_verify(pl_tls *tls, const pl_hs_msg *msg,
                                                           uint8_t *out_next);

/* ---- server12_resume.c ---- */

/* The stored session a ClientHello asks to resume, by ticket (RFC 5077 §3.4: with a session ID
 * to echo) or by session ID in the cache: *out_found is 1 with its master secret in h->master
 * and its suite in h->resumed_suite when one passes every check (version, lifetime, suite
 * offered and accepted, server name, extended master secret, the client certificate a server
 * that requires one needs), its client chain in tls->peer_certs; 0 means a full handshake.
 * HANDSHAKE_FAILURE when such a session is offered without the extended master secret (RFC 7627
 * §5.3); NO_MEMORY, DECODE. */
PL_NODISCARD padlock_err pl_server12_find_session(pl_tls *tls, const pl_client_hello *ch,
                                                  pl_server12_hs *h, int *out_found);

/* Sends a NewSessionTicket (RFC 5077 §3.3) sealing this connection's session. */
PL_NODISCARD padlock_err pl_server12_send_ticket(pl_tls *tls, pl_server12_hs *h);

/* Keeps this connection's session in the cache under h->session_id. */
PL_NODISCARD padlock_err pl_server12_cache_session(pl_tls *tls, const pl_server12_hs *h);

#endif
