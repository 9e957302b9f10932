/* Revocation checking with CRLs (RFC 5280 §6.3): the CRLs of a certificate's issuer, each
 * authenticated with the issuer's key, within its validity, consulted for the serial. */
#ifndef PL_X509_REVOCATION_H
#define PL_X509_REVOCATION_H

#include "x509/verify.h"

/* Checks cert, issued by issuer, against the CRLs in params->crls whose issuer name is cert's
 * issuer (a CRL whose authorityKeyIdentifier names another key of that CA is skipped, as is
 * one whose issuingDistributionPoint scope excludes cert). Returns PADLOCK_OK when no CRL
 * applies or none lists cert; PADLOCK_E_CERT_REVOKED when a valid CRL lists it;
 * PADLOCK_E_CRL_INVALID when CRLs apply but none is usable (bad signature, weak algorithm,
 * issuer not allowed to sign CRLs, not yet valid or past nextUpdate). Detail in err. */
PL_NODISCARD padlock_err pl_x509_check_revocation(const pl_x509_verify_params *params,
                                                  const pl_x509_cert *cert,
                                                  const pl_x509_cert *issuer, pl_errinfo *err);

#endif
