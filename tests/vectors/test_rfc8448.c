/* RFC 8448 traces, byte for byte, with every value read from the RFC's text at run time:
 * §3 (1-RTT): transcript hashes, every secret, key and IV, both Finished, the exporter and
 * resumption master secrets, the ticket PSK, and every record sealed and opened again;
 * §4 (resumed 0-RTT): PSK early secret, binder key and binder over the truncated ClientHello,
 * early traffic and its record, and the PSK + ECDHE schedule; §5: the transcript across a
 * HelloRetryRequest. */
#include <stdlib.h>
#include <string.h>

#include "hs/keysched13.h"
#include "hs/suite.h"
#include "hs/transcript.h"
#include "record/frag.h"
#include "record/record.h"
#include "rfc_text.h"
#include "testlib.h"
#include "util/mem.h"
#include "wire/cur.h"

/* Values handed out by rfc() are freed after each test. */
static uint8_t *owned[256];
static size_t num_owned;

typedef struct bytes {
    uint8_t *p;
    size_t len;
} bytes;

/* One value from the RFC text; the test fails if it cannot be read. */
static bytes rfc(const char *section, const char *step, int nth, const char *field) {
    bytes b;
    b.p = pl_rfc8448_value(pl_rfc8448_text, section, step, nth, field, &b.len);
    if (b.p == NULL) {
        fail_msg("RFC 8448 §%s: no \"%s\" in step #%d \"%s\"", section, field, nth, step);
    }
    assert_true(num_owned < sizeof(owned) / sizeof(owned[0]));
    owned[num_owned++] = b.p;
    return b;
}

/* Asserts that [p, len) equals the RFC value. */
#define ASSERT_RFC(got_, got_len_, sec_, step_, nth_, field_)                                      \
    do {                                                                                           \
        bytes want_ = rfc(sec_, step_, nth_, field_);                                              \
        assert_int_equal((got_len_), want_.len);                                                   \
        assert_memory_equal((got_), want_.p, want_.len);                                           \
    } while (0)

static int free_owned(void **state) {
    (void)state;
    for (size_t i = 0; i < num_owned; i++) {
        free(owned[i]);
    }
    num_owned = 0;
    return 0;
}

/* The cipher suite a ServerHello selects (RFC 8446 §4.1.3). */
static const pl_suite *server_hello_suite(bytes sh) {
    pl_cur c, body, sid;
    pl_cur_init(&c, sh.p, sh.len);
    uint8_t type;
    uint32_t len;
    uint16_t version, code;
    PL_ASSERT_OK(pl_cur_u8(&c, &type));
    assert_int_equal(type, 2);
    PL_ASSERT_OK(pl_cur_u24(&c, &len));
    PL_ASSERT_OK(pl_cur_sub(&c, len, &body));
    PL_ASSERT_OK(pl_cur_u16(&body, &version));
    PL_ASSERT_OK(pl_cur_skip(&body, 32));
    PL_ASSERT_OK(pl_cur_vec8(&body, 0, 32, &sid));
    PL_ASSERT_OK(pl_cur_u16(&body, &code));
    const pl_suite *suite = pl_suite_by_code(code);
    assert_non_null(suite);
    return suite;
}

/* The ticket_nonce of a NewSessionTicket (RFC 8446 §4.6.1). */
static bytes ticket_nonce(bytes nst) {
    pl_cur c, nonce;
    pl_cur_init(&c, nst.p, nst.len);
    PL_ASSERT_OK(pl_cur_skip(&c, 4 + 4 + 4)); /* header, ticket_lifetime, ticket_age_add */
    PL_ASSERT_OK(pl_cur_vec8(&c, 0, 255, &nonce));
    bytes b = {(uint8_t *)nonce.p, nonce.len};
    return b;
}

static void assert_secret(const pl_ks13_secret *s, const char *section, const char *step, int nth,
                          const char *field) {
    ASSERT_RFC(s->b, s->len, section, step, nth, field);
}

static void assert_digest(const pl_digest *d, const char *section, const char *step, int nth,
                          const char *field) {
    ASSERT_RFC(d->b, d->len, section, step, nth, field);
}

/* Derives record keys from a traffic secret, checks them against the RFC's "key expanded" and
 * "iv expanded", and installs them in dir. */
static void install_keys(pl_record_dir *dir, const pl_ks13_secret *traffic, const pl_aead_alg *aead,
                         const char *section, const char *step) {
    pl_record_keys keys;
    PL_ASSERT_OK(pl_ks13_traffic_keys(traffic, &keys, aead));
    ASSERT_RFC(keys.key, aead->key_len, section, step, 0, "key expanded");
    ASSERT_RFC(keys.iv, PL_AEAD_NONCE_LEN, section, step, 0, "iv expanded");
    PL_ASSERT_OK(pl_record_dir_set_keys(dir, &keys));
    /* set_keys took the keys over and wiped the caller's copy. */
    assert_true(pl_ct_is_zero(&keys, sizeof(keys)));
}

/* A handshake traffic secret's record keys and finished_key from one keying
 * (pl_ks13_handshake_keys), against the same values derived one by one; then the Finished fin
 * (header included) over th from that finished_key, the RFC's "calculate finished" step. */
static void check_handshake_keys(const pl_ks13_secret *traffic, const pl_aead_alg *aead,
                                 const pl_digest *th, const bytes *fin, const char *section,
                                 const char *step) {
    pl_record_keys keys, want;
    pl_ks13_secret finished_key;
    PL_ASSERT_OK(pl_ks13_handshake_keys(traffic, &keys, aead, &finished_key));
    PL_ASSERT_OK(pl_ks13_traffic_keys(traffic, &want, aead));
    assert_memory_equal(keys.key, want.key, aead->key_len);
    assert_memory_equal(keys.iv, want.iv, PL_AEAD_NONCE_LEN);
    ASSERT_RFC(finished_key.b, finished_key.len, section, step, 0, "expanded");
    pl_digest verify;
    PL_ASSERT_OK(pl_ks13_verify_data(&finished_key, &verify, th));
    assert_digest(&verify, section, step, 0, "finished");
    PL_ASSERT_OK(pl_ks13_verify_data_check(&finished_key, th, fin->p + 4, fin->len - 4));
    uint8_t bad[PL_KS13_MAX_SECRET_LEN];
    memcpy(bad, fin->p + 4, fin->len - 4);
    bad[fin->len - 5] ^= 0x80;
    PL_ASSERT_ERR(pl_ks13_verify_data_check(&finished_key, th, bad, fin->len - 4),
                  PADLOCK_E_DECRYPT_ERROR);
    PL_ASSERT_ERR(pl_ks13_verify_data_check(&finished_key, th, bad, fin->len - 5),
                  PADLOCK_E_DECODE);
}

/* Seals the RFC's "payload" of a record step as content type `type` with tx and expects the
 * RFC's "complete record"; then parses and opens that record with rx and expects the payload
 * back. */
static void check_record(pl_record_dir *tx, pl_record_dir *rx, uint8_t type, const char *section,
                         const char *step, int nth) {
    bytes payload = rfc(section, step, nth, "payload");
    bytes record = rfc(section, step, nth, "complete record");
    uint8_t buf[PL_RECORD_MAX_RECORD_LEN];
    size_t prefix = pl_record_seal_prefix(tx);
    memcpy(buf + prefix, payload.p, payload.len);
    size_t out_len;
    PL_ASSERT_OK(pl_record_seal(tx, type, buf, sizeof(buf), payload.len, 0, &out_len));
    assert_int_equal(out_len, record.len);
    assert_memory_equal(buf, record.p, record.len);

    pl_cur c;
    pl_cur_init(&c, record.p, record.len);
    pl_record_header h;
    PL_ASSERT_OK(pl_record_header_parse(rx, &c, &h));
    assert_int_equal(PL_RECORD_HEADER_LEN + h.length, record.len);
    pl_record rec;
    PL_ASSERT_OK(pl_record_open(rx, &h, record.p + PL_RECORD_HEADER_LEN, &rec));
    assert_int_equal(rec.type, type);
    assert_int_equal(rec.len, payload.len);
    assert_memory_equal(rec.data, payload.p, payload.len);
}

static void test_simple_1rtt(void **state) {
    (void)state;
    const char *S = "3";
    bytes ch = rfc(S, "construct a ClientHello", 0, "ClientHello");
    bytes sh = rfc(S, "construct a ServerHello", 0, "ServerHello");
    bytes ee = rfc(S, "construct an EncryptedExtensions", 0, "EncryptedExtensions");
    bytes cert = rfc(S, "construct a Certificate ", 0, "Certificate");
    bytes cv = rfc(S, "construct a CertificateVerify", 0, "CertificateVerify");
    bytes sfin = rfc(S, "{server}  construct a Finished", 0, "Finished");
    bytes cfin = rfc(S, "{client}  construct a Finished", 0, "Finished");
    bytes nst = rfc(S, "construct a NewSessionTicket", 0, "NewSessionTicket");
    const pl_suite *suite = server_hello_suite(sh);
    assert_ptr_equal(suite, &pl_suite_aes_128_gcm_sha256);

    /* The transcript runs both hashes until the ServerHello names the suite. */
    pl_transcript t;
    pl_transcript_init(&t);
    pl_transcript_update(&t, ch.p, ch.len);
    PL_ASSERT_OK(pl_transcript_select(&t, suite->hash));
    pl_transcript_update(&t, sh.p, sh.len);
    pl_digest th_sh;
    PL_ASSERT_OK(pl_transcript_hash(&t, &th_sh));
    assert_digest(&th_sh, S, "{server}  derive secret \"tls13 c hs traffic\"", 0, "hash");

    pl_ks13_early early;
    PL_ASSERT_OK(pl_ks13_early_init(&early, suite->hash, NULL, 0));
    assert_secret(&early.s, S, "{server}  extract secret \"early\"", 0, "secret");

    bytes ecdhe = rfc(S, "{server}  extract secret \"handshake\"", 0, "IKM");
    pl_ks13_handshake hs;
    PL_ASSERT_OK(pl_ks13_early_to_handshake(&early, &hs, ecdhe.p, ecdhe.len));
    assert_true(pl_ct_is_zero(&early, sizeof(early))); /* the old stage is wiped */
    assert_secret(&hs.s, S, "{server}  extract secret \"handshake\"", 0, "secret");

    pl_ks13_secret c_hs, s_hs;
    PL_ASSERT_OK(pl_ks13_handshake_traffic(&hs, &c_hs, PL_KS13_CLIENT, &th_sh));
    PL_ASSERT_OK(pl_ks13_handshake_traffic(&hs, &s_hs, PL_KS13_SERVER, &th_sh));
    assert_secret(&c_hs, S, "{server}  derive secret \"tls13 c hs traffic\"", 0, "expanded");
    assert_secret(&s_hs, S, "{server}  derive secret \"tls13 s hs traffic\"", 0, "expanded");

    /* Server Finished over ClientHello..CertificateVerify. */
    pl_transcript_update(&t, ee.p, ee.len);
    pl_transcript_update(&t, cert.p, cert.len);
    pl_transcript_update(&t, cv.p, cv.len);
    pl_digest th_cv, verify;
    PL_ASSERT_OK(pl_transcript_hash(&t, &th_cv));
    uint8_t finished_key[32];
    PL_ASSERT_OK(pl_ks13_expand_label(suite->hash, s_hs.b, s_hs.len, finished_key, 32,
                                      (const uint8_t *)"finished", 8, NULL, 0));
    ASSERT_RFC(finished_key, 32, S, "{server}  calculate finished", 0, "expanded");
    PL_ASSERT_OK(pl_ks13_finished(&s_hs, &verify, &th_cv));
    assert_digest(&verify, S, "{server}  calculate finished", 0, "finished");
    assert_int_equal(sfin.len, 4 + verify.len);
    assert_memory_equal(sfin.p + 4, verify.b, verify.len);
    PL_ASSERT_OK(pl_ks13_finished_verify(&s_hs, &th_cv, sfin.p + 4, sfin.len - 4));
    check_handshake_keys(&s_hs, suite->aead, &th_cv, &sfin, S, "{server}  calculate finished");

    pl_transcript_update(&t, sfin.p, sfin.len);
    pl_digest th_sfin;
    PL_ASSERT_OK(pl_transcript_hash(&t, &th_sfin));
    assert_digest(&th_sfin, S, "{server}  derive secret \"tls13 c ap traffic\"", 0, "hash");

    pl_ks13_master master;
    PL_ASSERT_OK(pl_ks13_handshake_to_master(&hs, &master));
    assert_true(pl_ct_is_zero(&hs, sizeof(hs)));
    assert_secret(&master.s, S, "{server}  extract secret \"master\"", 0, "secret");
    pl_ks13_secret c_ap, s_ap, exp_master, res_master;
    PL_ASSERT_OK(pl_ks13_application_traffic(&master, &c_ap, PL_KS13_CLIENT, &th_sfin));
    PL_ASSERT_OK(pl_ks13_application_traffic(&master, &s_ap, PL_KS13_SERVER, &th_sfin));
    PL_ASSERT_OK(pl_ks13_exporter_master(&master, &exp_master, &th_sfin));
    assert_secret(&c_ap, S, "{server}  derive secret \"tls13 c ap traffic\"", 0, "expanded");
    assert_secret(&s_ap, S, "{server}  derive secret \"tls13 s ap traffic\"", 0, "expanded");
    assert_secret(&exp_master, S, "{server}  derive secret \"tls13 exp master\"", 0, "expanded");

    /* Client Finished over ClientHello..server Finished. */
    PL_ASSERT_OK(pl_ks13_expand_label(suite->hash, c_hs.b, c_hs.len, finished_key, 32,
                                      (const uint8_t *)"finished", 8, NULL, 0));
    ASSERT_RFC(finished_key, 32, S, "{client}  calculate finished \"tls13 finished\":", 0,
               "expanded");
    PL_ASSERT_OK(pl_ks13_finished(&c_hs, &verify, &th_sfin));
    assert_digest(&verify, S, "{client}  calculate finished \"tls13 finished\":", 0, "finished");
    assert_memory_equal(cfin.p + 4, verify.b, verify.len);
    PL_ASSERT_OK(pl_ks13_finished_verify(&c_hs, &th_sfin, cfin.p + 4, cfin.len - 4));
    check_handshake_keys(&c_hs, suite->aead, &th_sfin, &cfin, S,
                         "{client}  calculate finished \"tls13 finished\":");

    pl_transcript_update(&t, cfin.p, cfin.len);
    pl_digest th_cfin;
    PL_ASSERT_OK(pl_transcript_hash(&t, &th_cfin));
    assert_digest(&th_cfin, S, "{client}  derive secret \"tls13 res master\"", 0, "hash");
    PL_ASSERT_OK(pl_ks13_resumption_master(&master, &res_master, &th_cfin));
    assert_secret(&res_master, S, "{client}  derive secret \"tls13 res master\"", 0, "expanded");

    /* The ticket's PSK from the resumption master secret and the ticket nonce. */
    bytes nonce = ticket_nonce(nst);
    pl_ks13_secret psk;
    PL_ASSERT_OK(pl_ks13_ticket_psk(&res_master, &psk, nonce.p, nonce.len));
    assert_secret(&psk, S, "generate resumption secret \"tls13 resumption\"", 0, "expanded");

    /* Records. Unprotected first: the ClientHello (legacy version 0x0301) and ServerHello. */
    pl_record_dir c_tx, c_rx, s_tx, s_rx;
    pl_record_dir_init(&c_tx);
    pl_record_dir_init(&c_rx);
    pl_record_dir_init(&s_tx);
    pl_record_dir_init(&s_rx);
    pl_record_dir_set_version(&c_tx, 0x0301);
    check_record(&c_tx, &s_rx, PL_CONTENT_HANDSHAKE, S, "{client}  send handshake record", 0);
    check_record(&s_tx, &c_rx, PL_CONTENT_HANDSHAKE, S, "{server}  send handshake record", 0);

    /* The server's encrypted flight under its handshake keys, then split into messages. */
    install_keys(&s_tx, &s_hs, suite->aead, S, "{server}  derive write traffic keys for handshake");
    install_keys(&c_rx, &s_hs, suite->aead, S, "{server}  derive write traffic keys for handshake");
    check_record(&s_tx, &c_rx, PL_CONTENT_HANDSHAKE, S, "{server}  send handshake record", 1);
    bytes flight = rfc(S, "{server}  send handshake record", 1, "payload");
    pl_frag frag;
    pl_frag_init(&frag, 1 << 16);
    PL_ASSERT_OK(pl_frag_feed(&frag, PL_CONTENT_HANDSHAKE, flight.p, flight.len));
    const bytes want[] = {ee, cert, cv, sfin};
    for (size_t i = 0; i < 4; i++) {
        pl_hs_msg m;
        int found;
        PL_ASSERT_OK(pl_frag_next(&frag, &m, &found));
        assert_true(found);
        assert_int_equal(m.raw_len, want[i].len);
        assert_memory_equal(m.raw, want[i].p, want[i].len);
        /* A message inside one record is handed out where it lies, not copied. */
        assert_true(m.raw >= flight.p && m.raw + m.raw_len <= flight.p + flight.len);
    }
    PL_ASSERT_OK(pl_frag_key_change(&frag));
    pl_frag_cleanup(&frag);

    /* The client's Finished under its handshake keys. */
    install_keys(&c_tx, &c_hs, suite->aead, S, "{server}  derive read traffic keys for handshake");
    install_keys(&s_rx, &c_hs, suite->aead, S, "{server}  derive read traffic keys for handshake");
    check_record(&c_tx, &s_rx, PL_CONTENT_HANDSHAKE, S, "{client}  send handshake record", 1);

    /* Application keys: NewSessionTicket (server seq 0), data both ways, close_notify alerts. */
    install_keys(&s_tx, &s_ap, suite->aead, S,
                 "{server}  derive write traffic keys for application");
    install_keys(&c_rx, &s_ap, suite->aead, S,
                 "{server}  derive write traffic keys for application");
    install_keys(&c_tx, &c_ap, suite->aead, S,
                 "{client}  derive write traffic keys for application");
    install_keys(&s_rx, &c_ap, suite->aead, S,
                 "{client}  derive write traffic keys for application");
    check_record(&s_tx, &c_rx, PL_CONTENT_HANDSHAKE, S, "{server}  send handshake record", 2);
    check_record(&c_tx, &s_rx, PL_CONTENT_APPLICATION_DATA, S, "{client}  send application_data",
                 0);
    check_record(&s_tx, &c_rx, PL_CONTENT_APPLICATION_DATA, S, "{server}  send application_data",
                 0);
    check_record(&c_tx, &s_rx, PL_CONTENT_ALERT, S, "{client}  send alert record", 0);
    check_record(&s_tx, &c_rx, PL_CONTENT_ALERT, S, "{server}  send alert record", 0);
    assert_true(s_tx.seq == 3 && c_rx.seq == 3 && c_tx.seq == 2 && s_rx.seq == 2);

    pl_record_dir_cleanup(&c_tx);
    pl_record_dir_cleanup(&c_rx);
    pl_record_dir_cleanup(&s_tx);
    pl_record_dir_cleanup(&s_rx);
    pl_ks13_master_cleanup(&master);
    pl_ks13_secret_cleanup(&c_hs);
    pl_ks13_secret_cleanup(&s_hs);
    pl_ks13_secret_cleanup(&c_ap);
    pl_ks13_secret_cleanup(&s_ap);
    pl_ks13_secret_cleanup(&exp_master);
    pl_ks13_secret_cleanup(&res_master);
    pl_ks13_secret_cleanup(&psk);
    pl_transcript_cleanup(&t);
}

/* §4: the client resumes with the §3 ticket and sends 0-RTT data. */
static void test_resumed_0rtt(void **state) {
    (void)state;
    const char *S = "4";
    /* The PSK is the §3 ticket's, derived from the §3 resumption master secret. */
    bytes res = rfc("3", "{client}  derive secret \"tls13 res master\"", 0, "expanded");
    bytes nst = rfc("3", "construct a NewSessionTicket", 0, "NewSessionTicket");
    pl_ks13_secret res_master = {&pl_hash_sha256, 32, {0}};
    memcpy(res_master.b, res.p, 32);
    bytes nonce = ticket_nonce(nst);
    pl_ks13_secret psk;
    PL_ASSERT_OK(pl_ks13_ticket_psk(&res_master, &psk, nonce.p, nonce.len));
    ASSERT_RFC(psk.b, psk.len, S, "{client}  extract secret \"early\"", 0, "IKM");

    pl_ks13_early early;
    PL_ASSERT_OK(pl_ks13_early_init(&early, &pl_hash_sha256, psk.b, psk.len));
    assert_secret(&early.s, S, "{client}  extract secret \"early\"", 0, "secret");

    /* The binder: HMAC over the ClientHello truncated before its binders list. */
    bytes ch = rfc(S, "{client}  send handshake record", 0, "payload");
    bytes prefix = rfc(S, "{client}  calculate PSK binder", 0, "ClientHello prefix");
    const size_t binders_len = 2 + 1 + 32; /* binders<33..2^16-1> holding one 32-byte binder */
    assert_int_equal(prefix.len, ch.len - binders_len);
    assert_memory_equal(prefix.p, ch.p, prefix.len);
    pl_ks13_secret binder_key;
    PL_ASSERT_OK(pl_ks13_binder_key(&early, &binder_key, PL_KS13_PSK_RESUMPTION));
    assert_secret(&binder_key, S, "{client}  calculate PSK binder", 0, "PRK");
    pl_transcript t;
    pl_transcript_init(&t);
    pl_digest th_trunc, binder;
    PL_ASSERT_OK(pl_transcript_hash_with(&t, &pl_hash_sha256, ch.p, prefix.len, &th_trunc));
    assert_digest(&th_trunc, S, "{client}  calculate PSK binder", 0, "binder hash");
    PL_ASSERT_OK(pl_ks13_finished(&binder_key, &binder, &th_trunc));
    assert_digest(&binder, S, "{client}  calculate PSK binder", 0, "finished");
    assert_memory_equal(ch.p + prefix.len + 3, binder.b, 32);
    PL_ASSERT_OK(pl_ks13_finished_verify(&binder_key, &th_trunc, ch.p + prefix.len + 3, 32));
    /* The external-PSK label gives another key (RFC 8446 §7.1). */
    pl_ks13_secret ext_key;
    PL_ASSERT_OK(pl_ks13_binder_key(&early, &ext_key, PL_KS13_PSK_EXTERNAL));
    assert_memory_not_equal(ext_key.b, binder_key.b, 32);

    /* Early traffic over the whole ClientHello, and the 0-RTT record. */
    pl_transcript_update(&t, ch.p, ch.len);
    pl_digest th_ch;
    PL_ASSERT_OK(pl_transcript_hash_with(&t, &pl_hash_sha256, NULL, 0, &th_ch));
    assert_digest(&th_ch, S, "{client}  derive secret \"tls13 c e traffic\"", 0, "hash");
    pl_ks13_secret c_e, e_exp;
    PL_ASSERT_OK(pl_ks13_client_early_traffic(&early, &c_e, &th_ch));
    PL_ASSERT_OK(pl_ks13_early_exporter_master(&early, &e_exp, &th_ch));
    assert_secret(&c_e, S, "{client}  derive secret \"tls13 c e traffic\"", 0, "expanded");
    assert_secret(&e_exp, S, "{client}  derive secret \"tls13 e exp master\"", 0, "expanded");
    pl_record_dir tx, rx;
    pl_record_dir_init(&tx);
    pl_record_dir_init(&rx);
    install_keys(&tx, &c_e, &pl_aead_aes_128_gcm, S, "derive write traffic keys for early");
    install_keys(&rx, &c_e, &pl_aead_aes_128_gcm, S, "derive write traffic keys for early");
    check_record(&tx, &rx, PL_CONTENT_APPLICATION_DATA, S, "{client}  send application_data", 0);

    /* PSK + ECDHE: the rest of the schedule from this Early Secret. */
    bytes sh = rfc(S, "{server}  construct a ServerHello", 0, "ServerHello");
    PL_ASSERT_OK(pl_transcript_select(&t, server_hello_suite(sh)->hash));
    pl_transcript_update(&t, sh.p, sh.len);
    pl_digest th_sh;
    PL_ASSERT_OK(pl_transcript_hash(&t, &th_sh));
    bytes ecdhe = rfc(S, "{server}  extract secret \"handshake\"", 0, "IKM");
    pl_ks13_handshake hs;
    PL_ASSERT_OK(pl_ks13_early_to_handshake(&early, &hs, ecdhe.p, ecdhe.len));
    assert_secret(&hs.s, S, "{server}  extract secret \"handshake\"", 0, "secret");
    pl_ks13_secret c_hs, s_hs;
    PL_ASSERT_OK(pl_ks13_handshake_traffic(&hs, &c_hs, PL_KS13_CLIENT, &th_sh));
    PL_ASSERT_OK(pl_ks13_handshake_traffic(&hs, &s_hs, PL_KS13_SERVER, &th_sh));
    assert_secret(&c_hs, S, "{server}  derive secret \"tls13 c hs traffic\"", 0, "expanded");
    assert_secret(&s_hs, S, "{server}  derive secret \"tls13 s hs traffic\"", 0, "expanded");
    pl_ks13_master master;
    PL_ASSERT_OK(pl_ks13_handshake_to_master(&hs, &master));
    assert_secret(&master.s, S, "{server}  extract secret \"master\"", 0, "secret");

    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
    pl_ks13_master_cleanup(&master);
    pl_ks13_secret_cleanup(&c_hs);
    pl_ks13_secret_cleanup(&s_hs);
    pl_ks13_secret_cleanup(&c_e);
    pl_ks13_secret_cleanup(&e_exp);
    pl_ks13_secret_cleanup(&binder_key);
    pl_ks13_secret_cleanup(&ext_key);
    pl_ks13_secret_cleanup(&psk);
    pl_transcript_cleanup(&t);
}

/* §5: ClientHello1 becomes message_hash after the HelloRetryRequest (RFC 8446 §4.4.1). */
static void test_hello_retry_request(void **state) {
    (void)state;
    const char *S = "5";
    bytes ch1 = rfc(S, "construct a ClientHello", 0, "ClientHello");
    bytes hrr = rfc(S, "construct a ServerHello", 0, "ServerHello");
    bytes ch2 = rfc(S, "construct a ClientHello", 1, "ClientHello");
    bytes sh = rfc(S, "construct a ServerHello", 1, "ServerHello");

    pl_transcript t;
    pl_transcript_init(&t);
    pl_transcript_update(&t, ch1.p, ch1.len);
    PL_ASSERT_OK(pl_transcript_select(&t, server_hello_suite(hrr)->hash));
    pl_transcript_hrr(&t);
    pl_transcript_update(&t, hrr.p, hrr.len);
    pl_transcript_update(&t, ch2.p, ch2.len);
    PL_ASSERT_OK(pl_transcript_select(&t, server_hello_suite(sh)->hash));
    pl_transcript_update(&t, sh.p, sh.len);
    pl_digest th_sh;
    PL_ASSERT_OK(pl_transcript_hash(&t, &th_sh));
    assert_digest(&th_sh, S, "{server}  derive secret \"tls13 c hs traffic\"", 0, "hash");

    pl_ks13_early early;
    PL_ASSERT_OK(pl_ks13_early_init(&early, &pl_hash_sha256, NULL, 0));
    bytes ecdhe = rfc(S, "{server}  extract secret \"handshake\"", 0, "IKM");
    pl_ks13_handshake hs;
    PL_ASSERT_OK(pl_ks13_early_to_handshake(&early, &hs, ecdhe.p, ecdhe.len));
    pl_ks13_secret c_hs;
    PL_ASSERT_OK(pl_ks13_handshake_traffic(&hs, &c_hs, PL_KS13_CLIENT, &th_sh));
    assert_secret(&c_hs, S, "{server}  derive secret \"tls13 c hs traffic\"", 0, "expanded");
    pl_ks13_handshake_cleanup(&hs);
    pl_ks13_secret_cleanup(&c_hs);
    pl_transcript_cleanup(&t);
}

/* The extractor itself refuses what is not in the RFC, so a typo cannot pass silently. */
static void test_extractor_strict(void **state) {
    (void)state;
    size_t len;
    assert_null(pl_rfc8448_value(pl_rfc8448_text, "3", "no such step", 0, "secret", &len));
    assert_null(pl_rfc8448_value(pl_rfc8448_text, "3", "{server}  extract secret \"early\"", 0,
                                 "no such field", &len));
    assert_null(pl_rfc8448_value(pl_rfc8448_text, "3", "{server}  extract secret \"early\"", 1,
                                 "secret", &len));
    assert_null(pl_rfc8448_value(pl_rfc8448_text, "42", "{server}", 0, "secret", &len));
    /* A value spanning a page break (§3 server flight: 679 bytes over two pages). */
    uint8_t *v = pl_rfc8448_value(pl_rfc8448_text, "3", "{server}  send handshake record", 1,
                                  "complete record", &len);
    assert_non_null(v);
    assert_int_equal(len, 679);
    assert_int_equal(v[0], 0x17);
    assert_int_equal(v[678], 0x2b);
    free(v);
    /* Without a step: the nth value of that label in the section, whole labels only ("Finished"
     * is the server's then the client's; "ClientHello" never matches "ClientHello prefix"). */
    v = pl_rfc8448_value(pl_rfc8448_text, "3", NULL, 1, "Finished", &len);
    assert_non_null(v);
    assert_int_equal(len, 36);
    assert_int_equal(v[0], 0x14);
    free(v);
    assert_null(pl_rfc8448_value(pl_rfc8448_text, "3", NULL, 2, "Finished", &len));
    v = pl_rfc8448_value(pl_rfc8448_text, "4", NULL, 0, "ClientHello prefix", &len);
    assert_non_null(v);
    free(v);
    v = pl_rfc8448_value(pl_rfc8448_text, "4", NULL, 0, "ClientHello", &len);
    assert_non_null(v);
    free(v);
    assert_null(pl_rfc8448_value(pl_rfc8448_text, "4", NULL, 1, "ClientHello", &len));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_simple_1rtt, free_owned),
        cmocka_unit_test_teardown(test_resumed_0rtt, free_owned),
        cmocka_unit_test_teardown(test_hello_retry_request, free_owned),
        cmocka_unit_test_teardown(test_extractor_strict, free_owned),
    };
    return cmocka_run_group_tests(tests, pl_rfc8448_setup, pl_rfc8448_teardown);
}
