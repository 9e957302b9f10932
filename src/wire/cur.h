/* The read cursor: every byte that comes from outside is read through it (DESIGN.md §3).
 * Reads are bounds-checked and either succeed completely or fail with PADLOCK_E_DECODE and
 * leave the cursor where it was. Byte fields point into the caller's buffer (zero-copy). */
#ifndef PL_WIRE_CUR_H
#define PL_WIRE_CUR_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct pl_cur {
    const uint8_t *p; /* next unread byte */
    size_t len;       /* bytes left */
} pl_cur;

void pl_cur_init(pl_cur *c, const uint8_t *p, size_t len);

/* Bytes left to read. */
size_t pl_cur_left(const pl_cur *c);

/* PADLOCK_OK when the cursor is fully consumed, PADLOCK_E_DECODE (trailing bytes) otherwise. */
PL_NODISCARD padlock_err pl_cur_done(const pl_cur *c);

/* Big-endian (network order) integers. */
PL_NODISCARD padlock_err pl_cur_u8(pl_cur *c, uint8_t *out);
PL_NODISCARD padlock_err pl_cur_u16(pl_cur *c, uint16_t *out);
PL_NODISCARD padlock_err pl_cur_u24(pl_cur *c, uint32_t *out);
PL_NODISCARD padlock_err pl_cur_u32(pl_cur *c, uint32_t *out);
PL_NODISCARD padlock_err pl_cur_u64(pl_cur *c, uint64_t *out);

/* n bytes without copying: *out points into the cursor's buffer. */
PL_NODISCARD padlock_err pl_cur_bytes(pl_cur *c, size_t n, const uint8_t **out);

/* n bytes copied into out. */
PL_NODISCARD padlock_err pl_cur_copy(pl_cur *c, void *out, size_t n);

/* Skips n bytes. */
PL_NODISCARD padlock_err pl_cur_skip(pl_cur *c, size_t n);

/* The next n bytes as a sub-cursor; the parent advances past them. */
PL_NODISCARD padlock_err pl_cur_sub(pl_cur *c, size_t n, pl_cur *out);

/* A TLS vector: a big-endian length of 1, 2 or 3 bytes, then that many bytes, returned as a
 * sub-cursor. The length must lie in [min, max] (the bounds of the RFC's <min..max>). */
PL_NODISCARD padlock_err pl_cur_vec8(pl_cur *c, size_t min, size_t max, pl_cur *out);
PL_NODISCARD padlock_err pl_cur_vec16(pl_cur *c, size_t min, size_t max, pl_cur *out);
PL_NODISCARD padlock_err pl_cur_vec24(pl_cur *c, size_t min, size_t max, pl_cur *out);

#endif
