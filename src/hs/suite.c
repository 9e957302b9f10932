/* The cipher suite table (RFC 8446 §9.1, §B.4): TLS_AES_128_GCM_SHA256 is mandatory, the other
 * two are recommended. */
#include "hs/suite.h"

#include <string.h>

const pl_suite pl_suite_aes_128_gcm_sha256 = {
    .code = PL_SUITE_TLS_AES_128_GCM_SHA256,
    .name = "TLS_AES_128_GCM_SHA256",
    .version = PL_TLS13_VERSION,
    .aead = &pl_aead_aes_128_gcm,
    .hash = &pl_hash_sha256,
};

const pl_suite pl_suite_aes_256_gcm_sha384 = {
    .code = PL_SUITE_TLS_AES_256_GCM_SHA384,
    .name = "TLS_AES_256_GCM_SHA384",
    .version = PL_TLS13_VERSION,
    .aead = &pl_aead_aes_256_gcm,
    .hash = &pl_hash_sha384,
};

const pl_suite pl_suite_chacha20_poly1305_sha256 = {
    .code = PL_SUITE_TLS_CHACHA20_POLY1305_SHA256,
    .name = "TLS_CHACHA20_POLY1305_SHA256",
    .version = PL_TLS13_VERSION,
    .aead = &pl_aead_chacha20_poly1305,
    .hash = &pl_hash_sha256,
};

/* Default preference: the mandatory suite first (fast with AES instructions), then the
 * 256-bit AES suite, then ChaCha20-Poly1305 for peers that prefer it. */
static const pl_suite *const pl_suites[] = {
    &pl_suite_aes_128_gcm_sha256,
    &pl_suite_aes_256_gcm_sha384,
    &pl_suite_chacha20_poly1305_sha256,
};

#define PL_NUM_SUITES (sizeof(pl_suites) / sizeof(pl_suites[0]))

const pl_suite *pl_suite_by_code(uint16_t code) {
    for (size_t i = 0; i < PL_NUM_SUITES; i++) {
        if (pl_suites[i]->code == code) {
            return pl_suites[i];
        }
    }
    return NULL;
}

const pl_suite *pl_suite_by_name(const char *name) {
    for (size_t i = 0; i < PL_NUM_SUITES; i++) {
        if (strcmp(pl_suites[i]->name, name) == 0) {
            return pl_suites[i];
        }
    }
    return NULL;
}

const pl_suite *const *pl_suite_list(size_t *out_count) {
    *out_count = PL_NUM_SUITES;
    return pl_suites;
}
