/* ec_point_formats (RFC 8422 §5.1.2, §5.2): the ECPointFormat list of a TLS 1.2 ClientHello or
 * ServerHello, which must include uncompressed(0), the only format padlock (and RFC 8422)
 * uses. Not a TLS 1.3 extension: refused in TLS 1.3 server messages. */
#include "ext/desc.h"

enum { PL_POINT_UNCOMPRESSED = 0 };

static padlock_err pl_ecpf_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err) {
    /* RFC 8422 §5.1.2: ECPointFormat ec_point_format_list<1..2^8-1>. */
    PL_TRY(pl_cur_vec8(body, 1, 255, &out->ec_point_formats));
    /* RFC 8422 §5.1.2: a list without the uncompressed format: "the server MUST abort the
     * handshake and return an illegal_parameter alert"; §5.2: the server's "MUST contain the
     * value 0 (uncompressed)". */
    if (!pl_ext_u8_contains(out->ec_point_formats, PL_POINT_UNCOMPRESSED)) {
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                           "%s: ec_point_formats does not include uncompressed",
                           pl_ext_msg_name(msg));
    }
    return PADLOCK_OK;
}

static padlock_err pl_ecpf_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    (void)msg;
    return pl_ext_build_vec(b, 1, in->ec_point_formats);
}

const pl_ext_desc pl_ext_ec_point_formats = {
    .id = PL_EXT_EC_POINT_FORMATS,
    .index = PL_EXT_I_EC_POINT_FORMATS,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_SH12,
    .name = "ec_point_formats",
    .parse = pl_ecpf_parse,
    .build = pl_ecpf_build,
};
