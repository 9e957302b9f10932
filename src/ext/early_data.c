/* early_data (RFC 8446 §4.2.10): empty in ClientHello and EncryptedExtensions; in a
 * NewSessionTicket it carries max_early_data_size (§4.6.1). */
#include "ext/desc.h"

static padlock_err pl_early_data_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body,
                                       pl_errinfo *err) {
    /* RFC 8446 §4.2.10: EarlyDataIndication is uint32 max_early_data_size in a
     * new_session_ticket, Empty in client_hello and encrypted_extensions. */
    if (msg == PL_EXT_IN_NST) {
        return pl_cur_u32(body, &out->max_early_data_size);
    }
    return pl_ext_parse_empty(body, msg, "early_data", err);
}

static padlock_err pl_early_data_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    if (msg == PL_EXT_IN_NST) {
        return pl_buf_u32(b, in->max_early_data_size);
    }
    return PADLOCK_OK;
}

const pl_ext_desc pl_ext_early_data = {
    .id = PL_EXT_EARLY_DATA,
    .index = PL_EXT_I_EARLY_DATA,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_EE | PL_EXT_IN_NST,
    .name = "early_data",
    .parse = pl_early_data_parse,
    .build = pl_early_data_build,
};
