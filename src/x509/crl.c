/* CRL parsing per RFC 5280 §5.1 (CertificateList, TBSCertList), §5.2 (CRL extensions: AKI,
 * cRLNumber, issuingDistributionPoint, deltaCRLIndicator) and §5.3 (entry extensions:
 * reasonCode, invalidityDate, certificateIssuer), and CRL sets loaded from PEM or DER. */
#include "x509/crl.h"

#include <stdlib.h>
#include <string.h>

#include "util/file.h"
#include "util/mem.h"
#include "wire/pem.h"
#include "x509/name.h"
#include "x509/oid.h"

#define PL_CRL_FIELD(expr, name)                                                                   \
    do {                                                                                           \
        if ((expr) != PADLOCK_OK) {                                                                \
            *field = (name);                                                                       \
            return PADLOCK_E_CRL_PARSE;                                                            \
        }                                                                                          \
    } while (0)

/* Refuses a well-formed CRL padlock does not process. */
#define PL_CRL_UNSUPPORTED(cond, name)                                                             \
    do {                                                                                           \
        if (cond) {                                                                                \
            *field = (name);                                                                       \
            return PADLOCK_E_CRL_INVALID;                                                          \
        }                                                                                          \
    } while (0)

/* A [tag] IMPLICIT BOOLEAN DEFAULT FALSE: present only as TRUE in DER. */
static padlock_err pl_read_true_flag(pl_cur *c, unsigned tag, int *out) {
    *out = 0;
    if (!pl_der_next_is(c, PL_DER_CTX(tag))) {
        return PADLOCK_OK;
    }
    pl_span v;
    PL_TRY(pl_der_octet_string(c, PL_DER_CTX(tag), &v));
    PL_CHECK(v.len == 1 && v.p[0] == 0xff, PADLOCK_E_DER);
    *out = 1;
    return PADLOCK_OK;
}

/* RFC 5280 §5.2.5 IssuingDistributionPoint. */
static padlock_err pl_crl_idp(pl_x509_crl *crl, pl_span value, const char **field) {
    pl_cur c, seq, v;
    pl_cur_init(&c, value.p, value.len);
    PL_CRL_FIELD(pl_der_expect(&c, PL_DER_SEQUENCE, &seq, NULL), "issuingDistributionPoint");
    PL_CRL_FIELD(pl_der_done(&c), "issuingDistributionPoint");
    int present, user, ca, indirect, attr;
    /* The distribution point name is not matched against certificates: padlock takes the CRLs
     * it is given as covering their issuer's certificates, within the scope flags below. */
    PL_CRL_FIELD(pl_der_optional(&seq, PL_DER_CTX_CONS(0), &v, &present),
                 "issuingDistributionPoint");
    PL_CRL_FIELD(pl_read_true_flag(&seq, 1, &user), "issuingDistributionPoint");
    PL_CRL_FIELD(pl_read_true_flag(&seq, 2, &ca), "issuingDistributionPoint");
    int some_reasons = pl_der_next_is(&seq, PL_DER_CTX(3));
    if (some_reasons) {
        pl_span bits;
        uint8_t unused;
        PL_CRL_FIELD(pl_der_bit_string(&seq, PL_DER_CTX(3), &bits, &unused),
                     "issuingDistributionPoint");
    }
    PL_CRL_FIELD(pl_read_true_flag(&seq, 4, &indirect), "issuingDistributionPoint");
    PL_CRL_FIELD(pl_read_true_flag(&seq, 5, &attr), "issuingDistributionPoint");
    PL_CRL_FIELD(pl_der_done(&seq), "issuingDistributionPoint");
    /* §5.2.5: at most one of the onlyContains flags. */
    PL_CRL_FIELD(user + ca + attr > 1 ? PADLOCK_E_DER : PADLOCK_OK, "issuingDistributionPoint");
    PL_CRL_UNSUPPORTED(indirect, "indirect CRL");
    PL_CRL_UNSUPPORTED(some_reasons, "CRL covering only some reasons");
    PL_CRL_UNSUPPORTED(attr, "attribute certificate CRL");
    crl->scope = user ? PL_X509_CRL_SCOPE_USER : ca ? PL_X509_CRL_SCOPE_CA : PL_X509_CRL_SCOPE_ALL;
    return PADLOCK_OK;
}

/* One Extension: OID, critical flag (TRUE only, in DER) and value. */
static padlock_err pl_read_extension(pl_cur *exts, pl_span *oid, int *critical, pl_span *value) {
    pl_cur ext;
    PL_TRY(pl_der_expect(exts, PL_DER_SEQUENCE, &ext, NULL));
    PL_TRY(pl_der_oid(&ext, oid));
    *critical = 0;
    if (pl_der_next_is(&ext, PL_DER_BOOLEAN)) {
        PL_TRY(pl_der_boolean(&ext, critical));
        PL_CHECK(*critical, PADLOCK_E_DER);
    }
    PL_TRY(pl_der_octet_string(&ext, PL_DER_OCTET_STRING, value));
    return pl_der_done(&ext);
}

/* Fails with "duplicate extension" when oid was seen; otherwise records it. */
static padlock_err pl_note_oid(pl_span *seen, size_t *num, size_t max, pl_span oid,
                               const char **field) {
    for (size_t i = 0; i < *num; i++) {
        PL_CRL_FIELD(pl_span_equal(seen[i], oid) ? PADLOCK_E_DER : PADLOCK_OK,
                     "duplicate extension");
    }
    PL_CRL_FIELD(*num < max ? PADLOCK_OK : PADLOCK_E_DER, "too many extensions");
    seen[(*num)++] = oid;
    return PADLOCK_OK;
}

static padlock_err pl_crl_extensions(pl_x509_crl *crl, pl_cur *exts, const char **field) {
    PL_CRL_FIELD(pl_cur_left(exts) > 0 ? PADLOCK_OK : PADLOCK_E_DER, "crlExtensions");
    pl_span seen[16];
    size_t num_seen = 0;
    while (pl_cur_left(exts) > 0) {
        pl_span oid, value;
        int critical;
        PL_CRL_FIELD(pl_read_extension(exts, &oid, &critical, &value), "crlExtensions");
        PL_TRY(pl_note_oid(seen, &num_seen, 16, oid, field));
        pl_cur v;
        pl_cur_init(&v, value.p, value.len);
        switch (pl_oid_lookup(oid)) {
        case PL_OID_EXT_AKI: {
            pl_cur seq;
            PL_CRL_FIELD(pl_der_expect(&v, PL_DER_SEQUENCE, &seq, NULL), "authorityKeyIdentifier");
            if (pl_der_next_is(&seq, PL_DER_CTX(0))) {
                PL_CRL_FIELD(pl_der_octet_string(&seq, PL_DER_CTX(0), &crl->aki_key_id),
                             "authorityKeyIdentifier");
            }
            break;
        }
        case PL_OID_EXT_CRL_NUMBER: {
            /* §5.2.3: CRLNumber ::= INTEGER (0..MAX), at most 20 octets. */
            pl_span number;
            PL_CRL_FIELD(pl_der_unsigned(&v, PL_DER_INTEGER, &number), "cRLNumber");
            PL_CRL_FIELD(number.len <= 20 ? pl_der_done(&v) : PADLOCK_E_DER, "cRLNumber");
            break;
        }
        case PL_OID_EXT_IDP: PL_TRY(pl_crl_idp(crl, value, field)); break;
        case PL_OID_EXT_DELTA_CRL: PL_CRL_UNSUPPORTED(1, "delta CRL"); break;
        default: PL_CRL_UNSUPPORTED(critical, "unknown critical CRL extension"); break;
        }
    }
    return PADLOCK_OK;
}

static padlock_err pl_crl_entry_extensions(pl_x509_crl_entry *e, pl_cur *exts, const char **field) {
    PL_CRL_FIELD(pl_cur_left(exts) > 0 ? PADLOCK_OK : PADLOCK_E_DER, "crlEntryExtensions");
    pl_span seen[8];
    size_t num_seen = 0;
    while (pl_cur_left(exts) > 0) {
        pl_span oid, value;
        int critical;
        PL_CRL_FIELD(pl_read_extension(exts, &oid, &critical, &value), "crlEntryExtensions");
        PL_TRY(pl_note_oid(seen, &num_seen, 8, oid, field));
        pl_cur v;
        pl_cur_init(&v, value.p, value.len);
        switch (pl_oid_lookup(oid)) {
        case PL_OID_EXT_REASON_CODE: {
            /* §5.3.1: CRLReason ENUMERATED, 0..10 without 7. */
            uint64_t reason;
            PL_CRL_FIELD(pl_der_small_uint(&v, PL_DER_ENUMERATED, 10, &reason), "reasonCode");
            PL_CRL_FIELD(reason != 7 ? pl_der_done(&v) : PADLOCK_E_DER, "reasonCode");
            e->reason = (uint8_t)reason;
            break;
        }
        case PL_OID_EXT_INVALIDITY_DATE: {
            int64_t when;
            PL_CRL_FIELD(pl_der_time(&v, &when), "invalidityDate");
            break;
        }
        case PL_OID_EXT_CERT_ISSUER:
            PL_CRL_UNSUPPORTED(1, "indirect CRL (certificateIssuer)");
            break;
        default: PL_CRL_UNSUPPORTED(critical, "unknown critical CRL entry extension"); break;
        }
    }
    return PADLOCK_OK;
}

static int pl_serial_cmp(pl_span a, pl_span b) {
    if (a.len != b.len) {
        return a.len < b.len ? -1 : 1;
    }
    return memcmp(a.p, b.p, a.len);
}

static int pl_entry_cmp(const void *pa, const void *pb) {
    const pl_x509_crl_entry *a = pa;
    const pl_x509_crl_entry *b = pb;
    return pl_serial_cmp(a->serial, b->serial);
}

static padlock_err pl_crl_entries(pl_x509_crl *crl, pl_cur *list, const char **field) {
    /* Count first so the index is one allocation. */
    size_t count = 0;
    pl_cur scan = *list;
    while (pl_cur_left(&scan) > 0) {
        pl_cur ignored;
        PL_CRL_FIELD(pl_der_expect(&scan, PL_DER_SEQUENCE, &ignored, NULL), "revokedCertificates");
        count++;
    }
    if (count == 0) {
        return PADLOCK_OK;
    }
    crl->entries = pl_calloc(count, sizeof(*crl->entries));
    PL_CHECK(crl->entries != NULL, PADLOCK_E_NO_MEMORY);
    while (pl_cur_left(list) > 0) {
        pl_x509_crl_entry *e = &crl->entries[crl->num_entries++];
        pl_cur entry;
        PL_CRL_FIELD(pl_der_expect(list, PL_DER_SEQUENCE, &entry, NULL), "revokedCertificates");
        PL_CRL_FIELD(pl_der_integer(&entry, PL_DER_INTEGER, &e->serial), "revoked serial number");
        PL_CRL_FIELD(pl_der_time(&entry, &e->revoked_at), "revocationDate");
        if (pl_cur_left(&entry) > 0) {
            /* §5.1.2.6: entry extensions only in v2 CRLs. */
            PL_CRL_FIELD(crl->version == 2 ? PADLOCK_OK : PADLOCK_E_DER, "crlEntryExtensions");
            pl_cur exts;
            PL_CRL_FIELD(pl_der_expect(&entry, PL_DER_SEQUENCE, &exts, NULL), "crlEntryExtensions");
            PL_TRY(pl_crl_entry_extensions(e, &exts, field));
        }
        PL_CRL_FIELD(pl_der_done(&entry), "revokedCertificates");
    }
    qsort(crl->entries, crl->num_entries, sizeof(*crl->entries), pl_entry_cmp);
    return PADLOCK_OK;
}

static padlock_err pl_crl_parse_inner(pl_x509_crl *crl, const uint8_t *der, size_t len,
                                      const char **field) {
    pl_cur in, list, tbs, v;
    pl_cur_init(&in, der, len);
    PL_CRL_FIELD(pl_der_expect(&in, PL_DER_SEQUENCE, &list, &crl->der), "CertificateList");
    PL_CRL_FIELD(pl_der_done(&in), "trailing data after the CRL");
    PL_CRL_FIELD(pl_der_expect(&list, PL_DER_SEQUENCE, &tbs, &crl->tbs), "TBSCertList");
    crl->version = 1;
    if (pl_der_next_is(&tbs, PL_DER_INTEGER)) {
        /* §5.1.2.1: if present, the version is v2 (1). */
        uint64_t version;
        PL_CRL_FIELD(pl_der_small_uint(&tbs, PL_DER_INTEGER, 1, &version), "version");
        PL_CRL_FIELD(version == 1 ? PADLOCK_OK : PADLOCK_E_DER, "version");
        crl->version = 2;
    }
    pl_x509_sigalg inner;
    PL_CRL_FIELD(pl_x509_sigalg_read(&tbs, &inner), "signature algorithm");
    PL_CRL_FIELD(pl_der_expect(&tbs, PL_DER_SEQUENCE, &v, &crl->issuer), "issuer");
    PL_CRL_FIELD(pl_x509_name_validate(crl->issuer), "issuer");
    /* §5.1.2.3: a CRL issuer is a non-empty distinguished name. */
    PL_CRL_FIELD(pl_x509_name_is_empty(crl->issuer) ? PADLOCK_E_DER : PADLOCK_OK, "issuer");
    PL_CRL_FIELD(pl_der_time(&tbs, &crl->this_update), "thisUpdate");
    pl_der_tag tag;
    if (pl_der_peek(&tbs, &tag) == PADLOCK_OK &&
        (tag == PL_DER_UTC_TIME || tag == PL_DER_GENERALIZED_TIME)) {
        PL_CRL_FIELD(pl_der_time(&tbs, &crl->next_update), "nextUpdate");
        crl->has_next_update = 1;
    }
    int present;
    PL_CRL_FIELD(pl_der_optional(&tbs, PL_DER_SEQUENCE, &v, &present), "revokedCertificates");
    if (present) {
        PL_TRY(pl_crl_entries(crl, &v, field));
    }
    PL_CRL_FIELD(pl_der_optional(&tbs, PL_DER_CTX_CONS(0), &v, &present), "crlExtensions");
    if (present) {
        PL_CRL_FIELD(crl->version == 2 ? PADLOCK_OK : PADLOCK_E_DER, "crlExtensions");
        pl_cur exts;
        PL_CRL_FIELD(pl_der_expect(&v, PL_DER_SEQUENCE, &exts, NULL), "crlExtensions");
        PL_CRL_FIELD(pl_der_done(&v), "crlExtensions");
        PL_TRY(pl_crl_extensions(crl, &exts, field));
    }
    PL_CRL_FIELD(pl_der_done(&tbs), "trailing data in TBSCertList");
    pl_x509_sigalg outer;
    PL_CRL_FIELD(pl_x509_sigalg_read(&list, &outer), "signature algorithm");
    PL_CRL_FIELD(pl_der_bit_octets(&list, &crl->sig_value), "signature value");
    PL_CRL_FIELD(pl_der_done(&list), "CertificateList");
    /* §5.1.1.2: signatureAlgorithm equals the TBSCertList signature field. */
    PL_CRL_FIELD(pl_span_equal(inner.der, outer.der) ? PADLOCK_OK : PADLOCK_E_DER,
                 "signature algorithms differ");
    crl->sig_alg = inner;
    return PADLOCK_OK;
}

padlock_err pl_x509_crl_parse(pl_x509_crl *out, const uint8_t *der, size_t len,
                              const char **out_field) {
    const char *ignored;
    const char **field = out_field != NULL ? out_field : &ignored;
    *field = NULL;
    memset(out, 0, sizeof(*out));
    padlock_err rc = pl_crl_parse_inner(out, der, len, field);
    if (rc != PADLOCK_OK) {
        pl_x509_crl_cleanup(out);
    }
    return rc;
}

void pl_x509_crl_cleanup(pl_x509_crl *crl) {
    pl_free(crl->entries);
    pl_free(crl->owned);
    memset(crl, 0, sizeof(*crl));
}

const pl_x509_crl_entry *pl_x509_crl_find(const pl_x509_crl *crl, pl_span serial) {
    size_t lo = 0;
    size_t hi = crl->num_entries;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = pl_serial_cmp(crl->entries[mid].serial, serial);
        if (c == 0) {
            return &crl->entries[mid];
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

const char *pl_x509_crl_reason_name(uint8_t reason) {
    static const char *const names[] = {
        "unspecified",   "keyCompromise",        "cACompromise",    "affiliationChanged",
        "superseded",    "cessationOfOperation", "certificateHold", "unknown",
        "removeFromCRL", "privilegeWithdrawn",   "aACompromise"};
    return reason < sizeof(names) / sizeof(names[0]) ? names[reason] : "unknown";
}

void pl_x509_crl_set_init(pl_x509_crl_set *set) {
    memset(set, 0, sizeof(*set));
}

void pl_x509_crl_set_cleanup(pl_x509_crl_set *set) {
    for (size_t i = 0; i < set->num; i++) {
        pl_x509_crl_cleanup(&set->crls[i]);
    }
    pl_free(set->crls);
    pl_x509_crl_set_init(set);
}

/* Parses der (taking ownership) and appends it. */
static padlock_err pl_set_append(pl_x509_crl_set *set, uint8_t *der, size_t len, const char *source,
                                 size_t index, pl_errinfo *err) {
    if (set->num == set->cap) {
        size_t cap = set->cap == 0 ? 4 : set->cap * 2;
        pl_x509_crl *grown = pl_realloc(set->crls, cap * sizeof(*grown));
        if (grown == NULL) {
            pl_free(der);
            return PADLOCK_E_NO_MEMORY;
        }
        set->crls = grown;
        set->cap = cap;
    }
    const char *field;
    padlock_err rc = pl_x509_crl_parse(&set->crls[set->num], der, len, &field);
    if (rc != PADLOCK_OK) {
        pl_free(der);
        if (err != NULL) {
            pl_errinfo_set(err, rc, "%s: CRL %zu: %s (%s)", source, index, padlock_strerror(rc),
                           field != NULL ? field : "CRL");
        }
        return rc;
    }
    set->crls[set->num++].owned = der;
    return PADLOCK_OK;
}

padlock_err pl_x509_crl_set_add(pl_x509_crl_set *set, const uint8_t *data, size_t len,
                                const char *source, pl_errinfo *err) {
    size_t start = set->num;
    padlock_err rc = PADLOCK_OK;
    if (pl_pem_looks_like_pem(data, len)) {
        size_t pos = 0;
        size_t index = 0;
        for (;;) {
            pl_pem_block b;
            int found;
            rc = pl_pem_next((const char *)data, len, &pos, &b, &found);
            if (rc != PADLOCK_OK) {
                if (err != NULL) {
                    pl_errinfo_set(err, rc, "%s: malformed PEM after CRL %zu", source, index);
                }
                break;
            }
            if (!found) {
                if (index == 0) {
                    rc = PADLOCK_E_PEM;
                    if (err != NULL) {
                        pl_errinfo_set(err, rc, "%s: no PEM \"X509 CRL\" block found", source);
                    }
                }
                break;
            }
            if (strcmp(b.label, "X509 CRL") != 0) {
                pl_pem_block_cleanup(&b);
                continue;
            }
            rc = pl_set_append(set, b.der, b.der_len, source, ++index, err);
            if (rc != PADLOCK_OK) {
                break;
            }
        }
    } else {
        uint8_t *copy = pl_malloc(len == 0 ? 1 : len);
        PL_CHECK(copy != NULL, PADLOCK_E_NO_MEMORY);
        if (len != 0) {
            memcpy(copy, data, len);
        }
        rc = pl_set_append(set, copy, len, source, 1, err);
    }
    if (rc != PADLOCK_OK) {
        while (set->num > start) {
            pl_x509_crl_cleanup(&set->crls[--set->num]);
        }
    }
    return rc;
}

padlock_err pl_x509_crl_set_add_file(pl_x509_crl_set *set, const char *path, pl_errinfo *err) {
    uint8_t *data;
    size_t len;
    PL_TRY(pl_file_read(path, &data, &len, err));
    padlock_err rc = pl_x509_crl_set_add(set, data, len, path, err);
    pl_free(data);
    return rc;
}
