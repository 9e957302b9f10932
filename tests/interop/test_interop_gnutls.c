/* padlock's client against `gnutls-serv --echo` on 127.0.0.1 (its wildcard bind turned into a
 * loopback bind by the bind_loopback shim): every cipher suite x group x server key over a
 * two-level chain that padlock verifies; HelloRetryRequest; client certificates requested (the
 * GnuTLS default) and required; ALPN; KeyUpdate in both directions; 1 MiB each way; close_notify
 * both ways; the exporter against GnuTLS's; and a wrong name, an untrusted root and an expired
 * leaf, each refused with its own error. One server process per configuration, stopped by pid. */
#include <stdio.h>
#include <string.h>

#include "conn.h"
#include "peer.h"
#include "scenario.h"
#include "testlib.h"

/* Starts gnutls-serv (echo mode, TLS 1.3 only) with the chain of kind and extra options. */
static void start(pl_peer *p, const char *kind, const char *extra) {
    char line[1024];
    const char *d = pl_interop_certs();
    snprintf(line, sizeof(line),
             "gnutls-serv --port {port} --echo --x509certfile %s/%s-chain.pem --x509keyfile "
             "%s/%s.key %s",
             d, kind, d, kind, extra);
    if (strstr(extra, "--priority") == NULL) {
        strncat(line, " --priority NORMAL:-VERS-ALL:+VERS-TLS1.3", sizeof(line) - strlen(line) - 1);
    }
    pl_peer_start_line(p, d, PL_GNUTLS_SERV_READY, PL_BIND_LOOPBACK, line);
}

/* Sends a line to `gnutls-serv --echo` and checks it comes back. */
static void echo(pl_client *c, const char *text) {
    char line[256], got[256];
    int len = snprintf(line, sizeof(line), "%s\n", text);
    pl_client_write_all(c, (const uint8_t *)line, (size_t)len);
    pl_client_read_exact(c, (uint8_t *)got, (size_t)len);
    assert_memory_equal(got, line, (size_t)len);
}

static void test_matrix(void **state) {
    (void)state;
    pl_interop_matrix(start, "--disable-client-cert", echo);
}

static void test_hello_retry_request(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p384",
          "--disable-client-cert --priority NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:"
          "+GROUP-SECP384R1");
    pl_interop_hello_retry(&server, echo);
    pl_peer_stop(&server);
}

static void test_client_certificate(void **state) {
    (void)state;
    char extra[600];
    /* gnutls-serv asks for a certificate by default: with one (verified), and without. */
    snprintf(extra, sizeof(extra), "--verify-client-cert --x509cafile %s/root.pem",
             pl_interop_certs());
    pl_peer server;
    start(&server, "ed25519", extra);
    pl_interop_requested_cert(&server, echo);
    assert_true(pl_peer_log_wait(&server, "client p256", 5000));
    pl_peer_stop(&server);

    /* Required: accepted with one; without, the server's alert is named. */
    snprintf(extra, sizeof(extra), "--require-client-cert --x509cafile %s/root.pem",
             pl_interop_certs());
    start(&server, "rsa", extra);
    pl_interop_required_cert(&server, echo);
    pl_peer_stop(&server);
}

static void test_alpn(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p256", "--disable-client-cert --alpn h2 --alpn http/1.1");
    pl_interop_alpn(&server, "h2", echo);
    pl_peer_stop(&server);
}

static void test_key_update(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p256", "--disable-client-cert");
    pl_client_opts o = pl_client_default_opts();
    pl_client c;
    pl_client_connect(&c, &o, server.port);
    const pl_tls *tls = &c.conn->tls;
    /* The client updates and asks the server to; the echo comes back under the server's new
     * keys, after its KeyUpdate. */
    PL_ASSERT_OK(padlock_conn_key_update(c.conn, 1));
    echo(&c, "client-updated");
    assert_int_equal(tls->ku_sent, 1);
    assert_int_equal(tls->ku_received, 1);
    /* In TLS 1.3 GnuTLS's rehandshake request is a KeyUpdate asking for one back: padlock
     * answers it, and the data that follows flows under the new keys both ways. */
    size_t written;
    PL_ASSERT_OK(
        padlock_fd_write(c.conn, c.fd, (const uint8_t *)"**REHANDSHAKE**\n", 16, &written));
    static const char done[] = "Successfully executed command\n";
    char reply[sizeof(done)];
    pl_client_read_exact(&c, (uint8_t *)reply, sizeof(done) - 1);
    assert_memory_equal(reply, done, sizeof(done) - 1);
    echo(&c, "after the server's update");
    assert_int_equal(tls->ku_received, 2);
    assert_int_equal(tls->ku_sent, 2);
    echo(&c, "and after the answer");
    pl_client_finish(&c);
    pl_peer_stop(&server);
}

/* 1 MiB each way through the echo server, in 64 KiB rounds. */
static void test_one_mebibyte(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "p384", "--disable-client-cert");
    pl_client_opts o = pl_client_default_opts();
    o.suite = PADLOCK_TLS_CHACHA20_POLY1305_SHA256;
    pl_interop_one_mebibyte(&server, &o, 2, 64, 0);
    pl_peer_stop(&server);
}

/* padlock's close_notify is answered with GnuTLS's: padlock reads a clean end. */
static void test_close_notify(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "rsa", "--disable-client-cert");
    pl_client_opts o = pl_client_default_opts();
    pl_client c;
    pl_client_connect(&c, &o, server.port);
    echo(&c, "bye");
    PL_ASSERT_OK(padlock_fd_close(c.conn, c.fd));
    pl_client_expect_clean_end(&c);
    pl_client_close(&c);
    pl_peer_stop(&server);
}

static void test_exporter(void **state) {
    (void)state;
    pl_peer server;
    start(&server, "ed25519",
          "--disable-client-cert --keymatexport EXPERIMENTAL-padlock --keymatexportsize 32");
    pl_interop_exporter(&server, 0);
    pl_peer_stop(&server);
}

/* A refused server certificate: the error, its message, and the server saw a fatal alert. */
static void refused(const char *kind, const char *server_name, padlock_err want,
                    const char *message_part) {
    pl_interop_refused(start, kind, "--disable-client-cert", server_name, want, message_part,
                       "A TLS fatal alert has been received");
}

static void test_wrong_name(void **state) {
    (void)state;
    refused("p256", "wrong.example", PADLOCK_E_CERT_NAME_MISMATCH, "wrong.example");
}

static void test_untrusted_root(void **state) {
    (void)state;
    refused("rogue", NULL, PADLOCK_E_CERT_UNTRUSTED, "rogue");
}

static void test_expired_leaf(void **state) {
    (void)state;
    refused("expired", NULL, PADLOCK_E_CERT_EXPIRED, "expired");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        PL_INTEROP_CLIENT13_TESTS,
    };
    pl_test_apply_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
