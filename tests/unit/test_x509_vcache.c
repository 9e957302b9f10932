/* The verified-chain cache (x509/vcache.h) on the generated corpus: hits for identical inputs,
 * misses for a change in each part of the key (certificate bytes, chain, host name, purpose,
 * intermediate limit, store identity and contents, CRLs), expiry at notAfter and notBefore,
 * least-recently-used eviction, failures never kept, and a TLS client reusing its verdict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "derhex.h"
#include "padlock/padlock.h"
#include "padlock/x509.h"
#include "pair.h"
#include "testlib.h"
#include "wire/pem.h"
#include "x509/api.h"
#include "x509/crl.h"
#include "x509/store.h"
#include "x509/vcache.h"
#include "x509/verify.h"
#include "x509_corpus.h"

#define T2030 1893456000
#define T2025 1735689600 /* leaf_expired's notAfter: 2025-01-01T00:00:00Z */
#define T2035 2051222400 /* leaf_future's notBefore: 2035-01-01T00:00:00Z */

static int teardown(void **state) {
    (void)state;
    derhex_free_all();
    return 0;
}

static pl_x509_store *root_store(void) {
    pl_x509_store *s;
    PL_ASSERT_OK(pl_x509_store_new(&s));
    PL_ASSERT_OK(pl_x509_store_add_file(s, pl_test_corpus_path("root.pem"), NULL));
    return s;
}

static void params_init(pl_x509_verify_params *p, const pl_x509_store *store,
                        const pl_x509_peer *peer) {
    memset(p, 0, sizeof(*p));
    p->store = store;
    p->now = T2030;
    p->purpose = PL_X509_PURPOSE_SERVER_AUTH;
    p->peer = peer;
}

static void expect_stats(pl_x509_vcache *c, uint64_t hits, uint64_t misses, uint64_t evictions) {
    pl_x509_vcache_stats s = pl_x509_vcache_get_stats(c);
    assert_int_equal(s.hits, hits);
    assert_int_equal(s.misses, misses);
    assert_int_equal(s.evictions, evictions);
}

static void test_hit_and_default(void **state) {
    (void)state;
    pl_x509_store *s = root_store();
    pl_x509_vcache *c = pl_x509_store_cache(s); /* on by default */
    assert_non_null(c);
    pl_x509_peer peer;
    PL_ASSERT_OK(pl_x509_peer_parse("www.example.com", &peer));
    pl_x509_verify_params p;
    params_init(&p, s, &peer);
    pl_span chain[2] = {pl_test_corpus_cert("leaf"), pl_test_corpus_cert("inter")};
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, chain, 2, NULL));
    expect_stats(c, 0, 1, 0);
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, chain, 2, NULL));
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, chain, 2, NULL));
    expect_stats(c, 2, 1, 0);
    /* The same bytes at other addresses are the same key. */
    uint8_t copy[4096];
    assert_true(chain[0].len <= sizeof(copy));
    memcpy(copy, chain[0].p, chain[0].len);
    pl_span moved[2] = {{copy, chain[0].len}, chain[1]};
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, moved, 2, NULL));
    expect_stats(c, 3, 1, 0);
    /* Turned off: no cache, and verification still works. */
    PL_ASSERT_OK(pl_x509_store_set_cache(s, 0));
    assert_null(pl_x509_store_cache(s));
    PL_ASSERT_OK(pl_x509_verify_cached(pl_x509_store_cache(s), &p, chain, 2, NULL));
    pl_x509_store_free(s);
}

static void test_miss_on_every_input(void **state) {
    (void)state;
    pl_x509_store *s = root_store();
    pl_x509_vcache *c = pl_x509_store_cache(s);
    pl_x509_peer peer;
    PL_ASSERT_OK(pl_x509_peer_parse("www.example.com", &peer));
    pl_x509_verify_params p;
    params_init(&p, s, &peer);
    pl_span chain[3] = {pl_test_corpus_cert("leaf"), pl_test_corpus_cert("inter"),
                        pl_test_corpus_cert("other_inter")};
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, chain, 2, NULL));
    expect_stats(c, 0, 1, 0);

    /* One certificate byte changed (in the signature, so it still parses): a miss, and the
     * verdict is the verifier's refusal, not the cached success. */
    uint8_t leaf[4096];
    memcpy(leaf, chain[0].p, chain[0].len);
    leaf[chain[0].len - 1] ^= 0x01;
    pl_span altered[2] = {{leaf, chain[0].len}, chain[1]};
    assert_int_not_equal(pl_x509_verify_cached(c, &p, altered, 2, NULL), PADLOCK_OK);
    expect_stats(c, 0, 2, 0);
    /* An extra certificate in the chain. */
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, chain, 3, NULL));
    expect_stats(c, 0, 3, 0);
    /* Another host name: refused by the verifier, not answered from the cache. */
    pl_x509_peer other;
    PL_ASSERT_OK(pl_x509_peer_parse("mail.example.com", &other));
    p.peer = &other;
    PL_ASSERT_ERR(pl_x509_verify_cached(c, &p, chain, 2, NULL), PADLOCK_E_CERT_NAME_MISMATCH);
    expect_stats(c, 0, 4, 0);
    /* No identity check at all is another key too. */
    p.peer = NULL;
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, chain, 2, NULL));
    expect_stats(c, 0, 5, 0);
    p.peer = &peer;
    /* Purpose. */
    p.purpose = PL_X509_PURPOSE_ANY;
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, chain, 2, NULL));
    expect_stats(c, 0, 6, 0);
    p.purpose = PL_X509_PURPOSE_SERVER_AUTH;
    /* Intermediate limit (the default, 8, spelled out, is the same key). */
    p.max_intermediates = 1;
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, chain, 2, NULL));
    expect_stats(c, 0, 7, 0);
    p.max_intermediates = PL_X509_DEFAULT_MAX_INTERMEDIATES;
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, chain, 2, NULL));
    expect_stats(c, 1, 7, 0);
    p.max_intermediates = 0;
    /* Another store with the same anchor: another identity. */
    pl_x509_store *twin = root_store();
    assert_int_not_equal(pl_x509_store_id(twin), pl_x509_store_id(s));
    p.store = twin;
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, chain, 2, NULL));
    expect_stats(c, 1, 8, 0);
    pl_x509_store_free(twin);
    p.store = s;
    /* Adding to the store changes its identity: the old verdicts no longer match. */
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, chain, 2, NULL));
    expect_stats(c, 2, 8, 0);
    uint64_t before = pl_x509_store_id(s);
    PL_ASSERT_OK(pl_x509_store_add_file(s, pl_test_corpus_path("cross_a.pem"), NULL));
    assert_int_not_equal(pl_x509_store_id(s), before);
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, chain, 2, NULL));
    expect_stats(c, 2, 9, 0);
    /* CRLs: the cache is neither read nor filled; the verifier's own verdict comes back. */
    pl_x509_crl_set crls;
    pl_x509_crl_set_init(&crls);
    p.crls = &crls;
    padlock_err plain = pl_x509_verify(&p, chain, 2, NULL, NULL);
    assert_int_equal(pl_x509_verify_cached(c, &p, chain, 2, NULL), plain);
    assert_int_equal(pl_x509_verify_cached(c, &p, chain, 2, NULL), plain);
    expect_stats(c, 2, 11, 0);
    pl_x509_crl_set_cleanup(&crls);
    pl_x509_store_free(s);
}

static void test_expiry(void **state) {
    (void)state;
    pl_x509_store *s = root_store();
    pl_x509_vcache *c = pl_x509_store_cache(s);
    pl_x509_verify_params p;
    params_init(&p, s, NULL);
    /* Verified at notAfter itself (inside the period), then answered from the cache there. */
    pl_span expired[2] = {pl_test_corpus_cert("leaf_expired"), pl_test_corpus_cert("inter")};
    p.now = T2025 - 100;
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, expired, 2, NULL));
    p.now = T2025;
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, expired, 2, NULL));
    expect_stats(c, 1, 1, 0);
    /* One second later the entry is dropped and the verifier says expired. */
    p.now = T2025 + 1;
    PL_ASSERT_ERR(pl_x509_verify_cached(c, &p, expired, 2, NULL), PADLOCK_E_CERT_EXPIRED);
    expect_stats(c, 1, 2, 0);
    /* The clock going back does not revive it: it was dropped, so this verifies afresh. */
    p.now = T2025;
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, expired, 2, NULL));
    expect_stats(c, 1, 3, 0);
    /* Before notBefore: a verdict made later is not used earlier. */
    pl_span future[2] = {pl_test_corpus_cert("leaf_future"), pl_test_corpus_cert("inter")};
    p.now = T2035;
    PL_ASSERT_OK(pl_x509_verify_cached(c, &p, future, 2, NULL));
    p.now = T2035 - 1;
    PL_ASSERT_ERR(pl_x509_verify_cached(c, &p, future, 2, NULL), PADLOCK_E_CERT_NOT_YET_VALID);
    expect_stats(c, 1, 5, 0);
    pl_x509_store_free(s);
}

static void test_eviction_and_failures(void **state) {
    (void)state;
    pl_x509_store *s = root_store();
    PL_ASSERT_OK(pl_x509_store_set_cache(s, 2));
    pl_x509_vcache *c = pl_x509_store_cache(s);
    pl_x509_peer www;
    PL_ASSERT_OK(pl_x509_peer_parse("www.example.com", &www));
    pl_x509_verify_params a, b, d;
    params_init(&a, s, &www);
    params_init(&b, s, NULL);
    params_init(&d, s, NULL);
    d.purpose = PL_X509_PURPOSE_ANY;
    pl_span chain[2] = {pl_test_corpus_cert("leaf"), pl_test_corpus_cert("inter")};
    PL_ASSERT_OK(pl_x509_verify_cached(c, &a, chain, 2, NULL));
    PL_ASSERT_OK(pl_x509_verify_cached(c, &b, chain, 2, NULL));
    PL_ASSERT_OK(pl_x509_verify_cached(c, &a, chain, 2, NULL)); /* a is now the most recent */
    expect_stats(c, 1, 2, 0);
    PL_ASSERT_OK(pl_x509_verify_cached(c, &d, chain, 2, NULL)); /* evicts b */
    expect_stats(c, 1, 3, 1);
    PL_ASSERT_OK(pl_x509_verify_cached(c, &a, chain, 2, NULL));
    PL_ASSERT_OK(pl_x509_verify_cached(c, &d, chain, 2, NULL));
    expect_stats(c, 3, 3, 1);
    PL_ASSERT_OK(pl_x509_verify_cached(c, &b, chain, 2, NULL)); /* missed: it was evicted */
    expect_stats(c, 3, 4, 2);
    /* A failure is never kept: the same failing inputs are verified again each time. */
    pl_span alone[1] = {chain[0]};
    PL_ASSERT_ERR(pl_x509_verify_cached(c, &a, alone, 1, NULL), PADLOCK_E_CERT_UNTRUSTED);
    PL_ASSERT_ERR(pl_x509_verify_cached(c, &a, alone, 1, NULL), PADLOCK_E_CERT_UNTRUSTED);
    expect_stats(c, 3, 6, 2);
    assert_int_equal(pl_x509_store_set_cache(s, 4097), PADLOCK_E_INVALID_ARGUMENT);
    pl_x509_store_free(s);
}

/* Through TLS: the second and third handshakes of a client configuration against the same
 * server chain are answered from its store's cache; with the cache off, none is. */
static void tls_handshakes(size_t entries, pl_x509_vcache_stats *out) {
    padlock_config *server = pl_pair_server_config("p256");
    padlock_config *client = pl_pair_client_config();
    PL_ASSERT_OK(padlock_trust_store_set_verify_cache(client->store, entries));
    for (int i = 0; i < 3; i++) {
        pl_pair pair;
        pl_pair_open(&pair, client, server, NULL);
        pl_pair_handshake(&pair);
        pl_pair_close(&pair);
    }
    pl_x509_vcache *c = pl_x509_store_cache(client->store->store);
    memset(out, 0, sizeof(*out));
    if (c != NULL) {
        *out = pl_x509_vcache_get_stats(c);
    }
    padlock_config_free(client);
    padlock_config_free(server);
}

static void test_tls_client_reuses_verdict(void **state) {
    (void)state;
    pl_x509_vcache_stats st;
    tls_handshakes(PL_X509_VCACHE_DEFAULT_ENTRIES, &st);
    assert_int_equal(st.hits, 2);
    assert_int_equal(st.misses, 1);
    tls_handshakes(0, &st);
    assert_int_equal(st.hits + st.misses, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_hit_and_default, teardown),
        cmocka_unit_test_teardown(test_miss_on_every_input, teardown),
        cmocka_unit_test_teardown(test_expiry, teardown),
        cmocka_unit_test_teardown(test_eviction_and_failures, teardown),
        cmocka_unit_test(test_tls_client_reuses_verdict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
