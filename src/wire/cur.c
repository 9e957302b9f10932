/* The bounds-checked read cursor for TLS and DER input. */
#include "wire/cur.h"

#include <string.h>

void pl_cur_init(pl_cur *c, const uint8_t *p, size_t len) {
    c->p = p;
    c->len = len;
}

size_t pl_cur_left(const pl_cur *c) {
    return c->len;
}

padlock_err pl_cur_done(const pl_cur *c) {
    return c->len == 0 ? PADLOCK_OK : PADLOCK_E_DECODE;
}

/* Reads an n-byte big-endian unsigned integer (n <= 8). */
static padlock_err pl_cur_uint(pl_cur *c, size_t n, uint64_t *out) {
    PL_CHECK(c->len >= n, PADLOCK_E_DECODE);
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        v = (v << 8) | c->p[i];
    }
    c->p += n;
    c->len -= n;
    *out = v;
    return PADLOCK_OK;
}

padlock_err pl_cur_u8(pl_cur *c, uint8_t *out) {
    uint64_t v;
    PL_TRY(pl_cur_uint(c, 1, &v));
    *out = (uint8_t)v;
    return PADLOCK_OK;
}

padlock_err pl_cur_u16(pl_cur *c, uint16_t *out) {
    uint64_t v;
    PL_TRY(pl_cur_uint(c, 2, &v));
    *out = (uint16_t)v;
    return PADLOCK_OK;
}

padlock_err pl_cur_u24(pl_cur *c, uint32_t *out) {
    uint64_t v;
    PL_TRY(pl_cur_uint(c, 3, &v));
    *out = (uint32_t)v;
    return PADLOCK_OK;
}

padlock_err pl_cur_u32(pl_cur *c, uint32_t *out) {
    uint64_t v;
    PL_TRY(pl_cur_uint(c, 4, &v));
    *out = (uint32_t)v;
    return PADLOCK_OK;
}

padlock_err pl_cur_u64(pl_cur *c, uint64_t *out) {
    return pl_cur_uint(c, 8, out);
}

padlock_err pl_cur_bytes(pl_cur *c, size_t n, const uint8_t **out) {
    PL_CHECK(c->len >= n, PADLOCK_E_DECODE);
    *out = c->p;
    if (n != 0) { /* an empty cursor may hold a NULL pointer, which must not be offset */
        c->p += n;
        c->len -= n;
    }
    return PADLOCK_OK;
}

padlock_err pl_cur_copy(pl_cur *c, void *out, size_t n) {
    const uint8_t *src;
    PL_TRY(pl_cur_bytes(c, n, &src));
    if (n != 0) {
        memcpy(out, src, n);
    }
    return PADLOCK_OK;
}

padlock_err pl_cur_skip(pl_cur *c, size_t n) {
    const uint8_t *ignored;
    return pl_cur_bytes(c, n, &ignored);
}

padlock_err pl_cur_sub(pl_cur *c, size_t n, pl_cur *out) {
    const uint8_t *p;
    PL_TRY(pl_cur_bytes(c, n, &p));
    pl_cur_init(out, p, n);
    return PADLOCK_OK;
}

/* A vector with a prefix_len-byte length; the cursor is untouched on failure. */
static padlock_err pl_cur_vec(pl_cur *c, size_t prefix_len, size_t min, size_t max, pl_cur *out) {
    pl_cur tmp = *c;
    uint64_t n;
    PL_TRY(pl_cur_uint(&tmp, prefix_len, &n));
    PL_CHECK(n >= min && n <= max, PADLOCK_E_DECODE);
    PL_TRY(pl_cur_sub(&tmp, (size_t)n, out));
    *c = tmp;
    return PADLOCK_OK;
}

padlock_err pl_cur_vec8(pl_cur *c, size_t min, size_t max, pl_cur *out) {
    return pl_cur_vec(c, 1, min, max, out);
}

padlock_err pl_cur_vec16(pl_cur *c, size_t min, size_t max, pl_cur *out) {
    return pl_cur_vec(c, 2, min, max, out);
}

padlock_err pl_cur_vec24(pl_cur *c, size_t min, size_t max, pl_cur *out) {
    return pl_cur_vec(c, 3, min, max, out);
}
