/* supported_versions (RFC 8446 §4.2.1): the ProtocolVersion list of a ClientHello, the
 * selected_version of a ServerHello or HelloRetryRequest (which must carry it, §4.1.4). */
#include "ext/desc.h"

enum { PL_TLS13 = 0x0304 };

static padlock_err pl_versions_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err) {
    if (msg == PL_EXT_IN_CH) {
        /* RFC 8446 §4.2.1: ProtocolVersion versions<2..254>. */
        return pl_ext_parse_u16_list(body, 1, 2, 254, msg, "supported_versions", &out->versions,
                                     err);
    }
    PL_TRY(pl_cur_u16(body, &out->selected_version));
    /* RFC 8446 §4.2.1: a selected_version "prior to TLS 1.3": abort with "illegal_parameter".
     * Whether it was offered is the client's check. */
    if (out->selected_version < PL_TLS13) {
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                           "%s: supported_versions selects 0x%04x, before TLS 1.3",
                           pl_ext_msg_name(msg), out->selected_version);
    }
    return PADLOCK_OK;
}

static padlock_err pl_versions_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    if (msg == PL_EXT_IN_CH) {
        return pl_ext_build_u16_list(b, 1, in->versions);
    }
    return pl_buf_u16(b, in->selected_version);
}

static padlock_err pl_versions_finish(const pl_exts *e, pl_ext_msg msg, pl_errinfo *err) {
    /* RFC 8446 §4.1.4: "The server's extensions MUST contain "supported_versions"." */
    if (msg == PL_EXT_IN_HRR && !pl_exts_has(e, PL_EXT_SUPPORTED_VERSIONS)) {
        return pl_ext_fail(err, PADLOCK_E_MISSING_EXTENSION,
                           "HelloRetryRequest: supported_versions is missing");
    }
    return PADLOCK_OK;
}

const pl_ext_desc pl_ext_supported_versions = {
    .id = PL_EXT_SUPPORTED_VERSIONS,
    .index = PL_EXT_I_SUPPORTED_VERSIONS,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_SH | PL_EXT_IN_HRR,
    .name = "supported_versions",
    .parse = pl_versions_parse,
    .build = pl_versions_build,
    .finish = pl_versions_finish,
};
