/* CertificateRequest, TLS 1.3 form (RFC 8446 §4.3.2): a request context and an extension block
 * that must carry signature_algorithms (enforced by its descriptor). */
#include "msg/msg.h"

static padlock_err pl_cr_parse(pl_certificate_request *out, const uint8_t *body, size_t len,
                               pl_errinfo *err) {
    pl_cur c, block;
    pl_cur_init(&c, body, len);
    /* RFC 8446 §4.3.2: opaque certificate_request_context<0..2^8-1>;
     * Extension extensions<2..2^16-1>. */
    PL_TRY(pl_cur_vec8(&c, 0, 255, &out->context));
    PL_TRY(pl_cur_vec16(&c, 2, 0xffff, &block));
    PL_TRY(pl_cur_done(&c));
    return pl_exts_parse(&out->exts, PL_EXT_IN_CR, block.p, block.len, 0, err);
}

padlock_err pl_certificate_request_parse(pl_certificate_request *out, const uint8_t *body,
                                         size_t len, pl_errinfo *err) {
    return pl_msg_result(pl_cr_parse(out, body, len, err), "CertificateRequest", err);
}

padlock_err pl_certificate_request_build(pl_buf *b, const pl_certificate_request *in,
                                         const uint16_t *ext_ids, size_t num_ext) {
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, PL_HS_CERTIFICATE_REQUEST, &msg));
    PL_TRY(pl_buf_vec8_bytes(b, in->context.p, in->context.len));
    PL_TRY(pl_exts_build(b, PL_EXT_IN_CR, &in->exts, ext_ids, num_ext));
    return pl_msg_end(b, &msg);
}
