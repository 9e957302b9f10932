/* Path building (RFC 4158 in spirit): from the leaf, a depth-first search over issuers
 * chosen by name, trust anchors before untrusted intermediates, key identifier matches and
 * currently valid certificates first. Every complete candidate path is handed to
 * pl_x509_path_validate; a failing candidate makes the search try the alternatives
 * (cross-signed intermediates, re-keyed CAs of the same name). Loops are cut by never
 * repeating a (subject, public key) pair in one path; depth, candidate paths and search steps
 * are bounded. */
#ifndef PL_X509_PATH_BUILD_H
#define PL_X509_PATH_BUILD_H

#include "x509/path_verify.h"

/* Bounds on the work one verification may do (a hostile peer controls the chain). */
#define PL_X509_MAX_ANCHOR_CANDIDATES 16
/* Anchor entries a builder has room for before it grows: an issuer name rarely has two. */
#define PL_X509_INITIAL_ANCHORS 1
#define PL_X509_MAX_PATHS_TRIED 32
#define PL_X509_MAX_BUILD_STEPS 512

typedef struct pl_x509_builder {
    const pl_x509_verify_params *params;
    uint8_t max_intermediates;
    /* Certificates known to the search: the parsed chain [0, num_chain), then trust anchors
     * parsed from the store on demand. */
    pl_x509_cert *certs;
    uint32_t *store_index; /* per entry: the anchor's store index, UINT32_MAX for chain certs */
    uint8_t *duplicate;    /* per chain entry: same DER as an earlier entry */
    size_t num_chain;
    size_t num;
    size_t cap;
    pl_x509_sig_cache cache;
    /* The result: indices into certs, leaf first, anchor last. */
    size_t path[PL_X509_MAX_PATH];
    size_t path_len;
    /* Search bookkeeping for the report when no path validates. */
    unsigned paths_tried;
    unsigned steps;
    int gave_up;
    int hit_depth_limit;
    padlock_err first_failure; /* of the first complete candidate path */
    pl_errinfo first_err;
    size_t dead_node;  /* the deepest certificate whose issuer was not found */
    size_t dead_depth; /* 0: none recorded */
    int dead_loop;     /* its issuers exist but are all already in the path */
} pl_x509_builder;

/* Parses chain (leaf first) into a builder. Returns PADLOCK_E_CERT_MISSING (empty),
 * PADLOCK_E_CERT_CHAIN_TOO_LONG (> PL_X509_MAX_CHAIN), PADLOCK_E_CERT_PARSE (with a detail
 * naming the entry), PADLOCK_E_NO_MEMORY. Call pl_x509_builder_cleanup in every case. */
PL_NODISCARD padlock_err pl_x509_builder_init(pl_x509_builder *b,
                                              const pl_x509_verify_params *params,
                                              const pl_span *chain, size_t num_chain,
                                              pl_errinfo *err);

/* Frees what the builder allocated (the parsed certificates: b->path indices die with it). */
void pl_x509_builder_cleanup(pl_x509_builder *b);

/* Searches for a path that validates. PADLOCK_OK with b->path set, or the refusal: the first
 * complete candidate's failure if any was found, else PADLOCK_E_CERT_CHAIN_TOO_LONG when the
 * intermediate limit cut the search, else PADLOCK_E_CERT_UNTRUSTED naming where the chain
 * ends. Detail in err. */
PL_NODISCARD padlock_err pl_x509_path_build(pl_x509_builder *b, pl_errinfo *err);

#endif
