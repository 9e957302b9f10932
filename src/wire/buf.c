/* The builder over caller storage, with back-filled length prefixes. */
#include "wire/buf.h"

#include <string.h>

void pl_buf_init(pl_buf *b, uint8_t *storage, size_t cap) {
    b->p = storage;
    b->cap = cap;
    b->len = 0;
}

padlock_err pl_buf_reserve(pl_buf *b, size_t n, uint8_t **out) {
    PL_CHECK(b->cap - b->len >= n, PADLOCK_E_BUFFER_TOO_SMALL);
    *out = b->p + b->len;
    b->len += n;
    return PADLOCK_OK;
}

/* Writes v big-endian into n bytes at dst. */
static void pl_put_uint(uint8_t *dst, size_t n, uint64_t v) {
    for (size_t i = n; i > 0; i--) {
        dst[i - 1] = (uint8_t)v;
        v >>= 8;
    }
}

static padlock_err pl_buf_uint(pl_buf *b, size_t n, uint64_t v) {
    uint8_t *dst;
    PL_TRY(pl_buf_reserve(b, n, &dst));
    pl_put_uint(dst, n, v);
    return PADLOCK_OK;
}

padlock_err pl_buf_u8(pl_buf *b, uint8_t v) {
    return pl_buf_uint(b, 1, v);
}

padlock_err pl_buf_u16(pl_buf *b, uint16_t v) {
    return pl_buf_uint(b, 2, v);
}

padlock_err pl_buf_u24(pl_buf *b, uint32_t v) {
    PL_CHECK(v <= 0xffffff, PADLOCK_E_ENCODE_OVERFLOW);
    return pl_buf_uint(b, 3, v);
}

padlock_err pl_buf_u32(pl_buf *b, uint32_t v) {
    return pl_buf_uint(b, 4, v);
}

padlock_err pl_buf_u64(pl_buf *b, uint64_t v) {
    return pl_buf_uint(b, 8, v);
}

padlock_err pl_buf_bytes(pl_buf *b, const void *p, size_t n) {
    uint8_t *dst;
    PL_TRY(pl_buf_reserve(b, n, &dst));
    if (n != 0) {
        memcpy(dst, p, n);
    }
    return PADLOCK_OK;
}

padlock_err pl_buf_zeros(pl_buf *b, size_t n) {
    uint8_t *dst;
    PL_TRY(pl_buf_reserve(b, n, &dst));
    memset(dst, 0, n);
    return PADLOCK_OK;
}

padlock_err pl_buf_vec_open(pl_buf *b, uint8_t prefix_len, pl_buf_vec *out) {
    PL_CHECK(prefix_len >= 1 && prefix_len <= 3, PADLOCK_E_INVALID_ARGUMENT);
    out->prefix_at = b->len;
    out->prefix_len = prefix_len;
    return pl_buf_zeros(b, prefix_len);
}

padlock_err pl_buf_vec_close(pl_buf *b, const pl_buf_vec *v) {
    PL_CHECK(v->prefix_len >= 1 && v->prefix_len <= 3, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(v->prefix_at + v->prefix_len <= b->len, PADLOCK_E_INVALID_ARGUMENT);
    size_t body = b->len - v->prefix_at - v->prefix_len;
    size_t max = ((size_t)1 << (8 * v->prefix_len)) - 1;
    PL_CHECK(body <= max, PADLOCK_E_ENCODE_OVERFLOW);
    pl_put_uint(b->p + v->prefix_at, v->prefix_len, body);
    return PADLOCK_OK;
}

/* A whole vector; nothing is written when it does not fit or is too long for its prefix. */
static padlock_err pl_buf_vec_bytes(pl_buf *b, uint8_t prefix_len, const void *p, size_t n) {
    size_t max = ((size_t)1 << (8 * prefix_len)) - 1;
    PL_CHECK(n <= max, PADLOCK_E_ENCODE_OVERFLOW);
    PL_CHECK(b->cap - b->len >= prefix_len + n, PADLOCK_E_BUFFER_TOO_SMALL);
    PL_TRY(pl_buf_uint(b, prefix_len, n));
    return pl_buf_bytes(b, p, n);
}

padlock_err pl_buf_vec8_bytes(pl_buf *b, const void *p, size_t n) {
    return pl_buf_vec_bytes(b, 1, p, n);
}

padlock_err pl_buf_vec16_bytes(pl_buf *b, const void *p, size_t n) {
    return pl_buf_vec_bytes(b, 2, p, n);
}

padlock_err pl_buf_vec24_bytes(pl_buf *b, const void *p, size_t n) {
    return pl_buf_vec_bytes(b, 3, p, n);
}
