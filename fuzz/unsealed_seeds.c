/* The seeds of the unsealed role targets (fuzz/corpus/client_unsealed/, server_unsealed/),
 * recorded from a padlock client and server talking in memory in the build without record
 * protection, so that every record after the ServerHello is plaintext the fuzzer can mutate.
 * Built only there (fuzz/CMakeLists.txt). Each seed is recorded, replayed through the target's
 * body (a whole handshake, application data, key updates, tickets, the close) and, with
 * PL_UPDATE_SEEDS=1, written; some are replayed once more with the sender's Finished,
 * CertificateVerify or binder damaged, which this build takes as valid (src/hs/proof_none.c).
 * Then the committed seeds are replayed the same way, and an input kept from a fault
 * (regress-*) must fail with an error of the peer's making. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_driver.h"
#include "conn.h"
#include "msg/msg.h"
#include "server_driver.h"
#include "testlib.h"
#include "util/mem.h"

#define SEED_MAX (1u << 20)

/* A seed: the target's two bytes (mode, piece size) and then one side's bytes. */
typedef struct recording {
    uint8_t *b;
    size_t len;
} recording;

/* One direction of the conversation: a seed recording everything the sender wrote, and how
 * much of it the receiver has taken (a receiver that owes output, an answer to a KeyUpdate,
 * takes no more input until that is sent). */
typedef struct direction {
    recording rec;
    size_t taken;
} direction;

/* Appends from's output to d; returns how many bytes. */
static size_t take_output(padlock_conn *from, direction *d) {
    size_t total = 0;
    for (;;) {
        const uint8_t *p;
        size_t n;
        PL_ASSERT_OK(padlock_conn_output(from, &p, &n));
        if (n == 0) {
            return total;
        }
        assert_true(d->rec.len + n <= SEED_MAX);
        memcpy(d->rec.b + d->rec.len, p, n);
        d->rec.len += n;
        total += n;
        PL_ASSERT_OK(padlock_conn_output_done(from, n));
    }
}

/* Feeds to what d holds for it, reading any application data; returns how many bytes. */
static size_t give_input(padlock_conn *to, direction *d) {
    size_t total = 0;
    while (d->taken < d->rec.len && padlock_conn_status(to) != PADLOCK_STATUS_CLOSED) {
        size_t used;
        PL_ASSERT_OK(padlock_conn_input(to, d->rec.b + d->taken, d->rec.len - d->taken, &used));
        d->taken += used;
        total += used;
        while (padlock_conn_status(to) == PADLOCK_STATUS_DATA) {
            uint8_t buf[256];
            size_t got;
            PL_ASSERT_OK(padlock_conn_read(to, buf, sizeof(buf), &got));
        }
        if (used == 0) {
            break; /* it owes output first */
        }
    }
    return total;
}

/* Runs both ways until neither side has anything more to say or to take. */
static void pump(padlock_conn *client, padlock_conn *server, direction *from_client,
                 direction *from_server) {
    while (take_output(client, from_client) + take_output(server, from_server) +
               give_input(server, from_client) + give_input(client, from_server) >
           0) {
    }
}

/* Starts d's seed with the target's two bytes; the receiver takes what follows them. */
static void start(direction *d, uint8_t mode) {
    d->rec.len = 0;
    d->rec.b[d->rec.len++] = mode;
    d->rec.b[d->rec.len++] = 0xff; /* pieces of 256 bytes */
    d->taken = d->rec.len;
}

/* TLS 1.2 (RFC 5246 §7.4.1.1): server sends a HelloRequest, which padlock's server never does
 * by itself, and client answers it with the no_renegotiation warning (client12.c), which is
 * left unread: padlock's server would take any alert but close_notify as fatal. */
static void hello_request(padlock_conn *client, padlock_conn *server, direction *from_client,
                          direction *from_server) {
    uint8_t msg[PL_HS_HEADER_LEN];
    pl_buf b;
    pl_buf_init(&b, msg, sizeof(msg));
    PL_ASSERT_OK(pl_hello_request_build(&b));
    PL_ASSERT_OK(pl_rio_send_handshake(&server->tls.rio, b.p, b.len));
    PL_ASSERT_OK(pl_rio_flush(&server->tls.rio));
    assert_true(take_output(server, from_server) > 0);
    assert_true(give_input(client, from_server) > 0);
    size_t answer = from_client->rec.len;
    assert_true(take_output(client, from_client) > 0);
    assert_int_equal(from_client->rec.b[answer], 21); /* an alert record (RFC 5246 §6.2.1) */
    assert_int_equal(padlock_conn_error(client), PADLOCK_OK);
    from_client->taken = from_client->rec.len;
}

/* Connects client to the server target's server of server_mode and runs what each target does
 * once connected, both ways: data, a KeyUpdate asking for one back (TLS 1.3), then the client's
 * close_notify and the server's; with renegotiate, a HelloRequest first (TLS 1.2). from_client->rec
 * becomes a server seed in server_mode, from_server->rec a client seed in client_mode. */
static void converse(padlock_conn *client, uint8_t client_mode, uint8_t server_mode,
                     int renegotiate, direction *from_client, direction *from_server) {
    padlock_conn *server;
    PL_ASSERT_OK(padlock_conn_new(pl_fuzz_server_config(server_mode), &server));
    pl_fuzz_server_reset();
    start(from_client, server_mode);
    start(from_server, client_mode);
    pump(client, server, from_client, from_server);
    assert_true(padlock_conn_handshake_done(client));
    assert_true(padlock_conn_handshake_done(server));
    if ((client_mode & PL_FUZZ_CLIENT_CERT) != 0) {
        assert_int_equal(padlock_conn_peer_cert_count(server), 1);
    }
    if (renegotiate) {
        hello_request(client, server, from_client, from_server);
    }
    size_t written;
    PL_ASSERT_OK(padlock_conn_write(server, (const uint8_t *)"pong", 4, &written));
    PL_ASSERT_OK(padlock_conn_write(client, (const uint8_t *)"ping", 4, &written));
    if (padlock_conn_version(client) == PADLOCK_TLS13) {
        PL_ASSERT_OK(padlock_conn_key_update(server, 1));
        PL_ASSERT_OK(padlock_conn_key_update(client, 1));
    }
    pump(client, server, from_client, from_server);
    PL_ASSERT_OK(padlock_conn_write(server, (const uint8_t *)"after", 5, &written));
    PL_ASSERT_OK(padlock_conn_close(client));
    PL_ASSERT_OK(padlock_conn_close(server));
    pump(client, server, from_client, from_server);
    padlock_conn_free(server);
}

/* With PL_UPDATE_SEEDS set, writes rec as fuzz/corpus/<target>/<name>. */
static void update_seed(const char *target, const char *name, const recording *rec) {
    if (getenv("PL_UPDATE_SEEDS") != NULL) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/fuzz/corpus/%s/%s", pl_test_source_dir(), target, name);
        assert_int_equal(pl_test_write_file(path, rec->b, rec->len), 0);
    }
}

/* Flips the last byte of the one handshake message of type in rec whose body is body_len bytes
 * (its records are plaintext in this build); fails unless exactly one header fits. */
static void damage_message(recording *rec, uint8_t type, size_t body_len) {
    const uint8_t header[PL_HS_HEADER_LEN] = {type, 0, (uint8_t)(body_len >> 8),
                                              (uint8_t)body_len};
    size_t found = 0;
    for (size_t i = 2; i + sizeof(header) + body_len <= rec->len; i++) {
        if (memcmp(rec->b + i, header, sizeof(header)) == 0) {
            assert_int_equal(found, 0);
            found = i;
        }
    }
    assert_true(found != 0);
    rec->b[found + sizeof(header) + body_len - 1] ^= 0x01;
}

/* The proofs a seed's sender gives, damaged: its Finished (SHA-256, or TLS 1.2's 12 bytes) and
 * its Ed25519 CertificateVerify (scheme, length, 64 bytes), or the binder of a resumption
 * (§4.2.11: the last bytes of the ClientHello, alone in the seed's first record). */
static void damage_finished13(recording *rec) {
    damage_message(rec, PL_HS_FINISHED, 32);
}

static void damage_finished13_cv(recording *rec) {
    damage_message(rec, PL_HS_FINISHED, 32);
    damage_message(rec, PL_HS_CERTIFICATE_VERIFY, 4 + 64);
}

static void damage_finished12(recording *rec) {
    damage_message(rec, PL_HS_FINISHED, 12);
}

static void damage_finished12_cv(recording *rec) {
    damage_message(rec, PL_HS_FINISHED, 12);
    damage_message(rec, PL_HS_CERTIFICATE_VERIFY, 4 + 64);
}

static void damage_binder(recording *rec) {
    assert_true(rec->len > 2 + 5);
    size_t record_len = (size_t)rec->b[2 + 3] << 8 | rec->b[2 + 4];
    assert_true(2 + 5 + record_len <= rec->len);
    rec->b[2 + 5 + record_len - 1] ^= 0x01;
}

/* What replaying the seeds of a target saw. */
typedef struct replayed {
    int tls12; /* seeds that ended in TLS 1.2 */
    int resumed;
} replayed;

/* Checks a run of a seed: the whole conversation, or for a regress-* input kept from a fault,
 * an error of the peer's making. */
static void check_run(const char *target, const char *name, const pl_fuzz_conn_result *r) {
    if (strncmp(name, "regress-", 8) == 0) {
        if (r->error == PADLOCK_OK || padlock_err_category_of(r->error) == PADLOCK_CAT_INTERNAL) {
            fail_msg("%s regression input %s: error %s", target, name, padlock_strerror(r->error));
        }
        return;
    }
    if (!r->handshake_done || !r->closed || r->error != PADLOCK_OK || r->app_bytes == 0) {
        fail_msg("%s seed %s: handshake %d, closed %d, %zu bytes of data, error %s", target, name,
                 r->handshake_done, r->closed, r->app_bytes, padlock_strerror(r->error));
    }
}

static void replay_client(void *ctx, const char *name, const uint8_t *data, size_t len) {
    replayed *n = ctx;
    pl_fuzz_conn_result r;
    pl_fuzz_client_run(data, len, &r);
    check_run("client_unsealed", name, &r);
    n->tls12 += r.handshake_done && strncmp(name, "tls12", 5) == 0;
}

static void replay_server(void *ctx, const char *name, const uint8_t *data, size_t len) {
    replayed *n = ctx;
    pl_fuzz_conn_result r;
    pl_fuzz_server_run(data, len, &r);
    check_run("server_unsealed", name, &r);
    n->tls12 += (data[0] & PL_FUZZ_SERVER_TLS12) != 0;
    n->resumed += r.resumed;
}

/* The client target's seeds: its client (the default ClientHello) against the server target's
 * servers: TLS 1.3 plain, with a HelloRetryRequest, asked for a certificate without one and
 * with one; TLS 1.2 plain, with a HelloRequest, asked for a certificate without one and with
 * one. */
static void test_client_seeds(void **state) {
    (void)state;
    static const struct {
        const char *name;
        uint8_t client_mode, server_mode;
        int renegotiate;
        void (*damage)(recording *rec);
    } seeds[] = {
        {"tls13", 0, 0, 0, damage_finished13_cv},
        {"tls13-retry", 0, PL_FUZZ_SERVER_P384_ONLY, 0, NULL},
        {"tls13-cert-request", 0, PL_FUZZ_SERVER_CLIENT_AUTH, 0, NULL},
        {"tls13-cert", PL_FUZZ_CLIENT_CERT, PL_FUZZ_SERVER_CLIENT_AUTH | PL_FUZZ_SERVER_REQUIRED,
         0, NULL},
        {"tls12", 0, PL_FUZZ_SERVER_TLS12, 0, damage_finished12},
        {"tls12-hello-request", 0, PL_FUZZ_SERVER_TLS12, 1, NULL},
        {"tls12-cert-request", 0, PL_FUZZ_SERVER_TLS12 | PL_FUZZ_SERVER_CLIENT_AUTH, 0, NULL},
        {"tls12-cert", PL_FUZZ_CLIENT_CERT,
         PL_FUZZ_SERVER_TLS12 | PL_FUZZ_SERVER_CLIENT_AUTH | PL_FUZZ_SERVER_REQUIRED, 0, NULL},
    };
    direction from_client = {{malloc(SEED_MAX), 0}, 0}, from_server = {{malloc(SEED_MAX), 0}, 0};
    assert_non_null(from_client.rec.b);
    assert_non_null(from_server.rec.b);
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        padlock_config *cfg;
        padlock_conn *client;
        PL_ASSERT_OK(pl_fuzz_client_new(seeds[i].client_mode, &cfg, &client));
        converse(client, seeds[i].client_mode, seeds[i].server_mode, seeds[i].renegotiate,
                 &from_client, &from_server);
        assert_int_equal(padlock_conn_version(client),
                         (seeds[i].server_mode & PL_FUZZ_SERVER_TLS12) != 0 ? PADLOCK_TLS12
                                                                            : PADLOCK_TLS13);
        padlock_conn_free(client);
        padlock_config_free(cfg);
        replayed n = {0, 0};
        replay_client(&n, seeds[i].name, from_server.rec.b, from_server.rec.len);
        update_seed("client_unsealed", seeds[i].name, &from_server.rec);
        if (seeds[i].damage != NULL) {
            /* This build takes wrong proofs as right (src/hs/proof_none.c). */
            seeds[i].damage(&from_server.rec);
            replay_client(&n, seeds[i].name, from_server.rec.b, from_server.rec.len);
        }
    }
    free(from_client.rec.b);
    free(from_server.rec.b);
    replayed n = {0, 0};
    int count = pl_test_for_each_seed("client_unsealed", replay_client, &n);
    assert_true(count >= 8);
    assert_true(n.tls12 >= 4);
    printf("%d client_unsealed seeds replayed\n", count);
}

static int64_t server_time(void *ctx) {
    (void)ctx;
    return PL_FUZZ_SERVER_TIME;
}

/* The seed clients' random source: a counter stream, so that recording again gives the same
 * seeds unless padlock's flights changed. */
static padlock_err seed_random(void *ctx, uint8_t *out, size_t len) {
    uint64_t *counter = ctx;
    for (size_t i = 0; i < len; i++) {
        out[i] = (uint8_t)((++*counter * 0x9e3779b97f4a7c15ULL) >> 56);
    }
    return PADLOCK_OK;
}

/* A client of the server target: verification off (its certificate is self-signed), the
 * target's clock, a deterministic random source, optionally a client certificate (the
 * target's own Ed25519 one, whose signatures are deterministic too), TLS 1.2 only when tls12. */
static padlock_config *seed_client(int with_cert, int tls12, uint64_t *counter) {
    padlock_config *cfg;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(cfg));
    PL_ASSERT_OK(padlock_config_set_time_fn(cfg, server_time, NULL));
    *counter = 0;
    PL_ASSERT_OK(padlock_config_set_random_fn(cfg, seed_random, counter));
    if (with_cert) {
        char *cert, *key;
        size_t cert_len, key_len;
        PL_ASSERT_OK(pl_fuzz_credential(&cert, &cert_len, &key, &key_len));
        PL_ASSERT_OK(padlock_config_add_certificate(cfg, (const uint8_t *)cert, cert_len,
                                                    (const uint8_t *)key, key_len));
        pl_free(cert);
        pl_free_secret(key);
    }
    if (tls12) {
        PL_ASSERT_OK(padlock_config_set_versions(cfg, PADLOCK_TLS12, PADLOCK_TLS12));
    }
    return cfg;
}

/* One connection of a client of cfg to the server of mode; *session (if not NULL) is offered
 * when not empty and replaced with the one the connection leaves. */
static void server_seed_once(padlock_config *cfg, uint8_t mode, uint8_t *session,
                             size_t *session_len, direction *from_client, direction *from_server) {
    padlock_conn *client;
    PL_ASSERT_OK(padlock_conn_new(cfg, &client));
    PL_ASSERT_OK(padlock_conn_set_server_name(client, "localhost"));
    if (session != NULL && *session_len > 0) {
        PL_ASSERT_OK(padlock_conn_set_session(client, session, *session_len));
    }
    converse(client, 0, mode, 0, from_client, from_server);
    if (session != NULL) {
        PL_ASSERT_OK(
            padlock_conn_export_session(client, session, PADLOCK_SESSION_MAX, session_len));
    }
    padlock_conn_free(client);
}

/* The server target's seeds: padlock clients in TLS 1.3 and TLS 1.2, plain, with a client
 * certificate, resuming (the server target's ticket keys are fixed); TLS 1.3 also through a
 * HelloRetryRequest. */
static void test_server_seeds(void **state) {
    (void)state;
    static const struct {
        const char *name;
        uint8_t mode;
        int with_cert, resume;
        void (*damage)(recording *rec);
    } seeds[] = {
        {"tls13", 0, 0, 0, damage_finished13},
        {"tls13-retry", PL_FUZZ_SERVER_P384_ONLY, 0, 0, NULL},
        {"tls13-cert", PL_FUZZ_SERVER_CLIENT_AUTH | PL_FUZZ_SERVER_REQUIRED, 1, 0,
         damage_finished13_cv},
        {"tls13-resumed", 0, 0, 1, damage_binder},
        {"tls12", PL_FUZZ_SERVER_TLS12, 0, 0, damage_finished12},
        {"tls12-cert", PL_FUZZ_SERVER_TLS12 | PL_FUZZ_SERVER_CLIENT_AUTH | PL_FUZZ_SERVER_REQUIRED,
         1, 0, damage_finished12_cv},
        {"tls12-resumed", PL_FUZZ_SERVER_TLS12, 0, 1, NULL},
    };
    direction from_client = {{malloc(SEED_MAX), 0}, 0}, from_server = {{malloc(SEED_MAX), 0}, 0};
    uint8_t *session = malloc(PADLOCK_SESSION_MAX);
    assert_non_null(from_client.rec.b);
    assert_non_null(from_server.rec.b);
    assert_non_null(session);
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        int tls12 = (seeds[i].mode & PL_FUZZ_SERVER_TLS12) != 0;
        uint64_t counter;
        padlock_config *cfg = seed_client(seeds[i].with_cert, tls12, &counter);
        size_t session_len = 0;
        if (seeds[i].resume) {
            server_seed_once(cfg, seeds[i].mode, session, &session_len, &from_client, &from_server);
            assert_true(session_len > 0);
        }
        server_seed_once(cfg, seeds[i].mode, seeds[i].resume ? session : NULL, &session_len,
                         &from_client, &from_server);
        padlock_config_free(cfg);
        replayed n = {0, 0};
        replay_server(&n, seeds[i].name, from_client.rec.b, from_client.rec.len);
        assert_int_equal(n.resumed, seeds[i].resume);
        update_seed("server_unsealed", seeds[i].name, &from_client.rec);
        if (seeds[i].damage != NULL) {
            /* This build takes wrong proofs as right (src/hs/proof_none.c). */
            seeds[i].damage(&from_client.rec);
            replay_server(&n, seeds[i].name, from_client.rec.b, from_client.rec.len);
            assert_int_equal(n.resumed, 2 * seeds[i].resume);
        }
    }
    free(session);
    free(from_client.rec.b);
    free(from_server.rec.b);
    replayed n = {0, 0};
    int count = pl_test_for_each_seed("server_unsealed", replay_server, &n);
    assert_true(count >= 7);
    assert_true(n.tls12 >= 3);
    assert_true(n.resumed >= 2);
    printf("%d server_unsealed seeds replayed\n", count);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_seeds),
        cmocka_unit_test(test_server_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
