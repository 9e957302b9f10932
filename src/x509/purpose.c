/* Leaf and CA key purposes: RFC 5280 §4.2.1.3 (keyUsage), §4.2.1.12 (extKeyUsage, including
 * anyExtendedKeyUsage), and RFC 5246 §7.4.2 / RFC 8446 §4.4.2.2 (what a TLS key must do). */
#include "x509/purpose.h"

#include <stdio.h>
#include <string.h>

#include "x509/name.h"

const char *pl_x509_purpose_name(pl_x509_purpose purpose) {
    switch (purpose) {
    case PL_X509_PURPOSE_SERVER_AUTH: return "TLS server authentication";
    case PL_X509_PURPOSE_CLIENT_AUTH: return "TLS client authentication";
    case PL_X509_PURPOSE_ANY: break;
    }
    return "any purpose";
}

int pl_x509_eku_allows(const pl_x509_cert *c, pl_x509_purpose purpose) {
    if ((c->exts & PL_X509_EXT_EKU) == 0 || purpose == PL_X509_PURPOSE_ANY ||
        (c->eku & PL_X509_EKU_ANY) != 0) {
        return 1;
    }
    uint8_t need =
        purpose == PL_X509_PURPOSE_SERVER_AUTH ? PL_X509_EKU_SERVER_AUTH : PL_X509_EKU_CLIENT_AUTH;
    return (c->eku & need) != 0;
}

/* "serverAuth, clientAuth" for messages. */
static void pl_eku_list(const pl_x509_cert *c, char *out, size_t cap) {
    snprintf(out, cap, "%s%s%s%s", (c->eku & PL_X509_EKU_SERVER_AUTH) ? "serverAuth " : "",
             (c->eku & PL_X509_EKU_CLIENT_AUTH) ? "clientAuth " : "",
             (c->eku & PL_X509_EKU_ANY) ? "anyExtendedKeyUsage " : "",
             (c->eku & PL_X509_EKU_OTHER) ? "other purposes " : "");
    size_t n = strlen(out);
    if (n > 0) {
        out[n - 1] = '\0';
    }
}

padlock_err pl_x509_check_leaf_purpose(const pl_x509_cert *leaf, pl_x509_purpose purpose,
                                       pl_errinfo *err) {
    char label[PL_X509_NAME_BUF];
    if (!pl_x509_eku_allows(leaf, purpose)) {
        char ekus[96];
        pl_x509_cert_label(leaf, label, sizeof(label));
        pl_eku_list(leaf, ekus, sizeof(ekus));
        return err == NULL ? PADLOCK_E_CERT_PURPOSE
                           : pl_errinfo_set(err, PADLOCK_E_CERT_PURPOSE,
                                            "certificate \"%s\" is not valid for %s "
                                            "(extKeyUsage: %s)",
                                            label, pl_x509_purpose_name(purpose), ekus);
    }
    if ((leaf->exts & PL_X509_EXT_KEY_USAGE) == 0 || purpose == PL_X509_PURPOSE_ANY) {
        return PADLOCK_OK;
    }
    uint16_t allowed = PL_X509_KU_DIGITAL_SIGNATURE | PL_X509_KU_KEY_AGREEMENT;
    if (purpose == PL_X509_PURPOSE_SERVER_AUTH) {
        allowed |= PL_X509_KU_KEY_ENCIPHERMENT;
    }
    if ((leaf->key_usage & allowed) != 0) {
        return PADLOCK_OK;
    }
    pl_x509_cert_label(leaf, label, sizeof(label));
    return err == NULL ? PADLOCK_E_CERT_KEY_USAGE
                       : pl_errinfo_set(err, PADLOCK_E_CERT_KEY_USAGE,
                                        "certificate \"%s\" is not valid for %s (keyUsage has "
                                        "none of digitalSignature, keyEncipherment, "
                                        "keyAgreement)",
                                        label, pl_x509_purpose_name(purpose));
}

padlock_err pl_x509_check_ca_purpose(const pl_x509_cert *ca, const pl_x509_cert *leaf,
                                     pl_x509_purpose purpose, pl_errinfo *err) {
    if (pl_x509_eku_allows(ca, purpose)) {
        return PADLOCK_OK;
    }
    if (err == NULL) {
        return PADLOCK_E_CERT_PURPOSE;
    }
    char ca_label[PL_X509_NAME_BUF];
    char label[PL_X509_NAME_BUF];
    char ekus[96];
    pl_x509_cert_label(ca, ca_label, sizeof(ca_label));
    pl_x509_cert_label(leaf, label, sizeof(label));
    pl_eku_list(ca, ekus, sizeof(ekus));
    return pl_errinfo_set(err, PADLOCK_E_CERT_PURPOSE,
                          "issuer \"%s\" of \"%s\" is not valid for %s (extKeyUsage: %s)", ca_label,
                          label, pl_x509_purpose_name(purpose), ekus);
}
