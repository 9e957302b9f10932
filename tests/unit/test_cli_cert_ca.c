/* The padlock certificate authority commands: `cert ca`, `cert issue`, `cert csr` and
 * `cert sign` end to end — files, modes and contents (read back with the library), chains
 * that padlock, openssl and certtool accept — and every failure path with its exit status
 * (1 refused, 2 usage or input error) and a message naming the file or value at fault. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "padlock/x509.h"
#include "testlib.h"

static pl_test_run g_run;
static char g_dir[4200]; /* this test's working directory; the CA is in g_dir/ca */
static char g_env[4400]; /* PADLOCK_CAROOT=g_dir/ca */

/* A fresh working directory per test. */
static int fresh_dir(void **state) {
    (void)state;
    static int n;
    snprintf(g_dir, sizeof(g_dir), "%s/cli%d", pl_test_tmpdir(), ++n);
    assert_int_equal(mkdir(g_dir, 0700), 0);
    snprintf(g_env, sizeof(g_env), "PADLOCK_CAROOT='%s/ca'", g_dir);
    return 0;
}

/* Runs padlock with the test's CA, args printf-style. */
#define run(...) pl_test_padlockf(&g_run, g_dir, g_env, __VA_ARGS__)

/* Asserts the last run's exit status and that stderr holds needle ("" for empty stderr). */
static void expect(int status, const char *needle) {
    int ok = g_run.status == status &&
             (needle[0] == '\0' ? g_run.err[0] == '\0' : strstr(g_run.err, needle) != NULL);
    if (!ok) {
        fail_msg("exit %d, stderr \"%s\"; expected %d and \"%s\"", g_run.status, g_run.err, status,
                 needle);
    }
}

static char g_path[4400];

static const char *in_dir(const char *name) {
    snprintf(g_path, sizeof(g_path), "%s/%s", g_dir, name);
    return g_path;
}

static unsigned mode_of(const char *name) {
    struct stat st;
    assert_int_equal(stat(in_dir(name), &st), 0);
    return (unsigned)(st.st_mode & 07777);
}

static int exists(const char *name) {
    struct stat st;
    return lstat(in_dir(name), &st) == 0;
}

/* The first certificate of a file in the working directory. */
static padlock_cert *load_cert(const char *name) {
    padlock_cert_list *list;
    PL_ASSERT_OK(padlock_cert_list_new(&list));
    PL_ASSERT_OK(padlock_cert_list_add_file(list, in_dir(name)));
    size_t len;
    const uint8_t *der = padlock_cert_der(padlock_cert_list_get(list, 0), &len);
    padlock_cert *c;
    PL_ASSERT_OK(padlock_cert_from_der(der, len, &c));
    padlock_cert_list_free(list);
    return c;
}

/* Fails the test unless the private key in the scratch directory's file name is the one cert
 * certifies. */
static void expect_key_of(const padlock_cert *cert, const char *name) {
    padlock_key *key;
    PL_ASSERT_OK(padlock_key_from_file(in_dir(name), &key));
    padlock_err rc = padlock_cert_check_key(cert, key);
    if (rc != PADLOCK_OK) {
        fail_msg("%s is not the certificate's key: %s", name, padlock_strerror(rc));
    }
    padlock_key_free(key);
}

static void make_ca(void) {
    assert_int_equal(run("cert ca"), 0);
}

static void test_ca(void **state) {
    (void)state;
    assert_int_equal(run("cert ca --name 'Test CA'"), 0);
    expect(0, "");
    assert_non_null(strstr(g_run.out, "created CA \"CN=Test CA,O=padlock\""));
    assert_int_equal(mode_of("ca"), 0700);
    assert_int_equal(mode_of("ca/ca-key.pem"), 0600);
    padlock_cert *ca = load_cert("ca/ca.pem");
    assert_true(padlock_cert_is_ca(ca));
    assert_int_equal(padlock_cert_path_len(ca), 0);
    assert_int_equal(padlock_cert_key_type(ca), PADLOCK_KEY_EC_P256);
    assert_true(padlock_cert_not_after(ca) - padlock_cert_not_before(ca) == 3650 * 86400LL - 1);
    expect_key_of(ca, "ca/ca-key.pem");
    /* The fingerprint printed is the certificate's. */
    uint8_t fp[32];
    padlock_cert_fingerprint_sha256(ca, fp);
    char hex[8];
    snprintf(hex, sizeof(hex), "%02X:%02X", fp[0], fp[1]);
    assert_non_null(strstr(g_run.out, hex));
    /* A strict openssl accepts it as a root. */
    assert_int_equal(pl_test_sh("openssl verify -x509_strict -CAfile %s %s >/dev/null 2>&1",
                                in_dir("ca/ca.pem"), g_path),
                     0);
    /* Never replaced by accident; replaced on request. */
    assert_int_equal(run("cert ca"), 1);
    expect(1, "a CA exists already in");
    expect(1, "use --force to replace it");
    padlock_cert *same = load_cert("ca/ca.pem");
    assert_string_equal(padlock_cert_serial(same), padlock_cert_serial(ca));
    padlock_cert_free(same);
    assert_int_equal(run("cert ca --force --ed25519"), 0);
    padlock_cert *other = load_cert("ca/ca.pem");
    assert_string_not_equal(padlock_cert_serial(other), padlock_cert_serial(ca));
    assert_int_equal(padlock_cert_key_type(other), PADLOCK_KEY_ED25519);
    assert_int_equal(mode_of("ca/ca-key.pem"), 0600);
    padlock_cert_free(other);
    padlock_cert_free(ca);
    /* RSA, in a directory given with --dir (which wins over PADLOCK_CAROOT). */
    assert_int_equal(run("cert ca --rsa 3072 --dir rsa-ca"), 0);
    padlock_cert *rsa = load_cert("rsa-ca/ca.pem");
    assert_int_equal(padlock_cert_key_type(rsa), PADLOCK_KEY_RSA);
    assert_int_equal(padlock_cert_key_bits(rsa), 3072);
    padlock_cert_free(rsa);
}

/* Where the CA lives without --dir: PADLOCK_CAROOT, XDG_DATA_HOME, HOME. */
static void test_ca_directory(void **state) {
    (void)state;
    char env[9000];
    snprintf(env, sizeof(env), "env -u PADLOCK_CAROOT XDG_DATA_HOME='%s/xdg'", g_dir);
    assert_int_equal(pl_test_padlock(&g_run, g_dir, env, "cert ca"), 0);
    assert_true(exists("xdg/padlock/ca.pem"));
    /* A relative XDG_DATA_HOME does not count (XDG Base Directory Specification). */
    snprintf(env, sizeof(env), "env -u PADLOCK_CAROOT XDG_DATA_HOME=rel HOME='%s/home'", g_dir);
    assert_int_equal(pl_test_padlock(&g_run, g_dir, env, "cert ca"), 0);
    assert_true(exists("home/.local/share/padlock/ca-key.pem"));
    assert_false(exists("rel"));
    /* issue finds the same CA the same way. */
    assert_int_equal(pl_test_padlock(&g_run, g_dir, env, "cert issue h.example"), 0);
    padlock_cert *leaf = load_cert("h.example.pem");
    padlock_cert *ca = load_cert("home/.local/share/padlock/ca.pem");
    assert_string_equal(padlock_cert_issuer(leaf), padlock_cert_subject(ca));
    padlock_cert_free(ca);
    padlock_cert_free(leaf);
    assert_int_equal(
        pl_test_padlock(&g_run, g_dir, "env -u PADLOCK_CAROOT -u XDG_DATA_HOME -u HOME", "cert ca"),
        2);
    expect(2, "HOME is not set (use --dir or PADLOCK_CAROOT)");
    assert_int_equal(pl_test_padlock(&g_run, g_dir,
                                     "env -u PADLOCK_CAROOT -u XDG_DATA_HOME -u HOME",
                                     "cert issue x.example"),
                     2);
    expect(2, "HOME is not set");
}

static void test_ca_usage_errors(void **state) {
    (void)state;
    assert_int_equal(pl_test_write_file(in_dir("file"), "x", 1), 0);
    static const pl_test_cli_case t[] = {
        {"cert ca --rsa 1024", "--rsa takes 2048, 3072 or 4096 bits, not '1024'"},
        {"cert ca --rsa", "option --rsa needs a value"},
        {"cert ca --rsa 2048 --ed25519", "--rsa and --ed25519 cannot be combined"},
        {"cert ca --bogus", "unknown option --bogus"},
        {"cert ca extra", "unexpected argument 'extra'"},
        {"cert ca --dir ''", "--dir is empty"},
        {"cert ca --name ''", "--name \"\" is not a valid name"},
        {"cert ca --name "
         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
         "is not a valid name (1 to 64 characters of UTF-8)"},
        {"cert ca --dir file/ca", "cannot create the CA directory file/ca: Not a directory"},
    };
    pl_test_padlock_cases(&g_run, g_dir, g_env, 2, t, sizeof(t) / sizeof(t[0]), 1);
    assert_false(exists("ca"));
    assert_int_equal(run("cert ca --help"), 0);
    assert_non_null(strstr(g_run.out, "usage: padlock cert ca"));
}

/* The issued chain verifies with padlock, openssl -x509_strict and certtool. */
static void verify_everywhere(const char *leaf, const char *peer, int is_ip) {
    assert_int_equal(
        run("cert verify --roots ca/ca.pem %s %s %s", is_ip ? "--ip" : "--host", peer, leaf), 0);
    assert_int_equal(pl_test_sh("cd '%s' && openssl verify -x509_strict -purpose sslserver %s %s "
                                "-CAfile ca/ca.pem %s >/dev/null 2>&1",
                                g_dir, is_ip ? "-verify_ip" : "-verify_hostname", peer, leaf),
                     0);
    assert_int_equal(pl_test_sh("cd '%s' && certtool --verify --load-ca-certificate ca/ca.pem "
                                "--infile %s >/dev/null 2>&1",
                                g_dir, leaf),
                     0);
}

static void test_issue(void **state) {
    (void)state;
    make_ca();
    assert_int_equal(run("cert issue example.test '*.example.test' 192.0.2.5 --ip ::1"), 0);
    expect(0, "");
    assert_non_null(strstr(g_run.out, "issued \"CN=example.test\" for DNS:example.test, "
                                      "DNS:*.example.test, IP:192.0.2.5, IP:::1"));
    assert_int_equal(mode_of("example.test-key.pem"), 0600);
    assert_int_equal(mode_of("example.test.pem"), 0644);
    padlock_cert *leaf = load_cert("example.test.pem");
    assert_int_equal(padlock_cert_num_sans(leaf), 4);
    assert_int_equal(padlock_cert_ext_key_usage(leaf), PADLOCK_EKU_SERVER_AUTH);
    assert_true(padlock_cert_not_after(leaf) - padlock_cert_not_before(leaf) == 825 * 86400LL - 1);
    int64_t now = (int64_t)time(NULL);
    assert_true(padlock_cert_not_before(leaf) <= now - 3500);
    expect_key_of(leaf, "example.test-key.pem");
    padlock_cert_free(leaf);
    verify_everywhere("example.test.pem", "www.example.test", 0);
    verify_everywhere("example.test.pem", "192.0.2.5", 1);
    /* Not a client certificate unless asked. */
    assert_int_equal(run("cert verify --roots ca/ca.pem --purpose client example.test.pem"), 1);
    /* A wildcard first name, file names made safe; --client, --days, an RSA key. */
    assert_int_equal(run("cert issue '*.w.test' --client --days 30 --rsa 2048"), 0);
    assert_true(exists("_wildcard.w.test.pem"));
    assert_true(exists("_wildcard.w.test-key.pem"));
    leaf = load_cert("_wildcard.w.test.pem");
    assert_int_equal(padlock_cert_ext_key_usage(leaf),
                     PADLOCK_EKU_SERVER_AUTH | PADLOCK_EKU_CLIENT_AUTH);
    assert_int_equal(padlock_cert_key_usage(leaf),
                     PADLOCK_KU_DIGITAL_SIGNATURE | PADLOCK_KU_KEY_ENCIPHERMENT);
    assert_true(padlock_cert_not_after(leaf) - padlock_cert_not_before(leaf) == 30 * 86400LL - 1);
    padlock_cert_free(leaf);
    assert_int_equal(run("cert verify --roots ca/ca.pem --purpose client --host a.w.test "
                         "_wildcard.w.test.pem"),
                     0);
    /* An IPv6 first name; explicit output paths; an Ed25519 key. */
    assert_int_equal(run("cert issue --ip ::1 --ed25519"), 0);
    assert_true(exists("__1.pem"));
    assert_int_equal(run("cert issue o.test --out certs.pem --key-out keys.pem"), 0);
    assert_true(exists("certs.pem") && exists("keys.pem"));
    assert_false(exists("o.test.pem"));
    /* A first name too long for a common name leaves the subject empty; the SAN is then
     * critical and the chain still verifies. */
    char long_name[100];
    memset(long_name, 'a', 60);
    strcpy(long_name + 60, ".example.test");
    assert_int_equal(run("cert issue %s --out long.pem --key-out long-key.pem", long_name), 0);
    leaf = load_cert("long.pem");
    assert_string_equal(padlock_cert_subject(leaf), "");
    padlock_cert_free(leaf);
    verify_everywhere("long.pem", long_name, 0);
}

static void test_issue_refusals(void **state) {
    (void)state;
    /* No CA yet. */
    assert_int_equal(run("cert issue x.example"), 2);
    expect(2, "/ca/ca.pem does not exist); run 'padlock cert ca' to create one");
    make_ca();
    assert_int_equal(run("cert issue x.example"), 0);
    /* Outputs exist: refused, nothing changed; --force replaces. */
    padlock_cert *before = load_cert("x.example.pem");
    assert_int_equal(run("cert issue x.example"), 1);
    expect(1, "x.example.pem exists; use --force to replace it");
    padlock_cert *after = load_cert("x.example.pem");
    assert_string_equal(padlock_cert_serial(before), padlock_cert_serial(after));
    padlock_cert_free(after);
    assert_int_equal(unlink(in_dir("x.example.pem")), 0);
    assert_int_equal(run("cert issue x.example"), 1);
    expect(1, "x.example-key.pem exists; use --force to replace it");
    assert_false(exists("x.example.pem"));
    assert_int_equal(run("cert issue x.example --force"), 0);
    after = load_cert("x.example.pem");
    assert_string_not_equal(padlock_cert_serial(before), padlock_cert_serial(after));
    padlock_cert_free(after);
    padlock_cert_free(before);
    /* A certificate that cannot be written leaves no key behind. */
    assert_int_equal(run("cert issue y.example --out no/such/dir/y.pem"), 2);
    expect(2, "cannot write the certificate to no/such/dir/y.pem: No such file or directory");
    assert_false(exists("y.example-key.pem"));
    static const pl_test_cli_case t[] = {
        {"cert issue", "no names given: name at least one DNS name or IP address"},
        {"cert issue bad_name.example", "\"bad_name.example\" is not a valid DNS name"},
        {"cert issue a..example", "\"a..example\" is not a valid DNS name"},
        {"cert issue 'f*.example.test'", "\"f*.example.test\" is not a valid DNS name"},
        {"cert issue '*.test'", "\"*.test\" is not a valid DNS name"},
        {"cert issue a.example A.EXAMPLE", "name A.EXAMPLE is given twice"},
        {"cert issue --ip 1.2.3", "'1.2.3' is not an IPv4 or IPv6 address"},
        {"cert issue ::1 --ip 0::1", "IP address 0::1 is given twice"},
        {"cert issue a.example --days 0", "--days must be a number of days from 1 to 825, not '0'"},
        {"cert issue a.example --days 826",
         "--days must be a number of days from 1 to 825, not '826'"},
        {"cert issue a.example --days 3x",
         "--days must be a number of days from 1 to 825, not '3x'"},
        {"cert issue a.example --out k.pem --key-out k.pem", "cannot both go to k.pem"},
        {"cert issue a.example --rsa 512", "--rsa takes 2048, 3072 or 4096 bits, not '512'"},
        {"cert issue a.example --ip", "option --ip needs a value"},
        {"cert issue a.example --frob", "unknown option --frob"},
    };
    pl_test_padlock_cases(&g_run, g_dir, g_env, 2, t, sizeof(t) / sizeof(t[0]), 1);
    assert_false(exists("a.example.pem"));
}

/* A broken CA: each is an input error naming the file, or (expired) a refusal. */
static void test_broken_ca(void **state) {
    (void)state;
    make_ca();
    assert_int_equal(pl_test_sh("cd '%s' && cp ca/ca-key.pem good-key.pem && cp ca/ca.pem "
                                "good.pem && openssl genpkey -algorithm ed25519 -out other.pem "
                                "2>/dev/null",
                                g_dir),
                     0);
    /* The wrong key for the certificate. */
    assert_int_equal(pl_test_sh("cd '%s' && cp other.pem ca/ca-key.pem", g_dir), 0);
    assert_int_equal(run("cert issue a.example"), 2);
    expect(2, "ca/ca-key.pem is not the private key of the CA certificate");
    /* An encrypted key. */
    assert_int_equal(pl_test_sh("cd '%s' && openssl pkcs8 -topk8 -in good-key.pem -passout "
                                "pass:x -out ca/ca-key.pem",
                                g_dir),
                     0);
    assert_int_equal(run("cert issue a.example"), 2);
    expect(2, "cannot load the CA key");
    expect(2, "key is encrypted");
    /* No key at all. */
    assert_int_equal(unlink(in_dir("ca/ca-key.pem")), 0);
    assert_int_equal(run("cert sign whatever.csr"), 2); /* the request is read first */
    assert_int_equal(run("cert issue a.example"), 2);
    expect(2, "ca-key.pem: No such file or directory");
    /* Bad PEM in the certificate. */
    assert_int_equal(pl_test_sh("cd '%s' && cp good-key.pem ca/ca-key.pem && printf -- "
                                "'-----BEGIN CERTIFICATE-----\\nA*A=\\n-----END "
                                "CERTIFICATE-----\\n' >ca/ca.pem",
                                g_dir),
                     0);
    assert_int_equal(run("cert issue a.example"), 2);
    expect(2, "cannot load the CA certificate");
    expect(2, "ca/ca.pem: malformed PEM");
    /* A leaf where the CA should be. */
    assert_int_equal(pl_test_sh("cd '%s' && cp good.pem ca/ca.pem", g_dir), 0);
    assert_int_equal(run("cert issue leaf.example"), 0);
    assert_int_equal(pl_test_sh("cd '%s' && cp leaf.example.pem ca/ca.pem && cp "
                                "leaf.example-key.pem ca/ca-key.pem",
                                g_dir),
                     0);
    assert_int_equal(run("cert issue a.example"), 2);
    expect(2, "ca/ca.pem is not a CA certificate (\"CN=leaf.example\" lacks basicConstraints cA)");
    /* An expired CA (made with the library, valid for one day in 2020). */
    padlock_key *key;
    PL_ASSERT_OK(padlock_key_generate(PADLOCK_KEY_EC_P256, 0, &key));
    padlock_issue_opts o = {
        .names = {.common_name = "old"}, .is_ca = 1, .not_before = 1577836800, .days = 1};
    padlock_cert *old;
    PL_ASSERT_OK(padlock_cert_self_sign(&o, key, &old));
    PL_ASSERT_OK(padlock_cert_write_file(old, in_dir("ca/ca.pem"), PADLOCK_WRITE_REPLACE));
    PL_ASSERT_OK(padlock_key_write_file(key, in_dir("ca/ca-key.pem"), PADLOCK_WRITE_REPLACE));
    padlock_cert_free(old);
    padlock_key_free(key);
    assert_int_equal(run("cert issue a.example"), 1);
    expect(1, "expired on 2020-01-01T23:59:59Z; create a new CA with 'padlock cert ca --force'");
    assert_false(exists("a.example.pem"));
}

static void test_csr_and_sign(void **state) {
    (void)state;
    make_ca();
    assert_int_equal(run("cert csr www.example.test 198.51.100.7"), 0);
    expect(0, "");
    assert_non_null(strstr(g_run.out, "wrote a request for \"CN=www.example.test\""));
    assert_int_equal(mode_of("www.example.test-key.pem"), 0600);
    assert_int_equal(mode_of("www.example.test.csr"), 0644);
    assert_int_equal(pl_test_sh("cd '%s' && openssl req -verify -noout -in www.example.test.csr "
                                ">/dev/null 2>&1",
                                g_dir),
                     0);
    assert_int_equal(run("cert sign www.example.test.csr"), 0);
    expect(0, "");
    padlock_cert *leaf = load_cert("www.example.test.pem");
    assert_string_equal(padlock_cert_subject(leaf), "CN=www.example.test");
    assert_int_equal(padlock_cert_num_sans(leaf), 2);
    expect_key_of(leaf, "www.example.test-key.pem");
    padlock_cert_free(leaf);
    verify_everywhere("www.example.test.pem", "198.51.100.7", 1);
    /* A request for an existing key (--key) leaves that key alone and certifies it. */
    assert_int_equal(pl_test_sh("cd '%s' && openssl genpkey -algorithm rsa -pkeyopt "
                                "rsa_keygen_bits:2048 -out mine.pem 2>/dev/null",
                                g_dir),
                     0);
    assert_int_equal(run("cert csr mine.example --key mine.pem --out mine.csr"), 0);
    assert_false(exists("mine.example-key.pem"));
    assert_int_equal(run("cert sign mine.csr --client --days 10 --out mine-cert.pem"), 0);
    leaf = load_cert("mine-cert.pem");
    expect_key_of(leaf, "mine.pem");
    assert_int_equal(padlock_cert_ext_key_usage(leaf),
                     PADLOCK_EKU_SERVER_AUTH | PADLOCK_EKU_CLIENT_AUTH);
    assert_true(padlock_cert_not_after(leaf) - padlock_cert_not_before(leaf) == 10 * 86400LL - 1);
    padlock_cert_free(leaf);
}

/* openssl requests asking for more than names: only the names are copied. */
static void test_sign_grants_only_names(void **state) {
    (void)state;
    make_ca();
    assert_int_equal(pl_test_sh("cd '%s' && openssl req -new -newkey ec -pkeyopt "
                                "ec_paramgen_curve:P-256 -nodes -keyout e.key -subj "
                                "'/CN=evil.example/O=Evil' -addext "
                                "subjectAltName=DNS:good.example,IP:192.0.2.1 -addext "
                                "basicConstraints=critical,CA:TRUE,pathlen:5 -addext "
                                "keyUsage=critical,keyCertSign -addext "
                                "extendedKeyUsage=codeSigning -out e.csr 2>/dev/null",
                                g_dir),
                     0);
    assert_int_equal(run("cert sign e.csr"), 0);
    expect(0, "note: e.csr asks for extensions besides subjectAltName; they are not granted");
    padlock_cert *c = load_cert("good.example.pem");
    assert_string_equal(padlock_cert_subject(c), "CN=good.example");
    assert_false(padlock_cert_is_ca(c));
    assert_int_equal(padlock_cert_key_usage(c), PADLOCK_KU_DIGITAL_SIGNATURE);
    assert_int_equal(padlock_cert_ext_key_usage(c), PADLOCK_EKU_SERVER_AUTH);
    assert_int_equal(padlock_cert_num_sans(c), 2);
    padlock_cert_free(c);
    verify_everywhere("good.example.pem", "good.example", 0);
    assert_int_equal(run("cert verify --roots ca/ca.pem --host evil.example good.example.pem"), 1);
}

static void test_csr_sign_refusals(void **state) {
    (void)state;
    const char *d = g_dir;
    /* Requests padlock refuses to sign (exit 1). */
    assert_int_equal(pl_test_sh("cd '%s' && openssl genpkey -algorithm ec -pkeyopt "
                                "ec_paramgen_curve:P-256 -out k.pem 2>/dev/null && "
                                "openssl req -new -key k.pem -subj /CN=n.example -out nosan.csr && "
                                "openssl req -new -key k.pem -subj /CN=m -addext "
                                "subjectAltName=DNS:m.example,email:a@m.example -out mail.csr && "
                                "openssl req -new -key k.pem -subj /CN=u -addext "
                                "subjectAltName=DNS:u_u.example -out under.csr && "
                                "openssl req -new -sha1 -key k.pem -subj /CN=s -addext "
                                "subjectAltName=DNS:s.example -out sha1.csr && "
                                "openssl req -new -key k.pem -subj /CN=t -addext "
                                "subjectAltName=DNS:t.example -outform DER -out t.der",
                                d),
                     0);
    /* A signature that no longer verifies: one bit of the DER signature's s flipped. */
    assert_int_equal(pl_test_copy_flipped(d, "t.der", "bad.der", 2), 0);
    make_ca();
    assert_int_equal(run("cert sign t.der --out t.pem"), 0); /* DER is fine */
    static const pl_test_cli_case refused[] = {
        {"cert sign nosan.csr", "refused nosan.csr: it names no DNS name or IP address in a "
                                "subjectAltName (its subject \"CN=n.example\""},
        {"cert sign mail.csr", "refused mail.csr: it asks for \"a@m.example\", but padlock "
                               "issues only for DNS names and IP addresses"},
        {"cert sign under.csr", "refused under.csr: \"u_u.example\" is not a valid DNS name"},
        {"cert sign sha1.csr", "refused sha1.csr: it is signed with MD5 or SHA-1, which "
                               "padlock refuses"},
        {"cert sign bad.der", "refused bad.der: its signature does not verify (the request "
                              "was altered, or not signed with its key)"},
        {"cert sign t.der --out t.pem", "t.pem exists; use --force to replace it"},
    };
    pl_test_padlock_cases(&g_run, g_dir, g_env, 1, refused, sizeof(refused) / sizeof(refused[0]),
                          0);
    static const pl_test_cli_case usage[] = {
        {"cert sign", "no certificate signing request given"},
        {"cert sign a.csr b.csr", "more than one request given (a.csr, b.csr)"},
        {"cert sign absent.csr", "cannot read absent.csr: No such file or directory"},
        {"cert sign k.pem", "cannot load k.pem: malformed PEM (PEM: no CERTIFICATE REQUEST "
                            "block)"},
        {"cert sign ca/ca.pem", "no CERTIFICATE REQUEST block"},
        {"cert sign t.der --days 900", "--days must be a number of days from 1 to 825, not '900'"},
        {"cert sign t.der --bogus", "unknown option --bogus"},
        {"cert csr", "no names given"},
        {"cert csr a.example --key k.pem --rsa 2048", "--key uses an existing key"},
        {"cert csr a.example --key absent.pem", "cannot load the key absent.pem: No such file"},
        {"cert csr a.example --key ca/ca.pem", "cannot load the key ca/ca.pem: unsupported "
                                               "key type"},
        {"cert csr 'bad name'", "\"bad name\" is not a valid DNS name"},
        {"cert csr a.example --out x --key-out x", "cannot both go to x"},
    };
    pl_test_padlock_cases(&g_run, g_dir, g_env, 2, usage, sizeof(usage) / sizeof(usage[0]), 0);
    /* A broken request file: the DER cut short. */
    assert_int_equal(pl_test_sh("cd '%s' && head -c 100 t.der >cut.der", d), 0);
    assert_int_equal(run("cert sign cut.der"), 2);
    expect(2, "cannot load cut.der: malformed certificate signing request (CertificationRequest)");
    /* csr outputs exist. */
    assert_int_equal(run("cert csr c.example"), 0);
    assert_int_equal(run("cert csr c.example"), 1);
    expect(1, "c.example.csr exists; use --force to replace it");
    assert_int_equal(run("cert csr c.example --force"), 0);
    /* sign without a CA. */
    assert_int_equal(run("cert sign c.example.csr --dir nowhere"), 2);
    expect(2, "no CA in nowhere");
}

static void test_help_and_dispatch(void **state) {
    (void)state;
    static const char *cmds[] = {"ca", "issue", "csr", "sign", "show"};
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        assert_int_equal(run("cert %s --help", cmds[i]), 0);
        char want[64];
        snprintf(want, sizeof(want), "usage: padlock cert %s", cmds[i]);
        assert_non_null(strstr(g_run.out, want));
        assert_non_null(strstr(g_run.out, "Exit status:"));
        assert_int_equal(run("--help"), 0);
        snprintf(want, sizeof(want), "cert %s", cmds[i]);
        assert_non_null(strstr(g_run.out, want));
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_ca, fresh_dir),
        cmocka_unit_test_setup(test_ca_directory, fresh_dir),
        cmocka_unit_test_setup(test_ca_usage_errors, fresh_dir),
        cmocka_unit_test_setup(test_issue, fresh_dir),
        cmocka_unit_test_setup(test_issue_refusals, fresh_dir),
        cmocka_unit_test_setup(test_broken_ca, fresh_dir),
        cmocka_unit_test_setup(test_csr_and_sign, fresh_dir),
        cmocka_unit_test_setup(test_sign_grants_only_names, fresh_dir),
        cmocka_unit_test_setup(test_csr_sign_refusals, fresh_dir),
        cmocka_unit_test_setup(test_help_and_dispatch, fresh_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
