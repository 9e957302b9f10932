/* The verified-chain cache: a bounded set of chain verifications that succeeded, so that a
 * client meeting the same server chain again skips path building and the chain's signature
 * checks. Each store (store.h) owns one; every connection verifying against it shares it. */
#ifndef PL_X509_VCACHE_H
#define PL_X509_VCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "x509/verify.h"

/* Entries of the cache a new store gets: a client talks to a few servers, each with a chain. */
#define PL_X509_VCACHE_DEFAULT_ENTRIES 32

/* Why a cached verdict is safe to reuse (this is also the README's argument):
 * - An entry is looked up by a SHA-256 over every input of the verdict but the time: the exact
 *   bytes of each certificate the peer sent, in order; the expected identity (host name or IP
 *   address, byte for byte); the purpose; the intermediate limit; and the trust store's
 *   identity, which is unique in the process and changes whenever an anchor is added. Any
 *   difference in any input is a different key, i.e. a miss.
 * - Time: an entry keeps the interval in which every certificate of its validated path is
 *   valid (the latest notBefore, the earliest notAfter); it answers only when the current time
 *   lies inside, with the verifier's own comparisons, so it never outlives any notAfter.
 * - Revocation: a verification given CRLs (or a replaced signature function) neither reads nor
 *   fills the cache: its verdict depends on inputs the key does not cover.
 * - Only successes are kept; a failure is always recomputed and reported in full.
 * - Bounded: at most `entries` verdicts, the least recently used one evicted first. */

/* A cache of `entries` (>= 1) verdicts in *out; PADLOCK_E_NO_MEMORY. */
PL_NODISCARD padlock_err pl_x509_vcache_new(size_t entries, pl_x509_vcache **out);

/* Frees the cache; NULL is a no-op. */
void pl_x509_vcache_free(pl_x509_vcache *c);

/* pl_x509_verify without the path: answers from c when it holds a verdict for exactly these
 * inputs valid at params->now, else verifies and, on success, remembers the verdict. c NULL:
 * plain pl_x509_verify. Safe to call from several threads on one cache. */
PL_NODISCARD padlock_err pl_x509_verify_cached(pl_x509_vcache *c,
                                               const pl_x509_verify_params *params,
                                               const pl_span *chain, size_t num_chain,
                                               pl_errinfo *err);

/* Counters since the cache was made: answers from the cache, verifications it could not
 * answer (including those bypassing it for CRLs), and verdicts evicted to make room. */
typedef struct pl_x509_vcache_stats {
    uint64_t hits;
    uint64_t misses;
    uint64_t evictions;
} pl_x509_vcache_stats;

/* The counters of c. */
pl_x509_vcache_stats pl_x509_vcache_get_stats(pl_x509_vcache *c);

#endif
