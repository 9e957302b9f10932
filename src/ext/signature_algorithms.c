/* signature_algorithms and signature_algorithms_cert (RFC 8446 §4.2.3): the SignatureScheme
 * lists a ClientHello or CertificateRequest offers. A CertificateRequest must carry
 * signature_algorithms (RFC 8446 §4.3.2). */
#include "ext/desc.h"

/* RFC 8446 §4.2.3: SignatureScheme supported_signature_algorithms<2..2^16-2>. */
static padlock_err pl_sigalgs_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err) {
    return pl_ext_parse_u16_list(body, 2, 2, 0xfffe, msg, "signature_algorithms", &out->sig_algs,
                                 err);
}

static padlock_err pl_sigalgs_cert_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body,
                                         pl_errinfo *err) {
    return pl_ext_parse_u16_list(body, 2, 2, 0xfffe, msg, "signature_algorithms_cert",
                                 &out->sig_algs_cert, err);
}

static padlock_err pl_sigalgs_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    (void)msg;
    return pl_ext_build_u16_list(b, 2, in->sig_algs);
}

static padlock_err pl_sigalgs_cert_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    (void)msg;
    return pl_ext_build_u16_list(b, 2, in->sig_algs_cert);
}

static padlock_err pl_sigalgs_finish(const pl_exts *e, pl_ext_msg msg, pl_errinfo *err) {
    /* RFC 8446 §4.3.2: "The "signature_algorithms" extension MUST be specified". */
    if (msg == PL_EXT_IN_CR && !pl_exts_has(e, PL_EXT_SIGNATURE_ALGORITHMS)) {
        return pl_ext_fail(err, PADLOCK_E_MISSING_EXTENSION,
                           "CertificateRequest: signature_algorithms is missing");
    }
    return PADLOCK_OK;
}

const pl_ext_desc pl_ext_signature_algorithms = {
    .id = PL_EXT_SIGNATURE_ALGORITHMS,
    .index = PL_EXT_I_SIGNATURE_ALGORITHMS,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_CR,
    .name = "signature_algorithms",
    .parse = pl_sigalgs_parse,
    .build = pl_sigalgs_build,
    .finish = pl_sigalgs_finish,
};

const pl_ext_desc pl_ext_signature_algorithms_cert = {
    .id = PL_EXT_SIGNATURE_ALGORITHMS_CERT,
    .index = PL_EXT_I_SIGNATURE_ALGORITHMS_CERT,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_CR,
    .name = "signature_algorithms_cert",
    .parse = pl_sigalgs_cert_parse,
    .build = pl_sigalgs_cert_build,
};
