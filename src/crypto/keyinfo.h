/* Structural inspection of DER key containers, without libcrypto: which algorithm a
 * SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) or a private key (PKCS#8 / RFC 5958, SEC1 / RFC 5915,
 * PKCS#1 / RFC 8017 App. A.1.2) holds, so that key types are bound and unsupported or encrypted
 * keys are named before any key material reaches libcrypto. Internal to src/crypto. */
#ifndef PL_CRYPTO_KEYINFO_H
#define PL_CRYPTO_KEYINFO_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

/* Restrictions an id-RSASSA-PSS public key carries in its parameters (RFC 4055 §3.1). */
typedef struct pl_pss_restriction {
    uint8_t present;       /* 0: no parameters, the key may be used with any PSS setting */
    pl_hash_id hash;       /* 0 when the parameters name a hash padlock does not use */
    pl_hash_id mgf1_hash;  /* likewise for the MGF1 hash */
    uint16_t min_salt_len; /* the signer uses at least this salt length */
} pl_pss_restriction;

/* A parsed SubjectPublicKeyInfo. Byte fields point into the caller's DER. */
typedef struct pl_spki {
    pl_key_type type;   /* PL_KEY_NONE: a well-formed key of an algorithm padlock does not use */
    const uint8_t *key; /* EC: the SEC1 point; Ed25519: the 32-byte key */
    size_t key_len;
    const uint8_t *rsa_n; /* RSA and RSA-PSS: modulus and exponent, big-endian, no leading 0 */
    size_t rsa_n_len;
    const uint8_t *rsa_e;
    size_t rsa_e_len;
    pl_pss_restriction pss; /* PL_KEY_RSA_PSS only */
} pl_spki;

/* Parses spki[0..len) completely. PADLOCK_OK (possibly with out->type == PL_KEY_NONE) or
 * PADLOCK_E_BAD_KEY for malformed DER, trailing bytes or invalid parameters. */
PL_NODISCARD padlock_err pl_spki_parse(const uint8_t *spki, size_t len, pl_spki *out);

/* Finds which container and algorithm a DER private key is, checking the outer structure.
 * format narrows the containers tried (PL_PRIVKEY_ANY: decided by shape). On success
 * *out_format is the container and *out_type the key type. Errors: PADLOCK_E_BAD_KEY
 * (malformed), PADLOCK_E_KEY_UNSUPPORTED (an algorithm or curve padlock does not use),
 * PADLOCK_E_KEY_ENCRYPTED (a PKCS#8 EncryptedPrivateKeyInfo). */
PL_NODISCARD padlock_err pl_privkey_inspect(const uint8_t *der, size_t len,
                                            pl_privkey_format format, pl_privkey_format *out_format,
                                            pl_key_type *out_type);

#endif
