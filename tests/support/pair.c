/* An in-memory padlock client and server for tests. */
#include "pair.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padlock/x509.h"
#include "pki.h"
#include "testlib.h"

#define PL_PAIR_QUEUE (1u << 20)

static void pl_pair_ok(padlock_err rc, const char *what) {
    if (rc != PADLOCK_OK) {
        fail_msg("pair: %s: %s", what, padlock_strerror(rc));
    }
}

/* Adds the chain "<name>-chain.pem" with the key "<name>.key" of pl_pki to cfg. */
static void add_chain(padlock_config *cfg, const char *name) {
    char chain[256], key[256];
    snprintf(chain, sizeof(chain), "%s-chain.pem", name);
    snprintf(key, sizeof(key), "%s.key", name);
    if (padlock_config_add_certificate_files(cfg, pl_pki(chain), pl_pki(key)) != PADLOCK_OK) {
        fail_msg("certificate %s: %s", name, padlock_config_error_message(cfg));
    }
}

padlock_config *pl_pair_server_config(const char *kind) {
    padlock_config *cfg;
    pl_pair_ok(padlock_config_new(PADLOCK_SERVER, &cfg), "server config");
    add_chain(cfg, kind);
    return cfg;
}

padlock_config *pl_pair_client_config(void) {
    padlock_config *cfg;
    pl_pair_ok(padlock_config_new(PADLOCK_CLIENT, &cfg), "client config");
    padlock_trust_store *store;
    pl_pair_ok(padlock_trust_store_new(&store), "store");
    pl_pair_ok(padlock_trust_store_add_file(store, pl_pki("root.pem")), "root");
    pl_pair_ok(padlock_config_set_trust_store(cfg, store), "set store");
    return cfg;
}

padlock_config *pl_pair_client_auth_server(padlock_client_auth mode) {
    padlock_config *cfg = pl_pair_server_config("p256");
    pl_pair_ok(padlock_config_set_client_auth(cfg, mode), "client auth");
    padlock_trust_store *store;
    pl_pair_ok(padlock_trust_store_new(&store), "client CA store");
    pl_pair_ok(padlock_trust_store_add_file(store, pl_pki("root.pem")), "client CA root");
    pl_pair_ok(padlock_config_set_trust_store(cfg, store), "set client CA store");
    return cfg;
}

padlock_config *pl_pair_client_with_cert(const char *name) {
    padlock_config *cfg = pl_pair_client_config();
    if (name != NULL) {
        add_chain(cfg, name);
    }
    return cfg;
}

void pl_pair_expect_bad_client_certs(padlock_config *server_cfg, uint16_t client_max_version) {
    static const struct {
        const char *name;
        padlock_err code;
        int alert;
    } bad[] = {
        {"rogue", PADLOCK_E_CERT_UNTRUSTED, PADLOCK_ALERT_UNKNOWN_CA},
        {"expired", PADLOCK_E_CERT_EXPIRED, PADLOCK_ALERT_CERTIFICATE_EXPIRED},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        padlock_config *ccfg = pl_pair_client_with_cert(bad[i].name);
        pl_pair_ok(padlock_config_set_versions(ccfg, PADLOCK_TLS12, client_max_version),
                   "client versions");
        pl_pair p;
        pl_pair_open(&p, ccfg, server_cfg, NULL);
        pl_pair_expect_failure(&p, p.server, bad[i].code, bad[i].alert);
        assert_non_null(strstr(padlock_conn_error_message(p.server), "CN="));
        assert_int_equal(padlock_conn_version(p.server), client_max_version);
        pl_pair_close(&p);
        padlock_config_free(ccfg);
    }
}

void pl_pair_open(pl_pair *p, padlock_config *client_cfg, padlock_config *server_cfg,
                  const char *server_name) {
    memset(p, 0, sizeof(*p));
    pl_pair_ok(padlock_conn_new(client_cfg, &p->client), "client conn");
    pl_pair_ok(
        padlock_conn_set_server_name(p->client, server_name != NULL ? server_name : "localhost"),
        "server name");
    if (padlock_conn_new(server_cfg, &p->server) != PADLOCK_OK) {
        fail_msg("server conn: %s", padlock_config_error_message(server_cfg));
    }
    /* One pair at a time uses the queues, allocated once so that heap measurements around a
     * pair see only the connections. */
    static uint8_t *queues[2];
    for (size_t i = 0; i < 2; i++) {
        if (queues[i] == NULL) {
            queues[i] = malloc(PL_PAIR_QUEUE);
            assert_non_null(queues[i]);
        }
    }
    p->to_server = queues[0];
    p->to_client = queues[1];
}

void pl_pair_close(pl_pair *p) {
    padlock_conn_free(p->client);
    padlock_conn_free(p->server);
    memset(p, 0, sizeof(*p));
}

/* Moves from's output into the queue for to, and as much of the queue as to takes. */
static size_t pl_pair_move(pl_pair *p, padlock_conn *from, padlock_conn *to, uint8_t *queue,
                           size_t *queue_len, void (*tap)(void *ctx, uint8_t *data, size_t len)) {
    size_t moved = 0;
    for (;;) {
        const uint8_t *out;
        size_t n;
        padlock_err rc = padlock_conn_output(from, &out, &n);
        /* A failed side still hands out its alert; either way the code is its error. */
        assert_true(rc == PADLOCK_OK || rc == padlock_conn_error(from));
        if (n == 0) {
            break;
        }
        assert_true(*queue_len + n <= PL_PAIR_QUEUE);
        memcpy(queue + *queue_len, out, n);
        if (tap != NULL) {
            tap(p->tap_ctx, queue + *queue_len, n);
        }
        *queue_len += n;
        pl_pair_ok(padlock_conn_output_done(from, n), "output_done");
        moved += n;
    }
    if (*queue_len > 0 && padlock_conn_error(to) == PADLOCK_OK) {
        size_t used = 0;
        padlock_err rc = padlock_conn_input(to, queue, *queue_len, &used);
        assert_true(rc == padlock_conn_error(to));
        memmove(queue, queue + used, *queue_len - used);
        *queue_len -= used;
        moved += used;
    }
    return moved;
}

size_t pl_pair_pump(pl_pair *p) {
    size_t total = 0;
    for (;;) {
        size_t moved =
            pl_pair_move(p, p->client, p->server, p->to_server, &p->to_server_len, p->tap);
        moved += pl_pair_move(p, p->server, p->client, p->to_client, &p->to_client_len,
                              p->tap_to_client);
        if (moved == 0) {
            return total;
        }
        total += moved;
    }
}

void pl_pair_handshake(pl_pair *p) {
    pl_pair_pump(p);
    if (!padlock_conn_handshake_done(p->client) || !padlock_conn_handshake_done(p->server)) {
        fail_msg(
            "handshake: client %s (%s), server %s (%s)",
            padlock_strerror(padlock_conn_error(p->client)), padlock_conn_error_message(p->client),
            padlock_strerror(padlock_conn_error(p->server)), padlock_conn_error_message(p->server));
    }
    assert_int_equal(padlock_conn_status(p->client), PADLOCK_STATUS_WANT_READ);
    assert_int_equal(padlock_conn_status(p->server), PADLOCK_STATUS_WANT_READ);
}

void pl_pair_transfer(pl_pair *p, padlock_conn *from, const uint8_t *data, size_t len) {
    padlock_conn *to = from == p->client ? p->server : p->client;
    uint8_t *got = malloc(len + 1);
    assert_non_null(got);
    size_t sent = 0, received = 0;
    while (received < len) {
        size_t n = 0;
        if (sent < len) {
            pl_pair_ok(padlock_conn_write(from, data + sent, len - sent, &n), "write");
            sent += n;
        }
        size_t moved = pl_pair_pump(p);
        size_t r = 0;
        while (padlock_conn_status(to) == PADLOCK_STATUS_DATA) {
            pl_pair_ok(padlock_conn_read(to, got + received, len + 1 - received, &r), "read");
            received += r;
        }
        if (n == 0 && moved == 0 && r == 0) {
            fail_msg("transfer stalled after %zu of %zu bytes", received, len);
        }
    }
    assert_int_equal(received, len);
    assert_memory_equal(got, data, len);
    free(got);
}

void pl_pair_expect_failure(pl_pair *p, padlock_conn *conn, padlock_err code, int alert) {
    pl_pair_pump(p);
    if (padlock_conn_error(conn) != code) {
        fail_msg("expected %s, got %s (%s)", padlock_strerror(code),
                 padlock_strerror(padlock_conn_error(conn)), padlock_conn_error_message(conn));
    }
    assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_ERROR);
    if (alert >= 0) {
        padlock_conn *peer = conn == p->client ? p->server : p->client;
        char want[96];
        snprintf(want, sizeof(want), "fatal alert %s", padlock_alert_name(alert));
        if (padlock_conn_error(peer) != PADLOCK_E_PEER_ALERT ||
            strstr(padlock_conn_error_message(peer), want) == NULL) {
            fail_msg("the peer should have received %s, but has %s (%s)", want,
                     padlock_strerror(padlock_conn_error(peer)), padlock_conn_error_message(peer));
        }
    }
}
