/* The TLS 1.3 client up to its handshake keys, against crafted server hellos: the ClientHello's
 * contents, a HelloRetryRequest honoured (new share, cookie echoed, same random, compatibility
 * CCS), refused twice, refused when it changes nothing or names a group not offered or already
 * shared; ServerHello with an unoffered suite, version or group, a wrong session id echo, a TLS
 * 1.2 choice (protocol_version from a client offering TLS 1.3 only; illegal_parameter with the
 * downgrade sentinel, from any client, and after a HelloRetryRequest), the ClientHello offering
 * TLS 1.2 by default and nothing of it when limited to TLS 1.3, a missing key
 * share, an unsolicited extension; handshake data after the ServerHello in its record (§5.1);
 * and a verifying client without a server name. Each refusal carries its alert and a detail. */
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

/* Sends a ServerHello (after fields were adjusted by the test) and delivers it. */
static void send_sh(pl_tp_fixture *f, const pl_server_hello *sh, const uint16_t *ids, size_t num,
                    padlock_err want) {
    pl_tp_send_hs(&f->p, f->msg, pl_tp_build_sh(sh, ids, num, f->msg, sizeof(f->msg)));
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
static void send_hrr(pl_tp_fixture *f, uint16_t group, int cookie, padlock_err want) {
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
    send_sh(f, &hrr, ids, num, want);
}

/* RFC 8446 §4.1.4: the version a HelloRetryRequest selected stays; TLS 1.2 after it is
 * illegal_parameter. */
static void test_tls12_after_hello_retry_request(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    send_hrr(f, 0x0018, 0, PADLOCK_OK);
    pl_tp_client_hello(&f->p, f->conn);
    pl_server_hello sh;
    uint16_t ids[4];
    size_t num;
    pl_tp_server_hello_fields(&f->p, 0xc02f, 0, &sh, ids, &num);
    pl_cur_init(&sh.exts.renegotiation_info, NULL, 0);
    ids[0] = PL_EXT_RENEGOTIATION_INFO;
    ids[1] = PL_EXT_EXTENDED_MASTER_SECRET;
    send_sh(f, &sh, ids, 2, PADLOCK_E_ILLEGAL_PARAMETER);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_ILLEGAL_PARAMETER, 47,
                         "after a HelloRetryRequest that selected TLS 1.3");
}

static void test_second_hello_retry_request(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    send_hrr(f, 0x0018, 0, PADLOCK_OK);
    pl_tp_client_hello(&f->p, f->conn);
    /* RFC 8446 §4.1.4: a second HelloRetryRequest is unexpected_message. */
    send_hrr(f, 0x0017, 0, PADLOCK_E_UNEXPECTED_MESSAGE);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_UNEXPECTED_MESSAGE, 10,
                         "unexpected HelloRetryRequest in state WAIT_SH_RETRY");
}

static void test_hello_retry_request_changing_nothing(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    send_hrr(f, 0, 0, PADLOCK_E_ILLEGAL_PARAMETER);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_ILLEGAL_PARAMETER, 47, "would not change");
}

static void test_hello_retry_request_group_not_offered(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    send_hrr(f, 0x0019, 1, PADLOCK_E_ILLEGAL_PARAMETER); /* secp521r1 */
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_ILLEGAL_PARAMETER, 47,
                         "group 0x0019, which was not offered");
}

static void test_hello_retry_request_group_already_shared(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    send_hrr(f, 0x001d, 0, PADLOCK_E_ILLEGAL_PARAMETER);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_ILLEGAL_PARAMETER, 47, "already sent");
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

/* ServerHello refusals: each field the client checks against its own ClientHello. */
static void test_server_hello_unoffered_suite(void **state) {
    pl_tp_fixture *f = *state;
    padlock_conn_free(f->conn);
    padlock_config_free(f->cfg);
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &f->cfg));
    PL_ASSERT_OK(padlock_config_insecure_disable_verification(f->cfg));
    static const uint16_t only[] = {PADLOCK_TLS_AES_128_GCM_SHA256};
    PL_ASSERT_OK(padlock_config_set_cipher_suites(f->cfg, only, 1));
    PL_ASSERT_OK(padlock_conn_new(f->cfg, &f->conn));
    pl_tp_client_hello(&f->p, f->conn);
    pl_server_hello sh;
    uint16_t ids[4];
    size_t num;
    pl_tp_server_hello_fields(&f->p, 0x1302, 0, &sh, ids, &num);
    send_sh(f, &sh, ids, num, PADLOCK_E_ILLEGAL_PARAMETER);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_ILLEGAL_PARAMETER, 47,
                         "cipher suite 0x1302 was not offered");
}

static void test_server_hello_unoffered_version(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    pl_server_hello sh;
    uint16_t ids[4];
    size_t num;
    pl_tp_server_hello_fields(&f->p, 0, 0, &sh, ids, &num);
    sh.exts.selected_version = 0x0305;
    send_sh(f, &sh, ids, num, PADLOCK_E_ILLEGAL_PARAMETER);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_ILLEGAL_PARAMETER, 47,
                         "selects 0x0305, which was not offered");
}

static void test_server_hello_unoffered_group(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    pl_server_hello sh;
    uint16_t ids[4];
    size_t num;
    pl_tp_server_hello_fields(&f->p, 0, 0x0017, &sh, ids, &num); /* P-256: no share for it */
    send_sh(f, &sh, ids, num, PADLOCK_E_ILLEGAL_PARAMETER);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_ILLEGAL_PARAMETER, 47,
                         "key share for group 0x0017");
}

static void test_server_hello_session_id_mismatch(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    pl_server_hello sh;
    uint16_t ids[4];
    size_t num;
    pl_tp_server_hello_fields(&f->p, 0, 0, &sh, ids, &num);
    uint8_t other[32];
    memcpy(other, sh.session_id.p, 32);
    other[31] ^= 1;
    pl_cur_init(&sh.session_id, other, 32);
    send_sh(f, &sh, ids, num, PADLOCK_E_ILLEGAL_PARAMETER);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_ILLEGAL_PARAMETER, 47,
                         "legacy_session_id_echo does not match");
}

static void test_server_hello_missing_key_share(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    pl_server_hello sh;
    uint16_t ids[4];
    size_t num;
    pl_tp_server_hello_fields(&f->p, 0, 0, &sh, ids, &num);
    send_sh(f, &sh, ids, 1, PADLOCK_E_MISSING_EXTENSION);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_MISSING_EXTENSION, 109, "no key_share");
}

/* RFC 8446 §4.2: an extension the client did not offer (status_request, 5) is refused with
 * unsupported_extension. The builder would not write it, so the message is written here. */
static void test_server_hello_unsolicited_extension(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    pl_server_hello sh;
    uint16_t ids[4];
    size_t num;
    pl_tp_server_hello_fields(&f->p, 0, 0, &sh, ids, &num);
    pl_buf b;
    pl_buf_vec msg, block, data;
    pl_buf_init(&b, f->msg, sizeof(f->msg));
    PL_ASSERT_OK(pl_msg_begin(&b, PL_HS_SERVER_HELLO, &msg));
    PL_ASSERT_OK(pl_buf_u16(&b, 0x0303));
    PL_ASSERT_OK(pl_buf_bytes(&b, sh.random, 32));
    PL_ASSERT_OK(pl_buf_vec8_bytes(&b, sh.session_id.p, sh.session_id.len));
    PL_ASSERT_OK(pl_buf_u16(&b, sh.cipher_suite));
    PL_ASSERT_OK(pl_buf_u8(&b, 0));
    PL_ASSERT_OK(pl_buf_vec_open(&b, 2, &block));
    PL_ASSERT_OK(pl_buf_u16(&b, PL_EXT_SUPPORTED_VERSIONS));
    PL_ASSERT_OK(pl_buf_vec_open(&b, 2, &data));
    PL_ASSERT_OK(pl_buf_u16(&b, 0x0304));
    PL_ASSERT_OK(pl_buf_vec_close(&b, &data));
    PL_ASSERT_OK(pl_buf_u16(&b, PL_EXT_KEY_SHARE));
    PL_ASSERT_OK(pl_buf_vec_open(&b, 2, &data));
    PL_ASSERT_OK(pl_ext_key_share_entry_write(&b, sh.exts.key_share_group, sh.exts.key_exchange.p,
                                              sh.exts.key_exchange.len));
    PL_ASSERT_OK(pl_buf_vec_close(&b, &data));
    PL_ASSERT_OK(pl_buf_u16(&b, 5));
    PL_ASSERT_OK(pl_buf_u16(&b, 0));
    PL_ASSERT_OK(pl_buf_vec_close(&b, &block));
    PL_ASSERT_OK(pl_msg_end(&b, &msg));
    pl_tp_send_hs(&f->p, f->msg, b.len);
    pl_tp_deliver(&f->p, f->conn, PADLOCK_E_UNSUPPORTED_EXTENSION);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_UNSUPPORTED_EXTENSION, 110,
                         "extension 5 was not offered");
}

/* A TLS 1.2 ServerHello (no supported_versions), even with TLS 1.2 extensions padlock never
 * offered: protocol_version; with the downgrade sentinel: illegal_parameter. */
static void tls12_server_hello(pl_tp_fixture *f, int sentinel) {
    pl_tp_client_hello(&f->p, f->conn);
    pl_server_hello sh;
    uint16_t ids[4];
    size_t num;
    pl_tp_server_hello_fields(&f->p, 0xc02f, 0, &sh, ids, &num);
    uint8_t random[32];
    memcpy(random, sh.random, 32);
    if (sentinel) {
        pl_server_hello_set_downgrade(random, PL_DOWNGRADE_TLS12);
    }
    sh.random = random;
    pl_cur_init(&sh.exts.renegotiation_info, NULL, 0);
    ids[0] = PL_EXT_RENEGOTIATION_INFO;
    send_sh(f, &sh, ids, 1, sentinel ? PADLOCK_E_ILLEGAL_PARAMETER : PADLOCK_E_PROTOCOL_VERSION);
}

static void test_server_hello_tls12(void **state) {
    pl_tp_fixture *f = *state;
    tls12_server_hello(f, 0);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_PROTOCOL_VERSION, 70,
                         "selected protocol version 0x0303");
}

static void test_server_hello_downgrade_sentinel(void **state) {
    pl_tp_fixture *f = *state;
    tls12_server_hello(f, 1);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_ILLEGAL_PARAMETER, 47, "downgrade sentinel");
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

static void test_plaintext_message_before_server_hello(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    static const uint8_t ee[] = {PL_HS_ENCRYPTED_EXTENSIONS, 0, 0, 2, 0, 0};
    pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, ee, sizeof(ee));
    pl_tp_deliver(&f->p, f->conn, PADLOCK_E_UNEXPECTED_MESSAGE);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_UNEXPECTED_MESSAGE, 10,
                         "unexpected EncryptedExtensions in state WAIT_SH (expecting ServerHello "
                         "or HelloRetryRequest)");
}

static void test_unknown_message_type(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    static const uint8_t odd[] = {99, 0, 0, 0};
    pl_tp_send(&f->p, PL_CONTENT_HANDSHAKE, odd, sizeof(odd));
    pl_tp_deliver(&f->p, f->conn, PADLOCK_E_UNEXPECTED_MESSAGE);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_UNEXPECTED_MESSAGE, 10,
                         "unknown handshake message type 99 in state WAIT_SH");
}

/* A fatal alert from the server: named in the message, not answered. */
static void test_peer_alert(void **state) {
    pl_tp_fixture *f = *state;
    pl_tp_client_hello(&f->p, f->conn);
    static const uint8_t alert[] = {2, 40};
    pl_tp_send(&f->p, PL_CONTENT_ALERT, alert, 2);
    pl_tp_deliver(&f->p, f->conn, PADLOCK_E_PEER_ALERT);
    pl_tp_expect_failure(&f->p, f->conn, PADLOCK_E_PEER_ALERT, -1,
                         "peer sent fatal alert handshake_failure during the handshake, in "
                         "state WAIT_SH");
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
    const struct CMUnitTest tests[] = {
        T(test_client_hello_contents),
        T(test_hello_retry_request),
        T(test_second_hello_retry_request),
        T(test_hello_retry_request_changing_nothing),
        T(test_hello_retry_request_group_not_offered),
        T(test_hello_retry_request_group_already_shared),
        T(test_cookie_only_hello_retry_keeps_the_share),
        T(test_server_hello_unoffered_suite),
        T(test_server_hello_unoffered_version),
        T(test_server_hello_unoffered_group),
        T(test_server_hello_session_id_mismatch),
        T(test_server_hello_missing_key_share),
        T(test_server_hello_unsolicited_extension),
        cmocka_unit_test_setup_teardown(test_client_hello_tls13_only, setup13,
                                        pl_tp_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_server_hello_tls12, setup13, pl_tp_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_server_hello_downgrade_sentinel, setup13,
                                        pl_tp_fixture_teardown),
        T(test_server_hello_downgrade_sentinel),
        T(test_tls12_after_hello_retry_request),
        T(test_data_after_server_hello_in_its_record),
        T(test_plaintext_message_before_server_hello),
        T(test_unknown_message_type),
        T(test_peer_alert),
        T(test_verifying_client_needs_a_name),
        T(test_server_name_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
