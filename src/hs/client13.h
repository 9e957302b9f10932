/* The TLS 1.3 client (RFC 8446 §2, Appendix A.1): its states, its table for the driver, and the
 * state it keeps only while the handshake runs. client13.c holds the table and the handlers
 * from EncryptedExtensions on; client13_hello.c builds the ClientHello and handles ServerHello
 * and HelloRetryRequest. */
#ifndef PL_HS_CLIENT13_H
#define PL_HS_CLIENT13_H

#include <stddef.h>
#include <stdint.h>

#include "ext/ext.h"
#include "hs/auth13.h"
#include "hs/driver.h"
#include "hs/keysched13.h"
#include "hs/tls.h"
#include "hs/transcript.h"

/* RFC 8446 Appendix A.1, with the wait for a ServerHello after a HelloRetryRequest as a state
 * of its own so that a second HelloRetryRequest is unexpected by the table (§4.1.4). */
typedef enum pl_client13_state {
    PL_C13_START,
    PL_C13_WAIT_SH,
    PL_C13_WAIT_SH_RETRY,
    PL_C13_WAIT_EE,
    PL_C13_WAIT_CERT_CR,
    PL_C13_WAIT_CERT,
    PL_C13_WAIT_CV,
    PL_C13_WAIT_FINISHED,
    PL_C13_CONNECTED,
    PL_C13_NUM_STATES
} pl_client13_state;

/* The client's state machine, for pl_tls_init. */
extern const pl_hs_table pl_client13_table;

/* What the client keeps while the handshake runs (tls->hs), freed and wiped when it ends. */
typedef struct pl_client13_hs {
    pl_transcript transcript;
    pl_scratch scratch; /* where outgoing messages are built */
    uint8_t random[PL_RANDOM_LEN];
    uint8_t session_id[PL_SESSION_ID_MAX];
    uint8_t session_id_len;
    uint8_t cert_requested;    /* a CertificateRequest arrived (its context is empty, §4.3.2) */
    uint16_t hrr_suite;        /* cipher suite of the HelloRetryRequest, 0 if none */
    uint16_t cred_scheme;      /* scheme our CertificateVerify will use */
    uint32_t offered;          /* extensions our ClientHello carried (pl_ext_mask) */
    pl_kx_key share;           /* our key share (replaced after a HelloRetryRequest) */
    pl_ks13_master master;     /* made with the handshake keys, used after the server's Finished */
    pl_ks13_secret c_finished; /* finished_key of client_handshake_traffic_secret (§4.4.4) */
    pl_ks13_secret s_finished; /* finished_key of server_handshake_traffic_secret */
    pl_auth13_leaf leaf;       /* the server's key, once its Certificate arrived */
    const struct pl_x509_credential *cred; /* our certificate for a CertificateRequest */
    pl_ticket13 *psk_ticket; /* the session offered in pre_shared_key, owned; NULL if none */
    pl_ks13_early psk_early; /* the Early Secret of psk_ticket's PSK, made for its binder */
    uint8_t psk_accepted;    /* the ServerHello accepted it: no certificate follows */
    uint8_t offered12;       /* tls->session12 was offered (session ID or ticket, TLS 1.2) */
    const uint8_t *ch;       /* our last ClientHello, in scratch (a TLS 1.2 CertificateVerify
                                signs it) */
    size_t ch_len;
} pl_client13_hs;

/* 1 if our ClientHello offers TLS 1.3 (enabled, with suites), resp. TLS 1.2 (enabled, with
 * suites, and no profile: a profile's hello is TLS 1.3's). */
int pl_client13_offers13(const pl_tls *tls);
int pl_client13_offers12(const pl_tls *tls);

/* Keeps the server's ALPN choice (in message what), which must be one of ours (RFC 7301 §3.2:
 * the server "will only select a protocol if the client supports it"): ILLEGAL_PARAMETER
 * otherwise. */
PL_NODISCARD padlock_err pl_client13_take_alpn(pl_tls *tls, pl_cur chosen, const char *what);

/* The offered lists of the ClientHello: the profile's, or padlock's defaults. */
const uint16_t *pl_client13_sig_algs(const pl_tls *tls, size_t *out_num);

/* A bound on the bytes of our ClientHello's extensions block other than the server name, the
 * ALPN list, the tickets and a HelloRetryRequest's cookie: the lists (at most 8 groups, 64
 * signature schemes twice), one key share, the fixed extensions and the framing of
 * pre_shared_key, session_ticket and ALPN come to about 600. */
#define PL_CLIENT13_EXTS_OTHER_MAX 1024

/* The longest ALPN list (ProtocolNameList body) a client configuration takes: with the longest
 * server name sent and everything else, the ClientHello's extensions still fit (RFC 8446
 * §4.1.2: extensions<8..2^16-1>). */
#define PL_CLIENT13_ALPN_MAX (0xffffu - PL_CLIENT13_EXTS_OTHER_MAX - PL_EXT_SNI_HOST_MAX)

/* The longest ticket our ClientHello can carry besides everything else it offers (RFC 8446
 * §4.1.2: extensions<8..2^16-1>; the server name and ALPN list of tls counted): a session with
 * a longer ticket, which a server may issue (ticket<1..2^16-1>), is not offered. When both a
 * TLS 1.3 and a TLS 1.2 session are offered their tickets share it. */
size_t pl_client13_ticket_room(const pl_tls *tls);

/* Resumption (client13_psk.c). */

/* Takes the newest session that may be offered now (lifetime, server name, a configured suite
 * of its hash, a ticket that fits the ClientHello beside the TLS 1.2 session's, h->offered12)
 * out of tls->tickets into h->psk_ticket; unusable ones are dropped. */
void pl_client13_pick_session(pl_tls *tls, pl_client13_hs *h);

/* Forgets the offered session (wiping its PSK). */
void pl_client13_drop_session(pl_client13_hs *h);

/* The bytes the offered session's identities list takes (0 when none is offered). */
size_t pl_client13_psk_room(const pl_client13_hs *h);

/* Fills e's pre_shared_key fields for the offered session: its identity written into
 * identities (pl_client13_psk_room bytes), a zero binder into binders[0..binders_cap). */
PL_NODISCARD padlock_err pl_client13_psk_fields(pl_tls *tls, const pl_client13_hs *h,
                                                pl_buf *identities, uint8_t *binders,
                                                size_t binders_cap, pl_exts *e);

/* Overwrites the binder at the end of the built ClientHello msg (built from ch) with the
 * session's real one (RFC 8446 §4.2.11.2) and hashes msg into h->transcript (the part before
 * the binders first, which the binder covers; the caller does not hash msg again); keeps the
 * PSK's Early Secret in h->psk_early for the schedule if the server accepts the session. */
PL_NODISCARD padlock_err pl_client13_bind(pl_client13_hs *h, const pl_client_hello *ch,
                                          pl_buf *msg);

/* Handlers of client13_hello.c: the START row (build and send the ClientHello), ServerHello and
 * HelloRetryRequest. */
PL_NODISCARD padlock_err pl_client13_start(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next);
PL_NODISCARD padlock_err pl_client13_on_server_hello(pl_tls *tls, const pl_hs_msg *msg,
                                                     uint8_t *out_next);
PL_NODISCARD padlock_err pl_client13_on_hello_retry(pl_tls *tls, const pl_hs_msg *msg,
                                                    uint8_t *out_next);

#endif
