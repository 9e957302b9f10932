/* GeneralName (RFC 5280 §4.2.1.6), shared by subjectAltName, nameConstraints, CRL
 * distribution points and authorityInfoAccess: reading and validating one entry, writing the
 * kinds padlock issues, and the printable form. */
#ifndef PL_X509_GENERAL_NAME_H
#define PL_X509_GENERAL_NAME_H

#include <stddef.h>

#include "wire/der.h"

/* The CHOICE tags of GeneralName. */
typedef enum pl_gn_type {
    PL_GN_OTHER = 0,   /* otherName */
    PL_GN_EMAIL = 1,   /* rfc822Name */
    PL_GN_DNS = 2,     /* dNSName */
    PL_GN_X400 = 3,    /* x400Address */
    PL_GN_DIRNAME = 4, /* directoryName */
    PL_GN_EDI = 5,     /* ediPartyName */
    PL_GN_URI = 6,     /* uniformResourceIdentifier */
    PL_GN_IP = 7,      /* iPAddress */
    PL_GN_RID = 8,     /* registeredID */
} pl_gn_type;

typedef struct pl_x509_gn {
    pl_gn_type type;
    /* EMAIL, DNS, URI: the IA5String text; IP: the address octets (4 or 16, or 8 or 32 with a
     * mask in name constraints); DIRNAME: the whole Name TLV; RID: OID content octets; OTHER,
     * X400, EDI: the raw contents. */
    pl_span value;
} pl_x509_gn;

/* Reads one GeneralName from c and checks its encoding: IA5 text for the string forms, a
 * valid Name for directoryName, an OID for registeredID, a type-id OID and [0] EXPLICIT value
 * for otherName. The length of an iPAddress is left to the caller, which knows whether a mask
 * belongs to it. PADLOCK_E_DER on malformed input. */
PL_NODISCARD padlock_err pl_x509_gn_read(pl_cur *c, pl_x509_gn *out);

/* Reads a GeneralNames (SEQUENCE SIZE (1..MAX) OF GeneralName) element from c and validates
 * every entry; iPAddress entries must be 4 or 16 octets. *out_contents gets the SEQUENCE
 * contents, to be walked again with pl_x509_gn_read. */
PL_NODISCARD padlock_err pl_x509_general_names(pl_cur *c, pl_span *out_contents);

/* Writes one GeneralName: rfc822Name, dNSName and uniformResourceIdentifier as IA5String text
 * (IMPLICIT [1], [2], [6]), iPAddress as its 4 or 16 octets ([7]). Other types, non-ASCII text
 * and other address lengths give PADLOCK_E_INVALID_ARGUMENT; builder errors as wire/der.h. */
PL_NODISCARD padlock_err pl_x509_gn_write(pl_buf *b, const pl_x509_gn *gn);

/* Writes "DNS:api.example.com", "IP:192.0.2.1", "email:a@b", "URI:https://x/",
 * "dirName:CN=X" or "othername" forms into out (NUL-terminated, truncated to cap).
 * Returns the length written. */
size_t pl_x509_gn_format(const pl_x509_gn *gn, char *out, size_t cap);

/* Writes the text form of a 4- or 16-octet IP address (inet_ntop) into out; for other
 * lengths writes "(invalid address)". */
void pl_x509_ip_format(pl_span ip, char *out, size_t cap);

#endif
