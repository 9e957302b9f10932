/* Public private-key objects (padlock/x509.h): generation, loading from PEM or DER (RFC 7468
 * §10, RFC 5958, RFC 5915, RFC 8017), PKCS #8 PEM files written owner-only, and matching a key
 * with a certificate. */
#include <string.h>

#include "crypto/crypto.h"
#include "util/file.h"
#include "util/mem.h"
#include "x509/api.h"
#include "x509/credential.h"

/* Wraps a loaded or generated key (taking it; freed on failure). */
static padlock_err pl_key_adopt(pl_privkey *key, padlock_key **out) {
    padlock_key *k = pl_calloc(1, sizeof(*k));
    if (k == NULL) {
        pl_privkey_free(key);
        return PADLOCK_E_NO_MEMORY;
    }
    k->key = key;
    padlock_err rc = pl_privkey_spki(key, &k->spki, &k->spki_len);
    if (rc != PADLOCK_OK) {
        padlock_key_free(k);
        return rc;
    }
    *out = k;
    return PADLOCK_OK;
}

padlock_err padlock_key_generate(padlock_key_type type, unsigned rsa_bits, padlock_key **out) {
    PL_CHECK(out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    *out = NULL;
    pl_key_type internal;
    switch (type) {
    case PADLOCK_KEY_EC_P256: internal = PL_KEY_EC_P256; break;
    case PADLOCK_KEY_EC_P384: internal = PL_KEY_EC_P384; break;
    case PADLOCK_KEY_EC_P521: internal = PL_KEY_EC_P521; break;
    case PADLOCK_KEY_ED25519: internal = PL_KEY_ED25519; break;
    case PADLOCK_KEY_RSA: internal = PL_KEY_RSA; break;
    default: return PADLOCK_E_INVALID_ARGUMENT;
    }
    PL_CHECK((internal == PL_KEY_RSA) == (rsa_bits != 0), PADLOCK_E_INVALID_ARGUMENT);
    pl_privkey *key;
    PL_TRY(pl_privkey_generate(internal, rsa_bits, &key));
    return pl_key_adopt(key, out);
}

padlock_err padlock_key_from_mem(const uint8_t *data, size_t len, padlock_key **out) {
    PL_CHECK(out != NULL && (data != NULL || len == 0), PADLOCK_E_INVALID_ARGUMENT);
    *out = NULL;
    pl_privkey *key;
    PL_TRY(pl_privkey_load(len == 0 ? (const uint8_t *)"" : data, len, &key));
    return pl_key_adopt(key, out);
}

padlock_err padlock_key_from_file(const char *path, padlock_key **out) {
    PL_CHECK(path != NULL && out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    *out = NULL;
    uint8_t *data;
    size_t len;
    PL_TRY(pl_file_read(path, &data, &len, NULL));
    padlock_err rc = padlock_key_from_mem(data, len, out);
    pl_free_secret(data);
    return rc;
}

void padlock_key_free(padlock_key *key) {
    if (key == NULL) {
        return;
    }
    pl_privkey_free(key->key);
    pl_free(key->spki);
    pl_free(key);
}

padlock_key_type padlock_key_algorithm(const padlock_key *key) {
    return pl_api_key_type(pl_privkey_type(key->key));
}

unsigned padlock_key_bits(const padlock_key *key) {
    return pl_privkey_bits(key->key);
}

const uint8_t *padlock_key_public_der(const padlock_key *key, size_t *out_len) {
    *out_len = key->spki_len;
    return key->spki;
}

padlock_err padlock_cert_check_key(const padlock_cert *cert, const padlock_key *key) {
    PL_CHECK(cert != NULL && key != NULL, PADLOCK_E_INVALID_ARGUMENT);
    return pl_x509_key_matches(&cert->parsed.key, key->key);
}

padlock_err padlock_key_write_file(const padlock_key *key, const char *path, unsigned flags) {
    PL_CHECK(key != NULL, PADLOCK_E_INVALID_ARGUMENT);
    uint8_t *der;
    size_t der_len;
    PL_TRY(pl_privkey_pkcs8(key->key, &der, &der_len));
    /* Owner read/write only, from creation on (pl_file_write creates with this mode). */
    padlock_err rc = pl_api_write_pem(path, "PRIVATE KEY", der, der_len, 0600, flags, 1);
    pl_free_secret(der);
    return rc;
}
