/* The handshake message header (RFC 8446 §4: msg_type, uint24 length) on the cursor and the
 * builder, and what the message parsers share: the optional extensions block of the hellos
 * and the generic error detail. */
#include "msg/msg.h"

padlock_err pl_msg_read(pl_cur *c, uint8_t *out_type, pl_cur *out_body) {
    pl_cur tmp = *c;
    PL_TRY(pl_cur_u8(&tmp, out_type));
    PL_TRY(pl_cur_vec24(&tmp, 0, 0xffffff, out_body));
    *c = tmp;
    return PADLOCK_OK;
}

padlock_err pl_msg_begin(pl_buf *b, uint8_t type, pl_buf_vec *out) {
    PL_TRY(pl_buf_u8(b, type));
    return pl_buf_vec_open(b, 3, out);
}

padlock_err pl_msg_end(pl_buf *b, const pl_buf_vec *v) {
    return pl_buf_vec_close(b, v);
}

padlock_err pl_msg_hello_extensions(pl_cur *c, const char *msg_name, uint8_t *out_has,
                                    pl_cur *out_block, pl_errinfo *err) {
    pl_cur_init(out_block, NULL, 0);
    /* RFC 8446 §4.1.2: extensions are present iff bytes follow; then they must be "a valid
     * extensions block with no data following". */
    *out_has = pl_cur_left(c) > 0;
    if (*out_has) {
        PL_TRY(pl_cur_vec16(c, 0, 0xffff, out_block));
        if (pl_cur_left(c) != 0) {
            return pl_ext_fail(err, PADLOCK_E_DECODE, "%s: bytes follow the extensions block",
                               msg_name);
        }
    }
    return PADLOCK_OK;
}

padlock_err pl_msg_result(padlock_err rc, const char *msg_name, pl_errinfo *err) {
    if (rc != PADLOCK_OK) {
        return pl_ext_fail(err, rc, "%s: %s", msg_name, padlock_strerror(rc));
    }
    return PADLOCK_OK;
}
