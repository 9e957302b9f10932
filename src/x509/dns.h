/* DNS names as X.509 carries them (RFC 5280 §4.2.1.6 dNSName, RFC 6125 §6.4): ASCII,
 * compared case-insensitively, labels separated by dots. Shared by hostname verification and
 * name constraints. */
#ifndef PL_X509_DNS_H
#define PL_X509_DNS_H

#include "wire/der.h"

/* 1 if a and b are equal ignoring ASCII case. */
int pl_dns_equal(pl_span a, pl_span b);

/* 1 if name ends with suffix, ignoring ASCII case. */
int pl_dns_ends_with(pl_span name, pl_span suffix);

/* 1 if name is a syntactically valid host name: 1..253 octets, dot-separated labels of 1..63
 * letters, digits, hyphens or underscores (underscores occur in deployed names), no label
 * starting or ending with a hyphen. A trailing dot is not accepted (callers strip it). */
int pl_dns_name_valid(pl_span name);

/* 1 if name may be written as a dNSName (RFC 5280 §4.2.1.6: the preferred name syntax of
 * RFC 1034 §3.5 as modified by RFC 1123 §2.1): 1..253 octets of dot-separated labels of 1..63
 * letters, digits and hyphens, none starting or ending with a hyphen, no trailing dot; or such
 * a name behind a "*." wildcard label when at least two labels follow (RFC 6125 §6.4.3, the
 * form pl_x509_dns_matches honours). Stricter than pl_dns_name_valid: no underscores. */
int pl_dns_name_issuable(pl_span name);

#endif
