/* The server fuzz target's body: padlock servers with deterministic configurations (a fixed
 * Ed25519 certificate, ticket keys, random and clock), fed arbitrary client bytes in pieces by
 * conn_driver.c. */
#include "server_driver.h"

#include <string.h>

#include "conn.h"
#include "util/mem.h"
#include "wire/pem.h"
#include "x509/issue.h"
#include "x509/name.h"

/* The random hook: a counter stream, reset for each connection. */
static uint64_t pl_fuzz_server_counter;

static padlock_err pl_fuzz_server_random(void *ctx, uint8_t *out, size_t len) {
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        uint64_t x = ++pl_fuzz_server_counter * 0xd1b54a32d192ed03ULL;
        out[i] = (uint8_t)(x >> 56);
    }
    return PADLOCK_OK;
}

void pl_fuzz_server_reset(void) {
    pl_fuzz_server_counter = 0;
}

static int64_t pl_fuzz_server_time(void *ctx) {
    (void)ctx;
    return PL_FUZZ_SERVER_TIME;
}

/* An Ed25519 private key (RFC 8410 §7 PKCS #8) from a fixed seed. */
static const uint8_t pl_fuzz_server_key[48] = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4,
    0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60,
};

padlock_err pl_fuzz_credential(char **out_cert, size_t *out_cert_len, char **out_key,
                               size_t *out_key_len) {
    pl_privkey *key;
    PL_TRY(pl_privkey_from_der(pl_fuzz_server_key, sizeof(pl_fuzz_server_key), PL_PRIVKEY_PKCS8,
                               &key));
    uint8_t name[64];
    pl_buf b;
    pl_buf_init(&b, name, sizeof(name));
    uint8_t *spki = NULL, *der = NULL;
    size_t spki_len = 0, der_len = 0;
    padlock_err rc = pl_x509_name_write(&b, NULL, "padlock fuzz server");
    if (rc == PADLOCK_OK) {
        rc = pl_privkey_spki(key, &spki, &spki_len);
    }
    if (rc == PADLOCK_OK) {
        static const char host[] = "localhost";
        pl_x509_gn san = {PL_GN_DNS, {(const uint8_t *)host, sizeof(host) - 1}};
        pl_rng rng = {pl_fuzz_server_random, NULL};
        pl_x509_issue_req req = {
            .subject = {b.p, b.len},
            .sans = &san,
            .num_sans = 1,
            .spki = {spki, spki_len},
            .not_before = PL_FUZZ_SERVER_TIME - 86400,
            .not_after = PL_FUZZ_SERVER_TIME + 365 * 86400,
            .rng = &rng,
        };
        pl_errinfo err;
        pl_errinfo_init(&err);
        pl_fuzz_server_reset();
        rc = pl_x509_issue(&req, NULL, key, &der, &der_len, &err);
        pl_errinfo_cleanup(&err);
    }
    if (rc == PADLOCK_OK) {
        rc = pl_pem_encode("CERTIFICATE", der, der_len, out_cert, out_cert_len);
    }
    if (rc == PADLOCK_OK) {
        rc = pl_pem_encode("PRIVATE KEY", pl_fuzz_server_key, sizeof(pl_fuzz_server_key), out_key,
                           out_key_len);
        if (rc != PADLOCK_OK) {
            pl_free(*out_cert);
        }
    }
    pl_free(der);
    pl_free(spki);
    pl_privkey_free(key);
    return rc;
}

/* Fixed ticket keys, so that a recorded resumption resumes again. */
static const uint8_t pl_fuzz_server_ticket_key[PADLOCK_TICKET_KEY_LEN] = {
    0x70, 0x61, 0x64, 0x6c, 0x6f, 0x63, 0x6b, 0x20, 0x66, 0x75, 0x7a, 0x7a, 0x20, 0x74, 0x69, 0x63,
    0x6b, 0x65, 0x74, 0x20, 0x6b, 0x65, 0x79, 0x20, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x31,
};

static padlock_err pl_fuzz_server_make(uint8_t mode, padlock_config **out) {
    char *cert, *key;
    size_t cert_len, key_len;
    PL_TRY(pl_fuzz_credential(&cert, &cert_len, &key, &key_len));
    padlock_config *cfg = NULL;
    padlock_ticket_keys *keys = NULL;
    padlock_err rc = padlock_config_new(PADLOCK_SERVER, &cfg);
    if (rc == PADLOCK_OK) {
        rc = padlock_config_add_certificate(cfg, (const uint8_t *)cert, cert_len,
                                            (const uint8_t *)key, key_len);
    }
    if (rc == PADLOCK_OK) {
        rc = padlock_config_set_random_fn(cfg, pl_fuzz_server_random, NULL);
    }
    if (rc == PADLOCK_OK) {
        rc = padlock_config_set_time_fn(cfg, pl_fuzz_server_time, NULL);
    }
    if (rc == PADLOCK_OK) {
        rc = padlock_ticket_keys_new(&keys);
    }
    if (rc == PADLOCK_OK) {
        rc = padlock_ticket_keys_set(keys, pl_fuzz_server_ticket_key, 1);
    }
    if (rc == PADLOCK_OK) {
        rc = padlock_config_set_ticket_keys(cfg, keys);
    }
    if (rc == PADLOCK_OK && (mode & PL_FUZZ_SERVER_P384_ONLY) != 0) {
        const uint16_t p384[1] = {PADLOCK_GROUP_SECP384R1};
        rc = padlock_config_set_groups(cfg, p384, 1);
    }
    if (rc == PADLOCK_OK && (mode & PL_FUZZ_SERVER_TLS12) != 0) {
        rc = padlock_config_set_versions(cfg, PADLOCK_TLS12, PADLOCK_TLS12);
    }
    if (rc == PADLOCK_OK && (mode & PL_FUZZ_SERVER_CLIENT_AUTH) != 0) {
        rc = padlock_config_set_client_auth(cfg, (mode & PL_FUZZ_SERVER_REQUIRED) != 0
                                                     ? PADLOCK_CLIENT_AUTH_REQUIRED
                                                     : PADLOCK_CLIENT_AUTH_OPTIONAL);
        if (rc == PADLOCK_OK) {
            rc = padlock_config_insecure_disable_verification(cfg);
        }
    }
    padlock_ticket_keys_free(keys);
    pl_free(cert);
    pl_free_secret(key);
    if (rc != PADLOCK_OK) {
        padlock_config_free(cfg);
        return rc;
    }
    *out = cfg;
    return PADLOCK_OK;
}

padlock_config *pl_fuzz_server_config(uint8_t mode) {
    static padlock_config *configs[PL_FUZZ_SERVER_MODES];
    mode %= PL_FUZZ_SERVER_MODES;
    if (configs[mode] == NULL && pl_fuzz_server_make(mode, &configs[mode]) != PADLOCK_OK) {
        return NULL;
    }
    return configs[mode];
}

/* Once connected: what both roles do (conn_driver.c), the group and the name. */
static void pl_fuzz_server_use(padlock_conn *conn) {
    pl_fuzz_conn_use(conn, "pong");
    /* A resumed TLS 1.2 session has no key exchange, hence no group. */
    PL_FUZZ_CHECK(padlock_group_name(padlock_conn_group(conn)) != NULL ||
                  (padlock_conn_version(conn) == PADLOCK_TLS12 && padlock_conn_resumed(conn) &&
                   padlock_conn_group(conn) == 0));
    const char *name = padlock_conn_server_name(conn);
    PL_FUZZ_CHECK(name == NULL || strlen(name) <= 253);
}

void pl_fuzz_server_run(const uint8_t *data, size_t size, pl_fuzz_conn_result *out) {
    memset(out, 0, sizeof(*out));
    if (size < 2) {
        return;
    }
    padlock_config *cfg = pl_fuzz_server_config(data[0]);
    padlock_conn *conn;
    if (cfg == NULL || padlock_conn_new(cfg, &conn) != PADLOCK_OK) {
        return;
    }
    pl_fuzz_server_reset();
    /* A server speaks second: nothing to send before the client's first bytes. */
    PL_FUZZ_CHECK(padlock_conn_status(conn) == PADLOCK_STATUS_WANT_READ);
    pl_fuzz_conn_feed(conn, data + 2, size - 2, (size_t)data[1] + 1, pl_fuzz_server_use, out);
    padlock_conn_free(conn);
}
