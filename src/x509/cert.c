/* Certificate parsing (RFC 5280 §4.1): the TBSCertificate fields in order, version rules
 * (§4.1.2.1), serial number (§4.1.2.2), matching signature algorithms (§4.1.1.2), names
 * (§4.1.2.4, §4.1.2.6), validity (§4.1.2.5), and the empty-subject rule of §4.1.2.6. */
#include "x509/cert.h"

#include <stdio.h>
#include <string.h>

#include "x509/extensions.h"
#include "x509/general_name.h"
#include "x509/name.h"

/* Fails parsing with PADLOCK_E_CERT_PARSE, naming field, when expr is not PADLOCK_OK. */
#define PL_FIELD(expr, name)                                                                       \
    do {                                                                                           \
        if ((expr) != PADLOCK_OK) {                                                                \
            *field = (name);                                                                       \
            return PADLOCK_E_CERT_PARSE;                                                           \
        }                                                                                          \
    } while (0)

static padlock_err pl_parse_tbs(pl_x509_cert *c, pl_cur *tbs, const char **field) {
    pl_cur v;
    int present;
    PL_FIELD(pl_der_optional(tbs, PL_DER_CTX_CONS(0), &v, &present), "version");
    c->version = 1;
    if (present) {
        uint64_t version;
        PL_FIELD(pl_der_small_uint(&v, PL_DER_INTEGER, 2, &version), "version");
        PL_FIELD(pl_der_done(&v), "version");
        /* DER never encodes the DEFAULT v1 (X.690 §11.5). */
        PL_FIELD(version == 0 ? PADLOCK_E_DER : PADLOCK_OK, "version");
        c->version = (uint8_t)(version + 1);
    }
    PL_FIELD(pl_der_integer(tbs, PL_DER_INTEGER, &c->serial), "serial number");
    /* RFC 5280 §4.1.2.2: at most 20 octets (plus a sign octet for a positive value). */
    PL_FIELD(c->serial.len > 21 || (c->serial.len == 21 && c->serial.p[0] != 0) ? PADLOCK_E_DER
                                                                                : PADLOCK_OK,
             "serial number");
    pl_x509_sigalg inner;
    PL_FIELD(pl_x509_sigalg_read(tbs, &inner), "signature algorithm");
    pl_cur name;
    PL_FIELD(pl_der_expect(tbs, PL_DER_SEQUENCE, &name, &c->issuer), "issuer");
    PL_FIELD(pl_x509_name_validate(c->issuer), "issuer");
    pl_cur validity;
    PL_FIELD(pl_der_expect(tbs, PL_DER_SEQUENCE, &validity, NULL), "validity");
    PL_FIELD(pl_der_time(&validity, &c->not_before), "validity");
    PL_FIELD(pl_der_time(&validity, &c->not_after), "validity");
    PL_FIELD(pl_der_done(&validity), "validity");
    PL_FIELD(pl_der_expect(tbs, PL_DER_SEQUENCE, &name, &c->subject), "subject");
    PL_FIELD(pl_x509_name_validate(c->subject), "subject");
    PL_FIELD(pl_x509_pubkey_read(tbs, &c->key), "subject public key");

    /* RFC 5280 §4.1.2.8: unique identifiers only in v2 and v3. */
    for (unsigned tag = 1; tag <= 2; tag++) {
        if (pl_der_next_is(tbs, PL_DER_CTX(tag))) {
            pl_span id;
            uint8_t unused;
            PL_FIELD(c->version >= 2 ? PADLOCK_OK : PADLOCK_E_DER, "unique identifier");
            PL_FIELD(pl_der_bit_string(tbs, PL_DER_CTX(tag), &id, &unused), "unique identifier");
        }
    }
    PL_FIELD(pl_der_optional(tbs, PL_DER_CTX_CONS(3), &v, &present), "extensions");
    if (present) {
        /* RFC 5280 §4.1.2.9: extensions only in v3. */
        PL_FIELD(c->version == 3 ? PADLOCK_OK : PADLOCK_E_DER, "extensions");
        pl_cur exts;
        PL_FIELD(pl_der_expect(&v, PL_DER_SEQUENCE, &exts, NULL), "extensions");
        PL_FIELD(pl_der_done(&v), "extensions");
        const char *ext_field;
        if (pl_x509_extensions_parse(c, &exts, &ext_field) != PADLOCK_OK) {
            *field = ext_field;
            return PADLOCK_E_CERT_PARSE;
        }
    }
    PL_FIELD(pl_der_done(tbs), "trailing data in TBSCertificate");
    c->sig_alg = inner;
    return PADLOCK_OK;
}

padlock_err pl_x509_cert_parse(pl_x509_cert *out, const uint8_t *der, size_t len,
                               const char **out_field) {
    const char *ignored;
    const char **field = out_field != NULL ? out_field : &ignored;
    *field = NULL;
    pl_x509_cert c;
    memset(&c, 0, sizeof(c));
    pl_cur in;
    pl_cur_init(&in, der, len);
    pl_cur cert;
    PL_FIELD(pl_der_expect(&in, PL_DER_SEQUENCE, &cert, &c.der), "Certificate");
    PL_FIELD(pl_der_done(&in), "trailing data after the certificate");
    pl_cur tbs;
    PL_FIELD(pl_der_expect(&cert, PL_DER_SEQUENCE, &tbs, &c.tbs), "TBSCertificate");
    PL_TRY(pl_parse_tbs(&c, &tbs, field));
    pl_x509_sigalg outer;
    PL_FIELD(pl_x509_sigalg_read(&cert, &outer), "signature algorithm");
    PL_FIELD(pl_der_bit_octets(&cert, &c.sig_value), "signature value");
    PL_FIELD(pl_der_done(&cert), "Certificate");
    /* RFC 5280 §4.1.1.2: signatureAlgorithm MUST equal the TBSCertificate's signature. */
    PL_FIELD(pl_span_equal(outer.der, c.sig_alg.der) ? PADLOCK_OK : PADLOCK_E_DER,
             "signature algorithms differ");
    /* RFC 5280 §4.1.2.6: an empty subject needs a critical subjectAltName. */
    PL_FIELD(!pl_x509_name_is_empty(c.subject) || ((c.exts & PL_X509_EXT_SAN) && c.san_critical)
                 ? PADLOCK_OK
                 : PADLOCK_E_DER,
             "empty subject without a critical subjectAltName");
    *out = c;
    return PADLOCK_OK;
}

int pl_x509_cert_is_self_issued(const pl_x509_cert *c) {
    return pl_x509_name_equal(c->issuer, c->subject);
}

void pl_x509_serial_format(pl_span serial, char *out, size_t cap) {
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (size_t i = 0; i < serial.len && o + 4 <= cap; i++) {
        if (i > 0) {
            out[o++] = ':';
        }
        out[o++] = hex[serial.p[i] >> 4];
        out[o++] = hex[serial.p[i] & 15];
    }
    if (cap > 0) {
        out[o < cap ? o : cap - 1] = '\0';
    }
}

void pl_x509_cert_label(const pl_x509_cert *c, char *out, size_t cap) {
    if (!pl_x509_name_is_empty(c->subject)) {
        pl_x509_name_format(c->subject, out, cap);
        return;
    }
    pl_cur sans;
    pl_cur_init(&sans, c->san.p, c->san.len);
    pl_x509_gn gn;
    if (pl_cur_left(&sans) > 0 && pl_x509_gn_read(&sans, &gn) == PADLOCK_OK) {
        pl_x509_gn_format(&gn, out, cap);
        return;
    }
    char serial[64];
    pl_x509_serial_format(c->serial, serial, sizeof(serial));
    snprintf(out, cap, "serial %s", serial);
}
