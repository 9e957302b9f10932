/* A scripted TLS 1.2 client for tests of the TLS 1.2 server, built from padlock's message
 * builders, TLS 1.2 key schedule and record layer (RFC 5246 §7.3, RFC 8422, RFC 7627): it
 * sends a ClientHello, reads and checks the server's flight (downgrade sentinel, extensions,
 * the ServerKeyExchange signature), sends ClientKeyExchange, change_cipher_spec and Finished,
 * checks the server's, and exchanges application data. Every step is a function, so that tests
 * can stop anywhere or send something else; failures fail the calling test (cmocka). */
#include "client12.h"

#include <string.h>

#include "hs/suite.h"
#include "testlib.h"
#include "x509/cert.h"
#include "x509/credential.h"

void pl_client12_keep(pl_client12 *c, const uint8_t *msg, size_t len) {
    pl_transcript_update(&c->transcript, msg, len);
    assert_true(c->hs_log_len + len <= sizeof(c->hs_log));
    memcpy(c->hs_log + c->hs_log_len, msg, len);
    c->hs_log_len += len;
}

static void pl_client12_put16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Seals one record of type from the client (keys per c->tx) and feeds it to the server. */
void pl_client12_send(pl_client12 *c, uint8_t type, const uint8_t *data, size_t len) {
    static uint8_t buf[20000];
    size_t pre = pl_record_seal_prefix(&c->tx);
    memcpy(buf + pre, data, len);
    size_t n;
    PL_ASSERT_OK(pl_record_seal(&c->tx, type, buf, sizeof(buf), len, 0, &n));
    if (c->sent != NULL) {
        assert_true(c->sent_len + n <= c->sent_cap);
        memcpy(c->sent + c->sent_len, buf, n);
        c->sent_len += n;
    }
    size_t used;
    padlock_err rc = padlock_conn_input(c->conn, buf, n, &used);
    assert_true(rc == padlock_conn_error(c->conn));
}

/* Collects everything the server has to send into c->out. */
void pl_client12_drain(pl_client12 *c) {
    for (;;) {
        const uint8_t *p;
        size_t n;
        padlock_err rc = padlock_conn_output(c->conn, &p, &n);
        assert_true(rc == PADLOCK_OK || rc == padlock_conn_error(c->conn));
        if (n == 0) {
            return;
        }
        assert_true(c->out_len + n <= sizeof(c->out));
        memcpy(c->out + c->out_len, p, n);
        c->out_len += n;
        PL_ASSERT_OK(padlock_conn_output_done(c->conn, n));
    }
}

/* Opens the next record the server sent, in place in c->out. Returns 0 when none is left. */
int pl_client12_next(pl_client12 *c, size_t *off, pl_record *out) {
    if (*off >= c->out_len) {
        return 0;
    }
    pl_cur cur;
    pl_cur_init(&cur, c->out + *off, c->out_len - *off);
    pl_record_header h;
    PL_ASSERT_OK(pl_record_header_parse(&c->rx, &cur, &h));
    PL_ASSERT_OK(pl_record_open(&c->rx, &h, c->out + *off + PL_RECORD_HEADER_LEN, out));
    *off += PL_RECORD_HEADER_LEN + h.length;
    return 1;
}

/* The ClientHello of a TLS 1.2 client: suite, groups, ECDSA and RSA-PSS schemes, the
 * extended master secret and renegotiation_info unless told otherwise. */


size_t pl_client12_hello(pl_client12 *c, const pl_client12_opts *o, uint8_t *msg, size_t cap) {
    uint8_t suites[4], groups[4], schemes[6], reneg[2] = {1, 2};
    size_t num_schemes = 3;
    static const uint8_t formats[1] = {0};
    pl_client12_put16(suites, o->suite);
    pl_client12_put16(suites + 2, 0x5600);
    pl_client12_put16(groups, o->group);
    pl_client12_put16(groups + 2, PADLOCK_GROUP_SECP256R1); /* the certificate's curve (RFC 8422 §5.1) */
    pl_client12_put16(schemes, 0x0403);
    pl_client12_put16(schemes + 2, 0x0804);
    pl_client12_put16(schemes + 4, 0x0401);
    if (o->scheme != 0) {
        pl_client12_put16(schemes, o->scheme);
        num_schemes = 1;
    }
    pl_client_hello ch;
    memset(&ch, 0, sizeof(ch));
    ch.legacy_version = 0x0303;
    ch.random = c->client_random;
    pl_cur_init(&ch.session_id, o->session_id, o->session_id != NULL ? o->session_id_len : 0);
    pl_cur_init(&ch.cipher_suites, suites, o->fallback_scsv ? 4 : 2);
    static const uint8_t null_compression[1] = {0};
    pl_cur_init(&ch.compression_methods, null_compression, 1);
    ch.has_extensions = 1;
    pl_cur_init(&ch.exts.server_name, (const uint8_t *)"localhost", 9);
    pl_cur_init(&ch.exts.supported_groups, groups,
                o->group == PADLOCK_GROUP_SECP256R1 ? 2 : 4);
    pl_cur_init(&ch.exts.sig_algs, schemes, 2 * num_schemes);
    pl_cur_init(&ch.exts.ec_point_formats, formats, 1);
    pl_cur_init(&ch.exts.renegotiation_info, reneg, o->reneg_nonempty ? 2 : 0);
    pl_cur_init(&ch.exts.session_ticket, o->ticket, o->ticket != NULL ? o->ticket_len : 0);
    static const uint16_t ids[] = {PL_EXT_SERVER_NAME,          PL_EXT_SUPPORTED_GROUPS,
                                   PL_EXT_SIGNATURE_ALGORITHMS, PL_EXT_EC_POINT_FORMATS,
                                   PL_EXT_EXTENDED_MASTER_SECRET, PL_EXT_RENEGOTIATION_INFO,
                                   PL_EXT_SESSION_TICKET};
    static const uint16_t ids_no_ems[] = {PL_EXT_SERVER_NAME,          PL_EXT_SUPPORTED_GROUPS,
                                          PL_EXT_SIGNATURE_ALGORITHMS, PL_EXT_EC_POINT_FORMATS,
                                          PL_EXT_RENEGOTIATION_INFO,   PL_EXT_SESSION_TICKET};
    size_t num_ids = (o->no_ems ? sizeof(ids_no_ems) / sizeof(ids_no_ems[0])
                                : sizeof(ids) / sizeof(ids[0])) -
                     (o->offer_ticket || o->ticket != NULL ? 0 : 1);
    pl_buf b;
    pl_buf_init(&b, msg, cap);
    PL_ASSERT_OK(pl_client_hello_build(&b, &ch, o->no_ems ? ids_no_ems : ids, num_ids));
    return b.len;
}

/* A new server connection, sent the hello; the server's output is in c->out. */
void pl_client12_start(pl_client12 *c, padlock_config *cfg, const pl_client12_opts *o) {
    memset(c, 0, sizeof(*c));
    c->sent = o->sent;
    c->sent_cap = o->sent_cap;
    c->no_ems = (uint8_t)o->no_ems;
    PL_ASSERT_OK(padlock_conn_new(cfg, &c->conn));
    if (o->after_new != NULL) {
        o->after_new();
    }
    pl_record_dir_init(&c->tx);
    pl_record_dir_init(&c->rx);
    pl_transcript_init(&c->transcript);
    for (size_t i = 0; i < PL_RANDOM_LEN; i++) {
        c->client_random[i] = (uint8_t)(i * 7 + 1);
    }
    uint8_t msg[512];
    size_t len = pl_client12_hello(c, o, msg, sizeof(msg));
    c->suite = pl_suite_by_code(o->suite);
    PL_ASSERT_OK(pl_transcript_select(&c->transcript, c->suite->hash));
    pl_client12_keep(c, msg, len);
    pl_client12_send(c, PL_CONTENT_HANDSHAKE, msg, len);
    pl_client12_drain(c);
}

void pl_client12_finish(pl_client12 *c) {
    padlock_conn_free(c->conn);
    pl_record_dir_cleanup(&c->tx);
    pl_record_dir_cleanup(&c->rx);
    pl_transcript_cleanup(&c->transcript);
    pl_ks12_master_cleanup(&c->master);
}

/* Reads the server's first flight from c->out: ServerHello (checked), Certificate,
 * ServerKeyExchange (signature verified), ServerHelloDone. */
void pl_client12_read_flight(pl_client12 *c, const pl_client12_opts *o) {
    size_t off = 0;
    pl_record rec;
    uint8_t flight[8192];
    size_t flight_len = 0;
    while (pl_client12_next(c, &off, &rec)) {
        assert_int_equal(rec.type, PL_CONTENT_HANDSHAKE);
        memcpy(flight + flight_len, rec.data, rec.len);
        flight_len += rec.len;
    }
    c->out_len = 0;
    pl_cur cur;
    pl_cur_init(&cur, flight, flight_len);
    const uint8_t *spki = NULL;
    size_t spki_len = 0;
    pl_errinfo err;
    pl_errinfo_init(&err);
    /* RSA key transport has no ServerKeyExchange (RFC 5246 §7.4.3). */
    static const uint8_t ecdhe[5] = {PL_HS_SERVER_HELLO, PL_HS_CERTIFICATE,
                                     PL_HS_SERVER_KEY_EXCHANGE, PL_HS_CERTIFICATE_REQUEST,
                                     PL_HS_SERVER_HELLO_DONE};
    static const uint8_t rsa[4] = {PL_HS_SERVER_HELLO, PL_HS_CERTIFICATE,
                                   PL_HS_CERTIFICATE_REQUEST, PL_HS_SERVER_HELLO_DONE};
    uint8_t types[5];
    size_t num_types = 0;
    for (size_t i = 0; i < (c->suite->rsa_kx ? 4u : 5u); i++) {
        uint8_t t = c->suite->rsa_kx ? rsa[i] : ecdhe[i];
        if (t != PL_HS_CERTIFICATE_REQUEST || o->expect_cr) {
            types[num_types++] = t;
        }
    }
    c->rsa_spoil = o->rsa_spoil;
    for (size_t i = 0; i < num_types; i++) {
        const uint8_t *start = cur.p;
        uint8_t type;
        pl_cur body;
        PL_ASSERT_OK(pl_msg_read(&cur, &type, &body));
        assert_int_equal(type, types[i]);
        pl_client12_keep(c, start, PL_HS_HEADER_LEN + pl_cur_left(&body));
        if (type == PL_HS_SERVER_HELLO) {
            pl_server_hello sh;
            uint32_t offered = pl_ext_bit(PL_EXT_SERVER_NAME) |
                               pl_ext_bit(PL_EXT_EC_POINT_FORMATS) |
                               pl_ext_bit(PL_EXT_EXTENDED_MASTER_SECRET) |
                               pl_ext_bit(PL_EXT_RENEGOTIATION_INFO) |
                               pl_ext_bit(PL_EXT_SESSION_TICKET);
            PL_ASSERT_OK(pl_server_hello_parse(&sh, body.p, body.len, offered, &err));
            assert_int_equal(sh.kind, PL_EXT_IN_SH12);
            assert_int_equal(sh.legacy_version, 0x0303);
            assert_int_equal(sh.cipher_suite, o->suite);
            /* RFC 8446 §4.1.3: a server that speaks TLS 1.3 marks a TLS 1.2 ServerHello. */
            assert_int_equal(pl_server_hello_downgrade(sh.random), PL_DOWNGRADE_TLS12);
            /* RFC 7627 §5.2: the extension in the ServerHello exactly when offered. */
            assert_int_equal(pl_exts_has(&sh.exts, PL_EXT_EXTENDED_MASTER_SECRET), !o->no_ems);
            assert_true(pl_exts_has(&sh.exts, PL_EXT_RENEGOTIATION_INFO));
            assert_int_equal(pl_cur_left(&sh.exts.renegotiation_info), 0);
            assert_true(pl_exts_has(&sh.exts, PL_EXT_EC_POINT_FORMATS));
            assert_true(pl_exts_has(&sh.exts, PL_EXT_SERVER_NAME));
            c->session_id_len = (uint8_t)pl_cur_left(&sh.session_id);
            memcpy(c->session_id, sh.session_id.p, c->session_id_len);
            c->ticket_promised = (uint8_t)pl_exts_has(&sh.exts, PL_EXT_SESSION_TICKET);
            assert_true(!c->ticket_promised || o->offer_ticket || o->ticket != NULL);
            memcpy(c->server_random, sh.random, PL_RANDOM_LEN);
        } else if (type == PL_HS_CERTIFICATE) {
            pl_certificate cert;
            PL_ASSERT_OK(pl_certificate_parse_tls12(&cert, body.p, body.len, &err));
            assert_true(cert.num_entries >= 1);
            pl_cur it = cert.entries;
            pl_cert_entry e;
            assert_true(pl_certificate_next(&cert, &it, &e));
            pl_x509_cert leaf;
            PL_ASSERT_OK(
                pl_x509_cert_parse(&leaf, e.cert_data.p, pl_cur_left(&e.cert_data), NULL));
            spki = leaf.key.spki.p;
            spki_len = leaf.key.spki.len;
            assert_true(spki_len <= sizeof(c->spki));
            memcpy(c->spki, spki, spki_len);
            c->spki_len = spki_len;
        } else if (type == PL_HS_SERVER_KEY_EXCHANGE) {
            pl_server_key_exchange ske;
            PL_ASSERT_OK(pl_server_key_exchange_parse(&ske, body.p, body.len, &err));
            assert_int_equal(ske.group, o->group);
            assert_int_equal(ske.scheme, o->scheme != 0 ? o->scheme : 0x0403);
            uint8_t signed_bytes[256];
            pl_buf b;
            pl_buf_init(&b, signed_bytes, sizeof(signed_bytes));
            PL_ASSERT_OK(pl_server_key_exchange_signed(&b, c->client_random, c->server_random,
                                                       ske.params));
            PL_ASSERT_OK(pl_sig_verify(pl_sig_by_scheme(ske.scheme), spki, spki_len, b.p, b.len,
                                       ske.signature.p, ske.signature.len));
            c->group = ske.group;
            c->point_len = pl_cur_left(&ske.point);
            memcpy(c->point, ske.point.p, c->point_len);
        } else if (type == PL_HS_CERTIFICATE_REQUEST) {
            /* RFC 5246 §7.4.4: ECDSA and RSA keys, the server's TLS 1.2 schemes, no CAs. */
            pl_certificate_request12 cr;
            PL_ASSERT_OK(pl_certificate_request12_parse(&cr, body.p, body.len, &err));
            static const uint8_t types_want[] = {PL_CERT_TYPE_ECDSA_SIGN, PL_CERT_TYPE_RSA_SIGN};
            assert_int_equal(pl_cur_left(&cr.cert_types), sizeof(types_want));
            assert_memory_equal(cr.cert_types.p, types_want, sizeof(types_want));
            assert_true(pl_ext_u16_contains(cr.sig_algs, 0x0403));
            assert_true(pl_ext_u16_contains(cr.sig_algs, 0x0804));
            assert_true(pl_ext_u16_contains(cr.sig_algs, 0x0401));
            assert_false(pl_ext_u16_contains(cr.sig_algs, 0x0201)); /* no SHA-1 */
            assert_int_equal(pl_cur_left(&cr.authorities), 0);
            c->cr_seen = 1;
        }
    }
    assert_int_equal(pl_cur_left(&cur), 0);
    pl_errinfo_cleanup(&err);
}

/* The master secret once the ClientKeyExchange is in the transcript: extended (RFC 7627 §4),
 * or RFC 5246 §8.1's PRF(pre_master_secret, "master secret", client_random + server_random)
 * when the hello did not offer the extension. */
static void pl_client12_master(pl_client12 *c, const uint8_t *premaster, size_t len) {
    if (c->no_ems) {
        c->master.hash = c->suite->hash;
        PL_ASSERT_OK(pl_ks12_prf(c->suite->hash, premaster, len, "master secret",
                                 c->client_random, PL_RANDOM_LEN, c->server_random, PL_RANDOM_LEN,
                                 c->master.b, sizeof(c->master.b)));
        return;
    }
    pl_digest session_hash;
    PL_ASSERT_OK(pl_transcript_hash(&c->transcript, &session_hash));
    PL_ASSERT_OK(pl_ks12_extended_master_secret(&c->master, c->suite->hash, premaster, len,
                                                &session_hash));
}

/* The ClientKeyExchange message for our fresh key, and the keys and master secret from it. */
/* RSA key transport (RFC 5246 §7.4.7.1): client_version 0x0303 and 46 random bytes, encrypted
 * to the server's key, spoilt as c->rsa_spoil says. */
static size_t pl_client12_key_exchange_rsa(pl_client12 *c, uint8_t *msg, size_t cap,
                                           pl_record_keys *ck, pl_record_keys *sk) {
    uint8_t premaster[48], ct[512];
    PL_ASSERT_OK(pl_rand_bytes(NULL, premaster, sizeof(premaster)));
    premaster[0] = 3;
    premaster[1] = c->rsa_spoil == 2 ? 2 : 3;
    size_t ct_len = 0;
    PL_ASSERT_OK(pl_rsa_encrypt_pkcs1(c->spki, c->spki_len, NULL, premaster, sizeof(premaster), ct,
                                      sizeof(ct), &ct_len));
    if (c->rsa_spoil == 1) {
        ct_len--;
    } else if (c->rsa_spoil == 3) {
        PL_ASSERT_OK(pl_rand_bytes(NULL, ct, ct_len));
    }
    pl_buf b;
    pl_buf_init(&b, msg, cap);
    PL_ASSERT_OK(pl_client_key_exchange_build_rsa(&b, ct, ct_len));
    pl_client12_keep(c, msg, b.len);
    pl_client12_master(c, premaster, sizeof(premaster));
    PL_ASSERT_OK(pl_ks12_record_keys(&c->master, c->suite->aead, c->client_random,
                                     c->server_random, ck, sk));
    return b.len;
}

size_t pl_client12_key_exchange(pl_client12 *c, uint8_t *msg, size_t cap, pl_record_keys *ck,
                                  pl_record_keys *sk) {
    if (c->suite->rsa_kx) {
        return pl_client12_key_exchange_rsa(c, msg, cap, ck, sk);
    }
    pl_kx_key key;
    PL_ASSERT_OK(pl_kx_generate(pl_kx_by_group(c->group), NULL, &key));
    uint8_t shared[PL_KX_MAX_SECRET_LEN];
    PL_ASSERT_OK(pl_kx_derive(&key, c->point, c->point_len, shared));
    pl_buf b;
    pl_buf_init(&b, msg, cap);
    PL_ASSERT_OK(pl_client_key_exchange_build_ecdhe(&b, key.share, key.alg->share_len));
    pl_client12_keep(c, msg, b.len);
    pl_client12_master(c, shared, key.alg->secret_len);
    PL_ASSERT_OK(pl_ks12_record_keys(&c->master, c->suite->aead, c->client_random,
                                     c->server_random, ck, sk));
    pl_kx_key_cleanup(&key);
    return b.len;
}

size_t pl_client12_certificate(pl_client12 *c, const pl_x509_credential *cred, uint8_t *msg,
                               size_t cap) {
    static uint8_t entries[8192];
    pl_buf e;
    pl_buf_init(&e, entries, sizeof(entries));
    pl_cur none;
    pl_cur_init(&none, entries, 0);
    for (size_t i = 0; cred != NULL && i < cred->num_certs; i++) {
        PL_ASSERT_OK(pl_cert_entry_write(&e, 1, cred->der[i], cred->der_len[i], none));
    }
    pl_certificate cm;
    memset(&cm, 0, sizeof(cm));
    cm.tls12 = 1;
    pl_cur_init(&cm.context, entries, 0);
    pl_cur_init(&cm.entries, entries, e.len);
    pl_buf b;
    pl_buf_init(&b, msg, cap);
    PL_ASSERT_OK(pl_certificate_build(&b, &cm));
    pl_client12_keep(c, msg, b.len);
    return b.len;
}

size_t pl_client12_certificate_verify(pl_client12 *c, const pl_x509_credential *cred,
                                      uint16_t scheme, int flip, uint8_t *msg, size_t cap) {
    /* RFC 5246 §7.4.8: over every handshake message so far. */
    static uint8_t signed_bytes[sizeof(c->hs_log)];
    memcpy(signed_bytes, c->hs_log, c->hs_log_len);
    if (flip >= 0) {
        signed_bytes[(size_t)flip % c->hs_log_len] ^= 0x01;
    }
    uint8_t sig[PL_SIG_MAX_LEN];
    size_t sig_len = 0;
    PL_ASSERT_OK(pl_privkey_sign(cred->key, pl_sig_by_scheme(scheme), NULL, signed_bytes,
                                 c->hs_log_len, sig, sizeof(sig), &sig_len));
    pl_certificate_verify cv;
    cv.scheme = scheme;
    pl_cur_init(&cv.signature, sig, sig_len);
    pl_buf b;
    pl_buf_init(&b, msg, cap);
    PL_ASSERT_OK(pl_certificate_verify_build(&b, &cv));
    pl_client12_keep(c, msg, b.len);
    return b.len;
}

/* The scheme our test keys sign a CertificateVerify with by default. */
static uint16_t pl_client12_default_scheme(const pl_x509_credential *cred) {
    switch (pl_privkey_type(cred->key)) {
    case PL_KEY_RSA:
        return 0x0804;
    case PL_KEY_EC_P384:
        return 0x0503;
    case PL_KEY_ED25519:
        return 0x0807;
    default:
        return 0x0403;
    }
}

/* Our Finished (flip: a byte of verify_data to corrupt, or -1). */
size_t pl_client12_finished(pl_client12 *c, int flip, uint8_t *msg, size_t cap) {
    pl_digest th;
    PL_ASSERT_OK(pl_transcript_hash(&c->transcript, &th));
    uint8_t vd[PL_KS12_VERIFY_LEN];
    PL_ASSERT_OK(pl_ks12_finished(&c->master, PL_ROLE_CLIENT, &th, vd));
    if (flip >= 0) {
        vd[flip] ^= 0x80;
    }
    pl_buf b;
    pl_buf_init(&b, msg, cap);
    PL_ASSERT_OK(pl_finished_build(&b, vd, sizeof(vd)));
    pl_client12_keep(c, msg, b.len);
    return b.len;
}

const uint8_t pl_client12_ccs = 1;

/* The body of the first message in rec, which must be a handshake record whose first message
 * is of type want; *rest is what follows that message in the record. */
static pl_cur message_body(const pl_record *rec, uint8_t want, pl_cur *rest) {
    assert_int_equal(rec->type, PL_CONTENT_HANDSHAKE);
    pl_cur_init(rest, rec->data, rec->len);
    uint8_t type;
    pl_cur body;
    PL_ASSERT_OK(pl_msg_read(rest, &type, &body));
    assert_int_equal(type, want);
    return body;
}

/* rec, read from c->out, must be the server's change_cipher_spec: the server's keys sk then
 * open the next record at *off, into rec, which must be its Finished (RFC 5246 §7.4.9) over
 * the transcript so far. */
static void server_finished(pl_client12 *c, pl_record *rec, size_t *off, pl_record_keys *sk) {
    assert_int_equal(rec->type, PL_CONTENT_CHANGE_CIPHER_SPEC);
    PL_ASSERT_OK(pl_record_dir_set_keys(&c->rx, sk));
    assert_true(pl_client12_next(c, off, rec));
    assert_int_equal(rec->type, PL_CONTENT_HANDSHAKE);
    pl_digest th;
    PL_ASSERT_OK(pl_transcript_hash(&c->transcript, &th));
    assert_int_equal(rec->len, PL_HS_HEADER_LEN + PL_KS12_VERIFY_LEN);
    PL_ASSERT_OK(pl_ks12_finished_verify(&c->master, PL_ROLE_SERVER, &th,
                                         rec->data + PL_HS_HEADER_LEN, PL_KS12_VERIFY_LEN));
}

/* A whole handshake; the connection is left open in c. */
void pl_client12_handshake(pl_client12 *c, padlock_config *cfg, const pl_client12_opts *o) {
    pl_client12_start(c, cfg, o);
    pl_client12_read_flight(c, o);
    static uint8_t cert_msg[8192];
    uint8_t msg[1024];
    size_t len;
    if (c->cr_seen) {
        /* RFC 5246 §7.3: Certificate, ClientKeyExchange, then CertificateVerify. */
        len = pl_client12_certificate(c, o->cred, cert_msg, sizeof(cert_msg));
        pl_client12_send(c, PL_CONTENT_HANDSHAKE, cert_msg, len);
    }
    pl_record_keys ck, sk;
    len = pl_client12_key_exchange(c, msg, sizeof(msg), &ck, &sk);
    pl_client12_send(c, PL_CONTENT_HANDSHAKE, msg, len);
    if (c->cr_seen && o->cred != NULL) {
        uint16_t scheme = o->cv_scheme != 0 ? o->cv_scheme : pl_client12_default_scheme(o->cred);
        len = pl_client12_certificate_verify(c, o->cred, scheme, -1, msg, sizeof(msg));
        pl_client12_send(c, PL_CONTENT_HANDSHAKE, msg, len);
    }
    pl_client12_send(c, PL_CONTENT_CHANGE_CIPHER_SPEC, &pl_client12_ccs, 1);
    PL_ASSERT_OK(pl_record_dir_set_keys(&c->tx, &ck));
    len = pl_client12_finished(c, -1, msg, sizeof(msg));
    pl_client12_send(c, PL_CONTENT_HANDSHAKE, msg, len);
    pl_client12_drain(c);
    if (padlock_conn_error(c->conn) != PADLOCK_OK) {
        fail_msg("handshake: %s", padlock_conn_error_message(c->conn));
    }
    /* A NewSessionTicket if promised (RFC 5077 §3.3), the server's change_cipher_spec, then its
     * Finished under its new keys. */
    size_t off = 0;
    pl_record rec;
    assert_true(pl_client12_next(c, &off, &rec));
    if (c->ticket_promised) {
        pl_cur rest;
        pl_cur body = message_body(&rec, PL_HS_NEW_SESSION_TICKET, &rest);
        pl_errinfo err;
        pl_errinfo_init(&err);
        pl_new_session_ticket12 nst;
        PL_ASSERT_OK(pl_new_session_ticket12_parse(&nst, body.p, body.len, &err));
        assert_true(pl_cur_left(&nst.ticket) <= sizeof(c->ticket));
        c->ticket_len = pl_cur_left(&nst.ticket);
        memcpy(c->ticket, nst.ticket.p, c->ticket_len);
        pl_client12_keep(c, rec.data, rec.len);
        assert_true(pl_client12_next(c, &off, &rec));
    }
    server_finished(c, &rec, &off, &sk);
    assert_false(pl_client12_next(c, &off, &rec));
    c->out_len = 0;
    assert_true(padlock_conn_handshake_done(c->conn));
    assert_int_equal(padlock_conn_version(c->conn), PADLOCK_TLS12);
    assert_int_equal(padlock_conn_cipher_suite(c->conn), o->suite);
    assert_int_equal(padlock_conn_group(c->conn), c->suite->rsa_kx ? 0 : o->group);
}

/* Application data both ways over the TLS 1.2 records. */
void pl_client12_exchange(pl_client12 *c) {
    static const char ping[] = "ping over TLS 1.2";
    pl_client12_send(c, PL_CONTENT_APPLICATION_DATA, (const uint8_t *)ping, sizeof(ping));
    uint8_t got[64];
    size_t n = 0;
    PL_ASSERT_OK(padlock_conn_read(c->conn, got, sizeof(got), &n));
    assert_int_equal(n, sizeof(ping));
    assert_memory_equal(got, ping, sizeof(ping));
    static uint8_t big[40000];
    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = (uint8_t)(i * 31);
    }
    size_t sent = 0;
    uint8_t recvd[40000];
    size_t recvd_len = 0;
    while (sent < sizeof(big)) {
        size_t w = 0;
        PL_ASSERT_OK(padlock_conn_write(c->conn, big + sent, sizeof(big) - sent, &w));
        sent += w;
        pl_client12_drain(c);
        size_t off = 0;
        pl_record rec;
        while (pl_client12_next(c, &off, &rec)) {
            assert_int_equal(rec.type, PL_CONTENT_APPLICATION_DATA);
            memcpy(recvd + recvd_len, rec.data, rec.len);
            recvd_len += rec.len;
        }
        c->out_len = 0;
    }
    assert_int_equal(recvd_len, sizeof(big));
    assert_memory_equal(recvd, big, sizeof(big));
}


void pl_client12_close(pl_client12 *c) {
    static const uint8_t close_notify[2] = {1, PADLOCK_ALERT_CLOSE_NOTIFY};
    pl_client12_send(c, PL_CONTENT_ALERT, close_notify, sizeof(close_notify));
}

void pl_client12_resume(pl_client12 *c, padlock_config *cfg, const pl_client12_opts *o,
                        const pl_ks12_master *master) {
    pl_client12_start(c, cfg, o);
    c->master = *master;
    size_t off = 0;
    pl_record rec;
    /* ServerHello, echoing our session ID. */
    assert_true(pl_client12_next(c, &off, &rec));
    pl_cur rest;
    pl_cur body = message_body(&rec, PL_HS_SERVER_HELLO, &rest);
    assert_int_equal(pl_cur_left(&rest), 0);
    pl_errinfo err;
    pl_errinfo_init(&err);
    pl_server_hello sh;
    uint32_t offered = pl_ext_bit(PL_EXT_SERVER_NAME) | pl_ext_bit(PL_EXT_EC_POINT_FORMATS) |
                       pl_ext_bit(PL_EXT_EXTENDED_MASTER_SECRET) |
                       pl_ext_bit(PL_EXT_RENEGOTIATION_INFO) | pl_ext_bit(PL_EXT_SESSION_TICKET);
    PL_ASSERT_OK(pl_server_hello_parse(&sh, body.p, body.len, offered, &err));
    assert_int_equal(pl_cur_left(&sh.session_id), o->session_id_len);
    assert_memory_equal(sh.session_id.p, o->session_id, o->session_id_len);
    /* RFC 6066 §3: no server_name when resuming. */
    assert_false(pl_exts_has(&sh.exts, PL_EXT_SERVER_NAME));
    memcpy(c->server_random, sh.random, PL_RANDOM_LEN);
    pl_client12_keep(c, rec.data, rec.len);
    pl_record_keys ck, sk;
    PL_ASSERT_OK(pl_ks12_record_keys(&c->master, c->suite->aead, c->client_random,
                                     c->server_random, &ck, &sk));
    /* The server's change_cipher_spec and Finished come at once. */
    assert_true(pl_client12_next(c, &off, &rec));
    server_finished(c, &rec, &off, &sk);
    pl_client12_keep(c, rec.data, rec.len);
    assert_false(pl_client12_next(c, &off, &rec));
    c->out_len = 0;
    pl_client12_send(c, PL_CONTENT_CHANGE_CIPHER_SPEC, &pl_client12_ccs, 1);
    PL_ASSERT_OK(pl_record_dir_set_keys(&c->tx, &ck));
    uint8_t msg[64];
    size_t len = pl_client12_finished(c, -1, msg, sizeof(msg));
    pl_client12_send(c, PL_CONTENT_HANDSHAKE, msg, len);
    pl_client12_drain(c);
    if (padlock_conn_error(c->conn) != PADLOCK_OK) {
        fail_msg("resumption: %s", padlock_conn_error_message(c->conn));
    }
    assert_true(padlock_conn_handshake_done(c->conn));
    assert_true(padlock_conn_resumed(c->conn));
    pl_errinfo_cleanup(&err);
}

void pl_client12_expect_failure(pl_client12 *c, padlock_err code, uint8_t alert,
                                const char *needle) {
    pl_client12_drain(c);
    if (padlock_conn_error(c->conn) != code) {
        fail_msg("expected %s, got %s: %s", padlock_strerror(code),
                 padlock_strerror(padlock_conn_error(c->conn)),
                 padlock_conn_error_message(c->conn));
    }
    if (needle != NULL && strstr(padlock_conn_error_message(c->conn), needle) == NULL) {
        fail_msg("\"%s\" not in \"%s\"", needle, padlock_conn_error_message(c->conn));
    }
    size_t off = 0, alerts = 0;
    pl_record rec;
    while (pl_client12_next(c, &off, &rec)) {
        if (rec.type == PL_CONTENT_ALERT) {
            assert_int_equal(rec.len, 2);
            assert_int_equal(rec.data[0], 2);
            assert_int_equal(rec.data[1], alert);
            alerts++;
        }
    }
    assert_int_equal(alerts, 1);
    pl_client12_finish(c);
}
