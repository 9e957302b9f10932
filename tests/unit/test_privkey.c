/* Private keys: pl_privkey_load of every container and encoding the openssl CLI writes (PKCS#8,
 * SEC1, PKCS#1; PEM and DER) for RSA, P-256, P-384 and Ed25519, checked against
 * `openssl pkey -pubout`; the exact error for corrupt, truncated, encrypted, certificate, DSA
 * and X448 input; PKCS#8 export round trips; ECDSA signing from several threads with one key;
 * and the RSA key transport of RFC 5246 §7.4.7.1. All keys are generated during the run. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "testlib.h"
#include "util/mem.h"

static char pl_dir[4096];

static const char *path(const char *name) {
    static char buf[8][4200];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, sizeof(buf[0]), "%s/%s", pl_dir, name);
    return p;
}

static void sh(const char *cmd) {
    int rc = pl_test_sh("cd '%s' && %s 2>&1", pl_dir, cmd);
    if (rc != 0) {
        fail_msg("command failed (%d): %s", rc, cmd);
    }
}

static uint8_t *slurp(const char *name, size_t *len) {
    uint8_t *data = pl_test_read_file(path(name), len);
    if (data == NULL) {
        fail_msg("cannot read %s", path(name));
    }
    return data;
}

static padlock_err load_file(const char *name, pl_privkey **out) {
    size_t len;
    uint8_t *data = slurp(name, &len);
    padlock_err err = pl_privkey_load(data, len, out);
    free(data);
    return err;
}

static int setup(void **state) {
    (void)state;
    snprintf(pl_dir, sizeof(pl_dir), "%s", pl_test_tmpdir());
    /* PKCS#8 PEM from genpkey, then every other encoding from it. */
    sh("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.p8.pem");
    sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
       "-pkeyopt ec_param_enc:named_curve -out p256.p8.pem");
    sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 "
       "-pkeyopt ec_param_enc:named_curve -out p384.p8.pem");
    sh("openssl genpkey -algorithm ED25519 -out ed25519.p8.pem");
    const char *names[] = {"rsa", "p256", "p384", "ed25519"};
    for (int i = 0; i < 4; i++) {
        char cmd[512];
        snprintf(cmd, sizeof(cmd),
                 "openssl pkey -in %s.p8.pem -outform DER -out %s.p8.der && "
                 "openssl pkey -in %s.p8.pem -pubout -outform DER -out %s.spki",
                 names[i], names[i], names[i], names[i]);
        sh(cmd);
    }
    for (int i = 0; i < 3; i++) { /* "traditional": PKCS#1 for RSA, SEC1 for EC */
        char cmd[512];
        snprintf(cmd, sizeof(cmd),
                 "openssl pkey -in %s.p8.pem -traditional -out %s.trad.pem && "
                 "openssl pkey -in %s.p8.pem -traditional -outform DER -out %s.trad.der",
                 names[i], names[i], names[i], names[i]);
        sh(cmd);
    }
    /* `openssl ecparam -genkey` writes an "EC PARAMETERS" block before the key. */
    sh("openssl ecparam -name prime256v1 -genkey -out p256.params.pem");
    sh("openssl ec -in p256.params.pem -outform DER -out p256b.trad.der");
    sh("openssl pkey -in rsa.p8.pem -aes256 -passout pass:secret -out rsa.enc.pem");
    sh("openssl pkcs8 -topk8 -in p256.p8.pem -v2 aes256 -passout pass:secret -outform DER "
       "-out p256.enc.der");
    sh("openssl pkey -in rsa.p8.pem -traditional -aes256 -passout pass:secret "
       "-out rsa.legacy-enc.pem");
    sh("openssl req -x509 -new -key p256.p8.pem -subj /CN=padlock.test -days 1 -out cert.pem");
    sh("openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 -out dsa.param");
    sh("openssl genpkey -paramfile dsa.param -out dsa.p8.pem");
    sh("openssl pkey -in dsa.p8.pem -traditional -out dsa.trad.pem");
    sh("openssl genpkey -algorithm X448 -out x448.p8.pem");
    sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 "
       "-pkeyopt ec_param_enc:named_curve -out k256.p8.pem");
    sh("openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out rsapss.p8.pem");
    sh("openssl pkey -in rsapss.p8.pem -pubout -outform DER -out rsapss.spki");
    sh("openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 "
       "-pkeyopt rsa_pss_keygen_md:sha384 -pkeyopt rsa_pss_keygen_mgf1_md:sha384 "
       "-pkeyopt rsa_pss_keygen_saltlen:48 -out rsapss384.p8.pem");
    sh("openssl pkey -in rsapss384.p8.pem -pubout -outform DER -out rsapss384.spki");
    return 0;
}

/* Loads name and checks type, bits and that its SubjectPublicKeyInfo is openssl's. */
static void check_load(const char *name, const char *spki_name, pl_key_type type, unsigned bits) {
    pl_privkey *key = NULL;
    padlock_err err = load_file(name, &key);
    if (err != PADLOCK_OK) {
        fail_msg("loading %s: %s", name, padlock_strerror(err));
    }
    assert_int_equal(pl_privkey_type(key), type);
    assert_int_equal(pl_privkey_bits(key), bits);
    uint8_t *spki;
    size_t spki_len;
    PL_ASSERT_OK(pl_privkey_spki(key, &spki, &spki_len));
    size_t want_len;
    uint8_t *want = slurp(spki_name, &want_len);
    assert_int_equal(spki_len, want_len);
    assert_memory_equal(spki, want, want_len);
    free(want);
    pl_free(spki);
    pl_privkey_free(key);
}

static void test_load_every_format(void **state) {
    (void)state;
    check_load("rsa.p8.pem", "rsa.spki", PL_KEY_RSA, 2048);
    check_load("rsa.p8.der", "rsa.spki", PL_KEY_RSA, 2048);
    check_load("rsa.trad.pem", "rsa.spki", PL_KEY_RSA, 2048);
    check_load("rsa.trad.der", "rsa.spki", PL_KEY_RSA, 2048);
    check_load("p256.p8.pem", "p256.spki", PL_KEY_EC_P256, 256);
    check_load("p256.p8.der", "p256.spki", PL_KEY_EC_P256, 256);
    check_load("p256.trad.pem", "p256.spki", PL_KEY_EC_P256, 256);
    check_load("p256.trad.der", "p256.spki", PL_KEY_EC_P256, 256);
    check_load("p384.p8.pem", "p384.spki", PL_KEY_EC_P384, 384);
    check_load("p384.p8.der", "p384.spki", PL_KEY_EC_P384, 384);
    check_load("p384.trad.pem", "p384.spki", PL_KEY_EC_P384, 384);
    check_load("p384.trad.der", "p384.spki", PL_KEY_EC_P384, 384);
    check_load("ed25519.p8.pem", "ed25519.spki", PL_KEY_ED25519, 256);
    check_load("ed25519.p8.der", "ed25519.spki", PL_KEY_ED25519, 256);
    check_load("rsapss.p8.pem", "rsapss.spki", PL_KEY_RSA_PSS, 2048);
    pl_privkey *key;
    PL_ASSERT_OK(load_file("p256.params.pem", &key));
    assert_int_equal(pl_privkey_type(key), PL_KEY_EC_P256);
    pl_privkey_free(key);
    pl_privkey_free(NULL);
}

/* The DER of a key with the container restricted to the wrong format is refused. */
static void test_from_der_format(void **state) {
    (void)state;
    size_t len;
    uint8_t *der = slurp("p256.trad.der", &len);
    pl_privkey *key;
    PL_ASSERT_OK(pl_privkey_from_der(der, len, PL_PRIVKEY_SEC1, &key));
    pl_privkey_free(key);
    PL_ASSERT_ERR(pl_privkey_from_der(der, len, PL_PRIVKEY_PKCS8, &key), PADLOCK_E_BAD_KEY);
    PL_ASSERT_ERR(pl_privkey_from_der(der, len, PL_PRIVKEY_PKCS1, &key), PADLOCK_E_BAD_KEY);
    free(der);
}

static void test_load_errors(void **state) {
    (void)state;
    pl_privkey *key = NULL;
    /* Encrypted: PKCS#8 PEM and DER, and legacy PEM with Proc-Type/DEK-Info headers. */
    PL_ASSERT_ERR(load_file("rsa.enc.pem", &key), PADLOCK_E_KEY_ENCRYPTED);
    PL_ASSERT_ERR(load_file("p256.enc.der", &key), PADLOCK_E_KEY_ENCRYPTED);
    PL_ASSERT_ERR(load_file("rsa.legacy-enc.pem", &key), PADLOCK_E_KEY_ENCRYPTED);
    /* Not a key, or a key padlock does not use. */
    PL_ASSERT_ERR(load_file("cert.pem", &key), PADLOCK_E_KEY_UNSUPPORTED);
    PL_ASSERT_ERR(load_file("dsa.p8.pem", &key), PADLOCK_E_KEY_UNSUPPORTED);
    PL_ASSERT_ERR(load_file("dsa.trad.pem", &key), PADLOCK_E_KEY_UNSUPPORTED);
    PL_ASSERT_ERR(load_file("x448.p8.pem", &key), PADLOCK_E_KEY_UNSUPPORTED);
    PL_ASSERT_ERR(load_file("k256.p8.pem", &key), PADLOCK_E_KEY_UNSUPPORTED);
    PL_ASSERT_ERR(pl_privkey_load((const uint8_t *)"", 0, &key), PADLOCK_E_BAD_KEY);
    assert_null(key);
}

static void test_load_corrupt_and_truncated(void **state) {
    (void)state;
    pl_privkey *key = NULL;
    const char *ders[] = {"rsa.p8.der", "rsa.trad.der", "p256.p8.der", "p256.trad.der",
                          "ed25519.p8.der"};
    for (size_t i = 0; i < sizeof(ders) / sizeof(ders[0]); i++) {
        size_t len;
        uint8_t *der = slurp(ders[i], &len);
        /* Truncated at every length: never a key, never a crash. */
        for (size_t cut = 0; cut < len; cut += (cut < 64 ? 1 : 17)) {
            padlock_err err = pl_privkey_load(der, cut, &key);
            if (err != PADLOCK_E_BAD_KEY) {
                fail_msg("%s cut to %zu bytes: %s", ders[i], cut, padlock_strerror(err));
            }
        }
        /* A trailing byte. */
        uint8_t *longer = malloc(len + 1);
        memcpy(longer, der, len);
        longer[len] = 0;
        PL_ASSERT_ERR(pl_privkey_load(longer, len + 1, &key), PADLOCK_E_BAD_KEY);
        free(longer);
        /* A changed key value: a byte inside the RSA modulus (n no longer matches p, q, d:
         * the load-time signature check fails), or the last byte of an EC key, which is the
         * embedded public point (off the curve, or not the private key's). Any 32-byte Ed25519
         * seed is a valid key, so it has no such case. */
        if (strncmp(ders[i], "ed25519", 7) != 0) {
            size_t at = strncmp(ders[i], "rsa", 3) == 0 ? len / 8 : len - 1;
            der[at] ^= 0x01;
            padlock_err err = pl_privkey_load(der, len, &key);
            if (err != PADLOCK_E_BAD_KEY) {
                fail_msg("%s with byte %zu changed: %s", ders[i], at, padlock_strerror(err));
            }
            der[at] ^= 0x01;
        }
        /* The outer length changed. */
        der[1] ^= 0x01;
        PL_ASSERT_ERR(pl_privkey_load(der, len, &key), PADLOCK_E_BAD_KEY);
        free(der);
    }
    /* PEM: a body that is not base64, and a block without its END line. */
    size_t len;
    uint8_t *pem = slurp("p256.p8.pem", &len);
    uint8_t *bad = malloc(len + 1);
    memcpy(bad, pem, len + 1);
    char *body = strchr((char *)bad, '\n') + 1;
    body[4] = '*';
    PL_ASSERT_ERR(pl_privkey_load(bad, len, &key), PADLOCK_E_PEM);
    memcpy(bad, pem, len + 1);
    char *end = strstr((char *)bad, "-----END");
    PL_ASSERT_ERR(pl_privkey_load(bad, (size_t)(end - (char *)bad), &key), PADLOCK_E_PEM);
    /* A PEM body that is valid base64 but not a key. */
    const char *junk = "-----BEGIN PRIVATE KEY-----\nAAECAwQF\n-----END PRIVATE KEY-----\n";
    PL_ASSERT_ERR(pl_privkey_load((const uint8_t *)junk, strlen(junk), &key), PADLOCK_E_BAD_KEY);
    free(bad);
    free(pem);
    assert_null(key);
}

/* A SEC1 key whose embedded public point is a valid point of another key. */
static void test_load_mismatched_public_key(void **state) {
    (void)state;
    size_t len, other_len;
    uint8_t *der = slurp("p256.trad.der", &len);
    uint8_t *other = slurp("p256b.trad.der", &other_len);
    assert_int_equal(len, other_len);
    pl_privkey *key;
    PL_ASSERT_OK(pl_privkey_load(der, len, &key));
    pl_privkey_free(key);
    memcpy(der + len - 65, other + other_len - 65, 65); /* [1] publicKey: the last 65 bytes */
    PL_ASSERT_ERR(pl_privkey_load(der, len, &key), PADLOCK_E_BAD_KEY);
    free(der);
    free(other);
}

/* RFC 4055 §3.1: an id-RSASSA-PSS key restricted to SHA-384 (salt >= 48) signs and verifies
 * only with rsa_pss_pss_sha384; the other schemes are refused as unusable for this key. */
static void test_restricted_pss_key(void **state) {
    (void)state;
    pl_privkey *key;
    PL_ASSERT_OK(load_file("rsapss384.p8.pem", &key));
    assert_int_equal(pl_privkey_type(key), PL_KEY_RSA_PSS);
    size_t spki_len;
    uint8_t *spki = slurp("rsapss384.spki", &spki_len);
    const pl_sig_alg *sha384 = pl_sig_by_scheme(PL_SIG_RSA_PSS_PSS_SHA384);
    const pl_sig_alg *sha256 = pl_sig_by_scheme(PL_SIG_RSA_PSS_PSS_SHA256);
    const pl_sig_alg *sha512 = pl_sig_by_scheme(PL_SIG_RSA_PSS_PSS_SHA512);
    assert_true(pl_privkey_can_sign(key, sha384));
    assert_false(pl_privkey_can_sign(key, sha256));
    assert_false(pl_privkey_can_sign(key, sha512));
    const uint8_t msg[] = "restricted";
    uint8_t sig[PL_SIG_MAX_LEN];
    size_t sig_len;
    PL_ASSERT_ERR(pl_privkey_sign(key, sha256, NULL, msg, sizeof(msg), sig, sizeof(sig), &sig_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_OK(pl_privkey_sign(key, sha384, NULL, msg, sizeof(msg), sig, sizeof(sig), &sig_len));
    PL_ASSERT_OK(pl_sig_verify(sha384, spki, spki_len, msg, sizeof(msg), sig, sig_len));
    PL_ASSERT_ERR(pl_sig_verify(sha256, spki, spki_len, msg, sizeof(msg), sig, sig_len),
                  PADLOCK_E_BAD_KEY);
    pl_sig_params salt32 = {PL_SIG_KIND_RSA_PSS, &pl_hash_sha384, 32};
    PL_ASSERT_ERR(pl_sig_verify_params(&salt32, spki, spki_len, msg, sizeof(msg), sig, sig_len),
                  PADLOCK_E_BAD_KEY);
    pl_sig_params salt48 = {PL_SIG_KIND_RSA_PSS, &pl_hash_sha384, 48};
    PL_ASSERT_OK(pl_sig_verify_params(&salt48, spki, spki_len, msg, sizeof(msg), sig, sig_len));
    free(spki);
    pl_privkey_free(key);
}

static void test_generate_pkcs8_round_trip(void **state) {
    (void)state;
    const pl_key_type types[] = {PL_KEY_RSA,     PL_KEY_EC_P256, PL_KEY_EC_P384,
                                 PL_KEY_EC_P521, PL_KEY_ED25519, PL_KEY_RSA_PSS};
    const unsigned bits[] = {2048, 256, 384, 521, 256, 2048};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        pl_privkey *key;
        PL_ASSERT_OK(pl_privkey_generate(types[i], 2048, &key));
        assert_int_equal(pl_privkey_bits(key), bits[i]);
        uint8_t *p8;
        size_t p8_len;
        PL_ASSERT_OK(pl_privkey_pkcs8(key, &p8, &p8_len));
        pl_privkey *again;
        PL_ASSERT_OK(pl_privkey_load(p8, p8_len, &again));
        assert_int_equal(pl_privkey_type(again), types[i]);
        assert_int_equal(pl_privkey_bits(again), bits[i]);
        uint8_t *spki1, *spki2;
        size_t len1, len2;
        PL_ASSERT_OK(pl_privkey_spki(key, &spki1, &len1));
        PL_ASSERT_OK(pl_privkey_spki(again, &spki2, &len2));
        assert_int_equal(len1, len2);
        assert_memory_equal(spki1, spki2, len1);
        /* And openssl reads our PKCS#8 as the same key. */
        assert_int_equal(pl_test_write_file(path("ours.p8.der"), p8, p8_len), 0);
        sh("openssl pkey -inform DER -in ours.p8.der -pubout -outform DER -out ours.spki");
        size_t theirs_len;
        uint8_t *theirs = slurp("ours.spki", &theirs_len);
        assert_int_equal(theirs_len, len1);
        assert_memory_equal(theirs, spki1, len1);
        free(theirs);
        pl_free(spki1);
        pl_free(spki2);
        pl_free_secret(p8);
        pl_privkey_free(again);
        pl_privkey_free(key);
    }
    pl_privkey *key;
    PL_ASSERT_ERR(pl_privkey_generate(PL_KEY_RSA, 1024, &key), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_privkey_generate(PL_KEY_NONE, 0, &key), PADLOCK_E_INVALID_ARGUMENT);
}

/* ---- One key shared by signing threads ------------------------------------------------------ */

#define SIGN_THREADS 4
#define SIGNS_PER_THREAD 24

typedef struct {
    const pl_privkey *key;
    const pl_sig_alg *alg;
    const uint8_t *spki;
    size_t spki_len;
    unsigned id;
    unsigned verified; /* signatures that verified over their own message and no other */
    unsigned distinct; /* consecutive signatures of one message that differ (fresh nonces) */
} sign_job;

static void *sign_thread(void *arg) {
    sign_job *job = arg;
    for (unsigned i = 0; i < SIGNS_PER_THREAD; i++) {
        uint8_t msg[40];
        memset(msg, 0, sizeof(msg));
        snprintf((char *)msg, sizeof(msg), "thread %u, message %u", job->id, i);
        uint8_t sig[2][PL_SIG_MAX_LEN];
        size_t len[2];
        int ok = 1;
        for (int k = 0; k < 2; k++) {
            ok &= pl_privkey_sign(job->key, job->alg, NULL, msg, sizeof(msg), sig[k],
                                  sizeof(sig[k]), &len[k]) == PADLOCK_OK;
            ok &= ok && pl_sig_verify(job->alg, job->spki, job->spki_len, msg, sizeof(msg), sig[k],
                                      len[k]) == PADLOCK_OK;
        }
        msg[0] ^= 1; /* another message: the signature must not verify over it */
        ok &= ok && pl_sig_verify(job->alg, job->spki, job->spki_len, msg, sizeof(msg), sig[0],
                                  len[0]) == PADLOCK_E_BAD_SIGNATURE;
        job->verified += (unsigned)ok;
        job->distinct +=
            (unsigned)(ok && (len[0] != len[1] || memcmp(sig[0], sig[1], len[0]) != 0));
    }
    return NULL;
}

/* A configuration's key signs for connections on many threads at once: the signing state made
 * when an EC key is loaded is only read. Every signature from every thread verifies. */
static void test_ecdsa_sign_from_threads(void **state) {
    (void)state;
    const char *files[] = {"p256.p8.pem", "p384.trad.der"};
    const char *spkis[] = {"p256.spki", "p384.spki"};
    const uint16_t schemes[] = {PL_SIG_ECDSA_SECP256R1_SHA256, PL_SIG_ECDSA_SECP384R1_SHA384};
    for (size_t f = 0; f < 2; f++) {
        pl_privkey *key;
        PL_ASSERT_OK(load_file(files[f], &key));
        size_t spki_len;
        uint8_t *spki = slurp(spkis[f], &spki_len);
        sign_job jobs[SIGN_THREADS];
        pthread_t threads[SIGN_THREADS];
        for (unsigned t = 0; t < SIGN_THREADS; t++) {
            jobs[t] = (sign_job){key, pl_sig_by_scheme(schemes[f]), spki, spki_len, t, 0, 0};
            assert_int_equal(pthread_create(&threads[t], NULL, sign_thread, &jobs[t]), 0);
        }
        for (unsigned t = 0; t < SIGN_THREADS; t++) {
            assert_int_equal(pthread_join(threads[t], NULL), 0);
            assert_int_equal(jobs[t].verified, SIGNS_PER_THREAD);
            assert_int_equal(jobs[t].distinct, SIGNS_PER_THREAD);
        }
        free(spki);
        pl_privkey_free(key);
    }
}

/* ---- RSA key transport ----------------------------------------------------------------------- */

/* Encrypts a raw modulus-length block to rsa.spki with no padding (openssl CLI). */
static uint8_t *raw_encrypt(const uint8_t *block, size_t len, size_t *ct_len) {
    assert_int_equal(pl_test_write_file(path("block.bin"), block, len), 0);
    sh("openssl pkeyutl -encrypt -pubin -keyform DER -inkey rsa.spki "
       "-pkeyopt rsa_padding_mode:none -in block.bin -out block.ct");
    return slurp("block.ct", ct_len);
}

static void test_rsa_premaster(void **state) {
    (void)state;
    pl_privkey *key;
    PL_ASSERT_OK(load_file("rsa.p8.pem", &key));
    size_t spki_len;
    uint8_t *spki = slurp("rsa.spki", &spki_len);
    uint8_t pms[48];
    for (size_t i = 0; i < sizeof(pms); i++) {
        pms[i] = (uint8_t)(0xa0 + i);
    }
    pms[0] = 0x03;
    pms[1] = 0x03;
    uint8_t ct[512];
    size_t ct_len;
    PL_ASSERT_OK(pl_rsa_encrypt_pkcs1(spki, spki_len, NULL, pms, 48, ct, sizeof(ct), &ct_len));
    assert_int_equal(ct_len, 256);
    uint8_t out[48];
    uint8_t out2[48];
    PL_ASSERT_OK(pl_rsa_decrypt_premaster(key, ct, ct_len, 0x0303, out));
    assert_memory_equal(out, pms, 48);
    /* The plain primitive gives the same message. */
    size_t plain_len;
    PL_ASSERT_OK(pl_rsa_decrypt_pkcs1(key, ct, ct_len, out, sizeof(out), &plain_len));
    assert_int_equal(plain_len, 48);
    assert_memory_equal(out, pms, 48);
    PL_ASSERT_ERR(pl_rsa_decrypt_pkcs1(key, ct, ct_len, out, 47, &plain_len),
                  PADLOCK_E_BUFFER_TOO_SMALL);

    /* Wrong version: 48 unrelated bytes, no error, different on each call. */
    PL_ASSERT_OK(pl_rsa_decrypt_premaster(key, ct, ct_len, 0x0302, out));
    PL_ASSERT_OK(pl_rsa_decrypt_premaster(key, ct, ct_len, 0x0302, out2));
    assert_memory_not_equal(out, pms, 48);
    assert_memory_not_equal(out, out2, 48);

    /* Wrong length of the secret inside correct padding. */
    PL_ASSERT_OK(pl_rsa_encrypt_pkcs1(spki, spki_len, NULL, pms, 47, ct, sizeof(ct), &ct_len));
    PL_ASSERT_OK(pl_rsa_decrypt_premaster(key, ct, ct_len, 0x0303, out));
    PL_ASSERT_OK(pl_rsa_decrypt_premaster(key, ct, ct_len, 0x0303, out2));
    assert_memory_not_equal(out, pms, 48);
    assert_memory_not_equal(out, out2, 48);

    /* Bad padding: block type 1 instead of 2, otherwise a well-formed message. */
    uint8_t block[256];
    memset(block, 0xff, sizeof(block));
    block[0] = 0x00;
    block[1] = 0x01;
    block[256 - 49] = 0x00;
    memcpy(block + 256 - 48, pms, 48);
    size_t bad_len;
    uint8_t *bad = raw_encrypt(block, sizeof(block), &bad_len);
    PL_ASSERT_OK(pl_rsa_decrypt_premaster(key, bad, bad_len, 0x0303, out));
    PL_ASSERT_OK(pl_rsa_decrypt_premaster(key, bad, bad_len, 0x0303, out2));
    assert_memory_not_equal(out, pms, 48);
    assert_memory_not_equal(out, out2, 48);
    PL_ASSERT_ERR(pl_rsa_decrypt_pkcs1(key, bad, bad_len, out, sizeof(out), &plain_len),
                  PADLOCK_E_CRYPTO);
    free(bad);
    /* The same block with type 2 decrypts: the test's construction is right. */
    block[1] = 0x02;
    bad = raw_encrypt(block, sizeof(block), &bad_len);
    PL_ASSERT_OK(pl_rsa_decrypt_premaster(key, bad, bad_len, 0x0303, out));
    assert_memory_equal(out, pms, 48);
    free(bad);

    /* A ciphertext of the wrong length. */
    PL_ASSERT_OK(pl_rsa_decrypt_premaster(key, ct, 255, 0x0303, out));
    PL_ASSERT_OK(pl_rsa_decrypt_premaster(key, ct, 255, 0x0303, out2));
    assert_memory_not_equal(out, out2, 48);

    /* Not an RSA key. */
    pl_privkey *ec;
    PL_ASSERT_OK(load_file("p256.p8.pem", &ec));
    PL_ASSERT_ERR(pl_rsa_decrypt_premaster(ec, ct, ct_len, 0x0303, out), PADLOCK_E_BAD_KEY);
    size_t ec_spki_len;
    uint8_t *ec_spki = slurp("p256.spki", &ec_spki_len);
    PL_ASSERT_ERR(
        pl_rsa_encrypt_pkcs1(ec_spki, ec_spki_len, NULL, pms, 48, ct, sizeof(ct), &ct_len),
        PADLOCK_E_BAD_KEY);
    PL_ASSERT_ERR(pl_rsa_encrypt_pkcs1(spki, spki_len, NULL, pms, 48, ct, 255, &ct_len),
                  PADLOCK_E_BUFFER_TOO_SMALL);
    PL_ASSERT_ERR(pl_rsa_encrypt_pkcs1(spki, spki_len, NULL, block, 246, ct, sizeof(ct), &ct_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    free(ec_spki);
    pl_privkey_free(ec);
    free(spki);
    pl_privkey_free(key);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_every_format),
        cmocka_unit_test(test_from_der_format),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_load_corrupt_and_truncated),
        cmocka_unit_test(test_load_mismatched_public_key),
        cmocka_unit_test(test_restricted_pss_key),
        cmocka_unit_test(test_generate_pkcs8_round_trip),
        cmocka_unit_test(test_ecdsa_sign_from_threads),
        cmocka_unit_test(test_rsa_premaster),
    };
    return cmocka_run_group_tests_name("privkey", tests, setup, NULL);
}
