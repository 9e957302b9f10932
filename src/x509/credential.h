/* A TLS endpoint's own credential: its certificate chain (leaf first, RFC 8446 §4.4.2 /
 * RFC 5246 §7.4.2) and the private key that matches the leaf, loaded from PEM files, with the
 * leaf parsed for key-type checks (CertificateVerify) and SNI-based selection by its SANs. */
#ifndef PL_X509_CREDENTIAL_H
#define PL_X509_CREDENTIAL_H

#include <stddef.h>

#include "crypto/crypto.h"
#include "x509/cert.h"
#include "x509/hostname.h"

/* Certificates accepted in one credential chain. */
#define PL_X509_MAX_CREDENTIAL_CHAIN 16

typedef struct pl_x509_credential {
    uint8_t *der[PL_X509_MAX_CREDENTIAL_CHAIN]; /* owned DER of each certificate, leaf first */
    size_t der_len[PL_X509_MAX_CREDENTIAL_CHAIN];
    size_t num_certs;
    pl_x509_cert leaf; /* parsed view of der[0] */
    pl_privkey *key;   /* owned; matches leaf.key */
} pl_x509_credential;

/* Loads a credential from PEM text: chain_pem holds the leaf then any intermediates
 * ("CERTIFICATE" blocks; other blocks are skipped), key_data the private key in any form
 * pl_privkey_load takes. Errors, each with a detail in err (may be NULL): PADLOCK_E_PEM (bad
 * PEM, or no certificate), PADLOCK_E_CERT_PARSE, PADLOCK_E_CERT_CHAIN_TOO_LONG, the key errors
 * of pl_privkey_load, PADLOCK_E_CERT_UNSUPPORTED (the leaf's key is of a type padlock cannot
 * use), PADLOCK_E_KEY_MISMATCH (the key is not the leaf's). On failure *out is left empty;
 * release a loaded credential with pl_x509_credential_cleanup. */
PL_NODISCARD padlock_err pl_x509_credential_from_pem(pl_x509_credential *out, const char *chain_pem,
                                                     size_t chain_len, const uint8_t *key_data,
                                                     size_t key_len, pl_errinfo *err);

/* pl_x509_credential_from_pem with the contents of two files (PADLOCK_E_FILE if unreadable;
 * messages name the files). */
PL_NODISCARD padlock_err pl_x509_credential_load(pl_x509_credential *out, const char *chain_path,
                                                 const char *key_path, pl_errinfo *err);

/* Frees the chain and wipes the key. */
void pl_x509_credential_cleanup(pl_x509_credential *c);

/* PADLOCK_OK if key is the private half of the public key want: same key type and the same
 * public key (compared through the key's SubjectPublicKeyInfo), else PADLOCK_E_KEY_MISMATCH. */
PL_NODISCARD padlock_err pl_x509_key_matches(const pl_x509_pubkey *want, const pl_privkey *key);

/* 1 if the credential's leaf presents peer (a server choosing a certificate by SNI), per the
 * rules of pl_x509_check_peer; else 0. */
int pl_x509_credential_covers(const pl_x509_credential *c, const pl_x509_peer *peer);

#endif
