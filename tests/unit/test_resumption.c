/* Session resumption between padlock's client and server (RFC 8446 §2.2, §4.2.11, §4.6.1):
 * a ticket resumes with psk_dhe_ke (fresh key shares, no certificates) and leaves a new ticket;
 * a client certificate's chain survives in the ticket; every mismatch falls back to a full
 * handshake (an expired ticket, a clock that disagrees about its age, another server's keys, a
 * rotated-out key, an altered ticket, another server name, a suite of another hash, a policy
 * that now requires a certificate), but a wrong binder is decrypt_error (§4.2.11's MUST); a
 * HelloRetryRequest keeps or drops the offer by hash; fleets share ticket keys; the session
 * export/import API and the ticket key API refuse what they must. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conn.h"
#include "hs/server13.h"
#include "hs/ticket13.h"
#include "hs/ticket_seal.h"
#include "padlock/x509.h"
#include "pair.h"
#include "pki.h"
#include "testlib.h"
#include "util/mem.h"

/* The clocks of the client and the server, seconds since the epoch, from the real time at
 * the start (the test certificates are valid around it). */
static int64_t base;
static int64_t client_now;
static int64_t server_now;

static int64_t clock_of(void *ctx) {
    return *(const int64_t *)ctx;
}

static padlock_config *server(void) {
    padlock_config *cfg = pl_pair_server_config("p256");
    PL_ASSERT_OK(padlock_config_set_time_fn(cfg, clock_of, &server_now));
    return cfg;
}

static padlock_config *client(void) {
    padlock_config *cfg = pl_pair_client_config();
    PL_ASSERT_OK(padlock_config_set_time_fn(cfg, clock_of, &client_now));
    return cfg;
}

static void set_clocks(int64_t t) {
    client_now = t;
    server_now = t;
}

typedef struct session {
    uint8_t b[PADLOCK_SESSION_MAX];
    size_t len;
} session;

/* A handshake of the two configurations offering s (NULL: none); the newest ticket it leaves is
 * exported into out (if not NULL). Returns whether both sides resumed (they must agree). */
static int connect(padlock_config *ccfg, padlock_config *scfg, const session *s, session *out) {
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, NULL);
    if (s != NULL) {
        PL_ASSERT_OK(padlock_conn_set_session(p.client, s->b, s->len));
    }
    pl_pair_handshake(&p);
    int resumed = padlock_conn_resumed(p.client);
    assert_int_equal(padlock_conn_resumed(p.server), resumed);
    /* A resumed session is authenticated by the PSK: no certificate, no signature. */
    assert_int_equal(padlock_conn_peer_cert_count(p.client), resumed ? 0 : 2);
    assert_int_equal(padlock_conn_signature_scheme(p.client), resumed ? 0 : 0x0403);
    pl_pair_transfer(&p, p.client, (const uint8_t *)"ping", 4);
    if (out != NULL) {
        PL_ASSERT_OK(padlock_conn_export_session(p.client, out->b, sizeof(out->b), &out->len));
    }
    pl_pair_close(&p);
    return resumed;
}

static void test_resumes(void **state) {
    (void)state;
    set_clocks(base);
    padlock_config *ccfg = client(), *scfg = server();
    session s1, s2, s3;
    assert_false(connect(ccfg, scfg, NULL, &s1));
    /* Each resumed connection leaves a fresh ticket: a chain of resumptions. */
    client_now += 60;
    server_now += 60;
    assert_true(connect(ccfg, scfg, &s1, &s2));
    assert_true(connect(ccfg, scfg, &s2, &s3));
    assert_true(s2.len != s3.len || memcmp(s2.b, s3.b, s2.len) != 0);
    /* The server drew a fresh sealing nonce for each ticket (with its ticket_age_add). */
    pl_ticket13 *t2 = NULL, *t3 = NULL;
    PL_ASSERT_OK(pl_ticket13_import(s2.b, s2.len, &t2));
    PL_ASSERT_OK(pl_ticket13_import(s3.b, s3.len, &t3));
    assert_memory_equal(t2->ticket, t3->ticket, PL_TICKET_KEY_ID_LEN);
    assert_memory_not_equal(t2->ticket + PL_TICKET_KEY_ID_LEN, t3->ticket + PL_TICKET_KEY_ID_LEN,
                            PL_AEAD_NONCE_LEN);
    assert_true(t2->age_add != t3->age_add);
    pl_ticket13_free(t2);
    pl_ticket13_free(t3);
    /* Fresh (EC)DHE in each: the resumed sessions' exporters differ. */
    uint8_t k1[32], k2[32];
    for (int i = 0; i < 2; i++) {
        pl_pair p;
        pl_pair_open(&p, ccfg, scfg, NULL);
        PL_ASSERT_OK(padlock_conn_set_session(p.client, s3.b, s3.len));
        pl_pair_handshake(&p);
        assert_true(padlock_conn_resumed(p.client));
        uint8_t theirs[32];
        PL_ASSERT_OK(
            padlock_conn_export_keying_material(p.client, i == 0 ? k1 : k2, 32, "test", NULL, 0));
        PL_ASSERT_OK(padlock_conn_export_keying_material(p.server, theirs, 32, "test", NULL, 0));
        assert_memory_equal(theirs, i == 0 ? k1 : k2, 32);
        assert_string_equal(padlock_conn_server_name(p.server), "localhost");
        pl_pair_close(&p);
    }
    assert_memory_not_equal(k1, k2, 32);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

/* The random hook, counting its calls and bytes. */
typedef struct counting_rng {
    pl_test_rng rng;
    unsigned calls;
    size_t bytes;
} counting_rng;

static padlock_err counting_rng_fill(void *ctx, uint8_t *out, size_t len) {
    counting_rng *c = ctx;
    c->calls++;
    c->bytes += len;
    return pl_test_rng_fill(&c->rng, out, len);
}

/* Randomness is drawn once per handshake and side (a call costs about a microsecond, whatever
 * its length): the client's random, session id and X25519 private key with its ClientHello; the
 * server's X25519 private key and random with its ServerHello, together with each ticket's
 * ticket_age_add and sealing nonce; in full and resumed handshakes alike. */
static void test_random_draws(void **state) {
    (void)state;
    set_clocks(base);
    counting_rng cr, sr;
    memset(&cr, 0, sizeof(cr));
    memset(&sr, 0, sizeof(sr));
    pl_test_rng_seed(&cr.rng, 1);
    pl_test_rng_seed(&sr.rng, 2);
    padlock_config *ccfg = client(), *scfg = server();
    PL_ASSERT_OK(padlock_config_set_random_fn(ccfg, counting_rng_fill, &cr));
    PL_ASSERT_OK(padlock_config_set_random_fn(scfg, counting_rng_fill, &sr));
    PL_ASSERT_OK(padlock_config_set_tickets(scfg, 2, 3600));
    /* The first connection also makes the configuration's ticket key (one more draw). */
    session s;
    assert_false(connect(ccfg, scfg, NULL, &s));
    for (int resumed = 0; resumed < 2; resumed++) {
        cr.calls = 0;
        cr.bytes = 0;
        sr.calls = 0;
        sr.bytes = 0;
        assert_int_equal(connect(ccfg, scfg, resumed ? &s : NULL, &s), resumed);
        assert_int_equal(cr.calls, 1);
        assert_int_equal(cr.bytes, 32 + 32 + 32);
        assert_int_equal(sr.calls, 1);
        assert_int_equal(sr.bytes, 32 + 32 + 2 * (4 + 12));
    }
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

/* A client certificate's chain is in the ticket: the resumed server knows who it talks to. */
static void test_client_identity_kept(void **state) {
    (void)state;
    set_clocks(base);
    padlock_config *scfg = server();
    PL_ASSERT_OK(padlock_config_set_client_auth(scfg, PADLOCK_CLIENT_AUTH_REQUIRED));
    padlock_trust_store *store;
    PL_ASSERT_OK(padlock_trust_store_new(&store));
    PL_ASSERT_OK(padlock_trust_store_add_file(store, pl_pki("root.pem")));
    PL_ASSERT_OK(padlock_config_set_trust_store(scfg, store));
    padlock_config *ccfg = client();
    PL_ASSERT_OK(padlock_config_add_certificate_files(ccfg, pl_pki("client-chain.pem"),
                                                      pl_pki("client.key")));
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, NULL);
    pl_pair_handshake(&p);
    size_t leaf_len;
    const uint8_t *leaf = padlock_conn_peer_cert(p.server, 0, &leaf_len);
    uint8_t original[4096];
    assert_true(leaf_len <= sizeof(original));
    memcpy(original, leaf, leaf_len);
    session s;
    pl_pair_transfer(&p, p.server, (const uint8_t *)"x", 1);
    PL_ASSERT_OK(padlock_conn_export_session(p.client, s.b, sizeof(s.b), &s.len));
    pl_pair_close(&p);
    pl_pair_open(&p, ccfg, scfg, NULL);
    PL_ASSERT_OK(padlock_conn_set_session(p.client, s.b, s.len));
    pl_pair_handshake(&p);
    assert_true(padlock_conn_resumed(p.server));
    assert_int_equal(padlock_conn_peer_cert_count(p.server), 2);
    const uint8_t *again = padlock_conn_peer_cert(p.server, 0, &leaf_len);
    assert_memory_equal(again, original, leaf_len);
    assert_int_equal(padlock_conn_signature_scheme(p.server), 0); /* no CertificateVerify */
    pl_pair_close(&p);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

/* Mismatches that mean a full handshake. */
static void test_full_handshake_instead(void **state) {
    (void)state;
    set_clocks(base);
    padlock_config *ccfg = client(), *scfg = server();
    session s;
    assert_false(connect(ccfg, scfg, NULL, &s));
    /* The server thinks the ticket's lifetime (a day) is over; the client does not. */
    server_now = client_now + 86401;
    assert_false(connect(ccfg, scfg, &s, NULL));
    /* The clocks disagree about the ticket's age by more than the window (10 s). */
    server_now = client_now + 30;
    assert_false(connect(ccfg, scfg, &s, NULL));
    server_now = client_now + 5; /* within it */
    assert_true(connect(ccfg, scfg, &s, NULL));
    /* The client knows the ticket expired and does not even offer it. */
    set_clocks(base + 86400);
    assert_false(connect(ccfg, scfg, &s, NULL));
    set_clocks(base);
    /* The handshake a day later sealed its ticket with a new key (the first one was a lifetime
     * old), which still opens s; one more rotation retires the key that sealed s. */
    assert_true(connect(ccfg, scfg, &s, NULL));
    PL_ASSERT_OK(padlock_ticket_keys_rotate(scfg->hs.ticket_keys));
    assert_false(connect(ccfg, scfg, &s, NULL));
    /* Another server (its own ticket keys) cannot open it. */
    padlock_config *other = server();
    session t;
    assert_false(connect(ccfg, other, &s, &t));
    /* Rotated once by hand, a key still opens; rotated twice, it is gone. */
    PL_ASSERT_OK(padlock_ticket_keys_rotate(other->hs.ticket_keys));
    assert_true(connect(ccfg, other, &t, NULL));
    PL_ASSERT_OK(padlock_ticket_keys_rotate(other->hs.ticket_keys));
    assert_false(connect(ccfg, other, &t, NULL));
    padlock_config_free(other);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

/* Flips one bit at offset (from the end of the client's first record if negative). */
typedef struct flip {
    long offset;
    int done;
} flip;

static void flip_tap(void *ctx, uint8_t *data, size_t len) {
    flip *f = ctx;
    if (f->done) {
        return;
    }
    size_t rec_len = 5 + ((size_t)data[3] << 8 | data[4]);
    assert_true(rec_len <= len);
    size_t at = f->offset < 0 ? rec_len - (size_t)(-f->offset) : (size_t)f->offset;
    data[at] ^= 0x01;
    f->done = 1;
}

/* Where a ticket's bytes start in the client's ClientHello record: its pre_shared_key is last,
 * identities first: binders (2 + 1 + 32) and the age (4) follow the ticket. */
static void test_altered_offers(void **state) {
    (void)state;
    set_clocks(base);
    padlock_config *ccfg = client(), *scfg = server();
    session s;
    assert_false(connect(ccfg, scfg, NULL, &s));
    /* A wrong binder: the server MUST abort (§4.2.11), with decrypt_error. */
    pl_pair p;
    flip f = {-1, 0};
    pl_pair_open(&p, ccfg, scfg, NULL);
    p.tap = flip_tap;
    p.tap_ctx = &f;
    PL_ASSERT_OK(padlock_conn_set_session(p.client, s.b, s.len));
    pl_pair_expect_failure(&p, p.server, PADLOCK_E_DECRYPT_ERROR, PADLOCK_ALERT_DECRYPT_ERROR);
    assert_non_null(strstr(padlock_conn_error_message(p.server), "binder"));
    pl_pair_close(&p);
    /* An altered ticket does not open: it is ignored, and the handshake is a full one (the
     * client's binder was over the altered bytes, but it belongs to no PSK the server has). */
    f.offset = -(2 + 1 + 32 + 4 + 10);
    f.done = 0;
    pl_pair_open(&p, ccfg, scfg, NULL);
    p.tap = flip_tap;
    p.tap_ctx = &f;
    PL_ASSERT_OK(padlock_conn_set_session(p.client, s.b, s.len));
    pl_pair_pump(&p);
    /* The server went on with a full handshake rather than failing or resuming; its keys
     * cover the altered hello and the client's do not, so each fails to open the other's
     * records (the client's flight, the client's alert about the server's). */
    assert_false(padlock_conn_resumed(p.server));
    assert_int_equal(p.server->tls.state, PL_S13_WAIT_FINISHED);
    assert_int_equal(padlock_conn_error(p.client), PADLOCK_E_BAD_RECORD_MAC);
    assert_int_equal(padlock_conn_error(p.server), PADLOCK_E_BAD_RECORD_MAC);
    pl_pair_close(&p);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

/* The ticket names the server it was issued under; a session whose stored name was changed is
 * offered under the new name and declined. */
static void test_other_server_name(void **state) {
    (void)state;
    set_clocks(base);
    padlock_config *ccfg = client(), *scfg = server();
    session s;
    assert_false(connect(ccfg, scfg, NULL, &s));
    /* The session's own server name: magic, suite, time, lifetime, age_add, PSK, then name. */
    size_t at = 4 + 2 + 8 + 4 + 4;
    at += 1 + s.b[at];
    assert_int_equal(s.b[at], 9);
    assert_memory_equal(s.b + at + 1, "localhost", 9);
    memcpy(s.b + at + 1, "LOCALHOST", 9); /* names compare without case: still offered */
    assert_true(connect(ccfg, scfg, &s, NULL));
    memcpy(s.b + at + 1, "xocalhost", 9);
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, "xocalhost.example.test");
    PL_ASSERT_OK(padlock_conn_set_session(p.client, s.b, s.len));
    pl_pair_handshake(&p); /* the client does not offer it under another name */
    assert_false(padlock_conn_resumed(p.client));
    pl_pair_close(&p);
    /* ... and the server declines a ticket for another name (the client check undone). */
    padlock_config *insecure;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &insecure));
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(insecure));
    PL_ASSERT_OK(padlock_config_set_time_fn(insecure, clock_of, &client_now));
    pl_pair_open(&p, insecure, scfg, "xocalhost");
    PL_ASSERT_OK(padlock_conn_set_session(p.client, s.b, s.len));
    pl_pair_handshake(&p);
    assert_false(padlock_conn_resumed(p.server));
    pl_pair_close(&p);
    padlock_config_free(insecure);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

static void test_suite_hash(void **state) {
    (void)state;
    set_clocks(base);
    padlock_config *scfg = server();
    PL_ASSERT_OK(padlock_config_set_preference(scfg, PADLOCK_PREFER_CLIENT));
    /* A SHA-384 session... */
    const uint16_t aes256[1] = {PADLOCK_TLS_AES_256_GCM_SHA384};
    padlock_config *c384 = client();
    PL_ASSERT_OK(padlock_config_set_cipher_suites(c384, aes256, 1));
    session s;
    assert_false(connect(c384, scfg, NULL, &s));
    /* ... resumes with ChaCha20 (SHA-256)? No: a full handshake (§4.6.1). */
    const uint16_t mixed[2] = {PADLOCK_TLS_CHACHA20_POLY1305_SHA256,
                               PADLOCK_TLS_AES_256_GCM_SHA384};
    padlock_config *cmixed = client();
    PL_ASSERT_OK(padlock_config_set_cipher_suites(cmixed, mixed, 2));
    assert_false(connect(cmixed, scfg, &s, NULL));
    /* A client offering only SHA-256 suites does not offer it at all. */
    const uint16_t aes128[1] = {PADLOCK_TLS_AES_128_GCM_SHA256};
    padlock_config *c256 = client();
    PL_ASSERT_OK(padlock_config_set_cipher_suites(c256, aes128, 1));
    assert_false(connect(c256, scfg, &s, NULL));
    /* With the same hash, any suite: AES-256-GCM again. */
    assert_true(connect(c384, scfg, &s, NULL));
    padlock_config_free(c384);
    padlock_config_free(cmixed);
    padlock_config_free(c256);
    padlock_config_free(scfg);
}

/* s with its ticket replaced by the same state sealed anew by the server's keys as a session
 * of version (the session's PSK as the state's secret): what a TLS 1.2 session of a SHA-384
 * suite would carry if its master secret equalled the PSK. issued_at, unless 0, replaces the
 * state's issue time. */
static void reseal(const session *s, padlock_config *scfg, uint16_t version, int64_t issued_at,
                   session *out) {
    pl_ticket13 *t = NULL;
    PL_ASSERT_OK(pl_ticket13_import(s->b, s->len, &t));
    uint8_t opened[1024], sealed[1024];
    pl_ticket_state st;
    PL_ASSERT_OK(pl_ticket_open(scfg->hs.ticket_keys, t->ticket, t->ticket_len, opened,
                                sizeof(opened), &st));
    assert_int_equal(st.version, PL_TLS13_VERSION);
    st.version = version;
    st.ems = version == PL_TLS12_VERSION;
    if (issued_at != 0) {
        st.issued_at = issued_at;
    }
    size_t len = 0;
    const uint8_t nonce[PL_AEAD_NONCE_LEN] = {9};
    PL_ASSERT_OK(pl_ticket_seal(scfg->hs.ticket_keys, NULL, nonce, server_now, 86400, &st, NULL,
                                sealed, sizeof(sealed), &len));
    pl_ticket13 *u = pl_malloc(sizeof(*u) + len + t->name_len);
    assert_non_null(u);
    *u = *t;
    u->next = NULL;
    u->ticket_len = len;
    memcpy(u->ticket, sealed, len);
    memcpy(u->ticket + len, t->ticket + t->ticket_len, t->name_len);
    PL_ASSERT_OK(pl_ticket13_export(u, NULL, out->b, sizeof(out->b), &out->len));
    pl_ticket13_free(t);
    pl_ticket13_free(u);
}

/* A TLS 1.2 session state never resumes a TLS 1.3 handshake, even one whose secret has the
 * length of the suite's hash (SHA-384: 48 bytes, a TLS 1.2 master secret's length). */
static void test_tls12_state_not_resumed(void **state) {
    (void)state;
    set_clocks(base);
    padlock_config *scfg = server();
    const uint16_t aes256[1] = {PADLOCK_TLS_AES_256_GCM_SHA384};
    padlock_config *ccfg = client();
    PL_ASSERT_OK(padlock_config_set_cipher_suites(ccfg, aes256, 1));
    session s, s13, s12;
    assert_false(connect(ccfg, scfg, NULL, &s));
    /* The splice itself works: resealed as TLS 1.3, the session resumes. */
    reseal(&s, scfg, PL_TLS13_VERSION, 0, &s13);
    assert_true(connect(ccfg, scfg, &s13, NULL));
    /* As a TLS 1.2 state: ignored, a full handshake. */
    reseal(&s, scfg, PL_TLS12_VERSION, 0, &s12);
    assert_false(connect(ccfg, scfg, &s12, NULL));
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

/* A ticket whose state was issued far in the future (sealed by a server of the fleet whose
 * clock ran ahead) is not used: a full handshake. Its age in milliseconds overflowed before
 * (found while writing fuzz_ticket_state; the sanitizer build catches the overflow). */
static void test_ticket_from_far_future(void **state) {
    (void)state;
    set_clocks(base);
    padlock_config *scfg = server();
    padlock_config *ccfg = client();
    session s, far, near;
    assert_false(connect(ccfg, scfg, NULL, &s));
    reseal(&s, scfg, PL_TLS13_VERSION, INT64_MAX / 2, &far);
    assert_false(connect(ccfg, scfg, &far, NULL));
    /* The same ticket within the clock skew allowed (§4.2.11.1) still resumes. */
    reseal(&s, scfg, PL_TLS13_VERSION, base + 5, &near);
    assert_true(connect(ccfg, scfg, &near, NULL));
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

/* Which of the client's ClientHellos carried pre_shared_key. */
typedef struct hello_log {
    int num;
    int psk[4];
} hello_log;

static void hello_tap(void *ctx, uint8_t *data, size_t len) {
    hello_log *log = ctx;
    size_t off = 0;
    while (off + 5 <= len) {
        size_t rec = (size_t)data[off + 3] << 8 | data[off + 4];
        if (data[off] == PL_CONTENT_HANDSHAKE && data[off + 5] == PL_HS_CLIENT_HELLO &&
            log->num < 4) {
            pl_client_hello ch;
            pl_errinfo err;
            pl_errinfo_init(&err);
            PL_ASSERT_OK(pl_client_hello_parse(&ch, data + off + 9, rec - 4, &err));
            log->psk[log->num++] = pl_exts_has(&ch.exts, PL_EXT_PRE_SHARED_KEY);
            pl_errinfo_cleanup(&err);
        }
        off += 5 + rec;
    }
}

/* A HelloRetryRequest: the offer is kept (binder over ClientHello1, the retry and the new
 * hello), unless the retry's suite has another hash. */
static void test_resumption_after_retry(void **state) {
    (void)state;
    set_clocks(base);
    padlock_config *scfg = server();
    const uint16_t p384[1] = {PADLOCK_GROUP_SECP384R1};
    PL_ASSERT_OK(padlock_config_set_groups(scfg, p384, 1));
    padlock_config *ccfg = client();
    session s;
    assert_false(connect(ccfg, scfg, NULL, &s));
    pl_pair p;
    hello_log hellos;
    memset(&hellos, 0, sizeof(hellos));
    pl_pair_open(&p, ccfg, scfg, NULL);
    p.tap = hello_tap;
    p.tap_ctx = &hellos;
    PL_ASSERT_OK(padlock_conn_set_session(p.client, s.b, s.len));
    pl_pair_handshake(&p);
    assert_true(padlock_conn_resumed(p.server));
    assert_int_equal(padlock_conn_group(p.server), PADLOCK_GROUP_SECP384R1);
    pl_pair_close(&p);
    assert_int_equal(hellos.num, 2);
    assert_true(hellos.psk[0] && hellos.psk[1]);
    /* A SHA-384 session (from a server sharing the keys, without a retry) and a retry for
     * TLS_AES_128_GCM_SHA256: the second hello drops the offer (RFC 8446 §4.1.4). */
    const uint16_t aes256[1] = {PADLOCK_TLS_AES_256_GCM_SHA384};
    padlock_config *c384 = client();
    PL_ASSERT_OK(padlock_config_set_cipher_suites(c384, aes256, 1));
    padlock_config *plain = server();
    PL_ASSERT_OK(padlock_config_set_ticket_keys(plain, scfg->hs.ticket_keys));
    session s384;
    assert_false(connect(c384, plain, NULL, &s384));
    padlock_config_free(plain);
    memset(&hellos, 0, sizeof(hellos));
    pl_pair_open(&p, ccfg, scfg, NULL);
    p.tap = hello_tap;
    p.tap_ctx = &hellos;
    PL_ASSERT_OK(padlock_conn_set_session(p.client, s384.b, s384.len));
    pl_pair_handshake(&p);
    assert_false(padlock_conn_resumed(p.server));
    assert_int_equal(hellos.num, 2);
    assert_true(hellos.psk[0]);
    assert_false(hellos.psk[1]);
    pl_pair_close(&p);
    padlock_config_free(c384);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

/* A server that now requires client certificates does not resume a session without one. */
static void test_policy_change(void **state) {
    (void)state;
    set_clocks(base);
    padlock_ticket_keys *keys;
    PL_ASSERT_OK(padlock_ticket_keys_new(&keys));
    padlock_config *open_server = server(), *strict = server();
    PL_ASSERT_OK(padlock_config_set_ticket_keys(open_server, keys));
    PL_ASSERT_OK(padlock_config_set_ticket_keys(strict, keys));
    PL_ASSERT_OK(padlock_config_set_client_auth(strict, PADLOCK_CLIENT_AUTH_REQUIRED));
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(strict));
    padlock_config *ccfg = client();
    session s;
    assert_false(connect(ccfg, open_server, NULL, &s));
    assert_true(connect(ccfg, open_server, &s, NULL));
    pl_pair p;
    pl_pair_open(&p, ccfg, strict, NULL);
    PL_ASSERT_OK(padlock_conn_set_session(p.client, s.b, s.len));
    pl_pair_expect_failure(&p, p.server, PADLOCK_E_CERTIFICATE_REQUIRED,
                           PADLOCK_ALERT_CERTIFICATE_REQUIRED);
    assert_false(padlock_conn_resumed(p.server));
    pl_pair_close(&p);
    padlock_ticket_keys_free(keys);
    padlock_config_free(open_server);
    padlock_config_free(strict);
    padlock_config_free(ccfg);
}

/* Servers given the same keys resume each other's sessions. */
static void test_fleet(void **state) {
    (void)state;
    set_clocks(base);
    uint8_t secrets[2 * PADLOCK_TICKET_KEY_LEN];
    for (size_t i = 0; i < sizeof(secrets); i++) {
        secrets[i] = (uint8_t)(i * 7 + 1);
    }
    padlock_ticket_keys *ka, *kb;
    PL_ASSERT_OK(padlock_ticket_keys_new(&ka));
    PL_ASSERT_OK(padlock_ticket_keys_new(&kb));
    PL_ASSERT_OK(padlock_ticket_keys_set(ka, secrets, 1));
    PL_ASSERT_OK(padlock_ticket_keys_set(kb, secrets, 1));
    padlock_config *a = server(), *b = server(), *ccfg = client();
    PL_ASSERT_OK(padlock_config_set_ticket_keys(a, ka));
    PL_ASSERT_OK(padlock_config_set_ticket_keys(b, kb));
    session s, s2;
    assert_false(connect(ccfg, a, NULL, &s));
    assert_true(connect(ccfg, b, &s, &s2));
    /* The next key is handed out: b seals with it, a still only knows the old one; once a
     * knows both (either order), it opens b's tickets. */
    PL_ASSERT_OK(padlock_ticket_keys_set(kb, secrets + PADLOCK_TICKET_KEY_LEN, 1));
    assert_true(connect(ccfg, a, &s2, NULL)); /* s2 was sealed under the first key */
    session s3;
    assert_false(connect(ccfg, b, &s2, &s3)); /* b dropped the first key */
    assert_false(connect(ccfg, a, &s3, NULL));
    uint8_t swapped[2 * PADLOCK_TICKET_KEY_LEN];
    memcpy(swapped, secrets + PADLOCK_TICKET_KEY_LEN, PADLOCK_TICKET_KEY_LEN);
    memcpy(swapped + PADLOCK_TICKET_KEY_LEN, secrets, PADLOCK_TICKET_KEY_LEN);
    PL_ASSERT_OK(padlock_ticket_keys_set(ka, secrets, 2));
    assert_true(connect(ccfg, a, &s3, NULL));
    PL_ASSERT_OK(padlock_ticket_keys_set(ka, swapped, 2));
    assert_true(connect(ccfg, a, &s, NULL));
    /* A server of the fleet that issues no tickets still resumes the others'. */
    padlock_config *quiet = server();
    PL_ASSERT_OK(padlock_config_set_tickets(quiet, 0, 3600));
    PL_ASSERT_OK(padlock_config_set_ticket_keys(quiet, ka));
    pl_pair p;
    pl_pair_open(&p, ccfg, quiet, NULL);
    PL_ASSERT_OK(padlock_conn_set_session(p.client, s.b, s.len));
    pl_pair_handshake(&p);
    assert_true(padlock_conn_resumed(p.server));
    uint8_t none[PADLOCK_SESSION_MAX];
    size_t none_len;
    PL_ASSERT_ERR(padlock_conn_export_session(p.client, none, sizeof(none), &none_len),
                  PADLOCK_E_STATE);
    pl_pair_close(&p);
    padlock_config_free(quiet);
    padlock_ticket_keys_free(ka);
    padlock_ticket_keys_free(kb);
    padlock_config_free(a);
    padlock_config_free(b);
    padlock_config_free(ccfg);
}

/* Keys that rotate themselves: a new key once the sealing one is a lifetime old, the previous
 * one still opening. */
static void test_automatic_rotation(void **state) {
    (void)state;
    padlock_ticket_keys *keys;
    PL_ASSERT_OK(padlock_ticket_keys_new(&keys));
    uint8_t in[40] = {1, 2, 3}, t1[128], t2[128], t3[128], out[128];
    const uint8_t na[PL_AEAD_NONCE_LEN] = {1}, nb[PL_AEAD_NONCE_LEN] = {2};
    size_t n1, n2, n3, n;
    PL_ASSERT_OK(
        pl_ticket_keys_seal(keys, NULL, na, 1000, 100, in, sizeof(in), t1, sizeof(t1), &n1));
    PL_ASSERT_OK(
        pl_ticket_keys_seal(keys, NULL, nb, 1099, 100, in, sizeof(in), t2, sizeof(t2), &n2));
    assert_memory_equal(t1, t2, PL_TICKET_KEY_ID_LEN);  /* same key */
    assert_memory_equal(t1 + 4, na, PL_AEAD_NONCE_LEN); /* the nonces given */
    assert_memory_equal(t2 + 4, nb, PL_AEAD_NONCE_LEN);
    PL_ASSERT_OK(
        pl_ticket_keys_seal(keys, NULL, na, 1100, 100, in, sizeof(in), t3, sizeof(t3), &n3));
    assert_memory_not_equal(t1, t3, PL_TICKET_KEY_ID_LEN); /* rotated */
    PL_ASSERT_OK(pl_ticket_keys_open(keys, t1, n1, out, sizeof(out), &n));
    assert_memory_equal(out, in, sizeof(in));
    PL_ASSERT_OK(pl_ticket_keys_open(keys, t3, n3, out, sizeof(out), &n));
    /* Tampering is detected: the key id is authenticated, so is every other byte. */
    t3[n3 - 1] ^= 1;
    PL_ASSERT_ERR(pl_ticket_keys_open(keys, t3, n3, out, sizeof(out), &n), PADLOCK_E_AEAD_OPEN);
    t3[0] ^= 1;
    PL_ASSERT_ERR(pl_ticket_keys_open(keys, t3, n3, out, sizeof(out), &n), PADLOCK_E_DECODE);
    PL_ASSERT_ERR(pl_ticket_keys_open(keys, t3, 20, out, sizeof(out), &n), PADLOCK_E_DECODE);
    /* The next rotation retires the first key. */
    PL_ASSERT_OK(
        pl_ticket_keys_seal(keys, NULL, nb, 1200, 100, in, sizeof(in), t2, sizeof(t2), &n2));
    PL_ASSERT_ERR(pl_ticket_keys_open(keys, t1, n1, out, sizeof(out), &n), PADLOCK_E_DECODE);
    padlock_ticket_keys_free(keys);
}

static void test_api_refusals(void **state) {
    (void)state;
    set_clocks(base);
    padlock_config *ccfg = client(), *scfg = server();
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, NULL);
    uint8_t buf[PADLOCK_SESSION_MAX];
    size_t n;
    /* Nothing to export before a ticket arrived, nor on a server. */
    PL_ASSERT_ERR(padlock_conn_export_session(p.client, buf, sizeof(buf), &n), PADLOCK_E_STATE);
    pl_pair_handshake(&p);
    PL_ASSERT_ERR(padlock_conn_export_session(p.server, buf, sizeof(buf), &n), PADLOCK_E_STATE);
    /* Too small: the size needed, and the ticket stays. */
    PL_ASSERT_ERR(padlock_conn_export_session(p.client, buf, 10, &n), PADLOCK_E_BUFFER_TOO_SMALL);
    size_t need = n;
    PL_ASSERT_ERR(padlock_conn_export_session(p.client, NULL, 0, &n), PADLOCK_E_BUFFER_TOO_SMALL);
    PL_ASSERT_OK(padlock_conn_export_session(p.client, buf, need, &n));
    assert_int_equal(n, need);
    /* One ticket by default: exported once. */
    PL_ASSERT_ERR(padlock_conn_export_session(p.client, buf, sizeof(buf), &n), PADLOCK_E_STATE);
    /* Sessions only before a client's handshake. */
    PL_ASSERT_ERR(padlock_conn_set_session(p.client, buf, need), PADLOCK_E_STATE);
    PL_ASSERT_ERR(padlock_conn_set_session(p.server, buf, need), PADLOCK_E_INVALID_ARGUMENT);
    pl_pair_close(&p);
    pl_pair_open(&p, ccfg, scfg, NULL);
    /* Anything but session bytes is refused, byte by byte. */
    for (size_t cut = 0; cut < need; cut += 7) {
        PL_ASSERT_ERR(padlock_conn_set_session(p.client, buf, cut), PADLOCK_E_DECODE);
    }
    uint8_t bad[PADLOCK_SESSION_MAX];
    memcpy(bad, buf, need);
    bad[0] ^= 1; /* magic */
    PL_ASSERT_ERR(padlock_conn_set_session(p.client, bad, need), PADLOCK_E_DECODE);
    memcpy(bad, buf, need);
    bad[5] = 0x02; /* suite 0x1302: its hash is longer than the PSK */
    PL_ASSERT_ERR(padlock_conn_set_session(p.client, bad, need), PADLOCK_E_DECODE);
    PL_ASSERT_OK(padlock_conn_set_session(p.client, buf, need));
    pl_pair_handshake(&p);
    assert_true(padlock_conn_resumed(p.client));
    pl_pair_close(&p);
    padlock_config_free(scfg);

    /* Several tickets per handshake, newest first; none at all. */
    scfg = server();
    PL_ASSERT_OK(padlock_config_set_tickets(scfg, 3, 3600));
    pl_pair_open(&p, ccfg, scfg, NULL);
    pl_pair_handshake(&p);
    session s[3];
    for (size_t i = 0; i < 3; i++) {
        PL_ASSERT_OK(padlock_conn_export_session(p.client, s[i].b, sizeof(s[i].b), &s[i].len));
    }
    PL_ASSERT_ERR(padlock_conn_export_session(p.client, buf, sizeof(buf), &n), PADLOCK_E_STATE);
    pl_pair_close(&p);
    for (size_t i = 0; i < 3; i++) {
        assert_true(connect(ccfg, scfg, &s[i], NULL));
    }
    padlock_config_free(scfg);
    scfg = server();
    PL_ASSERT_OK(padlock_config_set_tickets(scfg, 0, 3600));
    pl_pair_open(&p, ccfg, scfg, NULL);
    pl_pair_handshake(&p);
    PL_ASSERT_ERR(padlock_conn_export_session(p.client, buf, sizeof(buf), &n), PADLOCK_E_STATE);
    assert_null(scfg->hs.ticket_keys); /* resumption off: no keys made */
    /* Such a server derives no resumption master secret (server13.c): its connection still
     * carries data both ways once the client's Finished is in. */
    static const uint8_t ping[] = "after a Finished without tickets";
    pl_pair_transfer(&p, p.client, ping, sizeof(ping));
    pl_pair_transfer(&p, p.server, ping, sizeof(ping));
    pl_pair_close(&p);
    PL_ASSERT_ERR(padlock_config_set_tickets(scfg, 1, 3600), PADLOCK_E_STATE);
    padlock_config_free(scfg);

    /* Setters' ranges. */
    scfg = server();
    PL_ASSERT_ERR(padlock_config_set_tickets(scfg, 9, 3600), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_config_set_tickets(scfg, 1, 0), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_config_set_tickets(scfg, 1, 604801), PADLOCK_E_INVALID_ARGUMENT);
    assert_non_null(strstr(padlock_config_error_message(scfg), "604800"));
    PL_ASSERT_OK(padlock_config_set_tickets(scfg, 8, 604800));
    PL_ASSERT_ERR(padlock_config_set_ticket_keys(scfg, NULL), PADLOCK_E_INVALID_ARGUMENT);
    padlock_config *fresh_client = client();
    PL_ASSERT_ERR(padlock_config_set_tickets(fresh_client, 1, 60), PADLOCK_E_INVALID_ARGUMENT);
    padlock_ticket_keys *keys;
    PL_ASSERT_OK(padlock_ticket_keys_new(&keys));
    PL_ASSERT_ERR(padlock_config_set_ticket_keys(fresh_client, keys), PADLOCK_E_INVALID_ARGUMENT);
    padlock_config_free(fresh_client);
    uint8_t secrets[5 * PADLOCK_TICKET_KEY_LEN] = {0};
    PL_ASSERT_ERR(padlock_ticket_keys_set(keys, secrets, 0), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_ticket_keys_set(keys, secrets, 5), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_ticket_keys_set(keys, NULL, 1), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_ticket_keys_rotate(NULL), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_ticket_keys_new(NULL), PADLOCK_E_INVALID_ARGUMENT);
    padlock_ticket_keys_free(keys);
    padlock_ticket_keys_free(NULL);
    padlock_config_free(scfg);
    padlock_config_free(ccfg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resumes),
        cmocka_unit_test(test_random_draws),
        cmocka_unit_test(test_client_identity_kept),
        cmocka_unit_test(test_full_handshake_instead),
        cmocka_unit_test(test_altered_offers),
        cmocka_unit_test(test_other_server_name),
        cmocka_unit_test(test_suite_hash),
        cmocka_unit_test(test_tls12_state_not_resumed),
        cmocka_unit_test(test_resumption_after_retry),
        cmocka_unit_test(test_policy_change),
        cmocka_unit_test(test_fleet),
        cmocka_unit_test(test_automatic_rotation),
        cmocka_unit_test(test_api_refusals),
        cmocka_unit_test(test_ticket_from_far_future),
    };
    base = (int64_t)time(NULL);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
