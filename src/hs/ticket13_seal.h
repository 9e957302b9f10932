/* What a padlock server puts in the tickets it issues (RFC 8446 §4.6.1: the ticket is opaque to
 * the client, its contents and protection are the server's): the state a resumption needs,
 * sealed with the configuration's ticket keys. The format is described in ticket13_seal.c. */
#ifndef PL_HS_TICKET13_SEAL_H
#define PL_HS_TICKET13_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "hs/ticket_keys.h"
#include "hs/tls.h"

/* The largest ticket a NewSessionTicket carries (ticket<1..2^16-1>). */
#define PL_TICKET13_SEALED_MAX 65535

/* The state inside a ticket. Opened, the byte fields point into the caller's buffer. */
typedef struct pl_ticket13_state {
    uint16_t suite;      /* the cipher suite of the issuing connection */
    int64_t issued_at;   /* seconds since the epoch */
    uint32_t lifetime;   /* seconds, as the NewSessionTicket said */
    uint32_t age_add;    /* as the NewSessionTicket said */
    pl_cur psk;          /* the ticket's resumption PSK (RFC 8446 §4.6.1), Hash.length bytes */
    pl_cur server_name;  /* the SNI of the issuing connection; empty when it had none */
    pl_cur client_chain; /* the client's certificates as a TLS 1.2 Certificate body (RFC 5246
                            §7.4.2, read with pl_certificate_parse_tls12); empty list: none */
} pl_ticket13_state;

/* The bytes a ticket for st takes, with chain (NULL: no client certificate) in place of
 * st->client_chain. */
size_t pl_ticket13_sealed_len(const pl_ticket13_state *st, const pl_peer_chain *chain);

/* Writes the ticket for st (chain as for pl_ticket13_sealed_len) into out[0..cap), sealed with
 * keys (see pl_ticket_keys_seal for rng, now and rotate_after). Errors:
 * PADLOCK_E_BUFFER_TOO_SMALL (cap, or the ticket would exceed PL_TICKET13_SEALED_MAX), those of
 * pl_ticket_keys_seal. */
PL_NODISCARD padlock_err pl_ticket13_seal(padlock_ticket_keys *keys, const pl_rng *rng, int64_t now,
                                          uint32_t rotate_after, const pl_ticket13_state *st,
                                          const pl_peer_chain *chain, uint8_t *out, size_t cap,
                                          size_t *out_len);

/* Opens a ticket into buf[0..cap) and reads its state into *out (pointing into buf). Any
 * failure means "not one of ours, or no longer": PADLOCK_E_DECODE (unknown key, malformed or
 * of another format), PADLOCK_E_AEAD_OPEN (altered), PADLOCK_E_BUFFER_TOO_SMALL. */
PL_NODISCARD padlock_err pl_ticket13_open(padlock_ticket_keys *keys, const uint8_t *ticket,
                                          size_t len, uint8_t *buf, size_t cap,
                                          pl_ticket13_state *out);

#endif
