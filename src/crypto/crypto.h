/* padlock's only door to cryptographic primitives (DESIGN.md §9). Algorithms are const
 * descriptors; only src/crypto/ossl_*.c include <openssl/...>, and no libcrypto type appears
 * in this header. libcrypto objects are fetched once per process; per-connection contexts are
 * created once and re-keyed. HMAC and HKDF (RFC 2104, RFC 5869) are built here on the hash
 * descriptors so that they never allocate. */
#ifndef PL_CRYPTO_CRYPTO_H
#define PL_CRYPTO_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* ---- Randomness ------------------------------------------------------------------------------ */

/* A source of random bytes. fn fills out[0..len) and returns PADLOCK_OK or an error. */
typedef padlock_err (*pl_rng_fn)(void *ctx, uint8_t *out, size_t len);

typedef struct pl_rng {
    pl_rng_fn fn;
    void *ctx;
} pl_rng;

/* Fills out with len random bytes from rng, or, when rng is NULL or has no fn, from libcrypto's
 * CSPRNG: draws up to PL_RAND_BUFFER_MAX_DRAW bytes through the calling thread's buffer
 * (rand_buffer.h: wiped as consumed, fork-safe), larger ones straight from RAND_bytes. Tests
 * and fuzzers pass a deterministic rng. Errors: the rng's; PADLOCK_E_CRYPTO from libcrypto,
 * with out zeroed. */
PL_NODISCARD padlock_err pl_rand_bytes(const pl_rng *rng, uint8_t *out, size_t len);

/* ---- Hashes ---------------------------------------------------------------------------------- */

typedef enum pl_hash_id {
    PL_HASH_SHA256 = 1,
    PL_HASH_SHA384 = 2,
    PL_HASH_SHA512 = 3,
} pl_hash_id;

#define PL_HASH_MAX_LEN 64    /* SHA-512 */
#define PL_HASH_MAX_BLOCK 128 /* SHA-384/512 block */

/* A running hash state. It is plain storage: copying the struct snapshots the hash (the TLS
 * transcript relies on this), and no cleanup is needed beyond pl_wipe for secret inputs. */
typedef struct pl_hash_state {
    _Alignas(16) uint8_t opaque[224];
} pl_hash_state;

typedef struct pl_hash_alg {
    pl_hash_id id;
    const char *name; /* "SHA256" */
    uint8_t digest_len;
    uint8_t block_len;
    void (*init)(pl_hash_state *st);
    void (*update)(pl_hash_state *st, const uint8_t *in, size_t len);
    /* Writes digest_len bytes; the state must be re-initialised before further use. */
    void (*final)(pl_hash_state *st, uint8_t *out);
    /* The leading bytes of a pl_hash_state this hash uses: a copy or a wipe of these is one of
     * the whole state. */
    uint16_t state_len;
} pl_hash_alg;

extern const pl_hash_alg pl_hash_sha256;
extern const pl_hash_alg pl_hash_sha384;
extern const pl_hash_alg pl_hash_sha512;

/* The descriptor for id, or NULL. */
const pl_hash_alg *pl_hash_by_id(pl_hash_id id);

/* One-shot hash of in into out (digest_len bytes). */
void pl_hash(const pl_hash_alg *alg, const uint8_t *in, size_t len, uint8_t *out);

/* ---- HMAC (RFC 2104) and HKDF (RFC 5869) ------------------------------------------------------ */

typedef struct pl_hmac {
    const pl_hash_alg *hash;
    pl_hash_state inner;
    pl_hash_state outer;
} pl_hmac;

/* Keys an HMAC; any key length is accepted (long keys are hashed first). A keyed pl_hmac that
 * has not been updated is a reusable key: copies of it (struct assignment) each start an HMAC
 * under that key, without hashing the padded key again. Wipe it with pl_hmac_cleanup. */
void pl_hmac_init(pl_hmac *h, const pl_hash_alg *hash, const uint8_t *key, size_t key_len);
void pl_hmac_update(pl_hmac *h, const uint8_t *in, size_t len);
/* Writes hash->digest_len bytes and wipes the state. */
void pl_hmac_final(pl_hmac *h, uint8_t *out);
/* Wipes a keyed state that was not finalised (a reusable key, or an abandoned HMAC). */
void pl_hmac_cleanup(pl_hmac *h);
void pl_hmac_oneshot(const pl_hash_alg *hash, const uint8_t *key, size_t key_len,
                     const uint8_t *msg, size_t msg_len, uint8_t *out);

/* HKDF-Extract: prk_out receives hash->digest_len bytes. A NULL/empty salt means
 * digest_len zero bytes (RFC 5869 §2.2). */
void pl_hkdf_extract(const pl_hash_alg *hash, const uint8_t *salt, size_t salt_len,
                     const uint8_t *ikm, size_t ikm_len, uint8_t *prk_out);

/* HKDF-Expand: out_len must be at most 255 * digest_len (else PADLOCK_E_INVALID_ARGUMENT). */
PL_NODISCARD padlock_err pl_hkdf_expand(const pl_hash_alg *hash, const uint8_t *prk,
                                        size_t prk_len, const uint8_t *info, size_t info_len,
                                        uint8_t *out, size_t out_len);

/* HKDF-Expand from a PRK already keyed into an HMAC (pl_hmac_init(prk, hash, PRK)): the same
 * output and errors as pl_hkdf_expand with that PRK. *prk is only read, so several expansions
 * from one PRK share its keying; the caller wipes it (pl_hmac_cleanup). */
PL_NODISCARD padlock_err pl_hkdf_expand_keyed(const pl_hmac *prk, const uint8_t *info,
                                              size_t info_len, uint8_t *out, size_t out_len);

/* ---- AEAD ------------------------------------------------------------------------------------ */

typedef enum pl_aead_id {
    PL_AEAD_AES_128_GCM = 1,
    PL_AEAD_AES_256_GCM = 2,
    PL_AEAD_CHACHA20_POLY1305 = 3,
} pl_aead_id;

#define PL_AEAD_MAX_KEY_LEN 32
#define PL_AEAD_NONCE_LEN 12 /* every TLS AEAD uses a 96-bit nonce */
#define PL_AEAD_TAG_LEN 16

typedef struct pl_aead_alg {
    pl_aead_id id;
    const char *name; /* "AES-128-GCM" */
    uint8_t key_len;
} pl_aead_alg;

extern const pl_aead_alg pl_aead_aes_128_gcm;
extern const pl_aead_alg pl_aead_aes_256_gcm;
extern const pl_aead_alg pl_aead_chacha20_poly1305;

/* A keyed AEAD context for one direction of one connection: created once, re-keyed with
 * pl_aead_ctx_set_key (e.g. on KeyUpdate), used for every record without allocating. */
typedef struct pl_aead_ctx pl_aead_ctx;

PL_NODISCARD padlock_err pl_aead_ctx_new(pl_aead_ctx **out);
/* Wipes key material and frees; NULL is a no-op. */
void pl_aead_ctx_free(pl_aead_ctx *ctx);
/* Sets algorithm and key (alg->key_len bytes). May switch algorithm. */
PL_NODISCARD padlock_err pl_aead_ctx_set_key(pl_aead_ctx *ctx, const pl_aead_alg *alg,
                                             const uint8_t *key);
/* The algorithm last set, or NULL. */
const pl_aead_alg *pl_aead_ctx_alg(const pl_aead_ctx *ctx);

/* Encrypts one plaintext of len bytes into out[0..len) and writes the 16-byte tag to tag_out:
 * its first in_len bytes are read from in, the rest (len - in_len bytes, say a trailer the
 * caller wrote after them) from out itself. in equals out (sealing in place) or does not overlap
 * out[0..len). Saves the copy of a payload into the buffer the record is sent from. */
PL_NODISCARD padlock_err pl_aead_seal_from(pl_aead_ctx *ctx,
                                           const uint8_t nonce[PL_AEAD_NONCE_LEN],
                                           const uint8_t *aad, size_t aad_len, const uint8_t *in,
                                           size_t in_len, uint8_t *out, size_t len,
                                           uint8_t tag_out[PL_AEAD_TAG_LEN]);

/* Decrypts in[0..len) into out[0..len) after checking tag; in equals out (in place) or does not
 * overlap it. On PADLOCK_E_AEAD_OPEN the contents of out are unspecified and must not be used. */
PL_NODISCARD padlock_err pl_aead_open_from(pl_aead_ctx *ctx,
                                           const uint8_t nonce[PL_AEAD_NONCE_LEN],
                                           const uint8_t *aad, size_t aad_len, const uint8_t *in,
                                           uint8_t *out, size_t len,
                                           const uint8_t tag[PL_AEAD_TAG_LEN]);

/* Encrypts buf[0..len) in place and writes the 16-byte tag to tag_out. */
PL_NODISCARD padlock_err pl_aead_seal(pl_aead_ctx *ctx, const uint8_t nonce[PL_AEAD_NONCE_LEN],
                                      const uint8_t *aad, size_t aad_len, uint8_t *buf,
                                      size_t len, uint8_t tag_out[PL_AEAD_TAG_LEN]);

/* Decrypts buf[0..len) in place after checking tag. On PADLOCK_E_AEAD_OPEN the contents of buf
 * are unspecified and must not be used. */
PL_NODISCARD padlock_err pl_aead_open(pl_aead_ctx *ctx, const uint8_t nonce[PL_AEAD_NONCE_LEN],
                                      const uint8_t *aad, size_t aad_len, uint8_t *buf,
                                      size_t len, const uint8_t tag[PL_AEAD_TAG_LEN]);

/* ---- Key exchange (TLS NamedGroup) ----------------------------------------------------------- */

typedef enum pl_group {
    PL_GROUP_SECP256R1 = 0x0017,
    PL_GROUP_SECP384R1 = 0x0018,
    PL_GROUP_X25519 = 0x001d,
} pl_group;

#define PL_KX_MAX_PRIV_LEN 48
#define PL_KX_MAX_SHARE_LEN 97 /* uncompressed P-384 point */
#define PL_KX_MAX_SECRET_LEN 48

typedef struct pl_kx_alg {
    pl_group group;
    const char *name;   /* "x25519", "secp256r1", "secp384r1" */
    uint8_t priv_len;   /* raw private key / scalar length */
    uint8_t share_len;  /* public share as sent in key_share (RFC 8446 §4.2.8.2) */
    uint8_t secret_len; /* shared secret length */
} pl_kx_alg;

extern const pl_kx_alg pl_kx_x25519;
extern const pl_kx_alg pl_kx_secp256r1;
extern const pl_kx_alg pl_kx_secp384r1;

/* The descriptor for a TLS NamedGroup code, or NULL. */
const pl_kx_alg *pl_kx_by_group(uint16_t group);

/* An ephemeral key pair in TLS encoding. Holds a secret and owns a libcrypto object: release
 * with pl_kx_key_cleanup, never copy. */
typedef struct pl_kx_key {
    const pl_kx_alg *alg;
    uint8_t priv[PL_KX_MAX_PRIV_LEN];
    uint8_t share[PL_KX_MAX_SHARE_LEN];
    void *impl; /* X25519: the key pair as libcrypto holds it, reused by pl_kx_derive */
} pl_kx_key;

/* Generates a key pair whose private part is drawn from rng (NULL: system CSPRNG), so a
 * deterministic rng gives a reproducible handshake: X25519 takes 32 bytes, an EC scalar is
 * drawn by rejection until it lies in [1, n-1]. Errors: the rng's, PADLOCK_E_CRYPTO. */
PL_NODISCARD padlock_err pl_kx_generate(const pl_kx_alg *alg, const pl_rng *rng, pl_kx_key *out);

/* Builds the key pair from a given private key (priv_len bytes: X25519 raw key, or the
 * big-endian EC scalar, which must be in [1, n-1], else PADLOCK_E_INVALID_ARGUMENT). */
PL_NODISCARD padlock_err pl_kx_from_private(const pl_kx_alg *alg, const uint8_t *priv,
                                            size_t priv_len, pl_kx_key *out);

/* Computes the shared secret (alg->secret_len bytes) with the peer's share. The share must
 * have exactly share_len bytes; EC points must be uncompressed and on the curve; an X25519
 * all-zero result is refused (RFC 8446 §7.4.2). Failures return PADLOCK_E_BAD_KEY_SHARE. */
PL_NODISCARD padlock_err pl_kx_derive(const pl_kx_key *key, const uint8_t *peer_share,
                                      size_t peer_share_len, uint8_t *secret_out);

/* Frees and wipes the key pair (NULL is a no-op). */
void pl_kx_key_cleanup(pl_kx_key *key);

/* ---- Keys and signatures (TLS SignatureScheme) ----------------------------------------------- */

typedef enum pl_key_type {
    PL_KEY_NONE = 0,
    PL_KEY_RSA = 1,     /* rsaEncryption */
    PL_KEY_RSA_PSS = 2, /* id-RSASSA-PSS keys (RFC 4055) */
    PL_KEY_EC_P256 = 3,
    PL_KEY_EC_P384 = 4,
    PL_KEY_EC_P521 = 5,
    PL_KEY_ED25519 = 6,
} pl_key_type;

typedef enum pl_sig_scheme {
    PL_SIG_RSA_PKCS1_SHA256 = 0x0401,
    PL_SIG_RSA_PKCS1_SHA384 = 0x0501,
    PL_SIG_RSA_PKCS1_SHA512 = 0x0601,
    PL_SIG_ECDSA_SECP256R1_SHA256 = 0x0403,
    PL_SIG_ECDSA_SECP384R1_SHA384 = 0x0503,
    PL_SIG_ECDSA_SECP521R1_SHA512 = 0x0603,
    PL_SIG_RSA_PSS_RSAE_SHA256 = 0x0804,
    PL_SIG_RSA_PSS_RSAE_SHA384 = 0x0805,
    PL_SIG_RSA_PSS_RSAE_SHA512 = 0x0806,
    PL_SIG_ED25519 = 0x0807,
    PL_SIG_RSA_PSS_PSS_SHA256 = 0x0809,
    PL_SIG_RSA_PSS_PSS_SHA384 = 0x080a,
    PL_SIG_RSA_PSS_PSS_SHA512 = 0x080b,
} pl_sig_scheme;

typedef struct pl_sig_alg {
    pl_sig_scheme scheme;
    const char *name;          /* RFC 8446 name: "ecdsa_secp256r1_sha256" */
    const pl_hash_alg *hash;   /* message digest (NULL for Ed25519, which hashes internally) */
    pl_key_type key_type;      /* the key type that signs/verifies with this scheme */
    uint8_t pss;               /* 1: RSASSA-PSS, MGF1 with the same hash, salt = hash length */
} pl_sig_alg;

/* The descriptor for a TLS SignatureScheme code, or NULL if padlock does not support it. */
const pl_sig_alg *pl_sig_by_scheme(uint16_t scheme);

/* Verifies sig over msg with the public key in a DER SubjectPublicKeyInfo. The key's type must
 * match alg->key_type (an rsaEncryption key verifies rsa_pkcs1_* and rsa_pss_rsae_*; an
 * id-RSASSA-PSS key verifies rsa_pss_pss_*). ECDSA signatures are DER Ecdsa-Sig-Value.
 * Returns PADLOCK_OK, PADLOCK_E_BAD_SIGNATURE, or PADLOCK_E_BAD_KEY for an unusable key. */
PL_NODISCARD padlock_err pl_sig_verify(const pl_sig_alg *alg, const uint8_t *spki,
                                       size_t spki_len, const uint8_t *msg, size_t msg_len,
                                       const uint8_t *sig, size_t sig_len);

/* Certificate and CRL signatures (RFC 5280 §4.1.1.2) are not bound to TLS SignatureSchemes:
 * an ECDSA key of any supported curve may sign with any SHA-2 hash, and RSA-PSS carries its own
 * parameters (RFC 4055 §3.1). X.509 verification describes the algorithm with these. */
typedef enum pl_sig_kind {
    PL_SIG_KIND_RSA_PKCS1 = 1, /* RSASSA-PKCS1-v1_5 with an rsaEncryption key */
    PL_SIG_KIND_RSA_PSS = 2,   /* RSASSA-PSS, MGF1 with the same hash; rsaEncryption or PSS key */
    PL_SIG_KIND_ECDSA = 3,     /* ECDSA (DER Ecdsa-Sig-Value) with a P-256/384/521 key */
    PL_SIG_KIND_ED25519 = 4,   /* PureEdDSA; hash must be NULL */
} pl_sig_kind;

typedef struct pl_sig_params {
    pl_sig_kind kind;
    const pl_hash_alg *hash; /* NULL for Ed25519 */
    uint16_t pss_salt_len;   /* RSA-PSS only */
} pl_sig_params;

/* Verifies sig over msg as described by params with the key in a DER SubjectPublicKeyInfo.
 * Returns PADLOCK_OK, PADLOCK_E_BAD_SIGNATURE, or PADLOCK_E_BAD_KEY (unusable key, or a key
 * type that does not fit params->kind). pl_sig_verify is this with the scheme's parameters
 * plus the scheme's stricter key-type binding. */
PL_NODISCARD padlock_err pl_sig_verify_params(const pl_sig_params *params, const uint8_t *spki,
                                              size_t spki_len, const uint8_t *msg,
                                              size_t msg_len, const uint8_t *sig, size_t sig_len);

/* The verification parameters a TLS scheme implies (for PSS: salt length = digest length,
 * RFC 8446 §4.2.3). alg must not be NULL. */
pl_sig_params pl_sig_params_of(const pl_sig_alg *alg);

/* A private key (held by libcrypto, wiped on free). A key is immutable after loading, so one
 * key may sign from several threads at once. */
typedef struct pl_privkey pl_privkey;

/* The DER encodings a private key may come in; PEM labels map onto them. */
typedef enum pl_privkey_format {
    PL_PRIVKEY_ANY = 0,    /* try PKCS#8, then SEC1, then PKCS#1 */
    PL_PRIVKEY_PKCS8 = 1,  /* "PRIVATE KEY" */
    PL_PRIVKEY_SEC1 = 2,   /* "EC PRIVATE KEY" */
    PL_PRIVKEY_PKCS1 = 3,  /* "RSA PRIVATE KEY" */
} pl_privkey_format;

/* Parses a DER private key (and checks that its private and public halves belong together).
 * Errors: PADLOCK_E_BAD_KEY (corrupt, truncated, trailing bytes, inconsistent),
 * PADLOCK_E_KEY_UNSUPPORTED (a well-formed key of a type padlock does not use, e.g. DSA, X448,
 * an EC key on another curve, RSA above 4096 bits), PADLOCK_E_KEY_ENCRYPTED (PL_PRIVKEY_ANY only: a PKCS#8
 * EncryptedPrivateKeyInfo). The input may be freed afterwards; *out is freed with
 * pl_privkey_free. */
PL_NODISCARD padlock_err pl_privkey_from_der(const uint8_t *der, size_t der_len,
                                             pl_privkey_format format, pl_privkey **out);

/* Loads a private key from a file's contents, PEM or DER. PEM labels "PRIVATE KEY",
 * "EC PRIVATE KEY" and "RSA PRIVATE KEY" are accepted (the first key block counts; other
 * blocks such as "EC PARAMETERS" are skipped); "ENCRYPTED PRIVATE KEY", legacy encrypted PEM
 * and DER EncryptedPrivateKeyInfo give PADLOCK_E_KEY_ENCRYPTED; a file with no key block (e.g.
 * a certificate) or another kind of key ("DSA PRIVATE KEY") gives PADLOCK_E_KEY_UNSUPPORTED;
 * bad PEM gives PADLOCK_E_PEM; otherwise the errors of pl_privkey_from_der. */
PL_NODISCARD padlock_err pl_privkey_load(const uint8_t *data, size_t len, pl_privkey **out);

/* Generates a key from the system CSPRNG: PL_KEY_EC_P256/P384/P521, PL_KEY_ED25519, or
 * PL_KEY_RSA / PL_KEY_RSA_PSS (an id-RSASSA-PSS key without parameter restrictions) with
 * rsa_bits 2048, 3072 or 4096 (rsa_bits is ignored for other types). Errors:
 * PADLOCK_E_INVALID_ARGUMENT for other types or sizes, PADLOCK_E_CRYPTO. *out is freed with
 * pl_privkey_free. */
PL_NODISCARD padlock_err pl_privkey_generate(pl_key_type type, unsigned rsa_bits,
                                             pl_privkey **out);

/* Frees the key, wiping its private part; NULL is a no-op. */
void pl_privkey_free(pl_privkey *key);

/* The key's type (never PL_KEY_NONE for a loaded key). */
pl_key_type pl_privkey_type(const pl_privkey *key);

/* Key size in bits (modulus bits for RSA, field bits for EC, 256 for Ed25519). */
unsigned pl_privkey_bits(const pl_privkey *key);

/* The public key as a DER SubjectPublicKeyInfo. *out is pl_malloc'd; free with pl_free. */
PL_NODISCARD padlock_err pl_privkey_spki(const pl_privkey *key, uint8_t **out, size_t *out_len);

/* The private key as DER PKCS#8 (RFC 5958). *out is pl_malloc'd; free with pl_free_secret. */
PL_NODISCARD padlock_err pl_privkey_pkcs8(const pl_privkey *key, uint8_t **out, size_t *out_len);

/* 1 if alg can sign with key (the key type is the scheme's, as for pl_sig_verify, and an
 * RSASSA-PSS key's parameters allow the scheme's hash and salt length), else 0. */
int pl_privkey_can_sign(const pl_privkey *key, const pl_sig_alg *alg);

/* Signs msg with key under alg (ECDSA signatures are DER Ecdsa-Sig-Value; RSA-PSS uses MGF1
 * with the scheme's hash and a salt as long as the digest). The signature goes to
 * out[0..*out_len); out_cap must be at least the key's maximum signature size (the modulus
 * length for RSA, 64 for Ed25519, at most PL_SIG_MAX_LEN), else PADLOCK_E_BUFFER_TOO_SMALL.
 * rng is accepted for symmetry but not consulted: libcrypto 3.0 draws ECDSA nonces and PSS salts
 * from its own CSPRNG (RSA-PKCS1 and Ed25519 signatures are deterministic anyway), so ECDSA and
 * PSS signatures differ between runs even with a deterministic rng. Errors:
 * PADLOCK_E_INVALID_ARGUMENT (alg does not fit the key), PADLOCK_E_CRYPTO. */
#define PL_SIG_MAX_LEN 512 /* RSA-4096 */
PL_NODISCARD padlock_err pl_privkey_sign(const pl_privkey *key, const pl_sig_alg *alg,
                                         const pl_rng *rng, const uint8_t *msg, size_t msg_len,
                                         uint8_t *out, size_t out_cap, size_t *out_len);

/* ---- RSA key transport (TLS 1.2 legacy RSA key exchange only) -------------------------------- */

/* RSAES-PKCS1-v1_5 encryption of msg to the rsaEncryption key in a DER SubjectPublicKeyInfo;
 * out gets the modulus length in bytes (PADLOCK_E_BUFFER_TOO_SMALL if out_cap is less). Used by
 * a TLS 1.2 client for the pre-master secret. rng is not consulted: libcrypto draws the padding
 * from its own CSPRNG. Errors: PADLOCK_E_BAD_KEY (not a usable RSA key),
 * PADLOCK_E_INVALID_ARGUMENT (msg longer than modulus length - 11), PADLOCK_E_CRYPTO. */
PL_NODISCARD padlock_err pl_rsa_encrypt_pkcs1(const uint8_t *spki, size_t spki_len,
                                              const pl_rng *rng, const uint8_t *msg,
                                              size_t msg_len, uint8_t *out, size_t out_cap,
                                              size_t *out_len);

/* Plain RSAES-PKCS1-v1_5 decryption (padding errors give PADLOCK_E_CRYPTO, and are not hidden
 * in time: never use it on attacker-chosen ciphertexts). Exists for the Wycheproof vector tests
 * of the primitive; the TLS server uses pl_rsa_decrypt_premaster. PADLOCK_E_BAD_KEY if key is
 * not an rsaEncryption key, PADLOCK_E_BUFFER_TOO_SMALL if the message exceeds out_cap. */
PL_NODISCARD padlock_err pl_rsa_decrypt_pkcs1(const pl_privkey *key, const uint8_t *ct,
                                              size_t ct_len, uint8_t *out, size_t out_cap,
                                              size_t *out_len);

/* RFC 5246 §7.4.7.1: decrypts a 48-byte pre-master secret whose first two bytes must equal
 * client_version; on any failure (length, padding, version) out receives 48 random bytes
 * instead, with no observable difference in result or timing. Always returns PADLOCK_OK
 * unless the key is not RSA or libcrypto fails internally. */
PL_NODISCARD padlock_err pl_rsa_decrypt_premaster(const pl_privkey *key, const uint8_t *ct,
                                                  size_t ct_len, uint16_t client_version,
                                                  uint8_t out[48]);

#endif
