/* Peer identity checks (RFC 6125 §6, as tightened by RFC 9525 §6.3): a DNS name against
 * dNSName subjectAltNames with whole-left-most-label wildcards, an IP address against
 * iPAddress subjectAltNames only. The subject common name is never used. */
#ifndef PL_X509_HOSTNAME_H
#define PL_X509_HOSTNAME_H

#include <stddef.h>
#include <stdint.h>

#include "x509/cert.h"

typedef enum pl_x509_peer_type {
    PL_X509_PEER_NONE = 0, /* no identity check */
    PL_X509_PEER_DNS = 1,
    PL_X509_PEER_IP = 2,
} pl_x509_peer_type;

/* The reference identity (RFC 6125 §1.8) a certificate must present. */
typedef struct pl_x509_peer {
    pl_x509_peer_type type;
    uint8_t ip_len; /* 4 or 16 */
    uint8_t ip[16];
    uint8_t dns_len;
    char dns[254]; /* NUL-terminated, without a trailing dot */
} pl_x509_peer;

/* Classifies name: an IPv4 dotted quad or an IPv6 address (optionally in brackets) is an IP
 * identity, anything else must be a valid DNS host name (one trailing dot is removed).
 * PADLOCK_E_INVALID_ARGUMENT for an empty or malformed name or one with a wildcard. */
PL_NODISCARD padlock_err pl_x509_peer_parse(const char *name, pl_x509_peer *out);

/* 1 if the dNSName pattern presents the DNS reference identity ref (both ASCII), per
 * RFC 6125 §6.4.1 and §6.4.3: case-insensitive; a wildcard only as the entire left-most label
 * of a pattern with at least two further labels, matching exactly one non-empty label. */
int pl_x509_dns_matches(pl_span pattern, pl_span ref);

/* Checks that leaf presents peer. PADLOCK_OK (also for PL_X509_PEER_NONE), or
 * PADLOCK_E_CERT_NAME_MISMATCH with a detail in err naming the certificate, the identity and
 * what the certificate presents. */
PL_NODISCARD padlock_err pl_x509_check_peer(const pl_x509_cert *leaf, const pl_x509_peer *peer,
                                            pl_errinfo *err);

#endif
