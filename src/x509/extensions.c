/* Certificate extensions: RFC 5280 §4.2 (criticality, duplicates) and the syntax of
 * §4.2.1.1 AKI, §4.2.1.2 SKI, §4.2.1.3 keyUsage, §4.2.1.4 certificatePolicies, §4.2.1.6/7
 * subject/issuer alternative names, §4.2.1.9 basicConstraints, §4.2.1.10 nameConstraints,
 * §4.2.1.12 extKeyUsage, §4.2.1.13 cRLDistributionPoints, §4.2.2.1 authorityInfoAccess. */
#include "x509/extensions.h"

#include "x509/general_name.h"
#include "x509/oid.h"

static padlock_err pl_ext_basic_constraints(pl_x509_cert *cert, pl_cur *v) {
    pl_cur seq;
    PL_TRY(pl_der_expect(v, PL_DER_SEQUENCE, &seq, NULL));
    if (pl_der_next_is(&seq, PL_DER_BOOLEAN)) {
        int ca;
        PL_TRY(pl_der_boolean(&seq, &ca));
        /* X.690 §11.5: a DEFAULT value (cA FALSE) is never encoded in DER. */
        PL_CHECK(ca, PADLOCK_E_DER);
        cert->is_ca = 1;
    }
    if (pl_cur_left(&seq) > 0) {
        /* RFC 5280 §4.2.1.9: pathLenConstraint only when cA is TRUE. */
        PL_CHECK(cert->is_ca, PADLOCK_E_DER);
        uint64_t len;
        PL_TRY(pl_der_small_uint(&seq, PL_DER_INTEGER, UINT64_MAX, &len));
        cert->has_path_len = 1;
        cert->path_len = len > 255 ? 255 : (uint8_t)len;
    }
    return pl_der_done(&seq);
}

static padlock_err pl_ext_key_usage(pl_x509_cert *cert, pl_cur *v) {
    pl_span bits;
    uint8_t unused;
    PL_TRY(pl_der_bit_string(v, PL_DER_BIT_STRING, &bits, &unused));
    PL_CHECK(bits.len >= 1 && bits.len <= 2, PADLOCK_E_DER);
    uint16_t ku = 0;
    for (unsigned bit = 0; bit < 9 && bit < bits.len * 8; bit++) {
        if (bits.p[bit / 8] & (0x80u >> (bit % 8))) {
            ku |= (uint16_t)(1u << bit);
        }
    }
    /* RFC 5280 §4.2.1.3: when the extension appears, at least one bit is set. */
    PL_CHECK(ku != 0, PADLOCK_E_DER);
    cert->key_usage = ku;
    return PADLOCK_OK;
}

static padlock_err pl_ext_eku(pl_x509_cert *cert, pl_cur *v) {
    pl_cur seq;
    PL_TRY(pl_der_expect(v, PL_DER_SEQUENCE, &seq, NULL));
    PL_CHECK(pl_cur_left(&seq) > 0, PADLOCK_E_DER); /* SIZE (1..MAX) */
    while (pl_cur_left(&seq) > 0) {
        pl_span oid;
        PL_TRY(pl_der_oid(&seq, &oid));
        switch (pl_oid_lookup(oid)) {
        case PL_OID_KP_SERVER_AUTH: cert->eku |= PL_X509_EKU_SERVER_AUTH; break;
        case PL_OID_KP_CLIENT_AUTH: cert->eku |= PL_X509_EKU_CLIENT_AUTH; break;
        case PL_OID_KP_ANY: cert->eku |= PL_X509_EKU_ANY; break;
        default: cert->eku |= PL_X509_EKU_OTHER; break;
        }
    }
    return PADLOCK_OK;
}

/* An IP subtree base is an address and a mask (RFC 5280 §4.2.1.10); the mask must be a
 * contiguous prefix, or "within the subtree" has no meaning. */
static int pl_ip_subtree_valid(pl_span v) {
    if (v.len != 8 && v.len != 32) {
        return 0;
    }
    size_t half = v.len / 2;
    int in_prefix = 1;
    for (size_t i = 0; i < half; i++) {
        for (int b = 7; b >= 0; b--) {
            int set = (v.p[half + i] >> b) & 1;
            if (set && !in_prefix) {
                return 0;
            }
            in_prefix = in_prefix && set;
        }
    }
    return 1;
}

/* GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree, IMPLICIT-tagged. */
static padlock_err pl_read_subtrees(pl_cur *c, unsigned tag, pl_span *out, uint8_t *present) {
    pl_cur trees;
    int found;
    PL_TRY(pl_der_optional(c, PL_DER_CTX_CONS(tag), &trees, &found));
    if (!found) {
        return PADLOCK_OK;
    }
    out->p = trees.p;
    out->len = pl_cur_left(&trees);
    PL_CHECK(out->len > 0, PADLOCK_E_DER);
    while (pl_cur_left(&trees) > 0) {
        pl_cur subtree;
        PL_TRY(pl_der_expect(&trees, PL_DER_SEQUENCE, &subtree, NULL));
        pl_x509_gn base;
        PL_TRY(pl_x509_gn_read(&subtree, &base));
        /* RFC 5280 §4.2.1.10: minimum is zero (so, in DER, absent) and maximum is absent. */
        PL_TRY(pl_der_done(&subtree));
        PL_CHECK(base.type != PL_GN_IP || pl_ip_subtree_valid(base.value), PADLOCK_E_DER);
    }
    *present = 1;
    return PADLOCK_OK;
}

static padlock_err pl_ext_name_constraints(pl_x509_cert *cert, pl_cur *v) {
    pl_cur seq;
    PL_TRY(pl_der_expect(v, PL_DER_SEQUENCE, &seq, NULL));
    PL_TRY(pl_read_subtrees(&seq, 0, &cert->nc_permitted, &cert->nc_has_permitted));
    PL_TRY(pl_read_subtrees(&seq, 1, &cert->nc_excluded, &cert->nc_has_excluded));
    PL_TRY(pl_der_done(&seq));
    /* RFC 5280 §4.2.1.10: never an empty sequence. */
    PL_CHECK(cert->nc_has_permitted || cert->nc_has_excluded, PADLOCK_E_DER);
    return PADLOCK_OK;
}

static padlock_err pl_ext_aki(pl_x509_cert *cert, pl_cur *v) {
    pl_cur seq;
    PL_TRY(pl_der_expect(v, PL_DER_SEQUENCE, &seq, NULL));
    int present;
    pl_cur field;
    if (pl_der_next_is(&seq, PL_DER_CTX(0))) {
        PL_TRY(pl_der_octet_string(&seq, PL_DER_CTX(0), &cert->aki_key_id));
    }
    PL_TRY(pl_der_optional(&seq, PL_DER_CTX_CONS(1), &field, &present));
    while (present && pl_cur_left(&field) > 0) {
        pl_x509_gn gn;
        PL_TRY(pl_x509_gn_read(&field, &gn));
    }
    if (pl_cur_left(&seq) > 0) {
        pl_span serial;
        PL_TRY(pl_der_integer(&seq, PL_DER_CTX(2), &serial));
    }
    return pl_der_done(&seq);
}

static padlock_err pl_ext_policies(pl_x509_cert *cert, pl_cur *v) {
    pl_cur seq;
    PL_TRY(pl_der_expect(v, PL_DER_SEQUENCE, &seq, NULL));
    cert->policies.p = seq.p;
    cert->policies.len = pl_cur_left(&seq);
    PL_CHECK(pl_cur_left(&seq) > 0, PADLOCK_E_DER);
    enum { MAX_POLICIES = 32 };
    pl_span seen[MAX_POLICIES];
    size_t num = 0;
    while (pl_cur_left(&seq) > 0) {
        pl_cur info;
        PL_TRY(pl_der_expect(&seq, PL_DER_SEQUENCE, &info, NULL));
        pl_span oid;
        PL_TRY(pl_der_oid(&info, &oid));
        /* RFC 5280 §4.2.1.4: a policy OID appears at most once. */
        PL_CHECK(num < MAX_POLICIES, PADLOCK_E_DER);
        for (size_t i = 0; i < num; i++) {
            PL_CHECK(!pl_span_equal(seen[i], oid), PADLOCK_E_DER);
        }
        seen[num++] = oid;
        if (pl_cur_left(&info) > 0) {
            pl_cur quals;
            PL_TRY(pl_der_expect(&info, PL_DER_SEQUENCE, &quals, NULL));
            PL_CHECK(pl_cur_left(&quals) > 0, PADLOCK_E_DER);
            while (pl_cur_left(&quals) > 0) {
                pl_cur q;
                PL_TRY(pl_der_expect(&quals, PL_DER_SEQUENCE, &q, NULL));
                pl_span qid;
                pl_der_tag tag;
                pl_cur qv;
                PL_TRY(pl_der_oid(&q, &qid));
                PL_TRY(pl_der_next(&q, &tag, &qv, NULL));
                PL_TRY(pl_der_done(&q));
            }
        }
        PL_TRY(pl_der_done(&info));
    }
    return PADLOCK_OK;
}

/* GeneralNames IMPLICIT-tagged as [tag]: entries directly inside the tag. */
static padlock_err pl_read_tagged_names(pl_cur *c, unsigned tag) {
    pl_cur names;
    PL_TRY(pl_der_expect(c, PL_DER_CTX_CONS(tag), &names, NULL));
    PL_CHECK(pl_cur_left(&names) > 0, PADLOCK_E_DER);
    while (pl_cur_left(&names) > 0) {
        pl_x509_gn gn;
        PL_TRY(pl_x509_gn_read(&names, &gn));
    }
    return PADLOCK_OK;
}

static padlock_err pl_ext_crl_dp(pl_x509_cert *cert, pl_cur *v) {
    pl_cur seq;
    PL_TRY(pl_der_expect(v, PL_DER_SEQUENCE, &seq, NULL));
    cert->crl_dp.p = seq.p;
    cert->crl_dp.len = pl_cur_left(&seq);
    PL_CHECK(pl_cur_left(&seq) > 0, PADLOCK_E_DER);
    while (pl_cur_left(&seq) > 0) {
        pl_cur dp;
        PL_TRY(pl_der_expect(&seq, PL_DER_SEQUENCE, &dp, NULL));
        pl_cur name;
        int present;
        PL_TRY(pl_der_optional(&dp, PL_DER_CTX_CONS(0), &name, &present));
        if (present) {
            /* DistributionPointName ::= CHOICE { fullName [0], nameRelativeToCRLIssuer [1] } */
            if (pl_der_next_is(&name, PL_DER_CTX_CONS(0))) {
                PL_TRY(pl_read_tagged_names(&name, 0));
            } else {
                pl_cur rdn;
                PL_TRY(pl_der_expect(&name, PL_DER_CTX_CONS(1), &rdn, NULL));
            }
            PL_TRY(pl_der_done(&name));
        }
        if (pl_der_next_is(&dp, PL_DER_CTX(1))) {
            pl_span reasons;
            uint8_t unused;
            PL_TRY(pl_der_bit_string(&dp, PL_DER_CTX(1), &reasons, &unused));
        }
        if (pl_cur_left(&dp) > 0) {
            PL_TRY(pl_read_tagged_names(&dp, 2));
        }
        PL_TRY(pl_der_done(&dp));
    }
    return PADLOCK_OK;
}

static padlock_err pl_ext_aia(pl_x509_cert *cert, pl_cur *v) {
    pl_cur seq;
    PL_TRY(pl_der_expect(v, PL_DER_SEQUENCE, &seq, NULL));
    cert->aia.p = seq.p;
    cert->aia.len = pl_cur_left(&seq);
    PL_CHECK(pl_cur_left(&seq) > 0, PADLOCK_E_DER);
    while (pl_cur_left(&seq) > 0) {
        pl_cur ad;
        PL_TRY(pl_der_expect(&seq, PL_DER_SEQUENCE, &ad, NULL));
        pl_span method;
        pl_x509_gn location;
        PL_TRY(pl_der_oid(&ad, &method));
        PL_TRY(pl_x509_gn_read(&ad, &location));
        PL_TRY(pl_der_done(&ad));
    }
    return PADLOCK_OK;
}

/* Parses one recognised extension's value; sets *out_bit to its PL_X509_EXT_* flag, or 0 when
 * the OID is not one padlock processes. */
static padlock_err pl_ext_value(pl_x509_cert *cert, pl_oid_id id, pl_cur *v, uint32_t *out_bit) {
    *out_bit = 0;
    switch (id) {
    case PL_OID_EXT_BASIC_CONSTRAINTS:
        *out_bit = PL_X509_EXT_BASIC_CONSTRAINTS;
        return pl_ext_basic_constraints(cert, v);
    case PL_OID_EXT_KEY_USAGE: *out_bit = PL_X509_EXT_KEY_USAGE; return pl_ext_key_usage(cert, v);
    case PL_OID_EXT_EKU: *out_bit = PL_X509_EXT_EKU; return pl_ext_eku(cert, v);
    case PL_OID_EXT_SAN: *out_bit = PL_X509_EXT_SAN; return pl_x509_general_names(v, &cert->san);
    case PL_OID_EXT_IAN: {
        pl_span ignored;
        *out_bit = PL_X509_EXT_IAN;
        return pl_x509_general_names(v, &ignored);
    }
    case PL_OID_EXT_NAME_CONSTRAINTS:
        *out_bit = PL_X509_EXT_NAME_CONSTRAINTS;
        return pl_ext_name_constraints(cert, v);
    case PL_OID_EXT_SKI:
        *out_bit = PL_X509_EXT_SKI;
        return pl_der_octet_string(v, PL_DER_OCTET_STRING, &cert->ski);
    case PL_OID_EXT_AKI: *out_bit = PL_X509_EXT_AKI; return pl_ext_aki(cert, v);
    case PL_OID_EXT_POLICIES: *out_bit = PL_X509_EXT_POLICIES; return pl_ext_policies(cert, v);
    case PL_OID_EXT_CRL_DP: *out_bit = PL_X509_EXT_CRL_DP; return pl_ext_crl_dp(cert, v);
    case PL_OID_EXT_AIA: *out_bit = PL_X509_EXT_AIA; return pl_ext_aia(cert, v);
    default: return PADLOCK_OK;
    }
}

padlock_err pl_x509_extensions_parse(pl_x509_cert *cert, pl_cur *exts, const char **out_field) {
    *out_field = "extensions";
    PL_CHECK(pl_cur_left(exts) > 0, PADLOCK_E_DER); /* SIZE (1..MAX) */
    pl_span unknown[PL_X509_MAX_EXTENSIONS];
    size_t num_unknown = 0;
    size_t count = 0;
    while (pl_cur_left(exts) > 0) {
        PL_CHECK(++count <= PL_X509_MAX_EXTENSIONS, PADLOCK_E_DER);
        pl_cur ext;
        PL_TRY(pl_der_expect(exts, PL_DER_SEQUENCE, &ext, NULL));
        pl_span oid;
        PL_TRY(pl_der_oid(&ext, &oid));
        int critical = 0;
        if (pl_der_next_is(&ext, PL_DER_BOOLEAN)) {
            PL_TRY(pl_der_boolean(&ext, &critical));
            /* X.690 §11.5: critical DEFAULT FALSE is never encoded as FALSE in DER. */
            PL_CHECK(critical, PADLOCK_E_DER);
        }
        pl_span value;
        PL_TRY(pl_der_octet_string(&ext, PL_DER_OCTET_STRING, &value));
        PL_TRY(pl_der_done(&ext));

        pl_oid_id id = pl_oid_lookup(oid);
        const char *name = pl_oid_name(id);
        pl_cur v;
        pl_cur_init(&v, value.p, value.len);
        uint32_t bit;
        *out_field = name != NULL ? name : "extension";
        PL_TRY(pl_ext_value(cert, id, &v, &bit));
        if (bit != 0) {
            PL_TRY(pl_der_done(&v));
            /* RFC 5280 §4.2: a certificate MUST NOT include more than one instance of a
             * particular extension. */
            if ((cert->exts & bit) != 0) {
                *out_field = "duplicate extension";
                return PADLOCK_E_DER;
            }
            cert->exts |= bit;
            if (bit == PL_X509_EXT_SAN) {
                cert->san_critical = (uint8_t)critical;
            }
            continue;
        }
        for (size_t i = 0; i < num_unknown; i++) {
            if (pl_span_equal(unknown[i], oid)) {
                *out_field = "duplicate extension";
                return PADLOCK_E_DER;
            }
        }
        unknown[num_unknown++] = oid;
        /* RFC 5280 §4.2: a critical extension the validator cannot process makes the
         * certificate unusable; remember the first for the message. */
        if (critical && cert->unknown_critical.len == 0) {
            cert->unknown_critical = oid;
        }
    }
    *out_field = NULL;
    return PADLOCK_OK;
}
