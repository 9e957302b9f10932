/* The TLS 1.3 client interop scenarios that OpenSSL's and GnuTLS's tests share: the suite x
 * group matrix (RFC 8446 §4.2.7, §4.4.3), HelloRetryRequest (§4.1.4), ALPN (RFC 7301), client
 * certificates (§4.3.2, §4.4.2; §6.2 certificate_required), refused certificates and the
 * exporter (§7.5). */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

/* pl_interop_matrix against one running server whose key is of kind. */
static void matrix_of(const pl_peer *server, const char *kind, pl_echo_fn echo) {
    for (size_t s = 0; s < 3; s++) {
        for (size_t g = 0; g < 3; g++) {
            pl_client_opts o = pl_client_default_opts();
            o.suite = pl_interop_suites[s];
            o.group = pl_interop_groups[g];
            pl_client c;
            pl_client_connect(&c, &o, server->port);
            assert_int_equal(padlock_conn_version(c.conn), PADLOCK_TLS13);
            assert_int_equal(padlock_conn_cipher_suite(c.conn), pl_interop_suites[s]);
            assert_int_equal(padlock_conn_group(c.conn), pl_interop_groups[g]);
            pl_interop_expect_scheme(padlock_conn_signature_scheme(c.conn), kind);
            assert_int_equal(padlock_conn_peer_cert_count(c.conn), 2); /* leaf + inter */
            char text[96];
            snprintf(text, sizeof(text), "%s %s %s", kind,
                     padlock_cipher_suite_name(pl_interop_suites[s]),
                     padlock_group_name(pl_interop_groups[g]));
            echo(&c, text);
            pl_client_finish(&c);
        }
    }
}

void pl_interop_matrix(pl_start_fn start, const char *extra, pl_echo_fn echo) {
    for (size_t k = 0; k < sizeof(pl_interop_kinds) / sizeof(pl_interop_kinds[0]); k++) {
        pl_peer server;
        start(&server, pl_interop_kinds[k], extra);
        matrix_of(&server, pl_interop_kinds[k], echo);
        pl_peer_stop(&server);
    }
}

void pl_interop_hello_retry(const pl_peer *server, pl_echo_fn echo) {
    pl_client_opts o = pl_client_default_opts();
    pl_client c;
    pl_client_connect(&c, &o, server->port);
    assert_int_equal(padlock_conn_group(c.conn), PADLOCK_GROUP_SECP384R1);
    echo(&c, "after a HelloRetryRequest");
    pl_client_finish(&c);
}

void pl_interop_alpn(const pl_peer *server, const char *proto, pl_echo_fn echo) {
    pl_client_opts o = pl_client_default_opts();
    o.alpn = proto;
    pl_client c;
    pl_client_connect(&c, &o, server->port);
    assert_non_null(padlock_conn_alpn(c.conn));
    assert_string_equal(padlock_conn_alpn(c.conn), proto);
    echo(&c, "alpn");
    pl_client_finish(&c);
}

void pl_interop_requested_cert(const pl_peer *server, pl_echo_fn echo) {
    for (int with = 1; with >= 0; with--) {
        pl_client_opts o = pl_client_default_opts();
        if (with) {
            pl_client_use_cert(&o);
        }
        pl_client c;
        pl_client_connect(&c, &o, server->port);
        echo(&c, with ? "with a client certificate" : "without a client certificate");
        pl_client_finish(&c);
    }
}

void pl_interop_required_cert(const pl_peer *server, pl_echo_fn echo) {
    pl_client_opts o = pl_client_default_opts();
    pl_client_use_cert(&o);
    pl_client c;
    pl_client_connect(&c, &o, server->port);
    echo(&c, "required and given");
    pl_client_finish(&c);

    /* The client's side of the handshake completes; the server then refuses. */
    o = pl_client_default_opts();
    pl_client_connect(&c, &o, server->port);
    uint8_t buf[16];
    size_t n;
    PL_ASSERT_ERR(padlock_fd_read(c.conn, c.fd, buf, sizeof(buf), &n), PADLOCK_E_PEER_ALERT);
    assert_non_null(strstr(padlock_conn_error_message(c.conn), "certificate_required"));
    pl_client_close(&c);
}

void pl_interop_refused(pl_start_fn start, const char *kind, const char *extra,
                        const char *server_name, padlock_err want, const char *message_part,
                        const char *server_sees) {
    pl_peer server;
    start(&server, kind, extra);
    pl_client_opts o = pl_client_default_opts();
    o.server_name = server_name;
    pl_client c;
    pl_client_open(&c, &o, server.port);
    PL_ASSERT_ERR(padlock_fd_handshake(c.conn, c.fd), want);
    const char *msg = padlock_conn_error_message(c.conn);
    if (strstr(msg, message_part) == NULL) {
        fail_msg("message \"%s\" does not mention \"%s\"", msg, message_part);
    }
    assert_false(padlock_conn_handshake_done(c.conn));
    assert_true(pl_peer_log_wait(&server, server_sees, 5000));
    pl_client_close(&c);
    pl_peer_stop(&server);
}

void pl_interop_one_mebibyte(const pl_peer *server, const pl_client_opts *o, uint64_t seed,
                             size_t line_len, int reversed) {
    enum { ROUND = 64 * 1024, TOTAL = 1024 * 1024 };
    assert_int_equal(ROUND % line_len, 0);
    pl_client c;
    pl_client_connect(&c, o, server->port);
    uint8_t *out = malloc(ROUND), *want = malloc(ROUND), *in = malloc(ROUND);
    pl_test_rng rng;
    pl_test_rng_seed(&rng, seed);
    for (size_t done = 0; done < TOTAL; done += ROUND) {
        /* Printable lines: no server treats anything in them as a command. */
        PL_ASSERT_OK(pl_test_rng_fill(&rng, out, ROUND));
        for (size_t l = 0; l < ROUND; l += line_len) {
            for (size_t i = 0; i < line_len - 1; i++) {
                out[l + i] = (uint8_t)('a' + out[l + i] % 26);
                want[l + i] = out[l + i];
            }
            out[l + line_len - 1] = '\n';
            want[l + line_len - 1] = '\n';
            for (size_t i = 0; reversed && i < line_len - 1; i++) {
                want[l + i] = out[l + line_len - 2 - i];
            }
        }
        pl_client_write_all(&c, out, ROUND);
        pl_client_read_exact(&c, in, ROUND);
        assert_memory_equal(in, want, ROUND);
    }
    free(out);
    free(want);
    free(in);
    pl_client_finish(&c);
}

void pl_interop_exporter(const pl_peer *server, int upper) {
    pl_client_opts o = pl_client_default_opts();
    pl_client c;
    pl_client_connect(&c, &o, server->port);
    uint8_t key[32];
    PL_ASSERT_OK(padlock_conn_export_keying_material(c.conn, key, sizeof(key),
                                                     "EXPERIMENTAL-padlock", NULL, 0));
    char hex[65];
    for (size_t i = 0; i < sizeof(key); i++) {
        snprintf(hex + 2 * i, 3, upper ? "%02X" : "%02x", key[i]);
    }
    assert_true(pl_peer_log_wait(server, hex, 5000));
    pl_client_finish(&c);
}
