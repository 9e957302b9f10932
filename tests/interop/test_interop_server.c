/* Real clients against a padlock server (a thread of this test on 127.0.0.1, one per
 * configuration): `openssl s_client` for every suite x group x server key, a
 * HelloRetryRequest, -sess_out/-sess_in resumption, client certificates (given, missing under
 * "required", untrusted), ALPN and KeyUpdate both ways; `gnutls-cli` for every suite and group,
 * --resume and a client certificate; `curl` fetching a page over HTTPS, verified against the
 * test CA; Python's ssl module (handshake, ALPN, client certificate, echo, resumption); and
 * examples/tls_echo_server as a process under s_client. Each
 * check compares what the client printed with what the server recorded. Clients run under
 * `timeout`, so none can hang the test. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padlock/x509.h"
#include "peer.h"
#include "server.h"
#include "testlib.h"

static const char *const suite_names[3] = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                                           "TLS_CHACHA20_POLY1305_SHA256"};
static const char *const openssl_groups[3] = {"X25519", "P-256", "P-384"};

/* Runs a shell command line; returns its output (stdout and stderr), which the caller frees. */
static char *run(const char *cmd) {
    char *out = NULL;
    pl_test_sh_capture(&out, "( %s ) 2>&1", cmd);
    assert_non_null(out);
    return out;
}

static void expect_ok(const pl_srv_result *r) {
    if (r->handshake != PADLOCK_OK) {
        fail_msg("the server's handshake failed: %s (%s)", padlock_strerror(r->handshake),
                 r->message);
    }
}

/* A client started as a process (its command line split at spaces) whose standard input the
 * test writes and whose output goes to a log; returns once ready appears in that output. */
static void client_start(pl_peer *c, const char *line, const char *ready) {
    pl_peer_start_line(c, pl_test_tmpdir(), ready, NULL, line);
}

/* How often the client printed needle so far. */
static int client_count(const pl_peer *c, const char *needle) {
    size_t len;
    char *log = (char *)pl_test_read_file(c->log_path, &len);
    int n = 0;
    for (const char *at = log; at != NULL && (at = strstr(at, needle)) != NULL; at++) {
        n++;
    }
    free(log);
    return n;
}

/* ---- openssl s_client ----------------------------------------------------------------------- */

/* s_client to the server with extra options, sending lines (with \n escapes for printf) and
 * waiting for the server to close. */
static char *s_client(const pl_srv *s, const char *extra, const char *lines) {
    char cmd[2048];
    snprintf(cmd, sizeof(cmd),
             "printf '%s' | timeout 20 openssl s_client -connect 127.0.0.1:%d -servername "
             "localhost -tls1_3 -CAfile %s/root.pem -verify_return_error -ign_eof %s",
             lines, s->port, pl_interop_certs(), extra);
    return run(cmd);
}

static void test_openssl_matrix(void **state) {
    (void)state;
    size_t seen = 0;
    for (size_t k = 0; k < 4; k++) {
        padlock_config *cfg = pl_srv_config_for(pl_interop_kinds[k]);
        pl_srv s;
        pl_srv_start(&s, cfg, PL_SRV_LINES);
        for (size_t c = 0; c < 3; c++) {
            for (size_t g = 0; g < 3; g++) {
                char extra[256], greeting[128];
                snprintf(extra, sizeof(extra), "-ciphersuites %s -groups %s", suite_names[c],
                         openssl_groups[g]);
                char *out = s_client(&s, extra, "hello openssl\\nquit\\n");
                const pl_srv_result *r = pl_srv_wait(&s, c * 3 + g + 1);
                expect_ok(r);
                assert_int_equal(r->suite, pl_interop_suites[c]);
                assert_int_equal(r->group, pl_interop_groups[g]);
                assert_string_equal(r->sni, "localhost");
                assert_int_equal(r->lines, 1);
                snprintf(greeting, sizeof(greeting), "padlock %s %s resumed=0", suite_names[c],
                         padlock_group_name(pl_interop_groups[g]));
                pl_expect_output(out, greeting);
                pl_expect_output(out, "echo: hello openssl");
                pl_expect_output(out, "Verify return code: 0 (ok)");
                snprintf(greeting, sizeof(greeting), "Cipher is %s", suite_names[c]);
                pl_expect_output(out, greeting);
                free(out);
                seen++;
            }
        }
        pl_srv_stop(&s);
        padlock_config_free(cfg);
    }
    assert_int_equal(seen, 36);
}

/* The client's key share (X25519) is for a group the server does not take: a
 * HelloRetryRequest brings P-384. */
static void test_openssl_hello_retry(void **state) {
    (void)state;
    padlock_config *cfg = pl_srv_config_for("p256");
    const uint16_t p384[1] = {PADLOCK_GROUP_SECP384R1};
    PL_ASSERT_OK(padlock_config_set_groups(cfg, p384, 1));
    pl_srv s;
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    char *out = s_client(&s, "-groups X25519:P-384", "after a retry\\nquit\\n");
    const pl_srv_result *r = pl_srv_wait(&s, 1);
    expect_ok(r);
    assert_int_equal(r->group, PADLOCK_GROUP_SECP384R1);
    pl_expect_output(out, "echo: after a retry");
    free(out);
    pl_srv_stop(&s);
    padlock_config_free(cfg);
}

static void test_openssl_resumption(void **state) {
    (void)state;
    padlock_config *cfg = pl_srv_config_for("p384");
    pl_srv s;
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    char extra[700];
    snprintf(extra, sizeof(extra), "-sess_out %s/s_client.sess", pl_test_tmpdir());
    char *out = s_client(&s, extra, "first\\nquit\\n");
    pl_expect_output(out, "New, TLSv1.3");
    free(out);
    expect_ok(pl_srv_wait(&s, 1));
    assert_false(pl_srv_wait(&s, 1)->resumed);
    for (size_t i = 2; i <= 3; i++) { /* each resumed session leaves a new ticket */
        snprintf(extra, sizeof(extra), "-sess_in %s/s_client.sess -sess_out %s/s_client.sess",
                 pl_test_tmpdir(), pl_test_tmpdir());
        out = s_client(&s, extra, "again\\nquit\\n");
        const pl_srv_result *r = pl_srv_wait(&s, i);
        expect_ok(r);
        assert_true(r->resumed);
        assert_int_equal(r->peer_certs, 0);
        pl_expect_output(out, "Reused, TLSv1.3");
        pl_expect_output(out, "resumed=1");
        pl_expect_output(out, "echo: again");
        free(out);
    }
    pl_srv_stop(&s);
    padlock_config_free(cfg);
}

static void test_openssl_client_certificate(void **state) {
    (void)state;
    padlock_config *cfg = pl_srv_config_for("p256");
    pl_srv_require_client_certs(cfg, PADLOCK_CLIENT_AUTH_REQUIRED);
    pl_srv s;
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    const char *d = pl_interop_certs();
    char extra[1400];
    snprintf(extra, sizeof(extra),
             "-cert %s/client.pem -key %s/client.key -cert_chain %s/inter.pem", d, d, d);
    char *out = s_client(&s, extra, "with a certificate\\nquit\\n");
    const pl_srv_result *r = pl_srv_wait(&s, 1);
    expect_ok(r);
    assert_int_equal(r->peer_certs, 2);
    assert_int_equal(r->scheme, 0x0403);
    pl_expect_output(out, "echo: with a certificate");
    free(out);
    /* None: certificate_required, which s_client reports. */
    out = s_client(&s, "", "nothing\\n");
    r = pl_srv_wait(&s, 2);
    assert_int_equal(r->handshake, PADLOCK_E_CERTIFICATE_REQUIRED);
    pl_expect_output(out, "certificate required");
    free(out);
    /* One under a root the server does not trust: unknown_ca. */
    snprintf(extra, sizeof(extra), "-cert %s/rogue.pem -key %s/rogue.key", d, d);
    out = s_client(&s, extra, "nothing\\n");
    r = pl_srv_wait(&s, 3);
    assert_int_equal(r->handshake, PADLOCK_E_CERT_UNTRUSTED);
    pl_expect_output(out, "unknown ca");
    free(out);
    pl_srv_stop(&s);
    padlock_config_free(cfg);
}

static void test_openssl_alpn(void **state) {
    (void)state;
    padlock_config *cfg = pl_srv_config_for("rsa");
    static const char *const protos[] = {"h2", "http/1.1"};
    PL_ASSERT_OK(padlock_config_set_alpn(cfg, protos, 2));
    pl_srv s;
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    char *out = s_client(&s, "-alpn http/1.1,h2", "alpn\\nquit\\n");
    const pl_srv_result *r = pl_srv_wait(&s, 1);
    expect_ok(r);
    assert_string_equal(r->alpn, "h2"); /* the server's order */
    pl_expect_output(out, "ALPN protocol: h2");
    free(out);
    out = s_client(&s, "-alpn spdy/3", "nothing\\n");
    r = pl_srv_wait(&s, 2);
    assert_int_equal(r->handshake, PADLOCK_E_NO_APPLICATION_PROTOCOL);
    pl_expect_output(out, "no application protocol");
    free(out);
    pl_srv_stop(&s);
    padlock_config_free(cfg);
}

/* s_client's "K" line sends a KeyUpdate asking for one back, "k" one that does not (commands
 * work without -ign_eof, alone in a read of its input: each is sent once the previous line's
 * effect showed). */
static void test_openssl_key_update(void **state) {
    (void)state;
    padlock_config *cfg = pl_srv_config_for("ed25519");
    pl_srv s;
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    char line[1400];
    snprintf(line, sizeof(line),
             "openssl s_client -connect 127.0.0.1:%d -servername localhost -tls1_3 -CAfile "
             "%s/root.pem -verify_return_error",
             s.port, pl_interop_certs());
    pl_peer c;
    client_start(&c, line, "resumed=0");
    pl_peer_stdin(&c, "before\n");
    pl_peer_expect(&c, "echo: before");
    pl_peer_stdin(&c, "K\n");
    pl_peer_expect(&c, "KEYUPDATE");
    pl_peer_stdin(&c, "between\n");
    pl_peer_expect(&c, "echo: between");
    pl_peer_stdin(&c, "k\n");
    for (int i = 0; i < 500 && client_count(&c, "KEYUPDATE") < 2; i++) {
        poll(NULL, 0, 20);
    }
    assert_int_equal(client_count(&c, "KEYUPDATE"), 2);
    pl_peer_stdin(&c, "after\n");
    pl_peer_expect(&c, "echo: after");
    pl_peer_stdin(&c, "quit\n");
    const pl_srv_result *r = pl_srv_wait(&s, 1);
    pl_peer_stop(&c);
    expect_ok(r);
    assert_int_equal(r->lines, 3); /* "K" and "k" were commands, not data */
    assert_int_equal(r->ku_received, 2);
    assert_int_equal(r->ku_sent, 1); /* the answer to "K" */
    pl_srv_stop(&s);
    padlock_config_free(cfg);
}

/* ---- gnutls-cli ----------------------------------------------------------------------------- */

static const char *const gnutls_ciphers[3] = {"AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305"};
static const char *const gnutls_groups[3] = {"GROUP-X25519", "GROUP-SECP256R1", "GROUP-SECP384R1"};

/* gnutls-cli to the server with a priority string and options: waits for the greeting (which
 * says whether the session resumed), sends a line, waits for its echo, and quits. */
static void gnutls_cli(const pl_srv *s, const char *priority, const char *extra, int resumed) {
    char line[2048], greeting[32];
    snprintf(line, sizeof(line),
             "gnutls-cli -p %d --x509cafile %s/root.pem --sni-hostname localhost "
             "--verify-hostname localhost --priority %s %s 127.0.0.1",
             s->port, pl_interop_certs(), priority, extra);
    snprintf(greeting, sizeof(greeting), "resumed=%d", resumed);
    pl_peer c;
    client_start(&c, line, greeting);
    pl_peer_expect(&c, "(TLS1.3");
    if (resumed) {
        pl_peer_expect(&c, "This is a resumed session");
    }
    pl_peer_stdin(&c, "hello gnutls\n");
    pl_peer_expect(&c, "echo: hello gnutls");
    pl_peer_stdin(&c, "quit\n");
    pl_peer_expect(&c, "Peer has closed the GnuTLS connection");
    pl_peer_stop(&c);
}

static void test_gnutls(void **state) {
    (void)state;
    padlock_config *cfg = pl_srv_config_for("p256");
    pl_srv s;
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    size_t n = 0;
    for (size_t c = 0; c < 3; c++) {
        for (size_t g = 0; g < 3; g++) {
            char priority[256];
            snprintf(priority, sizeof(priority),
                     "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+%s:-GROUP-ALL:+%s",
                     gnutls_ciphers[c], gnutls_groups[g]);
            gnutls_cli(&s, priority, "", 0);
            const pl_srv_result *r = pl_srv_wait(&s, ++n);
            expect_ok(r);
            assert_int_equal(r->suite, pl_interop_suites[c]);
            assert_int_equal(r->group, pl_interop_groups[g]);
            assert_int_equal(r->lines, 1);
        }
    }
    /* --resume: a second connection with the ticket of the first. */
    gnutls_cli(&s, "NORMAL:-VERS-ALL:+VERS-TLS1.3", "--resume --waitresumption", 1);
    expect_ok(pl_srv_wait(&s, n + 1));
    const pl_srv_result *r = pl_srv_wait(&s, n + 2);
    expect_ok(r);
    assert_true(r->resumed);
    pl_srv_stop(&s);
    padlock_config_free(cfg);
    /* A client certificate under "required". */
    cfg = pl_srv_config_for("rsa");
    pl_srv_require_client_certs(cfg, PADLOCK_CLIENT_AUTH_REQUIRED);
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    char extra[1300];
    snprintf(extra, sizeof(extra), "--x509certfile %s/client-chain.pem --x509keyfile %s/client.key",
             pl_interop_certs(), pl_interop_certs());
    gnutls_cli(&s, "NORMAL:-VERS-ALL:+VERS-TLS1.3", extra, 0);
    r = pl_srv_wait(&s, 1);
    expect_ok(r);
    assert_int_equal(r->peer_certs, 2);
    pl_srv_stop(&s);
    padlock_config_free(cfg);
}

/* ---- curl ----------------------------------------------------------------------------------- */

static void test_curl(void **state) {
    (void)state;
    padlock_config *cfg = pl_srv_config_for("p256");
    static const char *const http11[] = {"http/1.1"};
    PL_ASSERT_OK(padlock_config_set_alpn(cfg, http11, 1));
    pl_srv s;
    pl_srv_start(&s, cfg, PL_SRV_HTTP);
    char cmd[1400];
    snprintf(cmd, sizeof(cmd),
             "timeout 20 curl -sS --tlsv1.3 --max-time 15 --cacert %s/root.pem --resolve "
             "localhost:%d:127.0.0.1 https://localhost:%d/index.txt",
             pl_interop_certs(), s.port, s.port);
    char *out = run(cmd);
    const pl_srv_result *r = pl_srv_wait(&s, 1);
    expect_ok(r);
    assert_string_equal(out, PL_SRV_HTTP_BODY);
    assert_string_equal(r->alpn, "http/1.1");
    assert_string_equal(r->sni, "localhost");
    free(out);
    /* Verified against the test CA: a curl that trusts another root refuses. */
    snprintf(cmd, sizeof(cmd),
             "timeout 20 curl -sS --tlsv1.3 --max-time 15 --cacert %s/rogue-root.pem --resolve "
             "localhost:%d:127.0.0.1 https://localhost:%d/; echo \"exit $?\"",
             pl_interop_certs(), s.port, s.port);
    out = run(cmd);
    pl_expect_output(out, "exit 60"); /* CURLE_PEER_FAILED_VERIFICATION */
    free(out);
    pl_srv_wait(&s, 2);
    pl_srv_stop(&s);
    padlock_config_free(cfg);
}

/* ---- Python ssl ----------------------------------------------------------------------------- */

static const char python_client[] =
    "import socket, ssl, sys\n"
    "certs, port = sys.argv[1], int(sys.argv[2])\n"
    "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n"
    "ctx.minimum_version = ssl.TLSVersion.TLSv1_3\n"
    "ctx.load_verify_locations(certs + '/root.pem')\n"
    "ctx.set_alpn_protocols(['h2', 'http/1.1'])\n"
    "if len(sys.argv) > 3:\n"
    "    ctx.load_cert_chain(certs + '/client-chain.pem', certs + '/client.key')\n"
    "def line(s):\n"
    "    b = b''\n"
    "    while not b.endswith(b'\\n'):\n"
    "        c = s.recv(1)\n"
    "        if not c:\n"
    "            break\n"
    "        b += c\n"
    "    return b.decode().strip()\n"
    "def talk(session):\n"
    "    with socket.create_connection(('127.0.0.1', port), timeout=10) as raw:\n"
    "        with ctx.wrap_socket(raw, server_hostname='localhost', session=session) as s:\n"
    "            greeting = line(s)\n"
    "            s.sendall(b'hello python\\n')\n"
    "            echo = line(s)\n"
    "            s.sendall(b'quit\\n')\n"
    "            while s.recv(1024):\n"
    "                pass\n"
    "            print(s.version(), s.cipher()[0], s.selected_alpn_protocol(),\n"
    "                  'reused' if s.session_reused else 'new', greeting, '|', echo)\n"
    "            return s.session\n"
    "talk(talk(None))\n";

static void test_python(void **state) {
    (void)state;
    char script[600];
    snprintf(script, sizeof(script), "%s/client.py", pl_test_tmpdir());
    assert_int_equal(pl_test_write_file(script, python_client, strlen(python_client)), 0);
    padlock_config *cfg = pl_srv_config_for("p256");
    static const char *const protos[] = {"h2", "http/1.1"};
    PL_ASSERT_OK(padlock_config_set_alpn(cfg, protos, 2));
    pl_srv_require_client_certs(cfg, PADLOCK_CLIENT_AUTH_OPTIONAL);
    pl_srv s;
    pl_srv_start(&s, cfg, PL_SRV_LINES);
    for (int with_cert = 0; with_cert <= 1; with_cert++) {
        char cmd[1400];
        snprintf(cmd, sizeof(cmd), "timeout 20 python3 %s %s %d %s", script, pl_interop_certs(),
                 s.port, with_cert ? "cert" : "");
        char *out = run(cmd);
        pl_expect_output(out,
                         "TLSv1.3 TLS_AES_128_GCM_SHA256 h2 new padlock TLS_AES_128_GCM_SHA256 "
                         "x25519 resumed=0 | echo: hello python");
        pl_expect_output(out,
                         "TLSv1.3 TLS_AES_128_GCM_SHA256 h2 reused padlock TLS_AES_128_GCM_SHA256 "
                         "x25519 resumed=1 | echo: hello python");
        const pl_srv_result *first = pl_srv_wait(&s, (size_t)with_cert * 2 + 1);
        const pl_srv_result *second = pl_srv_wait(&s, (size_t)with_cert * 2 + 2);
        expect_ok(first);
        expect_ok(second);
        assert_string_equal(first->alpn, "h2");
        assert_false(first->resumed);
        assert_true(second->resumed);
        /* The client certificate, verified in the first handshake, is still known in the
         * resumed one (it travels in the ticket). */
        assert_int_equal(first->peer_certs, with_cert ? 2 : 0);
        assert_int_equal(second->peer_certs, with_cert ? 2 : 0);
        free(out);
    }
    pl_srv_stop(&s);
    padlock_config_free(cfg);
}

/* ---- examples/tls_echo_server ---------------------------------------------------------------- */

/* The example, started as a process, and s_client driven line by line: with a client
 * certificate, then resuming; "Q" makes s_client close. */
static void echo_once(const pl_peer *server, const char *text, const char *extra) {
    const char *d = pl_interop_certs();
    char line[2400];
    snprintf(line, sizeof(line),
             "openssl s_client -connect 127.0.0.1:%d -servername localhost -tls1_3 -CAfile "
             "%s/root.pem -verify_return_error %s",
             server->port, d, extra);
    pl_peer c;
    client_start(&c, line, "Verify return code: 0 (ok)");
    char want[128];
    snprintf(want, sizeof(want), "%s\n", text);
    pl_peer_stdin(&c, want);
    pl_peer_expect(&c, want);
    pl_peer_stdin(&c, "Q\n");
    pl_peer_expect(&c, "DONE");
    pl_peer_stop(&c);
}

static void test_echo_server_example(void **state) {
    (void)state;
    const char *d = pl_interop_certs();
    char exe[600], chain[600], key[600], cas[600];
    snprintf(exe, sizeof(exe), "%s/tls_echo_server", pl_test_binary_dir());
    snprintf(chain, sizeof(chain), "%s/p256-chain.pem", d);
    snprintf(key, sizeof(key), "%s/p256.key", d);
    snprintf(cas, sizeof(cas), "%s/root.pem", d);
    const char *argv[] = {exe, chain, key, "{port}", cas, NULL};
    pl_peer server;
    pl_peer_start(&server, pl_test_tmpdir(), "listening on", NULL, argv);
    char extra[1400];
    snprintf(extra, sizeof(extra),
             "-cert %s/client.pem -key %s/client.key -cert_chain %s/inter.pem -sess_out "
             "%s/echo.sess",
             d, d, d, pl_test_tmpdir());
    echo_once(&server, "echo-me", extra);
    assert_true(pl_peer_log_wait(&server,
                                 "handshake: TLS_AES_128_GCM_SHA256 x25519 resumed=0 "
                                 "name=localhost client=\"CN=client p256\"",
                                 5000));
    snprintf(extra, sizeof(extra), "-sess_in %s/echo.sess", pl_test_tmpdir());
    echo_once(&server, "again", extra);
    assert_true(
        pl_peer_log_wait(&server, "resumed=1 name=localhost client=\"CN=client p256\"", 5000));
    pl_peer_stop(&server);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openssl_matrix),
        cmocka_unit_test(test_openssl_hello_retry),
        cmocka_unit_test(test_openssl_resumption),
        cmocka_unit_test(test_openssl_client_certificate),
        cmocka_unit_test(test_openssl_alpn),
        cmocka_unit_test(test_openssl_key_update),
        cmocka_unit_test(test_gnutls),
        cmocka_unit_test(test_curl),
        cmocka_unit_test(test_python),
        cmocka_unit_test(test_echo_server_example),
    };
    pl_test_apply_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
