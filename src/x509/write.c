/* Certificate writing: the TBSCertificate of RFC 5280 §4.1.2 (v3, serial §4.1.2.2, validity
 * §4.1.2.5, extensions §4.1.2.9) with the extensions of §4.2.1.1 AKI, §4.2.1.2 SKI, §4.2.1.3
 * keyUsage, §4.2.1.6 subjectAltName, §4.2.1.9 basicConstraints, §4.2.1.12 extKeyUsage, and the
 * signed envelope of §4.1.1 (also RFC 2986 §4.2). */
#include "x509/write.h"

#include "util/mem.h"
#include "x509/oid.h"

void pl_x509_key_id(const pl_x509_pubkey *key, uint8_t out[PL_X509_KEY_ID_LEN]) {
    uint8_t digest[32];
    pl_hash(&pl_hash_sha256, key->key.p, key->key.len, digest);
    for (size_t i = 0; i < PL_X509_KEY_ID_LEN; i++) {
        out[i] = digest[i];
    }
}

/* An Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
 * is opened: the caller writes the value's DER, then closes both with pl_ext_close. */
typedef struct pl_ext_nest {
    pl_der_nest ext;
    pl_der_nest value;
} pl_ext_nest;

static padlock_err pl_ext_open(pl_buf *b, pl_oid_id id, int critical, pl_ext_nest *out) {
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &out->ext));
    PL_TRY(pl_der_put_oid(b, pl_oid_bytes(id)));
    if (critical) {
        /* X.690 §11.5: the DEFAULT FALSE is never encoded. */
        PL_TRY(pl_der_put_boolean(b, 1));
    }
    return pl_der_open(b, PL_DER_OCTET_STRING, &out->value);
}

static padlock_err pl_ext_close(pl_buf *b, const pl_ext_nest *n) {
    PL_TRY(pl_der_close(b, &n->value));
    return pl_der_close(b, &n->ext);
}

/* §4.2.1.9: critical in every certificate padlock writes; cA TRUE (FALSE is the DEFAULT and
 * left out), pathLenConstraint only with cA. */
static padlock_err pl_ext_basic_constraints(pl_buf *b, const pl_x509_tbs *t) {
    PL_CHECK(t->path_len < 0 || t->is_ca, PADLOCK_E_INVALID_ARGUMENT);
    pl_ext_nest ext;
    pl_der_nest seq;
    PL_TRY(pl_ext_open(b, PL_OID_EXT_BASIC_CONSTRAINTS, 1, &ext));
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &seq));
    if (t->is_ca) {
        PL_TRY(pl_der_put_boolean(b, 1));
    }
    if (t->path_len >= 0) {
        PL_TRY(pl_der_put_small_uint(b, PL_DER_INTEGER, (uint64_t)t->path_len));
    }
    PL_TRY(pl_der_close(b, &seq));
    return pl_ext_close(b, &ext);
}

/* §4.2.1.3: "conforming CAs SHOULD mark this extension as critical". */
static padlock_err pl_ext_key_usage(pl_buf *b, uint16_t key_usage) {
    pl_ext_nest ext;
    PL_TRY(pl_ext_open(b, PL_OID_EXT_KEY_USAGE, 1, &ext));
    PL_TRY(pl_der_put_named_bits(b, PL_DER_BIT_STRING, key_usage));
    return pl_ext_close(b, &ext);
}

/* §4.2.1.12: not critical, so that software without the extension still reads the
 * certificate (it then applies no purpose restriction). */
static padlock_err pl_ext_eku(pl_buf *b, uint8_t eku) {
    PL_CHECK((eku & ~(PL_X509_EKU_SERVER_AUTH | PL_X509_EKU_CLIENT_AUTH)) == 0,
             PADLOCK_E_INVALID_ARGUMENT);
    pl_ext_nest ext;
    pl_der_nest seq;
    PL_TRY(pl_ext_open(b, PL_OID_EXT_EKU, 0, &ext));
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &seq));
    if (eku & PL_X509_EKU_SERVER_AUTH) {
        PL_TRY(pl_der_put_oid(b, pl_oid_bytes(PL_OID_KP_SERVER_AUTH)));
    }
    if (eku & PL_X509_EKU_CLIENT_AUTH) {
        PL_TRY(pl_der_put_oid(b, pl_oid_bytes(PL_OID_KP_CLIENT_AUTH)));
    }
    PL_TRY(pl_der_close(b, &seq));
    return pl_ext_close(b, &ext);
}

padlock_err pl_x509_ext_san_write(pl_buf *b, const pl_x509_gn *sans, size_t num_sans,
                                  int critical) {
    /* GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName */
    PL_CHECK(num_sans > 0, PADLOCK_E_INVALID_ARGUMENT);
    pl_ext_nest ext;
    pl_der_nest seq;
    PL_TRY(pl_ext_open(b, PL_OID_EXT_SAN, critical, &ext));
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &seq));
    for (size_t i = 0; i < num_sans; i++) {
        PL_TRY(pl_x509_gn_write(b, &sans[i]));
    }
    PL_TRY(pl_der_close(b, &seq));
    return pl_ext_close(b, &ext);
}

/* §4.2.1.2 and §4.2.1.1: never critical. AuthorityKeyIdentifier carries only keyIdentifier
 * [0], which is how path builders match it. */
static padlock_err pl_ext_key_ids(pl_buf *b, const pl_x509_tbs *t) {
    pl_ext_nest ext;
    if (t->ski.len > 0) {
        PL_TRY(pl_ext_open(b, PL_OID_EXT_SKI, 0, &ext));
        PL_TRY(pl_der_put(b, PL_DER_OCTET_STRING, t->ski.p, t->ski.len));
        PL_TRY(pl_ext_close(b, &ext));
    }
    if (t->aki.len > 0) {
        pl_der_nest seq;
        PL_TRY(pl_ext_open(b, PL_OID_EXT_AKI, 0, &ext));
        PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &seq));
        PL_TRY(pl_der_put(b, PL_DER_CTX(0), t->aki.p, t->aki.len));
        PL_TRY(pl_der_close(b, &seq));
        PL_TRY(pl_ext_close(b, &ext));
    }
    return PADLOCK_OK;
}

static padlock_err pl_extensions_write(pl_buf *b, const pl_x509_tbs *t) {
    /* §4.1.2.9: extensions [3] EXPLICIT Extensions, SIZE (1..MAX); basicConstraints is always
     * there. */
    pl_der_nest tagged, exts;
    PL_TRY(pl_der_open(b, PL_DER_CTX_CONS(3), &tagged));
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &exts));
    PL_TRY(pl_ext_basic_constraints(b, t));
    if (t->key_usage != 0) {
        PL_TRY(pl_ext_key_usage(b, t->key_usage));
    }
    if (t->eku != 0) {
        PL_TRY(pl_ext_eku(b, t->eku));
    }
    if (t->num_sans > 0) {
        /* §4.1.2.6: with an empty subject the identity is in subjectAltName alone, which
         * must then be critical. An empty Name is exactly 30 00. */
        PL_TRY(pl_x509_ext_san_write(b, t->sans, t->num_sans, t->subject.len == 2));
    }
    PL_TRY(pl_ext_key_ids(b, t));
    PL_TRY(pl_der_close(b, &exts));
    return pl_der_close(b, &tagged);
}

/* The context of the TBSCertificate builder: the fields and the signing key type. */
typedef struct pl_tbs_ctx {
    const pl_x509_tbs *tbs;
    pl_key_type signer;
} pl_tbs_ctx;

static padlock_err pl_tbs_write(pl_buf *b, const void *ctx) {
    const pl_tbs_ctx *c = ctx;
    const pl_x509_tbs *t = c->tbs;
    pl_der_nest tbs, version, validity;
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &tbs));
    /* §4.1.2.1: v3 (2), as the certificate has extensions. */
    PL_TRY(pl_der_open(b, PL_DER_CTX_CONS(0), &version));
    PL_TRY(pl_der_put_small_uint(b, PL_DER_INTEGER, 2));
    PL_TRY(pl_der_close(b, &version));
    PL_TRY(pl_der_put_unsigned(b, PL_DER_INTEGER, t->serial.p, t->serial.len));
    PL_TRY(pl_x509_sigalg_write(b, c->signer));
    PL_TRY(pl_buf_bytes(b, t->issuer.p, t->issuer.len));
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &validity));
    PL_TRY(pl_der_put_time(b, t->not_before));
    PL_TRY(pl_der_put_time(b, t->not_after));
    PL_TRY(pl_der_close(b, &validity));
    PL_TRY(pl_buf_bytes(b, t->subject.p, t->subject.len));
    PL_TRY(pl_buf_bytes(b, t->spki.p, t->spki.len));
    PL_TRY(pl_extensions_write(b, t));
    return pl_der_close(b, &tbs);
}

/* §4.1.2.2: a positive integer of at most 20 octets; the sign octet DER adds for a set top
 * bit counts towards them. */
static int pl_serial_valid(pl_span serial) {
    size_t skip = 0;
    while (skip < serial.len && serial.p[skip] == 0) {
        skip++;
    }
    size_t len = serial.len - skip;
    return len > 0 && len + ((serial.p[skip] & 0x80) != 0) <= 20;
}

padlock_err pl_x509_cert_write(const pl_x509_tbs *tbs, const pl_privkey *signer, uint8_t **out,
                               size_t *out_len) {
    PL_CHECK(pl_serial_valid(tbs->serial), PADLOCK_E_INVALID_ARGUMENT);
    pl_tbs_ctx ctx = {tbs, pl_privkey_type(signer)};
    uint8_t *der;
    size_t der_len;
    PL_TRY(pl_der_build(pl_tbs_write, &ctx, &der, &der_len));
    pl_span to_be_signed = {der, der_len};
    padlock_err rc = pl_x509_signed_write(to_be_signed, signer, out, out_len);
    pl_free(der);
    return rc;
}

/* The context of the envelope builder. */
typedef struct pl_signed_ctx {
    pl_span to_be_signed;
    pl_key_type signer;
    const uint8_t *sig;
    size_t sig_len;
} pl_signed_ctx;

static padlock_err pl_signed_envelope(pl_buf *b, const void *ctx) {
    const pl_signed_ctx *c = ctx;
    pl_der_nest seq;
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &seq));
    PL_TRY(pl_buf_bytes(b, c->to_be_signed.p, c->to_be_signed.len));
    PL_TRY(pl_x509_sigalg_write(b, c->signer));
    PL_TRY(pl_der_put_bit_octets(b, c->sig, c->sig_len));
    return pl_der_close(b, &seq);
}

padlock_err pl_x509_signed_write(pl_span to_be_signed, const pl_privkey *signer, uint8_t **out,
                                 size_t *out_len) {
    const pl_sig_alg *alg;
    PL_TRY(pl_x509_sigalg_for_key(pl_privkey_type(signer), &alg));
    uint8_t sig[PL_SIG_MAX_LEN];
    size_t sig_len;
    PL_TRY(pl_privkey_sign(signer, alg, NULL, to_be_signed.p, to_be_signed.len, sig, sizeof(sig),
                           &sig_len));
    pl_signed_ctx ctx = {to_be_signed, pl_privkey_type(signer), sig, sig_len};
    return pl_der_build(pl_signed_envelope, &ctx, out, out_len);
}
