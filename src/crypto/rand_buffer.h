/* The per-thread randomness buffer behind pl_rand_bytes (no hook set): small draws are served from
 * one 4 KiB page per thread filled by one RAND_bytes call, as OpenBSD's arc4random and
 * BoringSSL's rand do, so that a handshake does not pay libcrypto's DRBG call per draw.
 *
 * Security properties (src/crypto/rand_buffer.c explains how each is kept):
 * - libcrypto's CSPRNG stays the only source: the page holds RAND_bytes output, nothing else.
 * - Backtracking resistance: bytes are wiped from the page as they are handed out, so a later
 *   disclosure of the page cannot recover keys, randoms or nonces already made. What it can
 *   reveal is the unconsumed rest, up to PL_RAND_BUFFER_LEN bytes of this thread's future draws,
 *   until the next refill. That is no worse than disclosing a DRBG's state, which also gives
 *   every output up to its next reseed, and the DRBG's state lives in the same address space.
 * - Fork safety: the page is mapped with MADV_WIPEONFORK (Linux 4.14), so a child of fork finds
 *   it zeroed, which reads as empty, and refills from libcrypto (which reseeds in a child).
 *   Where the kernel refuses the advice (or accepts any advice, as qemu's user mode did, so that
 *   it cannot be trusted), nothing is buffered: every draw calls RAND_bytes.
 * - Threads: each thread has its own page (no locks); it is wiped and unmapped when the thread
 *   exits. The main thread's page lives until the process ends.
 * Memory: the page is an anonymous mapping, one per thread that has drawn, not a heap block: it
 * is not counted in padlock_mem_stats nor by malloc interposers, and not per connection.
 * Not async-signal-safe (neither is RAND_bytes): do not draw from a signal handler. */
#ifndef PL_CRYPTO_RAND_BUFFER_H
#define PL_CRYPTO_RAND_BUFFER_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* Bytes of random data one page holds (the page is 4096 bytes with its header). */
#define PL_RAND_BUFFER_LEN 4088

/* Draws larger than this go straight to RAND_bytes: buffering them would only copy. */
#define PL_RAND_BUFFER_MAX_DRAW 256

/* Fills out[0..len) (len at most PL_RAND_BUFFER_MAX_DRAW) from the calling thread's page,
 * refilling it with one RAND_bytes call when it holds fewer than len bytes (the rest is
 * discarded: a draw never mixes two fills); without a page (kernel without MADV_WIPEONFORK, no
 * memory for the mapping) it calls RAND_bytes for the draw alone. Returns PADLOCK_OK, or
 * PADLOCK_E_CRYPTO when RAND_bytes fails: then out is zeroed and the page left empty. */
PL_NODISCARD padlock_err pl_rand_buffer_draw(uint8_t *out, size_t len);

/* Fills out[0..len) straight from libcrypto's RAND_bytes (src/crypto/ossl_rand.c). Returns
 * PADLOCK_OK, or PADLOCK_E_CRYPTO with out zeroed (never partial random data). */
PL_NODISCARD padlock_err pl_rand_system(uint8_t *out, size_t len);

/* What the calling thread's page holds, for inspection by tests: buf[0..avail) are the
 * unconsumed bytes, buf[avail..len) the consumed ones (all zero). buf points into the page and
 * is valid until the thread exits. */
typedef struct pl_rand_buffer_view {
    const uint8_t *buf;
    size_t len;
    size_t avail;
} pl_rand_buffer_view;

/* Fills *out and returns 1 if the calling thread has a page, else returns 0 (*out untouched):
 * before its first buffered draw, or when buffering is unavailable. */
int pl_rand_buffer_inspect(pl_rand_buffer_view *out);

#endif
