/* The client fuzz target's body: a padlock client with a fixed configuration (RFC 8448 or
 * default ClientHello, deterministic random, fixed clock), fed arbitrary server bytes in pieces
 * by conn_driver.c. */
#include "client_driver.h"

#include <string.h>

#include "conn.h"
#include "rfc8448_profile.h"
#include "server_driver.h"

/* RFC 8448 §3: the client's random (in its ClientHello) and X25519 private key. */
static const uint8_t pl_fuzz_rfc8448_entropy[64] = {
    0xcb, 0x34, 0xec, 0xb1, 0xe7, 0x81, 0x63, 0xba, 0x1c, 0x38, 0xc6, 0xda, 0xcb, 0x19, 0x6a, 0x6d,
    0xff, 0xa2, 0x1a, 0x8d, 0x99, 0x12, 0xec, 0x18, 0xa2, 0xef, 0x62, 0x83, 0x02, 0x4d, 0xec, 0xe7,
    0x49, 0xaf, 0x42, 0xba, 0x7f, 0x79, 0x94, 0x85, 0x2d, 0x71, 0x3e, 0xf2, 0x78, 0x4b, 0xcb, 0xca,
    0xa7, 0x91, 0x1d, 0xe2, 0x6a, 0xdc, 0x56, 0x42, 0xcb, 0x63, 0x45, 0x40, 0xe7, 0xea, 0x50, 0x05,
};

/* The random hook: the RFC's bytes first in RFC mode, then a fixed counter stream. One client
 * at a time (the fuzzer and the tests are single-threaded). */
static struct {
    uint8_t mode;
    size_t drawn;
    uint64_t counter;
} pl_fuzz_rng;

static padlock_err pl_fuzz_random(void *ctx, uint8_t *out, size_t len) {
    (void)ctx;
    for (size_t i = 0; i < len; i++, pl_fuzz_rng.drawn++) {
        if ((pl_fuzz_rng.mode & PL_FUZZ_CLIENT_RFC8448) != 0 &&
            pl_fuzz_rng.drawn < sizeof(pl_fuzz_rfc8448_entropy)) {
            out[i] = pl_fuzz_rfc8448_entropy[pl_fuzz_rng.drawn];
        } else {
            uint64_t x = ++pl_fuzz_rng.counter * 0x9e3779b97f4a7c15ULL;
            out[i] = (uint8_t)(x >> 56);
        }
    }
    return PADLOCK_OK;
}

static int64_t pl_fuzz_time(void *ctx) {
    (void)ctx;
    return 1767225600; /* 2026-01-01 */
}

/* The client configuration of mode, made afresh (the caller frees it). */
static padlock_err pl_fuzz_client_config_new(uint8_t mode, padlock_config **out_cfg) {
    padlock_config *cfg;
    PL_TRY(padlock_config_new(PADLOCK_CLIENT, &cfg));
    padlock_err rc = padlock_config_insecure_disable_verification(cfg);
    if (rc == PADLOCK_OK) {
        rc = padlock_config_set_random_fn(cfg, pl_fuzz_random, NULL);
    }
    if (rc == PADLOCK_OK) {
        rc = padlock_config_set_time_fn(cfg, pl_fuzz_time, NULL);
    }
    if (rc == PADLOCK_OK && (mode & PL_FUZZ_CLIENT_RFC8448) != 0) {
        rc = padlock_config_set_cipher_suites(cfg, pl_test_rfc8448_suites,
                                              pl_test_rfc8448_num_suites);
        if (rc == PADLOCK_OK) {
            rc = pl_config_set_client_profile(cfg, &pl_test_rfc8448_profile);
        }
    }
    if (rc == PADLOCK_OK && (mode & PL_FUZZ_CLIENT_CERT) != 0) {
        /* Made once per process (the same bytes every time), kept until exit. */
        static char *cert, *key;
        static size_t cert_len, key_len;
        if (cert == NULL) {
            rc = pl_fuzz_credential(&cert, &cert_len, &key, &key_len);
        }
        if (rc == PADLOCK_OK) {
            rc = padlock_config_add_certificate(cfg, (const uint8_t *)cert, cert_len,
                                                (const uint8_t *)key, key_len);
        }
    }
    if (rc != PADLOCK_OK) {
        padlock_config_free(cfg);
        return rc;
    }
    *out_cfg = cfg;
    return PADLOCK_OK;
}

/* A connection of cfg (made for mode), the random source reset: its ClientHello not yet built. */
static padlock_err pl_fuzz_client_conn(padlock_config *cfg, uint8_t mode, padlock_conn **out_conn) {
    pl_fuzz_rng.mode = mode;
    pl_fuzz_rng.drawn = 0;
    pl_fuzz_rng.counter = 0;
    padlock_conn *conn;
    PL_TRY(padlock_conn_new(cfg, &conn));
    padlock_err rc = padlock_conn_set_server_name(
        conn, (mode & PL_FUZZ_CLIENT_RFC8448) != 0 ? "server" : "localhost");
    if (rc != PADLOCK_OK) {
        padlock_conn_free(conn);
        return rc;
    }
    *out_conn = conn;
    return PADLOCK_OK;
}

padlock_err pl_fuzz_client_new(uint8_t mode, padlock_config **out_cfg, padlock_conn **out_conn) {
    padlock_config *cfg;
    PL_TRY(pl_fuzz_client_config_new(mode, &cfg));
    padlock_err rc = pl_fuzz_client_conn(cfg, mode, out_conn);
    if (rc != PADLOCK_OK) {
        padlock_config_free(cfg);
        return rc;
    }
    *out_cfg = cfg;
    return PADLOCK_OK;
}

/* The configuration of mode for the target's runs: made once and kept for the process, since
 * loading the client's key (decoding, its sign/verify self-test) cost half of every run. A
 * client configuration holds nothing of its connections. NULL if it cannot be made. */
static padlock_config *pl_fuzz_client_config(uint8_t mode) {
    static padlock_config *configs[PL_FUZZ_CLIENT_MODES];
    mode %= PL_FUZZ_CLIENT_MODES;
    if (configs[mode] == NULL && pl_fuzz_client_config_new(mode, &configs[mode]) != PADLOCK_OK) {
        return NULL;
    }
    return configs[mode];
}

/* Once connected: the API each role has (conn_driver.c). */
static void pl_fuzz_use(padlock_conn *conn) {
    pl_fuzz_conn_use(conn, "ping");
}

void pl_fuzz_client_run(const uint8_t *data, size_t size, pl_fuzz_conn_result *out) {
    memset(out, 0, sizeof(*out));
    if (size < 2) {
        return;
    }
    size_t piece = (size_t)data[1] + 1;
    uint8_t mode = data[0] % PL_FUZZ_CLIENT_MODES;
    padlock_config *cfg = pl_fuzz_client_config(mode);
    padlock_conn *conn;
    if (cfg == NULL || pl_fuzz_client_conn(cfg, mode, &conn) != PADLOCK_OK) {
        return;
    }
    pl_fuzz_conn_drain(conn); /* the ClientHello */
    pl_fuzz_conn_feed(conn, data + 2, size - 2, piece, pl_fuzz_use, out);
    padlock_conn_free(conn);
}
