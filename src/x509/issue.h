/* Issuing certificates: padlock's profile for what its CA writes. A CA certificate and a TLS
 * leaf differ in basicConstraints, keyUsage and extKeyUsage (RFC 5280 §4.2.1.3, §4.2.1.9,
 * §4.2.1.12); both get a random serial (§4.1.2.2) and key identifiers (§4.2.1.1-2 by RFC 7093
 * §2 method 1). The issuer is checked as RFC 5280 §6.1.4 will check it in every path the new
 * certificate is part of, so padlock never writes a certificate its own verifier refuses for
 * the issuer's sake. */
#ifndef PL_X509_ISSUE_H
#define PL_X509_ISSUE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "x509/cert.h"
#include "x509/general_name.h"

/* Bytes of randomness in a serial number: 128 bits, more than the 64 the CA/Browser Forum
 * asks for; at most 17 octets with DER's sign octet, within §4.1.2.2's 20. */
#define PL_X509_SERIAL_LEN 16

/* What to issue. Spans and arrays are borrowed for the call. */
typedef struct pl_x509_issue_req {
    pl_span subject;        /* subject Name TLV (empty Name: 30 00) */
    const pl_x509_gn *sans; /* subjectAltName entries (dNSName, iPAddress) */
    size_t num_sans;
    pl_span spki;        /* the subject's SubjectPublicKeyInfo TLV */
    uint8_t is_ca;       /* a CA certificate (pathLenConstraint 0), else a TLS leaf */
    uint8_t client_auth; /* leaf: clientAuth besides serverAuth */
    int64_t not_before;  /* validity, inclusive, seconds since the epoch */
    int64_t not_after;
    const pl_rng *rng; /* draws the serial number; NULL: the system CSPRNG */
} pl_x509_issue_req;

/* Issues req signed by signer: self-signed (the issuer name is the subject, and spki must be
 * signer's own key) when issuer is NULL, else by issuer, whose key signer must be. *out is
 * the DER certificate, pl_malloc'd (free with pl_free). Errors, each with a detail in err (not
 * NULL): PADLOCK_E_INVALID_ARGUMENT (validity ending before it starts; a CA without a
 * subject; a leaf without subjectAltName entries, which TLS needs since no verifier of note
 * reads the common name), PADLOCK_E_BAD_KEY / PADLOCK_E_KEY_UNSUPPORTED (spki malformed or of a
 * type padlock does not certify), PADLOCK_E_KEY_MISMATCH, PADLOCK_E_CERT_NOT_CA,
 * PADLOCK_E_CERT_KEY_USAGE, PADLOCK_E_CERT_PATH_LENGTH, and those of pl_x509_cert_write. */
PL_NODISCARD padlock_err pl_x509_issue(const pl_x509_issue_req *req, const pl_x509_cert *issuer,
                                       const pl_privkey *signer, uint8_t **out, size_t *out_len,
                                       pl_errinfo *err);

#endif
