/* Certificate chain verification for TLS and the public API: the inputs (RFC 5280 §6.1.1),
 * the result (the validated path, leaf first, trust anchor last) and the entry point that
 * builds candidate paths (path_build.c), validates them (path_verify.c) and checks the peer's
 * identity (hostname.c). The verifier never reads the clock: the caller passes the time. */
#ifndef PL_X509_VERIFY_H
#define PL_X509_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/hostname.h"
#include "x509/store.h"

/* What the leaf certificate is used for (RFC 5280 §4.2.1.12 key purposes). */
typedef enum pl_x509_purpose {
    PL_X509_PURPOSE_ANY = 0,         /* no extended key usage requirement */
    PL_X509_PURPOSE_SERVER_AUTH = 1, /* id-kp-serverAuth: a TLS server's certificate */
    PL_X509_PURPOSE_CLIENT_AUTH = 2, /* id-kp-clientAuth: a TLS client's certificate */
} pl_x509_purpose;

/* Certificates accepted in one chain (leaf, intermediates, extras). TLS peers send 2-5. */
#define PL_X509_MAX_CHAIN 64
/* Intermediates between leaf and trust anchor: default and largest allowed setting. */
#define PL_X509_DEFAULT_MAX_INTERMEDIATES 8
#define PL_X509_MAX_INTERMEDIATES 16
/* The longest path: leaf, intermediates, trust anchor. */
#define PL_X509_MAX_PATH (PL_X509_MAX_INTERMEDIATES + 2)

/* A signature check as pl_sig_verify_params does it. */
typedef padlock_err (*pl_x509_sig_fn)(const pl_sig_params *params, const uint8_t *spki,
                                      size_t spki_len, const uint8_t *msg, size_t msg_len,
                                      const uint8_t *sig, size_t sig_len);

/* Verification inputs. Pointers are borrowed for the duration of the call. */
typedef struct pl_x509_verify_params {
    const pl_x509_store *store;  /* trust anchors; required */
    int64_t now;                 /* validation time, seconds since the epoch (§6.1.1 (b)) */
    pl_x509_purpose purpose;     /* required key purpose of the leaf */
    const pl_x509_peer *peer;    /* expected identity; NULL: not checked */
    const pl_x509_crl_set *crls; /* CRLs to consult; NULL: no revocation checking */
    uint8_t max_intermediates;   /* 0: PL_X509_DEFAULT_MAX_INTERMEDIATES */
    /* Signature verification; NULL means pl_sig_verify_params. Only the fuzz target replaces
     * it, so that policy code past the signature checks is reachable with fuzzed chains. */
    pl_x509_sig_fn sig_verify;
} pl_x509_verify_params;

/* The validated path: certs[0] is the leaf, certs[len - 1] the trust anchor (which is the leaf
 * itself when the leaf is trusted directly). Spans point into the chain buffers passed to
 * pl_x509_verify and into the store, which must outlive the path. */
typedef struct pl_x509_path {
    size_t len;
    pl_x509_cert certs[];
} pl_x509_path;

/* Frees a path; NULL is a no-op. */
void pl_x509_path_free(pl_x509_path *path);

/* Verifies a peer's chain. chain[0] is the leaf; chain[1..num_chain) are untrusted
 * certificates in any order, possibly with duplicates and unrelated extras (TLS
 * Certificate messages in the wild). Builds every candidate path to a trust anchor (by issuer
 * name, preferring key identifier matches), validates each per RFC 5280 §6.1 until one passes,
 * then checks the peer identity. On PADLOCK_OK, *out_path (if out_path is not NULL) receives
 * the path; free it with pl_x509_path_free. On failure returns the CERT_* / CRL_* code of the
 * refusal and records in err (may be NULL) a detail naming the certificate and rule, e.g.
 * certificate "CN=api.example.com" expired on 2025-03-01T00:00:00Z. When several candidate
 * paths fail, the failure of the first (most preferred) path is reported. Other returns:
 * PADLOCK_E_CERT_MISSING (num_chain 0), PADLOCK_E_CERT_PARSE (a chain entry does not parse),
 * PADLOCK_E_CERT_CHAIN_TOO_LONG (more than PL_X509_MAX_CHAIN entries, or no path within the
 * intermediate limit), PADLOCK_E_INVALID_ARGUMENT, PADLOCK_E_NO_MEMORY. */
PL_NODISCARD padlock_err pl_x509_verify(const pl_x509_verify_params *params, const pl_span *chain,
                                        size_t num_chain, pl_x509_path **out_path, pl_errinfo *err);

#endif
