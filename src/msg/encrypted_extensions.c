/* EncryptedExtensions (RFC 8446 §4.3.1): the server's answers that need no cryptographic
 * context, as an extension block of responses. */
#include "msg/msg.h"

static padlock_err pl_ee_parse(pl_exts *out, const uint8_t *body, size_t len, uint32_t offered,
                               pl_errinfo *err) {
    pl_cur c, block;
    pl_cur_init(&c, body, len);
    /* RFC 8446 §4.3.1: Extension extensions<0..2^16-1>. */
    PL_TRY(pl_cur_vec16(&c, 0, 0xffff, &block));
    PL_TRY(pl_cur_done(&c));
    return pl_exts_parse(out, PL_EXT_IN_EE, block.p, block.len, offered, err);
}

padlock_err pl_encrypted_extensions_parse(pl_exts *out, const uint8_t *body, size_t len,
                                          uint32_t offered, pl_errinfo *err) {
    return pl_msg_result(pl_ee_parse(out, body, len, offered, err), "EncryptedExtensions", err);
}

padlock_err pl_encrypted_extensions_build(pl_buf *b, const pl_exts *in, const uint16_t *ext_ids,
                                          size_t num_ext) {
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, PL_HS_ENCRYPTED_EXTENSIONS, &msg));
    PL_TRY(pl_exts_build(b, PL_EXT_IN_EE, in, ext_ids, num_ext));
    return pl_msg_end(b, &msg);
}
