/* The TLS 1.3 client up to its handshake keys, against crafted server hellos: the ClientHello's
 * contents, a HelloRetryRequest honoured (new share, cookie echoed, same random, compatibility
 * CCS), refused twice, refused when it changes nothing or names a group not offered or already
 * shared; ServerHello with an unoffered suite, version or group, a wrong session id echo, a TLS
 * 1.2 choice (protocol_version from a client offering TLS 1.3 only; illegal_parameter with the
 * downgrade sentinel, from any client, and after a HelloRetryRequest), the ClientHello offering
 * TLS 1.2 by default and nothing of it when limited to TLS 1.3, a missing key
 * share, an unsolicited extension; handshake data after the ServerHello in its record (§5.1);
 * and a verifying client without a server name. Each refusal carries its alert and a detail. */
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "tls13_peer.h"

static int setup(void **state) {
    return pl_tp_fixture_setup(state, 1, PADLOCK_TLS12, PADLOCK_TLS13);
}

/* A client that offers TLS 1.3 only. */
static int setup13(void **state) {
    return pl_tp_fixture_setup(state, 1, PADLOCK_TLS13, PADLOCK_TLS13);
}

/* Sends a ServerHello (after fields were adjusted by the test). */
static void put_sh(pl_tp_fixture *f, const pl_server_hello *sh, const uint16_t *ids, size_t num) {
    pl_tp_send_hs(&f->p, f->msg, pl_tp_build_sh(sh, ids, num, f->msg, sizeof(f->msg)));
}

/* Sends a ServerHello and delivers it: padlock_conn_input must return want. */
static void send_sh(pl_tp_fixture *f, const pl_server_hello *sh, const uint16_t *ids, size_t num,
                    padlock_err want) {
    put_sh(f, sh, ids, num);
    pl_tp_deliver(&f->p, f->conn, want);
}

static void test_client_hello_contents(void **state) {
    pl_tp_fixture *f = *state;
    assert_int_equal(padlock_conn_status(f->conn), PADLOCK_STATUS_WANT_WRITE);
    pl_tp_client_hello(&f->p, f->conn);
    const pl_client_hello *ch = &f->p.hello;
    const pl_exts *e = &ch->exts;
    assert_int_equal(ch->legacy_version, 0x0303);
    /* Middlebox compatibility (RFC 8446 D.4): a 32-byte legacy session id. */
    assert_int_equal(pl_cur_left(&ch->session_id), 32);
    /* TLS 1.3's suites, then TLS 1.2's ECDHE suites (none with RSA key transport). */
    static const uint16_t suites[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f,
                                      0xc02c, 0xc030, 0xcca9, 0xcca8};
    pl_cur it = ch->cipher_suites;
    uint16_t v;
    for (size_t i = 0; i < sizeof(suites) / 2; i++) {
        assert_true(pl_ext_u16_next(&it, &v));
        assert_int_equal(v, suites[i]);
    }
    assert_false(pl_ext_u16_next(&it, &v));
    assert_int_equal(pl_cur_left(&ch->compression_methods), 1);
    assert_int_equal(ch->compression_methods.p[0], 0);
    /* supported_versions: TLS 1.3, then 1.2; groups x25519, P-256, P-384; one X25519 share. */
    assert_int_equal(pl_cur_left(&e->versions), 4);
    assert_memory_equal(e->versions.p, "\x03\x04\x03\x03", 4);
    static const uint16_t groups[] = {0x001d, 0x0017, 0x0018};
    it = e->supported_groups;
    for (size_t i = 0; i < 3; i++) {
        assert_true(pl_ext_u16_next(&it, &v));
        assert_int_equal(v, groups[i]);
    }
    it = e->key_shares;
    pl_cur kx;
    assert_true(pl_ext_key_share_next(&it, &v, &kx));
    assert_int_equal(v, 0x001d);
    assert_int_equal(pl_cur_left(&kx), 32);
    assert_false(pl_ext_key_share_next(&it, &v, &kx));
    /* Signature schemes for CertificateVerify and ServerKeyExchange (PKCS #1 v1.5 for TLS 1.2
     * only) and for certificates. */
    assert_true(pl_ext_u16_contains(e->sig_algs, 0x0403));
    assert_true(pl_ext_u16_contains(e->sig_algs, 0x0804));
    assert_true(pl_ext_u16_contains(e->sig_algs, 0x0807));
    assert_true(pl_ext_u16_contains(e->sig_algs, 0x0401));
    /* TLS 1.2: uncompressed points, the extended master secret, an empty renegotiation_info,
     * and an empty session_ticket (no session to offer). */
    assert_true(pl_ext_u8_contains(e->ec_point_formats, 0));
    assert_true(pl_exts_has(e, PL_EXT_EXTENDED_MASTER_SECRET));
    assert_true(pl_exts_has(e, PL_EXT_RENEGOTIATION_INFO));
    assert_int_equal(pl_cur_left(&e->renegotiation_info), 0);
    assert_true(pl_exts_has(e, PL_EXT_SESSION_TICKET));
    assert_int_equal(pl_cur_left(&e->session_ticket), 0);
    assert_true(pl_exts_has(e, PL_EXT_SIGNATURE_ALGORITHMS_CERT));
    assert_true(pl_ext_u16_contains(e->sig_algs_cert, 0x0401));
    /* SNI, psk_dhe_ke (so that servers send tickets), record_size_limit 2^14 + 1; no ALPN. */
    assert_int_equal(pl_cur_left(&e->server_name), 12);
    assert_memory_equal(e->server_name.p, "test.example", 12);
    assert_true(pl_ext_u8_contains(e->psk_modes, PL_PSK_DHE_KE));
    assert_int_equal(e->record_size_limit, 16385);
    assert_false(pl_exts_has(e, PL_EXT_ALPN));
    assert_false(pl_exts_has(e, PL_EXT_PRE_SHARED_KEY));
    assert_int_equal(padlock_conn_status(f->conn), PADLOCK_STATUS_WANT_READ);
}

/* A client limited to TLS 1.3 offers nothing of TLS 1.2. */
static void test_client_hello_tls13_only(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    const pl_client_hello *ch = &f->p.hello;
    assert_int_equal(pl_cur_left(&ch->cipher_suites), 6);
    assert_memory_equal(ch->exts.versions.p, "\x03\x04", 2);
    assert_int_equal(pl_cur_left(&ch->exts.versions), 2);
    assert_false(pl_ext_u16_contains(ch->exts.sig_algs, 0x0401));
    assert_false(pl_exts_has(&ch->exts, PL_EXT_EXTENDED_MASTER_SECRET));
    assert_false(pl_exts_has(&ch->exts, PL_EXT_SESSION_TICKET));
}

/* A HelloRetryRequest for P-384 with a cookie, then the handshake completes. */
static void test_hello_retry_request(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    uint8_t random1[32], session_id[32];
    memcpy(random1, f->p.hello.random, 32);
    memcpy(session_id, f->p.hello.session_id.p, 32);
    pl_server_hello hrr;
    uint16_t ids[4];
    size_t num;
    pl_tp_server_hello_fields(&f->p, 0x1302, 0x0018, &hrr, ids, &num);
    hrr.random = pl_hrr_random;
    static const uint8_t cookie[] = {0xc0, 0x0c, 0x1e};
    pl_cur_init(&hrr.exts.cookie, cookie, sizeof(cookie));
    ids[num++] = PL_EXT_COOKIE;
    /* RFC 8446 §4.4.1: ClientHello1 becomes message_hash in the transcript. */
    pl_transcript_hrr(&f->p.t);
    send_sh(f, &hrr, ids, num, PADLOCK_OK);
    pl_tp_client_hello(&f->p, f->conn); /* a compatibility CCS came first: checked there */
    const pl_client_hello *ch = &f->p.hello;
    assert_memory_equal(ch->random, random1, 32);
    assert_memory_equal(ch->session_id.p, session_id, 32);
    assert_int_equal(pl_cur_left(&ch->exts.cookie), sizeof(cookie));
    assert_memory_equal(ch->exts.cookie.p, cookie, sizeof(cookie));
    pl_cur it = ch->exts.key_shares, kx;
    uint16_t group;
    assert_true(pl_ext_key_share_next(&it, &group, &kx));
    assert_int_equal(group, 0x0018);
    assert_int_equal(pl_cur_left(&kx), 97);
    assert_false(pl_ext_key_share_next(&it, &group, &kx));

    pl_server_hello sh;
    pl_tp_server_hello_fields(&f->p, 0x1302, 0x0018, &sh, ids, &num);
    send_sh(f, &sh, ids, num, PADLOCK_OK);
    pl_tp_handshake_keys(&f->p);
    pl_tp_fixture_send_ee(f, NULL, NULL, 0);
    pl_tp_send_hs(&f->p, f->msg, pl_tp_certificate(&f->p, f->msg, sizeof(f->msg)));
    pl_tp_send_hs(&f->p, f->msg, pl_tp_certificate_verify(&f->p, 0x0403, f->msg, sizeof(f->msg)));
    pl_tp_send_hs(&f->p, f->msg, pl_tp_finished(&f->p, f->msg, sizeof(f->msg)));
    pl_tp_application_keys(&f->p);
    pl_tp_deliver(&f->p, f->conn, PADLOCK_OK);
    assert_true(padlock_conn_handshake_done(f->conn));
    assert_int_equal(padlock_conn_group(f->conn), PADLOCK_GROUP_SECP384R1);
    assert_int_equal(padlock_conn_cipher_suite(f->conn), PADLOCK_TLS_AES_256_GCM_SHA384);
    int certs;
    pl_tp_client_finished(&f->p, f->conn, &certs);
}

/* Sends a HelloRetryRequest for group (0: none) with or without a cookie. */
static void put_hrr(pl_tp_fixture *f, uint16_t group, int cookie) {
    pl_server_hello hrr;
    uint16_t ids[4];
    size_t num;
    pl_tp_server_hello_fields(&f->p, 0, 0x0018, &hrr, ids, &num);
    hrr.random = pl_hrr_random;
    num = 1; /* supported_versions */
    if (group != 0) {
        hrr.exts.key_share_group = group;
        ids[num++] = PL_EXT_KEY_SHARE;
    }
    static const uint8_t c[] = {1, 2, 3};
    if (cookie) {
        pl_cur_init(&hrr.exts.cookie, c, sizeof(c));
        ids[num++] = PL_EXT_COOKIE;
    }
    pl_transcript_hrr(&f->p.t);
    put_sh(f, &hrr, ids, num);
}

/* The same, delivered: padlock_conn_input must return want. */
static void send_hrr(pl_tp_fixture *f, uint16_t group, int cookie, padlock_err want) {
    put_hrr(f, group, cookie);
    pl_tp_deliver(&f->p, f->conn, want);
}

static void test_cookie_only_hello_retry_keeps_the_share(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    pl_cur first = pl_tp_client_share(&f->p, 0x001d);
    uint8_t share1[32];
    memcpy(share1, first.p, 32);
    send_hrr(f, 0, 1, PADLOCK_OK);
    pl_tp_client_hello(&f->p, f->conn);
    pl_cur second = pl_tp_client_share(&f->p, 0x001d);
    assert_memory_equal(second.p, share1, 32);
    assert_int_equal(pl_cur_left(&f->p.hello.exts.cookie), 3);
}

/* RFC 8446 §4.1.2: the retried ClientHello's extensions<8..2^16-1> cannot hold a cookie of
 * nearly 2^16-1 bytes (cookie<1..2^16-1>, §4.2.2). Found in the fuzzing campaign with an input
 * made for fuzz_client (fuzz/corpus/client/regress-hrr-cookie-too-long; the fuzzer's default
 * 4 KiB inputs do not reach it): the client failed with "value too long for its length field"
 * and an internal_error alert, blaming itself; the server is at fault, and the message names
 * its cookie. */
static void test_hello_retry_cookie_too_long(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    pl_server_hello hrr;
    uint16_t ids[4];
    size_t num;
    pl_tp_server_hello_fields(&f->p, 0, 0x0018, &hrr, ids, &num);
    hrr.random = pl_hrr_random;
    num = 1; /* supported_versions */
    enum { COOKIE = 65400 };
    uint8_t *cookie = malloc(COOKIE), *msg = malloc(COOKIE + 1024);
    assert_true(cookie != NULL && msg != NULL);
    memset(cookie, 0xc0, COOKIE);
    pl_cur_init(&hrr.exts.cookie, cookie, COOKIE);
    ids[num++] = PL_EXT_COOKIE;
    size_t len = pl_tp_build_sh(&hrr, ids, num, msg, COOKIE + 1024);
    /* A handshake message may span records (§5.1). */
    for (size_t off = 0; off < len; off += 16384) {
        pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, msg + off, len - off < 16384 ? len - off : 16384);
    }
    free(cookie);
    free(msg);
    pl_tp_deliver(&f->p, f->conn, PADLOCK_E_ILLEGAL_PARAMETER);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_ILLEGAL_PARAMETER, 47,
                         "HelloRetryRequest: its cookie of 65400 bytes does not fit");
}

/* RFC 8446 §5.1: the message before a key change ends its record. */
static void test_data_after_server_hello_in_its_record(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    pl_server_hello sh;
    uint16_t ids[4];
    size_t num;
    pl_tp_server_hello_fields(&f->p, 0, 0, &sh, ids, &num);
    size_t n = pl_tp_build_sh(&sh, ids, num, f->msg, sizeof(f->msg));
    static const uint8_t ee[] = {PL_HS_ENCRYPTED_EXTENSIONS, 0, 0, 2, 0, 0};
    memcpy(f->msg + n, ee, sizeof(ee));
    pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, f->msg, n + sizeof(ee));
    pl_tp_deliver(&f->p, f->conn, PADLOCK_E_UNEXPECTED_MESSAGE);
    /* The client installed its handshake keys before failing: its alert is protected. */
    pl_transcript_update(&f->p.t, f->msg, n);
    pl_tp_handshake_keys(&f->p);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_UNEXPECTED_MESSAGE, 10, "before a key change");
}

/* Refusals: after the ClientHello, what the peer sends (a crafted ServerHello or
 * HelloRetryRequest, a plaintext record) and how the client fails: the error, the alert it sends
 * and a part of its message. */
typedef struct refusal {
    const char *name;
    int tls13_only;                      /* a client offering TLS 1.3 only */
    void (*configure)(pl_tp_fixture *f); /* before the ClientHello; NULL: the fixture's client */
    void (*send)(pl_tp_fixture *f);      /* NULL: the record of type with bytes */
    uint8_t type;
    const uint8_t *bytes;
    size_t len;
    padlock_err code;
    int alert;
    const char *detail;
} refusal;

/* The fields of a ServerHello for suite and group (0: the client's) answering the ClientHello. */
typedef struct sh_fields {
    pl_server_hello sh;
    uint16_t ids[4];
    size_t num;
} sh_fields;

static void sh_fields_for(pl_tp_fixture *f, uint16_t suite, uint16_t group, sh_fields *s) {
    pl_tp_server_hello_fields(&f->p, suite, group, &s->sh, s->ids, &s->num);
}

/* RFC 8446 §4.1.4: a second HelloRetryRequest is unexpected_message. */
static void second_hrr(pl_tp_fixture *f) {
    send_hrr(f, 0x0018, 0, PADLOCK_OK);
    pl_tp_client_hello(&f->p, f->conn);
    put_hrr(f, 0x0017, 0);
}

static void hrr_changing_nothing(pl_tp_fixture *f) {
    put_hrr(f, 0, 0);
}

static void hrr_group_not_offered(pl_tp_fixture *f) {
    put_hrr(f, 0x0019, 1); /* secp521r1 */
}

static void hrr_group_already_shared(pl_tp_fixture *f) {
    put_hrr(f, 0x001d, 0);
}

/* RFC 8446 §4.1.4: the version a HelloRetryRequest selected stays; TLS 1.2 after it is
 * illegal_parameter. */
static void tls12_after_hrr(pl_tp_fixture *f) {
    send_hrr(f, 0x0018, 0, PADLOCK_OK);
    pl_tp_client_hello(&f->p, f->conn);
    sh_fields s;
    sh_fields_for(f, 0xc02f, 0, &s);
    pl_cur_init(&s.sh.exts.renegotiation_info, NULL, 0);
    s.ids[0] = PL_EXT_RENEGOTIATION_INFO;
    s.ids[1] = PL_EXT_EXTENDED_MASTER_SECRET;
    put_sh(f, &s.sh, s.ids, 2);
}

/* A client without verification offering TLS_AES_128_GCM_SHA256 only. */
static void only_aes128(pl_tp_fixture *f) {
    padlock_conn_free(f->conn);
    padlock_config_free(f->cfg);
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &f->cfg));
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(f->cfg));
    static const uint16_t only[] = {PADLOCK_TLS_AES_128_GCM_SHA256};
    PL_ASSERT_OK(padlock_config_set_cipher_suites(f->cfg, only, 1));
    PL_ASSERT_OK(padlock_conn_new(f->cfg, &f->conn));
}

static void sh_suite_0x1302(pl_tp_fixture *f) {
    sh_fields s;
    sh_fields_for(f, 0x1302, 0, &s);
    put_sh(f, &s.sh, s.ids, s.num);
}

static void sh_version_0x0305(pl_tp_fixture *f) {
    sh_fields s;
    sh_fields_for(f, 0, 0, &s);
    s.sh.exts.selected_version = 0x0305;
    put_sh(f, &s.sh, s.ids, s.num);
}

static void sh_group_p256(pl_tp_fixture *f) {
    sh_fields s;
    sh_fields_for(f, 0, 0x0017, &s); /* P-256: no share for it */
    put_sh(f, &s.sh, s.ids, s.num);
}

static void sh_other_session_id(pl_tp_fixture *f) {
    sh_fields s;
    sh_fields_for(f, 0, 0, &s);
    uint8_t other[32];
    memcpy(other, s.sh.session_id.p, 32);
    other[31] ^= 1;
    pl_cur_init(&s.sh.session_id, other, 32);
    put_sh(f, &s.sh, s.ids, s.num);
}

static void sh_without_key_share(pl_tp_fixture *f) {
    sh_fields s;
    sh_fields_for(f, 0, 0, &s);
    put_sh(f, &s.sh, s.ids, 1);
}

/* RFC 8446 §4.2: an extension the client did not offer (status_request, 5) is refused with
 * unsupported_extension. The builder would not write it, so the message is written here. */
static void sh_with_status_request(pl_tp_fixture *f) {
    sh_fields s;
    sh_fields_for(f, 0, 0, &s);
    const pl_server_hello *sh = &s.sh;
    pl_buf b;
    pl_buf_vec msg, block, data;
    pl_buf_init(&b, f->msg, sizeof(f->msg));
    PL_ASSERT_OK(pl_msg_begin(&b, PL_HS_SERVER_HELLO, &msg));
    PL_ASSERT_OK(pl_buf_u16(&b, 0x0303));
    PL_ASSERT_OK(pl_buf_bytes(&b, sh->random, 32));
    PL_ASSERT_OK(pl_buf_vec8_bytes(&b, sh->session_id.p, sh->session_id.len));
    PL_ASSERT_OK(pl_buf_u16(&b, sh->cipher_suite));
    PL_ASSERT_OK(pl_buf_u8(&b, 0));
    PL_ASSERT_OK(pl_buf_vec_open(&b, 2, &block));
    PL_ASSERT_OK(pl_buf_u16(&b, PL_EXT_SUPPORTED_VERSIONS));
    PL_ASSERT_OK(pl_buf_vec_open(&b, 2, &data));
    PL_ASSERT_OK(pl_buf_u16(&b, 0x0304));
    PL_ASSERT_OK(pl_buf_vec_close(&b, &data));
    PL_ASSERT_OK(pl_buf_u16(&b, PL_EXT_KEY_SHARE));
    PL_ASSERT_OK(pl_buf_vec_open(&b, 2, &data));
    PL_ASSERT_OK(pl_ext_key_share_entry_write(&b, sh->exts.key_share_group, sh->exts.key_exchange.p,
                                              sh->exts.key_exchange.len));
    PL_ASSERT_OK(pl_buf_vec_close(&b, &data));
    PL_ASSERT_OK(pl_buf_u16(&b, 5));
    PL_ASSERT_OK(pl_buf_u16(&b, 0));
    PL_ASSERT_OK(pl_buf_vec_close(&b, &block));
    PL_ASSERT_OK(pl_msg_end(&b, &msg));
    pl_tp_send_hs(&f->p, f->msg, b.len);
}

/* A TLS 1.2 ServerHello (no supported_versions), even with TLS 1.2 extensions padlock never
 * offered: protocol_version; with the downgrade sentinel: illegal_parameter. */
static void tls12_server_hello(pl_tp_fixture *f, int sentinel) {
    sh_fields s;
    sh_fields_for(f, 0xc02f, 0, &s);
    uint8_t random[32];
    memcpy(random, s.sh.random, 32);
    if (sentinel) {
        pl_server_hello_set_downgrade(random, PL_DOWNGRADE_TLS12);
    }
    s.sh.random = random;
    pl_cur_init(&s.sh.exts.renegotiation_info, NULL, 0);
    s.ids[0] = PL_EXT_RENEGOTIATION_INFO;
    put_sh(f, &s.sh, s.ids, 1);
}

static void sh_tls12(pl_tp_fixture *f) {
    tls12_server_hello(f, 0);
}

static void sh_tls12_with_sentinel(pl_tp_fixture *f) {
    tls12_server_hello(f, 1);
}

static const uint8_t plaintext_ee[] = {PL_HS_ENCRYPTED_EXTENSIONS, 0, 0, 2, 0, 0};
static const uint8_t message_of_type_99[] = {99, 0, 0, 0};
static const uint8_t handshake_failure_alert[] = {2, 40};

static const refusal refusals[] = {
    {.name = "test_second_hello_retry_request",
     .send = second_hrr,
     .code = PADLOCK_E_UNEXPECTED_MESSAGE,
     .alert = 10,
     .detail = "unexpected HelloRetryRequest in state WAIT_SH_RETRY"},
    {.name = "test_hello_retry_request_changing_nothing",
     .send = hrr_changing_nothing,
     .code = PADLOCK_E_ILLEGAL_PARAMETER,
     .alert = 47,
     .detail = "would not change"},
    {.name = "test_hello_retry_request_group_not_offered",
     .send = hrr_group_not_offered,
     .code = PADLOCK_E_ILLEGAL_PARAMETER,
     .alert = 47,
     .detail = "group 0x0019, which was not offered"},
    {.name = "test_hello_retry_request_group_already_shared",
     .send = hrr_group_already_shared,
     .code = PADLOCK_E_ILLEGAL_PARAMETER,
     .alert = 47,
     .detail = "already sent"},
    /* ServerHello refusals: each field the client checks against its own ClientHello. */
    {.name = "test_server_hello_unoffered_suite",
     .configure = only_aes128,
     .send = sh_suite_0x1302,
     .code = PADLOCK_E_ILLEGAL_PARAMETER,
     .alert = 47,
     .detail = "cipher suite 0x1302 was not offered"},
    {.name = "test_server_hello_unoffered_version",
     .send = sh_version_0x0305,
     .code = PADLOCK_E_ILLEGAL_PARAMETER,
     .alert = 47,
     .detail = "selects 0x0305, which was not offered"},
    {.name = "test_server_hello_unoffered_group",
     .send = sh_group_p256,
     .code = PADLOCK_E_ILLEGAL_PARAMETER,
     .alert = 47,
     .detail = "key share for group 0x0017"},
    {.name = "test_server_hello_session_id_mismatch",
     .send = sh_other_session_id,
     .code = PADLOCK_E_ILLEGAL_PARAMETER,
     .alert = 47,
     .detail = "legacy_session_id_echo does not match"},
    {.name = "test_server_hello_missing_key_share",
     .send = sh_without_key_share,
     .code = PADLOCK_E_MISSING_EXTENSION,
     .alert = 109,
     .detail = "no key_share"},
    {.name = "test_server_hello_unsolicited_extension",
     .send = sh_with_status_request,
     .code = PADLOCK_E_UNSUPPORTED_EXTENSION,
     .alert = 110,
     .detail = "extension 5 was not offered"},
    {.name = "test_server_hello_tls12",
     .tls13_only = 1,
     .send = sh_tls12,
     .code = PADLOCK_E_PROTOCOL_VERSION,
     .alert = 70,
     .detail = "selected protocol version 0x0303"},
    {.name = "test_server_hello_downgrade_sentinel_tls13_only",
     .tls13_only = 1,
     .send = sh_tls12_with_sentinel,
     .code = PADLOCK_E_ILLEGAL_PARAMETER,
     .alert = 47,
     .detail = "downgrade sentinel"},
    {.name = "test_server_hello_downgrade_sentinel",
     .send = sh_tls12_with_sentinel,
     .code = PADLOCK_E_ILLEGAL_PARAMETER,
     .alert = 47,
     .detail = "downgrade sentinel"},
    {.name = "test_tls12_after_hello_retry_request",
     .send = tls12_after_hrr,
     .code = PADLOCK_E_ILLEGAL_PARAMETER,
     .alert = 47,
     .detail = "after a HelloRetryRequest that selected TLS 1.3"},
    {.name = "test_plaintext_message_before_server_hello",
     .type = PL_CONTENT_HANDSHAKE,
     .bytes = plaintext_ee,
     .len = sizeof(plaintext_ee),
     .code = PADLOCK_E_UNEXPECTED_MESSAGE,
     .alert = 10,
     .detail = "unexpected EncryptedExtensions in state WAIT_SH (expecting ServerHello or "
               "HelloRetryRequest)"},
    {.name = "test_unknown_message_type",
     .type = PL_CONTENT_HANDSHAKE,
     .bytes = message_of_type_99,
     .len = sizeof(message_of_type_99),
     .code = PADLOCK_E_UNEXPECTED_MESSAGE,
     .alert = 10,
     .detail = "unknown handshake message type 99 in state WAIT_SH"},
    /* A fatal alert from the server: named in the message, not answered. */
    {.name = "test_peer_alert",
     .type = PL_CONTENT_ALERT,
     .bytes = handshake_failure_alert,
     .len = sizeof(handshake_failure_alert),
     .code = PADLOCK_E_PEER_ALERT,
     .alert = -1,
     .detail = "peer sent fatal alert handshake_failure during the handshake, in state WAIT_SH"},
};

/* One refusal (the fixture's row): ClientHello taken, the peer's answer delivered, the client
 * failed as the row says. */
static void test_refusal(void **state) {
    pl_tp_fixture *f = *state;
    const refusal *r = f->row;
    if (r->configure != NULL) {
        r->configure(f);
    }
    pl_tp_client_hello(&f->p, f->conn);
    if (r->send != NULL) {
        r->send(f);
    } else {
        pl_tp_send(&f->p, r->type, r->bytes, r->len);
    }
    pl_tp_deliver(&f->p, f->conn, r->code);
    pl_tp_expect_failure(&f->p, f->conn, r->code, r->alert, r->detail);
}

static void test_verifying_client_needs_a_name(void **state) {
    pl_tp_fixture *f = *state;
    padlock_conn_free(f->conn);
    PL_ASSERT_OK(padlock_conn_new(f->cfg, &f->conn));
    assert_int_equal(padlock_conn_status(f->conn), PADLOCK_STATUS_WANT_WRITE);
    const uint8_t *out;
    size_t len;
    PL_ASSERT_ERR(padlock_conn_output(f->conn, &out, &len), PADLOCK_E_NO_SERVER_NAME);
    assert_int_equal(len, 0);
    assert_int_equal(padlock_conn_status(f->conn), PADLOCK_STATUS_ERROR);
    /* Names are checked when set. */
    padlock_conn *other;
    PL_ASSERT_OK(padlock_conn_new(f->cfg, &other));
    PL_ASSERT_ERR(padlock_conn_set_server_name(other, "bad name"), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_conn_set_server_name(other, ""), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_OK(padlock_conn_set_server_name(other, "192.0.2.1"));
    padlock_conn_free(other);
}

/* An IP address is verified but not sent as SNI (RFC 6066 §3); a trailing dot is not sent. */
static void test_server_name_forms(void **state) {
    pl_tp_fixture *f = *state;
    padlock_conn_free(f->conn);
    PL_ASSERT_OK(padlock_conn_new(f->cfg, &f->conn));
    PL_ASSERT_OK(padlock_conn_set_server_name(f->conn, "192.0.2.1"));
    pl_tp_client_hello(&f->p, f->conn);
    assert_false(pl_exts_has(&f->p.hello.exts, PL_EXT_SERVER_NAME));
    padlock_conn_free(f->conn);
    PL_ASSERT_OK(padlock_conn_new(f->cfg, &f->conn));
    PL_ASSERT_OK(padlock_conn_set_server_name(f->conn, "test.example."));
    f->p.ch_len = 0;
    pl_tp_client_hello(&f->p, f->conn);
    assert_int_equal(pl_cur_left(&f->p.hello.exts.server_name), 12);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, pl_tp_fixture_teardown)

int main(void) {
    static const struct CMUnitTest others[] = {
        T(test_client_hello_contents),
        T(test_hello_retry_request),
        T(test_cookie_only_hello_retry_keeps_the_share),
        T(test_hello_retry_cookie_too_long),
        cmocka_unit_test_setup_teardown(test_client_hello_tls13_only, setup13,
                                        pl_tp_fixture_teardown),
        T(test_data_after_server_hello_in_its_record),
        T(test_verifying_client_needs_a_name),
        T(test_server_name_forms),
    };
    enum { N_REFUSALS = sizeof(refusals) / sizeof(refusals[0]) };
    enum { N_OTHERS = sizeof(others) / sizeof(others[0]) };
    struct CMUnitTest tests[N_REFUSALS + N_OTHERS];
    for (size_t i = 0; i < N_REFUSALS; i++) {
        tests[i] = (struct CMUnitTest){refusals[i].name, test_refusal,
                                       refusals[i].tls13_only ? setup13 : setup,
                                       pl_tp_fixture_teardown, (void *)&refusals[i]};
    }
    memcpy(tests + N_REFUSALS, others, sizeof(others));
    return _cmocka_run_group_tests("test_client13_hello", tests, N_REFUSALS + N_OTHERS, NULL, NULL);
}
