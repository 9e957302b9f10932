/* The TLS 1.2 key schedule (src/hs/keysched12.c): the PRF against the published P_SHA256 and
 * P_SHA384 test vectors and, for the extended master secret (RFC 7627), the
 * key block (RFC 5246 §6.3 cut for RFC 5288 / RFC 7905 AEADs), Finished and the exporter,
 * against an independent implementation: the TLS1-PRF of the `openssl kdf` command (OpenSSL
 * 3.0). Finished is checked in constant time; a wrong length, a flipped bit in any byte, a
 * transcript of another hash and the handshake's own labels as exporter labels are refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs/keysched12.h"
#include "testlib.h"

static void hex(char *out, const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        sprintf(out + 2 * i, "%02x", p[i]);
    }
    out[2 * n] = '\0';
}

/* OpenSSL's TLS1-PRF over secret and label + seed (one hex string), out_len bytes into out. */
static void openssl_prf(const char *digest, const uint8_t *secret, size_t secret_len,
                        const char *label, const uint8_t *seed, size_t seed_len, uint8_t *out,
                        size_t out_len) {
    static char cmd[4096], s[512], sd[1024];
    hex(s, secret, secret_len);
    size_t label_len = strlen(label);
    hex(sd, (const uint8_t *)label, label_len);
    hex(sd + 2 * label_len, seed, seed_len);
    snprintf(cmd, sizeof(cmd),
             "openssl kdf -keylen %zu -kdfopt digest:%s -kdfopt hexsecret:%s -kdfopt hexseed:%s "
             "TLS1-PRF | tr -d ':\\n'",
             out_len, digest, s, sd);
    char *text = NULL;
    assert_int_equal(pl_test_sh_capture(&text, "%s", cmd), 0);
    size_t n = 0;
    uint8_t *bytes = pl_test_unhex(text, &n);
    assert_non_null(bytes);
    assert_int_equal(n, out_len);
    memcpy(out, bytes, out_len);
    free(bytes);
    free(text);
}

static void fill(uint8_t *p, size_t n, uint8_t seed) {
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed + 7 * i);
    }
}

static void check_prf_vector(const pl_hash_alg *hash, const char *secret_hex,
                             const char *seed_hex, const char *expected_hex) {
    size_t secret_len, seed_len, len;
    uint8_t *secret = pl_test_unhex(secret_hex, &secret_len);
    uint8_t *seed = pl_test_unhex(seed_hex, &seed_len);
    uint8_t *expected = pl_test_unhex(expected_hex, &len);
    uint8_t out[200];
    assert_true(len <= sizeof(out));
    PL_ASSERT_OK(pl_ks12_prf(hash, secret, secret_len, "test label", seed, seed_len, NULL, 0,
                             out, len));
    assert_memory_equal(out, expected, len);
    /* The seed split in two halves gives the same output. */
    PL_ASSERT_OK(pl_ks12_prf(hash, secret, secret_len, "test label", seed, 5, seed + 5,
                             seed_len - 5, out, len));
    assert_memory_equal(out, expected, len);
    /* A prefix of the output is the output of a shorter request. */
    PL_ASSERT_OK(pl_ks12_prf(hash, secret, secret_len, "test label", seed, seed_len, NULL, 0,
                             out, 33));
    assert_memory_equal(out, expected, 33);
    free(secret);
    free(seed);
    free(expected);
}

/* The P_SHA256 and P_SHA384 vectors published on the IETF TLS list for RFC 5246's PRF. */
static void test_prf_vectors(void **state) {
    (void)state;
    check_prf_vector(&pl_hash_sha256, "9bbe436ba940f017b17652849a71db35",
                     "a0ba9f936cda311827a6f796ffd5198c",
                     "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791"
                     "e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b"
                     "97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66");
    check_prf_vector(&pl_hash_sha384, "b80b733d6ceefcdc71566ea48e5567df",
                     "cd665cf6a8447dd6ff8b27555edb7465",
                     "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa"
                     "60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd8bfa961144c9e8d7"
                     "92eca722a7b32fc3d416d473ebc2c5fd4abfdad05d9184259b5bf8cd4d90fa0d31e2dec4"
                     "79e4f1a26066f2eea9a69236a3e52655c9e9aee691c8f3a26854308d5eaa3be85e099070"
                     "3d73e56f");
}

static void test_prf_refusals(void **state) {
    (void)state;
    uint8_t secret[16] = {1}, out[16];
    PL_ASSERT_ERR(pl_ks12_prf(&pl_hash_sha512, secret, 16, "x", NULL, 0, NULL, 0, out, 16),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_ks12_prf(&pl_hash_sha256, secret, 16, "", NULL, 0, NULL, 0, out, 16),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_ks12_prf(&pl_hash_sha256, secret, 16, NULL, NULL, 0, NULL, 0, out, 16),
                  PADLOCK_E_INVALID_ARGUMENT);
}

static void check_master_and_keys(const pl_hash_alg *hash, const char *digest,
                                  const pl_aead_alg *aead, size_t iv_len) {
    uint8_t premaster[48], cr[PL_RANDOM_LEN], sr[PL_RANDOM_LEN], seed[2 * PL_RANDOM_LEN];
    fill(premaster, sizeof(premaster), 3);
    fill(cr, sizeof(cr), 100);
    fill(sr, sizeof(sr), 200);
    uint8_t expected[200];
    /* RFC 7627 §4: the extended master secret is seeded with the session hash alone. */
    pl_digest session_hash = {.hash = hash, .len = (uint8_t)hash->digest_len};
    fill(session_hash.b, session_hash.len, 42);
    pl_ks12_master m;
    PL_ASSERT_OK(pl_ks12_extended_master_secret(&m, hash, premaster, sizeof(premaster),
                                                &session_hash));
    openssl_prf(digest, premaster, sizeof(premaster), "extended master secret", session_hash.b,
                session_hash.len, expected, PL_KS12_MASTER_LEN);
    assert_memory_equal(m.b, expected, PL_KS12_MASTER_LEN);
    assert_ptr_equal(m.hash, hash);

    /* RFC 5246 §6.3: the key block's seed is server_random + client_random; AEAD suites have no MAC
     * keys, so the block is client key, server key, client IV, server IV. */
    memcpy(seed, sr, PL_RANDOM_LEN);
    memcpy(seed + PL_RANDOM_LEN, cr, PL_RANDOM_LEN);
    size_t k = aead->key_len;
    openssl_prf(digest, m.b, sizeof(m.b), "key expansion", seed, sizeof(seed), expected,
                2 * (k + iv_len));
    pl_record_keys ck, sk;
    PL_ASSERT_OK(pl_ks12_record_keys(&m, aead, cr, sr, &ck, &sk));
    assert_int_equal(ck.prot, PL_RECORD_TLS12);
    assert_int_equal(sk.prot, PL_RECORD_TLS12);
    assert_ptr_equal(ck.aead, aead);
    assert_memory_equal(ck.key, expected, k);
    assert_memory_equal(sk.key, expected + k, k);
    assert_memory_equal(ck.iv, expected + 2 * k, iv_len);
    assert_memory_equal(sk.iv, expected + 2 * k + iv_len, iv_len);

    /* RFC 5246 §7.4.9: verify_data = PRF(master, "client finished", Hash(messages))[0..11]. */
    uint8_t vd[PL_KS12_VERIFY_LEN];
    PL_ASSERT_OK(pl_ks12_finished(&m, PL_ROLE_CLIENT, &session_hash, vd));
    openssl_prf(digest, m.b, sizeof(m.b), "client finished", session_hash.b, session_hash.len,
                expected, PL_KS12_VERIFY_LEN);
    assert_memory_equal(vd, expected, PL_KS12_VERIFY_LEN);
    PL_ASSERT_OK(pl_ks12_finished(&m, PL_ROLE_SERVER, &session_hash, vd));
    openssl_prf(digest, m.b, sizeof(m.b), "server finished", session_hash.b, session_hash.len,
                expected, PL_KS12_VERIFY_LEN);
    assert_memory_equal(vd, expected, PL_KS12_VERIFY_LEN);
    pl_ks12_master_cleanup(&m);
    uint8_t zero[PL_KS12_MASTER_LEN] = {0};
    assert_memory_equal(m.b, zero, sizeof(zero));
}

static void test_master_key_block_finished(void **state) {
    (void)state;
    /* RFC 5288 §3: AES-GCM has a 4-byte implicit salt; RFC 7905 §2: ChaCha20 a 12-byte IV. */
    check_master_and_keys(&pl_hash_sha256, "SHA256", &pl_aead_aes_128_gcm, 4);
    check_master_and_keys(&pl_hash_sha384, "SHA384", &pl_aead_aes_256_gcm, 4);
    check_master_and_keys(&pl_hash_sha256, "SHA256", &pl_aead_chacha20_poly1305, 12);
}

static void test_finished_verify(void **state) {
    (void)state;
    pl_ks12_master m = {.hash = &pl_hash_sha256};
    fill(m.b, sizeof(m.b), 9);
    pl_digest th = {.hash = &pl_hash_sha256, .len = 32};
    fill(th.b, th.len, 77);
    uint8_t vd[PL_KS12_VERIFY_LEN];
    PL_ASSERT_OK(pl_ks12_finished(&m, PL_ROLE_SERVER, &th, vd));
    PL_ASSERT_OK(pl_ks12_finished_verify(&m, PL_ROLE_SERVER, &th, vd, sizeof(vd)));
    /* The other role's label. */
    PL_ASSERT_ERR(pl_ks12_finished_verify(&m, PL_ROLE_CLIENT, &th, vd, sizeof(vd)),
                  PADLOCK_E_DECRYPT_ERROR);
    for (size_t i = 0; i < sizeof(vd); i++) {
        vd[i] ^= 0x01;
        PL_ASSERT_ERR(pl_ks12_finished_verify(&m, PL_ROLE_SERVER, &th, vd, sizeof(vd)),
                      PADLOCK_E_DECRYPT_ERROR);
        vd[i] ^= 0x01;
    }
    PL_ASSERT_ERR(pl_ks12_finished_verify(&m, PL_ROLE_SERVER, &th, vd, 11), PADLOCK_E_DECODE);
    PL_ASSERT_ERR(pl_ks12_finished_verify(&m, PL_ROLE_SERVER, &th, vd, 0), PADLOCK_E_DECODE);
    /* A transcript hashed with another hash than the PRF's. */
    pl_digest th384 = {.hash = &pl_hash_sha384, .len = 48};
    PL_ASSERT_ERR(pl_ks12_finished(&m, PL_ROLE_SERVER, &th384, vd), PADLOCK_E_INVALID_ARGUMENT);
    pl_ks12_master em;
    uint8_t premaster[32] = {0};
    PL_ASSERT_ERR(pl_ks12_extended_master_secret(&em, &pl_hash_sha256, premaster, 32, &th384),
                  PADLOCK_E_INVALID_ARGUMENT);
}

static void test_export(void **state) {
    (void)state;
    pl_ks12_master m = {.hash = &pl_hash_sha384};
    fill(m.b, sizeof(m.b), 1);
    uint8_t cr[PL_RANDOM_LEN], sr[PL_RANDOM_LEN], seed[2 * PL_RANDOM_LEN + 2 + 5];
    fill(cr, sizeof(cr), 10);
    fill(sr, sizeof(sr), 20);
    const uint8_t ctx[5] = {'h', 'e', 'l', 'l', 'o'};
    uint8_t out[40], none[40], empty[40], expected[40];
    /* RFC 5705 §4: seed client_random + server_random + context length + context. */
    PL_ASSERT_OK(pl_ks12_export(&m, cr, sr, "EXPORTER-test", ctx, sizeof(ctx), 1, out, 40));
    memcpy(seed, cr, PL_RANDOM_LEN);
    memcpy(seed + PL_RANDOM_LEN, sr, PL_RANDOM_LEN);
    seed[64] = 0;
    seed[65] = 5;
    memcpy(seed + 66, ctx, 5);
    openssl_prf("SHA384", m.b, sizeof(m.b), "EXPORTER-test", seed, sizeof(seed), expected, 40);
    assert_memory_equal(out, expected, 40);
    /* No context and an empty context differ (RFC 5705 §4). */
    PL_ASSERT_OK(pl_ks12_export(&m, cr, sr, "EXPORTER-test", NULL, 0, 0, none, 40));
    PL_ASSERT_OK(pl_ks12_export(&m, cr, sr, "EXPORTER-test", NULL, 0, 1, empty, 40));
    openssl_prf("SHA384", m.b, sizeof(m.b), "EXPORTER-test", seed, 64, expected, 40);
    assert_memory_equal(none, expected, 40);
    assert_memory_not_equal(none, empty, 40);
    /* The key schedule's own labels, an empty label, an over-long context. */
    const char *reserved[] = {"master secret", "key expansion", "client finished",
                              "server finished", "extended master secret", ""};
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
        PL_ASSERT_ERR(pl_ks12_export(&m, cr, sr, reserved[i], NULL, 0, 0, out, 40),
                      PADLOCK_E_INVALID_ARGUMENT);
    }
    PL_ASSERT_ERR(pl_ks12_export(&m, cr, sr, "EXPORTER-test", ctx, 0x10000, 1, out, 40),
                  PADLOCK_E_INVALID_ARGUMENT);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prf_vectors),
        cmocka_unit_test(test_prf_refusals),
        cmocka_unit_test(test_master_key_block_finished),
        cmocka_unit_test(test_finished_verify),
        cmocka_unit_test(test_export),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
