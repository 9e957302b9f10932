/* Key purposes (RFC 5280 §4.2.1.3 keyUsage, §4.2.1.12 extKeyUsage) for TLS: what the leaf
 * must allow for server or client authentication, and the extended key usage restriction of
 * intermediates (the CA/Browser Forum and Mozilla reading: an intermediate's EKU, where present,
 * bounds the purposes of everything beneath it). */
#ifndef PL_X509_PURPOSE_H
#define PL_X509_PURPOSE_H

#include "x509/verify.h"

/* "TLS server authentication", "TLS client authentication", "any purpose". */
const char *pl_x509_purpose_name(pl_x509_purpose purpose);

/* 1 if the certificate's extKeyUsage (if present) allows purpose or anyExtendedKeyUsage. */
int pl_x509_eku_allows(const pl_x509_cert *c, pl_x509_purpose purpose);

/* Checks the leaf for purpose: extKeyUsage as in pl_x509_eku_allows, and keyUsage (if present)
 * with a bit a TLS peer's key needs (digitalSignature, or for servers keyEncipherment /
 * keyAgreement for TLS 1.2 RSA and static (EC)DH suites). PADLOCK_OK, PADLOCK_E_CERT_PURPOSE or
 * PADLOCK_E_CERT_KEY_USAGE with a detail in err. */
PL_NODISCARD padlock_err pl_x509_check_leaf_purpose(const pl_x509_cert *leaf,
                                                    pl_x509_purpose purpose, pl_errinfo *err);

/* Checks an issuing CA's extKeyUsage against purpose; PADLOCK_E_CERT_PURPOSE naming ca and
 * the leaf. */
PL_NODISCARD padlock_err pl_x509_check_ca_purpose(const pl_x509_cert *ca, const pl_x509_cert *leaf,
                                                  pl_x509_purpose purpose, pl_errinfo *err);

#endif
