/* Fuzz target: an endpoint's credential from the two files a configuration is given (a PEM
 * chain, leaf first, RFC 7468 §5 and RFC 8446 §4.4.2; the leaf's private key in any form
 * pl_privkey_load takes), as pl_x509_credential_from_pem reads them. The input is split at the
 * offset its first two bytes give: chain, then key. A credential accepted has a parsed leaf and
 * the key that matches it; a refusal says why. Seeds: chains and keys padlock issued
 * (tests/unit/test_fuzz_state_seeds.c, PL_UPDATE_SEEDS=1). */
#include <stddef.h>
#include <stdint.h>

#include "conn_driver.h"
#include "x509/credential.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t split;
    if (!pl_fuzz_split(&data, &size, &split)) {
        return 0;
    }
    pl_x509_credential cred;
    pl_errinfo err;
    pl_errinfo_init(&err);
    padlock_err rc = pl_x509_credential_from_pem(&cred, (const char *)data, split, data + split,
                                                 size - split, &err);
    if (rc == PADLOCK_OK) {
        PL_FUZZ_CHECK(cred.num_certs >= 1 && cred.num_certs <= PL_X509_MAX_CREDENTIAL_CHAIN &&
                      cred.key != NULL);
        PL_FUZZ_CHECK(pl_x509_key_matches(&cred.leaf.key, cred.key) == PADLOCK_OK);
        pl_x509_credential_cleanup(&cred);
    } else {
        PL_FUZZ_CHECK(err.code == rc && err.detail != NULL && err.detail[0] != '\0');
    }
    pl_errinfo_cleanup(&err);
    return 0;
}
