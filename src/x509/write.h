/* Writing certificates (RFC 5280 §4.1): a v3 TBSCertificate from explicit field values, the
 * extensions padlock issues (§4.2.1.1-3, §4.2.1.6, §4.2.1.9, §4.2.1.12) and the signed
 * envelope shared with PKCS #10 requests. What goes into a certificate is decided by issue.c;
 * this file only encodes. */
#ifndef PL_X509_WRITE_H
#define PL_X509_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "x509/algorithm.h"
#include "x509/cert.h"
#include "x509/general_name.h"

/* Length of the key identifiers padlock writes. */
#define PL_X509_KEY_ID_LEN 20

/* The key identifier of key by RFC 7093 §2 method 1: the leftmost 160 bits of the SHA-256 of
 * the subjectPublicKey BIT STRING value (without tag, length and unused-bits octet). RFC 5280
 * §4.2.1.2's method (1) is the same over SHA-1, which padlock does not carry. */
void pl_x509_key_id(const pl_x509_pubkey *key, uint8_t out[PL_X509_KEY_ID_LEN]);

/* Every field of a certificate to write. Spans are borrowed for the call. */
typedef struct pl_x509_tbs {
    pl_span serial;     /* big-endian magnitude: 1..20 octets once leading zeros go, not zero */
    pl_span issuer;     /* issuer Name TLV: the issuer's subject, byte for byte (§4.1.2.4) */
    int64_t not_before; /* seconds since the epoch, inclusive (§4.1.2.5) */
    int64_t not_after;
    pl_span subject; /* subject Name TLV */
    pl_span spki;    /* subject's SubjectPublicKeyInfo TLV */
    /* Extensions, written in this order: */
    uint8_t is_ca;          /* basicConstraints (always, critical): cA */
    int16_t path_len;       /* its pathLenConstraint, -1 for none; only with is_ca */
    uint16_t key_usage;     /* keyUsage (critical) as PL_X509_KU_* bits; 0 leaves it out */
    uint8_t eku;            /* extKeyUsage of PL_X509_EKU_SERVER_AUTH / _CLIENT_AUTH; 0: none */
    const pl_x509_gn *sans; /* subjectAltName entries; critical when the subject is empty */
    size_t num_sans;        /* 0 leaves the extension out */
    pl_span ski;            /* subjectKeyIdentifier; empty leaves it out */
    pl_span aki;            /* authorityKeyIdentifier keyIdentifier; empty leaves it out */
} pl_x509_tbs;

/* Writes the subjectAltName Extension (§4.2.1.6) for num_sans > 0 entries into b. */
PL_NODISCARD padlock_err pl_x509_ext_san_write(pl_buf *b, const pl_x509_gn *sans, size_t num_sans,
                                               int critical);

/* Writes the Certificate for tbs, signed by signer with the algorithm of
 * pl_x509_sigalg_for_key (named in both signature fields, §4.1.1.2). *out is pl_malloc'd
 * (free with pl_free). Errors: PADLOCK_E_INVALID_ARGUMENT (a field DER cannot carry: a zero
 * or over-long serial, a time outside years 0..9999, a bad GeneralName),
 * PADLOCK_E_KEY_UNSUPPORTED (a signer padlock does not sign with), PADLOCK_E_CRYPTO,
 * PADLOCK_E_NO_MEMORY. The fields are not checked against each other: that is issue.c's. */
PL_NODISCARD padlock_err pl_x509_cert_write(const pl_x509_tbs *tbs, const pl_privkey *signer,
                                            uint8_t **out, size_t *out_len);

/* Signs to_be_signed (a whole TBSCertificate or CertificationRequestInfo TLV) with signer and
 * writes SEQUENCE { to_be_signed, signatureAlgorithm, signature BIT STRING }, the shape of
 * RFC 5280 §4.1.1 and RFC 2986 §4.2. *out as pl_x509_cert_write. */
PL_NODISCARD padlock_err pl_x509_signed_write(pl_span to_be_signed, const pl_privkey *signer,
                                              uint8_t **out, size_t *out_len);

#endif
