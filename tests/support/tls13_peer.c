/* The scriptable TLS 1.3 test server: transcript, key schedule and record protection of the
 * server side of RFC 8446, driven step by step by a test. */
#include "tls13_peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "padlock/x509.h"
#include "util/mem.h"
#include "x509/cert.h"

#define PL_TP_WIRE_CAP (256 * 1024)

static void pl_tp_ok(padlock_err rc, const char *what) {
    if (rc != PADLOCK_OK) {
        fail_msg("test peer: %s: %s", what, padlock_strerror(rc));
    }
}

const char *pl_tp_cert_pem(void) {
    static char pem[600];
    if (pem[0] == '\0') {
        const char *d = pl_test_tmpdir();
        assert_int_equal(
            pl_test_sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
                       "-keyout %s/peer.key -out %s/peer.pem -days 30 -subj /CN=test.example "
                       "-addext subjectAltName=DNS:test.example "
                       "-addext basicConstraints=critical,CA:false "
                       "-addext extendedKeyUsage=serverAuth 2>/dev/null && "
                       "openssl x509 -in %s/peer.pem -outform DER -out %s/peer.der",
                       d, d, d, d),
            0);
        snprintf(pem, sizeof(pem), "%s/peer.pem", d);
    }
    return pem;
}

void pl_tp_init(pl_tp *p) {
    memset(p, 0, sizeof(*p));
    pl_test_rng_seed(&p->rng, 99);
    pl_record_dir_init(&p->tx);
    pl_record_dir_init(&p->rx);
    pl_transcript_init(&p->t);
    const char *pem = pl_tp_cert_pem();
    char path[700];
    size_t len;
    snprintf(path, sizeof(path), "%.*s.key", (int)(strlen(pem) - 4), pem);
    uint8_t *key = pl_test_read_file(path, &len);
    assert_non_null(key);
    pl_tp_ok(pl_privkey_load(key, len, &p->key), "key");
    free(key);
    snprintf(path, sizeof(path), "%.*s.der", (int)(strlen(pem) - 4), pem);
    p->cert = pl_test_read_file(path, &p->cert_len);
    assert_non_null(p->cert);
    p->wire = malloc(PL_TP_WIRE_CAP);
}

void pl_tp_cleanup(pl_tp *p) {
    pl_privkey_free(p->key);
    free(p->cert);
    free(p->wire);
    pl_record_dir_cleanup(&p->tx);
    pl_record_dir_cleanup(&p->rx);
    pl_kx_key_cleanup(&p->share);
    memset(p, 0, sizeof(*p));
}

/* A new client configuration that trusts the peer's certificate and draws from rng. */
static void trusting_config(padlock_config **cfg, pl_test_rng *rng) {
    pl_tp_ok(padlock_config_new(PADLOCK_CLIENT, cfg), "config");
    padlock_trust_store *store;
    pl_tp_ok(padlock_trust_store_new(&store), "store");
    pl_tp_ok(padlock_trust_store_add_file(store, pl_tp_cert_pem()), "store file");
    pl_tp_ok(padlock_config_set_trust_store(*cfg, store), "set store");
    pl_tp_ok(padlock_config_set_random_fn(*cfg, pl_test_rng_fill, rng), "rng");
}

/* A connection of cfg to "test.example". */
static void client_conn(padlock_config *cfg, padlock_conn **conn) {
    pl_tp_ok(padlock_conn_new(cfg, conn), "conn");
    pl_tp_ok(padlock_conn_set_server_name(*conn, "test.example"), "name");
}

void pl_tp_client_versions(padlock_config **cfg, padlock_conn **conn, pl_test_rng *rng,
                           uint16_t min, uint16_t max) {
    trusting_config(cfg, rng);
    pl_tp_ok(padlock_config_set_versions(*cfg, min, max), "versions");
    client_conn(*cfg, conn);
}

void pl_tp_from_client(pl_tp *p, padlock_conn *conn, pl_tp_rec *recs, size_t cap, size_t *num) {
    const uint8_t *out;
    size_t len;
    pl_tp_ok(padlock_conn_output(conn, &out, &len), "client output");
    uint8_t *copy = malloc(len + 1);
    memcpy(copy, out, len);
    pl_tp_ok(padlock_conn_output_done(conn, len), "output done");
    pl_cur c;
    pl_cur_init(&c, copy, len);
    *num = 0;
    while (pl_cur_left(&c) > 0) {
        pl_record_header h;
        pl_tp_ok(pl_record_header_parse(&p->rx, &c, &h), "client record header");
        uint8_t *frag = (uint8_t *)c.p;
        pl_tp_ok(pl_cur_skip(&c, h.length), "client record");
        pl_record rec;
        pl_tp_ok(pl_record_open(&p->rx, &h, frag, &rec), "client record protection");
        assert_true(*num < cap && rec.len <= PL_TP_MAX_MSG);
        recs[*num].type = rec.type;
        memcpy(recs[*num].data, rec.data, rec.len);
        recs[*num].len = rec.len;
        (*num)++;
    }
    free(copy);
}

void pl_tp_client_hello(pl_tp *p, padlock_conn *conn) {
    pl_tp_rec recs[4];
    size_t n;
    pl_tp_from_client(p, conn, recs, 4, &n);
    size_t i = 0;
    if (n == 2 && recs[0].type == PL_CONTENT_CHANGE_CIPHER_SPEC) {
        i = 1; /* middlebox compatibility before a second ClientHello */
    }
    assert_int_equal(n, i + 1);
    assert_int_equal(recs[i].type, PL_CONTENT_HANDSHAKE);
    int first = p->ch_len == 0;
    memcpy(p->ch, recs[i].data, recs[i].len);
    p->ch_len = recs[i].len;
    pl_errinfo err;
    pl_errinfo_init(&err);
    assert_int_equal(p->ch[0], PL_HS_CLIENT_HELLO);
    pl_tp_ok(pl_client_hello_parse(&p->hello, p->ch + 4, p->ch_len - 4, &err), "ClientHello");
    pl_errinfo_cleanup(&err);
    if (first) {
        pl_transcript_init(&p->t);
    }
    pl_transcript_update(&p->t, p->ch, p->ch_len);
}

pl_cur pl_tp_client_share(const pl_tp *p, uint16_t group) {
    pl_cur kx;
    assert_true(pl_ext_key_share_find(p->hello.exts.key_shares, group, &kx));
    return kx;
}

void pl_tp_server_hello_fields(pl_tp *p, uint16_t suite, uint16_t group, pl_server_hello *sh,
                               uint16_t *ids, size_t *num_ids) {
    if (suite == 0) {
        pl_cur it = p->hello.cipher_suites;
        assert_true(pl_ext_u16_next(&it, &suite));
    }
    if (group == 0) {
        pl_cur it = p->hello.exts.key_shares, kx;
        assert_true(pl_ext_key_share_next(&it, &group, &kx));
    }
    p->suite = pl_suite_by_code(suite);
    if (p->suite != NULL) {
        pl_tp_ok(pl_transcript_select(&p->t, p->suite->hash), "transcript hash");
    }
    pl_kx_key_cleanup(&p->share);
    pl_tp_ok(pl_kx_generate(pl_kx_by_group(group), NULL, &p->share), "key share");
    memset(sh, 0, sizeof(*sh));
    static uint8_t random[PL_RANDOM_LEN];
    pl_tp_ok(pl_test_rng_fill(&p->rng, random, sizeof(random)), "random");
    sh->legacy_version = 0x0303;
    sh->random = random;
    sh->session_id = p->hello.session_id;
    sh->cipher_suite = suite;
    sh->has_extensions = 1;
    sh->exts.selected_version = 0x0304;
    sh->exts.key_share_group = group;
    pl_cur_init(&sh->exts.key_exchange, p->share.share, p->share.alg->share_len);
    ids[0] = PL_EXT_SUPPORTED_VERSIONS;
    ids[1] = PL_EXT_KEY_SHARE;
    *num_ids = 2;
}

size_t pl_tp_build_sh(const pl_server_hello *sh, const uint16_t *ids, size_t num_ids, uint8_t *out,
                      size_t cap) {
    pl_buf b;
    pl_buf_init(&b, out, cap);
    pl_tp_ok(pl_server_hello_build(&b, sh, ids, num_ids), "build ServerHello");
    return b.len;
}

static void pl_tp_keys(pl_record_dir *d, const pl_ks13_secret *s, const pl_suite *suite) {
    pl_record_keys keys;
    pl_tp_ok(pl_ks13_traffic_keys(s, &keys, suite->aead), "traffic keys");
    pl_tp_ok(pl_record_dir_set_keys(d, &keys), "set keys");
}

void pl_tp_handshake_keys(pl_tp *p) {
    pl_cur kx = pl_tp_client_share(p, p->share.alg->group);
    uint8_t shared[PL_KX_MAX_SECRET_LEN];
    pl_tp_ok(pl_kx_derive(&p->share, kx.p, pl_cur_left(&kx), shared), "ECDHE");
    pl_ks13_early early;
    pl_tp_ok(pl_ks13_early_init(&early, p->suite->hash, NULL, 0), "early");
    pl_tp_ok(pl_ks13_early_to_handshake(&early, &p->hs, shared, p->share.alg->secret_len), "hs");
    pl_digest th;
    pl_tp_ok(pl_transcript_hash(&p->t, &th), "th");
    pl_tp_ok(pl_ks13_handshake_traffic(&p->hs, &p->c_hs, PL_KS13_CLIENT, &th), "c hs");
    pl_tp_ok(pl_ks13_handshake_traffic(&p->hs, &p->s_hs, PL_KS13_SERVER, &th), "s hs");
    pl_tp_keys(&p->tx, &p->s_hs, p->suite);
    pl_tp_keys(&p->rx, &p->c_hs, p->suite);
}

size_t pl_tp_certificate(const pl_tp *p, uint8_t *out, size_t cap) {
    uint8_t entries[4096];
    pl_buf e;
    pl_buf_init(&e, entries, sizeof(entries));
    pl_cur none;
    pl_cur_init(&none, NULL, 0);
    pl_tp_ok(pl_cert_entry_write(&e, 0, p->cert, p->cert_len, none), "entry");
    pl_certificate msg;
    memset(&msg, 0, sizeof(msg));
    pl_cur_init(&msg.context, NULL, 0);
    pl_cur_init(&msg.entries, entries, e.len);
    pl_buf b;
    pl_buf_init(&b, out, cap);
    pl_tp_ok(pl_certificate_build(&b, &msg), "Certificate");
    return b.len;
}

size_t pl_tp_certificate_verify(const pl_tp *p, uint16_t scheme, uint8_t *out, size_t cap) {
    pl_digest th;
    pl_tp_ok(pl_transcript_hash(&p->t, &th), "th");
    uint8_t content[PL_CV_CONTENT_MAX];
    pl_buf c;
    pl_buf_init(&c, content, sizeof(content));
    pl_tp_ok(pl_certificate_verify_content(&c, PL_ROLE_SERVER, th.b, th.len), "content");
    /* The key signs as ECDSA P-256 whatever scheme the message claims (tests lie with it). */
    uint8_t sig[PL_SIG_MAX_LEN];
    size_t sig_len;
    pl_tp_ok(pl_privkey_sign(p->key, pl_sig_by_scheme(PL_SIG_ECDSA_SECP256R1_SHA256), NULL, content,
                             c.len, sig, sizeof(sig), &sig_len),
             "sign");
    pl_certificate_verify cv;
    cv.scheme = scheme;
    pl_cur_init(&cv.signature, sig, sig_len);
    pl_buf b;
    pl_buf_init(&b, out, cap);
    pl_tp_ok(pl_certificate_verify_build(&b, &cv), "CertificateVerify");
    return b.len;
}

size_t pl_tp_finished(const pl_tp *p, uint8_t *out, size_t cap) {
    pl_digest th, vd;
    pl_tp_ok(pl_transcript_hash(&p->t, &th), "th");
    pl_tp_ok(pl_ks13_finished(&p->s_hs, &vd, &th), "finished");
    pl_buf b;
    pl_buf_init(&b, out, cap);
    pl_tp_ok(pl_finished_build(&b, vd.b, vd.len), "Finished");
    return b.len;
}

void pl_tp_application_keys(pl_tp *p) {
    pl_ks13_master master;
    pl_tp_ok(pl_ks13_handshake_to_master(&p->hs, &master), "master");
    pl_digest th;
    pl_tp_ok(pl_transcript_hash(&p->t, &th), "th");
    pl_tp_ok(pl_ks13_application_traffic(&master, &p->c_ap, PL_KS13_CLIENT, &th), "c ap");
    pl_tp_ok(pl_ks13_application_traffic(&master, &p->s_ap, PL_KS13_SERVER, &th), "s ap");
    pl_ks13_master_cleanup(&master);
    pl_tp_keys(&p->tx, &p->s_ap, p->suite);
}

void pl_tp_send(pl_tp *p, uint8_t type, const uint8_t *data, size_t len) {
    size_t prefix = pl_record_seal_prefix(&p->tx);
    assert_true(p->wire_len + prefix + len + 300 < PL_TP_WIRE_CAP);
    uint8_t *at = p->wire + p->wire_len;
    memcpy(at + prefix, data, len);
    size_t out;
    pl_tp_ok(pl_record_seal(&p->tx, type, at, PL_TP_WIRE_CAP - p->wire_len, len, 0, &out), "seal");
    p->wire_len += out;
}

void pl_tp_send_hs(pl_tp *p, const uint8_t *msg, size_t len) {
    pl_transcript_update(&p->t, msg, len);
    pl_tp_send(p, PL_CONTENT_HANDSHAKE, msg, len);
}

void pl_tp_send_raw(pl_tp *p, const uint8_t *data, size_t len) {
    assert_true(p->wire_len + len < PL_TP_WIRE_CAP);
    memcpy(p->wire + p->wire_len, data, len);
    p->wire_len += len;
}

void pl_tp_deliver(pl_tp *p, padlock_conn *conn, padlock_err want) {
    size_t used;
    padlock_err rc = padlock_conn_input(conn, p->wire, p->wire_len, &used);
    if (rc != want) {
        fail_msg("client input returned %s, expected %s (%s)", padlock_strerror(rc),
                 padlock_strerror(want), padlock_conn_error_message(conn));
    }
    if (rc == PADLOCK_OK && used < p->wire_len &&
        padlock_conn_status(conn) != PADLOCK_STATUS_DATA) {
        fail_msg("client took %zu of %zu bytes", used, p->wire_len);
    }
    memmove(p->wire, p->wire + used, p->wire_len - used);
    p->wire_len -= used;
}

void pl_tp_client_finished(pl_tp *p, padlock_conn *conn, int *out_certs) {
    pl_tp_rec recs[8];
    size_t n;
    pl_tp_from_client(p, conn, recs, 8, &n);
    *out_certs = -1;
    int finished = 0;
    uint8_t spki[1024];
    size_t spki_len = 0;
    for (size_t i = 0; i < n; i++) {
        if (recs[i].type == PL_CONTENT_CHANGE_CIPHER_SPEC) {
            assert_int_equal(i, 0); /* RFC 8446 D.4: before the encrypted flight */
            continue;
        }
        assert_int_equal(recs[i].type, PL_CONTENT_HANDSHAKE);
        pl_cur c;
        pl_cur_init(&c, recs[i].data, recs[i].len);
        while (pl_cur_left(&c) > 0) {
            const uint8_t *raw = c.p;
            uint8_t type;
            pl_cur body;
            pl_tp_ok(pl_msg_read(&c, &type, &body), "client message");
            size_t raw_len = (size_t)(c.p - raw);
            if (type == PL_HS_FINISHED) {
                pl_digest th;
                pl_tp_ok(pl_transcript_hash(&p->t, &th), "th");
                pl_tp_ok(pl_ks13_finished_verify(&p->c_hs, &th, body.p, body.len),
                         "client Finished");
                finished = 1;
            } else if (type == PL_HS_CERTIFICATE) {
                pl_certificate cert;
                pl_errinfo err;
                pl_errinfo_init(&err);
                pl_tp_ok(pl_certificate_parse(&cert, body.p, body.len, 0, &err),
                         "client Certificate");
                pl_errinfo_cleanup(&err);
                *out_certs = (int)cert.num_entries;
                pl_cur it = cert.entries;
                pl_cert_entry e;
                if (pl_certificate_next(&cert, &it, &e)) {
                    pl_x509_cert leaf;
                    pl_tp_ok(pl_x509_cert_parse(&leaf, e.cert_data.p, e.cert_data.len, NULL),
                             "client certificate");
                    assert_true(leaf.key.spki.len <= sizeof(spki));
                    memcpy(spki, leaf.key.spki.p, leaf.key.spki.len);
                    spki_len = leaf.key.spki.len;
                }
            } else {
                /* The client's signature over the transcript so far (RFC 8446 §4.4.3). */
                assert_int_equal(type, PL_HS_CERTIFICATE_VERIFY);
                pl_certificate_verify cv;
                pl_errinfo err;
                pl_errinfo_init(&err);
                pl_tp_ok(pl_certificate_verify_parse(&cv, body.p, body.len, &err), "client CV");
                pl_errinfo_cleanup(&err);
                pl_digest th;
                pl_tp_ok(pl_transcript_hash(&p->t, &th), "th");
                uint8_t content[PL_CV_CONTENT_MAX];
                pl_buf cb;
                pl_buf_init(&cb, content, sizeof(content));
                pl_tp_ok(pl_certificate_verify_content(&cb, PL_ROLE_CLIENT, th.b, th.len),
                         "content");
                pl_tp_ok(pl_sig_verify(pl_sig_by_scheme(cv.scheme), spki, spki_len, content, cb.len,
                                       cv.signature.p, cv.signature.len),
                         "client CertificateVerify signature");
            }
            pl_transcript_update(&p->t, raw, raw_len);
        }
    }
    assert_true(finished);
    pl_tp_keys(&p->rx, &p->c_ap, p->suite);
}

void pl_tp_handshake(pl_tp *p, padlock_conn *conn) {
    uint8_t msg[PL_TP_MAX_MSG];
    pl_tp_client_hello(p, conn);
    pl_server_hello sh;
    uint16_t ids[4];
    size_t num;
    pl_tp_server_hello_fields(p, 0, 0, &sh, ids, &num);
    pl_tp_send_hs(p, msg, pl_tp_build_sh(&sh, ids, num, msg, sizeof(msg)));
    pl_tp_handshake_keys(p);
    pl_exts none;
    memset(&none, 0, sizeof(none));
    pl_buf b;
    pl_buf_init(&b, msg, sizeof(msg));
    pl_tp_ok(pl_encrypted_extensions_build(&b, &none, NULL, 0), "EncryptedExtensions");
    pl_tp_send_hs(p, msg, b.len);
    pl_tp_send_hs(p, msg, pl_tp_certificate(p, msg, sizeof(msg)));
    pl_tp_send_hs(p, msg,
                  pl_tp_certificate_verify(p, PL_SIG_ECDSA_SECP256R1_SHA256, msg, sizeof(msg)));
    pl_tp_send_hs(p, msg, pl_tp_finished(p, msg, sizeof(msg)));
    pl_tp_application_keys(p);
    pl_tp_deliver(p, conn, PADLOCK_OK);
    assert_true(padlock_conn_handshake_done(conn));
    int certs;
    pl_tp_client_finished(p, conn, &certs);
    assert_int_equal(certs, -1);
}

void pl_tp_expect_failure(pl_tp *p, padlock_conn *conn, padlock_err code, int alert,
                          const char *needle) {
    const char *msg = padlock_conn_error_message(conn);
    if (padlock_conn_error(conn) != code) {
        fail_msg("client error %s, expected %s (%s)", padlock_strerror(padlock_conn_error(conn)),
                 padlock_strerror(code), msg);
    }
    if (needle != NULL && strstr(msg, needle) == NULL) {
        fail_msg("message \"%s\" does not mention \"%s\"", msg, needle);
    }
    if (alert < 0) {
        assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_ERROR);
        const uint8_t *out;
        size_t len;
        assert_int_equal(padlock_conn_output(conn, &out, &len), code);
        assert_int_equal(len, 0);
        return;
    }
    assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_WANT_WRITE);
    pl_tp_rec recs[4];
    size_t n;
    pl_tp_from_client(p, conn, recs, 4, &n);
    assert_true(n >= 1);
    assert_int_equal(recs[n - 1].type, PL_CONTENT_ALERT);
    assert_int_equal(recs[n - 1].len, 2);
    assert_int_equal(recs[n - 1].data[0], 2);
    assert_int_equal(recs[n - 1].data[1], alert);
    assert_int_equal(padlock_conn_status(conn), PADLOCK_STATUS_ERROR);
}

void pl_tp_fixture_init(pl_tp_fixture *f, uint64_t seed, uint16_t min, uint16_t max) {
    memset(f, 0, sizeof(*f));
    pl_tp_init(&f->p);
    pl_test_rng_seed(&f->rng, seed);
    pl_tp_client_versions(&f->cfg, &f->conn, &f->rng, min, max);
}

void pl_tp_fixture_cleanup(pl_tp_fixture *f) {
    padlock_conn_free(f->conn);
    padlock_config_free(f->cfg);
    pl_tp_cleanup(&f->p);
}

int pl_tp_fixture_setup(void **state, uint64_t seed, uint16_t min, uint16_t max) {
    static pl_tp_fixture f;
    pl_tp_fixture_init(&f, seed, min, max);
    f.row = *state;
    *state = &f;
    return 0;
}

int pl_tp_fixture_teardown(void **state) {
    pl_tp_fixture_cleanup(*state);
    return 0;
}

void pl_tp_fixture_reconfigure(pl_tp_fixture *f, void (*change)(padlock_config *cfg)) {
    padlock_conn_free(f->conn);
    padlock_config_free(f->cfg);
    trusting_config(&f->cfg, &f->rng);
    change(f->cfg);
    client_conn(f->cfg, &f->conn);
}

void pl_tp_present_own_certificate(padlock_config *cfg) {
    char key[700];
    const char *pem = pl_tp_cert_pem();
    snprintf(key, sizeof(key), "%.*s.key", (int)(strlen(pem) - 4), pem);
    pl_tp_ok(padlock_config_add_certificate_files(cfg, pem, key), "client certificate");
}

void pl_tp_fixture_hello(pl_tp_fixture *f) {
    pl_tp_client_hello(&f->p, f->conn);
    pl_tp_fixture_server_hello(f);
}

void pl_tp_fixture_server_hello(pl_tp_fixture *f) {
    pl_server_hello sh;
    uint16_t ids[4];
    size_t num;
    pl_tp_server_hello_fields(&f->p, 0, 0, &sh, ids, &num);
    pl_tp_send_hs(&f->p, f->msg, pl_tp_build_sh(&sh, ids, num, f->msg, sizeof(f->msg)));
    pl_tp_handshake_keys(&f->p);
}

void pl_tp_fixture_send_ee(pl_tp_fixture *f, const pl_exts *exts, const uint16_t *ids, size_t num) {
    pl_exts none;
    memset(&none, 0, sizeof(none));
    pl_buf b;
    pl_buf_init(&b, f->msg, sizeof(f->msg));
    pl_tp_ok(pl_encrypted_extensions_build(&b, exts != NULL ? exts : &none, ids, num),
             "EncryptedExtensions");
    pl_tp_send_hs(&f->p, f->msg, b.len);
}
