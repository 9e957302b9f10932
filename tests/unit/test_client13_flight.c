/* The TLS 1.3 client from EncryptedExtensions on, against crafted server flights: an unexpected
 * message in every state; empty Certificate, bad or mismatched CertificateVerify, bad Finished,
 * certificate verification through the time hook and the name; ALPN offered, not offered, not
 * ours; record_size_limit; change_cipher_spec where it is dropped and where it is refused;
 * flights coalesced and fragmented; client authentication; and after the handshake:
 * NewSessionTicket, KeyUpdate both ways, application data, close_notify and truncation. */
#include <string.h>
#include <time.h>

#include "conn.h"
#include "padlock/x509.h"
#include "tls13_peer.h"
#include "x509/cert.h"

static int setup(void **state) {
    return pl_tp_fixture_setup(state, 2, PADLOCK_TLS12, PADLOCK_TLS13);
}

static void send_certificate(pl_tp_fixture *f) {
    pl_tp_send_hs(&f->p, f->msg, pl_tp_certificate(&f->p, f->msg, sizeof(f->msg)));
}

static void send_verify(pl_tp_fixture *f, uint16_t scheme) {
    pl_tp_send_hs(&f->p, f->msg, pl_tp_certificate_verify(&f->p, scheme, f->msg, sizeof(f->msg)));
}

static void send_finished(pl_tp_fixture *f) {
    pl_tp_send_hs(&f->p, f->msg, pl_tp_finished(&f->p, f->msg, sizeof(f->msg)));
    pl_tp_application_keys(&f->p);
}

/* The rest of a good flight after the EncryptedExtensions, delivered; the client's Finished
 * checked. */
static void finish(pl_tp_fixture *f) {
    send_certificate(f);
    send_verify(f, PL_SIG_ECDSA_SECP256R1_SHA256);
    send_finished(f);
    pl_tp_deliver(&f->p, f->conn, PADLOCK_OK);
    assert_true(padlock_conn_handshake_done(f->conn));
    int certs;
    pl_tp_client_finished(&f->p, f->conn, &certs);
    assert_int_equal(certs, -1);
}

static const uint8_t empty_cr[] = {
    PL_HS_CERTIFICATE_REQUEST, 0, 0, 11, 0, 0, 8, 0, 13, 0, 4, 0, 2, 0x04, 0x03};
static const uint8_t ccs_record[] = {20, 3, 3, 0, 1, 1};
static const uint8_t nst[] = {
    PL_HS_NEW_SESSION_TICKET, 0, 0, 16, 0, 0, 0x0e, 0x10, 1, 2, 3, 4, 1, 7, 0, 2, 0xaa, 0xbb, 0, 0};

/* Certificate verification with the configuration's time hook and the server name. */
static int64_t in_two_months(void *ctx) {
    (void)ctx;
    return (int64_t)time(NULL) + 60 * 86400;
}

static void late_clock(padlock_config *cfg) {
    PL_ASSERT_OK(padlock_config_set_time_fn(cfg, in_two_months, NULL));
}

/* ALPN: the server's choice must be one of ours, and only if we asked. */
static void alpn_h2_http11(padlock_config *cfg) {
    static const char *const names[] = {"h2", "http/1.1"};
    PL_ASSERT_OK(padlock_config_set_alpn(cfg, names, 2));
}

static void ee_with_alpn(pl_tp_fixture *f, const char *name) {
    pl_exts e;
    memset(&e, 0, sizeof(e));
    pl_cur_init(&e.alpn, (const uint8_t *)name, strlen(name));
    static const uint16_t ids[] = {PL_EXT_ALPN};
    pl_tp_fixture_send_ee(f, &e, ids, 1);
}

static void test_alpn_selected(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_fixture_reconfigure(f, alpn_h2_http11);
    pl_tp_fixture_hello(f);
    pl_cur offered = f->p.hello.exts.alpn, name;
    assert_true(pl_ext_alpn_next(&offered, &name));
    assert_memory_equal(name.p, "h2", 2);
    ee_with_alpn(f, "http/1.1");
    finish(f);
    assert_string_equal(padlock_conn_alpn(f->conn), "http/1.1");
}

/* RFC 8449: with the server's limit of 64, every protected record the client sends holds at
 * most 64 bytes of inner plaintext (63 of content). */
static void test_record_size_limit(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_fixture_hello(f);
    pl_exts e;
    memset(&e, 0, sizeof(e));
    e.record_size_limit = 64;
    static const uint16_t ids[] = {PL_EXT_RECORD_SIZE_LIMIT};
    pl_tp_fixture_send_ee(f, &e, ids, 1);
    finish(f);
    uint8_t data[200];
    memset(data, 'x', sizeof(data));
    size_t done = 0, written, records = 0;
    pl_tp_rec recs[8];
    size_t n;
    while (done < sizeof(data) || padlock_conn_status(f->conn) == PADLOCK_STATUS_WANT_WRITE) {
        PL_ASSERT_OK(padlock_conn_write(f->conn, data + done, sizeof(data) - done, &written));
        assert_true(written <= 63);
        done += written;
        if (written == 0) { /* records wait: send them */
            pl_tp_from_client(&f->p, f->conn, recs, 8, &n);
            for (size_t i = 0; i < n; i++) {
                assert_int_equal(recs[i].type, PL_CONTENT_APPLICATION_DATA);
                assert_true(recs[i].len <= 63);
            }
            records += n;
        }
    }
    assert_int_equal(records, 4); /* 63 + 63 + 63 + 11 */
}

/* RFC 8446 §5: change_cipher_spec is dropped between the ClientHello and the server's Finished,
 * wherever it falls there. */
static void test_ccs_dropped_during_handshake(void **state) {
    pl_tp_fixture *f = *state;
    static const uint8_t ccs = 1;
    pl_tp_client_hello(&f->p, f->conn);
    pl_tp_send(&f->p, PL_CONTENT_CHANGE_CIPHER_SPEC, &ccs, 1);
    pl_tp_fixture_server_hello(f);
    pl_tp_send_raw(&f->p, ccs_record, sizeof(ccs_record));
    pl_tp_fixture_send_ee(f, NULL, NULL, 0);
    pl_tp_send_raw(&f->p, ccs_record, sizeof(ccs_record));
    finish(f);
}

/* The whole flight coalesced into one record, then the same flight cut into 7-byte records. */
static void test_coalesced_flight(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_fixture_hello(f);
    uint8_t flight[PL_TP_MAX_MSG];
    size_t len = 0;
    pl_buf b;
    pl_buf_init(&b, flight, sizeof(flight));
    pl_exts none;
    memset(&none, 0, sizeof(none));
    PL_ASSERT_OK(pl_encrypted_extensions_build(&b, &none, NULL, 0));
    pl_transcript_update(&f->p.t, flight, b.len);
    len = b.len;
    size_t n = pl_tp_certificate(&f->p, flight + len, sizeof(flight) - len);
    pl_transcript_update(&f->p.t, flight + len, n);
    len += n;
    n = pl_tp_certificate_verify(&f->p, 0x0403, flight + len, sizeof(flight) - len);
    pl_transcript_update(&f->p.t, flight + len, n);
    len += n;
    n = pl_tp_finished(&f->p, flight + len, sizeof(flight) - len);
    pl_transcript_update(&f->p.t, flight + len, n);
    len += n;
    pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, flight, len);
    pl_tp_application_keys(&f->p);
    pl_tp_deliver(&f->p, f->conn, PADLOCK_OK);
    assert_true(padlock_conn_handshake_done(f->conn));
}

static void test_fragmented_flight(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_fixture_hello(f);
    uint8_t flight[PL_TP_MAX_MSG];
    pl_buf b;
    pl_buf_init(&b, flight, sizeof(flight));
    pl_exts none;
    memset(&none, 0, sizeof(none));
    PL_ASSERT_OK(pl_encrypted_extensions_build(&b, &none, NULL, 0));
    size_t len = b.len;
    len += pl_tp_certificate(&f->p, flight + len, sizeof(flight) - len);
    pl_transcript_update(&f->p.t, flight, len);
    size_t n = pl_tp_certificate_verify(&f->p, 0x0403, flight + len, sizeof(flight) - len);
    pl_transcript_update(&f->p.t, flight + len, n);
    len += n;
    n = pl_tp_finished(&f->p, flight + len, sizeof(flight) - len);
    pl_transcript_update(&f->p.t, flight + len, n);
    len += n;
    /* The last record must end with the Finished (a key change follows, §5.1). */
    for (size_t at = 0; at < len; at += 7) {
        pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, flight + at, len - at < 7 ? len - at : 7);
    }
    pl_tp_application_keys(&f->p);
    /* And delivered to the client in 3-byte pieces. */
    while (f->p.wire_len > 0) {
        size_t piece = f->p.wire_len < 3 ? f->p.wire_len : 3, used;
        PL_ASSERT_OK(padlock_conn_input(f->conn, f->p.wire, piece, &used));
        assert_int_equal(used, piece);
        memmove(f->p.wire, f->p.wire + piece, f->p.wire_len - piece);
        f->p.wire_len -= piece;
    }
    assert_true(padlock_conn_handshake_done(f->conn));
    int certs;
    pl_tp_client_finished(&f->p, f->conn, &certs);
}

/* Client authentication: without a certificate the client sends an empty Certificate; with one
 * whose key fits the server's schemes, Certificate and CertificateVerify (checked by the peer). */
static void request_certificate(pl_tp_fixture *f, uint16_t scheme) {
    pl_tp_fixture_hello(f);
    pl_tp_fixture_send_ee(f, NULL, NULL, 0);
    uint8_t cr[sizeof(empty_cr)];
    memcpy(cr, empty_cr, sizeof(cr));
    cr[13] = (uint8_t)(scheme >> 8);
    cr[14] = (uint8_t)scheme;
    pl_tp_send_hs(&f->p, cr, sizeof(cr));
    send_certificate(f);
    send_verify(f, 0x0403);
    send_finished(f);
    pl_tp_deliver(&f->p, f->conn, PADLOCK_OK);
    assert_true(padlock_conn_handshake_done(f->conn));
}

static void test_client_without_certificate(void **state) {
    pl_tp_fixture *f = *state;
    request_certificate(f, 0x0403);
    int certs;
    pl_tp_client_finished(&f->p, f->conn, &certs);
    assert_int_equal(certs, 0);
}

static void test_client_certificate(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_fixture_reconfigure(f, pl_tp_present_own_certificate);
    request_certificate(f, 0x0403);
    int certs;
    pl_tp_client_finished(&f->p, f->conn, &certs); /* verifies the CertificateVerify */
    assert_int_equal(certs, 1);
}

static void test_client_certificate_that_does_not_fit(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_fixture_reconfigure(f, pl_tp_present_own_certificate);
    request_certificate(f, 0x0804); /* the server takes only RSA-PSS; ours is ECDSA */
    int certs;
    pl_tp_client_finished(&f->p, f->conn, &certs);
    assert_int_equal(certs, 0);
}

/* After the handshake: tickets are kept (the 4 newest; lifetime 0 not at all). */
static void test_new_session_tickets(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_handshake(&f->p, f->conn);
    for (uint8_t i = 0; i < 6; i++) {
        uint8_t t[sizeof(nst)];
        memcpy(t, nst, sizeof(t));
        t[16] = i; /* the ticket's first byte */
        pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, t, sizeof(t));
    }
    uint8_t zero[sizeof(nst)];
    memcpy(zero, nst, sizeof(zero));
    memset(zero + 4, 0, 4); /* ticket_lifetime 0: discard at once */
    pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, zero, sizeof(zero));
    pl_tp_deliver(&f->p, f->conn, PADLOCK_OK);
    assert_int_equal(padlock_conn_status(f->conn), PADLOCK_STATUS_WANT_READ);
    const pl_ticket13_list *list = &f->conn->tls.tickets;
    assert_int_equal(list->num, 4);
    const pl_ticket13 *t = list->newest;
    for (uint8_t i = 5; i >= 2; i--, t = t->next) {
        assert_non_null(t);
        assert_int_equal(t->ticket[0], i);
        assert_int_equal(t->lifetime, 3600);
        assert_int_equal(t->age_add, 0x01020304);
        assert_int_equal(t->ticket_len, 2);
    }
    assert_null(t);
    /* A lifetime over 7 days is illegal_parameter (RFC 8446 §4.6.1). */
    uint8_t bad[sizeof(nst)];
    memcpy(bad, nst, sizeof(bad));
    bad[4] = 0x10; /* 0x10000e10 seconds */
    pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, bad, sizeof(bad));
    pl_tp_deliver(&f->p, f->conn, PADLOCK_E_ILLEGAL_PARAMETER);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_ILLEGAL_PARAMETER, 47, "lifetime");
}

static void next_secret(pl_record_dir *d, pl_ks13_secret *s, const pl_suite *suite) {
    PL_ASSERT_OK(pl_ks13_update_traffic(s));
    pl_record_keys keys;
    PL_ASSERT_OK(pl_ks13_traffic_keys(s, &keys, suite->aead));
    PL_ASSERT_OK(pl_record_dir_set_keys(d, &keys));
}

static void expect_data(pl_tp_fixture *f, const char *text) {
    uint8_t buf[64];
    size_t n;
    assert_int_equal(padlock_conn_status(f->conn), PADLOCK_STATUS_DATA);
    PL_ASSERT_OK(padlock_conn_read(f->conn, buf, sizeof(buf), &n));
    assert_int_equal(n, strlen(text));
    assert_memory_equal(buf, text, n);
}

/* The server updates its keys and asks the client to: the client reads under the new keys and
 * answers with a KeyUpdate of its own before anything else. */
static void test_key_update_from_server(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_handshake(&f->p, f->conn);
    static const uint8_t ku_requested[] = {PL_HS_KEY_UPDATE, 0, 0, 1, 1};
    pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, ku_requested, sizeof(ku_requested));
    next_secret(&f->p.tx, &f->p.s_ap, f->p.suite);
    pl_tp_send(&f->p, PL_CONTENT_APPLICATION_DATA, (const uint8_t *)"new keys", 8);
    pl_tp_deliver(&f->p, f->conn, PADLOCK_OK);
    assert_int_equal(padlock_conn_status(f->conn), PADLOCK_STATUS_WANT_WRITE);
    pl_tp_rec recs[4];
    size_t n;
    pl_tp_from_client(&f->p, f->conn, recs, 4, &n);
    assert_int_equal(n, 1);
    assert_int_equal(recs[0].type, PL_CONTENT_HANDSHAKE);
    assert_int_equal(recs[0].len, 5);
    assert_int_equal(recs[0].data[0], PL_HS_KEY_UPDATE);
    assert_int_equal(recs[0].data[4], 0); /* update_not_requested */
    next_secret(&f->p.rx, &f->p.c_ap, f->p.suite);
    expect_data(f, "new keys");
    size_t written;
    PL_ASSERT_OK(padlock_conn_write(f->conn, (const uint8_t *)"answered", 8, &written));
    pl_tp_from_client(&f->p, f->conn, recs, 4, &n);
    assert_int_equal(n, 1);
    assert_memory_equal(recs[0].data, "answered", 8);
    assert_int_equal(f->conn->tls.ku_received, 1);
    assert_int_equal(f->conn->tls.ku_sent, 1);
}

/* Several requests while the client is silent get one answer (RFC 8446 §4.6.3). */
static void test_key_updates_coalesced(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_handshake(&f->p, f->conn);
    static const uint8_t ku_requested[] = {PL_HS_KEY_UPDATE, 0, 0, 1, 1};
    for (int i = 0; i < 3; i++) {
        pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, ku_requested, sizeof(ku_requested));
        next_secret(&f->p.tx, &f->p.s_ap, f->p.suite);
    }
    pl_tp_deliver(&f->p, f->conn, PADLOCK_OK);
    pl_tp_rec recs[4];
    size_t n;
    pl_tp_from_client(&f->p, f->conn, recs, 4, &n);
    assert_int_equal(n, 1);
    assert_int_equal(f->conn->tls.ku_received, 3);
    assert_int_equal(f->conn->tls.ku_sent, 1);
}

/* The application asks for an update and for the server's: the KeyUpdate goes first, then data
 * under the new keys; the server's answer moves the client's reading keys. */
static void test_key_update_from_client(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_handshake(&f->p, f->conn);
    PL_ASSERT_OK(padlock_conn_key_update(f->conn, 1));
    pl_tp_rec recs[4];
    size_t n;
    pl_tp_from_client(&f->p, f->conn, recs, 4, &n);
    assert_int_equal(n, 1);
    assert_int_equal(recs[0].data[0], PL_HS_KEY_UPDATE);
    assert_int_equal(recs[0].data[4], 1);
    next_secret(&f->p.rx, &f->p.c_ap, f->p.suite);
    size_t written;
    PL_ASSERT_OK(padlock_conn_write(f->conn, (const uint8_t *)"after", 5, &written));
    pl_tp_from_client(&f->p, f->conn, recs, 4, &n);
    assert_memory_equal(recs[0].data, "after", 5);
    static const uint8_t ku[] = {PL_HS_KEY_UPDATE, 0, 0, 1, 0};
    pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, ku, sizeof(ku));
    next_secret(&f->p.tx, &f->p.s_ap, f->p.suite);
    pl_tp_send(&f->p, PL_CONTENT_APPLICATION_DATA, (const uint8_t *)"server too", 10);
    pl_tp_deliver(&f->p, f->conn, PADLOCK_OK);
    expect_data(f, "server too");
    assert_int_equal(padlock_conn_status(f->conn), PADLOCK_STATUS_WANT_READ);
}

/* close_notify: data before it is read, what follows is ignored, the end of stream is clean. */
static void test_close_notify(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_handshake(&f->p, f->conn);
    pl_tp_send(&f->p, PL_CONTENT_APPLICATION_DATA, (const uint8_t *)"last", 4);
    static const uint8_t close_notify[] = {1, 0};
    pl_tp_send(&f->p, PL_CONTENT_ALERT, close_notify, 2);
    pl_tp_send(&f->p, PL_CONTENT_APPLICATION_DATA, (const uint8_t *)"ignored", 7);
    size_t used;
    PL_ASSERT_OK(padlock_conn_input(f->conn, f->p.wire, f->p.wire_len, &used));
    assert_true(used < f->p.wire_len); /* stopped at the data */
    expect_data(f, "last");
    PL_ASSERT_OK(padlock_conn_input(f->conn, f->p.wire + used, f->p.wire_len - used, &used));
    assert_int_equal(padlock_conn_status(f->conn), PADLOCK_STATUS_CLOSED);
    uint8_t buf[8];
    size_t n;
    PL_ASSERT_ERR(padlock_conn_read(f->conn, buf, sizeof(buf), &n), PADLOCK_E_CLOSED);
    PL_ASSERT_OK(padlock_conn_input(f->conn, NULL, 0, &used));
    /* The client still closes its side. */
    PL_ASSERT_OK(padlock_conn_close(f->conn));
    pl_tp_rec recs[2];
    pl_tp_from_client(&f->p, f->conn, recs, 2, &n);
    assert_int_equal(n, 1);
    assert_int_equal(recs[0].type, PL_CONTENT_ALERT);
    assert_int_equal(recs[0].data[1], 0);
    assert_int_equal(padlock_conn_error(f->conn), PADLOCK_OK);
}

static void test_truncation(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_handshake(&f->p, f->conn);
    size_t used;
    PL_ASSERT_ERR(padlock_conn_input(f->conn, NULL, 0, &used), PADLOCK_E_TRUNCATED);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_TRUNCATED, -1, "without close_notify");
    size_t written;
    PL_ASSERT_ERR(padlock_conn_write(f->conn, (const uint8_t *)"x", 1, &written),
                  PADLOCK_E_TRUNCATED);
}

static void test_write_before_handshake(void **state) {
    pl_tp_fixture *f = *state;
    size_t written;
    PL_ASSERT_ERR(padlock_conn_write(f->conn, (const uint8_t *)"x", 1, &written), PADLOCK_E_STATE);
    PL_ASSERT_ERR(padlock_conn_key_update(f->conn, 0), PADLOCK_E_STATE);
    uint8_t out[16];
    PL_ASSERT_ERR(padlock_conn_export_keying_material(f->conn, out, 16, "label", NULL, 0),
                  PADLOCK_E_STATE);
}

/* Refusals: the server's flight prepared up to a state, then one thing the client must refuse,
 * with the error, the alert it sends and a part of its message. */
typedef enum stage {
    AT_WAIT_SH,       /* the ClientHello taken */
    AT_WAIT_EE,       /* the ServerHello sent: handshake keys */
    AT_WAIT_CERT_CR,  /* and an empty EncryptedExtensions */
    AT_WAIT_CERT,     /* and a CertificateRequest */
    AT_WAIT_CV,       /* the EncryptedExtensions and our Certificate */
    AT_WAIT_FINISHED, /* and an ECDSA P-256 CertificateVerify */
    AT_CONNECTED,     /* a whole handshake */
} stage;

typedef struct refusal {
    const char *name;
    void (*configure)(padlock_config *cfg); /* NULL: the fixture's client */
    const char *server_name;                /* NULL: "test.example" */
    stage at;
    void (*send)(pl_tp_fixture *f); /* what the peer sends then; NULL: bytes */
    const uint8_t *bytes;           /* a handshake message (raw: bytes on the wire) */
    size_t len;
    int raw;
    padlock_err code;
    int alert;
    const char *detail;
} refusal;

static void prepare(pl_tp_fixture *f, stage at) {
    if (at == AT_CONNECTED) {
        pl_tp_handshake(&f->p, f->conn);
        return;
    }
    if (at == AT_WAIT_SH) {
        pl_tp_client_hello(&f->p, f->conn);
        return;
    }
    pl_tp_fixture_hello(f);
    if (at >= AT_WAIT_CERT_CR) {
        pl_tp_fixture_send_ee(f, NULL, NULL, 0);
    }
    if (at == AT_WAIT_CERT) {
        pl_tp_send_hs(&f->p, empty_cr, sizeof(empty_cr));
    }
    if (at >= AT_WAIT_CV) {
        send_certificate(f);
    }
    if (at >= AT_WAIT_FINISHED) {
        send_verify(f, PL_SIG_ECDSA_SECP256R1_SHA256);
    }
}

static void send_verify_p256(pl_tp_fixture *f) {
    send_verify(f, PL_SIG_ECDSA_SECP256R1_SHA256);
}

static void send_verify_rsa_pkcs1(pl_tp_fixture *f) {
    send_verify(f, PL_SIG_RSA_PKCS1_SHA256);
}

static void send_verify_ed25519(pl_tp_fixture *f) {
    send_verify(f, PL_SIG_ED25519);
}

static void send_finished_message(pl_tp_fixture *f) {
    pl_tp_send_hs(&f->p, f->msg, pl_tp_finished(&f->p, f->msg, sizeof(f->msg)));
}

static void send_bad_signature(pl_tp_fixture *f) {
    size_t n = pl_tp_certificate_verify(&f->p, 0x0403, f->msg, sizeof(f->msg));
    f->msg[n - 5] ^= 0x40; /* inside the ECDSA signature's s */
    pl_tp_send_hs(&f->p, f->msg, n);
}

static void no_verification(padlock_config *cfg) {
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(cfg));
}

/* The peer's Certificate with one bit of its key's point flipped (the SubjectPublicKeyInfo ends
 * with the uncompressed point, RFC 5480 §2.2: y leaves the curve), then its CertificateVerify. */
static void send_key_off_curve(pl_tp_fixture *f) {
    size_t n = pl_tp_certificate(&f->p, f->msg, sizeof(f->msg));
    /* RFC 8446 §4.4.2: header (4), empty context (1), list length (3), first cert_data length
     * (3), then the leaf's DER. */
    assert_true(n > 11);
    size_t der_len = (size_t)f->msg[8] << 16 | (size_t)f->msg[9] << 8 | f->msg[10];
    assert_true(11 + der_len <= n);
    pl_x509_cert leaf;
    const char *field = NULL;
    PL_ASSERT_OK(pl_x509_cert_parse(&leaf, f->msg + 11, der_len, &field));
    uint8_t *last = f->msg + (leaf.key.spki.p - f->msg) + leaf.key.spki.len - 1;
    *last ^= 0x01;
    pl_tp_send_hs(&f->p, f->msg, n);
    send_verify(f, PL_SIG_ECDSA_SECP256R1_SHA256);
}

static void send_bad_finished(pl_tp_fixture *f) {
    size_t n = pl_tp_finished(&f->p, f->msg, sizeof(f->msg));
    f->msg[n - 1] ^= 1;
    pl_tp_send_hs(&f->p, f->msg, n);
}

static void send_ee_alpn_not_ours(pl_tp_fixture *f) {
    ee_with_alpn(f, "spdy/3");
}

static void send_ee_alpn_not_asked_for(pl_tp_fixture *f) {
    assert_false(pl_exts_has(&f->p.hello.exts, PL_EXT_ALPN));
    ee_with_alpn(f, "h2");
}

static void send_ccs_inside_a_fragmented_message(pl_tp_fixture *f) {
    size_t n = pl_tp_certificate(&f->p, f->msg, sizeof(f->msg));
    pl_transcript_update(&f->p.t, f->msg, n);
    pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, f->msg, 40);
    pl_tp_send_raw(&f->p, ccs_record, sizeof(ccs_record));
    pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, f->msg + 40, n - 40);
}

static void send_application_data(pl_tp_fixture *f) {
    pl_tp_send(&f->p, PL_CONTENT_APPLICATION_DATA, (const uint8_t *)"early", 5);
}

/* RFC 8446 §5.1: a KeyUpdate must end its record; anything after it would be under old keys. */
static void send_key_update_and_more(pl_tp_fixture *f) {
    uint8_t two[2 * sizeof(nst)];
    static const uint8_t ku[] = {PL_HS_KEY_UPDATE, 0, 0, 1, 0};
    memcpy(two, ku, sizeof(ku));
    memcpy(two + sizeof(ku), nst, sizeof(nst));
    pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, two, sizeof(ku) + sizeof(nst));
}

static const uint8_t empty_certificate[] = {PL_HS_CERTIFICATE, 0, 0, 4, 0, 0, 0, 0};
static const uint8_t cr_with_context[] = {
    PL_HS_CERTIFICATE_REQUEST, 0, 0, 12, 1, 7, 0, 8, 0, 13, 0, 4, 0, 2, 0x04, 0x03};
static const uint8_t key_update_of_value_2[] = {PL_HS_KEY_UPDATE, 0, 0, 1, 2};
static const uint8_t ccs_of_value_2[] = {20, 3, 3, 0, 1, 2};
/* A header the record layer refuses is named by its bytes (it was never parsed). */
static const uint8_t record_of_type_99[] = {99, 3, 3, 0, 2, 0, 0};
/* A server that answers in text (here HTTP) is told apart from a broken TLS one. */
static const char http_answer[] = "HTTP/1.1 400 Bad Request\r\n\r\n";

#define SEND(fn) .send = (fn)
#define MSG(m) .bytes = (m), .len = sizeof(m)
#define RAW(m) .bytes = (const uint8_t *)(m), .len = sizeof(m), .raw = 1
#define FAILS(c, a, d) .code = (c), .alert = (a), .detail = (d)

static const refusal refusals[] = {
    {.name = "test_unexpected_in_wait_ee",
     .at = AT_WAIT_EE,
     SEND(send_certificate),
     FAILS(PADLOCK_E_UNEXPECTED_MESSAGE, 10,
           "unexpected Certificate in state WAIT_EE (expecting EncryptedExtensions)")},
    {.name = "test_unexpected_in_wait_cert_cr",
     .at = AT_WAIT_CERT_CR,
     SEND(send_verify_p256),
     FAILS(PADLOCK_E_UNEXPECTED_MESSAGE, 10,
           "unexpected CertificateVerify in state WAIT_CERT_CR (expecting Certificate or "
           "CertificateRequest)")},
    {.name = "test_unexpected_in_wait_cert",
     .at = AT_WAIT_CERT,
     MSG(empty_cr),
     FAILS(PADLOCK_E_UNEXPECTED_MESSAGE, 10,
           "unexpected CertificateRequest in state WAIT_CERT (expecting Certificate)")},
    {.name = "test_unexpected_in_wait_cv",
     .at = AT_WAIT_CV,
     SEND(send_finished_message),
     FAILS(PADLOCK_E_UNEXPECTED_MESSAGE, 10,
           "unexpected Finished in state WAIT_CV (expecting CertificateVerify)")},
    {.name = "test_unexpected_in_wait_finished",
     .at = AT_WAIT_FINISHED,
     MSG(nst),
     FAILS(PADLOCK_E_UNEXPECTED_MESSAGE, 10,
           "unexpected NewSessionTicket in state WAIT_FINISHED (expecting Finished)")},
    {.name = "test_unexpected_when_connected",
     .at = AT_CONNECTED,
     MSG(empty_cr),
     FAILS(PADLOCK_E_UNEXPECTED_MESSAGE, 10,
           "unexpected CertificateRequest in state CONNECTED (expecting NewSessionTicket or "
           "KeyUpdate)")},
    {.name = "test_empty_server_certificate",
     .at = AT_WAIT_CERT_CR,
     MSG(empty_certificate),
     FAILS(PADLOCK_E_DECODE, 50, "certificate list is empty")},
    {.name = "test_bad_signature",
     .at = AT_WAIT_CV,
     SEND(send_bad_signature),
     FAILS(PADLOCK_E_BAD_SIGNATURE, 51, "the ecdsa_secp256r1_sha256 signature does not verify")},
    {.name = "test_verify_scheme_not_offered",
     .at = AT_WAIT_CV,
     SEND(send_verify_rsa_pkcs1),
     FAILS(PADLOCK_E_ILLEGAL_PARAMETER, 47,
           "signature scheme rsa_pkcs1_sha256 (0x0401) was not offered")},
    {.name = "test_verify_scheme_of_another_key",
     .at = AT_WAIT_CV,
     SEND(send_verify_ed25519),
     FAILS(PADLOCK_E_ILLEGAL_PARAMETER, 47, "ed25519 does not fit the certificate's EC P-256 key")},
    /* Regression (the same fault fuzz_server_unsealed found in the TLS 1.2 server): a key the
     * certificate carries that is no key failed with "malformed or invalid key" and
     * internal_error; the certificate is at fault, bad_certificate (RFC 8446 §6.2). */
    {.name = "test_server_key_off_curve",
     .configure = no_verification,
     .at = AT_WAIT_CERT_CR,
     SEND(send_key_off_curve),
     FAILS(PADLOCK_E_BAD_CERTIFICATE, 42,
           "server CertificateVerify: the certificate's key cannot verify a "
           "ecdsa_secp256r1_sha256 signature")},
    {.name = "test_bad_finished",
     .at = AT_WAIT_FINISHED,
     SEND(send_bad_finished),
     FAILS(PADLOCK_E_DECRYPT_ERROR, 51, "server Finished: verify_data does not match")},
    /* Certificate verification with the configuration's time hook and the server name: the
     * Certificate alone is refused. */
    {.name = "test_certificate_expired_by_the_clock",
     .configure = late_clock,
     .at = AT_WAIT_CV,
     FAILS(PADLOCK_E_CERT_EXPIRED, 45, "CN=test.example")},
    {.name = "test_certificate_for_another_name",
     .server_name = "other.example",
     .at = AT_WAIT_CV,
     FAILS(PADLOCK_E_CERT_NAME_MISMATCH, 42, "other.example")},
    /* ALPN: the server's choice must be one of ours, and only if we asked. */
    {.name = "test_alpn_not_ours",
     .configure = alpn_h2_http11,
     .at = AT_WAIT_EE,
     SEND(send_ee_alpn_not_ours),
     FAILS(PADLOCK_E_ILLEGAL_PARAMETER, 47, "application protocol that was not offered")},
    {.name = "test_alpn_not_asked_for",
     .at = AT_WAIT_EE,
     SEND(send_ee_alpn_not_asked_for),
     FAILS(PADLOCK_E_UNSUPPORTED_EXTENSION, 110,
           "application_layer_protocol_negotiation was not offered")},
    /* RFC 8446 §5: change_cipher_spec is refused after the handshake, of another value, and
     * inside a fragmented message. */
    {.name = "test_ccs_after_handshake",
     .at = AT_CONNECTED,
     RAW(ccs_record),
     FAILS(PADLOCK_E_UNEXPECTED_MESSAGE, 10, "change_cipher_spec in state CONNECTED")},
    {.name = "test_ccs_of_another_value",
     .at = AT_WAIT_SH,
     RAW(ccs_of_value_2),
     FAILS(PADLOCK_E_UNEXPECTED_MESSAGE, 10, "record of type 20 and 1 bytes")},
    {.name = "test_record_of_unknown_type",
     .at = AT_WAIT_SH,
     RAW(record_of_type_99),
     FAILS(PADLOCK_E_UNEXPECTED_MESSAGE, 10, "record of type 99 and 2 bytes")},
    {.name = "test_peer_not_speaking_tls",
     .at = AT_WAIT_SH,
     .bytes = (const uint8_t *)http_answer,
     .len = sizeof(http_answer) - 1,
     .raw = 1,
     FAILS(PADLOCK_E_UNEXPECTED_MESSAGE, 10,
           "the peer does not speak TLS: it sent text (\"HTTP/...\")")},
    {.name = "test_ccs_inside_a_fragmented_message",
     .at = AT_WAIT_CERT_CR,
     SEND(send_ccs_inside_a_fragmented_message),
     FAILS(PADLOCK_E_UNEXPECTED_MESSAGE, 10, "in the middle of a fragmented handshake message")},
    {.name = "test_application_data_before_finished",
     .at = AT_WAIT_CERT_CR,
     SEND(send_application_data),
     FAILS(PADLOCK_E_UNEXPECTED_MESSAGE, 10, "application data before the handshake completed")},
    {.name = "test_certificate_request_with_context",
     .at = AT_WAIT_CERT_CR,
     MSG(cr_with_context),
     FAILS(PADLOCK_E_ILLEGAL_PARAMETER, 47, "certificate_request_context is not empty")},
    {.name = "test_key_update_with_bad_value",
     .at = AT_CONNECTED,
     MSG(key_update_of_value_2),
     FAILS(PADLOCK_E_ILLEGAL_PARAMETER, 47, "KeyUpdate")},
    {.name = "test_key_update_not_ending_its_record",
     .at = AT_CONNECTED,
     SEND(send_key_update_and_more),
     FAILS(PADLOCK_E_UNEXPECTED_MESSAGE, 10, "key change")},
};

/* One refusal (the fixture's row): prepared, sent, delivered; the client fails as the row says. */
static void test_refusal(void **state) {
    pl_tp_fixture *f = *state;
    const refusal *r = f->row;
    if (r->configure != NULL) {
        pl_tp_fixture_reconfigure(f, r->configure);
    }
    if (r->server_name != NULL) {
        padlock_conn_free(f->conn);
        PL_ASSERT_OK(padlock_conn_new(f->cfg, &f->conn));
        PL_ASSERT_OK(padlock_conn_set_server_name(f->conn, r->server_name));
    }
    prepare(f, r->at);
    if (r->send != NULL) {
        r->send(f);
    } else if (r->raw) {
        pl_tp_send_raw(&f->p, r->bytes, r->len);
    } else if (r->bytes != NULL) {
        pl_tp_send_hs(&f->p, r->bytes, r->len);
    }
    pl_tp_deliver(&f->p, f->conn, r->code);
    pl_tp_expect_failure(&f->p, f->conn, r->code, r->alert, r->detail);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, pl_tp_fixture_teardown)

int main(void) {
    static const struct CMUnitTest others[] = {
        T(test_alpn_selected),
        T(test_record_size_limit),
        T(test_ccs_dropped_during_handshake),
        T(test_coalesced_flight),
        T(test_fragmented_flight),
        T(test_client_without_certificate),
        T(test_client_certificate),
        T(test_client_certificate_that_does_not_fit),
        T(test_new_session_tickets),
        T(test_key_update_from_server),
        T(test_key_updates_coalesced),
        T(test_key_update_from_client),
        T(test_close_notify),
        T(test_truncation),
        T(test_write_before_handshake),
    };
    enum { N_REFUSALS = sizeof(refusals) / sizeof(refusals[0]) };
    enum { N_OTHERS = sizeof(others) / sizeof(others[0]) };
    struct CMUnitTest tests[N_REFUSALS + N_OTHERS];
    for (size_t i = 0; i < N_REFUSALS; i++) {
        tests[i] = (struct CMUnitTest){refusals[i].name, test_refusal, setup,
                                       pl_tp_fixture_teardown, (void *)&refusals[i]};
    }
    memcpy(tests + N_REFUSALS, others, sizeof(others));
    return _cmocka_run_group_tests("test_client13_flight", tests, N_REFUSALS + N_OTHERS, NULL,
                                   NULL);
}
