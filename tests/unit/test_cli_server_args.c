/* `padlock server` refusing to start: --help, bad options (exit 2, the reason and the --help
 * hint), missing and unusable files (exit 2, the file and the fault named: a missing
 * certificate, malformed PEM, a key that is not the certificate's, a file without a key, client
 * CAs without certificates, a --www that is not a directory), a port that is taken
 * (exit 3), and the warning for a certificate outside its validity period. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loopback.h"
#include "server_harness.h"
#include "testlib.h"

static pl_test_run g_run;

/* Runs `padlock server ARGS` (printf-style) in the test PKI's directory, standard input
 * empty. */
#define server(...) pl_test_padlockf(&g_run, pl_srv_pki(), "", "server " __VA_ARGS__)

#define expect_err(part) pl_test_expect_err(&g_run, part)

/* Exit 2 before listening: the reason, and nothing on standard output. */
static void refused(const char *args, const char *reason) {
    if (server("%s", args) != 2) {
        fail_msg("padlock server %s: exit %d, expected 2:\n%s", args, g_run.status, g_run.err);
    }
    expect_err(reason);
    assert_string_equal(g_run.out, "");
}

static void usage_error(const char *args, const char *reason) {
    server("%s", args);
    pl_test_expect_usage(&g_run, "server", reason);
}

#define CERT "--cert localhost.pem --key localhost-key.pem"

static void test_help(void **state) {
    (void)state;
    assert_int_equal(server("--help"), 0);
    const char *parts[] = {"usage: padlock server --cert FILE [--key FILE]... (--www DIR | --echo)",
                           "--cert FILE",
                           "--key FILE",
                           "--www DIR",
                           "--echo",
                           "--listen ADDR",
                           "--port N",
                           "--client-ca FILE|DIR",
                           "--verify-client MODE",
                           "--max-connections N",
                           "--idle-timeout S",
                           "--handshake-timeout S",
                           "--keylog FILE",
                           "listening on https://ADDR:PORT/",
                           "Exit status: 0"};
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (strstr(g_run.out, parts[i]) == NULL) {
            fail_msg("--help lacks \"%s\":\n%s", parts[i], g_run.out);
        }
    }
    assert_int_equal(pl_test_padlock(&g_run, pl_srv_pki(), "", "--help"), 0);
    assert_non_null(strstr(g_run.out, "  server "));
}

static void test_bad_options(void **state) {
    (void)state;
    usage_error("", "padlock server: no certificate: give --cert FILE and --key FILE");
    usage_error(CERT, "padlock server: choose what to serve: --www DIR or --echo");
    usage_error(CERT " --echo --www .", "--www and --echo cannot be combined");
    usage_error("--key localhost-key.pem --cert localhost.pem --echo",
                "--key localhost-key.pem comes before any --cert");
    usage_error(CERT " --key other-key.pem --echo", "two --key options for --cert localhost.pem");
    usage_error(CERT " --echo --verify-client required", "--verify-client needs --client-ca");
    usage_error(CERT " --echo --client-ca ca/ca.pem --verify-client sometimes",
                "--verify-client must be optional or required, not 'sometimes'");
    usage_error(CERT " --echo --port 65536", "--port must be a whole number from 0 to 65535, "
                                             "not '65536'");
    usage_error(CERT " --echo --port=http", "not 'http'");
    /* Digits only: strtol alone would take a sign or leading space. */
    usage_error(CERT " --echo --port=+8443", "--port must be a whole number from 0 to 65535, "
                                             "not '+8443'");
    usage_error(CERT " --echo --max-connections 0", "--max-connections must be a whole number "
                                                    "from 1 to 10000");
    usage_error(CERT " --echo --idle-timeout 1.5", "--idle-timeout must be a whole number");
    usage_error(CERT " --echo --handshake-timeout", "option --handshake-timeout needs a value");
    usage_error(CERT " --echo --bogus", "padlock server: unknown option --bogus");
    usage_error(CERT " --echo extra", "padlock server: unexpected argument 'extra'");
    usage_error(CERT " --echo --listen localhost", "--listen 'localhost' is not an IP address");
    usage_error(CERT " --echo --listen 300.1.1.1", "--listen '300.1.1.1' is not an IP address");
    char many[2048] = "";
    for (int i = 0; i < 9; i++) {
        strcat(many, CERT " ");
    }
    strcat(many, "--echo");
    usage_error(many, "at most 8 --cert options");
}

static void test_bad_files(void **state) {
    (void)state;
    refused("--cert missing.pem --key localhost-key.pem --echo",
            "padlock server: --cert missing.pem --key localhost-key.pem: ");
    expect_err("missing.pem");
    refused("--cert localhost.pem --key missing-key.pem --echo", "missing-key.pem");
    /* Malformed PEM, a key that is not the certificate's, a file without a key. */
    char path[4400];
    snprintf(path, sizeof(path), "%s/garbage.pem", pl_srv_pki());
    const char garbage[] = "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n"
                           "-----END CERTIFICATE-----\n";
    assert_int_equal(pl_test_write_file(path, garbage, strlen(garbage)), 0);
    refused("--cert garbage.pem --key localhost-key.pem --echo",
            "padlock server: --cert garbage.pem --key localhost-key.pem: ");
    expect_err("garbage.pem");
    refused("--cert localhost.pem --key other-key.pem --echo",
            "padlock server: --cert localhost.pem --key other-key.pem: ");
    expect_err("the private key in other-key.pem does not belong to certificate \"CN=localhost\" "
               "(localhost.pem)");
    refused("--cert localhost.pem --echo",
            "padlock server: --cert localhost.pem: no private key padlock can use in it (name "
            "the key's file with --key)");
    /* The second pair is checked too. */
    refused(CERT " --cert other.pem --key localhost-key.pem --echo",
            "padlock server: --cert other.pem --key localhost-key.pem: ");
    /* Client CAs. */
    refused(CERT " --echo --client-ca missing-ca.pem", "padlock server: --client-ca: ");
    expect_err("missing-ca.pem");
    refused(CERT " --echo --client-ca garbage.pem", "padlock server: --client-ca: ");
    refused(CERT " --echo --client-ca localhost-key.pem",
            "padlock server: --client-ca: localhost-key.pem: no PEM certificate found\n");
    assert_int_equal(pl_test_sh("mkdir -p '%s/empty-cas'", pl_srv_pki()), 0);
    refused(CERT " --echo --client-ca empty-cas",
            "padlock server: --client-ca empty-cas: no certificates in it\n");
    /* --www must be a directory. */
    refused(CERT " --www no-such-dir", "padlock server: --www no-such-dir: No such file or "
                                       "directory");
    refused(CERT " --www localhost.pem", "padlock server: --www localhost.pem: not a directory");
    refused(CERT " --echo --keylog no-such-dir/keys", "padlock server: --keylog: ");
}

static void test_port_in_use(void **state) {
    (void)state;
    int port;
    int s = pl_test_loopback_listen(1, &port);
    assert_int_equal(server(CERT " --echo --port %d", port), 3);
    close(s);
    char want[160];
    snprintf(want, sizeof(want),
             "padlock server: cannot listen on 127.0.0.1 port %d: the port is in use (another "
             "server? --port 0 picks a free one)\n",
             port);
    expect_err(want);
    assert_string_equal(g_run.out, "");
    /* An address of another machine. */
    assert_int_equal(server(CERT " --echo --port 0 --listen 192.0.2.1"), 3);
    expect_err("padlock server: cannot listen on 192.0.2.1 port 0: that address is not one of "
               "this machine's\n");
}

/* A certificate out of its validity starts the server (the operator may know better) but is
 * called out: clients will refuse it. Certificates from the X.509 corpus (openssl CLI). */
static void test_validity_warnings(void **state) {
    (void)state;
    const char *corpus = pl_test_binary_dir();
    const struct {
        const char *cert;
        const char *warning;
    } cases[] = {
        {"leaf_expired", "padlock server: warning: it expired on 2025-01-01T00:00:00Z: clients "
                         "will refuse it\n"},
        {"leaf_future", "padlock server: warning: it is valid only from 2035-01-01T00:00:00Z: "
                        "clients will refuse it until then\n"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char args[4400];
        snprintf(args, sizeof(args),
                 "--cert %s/x509-corpus/%s.pem --key %s/x509-corpus/k_ee.key "
                 "--echo",
                 corpus, cases[i].cert, corpus);
        pl_srv s;
        pl_srv_start(&s, args);
        assert_int_equal(pl_srv_stop(&s, SIGTERM), 0);
        char *log = pl_srv_log(&s);
        if (strstr(log, cases[i].warning) == NULL) {
            fail_msg("no warning \"%s\" in:\n%s", cases[i].warning, log);
        }
        free(log);
    }
    /* A current certificate gets none. */
    pl_srv s;
    pl_srv_start(&s, CERT " --echo");
    assert_int_equal(pl_srv_stop(&s, SIGTERM), 0);
    char *log = pl_srv_log(&s);
    assert_null(strstr(log, "warning"));
    free(log);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_port_in_use),
        cmocka_unit_test(test_validity_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
