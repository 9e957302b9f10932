/* CertificateVerify (RFC 8446 §4.4.3): the signature scheme and signature, and the content a
 * signature covers (64 spaces, the signer's context string, 0, the transcript hash). */
#include <string.h>

#include "msg/msg.h"

static padlock_err pl_cv_parse(pl_certificate_verify *out, const uint8_t *body, size_t len) {
    pl_cur c;
    pl_cur_init(&c, body, len);
    /* RFC 8446 §4.4.3: SignatureScheme algorithm; opaque signature<0..2^16-1>. */
    PL_TRY(pl_cur_u16(&c, &out->scheme));
    PL_TRY(pl_cur_vec16(&c, 0, 0xffff, &out->signature));
    return pl_cur_done(&c);
}

padlock_err pl_certificate_verify_parse(pl_certificate_verify *out, const uint8_t *body, size_t len,
                                        pl_errinfo *err) {
    return pl_msg_result(pl_cv_parse(out, body, len), "CertificateVerify", err);
}

padlock_err pl_certificate_verify_build(pl_buf *b, const pl_certificate_verify *in) {
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, PL_HS_CERTIFICATE_VERIFY, &msg));
    PL_TRY(pl_buf_u16(b, in->scheme));
    PL_TRY(pl_buf_vec16_bytes(b, in->signature.p, in->signature.len));
    return pl_msg_end(b, &msg);
}

padlock_err pl_certificate_verify_content(pl_buf *b, pl_role signer, const uint8_t *transcript_hash,
                                          size_t hash_len) {
    /* RFC 8446 §4.4.3: "The context string for a server signature is "TLS 1.3, server
     * CertificateVerify". The context string for a client signature is "TLS 1.3, client
     * CertificateVerify"." */
    static const char server_context[] = "TLS 1.3, server CertificateVerify";
    static const char client_context[] = "TLS 1.3, client CertificateVerify";
    const char *context = signer == PL_ROLE_SERVER ? server_context : client_context;
    PL_CHECK(hash_len <= PL_HASH_MAX_LEN, PADLOCK_E_INVALID_ARGUMENT);
    uint8_t *pad;
    /* "A string that consists of octet 32 (0x20) repeated 64 times" */
    PL_TRY(pl_buf_reserve(b, 64, &pad));
    memset(pad, 0x20, 64);
    PL_TRY(pl_buf_bytes(b, context, strlen(context)));
    PL_TRY(pl_buf_u8(b, 0)); /* "A single 0 byte which serves as the separator" */
    return pl_buf_bytes(b, transcript_hash, hash_len);
}
