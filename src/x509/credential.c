/* Loading an endpoint's chain and key (RFC 8446 §4.4.2: the sender's certificate first) and
 * checking that the key belongs to the leaf. */
#include "x509/credential.h"

#include <string.h>

#include "util/file.h"
#include "util/mem.h"
#include "wire/pem.h"

void pl_x509_credential_cleanup(pl_x509_credential *c) {
    for (size_t i = 0; i < c->num_certs; i++) {
        pl_free(c->der[i]);
    }
    pl_privkey_free(c->key);
    memset(c, 0, sizeof(*c));
}

padlock_err pl_x509_key_matches(const pl_x509_pubkey *want, const pl_privkey *key) {
    uint8_t *spki;
    size_t spki_len;
    PL_TRY(pl_privkey_spki(key, &spki, &spki_len));
    pl_cur c;
    pl_cur_init(&c, spki, spki_len);
    pl_x509_pubkey pub;
    padlock_err rc = pl_x509_pubkey_read(&c, &pub);
    int same = rc == PADLOCK_OK && pub.type == want->type && pl_span_equal(pub.key, want->key);
    pl_free(spki);
    return same ? PADLOCK_OK : PADLOCK_E_KEY_MISMATCH;
}

int pl_x509_credential_covers(const pl_x509_credential *c, const pl_x509_peer *peer) {
    return pl_x509_check_peer(&c->leaf, peer, NULL) == PADLOCK_OK;
}

/* Appends the certificates of chain_pem to out. */
static padlock_err pl_read_chain(pl_x509_credential *out, const char *pem, size_t len,
                                 const char *source, pl_errinfo *err) {
    size_t pos = 0;
    for (;;) {
        pl_pem_block b;
        int found;
        padlock_err rc = pl_pem_next(pem, len, &pos, &b, &found);
        if (rc != PADLOCK_OK) {
            return err == NULL ? rc
                               : pl_errinfo_set(err, rc, "%s: malformed PEM after certificate %zu",
                                                source, out->num_certs);
        }
        if (!found) {
            break;
        }
        if (strcmp(b.label, "CERTIFICATE") != 0) {
            pl_pem_block_cleanup(&b);
            continue;
        }
        if (out->num_certs == PL_X509_MAX_CREDENTIAL_CHAIN) {
            pl_pem_block_cleanup(&b);
            return err == NULL ? PADLOCK_E_CERT_CHAIN_TOO_LONG
                               : pl_errinfo_set(err, PADLOCK_E_CERT_CHAIN_TOO_LONG,
                                                "%s: more than %d certificates", source,
                                                PL_X509_MAX_CREDENTIAL_CHAIN);
        }
        out->der[out->num_certs] = b.der;
        out->der_len[out->num_certs] = b.der_len;
        out->num_certs++;
        pl_x509_cert parsed;
        const char *field;
        if (pl_x509_cert_parse(&parsed, b.der, b.der_len, &field) != PADLOCK_OK) {
            return err == NULL ? PADLOCK_E_CERT_PARSE
                               : pl_errinfo_set(err, PADLOCK_E_CERT_PARSE,
                                                "%s: certificate %zu: malformed certificate (%s)",
                                                source, out->num_certs, field);
        }
        if (out->num_certs == 1) {
            out->leaf = parsed;
        }
    }
    if (out->num_certs == 0) {
        return err == NULL
                   ? PADLOCK_E_PEM
                   : pl_errinfo_set(err, PADLOCK_E_PEM, "%s: no PEM certificate found", source);
    }
    return PADLOCK_OK;
}

/* from_pem with names for messages. */
static padlock_err pl_credential(pl_x509_credential *out, const char *chain_pem, size_t chain_len,
                                 const char *chain_src, const uint8_t *key_data, size_t key_len,
                                 const char *key_src, pl_errinfo *err) {
    PL_TRY(pl_read_chain(out, chain_pem, chain_len, chain_src, err));
    char label[256];
    pl_x509_cert_label(&out->leaf, label, sizeof(label));
    if (out->leaf.key.type == PL_KEY_NONE) {
        return err == NULL ? PADLOCK_E_CERT_UNSUPPORTED
                           : pl_errinfo_set(err, PADLOCK_E_CERT_UNSUPPORTED,
                                            "%s: the key of certificate \"%s\" is of a type "
                                            "padlock does not support",
                                            chain_src, label);
    }
    padlock_err rc = pl_privkey_load(key_data, key_len, &out->key);
    if (rc != PADLOCK_OK) {
        return err == NULL ? rc
                           : pl_errinfo_set(err, rc, "%s: cannot load the private key: %s", key_src,
                                            padlock_strerror(rc));
    }
    rc = pl_x509_key_matches(&out->leaf.key, out->key);
    if (rc != PADLOCK_OK && err != NULL) {
        pl_errinfo_set(err, rc, "the private key in %s does not belong to certificate \"%s\" (%s)",
                       key_src, label, chain_src);
    }
    return rc;
}

padlock_err pl_x509_credential_from_pem(pl_x509_credential *out, const char *chain_pem,
                                        size_t chain_len, const uint8_t *key_data, size_t key_len,
                                        pl_errinfo *err) {
    memset(out, 0, sizeof(*out));
    padlock_err rc = pl_credential(out, chain_pem, chain_len, "certificate chain", key_data,
                                   key_len, "the key", err);
    if (rc != PADLOCK_OK) {
        pl_x509_credential_cleanup(out);
    }
    return rc;
}

padlock_err pl_x509_credential_load(pl_x509_credential *out, const char *chain_path,
                                    const char *key_path, pl_errinfo *err) {
    memset(out, 0, sizeof(*out));
    uint8_t *chain = NULL;
    uint8_t *key = NULL;
    size_t chain_len = 0;
    size_t key_len = 0;
    PL_TRY(pl_file_read(chain_path, &chain, &chain_len, err));
    padlock_err rc = pl_file_read(key_path, &key, &key_len, err);
    if (rc == PADLOCK_OK) {
        rc = pl_credential(out, (const char *)chain, chain_len, chain_path, key, key_len, key_path,
                           err);
    }
    pl_free(chain);
    pl_free_secret(key);
    if (rc != PADLOCK_OK) {
        pl_x509_credential_cleanup(out);
    }
    return rc;
}
