/* PKCS #10: CertificationRequestInfo and CertificationRequest (RFC 2986 §4.1, §4.2), the
 * extensionRequest attribute (RFC 2985 §5.4.2) whose Extensions follow RFC 5280 §4.1 syntax,
 * and the self-signature (RFC 2986 §3). */
#include "x509/csr.h"

#include <string.h>

#include "util/mem.h"
#include "x509/extensions.h"
#include "x509/name.h"
#include "x509/oid.h"
#include "x509/signature.h"
#include "x509/write.h"

/* Fails parsing with PADLOCK_E_CSR_PARSE, naming field, when expr is not PADLOCK_OK. */
#define PL_FIELD(expr, name)                                                                       \
    do {                                                                                           \
        if ((expr) != PADLOCK_OK) {                                                                \
            *field = (name);                                                                       \
            return PADLOCK_E_CSR_PARSE;                                                            \
        }                                                                                          \
    } while (0)

/* extensionRequest ::= SET SIZE (1) OF Extensions (PKCS #9's single-valued attribute). */
static padlock_err pl_parse_extension_request(pl_x509_csr *csr, pl_cur *values,
                                              const char **field) {
    PL_FIELD(csr->has_extension_request ? PADLOCK_E_DER : PADLOCK_OK,
             "duplicate extensionRequest attribute");
    csr->has_extension_request = 1;
    pl_cur exts;
    PL_FIELD(pl_der_expect(values, PL_DER_SEQUENCE, &exts, NULL), "extensionRequest attribute");
    PL_FIELD(pl_der_done(values), "extensionRequest attribute");
    /* Count what is asked for before the shared parser consumes it. */
    pl_cur count = exts;
    while (pl_cur_left(&count) > 0) {
        pl_der_tag tag;
        pl_cur ext;
        PL_FIELD(pl_der_next(&count, &tag, &ext, NULL), "extensionRequest attribute");
        csr->num_requested = csr->num_requested < UINT8_MAX ? csr->num_requested + 1 : UINT8_MAX;
    }
    const char *ext_field;
    if (pl_x509_extensions_parse(&csr->requested, &exts, &ext_field) != PADLOCK_OK) {
        *field = ext_field;
        return PADLOCK_E_CSR_PARSE;
    }
    return PADLOCK_OK;
}

/* attributes [0] IMPLICIT SET OF Attribute; Attribute ::= SEQUENCE { type, values SET SIZE
 * (1..MAX) } */
static padlock_err pl_parse_attributes(pl_x509_csr *csr, pl_cur *attrs, const char **field) {
    while (pl_cur_left(attrs) > 0) {
        pl_cur attr;
        pl_span type;
        pl_cur values;
        PL_FIELD(pl_der_expect(attrs, PL_DER_SEQUENCE, &attr, NULL), "attributes");
        PL_FIELD(pl_der_oid(&attr, &type), "attributes");
        PL_FIELD(pl_der_expect(&attr, PL_DER_SET, &values, NULL), "attributes");
        PL_FIELD(pl_der_done(&attr), "attributes");
        PL_FIELD(pl_cur_left(&values) > 0 ? PADLOCK_OK : PADLOCK_E_DER, "attributes");
        if (pl_oid_lookup(type) == PL_OID_PKCS9_EXTENSION_REQUEST) {
            PL_TRY(pl_parse_extension_request(csr, &values, field));
            continue;
        }
        /* Other attributes (challengePassword, ...) mean nothing to padlock; their values
         * must still be well-formed elements. */
        while (pl_cur_left(&values) > 0) {
            pl_der_tag tag;
            pl_cur value;
            PL_FIELD(pl_der_next(&values, &tag, &value, NULL), "attributes");
        }
    }
    return PADLOCK_OK;
}

static padlock_err pl_parse_info(pl_x509_csr *csr, pl_cur *info, const char **field) {
    uint64_t version;
    /* RFC 2986 §4.1: version "shall be 0 for this version of the standard". */
    PL_FIELD(pl_der_small_uint(info, PL_DER_INTEGER, 0, &version), "version");
    pl_cur name;
    PL_FIELD(pl_der_expect(info, PL_DER_SEQUENCE, &name, &csr->subject), "subject");
    PL_FIELD(pl_x509_name_validate(csr->subject), "subject");
    PL_FIELD(pl_x509_pubkey_read(info, &csr->key), "subject public key");
    pl_cur attrs;
    PL_FIELD(pl_der_expect(info, PL_DER_CTX_CONS(0), &attrs, NULL), "attributes");
    PL_TRY(pl_parse_attributes(csr, &attrs, field));
    PL_FIELD(pl_der_done(info), "trailing data in CertificationRequestInfo");
    return PADLOCK_OK;
}

padlock_err pl_x509_csr_parse(pl_x509_csr *out, const uint8_t *der, size_t len,
                              const char **out_field) {
    const char *ignored;
    const char **field = out_field != NULL ? out_field : &ignored;
    *field = NULL;
    pl_x509_csr csr;
    memset(&csr, 0, sizeof(csr));
    pl_cur in;
    pl_cur_init(&in, der, len);
    pl_cur req;
    PL_FIELD(pl_der_expect(&in, PL_DER_SEQUENCE, &req, &csr.der), "CertificationRequest");
    PL_FIELD(pl_der_done(&in), "trailing data after the request");
    pl_cur info;
    PL_FIELD(pl_der_expect(&req, PL_DER_SEQUENCE, &info, &csr.info), "CertificationRequestInfo");
    PL_TRY(pl_parse_info(&csr, &info, field));
    PL_FIELD(pl_x509_sigalg_read(&req, &csr.sig_alg), "signature algorithm");
    PL_FIELD(pl_der_bit_octets(&req, &csr.sig_value), "signature value");
    PL_FIELD(pl_der_done(&req), "CertificationRequest");
    *out = csr;
    return PADLOCK_OK;
}

padlock_err pl_x509_csr_verify(const pl_x509_csr *csr) {
    padlock_err rc =
        pl_x509_signature_check(NULL, &csr->sig_alg, csr->info, csr->sig_value, &csr->key);
    return rc == PADLOCK_E_CERT_SIGNATURE ? PADLOCK_E_CSR_SIGNATURE : rc;
}

/* The fields of the CertificationRequestInfo to write. */
typedef struct pl_info_ctx {
    pl_span subject;
    pl_span spki;
    const pl_x509_gn *sans;
    size_t num_sans;
} pl_info_ctx;

static padlock_err pl_info_write(pl_buf *b, const void *ctx) {
    const pl_info_ctx *c = ctx;
    pl_der_nest info, attrs;
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &info));
    PL_TRY(pl_der_put_small_uint(b, PL_DER_INTEGER, 0));
    PL_TRY(pl_buf_bytes(b, c->subject.p, c->subject.len));
    PL_TRY(pl_buf_bytes(b, c->spki.p, c->spki.len));
    /* RFC 2986 §4.1: attributes are not OPTIONAL; an empty set is written as [0] {}. */
    PL_TRY(pl_der_open(b, PL_DER_CTX_CONS(0), &attrs));
    if (c->num_sans > 0) {
        pl_der_nest attr, values, exts;
        PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &attr));
        PL_TRY(pl_der_put_oid(b, pl_oid_bytes(PL_OID_PKCS9_EXTENSION_REQUEST)));
        PL_TRY(pl_der_open(b, PL_DER_SET, &values));
        PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &exts));
        /* The subjectAltName is critical in the request only when the subject is empty, as
         * it will be in the certificate (RFC 5280 §4.1.2.6). */
        PL_TRY(pl_x509_ext_san_write(b, c->sans, c->num_sans, c->subject.len == 2));
        PL_TRY(pl_der_close(b, &exts));
        PL_TRY(pl_der_close(b, &values));
        PL_TRY(pl_der_close(b, &attr));
    }
    PL_TRY(pl_der_close(b, &attrs));
    return pl_der_close(b, &info);
}

padlock_err pl_x509_csr_write(pl_span subject, const pl_x509_gn *sans, size_t num_sans,
                              const pl_privkey *key, uint8_t **out, size_t *out_len) {
    uint8_t *spki;
    size_t spki_len;
    PL_TRY(pl_privkey_spki(key, &spki, &spki_len));
    pl_info_ctx ctx = {subject, {spki, spki_len}, sans, num_sans};
    uint8_t *info;
    size_t info_len;
    padlock_err rc = pl_der_build(pl_info_write, &ctx, &info, &info_len);
    pl_free(spki);
    PL_TRY(rc);
    pl_span to_be_signed = {info, info_len};
    rc = pl_x509_signed_write(to_be_signed, key, out, out_len);
    pl_free(info);
    return rc;
}
