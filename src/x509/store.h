/* The trust store: trust anchors (RFC 5280 §6.1.1 (d)) loaded from PEM bundles, directories,
 * DER and memory, indexed by a hash of the subject Name so that path building finds issuers
 * in O(log n). Loading validates every certificate but keeps only its DER and the subject's
 * position; the verifier re-parses the few anchors it considers (a few microseconds each), so
 * the system bundle costs about a millisecond and a few hundred KiB. A store is not changed
 * while verifications use it (adding concurrently with a verification is a data race). */
#ifndef PL_X509_STORE_H
#define PL_X509_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "wire/der.h"

typedef struct pl_x509_store pl_x509_store;
typedef struct pl_x509_vcache pl_x509_vcache;

/* The bundle paths tried, in order, by pl_x509_store_add_system (after $SSL_CERT_FILE). */
#define PL_X509_SYSTEM_BUNDLES                                                                     \
    {                                                                                              \
        "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",                  \
            "/etc/ssl/ca-bundle.pem", "/etc/ssl/cert.pem"                                          \
    }

/* An empty store in *out (PADLOCK_E_NO_MEMORY on failure); free with pl_x509_store_free. */
PL_NODISCARD padlock_err pl_x509_store_new(pl_x509_store **out);

/* Frees the store and its certificates; NULL is a no-op. */
void pl_x509_store_free(pl_x509_store *s);

/* The store's identity: unique in the process, and replaced whenever an add call changes the
 * store, so it names the exact set of anchors (the verified-chain cache keys on it). */
uint64_t pl_x509_store_id(const pl_x509_store *s);

/* The verified-chain cache of verifications against this store (vcache.h), or NULL when it is
 * off. A new store has one of PL_X509_VCACHE_DEFAULT_ENTRIES entries. */
pl_x509_vcache *pl_x509_store_cache(const pl_x509_store *s);

/* Replaces the cache by an empty one of `entries` entries (0: no cache). PADLOCK_E_NO_MEMORY
 * leaves the old cache in place. Not while verifications use the store. */
PL_NODISCARD padlock_err pl_x509_store_set_cache(pl_x509_store *s, size_t entries);

/* Each add call is all-or-nothing: on failure nothing from that call stays in the store, and
 * err (may be NULL) receives a detail naming the source and the certificate at fault.
 * Certificates already present (same DER) are skipped. */

/* Adds one DER certificate (copied). PADLOCK_E_CERT_PARSE if it does not parse. */
PL_NODISCARD padlock_err pl_x509_store_add_der(pl_x509_store *s, const uint8_t *der, size_t len,
                                               pl_errinfo *err);

/* Adds every "CERTIFICATE" block of PEM text (other labels are skipped). source names the
 * text in messages (a file name, or "memory"). PADLOCK_E_PEM for malformed PEM or text with no
 * certificate block, PADLOCK_E_CERT_PARSE for a block that is not a certificate. */
PL_NODISCARD padlock_err pl_x509_store_add_pem(pl_x509_store *s, const char *text, size_t len,
                                               const char *source, pl_errinfo *err);

/* Adds a file holding PEM certificates or one DER certificate. PADLOCK_E_FILE if unreadable. */
PL_NODISCARD padlock_err pl_x509_store_add_file(pl_x509_store *s, const char *path,
                                                pl_errinfo *err);

/* Adds every regular file of a directory (not recursive, hidden files skipped) that holds PEM
 * certificate blocks, such as /etc/ssl/certs; files without any are skipped, but a file with a
 * malformed certificate fails the call. PADLOCK_E_FILE if the directory cannot be read. */
PL_NODISCARD padlock_err pl_x509_store_add_dir(pl_x509_store *s, const char *path, pl_errinfo *err);

/* Adds the operating system's bundle: $SSL_CERT_FILE when set, else the first of
 * PL_X509_SYSTEM_BUNDLES that exists. PADLOCK_E_FILE if none can be read. */
PL_NODISCARD padlock_err pl_x509_store_add_system(pl_x509_store *s, pl_errinfo *err);

/* Number of certificates. */
size_t pl_x509_store_count(const pl_x509_store *s);

/* The DER of certificate i (0 <= i < count), valid until the store is freed. */
pl_span pl_x509_store_der(const pl_x509_store *s, size_t i);

/* Walks the certificates whose subject Name equals subject (binary comparison, as in
 * pl_x509_name_equal). Start with *iter = 0; each call returns 1 and sets *out_index, or 0 when
 * there are no more. Adding to the store invalidates iterators and indices. */
int pl_x509_store_find(const pl_x509_store *s, pl_span subject, size_t *iter, size_t *out_index);

/* 1 if a certificate with exactly this DER (whose subject Name is subject) is in the store. */
int pl_x509_store_contains(const pl_x509_store *s, pl_span subject, pl_span der);

#endif
