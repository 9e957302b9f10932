/* The objects behind include/padlock/x509.h, shared by the files implementing that API
 * (api_cert.c, api_store.c, api_verify.c). Applications see them only as opaque types. */
#ifndef PL_X509_API_H
#define PL_X509_API_H

#include "padlock/x509.h"
#include "x509/cert.h"
#include "x509/crl.h"
#include "x509/store.h"

typedef struct pl_api_san {
    padlock_san_type type;
    char *value;
} pl_api_san;

struct padlock_cert {
    uint8_t *der; /* owned copy; parsed points into it */
    size_t der_len;
    pl_x509_cert parsed;
    char *subject; /* RFC 4514 text, computed once at parse */
    char *issuer;
    char *serial;
    pl_api_san *sans;
    size_t num_sans;
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

/* Makes a public certificate from DER, taking ownership of der (freed on failure). */
PL_NODISCARD padlock_err pl_api_cert_adopt(uint8_t *der, size_t len, padlock_cert **out,
                                           const char **out_field);

/* Appends a certificate to a list (the list takes it; freed on failure). */
PL_NODISCARD padlock_err pl_api_list_append(padlock_cert_list *list, padlock_cert *cert);

#endif
