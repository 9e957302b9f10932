/* A TLS 1.2 session on the client (RFC 5246 §7.4.1.2, RFC 5077 §3.4): what resuming it needs
 * (the master secret, the suite, the server's session ID and/or ticket, the server name it was
 * established with) and its export/import, the form in which applications keep it between
 * connections (padlock_conn_export_session, padlock_conn_set_session). The exported form holds
 * the SessionState of ticket_seal.h (format 2) plus the session ID and the ticket; a TLS 1.3
 * session (ticket13.h) has a magic of its own, so neither is ever offered for the other
 * version. */
#ifndef PL_HS_SESSION12_H
#define PL_HS_SESSION12_H

#include <stddef.h>
#include <stdint.h>

#include "hs/keysched12.h"
#include "msg/msg.h"
#include "util/err.h"

/* How long a session without a ticket lifetime hint (RFC 5077 §3.3: 0, "unspecified") or
 * known only by its session ID is offered: RFC 5246 Appendix F.1.4 suggests at most 24 hours. */
#define PL_SESSION12_LIFETIME_DEFAULT 86400u

typedef struct pl_session12 {
    int64_t received_at; /* seconds since the epoch, from the time hook */
    uint32_t lifetime;   /* seconds */
    uint16_t suite;      /* the cipher suite of the session (RFC 5246 §7.4.1.3: resumed with it) */
    pl_ks12_master master;
    uint8_t session_id[PL_SESSION_ID_MAX];
    uint8_t session_id_len; /* 0: a ticket-only session */
    uint8_t name_len;       /* the server name, after the ticket */
    uint16_t ticket_len;    /* 0: a session-ID-only session */
    uint8_t data[];         /* ticket_len bytes of ticket, then name_len bytes of name */
} pl_session12;

/* A new session (*out, freed with pl_session12_free). name may be NULL. PADLOCK_E_NO_MEMORY;
 * PADLOCK_E_INVALID_ARGUMENT for a name over 255 bytes or neither ID nor ticket. */
PL_NODISCARD padlock_err pl_session12_new(const pl_ks12_master *master, uint16_t suite, int64_t now,
                                          uint32_t lifetime, const uint8_t *sid, size_t sid_len,
                                          const uint8_t *ticket, size_t ticket_len,
                                          const char *name, pl_session12 **out);

/* Frees s, wiping its master secret. NULL is a no-op. */
void pl_session12_free(pl_session12 *s);

/* The ticket and the server name of s. */
const uint8_t *pl_session12_ticket(const pl_session12 *s);
const char *pl_session12_name(const pl_session12 *s);

/* The bytes pl_session12_export writes. */
size_t pl_session12_export_len(const pl_session12 *s);

/* Serializes s into out[0..cap) (PADLOCK_E_BUFFER_TOO_SMALL when too small). */
PL_NODISCARD padlock_err pl_session12_export(const pl_session12 *s, uint8_t *out, size_t cap,
                                             size_t *out_len);

/* 1 if data is an exported TLS 1.2 session (by its magic), else 0. */
int pl_session12_is_exported(const uint8_t *data, size_t len);

/* Reads an exported session into a new one. PADLOCK_E_DECODE (malformed, not a TLS 1.2 session,
 * a suite that is not TLS 1.2, no extended master secret), PADLOCK_E_NO_MEMORY. */
PL_NODISCARD padlock_err pl_session12_import(const uint8_t *data, size_t len, pl_session12 **out);

#endif
