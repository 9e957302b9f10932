/* Cipher suite descriptors: the IANA code, name, protocol version, AEAD and hash of each suite
 * padlock implements. TLS 1.3 suites (RFC 8446 §B.4) name only the AEAD and the HKDF hash; the
 * TLS 1.2 suites (RFC 5289 §3.2, RFC 7905 §2: ECDHE with AEAD only) add the key type that
 * authenticates the server. */
#ifndef PL_HS_SUITE_H
#define PL_HS_SUITE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

#define PL_TLS13_VERSION 0x0304
#define PL_TLS12_VERSION 0x0303

/* RFC 8446 §B.4 */
#define PL_SUITE_TLS_AES_128_GCM_SHA256 0x1301
#define PL_SUITE_TLS_AES_256_GCM_SHA384 0x1302
#define PL_SUITE_TLS_CHACHA20_POLY1305_SHA256 0x1303
/* RFC 5289 §3.2 (ECDHE with AES-GCM), RFC 7905 §2 (ECDHE with ChaCha20-Poly1305) */
#define PL_SUITE_ECDHE_ECDSA_AES_128_GCM_SHA256 0xc02b
#define PL_SUITE_ECDHE_ECDSA_AES_256_GCM_SHA384 0xc02c
#define PL_SUITE_ECDHE_RSA_AES_128_GCM_SHA256 0xc02f
#define PL_SUITE_ECDHE_RSA_AES_256_GCM_SHA384 0xc030
#define PL_SUITE_ECDHE_RSA_CHACHA20_POLY1305_SHA256 0xcca8
#define PL_SUITE_ECDHE_ECDSA_CHACHA20_POLY1305_SHA256 0xcca9
/* RFC 5288 §3: RSA key transport, only with legacy_rsa_key_exchange */
#define PL_SUITE_RSA_AES_128_GCM_SHA256 0x009c
#define PL_SUITE_RSA_AES_256_GCM_SHA384 0x009d

/* RFC 7507 §2: TLS_FALLBACK_SCSV, a cipher suite value that signals a fallback retry. */
#define PL_SCSV_FALLBACK 0x5600

/* Which server key a TLS 1.2 suite needs. */
typedef enum pl_suite_auth {
    PL_SUITE_AUTH_ANY = 0,   /* TLS 1.3: the signature scheme decides */
    PL_SUITE_AUTH_ECDSA = 1, /* RFC 8422 §2.1: an ECDSA key (or EdDSA, §5.10) */
    PL_SUITE_AUTH_RSA = 2,   /* an RSA key (rsaEncryption, or RSASSA-PSS) */
} pl_suite_auth;

typedef struct pl_suite {
    uint16_t code;           /* CipherSuite value on the wire */
    const char *name;        /* IANA name: "TLS_AES_128_GCM_SHA256" */
    uint16_t version;        /* the protocol version the suite belongs to */
    const pl_aead_alg *aead; /* record protection */
    const pl_hash_alg *hash; /* HKDF and transcript hash (TLS 1.2: PRF hash) */
    uint8_t auth;            /* pl_suite_auth */
    uint8_t rsa_kx;          /* TLS 1.2 RSA key transport (RFC 5246 §7.4.7.1), not ECDHE */
} pl_suite;

extern const pl_suite pl_suite_aes_128_gcm_sha256;
extern const pl_suite pl_suite_aes_256_gcm_sha384;
extern const pl_suite pl_suite_chacha20_poly1305_sha256;

/* The suite with this wire code, or NULL if padlock does not implement it. */
const pl_suite *pl_suite_by_code(uint16_t code);

/* The suite with this IANA name (exact, case-sensitive), or NULL. name must be NUL-terminated. */
const pl_suite *pl_suite_by_name(const char *name);

/* All implemented TLS 1.3 suites in padlock's default order of preference, *out_count of them.
 * The array is static. */
const pl_suite *const *pl_suite_list(size_t *out_count);

/* All implemented TLS 1.2 suites (ECDHE with AEAD) in the default order of preference. */
const pl_suite *const *pl_suite12_list(size_t *out_count);

/* The TLS 1.2 RSA key transport suites (legacy_rsa_key_exchange only), most preferred first.
 * They are found by pl_suite_by_code and pl_suite_by_name but are in no default list. */
const pl_suite *const *pl_suite_legacy_rsa_list(size_t *out_count);

#endif
