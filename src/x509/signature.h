/* Checking one certificate or CRL signature against an issuer's key (RFC 5280 §6.1.3 (a)(1),
 * §6.3.3 (g)), with padlock's algorithm policy: MD2, MD5 and SHA-1 are refused by name. */
#ifndef PL_X509_SIGNATURE_H
#define PL_X509_SIGNATURE_H

#include "x509/verify.h"

/* Checks sig over signed with alg under key, through fn (NULL: pl_sig_verify_params).
 * Returns PADLOCK_OK, PADLOCK_E_CERT_WEAK_ALGORITHM (MD2/MD5/SHA-1), PADLOCK_E_CERT_UNSUPPORTED
 * (an algorithm or key padlock cannot verify), or PADLOCK_E_CERT_SIGNATURE (the signature does
 * not verify, or the key does not fit the algorithm). */
PL_NODISCARD padlock_err pl_x509_signature_check(pl_x509_sig_fn fn, const pl_x509_sigalg *alg,
                                                 pl_span signed_data, pl_span sig,
                                                 const pl_x509_pubkey *key);

#endif
