/* Shared by the src/crypto/ossl_*.c files only (it includes libcrypto headers): libcrypto
 * objects fetched once per process, the curves as ECDSA verification uses them, RSA public keys
 * from a parsed SubjectPublicKeyInfo, and the error-queue discipline. No libcrypto type leaves
 * src/crypto.
 *
 * Hot paths (verify, key exchange, ECDSA signing) use libcrypto 3.0's low-level RSA, EC_KEY and
 * EC_POINT functions on keys built from values we parsed: some are deprecated but documented,
 * and they cost 3-30 allocations per operation where d2i_PUBKEY + EVP_PKEY_verify costs ~1500
 * and EVP_PKEY_fromdata ~200. Users of deprecated functions define OPENSSL_SUPPRESS_DEPRECATED
 * before their first include. */
#ifndef PL_CRYPTO_OSSL_COMMON_H
#define PL_CRYPTO_OSSL_COMMON_H

#ifndef OPENSSL_SUPPRESS_DEPRECATED
#error "define OPENSSL_SUPPRESS_DEPRECATED before any libcrypto include"
#endif
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "crypto/crypto.h"
#include "crypto/keyinfo.h"
#include "crypto/modinv.h"

/* A private key: the libcrypto key and what padlock knows about it (shared by ossl_key.c and
 * ossl_rsa.c). */
struct pl_privkey {
    EVP_PKEY *pkey;
    /* EC types: the same key as the low-level ECDSA functions take it, made once when the key
     * is loaded and only read afterwards, so every thread signs with it unlocked as libcrypto's
     * own provider does with its EC_KEY. NULL for other types. */
    EC_KEY *ec;
    pl_key_type type;
    unsigned bits;
    pl_pss_restriction pss; /* PL_KEY_RSA_PSS: what the key's parameters allow */
};

/* The curve of an EC key type (P-256/384/521), created once per process and shared read-only
 * by all threads; NULL for other types or if libcrypto failed to build it. */
const EC_GROUP *pl_ossl_group(pl_key_type type);

/* A NIST curve as ECDSA verification uses it: the shared group (as pl_ossl_group) and its order
 * n, as libcrypto's BIGNUM and as big-endian bytes of the order's length. Created once per
 * process, never modified. */
typedef struct pl_ossl_curve {
    const EC_GROUP *group;
    const BIGNUM *order; /* the group's own */
    uint8_t order_be[PL_MODINV_MAX_LEN];
    size_t order_len; /* bytes */
    int order_bits;
} pl_ossl_curve;

/* The curve of an EC key type (P-256/384/521), or NULL for other types or if libcrypto failed
 * to build it. Shared read-only by all threads. */
const pl_ossl_curve *pl_ossl_curve_of(pl_key_type type);

/* ECDSA verification (SEC1 §4.1.4) of a DER Ecdsa-Sig-Value (RFC 5480 §2.2, RFC 3279 §2.2.3)
 * over digest with the EC key spki (type P-256/384/521), computed on the shared curve: no
 * per-verification copy of the group. PADLOCK_E_BAD_KEY if the point is not on the curve or is
 * the point at infinity, PADLOCK_E_BAD_SIGNATURE for anything wrong with the signature,
 * PADLOCK_E_NO_MEMORY, PADLOCK_E_CRYPTO. */
PL_NODISCARD padlock_err pl_ossl_ecdsa_verify(const pl_spki *spki, const uint8_t *digest,
                                              size_t digest_len, const uint8_t *sig,
                                              size_t sig_len);

/* The libcrypto digest for a hash descriptor, fetched once per process; NULL on failure. */
const EVP_MD *pl_ossl_md(const pl_hash_alg *hash);

/* The curve NID of an EC key type, or NID_undef. */
int pl_ossl_curve_nid(pl_key_type type);

/* A libcrypto RSA public key from a parsed rsaEncryption or id-RSASSA-PSS key. Refuses what
 * libcrypto cannot use safely (even modulus, even or unit exponent, over 16384 bits) with
 * PADLOCK_E_BAD_KEY. *out is owned by the caller (RSA_free). */
PL_NODISCARD padlock_err pl_ossl_rsa_public(const pl_spki *spki, RSA **out);

/* Empties this thread's libcrypto error queue (padlock reports through its return codes and
 * keeps no global error state) and returns code, so failure paths read
 * `return pl_ossl_fail(PADLOCK_E_...)`. */
padlock_err pl_ossl_fail(padlock_err code);

#endif
