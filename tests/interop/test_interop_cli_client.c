/* `padlock client` against `openssl s_server` on 127.0.0.1 (and ::1) with certificates made for
 * the run: the text summary field by field, the JSON summary parsed with json-c (also ahead of
 * relayed data and on a refusal), the relay (a line, 512 KiB, a KeyUpdate and tickets that never
 * show as data, close_notify from either side first), ALPN, --legacy-rsa-key-exchange against a
 * TLS 1.2 server with RSA key transport only, client certificates, key log lines
 * checked against the server's own, and refusals: wrong name, untrusted root, expired leaf,
 * truncation by a killed server; exit codes and messages asserted. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "json_member.h"
#include "padlock/x509.h"
#include "peer.h"
#include "testlib.h"

static pl_test_run g_run;

/* Starts s_server (TLS 1.3) with the leaf of kind, its issuer, and extra options. */
static void start(pl_peer *p, const char *kind, const char *extra) {
    char line[8192];
    const char *d = pl_interop_certs();
    const char *issuer = strcmp(kind, "rogue") == 0 ? "rogue-root" : "inter";
    int n = snprintf(line, sizeof(line),
                     "openssl s_server -accept 127.0.0.1:{port} -tls1_3 -cert %s/%s.pem "
                     "-key %s/%s.key -cert_chain %s/%s.pem %s",
                     d, kind, d, kind, d, issuer, extra);
    assert_true(n > 0 && (size_t)n < sizeof(line)); /* a long temporary path must not be cut */
    pl_peer_start_line(p, d, "ACCEPT", NULL, line);
}

/* Runs `padlock client ARGS` (printf-style) in the certificates' directory; standard input
 * is empty unless ARGS redirect it. */
#define client(...) pl_test_padlockf(&g_run, pl_interop_certs(), "", "client " __VA_ARGS__)

static void expect_in(const char *text, const char *what, const char *part) {
    if (strstr(text, part) == NULL) {
        fail_msg("%s does not contain \"%s\":\n%s", what, part, text);
    }
}

#define EXPECT_ERR(part) expect_in(g_run.err, "stderr", part)

/* Writes text to a file in the test's scratch directory; returns its path (static). */
static const char *input_file(const char *name, const char *text) {
    static char path[4200];
    snprintf(path, sizeof(path), "%s/%s", pl_test_tmpdir(), name);
    assert_int_equal(pl_test_write_file(path, text, strlen(text)), 0);
    return path;
}

static void test_summary_and_relay(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p256", "-rev");
    assert_int_equal(client("--cafile root.pem localhost:%d < '%s'", server.port,
                            input_file("hello.txt", "hello padlock\n")),
                     0);
    pl_peer_stop(&server);
    assert_string_equal(g_run.out, "kcoldap olleh\n"); /* s_server -rev answers reversed */
    char head[128];
    snprintf(head, sizeof(head), "padlock client: connected to localhost port %d (127.0.0.1)\n",
             server.port);
    const char *lines[] = {
        head,
        "  protocol:          TLSv1.3\n",
        "  cipher suite:      TLS_AES_128_GCM_SHA256\n",
        "  key exchange:      x25519\n",
        "  server signature:  ecdsa_secp256r1_sha256\n",
        "  ALPN:              none (not offered)\n",
        "  resumed:           no\n",
        "  server certificates (2, in the order sent):\n",
        "    [0] CN=p256 p256\n",
        "        issuer:      CN=inter,O=padlock interop\n",
        "        names:       DNS:localhost, IP:127.0.0.1\n",
        "        key:         EC P-256\n",
        "    [1] CN=inter,O=padlock interop\n",
        "        issuer:      CN=root,O=padlock interop\n",
        "        names:       none\n",
        "  verification:      ok: chain to trusted root \"CN=root,O=padlock interop\", valid for "
        "localhost\n",
        "padlock client: the server closed the connection (close_notify)\n",
    };
    const char *at = g_run.err;
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        const char *found = strstr(at, lines[i]);
        if (found == NULL) {
            fail_msg("no \"%s\" (in this order) in:\n%s", lines[i], g_run.err);
        }
        at = found + strlen(lines[i]);
    }
    /* Validity: RFC 3339 bounds, the leaf's 30 days (make_certs.sh) ending after now. */
    const char *valid = strstr(g_run.err, "        valid:       ");
    assert_non_null(valid);
    char from[PADLOCK_RFC3339_BUF], until[PADLOCK_RFC3339_BUF];
    assert_int_equal(sscanf(valid, "        valid:       %20s to %20s", from, until), 2);
    int64_t t0, t1;
    PL_ASSERT_OK(padlock_time_parse(from, &t0));
    PL_ASSERT_OK(padlock_time_parse(until, &t1));
    assert_int_equal(t1 - t0, 30 * 86400);
    assert_true(t1 > (int64_t)time(NULL));
}

/* What the server chooses shows: another suite and group (after a HelloRetryRequest), an RSA
 * key signing with PSS. */
static void test_summary_follows_negotiation(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "rsa", "-rev -ciphersuites TLS_CHACHA20_POLY1305_SHA256 -groups P-384");
    assert_int_equal(client("-n --cafile root.pem 127.0.0.1:%d", server.port), 0);
    pl_peer_stop(&server);
    assert_string_equal(g_run.out, "");
    EXPECT_ERR("  cipher suite:      TLS_CHACHA20_POLY1305_SHA256\n");
    EXPECT_ERR("  key exchange:      secp384r1\n");
    EXPECT_ERR("  server signature:  rsa_pss_rsae_sha");
    EXPECT_ERR("    [0] CN=rsa rsa\n");
    EXPECT_ERR("        key:         RSA 2048 bits\n");
    EXPECT_ERR("valid for 127.0.0.1\n");
}

/* Parses the JSON object at the start of text; *rest is what follows it. */
static json_object *parse_prefix(const char *text, const char **rest) {
    json_tokener *tok = json_tokener_new();
    json_object *doc = json_tokener_parse_ex(tok, text, (int)strlen(text));
    if (doc == NULL) {
        fail_msg("not JSON: %s", text);
    }
    *rest = text + json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    return doc;
}

static void test_json(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p256", "-rev -alpn h2");
    /* The summary comes first on stdout, the server's data after it. */
    assert_int_equal(client("--json --alpn h2 --cafile root.pem localhost:%d < '%s'", server.port,
                            input_file("json.txt", "abc\n")),
                     0);
    pl_peer_stop(&server);
    assert_string_equal(g_run.err, "");
    const char *rest;
    json_object *doc = parse_prefix(g_run.out, &rest);
    assert_string_equal(rest, "cba\n"); /* the tokener took the newline after the object */
    assert_non_null(strstr(g_run.out, "\n}\ncba\n"));
    assert_string_equal(pl_json_str(doc, "host"), "localhost");
    assert_int_equal(json_object_get_int(pl_json_member(doc, "port")), server.port);
    assert_string_equal(pl_json_str(doc, "address"), "127.0.0.1");
    assert_string_equal(pl_json_str(doc, "server_name"), "localhost");
    assert_true(json_object_get_boolean(pl_json_member(doc, "handshake_complete")));
    assert_string_equal(pl_json_str(doc, "protocol"), "TLSv1.3");
    assert_string_equal(pl_json_str(doc, "cipher_suite"), "TLS_AES_128_GCM_SHA256");
    assert_string_equal(pl_json_str(doc, "group"), "x25519");
    assert_string_equal(pl_json_str(doc, "signature_scheme"), "ecdsa_secp256r1_sha256");
    assert_string_equal(pl_json_str(doc, "alpn"), "h2");
    assert_false(json_object_get_boolean(pl_json_member(doc, "resumed")));
    json_object *chain = pl_json_member(doc, "chain");
    assert_int_equal(json_object_array_length(chain), 2);
    json_object *leaf = json_object_array_get_idx(chain, 0);
    assert_string_equal(pl_json_str(leaf, "subject"), "CN=p256 p256");
    assert_string_equal(pl_json_str(leaf, "issuer"), "CN=inter,O=padlock interop");
    assert_string_equal(pl_json_str(leaf, "key_type"), "ec-p256");
    assert_int_equal(json_object_get_int(pl_json_member(leaf, "key_bits")), 256);
    assert_string_equal(pl_json_str(leaf, "signature_algorithm"), "ecdsa-with-SHA256");
    int64_t t;
    PL_ASSERT_OK(padlock_time_parse(pl_json_str(leaf, "not_before"), &t));
    PL_ASSERT_OK(padlock_time_parse(pl_json_str(leaf, "not_after"), &t));
    assert_int_equal(strlen(pl_json_str(leaf, "sha256_fingerprint")), 32 * 3 - 1);
    json_object *sans = pl_json_member(leaf, "subject_alt_names");
    assert_int_equal(json_object_array_length(sans), 2);
    assert_string_equal(pl_json_str(json_object_array_get_idx(sans, 0), "type"), "dns");
    assert_string_equal(pl_json_str(json_object_array_get_idx(sans, 0), "value"), "localhost");
    assert_string_equal(pl_json_str(json_object_array_get_idx(sans, 1), "type"), "ip");
    assert_string_equal(pl_json_str(json_object_array_get_idx(sans, 1), "value"), "127.0.0.1");
    assert_string_equal(pl_json_str(json_object_array_get_idx(chain, 1), "subject"),
                        "CN=inter,O=padlock interop");
    json_object *v = pl_json_member(doc, "verification");
    assert_true(json_object_get_boolean(pl_json_member(v, "enabled")));
    assert_true(json_object_get_boolean(pl_json_member(v, "ok")));
    assert_string_equal(pl_json_str(v, "peer_name"), "localhost");
    assert_string_equal(pl_json_str(v, "trust_anchor"), "CN=root,O=padlock interop");
    assert_null(pl_json_member(doc, "error"));
    json_object_put(doc);
}

/* A refused chain still gives the whole document, with the reason, and exit 1. */
static void test_json_refused(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "expired", "");
    assert_int_equal(client("-n --json --cafile root.pem localhost:%d", server.port), 1);
    pl_peer_stop(&server);
    const char *rest;
    json_object *doc = parse_prefix(g_run.out, &rest);
    assert_string_equal(rest, "");
    assert_false(json_object_get_boolean(pl_json_member(doc, "handshake_complete")));
    assert_string_equal(pl_json_str(doc, "protocol"), "TLSv1.3");
    assert_null(pl_json_member(doc, "signature_scheme")); /* refused before CertificateVerify */
    json_object *chain = pl_json_member(doc, "chain");
    assert_int_equal(json_object_array_length(chain), 2);
    assert_string_equal(pl_json_str(json_object_array_get_idx(chain, 0), "not_after"),
                        "2020-02-01T00:00:00Z");
    json_object *v = pl_json_member(doc, "verification");
    assert_false(json_object_get_boolean(pl_json_member(v, "ok")));
    expect_in(pl_json_str(v, "message"), "message",
              "certificate \"CN=expired\" expired on 2020-02-01");
    assert_null(pl_json_member(v, "trust_anchor"));
    json_object *e = pl_json_member(doc, "error");
    assert_string_equal(pl_json_str(e, "kind"), "certificate");
    assert_int_equal(json_object_get_int(pl_json_member(e, "code")), PADLOCK_E_CERT_EXPIRED);
    EXPECT_ERR("padlock client: handshake failed: certificate \"CN=expired\" expired on "
               "2020-02-01T00:00:00Z\n");
    json_object_put(doc);
}

/* 512 KiB of lines through s_server -rev: both directions at once, so the relay has to read
 * while it writes; the output compared byte for byte. */
static void test_relay_bulk(void **state) {
    (void)state;
    enum { LINE = 1024, LINES = 512, SIZE = LINE * LINES };
    char *in = malloc(SIZE + 1), *want = malloc(SIZE);
    pl_test_rng rng;
    pl_test_rng_seed(&rng, 7);
    PL_ASSERT_OK(pl_test_rng_fill(&rng, (uint8_t *)in, SIZE));
    for (size_t l = 0; l < LINES; l++) {
        char *line = in + l * LINE;
        for (size_t i = 0; i < LINE - 1; i++) {
            line[i] = (char)('a' + (uint8_t)line[i] % 26);
            want[l * LINE + LINE - 2 - i] = line[i];
        }
        line[LINE - 1] = want[l * LINE + LINE - 1] = '\n';
    }
    in[SIZE] = '\0';
    const char *in_path = input_file("bulk.in", in);
    char out_path[4200];
    snprintf(out_path, sizeof(out_path), "%s/bulk.out", pl_test_tmpdir());
    pl_peer server;
    start(&server, "ed25519", "-rev");
    assert_int_equal(pl_test_sh("cd '%s' && '%s/padlock' client -q --cafile root.pem "
                                "localhost:%d <'%s' >'%s'",
                                pl_interop_certs(), pl_test_binary_dir(), server.port, in_path,
                                out_path),
                     0);
    pl_peer_stop(&server);
    size_t len;
    uint8_t *out = pl_test_read_file(out_path, &len);
    assert_non_null(out);
    assert_int_equal(len, SIZE);
    assert_memory_equal(out, want, SIZE);
    free(out);
    free(in);
    free(want);
}

/* padlock client running in the background with its standard input on a pipe. */
typedef struct pl_bg {
    pid_t pid;
    int in_fd;
    char out[4200], err[4200];
} pl_bg;

static void bg_start(pl_bg *b, const char *args) {
    snprintf(b->out, sizeof(b->out), "%s/bg.out", pl_test_tmpdir());
    snprintf(b->err, sizeof(b->err), "%s/bg.err", pl_test_tmpdir());
    char cmd[24576];
    snprintf(cmd, sizeof(cmd), "cd '%s' && exec '%s/padlock' client %s >'%s' 2>'%s'",
             pl_interop_certs(), pl_test_binary_dir(), args, b->out, b->err);
    int p[2];
    assert_int_equal(pipe(p), 0);
    b->pid = fork();
    assert_true(b->pid >= 0);
    if (b->pid == 0) {
        dup2(p[0], 0);
        close(p[0]);
        close(p[1]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(p[0]);
    b->in_fd = p[1];
}

/* The exit status (waiting 10 s at most; then it is killed and the test fails). */
static int bg_wait(pl_bg *b) {
    int status = 0;
    for (int i = 0; i < 500; i++) {
        if (waitpid(b->pid, &status, WNOHANG) == b->pid) {
            if (b->in_fd >= 0) {
                close(b->in_fd);
            }
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        poll(NULL, 0, 20);
    }
    kill(b->pid, SIGKILL);
    waitpid(b->pid, NULL, 0);
    fail_msg("padlock client did not end within 10 s");
    return -1;
}

static void bg_read(const char *path, char *out, size_t cap) {
    size_t len;
    char *text = (char *)pl_test_read_file(path, &len);
    snprintf(out, cap, "%s", text != NULL ? text : "");
    free(text);
}

/* Waits (5 s at most) until the background client printed want. */
static void bg_expect_out(const pl_bg *b, const char *want) {
    char out[4096] = "";
    for (int i = 0; i < 250 && strcmp(out, want) != 0; i++) {
        poll(NULL, 0, 20);
        bg_read(b->out, out, sizeof(out));
    }
    assert_string_equal(out, want);
}

/* The server sends a KeyUpdate asking for one back, then a line: the client answers the
 * KeyUpdate and prints only the line (the tickets s_server sends after the handshake never show
 * either). The end of its input is close_notify, which the server answers: exit 0. */
static void test_key_update(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p384", "-msg");
    pl_bg b;
    char args[256];
    snprintf(args, sizeof(args), "-q --cafile root.pem localhost:%d", server.port);
    bg_start(&b, args);
    assert_true(pl_peer_log_wait(&server, "CIPHER is", 5000));
    pl_peer_stdin(&server, "K\n");
    assert_true(pl_peer_log_wait(&server, "<<< TLS 1.3, Handshake [length 0005], KeyUpdate", 5000));
    pl_peer_stdin(&server, "after the update\n");
    bg_expect_out(&b, "after the update\n");
    close(b.in_fd);
    b.in_fd = -1;
    assert_int_equal(bg_wait(&b), 0);
    assert_true(
        pl_peer_log_wait(&server, "<<< TLS 1.3, Alert [length 0002], warning close_notify", 5000));
    pl_peer_stop(&server);
    char err[4096];
    bg_read(b.err, err, sizeof(err));
    assert_string_equal(err, "");
}

/* The server closes first (s_server -rev on a line "CLOSE") while the client's input is still
 * open: a clean end, exit 0. */
static void test_server_closes_first(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p256", "-rev");
    pl_bg b;
    char args[256];
    snprintf(args, sizeof(args), "--cafile root.pem localhost:%d", server.port);
    bg_start(&b, args);
    assert_int_equal(write(b.in_fd, "abc\nCLOSE\n", 10), 10);
    assert_int_equal(bg_wait(&b), 0);
    pl_peer_stop(&server);
    char out[4096], err[4096];
    bg_read(b.out, out, sizeof(out));
    bg_read(b.err, err, sizeof(err));
    assert_string_equal(out, "cba\n");
    expect_in(err, "stderr", "padlock client: the server closed the connection (close_notify)\n");
}

/* A server that dies mid-session: no close_notify, so the end cannot be told from a truncation:
 * exit 3 with the reason. */
static void test_truncated(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p256", "-rev");
    pl_bg b;
    char args[256];
    snprintf(args, sizeof(args), "-q --cafile root.pem localhost:%d", server.port);
    bg_start(&b, args);
    assert_int_equal(write(b.in_fd, "one\n", 4), 4);
    bg_expect_out(&b, "eno\n");
    kill(server.pid, SIGKILL);
    assert_int_equal(bg_wait(&b), 3);
    pl_peer_stop(&server);
    char err[4096];
    bg_read(b.err, err, sizeof(err));
    expect_in(err, "stderr", "without close_notify");
}

static void test_alpn(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p256", "-rev -alpn h2,http/1.1");
    assert_int_equal(
        client("-n --alpn spdy/1,http/1.1 --cafile root.pem localhost:%d", server.port), 0);
    EXPECT_ERR("  ALPN:              http/1.1\n");
    assert_int_equal(client("-n --alpn spdy/1 --cafile root.pem localhost:%d", server.port), 1);
    EXPECT_ERR("padlock client: handshake failed: peer sent fatal alert no_application_protocol");
    pl_peer_stop(&server);
    /* Offered to a server without ALPN: none chosen, and said so. */
    start(&server, "p256", "-rev");
    assert_int_equal(client("-n --alpn h2 --cafile root.pem localhost:%d", server.port), 0);
    EXPECT_ERR("  ALPN:              none (the server chose none)\n");
    pl_peer_stop(&server);
}

/* --legacy-rsa-key-exchange against a TLS 1.2 s_server that knows only RSA key transport:
 * refused without it (no suite in common), connected with it. */
static void test_legacy_rsa_key_exchange(void **state) {
    (void)state;
    char line[1024];
    const char *d = pl_interop_certs();
    snprintf(line, sizeof(line),
             "openssl s_server -accept 127.0.0.1:{port} -tls1_2 -cipher AES128-GCM-SHA256 -cert "
             "%s/rsa.pem -key %s/rsa.key -cert_chain %s/inter.pem -rev",
             d, d, d);
    pl_peer server;
    pl_peer_start_line(&server, d, "ACCEPT", NULL, line);
    assert_int_equal(client("-n --cafile root.pem 127.0.0.1:%d", server.port), 1);
    EXPECT_ERR("padlock client: handshake failed: peer sent fatal alert handshake_failure");
    assert_int_equal(
        client("-n --legacy-rsa-key-exchange --cafile root.pem 127.0.0.1:%d", server.port), 0);
    pl_peer_stop(&server);
    EXPECT_ERR("  protocol:          TLSv1.2\n");
    EXPECT_ERR("  cipher suite:      TLS_RSA_WITH_AES_128_GCM_SHA256\n");
    EXPECT_ERR("  key exchange:      RSA key transport (no forward secrecy)\n");
}

static void test_client_certificate(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p256", "-rev -Verify 1 -CAfile root.pem");
    /* Without one, TLS 1.3 refuses after the client's last flight: the alert is named. */
    assert_int_equal(client("-q --cafile root.pem localhost:%d < '%s'", server.port,
                            input_file("mtls.txt", "mtls\n")),
                     1);
    EXPECT_ERR("padlock client: peer sent fatal alert certificate_required");
    assert_int_equal(client("-q --cafile root.pem --cert client-chain.pem --key client.key "
                            "localhost:%d < '%s'",
                            server.port, input_file("mtls.txt", "mtls\n")),
                     0);
    assert_string_equal(g_run.out, "sltm\n");
    assert_true(pl_peer_log_wait(&server, "CN = client p256", 5000));
    pl_peer_stop(&server);
}

/* Counts the lines of a key log file that are well-formed: LABEL, 32 octets of client random
 * and a secret of a SHA-256 or SHA-384 length, in lower- or upper-case hex. */
static int keylog_lines(const char *text, const char *label) {
    int n = 0;
    for (const char *line = text; *line != '\0';) {
        const char *end = strchr(line, '\n');
        assert_non_null(end);
        char name[64], random[80], secret[120];
        assert_int_equal(sscanf(line, "%63s %79s %119s", name, random, secret), 3);
        assert_int_equal(strlen(random), 64);
        assert_true(strlen(secret) == 64 || strlen(secret) == 96);
        assert_int_equal(strspn(random, "0123456789abcdefABCDEF"), 64);
        n += strcmp(name, label) == 0;
        line = end + 1;
    }
    return n;
}

/* The key log holds the session's secrets: the same lines the server logged for it. */
static void test_keylog(void **state) {
    (void)state;
    char ours[4200], theirs[4200];
    snprintf(ours, sizeof(ours), "%s/client.keys", pl_test_tmpdir());
    snprintf(theirs, sizeof(theirs), "%s/server.keys", pl_test_tmpdir());
    char extra[4400];
    snprintf(extra, sizeof(extra), "-rev -keylogfile %s", theirs);
    pl_peer server;
    start(&server, "p256", extra);
    assert_int_equal(
        client("-n -q --keylog '%s' --cafile root.pem localhost:%d", ours, server.port), 0);
    pl_peer_stop(&server);
    size_t len;
    char *mine = (char *)pl_test_read_file(ours, &len);
    char *server_log = (char *)pl_test_read_file(theirs, &len);
    assert_non_null(mine);
    assert_non_null(server_log);
    assert_int_equal(keylog_lines(mine, "CLIENT_TRAFFIC_SECRET_0"), 1);
    assert_int_equal(keylog_lines(mine, "SERVER_TRAFFIC_SECRET_0"), 1);
    assert_int_equal(keylog_lines(mine, "CLIENT_HANDSHAKE_TRAFFIC_SECRET"), 1);
    assert_int_equal(keylog_lines(mine, "SERVER_HANDSHAKE_TRAFFIC_SECRET"), 1);
    /* Every line we wrote is one the server wrote for the same connection. */
    int lines = 0;
    for (char *save = NULL, *line = strtok_r(mine, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save), lines++) {
        expect_in(server_log, "the server's key log", line);
    }
    assert_true(lines >= 4);
    struct stat st;
    assert_int_equal(stat(ours, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    free(mine);
    free(server_log);
}

static void test_ipv6(void **state) {
    (void)state;
    pl_peer server;
    const char *d = pl_interop_certs();
    char line[1024];
    snprintf(line, sizeof(line),
             "openssl s_server -accept [::1]:{port} -tls1_3 -cert %s/p256.pem -key %s/p256.key "
             "-cert_chain %s/inter.pem -rev",
             d, d, d);
    pl_peer_start_line(&server, d, "ACCEPT", NULL, line);
    assert_int_equal(client("--servername localhost --cafile root.pem [::1]:%d < '%s'", server.port,
                            input_file("v6.txt", "six\n")),
                     0);
    pl_peer_stop(&server);
    assert_string_equal(g_run.out, "xis\n");
    char head[128];
    snprintf(head, sizeof(head), "connected to ::1 port %d (::1)\n", server.port);
    EXPECT_ERR(head);
    EXPECT_ERR("valid for localhost\n");
}

/* Refusals print the chain as received and the reason naming what is at fault; exit 1. */
static void test_refused(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p256", "");
    assert_int_equal(
        client("-n --cafile root.pem --servername wrong.example 127.0.0.1:%d", server.port), 1);
    EXPECT_ERR("    [0] CN=p256 p256\n");
    EXPECT_ERR("  verification:      FAILED: certificate \"CN=p256 p256\" does not match DNS "
               "name wrong.example");
    EXPECT_ERR("padlock client: handshake failed: certificate \"CN=p256 p256\" does not match");
    assert_true(pl_peer_log_wait(&server, "SSL alert number 42", 5000));
    pl_peer_stop(&server);

    start(&server, "rogue", "");
    assert_int_equal(client("-n --cafile root.pem localhost:%d", server.port), 1);
    EXPECT_ERR("    [1] CN=rogue-root,O=padlock interop\n");
    EXPECT_ERR("FAILED: no trusted root: certificate \"CN=rogue-root,O=padlock interop\"");
    /* With --insecure-no-verify it connects, and still says what verification would say. */
    assert_int_equal(client("-n --insecure-no-verify --cafile root.pem localhost:%d", server.port),
                     0);
    EXPECT_ERR("  verification:      NOT VERIFIED (--insecure-no-verify); it would fail: no "
               "trusted root");
    pl_peer_stop(&server);

    start(&server, "expired", "");
    assert_int_equal(client("-n --cafile root.pem localhost:%d", server.port), 1);
    EXPECT_ERR("        valid:       2020-01-01T00:00:00Z to 2020-02-01T00:00:00Z (expired)\n");
    EXPECT_ERR("FAILED: certificate \"CN=expired\" expired on 2020-02-01T00:00:00Z\n");
    assert_true(pl_peer_log_wait(&server, "SSL alert number 45", 5000));
    pl_peer_stop(&server);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_and_relay),
        cmocka_unit_test(test_summary_follows_negotiation),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_json_refused),
        cmocka_unit_test(test_relay_bulk),
        cmocka_unit_test(test_key_update),
        cmocka_unit_test(test_server_closes_first),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_alpn),
        cmocka_unit_test(test_legacy_rsa_key_exchange),
        cmocka_unit_test(test_client_certificate),
        cmocka_unit_test(test_keylog),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_refused),
    };
    pl_test_apply_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
