/* The handshake messages of RFC 8448, read out of the RFC text at run time: every message of
 * every trace parses and rebuilds byte for byte; the §3 messages' fields are what the trace
 * says; the §3 ClientHello and ServerHello are built from their field values; the §4 PSK
 * binders sit where pl_client_hello_binders_len says (the binder hash proves it); the §5
 * HelloRetryRequest and the §6 CertificateRequest decode as the trace describes. */
#include <stdlib.h>
#include <string.h>

#include "msg/msg.h"
#include "rfc8448_profile.h"
#include "rfc_text.h"
#include "testlib.h"

/* The nth value labelled label in the section; the test fails if there is none. */
static uint8_t *rfc(const char *section, const char *label, int nth, size_t *len) {
    uint8_t *p = pl_rfc8448_value(pl_rfc8448_text, section, NULL, nth, label, len);
    if (p == NULL) {
        fail_msg("RFC 8448 §%s: no \"%s\" #%d dump", section, label, nth);
    }
    return p;
}

/* Splits a whole handshake message into its type and body; the message must be complete. */
static pl_cur split(const uint8_t *msg, size_t len, uint8_t want_type) {
    pl_cur c, body;
    uint8_t type;
    pl_cur_init(&c, msg, len);
    PL_ASSERT_OK(pl_msg_read(&c, &type, &body));
    PL_ASSERT_OK(pl_cur_done(&c));
    assert_int_equal(type, want_type);
    return body;
}

static void ok(padlock_err rc, pl_errinfo *err) {
    if (rc != PADLOCK_OK) {
        fail_msg("%s", pl_errinfo_message(err));
    }
}

/* Asserts that a u16 list holds exactly want[0..n). */
static void expect_u16s(pl_cur list, const uint16_t *want, size_t n) {
    uint16_t v;
    for (size_t i = 0; i < n; i++) {
        assert_true(pl_ext_u16_next(&list, &v));
        assert_int_equal(v, want[i]);
    }
    assert_false(pl_ext_u16_next(&list, &v));
}

static void expect_ids(const pl_exts *e, const uint16_t *want, size_t n) {
    uint16_t ids[32];
    size_t got;
    PL_ASSERT_OK(pl_exts_ids(e, ids, 32, &got));
    assert_int_equal(got, n);
    assert_memory_equal(ids, want, n * sizeof(uint16_t));
}

/* ---- Every message of every trace --------------------------------------------------------------
 */

/* padded: the message carries padding (RFC 7685), which padlock ignores and cannot build. */
static const struct {
    const char *section;
    const char *label;
    int nth;
    int padded;
} g_messages[] = {
    {"3", "ClientHello", 0, 0},
    {"3", "ServerHello", 0, 0},
    {"3", "EncryptedExtensions", 0, 0},
    {"3", "Certificate", 0, 0},
    {"3", "CertificateVerify", 0, 0},
    {"3", "Finished", 0, 0},
    {"3", "Finished", 1, 0},
    {"3", "NewSessionTicket", 0, 0},
    /* §4 prints the partial ClientHello under its name; the record payload is the whole one. */
    {"4", "payload", 0, 1},
    {"4", "ServerHello", 0, 0},
    {"4", "EncryptedExtensions", 0, 0},
    {"4", "Finished", 0, 0},
    {"4", "EndOfEarlyData", 0, 0},
    {"4", "Finished", 1, 0},
    {"5", "ClientHello", 0, 0},
    {"5", "ServerHello", 0, 0}, /* the HelloRetryRequest */
    {"5", "ClientHello", 1, 1},
    {"5", "ServerHello", 1, 0},
    {"5", "EncryptedExtensions", 0, 0},
    {"5", "Certificate", 0, 0},
    {"5", "CertificateVerify", 0, 0},
    {"5", "Finished", 0, 0},
    {"5", "Finished", 1, 0},
    {"6", "ClientHello", 0, 0},
    {"6", "ServerHello", 0, 0},
    {"6", "EncryptedExtensions", 0, 0},
    {"6", "CertificateRequest", 0, 0},
    {"6", "Certificate", 0, 0},
    {"6", "CertificateVerify", 0, 0},
    {"6", "Finished", 0, 0},
    {"6", "Certificate", 1, 0},
    {"6", "CertificateVerify", 1, 0},
    {"6", "Finished", 1, 0},
    {"7", "ClientHello", 0, 0},
    {"7", "ServerHello", 0, 0},
    {"7", "EncryptedExtensions", 0, 0},
    {"7", "Certificate", 0, 0},
    {"7", "CertificateVerify", 0, 0},
    {"7", "Finished", 0, 0},
    {"7", "Finished", 1, 0},
};

/* 1 if every extension of e is one padlock can build (so the message can be rebuilt). */
static int all_known(const pl_exts *e) {
    uint16_t ids[32];
    size_t n;
    PL_ASSERT_OK(pl_exts_ids(e, ids, 32, &n));
    for (size_t i = 0; i < n; i++) {
        if (pl_ext_bit(ids[i]) == 0) {
            return 0;
        }
    }
    return 1;
}

static size_t ids_of(const pl_exts *e, uint16_t *ids) {
    size_t n;
    PL_ASSERT_OK(pl_exts_ids(e, ids, 32, &n));
    return n;
}

/* Parses one whole message as a client or server would (offered: what the section's
 * ClientHellos offered) and rebuilds it into out; returns the rebuilt length, or 0 when the
 * message carries an extension padlock cannot build. */
static size_t parse_and_rebuild(const uint8_t *msg, size_t len, uint32_t *offered, uint8_t *out,
                                size_t cap) {
    pl_cur c, body;
    uint8_t type;
    pl_cur_init(&c, msg, len);
    PL_ASSERT_OK(pl_msg_read(&c, &type, &body));
    PL_ASSERT_OK(pl_cur_done(&c));
    pl_errinfo err;
    pl_errinfo_init(&err);
    pl_buf b;
    pl_buf_init(&b, out, cap);
    uint16_t ids[32];
    int rebuilt = 1;
    switch (type) {
    case PL_HS_CLIENT_HELLO: {
        pl_client_hello ch;
        ok(pl_client_hello_parse(&ch, body.p, body.len, &err), &err);
        size_t n = ids_of(&ch.exts, ids);
        *offered |= pl_ext_mask(ids, n);
        rebuilt = all_known(&ch.exts);
        if (rebuilt) {
            PL_ASSERT_OK(pl_client_hello_build(&b, &ch, ids, n));
        }
        break;
    }
    case PL_HS_SERVER_HELLO: {
        pl_server_hello sh;
        ok(pl_server_hello_parse(&sh, body.p, body.len, *offered, &err), &err);
        PL_ASSERT_OK(pl_server_hello_build(&b, &sh, ids, ids_of(&sh.exts, ids)));
        break;
    }
    case PL_HS_ENCRYPTED_EXTENSIONS: {
        pl_exts ee;
        ok(pl_encrypted_extensions_parse(&ee, body.p, body.len, *offered, &err), &err);
        PL_ASSERT_OK(pl_encrypted_extensions_build(&b, &ee, ids, ids_of(&ee, ids)));
        break;
    }
    case PL_HS_CERTIFICATE_REQUEST: {
        pl_certificate_request cr;
        ok(pl_certificate_request_parse(&cr, body.p, body.len, &err), &err);
        PL_ASSERT_OK(pl_certificate_request_build(&b, &cr, ids, ids_of(&cr.exts, ids)));
        break;
    }
    case PL_HS_CERTIFICATE: {
        pl_certificate cert;
        ok(pl_certificate_parse(&cert, body.p, body.len, *offered, &err), &err);
        assert_int_equal(cert.num_entries, 1);
        PL_ASSERT_OK(pl_certificate_build(&b, &cert));
        break;
    }
    case PL_HS_CERTIFICATE_VERIFY: {
        pl_certificate_verify cv;
        ok(pl_certificate_verify_parse(&cv, body.p, body.len, &err), &err);
        PL_ASSERT_OK(pl_certificate_verify_build(&b, &cv));
        break;
    }
    case PL_HS_FINISHED: {
        const uint8_t *vd;
        ok(pl_finished_parse(&vd, body.p, body.len, 32, &err), &err); /* SHA-256 suites */
        PL_ASSERT_OK(pl_finished_build(&b, vd, 32));
        break;
    }
    case PL_HS_NEW_SESSION_TICKET: {
        pl_new_session_ticket t;
        ok(pl_new_session_ticket_parse(&t, body.p, body.len, &err), &err);
        PL_ASSERT_OK(pl_new_session_ticket_build(&b, &t, ids, ids_of(&t.exts, ids)));
        break;
    }
    case PL_HS_END_OF_EARLY_DATA: {
        /* RFC 8446 §4.5: struct {} EndOfEarlyData. */
        PL_ASSERT_OK(pl_cur_done(&body));
        pl_buf_vec v;
        PL_ASSERT_OK(pl_msg_begin(&b, PL_HS_END_OF_EARLY_DATA, &v));
        PL_ASSERT_OK(pl_msg_end(&b, &v));
        break;
    }
    default: fail_msg("unexpected handshake type %u", type);
    }
    pl_errinfo_cleanup(&err);
    return rebuilt ? b.len : 0;
}

static void test_every_message_parses_and_rebuilds(void **state) {
    (void)state;
    uint32_t offered = 0;
    const char *section = "";
    for (size_t i = 0; i < sizeof(g_messages) / sizeof(g_messages[0]); i++) {
        if (strcmp(section, g_messages[i].section) != 0) {
            section = g_messages[i].section;
            offered = 0;
        }
        size_t len;
        uint8_t *msg = rfc(section, g_messages[i].label, g_messages[i].nth, &len);
        uint8_t out[2048];
        size_t out_len = parse_and_rebuild(msg, len, &offered, out, sizeof(out));
        if ((out_len == 0) != g_messages[i].padded) {
            fail_msg("§%s %s #%d: padding expected %d", section, g_messages[i].label,
                     g_messages[i].nth, g_messages[i].padded);
        }
        if (out_len != 0 && (out_len != len || memcmp(out, msg, len) != 0)) {
            fail_msg("§%s %s #%d does not rebuild byte for byte", section, g_messages[i].label,
                     g_messages[i].nth);
        }
        free(msg);
    }
}

/* ---- §3, field by field ------------------------------------------------------------------------
 */

/* The §3 ClientHello's groups, signature schemes and extension order: the RFC 8448 client
 * profile's, which these tests thereby check against the trace. */
static const pl_client_profile *const g_hello = &pl_test_rfc8448_profile;
static const uint16_t g_sh_order[] = {PL_EXT_KEY_SHARE, PL_EXT_SUPPORTED_VERSIONS};

static void test_s3_client_hello_fields(void **state) {
    (void)state;
    size_t len, pub_len;
    uint8_t *msg = rfc("3", "ClientHello", 0, &len);
    uint8_t *client_pub = rfc("3", "public key", 0, &pub_len); /* {client} x25519 key pair */
    pl_cur body = split(msg, len, PL_HS_CLIENT_HELLO);
    pl_client_hello ch;
    pl_errinfo err;
    pl_errinfo_init(&err);
    ok(pl_client_hello_parse(&ch, body.p, body.len, &err), &err);
    assert_int_equal(ch.legacy_version, 0x0303);
    assert_int_equal(pl_cur_left(&ch.session_id), 0);
    expect_u16s(ch.cipher_suites, (const uint16_t[]){0x1301, 0x1303, 0x1302}, 3);
    assert_int_equal(pl_cur_left(&ch.compression_methods), 1);
    assert_int_equal(ch.compression_methods.p[0], 0);
    expect_ids(&ch.exts, g_hello->ext_order, g_hello->num_ext);
    assert_int_equal(pl_cur_left(&ch.exts.server_name), 6);
    assert_memory_equal(ch.exts.server_name.p, "server", 6);
    assert_int_equal(pl_cur_left(&ch.exts.renegotiation_info), 0);
    expect_u16s(ch.exts.supported_groups, g_hello->groups, 9);
    assert_int_equal(pl_cur_left(&ch.exts.session_ticket), 0);
    pl_cur it = ch.exts.key_shares, kx;
    uint16_t group;
    assert_true(pl_ext_key_share_next(&it, &group, &kx));
    assert_int_equal(group, 0x001d);
    assert_int_equal(pl_cur_left(&kx), pub_len);
    assert_memory_equal(kx.p, client_pub, pub_len);
    assert_false(pl_ext_key_share_next(&it, &group, &kx));
    expect_u16s(ch.exts.versions, (const uint16_t[]){0x0304}, 1);
    expect_u16s(ch.exts.sig_algs, g_hello->sig_algs, 15);
    assert_int_equal(pl_cur_left(&ch.exts.psk_modes), 1);
    assert_true(pl_ext_u8_contains(ch.exts.psk_modes, PL_PSK_DHE_KE));
    assert_int_equal(ch.exts.record_size_limit, 0x4001);
    assert_int_equal(pl_client_hello_binders_len(&ch), 0);
    pl_errinfo_cleanup(&err);
    free(client_pub);
    free(msg);
}

static void test_s3_build_client_hello(void **state) {
    (void)state;
    size_t len, pub_len, random_len;
    uint8_t *want = rfc("3", "ClientHello", 0, &len);
    uint8_t *client_pub = rfc("3", "public key", 0, &pub_len);
    /* The random is a field value of this hello; the RFC prints it only inside the message. */
    uint8_t *random = pl_test_unhex(
        "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7", &random_len);
    uint8_t groups[32], sigalgs[64], shares[64];
    const uint8_t suites[] = {0x13, 0x01, 0x13, 0x03, 0x13, 0x02};
    const uint8_t null_compression[] = {0};
    const uint8_t versions[] = {0x03, 0x04};
    const uint8_t modes[] = {PL_PSK_DHE_KE};
    pl_buf b;
    pl_client_hello ch;
    memset(&ch, 0, sizeof(ch));
    ch.legacy_version = 0x0303;
    ch.random = random;
    pl_cur_init(&ch.cipher_suites, suites, sizeof(suites));
    pl_cur_init(&ch.compression_methods, null_compression, 1);
    ch.has_extensions = 1;
    pl_cur_init(&ch.exts.server_name, (const uint8_t *)"server", 6);
    pl_buf_init(&b, groups, sizeof(groups));
    PL_ASSERT_OK(pl_ext_u16_list_write(&b, g_hello->groups, 9));
    pl_cur_init(&ch.exts.supported_groups, groups, b.len);
    pl_buf_init(&b, shares, sizeof(shares));
    PL_ASSERT_OK(pl_ext_key_share_entry_write(&b, 0x001d, client_pub, pub_len));
    pl_cur_init(&ch.exts.key_shares, shares, b.len);
    pl_cur_init(&ch.exts.versions, versions, sizeof(versions));
    pl_buf_init(&b, sigalgs, sizeof(sigalgs));
    PL_ASSERT_OK(pl_ext_u16_list_write(&b, g_hello->sig_algs, 15));
    pl_cur_init(&ch.exts.sig_algs, sigalgs, b.len);
    pl_cur_init(&ch.exts.psk_modes, modes, sizeof(modes));
    ch.exts.record_size_limit = 0x4001;
    uint8_t out[512];
    pl_buf_init(&b, out, sizeof(out));
    PL_ASSERT_OK(pl_client_hello_build(&b, &ch, g_hello->ext_order, g_hello->num_ext));
    assert_int_equal(b.len, len);
    assert_memory_equal(out, want, len);
    free(random);
    free(client_pub);
    free(want);
}

static void test_s3_server_hello(void **state) {
    (void)state;
    size_t len, pub_len, random_len;
    uint8_t *want = rfc("3", "ServerHello", 0, &len);
    uint8_t *server_pub = rfc("3", "public key", 1, &pub_len); /* {server} x25519 key pair */
    uint8_t *random = pl_test_unhex(
        "a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928", &random_len);
    /* Parse: the client offered what its ClientHello carried. */
    pl_cur body = split(want, len, PL_HS_SERVER_HELLO);
    pl_server_hello sh;
    pl_errinfo err;
    pl_errinfo_init(&err);
    ok(pl_server_hello_parse(&sh, body.p, body.len,
                             pl_ext_mask(g_hello->ext_order, g_hello->num_ext), &err),
       &err);
    assert_int_equal(sh.kind, PL_EXT_IN_SH);
    assert_int_equal(sh.legacy_version, 0x0303);
    assert_memory_equal(sh.random, random, PL_RANDOM_LEN);
    assert_int_equal(pl_server_hello_downgrade(sh.random), PL_DOWNGRADE_NONE);
    assert_int_equal(pl_cur_left(&sh.session_id), 0);
    assert_int_equal(sh.cipher_suite, 0x1301);
    expect_ids(&sh.exts, g_sh_order, 2);
    assert_int_equal(sh.exts.key_share_group, 0x001d);
    assert_int_equal(pl_cur_left(&sh.exts.key_exchange), pub_len);
    assert_memory_equal(sh.exts.key_exchange.p, server_pub, pub_len);
    assert_int_equal(sh.exts.selected_version, 0x0304);
    /* Build from the field values. */
    pl_server_hello in;
    memset(&in, 0, sizeof(in));
    in.legacy_version = 0x0303;
    in.random = random;
    in.cipher_suite = 0x1301;
    in.has_extensions = 1;
    in.exts.key_share_group = 0x001d;
    pl_cur_init(&in.exts.key_exchange, server_pub, pub_len);
    in.exts.selected_version = 0x0304;
    uint8_t out[256];
    pl_buf b;
    pl_buf_init(&b, out, sizeof(out));
    PL_ASSERT_OK(pl_server_hello_build(&b, &in, g_sh_order, 2));
    assert_int_equal(b.len, len);
    assert_memory_equal(out, want, len);
    pl_errinfo_cleanup(&err);
    free(random);
    free(server_pub);
    free(want);
}

static void test_s3_server_flight(void **state) {
    (void)state;
    pl_errinfo err;
    pl_errinfo_init(&err);
    uint32_t offered = pl_ext_mask(g_hello->ext_order, g_hello->num_ext);
    size_t len;
    /* EncryptedExtensions: supported_groups, record_size_limit, the server_name ack. */
    uint8_t *ee_msg = rfc("3", "EncryptedExtensions", 0, &len);
    pl_cur body = split(ee_msg, len, PL_HS_ENCRYPTED_EXTENSIONS);
    pl_exts ee;
    ok(pl_encrypted_extensions_parse(&ee, body.p, body.len, offered, &err), &err);
    expect_ids(
        &ee,
        (const uint16_t[]){PL_EXT_SUPPORTED_GROUPS, PL_EXT_RECORD_SIZE_LIMIT, PL_EXT_SERVER_NAME},
        3);
    expect_u16s(ee.supported_groups, g_hello->groups, 9);
    assert_int_equal(ee.record_size_limit, 0x4001);
    assert_int_equal(pl_cur_left(&ee.server_name), 0);
    /* The server answered server_name, which a client that sent no SNI would refuse. */
    pl_exts refused;
    assert_int_equal(pl_encrypted_extensions_parse(&refused, body.p, body.len,
                                                   offered & ~pl_ext_bit(PL_EXT_SERVER_NAME), &err),
                     PADLOCK_E_UNSUPPORTED_EXTENSION);
    pl_errinfo_cleanup(&err);

    /* Certificate: empty context, one RSA certificate of 432 bytes without extensions. */
    uint8_t *cert_msg = rfc("3", "Certificate", 0, &len);
    body = split(cert_msg, len, PL_HS_CERTIFICATE);
    pl_certificate cert;
    ok(pl_certificate_parse(&cert, body.p, body.len, offered, &err), &err);
    assert_int_equal(pl_cur_left(&cert.context), 0);
    assert_int_equal(cert.num_entries, 1);
    pl_cur it = cert.entries;
    pl_cert_entry entry;
    assert_true(pl_certificate_next(&cert, &it, &entry));
    assert_int_equal(pl_cur_left(&entry.cert_data), 0x1b0);
    assert_memory_equal(entry.cert_data.p, "\x30\x82\x01\xac", 4);
    assert_int_equal(pl_cur_left(&entry.extensions), 0);

    /* CertificateVerify: rsa_pss_rsae_sha256 and a 1024-bit signature. */
    uint8_t *cv_msg = rfc("3", "CertificateVerify", 0, &len);
    body = split(cv_msg, len, PL_HS_CERTIFICATE_VERIFY);
    pl_certificate_verify cv;
    ok(pl_certificate_verify_parse(&cv, body.p, body.len, &err), &err);
    assert_int_equal(cv.scheme, 0x0804);
    assert_int_equal(pl_cur_left(&cv.signature), 128);

    /* Finished from each side: verify_data is the "finished" value the trace computes. */
    for (int side = 0; side < 2; side++) {
        size_t vd_len;
        uint8_t *fin_msg = rfc("3", "Finished", side, &len);
        uint8_t *vd = rfc("3", "finished", side, &vd_len);
        body = split(fin_msg, len, PL_HS_FINISHED);
        ok(pl_finished_verify(body.p, body.len, vd, vd_len, &err), &err);
        vd[0] ^= 0x80;
        assert_int_equal(pl_finished_verify(body.p, body.len, vd, vd_len, &err),
                         PADLOCK_E_DECRYPT_ERROR);
        pl_errinfo_cleanup(&err);
        free(vd);
        free(fin_msg);
    }

    /* NewSessionTicket: 30 s, its age_add and nonce, a 178-byte ticket, 0-RTT up to 1024. */
    uint8_t *nst_msg = rfc("3", "NewSessionTicket", 0, &len);
    body = split(nst_msg, len, PL_HS_NEW_SESSION_TICKET);
    pl_new_session_ticket t;
    ok(pl_new_session_ticket_parse(&t, body.p, body.len, &err), &err);
    assert_int_equal(t.lifetime, 30);
    assert_true(t.age_add == 0xfad6aac5u);
    assert_int_equal(pl_cur_left(&t.nonce), 2);
    assert_memory_equal(t.nonce.p, "\x00\x00", 2);
    assert_int_equal(pl_cur_left(&t.ticket), 0xb2);
    expect_ids(&t.exts, (const uint16_t[]){PL_EXT_EARLY_DATA}, 1);
    assert_int_equal(t.exts.max_early_data_size, 0x400);
    pl_errinfo_cleanup(&err);
    free(nst_msg);
    free(cv_msg);
    free(cert_msg);
    free(ee_msg);
}

static void test_s3_server_flight_record(void **state) {
    (void)state;
    /* The server's encrypted flight as one record payload: four messages back to back. */
    size_t len;
    uint8_t *flight = rfc("3", "payload", 2, &len);
    const uint8_t want[] = {PL_HS_ENCRYPTED_EXTENSIONS, PL_HS_CERTIFICATE, PL_HS_CERTIFICATE_VERIFY,
                            PL_HS_FINISHED};
    pl_cur c, body;
    pl_cur_init(&c, flight, len);
    for (size_t i = 0; i < sizeof(want); i++) {
        uint8_t type;
        PL_ASSERT_OK(pl_msg_read(&c, &type, &body));
        assert_int_equal(type, want[i]);
    }
    PL_ASSERT_OK(pl_cur_done(&c));
    free(flight);
}

/* ---- §4: the PSK binders ------------------------------------------------------------------------
 */

static void test_s4_psk_binders(void **state) {
    (void)state;
    size_t len, prefix_len, hash_len, binder_len, ticket_len;
    uint8_t *msg = rfc("4", "payload", 0, &len);
    uint8_t *prefix = rfc("4", "ClientHello prefix", 0, &prefix_len);
    uint8_t *binder_hash = rfc("4", "binder hash", 0, &hash_len);
    uint8_t *binder = rfc("4", "finished", 0, &binder_len); /* the computed binder */
    uint8_t *nst = rfc("3", "NewSessionTicket", 0, &ticket_len);
    pl_cur body = split(msg, len, PL_HS_CLIENT_HELLO);
    pl_client_hello ch;
    pl_errinfo err;
    pl_errinfo_init(&err);
    ok(pl_client_hello_parse(&ch, body.p, body.len, &err), &err);
    /* padding (RFC 7685) is unknown to padlock and ignored; pre_shared_key is last. */
    expect_ids(&ch.exts,
               (const uint16_t[]){PL_EXT_SERVER_NAME, PL_EXT_RENEGOTIATION_INFO,
                                  PL_EXT_SUPPORTED_GROUPS, PL_EXT_KEY_SHARE, PL_EXT_EARLY_DATA,
                                  PL_EXT_SUPPORTED_VERSIONS, PL_EXT_SIGNATURE_ALGORITHMS,
                                  PL_EXT_PSK_KEY_EXCHANGE_MODES, PL_EXT_RECORD_SIZE_LIMIT, 21,
                                  PL_EXT_PRE_SHARED_KEY},
               11);
    assert_int_equal(ch.exts.psk_count, 1);
    /* The identity is the §3 ticket; its age is obfuscated with the §3 ticket_age_add. */
    pl_cur it = ch.exts.psk_identities, identity;
    uint32_t age;
    assert_true(pl_ext_psk_identity_next(&it, &identity, &age));
    assert_int_equal(pl_cur_left(&identity), 0xb2);
    assert_memory_equal(identity.p, nst + 4 + 4 + 4 + 1 + 2 + 2, 0xb2);
    assert_true(age == 0xfad6aacbu);
    /* Everything but the binders is the "ClientHello prefix" whose hash the binder covers
     * (RFC 8446 §4.2.11.2), and the binder is the value the trace computes. */
    size_t tail = pl_client_hello_binders_len(&ch);
    assert_int_equal(tail, 2 + 1 + 32);
    assert_int_equal(len - tail, prefix_len);
    assert_memory_equal(msg, prefix, prefix_len);
    uint8_t digest[32];
    pl_hash(&pl_hash_sha256, msg, len - tail, digest);
    assert_memory_equal(digest, binder_hash, hash_len);
    it = ch.exts.psk_binders;
    pl_cur b;
    assert_true(pl_ext_psk_binder_next(&it, &b));
    assert_int_equal(pl_cur_left(&b), binder_len);
    assert_memory_equal(b.p, binder, binder_len);
    /* Its ServerHello selects identity 0 and accepts early data in EncryptedExtensions. */
    uint16_t ids[32];
    uint32_t offered = pl_ext_mask(ids, ids_of(&ch.exts, ids));
    size_t sh_len, ee_len;
    uint8_t *sh_msg = rfc("4", "ServerHello", 0, &sh_len);
    uint8_t *ee_msg = rfc("4", "EncryptedExtensions", 0, &ee_len);
    body = split(sh_msg, sh_len, PL_HS_SERVER_HELLO);
    pl_server_hello sh;
    ok(pl_server_hello_parse(&sh, body.p, body.len, offered, &err), &err);
    assert_true(pl_exts_has(&sh.exts, PL_EXT_PRE_SHARED_KEY));
    assert_int_equal(sh.exts.psk_selected, 0);
    body = split(ee_msg, ee_len, PL_HS_ENCRYPTED_EXTENSIONS);
    pl_exts ee;
    ok(pl_encrypted_extensions_parse(&ee, body.p, body.len, offered, &err), &err);
    assert_true(pl_exts_has(&ee, PL_EXT_EARLY_DATA));
    pl_errinfo_cleanup(&err);
    free(ee_msg);
    free(sh_msg);
    free(nst);
    free(binder);
    free(binder_hash);
    free(prefix);
    free(msg);
}

/* ---- §5 HelloRetryRequest, §6 CertificateRequest, §7 compatibility mode -------------------------
 */

static void test_s5_hello_retry_request(void **state) {
    (void)state;
    size_t ch1_len, hrr_len, ch2_len;
    uint8_t *ch1_msg = rfc("5", "ClientHello", 0, &ch1_len);
    uint8_t *hrr_msg = rfc("5", "ServerHello", 0, &hrr_len);
    uint8_t *ch2_msg = rfc("5", "ClientHello", 1, &ch2_len);
    pl_errinfo err;
    pl_errinfo_init(&err);
    pl_client_hello ch1, ch2;
    pl_cur body = split(ch1_msg, ch1_len, PL_HS_CLIENT_HELLO);
    ok(pl_client_hello_parse(&ch1, body.p, body.len, &err), &err);
    uint16_t ids[32];
    uint32_t offered = pl_ext_mask(ids, ids_of(&ch1.exts, ids));
    assert_int_equal(offered & pl_ext_bit(PL_EXT_COOKIE), 0);
    /* The HRR: same format, the special random, a group and a cookie the client never asked
     * for (RFC 8446 §4.2 allows exactly that). */
    body = split(hrr_msg, hrr_len, PL_HS_SERVER_HELLO);
    pl_server_hello hrr;
    ok(pl_server_hello_parse(&hrr, body.p, body.len, offered, &err), &err);
    assert_int_equal(hrr.kind, PL_EXT_IN_HRR);
    assert_memory_equal(hrr.random, pl_hrr_random, PL_RANDOM_LEN);
    assert_int_equal(hrr.cipher_suite, 0x1301);
    expect_ids(&hrr.exts,
               (const uint16_t[]){PL_EXT_KEY_SHARE, PL_EXT_COOKIE, PL_EXT_SUPPORTED_VERSIONS}, 3);
    assert_int_equal(hrr.exts.key_share_group, 0x0017);
    assert_int_equal(pl_cur_left(&hrr.exts.cookie), 0x72);
    assert_int_equal(hrr.exts.selected_version, 0x0304);
    /* The second ClientHello echoes the cookie and offers a secp256r1 share. */
    body = split(ch2_msg, ch2_len, PL_HS_CLIENT_HELLO);
    ok(pl_client_hello_parse(&ch2, body.p, body.len, &err), &err);
    assert_int_equal(pl_cur_left(&ch2.exts.cookie), pl_cur_left(&hrr.exts.cookie));
    assert_memory_equal(ch2.exts.cookie.p, hrr.exts.cookie.p, pl_cur_left(&hrr.exts.cookie));
    pl_cur kx;
    assert_true(pl_ext_key_share_find(ch2.exts.key_shares, 0x0017, &kx));
    assert_int_equal(pl_cur_left(&kx), 65); /* uncompressed P-256 point */
    assert_int_equal(kx.p[0], 0x04);
    assert_false(pl_ext_key_share_find(ch2.exts.key_shares, 0x001d, &kx));
    pl_errinfo_cleanup(&err);
    free(ch2_msg);
    free(hrr_msg);
    free(ch1_msg);
}

static void test_s6_certificate_request(void **state) {
    (void)state;
    size_t len;
    uint8_t *msg = rfc("6", "CertificateRequest", 0, &len);
    pl_cur body = split(msg, len, PL_HS_CERTIFICATE_REQUEST);
    pl_certificate_request cr;
    pl_errinfo err;
    pl_errinfo_init(&err);
    ok(pl_certificate_request_parse(&cr, body.p, body.len, &err), &err);
    assert_int_equal(pl_cur_left(&cr.context), 0);
    expect_ids(&cr.exts, (const uint16_t[]){PL_EXT_SIGNATURE_ALGORITHMS}, 1);
    expect_u16s(cr.exts.sig_algs, g_hello->sig_algs, 15);
    /* The client answers with an RSA certificate and an RSA-PSS CertificateVerify. */
    size_t cert_len, cv_len;
    uint8_t *cert_msg = rfc("6", "Certificate", 1, &cert_len);
    uint8_t *cv_msg = rfc("6", "CertificateVerify", 1, &cv_len);
    body = split(cert_msg, cert_len, PL_HS_CERTIFICATE);
    pl_certificate cert;
    ok(pl_certificate_parse(&cert, body.p, body.len, 0, &err), &err);
    assert_int_equal(cert.num_entries, 1);
    body = split(cv_msg, cv_len, PL_HS_CERTIFICATE_VERIFY);
    pl_certificate_verify cv;
    ok(pl_certificate_verify_parse(&cv, body.p, body.len, &err), &err);
    assert_int_equal(cv.scheme, 0x0804);
    assert_true(pl_ext_u16_contains(cr.exts.sig_algs, cv.scheme));
    pl_errinfo_cleanup(&err);
    free(cv_msg);
    free(cert_msg);
    free(msg);
}

static void test_s7_compatibility_mode(void **state) {
    (void)state;
    size_t ch_len, sh_len;
    uint8_t *ch_msg = rfc("7", "ClientHello", 0, &ch_len);
    uint8_t *sh_msg = rfc("7", "ServerHello", 0, &sh_len);
    pl_errinfo err;
    pl_errinfo_init(&err);
    pl_client_hello ch;
    pl_cur body = split(ch_msg, ch_len, PL_HS_CLIENT_HELLO);
    ok(pl_client_hello_parse(&ch, body.p, body.len, &err), &err);
    /* RFC 8446 §D.4: a 32-byte legacy_session_id, echoed by the server. */
    assert_int_equal(pl_cur_left(&ch.session_id), 32);
    uint16_t ids[32];
    pl_server_hello sh;
    body = split(sh_msg, sh_len, PL_HS_SERVER_HELLO);
    ok(pl_server_hello_parse(&sh, body.p, body.len, pl_ext_mask(ids, ids_of(&ch.exts, ids)), &err),
       &err);
    assert_int_equal(pl_cur_left(&sh.session_id), 32);
    assert_memory_equal(sh.session_id.p, ch.session_id.p, 32);
    pl_errinfo_cleanup(&err);
    free(sh_msg);
    free(ch_msg);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_message_parses_and_rebuilds),
        cmocka_unit_test(test_s3_client_hello_fields),
        cmocka_unit_test(test_s3_build_client_hello),
        cmocka_unit_test(test_s3_server_hello),
        cmocka_unit_test(test_s3_server_flight),
        cmocka_unit_test(test_s3_server_flight_record),
        cmocka_unit_test(test_s4_psk_binders),
        cmocka_unit_test(test_s5_hello_retry_request),
        cmocka_unit_test(test_s6_certificate_request),
        cmocka_unit_test(test_s7_compatibility_mode),
    };
    return cmocka_run_group_tests(tests, pl_rfc8448_setup, pl_rfc8448_teardown);
}
