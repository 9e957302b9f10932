/* The verifier's internals on the generated corpus: path building (alternatives tried, their
 * count, loops, limits), the signature cache and budget, validity boundaries, the path handed
 * back, trust store loading and lookup, CRL parsing and sets, and endpoint credentials. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derhex.h"
#include "testlib.h"
#include "util/mem.h"
#include "wire/pem.h"
#include "x509/credential.h"
#include "x509/crl.h"
#include "x509/name.h"
#include "x509/path_build.h"
#include "x509/store.h"
#include "x509/verify.h"
#include "x509_corpus.h"

#define T2030 1893456000

static int teardown(void **state) {
    (void)state;
    derhex_free_all();
    return 0;
}

/* A store holding the space-separated corpus roots. */
static pl_x509_store *store_of(const char *roots) {
    pl_x509_store *s;
    PL_ASSERT_OK(pl_x509_store_new(&s));
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", roots);
    for (char *save = NULL, *r = strtok_r(buf, " ", &save); r != NULL;
         r = strtok_r(NULL, " ", &save)) {
        char file[64];
        snprintf(file, sizeof(file), "%s.pem", r);
        PL_ASSERT_OK(pl_x509_store_add_file(s, pl_test_corpus_path(file), NULL));
    }
    return s;
}

static void params_init(pl_x509_verify_params *p, const pl_x509_store *store) {
    memset(p, 0, sizeof(*p));
    p->store = store;
    p->now = T2030;
    p->purpose = PL_X509_PURPOSE_SERVER_AUTH;
}

/* ---- Path building --------------------------------------------------------------------------- */

/* Builds with the builder directly; returns its code and leaves b for inspection. */
static padlock_err build(pl_x509_builder *b, const pl_x509_verify_params *p, const char **stems,
                         size_t n, pl_errinfo *err) {
    pl_span chain[16];
    for (size_t i = 0; i < n; i++) {
        chain[i] = pl_test_corpus_cert(stems[i]);
    }
    PL_ASSERT_OK(pl_x509_builder_init(b, p, chain, n, err));
    return pl_x509_path_build(b, err);
}

static void test_alternative_after_failed_candidate(void **state) {
    (void)state;
    pl_x509_store *s = store_of("cross_a cross_b");
    pl_x509_verify_params p;
    params_init(&p, s);
    pl_x509_builder b;
    pl_errinfo err;
    pl_errinfo_init(&err);
    /* The intermediate certified by the expired root A is listed first: its path is tried and
     * fails, then the one through root B passes. */
    const char *first_a[] = {"leaf_x", "x_by_a", "x_by_b"};
    PL_ASSERT_OK(build(&b, &p, first_a, 3, &err));
    assert_int_equal(b.paths_tried, 2);
    assert_int_equal(b.first_failure, PADLOCK_E_CERT_EXPIRED);
    assert_non_null(strstr(pl_errinfo_message(&b.first_err), "Padlock Cross Root A"));
    assert_int_equal(b.path_len, 3);
    assert_int_equal(b.path[1], 2); /* x_by_b */
    char anchor[128];
    pl_x509_cert_label(&b.certs[b.path[2]], anchor, sizeof(anchor));
    assert_string_equal(anchor, "CN=Padlock Cross Root B");
    pl_x509_builder_cleanup(&b);
    /* Listed the other way round, the first candidate is the good one. */
    const char *first_b[] = {"leaf_x", "x_by_b", "x_by_a"};
    PL_ASSERT_OK(build(&b, &p, first_b, 3, &err));
    assert_int_equal(b.paths_tried, 1);
    pl_x509_builder_cleanup(&b);
    pl_x509_store_free(s);
    /* Two roots with one name: the first one's key does not verify the intermediate. */
    s = store_of("rr1 rr2");
    params_init(&p, s);
    const char *rr[] = {"leaf_rr", "inter_rr"};
    PL_ASSERT_OK(build(&b, &p, rr, 2, &err));
    assert_int_equal(b.paths_tried, 2);
    assert_int_equal(b.first_failure, PADLOCK_E_CERT_SIGNATURE);
    /* The second root did not fit the builder's first allocation: it grew, and the path found
     * through the moved entries is the second root's. */
    assert_int_equal(b.num, 4);
    assert_true(b.cap > 2 + PL_X509_INITIAL_ANCHORS);
    assert_int_equal(b.path_len, 3);
    assert_int_equal(b.path[2], 3);
    pl_x509_builder_cleanup(&b);
    /* Only the first root: the signature failure is the verdict. */
    pl_x509_store_free(s);
    s = store_of("rr1");
    params_init(&p, s);
    PL_ASSERT_ERR(build(&b, &p, rr, 2, &err), PADLOCK_E_CERT_SIGNATURE);
    assert_non_null(strstr(pl_errinfo_message(&err),
                           "signature of certificate \"CN=Padlock Rollover Intermediate\" does not "
                           "verify with the key of \"CN=Padlock Rollover Root\""));
    pl_x509_builder_cleanup(&b);
    pl_errinfo_cleanup(&err);
    pl_x509_store_free(s);
}

static void test_loops_end(void **state) {
    (void)state;
    pl_x509_store *s = store_of("root");
    pl_x509_verify_params p;
    params_init(&p, s);
    pl_x509_builder b;
    const char *loop[] = {"leaf_loop", "a_by_b", "b_by_a", "a_by_b", "b_by_a"};
    PL_ASSERT_ERR(build(&b, &p, loop, 5, NULL), PADLOCK_E_CERT_UNTRUSTED);
    assert_int_equal(b.paths_tried, 0);
    assert_true(b.steps < 10);
    assert_int_equal(b.duplicate[3] + b.duplicate[4], 2);
    pl_x509_builder_cleanup(&b);
    pl_x509_store_free(s);
}

static void test_chain_limits(void **state) {
    (void)state;
    pl_x509_store *s = store_of("root");
    pl_x509_verify_params p;
    params_init(&p, s);
    pl_errinfo err;
    pl_errinfo_init(&err);
    PL_ASSERT_ERR(pl_x509_verify(&p, NULL, 0, NULL, &err), PADLOCK_E_CERT_MISSING);
    pl_errinfo_cleanup(&err);
    pl_span chain[PL_X509_MAX_CHAIN + 1];
    pl_span inter = pl_test_corpus_cert("inter");
    chain[0] = pl_test_corpus_cert("leaf");
    for (size_t i = 1; i <= PL_X509_MAX_CHAIN; i++) {
        chain[i] = inter;
    }
    PL_ASSERT_ERR(pl_x509_verify(&p, chain, PL_X509_MAX_CHAIN + 1, NULL, &err),
                  PADLOCK_E_CERT_CHAIN_TOO_LONG);
    pl_errinfo_cleanup(&err);
    /* Duplicates up to the limit are fine. */
    PL_ASSERT_OK(pl_x509_verify(&p, chain, PL_X509_MAX_CHAIN, NULL, NULL));
    /* A malformed entry is named. */
    pl_span bad = {(const uint8_t *)"\x30\x03\x02\x01\x01", 5};
    chain[1] = bad;
    PL_ASSERT_ERR(pl_x509_verify(&p, chain, 2, NULL, &err), PADLOCK_E_CERT_PARSE);
    assert_string_equal(pl_errinfo_message(&err),
                        "certificate 2 of the chain is malformed (TBSCertificate)");
    pl_errinfo_cleanup(&err);
    /* The intermediate limit is a parameter. */
    const char *stems[] = {"leaf_d8", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8"};
    pl_span deep[9];
    for (size_t i = 0; i < 9; i++) {
        deep[i] = pl_test_corpus_cert(stems[i]);
    }
    PL_ASSERT_OK(pl_x509_verify(&p, deep, 9, NULL, NULL));
    p.max_intermediates = 7;
    PL_ASSERT_ERR(pl_x509_verify(&p, deep, 9, NULL, &err), PADLOCK_E_CERT_CHAIN_TOO_LONG);
    assert_non_null(strstr(pl_errinfo_message(&err), "within 7 intermediate certificates"));
    pl_errinfo_cleanup(&err);
    pl_x509_store_free(s);
}

/* ---- Signatures ------------------------------------------------------------------------------ */

static int g_sig_calls;

static padlock_err counting_verify(const pl_sig_params *params, const uint8_t *spki,
                                   size_t spki_len, const uint8_t *msg, size_t msg_len,
                                   const uint8_t *sig, size_t sig_len) {
    g_sig_calls++;
    return pl_sig_verify_params(params, spki, spki_len, msg, msg_len, sig, sig_len);
}

static void test_signature_cache_and_tamper(void **state) {
    (void)state;
    pl_x509_store *s = store_of("root");
    pl_x509_verify_params p;
    params_init(&p, s);
    p.sig_verify = counting_verify;
    pl_x509_cert leaf, inter, root;
    pl_span d = pl_test_corpus_cert("leaf");
    PL_ASSERT_OK(pl_x509_cert_parse(&leaf, d.p, d.len, NULL));
    d = pl_test_corpus_cert("inter");
    PL_ASSERT_OK(pl_x509_cert_parse(&inter, d.p, d.len, NULL));
    d = pl_test_corpus_cert("root");
    PL_ASSERT_OK(pl_x509_cert_parse(&root, d.p, d.len, NULL));
    const pl_x509_cert *path[] = {&leaf, &inter, &root};
    pl_x509_sig_cache cache = {0};
    g_sig_calls = 0;
    PL_ASSERT_OK(pl_x509_path_validate(&p, path, 3, &cache, NULL));
    assert_int_equal(g_sig_calls, 2);
    PL_ASSERT_OK(pl_x509_path_validate(&p, path, 3, &cache, NULL));
    assert_int_equal(g_sig_calls, 2); /* every edge came from the cache */

    /* One bit of the leaf's signature flipped. */
    pl_span good = pl_test_corpus_cert("leaf");
    uint8_t *bad = malloc(good.len);
    memcpy(bad, good.p, good.len);
    derhex_keep((char *)bad);
    bad[good.len - 1] ^= 1;
    pl_span chain[2] = {{bad, good.len}, pl_test_corpus_cert("inter")};
    pl_errinfo err;
    pl_errinfo_init(&err);
    p.sig_verify = NULL;
    PL_ASSERT_ERR(pl_x509_verify(&p, chain, 2, NULL, &err), PADLOCK_E_CERT_SIGNATURE);
    assert_string_equal(pl_errinfo_message(&err),
                        "signature of certificate \"CN=api.example.com\" does not verify with the "
                        "key of \"CN=Padlock Test Intermediate\"");
    pl_errinfo_cleanup(&err);
    pl_x509_store_free(s);
}

/* ---- Time and the returned path -------------------------------------------------------------- */

static void test_validity_boundaries(void **state) {
    (void)state;
    pl_x509_store *s = store_of("root");
    pl_x509_verify_params p;
    params_init(&p, s);
    pl_span expired[2] = {pl_test_corpus_cert("leaf_expired"), pl_test_corpus_cert("inter")};
    p.now = 1735689600; /* 2025-01-01T00:00:00Z: notAfter itself is inside the period */
    PL_ASSERT_OK(pl_x509_verify(&p, expired, 2, NULL, NULL));
    p.now++;
    PL_ASSERT_ERR(pl_x509_verify(&p, expired, 2, NULL, NULL), PADLOCK_E_CERT_EXPIRED);
    pl_span future[2] = {pl_test_corpus_cert("leaf_future"), pl_test_corpus_cert("inter")};
    p.now = 2051222400; /* 2035-01-01T00:00:00Z */
    PL_ASSERT_OK(pl_x509_verify(&p, future, 2, NULL, NULL));
    p.now--;
    PL_ASSERT_ERR(pl_x509_verify(&p, future, 2, NULL, NULL), PADLOCK_E_CERT_NOT_YET_VALID);
    pl_x509_store_free(s);
}

static void test_returned_path_and_identity(void **state) {
    (void)state;
    pl_x509_store *s = store_of("root");
    pl_x509_verify_params p;
    params_init(&p, s);
    pl_x509_peer peer;
    PL_ASSERT_OK(pl_x509_peer_parse("www.example.com", &peer));
    p.peer = &peer;
    pl_span chain[3] = {pl_test_corpus_cert("leaf"), pl_test_corpus_cert("other_inter"),
                        pl_test_corpus_cert("inter")};
    pl_x509_path *path;
    PL_ASSERT_OK(pl_x509_verify(&p, chain, 3, &path, NULL));
    assert_int_equal(path->len, 3);
    assert_ptr_equal(path->certs[0].der.p, chain[0].p); /* zero-copy into the caller's chain */
    assert_ptr_equal(path->certs[1].der.p, chain[2].p);
    assert_int_equal(path->certs[0].key.type, PL_KEY_EC_P256);
    assert_true(pl_x509_store_contains(s, path->certs[2].subject, path->certs[2].der));
    pl_x509_path_free(path);
    /* A mismatch returns no path. */
    PL_ASSERT_OK(pl_x509_peer_parse("192.0.2.99", &peer));
    path = (pl_x509_path *)&p; /* must be reset */
    PL_ASSERT_ERR(pl_x509_verify(&p, chain, 3, &path, NULL), PADLOCK_E_CERT_NAME_MISMATCH);
    assert_null(path);
    /* Purpose ANY accepts a client-only leaf for any use. */
    p.peer = NULL;
    p.purpose = PL_X509_PURPOSE_ANY;
    pl_span client[2] = {pl_test_corpus_cert("leaf_client"), pl_test_corpus_cert("inter")};
    PL_ASSERT_OK(pl_x509_verify(&p, client, 2, NULL, NULL));
    pl_x509_store_free(s);
}

/* ---- The trust store ------------------------------------------------------------------------- */

static void test_store(void **state) {
    (void)state;
    pl_x509_store *s;
    PL_ASSERT_OK(pl_x509_store_new(&s));
    pl_errinfo err;
    pl_errinfo_init(&err);
    /* Two certificates with text and a key block around them. */
    size_t a_len, b_len;
    uint8_t *a = pl_test_read_file(pl_test_corpus_path("root.pem"), &a_len);
    uint8_t *b = pl_test_read_file(pl_test_corpus_path("k_ee.key"), &b_len);
    uint8_t *c = pl_test_read_file(pl_test_corpus_path("other_root.pem"), &a_len);
    assert_true(a != NULL && b != NULL && c != NULL);
    char *text = malloc(16384);
    snprintf(text, 16384, "comment\n%s%s\nmore text\n%s", (char *)a, (char *)b, (char *)c);
    PL_ASSERT_OK(pl_x509_store_add_pem(s, text, strlen(text), "memory", &err));
    assert_int_equal(pl_x509_store_count(s), 2);
    /* Again: nothing new. */
    PL_ASSERT_OK(pl_x509_store_add_pem(s, text, strlen(text), "memory", &err));
    assert_int_equal(pl_x509_store_count(s), 2);
    free(a);
    free(b);
    free(c);
    free(text);
    /* Lookup by subject; one name, two keys. */
    PL_ASSERT_OK(pl_x509_store_add_file(s, pl_test_corpus_path("rr1.pem"), &err));
    PL_ASSERT_OK(pl_x509_store_add_file(s, pl_test_corpus_path("rr2.pem"), &err));
    pl_x509_cert rr;
    pl_span d = pl_test_corpus_cert("rr1");
    PL_ASSERT_OK(pl_x509_cert_parse(&rr, d.p, d.len, NULL));
    size_t iter = 0, idx, found = 0;
    while (pl_x509_store_find(s, rr.subject, &iter, &idx)) {
        found++;
    }
    assert_int_equal(found, 2);
    pl_x509_cert leaf;
    d = pl_test_corpus_cert("leaf");
    PL_ASSERT_OK(pl_x509_cert_parse(&leaf, d.p, d.len, NULL));
    iter = 0;
    assert_false(pl_x509_store_find(s, leaf.subject, &iter, &idx));
    assert_false(pl_x509_store_contains(s, leaf.subject, leaf.der));
    /* DER files. */
    PL_ASSERT_OK(pl_x509_store_add_der(s, d.p, d.len, &err));
    assert_true(pl_x509_store_contains(s, leaf.subject, leaf.der));
    assert_int_equal(pl_x509_store_count(s), 5);
    /* Failures leave the store as it was and say why. */
    PL_ASSERT_ERR(pl_x509_store_add_file(s, pl_test_corpus_path("absent.pem"), &err),
                  PADLOCK_E_FILE);
    assert_non_null(strstr(pl_errinfo_message(&err), "absent.pem: No such file or directory"));
    pl_errinfo_cleanup(&err);
    const char *two = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
    PL_ASSERT_ERR(pl_x509_store_add_pem(s, two, strlen(two), "bundle.pem", &err),
                  PADLOCK_E_CERT_PARSE);
    assert_string_equal(pl_errinfo_message(&err),
                        "bundle.pem: certificate 1: malformed certificate (TBSCertificate)");
    pl_errinfo_cleanup(&err);
    PL_ASSERT_ERR(pl_x509_store_add_pem(s, "nothing", 7, "empty.pem", &err), PADLOCK_E_PEM);
    assert_string_equal(pl_errinfo_message(&err), "empty.pem: no PEM certificate found");
    pl_errinfo_cleanup(&err);
    PL_ASSERT_ERR(pl_x509_store_add_dir(s, pl_test_corpus_path("absent-dir"), &err),
                  PADLOCK_E_FILE);
    pl_errinfo_cleanup(&err);
    assert_int_equal(pl_x509_store_count(s), 5);
    pl_x509_store_free(s);

    /* A directory: every PEM certificate file of the corpus, keys and CRLs skipped. */
    PL_ASSERT_OK(pl_x509_store_new(&s));
    PL_ASSERT_OK(pl_x509_store_add_dir(s, pl_test_corpus_path(""), &err));
    char *out = NULL;
    assert_int_equal(pl_test_sh_capture(&out, "ls %s/*.pem | wc -l", pl_test_corpus_path("")), 0);
    assert_int_equal(pl_x509_store_count(s), (size_t)atoi(out));
    free(out);
    pl_x509_store_free(s);

    /* The system default honours SSL_CERT_FILE. */
    PL_ASSERT_OK(pl_x509_store_new(&s));
    setenv("SSL_CERT_FILE", pl_test_corpus_path("other_root.pem"), 1);
    PL_ASSERT_OK(pl_x509_store_add_system(s, &err));
    unsetenv("SSL_CERT_FILE");
    assert_int_equal(pl_x509_store_count(s), 1);
    pl_x509_store_free(s);
}

/* ---- CRLs ------------------------------------------------------------------------------------ */

static void test_crl_parse(void **state) {
    (void)state;
    pl_x509_crl_set set;
    pl_x509_crl_set_init(&set);
    pl_errinfo err;
    pl_errinfo_init(&err);
    PL_ASSERT_OK(pl_x509_crl_set_add_file(&set, pl_test_corpus_path("inter_crl.crl"), &err));
    PL_ASSERT_OK(
        pl_x509_crl_set_add_file(&set, pl_test_corpus_path("inter_crl_badsig.crl.der"), &err));
    assert_int_equal(set.num, 2);
    const pl_x509_crl *crl = &set.crls[0];
    assert_int_equal(crl->version, 2);
    assert_int_equal(crl->num_entries, 1);
    assert_true(crl->has_next_update && crl->next_update > crl->this_update);
    assert_int_equal(crl->aki_key_id.len, 20);
    char issuer[128];
    pl_x509_name_format(crl->issuer, issuer, sizeof(issuer));
    assert_string_equal(issuer, "CN=Padlock CRL Intermediate");
    pl_x509_cert revoked, good;
    pl_span d = pl_test_corpus_cert("leaf_revoked");
    PL_ASSERT_OK(pl_x509_cert_parse(&revoked, d.p, d.len, NULL));
    d = pl_test_corpus_cert("leaf_good");
    PL_ASSERT_OK(pl_x509_cert_parse(&good, d.p, d.len, NULL));
    const pl_x509_crl_entry *e = pl_x509_crl_find(crl, revoked.serial);
    assert_non_null(e);
    assert_string_equal(pl_x509_crl_reason_name(e->reason), "keyCompromise");
    assert_null(pl_x509_crl_find(crl, good.serial));
    /* Not CRLs. */
    PL_ASSERT_ERR(pl_x509_crl_set_add_file(&set, pl_test_corpus_path("leaf.pem"), &err),
                  PADLOCK_E_PEM);
    assert_non_null(strstr(pl_errinfo_message(&err), "no PEM \"X509 CRL\" block"));
    pl_errinfo_cleanup(&err);
    PL_ASSERT_ERR(pl_x509_crl_set_add(&set, d.p, d.len, "leaf.der", &err), PADLOCK_E_CRL_PARSE);
    pl_errinfo_cleanup(&err);
    assert_int_equal(set.num, 2);
    pl_x509_crl_set_cleanup(&set);
}

/* A CRL from parts (its signature is a placeholder: parsing does not check it). */
static padlock_err crl_hex(const char *entries, const char *exts, const char **field) {
    const char *alg = "300a06082a8648ce3d040302";
    const char *issuer = "3011310f300d06035504030c06497373756572";
    const char *times = "170d3330303130313030303030305a170d3330303230313030303030305a";
    char *tbs = derhex_tlv(
        "30", derhex_cat("020101", alg, issuer, times, entries,
                         exts[0] != '\0' ? derhex_tlv("a0", derhex_tlv("30", exts)) : "", NULL));
    char *crl = derhex_tlv("30", derhex_cat(tbs, alg, "0309003006020101020101", NULL));
    size_t len;
    uint8_t *der = derhex_bytes(crl, &len);
    pl_x509_crl c;
    padlock_err rc = pl_x509_crl_parse(&c, der, len, field);
    if (rc == PADLOCK_OK) {
        pl_x509_crl_cleanup(&c);
    }
    return rc;
}

/* One CRL Extension. */
static char *crl_ext(const char *oid_tlv, int critical, const char *value) {
    return derhex_tlv("30",
                      derhex_cat(oid_tlv, critical ? "0101ff" : "", derhex_tlv("04", value), NULL));
}

static void test_crl_rules(void **state) {
    (void)state;
    const char *field;
    const char *date = "3235303130313030303030305a"; /* "250101000000Z" */
    char *entry = derhex_tlv("30", derhex_cat("02020100", derhex_tlv("17", date), NULL));
    PL_ASSERT_OK(crl_hex(derhex_tlv("30", entry), "", &field));
    PL_ASSERT_OK(crl_hex("", "", &field));
    /* A revocation date that is not a Time. */
    char *bad_entry = derhex_tlv("30", derhex_cat("02020100", derhex_tlv("1a", date), NULL));
    PL_ASSERT_ERR(crl_hex(derhex_tlv("30", bad_entry), "", &field), PADLOCK_E_CRL_PARSE);
    assert_string_equal(field, "revocationDate");
    /* Delta CRLs, indirect CRLs and unknown critical extensions are refused as unusable. */
    PL_ASSERT_ERR(crl_hex("", crl_ext("0603551d1b", 1, "020101"), &field), PADLOCK_E_CRL_INVALID);
    assert_string_equal(field, "delta CRL");
    PL_ASSERT_ERR(crl_hex("", crl_ext("0603551d1c", 1, "30038401ff"), &field),
                  PADLOCK_E_CRL_INVALID);
    assert_string_equal(field, "indirect CRL");
    PL_ASSERT_ERR(crl_hex("", crl_ext("06032a0304", 1, "0500"), &field), PADLOCK_E_CRL_INVALID);
    assert_string_equal(field, "unknown critical CRL extension");
    /* A DEFAULT FALSE flag encoded as FALSE is not DER. */
    PL_ASSERT_ERR(crl_hex("", crl_ext("0603551d1c", 1, "3003840100"), &field), PADLOCK_E_CRL_PARSE);
    assert_string_equal(field, "issuingDistributionPoint");
    /* An unknown non-critical extension is ignored; duplicates are not. */
    PL_ASSERT_OK(crl_hex("", crl_ext("06032a0304", 0, "0500"), &field));
    PL_ASSERT_ERR(crl_hex("",
                          derhex_cat(crl_ext("06032a0304", 0, "0500"),
                                     crl_ext("06032a0304", 0, "0500"), NULL),
                          &field),
                  PADLOCK_E_CRL_PARSE);
    assert_string_equal(field, "duplicate extension");
    /* Entry extensions: a reason code, and an unknown critical one. */
    char *reason = derhex_tlv(
        "30", derhex_tlv("30", derhex_cat("0603551d15", derhex_tlv("04", "0a0101"), NULL)));
    char *with_reason =
        derhex_tlv("30", derhex_cat("02020100", derhex_tlv("17", date), reason, NULL));
    PL_ASSERT_OK(crl_hex(derhex_tlv("30", with_reason), "", &field));
    char *crit = derhex_tlv("30", crl_ext("06032a0304", 1, "0500"));
    char *with_crit = derhex_tlv("30", derhex_cat("02020100", derhex_tlv("17", date), crit, NULL));
    PL_ASSERT_ERR(crl_hex(derhex_tlv("30", with_crit), "", &field), PADLOCK_E_CRL_INVALID);
    assert_string_equal(field, "unknown critical CRL entry extension");
}

/* ---- Credentials ----------------------------------------------------------------------------- */

static void test_credentials(void **state) {
    (void)state;
    pl_x509_credential cred;
    pl_errinfo err;
    pl_errinfo_init(&err);
    char chain[4096];
    assert_int_equal(pl_test_sh("cat %s %s >%s/fullchain.pem", pl_test_corpus_path("leaf.pem"),
                                pl_test_corpus_path("inter.pem"), pl_test_tmpdir()),
                     0);
    snprintf(chain, sizeof(chain), "%s/fullchain.pem", pl_test_tmpdir());
    PL_ASSERT_OK(pl_x509_credential_load(&cred, chain, pl_test_corpus_path("k_ee.key"), &err));
    assert_int_equal(cred.num_certs, 2);
    assert_int_equal(cred.leaf.key.type, PL_KEY_EC_P256);
    pl_x509_peer peer;
    PL_ASSERT_OK(pl_x509_peer_parse("api.example.com", &peer));
    assert_true(pl_x509_credential_covers(&cred, &peer));
    PL_ASSERT_OK(pl_x509_peer_parse("other.example.com", &peer));
    assert_false(pl_x509_credential_covers(&cred, &peer));
    pl_x509_credential_cleanup(&cred);
    /* RSA and Ed25519 leaves with their keys. */
    PL_ASSERT_OK(pl_x509_credential_load(&cred, pl_test_corpus_path("leaf_rsa.pem"),
                                         pl_test_corpus_path("k_rsa_ee.key"), &err));
    pl_x509_credential_cleanup(&cred);
    PL_ASSERT_OK(pl_x509_credential_load(&cred, pl_test_corpus_path("leaf_ed.pem"),
                                         pl_test_corpus_path("k_ed_ee.key"), &err));
    pl_x509_credential_cleanup(&cred);
    /* The intermediate's key is not the leaf's. */
    PL_ASSERT_ERR(pl_x509_credential_load(&cred, chain, pl_test_corpus_path("k_inter.key"), &err),
                  PADLOCK_E_KEY_MISMATCH);
    assert_non_null(strstr(pl_errinfo_message(&err),
                           "k_inter.key does not belong to certificate \"CN=api.example.com\""));
    assert_int_equal(cred.num_certs, 0);
    assert_null(cred.key);
    pl_errinfo_cleanup(&err);
    PL_ASSERT_ERR(pl_x509_credential_load(&cred, chain, pl_test_corpus_path("k_rsa_ee.key"), &err),
                  PADLOCK_E_KEY_MISMATCH);
    pl_errinfo_cleanup(&err);
    /* A certificate where the key should be; a key where the chain should be. */
    PL_ASSERT_ERR(pl_x509_credential_load(&cred, chain, pl_test_corpus_path("leaf.pem"), &err),
                  PADLOCK_E_KEY_UNSUPPORTED);
    pl_errinfo_cleanup(&err);
    PL_ASSERT_ERR(pl_x509_credential_load(&cred, pl_test_corpus_path("k_ee.key"),
                                          pl_test_corpus_path("k_ee.key"), &err),
                  PADLOCK_E_PEM);
    assert_non_null(strstr(pl_errinfo_message(&err), "no PEM certificate found"));
    pl_errinfo_cleanup(&err);
    PL_ASSERT_ERR(pl_x509_credential_load(&cred, chain, pl_test_corpus_path("absent.key"), &err),
                  PADLOCK_E_FILE);
    pl_errinfo_cleanup(&err);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_alternative_after_failed_candidate, teardown),
        cmocka_unit_test_teardown(test_loops_end, teardown),
        cmocka_unit_test_teardown(test_chain_limits, teardown),
        cmocka_unit_test_teardown(test_signature_cache_and_tamper, teardown),
        cmocka_unit_test_teardown(test_validity_boundaries, teardown),
        cmocka_unit_test_teardown(test_returned_path_and_identity, teardown),
        cmocka_unit_test_teardown(test_store, teardown),
        cmocka_unit_test_teardown(test_crl_parse, teardown),
        cmocka_unit_test_teardown(test_crl_rules, teardown),
        cmocka_unit_test_teardown(test_credentials, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
