/* Wycheproof vectors ($PL_SHARED_DIR/vectors/wycheproof) against every primitive the crypto layer
 * exposes: AEADs, X25519, ECDH (raw point and SubjectPublicKeyInfo), ECDSA (DER and P1363),
 * Ed25519, RSA PKCS#1 v1.5 and PSS signatures, RSAES-PKCS1-v1_5 decryption, HKDF and HMAC.
 *
 * "valid" must be accepted with matching output, "invalid" rejected. "acceptable" vectors are
 * judged per flag by the policy tables below, which say what padlock must do and why. Vectors
 * outside our API (AES-GCM IVs other than 96 bits, tags other than 128 bits, AES-192, truncated
 * HMAC tags, HKDF lengths over 255*HashLen) are counted as n.a., never as passed. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "crypto/crypto.h"
#include "crypto/keyinfo.h"
#include "testlib.h"
#include "util/mem.h"

typedef enum outcome { ACCEPTED, REJECTED, NOT_APPLICABLE } outcome;
typedef enum expect { WANT_ACCEPT, WANT_REJECT, WANT_EITHER } expect;

/* A runner executes one vector: ACCEPTED (setting *mismatch when an output differs),
 * REJECTED, or NOT_APPLICABLE. */
typedef outcome (*runner_fn)(json_object *group, json_object *test, int *mismatch);

/* What padlock must do with an "acceptable" vector carrying flag. */
typedef struct flag_policy {
    const char *flag;
    expect want;
} flag_policy;

typedef struct vector_file {
    const char *prefix; /* file names starting with this; the longest match wins */
    runner_fn run;
    const flag_policy *policy; /* NULL-terminated; flags not listed make a vector WANT_EITHER */
} vector_file;

/* ---- JSON helpers ---------------------------------------------------------------------------- */

static const char *str(json_object *o, const char *key) {
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v)) {
        fail_msg("vector lacks \"%s\"", key);
    }
    return json_object_get_string(v);
}

static int num(json_object *o, const char *key) {
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v)) {
        fail_msg("vector lacks \"%s\"", key);
    }
    return json_object_get_int(v);
}

/* A hex field, decoded; *len receives its length. free() the result. */
static uint8_t *hex(json_object *o, const char *key, size_t *len) {
    uint8_t *b = pl_test_unhex(str(o, key), len);
    if (b == NULL) {
        fail_msg("bad hex in \"%s\"", key);
    }
    return b;
}

static const pl_hash_alg *hash_named(const char *name) {
    if (strcmp(name, "SHA-256") == 0) {
        return &pl_hash_sha256;
    }
    if (strcmp(name, "SHA-384") == 0) {
        return &pl_hash_sha384;
    }
    if (strcmp(name, "SHA-512") == 0) {
        return &pl_hash_sha512;
    }
    return NULL;
}

static int has_flag(json_object *test, const char *flag) {
    json_object *flags;
    if (!json_object_object_get_ex(test, "flags", &flags)) {
        return 0;
    }
    for (size_t i = 0; i < json_object_array_length(flags); i++) {
        if (strcmp(json_object_get_string(json_object_array_get_idx(flags, i)), flag) == 0) {
            return 1;
        }
    }
    return 0;
}

/* ---- AEAD ------------------------------------------------------------------------------------ */

static pl_aead_ctx *pl_vec_aead; /* one context for all vectors: re-keyed every time */

static outcome run_aead(json_object *group, json_object *test, int *mismatch,
                        const pl_aead_alg *alg) {
    if (num(group, "ivSize") != 96 || num(group, "tagSize") != 128 ||
        num(group, "keySize") != 8 * alg->key_len) {
        return NOT_APPLICABLE;
    }
    size_t key_len, iv_len, aad_len, msg_len, ct_len, tag_len;
    uint8_t *key = hex(test, "key", &key_len);
    uint8_t *iv = hex(test, "iv", &iv_len);
    uint8_t *aad = hex(test, "aad", &aad_len);
    uint8_t *msg = hex(test, "msg", &msg_len);
    uint8_t *ct = hex(test, "ct", &ct_len);
    uint8_t *tag = hex(test, "tag", &tag_len);
    assert_int_equal(iv_len, PL_AEAD_NONCE_LEN);
    assert_int_equal(tag_len, PL_AEAD_TAG_LEN);
    PL_ASSERT_OK(pl_aead_ctx_set_key(pl_vec_aead, alg, key));
    uint8_t *buf = malloc(ct_len + 1);
    memcpy(buf, ct, ct_len);
    outcome out = REJECTED;
    if (pl_aead_open(pl_vec_aead, iv, aad, aad_len, buf, ct_len, tag) == PADLOCK_OK) {
        out = ACCEPTED;
        *mismatch = ct_len != msg_len || memcmp(buf, msg, msg_len) != 0;
        /* Sealing the message gives the vector's ciphertext and tag. */
        uint8_t sealed_tag[PL_AEAD_TAG_LEN];
        memcpy(buf, msg, msg_len);
        PL_ASSERT_OK(pl_aead_seal(pl_vec_aead, iv, aad, aad_len, buf, msg_len, sealed_tag));
        *mismatch |= memcmp(buf, ct, ct_len) != 0 || memcmp(sealed_tag, tag, tag_len) != 0;
    }
    free(buf);
    free(key);
    free(iv);
    free(aad);
    free(msg);
    free(ct);
    free(tag);
    return out;
}

static outcome run_aes_gcm(json_object *group, json_object *test, int *mismatch) {
    int bits = num(group, "keySize");
    if (bits != 128 && bits != 256) {
        return NOT_APPLICABLE; /* AES-192 is not a TLS cipher */
    }
    return run_aead(group, test, mismatch,
                    bits == 128 ? &pl_aead_aes_128_gcm : &pl_aead_aes_256_gcm);
}

static outcome run_chacha(json_object *group, json_object *test, int *mismatch) {
    return run_aead(group, test, mismatch, &pl_aead_chacha20_poly1305);
}

/* ---- Key exchange ---------------------------------------------------------------------------- */

/* Derives with our private key and the peer's share; ACCEPTED iff both steps succeed. */
static outcome kx_run(const pl_kx_alg *alg, const uint8_t *priv, size_t priv_len,
                      const uint8_t *share, size_t share_len, json_object *test, int *mismatch) {
    /* Wycheproof writes EC scalars as DER-style integers: drop sign bytes, pad short ones. */
    uint8_t scalar[PL_KX_MAX_PRIV_LEN];
    while (priv_len > alg->priv_len && priv[0] == 0) {
        priv++;
        priv_len--;
    }
    assert_true(priv_len <= alg->priv_len);
    memset(scalar, 0, sizeof(scalar));
    memcpy(scalar + alg->priv_len - priv_len, priv, priv_len);
    pl_kx_key key;
    PL_ASSERT_OK(pl_kx_from_private(alg, scalar, alg->priv_len, &key));
    uint8_t secret[PL_KX_MAX_SECRET_LEN];
    outcome out = REJECTED;
    if (pl_kx_derive(&key, share, share_len, secret) == PADLOCK_OK) {
        size_t want_len;
        uint8_t *shared = hex(test, "shared", &want_len);
        out = ACCEPTED;
        *mismatch = want_len != alg->secret_len || memcmp(secret, shared, want_len) != 0;
        free(shared);
    }
    pl_kx_key_cleanup(&key);
    return out;
}

static outcome run_x25519(json_object *group, json_object *test, int *mismatch) {
    (void)group;
    size_t priv_len, pub_len;
    uint8_t *priv = hex(test, "private", &priv_len);
    uint8_t *pub = hex(test, "public", &pub_len);
    assert_int_equal(priv_len, 32);
    outcome out = kx_run(&pl_kx_x25519, priv, priv_len, pub, pub_len, test, mismatch);
    free(priv);
    free(pub);
    return out;
}

static const pl_kx_alg *kx_for_curve(json_object *group) {
    const char *curve = str(group, "curve");
    if (strcmp(curve, "secp256r1") == 0) {
        return &pl_kx_secp256r1;
    }
    assert_string_equal(curve, "secp384r1");
    return &pl_kx_secp384r1;
}

static outcome run_ecdh_point(json_object *group, json_object *test, int *mismatch) {
    size_t priv_len, pub_len;
    uint8_t *priv = hex(test, "private", &priv_len);
    uint8_t *pub = hex(test, "public", &pub_len);
    outcome out = kx_run(kx_for_curve(group), priv, priv_len, pub, pub_len, test, mismatch);
    free(priv);
    free(pub);
    return out;
}

/* The peer key arrives as a SubjectPublicKeyInfo: it must parse strictly and name our curve. */
static outcome run_ecdh_spki(json_object *group, json_object *test, int *mismatch) {
    const pl_kx_alg *alg = kx_for_curve(group);
    pl_key_type curve = alg == &pl_kx_secp256r1 ? PL_KEY_EC_P256 : PL_KEY_EC_P384;
    size_t priv_len, pub_len;
    uint8_t *priv = hex(test, "private", &priv_len);
    uint8_t *pub = hex(test, "public", &pub_len);
    pl_spki spki;
    outcome out = REJECTED;
    if (pl_spki_parse(pub, pub_len, &spki) == PADLOCK_OK && spki.type == curve) {
        out = kx_run(alg, priv, priv_len, spki.key, spki.key_len, test, mismatch);
    }
    free(priv);
    free(pub);
    return out;
}

/* ---- Signatures ------------------------------------------------------------------------------ */

/* Verifies through the TLS interface (scheme) and, when given, the X.509 interface (params);
 * the two must agree. */
static outcome verify_both(const pl_sig_alg *alg, const pl_sig_params *params, const uint8_t *spki,
                           size_t spki_len, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                           size_t sig_len, int *mismatch) {
    padlock_err e1 = alg != NULL ? pl_sig_verify(alg, spki, spki_len, msg, msg_len, sig, sig_len)
                                 : PADLOCK_E_UNSUPPORTED;
    padlock_err e2 = pl_sig_verify_params(params, spki, spki_len, msg, msg_len, sig, sig_len);
    if (alg != NULL && (e1 == PADLOCK_OK) != (e2 == PADLOCK_OK)) {
        *mismatch = 1;
    }
    if (e2 != PADLOCK_OK && e2 != PADLOCK_E_BAD_SIGNATURE) {
        fail_msg("unexpected error %s (the key is valid in every vector)", padlock_strerror(e2));
    }
    return e2 == PADLOCK_OK ? ACCEPTED : REJECTED;
}

static outcome run_sig(json_object *group, json_object *test, int *mismatch, pl_sig_kind kind,
                       int p1363) {
    size_t spki_len, msg_len, sig_len;
    uint8_t *spki = hex(group, "publicKeyDer", &spki_len);
    uint8_t *msg = hex(test, "msg", &msg_len);
    uint8_t *sig = hex(test, "sig", &sig_len);
    pl_sig_params params = {kind, NULL, 0};
    const pl_sig_alg *alg = NULL;
    if (kind == PL_SIG_KIND_ED25519) {
        alg = pl_sig_by_scheme(PL_SIG_ED25519);
    } else {
        params.hash = hash_named(str(group, "sha"));
        assert_non_null(params.hash);
    }
    if (kind == PL_SIG_KIND_ECDSA) {
        int p384 =
            strcmp(str(json_object_object_get(group, "publicKey"), "curve"), "secp384r1") == 0;
        alg =
            pl_sig_by_scheme(p384 ? PL_SIG_ECDSA_SECP384R1_SHA384 : PL_SIG_ECDSA_SECP256R1_SHA256);
        if (alg->hash != params.hash) {
            alg = NULL;
        }
    } else if (kind == PL_SIG_KIND_RSA_PKCS1) {
        alg = pl_sig_by_scheme(params.hash == &pl_hash_sha256   ? PL_SIG_RSA_PKCS1_SHA256
                               : params.hash == &pl_hash_sha384 ? PL_SIG_RSA_PKCS1_SHA384
                                                                : PL_SIG_RSA_PKCS1_SHA512);
    } else if (kind == PL_SIG_KIND_RSA_PSS) {
        const pl_hash_alg *mgf = hash_named(str(group, "mgfSha"));
        if (strcmp(str(group, "mgf"), "MGF1") != 0 || mgf != params.hash) {
            free(spki);
            free(msg);
            free(sig);
            return NOT_APPLICABLE; /* padlock's PSS uses MGF1 with the message hash */
        }
        params.pss_salt_len = (uint16_t)num(group, "sLen");
        /* rsa_pss_rsae_* fixes the salt to the digest length (RFC 8446 §4.2.3). */
        if (params.pss_salt_len == params.hash->digest_len) {
            alg = pl_sig_by_scheme(params.hash == &pl_hash_sha256   ? PL_SIG_RSA_PSS_RSAE_SHA256
                                   : params.hash == &pl_hash_sha384 ? PL_SIG_RSA_PSS_RSAE_SHA384
                                                                    : PL_SIG_RSA_PSS_RSAE_SHA512);
        }
    }
    outcome out;
    if (p1363) {
        /* IEEE P1363 r||s: convert exactly two field-length halves to DER; any other length
         * has no DER form, so the signature is rejected as is. */
        size_t half = alg == pl_sig_by_scheme(PL_SIG_ECDSA_SECP384R1_SHA384) ? 48 : 32;
        out = REJECTED;
        if (sig_len == 2 * half) {
            uint8_t der[2 * 48 + 8];
            size_t n = 2;
            for (int part = 0; part < 2; part++) {
                const uint8_t *v = sig + part * half;
                size_t len = half;
                while (len > 1 && v[0] == 0) {
                    v++;
                    len--;
                }
                der[n++] = 0x02;
                der[n++] = (uint8_t)(len + (v[0] >> 7));
                if (v[0] & 0x80) {
                    der[n++] = 0;
                }
                memcpy(der + n, v, len);
                n += len;
            }
            der[0] = 0x30;
            der[1] = (uint8_t)(n - 2);
            out = verify_both(alg, &params, spki, spki_len, msg, msg_len, der, n, mismatch);
        }
    } else {
        out = verify_both(alg, &params, spki, spki_len, msg, msg_len, sig, sig_len, mismatch);
    }
    free(spki);
    free(msg);
    free(sig);
    return out;
}

static outcome run_ecdsa(json_object *group, json_object *test, int *mismatch) {
    return run_sig(group, test, mismatch, PL_SIG_KIND_ECDSA, 0);
}

static outcome run_ecdsa_p1363(json_object *group, json_object *test, int *mismatch) {
    return run_sig(group, test, mismatch, PL_SIG_KIND_ECDSA, 1);
}

static outcome run_ed25519(json_object *group, json_object *test, int *mismatch) {
    return run_sig(group, test, mismatch, PL_SIG_KIND_ED25519, 0);
}

static outcome run_rsa_pkcs1_sig(json_object *group, json_object *test, int *mismatch) {
    return run_sig(group, test, mismatch, PL_SIG_KIND_RSA_PKCS1, 0);
}

static outcome run_rsa_pss(json_object *group, json_object *test, int *mismatch) {
    return run_sig(group, test, mismatch, PL_SIG_KIND_RSA_PSS, 0);
}

/* ---- RSAES-PKCS1-v1_5 decryption ------------------------------------------------------------- */

static outcome run_rsa_decrypt(json_object *group, json_object *test, int *mismatch) {
    size_t p8_len, ct_len, msg_len;
    uint8_t *p8 = hex(group, "privateKeyPkcs8", &p8_len);
    uint8_t *ct = hex(test, "ct", &ct_len);
    uint8_t *msg = hex(test, "msg", &msg_len);
    pl_privkey *key;
    PL_ASSERT_OK(pl_privkey_from_der(p8, p8_len, PL_PRIVKEY_PKCS8, &key));
    uint8_t out[512];
    size_t out_len;
    outcome res = REJECTED;
    if (pl_rsa_decrypt_pkcs1(key, ct, ct_len, out, sizeof(out), &out_len) == PADLOCK_OK) {
        res = ACCEPTED;
        *mismatch = out_len != msg_len || memcmp(out, msg, msg_len) != 0;
    }
    pl_privkey_free(key);
    free(p8);
    free(ct);
    free(msg);
    return res;
}

/* ---- HKDF and HMAC --------------------------------------------------------------------------- */

static outcome run_hkdf(json_object *test, int *mismatch, const pl_hash_alg *hash) {
    size_t ikm_len, salt_len, info_len, okm_len;
    size_t size = (size_t)num(test, "size");
    uint8_t *ikm = hex(test, "ikm", &ikm_len);
    uint8_t *salt = hex(test, "salt", &salt_len);
    uint8_t *info = hex(test, "info", &info_len);
    uint8_t *okm = hex(test, "okm", &okm_len);
    uint8_t *out = malloc(size + 1);
    uint8_t prk[PL_HASH_MAX_LEN];
    pl_hkdf_extract(hash, salt, salt_len, ikm, ikm_len, prk);
    outcome res = NOT_APPLICABLE;
    if (size > 255 * (size_t)hash->digest_len) {
        /* Outside the API: pl_hkdf_expand must refuse it, which is not counted as a pass. */
        PL_ASSERT_ERR(pl_hkdf_expand(hash, prk, hash->digest_len, info, info_len, out, size),
                      PADLOCK_E_INVALID_ARGUMENT);
    } else {
        PL_ASSERT_OK(pl_hkdf_expand(hash, prk, hash->digest_len, info, info_len, out, size));
        res = ACCEPTED;
        *mismatch = okm_len != size || memcmp(out, okm, size) != 0;
    }
    free(out);
    free(ikm);
    free(salt);
    free(info);
    free(okm);
    return res;
}

static outcome run_hkdf_sha256(json_object *group, json_object *test, int *mismatch) {
    (void)group;
    return run_hkdf(test, mismatch, &pl_hash_sha256);
}

static outcome run_hkdf_sha384(json_object *group, json_object *test, int *mismatch) {
    (void)group;
    return run_hkdf(test, mismatch, &pl_hash_sha384);
}

/* HMAC verification as padlock does it (Finished, RFC 8446 §4.4.4): recompute, compare in
 * constant time. A mismatch is a rejection. */
static outcome run_hmac(json_object *group, json_object *test, const pl_hash_alg *hash) {
    if (num(group, "tagSize") != 8 * hash->digest_len) {
        return NOT_APPLICABLE; /* truncated tags */
    }
    size_t key_len, msg_len, tag_len;
    uint8_t *key = hex(test, "key", &key_len);
    uint8_t *msg = hex(test, "msg", &msg_len);
    uint8_t *tag = hex(test, "tag", &tag_len);
    uint8_t out[PL_HASH_MAX_LEN];
    pl_hmac_oneshot(hash, key, key_len, msg, msg_len, out);
    outcome res =
        tag_len == hash->digest_len && pl_ct_equal(out, tag, tag_len) ? ACCEPTED : REJECTED;
    free(key);
    free(msg);
    free(tag);
    return res;
}

static outcome run_hmac_sha256(json_object *group, json_object *test, int *mismatch) {
    (void)mismatch;
    return run_hmac(group, test, &pl_hash_sha256);
}

static outcome run_hmac_sha384(json_object *group, json_object *test, int *mismatch) {
    (void)mismatch;
    return run_hmac(group, test, &pl_hash_sha384);
}

/* ---- Policies for "acceptable" vectors ------------------------------------------------------- */

/* RFC 8446 §7.4.2 / RFC 7748 §6.1: an all-zero X25519 result MUST be refused. Everything else
 * acceptable here (twist points, non-canonical u >= p, edge cases) MUST be accepted with the
 * right output: RFC 7748 §5 masks the top bit and reduces u, it does not reject. */
static const flag_policy pl_policy_x25519[] = {
    {"ZeroSharedSecret", WANT_REJECT},
    {"LowOrderPublic", WANT_REJECT},
    {"Twist", WANT_ACCEPT},
    {"NonCanonicalPublic", WANT_ACCEPT},
    {"SpecialPublicKey", WANT_ACCEPT},
    {"EdgeCaseMultiplication", WANT_ACCEPT},
    {"EdgeCaseShared", WANT_ACCEPT},
    {"Ktv", WANT_ACCEPT},
    {NULL, WANT_EITHER},
};

/* RFC 8446 §4.2.8.2: only uncompressed points. For SubjectPublicKeyInfo input, RFC 5480 §2.1.1
 * namedCurve is the only form padlock takes, and the encoding must be DER. */
static const flag_policy pl_policy_ecdh[] = {
    {"CompressedPoint", WANT_REJECT},
    {"CompressedPublic", WANT_REJECT},
    {"UnnamedCurve", WANT_REJECT},
    {"InvalidAsn", WANT_REJECT},
    {NULL, WANT_EITHER},
};

/* RFC 8017 §9.2 Note 1 gives each SHA-2 DigestInfo with NULL parameters; a signature whose
 * DigestInfo omits them is legacy, so either outcome is allowed (libcrypto's re-encoding
 * comparison decides). */
static const flag_policy pl_policy_rsa_sig[] = {
    {"MissingNull", WANT_EITHER},
    {NULL, WANT_EITHER},
};

static const flag_policy pl_policy_none[] = {{NULL, WANT_EITHER}};

static expect acceptable_want(const flag_policy *policy, json_object *test) {
    expect w = WANT_EITHER;
    for (const flag_policy *p = policy; p->flag != NULL; p++) {
        if (has_flag(test, p->flag)) {
            if (p->want == WANT_REJECT) {
                return WANT_REJECT; /* a rule that demands rejection wins */
            }
            w = p->want;
        }
    }
    return w;
}

static const vector_file pl_files[] = {
    {"aes_gcm_", run_aes_gcm, pl_policy_none},
    {"chacha20_poly1305_", run_chacha, pl_policy_none},
    {"x25519_", run_x25519, pl_policy_x25519},
    {"ecdh_secp256r1_ecpoint_", run_ecdh_point, pl_policy_ecdh},
    {"ecdh_secp384r1_ecpoint_", run_ecdh_point, pl_policy_ecdh},
    {"ecdh_secp256r1_test", run_ecdh_spki, pl_policy_ecdh},
    {"ecdh_secp384r1_test", run_ecdh_spki, pl_policy_ecdh},
    {"ecdsa_secp256r1_sha256_p1363_", run_ecdsa_p1363, pl_policy_none},
    {"ecdsa_secp384r1_sha384_p1363_", run_ecdsa_p1363, pl_policy_none},
    {"ecdsa_secp256r1_sha256_test", run_ecdsa, pl_policy_none},
    {"ecdsa_secp384r1_sha384_test", run_ecdsa, pl_policy_none},
    {"ed25519_", run_ed25519, pl_policy_none},
    {"rsa_signature_", run_rsa_pkcs1_sig, pl_policy_rsa_sig},
    {"rsa_pss_", run_rsa_pss, pl_policy_none},
    {"rsa_pkcs1_", run_rsa_decrypt, pl_policy_none},
    {"hkdf_sha256_", run_hkdf_sha256, pl_policy_none},
    {"hkdf_sha384_", run_hkdf_sha384, pl_policy_none},
    {"hmac_sha256_", run_hmac_sha256, pl_policy_none},
    {"hmac_sha384_", run_hmac_sha384, pl_policy_none},
};

static const vector_file *file_kind(const char *name) {
    const vector_file *best = NULL;
    for (size_t i = 0; i < sizeof(pl_files) / sizeof(pl_files[0]); i++) {
        size_t n = strlen(pl_files[i].prefix);
        if (strncmp(name, pl_files[i].prefix, n) == 0 &&
            (best == NULL || n > strlen(best->prefix))) {
            best = &pl_files[i];
        }
    }
    return best;
}

/* ---- Driver ---------------------------------------------------------------------------------- */

static void test_vector_file(void **state) {
    const char *name = *state;
    const vector_file *kind = file_kind(name);
    char path[4096];
    snprintf(path, sizeof(path), "%s/vectors/wycheproof/%s", pl_test_shared_dir(), name);
    json_object *root = json_object_from_file(path);
    if (root == NULL) {
        fail_msg("cannot parse %s", path);
    }
    json_object *groups = json_object_object_get(root, "testGroups");
    size_t run = 0, accepted = 0, rejected = 0, na = 0, failures = 0;
    for (size_t g = 0; g < json_object_array_length(groups); g++) {
        json_object *group = json_object_array_get_idx(groups, g);
        json_object *tests = json_object_object_get(group, "tests");
        for (size_t t = 0; t < json_object_array_length(tests); t++) {
            json_object *test = json_object_array_get_idx(tests, t);
            const char *result = str(test, "result");
            expect w = strcmp(result, "valid") == 0     ? WANT_ACCEPT
                       : strcmp(result, "invalid") == 0 ? WANT_REJECT
                                                        : acceptable_want(kind->policy, test);
            int mismatch = 0;
            outcome o = kind->run(group, test, &mismatch);
            if (o == NOT_APPLICABLE) {
                na++;
                continue;
            }
            run++;
            accepted += o == ACCEPTED;
            rejected += o == REJECTED;
            int bad = mismatch || (w == WANT_ACCEPT && o != ACCEPTED) ||
                      (w == WANT_REJECT && o != REJECTED);
            if (bad) {
                failures++;
                printf("  FAIL %s tcId %d (%s, \"%s\"): %s%s\n", name, num(test, "tcId"), result,
                       str(test, "comment"), o == ACCEPTED ? "accepted" : "rejected",
                       mismatch ? " with a different output" : "");
            }
        }
    }
    printf("%-42s run %5zu / accepted %5zu / rejected %5zu / n.a. %4zu\n", name, run, accepted,
           rejected, na);
    json_object_put(root);
    if (run == 0) {
        fail_msg("%s: no vector ran", name);
    }
    if (failures != 0) {
        fail_msg("%s: %zu vectors disagree", name, failures);
    }
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/vectors/wycheproof", pl_test_shared_dir());
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "cannot open %s\n", dir);
        return 1;
    }
    char *names[128];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 128) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
            if (file_kind(e->d_name) != NULL) {
                names[n++] = strdup(e->d_name);
            } else {
                printf("%-42s no primitive of padlock's: skipped\n", e->d_name);
            }
        }
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), by_name);
    struct CMUnitTest tests[128];
    for (size_t i = 0; i < n; i++) {
        tests[i] = (struct CMUnitTest){names[i], test_vector_file, NULL, NULL, names[i]};
    }
    if (pl_aead_ctx_new(&pl_vec_aead) != PADLOCK_OK) {
        return 1;
    }
    int failed = n == 0 ? 1 : _cmocka_run_group_tests("wycheproof", tests, n, NULL, NULL);
    pl_aead_ctx_free(pl_vec_aead);
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    return failed;
}
