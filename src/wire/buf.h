/* The builder: every byte padlock emits is written through it (DESIGN.md §3). It writes into
 * caller storage, back-fills length prefixes, and fails cleanly: a write that does not fit
 * returns PADLOCK_E_BUFFER_TOO_SMALL and leaves the builder unchanged; closing a vector whose
 * body is too long for its prefix returns PADLOCK_E_ENCODE_OVERFLOW. */
#ifndef PL_WIRE_BUF_H
#define PL_WIRE_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct pl_buf {
    uint8_t *p;  /* caller storage */
    size_t cap;  /* its size */
    size_t len;  /* bytes written */
} pl_buf;

/* An open length-prefixed vector: where its prefix sits and how wide it is. */
typedef struct pl_buf_vec {
    size_t prefix_at;
    uint8_t prefix_len;
} pl_buf_vec;

void pl_buf_init(pl_buf *b, uint8_t *storage, size_t cap);

PL_NODISCARD padlock_err pl_buf_u8(pl_buf *b, uint8_t v);
PL_NODISCARD padlock_err pl_buf_u16(pl_buf *b, uint16_t v);
PL_NODISCARD padlock_err pl_buf_u24(pl_buf *b, uint32_t v);
PL_NODISCARD padlock_err pl_buf_u32(pl_buf *b, uint32_t v);
PL_NODISCARD padlock_err pl_buf_u64(pl_buf *b, uint64_t v);
PL_NODISCARD padlock_err pl_buf_bytes(pl_buf *b, const void *p, size_t n);
PL_NODISCARD padlock_err pl_buf_zeros(pl_buf *b, size_t n);

/* Reserves n bytes to be filled by the caller (e.g. a signature written in place); *out
 * points at them inside the builder's storage. */
PL_NODISCARD padlock_err pl_buf_reserve(pl_buf *b, size_t n, uint8_t **out);

/* Opens a vector with a 1-, 2- or 3-byte length prefix; its body is whatever is written until
 * the matching pl_buf_vec_close, which back-fills the prefix. Vectors nest. */
PL_NODISCARD padlock_err pl_buf_vec_open(pl_buf *b, uint8_t prefix_len, pl_buf_vec *out);
PL_NODISCARD padlock_err pl_buf_vec_close(pl_buf *b, const pl_buf_vec *v);

/* Convenience: a whole vector from bytes. */
PL_NODISCARD padlock_err pl_buf_vec8_bytes(pl_buf *b, const void *p, size_t n);
PL_NODISCARD padlock_err pl_buf_vec16_bytes(pl_buf *b, const void *p, size_t n);
PL_NODISCARD padlock_err pl_buf_vec24_bytes(pl_buf *b, const void *p, size_t n);

#endif
