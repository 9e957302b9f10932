/* PKCS #10 requests: padlock's requests for every key type read back with every field and
 * pass `openssl req -verify` and `certtool --crq-info`; openssl's requests (extra extensions,
 * challengePassword, the legacy PEM label) read correctly; the parser is strict (every
 * truncation, trailing data, each broken RFC 2986 rule named by its field) and the
 * self-signature is checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padlock/x509.h"
#include "testlib.h"
#include "util/mem.h"
#include "x509/api.h"
#include "x509/name.h"
#include "x509/oid.h"
#include "x509/write.h"

enum { KEY_P256, KEY_RSA, KEY_ED25519, NUM_KEY_TYPES };
static padlock_key *g_keys[NUM_KEY_TYPES];

static int setup_keys(void **state) {
    (void)state;
    static const padlock_key_type types[] = {PADLOCK_KEY_EC_P256, PADLOCK_KEY_RSA,
                                             PADLOCK_KEY_ED25519};
    for (int i = 0; i < NUM_KEY_TYPES; i++) {
        PL_ASSERT_OK(padlock_key_generate(types[i], i == KEY_RSA ? 2048 : 0, &g_keys[i]));
    }
    return 0;
}

static int free_keys(void **state) {
    (void)state;
    for (int i = 0; i < NUM_KEY_TYPES; i++) {
        padlock_key_free(g_keys[i]);
    }
    return 0;
}

static char g_path[4200];

/* A path in the test's scratch directory. */
static const char *tmp(const char *name) {
    snprintf(g_path, sizeof(g_path), "%s/%s", pl_test_tmpdir(), name);
    return g_path;
}

static const char *const g_dns[] = {"www.example.test", "*.example.test"};
static const char *const g_ips[] = {"192.0.2.1"};

static void test_create_every_key_type(void **state) {
    (void)state;
    static const char *sigalgs[] = {"ecdsa-with-SHA256", "sha256WithRSAEncryption", "Ed25519"};
    static const padlock_key_type types[] = {PADLOCK_KEY_EC_P256, PADLOCK_KEY_RSA,
                                             PADLOCK_KEY_ED25519};
    static const unsigned bits[] = {256, 2048, 256};
    for (int k = 0; k < NUM_KEY_TYPES; k++) {
        padlock_cert_names n = {"www.example.test", NULL, g_dns, 2, g_ips, 1};
        padlock_csr *csr;
        PL_ASSERT_OK(padlock_csr_create(&n, g_keys[k], &csr));
        assert_string_equal(padlock_csr_subject(csr), "CN=www.example.test");
        assert_int_equal(padlock_csr_num_sans(csr), 3);
        const char *v;
        assert_int_equal(padlock_csr_san(csr, 0, &v), PADLOCK_SAN_DNS);
        assert_string_equal(v, "www.example.test");
        assert_int_equal(padlock_csr_san(csr, 1, &v), PADLOCK_SAN_DNS);
        assert_string_equal(v, "*.example.test");
        assert_int_equal(padlock_csr_san(csr, 2, &v), PADLOCK_SAN_IP);
        assert_string_equal(v, "192.0.2.1");
        assert_int_equal(padlock_csr_san(csr, 3, &v), PADLOCK_SAN_OTHER);
        assert_string_equal(v, "");
        assert_false(padlock_csr_requests_extensions(csr));
        assert_int_equal(padlock_csr_key_type(csr), types[k]);
        assert_int_equal(padlock_csr_key_bits(csr), bits[k]);
        assert_string_equal(padlock_csr_signature_algorithm(csr), sigalgs[k]);
        size_t a_len, b_len;
        const uint8_t *a = padlock_csr_public_der(csr, &a_len);
        const uint8_t *b = padlock_key_public_der(g_keys[k], &b_len);
        assert_int_equal(a_len, b_len);
        assert_memory_equal(a, b, a_len);
        /* The SAN is not critical: the subject is not empty. */
        assert_false(csr->parsed.requested.san_critical);
        /* Other tools read it and check its signature. */
        PL_ASSERT_OK(padlock_csr_write_file(csr, tmp("req.pem"), PADLOCK_WRITE_REPLACE));
        assert_int_equal(pl_test_sh("openssl req -verify -noout -in %s 2>/dev/null", g_path), 0);
        char *text;
        assert_int_equal(pl_test_sh_capture(&text, "openssl req -noout -text -in %s", g_path), 0);
        assert_non_null(strstr(text, "DNS:www.example.test, DNS:*.example.test, IP "
                                     "Address:192.0.2.1"));
        free(text);
        assert_int_equal(pl_test_sh("certtool --crq-info --infile %s >/dev/null 2>&1", g_path), 0);
        /* And padlock reads its own file back to the same DER. */
        padlock_csr *again;
        PL_ASSERT_OK(padlock_csr_from_file(g_path, &again, NULL));
        size_t len1, len2;
        const uint8_t *d1 = padlock_csr_der(csr, &len1);
        const uint8_t *d2 = padlock_csr_der(again, &len2);
        assert_int_equal(len1, len2);
        assert_memory_equal(d1, d2, len1);
        padlock_csr_free(again);
        padlock_csr_free(csr);
    }
    /* Without a subject the requested subjectAltName is critical, as the certificate's will
     * be (RFC 5280 §4.1.2.6); without names there is no extensionRequest at all. */
    padlock_cert_names n = {NULL, NULL, g_dns, 1, NULL, 0};
    padlock_csr *csr;
    PL_ASSERT_OK(padlock_csr_create(&n, g_keys[KEY_P256], &csr));
    assert_string_equal(padlock_csr_subject(csr), "");
    assert_true(csr->parsed.requested.san_critical);
    padlock_csr_free(csr);
    padlock_cert_names only_cn = {"just a name", NULL, NULL, 0, NULL, 0};
    PL_ASSERT_OK(padlock_csr_create(&only_cn, g_keys[KEY_P256], &csr));
    assert_false(csr->parsed.has_extension_request);
    assert_int_equal(padlock_csr_num_sans(csr), 0);
    padlock_csr_free(csr);
    padlock_cert_names bad = {NULL, NULL, (const char *const[]){"bad name"}, 1, NULL, 0};
    csr = NULL;
    PL_ASSERT_ERR(padlock_csr_create(&bad, g_keys[KEY_P256], &csr), PADLOCK_E_INVALID_ARGUMENT);
    assert_null(csr);
}

/* Loads path, expecting code and (when field is not NULL) that field. */
static void expect_load(const char *path, padlock_err code, const char *field) {
    padlock_csr *csr = NULL;
    const char *got = "untouched";
    padlock_err rc = padlock_csr_from_file(path, &csr, &got);
    if (rc != code || (field != NULL && (got == NULL || strcmp(got, field) != 0))) {
        fail_msg("%s: %s (%s), expected %s (%s)", path, padlock_strerror(rc),
                 got ? got : "no field", padlock_strerror(code), field ? field : "-");
    }
    padlock_csr_free(csr);
}

static void test_openssl_requests(void **state) {
    (void)state;
    const char *dir = pl_test_tmpdir();
    /* Extensions a signer must not grant, next to the names it copies. */
    assert_int_equal(pl_test_sh("cd %s && openssl req -new -newkey ec -pkeyopt "
                                "ec_paramgen_curve:P-256 -nodes -keyout o.key -subj /CN=x "
                                "-addext subjectAltName=DNS:x.example,IP:192.0.2.9 "
                                "-addext basicConstraints=critical,CA:TRUE "
                                "-addext extendedKeyUsage=codeSigning -out o.csr 2>/dev/null",
                                dir),
                     0);
    padlock_csr *csr;
    PL_ASSERT_OK(padlock_csr_from_file(tmp("o.csr"), &csr, NULL));
    assert_string_equal(padlock_csr_subject(csr), "CN=x");
    assert_int_equal(padlock_csr_num_sans(csr), 2);
    const char *v;
    assert_int_equal(padlock_csr_san(csr, 1, &v), PADLOCK_SAN_IP);
    assert_string_equal(v, "192.0.2.9");
    assert_true(padlock_csr_requests_extensions(csr));
    assert_true(csr->parsed.requested.is_ca);
    padlock_csr_free(csr);
    /* The legacy label of Netscape-era tools. */
    assert_int_equal(pl_test_sh("cd %s && sed 's/CERTIFICATE REQUEST/NEW CERTIFICATE REQUEST/' "
                                "o.csr >o-new.csr",
                                dir),
                     0);
    expect_load(tmp("o-new.csr"), PADLOCK_OK, NULL);
    /* DER. */
    assert_int_equal(
        pl_test_sh("cd %s && openssl req -in o.csr -outform DER -out o.der 2>/dev/null", dir), 0);
    expect_load(tmp("o.der"), PADLOCK_OK, NULL);
    /* A challengePassword attribute is skipped; no names. */
    assert_int_equal(pl_test_sh("cd %s && printf '[req]\\nprompt=no\\ndistinguished_name=dn\\n"
                                "attributes=attrs\\n[dn]\\nCN=y\\n[attrs]\\n"
                                "challengePassword=secret123\\n' >c.cnf && openssl req -new "
                                "-config c.cnf -key o.key -out c.csr 2>/dev/null",
                                dir),
                     0);
    PL_ASSERT_OK(padlock_csr_from_file(tmp("c.csr"), &csr, NULL));
    assert_int_equal(padlock_csr_num_sans(csr), 0);
    assert_false(csr->parsed.has_extension_request);
    assert_false(padlock_csr_requests_extensions(csr));
    padlock_csr_free(csr);
    /* SHA-1 signatures are refused by name, as in certificates. */
    assert_int_equal(pl_test_sh("cd %s && openssl req -new -sha1 -key o.key -subj /CN=z "
                                "-out sha1.csr 2>/dev/null",
                                dir),
                     0);
    expect_load(tmp("sha1.csr"), PADLOCK_E_CERT_WEAK_ALGORITHM, "signature");
    /* Not a request at all, bad PEM, no file. */
    expect_load(tmp("o.key"), PADLOCK_E_PEM, "PEM: no CERTIFICATE REQUEST block");
    assert_int_equal(pl_test_sh("cd %s && printf -- '-----BEGIN CERTIFICATE REQUEST-----\\n"
                                "A*A=\\n-----END CERTIFICATE REQUEST-----\\n' >bad.csr",
                                dir),
                     0);
    expect_load(tmp("bad.csr"), PADLOCK_E_PEM, "PEM");
    expect_load(tmp("absent.csr"), PADLOCK_E_FILE, NULL);
}

static padlock_err load_der(const uint8_t *der, size_t len, const char **field) {
    padlock_csr *csr = NULL;
    padlock_err rc = padlock_csr_from_mem(der, len, &csr, field);
    padlock_csr_free(csr);
    return rc;
}

static void test_truncated_and_tampered(void **state) {
    (void)state;
    padlock_cert_names n = {"t.example", NULL, g_dns, 2, NULL, 0};
    padlock_csr *csr;
    PL_ASSERT_OK(padlock_csr_create(&n, g_keys[KEY_P256], &csr));
    size_t len;
    const uint8_t *orig = padlock_csr_der(csr, &len);
    uint8_t *der = malloc(len + 1);
    memcpy(der, orig, len);
    const char *field;
    for (size_t cut = 0; cut < len; cut++) {
        padlock_err rc = load_der(der, cut, &field);
        if (rc != PADLOCK_E_CSR_PARSE || field == NULL) {
            fail_msg("request cut to %zu of %zu octets: %s", cut, len, padlock_strerror(rc));
        }
    }
    der[len] = 0;
    PL_ASSERT_ERR(load_der(der, len + 1, &field), PADLOCK_E_CSR_PARSE);
    assert_string_equal(field, "trailing data after the request");
    /* The last octet is in the signature; the subject's "t.example" is in the signed part. */
    der[len - 1] ^= 1;
    PL_ASSERT_ERR(load_der(der, len, &field), PADLOCK_E_CSR_SIGNATURE);
    assert_string_equal(field, "signature");
    der[len - 1] ^= 1;
    uint8_t *at = NULL;
    for (size_t i = 0; i + 9 <= len; i++) {
        if (memcmp(der + i, "t.example", 9) == 0) {
            at = der + i;
            break;
        }
    }
    assert_non_null(at);
    at[0] = 'u';
    PL_ASSERT_ERR(load_der(der, len, &field), PADLOCK_E_CSR_SIGNATURE);
    at[0] = 't';
    PL_ASSERT_OK(load_der(der, len, &field));
    assert_null(field);
    free(der);
    padlock_csr_free(csr);
}

/* Ways to break a CertificationRequestInfo, each a rule of RFC 2986 §4.1 or of the
 * extensions inside (RFC 5280 §4.2). */
enum {
    BREAK_NONE,
    BREAK_VERSION,      /* version 1 */
    BREAK_NO_ATTRS,     /* attributes left out */
    BREAK_TWO_REQUESTS, /* extensionRequest twice */
    BREAK_TWO_VALUES,   /* extensionRequest with two values */
    BREAK_EMPTY_VALUES, /* an attribute with no value */
    BREAK_BAD_SAN,      /* an iPAddress of five octets */
    BREAK_TRAILING,     /* an element after the attributes */
};

static padlock_err write_extensions(pl_buf *b, int brk) {
    const uint8_t five[] = {1, 2, 3, 4, 5};
    const uint8_t four[] = {1, 2, 3, 4};
    pl_x509_gn gn = {PL_GN_IP, {four, sizeof(four)}};
    pl_der_nest exts;
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &exts));
    if (brk == BREAK_BAD_SAN) {
        /* Written by hand: the GeneralName writer refuses five-octet addresses. */
        pl_der_nest ext, value, names;
        PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &ext));
        PL_TRY(pl_der_put_oid(b, pl_oid_bytes(PL_OID_EXT_SAN)));
        PL_TRY(pl_der_open(b, PL_DER_OCTET_STRING, &value));
        PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &names));
        PL_TRY(pl_der_put(b, PL_DER_CTX(7), five, 5));
        PL_TRY(pl_der_close(b, &names));
        PL_TRY(pl_der_close(b, &value));
        PL_TRY(pl_der_close(b, &ext));
    } else {
        PL_TRY(pl_x509_ext_san_write(b, &gn, 1, 0));
    }
    return pl_der_close(b, &exts);
}

static padlock_err write_request_attr(pl_buf *b, int brk) {
    pl_der_nest attr, values;
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &attr));
    PL_TRY(pl_der_put_oid(b, pl_oid_bytes(PL_OID_PKCS9_EXTENSION_REQUEST)));
    PL_TRY(pl_der_open(b, PL_DER_SET, &values));
    if (brk != BREAK_EMPTY_VALUES) {
        PL_TRY(write_extensions(b, brk));
    }
    if (brk == BREAK_TWO_VALUES) {
        PL_TRY(write_extensions(b, brk));
    }
    PL_TRY(pl_der_close(b, &values));
    return pl_der_close(b, &attr);
}

static padlock_err write_info(pl_buf *b, const void *ctx) {
    int brk = *(const int *)ctx;
    size_t spki_len;
    const uint8_t *spki = padlock_key_public_der(g_keys[KEY_ED25519], &spki_len);
    pl_der_nest info, attrs;
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &info));
    PL_TRY(pl_der_put_small_uint(b, PL_DER_INTEGER, brk == BREAK_VERSION ? 1 : 0));
    PL_TRY(pl_x509_name_write(b, NULL, "broken"));
    PL_TRY(pl_buf_bytes(b, spki, spki_len));
    if (brk != BREAK_NO_ATTRS) {
        PL_TRY(pl_der_open(b, PL_DER_CTX_CONS(0), &attrs));
        PL_TRY(write_request_attr(b, brk));
        if (brk == BREAK_TWO_REQUESTS) {
            PL_TRY(write_request_attr(b, brk));
        }
        PL_TRY(pl_der_close(b, &attrs));
    }
    if (brk == BREAK_TRAILING) {
        PL_TRY(pl_der_put_null(b));
    }
    return pl_der_close(b, &info);
}

/* A request broken as brk says, correctly signed so that only the parser can object. */
static padlock_err load_broken(int brk, const char **field) {
    uint8_t *info, *der;
    size_t info_len, der_len;
    PL_ASSERT_OK(pl_der_build(write_info, &brk, &info, &info_len));
    pl_span tbs = {info, info_len};
    PL_ASSERT_OK(pl_x509_signed_write(tbs, g_keys[KEY_ED25519]->key, &der, &der_len));
    padlock_err rc = load_der(der, der_len, field);
    pl_free(info);
    pl_free(der);
    return rc;
}

static void test_rfc2986_rules(void **state) {
    (void)state;
    const char *field;
    PL_ASSERT_OK(load_broken(BREAK_NONE, &field));
    static const struct {
        int brk;
        const char *field;
    } t[] = {
        {BREAK_VERSION, "version"},
        {BREAK_NO_ATTRS, "attributes"},
        {BREAK_TWO_REQUESTS, "duplicate extensionRequest attribute"},
        {BREAK_TWO_VALUES, "extensionRequest attribute"},
        {BREAK_EMPTY_VALUES, "attributes"},
        {BREAK_BAD_SAN, "subjectAltName"},
        {BREAK_TRAILING, "trailing data in CertificationRequestInfo"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        padlock_err rc = load_broken(t[i].brk, &field);
        if (rc != PADLOCK_E_CSR_PARSE || field == NULL || strcmp(field, t[i].field) != 0) {
            fail_msg("break %d: %s (%s), expected field %s", t[i].brk, padlock_strerror(rc),
                     field ? field : "none", t[i].field);
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_every_key_type),
        cmocka_unit_test(test_openssl_requests),
        cmocka_unit_test(test_truncated_and_tampered),
        cmocka_unit_test(test_rfc2986_rules),
    };
    return cmocka_run_group_tests(tests, setup_keys, free_keys);
}
