/* PKCS #10 certification requests (RFC 2986 §4): strict parsing (zero-copy, like
 * certificates), verification of the self-signature, and writing one with a subjectAltName
 * in a PKCS #9 extensionRequest attribute (RFC 2985 §5.4.2). */
#ifndef PL_X509_CSR_H
#define PL_X509_CSR_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "x509/cert.h"
#include "x509/general_name.h"

/* A parsed request. Spans point into the DER the caller keeps alive. */
typedef struct pl_x509_csr {
    pl_span der;     /* the whole CertificationRequest */
    pl_span info;    /* the whole CertificationRequestInfo: the signed bytes */
    pl_span subject; /* subject Name TLV */
    pl_x509_pubkey key;
    pl_x509_sigalg sig_alg;
    pl_span sig_value;
    /* The extensions of an extensionRequest attribute, parsed by the certificate extension
     * parser: only the extension fields (exts, is_ca, key_usage, eku, san, ...) are set, and
     * exts is 0 without the attribute. */
    pl_x509_cert requested;
    uint8_t has_extension_request;
    uint8_t num_requested; /* extensions requested (recognised or not) */
} pl_x509_csr;

/* Parses der[0..len) as one DER CertificationRequest with nothing after it: version 0, a valid
 * subject Name, a SubjectPublicKeyInfo, attributes (an extensionRequest at most once, with one
 * value: Extensions in the syntax certificates use; other attributes skipped), a signature
 * algorithm and value. Does not check the signature. PADLOCK_E_CSR_PARSE on failure, with
 * *out_field (if not NULL) naming the part at fault (a static string). */
PL_NODISCARD padlock_err pl_x509_csr_parse(pl_x509_csr *out, const uint8_t *der, size_t len,
                                           const char **out_field);

/* Checks the request's signature with its own public key (RFC 2986 §3: the proof that the
 * requester holds the private key). PADLOCK_OK, PADLOCK_E_CERT_WEAK_ALGORITHM (MD2, MD5,
 * SHA-1), PADLOCK_E_CERT_UNSUPPORTED (an algorithm or key padlock cannot verify), or
 * PADLOCK_E_CSR_SIGNATURE. */
PL_NODISCARD padlock_err pl_x509_csr_verify(const pl_x509_csr *csr);

/* Writes a request for key's public key naming subject (a Name TLV) and, when num_sans > 0,
 * the subjectAltName entries in an extensionRequest; signed by key with the algorithm of
 * pl_x509_sigalg_for_key. *out is pl_malloc'd (free with pl_free). Errors: those of
 * pl_x509_signed_write, PADLOCK_E_INVALID_ARGUMENT for a bad GeneralName. */
PL_NODISCARD padlock_err pl_x509_csr_write(pl_span subject, const pl_x509_gn *sans, size_t num_sans,
                                           const pl_privkey *key, uint8_t **out, size_t *out_len);

#endif
