/* The public configuration (src/config.c) and the protocol value names: defaults, every
 * setter's validation and message, freezing on first use, reference counting, the trust store
 * taken over, the system roots loaded lazily (and a missing bundle reported), our certificates
 * (a key that is not the leaf's), the key log to a hook, a file and $SSLKEYLOGFILE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conn.h"
#include "hs/client13.h"
#include "padlock/x509.h"
#include "tls13_peer.h"

static void test_defaults(void **state) {
    (void)state;
    padlock_config *cfg;
    PL_ASSERT_ERR(padlock_config_new((padlock_role)7, &cfg), PADLOCK_E_INVALID_ARGUMENT);
    /* A server: no verification until it asks for client certificates, one ticket a day. */
    PL_ASSERT_OK(padlock_config_new(PADLOCK_SERVER, &cfg));
    assert_int_equal(cfg->hs.role, PL_ROLE_SERVER);
    assert_int_equal(cfg->hs.verify, 0);
    assert_int_equal(cfg->hs.client_auth, PL_CLIENT_AUTH_NONE);
    assert_int_equal(cfg->hs.prefer_client, 0);
    assert_int_equal(cfg->hs.num_tickets, 1);
    assert_int_equal(cfg->hs.ticket_lifetime, 86400);
    assert_null(cfg->hs.ticket_keys);
    padlock_config_free(cfg);
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    assert_int_equal(cfg->hs.num_suites, 3);
    assert_int_equal(cfg->hs.suites[0], PADLOCK_TLS_AES_128_GCM_SHA256);
    assert_int_equal(cfg->hs.suites[2], PADLOCK_TLS_CHACHA20_POLY1305_SHA256);
    assert_int_equal(cfg->hs.num_groups, 3);
    assert_int_equal(cfg->hs.groups[0], PADLOCK_GROUP_X25519);
    assert_int_equal(cfg->hs.verify, 1);
    assert_null(padlock_config_error_message(cfg));
    padlock_config_free(cfg);
    padlock_config_free(NULL);
}

static void test_setters(void **state) {
    (void)state;
    padlock_config *cfg;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    PL_ASSERT_OK(padlock_config_set_versions(cfg, PADLOCK_TLS13, PADLOCK_TLS13));
    assert_int_equal(cfg->hs.min_version, PADLOCK_TLS13);
    PL_ASSERT_OK(padlock_config_set_versions(cfg, PADLOCK_TLS12, PADLOCK_TLS13));
    assert_int_equal(cfg->hs.min_version, PADLOCK_TLS12);
    /* A client takes TLS 1.2 suites too, each version its own. */
    const uint16_t tls12_suite[] = {PADLOCK_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
    PL_ASSERT_OK(padlock_config_set_cipher_suites(cfg, tls12_suite, 1));
    assert_int_equal(cfg->hs.num_suites12, 1);
    assert_int_equal(cfg->hs.num_suites, 0);
    PL_ASSERT_ERR(padlock_config_set_versions(cfg, PADLOCK_TLS13, PADLOCK_TLS12),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_config_set_versions(cfg, 0x0302, PADLOCK_TLS13),
                  PADLOCK_E_INVALID_ARGUMENT);

    const uint16_t two[] = {PADLOCK_TLS_CHACHA20_POLY1305_SHA256, PADLOCK_TLS_AES_128_GCM_SHA256};
    PL_ASSERT_OK(padlock_config_set_cipher_suites(cfg, two, 2));
    assert_null(padlock_config_error_message(cfg));
    assert_int_equal(cfg->hs.num_suites, 2);
    assert_int_equal(cfg->hs.suites[0], PADLOCK_TLS_CHACHA20_POLY1305_SHA256);
    const uint16_t dup[] = {0x1301, 0x1301};
    PL_ASSERT_ERR(padlock_config_set_cipher_suites(cfg, dup, 2), PADLOCK_E_INVALID_ARGUMENT);
    assert_non_null(strstr(padlock_config_error_message(cfg), "0x1301 is listed twice"));
    PL_ASSERT_ERR(padlock_config_set_cipher_suites(cfg, two, 0), PADLOCK_E_INVALID_ARGUMENT);
    assert_int_equal(cfg->hs.num_suites, 2); /* refused calls change nothing */

    const uint16_t groups[] = {PADLOCK_GROUP_SECP384R1};
    PL_ASSERT_OK(padlock_config_set_groups(cfg, groups, 1));
    const uint16_t x448[] = {0x001e};
    PL_ASSERT_ERR(padlock_config_set_groups(cfg, x448, 1), PADLOCK_E_UNSUPPORTED);

    const char *names[] = {"h2", "http/1.1"};
    PL_ASSERT_OK(padlock_config_set_alpn(cfg, names, 2));
    assert_int_equal(cfg->hs.alpn_len, 3 + 9);
    assert_memory_equal(cfg->hs.alpn, "\x02h2\x08http/1.1", 12);
    const char *empty[] = {""};
    PL_ASSERT_ERR(padlock_config_set_alpn(cfg, empty, 1), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_OK(padlock_config_set_alpn(cfg, NULL, 0));
    assert_int_equal(cfg->hs.alpn_len, 0);
    PL_ASSERT_ERR(padlock_config_set_trust_store(cfg, NULL), PADLOCK_E_INVALID_ARGUMENT);
    padlock_config_free(cfg);
}

/* The longest ALPN list a client takes still fits its ClientHello with the longest server name;
 * one more name is refused when it is set, not at every handshake; a server's list may be
 * longer (it only chooses from it). */
static void test_alpn_list_fits_client_hello(void **state) {
    (void)state;
    enum { NAMES = 252 };
    static char name[255 + 1];
    memset(name, 'p', 255);
    const char *names[NAMES + 1];
    for (size_t i = 0; i < NAMES; i++) {
        names[i] = name;
    }
    names[NAMES] = "ab";
    assert_int_equal(251 * 256 + 3, PL_CLIENT13_ALPN_MAX + 1);
    padlock_config *cfg;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    const char *too_many[NAMES] = {0};
    memcpy(too_many, names, 251 * sizeof(names[0]));
    too_many[251] = "ab";
    PL_ASSERT_ERR(padlock_config_set_alpn(cfg, too_many, NAMES), PADLOCK_E_INVALID_ARGUMENT);
    assert_non_null(strstr(padlock_config_error_message(cfg),
                           "the list takes 64259 bytes, more than the 64258 a client's "
                           "ClientHello has room for"));
    PL_ASSERT_OK(padlock_config_set_alpn(cfg, names, 251));
    padlock_conn *conn;
    PL_ASSERT_OK(padlock_conn_new(cfg, &conn));
    char host[254];
    memset(host, 'a', 253);
    host[253] = '\0';
    for (size_t i = 63; i < 253; i += 64) {
        host[i] = '.';
    }
    PL_ASSERT_OK(padlock_conn_set_server_name(conn, host));
    const uint8_t *out;
    size_t out_len;
    PL_ASSERT_OK(padlock_conn_output(conn, &out, &out_len));
    assert_true(out_len > 251 * 256 + 253);
    padlock_conn_free(conn);
    padlock_config_free(cfg);
    PL_ASSERT_OK(padlock_config_new(PADLOCK_SERVER, &cfg));
    PL_ASSERT_OK(padlock_config_set_alpn(cfg, names, NAMES + 1));
    assert_int_equal(cfg->hs.alpn_len, 252 * 256 + 3);
    padlock_config_free(cfg);
}

/* Once a connection uses it, a configuration does not change; it outlives the application's
 * reference as long as a connection holds one. */
/* TLS 1.2 settings: the server's version range and suites, the session cache bound; a client
 * refuses them. */
static void test_tls12_settings(void **state) {
    (void)state;
    padlock_config *cfg;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_SERVER, &cfg));
    assert_int_equal(cfg->hs.min_version, PADLOCK_TLS12);
    assert_int_equal(cfg->hs.max_version, PADLOCK_TLS13);
    assert_int_equal(cfg->hs.num_suites12, 6);
    assert_int_equal(cfg->session_cache_size, PADLOCK_SESSION_CACHE_DEFAULT);
    PL_ASSERT_OK(padlock_config_set_versions(cfg, PADLOCK_TLS12, PADLOCK_TLS12));
    const uint16_t mixed[] = {PADLOCK_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                              PADLOCK_TLS_AES_256_GCM_SHA384,
                              PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
    PL_ASSERT_OK(padlock_config_set_cipher_suites(cfg, mixed, 3));
    assert_int_equal(cfg->hs.num_suites, 1);
    assert_int_equal(cfg->hs.suites[0], PADLOCK_TLS_AES_256_GCM_SHA384);
    assert_int_equal(cfg->hs.num_suites12, 2);
    assert_int_equal(cfg->hs.suites12[0], PADLOCK_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256);
    const uint16_t cbc[] = {0xc013};
    PL_ASSERT_ERR(padlock_config_set_cipher_suites(cfg, cbc, 1), PADLOCK_E_UNSUPPORTED);
    /* RSA key transport only by name, last, and gone again when turned off. */
    const uint16_t rsa_kx[] = {PADLOCK_TLS_RSA_WITH_AES_128_GCM_SHA256};
    PL_ASSERT_ERR(padlock_config_set_cipher_suites(cfg, rsa_kx, 1), PADLOCK_E_UNSUPPORTED);
    assert_non_null(strstr(padlock_config_error_message(cfg), "no forward secrecy"));
    PL_ASSERT_OK(padlock_config_set_legacy_rsa_key_exchange(cfg, 1));
    assert_int_equal(cfg->hs.num_suites12, 4);
    assert_int_equal(cfg->hs.suites12[2], PADLOCK_TLS_RSA_WITH_AES_128_GCM_SHA256);
    assert_int_equal(cfg->hs.suites12[3], PADLOCK_TLS_RSA_WITH_AES_256_GCM_SHA384);
    PL_ASSERT_OK(padlock_config_set_cipher_suites(cfg, rsa_kx, 1));
    PL_ASSERT_OK(padlock_config_set_legacy_rsa_key_exchange(cfg, 0));
    assert_int_equal(cfg->hs.num_suites12, 0);
    PL_ASSERT_OK(padlock_config_set_session_cache(cfg, 0));
    PL_ASSERT_ERR(padlock_config_set_session_cache(cfg, PADLOCK_SESSION_CACHE_MAX + 1),
                  PADLOCK_E_INVALID_ARGUMENT);
    assert_non_null(strstr(padlock_config_error_message(cfg), "more than the"));
    padlock_config_free(cfg);
    /* A client offers TLS 1.3 and 1.2 by default, with every ECDHE suite of TLS 1.2. */
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    assert_int_equal(cfg->hs.min_version, PADLOCK_TLS12);
    assert_int_equal(cfg->hs.max_version, PADLOCK_TLS13);
    assert_int_equal(cfg->hs.num_suites12, 6);
    PL_ASSERT_ERR(padlock_config_set_session_cache(cfg, 10), PADLOCK_E_INVALID_ARGUMENT);
    /* A client may offer RSA key transport too: last, after its six ECDHE suites. */
    PL_ASSERT_OK(padlock_config_set_legacy_rsa_key_exchange(cfg, 1));
    assert_int_equal(cfg->hs.num_suites12, 8);
    assert_int_equal(cfg->hs.suites12[6], PADLOCK_TLS_RSA_WITH_AES_128_GCM_SHA256);
    assert_int_equal(cfg->hs.suites12[7], PADLOCK_TLS_RSA_WITH_AES_256_GCM_SHA384);
    PL_ASSERT_OK(padlock_config_set_legacy_rsa_key_exchange(cfg, 0));
    assert_int_equal(cfg->hs.num_suites12, 6);
    padlock_config_free(cfg);
}

static void test_frozen_and_refcounted(void **state) {
    (void)state;
    padlock_config *cfg;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(cfg));
    padlock_conn *conn;
    PL_ASSERT_OK(padlock_conn_new(cfg, &conn));
    PL_ASSERT_ERR(padlock_config_insecure_disable_verification(cfg), PADLOCK_E_STATE);
    assert_non_null(strstr(padlock_config_error_message(cfg), "in use by a connection"));
    const uint16_t g[] = {PADLOCK_GROUP_X25519};
    PL_ASSERT_ERR(padlock_config_set_groups(cfg, g, 1), PADLOCK_E_STATE);
    PL_ASSERT_ERR(padlock_config_set_keylog(cfg, NULL, NULL), PADLOCK_E_STATE);
    padlock_trust_store *store;
    PL_ASSERT_OK(padlock_trust_store_new(&store));
    PL_ASSERT_ERR(padlock_config_set_trust_store(cfg, store), PADLOCK_E_STATE); /* store freed */
    padlock_config_free(cfg);
    /* The connection still works with it. */
    const uint8_t *out;
    size_t len;
    PL_ASSERT_OK(padlock_conn_output(conn, &out, &len));
    assert_true(len > 0);
    padlock_conn_free(conn);
}

/* Verifying configurations without a store load the system roots on first use. */
static void test_system_roots(void **state) {
    (void)state;
    padlock_config *cfg;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    setenv("SSL_CERT_FILE", "/nonexistent/padlock-roots.pem", 1);
    padlock_conn *conn;
    PL_ASSERT_ERR(padlock_conn_new(cfg, &conn), PADLOCK_E_FILE);
    assert_non_null(strstr(padlock_config_error_message(cfg), "/nonexistent/padlock-roots.pem"));
    /* Not frozen by the failure: the application can still change it (this used to fail with
     * PADLOCK_E_STATE). */
    const uint16_t g[] = {PADLOCK_GROUP_X25519};
    PL_ASSERT_OK(padlock_config_set_groups(cfg, g, 1));
    unsetenv("SSL_CERT_FILE");
    PL_ASSERT_OK(padlock_conn_new(cfg, &conn));
    assert_non_null(cfg->store);
    assert_true(padlock_trust_store_count(cfg->store) > 10);
    padlock_conn_free(conn);
    padlock_config_free(cfg);
}

static void test_certificates(void **state) {
    (void)state;
    const char *pem = pl_tp_cert_pem();
    char key[700], other[700];
    snprintf(key, sizeof(key), "%.*s.key", (int)(strlen(pem) - 4), pem);
    snprintf(other, sizeof(other), "%s/other.key", pl_test_tmpdir());
    assert_int_equal(pl_test_sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
                                "-out %s 2>/dev/null",
                                other),
                     0);
    padlock_config *cfg;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    PL_ASSERT_OK(padlock_config_add_certificate_files(cfg, pem, key));
    assert_int_equal(cfg->hs.num_creds, 1);
    PL_ASSERT_ERR(padlock_config_add_certificate_files(cfg, pem, other), PADLOCK_E_KEY_MISMATCH);
    assert_non_null(padlock_config_error_message(cfg));
    PL_ASSERT_ERR(padlock_config_add_certificate_files(cfg, "/nonexistent.pem", key),
                  PADLOCK_E_FILE);
    size_t chain_len, key_len;
    uint8_t *chain = pl_test_read_file(pem, &chain_len);
    uint8_t *k = pl_test_read_file(key, &key_len);
    PL_ASSERT_OK(padlock_config_add_certificate(cfg, chain, chain_len, k, key_len));
    PL_ASSERT_ERR(padlock_config_add_certificate(cfg, k, key_len, k, key_len), PADLOCK_E_PEM);
    assert_int_equal(cfg->hs.num_creds, 2);
    free(chain);
    free(k);
    padlock_config_free(cfg);
}

/* A handshake with the test peer, logging keys as cfg says. */
static void handshake_with_keylog(void (*setup_log)(padlock_config *cfg)) {
    pl_tp p;
    pl_tp_init(&p);
    pl_test_rng rng;
    pl_test_rng_seed(&rng, 3);
    padlock_config *cfg;
    padlock_conn *conn;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(cfg));
    PL_ASSERT_OK(padlock_config_set_random_fn(cfg, pl_test_rng_fill, &rng));
    setup_log(cfg);
    PL_ASSERT_OK(padlock_conn_new(cfg, &conn));
    padlock_config_free(cfg);
    pl_tp_handshake(&p, conn);
    padlock_conn_free(conn);
    pl_tp_cleanup(&p);
}

static char keylog_path[600];

static void log_to_file(padlock_config *cfg) {
    PL_ASSERT_OK(padlock_config_set_keylog_file(cfg, keylog_path));
}

static void log_from_env(padlock_config *cfg) {
    PL_ASSERT_OK(padlock_config_keylog_from_env(cfg));
}

/* Five NSS key log lines per TLS 1.3 handshake, appended to a 0600 file. */
static void expect_keylog_file(size_t handshakes) {
    size_t len;
    char *text = (char *)pl_test_read_file(keylog_path, &len);
    assert_non_null(text);
    size_t lines = 0;
    for (size_t i = 0; i < len; i++) {
        lines += text[i] == '\n';
    }
    assert_int_equal(lines, 5 * handshakes);
    assert_int_equal(strncmp(text, "CLIENT_HANDSHAKE_TRAFFIC_SECRET ", 32), 0);
    assert_non_null(strstr(text, "\nSERVER_TRAFFIC_SECRET_0 "));
    assert_non_null(strstr(text, "\nEXPORTER_SECRET "));
    free(text);
    struct stat st;
    assert_int_equal(stat(keylog_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_keylog_file_and_environment(void **state) {
    (void)state;
    snprintf(keylog_path, sizeof(keylog_path), "%s/keys.log", pl_test_tmpdir());
    remove(keylog_path);
    handshake_with_keylog(log_to_file);
    expect_keylog_file(1);
    handshake_with_keylog(log_to_file); /* appended */
    expect_keylog_file(2);
    /* The environment is read only when asked, and an empty value means no log. */
    setenv("SSLKEYLOGFILE", keylog_path, 1);
    handshake_with_keylog(log_from_env);
    expect_keylog_file(3);
    setenv("SSLKEYLOGFILE", "", 1);
    handshake_with_keylog(log_from_env);
    expect_keylog_file(3);
    unsetenv("SSLKEYLOGFILE");
    padlock_config *cfg;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    PL_ASSERT_ERR(padlock_config_set_keylog_file(cfg, "/nonexistent/dir/keys.log"), PADLOCK_E_FILE);
    assert_non_null(strstr(padlock_config_error_message(cfg), "/nonexistent/dir/keys.log"));
    padlock_config_free(cfg);
}

static void test_names(void **state) {
    (void)state;
    assert_string_equal(padlock_version_name(PADLOCK_TLS13), "TLSv1.3");
    assert_null(padlock_version_name(0x0302));
    assert_string_equal(padlock_cipher_suite_name(0x1303), "TLS_CHACHA20_POLY1305_SHA256");
    assert_null(padlock_cipher_suite_name(0x00ff));
    assert_string_equal(padlock_group_name(PADLOCK_GROUP_SECP384R1), "secp384r1");
    assert_null(padlock_group_name(0x0100));
    assert_string_equal(padlock_signature_scheme_name(0x0804), "rsa_pss_rsae_sha256");
    assert_null(padlock_signature_scheme_name(0x0201));
    assert_string_equal(padlock_strerror(PADLOCK_E_WANT_READ),
                        "the socket has no data yet: wait until it is readable, then call again");
    assert_int_equal(padlock_err_alert(PADLOCK_E_NO_SERVER_NAME), PADLOCK_ALERT_NONE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_alpn_list_fits_client_hello),
        cmocka_unit_test(test_setters),
        cmocka_unit_test(test_tls12_settings),
        cmocka_unit_test(test_frozen_and_refcounted),
        cmocka_unit_test(test_system_roots),
        cmocka_unit_test(test_certificates),
        cmocka_unit_test(test_keylog_file_and_environment),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
