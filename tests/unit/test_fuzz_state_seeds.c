/* The seeds of the fuzz targets over stored state and files (fuzz/session.c, ticket_state.c,
 * trust_store.c, credential.c): made by padlock here and written to fuzz/corpus/<target>/ with
 * PL_UPDATE_SEEDS=1; every committed seed must still be accepted by the parser it seeds, or the
 * fuzzer would start from bytes refused at the first check. Sessions come from real handshakes
 * (TLS 1.3 ticket, TLS 1.2 ticket, TLS 1.2 session ID) at the session target's clock. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs/peer_chain.h"
#include "hs/ticket_seal.h"
#include "padlock/x509.h"
#include "pair.h"
#include "pki.h"
#include "testlib.h"
#include "util/mem.h"
#include "wire/pem.h"
#include "x509/credential.h"

/* fuzz/session.c's clock. */
#define SESSION_TIME 1767225600

static int64_t session_time(void *ctx) {
    (void)ctx;
    return SESSION_TIME;
}

static void write_seed(const char *target, const char *name, const uint8_t *data, size_t len) {
    if (getenv("PL_UPDATE_SEEDS") == NULL) {
        return;
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s/fuzz/corpus/%s/%s", pl_test_source_dir(), target, name);
    assert_int_equal(pl_test_write_file(path, data, len), 0);
}

/* ---- session: byte 0 the client's mode (0: TLS 1.2 and 1.3, name "localhost"), then a session */

/* A handshake between a client limited to max_version and a server (session cache only when
 * tickets is 0); returns the session the client exports, after the mode byte. */
static size_t record_session(uint16_t max_version, unsigned tickets, uint8_t *out) {
    padlock_config *ccfg = pl_pair_client_config(), *scfg = pl_pair_server_config("p256");
    /* The certificates are issued for today, the clock is the target's. */
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(ccfg));
    PL_ASSERT_OK(padlock_config_set_time_fn(ccfg, session_time, NULL));
    PL_ASSERT_OK(padlock_config_set_time_fn(scfg, session_time, NULL));
    PL_ASSERT_OK(padlock_config_set_versions(ccfg, PADLOCK_TLS12, max_version));
    PL_ASSERT_OK(padlock_config_set_tickets(scfg, tickets, 86400));
    pl_pair p;
    pl_pair_open(&p, ccfg, scfg, NULL);
    pl_pair_handshake(&p);
    pl_pair_transfer(&p, p.server, (const uint8_t *)"pong", 4);
    out[0] = 0;
    size_t len;
    PL_ASSERT_OK(padlock_conn_export_session(p.client, out + 1, PADLOCK_SESSION_MAX, &len));
    pl_pair_close(&p);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
    return 1 + len;
}

/* The session target's client accepts the seed. */
static void check_session(void *ctx, const char *name, const uint8_t *data, size_t len) {
    (void)ctx;
    padlock_config *cfg;
    padlock_conn *conn;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &cfg));
    PL_ASSERT_OK(padlock_conn_new(cfg, &conn));
    assert_true(len > 1);
    if (padlock_conn_set_session(conn, data + 1, len - 1) != PADLOCK_OK) {
        fail_msg("session seed %s is refused", name);
    }
    padlock_conn_free(conn);
    padlock_config_free(cfg);
}

static void test_session_seeds(void **state) {
    (void)state;
    static uint8_t seed[1 + PADLOCK_SESSION_MAX];
    size_t len = record_session(PADLOCK_TLS13, 1, seed);
    check_session(NULL, "tls13", seed, len);
    write_seed("session", "tls13", seed, len);
    len = record_session(PADLOCK_TLS12, 1, seed);
    check_session(NULL, "tls12-ticket", seed, len);
    write_seed("session", "tls12-ticket", seed, len);
    len = record_session(PADLOCK_TLS12, 0, seed);
    check_session(NULL, "tls12-id", seed, len);
    write_seed("session", "tls12-id", seed, len);
    assert_true(pl_test_for_each_seed("session", check_session, NULL) >= 3);
}

/* ---- ticket_state: SessionState as ticket_seal.c writes it ------------------------------------
 */

/* The TLS 1.2 Certificate body (RFC 5246 §7.4.2) of the certificates in a PEM file; returns its
 * length. */
static size_t chain_body(const char *pem_path, uint8_t *out, size_t cap) {
    size_t text_len, pos = 0, off = 3;
    uint8_t *text = pl_test_read_file(pem_path, &text_len);
    assert_non_null(text);
    for (;;) {
        pl_pem_block b;
        int found;
        PL_ASSERT_OK(pl_pem_next((const char *)text, text_len, &pos, &b, &found));
        if (!found) {
            break;
        }
        assert_true(off + 3 + b.der_len <= cap);
        out[off] = (uint8_t)(b.der_len >> 16);
        out[off + 1] = (uint8_t)(b.der_len >> 8);
        out[off + 2] = (uint8_t)b.der_len;
        memcpy(out + off + 3, b.der, b.der_len);
        off += 3 + b.der_len;
        pl_pem_block_cleanup(&b);
    }
    free(text);
    out[0] = (uint8_t)((off - 3) >> 16);
    out[1] = (uint8_t)((off - 3) >> 8);
    out[2] = (uint8_t)(off - 3);
    return off;
}

/* Writes st with the chain of body (NULL: none) into out; returns the length. */
static size_t write_state(const pl_ticket_state *st, const uint8_t *body, size_t body_len,
                          uint8_t *out, size_t cap) {
    pl_peer_chain *chain = NULL;
    if (body != NULL) {
        pl_certificate cert;
        PL_ASSERT_OK(pl_certificate_parse_tls12(&cert, body, body_len, NULL));
        PL_ASSERT_OK(pl_peer_chain_take(NULL, &cert, &chain));
    }
    pl_buf b;
    pl_buf_init(&b, out, cap);
    PL_ASSERT_OK(pl_ticket_state_write(&b, st, chain));
    pl_peer_chain_release(chain);
    return b.len;
}

static void check_state(void *ctx, const char *name, const uint8_t *data, size_t len) {
    (void)ctx;
    pl_cur c;
    pl_cur_init(&c, data, len);
    pl_ticket_state st;
    if (pl_ticket_state_read(&c, &st) != PADLOCK_OK) {
        fail_msg("ticket_state seed %s does not read", name);
    }
    pl_certificate cert;
    PL_ASSERT_OK(
        pl_certificate_parse_tls12(&cert, st.client_chain.p, pl_cur_left(&st.client_chain), NULL));
}

static void test_ticket_state_seeds(void **state) {
    (void)state;
    static uint8_t body[16384], out[20000];
    static const uint8_t psk[48] = {1, 2, 3, 4, 5, 6, 7, 8};
    size_t body_len = chain_body(pl_pki("client-chain.pem"), body, sizeof(body));
    pl_ticket_state st13 = {.version = PL_TLS13_VERSION,
                            .suite = PADLOCK_TLS_AES_128_GCM_SHA256,
                            .issued_at = SESSION_TIME,
                            .lifetime = 86400,
                            .age_add = 0x01020304};
    pl_cur_init(&st13.psk, psk, 32);
    pl_cur_init(&st13.server_name, (const uint8_t *)"localhost", 9);
    size_t len = write_state(&st13, NULL, 0, out, sizeof(out));
    check_state(NULL, "tls13", out, len);
    write_seed("ticket_state", "tls13", out, len);
    len = write_state(&st13, body, body_len, out, sizeof(out));
    check_state(NULL, "tls13-client-chain", out, len);
    write_seed("ticket_state", "tls13-client-chain", out, len);
    pl_ticket_state st12 = st13;
    st12.version = PL_TLS12_VERSION;
    st12.suite = PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
    st12.age_add = 0;
    st12.ems = 1;
    pl_cur_init(&st12.psk, psk, 48);
    len = write_state(&st12, body, body_len, out, sizeof(out));
    check_state(NULL, "tls12-client-chain", out, len);
    write_seed("ticket_state", "tls12-client-chain", out, len);
    assert_true(pl_test_for_each_seed("ticket_state", check_state, NULL) >= 3);
}

/* ---- trust_store and credential: two parts, the first's length in two bytes ----------------- */

/* Joins the files a and b (b may be NULL) as a two-part input; returns its length. */
static size_t two_parts(const char *a, const char *b, uint8_t *out, size_t cap) {
    size_t a_len, b_len = 0;
    uint8_t *ad = pl_test_read_file(a, &a_len);
    uint8_t *bd = b != NULL ? pl_test_read_file(b, &b_len) : NULL;
    assert_non_null(ad);
    assert_true(a_len <= 0xffff && 2 + a_len + b_len <= cap);
    out[0] = (uint8_t)(a_len >> 8);
    out[1] = (uint8_t)a_len;
    memcpy(out + 2, ad, a_len);
    if (bd != NULL) {
        memcpy(out + 2 + a_len, bd, b_len);
    }
    free(ad);
    free(bd);
    return 2 + a_len + b_len;
}

static size_t split_at(const uint8_t *data, size_t len) {
    assert_true(len >= 2);
    size_t split = (size_t)data[0] << 8 | data[1];
    return split < len - 2 ? split : len - 2;
}

static void check_store(void *ctx, const char *name, const uint8_t *data, size_t len) {
    (void)ctx;
    size_t split = split_at(data, len);
    padlock_trust_store *store;
    PL_ASSERT_OK(padlock_trust_store_new(&store));
    if (padlock_trust_store_add_mem(store, data + 2, split) != PADLOCK_OK ||
        (len - 2 > split &&
         padlock_trust_store_add_mem(store, data + 2 + split, len - 2 - split) != PADLOCK_OK)) {
        fail_msg("trust_store seed %s is refused: %s", name, padlock_trust_store_last_error(store));
    }
    assert_true(padlock_trust_store_count(store) >= 1);
    padlock_trust_store_free(store);
}

static void test_trust_store_seeds(void **state) {
    (void)state;
    static uint8_t out[65536];
    size_t len = two_parts(pl_pki("root.pem"), pl_pki("p256-chain.pem"), out, sizeof(out));
    check_store(NULL, "root-and-chain", out, len);
    write_seed("trust_store", "root-and-chain", out, len);
    len = two_parts(pl_pki("rsa-chain.pem"), NULL, out, sizeof(out));
    check_store(NULL, "rsa-chain", out, len);
    write_seed("trust_store", "rsa-chain", out, len);
    assert_true(pl_test_for_each_seed("trust_store", check_store, NULL) >= 2);
}

static void check_credential(void *ctx, const char *name, const uint8_t *data, size_t len) {
    (void)ctx;
    size_t split = split_at(data, len);
    pl_x509_credential cred;
    pl_errinfo err;
    pl_errinfo_init(&err);
    if (pl_x509_credential_from_pem(&cred, (const char *)data + 2, split, data + 2 + split,
                                    len - 2 - split, &err) != PADLOCK_OK) {
        fail_msg("credential seed %s is refused: %s", name, err.detail);
    }
    pl_x509_credential_cleanup(&cred);
    pl_errinfo_cleanup(&err);
}

static void test_credential_seeds(void **state) {
    (void)state;
    static uint8_t out[65536];
    for (size_t i = 0; i < 4; i++) {
        char chain[64], key[64];
        snprintf(chain, sizeof(chain), "%s-chain.pem", pl_pki_kinds[i]);
        snprintf(key, sizeof(key), "%s.key", pl_pki_kinds[i]);
        char chain_path[4096];
        snprintf(chain_path, sizeof(chain_path), "%s", pl_pki(chain));
        size_t len = two_parts(chain_path, pl_pki(key), out, sizeof(out));
        check_credential(NULL, pl_pki_kinds[i], out, len);
        write_seed("credential", pl_pki_kinds[i], out, len);
    }
    assert_true(pl_test_for_each_seed("credential", check_credential, NULL) >= 4);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_seeds),
        cmocka_unit_test(test_ticket_state_seeds),
        cmocka_unit_test(test_trust_store_seeds),
        cmocka_unit_test(test_credential_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
