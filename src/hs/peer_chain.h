/* The peer's certificate chain as a connection keeps it after the handshake (for
 * padlock_conn_peer_cert, tickets and sessions), and the set through which the live connections
 * of one configuration share one copy of identical chains: a client holding many connections
 * to the same servers (a proxy, an API client) keeps each server's chain once, not once per
 * connection (DESIGN.md §11). */
#ifndef PL_HS_PEER_CHAIN_H
#define PL_HS_PEER_CHAIN_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "msg/msg.h"
#include "util/err.h"

struct pl_peer_chain_set;

/* A chain as received (leaf first), in one allocation: the entries point into the bytes that
 * follow them. Immutable once made; shared chains are counted (refs) and freed by the last
 * pl_peer_chain_release. */
typedef struct pl_peer_chain {
    struct pl_peer_chain_set *set; /* the set it is shared through, or NULL (private) */
    size_t refs;                   /* holders; changed under set->lock when set is not NULL */
    size_t num;
    struct {
        const uint8_t *der;
        size_t len;
    } certs[];
} pl_peer_chain;

/* Distinct chains a set shares at once; a chain arriving when it is full is kept privately. */
#define PL_PEER_CHAIN_SET_SLOTS 16

/* The chains that live connections of one configuration hold. It holds no reference itself:
 * a chain leaves the set with its last holder, so the set never keeps memory alive on its own
 * and an idle configuration holds none. Thread-safe.
 *
 * A match is on the exact bytes of every certificate, in order, so sharing changes nothing a
 * connection can observe but the address of the bytes. Certificates are public; whether a
 * chain was already held shows only as one allocation less, a far smaller difference than
 * the verified-chain cache makes (x509/vcache.h). */
typedef struct pl_peer_chain_set {
    pthread_mutex_t lock;
    size_t num;
    pl_peer_chain *slot[PL_PEER_CHAIN_SET_SLOTS];
} pl_peer_chain_set;

/* Initialises an empty set. */
void pl_peer_chain_set_init(pl_peer_chain_set *set);

/* Destroys set, which no chain may be in any more (every holder released it first). */
void pl_peer_chain_set_cleanup(pl_peer_chain_set *set);

/* The chain of msg's certificates (num_entries of them, at least one): an identical chain set
 * already holds, with one more reference, else a new one, entered into set when it has room.
 * set NULL: always a new private chain. *out is the caller's reference, given back with
 * pl_peer_chain_release. PADLOCK_E_NO_MEMORY, PADLOCK_E_DECODE (msg has no entry). */
PL_NODISCARD padlock_err pl_peer_chain_take(pl_peer_chain_set *set, const pl_certificate *msg,
                                            pl_peer_chain **out);

/* Gives back one reference; the last one frees the chain (and takes it out of its set). NULL
 * is a no-op. */
void pl_peer_chain_release(pl_peer_chain *chain);

#endif
