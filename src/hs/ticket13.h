/* Session tickets a TLS 1.3 client received (RFC 8446 §4.6.1), kept in the form resumption
 * needs: the ticket, its lifetime and age_add, max_early_data_size, when it arrived, the suite
 * and the PSK derived from the resumption master secret and the ticket's nonce. A connection
 * keeps the PL_TICKET13_MAX most recent ones. A ticket leaves as a session (export) that the
 * application keeps and gives to another connection (import), which offers it. */
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
    uint8_t imported;        /* an imported session, with its own server name; else a ticket
                                received on this connection, whose name is the connection's */
    uint8_t name_len;        /* an imported session's server name, after the ticket */
    size_t ticket_len;
    uint8_t ticket[]; /* ticket_len bytes of ticket, then name_len bytes of name */
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

/* Removes the newest ticket from the list and hands it to the caller (NULL if empty), who
 * frees it with pl_ticket13_free. */
pl_ticket13 *pl_ticket13_take(pl_ticket13_list *list);

/* Frees one ticket, wiping its PSK. NULL is a no-op. */
void pl_ticket13_free(pl_ticket13 *t);

/* The server name of t: its own for an imported session, else default_name (the connection's;
 * may be NULL). Sets *out_len. */
const char *pl_ticket13_name(const pl_ticket13 *t, const char *default_name, size_t *out_len);

/* The bytes pl_ticket13_export writes for t. */
size_t pl_ticket13_export_len(const pl_ticket13 *t, const char *default_name);

/* Serializes t as a session (the format is in ticket13.c) into out, with its server name as
 * pl_ticket13_name gives it. PADLOCK_E_BUFFER_TOO_SMALL when cap is less than
 * pl_ticket13_export_len. */
PL_NODISCARD padlock_err pl_ticket13_export(const pl_ticket13 *t, const char *default_name,
                                            uint8_t *out, size_t cap, size_t *out_len);

/* Reads an exported session into a new ticket (*out, freed with pl_ticket13_free).
 * PADLOCK_E_DECODE (malformed, another format, a PSK that does not fit its suite),
 * PADLOCK_E_NO_MEMORY. */
PL_NODISCARD padlock_err pl_ticket13_import(const uint8_t *data, size_t len, pl_ticket13 **out);

#endif
