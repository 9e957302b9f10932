/* Fuzz target: path building and validation from a fuzzed chain. The input is a list of
 * certificates, each prefixed by a 2-byte big-endian length: the first is the trust anchor,
 * the second the leaf, the rest untrusted intermediates. Signatures are accepted without
 * checking (fuzzed certificates carry none that verify), so that name chaining, loops, limits,
 * and every policy step after the signature check are reached. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "x509/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static padlock_err pl_accept_all(const pl_sig_params *params, const uint8_t *spki, size_t spki_len,
                                 const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                                 size_t sig_len) {
    (void)params;
    (void)spki;
    (void)spki_len;
    (void)msg;
    (void)msg_len;
    (void)sig;
    (void)sig_len;
    return PADLOCK_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_span certs[PL_X509_MAX_CHAIN + 1];
    size_t n = 0;
    pl_cur c;
    pl_cur_init(&c, data, size);
    while (n < PL_X509_MAX_CHAIN + 1 && pl_cur_left(&c) >= 2) {
        pl_cur item;
        if (pl_cur_vec16(&c, 1, 65535, &item) != PADLOCK_OK) {
            break;
        }
        certs[n].p = item.p;
        certs[n].len = pl_cur_left(&item);
        n++;
    }
    if (n < 2) {
        return 0;
    }
    pl_x509_store *store;
    if (pl_x509_store_new(&store) != PADLOCK_OK) {
        return 0;
    }
    if (pl_x509_store_add_der(store, certs[0].p, certs[0].len, NULL) == PADLOCK_OK) {
        pl_x509_peer peer;
        pl_x509_verify_params p;
        memset(&p, 0, sizeof(p));
        p.store = store;
        p.now = 1893456000; /* 2030-01-01 */
        p.purpose = (pl_x509_purpose)(data[0] % 3);
        p.peer = pl_x509_peer_parse("api.example.com", &peer) == PADLOCK_OK ? &peer : NULL;
        p.sig_verify = pl_accept_all;
        pl_errinfo err;
        pl_errinfo_init(&err);
        pl_x509_path *path = NULL;
        padlock_err rc = pl_x509_verify(&p, certs + 1, n - 1, &path, &err);
        /* A verdict is a path or a reason, never both. */
        if ((rc == PADLOCK_OK) != (path != NULL) || (rc != PADLOCK_OK && err.code != rc)) {
            __builtin_trap();
        }
        if (path != NULL && (path->len < 1 || path->len > PL_X509_MAX_PATH)) {
            __builtin_trap();
        }
        pl_x509_path_free(path);
        pl_errinfo_cleanup(&err);
    }
    pl_x509_store_free(store);
    return 0;
}
