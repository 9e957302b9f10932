/* record_size_limit (RFC 8449 §4): the largest protected record plaintext an endpoint will
 * receive. Sent in ClientHello, and by the server in EncryptedExtensions (TLS 1.3) or the
 * ServerHello (TLS 1.2). Values above the version's maximum are the receiver's to clamp. */
#include "ext/desc.h"

static padlock_err pl_rsl_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err) {
    PL_TRY(pl_cur_u16(body, &out->record_size_limit));
    /* RFC 8449 §4: "An endpoint MUST treat receipt of a smaller value [than 64] as a fatal
     * error and generate an "illegal_parameter" alert." */
    if (out->record_size_limit < 64) {
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER, "%s: record_size_limit %u is below 64",
                           pl_ext_msg_name(msg), out->record_size_limit);
    }
    return PADLOCK_OK;
}

static padlock_err pl_rsl_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    (void)msg;
    PL_CHECK(in->record_size_limit >= 64, PADLOCK_E_INVALID_ARGUMENT);
    return pl_buf_u16(b, in->record_size_limit);
}

const pl_ext_desc pl_ext_record_size_limit = {
    .id = PL_EXT_RECORD_SIZE_LIMIT,
    .index = PL_EXT_I_RECORD_SIZE_LIMIT,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_EE | PL_EXT_IN_SH12,
    .name = "record_size_limit",
    .parse = pl_rsl_parse,
    .build = pl_rsl_build,
};
