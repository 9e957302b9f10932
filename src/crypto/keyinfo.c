/* DER key containers read with the cursor: SubjectPublicKeyInfo (RFC 5280 §4.1.2.7, RFC 3279
 * §2.3, RFC 5480 §2, RFC 8410 §4, RFC 4055 §3.1 for RSASSA-PSS parameters) and the private key
 * containers PKCS#8 (RFC 5958 §2), SEC1 ECPrivateKey (RFC 5915 §3), RSAPrivateKey (RFC 8017
 * App. A.1.2). Only the structure and the algorithm are checked here; key values are left to
 * libcrypto. */
#include "crypto/keyinfo.h"

#include <string.h>

#include "wire/cur.h"

enum {
    PL_DER_INTEGER = 0x02,
    PL_DER_BIT_STRING = 0x03,
    PL_DER_OCTET_STRING = 0x04,
    PL_DER_NULL = 0x05,
    PL_DER_OID = 0x06,
    PL_DER_SEQUENCE = 0x30,
    PL_DER_CTX0 = 0xa0, /* [0] constructed */
    PL_DER_CTX1 = 0xa1,
    PL_DER_CTX2 = 0xa2,
    PL_DER_CTX3 = 0xa3,
    PL_DER_CTX1_PRIM = 0x81, /* [1] IMPLICIT BIT STRING (RFC 5958 publicKey) */
};

typedef struct pl_oid {
    const uint8_t *p;
    size_t len;
} pl_oid;

#define PL_OID(name, ...)                                                                          \
    static const uint8_t name##_bytes[] = {__VA_ARGS__};                                           \
    static const pl_oid name = {name##_bytes, sizeof(name##_bytes)}

PL_OID(pl_oid_rsa, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01);     /* rsaEncryption */
PL_OID(pl_oid_rsa_pss, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a); /* RSASSA-PSS */
PL_OID(pl_oid_mgf1, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08);
PL_OID(pl_oid_ec, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01); /* id-ecPublicKey */
PL_OID(pl_oid_p256, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07);
PL_OID(pl_oid_p384, 0x2b, 0x81, 0x04, 0x00, 0x22);
PL_OID(pl_oid_p521, 0x2b, 0x81, 0x04, 0x00, 0x23);
PL_OID(pl_oid_ed25519, 0x2b, 0x65, 0x70);
PL_OID(pl_oid_sha256, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01);
PL_OID(pl_oid_sha384, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02);
PL_OID(pl_oid_sha512, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03);

static int pl_oid_is(const pl_cur *oid, const pl_oid *want) {
    return pl_cur_left(oid) == want->len && memcmp(oid->p, want->p, want->len) == 0;
}

/* The tag of the next element, or -1 at the end. */
static int pl_der_peek(const pl_cur *c) {
    return pl_cur_left(c) == 0 ? -1 : c->p[0];
}

/* Reads one DER element with the given tag (low tag numbers, definite minimal lengths). */
static padlock_err pl_der_read(pl_cur *c, uint8_t tag, pl_cur *body) {
    pl_cur save = *c;
    uint8_t t;
    uint8_t l;
    PL_CHECK(pl_cur_u8(c, &t) == PADLOCK_OK && t == tag, PADLOCK_E_BAD_KEY);
    PL_CHECK(pl_cur_u8(c, &l) == PADLOCK_OK, PADLOCK_E_BAD_KEY);
    size_t len = l;
    if (l >= 0x80) {
        size_t n = l & 0x7f;
        PL_CHECK(n >= 1 && n <= 4, PADLOCK_E_BAD_KEY);
        len = 0;
        for (size_t i = 0; i < n; i++) {
            uint8_t b;
            PL_CHECK(pl_cur_u8(c, &b) == PADLOCK_OK, PADLOCK_E_BAD_KEY);
            PL_CHECK(i != 0 || b != 0, PADLOCK_E_BAD_KEY); /* X.690 §10.1: minimal length */
            len = len << 8 | b;
        }
        PL_CHECK(len >= 0x80, PADLOCK_E_BAD_KEY);
    }
    if (pl_cur_sub(c, len, body) != PADLOCK_OK) {
        *c = save;
        return PADLOCK_E_BAD_KEY;
    }
    return PADLOCK_OK;
}

static padlock_err pl_der_done(const pl_cur *c) {
    PL_CHECK(pl_cur_left(c) == 0, PADLOCK_E_BAD_KEY);
    return PADLOCK_OK;
}

/* A DER INTEGER that must be positive: its magnitude without the sign byte. */
static padlock_err pl_der_positive(pl_cur *c, const uint8_t **out, size_t *out_len) {
    pl_cur v;
    PL_TRY(pl_der_read(c, PL_DER_INTEGER, &v));
    size_t n = pl_cur_left(&v);
    PL_CHECK(n > 0 && (v.p[0] & 0x80) == 0, PADLOCK_E_BAD_KEY);
    if (n > 1 && v.p[0] == 0) {
        PL_CHECK((v.p[1] & 0x80) != 0, PADLOCK_E_BAD_KEY); /* X.690 §8.3.2: minimal */
        v.p++;
        v.len--;
    }
    PL_CHECK(!(v.len == 1 && v.p[0] == 0), PADLOCK_E_BAD_KEY);
    *out = v.p;
    *out_len = v.len;
    return PADLOCK_OK;
}

/* A small non-negative DER INTEGER (versions, salt lengths). */
static padlock_err pl_der_small(pl_cur *c, uint32_t max, uint32_t *out) {
    pl_cur v;
    PL_TRY(pl_der_read(c, PL_DER_INTEGER, &v));
    size_t n = pl_cur_left(&v);
    PL_CHECK(n >= 1 && n <= 3 && (v.p[0] & 0x80) == 0, PADLOCK_E_BAD_KEY);
    PL_CHECK(n == 1 || v.p[0] != 0 || (v.p[1] & 0x80) != 0, PADLOCK_E_BAD_KEY);
    uint32_t x = 0;
    for (size_t i = 0; i < n; i++) {
        x = x << 8 | v.p[i];
    }
    PL_CHECK(x <= max, PADLOCK_E_BAD_KEY);
    *out = x;
    return PADLOCK_OK;
}

/* An AlgorithmIdentifier: the OID and the raw parameters (empty cursor when absent). */
static padlock_err pl_der_algid(pl_cur *c, pl_cur *oid, pl_cur *params) {
    pl_cur seq;
    PL_TRY(pl_der_read(c, PL_DER_SEQUENCE, &seq));
    PL_TRY(pl_der_read(&seq, PL_DER_OID, oid));
    *params = seq;
    return PADLOCK_OK;
}

/* Parameters that must be absent or NULL (RFC 3279 §2.3.1, RFC 5754 §2). */
static padlock_err pl_der_null_or_absent(const pl_cur *params) {
    if (pl_cur_left(params) == 0) {
        return PADLOCK_OK;
    }
    pl_cur p = *params;
    pl_cur body;
    PL_TRY(pl_der_read(&p, PL_DER_NULL, &body));
    PL_TRY(pl_der_done(&body));
    return pl_der_done(&p);
}

/* A hash AlgorithmIdentifier: *out is the SHA-2 hash, or 0 for any other hash. */
static padlock_err pl_der_hash_algid(pl_cur *c, pl_hash_id *out) {
    pl_cur oid;
    pl_cur params;
    PL_TRY(pl_der_algid(c, &oid, &params));
    PL_TRY(pl_der_null_or_absent(&params));
    *out = pl_oid_is(&oid, &pl_oid_sha256)   ? PL_HASH_SHA256
           : pl_oid_is(&oid, &pl_oid_sha384) ? PL_HASH_SHA384
           : pl_oid_is(&oid, &pl_oid_sha512) ? PL_HASH_SHA512
                                             : (pl_hash_id)0;
    return PADLOCK_OK;
}

/* RFC 4055 §3.1: RSASSA-PSS-params, each field optional with SHA-1 defaults. A padlock
 * verifier needs hash and MGF1 hash from SHA-2, so a SHA-1 default shows up as 0. */
static padlock_err pl_pss_params_parse(const pl_cur *params, pl_pss_restriction *out) {
    memset(out, 0, sizeof(*out));
    if (pl_cur_left(params) == 0) {
        return PADLOCK_OK;
    }
    pl_cur p = *params;
    pl_cur seq;
    PL_TRY(pl_der_read(&p, PL_DER_SEQUENCE, &seq));
    PL_TRY(pl_der_done(&p));
    out->present = 1;
    out->min_salt_len = 20;
    pl_cur field;
    if (pl_der_peek(&seq) == PL_DER_CTX0) {
        PL_TRY(pl_der_read(&seq, PL_DER_CTX0, &field));
        PL_TRY(pl_der_hash_algid(&field, &out->hash));
        PL_TRY(pl_der_done(&field));
    }
    if (pl_der_peek(&seq) == PL_DER_CTX1) {
        PL_TRY(pl_der_read(&seq, PL_DER_CTX1, &field));
        pl_cur oid;
        pl_cur mgf_params;
        PL_TRY(pl_der_algid(&field, &oid, &mgf_params));
        PL_TRY(pl_der_done(&field));
        if (pl_oid_is(&oid, &pl_oid_mgf1)) {
            PL_TRY(pl_der_hash_algid(&mgf_params, &out->mgf1_hash));
            PL_TRY(pl_der_done(&mgf_params));
        }
    }
    if (pl_der_peek(&seq) == PL_DER_CTX2) {
        PL_TRY(pl_der_read(&seq, PL_DER_CTX2, &field));
        uint32_t salt;
        PL_TRY(pl_der_small(&field, 0xffff, &salt));
        PL_TRY(pl_der_done(&field));
        out->min_salt_len = (uint16_t)salt;
    }
    if (pl_der_peek(&seq) == PL_DER_CTX3) {
        PL_TRY(pl_der_read(&seq, PL_DER_CTX3, &field));
        uint32_t trailer;
        PL_TRY(pl_der_small(&field, 0xff, &trailer));
        PL_TRY(pl_der_done(&field));
        PL_CHECK(trailer == 1, PADLOCK_E_BAD_KEY); /* RFC 4055 §3.1: trailerFieldBC only */
    }
    return pl_der_done(&seq);
}

/* The key type an AlgorithmIdentifier names: PL_KEY_NONE for algorithms padlock does not use,
 * and for id-ecPublicKey on another curve or with explicit parameters. */
static padlock_err pl_key_algid(const pl_cur *oid, const pl_cur *params, pl_key_type *out,
                                pl_pss_restriction *pss) {
    *out = PL_KEY_NONE;
    if (pl_oid_is(oid, &pl_oid_rsa)) {
        PL_TRY(pl_der_null_or_absent(params));
        *out = PL_KEY_RSA;
    } else if (pl_oid_is(oid, &pl_oid_rsa_pss)) {
        PL_TRY(pl_pss_params_parse(params, pss));
        *out = PL_KEY_RSA_PSS;
    } else if (pl_oid_is(oid, &pl_oid_ed25519)) {
        /* RFC 8410 §3: the parameters MUST be absent. */
        PL_CHECK(pl_cur_left(params) == 0, PADLOCK_E_BAD_KEY);
        *out = PL_KEY_ED25519;
    } else if (pl_oid_is(oid, &pl_oid_ec)) {
        /* RFC 5480 §2.1.1: namedCurve is the only form allowed; implicitCurve and
         * specifiedCurve are well-formed but not used by padlock. */
        PL_CHECK(pl_cur_left(params) > 0, PADLOCK_E_BAD_KEY);
        if (pl_der_peek(params) != PL_DER_OID) {
            return PADLOCK_OK;
        }
        pl_cur p = *params;
        pl_cur curve;
        PL_TRY(pl_der_read(&p, PL_DER_OID, &curve));
        PL_TRY(pl_der_done(&p));
        *out = pl_oid_is(&curve, &pl_oid_p256)   ? PL_KEY_EC_P256
               : pl_oid_is(&curve, &pl_oid_p384) ? PL_KEY_EC_P384
               : pl_oid_is(&curve, &pl_oid_p521) ? PL_KEY_EC_P521
                                                 : PL_KEY_NONE;
    }
    return PADLOCK_OK;
}

/* A BIT STRING holding whole bytes. */
static padlock_err pl_der_bits(pl_cur *c, pl_cur *out) {
    PL_TRY(pl_der_read(c, PL_DER_BIT_STRING, out));
    uint8_t unused;
    PL_CHECK(pl_cur_u8(out, &unused) == PADLOCK_OK && unused == 0, PADLOCK_E_BAD_KEY);
    return PADLOCK_OK;
}

padlock_err pl_spki_parse(const uint8_t *spki, size_t len, pl_spki *out) {
    memset(out, 0, sizeof(*out));
    pl_cur top;
    pl_cur_init(&top, spki, len);
    pl_cur seq;
    PL_TRY(pl_der_read(&top, PL_DER_SEQUENCE, &seq));
    PL_TRY(pl_der_done(&top));
    pl_cur oid;
    pl_cur params;
    PL_TRY(pl_der_algid(&seq, &oid, &params));
    pl_cur key;
    PL_TRY(pl_der_bits(&seq, &key));
    PL_TRY(pl_der_done(&seq));
    pl_key_type type;
    PL_TRY(pl_key_algid(&oid, &params, &type, &out->pss));
    out->key = key.p;
    out->key_len = pl_cur_left(&key);
    if (type == PL_KEY_RSA || type == PL_KEY_RSA_PSS) {
        /* RFC 8017 App. A.1.1: RSAPublicKey ::= SEQUENCE { modulus, publicExponent }. */
        pl_cur rsa;
        PL_TRY(pl_der_read(&key, PL_DER_SEQUENCE, &rsa));
        PL_TRY(pl_der_done(&key));
        PL_TRY(pl_der_positive(&rsa, &out->rsa_n, &out->rsa_n_len));
        PL_TRY(pl_der_positive(&rsa, &out->rsa_e, &out->rsa_e_len));
        PL_TRY(pl_der_done(&rsa));
    } else if (type == PL_KEY_ED25519) {
        PL_CHECK(out->key_len == 32, PADLOCK_E_BAD_KEY); /* RFC 8410 §4 */
    }
    out->type = type;
    return PADLOCK_OK;
}

/* RFC 5958 §2: OneAsymmetricKey (PKCS#8 PrivateKeyInfo is its version 0). */
static padlock_err pl_inspect_pkcs8(pl_cur *seq, pl_key_type *out_type) {
    uint32_t version;
    PL_TRY(pl_der_small(seq, 1, &version));
    pl_cur oid;
    pl_cur params;
    PL_TRY(pl_der_algid(seq, &oid, &params));
    pl_cur priv;
    PL_TRY(pl_der_read(seq, PL_DER_OCTET_STRING, &priv));
    pl_cur skip;
    if (pl_der_peek(seq) == PL_DER_CTX0) {
        PL_TRY(pl_der_read(seq, PL_DER_CTX0, &skip));
    }
    if (version == 1 && pl_der_peek(seq) == PL_DER_CTX1_PRIM) {
        PL_TRY(pl_der_read(seq, PL_DER_CTX1_PRIM, &skip));
    }
    PL_TRY(pl_der_done(seq));
    pl_pss_restriction pss;
    PL_TRY(pl_key_algid(&oid, &params, out_type, &pss));
    PL_CHECK(*out_type != PL_KEY_NONE, PADLOCK_E_KEY_UNSUPPORTED);
    return PADLOCK_OK;
}

/* RFC 5915 §3: ECPrivateKey; the curve must be named in [0] since nothing else says it. */
static padlock_err pl_inspect_sec1(pl_cur *seq, pl_key_type *out_type) {
    uint32_t version;
    PL_TRY(pl_der_small(seq, 1, &version));
    PL_CHECK(version == 1, PADLOCK_E_BAD_KEY);
    pl_cur priv;
    PL_TRY(pl_der_read(seq, PL_DER_OCTET_STRING, &priv));
    PL_CHECK(pl_der_peek(seq) == PL_DER_CTX0, PADLOCK_E_BAD_KEY);
    pl_cur params;
    PL_TRY(pl_der_read(seq, PL_DER_CTX0, &params));
    pl_cur skip;
    if (pl_der_peek(seq) == PL_DER_CTX1) {
        PL_TRY(pl_der_read(seq, PL_DER_CTX1, &skip));
    }
    PL_TRY(pl_der_done(seq));
    pl_cur ec_oid = {pl_oid_ec.p, pl_oid_ec.len};
    PL_TRY(pl_key_algid(&ec_oid, &params, out_type, NULL));
    PL_CHECK(*out_type != PL_KEY_NONE, PADLOCK_E_KEY_UNSUPPORTED);
    return PADLOCK_OK;
}

/* RFC 8017 App. A.1.2: RSAPrivateKey, version 0 (two primes) or 1 (multi-prime). */
static padlock_err pl_inspect_pkcs1(pl_cur *seq, pl_key_type *out_type) {
    uint32_t version;
    PL_TRY(pl_der_small(seq, 1, &version));
    for (int i = 0; i < 8; i++) { /* n, e, d, p, q, dP, dQ, qInv */
        const uint8_t *v;
        size_t v_len;
        PL_TRY(pl_der_positive(seq, &v, &v_len));
    }
    pl_cur skip;
    if (version == 1) {
        PL_TRY(pl_der_read(seq, PL_DER_SEQUENCE, &skip));
    }
    PL_TRY(pl_der_done(seq));
    *out_type = PL_KEY_RSA;
    return PADLOCK_OK;
}

/* The container a DER private key's shape says it is (RFC 5958 §3 for the encrypted one). */
static padlock_err pl_privkey_shape(const pl_cur *seq, pl_privkey_format *out) {
    pl_cur c = *seq;
    pl_cur first;
    int tag = pl_der_peek(&c);
    if (tag == PL_DER_SEQUENCE) {
        PL_TRY(pl_der_read(&c, PL_DER_SEQUENCE, &first));
        /* EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData } */
        PL_CHECK(pl_der_peek(&c) == PL_DER_OCTET_STRING, PADLOCK_E_BAD_KEY);
        return PADLOCK_E_KEY_ENCRYPTED;
    }
    PL_TRY(pl_der_read(&c, PL_DER_INTEGER, &first));
    switch (pl_der_peek(&c)) {
    case PL_DER_SEQUENCE: *out = PL_PRIVKEY_PKCS8; return PADLOCK_OK;
    case PL_DER_OCTET_STRING: *out = PL_PRIVKEY_SEC1; return PADLOCK_OK;
    case PL_DER_INTEGER: *out = PL_PRIVKEY_PKCS1; return PADLOCK_OK;
    default: return PADLOCK_E_BAD_KEY;
    }
}

padlock_err pl_privkey_inspect(const uint8_t *der, size_t len, pl_privkey_format format,
                               pl_privkey_format *out_format, pl_key_type *out_type) {
    pl_cur top;
    pl_cur_init(&top, der, len);
    pl_cur seq;
    PL_TRY(pl_der_read(&top, PL_DER_SEQUENCE, &seq));
    PL_TRY(pl_der_done(&top));
    if (format == PL_PRIVKEY_ANY) {
        PL_TRY(pl_privkey_shape(&seq, &format));
    }
    *out_format = format;
    switch (format) {
    case PL_PRIVKEY_PKCS8: return pl_inspect_pkcs8(&seq, out_type);
    case PL_PRIVKEY_SEC1: return pl_inspect_sec1(&seq, out_type);
    case PL_PRIVKEY_PKCS1: return pl_inspect_pkcs1(&seq, out_type);
    case PL_PRIVKEY_ANY: break;
    }
    return PADLOCK_E_INVALID_ARGUMENT;
}
