/* Signature AlgorithmIdentifiers (RFC 3279 §2.2.1, RFC 4055 §3.1 and §5, RFC 5758 §3.2,
 * RFC 8410 §3) and SubjectPublicKeyInfo (RFC 3279 §2.3.1, RFC 4055 §1.2, RFC 5480 §2,
 * RFC 8410 §4). */
#include "x509/algorithm.h"

#include <stdio.h>

/* A digest AlgorithmIdentifier inside RSASSA-PSS-params: a SHA-2 or SHA-1 OID whose
 * parameters are NULL or absent (RFC 4055 §2.1 asks readers to accept both). */
static padlock_err pl_read_hash_alg(pl_cur *c, pl_x509_digest *out) {
    pl_cur seq;
    PL_TRY(pl_der_expect(c, PL_DER_SEQUENCE, &seq, NULL));
    pl_span oid;
    PL_TRY(pl_der_oid(&seq, &oid));
    if (pl_cur_left(&seq) > 0) {
        PL_TRY(pl_der_null(&seq));
    }
    PL_TRY(pl_der_done(&seq));
    switch (pl_oid_lookup(oid)) {
    case PL_OID_SHA1: *out = PL_X509_DIGEST_SHA1; break;
    case PL_OID_SHA256: *out = PL_X509_DIGEST_SHA256; break;
    case PL_OID_SHA384: *out = PL_X509_DIGEST_SHA384; break;
    case PL_OID_SHA512: *out = PL_X509_DIGEST_SHA512; break;
    default: return PADLOCK_E_DER;
    }
    return PADLOCK_OK;
}

/* RFC 4055 §3.1 RSASSA-PSS-params; the DEFAULT values are SHA-1, MGF1-SHA-1, salt 20 and
 * trailer 1. padlock accepts MGF1 only with the message digest. */
static padlock_err pl_read_pss_params(pl_cur *params, pl_x509_sigalg *out) {
    pl_cur seq;
    PL_TRY(pl_der_expect(params, PL_DER_SEQUENCE, &seq, NULL));
    pl_x509_digest hash = PL_X509_DIGEST_SHA1;
    pl_x509_digest mgf_hash = PL_X509_DIGEST_SHA1;
    uint64_t salt = 20;
    pl_cur field;
    int present;
    PL_TRY(pl_der_optional(&seq, PL_DER_CTX_CONS(0), &field, &present));
    if (present) {
        PL_TRY(pl_read_hash_alg(&field, &hash));
        PL_TRY(pl_der_done(&field));
    }
    PL_TRY(pl_der_optional(&seq, PL_DER_CTX_CONS(1), &field, &present));
    if (present) {
        pl_cur mgf;
        PL_TRY(pl_der_expect(&field, PL_DER_SEQUENCE, &mgf, NULL));
        PL_TRY(pl_der_done(&field));
        pl_span oid;
        PL_TRY(pl_der_oid(&mgf, &oid));
        PL_CHECK(pl_oid_lookup(oid) == PL_OID_MGF1, PADLOCK_E_DER);
        PL_TRY(pl_read_hash_alg(&mgf, &mgf_hash));
        PL_TRY(pl_der_done(&mgf));
    }
    PL_TRY(pl_der_optional(&seq, PL_DER_CTX_CONS(2), &field, &present));
    if (present) {
        PL_TRY(pl_der_small_uint(&field, PL_DER_INTEGER, UINT16_MAX, &salt));
        PL_TRY(pl_der_done(&field));
    }
    PL_TRY(pl_der_optional(&seq, PL_DER_CTX_CONS(3), &field, &present));
    if (present) {
        uint64_t trailer;
        PL_TRY(pl_der_small_uint(&field, PL_DER_INTEGER, 1, &trailer));
        PL_CHECK(trailer == 1, PADLOCK_E_DER); /* trailerFieldBC, the only one defined */
        PL_TRY(pl_der_done(&field));
    }
    PL_TRY(pl_der_done(&seq));
    PL_CHECK(mgf_hash == hash, PADLOCK_E_DER);
    out->digest = hash;
    out->pss_salt_len = (uint16_t)salt;
    out->kind = PL_SIG_KIND_RSA_PSS;
    return PADLOCK_OK;
}

padlock_err pl_x509_sigalg_read(pl_cur *c, pl_x509_sigalg *out) {
    pl_cur tmp = *c;
    pl_cur seq;
    pl_x509_sigalg alg = {0};
    PL_TRY(pl_der_expect(&tmp, PL_DER_SEQUENCE, &seq, &alg.der));
    PL_TRY(pl_der_oid(&seq, &alg.oid));
    pl_oid_id id = pl_oid_lookup(alg.oid);
    /* RFC 3279 §2.2.1, RFC 4055 §5: PKCS #1 v1.5 parameters are NULL, and readers "MUST
     * accept the parameters being absent as well as present". */
    int params_null = 0;
    int params_absent = 0; /* RFC 5758 §3.2, RFC 8410 §3: ECDSA and EdDSA have none */
    switch (id) {
    case PL_OID_MD2_RSA:
        alg.digest = PL_X509_DIGEST_MD2;
        params_null = 1;
        break;
    case PL_OID_MD5_RSA:
        alg.digest = PL_X509_DIGEST_MD5;
        params_null = 1;
        break;
    case PL_OID_SHA1_RSA:
        alg.digest = PL_X509_DIGEST_SHA1;
        params_null = 1;
        break;
    case PL_OID_SHA256_RSA:
        alg.digest = PL_X509_DIGEST_SHA256;
        params_null = 1;
        break;
    case PL_OID_SHA384_RSA:
        alg.digest = PL_X509_DIGEST_SHA384;
        params_null = 1;
        break;
    case PL_OID_SHA512_RSA:
        alg.digest = PL_X509_DIGEST_SHA512;
        params_null = 1;
        break;
    case PL_OID_ECDSA_SHA1:
        alg.digest = PL_X509_DIGEST_SHA1;
        params_absent = 1;
        break;
    case PL_OID_ECDSA_SHA256:
        alg.digest = PL_X509_DIGEST_SHA256;
        params_absent = 1;
        break;
    case PL_OID_ECDSA_SHA384:
        alg.digest = PL_X509_DIGEST_SHA384;
        params_absent = 1;
        break;
    case PL_OID_ECDSA_SHA512:
        alg.digest = PL_X509_DIGEST_SHA512;
        params_absent = 1;
        break;
    case PL_OID_ED25519: params_absent = 1; break;
    case PL_OID_RSASSA_PSS: PL_TRY(pl_read_pss_params(&seq, &alg)); break;
    default:
        /* Unknown: its parameters are whatever one element it carries. */
        if (pl_cur_left(&seq) > 0) {
            pl_der_tag tag;
            pl_cur ignored;
            PL_TRY(pl_der_next(&seq, &tag, &ignored, NULL));
        }
        break;
    }
    if (params_null) {
        if (pl_cur_left(&seq) > 0) {
            PL_TRY(pl_der_null(&seq));
        }
        alg.kind = PL_SIG_KIND_RSA_PKCS1;
    } else if (params_absent) {
        alg.kind = id == PL_OID_ED25519 ? PL_SIG_KIND_ED25519 : PL_SIG_KIND_ECDSA;
    }
    PL_TRY(pl_der_done(&seq));
    *out = alg;
    *c = tmp;
    return PADLOCK_OK;
}

int pl_x509_sigalg_is_weak(const pl_x509_sigalg *alg) {
    return alg->digest == PL_X509_DIGEST_MD2 || alg->digest == PL_X509_DIGEST_MD5 ||
           alg->digest == PL_X509_DIGEST_SHA1;
}

padlock_err pl_x509_sigalg_params(const pl_x509_sigalg *alg, pl_sig_params *out) {
    PL_CHECK(alg->kind != 0 && !pl_x509_sigalg_is_weak(alg), PADLOCK_E_CERT_UNSUPPORTED);
    out->kind = alg->kind;
    out->pss_salt_len = alg->pss_salt_len;
    switch (alg->digest) {
    case PL_X509_DIGEST_SHA256: out->hash = &pl_hash_sha256; break;
    case PL_X509_DIGEST_SHA384: out->hash = &pl_hash_sha384; break;
    case PL_X509_DIGEST_SHA512: out->hash = &pl_hash_sha512; break;
    default: out->hash = NULL; break;
    }
    PL_CHECK((out->hash == NULL) == (alg->kind == PL_SIG_KIND_ED25519), PADLOCK_E_INTERNAL);
    return PADLOCK_OK;
}

static const char *pl_digest_name(pl_x509_digest d) {
    switch (d) {
    case PL_X509_DIGEST_MD2: return "MD2";
    case PL_X509_DIGEST_MD5: return "MD5";
    case PL_X509_DIGEST_SHA1: return "SHA-1";
    case PL_X509_DIGEST_SHA256: return "SHA-256";
    case PL_X509_DIGEST_SHA384: return "SHA-384";
    case PL_X509_DIGEST_SHA512: return "SHA-512";
    case PL_X509_DIGEST_NONE: break;
    }
    return "none";
}

void pl_x509_sigalg_describe(const pl_x509_sigalg *alg, char *out, size_t cap) {
    if (alg->kind == PL_SIG_KIND_RSA_PSS) {
        snprintf(out, cap, "RSASSA-PSS with %s", pl_digest_name(alg->digest));
    } else {
        pl_oid_describe(alg->oid, out, cap);
    }
}

/* What padlock signs with, per key type (see pl_x509_sigalg_for_key). */
typedef struct pl_signing_alg {
    pl_key_type key;
    pl_sig_scheme scheme;
    pl_oid_id oid;
    uint8_t null_params; /* RFC 4055 §5: PKCS #1 v1.5 writers include NULL parameters */
} pl_signing_alg;

static const pl_signing_alg pl_signing_algs[] = {
    {PL_KEY_EC_P256, PL_SIG_ECDSA_SECP256R1_SHA256, PL_OID_ECDSA_SHA256, 0},
    {PL_KEY_EC_P384, PL_SIG_ECDSA_SECP384R1_SHA384, PL_OID_ECDSA_SHA384, 0},
    {PL_KEY_EC_P521, PL_SIG_ECDSA_SECP521R1_SHA512, PL_OID_ECDSA_SHA512, 0},
    {PL_KEY_RSA, PL_SIG_RSA_PKCS1_SHA256, PL_OID_SHA256_RSA, 1},
    {PL_KEY_ED25519, PL_SIG_ED25519, PL_OID_ED25519, 0},
};

static const pl_signing_alg *pl_signing_alg_for(pl_key_type type) {
    for (size_t i = 0; i < sizeof(pl_signing_algs) / sizeof(pl_signing_algs[0]); i++) {
        if (pl_signing_algs[i].key == type) {
            return &pl_signing_algs[i];
        }
    }
    return NULL;
}

padlock_err pl_x509_sigalg_for_key(pl_key_type type, const pl_sig_alg **out_scheme) {
    const pl_signing_alg *a = pl_signing_alg_for(type);
    PL_CHECK(a != NULL, PADLOCK_E_KEY_UNSUPPORTED);
    *out_scheme = pl_sig_by_scheme(a->scheme);
    PL_CHECK(*out_scheme != NULL, PADLOCK_E_INTERNAL);
    return PADLOCK_OK;
}

padlock_err pl_x509_sigalg_write(pl_buf *b, pl_key_type type) {
    const pl_signing_alg *a = pl_signing_alg_for(type);
    PL_CHECK(a != NULL, PADLOCK_E_KEY_UNSUPPORTED);
    pl_der_nest seq;
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &seq));
    PL_TRY(pl_der_put_oid(b, pl_oid_bytes(a->oid)));
    if (a->null_params) {
        PL_TRY(pl_der_put_null(b));
    }
    return pl_der_close(b, &seq);
}

/* ---- SubjectPublicKeyInfo ----------------------------------------------------------------- */

/* Bit length of a big-endian magnitude without leading zero octets. */
static uint16_t pl_bit_length(pl_span m) {
    if (m.len == 0) {
        return 0;
    }
    unsigned bits = (unsigned)(m.len - 1) * 8;
    for (uint8_t top = m.p[0]; top != 0; top >>= 1) {
        bits++;
    }
    return bits > UINT16_MAX ? UINT16_MAX : (uint16_t)bits;
}

/* RFC 3279 §2.3.1: RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } */
static padlock_err pl_read_rsa_key(pl_span key, uint16_t *out_bits) {
    pl_cur c;
    pl_cur_init(&c, key.p, key.len);
    pl_cur seq;
    PL_TRY(pl_der_expect(&c, PL_DER_SEQUENCE, &seq, NULL));
    PL_TRY(pl_der_done(&c));
    pl_span n, e;
    PL_TRY(pl_der_unsigned(&seq, PL_DER_INTEGER, &n));
    PL_TRY(pl_der_unsigned(&seq, PL_DER_INTEGER, &e));
    PL_TRY(pl_der_done(&seq));
    PL_CHECK(n.len > 0 && (n.p[n.len - 1] & 1) == 1, PADLOCK_E_DER); /* an odd modulus */
    PL_CHECK(e.len > 0 && (e.p[e.len - 1] & 1) == 1 && !(e.len == 1 && e.p[0] == 1), PADLOCK_E_DER);
    *out_bits = pl_bit_length(n);
    return PADLOCK_OK;
}

padlock_err pl_x509_pubkey_read(pl_cur *c, pl_x509_pubkey *out) {
    pl_cur tmp = *c;
    pl_x509_pubkey k = {0};
    pl_cur spki;
    PL_TRY(pl_der_expect(&tmp, PL_DER_SEQUENCE, &spki, &k.spki));
    pl_cur alg;
    PL_TRY(pl_der_expect(&spki, PL_DER_SEQUENCE, &alg, NULL));
    PL_TRY(pl_der_oid(&alg, &k.alg_oid));
    PL_TRY(pl_der_bit_octets(&spki, &k.key));
    PL_TRY(pl_der_done(&spki));
    switch (pl_oid_lookup(k.alg_oid)) {
    case PL_OID_RSA_ENCRYPTION:
        /* RFC 3279 §2.3.1: the parameters field MUST be NULL. */
        PL_TRY(pl_der_null(&alg));
        PL_TRY(pl_read_rsa_key(k.key, &k.bits));
        k.type = PL_KEY_RSA;
        break;
    case PL_OID_RSASSA_PSS:
        /* RFC 4055 §1.2: parameters absent (any PSS use) or restricting RSASSA-PSS-params. */
        if (pl_cur_left(&alg) > 0) {
            pl_x509_sigalg restricted;
            PL_TRY(pl_read_pss_params(&alg, &restricted));
        }
        PL_TRY(pl_read_rsa_key(k.key, &k.bits));
        k.type = PL_KEY_RSA_PSS;
        break;
    case PL_OID_EC_PUBLIC_KEY: {
        /* RFC 5480 §2.1.1: ECParameters restricted to namedCurve. */
        pl_span curve;
        PL_TRY(pl_der_oid(&alg, &curve));
        size_t field;
        switch (pl_oid_lookup(curve)) {
        case PL_OID_CURVE_P256:
            k.type = PL_KEY_EC_P256;
            k.bits = 256;
            field = 32;
            break;
        case PL_OID_CURVE_P384:
            k.type = PL_KEY_EC_P384;
            k.bits = 384;
            field = 48;
            break;
        case PL_OID_CURVE_P521:
            k.type = PL_KEY_EC_P521;
            k.bits = 521;
            field = 66;
            break;
        default: field = 0; break;
        }
        if (field != 0) {
            /* RFC 5480 §2.2: an uncompressed (04) or compressed (02/03) point. */
            PL_CHECK(k.key.len > 0, PADLOCK_E_DER);
            uint8_t form = k.key.p[0];
            PL_CHECK((form == 0x04 && k.key.len == 1 + 2 * field) ||
                         ((form == 0x02 || form == 0x03) && k.key.len == 1 + field),
                     PADLOCK_E_DER);
        }
        break;
    }
    case PL_OID_ED25519:
        /* RFC 8410 §3: parameters absent; §4: the 32-byte public key. */
        PL_CHECK(k.key.len == 32, PADLOCK_E_DER);
        k.type = PL_KEY_ED25519;
        k.bits = 256;
        break;
    default:
        if (pl_cur_left(&alg) > 0) {
            pl_der_tag tag;
            pl_cur ignored;
            PL_TRY(pl_der_next(&alg, &tag, &ignored, NULL));
        }
        break;
    }
    PL_TRY(pl_der_done(&alg));
    *out = k;
    *c = tmp;
    return PADLOCK_OK;
}

void pl_x509_pubkey_describe(const pl_x509_pubkey *key, char *out, size_t cap) {
    switch (key->type) {
    case PL_KEY_RSA: snprintf(out, cap, "RSA-%u", (unsigned)key->bits); return;
    case PL_KEY_RSA_PSS: snprintf(out, cap, "RSA-PSS-%u", (unsigned)key->bits); return;
    case PL_KEY_EC_P256: snprintf(out, cap, "EC P-256"); return;
    case PL_KEY_EC_P384: snprintf(out, cap, "EC P-384"); return;
    case PL_KEY_EC_P521: snprintf(out, cap, "EC P-521"); return;
    case PL_KEY_ED25519: snprintf(out, cap, "Ed25519"); return;
    case PL_KEY_NONE: break;
    }
    pl_oid_describe(key->alg_oid, out, cap);
}
