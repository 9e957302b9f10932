/* `padlock cert show`: every kind of object in text and in JSON (parsed with json-c against
 * the documented schema), several blocks in one file in order, DER files, encrypted keys and
 * other labels, private keys never shown beyond type and size, and the failure paths (exit 2)
 * with messages naming the file, the object and the field. */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "json_member.h"
#include "padlock/x509.h"
#include "testlib.h"

static pl_test_run g_run;
static char g_dir[4200];

/* One working directory with a CA, a leaf, a request and keys, made once. */
static int setup(void **state) {
    (void)state;
    snprintf(g_dir, sizeof(g_dir), "%s/show", pl_test_tmpdir());
    assert_int_equal(mkdir(g_dir, 0700), 0);
    assert_int_equal(pl_test_sh("cd '%s' && PADLOCK_CAROOT=ca '%s/padlock' cert ca --name "
                                "'Show CA' >/dev/null && PADLOCK_CAROOT=ca '%s/padlock' cert "
                                "issue leaf.example 192.0.2.1 --client >/dev/null && "
                                "'%s/padlock' cert csr req.example --ed25519 >/dev/null && "
                                "cat leaf.example.pem ca/ca.pem req.example.csr "
                                "leaf.example-key.pem >all.pem",
                                g_dir, pl_test_binary_dir(), pl_test_binary_dir(),
                                pl_test_binary_dir()),
                     0);
    return 0;
}

/* Runs padlock in the working directory, args printf-style. */
#define run(...) pl_test_padlockf(&g_run, g_dir, "", __VA_ARGS__)

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...) {
    char cmd[4096], full[8400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    snprintf(full, sizeof(full), "cd '%s' && %s", g_dir, cmd);
    assert_int_equal(pl_test_sh("%s", full), 0);
}

static void test_text(void **state) {
    (void)state;
    assert_int_equal(run("cert show all.pem"), 0);
    assert_string_equal(g_run.err, "");
    const char *o = g_run.out;
    /* Four objects, in file order. */
    const char *heads[] = {"all.pem, object 1: certificate\n", "all.pem, object 2: certificate\n",
                           "all.pem, object 3: certificate signing request",
                           "all.pem, object 4: private key\n"};
    const char *at = o;
    for (size_t i = 0; i < 4; i++) {
        const char *h = strstr(at, heads[i]);
        if (h == NULL) {
            fail_msg("no \"%s\" after offset %zu in:\n%s", heads[i], (size_t)(at - o), o);
        }
        at = h + 1;
    }
    const char *lines[] = {
        "  subject:              CN=leaf.example\n",
        "  issuer:               CN=Show CA,O=padlock\n",
        "  public key:           EC P-256\n",
        "  signature algorithm:  ecdsa-with-SHA256\n",
        "  subject alt names:    DNS:leaf.example, IP:192.0.2.1\n",
        "  CA:                   no\n",
        "  key usage:            digitalSignature\n",
        "  extended key usage:   serverAuth, clientAuth\n",
        "  CA:                   yes, path length 0\n",
        "  key usage:            keyCertSign, cRLSign\n",
        "  extended key usage:   not restricted\n",
        "  subject:              CN=req.example\n",
        "  public key:           Ed25519\n",
        "  other extensions:     none\n",
        "  type:                 EC P-256\n",
    };
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        if (strstr(o, lines[i]) == NULL) {
            fail_msg("no \"%s\" in:\n%s", lines[i], o);
        }
    }
    assert_non_null(strstr(o, "  serial:               "));
    assert_non_null(strstr(o, "  subject key id:       "));
    assert_non_null(strstr(o, "  authority key id:     "));
    assert_non_null(strstr(o, "  SHA-256 fingerprint:  "));
    /* The fingerprint is the certificate's (openssl agrees). */
    char *fp;
    assert_int_equal(pl_test_sh_capture(&fp,
                                        "openssl x509 -in '%s/leaf.example.pem' -noout "
                                        "-fingerprint -sha256 | cut -d= -f2",
                                        g_dir),
                     0);
    fp[strcspn(fp, "\n")] = '\0';
    assert_non_null(strstr(o, fp));
    free(fp);
}

/* The names of an object's members, space-separated, in order. */
static void keys_of(json_object *o, char *out, size_t cap) {
    out[0] = '\0';
    json_object_object_foreach(o, k, v) {
        (void)v;
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s%s", n > 0 ? " " : "", k);
    }
}

static json_object *show_json(const char *file) {
    assert_int_equal(run("cert show --json %s", file), 0);
    assert_string_equal(g_run.err, "");
    json_object *doc = json_tokener_parse(g_run.out);
    if (doc == NULL) {
        fail_msg("not JSON:\n%s", g_run.out);
    }
    assert_string_equal(pl_json_str(doc, "file"), file);
    return doc;
}

static void test_json(void **state) {
    (void)state;
    json_object *doc = show_json("all.pem");
    json_object *objs = pl_json_member(doc, "objects");
    assert_int_equal(json_object_array_length(objs), 4);
    char keys[512];
    /* A certificate: every documented field, in order. */
    json_object *leaf = json_object_array_get_idx(objs, 0);
    keys_of(leaf, keys, sizeof(keys));
    assert_string_equal(keys, "type subject issuer serial not_before not_after key_type key_bits "
                              "signature_algorithm subject_alt_names is_ca path_len key_usage "
                              "ext_key_usage subject_key_id authority_key_id "
                              "sha256_fingerprint");
    assert_string_equal(pl_json_str(leaf, "type"), "certificate");
    assert_string_equal(pl_json_str(leaf, "subject"), "CN=leaf.example");
    assert_string_equal(pl_json_str(leaf, "key_type"), "ec-p256");
    assert_int_equal(json_object_get_int(pl_json_member(leaf, "key_bits")), 256);
    assert_false(json_object_get_boolean(pl_json_member(leaf, "is_ca")));
    assert_true(json_object_is_type(pl_json_member(leaf, "path_len"), json_type_null));
    json_object *sans = pl_json_member(leaf, "subject_alt_names");
    assert_int_equal(json_object_array_length(sans), 2);
    assert_string_equal(pl_json_str(json_object_array_get_idx(sans, 1), "type"), "ip");
    assert_string_equal(pl_json_str(json_object_array_get_idx(sans, 1), "value"), "192.0.2.1");
    json_object *eku = pl_json_member(leaf, "ext_key_usage");
    assert_int_equal(json_object_array_length(eku), 2);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(eku, 1)), "clientAuth");
    /* The CA: path length 0, no EKU (null, not an empty list), the AKI is its own SKI. */
    json_object *ca = json_object_array_get_idx(objs, 1);
    assert_true(json_object_get_boolean(pl_json_member(ca, "is_ca")));
    assert_int_equal(json_object_get_int(pl_json_member(ca, "path_len")), 0);
    assert_true(json_object_is_type(pl_json_member(ca, "ext_key_usage"), json_type_null));
    assert_string_equal(pl_json_str(ca, "subject_key_id"), pl_json_str(ca, "authority_key_id"));
    assert_string_equal(pl_json_str(leaf, "authority_key_id"), pl_json_str(ca, "subject_key_id"));
    json_object *csr = json_object_array_get_idx(objs, 2);
    keys_of(csr, keys, sizeof(keys));
    assert_string_equal(keys, "type subject key_type key_bits signature_algorithm "
                              "subject_alt_names other_extensions");
    assert_string_equal(pl_json_str(csr, "type"), "certificate_request");
    assert_string_equal(pl_json_str(csr, "key_type"), "ed25519");
    /* A private key: type and size, and nothing else. */
    json_object *key = json_object_array_get_idx(objs, 3);
    keys_of(key, keys, sizeof(keys));
    assert_string_equal(keys, "type encrypted key_type key_bits");
    assert_string_equal(pl_json_str(key, "type"), "private_key");
    json_object_put(doc);
}

static void test_der_encrypted_other(void **state) {
    (void)state;
    sh("openssl x509 -in leaf.example.pem -outform DER -out leaf.der && "
       "openssl req -in req.example.csr -outform DER -out req.der && "
       "openssl pkey -in leaf.example-key.pem -outform DER -out key.der && "
       "openssl pkcs8 -topk8 -in leaf.example-key.pem -passout pass:x -out enc.pem && "
       "openssl crl2pkcs7 -nocrl -certfile ca/ca.pem -out p7.pem");
    static const struct {
        const char *file;
        const char *type;
    } der[] = {{"leaf.der", "certificate"},
               {"req.der", "certificate_request"},
               {"key.der", "private_key"}};
    for (size_t i = 0; i < 3; i++) {
        json_object *doc = show_json(der[i].file);
        json_object *objs = pl_json_member(doc, "objects");
        assert_int_equal(json_object_array_length(objs), 1);
        assert_string_equal(pl_json_str(json_object_array_get_idx(objs, 0), "type"), der[i].type);
        json_object_put(doc);
    }
    json_object *doc = show_json("enc.pem");
    json_object *k = json_object_array_get_idx(pl_json_member(doc, "objects"), 0);
    assert_true(json_object_get_boolean(pl_json_member(k, "encrypted")));
    assert_true(json_object_is_type(pl_json_member(k, "key_type"), json_type_null));
    json_object_put(doc);
    assert_int_equal(run("cert show enc.pem"), 0);
    assert_non_null(strstr(g_run.out, "private key (encrypted: its type is not shown)"));
    doc = show_json("p7.pem");
    json_object *p7 = json_object_array_get_idx(pl_json_member(doc, "objects"), 0);
    assert_string_equal(pl_json_str(p7, "type"), "other");
    assert_string_equal(pl_json_str(p7, "label"), "PKCS7");
    json_object_put(doc);
    assert_int_equal(run("cert show p7.pem"), 0);
    assert_non_null(strstr(g_run.out, "p7.pem, object 1: a \"PKCS7\" block (not shown)"));
}

static void test_failures(void **state) {
    (void)state;
    /* A certificate with a broken validity between two good objects: the others are shown,
     * the bad one is named with its field, exit 2. The date is inside the base64, so the
     * broken copy is made from DER (UTCTime "YYMMDD..." with month 13). */
    sh("openssl x509 -in leaf.example.pem -outform DER -out good.der && "
       "python3 -c \"import sys; d=open('good.der','rb').read(); i=d.index(b'\\x17\\x0d'); "
       "d=d[:i+4]+b'13'+d[i+6:]; open('bad.der','wb').write(d)\" && "
       "openssl base64 -in bad.der -out bad.b64 && "
       "(cat ca/ca.pem; echo '-----BEGIN CERTIFICATE-----'; cat bad.b64; "
       "echo '-----END CERTIFICATE-----'; cat req.example.csr) >mixed.pem");
    assert_int_equal(run("cert show mixed.pem"), 2);
    assert_non_null(strstr(g_run.err, "padlock cert show: mixed.pem, object 2 (CERTIFICATE): "
                                      "malformed certificate (validity)"));
    assert_non_null(strstr(g_run.out, "mixed.pem, object 1: certificate"));
    assert_non_null(strstr(g_run.out, "mixed.pem, object 3: certificate signing request"));
    assert_int_equal(run("cert show --json mixed.pem"), 2);
    json_object *doc = json_tokener_parse(g_run.out);
    assert_non_null(doc);
    json_object *bad = json_object_array_get_idx(pl_json_member(doc, "objects"), 1);
    assert_string_equal(pl_json_str(bad, "type"), "invalid");
    assert_string_equal(pl_json_str(bad, "label"), "CERTIFICATE");
    assert_string_equal(pl_json_str(bad, "error"), "malformed certificate (validity)");
    json_object_put(doc);
    /* Malformed PEM after a good block. */
    sh("(cat ca/ca.pem; printf -- '-----BEGIN CERTIFICATE-----\\nA*A=\\n-----END "
       "CERTIFICATE-----\\n') >badpem.pem");
    assert_int_equal(run("cert show badpem.pem"), 2);
    assert_non_null(strstr(g_run.err, "badpem.pem: malformed PEM after object 1"));
    /* A tampered request, a key that is not one, something that is nothing. */
    sh("sed 's/^M/N/' req.example.csr >badreq.csr && "
       "printf -- '-----BEGIN PRIVATE KEY-----\\nAAECAwQF\\n-----END PRIVATE KEY-----\\n' "
       ">badkey.pem && echo 'just text' >text.txt");
    static const pl_test_cli_case t[] = {
        {"cert show badreq.csr", "badreq.csr, object 1 (CERTIFICATE REQUEST): "},
        {"cert show badkey.pem", "badkey.pem, object 1 (PRIVATE KEY): malformed or invalid key"},
        {"cert show text.txt", "text.txt, object 1 (DER): not a certificate, certificate "
                               "signing request or private key padlock reads"},
        {"cert show absent.pem", "cannot read absent.pem: No such file or directory"},
        {"cert show", "no file given"},
        {"cert show a b", "more than one file given (a, b)"},
        {"cert show --yaml all.pem", "unknown option --yaml"},
    };
    pl_test_padlock_cases(&g_run, g_dir, "", 2, t, sizeof(t) / sizeof(t[0]), 0);
    /* A DER request whose signature no longer verifies: named as a request, label null. */
    sh("openssl req -in req.example.csr -outform DER -out req.der");
    assert_int_equal(pl_test_copy_flipped(g_dir, "req.der", "sig.der", 2), 0);
    assert_int_equal(run("cert show sig.der"), 2);
    assert_non_null(strstr(g_run.err, "sig.der, object 1 (DER): certificate signing request "
                                      "refused: its signature does not verify"));
    assert_int_equal(run("cert show --json sig.der"), 2);
    doc = json_tokener_parse(g_run.out);
    assert_non_null(doc);
    bad = json_object_array_get_idx(pl_json_member(doc, "objects"), 0);
    assert_string_equal(pl_json_str(bad, "type"), "invalid");
    assert_true(json_object_is_type(pl_json_member(bad, "label"), json_type_null));
    json_object_put(doc);
    /* Nothing printed on stdout for a file that cannot be read, in JSON mode too. */
    assert_int_equal(run("cert show --json absent.pem"), 2);
    assert_string_equal(g_run.out, "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_der_encrypted_other),
        cmocka_unit_test(test_failures),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
