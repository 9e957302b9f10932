/* Loading a private key from a file's contents: PEM (RFC 7468 §10 "PRIVATE KEY", §11
 * "ENCRYPTED PRIVATE KEY", and the legacy "RSA/EC PRIVATE KEY" labels) or DER, with an error
 * that says what the file is when it is not a key padlock can use. */
#include <string.h>

#include "crypto/crypto.h"
#include "util/mem.h"
#include "wire/pem.h"

/* What a PEM label says about the block. */
typedef enum pl_key_label {
    PL_LABEL_OTHER,       /* not a private key: a certificate, parameters, a public key */
    PL_LABEL_KEY,         /* a key container padlock decodes; *format says which */
    PL_LABEL_ENCRYPTED,   /* RFC 7468 §11 */
    PL_LABEL_UNSUPPORTED, /* a private key of another kind, e.g. "DSA PRIVATE KEY" */
} pl_key_label;

static pl_key_label pl_classify_label(const char *label, pl_privkey_format *format) {
    static const char suffix[] = "PRIVATE KEY";
    size_t len = strlen(label);
    size_t slen = sizeof(suffix) - 1;
    if (strcmp(label, "PRIVATE KEY") == 0) {
        *format = PL_PRIVKEY_PKCS8;
        return PL_LABEL_KEY;
    }
    if (strcmp(label, "EC PRIVATE KEY") == 0) {
        *format = PL_PRIVKEY_SEC1;
        return PL_LABEL_KEY;
    }
    if (strcmp(label, "RSA PRIVATE KEY") == 0) {
        *format = PL_PRIVKEY_PKCS1;
        return PL_LABEL_KEY;
    }
    if (strcmp(label, "ENCRYPTED PRIVATE KEY") == 0) {
        return PL_LABEL_ENCRYPTED;
    }
    if (len > slen && strcmp(label + len - slen, suffix) == 0) {
        return PL_LABEL_UNSUPPORTED;
    }
    return PL_LABEL_OTHER;
}

/* The first private key block of a PEM text; blocks of other kinds (certificates, "EC
 * PARAMETERS" that `openssl ecparam -genkey` writes first) are skipped. */
static padlock_err pl_privkey_load_pem(const uint8_t *data, size_t len, pl_privkey **out) {
    size_t pos = 0;
    for (;;) {
        pl_pem_block block;
        int found;
        PL_TRY(pl_pem_next((const char *)data, len, &pos, &block, &found));
        /* RFC 7468 §2: text outside blocks is ignored, so a file without a key block is a
         * file of something else. */
        PL_CHECK(found, PADLOCK_E_KEY_UNSUPPORTED);
        pl_privkey_format format = PL_PRIVKEY_ANY;
        pl_key_label kind = pl_classify_label(block.label, &format);
        padlock_err err = PADLOCK_OK;
        if (kind == PL_LABEL_ENCRYPTED || (kind == PL_LABEL_KEY && block.has_headers)) {
            /* RFC 1421 headers on a key ("Proc-Type: 4,ENCRYPTED") mean legacy encryption. */
            err = PADLOCK_E_KEY_ENCRYPTED;
        } else if (kind == PL_LABEL_UNSUPPORTED) {
            err = PADLOCK_E_KEY_UNSUPPORTED;
        } else if (kind == PL_LABEL_KEY) {
            err = pl_privkey_from_der(block.der, block.der_len, format, out);
        }
        pl_free_secret(block.der); /* the whole decode buffer held key bytes */
        block.der = NULL;
        if (kind != PL_LABEL_OTHER) {
            return err;
        }
    }
}

padlock_err pl_privkey_load(const uint8_t *data, size_t len, pl_privkey **out) {
    PL_CHECK(data != NULL && out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    if (pl_pem_looks_like_pem(data, len)) {
        return pl_privkey_load_pem(data, len, out);
    }
    return pl_privkey_from_der(data, len, PL_PRIVKEY_ANY, out);
}
