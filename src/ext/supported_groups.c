/* supported_groups (RFC 8446 §4.2.7, RFC 8422 §5.1.1): the NamedGroup list a client offers, or
 * the server's preference list in EncryptedExtensions. */
#include "ext/desc.h"

static padlock_err pl_groups_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err) {
    /* RFC 8446 §4.2.7: NamedGroup named_group_list<2..2^16-1>. */
    return pl_ext_parse_u16_list(body, 2, 2, 0xffff, msg, "supported_groups",
                                 &out->supported_groups, err);
}

static padlock_err pl_groups_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    (void)msg;
    return pl_ext_build_u16_list(b, 2, in->supported_groups);
}

const pl_ext_desc pl_ext_supported_groups = {
    .id = PL_EXT_SUPPORTED_GROUPS,
    .index = PL_EXT_I_SUPPORTED_GROUPS,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_EE,
    .name = "supported_groups",
    .parse = pl_groups_parse,
    .build = pl_groups_build,
};
