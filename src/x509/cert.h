/* An X.509 v3 certificate (RFC 5280 §4.1) parsed strictly and zero-copy: every span points
 * into the DER the caller keeps alive for as long as the struct is used. Parsing checks the
 * encoding and the rules that need no other certificate (matching signature algorithms,
 * extension syntax, duplicate extensions, version rules); path validation applies the rest. */
#ifndef PL_X509_CERT_H
#define PL_X509_CERT_H

#include <stdint.h>

#include "wire/der.h"
#include "x509/algorithm.h"

/* Extensions present (pl_x509_cert.exts). */
enum {
    PL_X509_EXT_BASIC_CONSTRAINTS = 1u << 0,
    PL_X509_EXT_KEY_USAGE = 1u << 1,
    PL_X509_EXT_EKU = 1u << 2,
    PL_X509_EXT_SAN = 1u << 3,
    PL_X509_EXT_NAME_CONSTRAINTS = 1u << 4,
    PL_X509_EXT_SKI = 1u << 5,
    PL_X509_EXT_AKI = 1u << 6,
    PL_X509_EXT_POLICIES = 1u << 7,
    PL_X509_EXT_CRL_DP = 1u << 8,
    PL_X509_EXT_AIA = 1u << 9,
    PL_X509_EXT_IAN = 1u << 10,
};

/* keyUsage bits (RFC 5280 §4.2.1.3), bit n of the BIT STRING as 1 << n. */
enum {
    PL_X509_KU_DIGITAL_SIGNATURE = 1u << 0,
    PL_X509_KU_NON_REPUDIATION = 1u << 1,
    PL_X509_KU_KEY_ENCIPHERMENT = 1u << 2,
    PL_X509_KU_DATA_ENCIPHERMENT = 1u << 3,
    PL_X509_KU_KEY_AGREEMENT = 1u << 4,
    PL_X509_KU_KEY_CERT_SIGN = 1u << 5,
    PL_X509_KU_CRL_SIGN = 1u << 6,
    PL_X509_KU_ENCIPHER_ONLY = 1u << 7,
    PL_X509_KU_DECIPHER_ONLY = 1u << 8,
};

/* extKeyUsage purposes padlock acts on (RFC 5280 §4.2.1.12); others are only counted. */
enum {
    PL_X509_EKU_SERVER_AUTH = 1u << 0,
    PL_X509_EKU_CLIENT_AUTH = 1u << 1,
    PL_X509_EKU_ANY = 1u << 2,
    PL_X509_EKU_OTHER = 1u << 3,
};

typedef struct pl_x509_cert {
    pl_span der;       /* the whole Certificate */
    pl_span tbs;       /* the whole TBSCertificate: the signed bytes */
    pl_span serial;    /* serialNumber content octets (two's complement) */
    pl_span issuer;    /* issuer Name TLV */
    pl_span subject;   /* subject Name TLV */
    pl_span sig_value; /* signatureValue bits */
    pl_x509_sigalg sig_alg;
    pl_x509_pubkey key;
    int64_t not_before; /* seconds since the epoch */
    int64_t not_after;
    uint8_t version; /* 1, 2 or 3 */

    uint32_t exts; /* PL_X509_EXT_* present */
    uint8_t is_ca; /* basicConstraints cA */
    uint8_t has_path_len;
    uint8_t path_len;   /* pathLenConstraint, capped at 255 */
    uint8_t eku;        /* PL_X509_EKU_* when PL_X509_EXT_EKU */
    uint16_t key_usage; /* PL_X509_KU_* when PL_X509_EXT_KEY_USAGE */
    uint8_t san_critical;
    pl_span san;          /* subjectAltName GeneralNames contents */
    pl_span nc_permitted; /* nameConstraints GeneralSubtrees contents (empty if absent) */
    pl_span nc_excluded;
    uint8_t nc_has_permitted;
    uint8_t nc_has_excluded;
    pl_span ski;              /* subjectKeyIdentifier octets */
    pl_span aki_key_id;       /* authorityKeyIdentifier keyIdentifier octets (empty if absent) */
    pl_span policies;         /* certificatePolicies contents */
    pl_span crl_dp;           /* cRLDistributionPoints contents */
    pl_span aia;              /* authorityInfoAccess contents */
    pl_span unknown_critical; /* OID of the first critical extension padlock cannot process */
} pl_x509_cert;

/* Parses der[0..len) as one DER Certificate with nothing after it. On failure returns
 * PADLOCK_E_CERT_PARSE and, if out_field is not NULL, points it at a static string naming the
 * part at fault ("validity", "subjectAltName extension", "signature algorithms differ"). An
 * unknown critical extension does not fail parsing: it is recorded in unknown_critical and
 * refused when the certificate is used in a path (RFC 5280 §4.2). */
PL_NODISCARD padlock_err pl_x509_cert_parse(pl_x509_cert *out, const uint8_t *der, size_t len,
                                            const char **out_field);

/* 1 if issuer and subject are the same Name (RFC 5280 §6.1: "self-issued"). */
int pl_x509_cert_is_self_issued(const pl_x509_cert *c);

/* Writes how messages name the certificate: its subject in RFC 4514 form, or, for an empty
 * subject, its first subjectAltName ("DNS:api.example.com"), else "serial 0A:1B:...". */
void pl_x509_cert_label(const pl_x509_cert *c, char *out, size_t cap);

/* Writes the serial as colon-separated upper-case hex ("0A:1B:2C"). */
void pl_x509_serial_format(pl_span serial, char *out, size_t cap);

#endif
