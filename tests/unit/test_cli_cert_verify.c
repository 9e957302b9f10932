/* The padlock command: `padlock cert verify` on the generated corpus — exit 0 and the path on
 * stdout when valid, exit 1 and the reason on stderr when not, exit 2 for usage and input
 * errors — and the top-level dispatch (--help, --version, unknown commands). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static pl_test_run g_run;

/* The generated corpus (tests/x509/make_corpus.sh): the directory the commands run in. */
static const char *corpus_dir(void) {
    static char dir[4200];
    snprintf(dir, sizeof(dir), "%s/x509-corpus", pl_test_binary_dir());
    return dir;
}

/* Runs `padlock ARGS` from the corpus directory (env is prepended, e.g. "SSL_CERT_FILE=x");
 * fills g_run and returns the exit status. */
static int run(const char *env, const char *args) {
    return pl_test_padlock(&g_run, corpus_dir(), env, args);
}

#define T " --time 2030-01-01T00:00:00Z "

static void test_valid_chain(void **state) {
    (void)state;
    assert_int_equal(run("", "cert verify --roots root.pem --intermediates inter.pem"
                             " --host api.example.com" T "leaf.pem"),
                     0);
    assert_string_equal(g_run.out, "0 CN=api.example.com\n"
                                   "1 CN=Padlock Test Intermediate\n"
                                   "2 CN=Padlock Test Root\n");
    assert_string_equal(g_run.err, "");
    /* The same with "=" options, UNIX seconds, an IP, and the chain in the leaf's file. */
    /* (Files the test makes go to its own directory: the corpus is shared with other tests.) */
    char args[4096];
    assert_int_equal(pl_test_sh("cat %s/x509-corpus/leaf.pem %s/x509-corpus/inter.pem "
                                ">%s/fullchain.pem",
                                pl_test_binary_dir(), pl_test_binary_dir(), pl_test_tmpdir()),
                     0);
    snprintf(args, sizeof(args),
             "cert verify --roots=root.pem --time=1893456000 --ip 192.0.2.10 %s/fullchain.pem",
             pl_test_tmpdir());
    assert_int_equal(run("", args), 0);
    assert_int_equal(strncmp(g_run.out, "0 CN=api.example.com\n1 ", 23), 0);
    /* Client purpose; roots from a directory. */
    assert_int_equal(run("", "cert verify --roots . --intermediates inter.pem --purpose client" T
                             "leaf_client.pem"),
                     0);
    /* Default roots: the system store, redirected by SSL_CERT_FILE. */
    assert_int_equal(
        run("SSL_CERT_FILE=root.pem", "cert verify --intermediates inter.pem" T "leaf.pem"), 0);
}

static void test_invalid_chain(void **state) {
    (void)state;
    assert_int_equal(
        run("", "cert verify --roots root.pem --intermediates inter.pem" T "leaf_expired.pem"), 1);
    assert_string_equal(g_run.out, "");
    assert_string_equal(g_run.err, "padlock cert verify: invalid: certificate "
                                   "\"CN=expired.example.com\" expired on 2025-01-01T00:00:00Z\n");
    assert_int_equal(run("", "cert verify --roots root.pem --intermediates inter.pem"
                             " --host other.example.com" T "leaf.pem"),
                     1);
    assert_non_null(strstr(g_run.err, "does not match DNS name other.example.com"));
    assert_int_equal(run("", "cert verify --roots root.pem --intermediates inter_crl.pem"
                             " --crl inter_crl.crl" T "leaf_revoked.pem"),
                     1);
    assert_non_null(strstr(g_run.err, "was revoked on"));
    assert_int_equal(run("", "cert verify --roots root.pem" T "leaf.pem"), 1);
    assert_non_null(strstr(g_run.err, "no trusted root: issuer \"CN=Padlock Test Intermediate\""));
    /* The system store does not trust the test root. */
    assert_int_equal(run("SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
                         "cert verify --intermediates inter.pem" T "leaf.pem"),
                     1);
    assert_non_null(strstr(g_run.err, "no trusted root"));
}

static void test_usage_and_input_errors(void **state) {
    (void)state;
    static const pl_test_cli_case t[] = {
        {"cert verify", "no leaf certificate file given"},
        {"cert verify --roots root.pem leaf.pem leaf.pem", "more than one leaf file given"},
        {"cert verify --bogus leaf.pem", "unknown option --bogus"},
        {"cert verify --roots", "option --roots needs a value"},
        {"cert verify --host a.example --ip 192.0.2.1 leaf.pem", "cannot be combined"},
        {"cert verify --ip api.example.com leaf.pem", "is not an IPv4 or IPv6 address"},
        {"cert verify --purpose email leaf.pem", "--purpose must be server or client"},
        {"cert verify --time yesterday leaf.pem", "invalid --time 'yesterday'"},
        {"cert verify --time 2025-02-30T00:00:00Z leaf.pem", "invalid --time"},
        {"cert verify --roots root.pem --host 'bad name' leaf.pem",
         "\"bad name\" is neither a valid DNS name nor an IP address"},
        {"cert verify --roots root.pem absent.pem",
         "cannot load the leaf: cannot read absent.pem: No such file or directory"},
        {"cert verify --roots absent.pem leaf.pem",
         "cannot load roots: cannot read absent.pem: No such file or directory"},
        {"cert verify --roots root.pem --crl leaf.pem leaf.pem", "cannot load CRL"},
        {"cert verify --roots root.pem k_ee.key", "no PEM certificate found"},
        {"cert verify --roots root.pem req.cnf", "cannot load the leaf: req.cnf: certificate 1: "
                                                 "malformed certificate"},
        {"cert verify --roots root.pem --intermediates k_ee.key leaf.pem",
         "cannot load intermediates"},
    };
    pl_test_padlock_cases(&g_run, corpus_dir(), "", 2, t, sizeof(t) / sizeof(t[0]), 1);
    /* A file with a malformed PEM block. */
    assert_int_equal(pl_test_sh("printf -- '-----BEGIN CERTIFICATE-----\\nA*A=\\n"
                                "-----END CERTIFICATE-----\\n' >%s/badpem.pem",
                                pl_test_tmpdir()),
                     0);
    char args[4096];
    snprintf(args, sizeof(args), "cert verify --roots root.pem %s/badpem.pem", pl_test_tmpdir());
    assert_int_equal(run("", args), 2);
    assert_non_null(strstr(g_run.err, "malformed PEM"));
}

static void test_dispatch(void **state) {
    (void)state;
    assert_int_equal(run("", "cert verify --help"), 0);
    assert_non_null(strstr(g_run.out, "usage: padlock cert verify"));
    assert_int_equal(run("", "--help"), 0);
    assert_non_null(strstr(g_run.out, "cert verify"));
    assert_int_equal(run("", "--version"), 0);
    assert_int_equal(strncmp(g_run.out, "padlock ", 8), 0);
    assert_int_equal(run("", ""), 2);
    assert_non_null(strstr(g_run.err, "usage: padlock <command>"));
    assert_int_equal(run("", "cert frobnicate"), 2);
    assert_non_null(strstr(g_run.err, "unknown command 'cert frobnicate'"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_chain),
        cmocka_unit_test(test_invalid_chain),
        cmocka_unit_test(test_usage_and_input_errors),
        cmocka_unit_test(test_dispatch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
