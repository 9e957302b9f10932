/* The TLS 1.3 key schedule, transcript and suite table. SHA-256 values are pinned by RFC 8448
 * (tests/vectors); here the SHA-384 schedule, HKDF-Expand-Label at its length limits, KeyUpdate
 * chains, ticket PSKs and exporters are checked against an independent implementation, the
 * TLS13-KDF of the `openssl kdf` command (OpenSSL 3.0), plus the stage rules, Finished
 * verification and the transcript across HelloRetryRequest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs/keysched13.h"
#include "hs/suite.h"
#include "hs/transcript.h"
#include "testlib.h"
#include "util/mem.h"

static void hex(char *out, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        sprintf(out + 2 * i, "%02x", p[i]);
    }
    out[2 * n] = '\0';
}

/* OpenSSL's TLS13-KDF (mode EXTRACT_ONLY or EXPAND_ONLY) with prefix "tls13 ", computed by the
 * openssl command; its "AA:BB:..." output is parsed into out. */
static void openssl_tls13_kdf(const char *digest, const char *mode, const uint8_t *key,
                              size_t key_len, const uint8_t *salt, size_t salt_len,
                              const uint8_t *label, size_t label_len, const uint8_t *data,
                              size_t data_len, uint8_t *out, size_t out_len) {
    static char cmd[8192], k[1024], s[1024], l[1024], d[1024];
    hex(k, key, key_len);
    hex(s, salt, salt_len);
    hex(l, label, label_len);
    hex(d, data, data_len);
    snprintf(cmd, sizeof(cmd),
             "openssl kdf -keylen %zu -kdfopt digest:%s -kdfopt mode:%s -kdfopt hexkey:%s "
             "%s%s -kdfopt hexprefix:746c73313320 -kdfopt hexlabel:%s %s%s TLS13-KDF",
             out_len, digest, mode, k, salt_len ? "-kdfopt hexsalt:" : "", salt_len ? s : "", l,
             data_len ? "-kdfopt hexdata:" : "", data_len ? d : "");
    char *res = NULL;
    int rc = pl_test_sh_capture(&res, "%s", cmd);
    if (rc != 0 || res == NULL) {
        fail_msg("openssl kdf failed (%d): %s", rc, cmd);
    }
    size_t n = 0;
    for (const char *p = res; *p != '\0' && n < out_len;) {
        unsigned v;
        if (sscanf(p, "%2x", &v) != 1) {
            fail_msg("unexpected openssl output: %s", res);
        }
        out[n++] = (uint8_t)v;
        p += 2;
        if (*p == ':') {
            p++;
        }
    }
    assert_int_equal(n, out_len);
    free(res);
}

/* OpenSSL's HKDF-Expand-Label(secret, label, context, out_len). */
static void openssl_expand_label(const pl_hash_alg *hash, const uint8_t *secret, const char *label,
                                 const uint8_t *context, size_t context_len, uint8_t *out,
                                 size_t out_len) {
    openssl_tls13_kdf(hash == &pl_hash_sha384 ? "SHA384" : "SHA256", "EXPAND_ONLY", secret,
                      hash->digest_len, NULL, 0, (const uint8_t *)label, strlen(label), context,
                      context_len, out, out_len);
}

static void fill(uint8_t *p, size_t n, uint8_t seed) {
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed ^ (i * 29));
    }
}

static pl_digest digest_of(const pl_hash_alg *hash, const char *s) {
    pl_digest d;
    d.hash = hash;
    d.len = hash->digest_len;
    pl_hash(hash, (const uint8_t *)s, strlen(s), d.b);
    return d;
}

static void test_expand_label_encoding(void **state) {
    (void)state;
    uint8_t secret[48], out[255 * 48 + 1], want[300];
    fill(secret, sizeof(secret), 0x33);
    /* The RFC 8446 §7.1 HkdfLabel for ("key", "", 16): 00 10 | 09 "tls13 key" | 00. */
    const uint8_t info[] = {0x00, 0x10, 0x09, 't', 'l', 's', '1', '3', ' ', 'k', 'e', 'y', 0x00};
    PL_ASSERT_OK(pl_hkdf_expand(&pl_hash_sha256, secret, 32, info, sizeof(info), want, 16));
    PL_ASSERT_OK(pl_ks13_expand_label(&pl_hash_sha256, secret, 32, out, 16, (const uint8_t *)"key",
                                      3, NULL, 0));
    assert_memory_equal(out, want, 16);

    /* The longest label and context, against OpenSSL. */
    uint8_t label[PL_KS13_MAX_LABEL_LEN + 1], context[PL_KS13_MAX_CONTEXT_LEN + 1];
    memset(label, 'x', sizeof(label));
    fill(context, sizeof(context), 0x77);
    PL_ASSERT_OK(pl_ks13_expand_label(&pl_hash_sha384, secret, 48, out, 77, label,
                                      PL_KS13_MAX_LABEL_LEN, context, PL_KS13_MAX_CONTEXT_LEN));
    openssl_tls13_kdf("SHA384", "EXPAND_ONLY", secret, 48, NULL, 0, label, PL_KS13_MAX_LABEL_LEN,
                      context, PL_KS13_MAX_CONTEXT_LEN, want, 77);
    assert_memory_equal(out, want, 77);

    /* One past each limit, and the empty label (label<7..255> needs one byte after "tls13 "). */
    PL_ASSERT_ERR(pl_ks13_expand_label(&pl_hash_sha384, secret, 48, out, 32, label,
                                       PL_KS13_MAX_LABEL_LEN + 1, NULL, 0),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_ks13_expand_label(&pl_hash_sha384, secret, 48, out, 32, label, 0, NULL, 0),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_ks13_expand_label(&pl_hash_sha384, secret, 48, out, 32, label, 3, context,
                                       PL_KS13_MAX_CONTEXT_LEN + 1),
                  PADLOCK_E_INVALID_ARGUMENT);
    /* Output: up to 255 * Hash.length (RFC 5869 §2.3). */
    PL_ASSERT_OK(
        pl_ks13_expand_label(&pl_hash_sha256, secret, 32, out, 255 * 32, label, 3, NULL, 0));
    PL_ASSERT_ERR(
        pl_ks13_expand_label(&pl_hash_sha256, secret, 32, out, 255 * 32 + 1, label, 3, NULL, 0),
        PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_OK(
        pl_ks13_expand_label(&pl_hash_sha384, secret, 48, out, 255 * 48, label, 3, NULL, 0));
    PL_ASSERT_ERR(
        pl_ks13_expand_label(&pl_hash_sha384, secret, 48, out, 255 * 48 + 1, label, 3, NULL, 0),
        PADLOCK_E_INVALID_ARGUMENT);
}

/* The whole SHA-384 schedule (TLS_AES_256_GCM_SHA384), stage by stage, against OpenSSL. */
static void test_sha384_schedule(void **state) {
    (void)state;
    const pl_hash_alg *h = &pl_hash_sha384;
    uint8_t zeros[48] = {0}, shared[48], want[48], empty[48];
    fill(shared, sizeof(shared), 0x5c);
    pl_hash(h, NULL, 0, empty);
    const uint8_t derived[] = "derived";

    pl_ks13_early early;
    PL_ASSERT_OK(pl_ks13_early_init(&early, h, NULL, 0));
    assert_int_equal(early.s.len, 48);
    openssl_tls13_kdf("SHA384", "EXTRACT_ONLY", zeros, 48, NULL, 0, derived, 7, NULL, 0, want, 48);
    assert_memory_equal(early.s.b, want, 48);
    pl_ks13_early copy = early;

    pl_ks13_handshake hs;
    PL_ASSERT_OK(pl_ks13_early_to_handshake(&early, &hs, shared, sizeof(shared)));
    assert_true(pl_ct_is_zero(&early, sizeof(early)));
    openssl_tls13_kdf("SHA384", "EXTRACT_ONLY", shared, 48, copy.s.b, 48, derived, 7, NULL, 0, want,
                      48);
    assert_memory_equal(hs.s.b, want, 48);

    pl_digest th = digest_of(h, "ClientHello...ServerHello");
    pl_ks13_secret c_hs, s_hs;
    PL_ASSERT_OK(pl_ks13_handshake_traffic(&hs, &c_hs, PL_KS13_CLIENT, &th));
    PL_ASSERT_OK(pl_ks13_handshake_traffic(&hs, &s_hs, PL_KS13_SERVER, &th));
    openssl_expand_label(h, hs.s.b, "c hs traffic", th.b, th.len, want, 48);
    assert_memory_equal(c_hs.b, want, 48);
    openssl_expand_label(h, hs.s.b, "s hs traffic", th.b, th.len, want, 48);
    assert_memory_equal(s_hs.b, want, 48);
    /* All three at once, from one keying of the Handshake Secret (a copy: it is wiped): the
     * same values. */
    pl_ks13_handshake hs_stage = hs;
    pl_ks13_secret pair_c, pair_s;
    pl_ks13_master stage_master;
    PL_ASSERT_OK(pl_ks13_handshake_stage(&hs_stage, &th, &pair_c, &pair_s, &stage_master));
    assert_true(pl_ct_is_zero(&hs_stage, sizeof(hs_stage)));
    assert_true(pair_c.hash == h && pair_c.len == 48 && pair_s.hash == h && pair_s.len == 48);
    assert_memory_equal(pair_c.b, c_hs.b, 48);
    assert_memory_equal(pair_s.b, s_hs.b, 48);

    pl_ks13_handshake hs_copy = hs;
    pl_ks13_master master;
    PL_ASSERT_OK(pl_ks13_handshake_to_master(&hs, &master));
    assert_true(pl_ct_is_zero(&hs, sizeof(hs)));
    openssl_tls13_kdf("SHA384", "EXTRACT_ONLY", zeros, 48, hs_copy.s.b, 48, derived, 7, NULL, 0,
                      want, 48);
    assert_memory_equal(master.s.b, want, 48);
    assert_true(stage_master.s.hash == h && stage_master.s.len == 48);
    assert_memory_equal(stage_master.s.b, want, 48);

    pl_digest th_sf = digest_of(h, "ClientHello...server Finished");
    pl_digest th_cf = digest_of(h, "ClientHello...client Finished");
    pl_ks13_secret s;
    PL_ASSERT_OK(pl_ks13_application_traffic(&master, &s, PL_KS13_CLIENT, &th_sf));
    openssl_expand_label(h, master.s.b, "c ap traffic", th_sf.b, 48, want, 48);
    assert_memory_equal(s.b, want, 48);
    PL_ASSERT_OK(pl_ks13_application_traffic(&master, &s, PL_KS13_SERVER, &th_sf));
    openssl_expand_label(h, master.s.b, "s ap traffic", th_sf.b, 48, want, 48);
    assert_memory_equal(s.b, want, 48);
    PL_ASSERT_OK(pl_ks13_exporter_master(&master, &s, &th_sf));
    openssl_expand_label(h, master.s.b, "exp master", th_sf.b, 48, want, 48);
    assert_memory_equal(s.b, want, 48);
    /* The three at once, from one keying of the Master Secret: the same values. */
    pl_ks13_secret app_c, app_s, exp;
    PL_ASSERT_OK(pl_ks13_application_secrets(&master, &th_sf, &app_c, &app_s, &exp));
    openssl_expand_label(h, master.s.b, "c ap traffic", th_sf.b, 48, want, 48);
    assert_memory_equal(app_c.b, want, 48);
    openssl_expand_label(h, master.s.b, "s ap traffic", th_sf.b, 48, want, 48);
    assert_memory_equal(app_s.b, want, 48);
    assert_true(app_c.hash == h && app_s.hash == h && exp.hash == h && exp.len == 48);
    assert_memory_equal(exp.b, s.b, 48);
    PL_ASSERT_OK(pl_ks13_resumption_master(&master, &s, &th_cf));
    openssl_expand_label(h, master.s.b, "res master", th_cf.b, 48, want, 48);
    assert_memory_equal(s.b, want, 48);

    /* Ticket PSK from the resumption master secret and an 8-byte nonce. */
    const uint8_t nonce[8] = {0, 0, 0, 0, 0, 0, 0, 7};
    pl_ks13_secret psk;
    PL_ASSERT_OK(pl_ks13_ticket_psk(&s, &psk, nonce, sizeof(nonce)));
    openssl_expand_label(h, s.b, "resumption", nonce, sizeof(nonce), want, 48);
    assert_memory_equal(psk.b, want, 48);

    /* Traffic keys for AES-256-GCM. */
    pl_record_keys keys;
    PL_ASSERT_OK(pl_ks13_traffic_keys(&c_hs, &keys, &pl_aead_aes_256_gcm));
    openssl_expand_label(h, c_hs.b, "key", NULL, 0, want, 32);
    assert_memory_equal(keys.key, want, 32);
    openssl_expand_label(h, c_hs.b, "iv", NULL, 0, want, 12);
    assert_memory_equal(keys.iv, want, 12);
    assert_int_equal(keys.prot, PL_RECORD_TLS13);
    assert_ptr_equal(keys.aead, &pl_aead_aes_256_gcm);

    /* Finished = HMAC(HKDF-Expand-Label(BaseKey, "finished", "", 48), th). */
    uint8_t finished_key[48], mac[48];
    openssl_expand_label(h, s_hs.b, "finished", NULL, 0, finished_key, 48);
    pl_hmac_oneshot(h, finished_key, 48, th.b, 48, mac);
    pl_digest verify;
    PL_ASSERT_OK(pl_ks13_finished(&s_hs, &verify, &th));
    assert_int_equal(verify.len, 48);
    assert_memory_equal(verify.b, mac, 48);

    pl_ks13_master_cleanup(&master);
    assert_true(pl_ct_is_zero(&master, sizeof(master)));
    pl_ks13_secret_cleanup(&c_hs);
    pl_ks13_secret_cleanup(&s_hs);
    pl_ks13_secret_cleanup(&s);
    pl_ks13_secret_cleanup(&psk);
}

/* PSK stage: binder keys and early secrets, SHA-384. */
static void test_psk_early_secrets(void **state) {
    (void)state;
    const pl_hash_alg *h = &pl_hash_sha384;
    uint8_t psk[48], want[48], empty[48];
    fill(psk, sizeof(psk), 0xa7);
    pl_hash(h, NULL, 0, empty);
    pl_ks13_early early;
    PL_ASSERT_OK(pl_ks13_early_init(&early, h, psk, sizeof(psk)));
    openssl_tls13_kdf("SHA384", "EXTRACT_ONLY", psk, 48, NULL, 0, (const uint8_t *)"derived", 7,
                      NULL, 0, want, 48);
    assert_memory_equal(early.s.b, want, 48);
    pl_ks13_secret s;
    PL_ASSERT_OK(pl_ks13_binder_key(&early, &s, PL_KS13_PSK_EXTERNAL));
    openssl_expand_label(h, early.s.b, "ext binder", empty, 48, want, 48);
    assert_memory_equal(s.b, want, 48);
    PL_ASSERT_OK(pl_ks13_binder_key(&early, &s, PL_KS13_PSK_RESUMPTION));
    openssl_expand_label(h, early.s.b, "res binder", empty, 48, want, 48);
    assert_memory_equal(s.b, want, 48);
    /* A ticket's PSK: its Early Secret and resumption binder key from one extraction. */
    pl_ks13_secret ticket_psk = {h, 48, {0}};
    memcpy(ticket_psk.b, psk, sizeof(psk));
    pl_ks13_early resumed;
    pl_ks13_secret binder_key;
    PL_ASSERT_OK(pl_ks13_resumption_early(&ticket_psk, &resumed, &binder_key));
    assert_true(resumed.s.hash == h && resumed.s.len == 48);
    assert_memory_equal(resumed.s.b, early.s.b, 48);
    assert_true(binder_key.hash == h && binder_key.len == 48);
    assert_memory_equal(binder_key.b, want, 48);
    pl_ks13_early_cleanup(&resumed);
    pl_digest th = digest_of(h, "ClientHello");
    PL_ASSERT_OK(pl_ks13_client_early_traffic(&early, &s, &th));
    openssl_expand_label(h, early.s.b, "c e traffic", th.b, 48, want, 48);
    assert_memory_equal(s.b, want, 48);
    PL_ASSERT_OK(pl_ks13_early_exporter_master(&early, &s, &th));
    openssl_expand_label(h, early.s.b, "e exp master", th.b, 48, want, 48);
    assert_memory_equal(s.b, want, 48);
    /* psk_ke: no (EC)DHE, the IKM is zeros (RFC 8446 §7.1). */
    uint8_t zeros[48] = {0};
    pl_ks13_early copy = early;
    pl_ks13_handshake hs;
    PL_ASSERT_OK(pl_ks13_early_to_handshake(&early, &hs, NULL, 0));
    openssl_tls13_kdf("SHA384", "EXTRACT_ONLY", zeros, 48, copy.s.b, 48, (const uint8_t *)"derived",
                      7, NULL, 0, want, 48);
    assert_memory_equal(hs.s.b, want, 48);
    pl_ks13_handshake_cleanup(&hs);
    pl_ks13_early_cleanup(&copy);
    pl_ks13_secret_cleanup(&s);
}

static void test_key_update_chain(void **state) {
    (void)state;
    const pl_hash_alg *hashes[] = {&pl_hash_sha256, &pl_hash_sha384};
    for (size_t i = 0; i < 2; i++) {
        const pl_hash_alg *h = hashes[i];
        pl_ks13_secret secret = {h, h->digest_len, {0}};
        fill(secret.b, h->digest_len, 0x42);
        uint8_t expect[48];
        memcpy(expect, secret.b, h->digest_len);
        for (int n = 1; n <= 3; n++) {
            /* §7.2: secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length) */
            uint8_t next[48];
            openssl_expand_label(h, expect, "traffic upd", NULL, 0, next, h->digest_len);
            memcpy(expect, next, h->digest_len);
            PL_ASSERT_OK(pl_ks13_update_traffic(&secret));
            assert_int_equal(secret.len, h->digest_len);
            assert_ptr_equal(secret.hash, h);
            assert_memory_equal(secret.b, expect, h->digest_len);
        }
        /* Each generation gives different record keys. */
        pl_record_keys k1, k2;
        PL_ASSERT_OK(pl_ks13_traffic_keys(&secret, &k1, &pl_aead_chacha20_poly1305));
        PL_ASSERT_OK(pl_ks13_update_traffic(&secret));
        PL_ASSERT_OK(pl_ks13_traffic_keys(&secret, &k2, &pl_aead_chacha20_poly1305));
        assert_memory_not_equal(k1.key, k2.key, 32);
        assert_memory_not_equal(k1.iv, k2.iv, 12);
        pl_ks13_secret_cleanup(&secret);
    }
}

static void test_exporter(void **state) {
    (void)state;
    const pl_hash_alg *hashes[] = {&pl_hash_sha256, &pl_hash_sha384};
    for (size_t i = 0; i < 2; i++) {
        const pl_hash_alg *h = hashes[i];
        pl_ks13_secret ems = {h, h->digest_len, {0}};
        fill(ems.b, h->digest_len, 0x19);
        const char *label = "EXPORTER-padlock-test";
        const uint8_t context[] = "some context";
        uint8_t out[100], want[100], derived[48], empty[48], ctx_hash[48];
        /* §7.5, computed by OpenSSL in its two steps. */
        pl_hash(h, NULL, 0, empty);
        pl_hash(h, context, sizeof(context) - 1, ctx_hash);
        openssl_expand_label(h, ems.b, label, empty, h->digest_len, derived, h->digest_len);
        openssl_expand_label(h, derived, "exporter", ctx_hash, h->digest_len, want, 100);
        PL_ASSERT_OK(pl_ks13_export(&ems, out, 100, (const uint8_t *)label, strlen(label), context,
                                    sizeof(context) - 1));
        assert_memory_equal(out, want, 100);

        /* No context and an empty context are the same in TLS 1.3. */
        uint8_t none[32], empty_ctx[32], other[32];
        PL_ASSERT_OK(
            pl_ks13_export(&ems, none, 32, (const uint8_t *)label, strlen(label), NULL, 0));
        PL_ASSERT_OK(
            pl_ks13_export(&ems, empty_ctx, 32, (const uint8_t *)label, strlen(label), context, 0));
        assert_memory_equal(none, empty_ctx, 32);
        openssl_expand_label(h, derived, "exporter", empty, h->digest_len, want, 32);
        assert_memory_equal(none, want, 32);
        /* Another label, context or length gives other keys: HkdfLabel binds the length, so
         * a shorter output is not a prefix of a longer one. */
        PL_ASSERT_OK(
            pl_ks13_export(&ems, other, 32, (const uint8_t *)"EXPORTER-other", 14, NULL, 0));
        assert_memory_not_equal(other, none, 32);
        PL_ASSERT_OK(
            pl_ks13_export(&ems, other, 32, (const uint8_t *)label, strlen(label), context, 1));
        assert_memory_not_equal(other, none, 32);
        PL_ASSERT_OK(pl_ks13_export(&ems, other, 7, (const uint8_t *)label, strlen(label), context,
                                    sizeof(context) - 1));
        assert_memory_not_equal(other, out, 7);
        openssl_expand_label(h, derived, "exporter", ctx_hash, h->digest_len, want, 7);
        assert_memory_equal(other, want, 7);
        /* Limits. */
        static uint8_t big[255 * 48 + 1];
        PL_ASSERT_OK(pl_ks13_export(&ems, big, 255 * (size_t)h->digest_len, (const uint8_t *)label,
                                    strlen(label), NULL, 0));
        PL_ASSERT_ERR(pl_ks13_export(&ems, big, 255 * (size_t)h->digest_len + 1,
                                     (const uint8_t *)label, strlen(label), NULL, 0),
                      PADLOCK_E_INVALID_ARGUMENT);
        PL_ASSERT_ERR(pl_ks13_export(&ems, out, 32, (const uint8_t *)label, 0, NULL, 0),
                      PADLOCK_E_INVALID_ARGUMENT);
        uint8_t long_label[PL_KS13_MAX_LABEL_LEN + 1];
        memset(long_label, 'L', sizeof(long_label));
        PL_ASSERT_OK(pl_ks13_export(&ems, out, 32, long_label, PL_KS13_MAX_LABEL_LEN, NULL, 0));
        PL_ASSERT_ERR(pl_ks13_export(&ems, out, 32, long_label, sizeof(long_label), NULL, 0),
                      PADLOCK_E_INVALID_ARGUMENT);
    }
}

static void test_finished_verify(void **state) {
    (void)state;
    pl_ks13_secret base = {&pl_hash_sha256, 32, {0}};
    fill(base.b, 32, 0x61);
    pl_digest th = digest_of(&pl_hash_sha256, "transcript");
    pl_digest good;
    PL_ASSERT_OK(pl_ks13_finished(&base, &good, &th));
    PL_ASSERT_OK(pl_ks13_finished_verify(&base, &th, good.b, 32));
    for (size_t i = 0; i < 32; i++) {
        uint8_t bad[32];
        memcpy(bad, good.b, 32);
        bad[i] ^= 0x10;
        PL_ASSERT_ERR(pl_ks13_finished_verify(&base, &th, bad, 32), PADLOCK_E_DECRYPT_ERROR);
    }
    assert_int_equal(padlock_err_alert(PADLOCK_E_DECRYPT_ERROR), PADLOCK_ALERT_DECRYPT_ERROR);
    PL_ASSERT_ERR(pl_ks13_finished_verify(&base, &th, good.b, 31), PADLOCK_E_DECODE);
    PL_ASSERT_ERR(pl_ks13_finished_verify(&base, &th, good.b, 0), PADLOCK_E_DECODE);
    /* Another transcript or base key does not verify. */
    pl_digest th2 = digest_of(&pl_hash_sha256, "transcripT");
    PL_ASSERT_ERR(pl_ks13_finished_verify(&base, &th2, good.b, 32), PADLOCK_E_DECRYPT_ERROR);
    base.b[0] ^= 1;
    PL_ASSERT_ERR(pl_ks13_finished_verify(&base, &th, good.b, 32), PADLOCK_E_DECRYPT_ERROR);
}

/* Inputs made with another hash are refused instead of being read at the wrong length. */
static void test_hash_mismatch(void **state) {
    (void)state;
    pl_ks13_early early;
    PL_ASSERT_ERR(pl_ks13_early_init(&early, &pl_hash_sha512, NULL, 0), PADLOCK_E_INVALID_ARGUMENT);
    const uint8_t psk[1] = {0};
    PL_ASSERT_ERR(pl_ks13_early_init(&early, &pl_hash_sha256, psk, 0), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_OK(pl_ks13_early_init(&early, &pl_hash_sha256, NULL, 0));
    pl_digest th384 = digest_of(&pl_hash_sha384, "ClientHello");
    pl_ks13_secret s;
    PL_ASSERT_ERR(pl_ks13_client_early_traffic(&early, &s, &th384), PADLOCK_E_INVALID_ARGUMENT);
    pl_ks13_secret base = {&pl_hash_sha256, 32, {1}};
    pl_digest out;
    PL_ASSERT_ERR(pl_ks13_finished(&base, &out, &th384), PADLOCK_E_INVALID_ARGUMENT);
    uint8_t nonce[256] = {0};
    PL_ASSERT_ERR(pl_ks13_ticket_psk(&base, &s, nonce, 256), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_OK(pl_ks13_ticket_psk(&base, &s, nonce, 255));
    PL_ASSERT_OK(pl_ks13_ticket_psk(&base, &s, NULL, 0));
    /* The derivations of several secrets at once refuse a transcript hash of another hash. */
    pl_ks13_handshake hs = {{&pl_hash_sha256, 32, {2}}};
    pl_ks13_master master = {{&pl_hash_sha256, 32, {3}}};
    pl_ks13_secret c, e;
    PL_ASSERT_ERR(pl_ks13_handshake_stage(&hs, &th384, &c, &s, &master),
                  PADLOCK_E_INVALID_ARGUMENT);
    assert_true(pl_ct_is_zero(&hs, sizeof(hs)));
    PL_ASSERT_ERR(pl_ks13_application_secrets(&master, &th384, &c, &s, &e),
                  PADLOCK_E_INVALID_ARGUMENT);
    pl_ks13_early_cleanup(&early);
}

/* Hash of the concatenation of up to three strings. */
static void hash_concat(const pl_hash_alg *h, const uint8_t *a, size_t a_len, const uint8_t *b,
                        size_t b_len, const uint8_t *c, size_t c_len, uint8_t *out) {
    pl_hash_state st;
    h->init(&st);
    h->update(&st, a, a_len);
    h->update(&st, b, b_len);
    h->update(&st, c, c_len);
    h->final(&st, out);
}

static void test_transcript_both_hashes(void **state) {
    (void)state;
    const uint8_t m1[] = {1, 0, 0, 3, 'a', 'b', 'c'};
    const uint8_t m2[] = {2, 0, 0, 1, 'z'};
    pl_transcript t;
    pl_transcript_init(&t);
    pl_transcript_update(&t, m1, sizeof(m1));
    pl_transcript_update(&t, m2, sizeof(m2));
    pl_digest d;
    uint8_t want[48];
    PL_ASSERT_ERR(pl_transcript_hash(&t, &d), PADLOCK_E_STATE); /* no suite yet */
    assert_null(pl_transcript_hash_alg(&t));
    PL_ASSERT_OK(pl_transcript_hash_with(&t, &pl_hash_sha256, NULL, 0, &d));
    hash_concat(&pl_hash_sha256, m1, sizeof(m1), m2, sizeof(m2), NULL, 0, want);
    assert_int_equal(d.len, 32);
    assert_memory_equal(d.b, want, 32);
    PL_ASSERT_OK(pl_transcript_hash_with(&t, &pl_hash_sha384, NULL, 0, &d));
    hash_concat(&pl_hash_sha384, m1, sizeof(m1), m2, sizeof(m2), NULL, 0, want);
    assert_int_equal(d.len, 48);
    assert_memory_equal(d.b, want, 48);
    PL_ASSERT_ERR(pl_transcript_hash_with(&t, &pl_hash_sha512, NULL, 0, &d), PADLOCK_E_STATE);

    /* Choosing SHA-384 keeps it and drops SHA-256. */
    PL_ASSERT_ERR(pl_transcript_select(&t, &pl_hash_sha512), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_OK(pl_transcript_select(&t, &pl_hash_sha384));
    PL_ASSERT_OK(pl_transcript_select(&t, &pl_hash_sha384));
    PL_ASSERT_ERR(pl_transcript_select(&t, &pl_hash_sha256), PADLOCK_E_STATE);
    assert_ptr_equal(pl_transcript_hash_alg(&t), &pl_hash_sha384);
    PL_ASSERT_ERR(pl_transcript_hash_with(&t, &pl_hash_sha256, NULL, 0, &d), PADLOCK_E_STATE);
    assert_true(pl_ct_is_zero(&t.sha256, sizeof(t.sha256)));
    /* The current hash does not disturb the running state. */
    PL_ASSERT_OK(pl_transcript_hash(&t, &d));
    PL_ASSERT_OK(pl_transcript_hash(&t, &d));
    assert_memory_equal(d.b, want, 48);
    pl_transcript_update(&t, m1, sizeof(m1));
    PL_ASSERT_OK(pl_transcript_hash(&t, &d));
    hash_concat(&pl_hash_sha384, m1, sizeof(m1), m2, sizeof(m2), m1, sizeof(m1), want);
    assert_memory_equal(d.b, want, 48);
    assert_ptr_equal(d.hash, &pl_hash_sha384);
    pl_transcript_cleanup(&t);
}

/* RFC 8446 §4.4.1 message_hash, built by hand: 254 00 00 Hash.length Hash(ClientHello1). */
static void message_hash(const pl_hash_alg *h, const uint8_t *ch1, size_t len, uint8_t *out) {
    out[0] = 254;
    out[1] = 0;
    out[2] = 0;
    out[3] = h->digest_len;
    pl_hash(h, ch1, len, out + 4);
}

static void test_transcript_hrr(void **state) {
    (void)state;
    const uint8_t ch1[] = {1, 0, 0, 2, 0xc1, 0xc1};
    const uint8_t hrr[] = {2, 0, 0, 2, 0x44, 0x55};
    const uint8_t ch2[] = {1, 0, 0, 5, 0xc2, 0xc2, 0xc2, 0xb1, 0xb2};
    const pl_hash_alg *hashes[] = {&pl_hash_sha256, &pl_hash_sha384};
    for (size_t i = 0; i < 2; i++) {
        const pl_hash_alg *h = hashes[i];
        uint8_t mh[4 + 48], want[48];
        message_hash(h, ch1, sizeof(ch1), mh);
        /* Hash chosen before the substitution (the client reads the HRR's suite)... */
        pl_transcript t;
        pl_transcript_init(&t);
        pl_transcript_update(&t, ch1, sizeof(ch1));
        PL_ASSERT_OK(pl_transcript_select(&t, h));
        pl_transcript_hrr(&t);
        pl_transcript_update(&t, hrr, sizeof(hrr));
        pl_transcript_update(&t, ch2, sizeof(ch2));
        pl_digest d;
        PL_ASSERT_OK(pl_transcript_hash(&t, &d));
        hash_concat(h, mh, 4 + h->digest_len, hrr, sizeof(hrr), ch2, sizeof(ch2), want);
        assert_memory_equal(d.b, want, h->digest_len);
        /* ...or after it, while both run: each hash substitutes its own Hash(ClientHello1). */
        pl_transcript t2;
        pl_transcript_init(&t2);
        pl_transcript_update(&t2, ch1, sizeof(ch1));
        pl_transcript_hrr(&t2);
        pl_transcript_update(&t2, hrr, sizeof(hrr));
        PL_ASSERT_OK(pl_transcript_select(&t2, h));
        pl_transcript_update(&t2, ch2, sizeof(ch2));
        PL_ASSERT_OK(pl_transcript_hash(&t2, &d));
        assert_memory_equal(d.b, want, h->digest_len);
        /* A binder over ClientHello2 truncated (§4.2.11.2): transcript so far + a prefix. */
        pl_transcript t3;
        pl_transcript_init(&t3);
        pl_transcript_update(&t3, ch1, sizeof(ch1));
        pl_transcript_hrr(&t3);
        pl_transcript_update(&t3, hrr, sizeof(hrr));
        PL_ASSERT_OK(pl_transcript_hash_with(&t3, h, ch2, 7, &d));
        hash_concat(h, mh, 4 + h->digest_len, hrr, sizeof(hrr), ch2, 7, want);
        assert_memory_equal(d.b, want, h->digest_len);
        /* ...and the transcript itself still stands before ClientHello2. */
        pl_transcript_update(&t3, ch2, sizeof(ch2));
        PL_ASSERT_OK(pl_transcript_hash_with(&t3, h, NULL, 0, &d));
        hash_concat(h, mh, 4 + h->digest_len, hrr, sizeof(hrr), ch2, sizeof(ch2), want);
        assert_memory_equal(d.b, want, h->digest_len);
        pl_transcript_cleanup(&t);
        pl_transcript_cleanup(&t2);
        pl_transcript_cleanup(&t3);
    }
}

static void test_suites(void **state) {
    (void)state;
    const pl_suite *s = pl_suite_by_code(0x1301);
    assert_ptr_equal(s, &pl_suite_aes_128_gcm_sha256);
    assert_string_equal(s->name, "TLS_AES_128_GCM_SHA256");
    assert_ptr_equal(s->aead, &pl_aead_aes_128_gcm);
    assert_ptr_equal(s->hash, &pl_hash_sha256);
    s = pl_suite_by_code(0x1302);
    assert_ptr_equal(s->aead, &pl_aead_aes_256_gcm);
    assert_ptr_equal(s->hash, &pl_hash_sha384);
    s = pl_suite_by_code(0x1303);
    assert_ptr_equal(s->aead, &pl_aead_chacha20_poly1305);
    assert_ptr_equal(s->hash, &pl_hash_sha256);
    assert_int_equal(s->version, PL_TLS13_VERSION);
    /* CCM suites and CBC TLS 1.2 suites are not implemented; the TLS 1.2 ECDHE AEAD suites are,
     * under their own list, and the RSA key transport ones apart from every default list. */
    assert_null(pl_suite_by_code(0x1304));
    assert_null(pl_suite_by_code(0x1305));
    assert_null(pl_suite_by_code(0xc013));
    assert_null(pl_suite_by_code(0x0035));
    s = pl_suite_by_code(0x009c);
    assert_true(s->rsa_kx);
    assert_int_equal(s->auth, PL_SUITE_AUTH_RSA);
    size_t n_rsa;
    const pl_suite *const *rsa = pl_suite_legacy_rsa_list(&n_rsa);
    assert_int_equal(n_rsa, 2);
    assert_ptr_equal(rsa[0], s);
    assert_ptr_equal(pl_suite_by_name("TLS_RSA_WITH_AES_256_GCM_SHA384"), rsa[1]);
    s = pl_suite_by_code(0xc02f);
    assert_int_equal(s->version, PL_TLS12_VERSION);
    assert_int_equal(s->auth, PL_SUITE_AUTH_RSA);
    assert_ptr_equal(s->hash, &pl_hash_sha256);
    s = pl_suite_by_code(0xcca9);
    assert_int_equal(s->auth, PL_SUITE_AUTH_ECDSA);
    assert_ptr_equal(s->aead, &pl_aead_chacha20_poly1305);
    assert_ptr_equal(pl_suite_by_name("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
                     pl_suite_by_code(0xc02c));
    size_t n12;
    const pl_suite *const *list12 = pl_suite12_list(&n12);
    assert_int_equal(n12, 6);
    for (size_t i = 0; i < n12; i++) {
        assert_int_equal(list12[i]->version, PL_TLS12_VERSION);
        assert_false(list12[i]->rsa_kx);
    }
    assert_ptr_equal(pl_suite_by_name("TLS_CHACHA20_POLY1305_SHA256"),
                     &pl_suite_chacha20_poly1305_sha256);
    assert_null(pl_suite_by_name("tls_aes_128_gcm_sha256"));
    size_t n;
    const pl_suite *const *list = pl_suite_list(&n);
    assert_int_equal(n, 3);
    assert_ptr_equal(list[0], &pl_suite_aes_128_gcm_sha256); /* RFC 8446 §9.1 mandatory */
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(pl_suite_by_code(list[i]->code), list[i]);
        assert_ptr_equal(pl_suite_by_name(list[i]->name), list[i]);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_expand_label_encoding),
        cmocka_unit_test(test_sha384_schedule),
        cmocka_unit_test(test_psk_early_secrets),
        cmocka_unit_test(test_key_update_chain),
        cmocka_unit_test(test_exporter),
        cmocka_unit_test(test_finished_verify),
        cmocka_unit_test(test_hash_mismatch),
        cmocka_unit_test(test_transcript_both_hashes),
        cmocka_unit_test(test_transcript_hrr),
        cmocka_unit_test(test_suites),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
