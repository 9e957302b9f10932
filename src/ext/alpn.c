/* application_layer_protocol_negotiation (RFC 7301 §3.1): the client's non-empty list of
 * non-empty protocol names; the server's answer (EncryptedExtensions, TLS 1.2 ServerHello) is
 * a list of exactly one name. */
#include "ext/desc.h"

/* RFC 7301 §3.1: opaque ProtocolName<1..2^8-1>; "Empty strings MUST NOT be included". */
static padlock_err pl_alpn_name(pl_cur *c, pl_cur *out) {
    return pl_cur_vec8(c, 1, 255, out);
}

int pl_ext_alpn_next(pl_cur *it, pl_cur *out_name) {
    return pl_alpn_name(it, out_name) == PADLOCK_OK;
}

padlock_err pl_ext_alpn_name_write(pl_buf *b, const uint8_t *name, size_t len) {
    PL_CHECK(len >= 1, PADLOCK_E_INVALID_ARGUMENT);
    return pl_buf_vec8_bytes(b, name, len);
}

static padlock_err pl_alpn_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err) {
    /* RFC 7301 §3.1: ProtocolName protocol_name_list<2..2^16-1>. */
    pl_cur list, name;
    PL_TRY(pl_cur_vec16(body, 2, 0xffff, &list));
    if (msg == PL_EXT_IN_CH) {
        out->alpn = list;
        while (pl_cur_left(&list) > 0) {
            PL_TRY(pl_alpn_name(&list, &name));
        }
        return PADLOCK_OK;
    }
    PL_TRY(pl_alpn_name(&list, &name));
    if (pl_cur_left(&list) != 0) {
        PL_TRY(pl_alpn_name(&list, &name));
        /* RFC 7301 §3.1: the server's "ProtocolNameList" MUST contain exactly one
         * "ProtocolName". */
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                           "%s: application_layer_protocol_negotiation selects more than one "
                           "protocol",
                           pl_ext_msg_name(msg));
    }
    out->alpn = name;
    return PADLOCK_OK;
}

static padlock_err pl_alpn_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    if (msg == PL_EXT_IN_CH) {
        return pl_ext_build_vec(b, 2, in->alpn);
    }
    pl_buf_vec list;
    PL_TRY(pl_buf_vec_open(b, 2, &list));
    PL_TRY(pl_ext_alpn_name_write(b, in->alpn.p, in->alpn.len));
    return pl_buf_vec_close(b, &list);
}

const pl_ext_desc pl_ext_alpn = {
    .id = PL_EXT_ALPN,
    .index = PL_EXT_I_ALPN,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_EE | PL_EXT_IN_SH12,
    .name = "application_layer_protocol_negotiation",
    .parse = pl_alpn_parse,
    .build = pl_alpn_build,
};
