/* SHA-256/384/512 descriptors over libcrypto's SHA functions.
 *
 * These are the digest-specific (deprecated in 3.0, still present) functions rather than
 * EVP_MD: their state is a plain struct, so a transcript snapshot is a memcpy and hashing never
 * allocates, where EVP_MD_CTX_copy allocates a provider context on every copy. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include "crypto/crypto.h"

_Static_assert(sizeof(SHA256_CTX) <= sizeof(((pl_hash_state *)0)->opaque),
               "pl_hash_state too small for SHA256_CTX");
_Static_assert(sizeof(SHA512_CTX) <= sizeof(((pl_hash_state *)0)->opaque),
               "pl_hash_state too small for SHA512_CTX");

static void pl_sha256_init(pl_hash_state *st) {
    SHA256_Init((SHA256_CTX *)st->opaque);
}

static void pl_sha256_update(pl_hash_state *st, const uint8_t *in, size_t len) {
    SHA256_Update((SHA256_CTX *)st->opaque, in, len);
}

static void pl_sha256_final(pl_hash_state *st, uint8_t *out) {
    SHA256_Final(out, (SHA256_CTX *)st->opaque);
}

static void pl_sha384_init(pl_hash_state *st) {
    SHA384_Init((SHA512_CTX *)st->opaque);
}

static void pl_sha384_update(pl_hash_state *st, const uint8_t *in, size_t len) {
    SHA384_Update((SHA512_CTX *)st->opaque, in, len);
}

static void pl_sha384_final(pl_hash_state *st, uint8_t *out) {
    SHA384_Final(out, (SHA512_CTX *)st->opaque);
}

static void pl_sha512_init(pl_hash_state *st) {
    SHA512_Init((SHA512_CTX *)st->opaque);
}

static void pl_sha512_update(pl_hash_state *st, const uint8_t *in, size_t len) {
    SHA512_Update((SHA512_CTX *)st->opaque, in, len);
}

static void pl_sha512_final(pl_hash_state *st, uint8_t *out) {
    SHA512_Final(out, (SHA512_CTX *)st->opaque);
}

const pl_hash_alg pl_hash_sha256 = {
    .id = PL_HASH_SHA256,
    .name = "SHA256",
    .digest_len = 32,
    .block_len = 64,
    .init = pl_sha256_init,
    .update = pl_sha256_update,
    .final = pl_sha256_final,
    .state_len = sizeof(SHA256_CTX),
};

const pl_hash_alg pl_hash_sha384 = {
    .id = PL_HASH_SHA384,
    .name = "SHA384",
    .digest_len = 48,
    .block_len = 128,
    .init = pl_sha384_init,
    .update = pl_sha384_update,
    .final = pl_sha384_final,
    .state_len = sizeof(SHA512_CTX),
};

const pl_hash_alg pl_hash_sha512 = {
    .id = PL_HASH_SHA512,
    .name = "SHA512",
    .digest_len = 64,
    .block_len = 128,
    .init = pl_sha512_init,
    .update = pl_sha512_update,
    .final = pl_sha512_final,
    .state_len = sizeof(SHA512_CTX),
};
