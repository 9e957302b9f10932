/* Certificate parsing: every field of an openssl-generated certificate carrying all the
 * extensions padlock reads (through the internal struct and the public accessors), then
 * hand-built certificates that break one RFC 5280 rule each, and the real system bundle. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "derhex.h"
#include "padlock/x509.h"
#include "testlib.h"
#include "util/mem.h"
#include "wire/pem.h"
#include "x509/cert.h"
#include "x509/general_name.h"
#include "x509/name.h"
#include "x509/store.h"

/* Shorthands for the hex DER builder (tests/support/derhex.h). */
#define cat derhex_cat
#define tlv derhex_tlv

static char *keep(char *s) {
    return derhex_keep(s);
}

static int free_strings(void **state) {
    (void)state;
    derhex_free_all();
    return 0;
}

/* One Extension. */
static char *ext(const char *oid_tlv, int critical, const char *value) {
    return tlv("30", cat(oid_tlv, critical ? "0101ff" : "", tlv("04", value), NULL));
}

#define OID_SAN "0603551d11"
#define OID_BC "0603551d13"
#define OID_KU "0603551d0f"
#define OID_EKU "0603551d25"
#define OID_NC "0603551d1e"
#define OID_UNKNOWN "06032a0304"
#define ECDSA_SHA256 "300a06082a8648ce3d040302"
#define ECDSA_SHA384 "300a06082a8648ce3d040303"
#define NAME_ISSUER "3011310f300d06035504030c06497373756572"
#define NAME_SUBJECT "301a3118301606035504030c0f6170692e6578616d706c652e636f6d"
#define VALIDITY "301e170d3230303130313030303030305a170d3430303130313030303030305a"

/* An EC P-256 key: a point of the right length (parsing does not check it is on the curve). */
static const char *ec_spki(void) {
    char point[2 * 65 + 1];
    strcpy(point, "04");
    for (int i = 0; i < 64; i++) {
        strcat(point, "11");
    }
    return tlv("30", cat("301306072a8648ce3d020106082a8648ce3d030107",
                         tlv("03", cat("00", point, NULL)), NULL));
}

/* A certificate from parts; NULL parts take the defaults (v3, serial 1, ECDSA-SHA256, the
 * names above, 2020-2040, the EC key, no extensions field). The signature is a placeholder:
 * parsing does not check it. */
typedef struct parts {
    const char *version; /* the whole [0] element, "" for none */
    const char *serial;
    const char *sigalg;
    const char *issuer;
    const char *validity;
    const char *subject;
    const char *spki;
    const char *exts; /* Extension elements concatenated; "EMPTY" for an empty list */
    const char *outer_sigalg;
    const char *trailer; /* appended after the Certificate */
} parts;

static char *build(parts p) {
    const char *version = p.version != NULL ? p.version : "a003020102";
    const char *sigalg = p.sigalg != NULL ? p.sigalg : ECDSA_SHA256;
    const char *exts = "";
    if (p.exts != NULL && strcmp(p.exts, "EMPTY") == 0) {
        exts = "a3023000";
    } else if (p.exts != NULL) {
        exts = tlv("a3", tlv("30", p.exts));
    }
    char *tbs = tlv("30", cat(version, p.serial != NULL ? p.serial : "020101", sigalg,
                              p.issuer != NULL ? p.issuer : NAME_ISSUER,
                              p.validity != NULL ? p.validity : VALIDITY,
                              p.subject != NULL ? p.subject : NAME_SUBJECT,
                              p.spki != NULL ? p.spki : ec_spki(), exts, NULL));
    return cat(tlv("30", cat(tbs, p.outer_sigalg != NULL ? p.outer_sigalg : sigalg,
                             "0309003006020101020101", NULL)),
               p.trailer != NULL ? p.trailer : "", NULL);
}

/* Parses hex; returns the code and sets *field. */
static padlock_err parse_hex(const char *hex, pl_x509_cert *out, const char **field) {
    size_t len;
    uint8_t *der = derhex_bytes(hex, &len);
    return pl_x509_cert_parse(out, der, len, field);
}

static void expect_ok(parts p, pl_x509_cert *out) {
    const char *field = NULL;
    padlock_err rc = parse_hex(build(p), out, &field);
    if (rc != PADLOCK_OK) {
        fail_msg("expected a valid certificate, got %d (%s)", (int)rc, field ? field : "-");
    }
}

static void expect_bad(parts p, const char *want_field) {
    pl_x509_cert c;
    const char *field = NULL;
    padlock_err rc = parse_hex(build(p), &c, &field);
    if (rc != PADLOCK_E_CERT_PARSE) {
        fail_msg("expected PADLOCK_E_CERT_PARSE (%s), got %d", want_field, (int)rc);
    }
    assert_non_null(field);
    if (strcmp(field, want_field) != 0) {
        fail_msg("malformed part \"%s\", expected \"%s\"", field, want_field);
    }
}

static void test_builder_baseline(void **state) {
    (void)state;
    pl_x509_cert c;
    expect_ok((parts){0}, &c);
    assert_int_equal(c.version, 3);
    assert_int_equal(c.key.type, PL_KEY_EC_P256);
    assert_int_equal(c.key.bits, 256);
    assert_int_equal(c.not_before, 1577836800);
    assert_int_equal(c.not_after, 2208988800);
    assert_int_equal(c.sig_alg.kind, PL_SIG_KIND_ECDSA);
    assert_int_equal(c.sig_alg.digest, PL_X509_DIGEST_SHA256);
    assert_int_equal(c.exts, 0);
    assert_int_equal(c.serial.len, 1);
    /* The signed bytes are the TBSCertificate element inside the certificate. */
    assert_true(c.tbs.p > c.der.p && c.tbs.p + c.tbs.len < c.der.p + c.der.len);
    /* v1: no version field. */
    expect_ok((parts){.version = ""}, &c);
    assert_int_equal(c.version, 1);
    /* Negative serials are tolerated (RFC 5280 §4.1.2.2 asks users to handle them). */
    expect_ok((parts){.serial = "0201ff"}, &c);
    /* 20 octets, plus a sign octet. */
    expect_ok((parts){.serial = tlv("02", "00ff0102030405060708090a0b0c0d0e0f10111213")}, &c);
}

static void test_structure_rules(void **state) {
    (void)state;
    expect_bad((parts){.version = "a003020100"}, "version"); /* DEFAULT v1 encoded */
    expect_bad((parts){.version = "a003020103"}, "version");
    expect_bad((parts){.serial = "0200"}, "serial number");
    expect_bad((parts){.serial = "02020001"}, "serial number"); /* not minimal */
    expect_bad((parts){.serial = tlv("02", "0102030405060708090a0b0c0d0e0f1011121314ff")},
               "serial number");
    expect_bad((parts){.outer_sigalg = ECDSA_SHA384}, "signature algorithms differ");
    expect_bad((parts){.sigalg = "300c06082a8648ce3d0403020500"}, "signature algorithm");
    expect_bad((parts){.sigalg = "300e06092a864886f70d01010b0101ff"}, "signature algorithm");
    expect_bad((parts){.issuer = "30023100"}, "issuer"); /* an empty RDN */
    expect_bad((parts){.validity = "301e170d3235303233303030303030305a170d3430303130313030303030"
                                   "305a"},
               "validity"); /* Feb 30 */
    /* Trailing data inside Validity (GeneralizedTime notBefore, UTCTime notAfter, a NULL). */
    expect_bad((parts){.validity = "3022180f32303230303130313030303030305a170d34303031303130303030"
                                   "30305a0500"},
               "validity");
    expect_bad((parts){.trailer = "00"}, "trailing data after the certificate");
    expect_bad((parts){.version = "", .exts = ext(OID_BC, 1, "3000")}, "extensions");
    /* Extensions SIZE (1..MAX): an empty list. */
    expect_bad((parts){.exts = "EMPTY"}, "extensions");
}

static void test_empty_subject(void **state) {
    (void)state;
    pl_x509_cert c;
    char *san = tlv("30", "820f6170692e6578616d706c652e636f6d");
    expect_bad((parts){.subject = "3000"}, "empty subject without a critical subjectAltName");
    expect_bad((parts){.subject = "3000", .exts = ext(OID_SAN, 0, san)},
               "empty subject without a critical subjectAltName");
    expect_ok((parts){.subject = "3000", .exts = ext(OID_SAN, 1, san)}, &c);
    char label[128];
    pl_x509_cert_label(&c, label, sizeof(label));
    assert_string_equal(label, "DNS:api.example.com");
}

static void test_extension_rules(void **state) {
    (void)state;
    pl_x509_cert c;
    char *san = tlv("30", "820f6170692e6578616d706c652e636f6d");
    /* RFC 5280 §4.2: duplicates, known or not. */
    expect_bad((parts){.exts = cat(ext(OID_SAN, 0, san), ext(OID_SAN, 0, san), NULL)},
               "duplicate extension");
    expect_bad((parts){.exts = cat(ext(OID_UNKNOWN, 0, "0500"), ext(OID_UNKNOWN, 0, "0500"), NULL)},
               "duplicate extension");
    /* critical FALSE is never encoded in DER. */
    expect_bad((parts){.exts = tlv("30", cat(OID_SAN, "010100", tlv("04", san), NULL))},
               "extensions");
    /* basicConstraints: cA FALSE encoded, pathLen without cA, trailing data. */
    expect_bad((parts){.exts = ext(OID_BC, 1, "3003010100")}, "basicConstraints");
    expect_bad((parts){.exts = ext(OID_BC, 1, "3003020100")}, "basicConstraints");
    expect_bad((parts){.exts = ext(OID_BC, 1, "30030101ff00")}, "basicConstraints");
    expect_ok((parts){.exts = ext(OID_BC, 1, "30060101ff020103")}, &c);
    assert_true(c.is_ca && c.has_path_len && c.path_len == 3);
    expect_ok((parts){.exts = ext(OID_BC, 1, "30080101ff0203010000")}, &c);
    assert_int_equal(c.path_len, 255); /* capped */
    /* keyUsage: at least one bit; at most the nine defined. */
    expect_bad((parts){.exts = ext(OID_KU, 1, "030100")}, "keyUsage");
    expect_bad((parts){.exts = ext(OID_KU, 1, "0304000000ff")}, "keyUsage");
    expect_ok((parts){.exts = ext(OID_KU, 1, "03020106")}, &c); /* keyCertSign, cRLSign */
    assert_int_equal(c.key_usage, PL_X509_KU_KEY_CERT_SIGN | PL_X509_KU_CRL_SIGN);
    expect_ok((parts){.exts = ext(OID_KU, 1, "0303070080")}, &c); /* decipherOnly */
    assert_int_equal(c.key_usage, PL_X509_KU_DECIPHER_ONLY);
    /* extKeyUsage: SIZE (1..MAX). */
    expect_bad((parts){.exts = ext(OID_EKU, 0, "3000")}, "extKeyUsage");
    expect_ok((parts){.exts = ext(OID_EKU, 0,
                                  "301a06082b0601050507030106082b0601050507030306"
                                  "04551d2500")},
              &c);
    assert_int_equal(c.eku, PL_X509_EKU_SERVER_AUTH | PL_X509_EKU_OTHER | PL_X509_EKU_ANY);
    /* subjectAltName: empty, an IP of 5 octets, a non-IA5 dNSName. */
    expect_bad((parts){.exts = ext(OID_SAN, 0, "3000")}, "subjectAltName");
    expect_bad((parts){.exts = ext(OID_SAN, 0, "30078705c000020a00")}, "subjectAltName");
    expect_bad((parts){.exts = ext(OID_SAN, 0, "3003820180")}, "subjectAltName");
    /* nameConstraints: empty; a non-contiguous IP mask; a minimum field. */
    expect_bad((parts){.exts = ext(OID_NC, 1, "3000")}, "nameConstraints");
    expect_bad((parts){.exts = ext(OID_NC, 1, "300ca00a3008870608c0000200ff00ff")},
               "nameConstraints");
    expect_bad((parts){.exts = ext(OID_NC, 1, "3010a00e300c820a6578616d706c652e636f8000")},
               "nameConstraints");
    expect_ok((parts){.exts = ext(OID_NC, 1, "300ea00c300a8708c0000200ffffff00")}, &c);
    assert_true(c.nc_has_permitted && !c.nc_has_excluded);
    /* An unknown critical extension parses; path validation refuses it. */
    expect_ok((parts){.exts = ext(OID_UNKNOWN, 1, "0500")}, &c);
    assert_int_equal(c.unknown_critical.len, 3);
    expect_ok((parts){.exts = ext(OID_UNKNOWN, 0, "0500")}, &c);
    assert_int_equal(c.unknown_critical.len, 0);
    /* Known extensions must consume their whole value. */
    expect_bad((parts){.exts = ext(OID_SAN, 0, cat(san, "00", NULL))}, "subjectAltName");
}

static void test_public_keys(void **state) {
    (void)state;
    pl_x509_cert c;
    /* An EC point of the wrong length; compressed points are accepted. */
    expect_bad((parts){.spki = tlv("30", cat("301306072a8648ce3d020106082a8648ce3d030107",
                                             "030400041122", NULL))},
               "subject public key");
    char comp[2 * 33 + 1] = "02";
    for (int i = 0; i < 32; i++) {
        strcat(comp, "ab");
    }
    expect_ok((parts){.spki = tlv("30", cat("301306072a8648ce3d020106082a8648ce3d030107",
                                            tlv("03", cat("00", comp, NULL)), NULL))},
              &c);
    assert_int_equal(c.key.type, PL_KEY_EC_P256);
    /* An unknown curve parses as an unknown key type. */
    expect_ok(
        (parts){.spki = tlv("30", cat("301006072a8648ce3d020106052b81040021", "03020004", NULL))},
        &c);
    assert_int_equal(c.key.type, PL_KEY_NONE);
    /* RSA: the modulus bit length; an even modulus and exponent 1 are refused. */
    char rsa_n[2 * 257 + 1] = "00c1";
    for (int i = 0; i < 255; i++) {
        strcat(rsa_n, "5b");
    }
    char *key = tlv("30", cat(tlv("02", rsa_n), "0203010001", NULL));
    expect_ok((parts){.spki = tlv("30", cat("300d06092a864886f70d0101010500",
                                            tlv("03", cat("00", key, NULL)), NULL))},
              &c);
    assert_int_equal(c.key.type, PL_KEY_RSA);
    assert_int_equal(c.key.bits, 2048);
    char *even = tlv("30", cat("020200c2", "0203010001", NULL));
    expect_bad((parts){.spki = tlv("30", cat("300d06092a864886f70d0101010500",
                                             tlv("03", cat("00", even, NULL)), NULL))},
               "subject public key");
    char *e1 = tlv("30", cat("020200c1", "020101", NULL));
    expect_bad((parts){.spki = tlv("30", cat("300d06092a864886f70d0101010500",
                                             tlv("03", cat("00", e1, NULL)), NULL))},
               "subject public key");
    /* rsaEncryption parameters must be NULL. */
    expect_bad((parts){.spki = tlv("30", cat("300b06092a864886f70d010101",
                                             tlv("03", cat("00", key, NULL)), NULL))},
               "subject public key");
    /* Ed25519: 32 octets. */
    char ed[2 * 32 + 1] = "";
    for (int i = 0; i < 32; i++) {
        strcat(ed, "07");
    }
    expect_ok(
        (parts){.spki = tlv("30", cat("300506032b6570", tlv("03", cat("00", ed, NULL)), NULL))},
        &c);
    assert_int_equal(c.key.type, PL_KEY_ED25519);
    expect_bad((parts){.spki = tlv("30", cat("300506032b6570", "030400010203", NULL))},
               "subject public key");
}

static void test_signature_algorithms(void **state) {
    (void)state;
    pl_x509_cert c;
    /* RFC 4055 §5: sha256WithRSAEncryption without its NULL parameters is accepted. */
    expect_ok((parts){.sigalg = "300b06092a864886f70d01010b"}, &c);
    assert_int_equal(c.sig_alg.kind, PL_SIG_KIND_RSA_PKCS1);
    /* RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32. */
    const char *pss = "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a"
                      "06092a864886f70d010108300d06096086480165030402010500a203020120";
    expect_ok((parts){.sigalg = pss}, &c);
    assert_int_equal(c.sig_alg.kind, PL_SIG_KIND_RSA_PSS);
    assert_int_equal(c.sig_alg.digest, PL_X509_DIGEST_SHA256);
    assert_int_equal(c.sig_alg.pss_salt_len, 32);
    /* MGF1 over another digest. */
    const char *pss_mix = "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c30"
                          "1a06092a864886f70d010108300d06096086480165030402020500a203020120";
    expect_bad((parts){.sigalg = pss_mix}, "signature algorithm");
    /* Empty PSS parameters mean SHA-1: parsed, and weak. */
    expect_ok((parts){.sigalg = "300d06092a864886f70d01010a3000"}, &c);
    assert_true(pl_x509_sigalg_is_weak(&c.sig_alg));
    /* sha1WithRSAEncryption and md5WithRSAEncryption are recognised as weak. */
    expect_ok((parts){.sigalg = "300d06092a864886f70d0101050500"}, &c);
    assert_int_equal(c.sig_alg.digest, PL_X509_DIGEST_SHA1);
    assert_true(pl_x509_sigalg_is_weak(&c.sig_alg));
    expect_ok((parts){.sigalg = "300d06092a864886f70d0101040500"}, &c);
    assert_int_equal(c.sig_alg.digest, PL_X509_DIGEST_MD5);
    /* Ed25519 takes no parameters; an unknown algorithm parses with kind 0. */
    expect_ok((parts){.sigalg = "300506032b6570"}, &c);
    assert_int_equal(c.sig_alg.kind, PL_SIG_KIND_ED25519);
    expect_bad((parts){.sigalg = "300706032b65700500"}, "signature algorithm");
    expect_ok((parts){.sigalg = "300906072a8648ce380403"}, &c); /* dsa-with-sha1 */
    assert_int_equal(c.sig_alg.kind, 0);
    pl_sig_params params;
    PL_ASSERT_ERR(pl_x509_sigalg_params(&c.sig_alg, &params), PADLOCK_E_CERT_UNSUPPORTED);
}

/* ---- The corpus certificate with every extension ------------------------------------------- */

static char *corpus_path(const char *file) {
    char *p = malloc(4096);
    snprintf(p, 4096, "%s/x509-corpus/%s", pl_test_binary_dir(), file);
    return keep(p);
}

static void test_full_certificate(void **state) {
    (void)state;
    padlock_cert_list *list;
    PL_ASSERT_OK(padlock_cert_list_new(&list));
    PL_ASSERT_OK(padlock_cert_list_add_file(list, corpus_path("leaf_full.pem")));
    assert_null(padlock_cert_list_last_error(list));
    assert_int_equal(padlock_cert_list_count(list), 1);
    const padlock_cert *c = padlock_cert_list_get(list, 0);
    assert_string_equal(padlock_cert_subject(c), "CN=api.example.com,OU=Web,O=Example Org,C=US");
    assert_string_equal(padlock_cert_issuer(c), "CN=Padlock Test Intermediate");
    assert_int_equal(padlock_cert_not_before(c), 1577836800);
    assert_int_equal(padlock_cert_not_after(c), 2208988800);
    assert_int_equal(padlock_cert_key_type(c), PADLOCK_KEY_EC_P256);
    assert_int_equal(padlock_cert_key_bits(c), 256);
    assert_int_equal(padlock_cert_is_ca(c), 0);
    static const struct {
        padlock_san_type type;
        const char *value;
    } want[] = {
        {PADLOCK_SAN_DNS, "api.example.com"},
        {PADLOCK_SAN_DNS, "*.api.example.com"},
        {PADLOCK_SAN_IP, "192.0.2.10"},
        {PADLOCK_SAN_IP, "2001:db8::10"},
        {PADLOCK_SAN_EMAIL, "admin@example.com"},
        {PADLOCK_SAN_URI, "https://api.example.com/path"},
        {PADLOCK_SAN_DIRNAME, "CN=Directory Name,O=Example Org"},
        {PADLOCK_SAN_OTHER, "registeredID"},
        {PADLOCK_SAN_OTHER, "othername"},
    };
    assert_int_equal(padlock_cert_num_sans(c), sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const char *v;
        assert_int_equal(padlock_cert_san(c, i, &v), want[i].type);
        assert_string_equal(v, want[i].value);
    }
    const char *v;
    assert_int_equal(padlock_cert_san(c, 99, &v), PADLOCK_SAN_OTHER);
    assert_string_equal(v, "");

    /* Serial and fingerprint as openssl prints them. */
    char *out = NULL;
    assert_int_equal(pl_test_sh_capture(&out,
                                        "openssl x509 -in %s -noout -serial -fingerprint "
                                        "-sha256",
                                        corpus_path("leaf_full.pem")),
                     0);
    char want_serial[128];
    snprintf(want_serial, sizeof(want_serial), "serial=%s", padlock_cert_serial(c));
    char *colons = want_serial + 7;
    /* openssl -serial prints the value as plain hex without the DER sign octet that
     * padlock_cert_serial keeps (as `openssl x509 -text` does): "00:B7:CB:..." is
     * "serial=B7CB...". Leading zeros are not compared (regression: the corpus's random serial
     * sometimes needs that octet, and the test failed then). */
    char plain[128];
    size_t o = 0;
    for (const char *s = colons; *s != '\0'; s++) {
        if (*s != ':' && (o > 0 || *s != '0')) {
            plain[o++] = *s;
        }
    }
    plain[o] = '\0';
    assert_true(o > 0);
    assert_non_null(strstr(out, plain));
    uint8_t fp[32];
    padlock_cert_fingerprint_sha256(c, fp);
    char fp_text[3 * 32 + 1];
    for (int i = 0; i < 32; i++) {
        snprintf(fp_text + 3 * i, 4, "%02X%s", fp[i], i < 31 ? ":" : "");
    }
    assert_non_null(strstr(out, fp_text));
    free(out);

    /* The internal view of the same certificate. */
    size_t der_len;
    const uint8_t *der = padlock_cert_der(c, &der_len);
    pl_x509_cert p;
    PL_ASSERT_OK(pl_x509_cert_parse(&p, der, der_len, NULL));
    assert_int_equal(p.key_usage, PL_X509_KU_DIGITAL_SIGNATURE | PL_X509_KU_KEY_ENCIPHERMENT);
    assert_int_equal(p.eku, PL_X509_EKU_SERVER_AUTH | PL_X509_EKU_CLIENT_AUTH | PL_X509_EKU_OTHER);
    uint32_t all = PL_X509_EXT_BASIC_CONSTRAINTS | PL_X509_EXT_KEY_USAGE | PL_X509_EXT_EKU |
                   PL_X509_EXT_SAN | PL_X509_EXT_SKI | PL_X509_EXT_AKI | PL_X509_EXT_POLICIES |
                   PL_X509_EXT_CRL_DP | PL_X509_EXT_AIA;
    assert_int_equal(p.exts, all);
    assert_int_equal(p.ski.len, 20);
    assert_int_equal(p.aki_key_id.len, 20);
    assert_true(p.policies.len > 0 && p.crl_dp.len > 0 && p.aia.len > 0);
    padlock_cert_list_free(list);
}

static void test_public_parse_errors(void **state) {
    (void)state;
    padlock_cert *c = NULL;
    PL_ASSERT_ERR(padlock_cert_from_der((const uint8_t *)"\x30\x00", 2, &c), PADLOCK_E_CERT_PARSE);
    assert_null(c);
    padlock_cert_list *list;
    PL_ASSERT_OK(padlock_cert_list_new(&list));
    PL_ASSERT_ERR(padlock_cert_list_add_file(list, corpus_path("no-such-file.pem")),
                  PADLOCK_E_FILE);
    assert_non_null(strstr(padlock_cert_list_last_error(list), "cannot read "));
    const char *no_cert = "-----BEGIN PRIVATE KEY-----\nAAEC\n-----END PRIVATE KEY-----\n";
    PL_ASSERT_ERR(padlock_cert_list_add_mem(list, (const uint8_t *)no_cert, strlen(no_cert)),
                  PADLOCK_E_PEM);
    assert_non_null(strstr(padlock_cert_list_last_error(list), "no PEM certificate found"));
    /* A good certificate then a bad one: all-or-nothing. */
    uint8_t *good;
    size_t good_len;
    good = pl_test_read_file(corpus_path("leaf.pem"), &good_len);
    assert_non_null(good);
    const char *bad = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
    char *both = keep(malloc(good_len + strlen(bad) + 1));
    memcpy(both, good, good_len);
    strcpy(both + good_len, bad);
    PL_ASSERT_ERR(padlock_cert_list_add_mem(list, (const uint8_t *)both, strlen(both)),
                  PADLOCK_E_CERT_PARSE);
    assert_non_null(strstr(padlock_cert_list_last_error(list), "memory: certificate 2: malformed"));
    assert_int_equal(padlock_cert_list_count(list), 0);
    PL_ASSERT_OK(padlock_cert_list_add_mem(list, good, good_len));
    assert_null(padlock_cert_list_last_error(list));
    assert_int_equal(padlock_cert_list_count(list), 1);
    assert_null(padlock_cert_list_get(list, 1));
    free(good);
    padlock_cert_list_free(list);
}

/* ---- The system bundle --------------------------------------------------------------------- */

static void test_system_bundle(void **state) {
    (void)state;
    const char *path = "/etc/ssl/certs/ca-certificates.crt";
    size_t len;
    uint8_t *text = pl_test_read_file(path, &len);
    assert_non_null(text);
    size_t blocks = 0;
    for (const char *p = (const char *)text; (p = strstr(p, "-----BEGIN CERTIFICATE-----")); p++) {
        blocks++;
    }
    free(text);
    pl_x509_store *store;
    PL_ASSERT_OK(pl_x509_store_new(&store));
    pl_errinfo err;
    pl_errinfo_init(&err);
    padlock_err rc = pl_x509_store_add_file(store, path, &err);
    if (rc != PADLOCK_OK) {
        fail_msg("%s", pl_errinfo_message(&err));
    }
    size_t n = pl_x509_store_count(store);
    assert_true(n > 0 && n <= blocks);
    /* Every root parses fully and is found again by its subject. */
    for (size_t i = 0; i < n; i++) {
        pl_span der = pl_x509_store_der(store, i);
        pl_x509_cert c;
        const char *field = NULL;
        if (pl_x509_cert_parse(&c, der.p, der.len, &field) != PADLOCK_OK) {
            fail_msg("root %zu does not parse (%s)", i, field);
        }
        assert_true(pl_x509_store_contains(store, c.subject, c.der));
    }
    printf("system bundle %s: %zu PEM blocks, %zu distinct roots, all parse\n", path, blocks, n);
    pl_x509_store_free(store);

    /* The public loader agrees, and the system default finds the same bundle. */
    padlock_trust_store *ts;
    PL_ASSERT_OK(padlock_trust_store_new(&ts));
    PL_ASSERT_OK(padlock_trust_store_add_system(ts));
    assert_int_equal(padlock_trust_store_count(ts), n);
    assert_null(padlock_trust_store_last_error(ts));
    padlock_trust_store_free(ts);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_builder_baseline, free_strings),
        cmocka_unit_test_teardown(test_structure_rules, free_strings),
        cmocka_unit_test_teardown(test_empty_subject, free_strings),
        cmocka_unit_test_teardown(test_extension_rules, free_strings),
        cmocka_unit_test_teardown(test_public_keys, free_strings),
        cmocka_unit_test_teardown(test_signature_algorithms, free_strings),
        cmocka_unit_test_teardown(test_full_certificate, free_strings),
        cmocka_unit_test_teardown(test_public_parse_errors, free_strings),
        cmocka_unit_test(test_system_bundle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
