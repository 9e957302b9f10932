/* The server's TLS 1.2 session cache (RFC 5246 §7.4.1.2: a session ID names a session the
 * server remembers): bounded, thread-safe, shared by a configuration's connections. It maps
 * 32-byte session IDs that the server drew at random to the session's state, unsealed, in the
 * format tickets carry (ticket_seal.h), so that resuming by ID or by ticket reads one format.
 * Entries expire after their lifetime; when the cache is full the oldest entry makes room.
 * Lookups cost one hash bucket: the IDs are ours and random, so a client cannot crowd one. */
#ifndef PL_HS_SESSION_CACHE_H
#define PL_HS_SESSION_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define PL_SESSION_ID_LEN 32
/* States longer than this (a client chain of more than 16 KiB) are not kept. */
#define PL_SESSION_CACHE_MAX_STATE (16u * 1024u + 512u)

typedef struct pl_session_cache pl_session_cache;

/* A cache of at most max (1 or more) sessions. Its memory grows with its use. Errors:
 * PADLOCK_E_INVALID_ARGUMENT (max 0), PADLOCK_E_NO_MEMORY. */
PL_NODISCARD padlock_err pl_session_cache_new(size_t max, pl_session_cache **out);

/* Frees the cache, wiping every state. NULL is a no-op. */
void pl_session_cache_free(pl_session_cache *c);

/* Keeps a copy of state[0..len) under id (a new, random one) until now + lifetime, after
 * dropping expired entries and, when full, the oldest. A state over
 * PL_SESSION_CACHE_MAX_STATE is not kept (PADLOCK_OK: the session just cannot be resumed by
 * ID). Errors: PADLOCK_E_NO_MEMORY. */
PL_NODISCARD padlock_err pl_session_cache_put(pl_session_cache *c,
                                              const uint8_t id[PL_SESSION_ID_LEN],
                                              const uint8_t *state, size_t len, int64_t now,
                                              uint32_t lifetime);

/* Looks up id (id_len bytes, any length a ClientHello may carry) at now: *out_found is 1 and
 * the state copied into out[0..*out_len) when a live entry has it; 0 when none does.
 * PADLOCK_E_BUFFER_TOO_SMALL with *out_len the state's length when cap is smaller (call again
 * with more room; the entry may have gone meanwhile). */
PL_NODISCARD padlock_err pl_session_cache_get(pl_session_cache *c, const uint8_t *id,
                                              size_t id_len, int64_t now, uint8_t *out,
                                              size_t cap, size_t *out_len, int *out_found);

/* The number of live and expired entries held (for tests). */
size_t pl_session_cache_count(pl_session_cache *c);

#endif
