/* cookie (RFC 8446 §4.2.2): sent by the server in a HelloRetryRequest (the one extension it may
 * send unrequested, §4.2) and echoed in the second ClientHello. */
#include "ext/desc.h"

static padlock_err pl_cookie_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err) {
    (void)msg;
    (void)err;
    /* RFC 8446 §4.2.2: struct { opaque cookie<1..2^16-1>; } Cookie; */
    return pl_cur_vec16(body, 1, 0xffff, &out->cookie);
}

static padlock_err pl_cookie_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    (void)msg;
    PL_CHECK(pl_cur_left(&in->cookie) >= 1, PADLOCK_E_INVALID_ARGUMENT);
    return pl_ext_build_vec(b, 2, in->cookie);
}

const pl_ext_desc pl_ext_cookie = {
    .id = PL_EXT_COOKIE,
    .index = PL_EXT_I_COOKIE,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_HRR,
    .name = "cookie",
    .parse = pl_cookie_parse,
    .build = pl_cookie_build,
};
