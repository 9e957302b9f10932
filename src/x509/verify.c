/* Chain verification entry point: build and validate a path (RFC 5280 §6.1), then check the
 * peer identity (RFC 6125 §6), and hand back the validated path. */
#include "x509/verify.h"

#include <string.h>

#include "util/mem.h"
#include "x509/path_build.h"

void pl_x509_path_free(pl_x509_path *path) {
    pl_free(path);
}

padlock_err pl_x509_verify(const pl_x509_verify_params *params, const pl_span *chain,
                           size_t num_chain, pl_x509_path **out_path, pl_errinfo *err) {
    if (out_path != NULL) {
        *out_path = NULL;
    }
    PL_CHECK(params != NULL && params->store != NULL && (chain != NULL || num_chain == 0),
             PADLOCK_E_INVALID_ARGUMENT);
    pl_x509_builder b;
    padlock_err rc = pl_x509_builder_init(&b, params, chain, num_chain, err);
    if (rc == PADLOCK_OK) {
        rc = pl_x509_path_build(&b, err);
    }
    if (rc == PADLOCK_OK && params->peer != NULL) {
        rc = pl_x509_check_peer(&b.certs[0], params->peer, err);
    }
    if (rc == PADLOCK_OK && out_path != NULL) {
        pl_x509_path *path = pl_malloc(sizeof(*path) + b.path_len * sizeof(path->certs[0]));
        if (path == NULL) {
            rc = PADLOCK_E_NO_MEMORY;
        } else {
            path->len = b.path_len;
            for (size_t i = 0; i < b.path_len; i++) {
                path->certs[i] = b.certs[b.path[i]];
            }
            *out_path = path;
        }
    }
    pl_x509_builder_cleanup(&b);
    if (rc != PADLOCK_OK && err != NULL && err->code == PADLOCK_OK) {
        pl_errinfo_set(err, rc, NULL); /* failures without a detail (out of memory) */
    }
    return rc;
}
