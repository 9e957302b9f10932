/* KeyUpdate (RFC 8446 §4.6.3): one byte, update_not_requested(0) or update_requested(1). */
#include "msg/msg.h"

padlock_err pl_key_update_parse(uint8_t *out_request_update, const uint8_t *body, size_t len,
                                pl_errinfo *err) {
    pl_cur c;
    pl_cur_init(&c, body, len);
    uint8_t v;
    if (pl_cur_u8(&c, &v) != PADLOCK_OK || pl_cur_done(&c) != PADLOCK_OK) {
        return pl_ext_fail(err, PADLOCK_E_DECODE, "KeyUpdate: body is %zu bytes, not 1", len);
    }
    /* RFC 8446 §4.6.3: "If an implementation receives any other value, it MUST terminate the
     * connection with an "illegal_parameter" alert." */
    if (v != PL_KEY_UPDATE_NOT_REQUESTED && v != PL_KEY_UPDATE_REQUESTED) {
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                           "KeyUpdate: request_update is %u, not 0 or 1", v);
    }
    *out_request_update = v;
    return PADLOCK_OK;
}

padlock_err pl_key_update_build(pl_buf *b, uint8_t request_update) {
    PL_CHECK(request_update <= PL_KEY_UPDATE_REQUESTED, PADLOCK_E_INVALID_ARGUMENT);
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, PL_HS_KEY_UPDATE, &msg));
    PL_TRY(pl_buf_u8(b, request_update));
    return pl_msg_end(b, &msg);
}
