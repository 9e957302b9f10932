/* Depth-first path building: candidate issuers by name (RFC 5280 §4.1.2.4), ordered by key
 * identifiers (§4.2.1.1: the AKI "facilitates chain building") and validity; trust anchors
 * first, so the shortest path to a root is tried before longer ones. */
#include "x509/path_build.h"

#include <stdio.h>
#include <string.h>

#include "util/mem.h"
#include "x509/name.h"

/* Issuer candidates of one certificate considered at one step. */
#define PL_X509_MAX_CANDIDATES 16

padlock_err pl_x509_builder_init(pl_x509_builder *b, const pl_x509_verify_params *params,
                                 const pl_span *chain, size_t num_chain, pl_errinfo *err) {
    memset(b, 0, sizeof(*b));
    pl_errinfo_init(&b->first_err);
    b->params = params;
    b->max_intermediates = params->max_intermediates != 0 ? params->max_intermediates
                                                          : PL_X509_DEFAULT_MAX_INTERMEDIATES;
    if (b->max_intermediates > PL_X509_MAX_INTERMEDIATES) {
        b->max_intermediates = PL_X509_MAX_INTERMEDIATES;
    }
    if (num_chain == 0) {
        return err == NULL ? PADLOCK_E_CERT_MISSING
                           : pl_errinfo_set(err, PADLOCK_E_CERT_MISSING, "no certificate given");
    }
    if (num_chain > PL_X509_MAX_CHAIN) {
        return err == NULL ? PADLOCK_E_CERT_CHAIN_TOO_LONG
                           : pl_errinfo_set(err, PADLOCK_E_CERT_CHAIN_TOO_LONG,
                                            "%zu certificates in the chain; at most %d are "
                                            "accepted",
                                            num_chain, PL_X509_MAX_CHAIN);
    }
    /* Room for the chain and PL_X509_INITIAL_ANCHORS anchors (a parsed certificate is ~400
     * bytes); pl_anchor_entry grows it for stores with many candidate issuers. */
    b->cap = num_chain + PL_X509_INITIAL_ANCHORS;
    b->certs = pl_calloc(b->cap, sizeof(*b->certs));
    b->store_index = pl_calloc(b->cap, sizeof(*b->store_index));
    b->duplicate = pl_calloc(num_chain, 1);
    PL_CHECK(b->certs != NULL && b->store_index != NULL && b->duplicate != NULL,
             PADLOCK_E_NO_MEMORY);
    for (size_t i = 0; i < num_chain; i++) {
        const char *field;
        if (pl_x509_cert_parse(&b->certs[i], chain[i].p, chain[i].len, &field) != PADLOCK_OK) {
            if (err == NULL) {
                return PADLOCK_E_CERT_PARSE;
            }
            return i == 0 ? pl_errinfo_set(err, PADLOCK_E_CERT_PARSE,
                                           "the leaf certificate is malformed (%s)", field)
                          : pl_errinfo_set(err, PADLOCK_E_CERT_PARSE,
                                           "certificate %zu of the chain is malformed (%s)", i + 1,
                                           field);
        }
        b->store_index[i] = UINT32_MAX;
        for (size_t j = 0; j < i; j++) {
            if (pl_span_equal(b->certs[j].der, b->certs[i].der)) {
                b->duplicate[i] = 1;
                break;
            }
        }
    }
    b->num_chain = num_chain;
    b->num = num_chain;
    return PADLOCK_OK;
}

void pl_x509_builder_cleanup(pl_x509_builder *b) {
    pl_free(b->certs);
    pl_free(b->store_index);
    pl_free(b->duplicate);
    pl_errinfo_cleanup(&b->first_err);
    b->certs = NULL;
    b->store_index = NULL;
    b->duplicate = NULL;
}

/* Makes room for more anchors, up to PL_X509_MAX_ANCHOR_CANDIDATES; PADLOCK_E_CERT_UNTRUSTED
 * once the budget is spent. Entries keep their index, not their address: the signature cache,
 * which is keyed by address, is emptied when the entries move. */
static padlock_err pl_builder_grow(pl_x509_builder *b) {
    size_t max = b->num_chain + PL_X509_MAX_ANCHOR_CANDIDATES;
    PL_CHECK(b->cap < max, PADLOCK_E_CERT_UNTRUSTED);
    size_t cap = b->cap * 2 < max ? b->cap * 2 : max;
    uint32_t *index = pl_realloc(b->store_index, cap * sizeof(*index));
    PL_CHECK(index != NULL, PADLOCK_E_NO_MEMORY);
    b->store_index = index;
    pl_x509_cert *certs = pl_realloc(b->certs, cap * sizeof(*certs));
    PL_CHECK(certs != NULL, PADLOCK_E_NO_MEMORY);
    if (certs != b->certs) {
        b->cache.num = 0;
    }
    b->certs = certs;
    b->cap = cap;
    return PADLOCK_OK;
}

/* The builder entry of store certificate si, parsing it on first use; SIZE_MAX if the anchor
 * budget is spent or it does not parse (impossible for a store that validated it). */
static size_t pl_anchor_entry(pl_x509_builder *b, size_t si) {
    for (size_t i = b->num_chain; i < b->num; i++) {
        if (b->store_index[i] == si) {
            return i;
        }
    }
    if (b->num == b->cap && pl_builder_grow(b) != PADLOCK_OK) {
        return SIZE_MAX;
    }
    pl_span der = pl_x509_store_der(b->params->store, si);
    if (pl_x509_cert_parse(&b->certs[b->num], der.p, der.len, NULL) != PADLOCK_OK) {
        return SIZE_MAX;
    }
    b->store_index[b->num] = (uint32_t)si;
    return b->num++;
}

/* 1 if c has the subject and key of a certificate already in the path (a loop; cross-signed
 * copies of one CA count as the same CA). */
static int pl_in_path(const pl_x509_builder *b, const size_t *path, size_t depth,
                      const pl_x509_cert *c) {
    for (size_t i = 0; i < depth; i++) {
        const pl_x509_cert *p = &b->certs[path[i]];
        if (pl_span_equal(p->subject, c->subject) && pl_span_equal(p->key.spki, c->key.spki)) {
            return 1;
        }
    }
    return 0;
}

/* Preference of issuer candidate x for child: key identifiers that match, then validity. */
static int pl_score(const pl_x509_builder *b, const pl_x509_cert *child, const pl_x509_cert *x) {
    int score = 0;
    if (child->aki_key_id.len == 0 || x->ski.len == 0) {
        score += 2;
    } else if (pl_span_equal(child->aki_key_id, x->ski)) {
        score += 4;
    }
    if (b->params->now >= x->not_before && b->params->now <= x->not_after) {
        score += 1;
    }
    return score;
}

typedef struct pl_candidate {
    size_t entry;
    int score;
} pl_candidate;

/* Adds entry to the candidate list, keeping it sorted by score (stable). */
static void pl_add_candidate(pl_candidate *list, size_t *num, size_t entry, int score) {
    if (*num == PL_X509_MAX_CANDIDATES) {
        return;
    }
    size_t at = *num;
    while (at > 0 && list[at - 1].score < score) {
        list[at] = list[at - 1];
        at--;
    }
    list[at].entry = entry;
    list[at].score = score;
    (*num)++;
}

/* Records a dead end at node, keeping the deepest one. */
static void pl_dead_end(pl_x509_builder *b, size_t node, size_t depth, int loop) {
    if (depth > b->dead_depth) {
        b->dead_depth = depth;
        b->dead_node = node;
        b->dead_loop = loop;
    }
}

/* Validates a complete candidate; PADLOCK_OK if it passes, PADLOCK_E_CERT_UNTRUSTED to keep
 * searching, or a fatal error. */
static padlock_err pl_try_path(pl_x509_builder *b, const size_t *path, size_t len) {
    const pl_x509_cert *certs[PL_X509_MAX_PATH];
    for (size_t i = 0; i < len; i++) {
        certs[i] = &b->certs[path[i]];
    }
    b->paths_tried++;
    pl_errinfo e;
    pl_errinfo_init(&e);
    padlock_err rc = pl_x509_path_validate(b->params, certs, len, &b->cache, &e);
    if (rc != PADLOCK_OK && e.code == PADLOCK_OK) {
        pl_errinfo_set(&e, rc, NULL); /* a failure without detail still has its code */
    }
    if (rc == PADLOCK_OK) {
        memcpy(b->path, path, len * sizeof(path[0]));
        b->path_len = len;
        return PADLOCK_OK;
    }
    if (b->first_failure == PADLOCK_OK) {
        b->first_failure = rc;
        b->first_err = e;
    } else {
        pl_errinfo_cleanup(&e);
    }
    if (rc == PADLOCK_E_NO_MEMORY || rc == PADLOCK_E_INTERNAL) {
        return rc;
    }
    return PADLOCK_E_CERT_UNTRUSTED;
}

/* Extends path[0..depth) (leaf first, no anchor yet) by every candidate issuer of its last
 * certificate. */
static padlock_err pl_extend(pl_x509_builder *b, size_t *path, size_t depth) {
    if (++b->steps > PL_X509_MAX_BUILD_STEPS || b->paths_tried >= PL_X509_MAX_PATHS_TRIED) {
        b->gave_up = 1;
        return PADLOCK_E_CERT_UNTRUSTED;
    }
    size_t node = path[depth - 1];
    /* Adding anchors may move the entries: the node is re-read by index after each. */
    const pl_span issuer = b->certs[node].issuer;
    pl_candidate anchors[PL_X509_MAX_CANDIDATES];
    pl_candidate inters[PL_X509_MAX_CANDIDATES];
    size_t num_anchors = 0;
    size_t num_inters = 0;
    int loop = 0;

    size_t iter = 0;
    size_t si;
    while (pl_x509_store_find(b->params->store, issuer, &iter, &si)) {
        size_t e = pl_anchor_entry(b, si);
        if (e == SIZE_MAX) {
            continue;
        }
        if (pl_in_path(b, path, depth, &b->certs[e])) {
            loop = 1;
            continue;
        }
        pl_add_candidate(anchors, &num_anchors, e, pl_score(b, &b->certs[node], &b->certs[e]));
    }
    const pl_x509_cert *c = &b->certs[node];
    for (size_t i = 1; i < b->num_chain; i++) {
        const pl_x509_cert *x = &b->certs[i];
        if (b->duplicate[i] || !pl_x509_name_equal(x->subject, c->issuer)) {
            continue;
        }
        if (pl_in_path(b, path, depth, x)) {
            loop = 1;
            continue;
        }
        pl_add_candidate(inters, &num_inters, i, pl_score(b, c, x));
    }
    if (num_anchors == 0 && num_inters == 0) {
        pl_dead_end(b, node, depth, loop);
        return PADLOCK_E_CERT_UNTRUSTED;
    }
    for (size_t i = 0; i < num_anchors; i++) {
        path[depth] = anchors[i].entry;
        padlock_err rc = pl_try_path(b, path, depth + 1);
        if (rc != PADLOCK_E_CERT_UNTRUSTED) {
            return rc;
        }
    }
    for (size_t i = 0; i < num_inters && !b->gave_up; i++) {
        /* depth certificates are in the path; the candidate would be intermediate number
         * depth. */
        if (depth > b->max_intermediates) {
            b->hit_depth_limit = 1;
            break;
        }
        path[depth] = inters[i].entry;
        padlock_err rc = pl_extend(b, path, depth + 1);
        if (rc != PADLOCK_E_CERT_UNTRUSTED) {
            return rc;
        }
    }
    return PADLOCK_E_CERT_UNTRUSTED;
}

/* The refusal when no complete candidate path was found. */
static padlock_err pl_report_no_path(pl_x509_builder *b, pl_errinfo *err) {
    if (b->hit_depth_limit) {
        char leaf[PL_X509_NAME_BUF];
        pl_x509_cert_label(&b->certs[0], leaf, sizeof(leaf));
        return err == NULL ? PADLOCK_E_CERT_CHAIN_TOO_LONG
                           : pl_errinfo_set(err, PADLOCK_E_CERT_CHAIN_TOO_LONG,
                                            "no path from \"%s\" to a trusted root within %u "
                                            "intermediate certificates",
                                            leaf, (unsigned)b->max_intermediates);
    }
    if (err == NULL) {
        return PADLOCK_E_CERT_UNTRUSTED;
    }
    if (b->gave_up || b->dead_depth == 0) {
        return pl_errinfo_set(err, PADLOCK_E_CERT_UNTRUSTED,
                              "no trusted root: gave up after %u search steps", b->steps);
    }
    const pl_x509_cert *c = &b->certs[b->dead_node];
    char label[PL_X509_NAME_BUF];
    char issuer[PL_X509_NAME_BUF];
    pl_x509_cert_label(c, label, sizeof(label));
    pl_x509_name_format(c->issuer, issuer, sizeof(issuer));
    if (pl_x509_cert_is_self_issued(c)) {
        return pl_errinfo_set(err, PADLOCK_E_CERT_UNTRUSTED,
                              "no trusted root: certificate \"%s\" is self-signed and not in the "
                              "trust store",
                              label);
    }
    if (b->dead_loop) {
        return pl_errinfo_set(err, PADLOCK_E_CERT_UNTRUSTED,
                              "no trusted root: issuer \"%s\" of \"%s\" only leads back into the "
                              "chain (a loop)",
                              issuer, label);
    }
    return pl_errinfo_set(err, PADLOCK_E_CERT_UNTRUSTED,
                          "no trusted root: issuer \"%s\" of \"%s\" not found", issuer, label);
}

padlock_err pl_x509_path_build(pl_x509_builder *b, pl_errinfo *err) {
    size_t path[PL_X509_MAX_PATH];
    path[0] = 0;
    /* A leaf that is itself a trust anchor (a pinned self-signed certificate) forms a path of
     * one. */
    if (pl_x509_store_contains(b->params->store, b->certs[0].subject, b->certs[0].der)) {
        padlock_err rc = pl_try_path(b, path, 1);
        if (rc != PADLOCK_E_CERT_UNTRUSTED) {
            return rc;
        }
    }
    padlock_err rc = pl_extend(b, path, 1);
    if (rc != PADLOCK_E_CERT_UNTRUSTED) {
        return rc;
    }
    if (b->first_failure != PADLOCK_OK) {
        if (err != NULL) {
            pl_errinfo_set(err, b->first_failure, "%s", pl_errinfo_message(&b->first_err));
        }
        return b->first_failure;
    }
    return pl_report_no_path(b, err);
}
