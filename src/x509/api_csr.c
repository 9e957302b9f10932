/* Public certificate signing requests (padlock/x509.h): PKCS #10 (RFC 2986) made for a key,
 * loaded from PEM (RFC 7468 §7 "CERTIFICATE REQUEST", and the legacy "NEW CERTIFICATE
 * REQUEST") or DER and verified, inspected, and written. */
#include <string.h>

#include "util/file.h"
#include "util/mem.h"
#include "wire/pem.h"
#include "x509/api.h"
#include "x509/name.h"

void padlock_csr_free(padlock_csr *csr) {
    if (csr == NULL) {
        return;
    }
    pl_api_sans_free(csr->sans, csr->num_sans);
    pl_free(csr->subject);
    pl_free(csr->der);
    pl_free(csr);
}

/* Makes a public request from DER, taking ownership of der (freed on failure): parsed, its
 * signature verified, its strings computed. */
static padlock_err pl_csr_adopt(uint8_t *der, size_t len, padlock_csr **out, const char **field) {
    padlock_csr *c = pl_calloc(1, sizeof(*c));
    if (c == NULL) {
        pl_free(der);
        return PADLOCK_E_NO_MEMORY;
    }
    c->der = der;
    c->der_len = len;
    padlock_err rc = pl_x509_csr_parse(&c->parsed, der, len, field);
    if (rc == PADLOCK_OK) {
        rc = pl_x509_csr_verify(&c->parsed);
        *field = rc == PADLOCK_OK ? NULL : "signature";
    }
    if (rc == PADLOCK_OK) {
        char buf[PL_X509_NAME_BUF * 4];
        pl_x509_name_format(c->parsed.subject, buf, sizeof(buf));
        c->subject = pl_api_strdup(buf);
        pl_x509_sigalg_describe(&c->parsed.sig_alg, c->sig_alg, sizeof(c->sig_alg));
        rc = c->subject != NULL ? pl_api_sans_load(c->parsed.requested.san, &c->sans, &c->num_sans)
                                : PADLOCK_E_NO_MEMORY;
    }
    if (rc != PADLOCK_OK) {
        padlock_csr_free(c);
        return rc;
    }
    *out = c;
    return PADLOCK_OK;
}

/* The DER of the first request block of PEM text, copied into *out. */
static padlock_err pl_csr_pem(const uint8_t *data, size_t len, uint8_t **out, size_t *out_len,
                              const char **field) {
    size_t pos = 0;
    for (;;) {
        pl_pem_block b;
        int found;
        padlock_err rc = pl_pem_next((const char *)data, len, &pos, &b, &found);
        if (rc != PADLOCK_OK || !found) {
            *field = rc != PADLOCK_OK ? "PEM" : "PEM: no CERTIFICATE REQUEST block";
            return rc != PADLOCK_OK ? rc : PADLOCK_E_PEM;
        }
        if (strcmp(b.label, "CERTIFICATE REQUEST") == 0 ||
            strcmp(b.label, "NEW CERTIFICATE REQUEST") == 0) {
            *out = b.der;
            *out_len = b.der_len;
            return PADLOCK_OK;
        }
        pl_pem_block_cleanup(&b);
    }
}

padlock_err padlock_csr_from_mem(const uint8_t *data, size_t len, padlock_csr **out,
                                 const char **out_field) {
    const char *ignored;
    const char **field = out_field != NULL ? out_field : &ignored;
    *field = NULL;
    PL_CHECK(out != NULL && (data != NULL || len == 0), PADLOCK_E_INVALID_ARGUMENT);
    *out = NULL;
    uint8_t *der;
    size_t der_len;
    if (pl_pem_looks_like_pem(data, len)) {
        PL_TRY(pl_csr_pem(data, len, &der, &der_len, field));
    } else {
        der_len = len;
        der = pl_malloc(len == 0 ? 1 : len);
        PL_CHECK(der != NULL, PADLOCK_E_NO_MEMORY);
        if (len != 0) {
            memcpy(der, data, len);
        }
    }
    return pl_csr_adopt(der, der_len, out, field);
}

padlock_err padlock_csr_from_file(const char *path, padlock_csr **out, const char **out_field) {
    if (out_field != NULL) {
        *out_field = NULL;
    }
    PL_CHECK(path != NULL, PADLOCK_E_INVALID_ARGUMENT);
    uint8_t *data;
    size_t len;
    PL_TRY(pl_file_read(path, &data, &len, NULL));
    padlock_err rc = padlock_csr_from_mem(data, len, out, out_field);
    pl_free(data);
    return rc;
}

padlock_err padlock_csr_create(const padlock_cert_names *names, const padlock_key *key,
                               padlock_csr **out) {
    PL_CHECK(key != NULL && out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    *out = NULL;
    pl_api_names n;
    padlock_err rc = pl_api_names_encode(names, &n, NULL);
    uint8_t *der = NULL;
    size_t der_len = 0;
    if (rc == PADLOCK_OK) {
        pl_span subject = {n.subject, n.subject_len};
        rc = pl_x509_csr_write(subject, n.sans, n.num_sans, key->key, &der, &der_len);
    }
    pl_api_names_cleanup(&n);
    PL_TRY(rc);
    const char *field;
    return pl_csr_adopt(der, der_len, out, &field);
}

const uint8_t *padlock_csr_der(const padlock_csr *csr, size_t *out_len) {
    *out_len = csr->der_len;
    return csr->der;
}

const char *padlock_csr_subject(const padlock_csr *csr) {
    return csr->subject;
}

size_t padlock_csr_num_sans(const padlock_csr *csr) {
    return csr->num_sans;
}

padlock_san_type padlock_csr_san(const padlock_csr *csr, size_t i, const char **out_value) {
    if (i >= csr->num_sans) {
        *out_value = "";
        return PADLOCK_SAN_OTHER;
    }
    *out_value = csr->sans[i].value;
    return csr->sans[i].type;
}

int padlock_csr_requests_extensions(const padlock_csr *csr) {
    size_t names = (csr->parsed.requested.exts & PL_X509_EXT_SAN) ? 1 : 0;
    return csr->parsed.num_requested > names;
}

padlock_key_type padlock_csr_key_type(const padlock_csr *csr) {
    return pl_api_key_type(csr->parsed.key.type);
}

unsigned padlock_csr_key_bits(const padlock_csr *csr) {
    return csr->parsed.key.bits;
}

const uint8_t *padlock_csr_public_der(const padlock_csr *csr, size_t *out_len) {
    *out_len = csr->parsed.key.spki.len;
    return csr->parsed.key.spki.p;
}

const char *padlock_csr_signature_algorithm(const padlock_csr *csr) {
    return csr->sig_alg;
}

padlock_err padlock_csr_write_file(const padlock_csr *csr, const char *path, unsigned flags) {
    PL_CHECK(csr != NULL, PADLOCK_E_INVALID_ARGUMENT);
    return pl_api_write_pem(path, "CERTIFICATE REQUEST", csr->der, csr->der_len, 0644, flags, 0);
}
