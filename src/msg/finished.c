/* Finished (RFC 8446 §4.4.4; RFC 5246 §7.4.9): verify_data of a fixed length (the hash length
 * in TLS 1.3, 12 bytes in TLS 1.2), checked in constant time. */
#include "msg/msg.h"
#include "util/mem.h"

padlock_err pl_finished_parse(const uint8_t **out_verify_data, const uint8_t *body, size_t len,
                              size_t verify_len, pl_errinfo *err) {
    /* RFC 8446 §4.4.4: opaque verify_data[Hash.length]; the body is exactly that. */
    if (len != verify_len) {
        return pl_ext_fail(err, PADLOCK_E_DECODE,
                           "Finished: verify_data has %zu bytes, expected %zu", len, verify_len);
    }
    *out_verify_data = body;
    return PADLOCK_OK;
}

padlock_err pl_finished_verify(const uint8_t *body, size_t len, const uint8_t *expected,
                               size_t expected_len, pl_errinfo *err) {
    const uint8_t *verify_data = NULL;
    PL_TRY(pl_finished_parse(&verify_data, body, len, expected_len, err));
    /* RFC 8446 §4.4.4: "Recipients of Finished messages MUST verify that the contents are
     * correct and if incorrect MUST terminate the connection with a "decrypt_error" alert." */
    if (!pl_ct_equal(verify_data, expected, expected_len)) {
        return pl_ext_fail(err, PADLOCK_E_DECRYPT_ERROR,
                           "Finished: verify_data does not match the handshake");
    }
    return PADLOCK_OK;
}

padlock_err pl_finished_build(pl_buf *b, const uint8_t *verify_data, size_t len) {
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, PL_HS_FINISHED, &msg));
    PL_TRY(pl_buf_bytes(b, verify_data, len));
    return pl_msg_end(b, &msg);
}
