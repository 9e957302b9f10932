/* renegotiation_info (RFC 5746 §3.2): renegotiated_connection<0..255> in the ClientHello and
 * TLS 1.2 ServerHello. Its value (empty on an initial handshake, §3.4/§3.6) is the TLS 1.2
 * handshake's to check. Not a TLS 1.3 extension: refused in TLS 1.3 server messages. */
#include "ext/desc.h"

static padlock_err pl_reneg_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err) {
    (void)msg;
    (void)err;
    /* RFC 5746 §3.2: opaque renegotiated_connection<0..255>; */
    return pl_cur_vec8(body, 0, 255, &out->renegotiation_info);
}

static padlock_err pl_reneg_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    (void)msg;
    return pl_ext_build_vec(b, 1, in->renegotiation_info);
}

const pl_ext_desc pl_ext_renegotiation_info = {
    .id = PL_EXT_RENEGOTIATION_INFO,
    .index = PL_EXT_I_RENEGOTIATION_INFO,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_SH12,
    .name = "renegotiation_info",
    .parse = pl_reneg_parse,
    .build = pl_reneg_build,
};
