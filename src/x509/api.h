/* The objects behind include/padlock/x509.h, shared by the files implementing that API
 * (api_cert.c, api_store.c, api_verify.c, api_key.c, api_issue.c, api_csr.c, api_pem.c).
 * Applications see them only as opaque types. */
#ifndef PL_X509_API_H
#define PL_X509_API_H

#include "padlock/x509.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/csr.h"
#include "x509/store.h"

typedef struct pl_api_san {
    padlock_san_type type;
    char *value;
} pl_api_san;

/* Room for a signature algorithm's name ("RSASSA-PSS with SHA-512", a long dotted OID). */
#define PL_API_SIGALG_BUF 64

struct padlock_cert {
    uint8_t *der; /* owned copy; parsed points into it */
    size_t der_len;
    pl_x509_cert parsed;
    char *subject; /* RFC 4514 text, computed once at parse */
    char *issuer;
    char *serial;
    pl_api_san *sans;
    size_t num_sans;
    char sig_alg[PL_API_SIGALG_BUF];
};

struct padlock_csr {
    uint8_t *der; /* owned copy; parsed points into it */
    size_t der_len;
    pl_x509_csr parsed;
    char *subject;
    pl_api_san *sans;
    size_t num_sans;
    char sig_alg[PL_API_SIGALG_BUF];
};

struct padlock_key {
    pl_privkey *key;
    uint8_t *spki; /* its public half, DER SubjectPublicKeyInfo */
    size_t spki_len;
};

struct padlock_cert_list {
    padlock_cert **certs;
    size_t num;
    size_t cap;
    pl_errinfo last_error;
};

struct padlock_trust_store {
    pl_x509_store *store;
    pl_errinfo last_error;
};

struct padlock_crl_set {
    pl_x509_crl_set set;
    pl_errinfo last_error;
};

/* A copy of s in pl_malloc'd memory, or NULL when memory runs out. */
char *pl_api_strdup(const char *s);

/* The printable entries of a subjectAltName (GeneralNames contents, possibly empty), as
 * padlock_cert_san returns them: *out is pl_calloc'd (NULL for none); free with
 * pl_api_sans_free. PADLOCK_E_NO_MEMORY. */
PL_NODISCARD padlock_err pl_api_sans_load(pl_span san, pl_api_san **out, size_t *out_num);
void pl_api_sans_free(pl_api_san *sans, size_t num);

/* The public name of an internal key type. */
padlock_key_type pl_api_key_type(pl_key_type type);

/* Public names (padlock_cert_names) in the form the writers take. */
typedef struct pl_api_names {
    uint8_t *subject; /* Name TLV, pl_malloc'd */
    size_t subject_len;
    pl_x509_gn *sans; /* DNS entries, then IP entries; pl_calloc'd */
    size_t num_sans;
    uint8_t (*ips)[16]; /* the IP entries' octets, which sans point into */
} pl_api_names;

/* Checks names as padlock_cert_names_check does (*out_bad as there, may be NULL) and encodes
 * them into out; release with pl_api_names_cleanup (also after a failure). */
PL_NODISCARD padlock_err pl_api_names_encode(const padlock_cert_names *names, pl_api_names *out,
                                             const char **out_bad);
void pl_api_names_cleanup(pl_api_names *n);

/* Writes der as one PEM block labelled label to a new file (pl_file_write with mode and
 * flags' PADLOCK_WRITE_REPLACE); the PEM text is wiped when secret is set. */
PL_NODISCARD padlock_err pl_api_write_pem(const char *path, const char *label, const uint8_t *der,
                                          size_t der_len, unsigned mode, unsigned flags,
                                          int secret);

/* Makes a public certificate from DER, taking ownership of der (freed on failure). */
PL_NODISCARD padlock_err pl_api_cert_adopt(uint8_t *der, size_t len, padlock_cert **out,
                                           const char **out_field);

/* Appends a certificate to a list (the list takes it; freed on failure). */
PL_NODISCARD padlock_err pl_api_list_append(padlock_cert_list *list, padlock_cert *cert);

#endif
