/* `padlock client` without a TLS peer (so that it runs under the sanitizers too): --help, bad
 * options and HOST:PORT forms (exit 2), missing and unusable files (exit 2, the file named),
 * and the network failures told apart (exit 3): connection refused, a server that never
 * answers (--timeout), one that closes or resets during the handshake; and a server that does
 * not speak TLS (exit 1). The servers here are sockets of this test on 127.0.0.1. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "loopback.h"
#include "testlib.h"

static pl_test_run g_run;

/* Runs `padlock client ARGS` (printf-style) in the test's directory, standard input empty. */
#define client(...) pl_test_padlockf(&g_run, pl_test_tmpdir(), "", "client " __VA_ARGS__)

#define expect_err(part) pl_test_expect_err(&g_run, part)

/* A usage error: exit 2, the reason, the hint, nothing on stdout. */
static void usage_error(const char *args, const char *reason) {
    client("%s", args);
    pl_test_expect_usage(&g_run, "client", reason);
}

static void test_help(void **state) {
    (void)state;
    assert_int_equal(client("--help"), 0);
    assert_non_null(strstr(g_run.out, "usage: padlock client [options] HOST[:PORT]"));
    const char *options[] = {"--cafile",      "--servername", "--alpn",
                             "--cert",        "--key",        "--insecure-no-verify",
                             "--keylog",      "--timeout",    "--no-stdin",
                             "--quiet",       "--json",       "--legacy-rsa-key-exchange",
                             "Exit status: 0"};
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
        assert_non_null(strstr(g_run.out, options[i]));
    }
    assert_int_equal(pl_test_padlock(&g_run, pl_test_tmpdir(), "", "--help"), 0);
    assert_non_null(strstr(g_run.out, "  client "));
}

static void test_bad_options(void **state) {
    (void)state;
    usage_error("", "padlock client: no HOST:PORT given");
    usage_error("--bogus localhost:1", "padlock client: unknown option --bogus");
    usage_error("localhost:1 localhost:2", "more than one HOST:PORT given (localhost:1, "
                                           "localhost:2)");
    usage_error("::1:443", "'::1:443': an IPv6 address goes in brackets, e.g. [::1]:443");
    usage_error("[::1:443", "'[::1:443': missing ']' after the IPv6 address");
    usage_error("[::1]443", "'[::1]443': expected ':PORT' after ']'");
    usage_error("[localhost]:443", "'localhost' is not an IPv6 address");
    usage_error(":443", "':443': no host name or address");
    usage_error("localhost:", "'localhost:': missing or overlong port");
    usage_error("localhost:0", "port 0 is not between 1 and 65535");
    usage_error("localhost:65536", "port 65536 is not between 1 and 65535");
    usage_error("localhost:no-such-service", "unknown port 'no-such-service'");
    usage_error("--timeout 0 localhost:1", "--timeout must be whole seconds from 1 to 3600, not "
                                           "'0'");
    usage_error("--timeout=1.5 localhost:1", "not '1.5'");
    usage_error("localhost:1 --timeout", "option --timeout needs a value");
    usage_error("--json -q localhost:1", "--json and --quiet cannot be combined");
    usage_error("--key k.pem localhost:1", "--key needs --cert");
    usage_error("--insecure-no-verify --alpn h2,,http/1.1 localhost:1",
                "--alpn 'h2,,http/1.1': each protocol name has 1 to 255 characters");
    usage_error("--insecure-no-verify --servername 'bad name' localhost:1",
                "'bad name' is neither a DNS name nor an IP address");
}

static void test_missing_files(void **state) {
    (void)state;
    assert_int_equal(client("--cafile missing-roots.pem localhost:1"), 2);
    expect_err(
        "padlock client: --cafile: cannot read missing-roots.pem: No such file or directory\n");
    expect_err("No such file or directory");
    assert_int_equal(client("--cafile /etc/hostname localhost:1"), 2);
    expect_err("padlock client: --cafile: /etc/hostname");

    /* A key and its certificate, made here; then each file missing or wrong in turn. */
    char cmd[8192];
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && PADLOCK_CAROOT=ca '%s/padlock' cert ca >/dev/null && "
             "PADLOCK_CAROOT=ca '%s/padlock' cert issue me.example --client >/dev/null",
             pl_test_tmpdir(), pl_test_binary_dir(), pl_test_binary_dir());
    assert_int_equal(pl_test_sh("%s", cmd), 0);
    assert_int_equal(client("--cafile ca/ca.pem --cert missing.pem --key me.example-key.pem "
                            "localhost:1"),
                     2);
    expect_err("padlock client: --cert/--key: ");
    expect_err("missing.pem");
    assert_int_equal(client("--cafile ca/ca.pem --cert me.example.pem --key missing-key.pem "
                            "localhost:1"),
                     2);
    expect_err("missing-key.pem");
    assert_int_equal(client("--cafile ca/ca.pem --cert me.example.pem localhost:1"), 2);
    expect_err("padlock client: --cert me.example.pem: no private key padlock can use in it "
               "(name the key's file with --key)");
    assert_int_equal(client("--cafile ca/ca.pem --cert me.example.pem --key ca/ca-key.pem "
                            "localhost:1"),
                     2);
    expect_err("padlock client: --cert/--key: ");
    assert_int_equal(client("--cafile ca/ca.pem --keylog no-such-dir/keys localhost:1"), 2);
    expect_err("padlock client: --keylog: key log file \"no-such-dir/keys\" cannot be opened "
               "(No such file or directory)");
}

static void test_connection_refused(void **state) {
    (void)state;
    int port;
    int s = pl_test_loopback_listen(4, &port);
    close(s); /* nothing listens there now */
    assert_int_equal(client("--cafile /dev/null -n 127.0.0.1:%d", port), 2); /* roots first */
    assert_int_equal(client("--insecure-no-verify -n 127.0.0.1:%d", port), 3);
    char want[160];
    snprintf(want, sizeof(want),
             "padlock client: cannot connect to 127.0.0.1 port %d (127.0.0.1): connection "
             "refused (nothing listens on that port)\n",
             port);
    assert_string_equal(g_run.err, want);
    assert_string_equal(g_run.out, "");
}

/* The kernel completes the TCP handshake for a socket that is never accepted from: a server
 * that never answers. */
static void test_timeout(void **state) {
    (void)state;
    int port;
    int s = pl_test_loopback_listen(4, &port);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(client("--insecure-no-verify --timeout 1 127.0.0.1:%d", port), 3);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    close(s);
    expect_err("padlock client: handshake failed: timed out during the handshake: the server "
               "sent nothing for 1 s\n");
    assert_true(t1.tv_sec - t0.tv_sec < 5);
    /* --json still gives the document, with the error. */
    s = pl_test_loopback_listen(4, &port);
    assert_int_equal(client("--json --insecure-no-verify --timeout 1 127.0.0.1:%d", port), 3);
    close(s);
    assert_non_null(strstr(g_run.out, "\"handshake_complete\": false"));
    assert_non_null(strstr(g_run.out, "\"kind\": \"network\""));
    assert_non_null(strstr(g_run.out, "\"message\": \"timed out during the handshake"));
}

typedef enum { PL_PEER_CLOSE, PL_PEER_RESET, PL_PEER_HTTP } pl_peer_kind;

/* A child that accepts one connection, reads the ClientHello, then closes, resets or answers
 * like an HTTP server. */
static pid_t fake_server(int s, pl_peer_kind kind) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid != 0) {
        return pid;
    }
    alarm(20);
    int c = accept(s, NULL, NULL);
    char buf[512];
    if (c < 0 || read(c, buf, sizeof(buf)) <= 0) {
        _exit(1);
    }
    if (kind == PL_PEER_RESET) {
        struct linger l = {1, 0};
        setsockopt(c, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    } else if (kind == PL_PEER_HTTP) {
        static const char answer[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        if (write(c, answer, sizeof(answer) - 1) < 0) {
            _exit(1);
        }
    }
    close(c);
    _exit(0);
}

static void against(pl_peer_kind kind, int want_status, const char *want_err) {
    int port;
    int s = pl_test_loopback_listen(4, &port);
    pid_t pid = fake_server(s, kind);
    assert_int_equal(client("--insecure-no-verify -n --timeout 5 127.0.0.1:%d", port), want_status);
    close(s);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    expect_err(want_err);
}

static void test_closed_during_handshake(void **state) {
    (void)state;
    against(PL_PEER_CLOSE, 3, "padlock client: handshake failed: the peer closed the connection");
}

static void test_reset_during_handshake(void **state) {
    (void)state;
    against(PL_PEER_RESET, 3,
            "padlock client: handshake failed: the server reset the connection during the "
            "handshake\n");
}

static void test_not_tls(void **state) {
    (void)state;
    against(PL_PEER_HTTP, 1,
            "padlock client: handshake failed: the peer does not speak TLS: it sent text "
            "(\"HTTP/...\")");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_missing_files),
        cmocka_unit_test(test_connection_refused),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_closed_during_handshake),
        cmocka_unit_test(test_reset_during_handshake),
        cmocka_unit_test(test_not_tls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
