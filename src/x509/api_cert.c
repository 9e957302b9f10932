/* Public certificate objects (padlock/x509.h): parse, inspect, lists loaded from PEM or DER
 * (RFC 7468 "CERTIFICATE" blocks), and the time helpers. */
#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "util/civil_time.h"
#include "util/file.h"
#include "util/mem.h"
#include "wire/pem.h"
#include "x509/api.h"
#include "x509/general_name.h"
#include "x509/name.h"

padlock_err padlock_time_parse(const char *text, int64_t *out) {
    PL_CHECK(text != NULL && out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    return pl_time_parse_rfc3339(text, out);
}

void padlock_time_format(int64_t t, char out[PADLOCK_RFC3339_BUF]) {
    pl_time_format_rfc3339(t, out);
}

char *pl_api_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = pl_malloc(n);
    if (d != NULL) {
        memcpy(d, s, n);
    }
    return d;
}

void padlock_cert_free(padlock_cert *cert) {
    if (cert == NULL) {
        return;
    }
    pl_api_sans_free(cert->sans, cert->num_sans);
    pl_free(cert->subject);
    pl_free(cert->issuer);
    pl_free(cert->serial);
    pl_free(cert->der);
    pl_free(cert);
}

/* The printable value of one subjectAltName entry. */
static char *pl_san_text(const pl_x509_gn *gn, padlock_san_type *out_type) {
    char buf[PL_X509_NAME_BUF + 16];
    switch (gn->type) {
    case PL_GN_DNS:
    case PL_GN_EMAIL:
    case PL_GN_URI: {
        size_t n = gn->value.len < sizeof(buf) - 1 ? gn->value.len : sizeof(buf) - 1;
        for (size_t i = 0; i < n; i++) {
            uint8_t c = gn->value.p[i];
            buf[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
        }
        buf[n] = '\0';
        *out_type = (padlock_san_type)gn->type;
        break;
    }
    case PL_GN_IP:
        pl_x509_ip_format(gn->value, buf, sizeof(buf));
        *out_type = PADLOCK_SAN_IP;
        break;
    case PL_GN_DIRNAME:
        pl_x509_name_format(gn->value, buf, sizeof(buf));
        *out_type = PADLOCK_SAN_DIRNAME;
        break;
    default:
        pl_x509_gn_format(gn, buf, sizeof(buf));
        *out_type = PADLOCK_SAN_OTHER;
        break;
    }
    return pl_api_strdup(buf);
}

void pl_api_sans_free(pl_api_san *sans, size_t num) {
    for (size_t i = 0; i < num; i++) {
        pl_free(sans[i].value);
    }
    pl_free(sans);
}

padlock_err pl_api_sans_load(pl_span san, pl_api_san **out, size_t *out_num) {
    *out = NULL;
    *out_num = 0;
    pl_cur sans;
    pl_cur_init(&sans, san.p, san.len);
    size_t count = 0;
    pl_x509_gn gn;
    while (pl_cur_left(&sans) > 0 && pl_x509_gn_read(&sans, &gn) == PADLOCK_OK) {
        count++;
    }
    if (count == 0) {
        return PADLOCK_OK;
    }
    pl_api_san *list = pl_calloc(count, sizeof(*list));
    PL_CHECK(list != NULL, PADLOCK_E_NO_MEMORY);
    pl_cur_init(&sans, san.p, san.len);
    size_t num = 0;
    while (num < count && pl_x509_gn_read(&sans, &gn) == PADLOCK_OK) {
        list[num].value = pl_san_text(&gn, &list[num].type);
        if (list[num].value == NULL) {
            pl_api_sans_free(list, num);
            return PADLOCK_E_NO_MEMORY;
        }
        num++;
    }
    *out = list;
    *out_num = num;
    return PADLOCK_OK;
}

static padlock_err pl_cert_strings(padlock_cert *c) {
    char buf[PL_X509_NAME_BUF * 4];
    pl_x509_name_format(c->parsed.subject, buf, sizeof(buf));
    c->subject = pl_api_strdup(buf);
    pl_x509_name_format(c->parsed.issuer, buf, sizeof(buf));
    c->issuer = pl_api_strdup(buf);
    pl_x509_serial_format(c->parsed.serial, buf, sizeof(buf));
    c->serial = pl_api_strdup(buf);
    PL_CHECK(c->subject != NULL && c->issuer != NULL && c->serial != NULL, PADLOCK_E_NO_MEMORY);
    pl_x509_sigalg_describe(&c->parsed.sig_alg, c->sig_alg, sizeof(c->sig_alg));
    return pl_api_sans_load(c->parsed.san, &c->sans, &c->num_sans);
}

padlock_err pl_api_cert_adopt(uint8_t *der, size_t len, padlock_cert **out,
                              const char **out_field) {
    *out = NULL;
    padlock_cert *c = pl_calloc(1, sizeof(*c));
    if (c == NULL) {
        pl_free(der);
        return PADLOCK_E_NO_MEMORY;
    }
    c->der = der;
    c->der_len = len;
    padlock_err rc = pl_x509_cert_parse(&c->parsed, der, len, out_field);
    if (rc == PADLOCK_OK) {
        rc = pl_cert_strings(c);
    }
    if (rc != PADLOCK_OK) {
        padlock_cert_free(c);
        return rc;
    }
    *out = c;
    return PADLOCK_OK;
}

padlock_err padlock_cert_from_der(const uint8_t *der, size_t len, padlock_cert **out) {
    PL_CHECK(out != NULL && (der != NULL || len == 0), PADLOCK_E_INVALID_ARGUMENT);
    *out = NULL;
    uint8_t *copy = pl_malloc(len == 0 ? 1 : len);
    PL_CHECK(copy != NULL, PADLOCK_E_NO_MEMORY);
    if (len != 0) {
        memcpy(copy, der, len);
    }
    return pl_api_cert_adopt(copy, len, out, NULL);
}

const char *padlock_cert_parse_error(const uint8_t *der, size_t len) {
    if (der == NULL) {
        return "Certificate";
    }
    pl_x509_cert parsed;
    const char *field = NULL;
    if (pl_x509_cert_parse(&parsed, der, len, &field) == PADLOCK_OK) {
        return NULL;
    }
    return field != NULL ? field : "Certificate";
}

const uint8_t *padlock_cert_der(const padlock_cert *cert, size_t *out_len) {
    *out_len = cert->der_len;
    return cert->der;
}

const char *padlock_cert_subject(const padlock_cert *cert) {
    return cert->subject;
}

const char *padlock_cert_issuer(const padlock_cert *cert) {
    return cert->issuer;
}

const char *padlock_cert_serial(const padlock_cert *cert) {
    return cert->serial;
}

int64_t padlock_cert_not_before(const padlock_cert *cert) {
    return cert->parsed.not_before;
}

int64_t padlock_cert_not_after(const padlock_cert *cert) {
    return cert->parsed.not_after;
}

padlock_key_type pl_api_key_type(pl_key_type type) {
    switch (type) {
    case PL_KEY_RSA: return PADLOCK_KEY_RSA;
    case PL_KEY_RSA_PSS: return PADLOCK_KEY_RSA_PSS;
    case PL_KEY_EC_P256: return PADLOCK_KEY_EC_P256;
    case PL_KEY_EC_P384: return PADLOCK_KEY_EC_P384;
    case PL_KEY_EC_P521: return PADLOCK_KEY_EC_P521;
    case PL_KEY_ED25519: return PADLOCK_KEY_ED25519;
    case PL_KEY_NONE: break;
    }
    return PADLOCK_KEY_UNKNOWN;
}

padlock_key_type padlock_cert_key_type(const padlock_cert *cert) {
    return pl_api_key_type(cert->parsed.key.type);
}

unsigned padlock_cert_key_bits(const padlock_cert *cert) {
    return cert->parsed.key.bits;
}

int padlock_cert_is_ca(const padlock_cert *cert) {
    return cert->parsed.is_ca;
}

void padlock_cert_fingerprint_sha256(const padlock_cert *cert, uint8_t out[32]) {
    pl_hash(&pl_hash_sha256, cert->der, cert->der_len, out);
}

const char *padlock_cert_signature_algorithm(const padlock_cert *cert) {
    return cert->sig_alg;
}

/* The public bit values are the internal ones (bit n of the RFC 5280 lists as 1 << n). */
_Static_assert(PADLOCK_KU_KEY_CERT_SIGN == PL_X509_KU_KEY_CERT_SIGN &&
                   PADLOCK_KU_DECIPHER_ONLY == PL_X509_KU_DECIPHER_ONLY,
               "keyUsage bits");
_Static_assert(PADLOCK_EKU_SERVER_AUTH == PL_X509_EKU_SERVER_AUTH &&
                   PADLOCK_EKU_CLIENT_AUTH == PL_X509_EKU_CLIENT_AUTH &&
                   PADLOCK_EKU_ANY == PL_X509_EKU_ANY && PADLOCK_EKU_OTHER == PL_X509_EKU_OTHER,
               "extKeyUsage bits");

unsigned padlock_cert_key_usage(const padlock_cert *cert) {
    return (cert->parsed.exts & PL_X509_EXT_KEY_USAGE) ? cert->parsed.key_usage : 0;
}

unsigned padlock_cert_ext_key_usage(const padlock_cert *cert) {
    return (cert->parsed.exts & PL_X509_EXT_EKU) ? cert->parsed.eku : 0;
}

int padlock_cert_path_len(const padlock_cert *cert) {
    return cert->parsed.has_path_len ? cert->parsed.path_len : -1;
}

/* A span as (pointer, length), NULL when empty. */
static const uint8_t *pl_span_out(pl_span s, size_t *out_len) {
    *out_len = s.len;
    return s.len > 0 ? s.p : NULL;
}

const uint8_t *padlock_cert_subject_key_id(const padlock_cert *cert, size_t *out_len) {
    return pl_span_out(cert->parsed.ski, out_len);
}

const uint8_t *padlock_cert_authority_key_id(const padlock_cert *cert, size_t *out_len) {
    return pl_span_out(cert->parsed.aki_key_id, out_len);
}

size_t padlock_cert_num_sans(const padlock_cert *cert) {
    return cert->num_sans;
}

padlock_san_type padlock_cert_san(const padlock_cert *cert, size_t i, const char **out_value) {
    if (i >= cert->num_sans) {
        *out_value = "";
        return PADLOCK_SAN_OTHER;
    }
    *out_value = cert->sans[i].value;
    return cert->sans[i].type;
}

padlock_err padlock_cert_write_file(const padlock_cert *cert, const char *path, unsigned flags) {
    PL_CHECK(cert != NULL, PADLOCK_E_INVALID_ARGUMENT);
    return pl_api_write_pem(path, "CERTIFICATE", cert->der, cert->der_len, 0644, flags, 0);
}

/* ---- Lists ---------------------------------------------------------------------------------- */

padlock_err padlock_cert_list_new(padlock_cert_list **out) {
    PL_CHECK(out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    *out = pl_calloc(1, sizeof(**out));
    PL_CHECK(*out != NULL, PADLOCK_E_NO_MEMORY);
    pl_errinfo_init(&(*out)->last_error);
    return PADLOCK_OK;
}

void padlock_cert_list_free(padlock_cert_list *list) {
    if (list == NULL) {
        return;
    }
    for (size_t i = 0; i < list->num; i++) {
        padlock_cert_free(list->certs[i]);
    }
    pl_free(list->certs);
    pl_errinfo_cleanup(&list->last_error);
    pl_free(list);
}

padlock_err pl_api_list_append(padlock_cert_list *list, padlock_cert *cert) {
    if (list->num == list->cap) {
        size_t cap = list->cap == 0 ? 4 : list->cap * 2;
        padlock_cert **grown = pl_realloc(list->certs, cap * sizeof(*grown));
        if (grown == NULL) {
            padlock_cert_free(cert);
            return PADLOCK_E_NO_MEMORY;
        }
        list->certs = grown;
        list->cap = cap;
    }
    list->certs[list->num++] = cert;
    return PADLOCK_OK;
}

/* Adds certificates from data (PEM blocks, or one DER certificate); source names it in
 * messages. All-or-nothing. */
static padlock_err pl_list_add(padlock_cert_list *list, const uint8_t *data, size_t len,
                               const char *source) {
    size_t start = list->num;
    padlock_err rc = PADLOCK_OK;
    const char *field = NULL;
    size_t index = 0;
    if (pl_pem_looks_like_pem(data, len)) {
        size_t pos = 0;
        for (;;) {
            pl_pem_block b;
            int found;
            rc = pl_pem_next((const char *)data, len, &pos, &b, &found);
            if (rc != PADLOCK_OK || !found) {
                break;
            }
            if (strcmp(b.label, "CERTIFICATE") != 0) {
                pl_pem_block_cleanup(&b);
                continue;
            }
            index++;
            padlock_cert *c;
            rc = pl_api_cert_adopt(b.der, b.der_len, &c, &field);
            if (rc == PADLOCK_OK) {
                rc = pl_api_list_append(list, c);
            }
            if (rc != PADLOCK_OK) {
                break;
            }
        }
        if (rc == PADLOCK_OK && index == 0) {
            rc = PADLOCK_E_PEM;
            pl_errinfo_set(&list->last_error, rc, "%s: no PEM certificate found", source);
        } else if (rc == PADLOCK_E_PEM) {
            pl_errinfo_set(&list->last_error, rc, "%s: malformed PEM after certificate %zu", source,
                           index);
        }
    } else {
        uint8_t *copy = pl_malloc(len == 0 ? 1 : len);
        PL_CHECK(copy != NULL, PADLOCK_E_NO_MEMORY);
        if (len != 0) {
            memcpy(copy, data, len);
        }
        index = 1;
        padlock_cert *c;
        rc = pl_api_cert_adopt(copy, len, &c, &field);
        if (rc == PADLOCK_OK) {
            rc = pl_api_list_append(list, c);
        }
    }
    if (rc == PADLOCK_E_CERT_PARSE) {
        pl_errinfo_set(&list->last_error, rc, "%s: certificate %zu: malformed certificate (%s)",
                       source, index, field != NULL ? field : "DER");
    }
    if (rc != PADLOCK_OK) {
        pl_errinfo_set(&list->last_error, rc, "%s: %s", source, padlock_strerror(rc));
        while (list->num > start) {
            padlock_cert_free(list->certs[--list->num]);
        }
    }
    return rc;
}

padlock_err padlock_cert_list_add_file(padlock_cert_list *list, const char *path) {
    PL_CHECK(list != NULL && path != NULL, PADLOCK_E_INVALID_ARGUMENT);
    pl_errinfo_cleanup(&list->last_error);
    uint8_t *data;
    size_t len;
    PL_TRY(pl_file_read(path, &data, &len, &list->last_error));
    padlock_err rc = pl_list_add(list, data, len, path);
    pl_free(data);
    return rc;
}

padlock_err padlock_cert_list_add_mem(padlock_cert_list *list, const uint8_t *data, size_t len) {
    PL_CHECK(list != NULL && (data != NULL || len == 0), PADLOCK_E_INVALID_ARGUMENT);
    pl_errinfo_cleanup(&list->last_error);
    return pl_list_add(list, data, len, "memory");
}

size_t padlock_cert_list_count(const padlock_cert_list *list) {
    return list->num;
}

const padlock_cert *padlock_cert_list_get(const padlock_cert_list *list, size_t i) {
    return i < list->num ? list->certs[i] : NULL;
}

const char *padlock_cert_list_last_error(const padlock_cert_list *list) {
    return list->last_error.code == PADLOCK_OK ? NULL : pl_errinfo_message(&list->last_error);
}
