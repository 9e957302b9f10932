/* Fuzz target: trust-store loading (padlock_trust_store_add_mem: a PEM bundle of "CERTIFICATE"
 * blocks, RFC 7468 §5, or one DER certificate, RFC 5280 §4.1) in two calls, the input split at
 * the offset its first two bytes give. Each call is all-or-nothing: a failed one leaves the
 * store as it was and says why; every certificate kept is found again by its subject. Seeds:
 * bundles padlock wrote (tests/unit/test_fuzz_state_seeds.c, PL_UPDATE_SEEDS=1). */
#include <stddef.h>
#include <stdint.h>

#include "conn_driver.h"
#include "padlock/x509.h"
#include "x509/api.h"
#include "x509/cert.h"
#include "x509/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Adds part to store and checks the call's all-or-nothing contract. */
static void pl_fuzz_add(padlock_trust_store *store, const uint8_t *part, size_t len) {
    size_t before = padlock_trust_store_count(store);
    padlock_err rc = padlock_trust_store_add_mem(store, part, len);
    if (rc != PADLOCK_OK) {
        PL_FUZZ_CHECK(padlock_trust_store_count(store) == before);
        const char *msg = padlock_trust_store_last_error(store);
        PL_FUZZ_CHECK(msg != NULL && msg[0] != '\0');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t split;
    if (!pl_fuzz_split(&data, &size, &split)) {
        return 0;
    }
    padlock_trust_store *store;
    if (padlock_trust_store_new(&store) != PADLOCK_OK) {
        return 0;
    }
    pl_fuzz_add(store, data, split);
    pl_fuzz_add(store, data + split, size - split);
    /* Every certificate held parses and is found by its subject, as path building looks. */
    size_t n = pl_x509_store_count(store->store);
    PL_FUZZ_CHECK(n == padlock_trust_store_count(store));
    for (size_t i = 0; i < n; i++) {
        pl_span der = pl_x509_store_der(store->store, i);
        pl_x509_cert cert;
        PL_FUZZ_CHECK(pl_x509_cert_parse(&cert, der.p, der.len, NULL) == PADLOCK_OK);
        PL_FUZZ_CHECK(pl_x509_store_contains(store->store, cert.subject, der));
    }
    padlock_trust_store_free(store);
    return 0;
}
