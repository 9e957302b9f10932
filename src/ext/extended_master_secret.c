/* extended_master_secret (RFC 7627 §5.1): an empty extension in the ClientHello and the TLS 1.2
 * ServerHello. Not a TLS 1.3 extension: refused in TLS 1.3 server messages. */
#include "ext/desc.h"

static padlock_err pl_ems_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err) {
    (void)out;
    /* RFC 7627 §5.1: "The "extension_data" field of this extension is empty." */
    return pl_ext_parse_empty(body, msg, "extended_master_secret", err);
}

const pl_ext_desc pl_ext_extended_master_secret = {
    .id = PL_EXT_EXTENDED_MASTER_SECRET,
    .index = PL_EXT_I_EXTENDED_MASTER_SECRET,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_SH12,
    .name = "extended_master_secret",
    .parse = pl_ems_parse,
    .build = pl_ext_build_nothing,
};
