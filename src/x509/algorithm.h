/* Algorithm identifiers in certificates and CRLs: signature algorithms (RFC 5280 §4.1.1.2,
 * RFC 3279 §2.2, RFC 4055 §3.1, RFC 5758 §3.2, RFC 8410 §3) and SubjectPublicKeyInfo
 * (RFC 5280 §4.1.2.7, RFC 3279 §2.3, RFC 5480 §2, RFC 8410 §4). padlock decides which are
 * acceptable; libcrypto only checks the signature. */
#ifndef PL_X509_ALGORITHM_H
#define PL_X509_ALGORITHM_H

#include "crypto/crypto.h"
#include "wire/der.h"
#include "x509/oid.h"

/* The digest a signature algorithm uses; MD2, MD5 and SHA-1 are recognised to be refused by
 * name. */
typedef enum pl_x509_digest {
    PL_X509_DIGEST_NONE = 0, /* Ed25519 (PureEdDSA), or an unknown algorithm */
    PL_X509_DIGEST_MD2,
    PL_X509_DIGEST_MD5,
    PL_X509_DIGEST_SHA1,
    PL_X509_DIGEST_SHA256,
    PL_X509_DIGEST_SHA384,
    PL_X509_DIGEST_SHA512,
} pl_x509_digest;

typedef struct pl_x509_sigalg {
    pl_span der;           /* the whole AlgorithmIdentifier (compared inner vs outer) */
    pl_span oid;           /* algorithm OID content octets */
    pl_sig_kind kind;      /* 0 when padlock cannot verify this algorithm */
    pl_x509_digest digest; /* the digest, also for weak algorithms */
    uint16_t pss_salt_len; /* RSASSA-PSS only */
} pl_x509_sigalg;

/* Reads a signature AlgorithmIdentifier. Known algorithms must carry the parameters their RFC
 * prescribes (NULL for PKCS #1 v1.5, absent for ECDSA and Ed25519, valid RSASSA-PSS-params
 * with MGF1 over the same digest); unknown algorithms are accepted with kind 0, to be refused
 * only if a signature made with them must be checked. PADLOCK_E_DER on malformed input. */
PL_NODISCARD padlock_err pl_x509_sigalg_read(pl_cur *c, pl_x509_sigalg *out);

/* 1 if the algorithm's digest is MD2, MD5 or SHA-1 (collision attacks make signatures over
 * attacker-chosen content forgeable). */
int pl_x509_sigalg_is_weak(const pl_x509_sigalg *alg);

/* Describes the algorithm for the crypto layer. PADLOCK_E_CERT_UNSUPPORTED when padlock has no
 * verifier for it (kind 0 or weak: callers check weakness first to name it). */
PL_NODISCARD padlock_err pl_x509_sigalg_params(const pl_x509_sigalg *alg, pl_sig_params *out);

/* Writes a name for messages: "ecdsa-with-SHA256", "RSASSA-PSS with SHA-256", or the dotted
 * OID. Always NUL-terminates. */
void pl_x509_sigalg_describe(const pl_x509_sigalg *alg, char *out, size_t cap);

/* The one signature algorithm padlock signs certificates and requests with for each key type
 * (RFC 5280 §4.1.1.2): ECDSA with the hash that matches the curve (P-256 ecdsa-with-SHA256,
 * P-384 ecdsa-with-SHA384, P-521 ecdsa-with-SHA512; RFC 5758 §3.2), RSA sha256WithRSAEncryption
 * (PKCS #1 v1.5, which every verifier accepts; RFC 4055 §5), Ed25519 id-Ed25519 (RFC 8410 §3).
 * *out_scheme is the TLS scheme descriptor pl_privkey_sign takes for it. PADLOCK_E_KEY_UNSUPPORTED
 * for RSASSA-PSS keys (padlock does not sign certificates with them) and unknown types. */
PL_NODISCARD padlock_err pl_x509_sigalg_for_key(pl_key_type type, const pl_sig_alg **out_scheme);

/* Writes the AlgorithmIdentifier of pl_x509_sigalg_for_key(type): NULL parameters for RSA,
 * none for ECDSA and Ed25519. Errors: those of pl_x509_sigalg_for_key and of the builder (a
 * builder that ran out of room holds a partial element; the caller discards it). */
PL_NODISCARD padlock_err pl_x509_sigalg_write(pl_buf *b, pl_key_type type);

typedef struct pl_x509_pubkey {
    pl_span spki;     /* the whole SubjectPublicKeyInfo, as the crypto layer takes it */
    pl_span alg_oid;  /* algorithm OID content octets */
    pl_span key;      /* subjectPublicKey bits */
    pl_key_type type; /* PL_KEY_NONE for algorithms or curves padlock does not use */
    uint16_t bits;    /* RSA modulus bits, EC field bits, 256 for Ed25519; 0 if unknown */
} pl_x509_pubkey;

/* Reads a SubjectPublicKeyInfo and, for the key types padlock uses, checks the key's own
 * encoding: an RSAPublicKey with positive modulus and odd exponent > 1; an EC namedCurve
 * P-256/P-384/P-521 with a point of the curve's length (RFC 5480 §2.2); a 32-byte Ed25519 key.
 * Other algorithms parse with type PL_KEY_NONE. PADLOCK_E_DER on malformed input. */
PL_NODISCARD padlock_err pl_x509_pubkey_read(pl_cur *c, pl_x509_pubkey *out);

/* "RSA-2048", "EC P-256", "Ed25519", "RSA-PSS-3072", or the algorithm's name/OID. */
void pl_x509_pubkey_describe(const pl_x509_pubkey *key, char *out, size_t cap);

#endif
