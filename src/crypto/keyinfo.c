/* DER key containers read with the strict DER reader (wire/der.h): SubjectPublicKeyInfo
 * (RFC 5280 §4.1.2.7, RFC 3279 §2.3, RFC 5480 §2, RFC 8410 §4, RFC 4055 §3.1 for RSASSA-PSS
 * parameters) and the private key containers PKCS#8 (RFC 5958 §2), SEC1 ECPrivateKey (RFC 5915
 * §3), RSAPrivateKey (RFC 8017 App. A.1.2). Only the structure and the algorithm are checked
 * here; key values are left to libcrypto. */
#include "crypto/keyinfo.h"

#include <string.h>

#include "wire/der.h"

/* A malformed container is PADLOCK_E_BAD_KEY to callers, whatever the DER reader reports. */
#define PL_KEY_DER(expr) PL_CHECK((expr) == PADLOCK_OK, PADLOCK_E_BAD_KEY)

/* The OIDs a key container names, as DER content octets. src/x509/oid.h has the full table,
 * but the crypto layer sits below X.509 and needs only these. */
#define PL_KEY_OID(name, ...)                                                                      \
    static const uint8_t name##_bytes[] = {__VA_ARGS__};                                           \
    static const pl_span name = {name##_bytes, sizeof(name##_bytes)}

PL_KEY_OID(pl_oid_rsa, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01); /* rsaEncryption */
PL_KEY_OID(pl_oid_rsa_pss, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a); /* RSASSA-PSS */
PL_KEY_OID(pl_oid_mgf1, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08);
PL_KEY_OID(pl_oid_ec, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01); /* id-ecPublicKey */
PL_KEY_OID(pl_oid_p256, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07);
PL_KEY_OID(pl_oid_p384, 0x2b, 0x81, 0x04, 0x00, 0x22);
PL_KEY_OID(pl_oid_p521, 0x2b, 0x81, 0x04, 0x00, 0x23);
PL_KEY_OID(pl_oid_ed25519, 0x2b, 0x65, 0x70);
PL_KEY_OID(pl_oid_sha256, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01);
PL_KEY_OID(pl_oid_sha384, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02);
PL_KEY_OID(pl_oid_sha512, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03);

/* A DER INTEGER that must be positive: its magnitude without the sign octet. */
static padlock_err pl_key_positive(pl_cur *c, pl_span *out) {
    PL_KEY_DER(pl_der_unsigned(c, PL_DER_INTEGER, out));
    PL_CHECK(out->len > 0, PADLOCK_E_BAD_KEY);
    return PADLOCK_OK;
}

/* A small non-negative DER INTEGER (versions, salt lengths). */
static padlock_err pl_key_small(pl_cur *c, uint64_t max, uint64_t *out) {
    PL_KEY_DER(pl_der_small_uint(c, PL_DER_INTEGER, max, out));
    return PADLOCK_OK;
}

/* The element with tag, read whole into *out. */
static padlock_err pl_key_expect(pl_cur *c, pl_der_tag tag, pl_cur *out) {
    PL_KEY_DER(pl_der_expect(c, tag, out, NULL));
    return PADLOCK_OK;
}

static padlock_err pl_key_done(const pl_cur *c) {
    PL_KEY_DER(pl_der_done(c));
    return PADLOCK_OK;
}

/* An AlgorithmIdentifier: the OID and the raw parameters (empty cursor when absent). */
static padlock_err pl_key_algid(pl_cur *c, pl_span *oid, pl_cur *params) {
    pl_cur seq;
    PL_TRY(pl_key_expect(c, PL_DER_SEQUENCE, &seq));
    PL_KEY_DER(pl_der_oid(&seq, oid));
    *params = seq;
    return PADLOCK_OK;
}

/* Parameters that must be absent or NULL (RFC 3279 §2.3.1, RFC 5754 §2). */
static padlock_err pl_key_null_or_absent(const pl_cur *params) {
    if (pl_cur_left(params) == 0) {
        return PADLOCK_OK;
    }
    pl_cur p = *params;
    PL_KEY_DER(pl_der_null(&p));
    return pl_key_done(&p);
}

/* A hash AlgorithmIdentifier: *out is the SHA-2 hash, or 0 for any other hash. */
static padlock_err pl_key_hash_algid(pl_cur *c, pl_hash_id *out) {
    pl_span oid;
    pl_cur params;
    PL_TRY(pl_key_algid(c, &oid, &params));
    PL_TRY(pl_key_null_or_absent(&params));
    *out = pl_span_equal(oid, pl_oid_sha256)   ? PL_HASH_SHA256
           : pl_span_equal(oid, pl_oid_sha384) ? PL_HASH_SHA384
           : pl_span_equal(oid, pl_oid_sha512) ? PL_HASH_SHA512
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
    PL_TRY(pl_key_expect(&p, PL_DER_SEQUENCE, &seq));
    PL_TRY(pl_key_done(&p));
    out->present = 1;
    out->min_salt_len = 20;
    pl_cur field;
    int present;
    PL_KEY_DER(pl_der_optional(&seq, PL_DER_CTX_CONS(0), &field, &present));
    if (present) {
        PL_TRY(pl_key_hash_algid(&field, &out->hash));
        PL_TRY(pl_key_done(&field));
    }
    PL_KEY_DER(pl_der_optional(&seq, PL_DER_CTX_CONS(1), &field, &present));
    if (present) {
        pl_span oid;
        pl_cur mgf_params;
        PL_TRY(pl_key_algid(&field, &oid, &mgf_params));
        PL_TRY(pl_key_done(&field));
        if (pl_span_equal(oid, pl_oid_mgf1)) {
            PL_TRY(pl_key_hash_algid(&mgf_params, &out->mgf1_hash));
            PL_TRY(pl_key_done(&mgf_params));
        }
    }
    PL_KEY_DER(pl_der_optional(&seq, PL_DER_CTX_CONS(2), &field, &present));
    if (present) {
        uint64_t salt;
        PL_TRY(pl_key_small(&field, 0xffff, &salt));
        PL_TRY(pl_key_done(&field));
        out->min_salt_len = (uint16_t)salt;
    }
    PL_KEY_DER(pl_der_optional(&seq, PL_DER_CTX_CONS(3), &field, &present));
    if (present) {
        uint64_t trailer;
        PL_TRY(pl_key_small(&field, 0xff, &trailer));
        PL_TRY(pl_key_done(&field));
        PL_CHECK(trailer == 1, PADLOCK_E_BAD_KEY); /* RFC 4055 §3.1: trailerFieldBC only */
    }
    return pl_key_done(&seq);
}

/* The key type an AlgorithmIdentifier names: PL_KEY_NONE for algorithms padlock does not use,
 * and for id-ecPublicKey on another curve or with explicit parameters. */
static padlock_err pl_key_algid_type(pl_span oid, const pl_cur *params, pl_key_type *out,
                                     pl_pss_restriction *pss) {
    *out = PL_KEY_NONE;
    if (pl_span_equal(oid, pl_oid_rsa)) {
        PL_TRY(pl_key_null_or_absent(params));
        *out = PL_KEY_RSA;
    } else if (pl_span_equal(oid, pl_oid_rsa_pss)) {
        PL_TRY(pl_pss_params_parse(params, pss));
        *out = PL_KEY_RSA_PSS;
    } else if (pl_span_equal(oid, pl_oid_ed25519)) {
        /* RFC 8410 §3: the parameters MUST be absent. */
        PL_CHECK(pl_cur_left(params) == 0, PADLOCK_E_BAD_KEY);
        *out = PL_KEY_ED25519;
    } else if (pl_span_equal(oid, pl_oid_ec)) {
        /* RFC 5480 §2.1.1: namedCurve is the only form allowed; implicitCurve and
         * specifiedCurve are well-formed but not used by padlock. */
        PL_CHECK(pl_cur_left(params) > 0, PADLOCK_E_BAD_KEY);
        if (!pl_der_next_is(params, PL_DER_OID)) {
            return PADLOCK_OK;
        }
        pl_cur p = *params;
        pl_span curve;
        PL_KEY_DER(pl_der_oid(&p, &curve));
        PL_TRY(pl_key_done(&p));
        *out = pl_span_equal(curve, pl_oid_p256)   ? PL_KEY_EC_P256
               : pl_span_equal(curve, pl_oid_p384) ? PL_KEY_EC_P384
               : pl_span_equal(curve, pl_oid_p521) ? PL_KEY_EC_P521
                                                   : PL_KEY_NONE;
    }
    return PADLOCK_OK;
}

padlock_err pl_spki_parse(const uint8_t *spki, size_t len, pl_spki *out) {
    memset(out, 0, sizeof(*out));
    pl_cur top;
    pl_cur_init(&top, spki, len);
    pl_cur seq;
    PL_TRY(pl_key_expect(&top, PL_DER_SEQUENCE, &seq));
    PL_TRY(pl_key_done(&top));
    pl_span oid;
    pl_cur params;
    PL_TRY(pl_key_algid(&seq, &oid, &params));
    pl_span bits;
    PL_KEY_DER(pl_der_bit_octets(&seq, &bits));
    PL_TRY(pl_key_done(&seq));
    pl_key_type type;
    PL_TRY(pl_key_algid_type(oid, &params, &type, &out->pss));
    out->key = bits.p;
    out->key_len = bits.len;
    if (type == PL_KEY_RSA || type == PL_KEY_RSA_PSS) {
        /* RFC 8017 App. A.1.1: RSAPublicKey ::= SEQUENCE { modulus, publicExponent }. */
        pl_cur key;
        pl_cur_init(&key, bits.p, bits.len);
        pl_cur rsa;
        PL_TRY(pl_key_expect(&key, PL_DER_SEQUENCE, &rsa));
        PL_TRY(pl_key_done(&key));
        pl_span n;
        pl_span e;
        PL_TRY(pl_key_positive(&rsa, &n));
        PL_TRY(pl_key_positive(&rsa, &e));
        PL_TRY(pl_key_done(&rsa));
        out->rsa_n = n.p;
        out->rsa_n_len = n.len;
        out->rsa_e = e.p;
        out->rsa_e_len = e.len;
    } else if (type == PL_KEY_ED25519) {
        PL_CHECK(out->key_len == 32, PADLOCK_E_BAD_KEY); /* RFC 8410 §4 */
    }
    out->type = type;
    return PADLOCK_OK;
}

/* RFC 5958 §2: OneAsymmetricKey (PKCS#8 PrivateKeyInfo is its version 0). */
static padlock_err pl_inspect_pkcs8(pl_cur *seq, pl_key_type *out_type) {
    uint64_t version;
    PL_TRY(pl_key_small(seq, 1, &version));
    pl_span oid;
    pl_cur params;
    PL_TRY(pl_key_algid(seq, &oid, &params));
    pl_cur skip;
    PL_TRY(pl_key_expect(seq, PL_DER_OCTET_STRING, &skip));
    int present;
    PL_KEY_DER(pl_der_optional(seq, PL_DER_CTX_CONS(0), &skip, &present)); /* attributes */
    if (version == 1) {
        PL_KEY_DER(pl_der_optional(seq, PL_DER_CTX(1), &skip, &present)); /* publicKey */
    }
    PL_TRY(pl_key_done(seq));
    pl_pss_restriction pss;
    PL_TRY(pl_key_algid_type(oid, &params, out_type, &pss));
    PL_CHECK(*out_type != PL_KEY_NONE, PADLOCK_E_KEY_UNSUPPORTED);
    return PADLOCK_OK;
}

/* RFC 5915 §3: ECPrivateKey; the curve must be named in [0] since nothing else says it. */
static padlock_err pl_inspect_sec1(pl_cur *seq, pl_key_type *out_type) {
    uint64_t version;
    PL_TRY(pl_key_small(seq, 1, &version));
    PL_CHECK(version == 1, PADLOCK_E_BAD_KEY);
    pl_cur skip;
    PL_TRY(pl_key_expect(seq, PL_DER_OCTET_STRING, &skip));
    pl_cur params;
    PL_TRY(pl_key_expect(seq, PL_DER_CTX_CONS(0), &params));
    int present;
    PL_KEY_DER(pl_der_optional(seq, PL_DER_CTX_CONS(1), &skip, &present)); /* publicKey */
    PL_TRY(pl_key_done(seq));
    PL_TRY(pl_key_algid_type(pl_oid_ec, &params, out_type, NULL));
    PL_CHECK(*out_type != PL_KEY_NONE, PADLOCK_E_KEY_UNSUPPORTED);
    return PADLOCK_OK;
}

/* RFC 8017 App. A.1.2: RSAPrivateKey, version 0 (two primes) or 1 (multi-prime). */
static padlock_err pl_inspect_pkcs1(pl_cur *seq, pl_key_type *out_type) {
    uint64_t version;
    PL_TRY(pl_key_small(seq, 1, &version));
    for (int i = 0; i < 8; i++) { /* n, e, d, p, q, dP, dQ, qInv */
        pl_span v;
        PL_TRY(pl_key_positive(seq, &v));
    }
    if (version == 1) {
        pl_cur skip;
        PL_TRY(pl_key_expect(seq, PL_DER_SEQUENCE, &skip)); /* otherPrimeInfos */
    }
    PL_TRY(pl_key_done(seq));
    *out_type = PL_KEY_RSA;
    return PADLOCK_OK;
}

/* The container a DER private key's shape says it is (RFC 5958 §3 for the encrypted one). */
static padlock_err pl_privkey_shape(const pl_cur *seq, pl_privkey_format *out) {
    pl_cur c = *seq;
    pl_cur first;
    if (pl_der_next_is(&c, PL_DER_SEQUENCE)) {
        PL_TRY(pl_key_expect(&c, PL_DER_SEQUENCE, &first));
        /* EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData } */
        PL_CHECK(pl_der_next_is(&c, PL_DER_OCTET_STRING), PADLOCK_E_BAD_KEY);
        return PADLOCK_E_KEY_ENCRYPTED;
    }
    PL_TRY(pl_key_expect(&c, PL_DER_INTEGER, &first));
    if (pl_der_next_is(&c, PL_DER_SEQUENCE)) {
        *out = PL_PRIVKEY_PKCS8;
    } else if (pl_der_next_is(&c, PL_DER_OCTET_STRING)) {
        *out = PL_PRIVKEY_SEC1;
    } else if (pl_der_next_is(&c, PL_DER_INTEGER)) {
        *out = PL_PRIVKEY_PKCS1;
    } else {
        return PADLOCK_E_BAD_KEY;
    }
    return PADLOCK_OK;
}

padlock_err pl_privkey_inspect(const uint8_t *der, size_t len, pl_privkey_format format,
                               pl_privkey_format *out_format, pl_key_type *out_type) {
    pl_cur top;
    pl_cur_init(&top, der, len);
    pl_cur seq;
    PL_TRY(pl_key_expect(&top, PL_DER_SEQUENCE, &seq));
    PL_TRY(pl_key_done(&top));
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
