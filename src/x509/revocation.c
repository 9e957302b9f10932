/* CRL-based revocation, RFC 5280 §6.3.3: (b) scope via issuingDistributionPoint, (f) the CRL
 * issuer is the certificate's issuer (direct CRLs only), (g) signature by the issuer's key,
 * (j) the serial lookup; §5.1.2.4-5 thisUpdate/nextUpdate against the validation time;
 * §4.2.1.3 cRLSign. */
#include "x509/revocation.h"

#include <stdio.h>

#include "util/civil_time.h"
#include "x509/name.h"
#include "x509/signature.h"

/* Why a CRL cannot be used, or NULL if it can. */
static const char *pl_crl_unusable(const pl_x509_verify_params *p, const pl_x509_crl *crl,
                                   const pl_x509_cert *issuer, char *buf, size_t cap) {
    padlock_err rc = pl_x509_signature_check(p->sig_verify, &crl->sig_alg, crl->tbs, crl->sig_value,
                                             &issuer->key);
    if (rc == PADLOCK_E_CERT_WEAK_ALGORITHM || rc == PADLOCK_E_CERT_UNSUPPORTED) {
        char alg[64];
        pl_x509_sigalg_describe(&crl->sig_alg, alg, sizeof(alg));
        snprintf(buf, cap, "is signed with %s, which padlock does not accept", alg);
        return buf;
    }
    if (rc != PADLOCK_OK) {
        return "has a signature that does not verify with the issuer's key";
    }
    if ((issuer->exts & PL_X509_EXT_KEY_USAGE) && !(issuer->key_usage & PL_X509_KU_CRL_SIGN)) {
        return "was signed by a key whose keyUsage lacks cRLSign";
    }
    char when[PL_RFC3339_BUF];
    if (crl->this_update > p->now) {
        pl_time_format_rfc3339(crl->this_update, when);
        snprintf(buf, cap, "is not valid before %s (thisUpdate)", when);
        return buf;
    }
    if (crl->has_next_update && crl->next_update < p->now) {
        pl_time_format_rfc3339(crl->next_update, when);
        snprintf(buf, cap, "expired on %s (nextUpdate)", when);
        return buf;
    }
    return NULL;
}

padlock_err pl_x509_check_revocation(const pl_x509_verify_params *p, const pl_x509_cert *cert,
                                     const pl_x509_cert *issuer, pl_errinfo *err) {
    if (p->crls == NULL) {
        return PADLOCK_OK;
    }
    char label[PL_X509_NAME_BUF];
    char issuer_label[PL_X509_NAME_BUF];
    const char *invalid = NULL;
    char reason_buf[128];
    char first_invalid[128];
    int usable = 0;
    for (size_t i = 0; i < p->crls->num; i++) {
        const pl_x509_crl *crl = &p->crls->crls[i];
        if (!pl_x509_name_equal(crl->issuer, cert->issuer)) {
            continue;
        }
        if (crl->aki_key_id.len > 0 && issuer->ski.len > 0 &&
            !pl_span_equal(crl->aki_key_id, issuer->ski)) {
            continue;
        }
        if ((crl->scope == PL_X509_CRL_SCOPE_USER && cert->is_ca) ||
            (crl->scope == PL_X509_CRL_SCOPE_CA && !cert->is_ca)) {
            continue;
        }
        const char *why = pl_crl_unusable(p, crl, issuer, reason_buf, sizeof(reason_buf));
        if (why != NULL) {
            if (invalid == NULL) {
                snprintf(first_invalid, sizeof(first_invalid), "%s", why);
                invalid = first_invalid;
            }
            continue;
        }
        usable = 1;
        const pl_x509_crl_entry *e = pl_x509_crl_find(crl, cert->serial);
        if (e != NULL) {
            if (err == NULL) {
                return PADLOCK_E_CERT_REVOKED;
            }
            char serial[64];
            char when[PL_RFC3339_BUF];
            pl_x509_cert_label(cert, label, sizeof(label));
            pl_x509_cert_label(issuer, issuer_label, sizeof(issuer_label));
            pl_x509_serial_format(cert->serial, serial, sizeof(serial));
            pl_time_format_rfc3339(e->revoked_at, when);
            return pl_errinfo_set(err, PADLOCK_E_CERT_REVOKED,
                                  "certificate \"%s\" (serial %s) was revoked on %s by a CRL of "
                                  "\"%s\" (reason: %s)",
                                  label, serial, when, issuer_label,
                                  pl_x509_crl_reason_name(e->reason));
        }
    }
    if (usable || invalid == NULL) {
        return PADLOCK_OK;
    }
    if (err == NULL) {
        return PADLOCK_E_CRL_INVALID;
    }
    pl_x509_cert_label(cert, label, sizeof(label));
    pl_x509_cert_label(issuer, issuer_label, sizeof(issuer_label));
    return pl_errinfo_set(err, PADLOCK_E_CRL_INVALID,
                          "cannot check revocation of \"%s\": the CRL of \"%s\" %s", label,
                          issuer_label, invalid);
}
