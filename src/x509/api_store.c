/* Public trust stores and CRL sets (padlock/x509.h) over the internal store (store.c) and CRL
 * sets (crl.c), each keeping the message of its last failed load. */
#include "util/mem.h"
#include "wire/pem.h"
#include "x509/api.h"

padlock_err padlock_trust_store_new(padlock_trust_store **out) {
    PL_CHECK(out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    padlock_trust_store *s = pl_calloc(1, sizeof(*s));
    PL_CHECK(s != NULL, PADLOCK_E_NO_MEMORY);
    pl_errinfo_init(&s->last_error);
    padlock_err rc = pl_x509_store_new(&s->store);
    if (rc != PADLOCK_OK) {
        pl_free(s);
        return rc;
    }
    *out = s;
    return PADLOCK_OK;
}

void padlock_trust_store_free(padlock_trust_store *store) {
    if (store == NULL) {
        return;
    }
    pl_x509_store_free(store->store);
    pl_errinfo_cleanup(&store->last_error);
    pl_free(store);
}

padlock_err padlock_trust_store_add_file(padlock_trust_store *store, const char *path) {
    PL_CHECK(store != NULL && path != NULL, PADLOCK_E_INVALID_ARGUMENT);
    pl_errinfo_cleanup(&store->last_error);
    return pl_x509_store_add_file(store->store, path, &store->last_error);
}

padlock_err padlock_trust_store_add_dir(padlock_trust_store *store, const char *path) {
    PL_CHECK(store != NULL && path != NULL, PADLOCK_E_INVALID_ARGUMENT);
    pl_errinfo_cleanup(&store->last_error);
    return pl_x509_store_add_dir(store->store, path, &store->last_error);
}

padlock_err padlock_trust_store_add_mem(padlock_trust_store *store, const uint8_t *data,
                                        size_t len) {
    PL_CHECK(store != NULL && (data != NULL || len == 0), PADLOCK_E_INVALID_ARGUMENT);
    pl_errinfo_cleanup(&store->last_error);
    if (pl_pem_looks_like_pem(data, len)) {
        return pl_x509_store_add_pem(store->store, (const char *)data, len, "memory",
                                     &store->last_error);
    }
    return pl_x509_store_add_der(store->store, data, len, &store->last_error);
}

padlock_err padlock_trust_store_add_system(padlock_trust_store *store) {
    PL_CHECK(store != NULL, PADLOCK_E_INVALID_ARGUMENT);
    pl_errinfo_cleanup(&store->last_error);
    return pl_x509_store_add_system(store->store, &store->last_error);
}

padlock_err padlock_trust_store_set_verify_cache(padlock_trust_store *store, size_t entries) {
    PL_CHECK(store != NULL && entries <= 4096, PADLOCK_E_INVALID_ARGUMENT);
    return pl_x509_store_set_cache(store->store, entries);
}

size_t padlock_trust_store_count(const padlock_trust_store *store) {
    return pl_x509_store_count(store->store);
}

const char *padlock_trust_store_last_error(const padlock_trust_store *store) {
    return store->last_error.code == PADLOCK_OK ? NULL : pl_errinfo_message(&store->last_error);
}

padlock_err padlock_crl_set_new(padlock_crl_set **out) {
    PL_CHECK(out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    padlock_crl_set *c = pl_calloc(1, sizeof(*c));
    PL_CHECK(c != NULL, PADLOCK_E_NO_MEMORY);
    pl_x509_crl_set_init(&c->set);
    pl_errinfo_init(&c->last_error);
    *out = c;
    return PADLOCK_OK;
}

void padlock_crl_set_free(padlock_crl_set *crls) {
    if (crls == NULL) {
        return;
    }
    pl_x509_crl_set_cleanup(&crls->set);
    pl_errinfo_cleanup(&crls->last_error);
    pl_free(crls);
}

padlock_err padlock_crl_set_add_file(padlock_crl_set *crls, const char *path) {
    PL_CHECK(crls != NULL && path != NULL, PADLOCK_E_INVALID_ARGUMENT);
    pl_errinfo_cleanup(&crls->last_error);
    return pl_x509_crl_set_add_file(&crls->set, path, &crls->last_error);
}

padlock_err padlock_crl_set_add_mem(padlock_crl_set *crls, const uint8_t *data, size_t len) {
    PL_CHECK(crls != NULL && (data != NULL || len == 0), PADLOCK_E_INVALID_ARGUMENT);
    pl_errinfo_cleanup(&crls->last_error);
    return pl_x509_crl_set_add(&crls->set, data, len, "memory", &crls->last_error);
}

size_t padlock_crl_set_count(const padlock_crl_set *crls) {
    return crls->set.num;
}

const char *padlock_crl_set_last_error(const padlock_crl_set *crls) {
    return crls->last_error.code == PADLOCK_OK ? NULL : pl_errinfo_message(&crls->last_error);
}
