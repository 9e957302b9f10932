/* Certificate (RFC 8446 §4.4.2): a request context and CertificateEntry list, each entry with
 * its own extensions; and the TLS 1.2 form (RFC 5246 §7.4.2), a plain list of certificates.
 * The list stays in the received buffer and is walked with pl_certificate_next. */
#include "msg/msg.h"

/* One entry of either form. RFC 8446 §4.4.2: opaque cert_data<1..2^24-1>; Extension
 * extensions<0..2^16-1>. RFC 5246 §7.4.2: opaque ASN.1Cert<1..2^24-1>. */
static padlock_err pl_cert_entry_read(pl_cur *c, int tls12, pl_cert_entry *out) {
    PL_TRY(pl_cur_vec24(c, 1, 0xffffff, &out->cert_data));
    if (tls12) {
        pl_cur_init(&out->extensions, NULL, 0);
        return PADLOCK_OK;
    }
    return pl_cur_vec16(c, 0, 0xffff, &out->extensions);
}

static padlock_err pl_cert_parse(pl_certificate *out, const uint8_t *body, size_t len, int tls12,
                                 uint32_t offered, pl_errinfo *err) {
    pl_cur c;
    pl_cur_init(&c, body, len);
    out->tls12 = (uint8_t)tls12;
    out->num_entries = 0;
    if (tls12) {
        pl_cur_init(&out->context, NULL, 0);
    } else {
        /* RFC 8446 §4.4.2: opaque certificate_request_context<0..2^8-1>. */
        PL_TRY(pl_cur_vec8(&c, 0, 255, &out->context));
    }
    /* certificate_list<0..2^24-1> in both versions. */
    PL_TRY(pl_cur_vec24(&c, 0, 0xffffff, &out->entries));
    PL_TRY(pl_cur_done(&c));
    pl_cur it = out->entries;
    while (pl_cur_left(&it) > 0) {
        pl_cert_entry entry;
        PL_TRY(pl_cert_entry_read(&it, tls12, &entry));
        if (!tls12) {
            /* RFC 8446 §4.4.2: entry extensions follow the §4.2 rules; they must answer
             * what the ClientHello or CertificateRequest asked for. */
            pl_exts exts;
            PL_TRY(pl_exts_parse(&exts, PL_EXT_IN_CT, entry.extensions.p, entry.extensions.len,
                                 offered, err));
        }
        out->num_entries++;
    }
    return PADLOCK_OK;
}

padlock_err pl_certificate_parse(pl_certificate *out, const uint8_t *body, size_t len,
                                 uint32_t offered, pl_errinfo *err) {
    return pl_msg_result(pl_cert_parse(out, body, len, 0, offered, err), "Certificate", err);
}

padlock_err pl_certificate_parse_tls12(pl_certificate *out, const uint8_t *body, size_t len,
                                       pl_errinfo *err) {
    return pl_msg_result(pl_cert_parse(out, body, len, 1, 0, err), "Certificate", err);
}

int pl_certificate_next(const pl_certificate *c, pl_cur *it, pl_cert_entry *out) {
    return pl_cert_entry_read(it, c->tls12, out) == PADLOCK_OK;
}

padlock_err pl_cert_entry_write(pl_buf *b, int tls12, const uint8_t *der, size_t der_len,
                                pl_cur extensions) {
    PL_CHECK(der_len >= 1, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(!tls12 || pl_cur_left(&extensions) == 0, PADLOCK_E_INVALID_ARGUMENT);
    PL_TRY(pl_buf_vec24_bytes(b, der, der_len));
    if (tls12) {
        return PADLOCK_OK;
    }
    return pl_buf_vec16_bytes(b, extensions.p, extensions.len);
}

padlock_err pl_certificate_build(pl_buf *b, const pl_certificate *in) {
    PL_CHECK(!in->tls12 || pl_cur_left(&in->context) == 0, PADLOCK_E_INVALID_ARGUMENT);
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, PL_HS_CERTIFICATE, &msg));
    if (!in->tls12) {
        PL_TRY(pl_buf_vec8_bytes(b, in->context.p, in->context.len));
    }
    PL_TRY(pl_buf_vec24_bytes(b, in->entries.p, in->entries.len));
    return pl_msg_end(b, &msg);
}
