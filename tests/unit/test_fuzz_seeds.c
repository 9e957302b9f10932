/* The client fuzz target's committed seeds (fuzz/corpus/client/), replayed through the target's
 * own body: each must take the client through a whole handshake, application data and the
 * server's close_notify without error. The server target's seeds (fuzz/corpus/server/) are
 * recorded here from padlock's client and replayed the same way. A seed that stopped doing so (the
 * ClientHello changed, so the recorded flight no longer decrypts) would leave the fuzzer at the
 * first record; this test says so, and the seeds are regenerated (fuzz/rfc8448_seeds.py, and
 * PL_UPDATE_SEEDS=1 for the interop captures, one of them from a TLS 1.2 s_server). Two server
 * seeds are TLS 1.2 handshakes (one with a client certificate), recorded from the scripted
 * TLS 1.2 client of tests/support/client12.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client12.h"
#include "client_driver.h"
#include "pair.h"
#include "pki.h"
#include "server_driver.h"
#include "testlib.h"
#include "x509/credential.h"

/* How many client seeds come from the RFC 8448 traces and how many were captured. */
typedef struct client_seeds {
    int rfc;
    int captured;
} client_seeds;

static void replay_client_seed(void *ctx, const char *name, const uint8_t *data, size_t len) {
    client_seeds *n = ctx;
    pl_fuzz_conn_result r;
    pl_fuzz_client_run(data, len, &r);
    if (strncmp(name, "regress-", 8) == 0) {
        /* A fault found by fuzzing, kept in the corpus: the client refuses it with an error of
         * the peer's making (tests/unit/test_client13_hello.c has its case). */
        if (r.error == PADLOCK_OK || padlock_err_category_of(r.error) == PADLOCK_CAT_INTERNAL) {
            fail_msg("regression input %s: error %s", name, padlock_strerror(r.error));
        }
        return;
    }
    if (!r.handshake_done || !r.closed || r.error != PADLOCK_OK || r.app_bytes == 0) {
        fail_msg("seed %s: handshake %d, closed %d, %zu bytes of data, error %s", name,
                 r.handshake_done, r.closed, r.app_bytes, padlock_strerror(r.error));
    }
    n->rfc += (data[0] & PL_FUZZ_CLIENT_RFC8448) != 0;
    n->captured += (data[0] & PL_FUZZ_CLIENT_RFC8448) == 0;
}

static void test_seeds_reach_the_end(void **state) {
    (void)state;
    client_seeds n = {0, 0};
    int seeds = pl_test_for_each_seed("client", replay_client_seed, &n);
    assert_true(n.rfc >= 2);
    assert_true(n.captured >= 2); /* s_server as a TLS 1.3 and as a TLS 1.2 server */
    printf("%d client seeds replayed\n", seeds);
}

/* ---- The server target ---------------------------------------------------------------------- */

/* Appends all of conn's output to rec (and returns how much). */
static size_t take_output(padlock_conn *conn, uint8_t *rec, size_t *len) {
    size_t total = 0;
    for (;;) {
        const uint8_t *p;
        size_t n;
        PL_ASSERT_OK(padlock_conn_output(conn, &p, &n));
        if (n == 0) {
            return total;
        }
        memcpy(rec + *len, p, n);
        *len += n;
        total += n;
        PL_ASSERT_OK(padlock_conn_output_done(conn, n));
    }
}

typedef struct recording {
    uint8_t *b; /* the seed: mode, piece size, then everything the client sent */
    size_t len;
} recording;

/* Moves everything from's output to to, appending it to rec if not NULL. */
static size_t move(padlock_conn *from, padlock_conn *to, recording *rec) {
    size_t moved = 0;
    for (;;) {
        const uint8_t *p;
        size_t n;
        padlock_err rc = padlock_conn_output(from, &p, &n);
        assert_true(rc == PADLOCK_OK || rc == padlock_conn_error(from));
        if (n == 0) {
            return moved;
        }
        if (rec != NULL) {
            memcpy(rec->b + rec->len, p, n);
            rec->len += n;
        }
        size_t off = 0;
        while (off < n) {
            size_t used;
            PL_ASSERT_OK(padlock_conn_input(to, p + off, n - off, &used));
            off += used;
            while (padlock_conn_status(to) == PADLOCK_STATUS_DATA) {
                uint8_t buf[256];
                size_t got;
                PL_ASSERT_OK(padlock_conn_read(to, buf, sizeof(buf), &got));
            }
        }
        PL_ASSERT_OK(padlock_conn_output_done(from, n));
        moved += n;
    }
}

static void pump(padlock_conn *client, padlock_conn *server, recording *rec) {
    while (move(client, server, rec) + move(server, client, NULL) > 0) {
    }
}

static int64_t fuzz_server_time(void *ctx) {
    (void)ctx;
    return PL_FUZZ_SERVER_TIME;
}

/* A client of the server target: verification off (its certificate is self-signed), the target's
 * clock, optionally a client certificate. */
static padlock_config *seed_client(int with_cert) {
    padlock_config *cfg;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(cfg));
    PL_ASSERT_OK(padlock_config_set_time_fn(cfg, fuzz_server_time, NULL));
    if (with_cert) {
        PL_ASSERT_OK(padlock_config_add_certificate_files(cfg, pl_pki("client-chain.pem"),
                                                          pl_pki("client.key")));
    }
    return cfg;
}

/* Connects a client of ccfg to the target's server of mode as the target runs it, exchanges
 * data (the server also writes and updates its keys, as the target does) and closes; records
 * what the client sent as a seed. *session (if not NULL) is offered, and replaced with the
 * ticket the connection leaves. */
static void record(uint8_t mode, padlock_config *ccfg, uint8_t *session, size_t *session_len,
                   recording *rec) {
    padlock_conn *server, *client;
    PL_ASSERT_OK(padlock_conn_new(pl_fuzz_server_config(mode), &server));
    pl_fuzz_server_reset();
    PL_ASSERT_OK(padlock_conn_new(ccfg, &client));
    PL_ASSERT_OK(padlock_conn_set_server_name(client, "localhost"));
    if (session != NULL && *session_len > 0) {
        PL_ASSERT_OK(padlock_conn_set_session(client, session, *session_len));
    }
    rec->len = 0;
    rec->b[rec->len++] = mode;
    rec->b[rec->len++] = 0xff; /* pieces of 256 bytes */
    pump(client, server, rec);
    assert_true(padlock_conn_handshake_done(server));
    size_t written;
    PL_ASSERT_OK(padlock_conn_write(server, (const uint8_t *)"pong", 4, &written));
    PL_ASSERT_OK(padlock_conn_key_update(server, 1));
    PL_ASSERT_OK(padlock_conn_write(client, (const uint8_t *)"ping", 4, &written));
    pump(client, server, rec);
    if (session != NULL) {
        PL_ASSERT_OK(
            padlock_conn_export_session(client, session, PADLOCK_SESSION_MAX, session_len));
    }
    PL_ASSERT_OK(padlock_conn_close(client));
    pump(client, server, rec);
    padlock_conn_free(client);
    padlock_conn_free(server);
}

/* Replays a server seed through the target's body: a whole handshake, data, the close. */
static void replay_server_seed(const char *name, const uint8_t *data, size_t len, int *resumed) {
    pl_fuzz_conn_result r;
    pl_fuzz_server_run(data, len, &r);
    if (!r.handshake_done || !r.closed || r.error != PADLOCK_OK || r.app_bytes == 0) {
        fail_msg("server seed %s: handshake %d, closed %d, %zu bytes of data, error %s", name,
                 r.handshake_done, r.closed, r.app_bytes, padlock_strerror(r.error));
    }
    *resumed += r.resumed;
}

/* replay_server_seed as pl_test_for_each_seed calls it: ctx counts the resumed handshakes. */
static void replay_committed_server_seed(void *ctx, const char *name, const uint8_t *data,
                                         size_t len) {
    replay_server_seed(name, data, len, ctx);
}

/* With PL_UPDATE_SEEDS set, writes rec as the server seed fuzz/corpus/server/<name>. */
static void update_server_seed(const char *name, const recording *rec) {
    if (getenv("PL_UPDATE_SEEDS") != NULL) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/fuzz/corpus/server/%s", pl_test_source_dir(), name);
        assert_int_equal(pl_test_write_file(path, rec->b, rec->len), 0);
    }
}

/* The server target's TLS 1.2 seeds: the scripted TLS 1.2 client (ECDHE_ECDSA with the
 * configuration's Ed25519 key, X25519) through the handshake, a line of data and close_notify;
 * in mode (0: plain), with cred (NULL: none) as its client certificate. */
static void record_tls12(recording *rec, uint8_t mode, const pl_x509_credential *cred) {
    rec->len = 0;
    rec->b[rec->len++] = mode;
    rec->b[rec->len++] = 0xff; /* pieces of 256 bytes */
    pl_client12_opts o = {.suite = PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                          .group = PADLOCK_GROUP_X25519,
                          .scheme = 0x0807,
                          .sent = rec->b + rec->len,
                          .sent_cap = (1u << 20) - rec->len,
                          .after_new = pl_fuzz_server_reset,
                          .expect_cr = cred != NULL,
                          .cred = cred};
    pl_client12 *c = malloc(sizeof(*c));
    assert_non_null(c);
    pl_client12_handshake(c, pl_fuzz_server_config(mode), &o);
    static const uint8_t ping[4] = {'p', 'i', 'n', 'g'};
    pl_client12_send(c, PL_CONTENT_APPLICATION_DATA, ping, sizeof(ping));
    pl_client12_close(c);
    rec->len += c->sent_len;
    pl_client12_finish(c);
    free(c);
}

/* Records the server target's seeds (a plain handshake, a HelloRetryRequest, a client
 * certificate, a resumption), checks that each replays through the target, and writes them to
 * fuzz/corpus/server/ with PL_UPDATE_SEEDS=1; then replays the committed ones. */
static void test_server_seeds(void **state) {
    (void)state;
    static const struct {
        const char *name;
        uint8_t mode;
        int with_cert, resume;
    } seeds[] = {
        {"padlock-client", 0, 0, 0},
        {"padlock-client-retry", PL_FUZZ_SERVER_P384_ONLY, 0, 0},
        {"padlock-client-cert", PL_FUZZ_SERVER_CLIENT_AUTH | PL_FUZZ_SERVER_REQUIRED, 1, 0},
        {"padlock-client-resumed", 0, 0, 1},
    };
    recording rec = {malloc(1 << 20), 0};
    assert_non_null(rec.b);
    static uint8_t session[PADLOCK_SESSION_MAX];
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        padlock_config *ccfg = seed_client(seeds[i].with_cert);
        size_t session_len = 0;
        if (seeds[i].resume) {
            record(seeds[i].mode, ccfg, session, &session_len, &rec); /* gets a ticket */
            assert_true(session_len > 0);
        }
        record(seeds[i].mode, ccfg, seeds[i].resume ? session : NULL, &session_len, &rec);
        padlock_config_free(ccfg);
        int resumed = 0;
        replay_server_seed(seeds[i].name, rec.b, rec.len, &resumed);
        assert_int_equal(resumed, seeds[i].resume);
        update_server_seed(seeds[i].name, &rec);
    }
    /* TLS 1.2, plain and with a client certificate (RFC 5246 §7.4.6, §7.4.8). */
    pl_x509_credential cred;
    PL_ASSERT_OK(pl_x509_credential_load(&cred, pl_pki("client-chain.pem"), pl_pki("client.key"),
                                         NULL));
    static const struct {
        const char *name;
        uint8_t mode;
        int with_cert;
    } seeds12[] = {
        {"padlock-client12", 0, 0},
        {"padlock-client12-cert", PL_FUZZ_SERVER_CLIENT_AUTH | PL_FUZZ_SERVER_REQUIRED, 1},
    };
    for (size_t i = 0; i < 2; i++) {
        record_tls12(&rec, seeds12[i].mode, seeds12[i].with_cert ? &cred : NULL);
        int tls12_resumed = 0;
        replay_server_seed(seeds12[i].name, rec.b, rec.len, &tls12_resumed);
        update_server_seed(seeds12[i].name, &rec);
    }
    pl_x509_credential_cleanup(&cred);
    free(rec.b);
    int resumed = 0;
    int count = pl_test_for_each_seed("server", replay_committed_server_seed, &resumed);
    assert_true(count >= 6);
    assert_true(resumed >= 1);
    printf("%d server seeds replayed\n", count);
}

/* Regression: the client target trapped when one piece of input held a KeyUpdate asking for one
 * back and application data, as its invariant ("input stops early only at data") read the
 * status before sending the owed KeyUpdate. A padlock server sends exactly that. */
static void test_client_driver_owed_key_update(void **state) {
    (void)state;
    padlock_config *ccfg, *scfg = pl_pair_server_config("p256");
    padlock_conn *client, *server;
    PL_ASSERT_OK(pl_fuzz_client_new(0, &ccfg, &client));
    PL_ASSERT_OK(padlock_conn_new(scfg, &server));
    uint8_t *rec = malloc(1 << 16);
    size_t len = 2;
    uint8_t scratch[8192];
    for (int round = 0; round < 4; round++) {
        size_t n = 0;
        take_output(client, scratch, &n);
        size_t used;
        if (n > 0) {
            PL_ASSERT_OK(padlock_conn_input(server, scratch, n, &used));
        }
        size_t before = len;
        take_output(server, rec, &len);
        if (len > before) {
            PL_ASSERT_OK(padlock_conn_input(client, rec + before, len - before, &used));
        }
    }
    assert_true(padlock_conn_handshake_done(client));
    assert_true(padlock_conn_handshake_done(server));
    size_t ku_start = len - 2, written;
    PL_ASSERT_OK(padlock_conn_key_update(server, 1));
    PL_ASSERT_OK(padlock_conn_write(server, (const uint8_t *)"data", 4, &written));
    take_output(server, rec, &len);
    size_t end = len - 2;
    /* A piece size that puts both records in one piece. */
    size_t piece = 256;
    while (ku_start / piece != (end - 1) / piece) {
        piece--;
    }
    rec[0] = 0x00;
    rec[1] = (uint8_t)(piece - 1);
    padlock_conn_free(client);
    padlock_config_free(ccfg);
    padlock_conn_free(server);
    padlock_config_free(scfg);
    pl_fuzz_conn_result r;
    pl_fuzz_client_run(rec, len, &r);
    assert_true(r.handshake_done);
    assert_int_equal(r.app_bytes, 4);
    assert_int_equal(r.error, PADLOCK_E_TRUNCATED); /* the stream ends without close_notify */
    free(rec);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds_reach_the_end),
        cmocka_unit_test(test_client_driver_owed_key_update),
        cmocka_unit_test(test_server_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
