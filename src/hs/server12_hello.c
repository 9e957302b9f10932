/* The TLS 1.2 server's answer to a ClientHello (RFC 5246 §7.3, §7.4.1.3 - §7.4.5): the choice of
 * suite, certificate, signature scheme (§7.4.1.4.1) and ECDHE group (RFC 8422 §5.1), checked
 * extended master secret (RFC 7627 §5.2) and renegotiation_info (RFC 5746 §3.6), then
 * ServerHello with the downgrade sentinel (RFC 8446 §4.1.3), Certificate, ServerKeyExchange
 * (RFC 8422 §5.4), CertificateRequest (§7.4.4) when client certificates are asked for, and
 * ServerHelloDone. Everything is chosen before the ServerHello goes out,
 * so a refusal is a plaintext alert. */
#include <string.h>

#include "hs/server12.h"
#include "hs/server13.h"
#include "util/mem.h"
#include "x509/credential.h"
#include "x509/hostname.h"

#define PL_TLS12 0x0303

const uint16_t pl_server12_sig_algs[] = {
    PL_SIG_ECDSA_SECP256R1_SHA256, PL_SIG_ECDSA_SECP384R1_SHA384,
    PL_SIG_ECDSA_SECP521R1_SHA512, PL_SIG_ED25519,
    PL_SIG_RSA_PSS_RSAE_SHA256,    PL_SIG_RSA_PSS_RSAE_SHA384,
    PL_SIG_RSA_PSS_RSAE_SHA512,    PL_SIG_RSA_PSS_PSS_SHA256,
    PL_SIG_RSA_PSS_PSS_SHA384,     PL_SIG_RSA_PSS_PSS_SHA512,
    PL_SIG_RSA_PKCS1_SHA256,       PL_SIG_RSA_PKCS1_SHA384,
    PL_SIG_RSA_PKCS1_SHA512,
};
const size_t pl_server12_num_sig_algs =
    sizeof(pl_server12_sig_algs) / sizeof(pl_server12_sig_algs[0]);

/* RFC 8422 §5.1.1: the curves of ECDHE in TLS 1.2 that padlock implements. */
static int pl_server12_group_ok(uint16_t group) {
    return group == PADLOCK_GROUP_X25519 || group == PADLOCK_GROUP_SECP256R1 ||
           group == PADLOCK_GROUP_SECP384R1;
}

/* What the server chose. */
typedef struct pl_server12_choice {
    const pl_suite *suite;
    const pl_x509_credential *cred;
    uint16_t scheme;
    uint16_t group;
    uint8_t name_matched;
} pl_server12_choice;

/* 1 if key may authenticate suite (RFC 8422 §2.1: ECDHE_ECDSA needs an ECDSA or EdDSA key;
 * RFC 5246 Appendix A.5: ECDHE_RSA an RSA key, RSA key transport an rsaEncryption key). */
static int pl_server12_key_fits(const pl_privkey *key, const pl_suite *suite) {
    pl_key_type type = pl_privkey_type(key);
    if (suite->rsa_kx) {
        return type == PL_KEY_RSA; /* RFC 5246 §7.4.2: encryption needs rsaEncryption */
    }
    if (suite->auth == PL_SUITE_AUTH_RSA) {
        return type == PL_KEY_RSA || type == PL_KEY_RSA_PSS;
    }
    return type == PL_KEY_EC_P256 || type == PL_KEY_EC_P384 || type == PL_KEY_EC_P521 ||
           type == PL_KEY_ED25519;
}

/* RFC 8422 §5.1: an ECDSA certificate's curve must be one the client's supported_groups
 * lists, when it sends that extension ("elliptic_curves" in RFC 4492). */
static int pl_server12_curve_ok(const pl_privkey *key, const pl_client_hello *ch) {
    uint16_t curve;
    switch (pl_privkey_type(key)) {
    case PL_KEY_EC_P256: curve = PADLOCK_GROUP_SECP256R1; break;
    case PL_KEY_EC_P384: curve = PADLOCK_GROUP_SECP384R1; break;
    case PL_KEY_EC_P521: curve = 0x0019; break;
    default: return 1;
    }
    return !pl_exts_has(&ch->exts, PL_EXT_SUPPORTED_GROUPS) ||
           pl_ext_u16_contains(ch->exts.supported_groups, curve);
}

/* Our first scheme that the client accepts and cred can sign with; 0 if none. */
static uint16_t pl_server12_scheme(const pl_x509_credential *cred, pl_cur client_schemes) {
    for (size_t i = 0; i < pl_server12_num_sig_algs; i++) {
        const pl_sig_alg *alg = pl_sig_by_scheme(pl_server12_sig_algs[i]);
        if (alg != NULL && pl_ext_u16_contains(client_schemes, pl_server12_sig_algs[i]) &&
            pl_privkey_can_sign(cred->key, alg)) {
            return pl_server12_sig_algs[i];
        }
    }
    return 0;
}

/* The first credential that covers peer (any when NULL) and can authenticate suite for ch. */
static const pl_x509_credential *
pl_server12_find_cert(const pl_hs_config *cfg, const pl_x509_peer *peer, const pl_suite *suite,
                      const pl_client_hello *ch, uint16_t *out_scheme) {
    for (size_t i = 0; i < cfg->num_creds; i++) {
        const pl_x509_credential *c = cfg->creds[i];
        if ((peer != NULL && !pl_x509_credential_covers(c, peer)) ||
            !pl_server12_key_fits(c->key, suite) || !pl_server12_curve_ok(c->key, ch)) {
            continue;
        }
        /* RSA key transport signs nothing: no ServerKeyExchange (RFC 5246 §7.4.3). */
        *out_scheme = suite->rsa_kx ? 0 : pl_server12_scheme(c, ch->exts.sig_algs);
        if (suite->rsa_kx || *out_scheme != 0) {
            return c;
        }
    }
    return NULL;
}

/* The suite (server order), with the certificate and scheme that authenticate it. */
static padlock_err pl_server12_choose_suite(pl_tls *tls, const pl_client_hello *ch,
                                            pl_server12_choice *out) {
    const pl_hs_config *cfg = tls->cfg;
    /* RFC 5246 §7.4.1.4.1: a client without signature_algorithms implies SHA-1 signatures,
     * which padlock does not make. */
    if (!pl_exts_has(&ch->exts, PL_EXT_SIGNATURE_ALGORITHMS)) {
        return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                           "ClientHello (TLS 1.2): no signature_algorithms, which means SHA-1 "
                           "signatures (RFC 5246 §7.4.1.4.1); padlock signs with SHA-2 only");
    }
    pl_x509_peer peer;
    int have_name =
        tls->server_name != NULL && pl_x509_peer_parse(tls->server_name, &peer) == PADLOCK_OK;
    int suite_shared = 0;
    /* In the server's order of preference, or the client's when so configured. */
    pl_cur theirs = ch->cipher_suites;
    size_t num = cfg->prefer_client ? pl_cur_left(&theirs) / 2 : cfg->num_suites12;
    for (size_t i = 0; i < num; i++) {
        uint16_t code = cfg->suites12[i < cfg->num_suites12 ? i : 0];
        if (cfg->prefer_client && !pl_ext_u16_next(&theirs, &code)) {
            break;
        }
        if (!pl_hs_list_has(cfg->suites12, cfg->num_suites12, code) ||
            !pl_ext_u16_contains(ch->cipher_suites, code)) {
            continue;
        }
        suite_shared = 1;
        const pl_suite *s = pl_suite_by_code(code);
        /* RFC 6066 §3: the name chooses the certificate; otherwise the default one. */
        out->cred = have_name ? pl_server12_find_cert(cfg, &peer, s, ch, &out->scheme) : NULL;
        out->name_matched = out->cred != NULL;
        if (out->cred == NULL) {
            out->cred = pl_server12_find_cert(cfg, NULL, s, ch, &out->scheme);
        }
        if (out->cred != NULL) {
            out->suite = s;
            return PADLOCK_OK;
        }
    }
    if (!suite_shared) {
        return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                           "ClientHello (TLS 1.2): none of the client's %zu cipher suites is a "
                           "TLS 1.2 suite this server accepts (ECDHE with AES-GCM or "
                           "ChaCha20-Poly1305%s)",
                           pl_cur_left(&ch->cipher_suites) / 2,
                           cfg->legacy_rsa ? ", or RSA key transport" : "");
    }
    return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                       "ClientHello (TLS 1.2): no certificate of this server fits a shared "
                       "cipher suite and signs with a scheme the client offers");
}

/* RFC 8422 §5.1.1: a curve of the client's supported_groups, in our order (or the client's
 * when so configured). */
static padlock_err pl_server12_choose_group(pl_tls *tls, const pl_client_hello *ch, uint16_t *out) {
    const pl_hs_config *cfg = tls->cfg;
    if (cfg->prefer_client && pl_exts_has(&ch->exts, PL_EXT_SUPPORTED_GROUPS)) {
        pl_cur theirs = ch->exts.supported_groups;
        uint16_t g;
        while (pl_ext_u16_next(&theirs, &g)) {
            if (pl_hs_list_has(cfg->groups, cfg->num_groups, g) && pl_server12_group_ok(g)) {
                *out = g;
                return PADLOCK_OK;
            }
        }
    }
    for (size_t i = 0; i < cfg->num_groups; i++) {
        uint16_t g = cfg->groups[i];
        /* RFC 8422 §4: a client without supported_groups is taken to support P-256 at
         * least; padlock answers it with its first curve only if that one is P-256. */
        int offered = pl_exts_has(&ch->exts, PL_EXT_SUPPORTED_GROUPS)
                          ? pl_ext_u16_contains(ch->exts.supported_groups, g)
                          : g == PADLOCK_GROUP_SECP256R1;
        if (offered && pl_server12_group_ok(g)) {
            *out = g;
            return PADLOCK_OK;
        }
    }
    return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                       "ClientHello (TLS 1.2): no elliptic curve in common for ECDHE (this "
                       "server uses X25519, P-256 and P-384 as configured)");
}

/* RFC 7627 §5.2, RFC 5746 §3.6: what a TLS 1.2 ClientHello must say about the master secret
 * and renegotiation. */
static padlock_err pl_server12_check_hello(pl_tls *tls, const pl_client_hello *ch) {
    /* RFC 7627 §5.2: a server that requires the extended master secret "MUST abort the
     * handshake" with a handshake_failure when the client does not offer it; padlock does
     * unless configured otherwise. */
    if (!pl_exts_has(&ch->exts, PL_EXT_EXTENDED_MASTER_SECRET) && tls->cfg->require_ems) {
        return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                           "ClientHello (TLS 1.2): no extended_master_secret; padlock requires "
                           "it (RFC 7627) against the triple handshake attack");
    }
    /* RFC 5746 §3.6: on an initial handshake "the server MUST ... verify that the length of the
     * "renegotiated_connection" field is zero, and if it is not, MUST abort the handshake". */
    if (pl_exts_has(&ch->exts, PL_EXT_RENEGOTIATION_INFO) &&
        pl_cur_left(&ch->exts.renegotiation_info) != 0) {
        return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                           "ClientHello (TLS 1.2): renegotiation_info is not empty on an "
                           "initial handshake (RFC 5746 §3.6)");
    }
    return PADLOCK_OK;
}

/* ServerHello (§7.4.1.3): our random with the downgrade sentinel when we also speak TLS 1.3
 * (RFC 8446 §4.1.3), h->session_id (a new ID for the cache, the client's echoed when resuming,
 * or none), and the extensions. */
static padlock_err pl_server12_send_hello(pl_tls *tls, pl_server12_hs *h, const pl_client_hello *ch,
                                          const pl_server12_choice *c, pl_cur alpn) {
    PL_TRY(pl_rand_bytes(pl_hs_config_rng(tls->cfg), h->server_random, PL_RANDOM_LEN));
    if (pl_hs_version_enabled(tls->cfg, PL_TLS13_VERSION)) {
        /* RFC 8446 §4.1.3: "TLS 1.3 servers which negotiate TLS 1.2 or below in response to a
         * ClientHello MUST set the last 8 bytes of their Random value specially": 44 4F 57 4E
         * 47 52 44 01. */
        static const uint8_t sentinel[8] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01};
        memcpy(h->server_random + PL_RANDOM_LEN - sizeof(sentinel), sentinel, sizeof(sentinel));
    }
    pl_server_hello sh;
    memset(&sh, 0, sizeof(sh));
    sh.legacy_version = PL_TLS12;
    sh.random = h->server_random;
    pl_cur_init(&sh.session_id, h->session_id, h->session_id_len);
    sh.cipher_suite = c->suite->code;
    sh.has_extensions = 1;
    static const uint8_t uncompressed[1] = {0};
    uint16_t ids[6];
    size_t n = 0;
    /* RFC 5746 §3.6: an empty renegotiation_info, as the client signalled support (extension
     * or SCSV) or not: padlock never renegotiates, and says so. */
    pl_cur_init(&sh.exts.renegotiation_info, NULL, 0);
    ids[n++] = PL_EXT_RENEGOTIATION_INFO;
    if (h->ems) {
        ids[n++] = PL_EXT_EXTENDED_MASTER_SECRET; /* RFC 7627 §5.2: only if offered */
    }
    if (pl_exts_has(&ch->exts, PL_EXT_EC_POINT_FORMATS)) {
        /* RFC 8422 §5.2: the server's list, uncompressed only. */
        pl_cur_init(&sh.exts.ec_point_formats, uncompressed, sizeof(uncompressed));
        ids[n++] = PL_EXT_EC_POINT_FORMATS;
    }
    if (c->name_matched) {
        ids[n++] = PL_EXT_SERVER_NAME; /* RFC 6066 §3: empty, the name was used */
    }
    if (h->issue_ticket) {
        /* RFC 5077 §3.2: an empty session_ticket announces a NewSessionTicket. */
        pl_cur_init(&sh.exts.session_ticket, NULL, 0);
        ids[n++] = PL_EXT_SESSION_TICKET;
    }
    if (pl_cur_left(&alpn) != 0) {
        sh.exts.alpn = alpn; /* RFC 7301 §3.1: in the TLS 1.2 ServerHello */
        ids[n++] = PL_EXT_ALPN;
    }
    uint8_t msg[PL_HS_HEADER_LEN + 2 + PL_RANDOM_LEN + 1 + 32 + 2 + 1 + 2 + 5 + 4 + 6 + 4 + 4 + 7 +
                255];
    pl_buf b;
    pl_buf_init(&b, msg, sizeof(msg));
    PL_TRY(pl_server_hello_build(&b, &sh, ids, n));
    return pl_server12_send(tls, h, b.p, b.len);
}

/* Certificate in the TLS 1.2 form (§7.4.2): the chain, leaf first. */
static padlock_err pl_server12_send_certificate(pl_tls *tls, pl_server12_hs *h,
                                                const pl_x509_credential *cred) {
    size_t list = 0;
    for (size_t i = 0; i < cred->num_certs; i++) {
        list += 3 + cred->der_len[i];
    }
    pl_buf work;
    PL_TRY(pl_scratch_buf(&h->scratch, 2 * list + PL_HS_HEADER_LEN + 3, &work));
    pl_buf entries;
    pl_buf_init(&entries, work.p, list);
    pl_cur none;
    pl_cur_init(&none, NULL, 0);
    for (size_t i = 0; i < cred->num_certs; i++) {
        PL_TRY(pl_cert_entry_write(&entries, 1, cred->der[i], cred->der_len[i], none));
    }
    pl_certificate msg;
    memset(&msg, 0, sizeof(msg));
    msg.tls12 = 1;
    pl_cur_init(&msg.context, NULL, 0);
    pl_cur_init(&msg.entries, entries.p, entries.len);
    pl_buf out;
    pl_buf_init(&out, work.p + list, list + PL_HS_HEADER_LEN + 3);
    PL_TRY(pl_certificate_build(&out, &msg));
    return pl_server12_send(tls, h, out.p, out.len);
}

/* ServerKeyExchange (RFC 8422 §5.4): our ephemeral key for the group, signed over both
 * randoms and the parameters with the chosen scheme. */
static padlock_err pl_server12_send_ske(pl_tls *tls, pl_server12_hs *h,
                                        const pl_server12_choice *c) {
    const pl_kx_alg *kx = pl_kx_by_group(c->group);
    PL_CHECK(kx != NULL, PADLOCK_E_INTERNAL);
    PL_TRY(pl_kx_generate(kx, pl_hs_config_rng(tls->cfg), &h->share));
    uint8_t params[4 + PL_KX_MAX_SHARE_LEN];
    pl_buf pb;
    pl_buf_init(&pb, params, sizeof(params));
    PL_TRY(pl_server_key_exchange_params(&pb, c->group, h->share.share, kx->share_len));
    uint8_t signed_bytes[2 * PL_RANDOM_LEN + sizeof(params)];
    pl_buf sb;
    pl_buf_init(&sb, signed_bytes, sizeof(signed_bytes));
    pl_cur pc;
    pl_cur_init(&pc, pb.p, pb.len);
    PL_TRY(pl_server_key_exchange_signed(&sb, h->client_random, h->server_random, pc));
    const pl_sig_alg *alg = pl_sig_by_scheme(c->scheme);
    PL_CHECK(alg != NULL, PADLOCK_E_INTERNAL);
    uint8_t sig[PL_SIG_MAX_LEN];
    size_t sig_len = 0;
    padlock_err rc = pl_privkey_sign(c->cred->key, alg, pl_hs_config_rng(tls->cfg), sb.p, sb.len,
                                     sig, sizeof(sig), &sig_len);
    if (rc != PADLOCK_OK) {
        return pl_tls_fail(tls, rc, "ServerKeyExchange: signing with %s failed: %s", alg->name,
                           padlock_strerror(rc));
    }
    pl_server_key_exchange ske;
    memset(&ske, 0, sizeof(ske));
    ske.group = c->group;
    pl_cur_init(&ske.point, h->share.share, kx->share_len);
    ske.scheme = c->scheme;
    pl_cur_init(&ske.signature, sig, sig_len);
    pl_buf out;
    PL_TRY(pl_scratch_buf(&h->scratch, PL_HS_HEADER_LEN + pb.len + 4 + sig_len, &out));
    PL_TRY(pl_server_key_exchange_build(&out, &ske));
    return pl_server12_send(tls, h, out.p, out.len);
}

/* The application protocol (RFC 7301 §3.2, negotiated afresh when resuming), kept in tls. */
static padlock_err pl_server12_alpn(pl_tls *tls, const pl_client_hello *ch, pl_cur *out) {
    PL_TRY(pl_server13_choose_alpn(tls, ch, out));
    size_t alpn_len = pl_cur_left(out);
    if (alpn_len != 0) {
        tls->alpn = pl_malloc(alpn_len + 1);
        PL_CHECK(tls->alpn != NULL, PADLOCK_E_NO_MEMORY);
        memcpy(tls->alpn, out->p, alpn_len);
        tls->alpn[alpn_len] = '\0';
    }
    return PADLOCK_OK;
}

/* RFC 5246 §7.3, the abbreviated handshake: ServerHello echoing the session ID, then at once
 * change_cipher_spec and Finished with keys from the stored master secret and the new
 * randoms; the client answers with its own. */
static padlock_err pl_server12_abbreviated(pl_tls *tls, pl_server12_hs *h,
                                           const pl_client_hello *ch, const pl_hs_msg *msg,
                                           uint8_t *out_next) {
    pl_server12_choice c;
    memset(&c, 0, sizeof(c));
    c.suite = pl_suite_by_code(h->resumed_suite);
    pl_cur alpn;
    PL_TRY(pl_server12_alpn(tls, ch, &alpn));
    tls->version = PL_TLS12;
    tls->suite = c.suite;
    tls->resumed = 1;
    h->resumed = 1;
    /* RFC 5246 §7.4.1.3 (RFC 5077 §3.4 for tickets): the client's session ID, echoed. */
    h->session_id_len = (uint8_t)pl_cur_left(&ch->session_id);
    memcpy(h->session_id, ch->session_id.p, h->session_id_len);
    PL_TRY(pl_transcript_select(&h->transcript, c.suite->hash));
    pl_transcript_update(&h->transcript, msg->raw, msg->raw_len);
    PL_TRY(pl_server12_send_hello(tls, h, ch, &c, alpn));
    pl_tls_keylog_bytes(tls, h->client_random, PL_KEYLOG_CLIENT_RANDOM, h->master.b,
                        sizeof(h->master.b));
    PL_TRY(pl_ks12_record_keys(&h->master, c.suite->aead, h->client_random, h->server_random,
                               &h->read_keys, &h->write_keys));
    PL_TRY(pl_server12_send_ccs_finished(tls, h));
    *out_next = PL_S12_WAIT_CCS;
    return PADLOCK_OK;
}

static padlock_err pl_server12_flight(pl_tls *tls, pl_server12_hs *h, const pl_client_hello *ch,
                                      const pl_hs_msg *msg, uint8_t *out_next) {
    const pl_hs_config *cfg = tls->cfg;
    pl_server12_choice c;
    memset(&c, 0, sizeof(c));
    PL_TRY(pl_server12_check_hello(tls, ch));
    h->ems = (uint8_t)pl_exts_has(&ch->exts, PL_EXT_EXTENDED_MASTER_SECRET);
    PL_TRY(pl_server13_keep_sni(tls, ch));
    int resumed = 0;
    PL_TRY(pl_server12_find_session(tls, ch, h, &resumed));
    if (resumed) {
        return pl_server12_abbreviated(tls, h, ch, msg, out_next);
    }
    PL_TRY(pl_server12_choose_suite(tls, ch, &c));
    if (c.suite->rsa_kx) {
        h->rsa_key = c.cred->key;
        h->client_version = ch->legacy_version;
    } else {
        PL_TRY(pl_server12_choose_group(tls, ch, &c.group));
    }
    pl_cur alpn;
    PL_TRY(pl_server12_alpn(tls, ch, &alpn));
    tls->version = PL_TLS12;
    tls->suite = c.suite;
    tls->group = c.group;
    /* The session is kept for resumption: in a ticket for a client that takes them (RFC 5077
     * §3.2), else under a new random session ID in the cache. */
    /* RFC 7627 §5.3: a session without the extended master secret is never resumed, so it is
     * not kept. */
    h->issue_ticket = pl_exts_has(&ch->exts, PL_EXT_SESSION_TICKET) && cfg->num_tickets > 0 &&
                      cfg->ticket_keys != NULL && h->ems;
    if (!h->issue_ticket && cfg->session_cache != NULL && h->ems) {
        PL_TRY(pl_rand_bytes(pl_hs_config_rng(cfg), h->session_id, sizeof(h->session_id)));
        h->session_id_len = sizeof(h->session_id);
    }
    PL_TRY(pl_transcript_select(&h->transcript, c.suite->hash));
    /* RFC 5246 §7.4.8: a client certificate's CertificateVerify signs the messages from here. */
    h->keep_log = cfg->client_auth != PL_CLIENT_AUTH_NONE;
    PL_TRY(pl_server12_take(h, msg->raw, msg->raw_len));
    PL_TRY(pl_server12_send_hello(tls, h, ch, &c, alpn));
    PL_TRY(pl_server12_send_certificate(tls, h, c.cred));
    if (!c.suite->rsa_kx) {
        PL_TRY(pl_server12_send_ske(tls, h, &c));
    }
    if (cfg->client_auth != PL_CLIENT_AUTH_NONE) {
        PL_TRY(pl_server12_send_cr(tls, h));
    }
    uint8_t done[PL_HS_HEADER_LEN];
    pl_buf b;
    pl_buf_init(&b, done, sizeof(done));
    PL_TRY(pl_server_hello_done_build(&b));
    PL_TRY(pl_server12_send(tls, h, b.p, b.len));
    /* RFC 5246 §7.3: the client's Certificate comes first when one was requested. */
    *out_next = cfg->client_auth != PL_CLIENT_AUTH_NONE ? PL_S12_WAIT_CERT : PL_S12_WAIT_CKE;
    return PADLOCK_OK;
}

padlock_err pl_server12_on_client_hello(pl_tls *tls, const pl_client_hello *ch,
                                        const pl_hs_msg *msg, uint8_t *out_next) {
    pl_server12_hs *h = pl_calloc(1, sizeof(*h));
    PL_CHECK(h != NULL, PADLOCK_E_NO_MEMORY);
    pl_transcript_init(&h->transcript);
    memcpy(h->client_random, ch->random, PL_RANDOM_LEN);
    /* From here the TLS 1.2 table owns the handshake state, and frees it on any failure. */
    pl_hs_switch(tls, &pl_server12_table, h);
    return pl_server12_flight(tls, h, ch, msg, out_next);
}
