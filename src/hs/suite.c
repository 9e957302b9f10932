/* The cipher suite table: TLS 1.3 (RFC 8446 §9.1, §B.4: TLS_AES_128_GCM_SHA256 is mandatory,
 * the other two are recommended), the TLS 1.2 ECDHE AEAD suites (RFC 5289 §3.2, RFC 7905 §2
 * with RFC 8422), and apart from them the legacy RSA key transport suites (RFC 5288 §3). */
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

/* TLS 1.2: "_SHA256" and "_SHA384" name the PRF hash (RFC 5288 §3, RFC 5289 §3.2); ChaCha20
 * suites use SHA-256 (RFC 7905 §2). */
#define PL_SUITE12(c, n, a, h, au)                                                                 \
    {.code = (c), .name = (n), .version = PL_TLS12_VERSION, .aead = (a), .hash = (h), .auth = (au)}

static const pl_suite pl_suites12_table[] = {
    PL_SUITE12(PL_SUITE_ECDHE_ECDSA_AES_128_GCM_SHA256, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
               &pl_aead_aes_128_gcm, &pl_hash_sha256, PL_SUITE_AUTH_ECDSA),
    PL_SUITE12(PL_SUITE_ECDHE_RSA_AES_128_GCM_SHA256, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
               &pl_aead_aes_128_gcm, &pl_hash_sha256, PL_SUITE_AUTH_RSA),
    PL_SUITE12(PL_SUITE_ECDHE_ECDSA_AES_256_GCM_SHA384, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
               &pl_aead_aes_256_gcm, &pl_hash_sha384, PL_SUITE_AUTH_ECDSA),
    PL_SUITE12(PL_SUITE_ECDHE_RSA_AES_256_GCM_SHA384, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
               &pl_aead_aes_256_gcm, &pl_hash_sha384, PL_SUITE_AUTH_RSA),
    PL_SUITE12(PL_SUITE_ECDHE_ECDSA_CHACHA20_POLY1305_SHA256,
               "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", &pl_aead_chacha20_poly1305,
               &pl_hash_sha256, PL_SUITE_AUTH_ECDSA),
    PL_SUITE12(PL_SUITE_ECDHE_RSA_CHACHA20_POLY1305_SHA256,
               "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", &pl_aead_chacha20_poly1305,
               &pl_hash_sha256, PL_SUITE_AUTH_RSA),
};

/* The same order of AEADs as TLS 1.3, ECDSA before RSA within each (the cheaper signature). */
static const pl_suite *const pl_suites12[] = {
    &pl_suites12_table[0], &pl_suites12_table[1], &pl_suites12_table[2],
    &pl_suites12_table[3], &pl_suites12_table[4], &pl_suites12_table[5],
};

#define PL_NUM_SUITES12 (sizeof(pl_suites12) / sizeof(pl_suites12[0]))

/* RFC 5288 §3 with RFC 5246 §7.4.7.1 key transport: no forward secrecy, the pre-master secret
 * rests on the server's long-term key. */
static const pl_suite pl_suites_rsa_table[] = {
    {.code = PL_SUITE_RSA_AES_128_GCM_SHA256, .name = "TLS_RSA_WITH_AES_128_GCM_SHA256",
     .version = PL_TLS12_VERSION, .aead = &pl_aead_aes_128_gcm, .hash = &pl_hash_sha256,
     .auth = PL_SUITE_AUTH_RSA, .rsa_kx = 1},
    {.code = PL_SUITE_RSA_AES_256_GCM_SHA384, .name = "TLS_RSA_WITH_AES_256_GCM_SHA384",
     .version = PL_TLS12_VERSION, .aead = &pl_aead_aes_256_gcm, .hash = &pl_hash_sha384,
     .auth = PL_SUITE_AUTH_RSA, .rsa_kx = 1},
};

static const pl_suite *const pl_suites_rsa[] = {&pl_suites_rsa_table[0], &pl_suites_rsa_table[1]};

#define PL_NUM_SUITES_RSA (sizeof(pl_suites_rsa) / sizeof(pl_suites_rsa[0]))

const pl_suite *pl_suite_by_code(uint16_t code) {
    for (size_t i = 0; i < PL_NUM_SUITES; i++) {
        if (pl_suites[i]->code == code) {
            return pl_suites[i];
        }
    }
    for (size_t i = 0; i < PL_NUM_SUITES12; i++) {
        if (pl_suites12[i]->code == code) {
            return pl_suites12[i];
        }
    }
    for (size_t i = 0; i < PL_NUM_SUITES_RSA; i++) {
        if (pl_suites_rsa[i]->code == code) {
            return pl_suites_rsa[i];
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
    for (size_t i = 0; i < PL_NUM_SUITES12; i++) {
        if (strcmp(pl_suites12[i]->name, name) == 0) {
            return pl_suites12[i];
        }
    }
    for (size_t i = 0; i < PL_NUM_SUITES_RSA; i++) {
        if (strcmp(pl_suites_rsa[i]->name, name) == 0) {
            return pl_suites_rsa[i];
        }
    }
    return NULL;
}

const pl_suite *const *pl_suite_list(size_t *out_count) {
    *out_count = PL_NUM_SUITES;
    return pl_suites;
}

const pl_suite *const *pl_suite12_list(size_t *out_count) {
    *out_count = PL_NUM_SUITES12;
    return pl_suites12;
}

const pl_suite *const *pl_suite_legacy_rsa_list(size_t *out_count) {
    *out_count = PL_NUM_SUITES_RSA;
    return pl_suites_rsa;
}
