/* The session state a padlock server keeps outside itself or in its TLS 1.2 session cache: for
 * TLS 1.3 the state a ticket's resumption needs (RFC 8446 §4.6.1: the ticket is opaque to the
 * client, its contents and protection are the server's), for TLS 1.2 the session of RFC 5246
 * §7.4.1.2 and RFC 5077 §4. Tickets are this state sealed with the configuration's ticket keys;
 * the session cache stores it unsealed. The format is described in ticket_seal.c. */
#ifndef PL_HS_TICKET_SEAL_H
#define PL_HS_TICKET_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "hs/ticket_keys.h"
#include "hs/tls.h"

/* The largest ticket a NewSessionTicket carries (ticket<1..2^16-1>, both versions). */
#define PL_TICKET_SEALED_MAX 65535

/* The state of a session. Read back, the byte fields point into the caller's buffer. */
typedef struct pl_ticket_state {
    uint16_t version;    /* 0x0304 (TLS 1.3) or 0x0303 (TLS 1.2) */
    uint16_t suite;      /* the cipher suite of the issuing connection */
    int64_t issued_at;   /* seconds since the epoch */
    uint32_t lifetime;   /* seconds, as the NewSessionTicket said (or the cache keeps it) */
    uint32_t age_add;    /* TLS 1.3: as the NewSessionTicket said; TLS 1.2: 0 */
    uint8_t ems;         /* TLS 1.2: the session's master secret is extended (RFC 7627) */
    pl_cur psk;          /* TLS 1.3: the ticket's resumption PSK, Hash.length bytes; TLS 1.2:
                            the 48-byte master secret */
    pl_cur server_name;  /* the SNI of the issuing connection; empty when it had none */
    pl_cur client_chain; /* the client's certificates as a TLS 1.2 Certificate body (RFC 5246
                            §7.4.2, read with pl_certificate_parse_tls12); empty list: none */
} pl_ticket_state;

/* The bytes of st's state, unsealed, with chain (NULL: no client certificate) in place of
 * st->client_chain. */
size_t pl_ticket_state_len(const pl_ticket_state *st, const pl_peer_chain *chain);

/* Writes st's state (chain as for pl_ticket_state_len). */
PL_NODISCARD padlock_err pl_ticket_state_write(pl_buf *b, const pl_ticket_state *st,
                                               const pl_peer_chain *chain);

/* Reads a state written by pl_ticket_state_write from the whole of c into *out (pointing into
 * c's buffer). PADLOCK_E_DECODE for anything else. */
PL_NODISCARD padlock_err pl_ticket_state_read(pl_cur *c, pl_ticket_state *out);

/* The bytes a ticket for st takes (its state plus the sealing). */
size_t pl_ticket_sealed_len(const pl_ticket_state *st, const pl_peer_chain *chain);

/* Writes the ticket for st (chain as for pl_ticket_state_len) into out[0..cap), sealed with
 * keys (see pl_ticket_keys_seal for rng, nonce, now and rotate_after). Errors:
 * PADLOCK_E_BUFFER_TOO_SMALL (cap, or the ticket would exceed PL_TICKET_SEALED_MAX), those of
 * pl_ticket_keys_seal. */
PL_NODISCARD padlock_err pl_ticket_seal(padlock_ticket_keys *keys, const pl_rng *rng,
                                        const uint8_t nonce[PL_AEAD_NONCE_LEN], int64_t now,
                                        uint32_t rotate_after, const pl_ticket_state *st,
                                        const pl_peer_chain *chain, uint8_t *out, size_t cap,
                                        size_t *out_len);

/* Opens a ticket into buf[0..cap) and reads its state into *out (pointing into buf). Any
 * failure means "not one of ours, or no longer": PADLOCK_E_DECODE (unknown key, malformed or
 * of another format), PADLOCK_E_AEAD_OPEN (altered), PADLOCK_E_BUFFER_TOO_SMALL. Whether the
 * state is of the version being negotiated is the caller's check. */
PL_NODISCARD padlock_err pl_ticket_open(padlock_ticket_keys *keys, const uint8_t *ticket,
                                        size_t len, uint8_t *buf, size_t cap,
                                        pl_ticket_state *out);

#endif
