/* The TLS 1.3 key schedule: RFC 8446 §7.1 (HKDF-Expand-Label, Derive-Secret, the three stages),
 * §7.2 (KeyUpdate), §7.3 (traffic keys), §7.5 (exporters), §4.4.4 and §4.2.11.2 (Finished and
 * binders), §4.6.1 (ticket PSK). */
#include "hs/keysched13.h"

#include <string.h>

#include "util/mem.h"
#include "wire/buf.h"

#define PL_KS13_LABEL_PREFIX "tls13 "
#define PL_KS13_LABEL_PREFIX_LEN 6
/* HkdfLabel: uint16 length, label<7..255>, context<0..255>. */
#define PL_KS13_INFO_MAX (2 + 1 + PL_KS13_LABEL_PREFIX_LEN + PL_KS13_MAX_LABEL_LEN + 1 + 255)

/* HKDF-Expand-Label from a secret already keyed into an HMAC (see pl_ks13_expand_label). */
static padlock_err pl_ks13_expand_label_keyed(const pl_hmac *secret, uint8_t *out, size_t out_len,
                                              const uint8_t *label, size_t label_len,
                                              const uint8_t *context, size_t context_len) {
    /* §7.1: struct { uint16 length; opaque label<7..255> = "tls13 " + Label;
     *                opaque context<0..255>; } HkdfLabel; */
    PL_CHECK(label_len >= 1 && label_len <= PL_KS13_MAX_LABEL_LEN, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(context_len <= PL_KS13_MAX_CONTEXT_LEN, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(out_len <= UINT16_MAX, PADLOCK_E_INVALID_ARGUMENT);
    uint8_t info[PL_KS13_INFO_MAX];
    pl_buf b;
    pl_buf_init(&b, info, sizeof(info));
    pl_buf_vec v;
    PL_TRY(pl_buf_u16(&b, (uint16_t)out_len));
    PL_TRY(pl_buf_vec_open(&b, 1, &v));
    PL_TRY(pl_buf_bytes(&b, PL_KS13_LABEL_PREFIX, PL_KS13_LABEL_PREFIX_LEN));
    PL_TRY(pl_buf_bytes(&b, label, label_len));
    PL_TRY(pl_buf_vec_close(&b, &v));
    PL_TRY(pl_buf_vec8_bytes(&b, context, context_len));
    /* HKDF-Expand refuses out_len over 255 * Hash.length (RFC 5869 §2.3). */
    return pl_hkdf_expand_keyed(secret, info, b.len, out, out_len);
}

padlock_err pl_ks13_expand_label(const pl_hash_alg *hash, const uint8_t *secret, size_t secret_len,
                                 uint8_t *out, size_t out_len, const uint8_t *label,
                                 size_t label_len, const uint8_t *context, size_t context_len) {
    pl_hmac keyed;
    pl_hmac_init(&keyed, hash, secret, secret_len);
    padlock_err err =
        pl_ks13_expand_label_keyed(&keyed, out, out_len, label, label_len, context, context_len);
    pl_hmac_cleanup(&keyed);
    return err;
}

/* A secret keyed into an HMAC once, for several derivations from it: each then hashes two
 * blocks instead of four. Wipe with pl_hmac_cleanup. */
static void pl_ks13_key(const pl_ks13_secret *s, pl_hmac *out) {
    pl_hmac_init(out, s->hash, s->b, s->len);
}

/* Expands the keyed secret s (of s->hash, s->len bytes) with a fixed label (a C string) into
 * another secret of the same hash. out may be the secret s was keyed from: the key is a copy. */
static padlock_err pl_ks13_expand_keyed(const pl_hmac *key, const pl_ks13_secret *s,
                                        pl_ks13_secret *out, const char *label,
                                        const uint8_t *context, size_t context_len) {
    const pl_hash_alg *hash = s->hash;
    uint8_t len = s->len;
    PL_TRY(pl_ks13_expand_label_keyed(key, out->b, len, (const uint8_t *)label, strlen(label),
                                      context, context_len));
    out->hash = hash;
    out->len = len;
    return PADLOCK_OK;
}

/* Expands a secret with a fixed label into another secret of the same hash; out may be s. */
static padlock_err pl_ks13_expand_secret(const pl_ks13_secret *s, pl_ks13_secret *out,
                                         const char *label, const uint8_t *context,
                                         size_t context_len) {
    pl_hmac key;
    pl_ks13_key(s, &key);
    padlock_err err = pl_ks13_expand_keyed(&key, s, out, label, context, context_len);
    pl_hmac_cleanup(&key);
    return err;
}

/* §7.1: Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label,
 * Transcript-Hash(Messages), Hash.length). */
static padlock_err pl_ks13_derive_secret(const pl_ks13_secret *s, pl_ks13_secret *out,
                                         const char *label, const pl_digest *th) {
    PL_CHECK(th->hash == s->hash && th->len == s->len, PADLOCK_E_INVALID_ARGUMENT);
    return pl_ks13_expand_secret(s, out, label, th->b, th->len);
}

/* SHA-256("") and SHA-384("") (FIPS 180-4), so that Derive-Secret(., label, "") hashes nothing. */
static const uint8_t pl_ks13_sha256_empty[32] = {
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
    0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
};
static const uint8_t pl_ks13_sha384_empty[48] = {
    0x38, 0xb0, 0x60, 0xa7, 0x51, 0xac, 0x96, 0x38, 0x4c, 0xd9, 0x32, 0x7e, 0xb1, 0xb1, 0xe3, 0x6a,
    0x21, 0xfd, 0xb7, 0x11, 0x14, 0xbe, 0x07, 0x43, 0x4c, 0x0c, 0xc7, 0xbf, 0x63, 0xf6, 0xe1, 0xda,
    0x27, 0x4e, 0xde, 0xbf, 0xe7, 0x6f, 0x65, 0xfb, 0xd5, 0x1a, 0xd2, 0xf1, 0x48, 0x98, 0xb9, 0x5b,
};

/* Transcript-Hash of no messages: Hash(""), the context of Derive-Secret(., label, ""). */
static void pl_ks13_empty_hash(const pl_hash_alg *hash, pl_digest *out) {
    out->hash = hash;
    out->len = hash->digest_len;
    if (hash == &pl_hash_sha256) {
        memcpy(out->b, pl_ks13_sha256_empty, sizeof(pl_ks13_sha256_empty));
    } else if (hash == &pl_hash_sha384) {
        memcpy(out->b, pl_ks13_sha384_empty, sizeof(pl_ks13_sha384_empty));
    } else {
        pl_hash(hash, NULL, 0, out->b);
    }
}

/* The next stage's secret into out_b (prev->len bytes): HKDF-Extract(salt, ikm or Hash.length
 * zeros), salt being Derive-Secret(prev, "derived", "") (prev->len bytes). */
static padlock_err pl_ks13_extract_stage(const pl_ks13_secret *prev, const uint8_t *salt,
                                         uint8_t *out_b, const uint8_t *ikm, size_t ikm_len) {
    uint8_t zeros[PL_KS13_MAX_SECRET_LEN];
    memset(zeros, 0, sizeof(zeros));
    if (ikm == NULL) {
        ikm = zeros;
        ikm_len = prev->len;
    }
    PL_CHECK(ikm_len != 0, PADLOCK_E_INVALID_ARGUMENT);
    pl_hkdf_extract(prev->hash, salt, prev->len, ikm, ikm_len, out_b);
    return PADLOCK_OK;
}

/* HKDF-Extract(salt = Derive-Secret(prev, "derived", ""), ikm or Hash.length zeros), with
 * prev already keyed into key. */
static padlock_err pl_ks13_next_stage_keyed(const pl_hmac *key, const pl_ks13_secret *prev,
                                            pl_ks13_secret *out, const uint8_t *ikm,
                                            size_t ikm_len) {
    pl_digest empty;
    pl_ks13_empty_hash(prev->hash, &empty);
    pl_ks13_secret salt;
    PL_TRY(pl_ks13_expand_keyed(key, prev, &salt, "derived", empty.b, empty.len));
    padlock_err err = pl_ks13_extract_stage(prev, salt.b, out->b, ikm, ikm_len);
    if (err == PADLOCK_OK) {
        out->hash = prev->hash;
        out->len = prev->len;
    }
    pl_ks13_secret_cleanup(&salt);
    return err;
}

/* The same with its own keying of prev. */
static padlock_err pl_ks13_next_stage(const pl_ks13_secret *prev, pl_ks13_secret *out,
                                      const uint8_t *ikm, size_t ikm_len) {
    pl_hmac key;
    pl_ks13_key(prev, &key);
    padlock_err err = pl_ks13_next_stage_keyed(&key, prev, out, ikm, ikm_len);
    pl_hmac_cleanup(&key);
    return err;
}

/* Without a PSK the Early Secret, HKDF-Extract(0, 0), and the salt of the Handshake Secret,
 * Derive-Secret(Early Secret, "derived", ""), are fixed values of the hash (RFC 8448 §3 lists the
 * SHA-256 ones; the SHA-384 ones are checked against OpenSSL's TLS13-KDF in test_keysched), so a
 * handshake without a PSK hashes nothing for them. */
static const uint8_t pl_ks13_sha256_early0[32] = {
    0x33, 0xad, 0x0a, 0x1c, 0x60, 0x7e, 0xc0, 0x3b, 0x09, 0xe6, 0xcd, 0x98, 0x93, 0x68, 0x0c, 0xe2,
    0x10, 0xad, 0xf3, 0x00, 0xaa, 0x1f, 0x26, 0x60, 0xe1, 0xb2, 0x2e, 0x10, 0xf1, 0x70, 0xf9, 0x2a,
};
static const uint8_t pl_ks13_sha256_derived0[32] = {
    0x6f, 0x26, 0x15, 0xa1, 0x08, 0xc7, 0x02, 0xc5, 0x67, 0x8f, 0x54, 0xfc, 0x9d, 0xba, 0xb6, 0x97,
    0x16, 0xc0, 0x76, 0x18, 0x9c, 0x48, 0x25, 0x0c, 0xeb, 0xea, 0xc3, 0x57, 0x6c, 0x36, 0x11, 0xba,
};
static const uint8_t pl_ks13_sha384_early0[48] = {
    0x7e, 0xe8, 0x20, 0x6f, 0x55, 0x70, 0x02, 0x3e, 0x6d, 0xc7, 0x51, 0x9e, 0xb1, 0x07, 0x3b, 0xc4,
    0xe7, 0x91, 0xad, 0x37, 0xb5, 0xc3, 0x82, 0xaa, 0x10, 0xba, 0x18, 0xe2, 0x35, 0x7e, 0x71, 0x69,
    0x71, 0xf9, 0x36, 0x2f, 0x2c, 0x2f, 0xe2, 0xa7, 0x6b, 0xfd, 0x78, 0xdf, 0xec, 0x4e, 0xa9, 0xb5,
};
static const uint8_t pl_ks13_sha384_derived0[48] = {
    0x15, 0x91, 0xda, 0xc5, 0xcb, 0xbf, 0x03, 0x30, 0xa4, 0xa8, 0x4d, 0xe9, 0xc7, 0x53, 0x33, 0x0e,
    0x92, 0xd0, 0x1f, 0x0a, 0x88, 0x21, 0x4b, 0x44, 0x64, 0x97, 0x2f, 0xd6, 0x68, 0x04, 0x9e, 0x93,
    0xe5, 0x2f, 0x2b, 0x16, 0xfa, 0xd9, 0x22, 0xfd, 0xc0, 0x58, 0x44, 0x78, 0x42, 0x8f, 0x28, 0x2b,
};

padlock_err pl_ks13_early_init(pl_ks13_early *out, const pl_hash_alg *hash, const uint8_t *psk,
                               size_t psk_len) {
    PL_CHECK(hash == &pl_hash_sha256 || hash == &pl_hash_sha384, PADLOCK_E_INVALID_ARGUMENT);
    out->s.hash = hash;
    out->s.len = hash->digest_len;
    if (psk == NULL) {
        /* §7.1: with no PSK the IKM is Hash.length zeros ("0"); so is the salt. */
        int sha256 = hash == &pl_hash_sha256;
        memcpy(out->s.b, sha256 ? pl_ks13_sha256_early0 : pl_ks13_sha384_early0, out->s.len);
        out->derived0 = sha256 ? pl_ks13_sha256_derived0 : pl_ks13_sha384_derived0;
        return PADLOCK_OK;
    }
    PL_CHECK(psk_len != 0, PADLOCK_E_INVALID_ARGUMENT);
    pl_hkdf_extract(hash, NULL, 0, psk, psk_len, out->s.b);
    out->derived0 = NULL;
    return PADLOCK_OK;
}

padlock_err pl_ks13_binder_key(const pl_ks13_early *early, pl_ks13_secret *out,
                               pl_ks13_psk_kind kind) {
    /* §7.1: distinct labels keep one kind of PSK from being substituted for the other. */
    pl_digest empty;
    pl_ks13_empty_hash(early->s.hash, &empty);
    return pl_ks13_derive_secret(
        &early->s, out, kind == PL_KS13_PSK_RESUMPTION ? "res binder" : "ext binder", &empty);
}

padlock_err pl_ks13_resumption_early(const pl_ks13_secret *psk, pl_ks13_early *out_early,
                                     pl_ks13_secret *out_binder_key) {
    PL_TRY(pl_ks13_early_init(out_early, psk->hash, psk->b, psk->len));
    padlock_err rc = pl_ks13_binder_key(out_early, out_binder_key, PL_KS13_PSK_RESUMPTION);
    if (rc != PADLOCK_OK) {
        pl_ks13_early_cleanup(out_early);
    }
    return rc;
}

padlock_err pl_ks13_resumption_binder_key(const pl_ks13_secret *psk, pl_ks13_secret *out) {
    pl_ks13_early early;
    padlock_err rc = pl_ks13_resumption_early(psk, &early, out);
    pl_ks13_early_cleanup(&early);
    return rc;
}

padlock_err pl_ks13_client_early_traffic(const pl_ks13_early *early, pl_ks13_secret *out,
                                         const pl_digest *th_client_hello) {
    return pl_ks13_derive_secret(&early->s, out, "c e traffic", th_client_hello);
}

padlock_err pl_ks13_early_exporter_master(const pl_ks13_early *early, pl_ks13_secret *out,
                                          const pl_digest *th_client_hello) {
    return pl_ks13_derive_secret(&early->s, out, "e exp master", th_client_hello);
}

padlock_err pl_ks13_early_to_handshake(pl_ks13_early *early, pl_ks13_handshake *out,
                                       const uint8_t *shared, size_t shared_len) {
    padlock_err err;
    if (early->derived0 != NULL) {
        err = pl_ks13_extract_stage(&early->s, early->derived0, out->s.b, shared, shared_len);
        out->s.hash = early->s.hash;
        out->s.len = early->s.len;
    } else {
        err = pl_ks13_next_stage(&early->s, &out->s, shared, shared_len);
    }
    /* §7.1: once all values derived from a secret are computed, it should be erased. */
    pl_ks13_early_cleanup(early);
    return err;
}

padlock_err pl_ks13_handshake_traffic(const pl_ks13_handshake *hs, pl_ks13_secret *out,
                                      pl_ks13_side side, const pl_digest *th_server_hello) {
    return pl_ks13_derive_secret(
        &hs->s, out, side == PL_KS13_CLIENT ? "c hs traffic" : "s hs traffic", th_server_hello);
}

padlock_err pl_ks13_handshake_stage(pl_ks13_handshake *hs, const pl_digest *th_server_hello,
                                    pl_ks13_secret *out_c, pl_ks13_secret *out_s,
                                    pl_ks13_master *out_master) {
    padlock_err err = PADLOCK_E_INVALID_ARGUMENT;
    if (th_server_hello->hash == hs->s.hash && th_server_hello->len == hs->s.len) {
        pl_hmac key;
        pl_ks13_key(&hs->s, &key);
        err = pl_ks13_expand_keyed(&key, &hs->s, out_c, "c hs traffic", th_server_hello->b,
                                   th_server_hello->len);
        if (err == PADLOCK_OK) {
            err = pl_ks13_expand_keyed(&key, &hs->s, out_s, "s hs traffic", th_server_hello->b,
                                       th_server_hello->len);
        }
        if (err == PADLOCK_OK) {
            err = pl_ks13_next_stage_keyed(&key, &hs->s, &out_master->s, NULL, 0);
        }
        pl_hmac_cleanup(&key);
    }
    /* §7.1: once all values derived from a secret are computed, it should be erased. */
    pl_ks13_handshake_cleanup(hs);
    return err;
}

padlock_err pl_ks13_handshake_to_master(pl_ks13_handshake *hs, pl_ks13_master *out) {
    padlock_err err = pl_ks13_next_stage(&hs->s, &out->s, NULL, 0);
    pl_ks13_handshake_cleanup(hs);
    return err;
}

padlock_err pl_ks13_application_traffic(const pl_ks13_master *master, pl_ks13_secret *out,
                                        pl_ks13_side side, const pl_digest *th_server_finished) {
    return pl_ks13_derive_secret(&master->s, out,
                                 side == PL_KS13_CLIENT ? "c ap traffic" : "s ap traffic",
                                 th_server_finished);
}

padlock_err pl_ks13_application_secrets(const pl_ks13_master *master,
                                        const pl_digest *th_server_finished, pl_ks13_secret *out_c,
                                        pl_ks13_secret *out_s, pl_ks13_secret *out_exporter) {
    const pl_ks13_secret *m = &master->s;
    const pl_digest *th = th_server_finished;
    PL_CHECK(th->hash == m->hash && th->len == m->len, PADLOCK_E_INVALID_ARGUMENT);
    pl_hmac key;
    pl_ks13_key(m, &key);
    padlock_err err = pl_ks13_expand_keyed(&key, m, out_c, "c ap traffic", th->b, th->len);
    if (err == PADLOCK_OK) {
        err = pl_ks13_expand_keyed(&key, m, out_s, "s ap traffic", th->b, th->len);
    }
    if (err == PADLOCK_OK) {
        err = pl_ks13_expand_keyed(&key, m, out_exporter, "exp master", th->b, th->len);
    }
    pl_hmac_cleanup(&key);
    return err;
}

padlock_err pl_ks13_exporter_master(const pl_ks13_master *master, pl_ks13_secret *out,
                                    const pl_digest *th_server_finished) {
    return pl_ks13_derive_secret(&master->s, out, "exp master", th_server_finished);
}

padlock_err pl_ks13_resumption_master(const pl_ks13_master *master, pl_ks13_secret *out,
                                      const pl_digest *th_client_finished) {
    return pl_ks13_derive_secret(&master->s, out, "res master", th_client_finished);
}

/* §7.3: the record key and iv from a traffic secret keyed once (key); §5.3: iv_length is 12
 * for every TLS 1.3 AEAD. */
static padlock_err pl_ks13_keys_keyed(const pl_hmac *key, pl_record_keys *out,
                                      const pl_aead_alg *aead) {
    memset(out, 0, sizeof(*out));
    out->prot = PL_RECORD_TLS13;
    out->aead = aead;
    padlock_err err = pl_ks13_expand_label_keyed(key, out->key, aead->key_len,
                                                 (const uint8_t *)"key", 3, NULL, 0);
    if (err == PADLOCK_OK) {
        err = pl_ks13_expand_label_keyed(key, out->iv, PL_AEAD_NONCE_LEN, (const uint8_t *)"iv", 2,
                                         NULL, 0);
    }
    return err;
}

padlock_err pl_ks13_traffic_keys(const pl_ks13_secret *traffic, pl_record_keys *out,
                                 const pl_aead_alg *aead) {
    pl_hmac key;
    pl_ks13_key(traffic, &key);
    padlock_err err = pl_ks13_keys_keyed(&key, out, aead);
    pl_hmac_cleanup(&key);
    if (err != PADLOCK_OK) {
        pl_wipe(out, sizeof(*out));
    }
    return err;
}

padlock_err pl_ks13_handshake_keys(const pl_ks13_secret *traffic, pl_record_keys *out,
                                   const pl_aead_alg *aead, pl_ks13_secret *out_finished_key) {
    /* §7.3 and §4.4.4: the three expansions share one keying of the secret. */
    pl_hmac key;
    pl_ks13_key(traffic, &key);
    padlock_err err = pl_ks13_keys_keyed(&key, out, aead);
    if (err == PADLOCK_OK) {
        err = pl_ks13_expand_keyed(&key, traffic, out_finished_key, "finished", NULL, 0);
    }
    pl_hmac_cleanup(&key);
    if (err != PADLOCK_OK) {
        pl_wipe(out, sizeof(*out));
    }
    return err;
}

padlock_err pl_ks13_update_traffic(pl_ks13_secret *traffic) {
    return pl_ks13_expand_secret(traffic, traffic, "traffic upd", NULL, 0);
}

padlock_err pl_ks13_verify_data(const pl_ks13_secret *finished_key, pl_digest *out,
                                const pl_digest *th) {
    PL_CHECK(th->hash == finished_key->hash && th->len == finished_key->len,
             PADLOCK_E_INVALID_ARGUMENT);
    pl_hmac_oneshot(finished_key->hash, finished_key->b, finished_key->len, th->b, th->len, out->b);
    out->hash = finished_key->hash;
    out->len = finished_key->len;
    return PADLOCK_OK;
}

padlock_err pl_ks13_finished(const pl_ks13_secret *base_key, pl_digest *out, const pl_digest *th) {
    PL_CHECK(th->hash == base_key->hash && th->len == base_key->len, PADLOCK_E_INVALID_ARGUMENT);
    pl_ks13_secret finished_key;
    PL_TRY(pl_ks13_expand_secret(base_key, &finished_key, "finished", NULL, 0));
    padlock_err err = pl_ks13_verify_data(&finished_key, out, th);
    pl_ks13_secret_cleanup(&finished_key);
    return err;
}

padlock_err pl_ks13_verify_data_check(const pl_ks13_secret *finished_key, const pl_digest *th,
                                      const uint8_t *verify_data, size_t len) {
    PL_CHECK(len == finished_key->len, PADLOCK_E_DECODE);
    pl_digest expected;
    PL_TRY(pl_ks13_verify_data(finished_key, &expected, th));
    int ok = pl_ct_equal(expected.b, verify_data, len);
    pl_wipe(&expected, sizeof(expected));
    /* §4.4.4: an incorrect Finished is decrypt_error. */
    PL_CHECK(ok, PADLOCK_E_DECRYPT_ERROR);
    return PADLOCK_OK;
}

padlock_err pl_ks13_finished_verify(const pl_ks13_secret *base_key, const pl_digest *th,
                                    const uint8_t *verify_data, size_t len) {
    PL_CHECK(len == base_key->len, PADLOCK_E_DECODE);
    pl_ks13_secret finished_key;
    PL_TRY(pl_ks13_expand_secret(base_key, &finished_key, "finished", NULL, 0));
    /* §4.2.11: a binder is checked as a Finished is (decrypt_error when wrong). */
    padlock_err err = pl_ks13_verify_data_check(&finished_key, th, verify_data, len);
    pl_ks13_secret_cleanup(&finished_key);
    return err;
}

padlock_err pl_ks13_export(const pl_ks13_secret *exporter_master, uint8_t *out, size_t out_len,
                           const uint8_t *label, size_t label_len, const uint8_t *context,
                           size_t context_len) {
    const pl_hash_alg *hash = exporter_master->hash;
    /* §7.5: HKDF-Expand-Label(Derive-Secret(Secret, label, ""), "exporter", Hash(context_value),
     * key_length); no context and an empty one are the same. */
    pl_digest empty;
    pl_ks13_empty_hash(hash, &empty);
    pl_ks13_secret derived;
    PL_TRY(pl_ks13_expand_label(hash, exporter_master->b, exporter_master->len, derived.b,
                                exporter_master->len, label, label_len, empty.b, empty.len));
    derived.hash = hash;
    derived.len = exporter_master->len;
    pl_digest context_hash;
    context_hash.hash = hash;
    context_hash.len = hash->digest_len;
    pl_hash(hash, context, context_len, context_hash.b);
    padlock_err err =
        pl_ks13_expand_label(hash, derived.b, derived.len, out, out_len,
                             (const uint8_t *)"exporter", 8, context_hash.b, context_hash.len);
    pl_ks13_secret_cleanup(&derived);
    return err;
}

padlock_err pl_ks13_ticket_psk(const pl_ks13_secret *resumption_master, pl_ks13_secret *out,
                               const uint8_t *nonce, size_t nonce_len) {
    /* §4.6.1: ticket_nonce<0..255>. */
    PL_CHECK(nonce_len <= 255, PADLOCK_E_INVALID_ARGUMENT);
    return pl_ks13_expand_secret(resumption_master, out, "resumption", nonce, nonce_len);
}

void pl_ks13_secret_cleanup(pl_ks13_secret *s) {
    pl_wipe(s, sizeof(*s));
}

void pl_ks13_early_cleanup(pl_ks13_early *early) {
    pl_wipe(early, sizeof(*early));
}

void pl_ks13_handshake_cleanup(pl_ks13_handshake *hs) {
    pl_wipe(hs, sizeof(*hs));
}

void pl_ks13_master_cleanup(pl_ks13_master *master) {
    pl_wipe(master, sizeof(*master));
}
