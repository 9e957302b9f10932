/* Session tickets a TLS 1.3 client received (RFC 8446 §4.6.1), kept in the form resumption
 * needs: the ticket, its lifetime and age_add, max_early_data_size, when it arrived, the suite
 * and the PSK derived from the resumption master secret and the ticket's nonce. A connection
 * keeps the PL_TICKET13_MAX most recent ones. */
#ifndef PL_HS_TICKET13_H
#define PL_HS_TICKET13_H

#include <stddef.h>
#include <stdint.h>

#include "hs/keysched13.h"
#include "msg/msg.h"
#include "util/err.h"

#define PL_TICKET13_MAX 4

typedef struct pl_ticket13 {
    struct pl_ticket13 *next; /* older ticket */
    int64_t received_at;      /* seconds since the epoch, from the time hook */
    uint32_t lifetime;        /* seconds (at most 7 days) */
    uint32_t age_add;
    uint32_t max_early_data; /* 0 when the ticket allows no early data */
    uint16_t suite;          /* cipher suite of the connection that received it */
    pl_ks13_secret psk;      /* HKDF-Expand-Label(resumption_master_secret, "resumption",
                                ticket_nonce, Hash.length) */
    size_t ticket_len;
    uint8_t ticket[];
} pl_ticket13;

typedef struct pl_ticket13_list {
    pl_ticket13 *newest;
    uint8_t num;
} pl_ticket13_list;

/* Keeps a received NewSessionTicket: computes its PSK with resumption_master and copies the
 * ticket. A lifetime of 0 means "discard at once" (§4.6.1): nothing is kept. The oldest ticket
 * is dropped beyond PL_TICKET13_MAX. PADLOCK_E_NO_MEMORY, or the key schedule's errors. */
PL_NODISCARD padlock_err pl_ticket13_add(pl_ticket13_list *list, const pl_new_session_ticket *nst,
                                         const pl_ks13_secret *resumption_master, uint16_t suite,
                                         int64_t now);

/* Frees every ticket, wiping the PSKs. */
void pl_ticket13_list_cleanup(pl_ticket13_list *list);

#endif
