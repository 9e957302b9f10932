/* The TLS 1.3 server (RFC 8446 §2, Appendix A.2): its states, its table for the driver, and the
 * state it keeps only while the handshake runs. server13.c holds the table and the handlers of
 * the client's second flight and the tickets; server13_hello.c the ClientHello handlers and the
 * server's flight; server13_select.c the negotiation (version, suite, group, certificate, ALPN,
 * the second ClientHello's comparison); server13_psk.c resumption with tickets. */
#ifndef PL_HS_SERVER13_H
#define PL_HS_SERVER13_H

#include <stddef.h>
#include <stdint.h>

#include "hs/auth13.h"
#include "hs/driver.h"
#include "hs/keysched13.h"
#include "hs/tls.h"
#include "hs/transcript.h"

struct pl_ticket_state;

/* RFC 8446 Appendix A.2 without the early-data states (padlock never accepts early data), with
 * the wait for the second ClientHello after a HelloRetryRequest as a state of its own and the
 * client's flight split at its certificate messages. */
typedef enum pl_server13_state {
    PL_S13_START,
    PL_S13_WAIT_CH2,
    PL_S13_WAIT_CERT,
    PL_S13_WAIT_CV,
    PL_S13_WAIT_FINISHED,
    PL_S13_CONNECTED,
    PL_S13_NUM_STATES
} pl_server13_state;

/* The server's state machine, for pl_tls_init. */
extern const pl_hs_table pl_server13_table;

/* Refused early data skipped at most (RFC 8446 §4.2.10 bounds it by max_early_data_size; padlock
 * offers none, so this covers a client whose ticket came from a server that did: a full record
 * of early data and another, headers and expansion included). */
#define PL_SERVER13_EARLY_SKIP (2u * (16384u + 256u + 5u))

#define PL_SERVER13_COOKIE_LEN 16
/* Tickets a handshake may issue (padlock_config_set_tickets), and the random bytes each takes:
 * its ticket_age_add and the nonce that seals it. */
#define PL_SERVER13_MAX_TICKETS 8
#define PL_SERVER13_TICKET_RANDOM_LEN (4 + PL_AEAD_NONCE_LEN)

/* What the server chose, in the first ClientHello, that the second must keep. */
typedef struct pl_server13_choice {
    const struct pl_suite *suite;
    uint16_t group;     /* for the key share (the HelloRetryRequest's selected_group) */
    uint8_t need_retry; /* no usable key share: a HelloRetryRequest asks for one */
} pl_server13_choice;

/* A digest of the parts of a ClientHello that a second one must repeat (RFC 8446 §4.1.2). */
typedef struct pl_server13_ch_digest {
    uint8_t fields[32];     /* legacy_version, random, legacy_session_id, compression */
    uint8_t suites[32];     /* cipher_suites */
    uint8_t extensions[32]; /* every extension but those §4.1.2 lets change, in order */
} pl_server13_ch_digest;

/* What the server keeps while the handshake runs (tls->hs), freed and wiped when it ends. */
typedef struct pl_server13_hs {
    pl_transcript transcript;
    pl_scratch scratch; /* where the larger outgoing messages are built */
    uint8_t client_random[PL_RANDOM_LEN];
    uint8_t cert_requested; /* a CertificateRequest was sent */
    uint8_t ticket_nonce;   /* the next NewSessionTicket's nonce */
    pl_server13_choice choice;
    pl_server13_ch_digest ch1;              /* after a HelloRetryRequest */
    uint8_t cookie[PL_SERVER13_COOKIE_LEN]; /* sent in the HelloRetryRequest */
    pl_ks13_master master;                  /* for the resumption master secret */
    pl_ks13_secret c_finished;              /* the client's finished_key (§4.4.4) */
    pl_auth13_leaf leaf;                    /* the client's key, once its Certificate came */
    /* Each ticket's random bytes, drawn with the ServerHello's (one draw per handshake). */
    uint8_t ticket_random[PL_SERVER13_MAX_TICKETS][PL_SERVER13_TICKET_RANDOM_LEN];
} pl_server13_hs;

/* ---- server13_select.c ---- */

/* RFC 8446 §4.2.1, Appendix D; RFC 5246 Appendix E.1: the highest version both sides support
 * and the configuration enables, into *out (0x0304 or 0x0303; TLS 1.2 only for a server that
 * asks for no client certificate). PROTOCOL_VERSION when there is none (TLS 1.1 and older are
 * never negotiated), INAPPROPRIATE_FALLBACK for TLS_FALLBACK_SCSV when TLS 1.3 was possible
 * for us (RFC 7507 §3). */
PL_NODISCARD padlock_err pl_server13_check_version(pl_tls *tls, const pl_client_hello *ch,
                                                   uint16_t *out);

/* Chooses the cipher suite and the key exchange group (a key share the client sent, or a group
 * to ask for with a HelloRetryRequest). HANDSHAKE_FAILURE when nothing is in common,
 * MISSING_EXTENSION when the client offers no (EC)DHE at all. */
PL_NODISCARD padlock_err pl_server13_choose(pl_tls *tls, const pl_client_hello *ch,
                                            pl_server13_choice *out);

/* Chooses our certificate (SNI, then the client's signature_algorithms): *out_cred and
 * *out_scheme; *out_name_matched is 1 when it covers the name the client asked for.
 * HANDSHAKE_FAILURE when no certificate can sign for the client, MISSING_EXTENSION without
 * signature_algorithms. */
PL_NODISCARD padlock_err pl_server13_choose_cert(pl_tls *tls, const pl_client_hello *ch,
                                                 const struct pl_x509_credential **out_cred,
                                                 uint16_t *out_scheme, uint8_t *out_name_matched);

/* The application protocol (RFC 7301 §3.2): *out points into the configuration's list, NULL
 * when none is negotiated. NO_APPLICATION_PROTOCOL when both sides have lists without a
 * common name. */
PL_NODISCARD padlock_err pl_server13_choose_alpn(pl_tls *tls, const pl_client_hello *ch,
                                                 pl_cur *out);

/* Keeps in tls->peer_certs the client's certificates a resumed session carries (both
 * versions; an empty chain leaves tls->peer_certs as it is). DECODE for a malformed chain. */
PL_NODISCARD padlock_err pl_server13_take_session_chain(pl_tls *tls,
                                                        const struct pl_ticket_state *st);

/* Keeps the SNI the client sent, if any, as tls->server_name. */
PL_NODISCARD padlock_err pl_server13_keep_sni(pl_tls *tls, const pl_client_hello *ch);

/* Digests the parts of ch a second ClientHello must repeat. */
PL_NODISCARD padlock_err pl_server13_digest(const pl_client_hello *ch, pl_server13_ch_digest *out);

/* RFC 8446 §4.1.2: the second ClientHello is the first one except for what the
 * HelloRetryRequest asked to change, and it changes that: the cookie echoed, exactly one key
 * share of the requested group, no early_data. ILLEGAL_PARAMETER naming the difference. */
PL_NODISCARD padlock_err pl_server13_check_retry(pl_tls *tls, const pl_server13_hs *h,
                                                 const pl_client_hello *ch2);

/* ---- server13_psk.c ---- */

/* The resumption a ClientHello asks for (RFC 8446 §4.2.11): the first of its tickets that this
 * server sealed and that fits (suite hash, lifetime, ticket age, server name, client
 * authentication policy), if the client allows psk_dhe_ke. Its binder is then verified over
 * h->transcript, which the caller brought up to the end of the hello before its binders
 * (pl_client_hello_binders_len): a wrong one is DECRYPT_ERROR.
 * *out_found is 1 with the PSK's Early Secret (made for the binder, §7.1) in *out_early and its
 * index in *out_index, the client's chain (if the ticket carries one) in tls->peer_certs; 0
 * when the handshake goes on without one. */
PL_NODISCARD padlock_err pl_server13_psk(pl_tls *tls, pl_server13_hs *h, const pl_client_hello *ch,
                                         int *out_found, pl_ks13_early *out_early,
                                         uint16_t *out_index);

/* How many NewSessionTickets a handshake issues: the configured number, 0 without ticket keys. */
size_t pl_server13_num_tickets(const pl_tls *tls);

/* Sends pl_server13_num_tickets NewSessionTickets under the application keys, with the
 * resumption master secret rms (RFC 8446 §4.6.1) and the random bytes h->ticket_random drawn
 * with the ServerHello. A ticket too large to issue (a client chain beyond 64 KiB) is not sent. */
PL_NODISCARD padlock_err pl_server13_send_tickets(pl_tls *tls, pl_server13_hs *h,
                                                  const pl_ks13_secret *rms);

/* ---- server13_hello.c ---- */

/* The handlers of START and WAIT_CH2: a ClientHello, answered with a HelloRetryRequest or the
 * server's flight. */
PL_NODISCARD padlock_err pl_server13_on_client_hello(pl_tls *tls, const pl_hs_msg *msg,
                                                     uint8_t *out_next);
PL_NODISCARD padlock_err pl_server13_on_client_hello2(pl_tls *tls, const pl_hs_msg *msg,
                                                      uint8_t *out_next);

#endif
