/* The crypto layer's primitives: SHA-2 known answers (FIPS 180-4 examples), HMAC (RFC 4231),
 * HKDF (RFC 5869 App. A), AEAD contexts, key exchange (RFC 8446 §4.2.8.2, RFC 7748 §6.1) and
 * signatures for every TLS SignatureScheme. Private key loading is in test_privkey.c. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "testlib.h"
#include "util/mem.h"

static uint8_t *unhex(const char *hex, size_t *len) {
    uint8_t *b = pl_test_unhex(hex, len);
    assert_non_null(b);
    return b;
}

static void assert_hex(const uint8_t *got, size_t len, const char *want_hex) {
    size_t want_len;
    uint8_t *want = unhex(want_hex, &want_len);
    assert_int_equal(len, want_len);
    assert_memory_equal(got, want, len);
    free(want);
}

/* ---- SHA-2 ----------------------------------------------------------------------------------- */

static const char pl_msg448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char pl_msg896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                                "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static void check_hash(const pl_hash_alg *alg, const char *msg, const char *want) {
    uint8_t out[PL_HASH_MAX_LEN];
    pl_hash(alg, (const uint8_t *)msg, strlen(msg), out);
    assert_hex(out, alg->digest_len, want);
}

static void test_sha2_known_answers(void **state) {
    (void)state;
    check_hash(&pl_hash_sha256, "abc",
               "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check_hash(&pl_hash_sha256, pl_msg448,
               "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    check_hash(&pl_hash_sha384, "abc",
               "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc23"
               "58baeca134c825a7");
    check_hash(&pl_hash_sha384, pl_msg896,
               "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db9"
               "66c3e9fa91746039");
    check_hash(&pl_hash_sha512, "abc",
               "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a8"
               "36ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    check_hash(&pl_hash_sha512, pl_msg896,
               "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4"
               "331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
    assert_ptr_equal(pl_hash_by_id(PL_HASH_SHA384), &pl_hash_sha384);
    assert_null(pl_hash_by_id((pl_hash_id)0));
}

/* Byte-at-a-time updates give the one-shot digest, and a copied state is an independent
 * snapshot (what the TLS transcript relies on). */
static void test_sha2_multi_update_and_snapshot(void **state) {
    (void)state;
    const pl_hash_alg *algs[] = {&pl_hash_sha256, &pl_hash_sha384, &pl_hash_sha512};
    size_t len = strlen(pl_msg896);
    for (size_t a = 0; a < 3; a++) {
        const pl_hash_alg *alg = algs[a];
        uint8_t whole[PL_HASH_MAX_LEN];
        uint8_t prefix[PL_HASH_MAX_LEN];
        pl_hash(alg, (const uint8_t *)pl_msg896, len, whole);
        pl_hash(alg, (const uint8_t *)pl_msg896, 100, prefix);
        pl_hash_state st;
        alg->init(&st);
        pl_hash_state snap;
        for (size_t i = 0; i < len; i++) {
            if (i == 100) {
                snap = st;
            }
            alg->update(&st, (const uint8_t *)pl_msg896 + i, 1);
        }
        uint8_t out[PL_HASH_MAX_LEN];
        alg->final(&st, out);
        assert_memory_equal(out, whole, alg->digest_len);
        alg->final(&snap, out);
        assert_memory_equal(out, prefix, alg->digest_len);
    }
}

/* ---- HMAC and HKDF --------------------------------------------------------------------------- */

typedef struct hmac_case {
    const char *key;
    const char *data;
    const char *sha256;
    const char *sha384;
    const char *sha512;
} hmac_case;

/* RFC 4231 §4.2-4.8 without §4.6 (its truncated output is not an HMAC padlock computes). */
static const hmac_case pl_rfc4231[] = {
    {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
     "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2f"
     "a9cb6",
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eae"
     "a3f4e4be9d914eeb61f1702e696c203a126854"},
    {"4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab"
     "21649",
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8"
     "f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
    {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
     "dddddddd",
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
     "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a"
     "34f27",
     "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e"
     "67c807b946a337bee8942674278859e13292fb"},
    {"0102030405060708090a0b0c0d0e0f10111213141516171819",
     "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
     "cdcdcdcd",
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
     "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c67"
     "4cffb",
     "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5"
     "788063a5f19741120c4f2de2adebeb10a298dd"},
    {NULL,
     "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368"
     "204b6579204669727374",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
     "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f"
     "44952",
     "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d"
     "6a1e5295e64f73f63f0aec8b915a985d786598"},
    {NULL,
     "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a"
     "65206b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865"
     "206b6579206e6565647320746f20626520686173686564206265666f7265206265696e672075736564206279"
     "2074686520484d414320616c676f726974686d2e",
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
     "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c4"
     "6523e",
     "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3"
     "e4de15134676fb6de0446065c97440fa8c6a58"},
};

static void test_hmac_rfc4231(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof(pl_rfc4231) / sizeof(pl_rfc4231[0]); i++) {
        const hmac_case *c = &pl_rfc4231[i];
        uint8_t key[131];
        size_t key_len = sizeof(key);
        if (c->key != NULL) {
            uint8_t *k = unhex(c->key, &key_len);
            memcpy(key, k, key_len);
            free(k);
        } else {
            memset(key, 0xaa, key_len); /* §4.7, §4.8: 131 bytes 0xaa, longer than a block */
        }
        size_t data_len;
        uint8_t *data = unhex(c->data, &data_len);
        const pl_hash_alg *algs[] = {&pl_hash_sha256, &pl_hash_sha384, &pl_hash_sha512};
        const char *want[] = {c->sha256, c->sha384, c->sha512};
        for (size_t a = 0; a < 3; a++) {
            uint8_t out[PL_HASH_MAX_LEN];
            pl_hmac_oneshot(algs[a], key, key_len, data, data_len, out);
            assert_hex(out, algs[a]->digest_len, want[a]);
            /* The same through init/update/final in two pieces. */
            pl_hmac h;
            pl_hmac_init(&h, algs[a], key, key_len);
            pl_hmac_update(&h, data, data_len / 2);
            pl_hmac_update(&h, data + data_len / 2, data_len - data_len / 2);
            pl_hmac_final(&h, out);
            assert_hex(out, algs[a]->digest_len, want[a]);
        }
        free(data);
    }
}

static void check_hkdf(const char *ikm_hex, const char *salt_hex, const char *info_hex,
                       const char *prk_hex, const char *okm_hex) {
    size_t ikm_len, salt_len, info_len, okm_len;
    uint8_t *ikm = unhex(ikm_hex, &ikm_len);
    uint8_t *salt = unhex(salt_hex, &salt_len);
    uint8_t *info = unhex(info_hex, &info_len);
    uint8_t *okm = unhex(okm_hex, &okm_len);
    uint8_t prk[32];
    pl_hkdf_extract(&pl_hash_sha256, salt_len ? salt : NULL, salt_len, ikm, ikm_len, prk);
    assert_hex(prk, 32, prk_hex);
    uint8_t out[128];
    PL_ASSERT_OK(pl_hkdf_expand(&pl_hash_sha256, prk, 32, info, info_len, out, okm_len));
    assert_memory_equal(out, okm, okm_len);
    /* The same from a PRK keyed once: the keyed state is only read, so a second expansion from
     * it gives the same output again, and it does not depend on the PRK bytes afterwards. */
    pl_hmac keyed;
    pl_hmac_init(&keyed, &pl_hash_sha256, prk, sizeof(prk));
    memset(prk, 0, sizeof(prk));
    for (int round = 0; round < 2; round++) {
        memset(out, 0, sizeof(out));
        PL_ASSERT_OK(pl_hkdf_expand_keyed(&keyed, info, info_len, out, okm_len));
        assert_memory_equal(out, okm, okm_len);
    }
    pl_hmac_cleanup(&keyed);
    assert_true(pl_ct_is_zero(&keyed, sizeof(keyed)));
    free(ikm);
    free(salt);
    free(info);
    free(okm);
}

static void test_hkdf_rfc5869(void **state) {
    (void)state;
    /* A.1 */
    check_hkdf(
        "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
        "f0f1f2f3f4f5f6f7f8f9", "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    /* A.2: long inputs */
    check_hkdf(
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728"
        "292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
        "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788"
        "898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
        "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8"
        "d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
        "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
        "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb"
        "41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87");
    /* A.3: no salt, no info */
    check_hkdf(
        "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
        "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

static void test_hkdf_expand_limit(void **state) {
    (void)state;
    uint8_t prk[32] = {1};
    uint8_t *out = malloc(255 * 32 + 1);
    assert_non_null(out);
    /* RFC 5869 §2.3: L <= 255 * HashLen. */
    PL_ASSERT_OK(pl_hkdf_expand(&pl_hash_sha256, prk, 32, NULL, 0, out, 255 * 32));
    PL_ASSERT_ERR(pl_hkdf_expand(&pl_hash_sha256, prk, 32, NULL, 0, out, 255 * 32 + 1),
                  PADLOCK_E_INVALID_ARGUMENT);
    pl_hmac keyed;
    pl_hmac_init(&keyed, &pl_hash_sha256, prk, sizeof(prk));
    PL_ASSERT_ERR(pl_hkdf_expand_keyed(&keyed, NULL, 0, out, 255 * 32 + 1),
                  PADLOCK_E_INVALID_ARGUMENT);
    pl_hmac_cleanup(&keyed);
    free(out);
}

/* ---- AEAD ------------------------------------------------------------------------------------ */

static const pl_aead_alg *const pl_aeads[] = {&pl_aead_aes_128_gcm, &pl_aead_aes_256_gcm,
                                              &pl_aead_chacha20_poly1305};

static void test_aead_round_trip_and_tamper(void **state) {
    (void)state;
    pl_aead_ctx *ctx;
    PL_ASSERT_OK(pl_aead_ctx_new(&ctx));
    uint8_t key[PL_AEAD_MAX_KEY_LEN];
    uint8_t nonce[PL_AEAD_NONCE_LEN];
    uint8_t aad[13];
    for (size_t i = 0; i < sizeof(key); i++) {
        key[i] = (uint8_t)(i * 7 + 1);
    }
    memset(nonce, 0x42, sizeof(nonce));
    memset(aad, 0x17, sizeof(aad));
    const char *plain = "padlock record payload";
    size_t len = strlen(plain);
    for (size_t a = 0; a < 3; a++) {
        /* One context switches between all three algorithms. */
        PL_ASSERT_OK(pl_aead_ctx_set_key(ctx, pl_aeads[a], key));
        assert_ptr_equal(pl_aead_ctx_alg(ctx), pl_aeads[a]);
        uint8_t buf[64];
        uint8_t tag[PL_AEAD_TAG_LEN];
        memcpy(buf, plain, len);
        PL_ASSERT_OK(pl_aead_seal(ctx, nonce, aad, sizeof(aad), buf, len, tag));
        assert_memory_not_equal(buf, plain, len);
        uint8_t sealed[64];
        uint8_t sealed_tag[PL_AEAD_TAG_LEN];
        memcpy(sealed, buf, len);
        memcpy(sealed_tag, tag, sizeof(tag));
        PL_ASSERT_OK(pl_aead_open(ctx, nonce, aad, sizeof(aad), buf, len, tag));
        assert_memory_equal(buf, plain, len);

        memcpy(buf, sealed, len);
        buf[3] ^= 1;
        PL_ASSERT_ERR(pl_aead_open(ctx, nonce, aad, sizeof(aad), buf, len, tag),
                      PADLOCK_E_AEAD_OPEN);
        memcpy(buf, sealed, len);
        tag[15] ^= 0x80;
        PL_ASSERT_ERR(pl_aead_open(ctx, nonce, aad, sizeof(aad), buf, len, tag),
                      PADLOCK_E_AEAD_OPEN);
        memcpy(tag, sealed_tag, sizeof(tag));
        memcpy(buf, sealed, len);
        aad[0] ^= 1;
        PL_ASSERT_ERR(pl_aead_open(ctx, nonce, aad, sizeof(aad), buf, len, tag),
                      PADLOCK_E_AEAD_OPEN);
        aad[0] ^= 1;
        /* After failures the context still opens the genuine record. */
        memcpy(buf, sealed, len);
        PL_ASSERT_OK(pl_aead_open(ctx, nonce, aad, sizeof(aad), buf, len, tag));
        assert_memory_equal(buf, plain, len);

        /* Zero-length plaintext: the tag alone authenticates the additional data. */
        PL_ASSERT_OK(pl_aead_seal(ctx, nonce, aad, sizeof(aad), buf, 0, tag));
        PL_ASSERT_OK(pl_aead_open(ctx, nonce, aad, sizeof(aad), buf, 0, tag));
        aad[5] ^= 1;
        PL_ASSERT_ERR(pl_aead_open(ctx, nonce, aad, sizeof(aad), buf, 0, tag), PADLOCK_E_AEAD_OPEN);
        aad[5] ^= 1;
    }
    pl_aead_ctx_free(ctx);
    pl_aead_ctx_free(NULL);
}

/* Re-keying (KeyUpdate) replaces the key: a record sealed under the old key no longer opens,
 * and a re-keyed context seals as a freshly keyed one. */
static void test_aead_rekey(void **state) {
    (void)state;
    pl_aead_ctx *ctx;
    PL_ASSERT_OK(pl_aead_ctx_new(&ctx));
    uint8_t key1[32] = {1};
    uint8_t key2[32] = {2};
    uint8_t nonce[PL_AEAD_NONCE_LEN] = {0};
    uint8_t buf[16] = "0123456789abcde";
    uint8_t tag[PL_AEAD_TAG_LEN];
    PL_ASSERT_ERR(pl_aead_seal(ctx, nonce, NULL, 0, buf, sizeof(buf), tag), PADLOCK_E_STATE);
    PL_ASSERT_OK(pl_aead_ctx_set_key(ctx, &pl_aead_aes_256_gcm, key1));
    PL_ASSERT_OK(pl_aead_seal(ctx, nonce, NULL, 0, buf, sizeof(buf), tag));
    PL_ASSERT_OK(pl_aead_ctx_set_key(ctx, &pl_aead_aes_256_gcm, key2));
    PL_ASSERT_ERR(pl_aead_open(ctx, nonce, NULL, 0, buf, sizeof(buf), tag), PADLOCK_E_AEAD_OPEN);
    /* After re-keys with the same cipher, in either direction, and with another cipher, each
     * record is exactly what a context keyed once with that cipher and key produces. */
    static const pl_aead_alg *const algs[] = {&pl_aead_aes_256_gcm, &pl_aead_aes_256_gcm,
                                              &pl_aead_chacha20_poly1305,
                                              &pl_aead_chacha20_poly1305, &pl_aead_aes_128_gcm};
    for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
        uint8_t key[32];
        memset(key, (int)(0x40 + i), sizeof(key));
        pl_aead_ctx *fresh;
        PL_ASSERT_OK(pl_aead_ctx_new(&fresh));
        PL_ASSERT_OK(pl_aead_ctx_set_key(fresh, algs[i], key));
        PL_ASSERT_OK(pl_aead_ctx_set_key(ctx, algs[i], key));
        assert_ptr_equal(pl_aead_ctx_alg(ctx), algs[i]);
        uint8_t want[16] = "record payload!";
        uint8_t got[16] = "record payload!";
        uint8_t want_tag[PL_AEAD_TAG_LEN];
        uint8_t got_tag[PL_AEAD_TAG_LEN];
        const uint8_t aad[5] = {23, 3, 3, 0, 32};
        PL_ASSERT_OK(pl_aead_seal(fresh, nonce, aad, sizeof(aad), want, sizeof(want), want_tag));
        PL_ASSERT_OK(pl_aead_seal(ctx, nonce, aad, sizeof(aad), got, sizeof(got), got_tag));
        assert_memory_equal(got, want, sizeof(want));
        assert_memory_equal(got_tag, want_tag, sizeof(want_tag));
        PL_ASSERT_OK(pl_aead_open(ctx, nonce, aad, sizeof(aad), got, sizeof(got), got_tag));
        assert_memory_equal(got, "record payload!", sizeof(got));
        pl_aead_ctx_free(fresh);
    }
    pl_aead_ctx_free(ctx);
}

/* ---- Key exchange ---------------------------------------------------------------------------- */

static const pl_kx_alg *const pl_kxs[] = {&pl_kx_x25519, &pl_kx_secp256r1, &pl_kx_secp384r1};

static void test_kx_agreement(void **state) {
    (void)state;
    assert_ptr_equal(pl_kx_by_group(0x001d), &pl_kx_x25519);
    assert_ptr_equal(pl_kx_by_group(0x0017), &pl_kx_secp256r1);
    assert_ptr_equal(pl_kx_by_group(0x0018), &pl_kx_secp384r1);
    assert_null(pl_kx_by_group(0x0019));
    for (size_t g = 0; g < 3; g++) {
        const pl_kx_alg *alg = pl_kxs[g];
        pl_kx_key a;
        pl_kx_key b;
        PL_ASSERT_OK(pl_kx_generate(alg, NULL, &a));
        PL_ASSERT_OK(pl_kx_generate(alg, NULL, &b));
        assert_memory_not_equal(a.share, b.share, alg->share_len);
        if (alg->group != PL_GROUP_X25519) {
            assert_int_equal(a.share[0], 4); /* uncompressed */
        }
        uint8_t s1[PL_KX_MAX_SECRET_LEN];
        uint8_t s2[PL_KX_MAX_SECRET_LEN];
        PL_ASSERT_OK(pl_kx_derive(&a, b.share, alg->share_len, s1));
        PL_ASSERT_OK(pl_kx_derive(&b, a.share, alg->share_len, s2));
        assert_memory_equal(s1, s2, alg->secret_len);
        assert_false(pl_ct_is_zero(s1, alg->secret_len));
        /* Rebuilding from the private part gives the same share. */
        pl_kx_key c;
        PL_ASSERT_OK(pl_kx_from_private(alg, a.priv, alg->priv_len, &c));
        assert_memory_equal(c.share, a.share, alg->share_len);
        pl_kx_key_cleanup(&a);
        assert_true(pl_ct_is_zero(&a, sizeof(a)));
        pl_kx_key_cleanup(&b);
        pl_kx_key_cleanup(&c);
    }
}

static void test_kx_deterministic(void **state) {
    (void)state;
    for (size_t g = 0; g < 3; g++) {
        pl_test_rng r1, r2, r3;
        pl_test_rng_seed(&r1, 7);
        pl_test_rng_seed(&r2, 7);
        pl_test_rng_seed(&r3, 8);
        pl_rng rng1 = {pl_test_rng_fill, &r1};
        pl_rng rng2 = {pl_test_rng_fill, &r2};
        pl_rng rng3 = {pl_test_rng_fill, &r3};
        pl_kx_key a, b, c;
        PL_ASSERT_OK(pl_kx_generate(pl_kxs[g], &rng1, &a));
        PL_ASSERT_OK(pl_kx_generate(pl_kxs[g], &rng2, &b));
        PL_ASSERT_OK(pl_kx_generate(pl_kxs[g], &rng3, &c));
        assert_memory_equal(a.share, b.share, pl_kxs[g]->share_len);
        assert_memory_not_equal(a.share, c.share, pl_kxs[g]->share_len);
        pl_kx_key_cleanup(&a);
        pl_kx_key_cleanup(&b);
        pl_kx_key_cleanup(&c);
    }
}

/* An rng whose first draw is all 0xff (above every group order), then a test stream. */
typedef struct high_first_rng {
    int calls;
    pl_test_rng inner;
} high_first_rng;

static padlock_err high_first_fill(void *ctx, uint8_t *out, size_t len) {
    high_first_rng *r = ctx;
    if (r->calls++ == 0) {
        memset(out, 0xff, len);
        return PADLOCK_OK;
    }
    return pl_test_rng_fill(&r->inner, out, len);
}

/* The EC scalar is drawn by rejection: an out-of-range draw is discarded, not reduced. */
static void test_kx_ec_scalar_rejection(void **state) {
    (void)state;
    for (size_t g = 1; g < 3; g++) {
        const pl_kx_alg *alg = pl_kxs[g];
        high_first_rng hr = {0, {0}};
        pl_test_rng_seed(&hr.inner, 99);
        pl_rng rng = {high_first_fill, &hr};
        pl_kx_key a;
        PL_ASSERT_OK(pl_kx_generate(alg, &rng, &a));
        assert_int_equal(hr.calls, 2);
        pl_test_rng second;
        pl_test_rng_seed(&second, 99);
        uint8_t priv[PL_KX_MAX_PRIV_LEN];
        PL_ASSERT_OK(pl_test_rng_fill(&second, priv, alg->priv_len));
        assert_memory_equal(a.priv, priv, alg->priv_len);
        pl_kx_key_cleanup(&a);

        uint8_t bad[PL_KX_MAX_PRIV_LEN];
        memset(bad, 0, sizeof(bad));
        PL_ASSERT_ERR(pl_kx_from_private(alg, bad, alg->priv_len, &a), PADLOCK_E_INVALID_ARGUMENT);
        memset(bad, 0xff, sizeof(bad));
        PL_ASSERT_ERR(pl_kx_from_private(alg, bad, alg->priv_len, &a), PADLOCK_E_INVALID_ARGUMENT);
        PL_ASSERT_ERR(pl_kx_from_private(alg, bad, alg->priv_len - 1, &a),
                      PADLOCK_E_INVALID_ARGUMENT);
    }
}

static void test_kx_invalid_ec_shares(void **state) {
    (void)state;
    for (size_t g = 1; g < 3; g++) {
        const pl_kx_alg *alg = pl_kxs[g];
        pl_kx_key a, b;
        PL_ASSERT_OK(pl_kx_generate(alg, NULL, &a));
        PL_ASSERT_OK(pl_kx_generate(alg, NULL, &b));
        uint8_t secret[PL_KX_MAX_SECRET_LEN];
        uint8_t share[PL_KX_MAX_SHARE_LEN + 1];
        size_t n = alg->share_len;
        memcpy(share, b.share, n);
        /* Wrong lengths (RFC 8446 §4.2.8.2: exactly one encoded point). */
        PL_ASSERT_ERR(pl_kx_derive(&a, share, n - 1, secret), PADLOCK_E_BAD_KEY_SHARE);
        share[n] = 0;
        PL_ASSERT_ERR(pl_kx_derive(&a, share, n + 1, secret), PADLOCK_E_BAD_KEY_SHARE);
        PL_ASSERT_ERR(pl_kx_derive(&a, share, 0, secret), PADLOCK_E_BAD_KEY_SHARE);
        /* Off the curve: y changed. */
        share[n - 1] ^= 1;
        PL_ASSERT_ERR(pl_kx_derive(&a, share, n, secret), PADLOCK_E_BAD_KEY_SHARE);
        share[n - 1] ^= 1;
        /* Compressed form: both as a short share and with the full length. */
        share[0] = (uint8_t)(2 | (b.share[n - 1] & 1));
        PL_ASSERT_ERR(pl_kx_derive(&a, share, 1 + (n - 1) / 2, secret), PADLOCK_E_BAD_KEY_SHARE);
        PL_ASSERT_ERR(pl_kx_derive(&a, share, n, secret), PADLOCK_E_BAD_KEY_SHARE);
        /* Hybrid form (0x06/0x07) is not allowed in TLS 1.3 either. */
        share[0] = (uint8_t)(6 | (b.share[n - 1] & 1));
        PL_ASSERT_ERR(pl_kx_derive(&a, share, n, secret), PADLOCK_E_BAD_KEY_SHARE);
        /* All zeros (no point) */
        memset(share, 0, n);
        PL_ASSERT_ERR(pl_kx_derive(&a, share, n, secret), PADLOCK_E_BAD_KEY_SHARE);
        share[0] = 4;
        PL_ASSERT_ERR(pl_kx_derive(&a, share, n, secret), PADLOCK_E_BAD_KEY_SHARE);
        /* The genuine share still works. */
        PL_ASSERT_OK(pl_kx_derive(&a, b.share, n, secret));
        pl_kx_key_cleanup(&a);
        pl_kx_key_cleanup(&b);
    }
}

/* RFC 7748 §6.1, RFC 8446 §7.4.2: low-order points make the X25519 result all zero. */
static void test_kx_x25519_low_order(void **state) {
    (void)state;
    static const char *const low_order[] = {
        "0000000000000000000000000000000000000000000000000000000000000000", /* 0 */
        "0100000000000000000000000000000000000000000000000000000000000000", /* 1 */
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", /* order 8 */
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157", /* order 8 */
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p - 1 */
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p */
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p + 1 */
    };
    pl_kx_key a;
    PL_ASSERT_OK(pl_kx_generate(&pl_kx_x25519, NULL, &a));
    for (size_t i = 0; i < sizeof(low_order) / sizeof(low_order[0]); i++) {
        size_t n;
        uint8_t *share = unhex(low_order[i], &n);
        uint8_t secret[32];
        memset(secret, 0x55, sizeof(secret));
        PL_ASSERT_ERR(pl_kx_derive(&a, share, n, secret), PADLOCK_E_BAD_KEY_SHARE);
        assert_true(pl_ct_is_zero(secret, sizeof(secret))); /* nothing left behind */
        PL_ASSERT_ERR(pl_kx_derive(&a, share, n - 1, secret), PADLOCK_E_BAD_KEY_SHARE);
        free(share);
    }
    pl_kx_key_cleanup(&a);
}

/* RFC 7748 §6.1 test vector: Alice's private key and Bob's public key give K. */
static void test_kx_x25519_rfc7748(void **state) {
    (void)state;
    size_t n;
    uint8_t *alice = unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", &n);
    uint8_t *bob_pub =
        unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", &n);
    pl_kx_key a;
    PL_ASSERT_OK(pl_kx_from_private(&pl_kx_x25519, alice, 32, &a));
    assert_hex(a.share, 32, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    uint8_t secret[32];
    PL_ASSERT_OK(pl_kx_derive(&a, bob_pub, 32, secret));
    assert_hex(secret, 32, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    /* The libcrypto key kept in the pair for the exchange is reusable: the same K again. */
    memset(secret, 0, sizeof(secret));
    PL_ASSERT_OK(pl_kx_derive(&a, bob_pub, 32, secret));
    assert_hex(secret, 32, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    pl_kx_key_cleanup(&a);
    assert_null(a.impl);
    /* After cleanup nothing is left to exchange with. */
    assert_int_not_equal(pl_kx_derive(&a, bob_pub, 32, secret), PADLOCK_OK);
    free(alice);
    free(bob_pub);
}

/* A kept peer key whose value a refused share replaced still takes the next share: the RFC 7748
 * §6.1 exchange after each low-order share gives K. */
static void test_kx_x25519_after_refusal(void **state) {
    (void)state;
    static const uint8_t alice[32] = {
        0x77, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d, 0x3c, 0x16, 0xc1,
        0x72, 0x51, 0xb2, 0x66, 0x45, 0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0,
        0x99, 0x2a, 0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb9, 0x2c, 0x2a,
    };
    static const uint8_t bob_pub[32] = {
        0xde, 0x9e, 0xdb, 0x7d, 0x7b, 0x7d, 0xc1, 0xb4, 0xd3, 0x5b, 0x61,
        0xc2, 0xec, 0xe4, 0x35, 0x37, 0x3f, 0x83, 0x43, 0xc8, 0x5b, 0x78,
        0x67, 0x4d, 0xad, 0xfc, 0x7e, 0x14, 0x6f, 0x88, 0x2b, 0x4f,
    };
    const uint8_t zero[32] = {0};
    pl_kx_key a;
    PL_ASSERT_OK(pl_kx_from_private(&pl_kx_x25519, alice, 32, &a));
    for (int i = 0; i < 3; i++) {
        uint8_t secret[32];
        PL_ASSERT_ERR(pl_kx_derive(&a, zero, 32, secret), PADLOCK_E_BAD_KEY_SHARE);
        PL_ASSERT_OK(pl_kx_derive(&a, bob_pub, 32, secret));
        assert_hex(secret, 32, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    }
    pl_kx_key_cleanup(&a);
}

/* More threads than ossl_kx.c keeps scratches for (8), each making key pairs and exchanging:
 * a lent scratch is never used by two exchanges at once (each result is checked), and callers
 * that find all lent work with their own. */
#define PL_KX_THREADS 12

typedef struct kx_job {
    int wrong; /* exchanges whose result differed from the expected one */
} kx_job;

static void *kx_thread(void *arg) {
    kx_job *job = arg;
    for (int i = 0; i < 40; i++) {
        pl_kx_key a, b;
        uint8_t s1[32], s2[32];
        if (pl_kx_generate(&pl_kx_x25519, NULL, &a) != PADLOCK_OK) {
            job->wrong++;
            continue;
        }
        if (pl_kx_generate(&pl_kx_x25519, NULL, &b) != PADLOCK_OK) {
            pl_kx_key_cleanup(&a);
            job->wrong++;
            continue;
        }
        const uint8_t zero[32] = {0};
        job->wrong += pl_kx_derive(&a, b.share, 32, s1) != PADLOCK_OK;
        job->wrong += pl_kx_derive(&b, zero, 32, s2) != PADLOCK_E_BAD_KEY_SHARE;
        job->wrong += pl_kx_derive(&b, a.share, 32, s2) != PADLOCK_OK;
        job->wrong += memcmp(s1, s2, 32) != 0;
        pl_kx_key_cleanup(&a);
        pl_kx_key_cleanup(&b);
    }
    return NULL;
}

static void test_kx_x25519_threads(void **state) {
    (void)state;
    pthread_t threads[PL_KX_THREADS];
    kx_job jobs[PL_KX_THREADS];
    for (int t = 0; t < PL_KX_THREADS; t++) {
        jobs[t].wrong = 0;
        assert_int_equal(pthread_create(&threads[t], NULL, kx_thread, &jobs[t]), 0);
    }
    for (int t = 0; t < PL_KX_THREADS; t++) {
        assert_int_equal(pthread_join(threads[t], NULL), 0);
        assert_int_equal(jobs[t].wrong, 0);
    }
}

/* ---- Signatures ------------------------------------------------------------------------------ */

static const uint16_t pl_all_schemes[] = {
    0x0401, 0x0501, 0x0601, 0x0403, 0x0503, 0x0603, 0x0804,
    0x0805, 0x0806, 0x0807, 0x0809, 0x080a, 0x080b,
};

typedef struct sig_keys {
    pl_privkey *keys[7]; /* indexed by pl_key_type */
    uint8_t *spki[7];
    size_t spki_len[7];
} sig_keys;

static int sig_setup(void **state) {
    sig_keys *k = calloc(1, sizeof(*k));
    assert_non_null(k);
    PL_ASSERT_OK(pl_privkey_generate(PL_KEY_RSA, 2048, &k->keys[PL_KEY_RSA]));
    PL_ASSERT_OK(pl_privkey_generate(PL_KEY_RSA_PSS, 2048, &k->keys[PL_KEY_RSA_PSS]));
    PL_ASSERT_OK(pl_privkey_generate(PL_KEY_EC_P256, 0, &k->keys[PL_KEY_EC_P256]));
    PL_ASSERT_OK(pl_privkey_generate(PL_KEY_EC_P384, 0, &k->keys[PL_KEY_EC_P384]));
    PL_ASSERT_OK(pl_privkey_generate(PL_KEY_EC_P521, 0, &k->keys[PL_KEY_EC_P521]));
    PL_ASSERT_OK(pl_privkey_generate(PL_KEY_ED25519, 0, &k->keys[PL_KEY_ED25519]));
    for (int t = PL_KEY_RSA; t <= PL_KEY_ED25519; t++) {
        assert_int_equal(pl_privkey_type(k->keys[t]), t);
        PL_ASSERT_OK(pl_privkey_spki(k->keys[t], &k->spki[t], &k->spki_len[t]));
    }
    *state = k;
    return 0;
}

static int sig_teardown(void **state) {
    sig_keys *k = *state;
    for (int t = 0; t < 7; t++) {
        pl_privkey_free(k->keys[t]);
        pl_free(k->spki[t]);
    }
    free(k);
    return 0;
}

static void test_sig_round_trip_every_scheme(void **state) {
    sig_keys *k = *state;
    const uint8_t msg[] = "TLS 1.3, server CertificateVerify";
    for (size_t i = 0; i < sizeof(pl_all_schemes) / sizeof(pl_all_schemes[0]); i++) {
        const pl_sig_alg *alg = pl_sig_by_scheme(pl_all_schemes[i]);
        assert_non_null(alg);
        assert_int_equal(alg->scheme, pl_all_schemes[i]);
        pl_key_type t = alg->key_type;
        uint8_t sig[PL_SIG_MAX_LEN];
        size_t sig_len;
        PL_ASSERT_OK(
            pl_privkey_sign(k->keys[t], alg, NULL, msg, sizeof(msg), sig, sizeof(sig), &sig_len));
        PL_ASSERT_OK(
            pl_sig_verify(alg, k->spki[t], k->spki_len[t], msg, sizeof(msg), sig, sig_len));
        /* Another message, and a corrupted signature, fail. */
        PL_ASSERT_ERR(
            pl_sig_verify(alg, k->spki[t], k->spki_len[t], msg, sizeof(msg) - 1, sig, sig_len),
            PADLOCK_E_BAD_SIGNATURE);
        sig[sig_len / 2] ^= 0x10;
        PL_ASSERT_ERR(
            pl_sig_verify(alg, k->spki[t], k->spki_len[t], msg, sizeof(msg), sig, sig_len),
            PADLOCK_E_BAD_SIGNATURE);
        sig[sig_len / 2] ^= 0x10;
        PL_ASSERT_ERR(
            pl_sig_verify(alg, k->spki[t], k->spki_len[t], msg, sizeof(msg), sig, sig_len - 1),
            PADLOCK_E_BAD_SIGNATURE);
        /* The same through the X.509 interface with the scheme's parameters. */
        pl_sig_params params = pl_sig_params_of(alg);
        PL_ASSERT_OK(pl_sig_verify_params(&params, k->spki[t], k->spki_len[t], msg, sizeof(msg),
                                          sig, sig_len));
        /* Every other key type is refused as the wrong key, not as a bad signature. */
        for (int other = PL_KEY_RSA; other <= PL_KEY_ED25519; other++) {
            if (other == (int)t) {
                continue;
            }
            PL_ASSERT_ERR(pl_sig_verify(alg, k->spki[other], k->spki_len[other], msg, sizeof(msg),
                                        sig, sig_len),
                          PADLOCK_E_BAD_KEY);
            assert_false(pl_privkey_can_sign(k->keys[other], alg));
            PL_ASSERT_ERR(pl_privkey_sign(k->keys[other], alg, NULL, msg, sizeof(msg), sig,
                                          sizeof(sig), &sig_len),
                          PADLOCK_E_INVALID_ARGUMENT);
        }
    }
    assert_null(pl_sig_by_scheme(0x0201)); /* rsa_pkcs1_sha1 */
    assert_null(pl_sig_by_scheme(0x0808)); /* ed448 */
}

static void test_sig_params_x509(void **state) {
    sig_keys *k = *state;
    const uint8_t msg[] = "tbsCertificate";
    uint8_t sig[PL_SIG_MAX_LEN];
    size_t sig_len;
    /* X.509: a P-384 key may sign with SHA-256 (no TLS scheme says so). */
    pl_sig_params ecdsa256 = {PL_SIG_KIND_ECDSA, &pl_hash_sha256, 0};
    const pl_sig_alg *p384 = pl_sig_by_scheme(PL_SIG_ECDSA_SECP384R1_SHA384);
    PL_ASSERT_OK(pl_privkey_sign(k->keys[PL_KEY_EC_P384], p384, NULL, msg, sizeof(msg), sig,
                                 sizeof(sig), &sig_len));
    PL_ASSERT_ERR(pl_sig_verify_params(&ecdsa256, k->spki[PL_KEY_EC_P384],
                                       k->spki_len[PL_KEY_EC_P384], msg, sizeof(msg), sig, sig_len),
                  PADLOCK_E_BAD_SIGNATURE); /* signed over SHA-384, checked over SHA-256 */
    pl_sig_params ecdsa384 = {PL_SIG_KIND_ECDSA, &pl_hash_sha384, 0};
    PL_ASSERT_OK(pl_sig_verify_params(&ecdsa384, k->spki[PL_KEY_EC_P384],
                                      k->spki_len[PL_KEY_EC_P384], msg, sizeof(msg), sig, sig_len));
    /* PSS: an rsaEncryption key verifies PSS; a wrong salt length fails. */
    const pl_sig_alg *pss256 = pl_sig_by_scheme(PL_SIG_RSA_PSS_RSAE_SHA256);
    PL_ASSERT_OK(pl_privkey_sign(k->keys[PL_KEY_RSA], pss256, NULL, msg, sizeof(msg), sig,
                                 sizeof(sig), &sig_len));
    pl_sig_params pss = {PL_SIG_KIND_RSA_PSS, &pl_hash_sha256, 32};
    PL_ASSERT_OK(pl_sig_verify_params(&pss, k->spki[PL_KEY_RSA], k->spki_len[PL_KEY_RSA], msg,
                                      sizeof(msg), sig, sig_len));
    pss.pss_salt_len = 20;
    PL_ASSERT_ERR(pl_sig_verify_params(&pss, k->spki[PL_KEY_RSA], k->spki_len[PL_KEY_RSA], msg,
                                       sizeof(msg), sig, sig_len),
                  PADLOCK_E_BAD_SIGNATURE);
    /* PKCS#1 needs an rsaEncryption key; Ed25519 takes no hash. */
    pl_sig_params pkcs1 = {PL_SIG_KIND_RSA_PKCS1, &pl_hash_sha256, 0};
    PL_ASSERT_ERR(pl_sig_verify_params(&pkcs1, k->spki[PL_KEY_RSA_PSS], k->spki_len[PL_KEY_RSA_PSS],
                                       msg, sizeof(msg), sig, sig_len),
                  PADLOCK_E_BAD_KEY);
    pl_sig_params ed = {PL_SIG_KIND_ED25519, &pl_hash_sha256, 0};
    PL_ASSERT_ERR(pl_sig_verify_params(&ed, k->spki[PL_KEY_ED25519], k->spki_len[PL_KEY_ED25519],
                                       msg, sizeof(msg), sig, 64),
                  PADLOCK_E_INVALID_ARGUMENT);
    /* A malformed SubjectPublicKeyInfo is a bad key. */
    PL_ASSERT_ERR(pl_sig_verify_params(&pkcs1, k->spki[PL_KEY_RSA], k->spki_len[PL_KEY_RSA] - 1,
                                       msg, sizeof(msg), sig, sig_len),
                  PADLOCK_E_BAD_KEY);
}

/* Regression: an EC SubjectPublicKeyInfo holding the point at infinity (the one octet 00, SEC1
 * §2.3.3) was accepted, and under it every signature (r, s) = (x(e·G) mod n, 1) verified, e
 * being the message's digest. The key is refused now. */
static void test_sig_ecdsa_infinity_key(void **state) {
    (void)state;
    static const uint8_t spki_inf[] = {0x30, 0x19, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                       0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                       0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x02, 0x00, 0x00};
    const uint8_t msg[] = "forged under the point at infinity";
    uint8_t e[32];
    pl_hash(&pl_hash_sha256, msg, sizeof(msg), e);
    /* x(e·G) is the x coordinate of the ECDHE share whose private scalar is e. */
    pl_kx_key eg;
    PL_ASSERT_OK(pl_kx_from_private(&pl_kx_secp256r1, e, sizeof(e), &eg));
    uint8_t sig[2 + 2 + 33 + 3] = {0x30, 0, 0x02, 0};
    size_t at = 4;
    if (eg.share[1] & 0x80) {
        sig[at++] = 0;
    }
    memcpy(sig + at, eg.share + 1, 32);
    at += 32;
    sig[3] = (uint8_t)(at - 4);
    sig[at++] = 0x02;
    sig[at++] = 0x01;
    sig[at++] = 0x01; /* s = 1 */
    sig[1] = (uint8_t)(at - 2);
    pl_kx_key_cleanup(&eg);
    const pl_sig_alg *alg = pl_sig_by_scheme(PL_SIG_ECDSA_SECP256R1_SHA256);
    PL_ASSERT_ERR(pl_sig_verify(alg, spki_inf, sizeof(spki_inf), msg, sizeof(msg), sig, at),
                  PADLOCK_E_BAD_KEY);
    pl_sig_params params = pl_sig_params_of(alg);
    PL_ASSERT_ERR(
        pl_sig_verify_params(&params, spki_inf, sizeof(spki_inf), msg, sizeof(msg), sig, at),
        PADLOCK_E_BAD_KEY);
}

/* ECDSA signatures are DER-encoded by padlock (src/crypto/ossl_key.c): over many signatures r
 * and s take every shape (a sign octet for a high top bit, shorter values), and each must be the
 * minimal DER the strict verifier accepts, of the length the encoding implies. */
static void test_sig_ecdsa_der_encoding(void **state) {
    sig_keys *k = *state;
    const uint16_t schemes[] = {PL_SIG_ECDSA_SECP256R1_SHA256, PL_SIG_ECDSA_SECP521R1_SHA512};
    for (size_t i = 0; i < 2; i++) {
        const pl_sig_alg *alg = pl_sig_by_scheme(schemes[i]);
        pl_key_type t = alg->key_type;
        int sign_octets = 0;
        for (uint32_t m = 0; m < 200; m++) {
            uint8_t msg[4] = {(uint8_t)(m >> 24), (uint8_t)(m >> 16), (uint8_t)(m >> 8),
                              (uint8_t)m};
            uint8_t sig[PL_SIG_MAX_LEN];
            size_t sig_len;
            PL_ASSERT_OK(pl_privkey_sign(k->keys[t], alg, NULL, msg, sizeof(msg), sig, sizeof(sig),
                                         &sig_len));
            PL_ASSERT_OK(
                pl_sig_verify(alg, k->spki[t], k->spki_len[t], msg, sizeof(msg), sig, sig_len));
            /* SEQUENCE header (short or 0x81 long form), then r's INTEGER header. */
            size_t at = sig[1] == 0x81 ? 3 : 2;
            assert_int_equal(sig[0], 0x30);
            assert_int_equal(at + (sig[1] == 0x81 ? sig[2] : sig[1]), sig_len);
            assert_int_equal(sig[at], 0x02);
            sign_octets += sig[at + 2] == 0x00;
        }
        /* r needs a sign octet in about half of the P-256 signatures, and in a quarter of the
         * P-521 ones (its top octet holds one bit: when that is clear, the next one leads). */
        assert_true(sign_octets > 20);
    }
}

/* ECDSA verification lends libcrypto temporaries kept per curve (src/crypto/ossl_ecdsa.c) and
 * makes its own when all are lent: more threads than are kept verify at once, good and bad
 * signatures interleaved, and every result is right. */
#define PL_VERIFY_THREADS 12

typedef struct verify_job {
    const sig_keys *keys;
    const uint8_t *sig;
    size_t sig_len;
    int wrong; /* results that differed from the expected one */
} verify_job;

static void *verify_thread(void *arg) {
    verify_job *job = arg;
    const pl_sig_alg *alg = pl_sig_by_scheme(PL_SIG_ECDSA_SECP256R1_SHA256);
    const uint8_t msg[] = "many at once";
    for (int i = 0; i < 40; i++) {
        size_t msg_len = i % 3 == 2 ? sizeof(msg) - 1 : sizeof(msg); /* every third is wrong */
        padlock_err err =
            pl_sig_verify(alg, job->keys->spki[PL_KEY_EC_P256], job->keys->spki_len[PL_KEY_EC_P256],
                          msg, msg_len, job->sig, job->sig_len);
        job->wrong += err != (i % 3 == 2 ? PADLOCK_E_BAD_SIGNATURE : PADLOCK_OK);
    }
    return NULL;
}

static void test_sig_ecdsa_threads(void **state) {
    sig_keys *k = *state;
    const pl_sig_alg *alg = pl_sig_by_scheme(PL_SIG_ECDSA_SECP256R1_SHA256);
    const uint8_t msg[] = "many at once";
    uint8_t sig[PL_SIG_MAX_LEN];
    size_t sig_len;
    PL_ASSERT_OK(pl_privkey_sign(k->keys[PL_KEY_EC_P256], alg, NULL, msg, sizeof(msg), sig,
                                 sizeof(sig), &sig_len));
    pthread_t threads[PL_VERIFY_THREADS];
    verify_job jobs[PL_VERIFY_THREADS];
    for (int t = 0; t < PL_VERIFY_THREADS; t++) {
        jobs[t] = (verify_job){k, sig, sig_len, 0};
        assert_int_equal(pthread_create(&threads[t], NULL, verify_thread, &jobs[t]), 0);
    }
    for (int t = 0; t < PL_VERIFY_THREADS; t++) {
        assert_int_equal(pthread_join(threads[t], NULL), 0);
        assert_int_equal(jobs[t].wrong, 0);
    }
}

static void test_sign_buffer_too_small(void **state) {
    sig_keys *k = *state;
    const uint8_t msg[] = "m";
    uint8_t sig[PL_SIG_MAX_LEN];
    size_t sig_len;
    const pl_sig_alg *rsa = pl_sig_by_scheme(PL_SIG_RSA_PKCS1_SHA256);
    PL_ASSERT_ERR(pl_privkey_sign(k->keys[PL_KEY_RSA], rsa, NULL, msg, 1, sig, 255, &sig_len),
                  PADLOCK_E_BUFFER_TOO_SMALL);
    PL_ASSERT_OK(pl_privkey_sign(k->keys[PL_KEY_RSA], rsa, NULL, msg, 1, sig, 256, &sig_len));
    assert_int_equal(sig_len, 256);
    const pl_sig_alg *ed = pl_sig_by_scheme(PL_SIG_ED25519);
    PL_ASSERT_ERR(pl_privkey_sign(k->keys[PL_KEY_ED25519], ed, NULL, msg, 1, sig, 63, &sig_len),
                  PADLOCK_E_BUFFER_TOO_SMALL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha2_known_answers),
        cmocka_unit_test(test_sha2_multi_update_and_snapshot),
        cmocka_unit_test(test_hmac_rfc4231),
        cmocka_unit_test(test_hkdf_rfc5869),
        cmocka_unit_test(test_hkdf_expand_limit),
        cmocka_unit_test(test_aead_round_trip_and_tamper),
        cmocka_unit_test(test_aead_rekey),
        cmocka_unit_test(test_kx_agreement),
        cmocka_unit_test(test_kx_deterministic),
        cmocka_unit_test(test_kx_ec_scalar_rejection),
        cmocka_unit_test(test_kx_invalid_ec_shares),
        cmocka_unit_test(test_kx_x25519_low_order),
        cmocka_unit_test(test_kx_x25519_rfc7748),
        cmocka_unit_test(test_kx_x25519_after_refusal),
        cmocka_unit_test(test_kx_x25519_threads),
    };
    const struct CMUnitTest sig_tests[] = {
        cmocka_unit_test(test_sig_round_trip_every_scheme),
        cmocka_unit_test(test_sig_params_x509),
        cmocka_unit_test(test_sign_buffer_too_small),
        cmocka_unit_test(test_sig_ecdsa_infinity_key),
        cmocka_unit_test(test_sig_ecdsa_der_encoding),
        cmocka_unit_test(test_sig_ecdsa_threads),
    };
    int failed = cmocka_run_group_tests_name("crypto", tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("signatures", sig_tests, sig_setup, sig_teardown);
    return failed;
}
