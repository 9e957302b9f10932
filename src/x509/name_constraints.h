/* Name constraints (RFC 5280 §4.2.1.10, applied per §6.1.3 (b) and (c)): the names of a
 * certificate checked against the permitted and excluded subtrees of a CA above it. Checking
 * against each constraining CA in turn equals checking against the RFC's intersected permitted
 * set and united excluded set. */
#ifndef PL_X509_NAME_CONSTRAINTS_H
#define PL_X509_NAME_CONSTRAINTS_H

#include "x509/cert.h"

/* Checks the names of cert (subject DN, emailAddress attributes of the subject, every
 * subjectAltName) against the nameConstraints of ca. PADLOCK_OK, or
 * PADLOCK_E_CERT_NAME_CONSTRAINTS with a detail in err naming both certificates and the name.
 * A name of a type the CA constrains but padlock cannot evaluate (otherName, x400Address,
 * ediPartyName, registeredID, or a URI without a host) is refused. */
PL_NODISCARD padlock_err pl_x509_nc_check(const pl_x509_cert *ca, const pl_x509_cert *cert,
                                          pl_errinfo *err);

/* 1 if the dNSName name is within the DNS subtree base: base empty (everything), or name equal
 * to base or a subdomain of it; a base with a leading '.' matches only subdomains. */
int pl_x509_nc_dns_within(pl_span name, pl_span base);

#endif
