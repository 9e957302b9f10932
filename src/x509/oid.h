/* The object identifiers padlock recognises in certificates, CRLs and certification requests
 * (RFC 5280 §4.1, §4.2, §5.2; RFC 2985, 3279, 4055, 5480, 5758, 8410), looked up from DER
 * content octets into an enum so parsers can switch on them, with the short names used in
 * messages. */
#ifndef PL_X509_OID_H
#define PL_X509_OID_H

#include "wire/der.h"

/* X(id, name, content octets...) */
#define PL_OID_LIST(X)                                                                             \
    /* X.520 name attributes (RFC 5280 §4.1.2.4, RFC 4514 §3 names) */                           \
    X(AT_CN, "CN", 0x55, 0x04, 0x03)                                                               \
    X(AT_SURNAME, "SN", 0x55, 0x04, 0x04)                                                          \
    X(AT_SERIAL_NUMBER, "serialNumber", 0x55, 0x04, 0x05)                                          \
    X(AT_C, "C", 0x55, 0x04, 0x06)                                                                 \
    X(AT_L, "L", 0x55, 0x04, 0x07)                                                                 \
    X(AT_ST, "ST", 0x55, 0x04, 0x08)                                                               \
    X(AT_STREET, "STREET", 0x55, 0x04, 0x09)                                                       \
    X(AT_O, "O", 0x55, 0x04, 0x0a)                                                                 \
    X(AT_OU, "OU", 0x55, 0x04, 0x0b)                                                               \
    X(AT_TITLE, "title", 0x55, 0x04, 0x0c)                                                         \
    X(AT_POSTAL_CODE, "postalCode", 0x55, 0x04, 0x11)                                              \
    X(AT_GIVEN_NAME, "GN", 0x55, 0x04, 0x2a)                                                       \
    X(AT_DN_QUALIFIER, "dnQualifier", 0x55, 0x04, 0x2e)                                            \
    X(AT_ORG_ID, "organizationIdentifier", 0x55, 0x04, 0x61)                                       \
    X(AT_DC, "DC", 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19)                     \
    X(AT_UID, "UID", 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01)                   \
    X(AT_EMAIL, "emailAddress", 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01)              \
    /* PKCS #9 attributes of certification requests (RFC 2985 §5.4.2, RFC 2986 §4.1) */          \
    X(PKCS9_EXTENSION_REQUEST, "extensionRequest", 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, \
      0x0e)                                                                                        \
    /* certificate and CRL extensions (RFC 5280 §4.2, §5.2, §5.3) */                            \
    X(EXT_SKI, "subjectKeyIdentifier", 0x55, 0x1d, 0x0e)                                           \
    X(EXT_KEY_USAGE, "keyUsage", 0x55, 0x1d, 0x0f)                                                 \
    X(EXT_SAN, "subjectAltName", 0x55, 0x1d, 0x11)                                                 \
    X(EXT_IAN, "issuerAltName", 0x55, 0x1d, 0x12)                                                  \
    X(EXT_BASIC_CONSTRAINTS, "basicConstraints", 0x55, 0x1d, 0x13)                                 \
    X(EXT_CRL_NUMBER, "cRLNumber", 0x55, 0x1d, 0x14)                                               \
    X(EXT_REASON_CODE, "reasonCode", 0x55, 0x1d, 0x15)                                             \
    X(EXT_INVALIDITY_DATE, "invalidityDate", 0x55, 0x1d, 0x18)                                     \
    X(EXT_DELTA_CRL, "deltaCRLIndicator", 0x55, 0x1d, 0x1b)                                        \
    X(EXT_IDP, "issuingDistributionPoint", 0x55, 0x1d, 0x1c)                                       \
    X(EXT_CERT_ISSUER, "certificateIssuer", 0x55, 0x1d, 0x1d)                                      \
    X(EXT_NAME_CONSTRAINTS, "nameConstraints", 0x55, 0x1d, 0x1e)                                   \
    X(EXT_CRL_DP, "cRLDistributionPoints", 0x55, 0x1d, 0x1f)                                       \
    X(EXT_POLICIES, "certificatePolicies", 0x55, 0x1d, 0x20)                                       \
    X(EXT_AKI, "authorityKeyIdentifier", 0x55, 0x1d, 0x23)                                         \
    X(EXT_EKU, "extKeyUsage", 0x55, 0x1d, 0x25)                                                    \
    X(EXT_AIA, "authorityInfoAccess", 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01)              \
    /* key purposes (RFC 5280 §4.2.1.12) */                                                       \
    X(KP_ANY, "anyExtendedKeyUsage", 0x55, 0x1d, 0x25, 0x00)                                       \
    X(KP_SERVER_AUTH, "serverAuth", 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01)                \
    X(KP_CLIENT_AUTH, "clientAuth", 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02)                \
    /* public keys (RFC 3279 §2.3, RFC 4055 §1.2, RFC 5480 §2.1.1, RFC 8410 §3) */             \
    X(RSA_ENCRYPTION, "rsaEncryption", 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01)       \
    X(EC_PUBLIC_KEY, "id-ecPublicKey", 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01)                   \
    X(CURVE_P256, "P-256", 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07)                         \
    X(CURVE_P384, "P-384", 0x2b, 0x81, 0x04, 0x00, 0x22)                                           \
    X(CURVE_P521, "P-521", 0x2b, 0x81, 0x04, 0x00, 0x23)                                           \
    X(ED25519, "Ed25519", 0x2b, 0x65, 0x70)                                                        \
    /* signature algorithms (RFC 3279 §2.2, RFC 4055 §3 and §5, RFC 5758 §3.2) */              \
    X(MD2_RSA, "md2WithRSAEncryption", 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x02)       \
    X(MD5_RSA, "md5WithRSAEncryption", 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04)       \
    X(SHA1_RSA, "sha1WithRSAEncryption", 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05)     \
    X(RSASSA_PSS, "RSASSA-PSS", 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a)              \
    X(SHA256_RSA, "sha256WithRSAEncryption", 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b) \
    X(SHA384_RSA, "sha384WithRSAEncryption", 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c) \
    X(SHA512_RSA, "sha512WithRSAEncryption", 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d) \
    X(MGF1, "id-mgf1", 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08)                       \
    X(ECDSA_SHA1, "ecdsa-with-SHA1", 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01)                     \
    X(ECDSA_SHA256, "ecdsa-with-SHA256", 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02)           \
    X(ECDSA_SHA384, "ecdsa-with-SHA384", 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03)           \
    X(ECDSA_SHA512, "ecdsa-with-SHA512", 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04)           \
    /* digests (RFC 3279 §2.1, RFC 4055 §2.1) */                                                 \
    X(SHA1, "SHA-1", 0x2b, 0x0e, 0x03, 0x02, 0x1a)                                                 \
    X(SHA256, "SHA-256", 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01)                     \
    X(SHA384, "SHA-384", 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02)                     \
    X(SHA512, "SHA-512", 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03)

#define PL_OID_X_ENUM(id, name, ...) PL_OID_##id,
typedef enum pl_oid_id { PL_OID_UNKNOWN = 0, PL_OID_LIST(PL_OID_X_ENUM) PL_OID_COUNT_ } pl_oid_id;
#undef PL_OID_X_ENUM

/* 1 if id is one of the X.520 name attributes at the head of the list (PL_OID_AT_*), whose
 * values are directory strings. */
int pl_oid_is_name_attribute(pl_oid_id id);

/* The id of the OID with these content octets, or PL_OID_UNKNOWN. */
pl_oid_id pl_oid_lookup(pl_span oid);

/* The short name of id ("CN", "subjectAltName"), or NULL for PL_OID_UNKNOWN. */
const char *pl_oid_name(pl_oid_id id);

/* The content octets of id (empty for PL_OID_UNKNOWN). */
pl_span pl_oid_bytes(pl_oid_id id);

/* Writes a printable name of oid into out: the short name when known, else the dotted form,
 * else "(unprintable OID)". Always NUL-terminates (cap > 0); truncates to fit. */
void pl_oid_describe(pl_span oid, char *out, size_t cap);

#endif
