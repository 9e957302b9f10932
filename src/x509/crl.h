/* Certificate revocation lists (RFC 5280 §5): strict parsing of a v1/v2 CRL, its entries
 * indexed for binary search by serial, and sets of CRLs loaded from PEM ("X509 CRL") or DER.
 * Indirect CRLs, delta CRLs and partitioned (onlySomeReasons) CRLs are refused as
 * unsupported rather than half-processed. */
#ifndef PL_X509_CRL_H
#define PL_X509_CRL_H

#include <stddef.h>
#include <stdint.h>

#include "wire/der.h"
#include "x509/algorithm.h"

/* One revoked certificate. */
typedef struct pl_x509_crl_entry {
    pl_span serial;     /* userCertificate content octets */
    int64_t revoked_at; /* revocationDate */
    uint8_t reason;     /* CRLReason (RFC 5280 §5.3.1), 0 (unspecified) when absent */
} pl_x509_crl_entry;

/* Which certificates the CRL covers (issuingDistributionPoint, RFC 5280 §5.2.5). */
enum {
    PL_X509_CRL_SCOPE_ALL = 0,
    PL_X509_CRL_SCOPE_USER = 1, /* onlyContainsUserCerts */
    PL_X509_CRL_SCOPE_CA = 2,   /* onlyContainsCACerts */
};

typedef struct pl_x509_crl {
    pl_span der;       /* the whole CertificateList */
    pl_span tbs;       /* the signed TBSCertList */
    pl_span issuer;    /* issuer Name TLV */
    pl_span sig_value; /* signature bits */
    pl_span aki_key_id;
    pl_x509_sigalg sig_alg;
    int64_t this_update;
    int64_t next_update;
    uint8_t has_next_update;
    uint8_t version;            /* 1 or 2 */
    uint8_t scope;              /* PL_X509_CRL_SCOPE_* */
    pl_x509_crl_entry *entries; /* sorted by serial; owned (pl_malloc) */
    size_t num_entries;
    uint8_t *owned; /* the DER when the CRL owns it (loaded through a set) */
} pl_x509_crl;

/* Parses der[0..len) (kept alive by the caller) as one CRL. On failure returns
 * PADLOCK_E_CRL_PARSE, or PADLOCK_E_CRL_INVALID for a well-formed CRL padlock cannot use
 * (indirect, delta, unknown critical extension), with *out_field (may be NULL) naming the
 * part at fault. Free with pl_x509_crl_cleanup. */
PL_NODISCARD padlock_err pl_x509_crl_parse(pl_x509_crl *out, const uint8_t *der, size_t len,
                                           const char **out_field);

/* Frees the entry index and any owned DER, and zeroes the struct. */
void pl_x509_crl_cleanup(pl_x509_crl *crl);

/* The entry for serial (content octets as in a certificate), or NULL if not revoked. */
const pl_x509_crl_entry *pl_x509_crl_find(const pl_x509_crl *crl, pl_span serial);

/* The RFC 5280 §5.3.1 name of a CRLReason ("keyCompromise"), or "unknown". */
const char *pl_x509_crl_reason_name(uint8_t reason);

/* A set of CRLs owning their DER. */
typedef struct pl_x509_crl_set {
    pl_x509_crl *crls;
    size_t num;
    size_t cap;
} pl_x509_crl_set;

/* An empty set in caller storage. */
void pl_x509_crl_set_init(pl_x509_crl_set *set);

/* Frees every CRL of the set and empties it. */
void pl_x509_crl_set_cleanup(pl_x509_crl_set *set);

/* Adds the CRLs of a buffer: every "X509 CRL" PEM block, or one DER CRL. All-or-nothing;
 * source names the input in err's detail. PADLOCK_E_PEM (bad PEM, or PEM without a CRL block),
 * PADLOCK_E_CRL_PARSE, PADLOCK_E_CRL_INVALID, PADLOCK_E_NO_MEMORY. */
PL_NODISCARD padlock_err pl_x509_crl_set_add(pl_x509_crl_set *set, const uint8_t *data, size_t len,
                                             const char *source, pl_errinfo *err);

/* pl_x509_crl_set_add with a file's contents; PADLOCK_E_FILE if unreadable. */
PL_NODISCARD padlock_err pl_x509_crl_set_add_file(pl_x509_crl_set *set, const char *path,
                                                  pl_errinfo *err);

#endif
