/* psk_key_exchange_modes (RFC 8446 §4.2.9): the PSK modes a ClientHello allows; required with
 * pre_shared_key. Unknown modes (GREASE among them) are kept and never match. */
#include "ext/desc.h"

static padlock_err pl_psk_modes_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err) {
    (void)msg;
    (void)err;
    /* RFC 8446 §4.2.9: PskKeyExchangeMode ke_modes<1..255>. */
    return pl_cur_vec8(body, 1, 255, &out->psk_modes);
}

static padlock_err pl_psk_modes_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    (void)msg;
    return pl_ext_build_vec(b, 1, in->psk_modes);
}

static padlock_err pl_psk_modes_finish(const pl_exts *e, pl_ext_msg msg, pl_errinfo *err) {
    /* RFC 8446 §4.2.9: "If clients offer "pre_shared_key" without a "psk_key_exchange_modes"
     * extension, servers MUST abort the handshake." */
    if (msg == PL_EXT_IN_CH && pl_exts_has(e, PL_EXT_PRE_SHARED_KEY) &&
        !pl_exts_has(e, PL_EXT_PSK_KEY_EXCHANGE_MODES)) {
        return pl_ext_fail(err, PADLOCK_E_MISSING_EXTENSION,
                           "ClientHello: pre_shared_key without psk_key_exchange_modes");
    }
    return PADLOCK_OK;
}

const pl_ext_desc pl_ext_psk_key_exchange_modes = {
    .id = PL_EXT_PSK_KEY_EXCHANGE_MODES,
    .index = PL_EXT_I_PSK_KEY_EXCHANGE_MODES,
    .allowed = PL_EXT_IN_CH,
    .name = "psk_key_exchange_modes",
    .parse = pl_psk_modes_parse,
    .build = pl_psk_modes_build,
    .finish = pl_psk_modes_finish,
};
