/* Helpers shared by the extension files: empty extension_data, lists of u16 and u8 values
 * (RFC 8446 §3.4 vectors), and an exact 16-bit set for duplicate checks. Unknown values in
 * lists, GREASE among them (RFC 8701 §3), are kept and never match what padlock looks for. */
#include <string.h>

#include "ext/desc.h"

padlock_err pl_ext_parse_empty(pl_cur *body, pl_ext_msg msg, const char *name, pl_errinfo *err) {
    if (pl_cur_left(body) != 0) {
        return pl_ext_fail(err, PADLOCK_E_DECODE, "%s: %s extension must be empty",
                           pl_ext_msg_name(msg), name);
    }
    return PADLOCK_OK;
}

padlock_err pl_ext_build_nothing(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    (void)b;
    (void)msg;
    (void)in;
    return PADLOCK_OK;
}

padlock_err pl_ext_build_vec(pl_buf *b, uint8_t prefix_len, pl_cur body) {
    return prefix_len == 1 ? pl_buf_vec8_bytes(b, body.p, body.len)
                           : pl_buf_vec16_bytes(b, body.p, body.len);
}

padlock_err pl_ext_build_u16_list(pl_buf *b, uint8_t prefix_len, pl_cur list) {
    PL_CHECK(pl_cur_left(&list) % 2 == 0, PADLOCK_E_INVALID_ARGUMENT);
    return pl_ext_build_vec(b, prefix_len, list);
}

padlock_err pl_ext_parse_u16_list(pl_cur *body, uint8_t prefix_len, size_t min, size_t max,
                                  pl_ext_msg msg, const char *name, pl_cur *out, pl_errinfo *err) {
    PL_TRY(prefix_len == 1 ? pl_cur_vec8(body, min, max, out) : pl_cur_vec16(body, min, max, out));
    if (pl_cur_left(out) % 2 != 0) {
        return pl_ext_fail(err, PADLOCK_E_DECODE, "%s: %s list has an odd length",
                           pl_ext_msg_name(msg), name);
    }
    return PADLOCK_OK;
}

int pl_ext_u16_next(pl_cur *it, uint16_t *out) {
    return pl_cur_u16(it, out) == PADLOCK_OK;
}

int pl_ext_u16_contains(pl_cur list, uint16_t v) {
    uint16_t x;
    while (pl_ext_u16_next(&list, &x)) {
        if (x == v) {
            return 1;
        }
    }
    return 0;
}

int pl_ext_u8_contains(pl_cur list, uint8_t v) {
    uint8_t x;
    while (pl_cur_u8(&list, &x) == PADLOCK_OK) {
        if (x == v) {
            return 1;
        }
    }
    return 0;
}

padlock_err pl_ext_u16_list_write(pl_buf *b, const uint16_t *vals, size_t num) {
    for (size_t i = 0; i < num; i++) {
        PL_TRY(pl_buf_u16(b, vals[i]));
    }
    return PADLOCK_OK;
}

void pl_u16_set_clear(pl_u16_set *s) {
    memset(s->bits, 0, sizeof(s->bits));
}

int pl_u16_set_add(pl_u16_set *s, uint16_t v) {
    uint64_t mask = (uint64_t)1 << (v % 64);
    if ((s->bits[v / 64] & mask) != 0) {
        return 0;
    }
    s->bits[v / 64] |= mask;
    return 1;
}

int pl_u16_set_take(pl_u16_set *s, uint16_t v) {
    uint64_t mask = (uint64_t)1 << (v % 64);
    if ((s->bits[v / 64] & mask) == 0) {
        return 0;
    }
    s->bits[v / 64] &= ~mask;
    return 1;
}
