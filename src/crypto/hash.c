/* Hash lookup and one-shot hashing over the hash descriptors. */
#include "crypto/crypto.h"
#include "util/mem.h"

const pl_hash_alg *pl_hash_by_id(pl_hash_id id) {
    switch (id) {
    case PL_HASH_SHA256: return &pl_hash_sha256;
    case PL_HASH_SHA384: return &pl_hash_sha384;
    case PL_HASH_SHA512: return &pl_hash_sha512;
    }
    return NULL;
}

void pl_hash(const pl_hash_alg *alg, const uint8_t *in, size_t len, uint8_t *out) {
    pl_hash_state st;
    alg->init(&st);
    alg->update(&st, in, len);
    alg->final(&st, out);
    pl_wipe(&st, sizeof(st));
}
