/* PEM files for the public API (RFC 7468): walking every block of a file in order, and
 * writing one block to a new file, shared by the certificate, request and key writers. */
#include "util/file.h"
#include "util/mem.h"
#include "wire/pem.h"
#include "x509/api.h"

padlock_err pl_api_write_pem(const char *path, const char *label, const uint8_t *der,
                             size_t der_len, unsigned mode, unsigned flags, int secret) {
    PL_CHECK(path != NULL, PADLOCK_E_INVALID_ARGUMENT);
    char *pem;
    size_t pem_len;
    PL_TRY(pl_pem_encode(label, der, der_len, &pem, &pem_len));
    padlock_err rc = pl_file_write(path, pem, pem_len, mode, (flags & PADLOCK_WRITE_REPLACE) != 0);
    if (secret) {
        pl_free_secret(pem);
    } else {
        pl_free(pem);
    }
    return rc;
}

/* Calls fn for every block of PEM text; *count gets the blocks passed. */
static padlock_err pl_walk_pem(const uint8_t *data, size_t len, padlock_pem_fn fn, void *ctx,
                               size_t *count) {
    size_t pos = 0;
    for (;;) {
        pl_pem_block b;
        int found;
        PL_TRY(pl_pem_next((const char *)data, len, &pos, &b, &found));
        if (!found) {
            return PADLOCK_OK;
        }
        int stop = fn(ctx, b.label, b.der, b.der_len);
        (*count)++;
        /* The block may be a private key. */
        pl_free_secret(b.der);
        if (stop) {
            return PADLOCK_OK;
        }
    }
}

padlock_err padlock_pem_read_file(const char *path, padlock_pem_fn fn, void *ctx,
                                  size_t *out_count) {
    PL_CHECK(path != NULL && fn != NULL, PADLOCK_E_INVALID_ARGUMENT);
    size_t count = 0;
    uint8_t *data;
    size_t len;
    padlock_err rc = pl_file_read(path, &data, &len, NULL);
    if (rc == PADLOCK_OK) {
        if (pl_pem_looks_like_pem(data, len)) {
            rc = pl_walk_pem(data, len, fn, ctx, &count);
        } else {
            fn(ctx, NULL, data, len);
            count = 1;
        }
        pl_free_secret(data);
    }
    if (out_count != NULL) {
        *out_count = count;
    }
    return rc;
}
