/* Public chain verification (padlock_cert_verify): translates options and objects to the
 * internal verifier (verify.c) and keeps the verdict, message and path in a result object.
 * The current time is read here, at the API edge, never inside the verifier. */
#include <string.h>
#include <time.h>

#include "util/mem.h"
#include "x509/api.h"
#include "x509/verify.h"

struct padlock_verify_result {
    padlock_err code;
    pl_errinfo detail;
    padlock_cert_list *path;
};

void padlock_verify_result_free(padlock_verify_result *result) {
    if (result == NULL) {
        return;
    }
    pl_errinfo_cleanup(&result->detail);
    padlock_cert_list_free(result->path);
    pl_free(result);
}

padlock_err padlock_verify_result_code(const padlock_verify_result *result) {
    return result->code;
}

const char *padlock_verify_result_message(const padlock_verify_result *result) {
    return result->code == PADLOCK_OK ? "ok" : pl_errinfo_message(&result->detail);
}

const padlock_cert_list *padlock_verify_result_path(const padlock_verify_result *result) {
    return result->path;
}

/* Copies the validated path into list. */
static padlock_err pl_path_to_list(const pl_x509_path *path, padlock_cert_list *list) {
    for (size_t i = 0; i < path->len; i++) {
        padlock_cert *c;
        PL_TRY(padlock_cert_from_der(path->certs[i].der.p, path->certs[i].der.len, &c));
        PL_TRY(pl_api_list_append(list, c));
    }
    return PADLOCK_OK;
}

static padlock_err pl_verify(const padlock_trust_store *roots, const padlock_cert *leaf,
                             const padlock_cert_list *intermediates,
                             const padlock_verify_opts *opts, padlock_verify_result *r) {
    static const padlock_verify_opts defaults = {0};
    if (opts == NULL) {
        opts = &defaults;
    }
    pl_x509_peer peer;
    pl_x509_verify_params params;
    memset(&params, 0, sizeof(params));
    params.store = roots->store;
    params.now = opts->time != 0 ? opts->time : (int64_t)time(NULL);
    switch (opts->purpose) {
    case PADLOCK_PURPOSE_SERVER: params.purpose = PL_X509_PURPOSE_SERVER_AUTH; break;
    case PADLOCK_PURPOSE_CLIENT: params.purpose = PL_X509_PURPOSE_CLIENT_AUTH; break;
    case PADLOCK_PURPOSE_ANY: params.purpose = PL_X509_PURPOSE_ANY; break;
    default:
        return pl_errinfo_set(&r->detail, PADLOCK_E_INVALID_ARGUMENT, "unknown purpose %d",
                              (int)opts->purpose);
    }
    if (opts->peer_name != NULL) {
        if (pl_x509_peer_parse(opts->peer_name, &peer) != PADLOCK_OK) {
            return pl_errinfo_set(&r->detail, PADLOCK_E_INVALID_ARGUMENT,
                                  "\"%s\" is neither a valid DNS name nor an IP address",
                                  opts->peer_name);
        }
        params.peer = &peer;
    }
    if (opts->crls != NULL) {
        params.crls = &opts->crls->set;
    }
    if (opts->max_intermediates > PL_X509_MAX_INTERMEDIATES) {
        return pl_errinfo_set(&r->detail, PADLOCK_E_INVALID_ARGUMENT,
                              "max_intermediates %u exceeds %d", opts->max_intermediates,
                              PL_X509_MAX_INTERMEDIATES);
    }
    params.max_intermediates = (uint8_t)opts->max_intermediates;

    size_t num = 1 + (intermediates != NULL ? intermediates->num : 0);
    if (num > PL_X509_MAX_CHAIN) {
        return pl_errinfo_set(&r->detail, PADLOCK_E_CERT_CHAIN_TOO_LONG,
                              "%zu certificates given; at most %d are accepted", num,
                              PL_X509_MAX_CHAIN);
    }
    pl_span chain[PL_X509_MAX_CHAIN];
    chain[0].p = leaf->der;
    chain[0].len = leaf->der_len;
    for (size_t i = 1; i < num; i++) {
        chain[i].p = intermediates->certs[i - 1]->der;
        chain[i].len = intermediates->certs[i - 1]->der_len;
    }
    pl_x509_path *path;
    PL_TRY(pl_x509_verify(&params, chain, num, &path, &r->detail));
    padlock_err rc = pl_path_to_list(path, r->path);
    pl_x509_path_free(path);
    return rc;
}

padlock_err padlock_cert_verify(const padlock_trust_store *roots, const padlock_cert *leaf,
                                const padlock_cert_list *intermediates,
                                const padlock_verify_opts *opts,
                                padlock_verify_result **out_result) {
    if (out_result != NULL) {
        *out_result = NULL;
    }
    PL_CHECK(roots != NULL && leaf != NULL, PADLOCK_E_INVALID_ARGUMENT);
    padlock_verify_result *r = pl_calloc(1, sizeof(*r));
    PL_CHECK(r != NULL, PADLOCK_E_NO_MEMORY);
    pl_errinfo_init(&r->detail);
    padlock_err rc = padlock_cert_list_new(&r->path);
    if (rc == PADLOCK_OK) {
        rc = pl_verify(roots, leaf, intermediates, opts, r);
    }
    if (rc != PADLOCK_OK && r->path != NULL) {
        /* On failure the path is empty. */
        while (r->path->num > 0) {
            padlock_cert_free(r->path->certs[--r->path->num]);
        }
    }
    r->code = rc;
    if (out_result != NULL && r->path != NULL) {
        *out_result = r;
    } else {
        padlock_verify_result_free(r);
    }
    return rc;
}
