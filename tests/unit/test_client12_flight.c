/* The TLS 1.2 client against a scripted TLS 1.2 server (tests/support/tls13_peer.c's record
 * layer, transcript and certificate, with the TLS 1.2 flight composed here), so that each
 * message can be wrong on purpose: a complete handshake first, then a wrong server Finished, a
 * ServerKeyExchange whose signature does not verify, one cut short, one for a curve or scheme
 * not offered, a flight missing its ServerKeyExchange, a ServerHello without the extended
 * master secret (refused by default; with the opt-out the RFC 5246 master secret and no session
 * kept, and a resumption without it refused all the same) or renegotiation_info, with a suite
 * not offered or echoing a session ID nothing was offered under; a CertificateRequest answered
 * with no certificate, or with the configured one and a CertificateVerify over the handshake
 * messages; a certificate whose key is off its curve; and renegotiation refused once connected.
 * Each refusal carries its alert and a detail naming the message. */
#include <string.h>

#include "conn.h"
#include "hs/keysched12.h"
#include "padlock/x509.h"
#include "tls13_peer.h"
#include "x509/cert.h"

/* Fails the test naming the step when rc is an error. */
static void ok(padlock_err rc, const char *what) {
    if (rc != PADLOCK_OK) {
        fail_msg("%s: %s", what, padlock_strerror(rc));
    }
}

typedef struct fixture {
    pl_tp_fixture tp; /* the peer, the client, its random source, room for a message */
    uint8_t server_random[PL_RANDOM_LEN];
    pl_kx_key share;
    pl_ks12_master master;
    pl_record_keys ck, sk;
    uint8_t log[16384]; /* every handshake message so far, what a CertificateVerify signs */
    size_t log_len;
    int verified; /* the client's CertificateVerify was checked */
    int no_ems;   /* the flight has no extended_master_secret: the RFC 5246 master secret */
    uint8_t session[PADLOCK_SESSION_MAX]; /* the client's exported session (session_kept) */
    size_t session_len;
} fixture;

static void log_message(fixture *f, const uint8_t *m, size_t len) {
    assert_true(f->log_len + len <= sizeof(f->log));
    memcpy(f->log + f->log_len, m, len);
    f->log_len += len;
}

/* Sends one of the server's handshake messages. */
static void send_hs(fixture *f, const uint8_t *m, size_t len) {
    log_message(f, m, len);
    pl_tp_send_hs(&f->tp.p, m, len);
}

static int setup(void **state) {
    static fixture f;
    memset(&f, 0, sizeof(f));
    pl_tp_fixture_init(&f.tp, 7, PADLOCK_TLS12, PADLOCK_TLS13); /* the default versions */
    *state = &f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    pl_kx_key_cleanup(&f->share);
    pl_tp_fixture_cleanup(&f->tp);
    return 0;
}

/* How the scripted server spoils its flight. */
enum {
    OK = 0,
    NO_EMS,
    NO_RENEG,
    SUITE_NOT_OFFERED,
    ECHO_SESSION_ID,
    SKE_BAD_SIGNATURE,
    SKE_TRUNCATED,
    SKE_CURVE,
    SKE_SCHEME,
    NO_SKE,
    OLD_VERSION,
    CERT_REQUEST,
    NEW_SESSION_ID,        /* a session ID for a new session, to be kept */
    NO_EMS_NEW_SESSION_ID, /* the same without the extended master secret */
    RESUME_NO_EMS,         /* our offered session resumed, without the extended master secret */
    KEY_OFF_CURVE,         /* the certificate's EC point off its curve */
};

/* Sends ServerHello (TLS 1.2, ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, no sentinel: a TLS 1.2-only
 * server), Certificate, ServerKeyExchange (X25519) and ServerHelloDone, spoilt as how says. */
static void server_flight(fixture *f, int how) {
    pl_tp *p = &f->tp.p;
    pl_tp_client_hello(p, f->tp.conn);
    log_message(f, p->ch, p->ch_len);
    for (size_t i = 0; i < PL_RANDOM_LEN; i++) {
        f->server_random[i] = (uint8_t)(0xa0 + i);
    }
    pl_server_hello sh;
    memset(&sh, 0, sizeof(sh));
    sh.legacy_version = how == OLD_VERSION ? 0x0302 : 0x0303;
    sh.random = f->server_random;
    static const uint8_t new_id[32] = {0x5a, 0x5a, 0x5a, 0x5a};
    if (how == ECHO_SESSION_ID || how == RESUME_NO_EMS) {
        sh.session_id = p->hello.session_id;
    } else if (how == NEW_SESSION_ID || how == NO_EMS_NEW_SESSION_ID) {
        pl_cur_init(&sh.session_id, new_id, sizeof(new_id));
    } else {
        pl_cur_init(&sh.session_id, NULL, 0);
    }
    sh.cipher_suite = how == SUITE_NOT_OFFERED ? 0x009c : 0xc02b;
    sh.has_extensions = 1;
    pl_cur_init(&sh.exts.renegotiation_info, NULL, 0);
    uint16_t ids[3];
    size_t n = 0;
    if (how != NO_RENEG) {
        ids[n++] = PL_EXT_RENEGOTIATION_INFO;
    }
    f->no_ems = how == NO_EMS || how == NO_EMS_NEW_SESSION_ID || how == RESUME_NO_EMS;
    if (!f->no_ems) {
        ids[n++] = PL_EXT_EXTENDED_MASTER_SECRET;
    }
    pl_buf b;
    pl_buf_init(&b, f->tp.msg, sizeof(f->tp.msg));
    ok(pl_server_hello_build(&b, &sh, ids, n), "ServerHello");
    ok(pl_transcript_select(&p->t, &pl_hash_sha256), "select");
    send_hs(f, f->tp.msg, b.len);

    uint8_t entries[4096];
    pl_buf e;
    pl_buf_init(&e, entries, sizeof(entries));
    pl_cur none;
    pl_cur_init(&none, NULL, 0);
    uint8_t leaf[2048];
    assert_true(p->cert_len <= sizeof(leaf));
    memcpy(leaf, p->cert, p->cert_len);
    if (how == KEY_OFF_CURVE) {
        /* RFC 5480 §2.2: the SubjectPublicKeyInfo ends with the uncompressed point; one bit
         * of y flipped takes it off the curve. */
        pl_x509_cert parsed;
        const char *field = NULL;
        ok(pl_x509_cert_parse(&parsed, leaf, p->cert_len, &field), "parse");
        leaf[(size_t)(parsed.key.spki.p - leaf) + parsed.key.spki.len - 1] ^= 0x01;
    }
    ok(pl_cert_entry_write(&e, 1, leaf, p->cert_len, none), "entry");
    pl_certificate cert;
    memset(&cert, 0, sizeof(cert));
    cert.tls12 = 1;
    pl_cur_init(&cert.context, NULL, 0);
    pl_cur_init(&cert.entries, entries, e.len);
    pl_buf_init(&b, f->tp.msg, sizeof(f->tp.msg));
    ok(pl_certificate_build(&b, &cert), "Certificate");
    send_hs(f, f->tp.msg, b.len);

    if (how != NO_SKE) {
        uint16_t group = how == SKE_CURVE ? 0x0019 : PADLOCK_GROUP_X25519;
        ok(pl_kx_generate(pl_kx_by_group(PADLOCK_GROUP_X25519), NULL, &f->share), "share");
        uint8_t params[64];
        pl_buf pb;
        pl_buf_init(&pb, params, sizeof(params));
        ok(pl_server_key_exchange_params(&pb, group, f->share.share, 32), "params");
        uint8_t signed_bytes[128];
        pl_buf sb;
        pl_buf_init(&sb, signed_bytes, sizeof(signed_bytes));
        pl_cur pc;
        pl_cur_init(&pc, pb.p, pb.len);
        ok(pl_server_key_exchange_signed(&sb, p->hello.random, f->server_random, pc), "tbs");
        uint8_t sig[PL_SIG_MAX_LEN];
        size_t sig_len;
        ok(pl_privkey_sign(p->key, pl_sig_by_scheme(PL_SIG_ECDSA_SECP256R1_SHA256), NULL, sb.p,
                           sb.len, sig, sizeof(sig), &sig_len),
           "sign");
        if (how == SKE_BAD_SIGNATURE) {
            sig[sig_len / 2] ^= 0x01;
        }
        pl_server_key_exchange ske;
        memset(&ske, 0, sizeof(ske));
        ske.group = group;
        pl_cur_init(&ske.point, f->share.share, 32);
        ske.scheme = how == SKE_SCHEME ? PL_SIG_RSA_PSS_RSAE_SHA256 : PL_SIG_ECDSA_SECP256R1_SHA256;
        pl_cur_init(&ske.signature, sig, sig_len);
        pl_buf_init(&b, f->tp.msg, sizeof(f->tp.msg));
        ok(pl_server_key_exchange_build(&b, &ske), "ServerKeyExchange");
        size_t len = b.len;
        if (how == SKE_TRUNCATED) {
            /* The signature's last 10 bytes are gone, the headers say so consistently. */
            len -= 10;
            size_t body = len - PL_HS_HEADER_LEN;
            f->tp.msg[1] = (uint8_t)(body >> 16);
            f->tp.msg[2] = (uint8_t)(body >> 8);
            f->tp.msg[3] = (uint8_t)body;
        }
        send_hs(f, f->tp.msg, len);
    }
    if (how == CERT_REQUEST) {
        static const uint8_t types[] = {PL_CERT_TYPE_ECDSA_SIGN};
        static const uint8_t schemes[] = {0x04, 0x03};
        pl_certificate_request12 cr;
        memset(&cr, 0, sizeof(cr));
        pl_cur_init(&cr.cert_types, types, sizeof(types));
        pl_cur_init(&cr.sig_algs, schemes, sizeof(schemes));
        pl_cur_init(&cr.authorities, schemes, 0);
        pl_buf_init(&b, f->tp.msg, sizeof(f->tp.msg));
        ok(pl_certificate_request12_build(&b, &cr), "CertificateRequest");
        send_hs(f, f->tp.msg, b.len);
    }
    pl_buf_init(&b, f->tp.msg, sizeof(f->tp.msg));
    ok(pl_server_hello_done_build(&b), "ServerHelloDone");
    send_hs(f, f->tp.msg, b.len);
}

/* Takes one handshake message of the client's: the transcript, the log, and its checks. certs:
 * how many certificates its Certificate must carry (-1: no Certificate expected). */
static void client_message(fixture *f, const uint8_t *m, size_t len, int certs, int *seen) {
    pl_tp *p = &f->tp.p;
    switch (m[0]) {
    case PL_HS_CERTIFICATE: {
        /* RFC 5246 §7.4.6: our chain, or no certificates at all. */
        assert_true(certs >= 0);
        pl_certificate cert;
        pl_errinfo err;
        pl_errinfo_init(&err);
        ok(pl_certificate_parse_tls12(&cert, m + 4, len - 4, &err), "Certificate");
        pl_errinfo_cleanup(&err);
        assert_int_equal(cert.num_entries, certs);
        break;
    }
    case PL_HS_CLIENT_KEY_EXCHANGE: {
        /* The ECDH point, then the extended master secret. */
        uint8_t premaster[32];
        ok(pl_kx_derive(&f->share, m + 5, m[4], premaster), "derive");
        pl_transcript_update(&p->t, m, len);
        log_message(f, m, len);
        if (f->no_ems) {
            /* RFC 5246 §8.1: PRF(pre_master_secret, "master secret", ClientHello.random +
             * ServerHello.random). */
            f->master.hash = &pl_hash_sha256;
            ok(pl_ks12_prf(&pl_hash_sha256, premaster, 32, "master secret", p->hello.random,
                           PL_RANDOM_LEN, f->server_random, PL_RANDOM_LEN, f->master.b,
                           sizeof(f->master.b)),
               "master secret");
        } else {
            pl_digest session_hash;
            ok(pl_transcript_hash(&p->t, &session_hash), "hash");
            ok(pl_ks12_extended_master_secret(&f->master, &pl_hash_sha256, premaster, 32,
                                              &session_hash),
               "ems");
        }
        ok(pl_ks12_record_keys(&f->master, &pl_aead_aes_128_gcm, p->hello.random, f->server_random,
                               &f->ck, &f->sk),
           "keys");
        (*seen)++;
        return;
    }
    case PL_HS_CERTIFICATE_VERIFY: {
        /* RFC 5246 §7.4.8: signed over every handshake message before it. */
        pl_certificate_verify cv;
        pl_errinfo err;
        pl_errinfo_init(&err);
        ok(pl_certificate_verify_parse(&cv, m + 4, len - 4, &err), "CertificateVerify");
        pl_errinfo_cleanup(&err);
        assert_int_equal(cv.scheme, PL_SIG_ECDSA_SECP256R1_SHA256);
        pl_x509_cert leaf;
        ok(pl_x509_cert_parse(&leaf, p->cert, p->cert_len, NULL), "leaf");
        ok(pl_sig_verify(pl_sig_by_scheme(cv.scheme), leaf.key.spki.p, leaf.key.spki.len, f->log,
                         f->log_len, cv.signature.p, pl_cur_left(&cv.signature)),
           "CertificateVerify signature");
        f->verified = 1;
        break;
    }
    case PL_HS_FINISHED: {
        pl_digest th;
        ok(pl_transcript_hash(&p->t, &th), "th");
        ok(pl_ks12_finished_verify(&f->master, PL_ROLE_CLIENT, &th, m + 4, len - 4),
           "client Finished");
        (*seen)++;
        break;
    }
    default: fail_msg("unexpected message %u from the client", m[0]);
    }
    pl_transcript_update(&p->t, m, len);
    log_message(f, m, len);
}

/* Reads the client's [Certificate,] ClientKeyExchange, [CertificateVerify,] change_cipher_spec
 * and Finished (checked), deriving the session's keys as the server. */
static void client_flight(fixture *f, int certs) {
    pl_tp *p = &f->tp.p;
    const uint8_t *out;
    size_t len;
    ok(padlock_conn_output(f->tp.conn, &out, &len), "client output");
    uint8_t wire[4096];
    assert_true(len <= sizeof(wire));
    memcpy(wire, out, len);
    ok(padlock_conn_output_done(f->tp.conn, len), "output done");
    pl_cur c;
    pl_cur_init(&c, wire, len);
    int seen = 0, ccs = 0;
    while (pl_cur_left(&c) > 0) {
        pl_record_header h;
        ok(pl_record_header_parse(&p->rx, &c, &h), "header");
        uint8_t *frag = (uint8_t *)c.p;
        ok(pl_cur_skip(&c, h.length), "record");
        pl_record rec;
        ok(pl_record_open(&p->rx, &h, frag, &rec), "open");
        if (rec.type == PL_CONTENT_CHANGE_CIPHER_SPEC) {
            assert_int_equal(seen, 1); /* after the ClientKeyExchange */
            ok(pl_record_dir_set_keys(&p->rx, &f->ck), "client keys");
            ccs = 1;
            continue;
        }
        assert_int_equal(rec.type, PL_CONTENT_HANDSHAKE);
        pl_cur m;
        pl_cur_init(&m, rec.data, rec.len);
        while (pl_cur_left(&m) > 0) {
            const uint8_t *start = m.p;
            uint8_t type;
            pl_cur body;
            ok(pl_msg_read(&m, &type, &body), "message");
            client_message(f, start, PL_HS_HEADER_LEN + pl_cur_left(&body), certs, &seen);
        }
    }
    assert_int_equal(seen, 2);
    assert_true(ccs);
    assert_int_equal(f->verified, certs > 0);
}

/* Our change_cipher_spec and Finished (flip: a byte of verify_data altered). */
static void server_finish(fixture *f, int flip) {
    pl_tp *p = &f->tp.p;
    static const uint8_t ccs = 1;
    pl_tp_send(p, PL_CONTENT_CHANGE_CIPHER_SPEC, &ccs, 1);
    ok(pl_record_dir_set_keys(&p->tx, &f->sk), "server keys");
    pl_digest th;
    ok(pl_transcript_hash(&p->t, &th), "th");
    uint8_t vd[PL_KS12_VERIFY_LEN];
    ok(pl_ks12_finished(&f->master, PL_ROLE_SERVER, &th, vd), "Finished");
    if (flip) {
        vd[3] ^= 0x40;
    }
    pl_buf b;
    pl_buf_init(&b, f->tp.msg, sizeof(f->tp.msg));
    ok(pl_finished_build(&b, vd, sizeof(vd)), "Finished");
    pl_tp_send_hs(p, f->tp.msg, b.len);
}

static void handshake(fixture *f) {
    server_flight(f, OK);
    pl_tp_deliver(&f->tp.p, f->tp.conn, PADLOCK_OK);
    client_flight(f, -1);
    server_finish(f, 0);
    pl_tp_deliver(&f->tp.p, f->tp.conn, PADLOCK_OK);
    assert_true(padlock_conn_handshake_done(f->tp.conn));
}

/* RFC 5246 §7.4.6: without a client certificate, an empty Certificate before the
 * ClientKeyExchange; the handshake completes. */
static void test_certificate_request(void **state) {
    fixture *f = *state;
    server_flight(f, CERT_REQUEST);
    pl_tp_deliver(&f->tp.p, f->tp.conn, PADLOCK_OK);
    client_flight(f, 0);
    server_finish(f, 0);
    pl_tp_deliver(&f->tp.p, f->tp.conn, PADLOCK_OK);
    assert_true(padlock_conn_handshake_done(f->tp.conn));
}

/* With a certificate configured, the client presents it and signs the handshake messages
 * (§7.4.8) with the scheme the request allows; the scripted server checks both. */
static void test_certificate_presented(void **state) {
    fixture *f = *state;
    pl_tp_fixture_reconfigure(&f->tp, pl_tp_present_own_certificate);
    server_flight(f, CERT_REQUEST);
    pl_tp_deliver(&f->tp.p, f->tp.conn, PADLOCK_OK);
    client_flight(f, 1);
    server_finish(f, 0);
    pl_tp_deliver(&f->tp.p, f->tp.conn, PADLOCK_OK);
    assert_true(padlock_conn_handshake_done(f->tp.conn));
}

static void test_handshake(void **state) {
    fixture *f = *state;
    handshake(f);
    assert_int_equal(padlock_conn_version(f->tp.conn), PADLOCK_TLS12);
    assert_int_equal(padlock_conn_cipher_suite(f->tp.conn), 0xc02b);
    assert_int_equal(padlock_conn_group(f->tp.conn), PADLOCK_GROUP_X25519);
    assert_int_equal(padlock_conn_signature_scheme(f->tp.conn), PL_SIG_ECDSA_SECP256R1_SHA256);
    /* Application data from the server arrives. */
    static const uint8_t hello[] = "hello";
    pl_tp_send(&f->tp.p, PL_CONTENT_APPLICATION_DATA, hello, sizeof(hello));
    pl_tp_deliver(&f->tp.p, f->tp.conn, PADLOCK_OK);
    uint8_t got[16];
    size_t n;
    PL_ASSERT_OK(padlock_conn_read(f->tp.conn, got, sizeof(got), &n));
    assert_int_equal(n, sizeof(hello));
    assert_memory_equal(got, hello, n);
}

static void test_bad_server_finished(void **state) {
    fixture *f = *state;
    server_flight(f, OK);
    pl_tp_deliver(&f->tp.p, f->tp.conn, PADLOCK_OK);
    client_flight(f, -1);
    server_finish(f, 1);
    pl_tp_deliver(&f->tp.p, f->tp.conn, PADLOCK_E_DECRYPT_ERROR);
    pl_tp_expect_failure(&f->tp.p, f->tp.conn, PADLOCK_E_DECRYPT_ERROR, 51,
                         "server Finished: verify_data is wrong");
}

/* A refusal of the server's first flight: a plaintext alert. */
static void refused(fixture *f, int how, padlock_err code, int alert, const char *needle) {
    server_flight(f, how);
    pl_tp_deliver(&f->tp.p, f->tp.conn, code);
    pl_tp_expect_failure(&f->tp.p, f->tp.conn, code, alert, needle);
}

static void test_bad_ske_signature(void **state) {
    refused(*state, SKE_BAD_SIGNATURE, PADLOCK_E_BAD_SIGNATURE, 51,
            "ServerKeyExchange: the ecdsa_secp256r1_sha256 signature does not verify");
}

static void no_verification(padlock_config *cfg) {
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(cfg));
}

/* Regression (the fault fuzz_server_unsealed found in the TLS 1.2 server's CertificateVerify):
 * a certificate whose key is no key failed the ServerKeyExchange with "malformed or invalid
 * key" and internal_error; the certificate is at fault, bad_certificate (RFC 5246 §7.2.2).
 * Unverified, so that the certificate is only parsed. */
static void test_ske_key_off_curve(void **state) {
    fixture *f = *state;
    pl_tp_fixture_reconfigure(&f->tp, no_verification);
    refused(f, KEY_OFF_CURVE, PADLOCK_E_BAD_CERTIFICATE, 42,
            "ServerKeyExchange: the certificate's key cannot verify a ecdsa_secp256r1_sha256 "
            "signature");
}

static void test_truncated_ske(void **state) {
    refused(*state, SKE_TRUNCATED, PADLOCK_E_DECODE, 50, "ServerKeyExchange");
}

static void test_ske_curve_not_offered(void **state) {
    refused(*state, SKE_CURVE, PADLOCK_E_ILLEGAL_PARAMETER, 47,
            "ServerKeyExchange: curve 0x0019 was not offered");
}

static void test_ske_scheme_does_not_fit(void **state) {
    refused(*state, SKE_SCHEME, PADLOCK_E_ILLEGAL_PARAMETER, 47,
            "rsa_pss_rsae_sha256 does not fit the certificate's key");
}

static void test_flight_without_ske(void **state) {
    refused(*state, NO_SKE, PADLOCK_E_UNEXPECTED_MESSAGE, 10,
            "unexpected ServerHelloDone in state WAIT_SKE (expecting ServerKeyExchange)");
}

static void test_no_extended_master_secret(void **state) {
    refused(*state, NO_EMS, PADLOCK_E_HANDSHAKE_FAILURE, 40, "no extended_master_secret");
}

/* A client configuration that lets a server without the extended master secret in (for
 * pl_tp_fixture_reconfigure). */
static void allow_no_ems(padlock_config *cfg) {
    ok(padlock_config_set_require_extended_master_secret(cfg, 0), "no EMS");
}

/* The full handshake of how (NEW_SESSION_ID or NO_EMS_NEW_SESSION_ID) with a client that
 * allows no EMS; then whether a session was kept. */
static int session_kept(fixture *f, int how) {
    pl_tp_fixture_reconfigure(&f->tp, allow_no_ems);
    server_flight(f, how);
    pl_tp_deliver(&f->tp.p, f->tp.conn, PADLOCK_OK);
    client_flight(f, -1);
    server_finish(f, 0);
    pl_tp_deliver(&f->tp.p, f->tp.conn, PADLOCK_OK);
    assert_true(padlock_conn_handshake_done(f->tp.conn));
    assert_int_equal(padlock_conn_version(f->tp.conn), PADLOCK_TLS12);
    static const uint8_t data[] = "after the handshake";
    pl_tp_send(&f->tp.p, PL_CONTENT_APPLICATION_DATA, data, sizeof(data));
    pl_tp_deliver(&f->tp.p, f->tp.conn, PADLOCK_OK);
    uint8_t got[64];
    size_t n = 0;
    ok(padlock_conn_read(f->tp.conn, got, sizeof(got), &n), "read");
    assert_int_equal(n, sizeof(data));
    assert_memory_equal(got, data, n);
    padlock_err rc =
        padlock_conn_export_session(f->tp.conn, f->session, sizeof(f->session), &f->session_len);
    assert_true(rc == PADLOCK_OK || rc == PADLOCK_E_STATE);
    return rc == PADLOCK_OK;
}

/* Configured so, the client completes with the RFC 5246 master secret (the scripted server
 * derives it independently: its Finished and records agree), but keeps no session
 * (RFC 7627 §5.3); with the extension the same flight's session is kept. */
static void test_no_ems_allowed(void **state) {
    fixture *f = *state;
    assert_false(session_kept(f, NO_EMS_NEW_SESSION_ID));
}

static void test_ems_session_kept(void **state) {
    fixture *f = *state;
    assert_true(session_kept(f, NEW_SESSION_ID));
}

/* RFC 7627 §5.3: a server resuming our session (made with the extended master secret) without
 * it is refused, even by a client that allows servers without it. */
static void test_resumption_without_ems(void **state) {
    fixture *f = *state;
    assert_true(session_kept(f, NEW_SESSION_ID));
    /* A second scripted server for the second connection. */
    pl_tp_cleanup(&f->tp.p);
    pl_tp_init(&f->tp.p);
    pl_kx_key_cleanup(&f->share);
    f->log_len = 0;
    pl_tp_fixture_reconfigure(&f->tp, allow_no_ems);
    ok(padlock_conn_set_session(f->tp.conn, f->session, f->session_len), "set session");
    refused(f, RESUME_NO_EMS, PADLOCK_E_HANDSHAKE_FAILURE, 40,
            "resumes a session made with the extended master secret without it");
}

static void test_no_renegotiation_info(void **state) {
    refused(*state, NO_RENEG, PADLOCK_E_HANDSHAKE_FAILURE, 40, "no renegotiation_info");
}

static void test_older_version(void **state) {
    refused(*state, OLD_VERSION, PADLOCK_E_PROTOCOL_VERSION, 70,
            "the server selected protocol version 0x0302");
}

static void test_suite_not_offered(void **state) {
    refused(*state, SUITE_NOT_OFFERED, PADLOCK_E_ILLEGAL_PARAMETER, 47,
            "cipher suite 0x009c was not offered");
}

static void test_session_id_echo_without_session(void **state) {
    refused(*state, ECHO_SESSION_ID, PADLOCK_E_ILLEGAL_PARAMETER, 47,
            "no TLS 1.2 session was offered");
}

/* RFC 5746 §4.2: a HelloRequest is answered with a no_renegotiation warning; the connection
 * goes on. */
static void test_renegotiation_refused(void **state) {
    fixture *f = *state;
    handshake(f);
    static const uint8_t hello_request[4] = {PL_HS_HELLO_REQUEST, 0, 0, 0};
    pl_tp_send(&f->tp.p, PL_CONTENT_HANDSHAKE, hello_request, sizeof(hello_request));
    pl_tp_deliver(&f->tp.p, f->tp.conn, PADLOCK_OK);
    pl_tp_rec recs[2];
    size_t n;
    pl_tp_from_client(&f->tp.p, f->tp.conn, recs, 2, &n);
    assert_int_equal(n, 1);
    assert_int_equal(recs[0].type, PL_CONTENT_ALERT);
    assert_int_equal(recs[0].len, 2);
    assert_int_equal(recs[0].data[0], 1);   /* warning */
    assert_int_equal(recs[0].data[1], 100); /* no_renegotiation */
    assert_int_equal(padlock_conn_error(f->tp.conn), PADLOCK_OK);
    static const uint8_t data[] = "still here";
    pl_tp_send(&f->tp.p, PL_CONTENT_APPLICATION_DATA, data, sizeof(data));
    pl_tp_deliver(&f->tp.p, f->tp.conn, PADLOCK_OK);
    assert_int_equal(padlock_conn_status(f->tp.conn), PADLOCK_STATUS_DATA);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void) {
    const struct CMUnitTest tests[] = {
        T(test_handshake),
        T(test_certificate_request),
        T(test_certificate_presented),
        T(test_bad_server_finished),
        T(test_bad_ske_signature),
        T(test_ske_key_off_curve),
        T(test_truncated_ske),
        T(test_ske_curve_not_offered),
        T(test_ske_scheme_does_not_fit),
        T(test_flight_without_ske),
        T(test_no_extended_master_secret),
        T(test_no_ems_allowed),
        T(test_ems_session_kept),
        T(test_resumption_without_ems),
        T(test_no_renegotiation_info),
        T(test_older_version),
        T(test_suite_not_offered),
        T(test_session_id_echo_without_session),
        T(test_renegotiation_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
