/* X.501 Names (RFC 5280 §4.1.2.4, §4.1.2.6): validation, comparison, walking attributes, the
 * printable RFC 4514 form used in every message that names a certificate, and writing the
 * simple Names padlock issues. Names are kept as the DER of the whole Name (a span into the
 * certificate). */
#ifndef PL_X509_NAME_H
#define PL_X509_NAME_H

#include <stddef.h>

#include "wire/der.h"

/* Checks that name_tlv is one DER Name: SEQUENCE OF non-empty SET OF AttributeTypeAndValue,
 * every value of a known string attribute a valid string of its type. PADLOCK_E_DER if not. */
PL_NODISCARD padlock_err pl_x509_name_validate(pl_span name_tlv);

/* 1 if the Name has no RDNs. name_tlv must be valid. */
int pl_x509_name_is_empty(pl_span name_tlv);

/* Name matching for path building is binary: RFC 5280 §4.1.2.4 has a CA encode the issuer
 * field of what it signs exactly as its own subject, and every validator of note (Go,
 * rustls-webpki) compares the bytes. Returns 1 if equal. */
int pl_x509_name_equal(pl_span a, pl_span b);

/* One attribute of a Name. */
typedef struct pl_x509_atv {
    pl_span type;         /* OID content octets */
    pl_der_tag value_tag; /* e.g. PL_DER_UTF8_STRING */
    pl_span value;        /* value contents */
    pl_span value_tlv;    /* the whole value element */
} pl_x509_atv;

/* Walks the attributes of a valid Name in encoding order (first RDN first). */
typedef struct pl_x509_name_iter {
    pl_cur rdns;
    pl_cur atvs;
} pl_x509_name_iter;

/* Starts walking name_tlv, which must stay alive while the iterator is used. */
void pl_x509_name_iter_init(pl_x509_name_iter *it, pl_span name_tlv);

/* 1 and *out filled while attributes remain, then 0. *out_new_rdn (may be NULL) is 1 for the
 * first attribute of each RDN. The Name must have been validated. */
int pl_x509_name_iter_next(pl_x509_name_iter *it, pl_x509_atv *out, int *out_new_rdn);

/* Writes the RFC 4514 string of a valid Name into out (cap >= 4 bytes), most specific RDN
 * first ("CN=api.example.com,O=Example"), escaping per RFC 4514 §2.4 and converting BMP,
 * Universal and Teletex strings to UTF-8. Control characters and bytes that are not UTF-8 are
 * escaped as \XX so the result is safe to print. Output too long for cap ends in "...".
 * Returns the length written (excluding the NUL). */
size_t pl_x509_name_format(pl_span name_tlv, char *out, size_t cap);

/* Upper bound of commonName and organizationName values, in characters (RFC 5280 App. A:
 * ub-common-name, ub-organization-name). */
#define PL_X509_NAME_MAX_CHARS 64

/* 1 if s (len octets) is valid UTF-8 of 1..PL_X509_NAME_MAX_CHARS characters, as an attribute
 * value padlock writes must be. */
int pl_x509_name_value_valid(const char *s, size_t len);

/* Writes a Name of one-attribute RDNs: organizationName (if organization is not NULL), then
 * commonName (if common_name is not NULL), each a UTF8String (RFC 5280 §4.1.2.4: new
 * certificates use UTF8String); neither gives the empty Name (30 00). Values must pass
 * pl_x509_name_value_valid, else PADLOCK_E_INVALID_ARGUMENT; builder errors as wire/der.h. */
PL_NODISCARD padlock_err pl_x509_name_write(pl_buf *b, const char *organization,
                                            const char *common_name);

/* Room for the names in messages; longer names are cut with "...". */
#define PL_X509_NAME_BUF 256

#endif
