/* Allocation counts of the crypto layer's per-handshake operations, libcrypto's included: one
 * ECDSA P-256 verification, one signature, one X25519 share and exchange, random draws.
 * padlock's own counters (padlock_mem_get_stats) do not see libcrypto's allocations, so this
 * program replaces malloc itself, forwarding to glibc's allocator; built without sanitizers only
 * (their allocator cannot be replaced). The bounds are libcrypto 3.0's figures at the time of
 * writing (Debian 12, 3.0.19): a newer libcrypto may allocate differently, and the test says
 * where. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "testlib.h"
#include "util/mem.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);

/* Calls that created a block (malloc, calloc, realloc of NULL) while counting is on. */
static int pl_counting;
static uint64_t pl_calls;

void *malloc(size_t size) {
    pl_calls += pl_counting;
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size) {
    pl_calls += pl_counting;
    return __libc_calloc(n, size);
}

void *realloc(void *ptr, size_t size) {
    pl_calls += pl_counting && ptr == NULL;
    return __libc_realloc(ptr, size);
}

void free(void *ptr) {
    __libc_free(ptr);
}

/* The counted calls and padlock's own allocations of one run of op. */
typedef struct op_count {
    uint64_t all;
    uint64_t padlock;
} op_count;

#define PL_COUNT(out, expr)                                                                        \
    do {                                                                                           \
        padlock_mem_stats pl_before_, pl_after_;                                                   \
        padlock_mem_get_stats(&pl_before_);                                                        \
        pl_calls = 0;                                                                              \
        pl_counting = 1;                                                                           \
        padlock_err pl_err_ = (expr);                                                              \
        pl_counting = 0;                                                                           \
        padlock_mem_get_stats(&pl_after_);                                                         \
        PL_ASSERT_OK(pl_err_);                                                                     \
        (out).all = pl_calls;                                                                      \
        (out).padlock = pl_after_.num_allocs - pl_before_.num_allocs;                              \
    } while (0)

static void check(const char *what, op_count c, uint64_t max_all) {
    printf("%-28s %llu malloc calls (%llu padlock's)\n", what, (unsigned long long)c.all,
           (unsigned long long)c.padlock);
    assert_int_equal(c.padlock, 0);
    if (c.all > max_all) {
        fail_msg("%s: %llu malloc calls, at most %llu expected", what, (unsigned long long)c.all,
                 (unsigned long long)max_all);
    }
}

static void test_crypto_allocs_per_operation(void **state) {
    (void)state;
    pl_privkey *key;
    PL_ASSERT_OK(pl_privkey_generate(PL_KEY_EC_P256, 0, &key));
    uint8_t *spki;
    size_t spki_len;
    PL_ASSERT_OK(pl_privkey_spki(key, &spki, &spki_len));
    const pl_sig_alg *alg = pl_sig_by_scheme(PL_SIG_ECDSA_SECP256R1_SHA256);
    const uint8_t msg[] = "CertificateVerify";
    uint8_t sig[PL_SIG_MAX_LEN];
    size_t sig_len;
    /* The second round is counted: the first makes libcrypto's per-process objects (fetched
     * algorithms, name maps) and padlock's kept verification temporaries. */
    for (int round = 0; round < 2; round++) {
        op_count sign, verify, share, exchange;
        PL_COUNT(sign,
                 pl_privkey_sign(key, alg, NULL, msg, sizeof(msg), sig, sizeof(sig), &sig_len));
        PL_COUNT(verify, pl_sig_verify(alg, spki, spki_len, msg, sizeof(msg), sig, sig_len));
        pl_kx_key a;
        pl_kx_key b;
        uint8_t secret[32];
        PL_COUNT(share, pl_kx_generate(&pl_kx_x25519, NULL, &a));
        PL_ASSERT_OK(pl_kx_generate(&pl_kx_x25519, NULL, &b));
        PL_COUNT(exchange, pl_kx_derive(&a, b.share, pl_kx_x25519.share_len, secret));
        pl_kx_key_cleanup(&a);
        pl_kx_key_cleanup(&b);
        if (round == 1) {
            /* Was 82 (EC_KEY per verification), then 32 (fresh temporaries): 3 are left, the
             * table EC_POINT_mul builds for the public key. */
            check("ECDSA P-256 verification", verify, 3);
            /* Was 41 with ECDSA_sign and ECDSA_size. */
            check("ECDSA P-256 signature", sign, 30);
            /* Were 16 and 16 with the raw-key functions, then 10 and 13 with a context and a
             * peer key made for each (ossl_kx.c now lends kept ones). */
            check("X25519 share", share, 8);
            check("X25519 exchange", exchange, 6);
        }
    }
    pl_free(spki);
    pl_privkey_free(key);
}

/* 200 draws of 32 bytes from the system source: more than a page's worth, so at least one
 * refill of the per-thread buffer. */
static padlock_err draw_many(void) {
    uint8_t b[32];
    for (int i = 0; i < 200; i++) {
        PL_TRY(pl_rand_bytes(NULL, b, sizeof(b)));
    }
    return PADLOCK_OK;
}

static void test_crypto_allocs_random(void **state) {
    (void)state;
    uint8_t b[32];
    PL_ASSERT_OK(pl_rand_bytes(NULL, b, sizeof(b)));
    /* The per-thread page is a mapping made at the first draw above, and refills allocate
     * nothing: draws cost no malloc call at all. */
    op_count draws;
    PL_COUNT(draws, draw_many());
    check("200 random draws", draws, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crypto_allocs_per_operation),
        cmocka_unit_test(test_crypto_allocs_random),
    };
    return cmocka_run_group_tests_name("crypto_allocs", tests, NULL, NULL);
}
