/* Names in X.509: the RFC 4514 printable form (escaping, string types, multi-valued RDNs,
 * unknown attributes, terminal-unsafe characters), Name validation, host name and IP reference
 * identities with RFC 6125 matching, and name-constraint subtree matching. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "x509/hostname.h"
#include "x509/name.h"
#include "x509/name_constraints.h"

static pl_span span_of(const char *s) {
    pl_span v = {(const uint8_t *)s, strlen(s)};
    return v;
}

/* Validates and formats the Name given in hex. */
static void expect_name(const char *hex, const char *want) {
    size_t len;
    uint8_t *der = pl_test_unhex(hex, &len);
    assert_non_null(der);
    pl_span name = {der, len};
    PL_ASSERT_OK(pl_x509_name_validate(name));
    char out[PL_X509_NAME_BUF];
    size_t n = pl_x509_name_format(name, out, sizeof(out));
    assert_int_equal(n, strlen(out));
    if (strcmp(out, want) != 0) {
        fail_msg("name %s formatted as \"%s\", expected \"%s\"", hex, out, want);
    }
    free(der);
}

static void test_name_format(void **state) {
    (void)state;
    expect_name("3039310b30090603550406130255533110300e060355040a0c074578616d706c653118301606"
                "035504030c0f6170692e6578616d706c652e636f6d",
                "CN=api.example.com,O=Example,C=US");
    /* RFC 4514 §2.4: ',' '+' '"' '\' '<' '>' ';', a leading '#' or space, a trailing space. */
    expect_name("300e310c300a06035504030c03612c62", "CN=a\\,b");
    expect_name("300e310c300a06035504030c0323612b", "CN=\\#a\\+");
    expect_name("300e310c300a06035504030c03206120", "CN=\\ a\\ ");
    expect_name("3011310f300d06035504030c06223c3e3b5c7a", "CN=\\\"\\<\\>\\;\\\\z");
    /* Control characters and bidirectional overrides never reach a terminal raw. */
    expect_name("30123110300e06035504030c07611b5b33316d62", "CN=a\\1B[31mb");
    expect_name("3010310e300c06035504030c0561e280ae62", "CN=a\\E2\\80\\AEb");
    /* BMP, Universal and Teletex (Latin-1) strings come out as UTF-8. */
    expect_name("30193117301506035504031e0e005a00fc007200690063006820ac",
                "CN=Z\xc3\xbcrich\xe2\x82\xac");
    expect_name("30133111300f06035504031c08000000610001f600", "CN=a\xf0\x9f\x98\x80");
    expect_name("3011310f300d060355040314065afc72696368", "CN=Z\xc3\xbcrich");
    /* A multi-valued RDN; DC and emailAddress names; an unknown attribute in hex. */
    expect_name("30163114300806035504030c01783008060355040a0c0179", "CN=x+O=y");
    expect_name("302e31133011060a0992268993f22c6401191603636f6d31173015060a0992268993f22c6401"
                "1916076578616d706c65",
                "DC=example,DC=com");
    expect_name("30163114301206092a864886f70d01090116056140622e63", "emailAddress=a@b.c");
    expect_name("300c310a300806032a03040c0176", "1.2.3.4=#0C0176");
    /* An attribute whose OID padlock knows as something else (here subjectAltName) is an
     * unknown attribute: any value, printed by dotted OID. (Regression: it was refused unless
     * its value was a string, and printed under the extension's name.) */
    expect_name("300c310a30080603551d11040100", "2.5.29.17=#040100");
    expect_name("300c310a30080603551d110c0161", "2.5.29.17=#0C0161");
    expect_name("3000", "");
}

static void test_name_truncation(void **state) {
    (void)state;
    size_t len;
    uint8_t *der = pl_test_unhex("3039310b30090603550406130255533110300e060355040a0c074578616d"
                                 "706c653118301606035504030c0f6170692e6578616d706c652e636f6d",
                                 &len);
    pl_span name = {der, len};
    char out[16];
    size_t n = pl_x509_name_format(name, out, sizeof(out));
    assert_int_equal(n, strlen(out));
    assert_true(n < sizeof(out));
    assert_string_equal(out, "CN=api.examp...");
    free(der);
}

static void test_name_invalid(void **state) {
    (void)state;
    const char *bad[] = {
        "300e310c300a06035504031303614062",   /* '@' in a PrintableString */
        "30023100",                           /* an empty RDN */
        "300d310b300906035504030c02c080",     /* overlong UTF-8 */
        "300c310a300806035504030c017800",     /* trailing byte */
        "300f310d300b06035504030c01780c0179", /* two values in one attribute */
        "300a300806035504030c0178",           /* an attribute outside a SET */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t len;
        uint8_t *der = pl_test_unhex(bad[i], &len);
        pl_span name = {der, len};
        if (pl_x509_name_validate(name) != PADLOCK_E_DER) {
            fail_msg("invalid Name %s accepted", bad[i]);
        }
        free(der);
    }
}

static void test_peer_parse(void **state) {
    (void)state;
    pl_x509_peer p;
    PL_ASSERT_OK(pl_x509_peer_parse("api.example.com.", &p));
    assert_int_equal(p.type, PL_X509_PEER_DNS);
    assert_string_equal(p.dns, "api.example.com");
    PL_ASSERT_OK(pl_x509_peer_parse("my_host.example.com", &p));
    PL_ASSERT_OK(pl_x509_peer_parse("192.0.2.1", &p));
    assert_int_equal(p.type, PL_X509_PEER_IP);
    assert_int_equal(p.ip_len, 4);
    assert_memory_equal(p.ip, "\xc0\x00\x02\x01", 4);
    PL_ASSERT_OK(pl_x509_peer_parse("[2001:db8::1]", &p));
    assert_int_equal(p.ip_len, 16);
    PL_ASSERT_OK(pl_x509_peer_parse("::ffff:192.0.2.1", &p));
    assert_int_equal(p.ip_len, 16);
    const char *bad[] = {"",
                         ".",
                         "a..b",
                         "-a.example.com",
                         "a-.example.com",
                         "*.example.com",
                         "a b.example.com",
                         "192.0.2",
                         "010.0.2.1",
                         "1.2.3.4.5",
                         "[192.0.2.1]",
                         "example.123",
                         "x.example.com..",
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (pl_x509_peer_parse(bad[i], &p) != PADLOCK_E_INVALID_ARGUMENT) {
            fail_msg("reference identity \"%s\" accepted", bad[i]);
        }
    }
}

static void test_dns_matching(void **state) {
    (void)state;
    static const struct {
        const char *pattern;
        const char *ref;
        int match;
    } t[] = {
        {"api.example.com", "api.example.com", 1},
        {"API.Example.COM", "api.example.com", 1},
        {"api.example.com", "api.example.co", 0},
        {"api.example.com", "xapi.example.com", 0},
        {"*.example.com", "www.example.com", 1},
        {"*.example.com", "WWW.EXAMPLE.COM", 1},
        {"*.example.com", "example.com", 0},     /* the wildcard needs a label */
        {"*.example.com", "a.b.example.com", 0}, /* and matches exactly one */
        {"*.example.com", ".example.com", 0},
        {"*.com", "example.com", 0},              /* two labels after the wildcard */
        {"f*.example.com", "foo.example.com", 0}, /* partial-label wildcards never match */
        {"*oo.example.com", "foo.example.com", 0},
        {"foo.*.example.com", "foo.bar.example.com", 0},
        {"*.*.example.com", "a.b.example.com", 0},
        {"*", "localhost", 0},
        {"*.", "a.", 0},
        {"api.example.com.", "api.example.com", 0},
        {"", "api.example.com", 0},
        {"*.xn--bcher-kva.example", "www.xn--bcher-kva.example", 1},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        if (pl_x509_dns_matches(span_of(t[i].pattern), span_of(t[i].ref)) != t[i].match) {
            fail_msg("pattern \"%s\" vs \"%s\": expected %s", t[i].pattern, t[i].ref,
                     t[i].match ? "match" : "no match");
        }
    }
}

static void test_nc_dns_within(void **state) {
    (void)state;
    static const struct {
        const char *name;
        const char *base;
        int within;
    } t[] = {
        {"example.com", "example.com", 1},      {"api.example.com", "example.com", 1},
        {"API.EXAMPLE.COM", "example.com", 1},  {"a.b.example.com", "example.com", 1},
        {"badexample.com", "example.com", 0}, /* a label boundary is required */
        {"example.com", ".example.com", 0},   /* a leading dot: subdomains only */
        {"api.example.com", ".example.com", 1}, {"anything.org", "", 1},
        {"example.com", "api.example.com", 0},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        if (pl_x509_nc_dns_within(span_of(t[i].name), span_of(t[i].base)) != t[i].within) {
            fail_msg("\"%s\" within \"%s\": expected %d", t[i].name, t[i].base, t[i].within);
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_format),  cmocka_unit_test(test_name_truncation),
        cmocka_unit_test(test_name_invalid), cmocka_unit_test(test_peer_parse),
        cmocka_unit_test(test_dns_matching), cmocka_unit_test(test_nc_dns_within),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
