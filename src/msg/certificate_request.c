/* CertificateRequest, TLS 1.3 form (RFC 8446 §4.3.2): a request context and an extension block
 * that must carry signature_algorithms (enforced by its descriptor); and the TLS 1.2 form
 * (RFC 5246 §7.4.4): certificate types, signature algorithms and acceptable CAs. */
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

/* ---- TLS 1.2 form (RFC 5246 §7.4.4) --------------------------------------------------------- */

static padlock_err pl_cr12_parse(pl_certificate_request12 *out, const uint8_t *body, size_t len,
                                 pl_errinfo *err) {
    pl_cur c, names;
    pl_cur_init(&c, body, len);
    /* RFC 5246 §7.4.4: ClientCertificateType certificate_types<1..2^8-1>;
     * SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>;
     * DistinguishedName certificate_authorities<0..2^16-1>. */
    PL_TRY(pl_cur_vec8(&c, 1, 255, &out->cert_types));
    PL_TRY(pl_cur_vec16(&c, 2, 0xfffe, &out->sig_algs));
    if (pl_cur_left(&out->sig_algs) % 2 != 0) {
        return pl_ext_fail(err, PADLOCK_E_DECODE,
                           "CertificateRequest: supported_signature_algorithms has an odd length");
    }
    PL_TRY(pl_cur_vec16(&c, 0, 0xffff, &out->authorities));
    PL_TRY(pl_cur_done(&c));
    /* Each DistinguishedName is opaque DistinguishedName<1..2^16-1> (the DER is not needed to
     * choose a certificate, so it is not read further). */
    names = out->authorities;
    while (pl_cur_left(&names) > 0) {
        pl_cur name;
        PL_TRY(pl_cur_vec16(&names, 1, 0xffff, &name));
    }
    return PADLOCK_OK;
}

padlock_err pl_certificate_request12_parse(pl_certificate_request12 *out, const uint8_t *body,
                                           size_t len, pl_errinfo *err) {
    return pl_msg_result(pl_cr12_parse(out, body, len, err), "CertificateRequest", err);
}

padlock_err pl_certificate_request12_build(pl_buf *b, const pl_certificate_request12 *in) {
    PL_CHECK(pl_cur_left(&in->cert_types) >= 1 && pl_cur_left(&in->sig_algs) >= 2 &&
                 pl_cur_left(&in->sig_algs) % 2 == 0,
             PADLOCK_E_INVALID_ARGUMENT);
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, PL_HS_CERTIFICATE_REQUEST, &msg));
    PL_TRY(pl_buf_vec8_bytes(b, in->cert_types.p, in->cert_types.len));
    PL_TRY(pl_buf_vec16_bytes(b, in->sig_algs.p, in->sig_algs.len));
    PL_TRY(pl_buf_vec16_bytes(b, in->authorities.p, in->authorities.len));
    return pl_msg_end(b, &msg);
}
