/* The TLS 1.3 client's hellos: building the ClientHello (RFC 8446 §4.1.2, middlebox compatibility
 * of Appendix D.4), the HelloRetryRequest (§4.1.4) and the ServerHello (§4.1.3) with every check
 * that needs our own ClientHello, and the handshake secrets that follow (§7.1). */
#include <string.h>

#include "hs/client12.h"
#include "hs/client13.h"
#include "util/mem.h"

#define PL_TLS13 0x0304
#define PL_TLS12 0x0303
#define PL_RECORD_VERSION_TLS10 0x0301
/* More than the extensions padlock knows, each at most once. */
#define PL_CLIENT13_MAX_EXTS 24

/* Our extensions, in this order, when no profile is set. */
static const uint16_t pl_client13_default_order[] = {
    PL_EXT_SERVER_NAME,
    PL_EXT_SUPPORTED_GROUPS,
    PL_EXT_SIGNATURE_ALGORITHMS,
    PL_EXT_SIGNATURE_ALGORITHMS_CERT,
    PL_EXT_ALPN,
    PL_EXT_KEY_SHARE,
    PL_EXT_SUPPORTED_VERSIONS,
    PL_EXT_PSK_KEY_EXCHANGE_MODES,
    PL_EXT_RECORD_SIZE_LIMIT,
};

/* What a ClientHello that offers TLS 1.2 adds, after the extensions above: RFC 8422 §5.1.2
 * (uncompressed points), RFC 7627 §5.1, RFC 5746 §3.4 (an empty renegotiation_info rather than
 * the SCSV), RFC 5077 §3.2. */
static const uint16_t pl_client13_tls12_exts[] = {
    PL_EXT_EC_POINT_FORMATS,
    PL_EXT_EXTENDED_MASTER_SECRET,
    PL_EXT_RENEGOTIATION_INFO,
    PL_EXT_SESSION_TICKET,
};

int pl_client13_offers13(const pl_tls *tls) {
    return pl_hs_version_enabled(tls->cfg, PL_TLS13) && tls->cfg->num_suites > 0;
}

int pl_client13_offers12(const pl_tls *tls) {
    return pl_hs_version_enabled(tls->cfg, PL_TLS12) && tls->cfg->profile == NULL &&
           tls->cfg->num_suites12 > 0;
}

/* RFC 8449 §4: "Endpoints SHOULD advertise the "record_size_limit" extension, even if they have
 * no need to limit the size of records"; TLS 1.3's own limit is 2^14 + 1. */
#define PL_CLIENT13_RECORD_SIZE_LIMIT (PL_RECORD_MAX_PLAINTEXT + 1)

const uint16_t *pl_client13_sig_algs(const pl_tls *tls, size_t *out_num) {
    const pl_client_profile *p = tls->cfg->profile;
    if (p != NULL) {
        *out_num = p->num_sig_algs;
        return p->sig_algs;
    }
    *out_num = pl_auth13_num_sig_algs;
    return pl_auth13_sig_algs;
}

/* The supported_groups list of our ClientHello. */
static const uint16_t *pl_client13_groups(const pl_tls *tls, size_t *out_num) {
    const pl_client_profile *p = tls->cfg->profile;
    if (p != NULL) {
        *out_num = p->num_groups;
        return p->groups;
    }
    *out_num = tls->cfg->num_groups;
    return tls->cfg->groups;
}

/* The server name as sent in server_name (RFC 6066 §3): a DNS host name without its trailing
 * dot; an IP address is not sent. *out_len 0 when nothing is sent. */
static void pl_client13_sni(const pl_tls *tls, const uint8_t **out, size_t *out_len) {
    *out = NULL;
    *out_len = 0;
    if (tls->server_name == NULL) {
        return;
    }
    size_t len = strlen(tls->server_name);
    if (len > 1 && tls->server_name[len - 1] == '.') {
        len--;
    }
    if (pl_ext_sni_host_valid((const uint8_t *)tls->server_name, len)) {
        *out = (const uint8_t *)tls->server_name;
        *out_len = len;
    }
}

size_t pl_client13_ticket_room(const pl_tls *tls) {
    const uint8_t *sni;
    size_t sni_len;
    pl_client13_sni(tls, &sni, &sni_len);
    size_t used = PL_CLIENT13_EXTS_OTHER_MAX + sni_len + tls->cfg->alpn_len;
    return used < 0xffff ? 0xffff - used : 0;
}

/* Writes a u16 list into storage and points list at it. */
static padlock_err pl_client13_list(uint8_t *storage, size_t cap, const uint16_t *vals, size_t num,
                                    pl_cur *list) {
    pl_buf b;
    pl_buf_init(&b, storage, cap);
    PL_TRY(pl_ext_u16_list_write(&b, vals, num));
    pl_cur_init(list, b.p, b.len);
    return PADLOCK_OK;
}

/* Builds and sends our ClientHello (again after a HelloRetryRequest, §4.1.2: the same hello
 * with the new key share and the cookie, if any). */
static padlock_err pl_client13_send_hello(pl_tls *tls, pl_client13_hs *h, pl_cur cookie) {
    const pl_hs_config *cfg = tls->cfg;
    const pl_client_profile *prof = cfg->profile;
    static const uint8_t null_compression[1] = {0};
    static const uint8_t psk_modes[1] = {PL_PSK_DHE_KE};
    static const uint8_t uncompressed[1] = {0};
    int offers13 = pl_client13_offers13(tls);
    int offers12 = pl_client13_offers12(tls);
    /* RFC 8446 §4.2.1: the versions in preference order; TLS 1.2 suites after TLS 1.3's. */
    uint16_t versions[2], suites[2 * PL_HS_MAX_SUITES], sigs[64];
    size_t num_versions = 0, num_suites = 0, num_groups, num_sigs;
    if (offers13) {
        versions[num_versions++] = PL_TLS13;
        for (size_t i = 0; i < cfg->num_suites; i++) {
            suites[num_suites++] = cfg->suites[i];
        }
    }
    if (offers12) {
        versions[num_versions++] = PL_TLS12;
        for (size_t i = 0; i < cfg->num_suites12; i++) {
            const pl_suite *s = pl_suite_by_code(cfg->suites12[i]);
            /* RSA key transport only with legacy_rsa_key_exchange (which puts it in the list). */
            if (s != NULL && (!s->rsa_kx || cfg->legacy_rsa)) {
                suites[num_suites++] = cfg->suites12[i];
            }
        }
    }
    const uint16_t *groups = pl_client13_groups(tls, &num_groups);
    const uint16_t *sigs13 = pl_client13_sig_algs(tls, &num_sigs);
    PL_CHECK(num_sigs + pl_client12_num_extra_sig_algs <= sizeof(sigs) / 2,
             PADLOCK_E_INVALID_ARGUMENT);
    memcpy(sigs, sigs13, num_sigs * 2);
    if (offers12) {
        memcpy(sigs + num_sigs, pl_client12_extra_sig_algs, pl_client12_num_extra_sig_algs * 2);
        num_sigs += pl_client12_num_extra_sig_algs;
    }
    const pl_session12 *s12 = h->offered12 ? tls->session12 : NULL;
    uint8_t suites_b[4 * PL_HS_MAX_SUITES], groups_b[128], sigs_b[128], sigs_cert_b[128];
    uint8_t versions_b[4], share_b[4 + PL_KX_MAX_SHARE_LEN];
    PL_CHECK(num_groups <= sizeof(groups_b) / 2, PADLOCK_E_INVALID_ARGUMENT);

    pl_client_hello ch;
    memset(&ch, 0, sizeof(ch));
    /* §4.1.2: legacy_version 0x0303; the version is negotiated in supported_versions. */
    ch.legacy_version = PL_TLS12;
    ch.random = h->random;
    pl_cur_init(&ch.session_id, h->session_id, h->session_id_len);
    PL_TRY(pl_client13_list(suites_b, sizeof(suites_b), suites, num_suites, &ch.cipher_suites));
    /* §4.1.2: "For every TLS 1.3 ClientHello, this vector MUST contain exactly one byte, set to
     * zero". */
    pl_cur_init(&ch.compression_methods, null_compression, 1);
    ch.has_extensions = 1;
    pl_exts *e = &ch.exts;
    const uint8_t *sni;
    size_t sni_len;
    pl_client13_sni(tls, &sni, &sni_len);
    pl_cur_init(&e->server_name, sni, sni_len);
    PL_TRY(pl_client13_list(groups_b, sizeof(groups_b), groups, num_groups, &e->supported_groups));
    PL_TRY(pl_client13_list(sigs_b, sizeof(sigs_b), sigs, num_sigs, &e->sig_algs));
    PL_TRY(pl_client13_list(sigs_cert_b, sizeof(sigs_cert_b), pl_auth13_sig_algs_cert,
                            pl_auth13_num_sig_algs_cert, &e->sig_algs_cert));
    PL_TRY(pl_client13_list(versions_b, sizeof(versions_b), versions, num_versions, &e->versions));
    pl_buf share;
    pl_buf_init(&share, share_b, sizeof(share_b));
    if (offers13) {
        PL_TRY(pl_ext_key_share_entry_write(&share, h->share.alg->group, h->share.share,
                                            h->share.alg->share_len));
    }
    pl_cur_init(&e->key_shares, share.p, share.len);
    pl_cur_init(&e->psk_modes, psk_modes, 1);
    pl_cur_init(&e->alpn, cfg->alpn, cfg->alpn_len);
    e->cookie = cookie;
    e->record_size_limit = prof != NULL ? prof->record_size_limit : PL_CLIENT13_RECORD_SIZE_LIMIT;
    /* renegotiation_info goes out empty: this is an initial handshake (RFC 5746 §3.4);
     * session_ticket too (RFC 5077 §3.2) unless a TLS 1.2 session with a ticket is offered. */
    pl_cur_init(&e->renegotiation_info, NULL, 0);
    pl_cur_init(&e->session_ticket, NULL, 0);
    pl_cur_init(&e->ec_point_formats, uncompressed, sizeof(uncompressed));
    if (s12 != NULL) {
        /* RFC 5077 §3.4: the ticket of the session offered, if it has one. */
        pl_cur_init(&e->session_ticket, pl_session12_ticket(s12), s12->ticket_len);
    }

    const uint16_t *order = prof != NULL ? prof->ext_order : pl_client13_default_order;
    size_t num_order =
        prof != NULL ? prof->num_ext
                     : sizeof(pl_client13_default_order) / sizeof(pl_client13_default_order[0]);
    uint16_t ids[PL_CLIENT13_MAX_EXTS];
    size_t n = 0;
    for (size_t i = 0; i < num_order; i++) {
        if ((order[i] == PL_EXT_SERVER_NAME && sni_len == 0) ||
            (order[i] == PL_EXT_ALPN && cfg->alpn_len == 0) ||
            (!offers13 &&
             (order[i] == PL_EXT_KEY_SHARE || order[i] == PL_EXT_PSK_KEY_EXCHANGE_MODES))) {
            continue;
        }
        PL_CHECK(n < PL_CLIENT13_MAX_EXTS - 1, PADLOCK_E_INVALID_ARGUMENT);
        ids[n++] = order[i];
    }
    for (size_t i = 0; offers12 && i < sizeof(pl_client13_tls12_exts) / sizeof(uint16_t); i++) {
        PL_CHECK(n < PL_CLIENT13_MAX_EXTS - 2, PADLOCK_E_INVALID_ARGUMENT);
        ids[n++] = pl_client13_tls12_exts[i];
    }
    if (pl_cur_left(&cookie) > 0) {
        /* §4.2.2: the client echoes the HelloRetryRequest's cookie. */
        ids[n++] = PL_EXT_COOKIE;
    }
    /* The work buffer holds the PSK identities list, then the message. */
    size_t psk_room = pl_client13_psk_room(h);
    size_t need = 1024 + sni_len + cfg->alpn_len + pl_cur_left(&cookie) + share.len + 2 * psk_room +
                  pl_cur_left(&e->session_ticket);
    pl_buf work;
    PL_TRY(pl_scratch_buf(&h->scratch, need, &work));
    uint8_t binders_b[1 + PL_KS13_MAX_SECRET_LEN];
    if (h->psk_ticket != NULL) {
        /* §4.2.11: "The "pre_shared_key" extension MUST be the last extension". */
        pl_buf identities;
        pl_buf_init(&identities, work.p, psk_room);
        PL_TRY(pl_client13_psk_fields(tls, h, &identities, binders_b, sizeof(binders_b), e));
        ids[n++] = PL_EXT_PRE_SHARED_KEY;
    }
    h->offered = pl_ext_mask(ids, n);
    pl_buf b;
    pl_buf_init(&b, work.p + psk_room, work.cap - psk_room);
    PL_TRY(pl_client_hello_build(&b, &ch, ids, n));
    pl_transcript *t = &h->transcript;
    if (h->psk_ticket != NULL) {
        PL_TRY(pl_client13_bind(h, &ch, &b));
        t = NULL; /* bind hashed it into the transcript */
    }
    /* §5.1: legacy_record_version "MUST be set to 0x0303 for all records generated by a TLS 1.3
     * implementation other than an initial ClientHello ..., where it MAY also be 0x0301 for
     * compatibility purposes". */
    if (h->hrr_suite == 0) {
        pl_record_dir_set_version(&tls->rio.tx, PL_RECORD_VERSION_TLS10);
    }
    PL_TRY(pl_tls_send_message(tls, t, b.p, b.len));
    h->ch = b.p;
    h->ch_len = b.len;
    PL_TRY(pl_rio_flush(&tls->rio));
    pl_record_dir_set_version(&tls->rio.tx, PL_TLS12);
    return PADLOCK_OK;
}

padlock_err pl_client13_start(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    (void)msg;
    const pl_hs_config *cfg = tls->cfg;
    if (cfg->verify && tls->server_name == NULL) {
        return pl_tls_fail(tls, PADLOCK_E_NO_SERVER_NAME,
                           "no server name was set, so the server's certificate cannot be "
                           "verified (set one, or disable verification explicitly)");
    }
    int offers13 = pl_client13_offers13(tls);
    const pl_kx_alg *kx = cfg->num_groups > 0 ? pl_kx_by_group(cfg->groups[0]) : NULL;
    PL_CHECK(kx != NULL && (offers13 || pl_client13_offers12(tls)), PADLOCK_E_INVALID_ARGUMENT);
    pl_client13_hs *h = pl_calloc(1, sizeof(*h));
    PL_CHECK(h != NULL, PADLOCK_E_NO_MEMORY);
    tls->hs = h;
    pl_transcript_init(&h->transcript);
    const pl_rng *rng = pl_hs_config_rng(cfg);
    /* Appendix D.4: in compatibility mode the client sends a non-empty 32-byte session id. */
    h->session_id_len = cfg->profile != NULL ? cfg->profile->session_id_len : PL_SESSION_ID_MAX;
    /* One draw for the flight: the random, the session id and an X25519 key share's private key
     * (any 32 bytes are one, RFC 7748 §5; an EC scalar is drawn by rejection in pl_kx_generate). */
    size_t priv_len = offers13 && kx->group == PL_GROUP_X25519 ? kx->priv_len : 0;
    uint8_t drawn[PL_RANDOM_LEN + PL_SESSION_ID_MAX + PL_KX_MAX_PRIV_LEN];
    uint8_t *priv = drawn + PL_RANDOM_LEN + h->session_id_len;
    padlock_err rc = pl_rand_bytes(rng, drawn, PL_RANDOM_LEN + h->session_id_len + priv_len);
    if (rc == PADLOCK_OK) {
        memcpy(h->random, drawn, PL_RANDOM_LEN);
        memcpy(h->session_id, drawn + PL_RANDOM_LEN, h->session_id_len);
        if (priv_len != 0) {
            rc = pl_kx_from_private(kx, priv, priv_len, &h->share);
        } else if (offers13) {
            rc = pl_kx_generate(kx, rng, &h->share);
        }
    }
    pl_wipe(drawn, sizeof(drawn));
    PL_TRY(rc);
    const pl_session12 *s12 = pl_client13_offers12(tls) ? pl_client12_offerable(tls) : NULL;
    h->offered12 = s12 != NULL;
    if (s12 != NULL && s12->ticket_len == 0) {
        /* RFC 5246 §7.4.1.2: the session ID of the session to resume. With a ticket the ID
         * stays random (RFC 5077 §3.4), so that an echo tells the ticket was accepted. */
        h->session_id_len = s12->session_id_len;
        memcpy(h->session_id, s12->session_id, s12->session_id_len);
    }
    if (!offers13) {
        /* A TLS 1.2 hello: no key share, no TLS 1.3 session (neither version's sessions are
         * offered for the other). */
        pl_cur no_cookie;
        pl_cur_init(&no_cookie, NULL, 0);
        PL_TRY(pl_client13_send_hello(tls, h, no_cookie));
        *out_next = PL_C13_WAIT_SH;
        return PADLOCK_OK;
    }
    /* §4.2.8: one key share (made above), for the most preferred group; the others are in
     * supported_groups for a HelloRetryRequest to pick. */
    pl_client13_pick_session(tls, h);
    pl_cur no_cookie;
    pl_cur_init(&no_cookie, NULL, 0);
    PL_TRY(pl_client13_send_hello(tls, h, no_cookie));
    if (h->session_id_len != 0) {
        /* Appendix D.4: a dummy change_cipher_spec "immediately before its second flight",
         * which is either the second ClientHello or the encrypted flight. */
        pl_rio_want_ccs(&tls->rio);
    }
    *out_next = PL_C13_WAIT_SH;
    return PADLOCK_OK;
}

/* The checks a ServerHello and a HelloRetryRequest share: they need our ClientHello. */
static padlock_err pl_client13_check_hello(pl_tls *tls, const pl_client13_hs *h,
                                           const pl_server_hello *sh, const char *what) {
    /* §4.1.3: legacy_version "MUST be set to 0x0303". */
    if (sh->legacy_version != PL_TLS12) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "%s: legacy_version is 0x%04x, not 0x0303", what, sh->legacy_version);
    }
    /* §4.2.1: "If the "supported_versions" extension in the ServerHello contains a version not
     * offered by the client ..., the client MUST abort the handshake with an
     * "illegal_parameter" alert." */
    if (sh->exts.selected_version != PL_TLS13 || !pl_client13_offers13(tls)) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "%s: supported_versions selects 0x%04x, which was not offered", what,
                           sh->exts.selected_version);
    }
    /* §4.1.3: "A client which receives a legacy_session_id_echo field that does not match what
     * it sent in the ClientHello MUST abort the handshake with an "illegal_parameter" alert." */
    if (pl_cur_left(&sh->session_id) != h->session_id_len ||
        memcmp(sh->session_id.p, h->session_id, h->session_id_len) != 0) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "%s: legacy_session_id_echo does not match our session id", what);
    }
    /* §4.1.3: "A client which receives a cipher suite that was not offered MUST abort the
     * handshake with an "illegal_parameter" alert." */
    if (!pl_hs_list_has(tls->cfg->suites, tls->cfg->num_suites, sh->cipher_suite) ||
        pl_suite_by_code(sh->cipher_suite) == NULL) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "%s: cipher suite 0x%04x was not offered", what, sh->cipher_suite);
    }
    return PADLOCK_OK;
}

/* A ServerHello for TLS 1.2 or older when our ClientHello offered TLS 1.3 only. */
static padlock_err pl_client13_refuse_version(pl_tls *tls, const pl_server_hello *sh) {
    /* §4.1.3: "TLS 1.3 clients receiving a ServerHello indicating TLS 1.2 or below MUST check
     * that the last 8 bytes are not equal to either of these values ... If a match is found,
     * the client MUST abort the handshake with an "illegal_parameter" alert." */
    if (pl_server_hello_downgrade(sh->random) != PL_DOWNGRADE_NONE) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ServerHello: an older protocol (0x%04x) was selected although the "
                           "server's random carries the TLS 1.3 downgrade sentinel",
                           sh->legacy_version);
    }
    return pl_tls_fail(tls, PADLOCK_E_PROTOCOL_VERSION,
                       "ServerHello: the server selected protocol version 0x%04x; padlock "
                       "offered TLS 1.3 only",
                       sh->legacy_version);
}

padlock_err pl_client13_on_hello_retry(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    pl_client13_hs *h = tls->hs;
    pl_server_hello hrr;
    PL_TRY(pl_server_hello_parse(&hrr, msg->body, msg->body_len, h->offered, &tls->err));
    PL_TRY(pl_client13_check_hello(tls, h, &hrr, "HelloRetryRequest"));
    int has_share = pl_exts_has(&hrr.exts, PL_EXT_KEY_SHARE);
    /* §4.1.4: "Clients MUST abort the handshake with an "illegal_parameter" alert if the
     * HelloRetryRequest would not result in any change in the ClientHello." Only a new key
     * share or a cookie can change it here. */
    if (!has_share && !pl_exts_has(&hrr.exts, PL_EXT_COOKIE)) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "HelloRetryRequest: asks for neither a key share nor a cookie, so the "
                           "retried ClientHello would not change");
    }
    const pl_kx_alg *kx = h->share.alg;
    if (has_share) {
        uint16_t group = hrr.exts.key_share_group;
        size_t num_groups;
        const uint16_t *groups = pl_client13_groups(tls, &num_groups);
        /* §4.2.8: the selected_group must be in our supported_groups and must not be a group
         * we already sent a share for; "If either of these checks fails, then the client MUST
         * abort the handshake with an "illegal_parameter" alert." */
        if (!pl_hs_list_has(groups, num_groups, group)) {
            return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                               "HelloRetryRequest: selects group 0x%04x, which was not offered",
                               group);
        }
        if (group == h->share.alg->group) {
            return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                               "HelloRetryRequest: selects %s, for which a key share was already "
                               "sent",
                               h->share.alg->name);
        }
        kx = pl_kx_by_group(group);
        if (kx == NULL) {
            return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                               "HelloRetryRequest: selects group 0x%04x, which padlock cannot use",
                               group);
        }
    }
    const pl_suite *suite = pl_suite_by_code(hrr.cipher_suite);
    if (h->psk_ticket != NULL && h->psk_ticket->psk.hash != suite->hash) {
        /* §4.1.2 allows "removing any PSKs which are incompatible with the server's indicated
         * cipher suite", and §4.1.4 says the client SHOULD NOT offer them. */
        pl_client13_drop_session(h);
    }
    /* §4.4.1: ClientHello1 becomes message_hash in the transcript of the suite's hash. */
    PL_TRY(pl_transcript_select(&h->transcript, suite->hash));
    pl_transcript_hrr(&h->transcript);
    pl_transcript_update(&h->transcript, msg->raw, msg->raw_len);
    h->hrr_suite = hrr.cipher_suite;
    if (has_share) {
        pl_kx_key_cleanup(&h->share);
        PL_TRY(pl_kx_generate(kx, pl_hs_config_rng(tls->cfg), &h->share));
    }
    /* The cookie points into the HelloRetryRequest, which lives until this handler returns. */
    pl_cur cookie;
    pl_cur_init(&cookie, NULL, 0);
    if (pl_exts_has(&hrr.exts, PL_EXT_COOKIE)) {
        cookie = hrr.exts.cookie;
    }
    padlock_err rc = pl_client13_send_hello(tls, h, cookie);
    if (rc == PADLOCK_E_ENCODE_OVERFLOW) {
        /* The first ClientHello went out, so the cookie, the one thing of any size added (a new
         * key share adds a few dozen bytes at most), is what overflowed the
         * extensions<8..2^16-1> of §4.1.2: the server's fault, not ours. */
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "HelloRetryRequest: its cookie of %zu bytes does not fit in the "
                           "retried ClientHello's extensions (at most 65535 bytes)",
                           pl_cur_left(&cookie));
    }
    PL_TRY(rc);
    *out_next = PL_C13_WAIT_SH_RETRY;
    return PADLOCK_OK;
}

/* §7.1: the Early Secret (from the session's PSK when the server accepted it), the Handshake
 * Secret from the ECDHE output, the handshake traffic secrets, and the record keys for both
 * directions. */
static padlock_err pl_client13_handshake_keys(pl_tls *tls, pl_client13_hs *h, const uint8_t *shared,
                                              size_t shared_len) {
    pl_ks13_early early;
    if (h->psk_accepted) {
        /* The session's Early Secret, made with its binder; its hash is the suite's (checked
         * with the ServerHello). */
        early = h->psk_early;
        pl_ks13_early_cleanup(&h->psk_early);
    } else {
        PL_TRY(pl_ks13_early_init(&early, tls->suite->hash, NULL, 0));
    }
    pl_digest th;
    PL_TRY(pl_transcript_hash(&h->transcript, &th));
    /* Everything the client sends from now on is protected, an alert about this very record
     * included (the server reads with these keys once it sent its ServerHello). */
    return pl_tls_handshake_secrets(tls, &early, shared, shared_len, &th, h->random, &h->master,
                                    &h->c_finished, &h->s_finished);
}

padlock_err pl_client13_on_server_hello(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    pl_client13_hs *h = tls->hs;
    pl_server_hello sh;
    PL_TRY(pl_server_hello_peek(&sh, msg->body, msg->body_len, &tls->err));
    if (sh.kind == PL_EXT_IN_SH12) {
        /* §4.1.4: "the value of selected_version in the HelloRetryRequest "supported_versions"
         * extension MUST be retained in the ServerHello, and a client MUST abort the handshake
         * with an "illegal_parameter" alert if the value changes." */
        if (h->hrr_suite != 0) {
            return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                               "ServerHello: selects protocol version 0x%04x after a "
                               "HelloRetryRequest that selected TLS 1.3",
                               sh.legacy_version);
        }
        if (pl_client13_offers12(tls)) {
            return pl_client12_on_server_hello(tls, h, msg, out_next);
        }
        return pl_client13_refuse_version(tls, &sh);
    }
    PL_TRY(pl_server_hello_parse(&sh, msg->body, msg->body_len, h->offered, &tls->err));
    PL_TRY(pl_client13_check_hello(tls, h, &sh, "ServerHello"));
    /* §4.1.4: the ServerHello after a HelloRetryRequest keeps its cipher suite and version. */
    if (h->hrr_suite != 0 && sh.cipher_suite != h->hrr_suite) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ServerHello: cipher suite 0x%04x differs from the "
                           "HelloRetryRequest's 0x%04x",
                           sh.cipher_suite, h->hrr_suite);
    }
    /* pl_client13_check_hello already pinned the version to the one we offered, which is the
     * HelloRetryRequest's too. */
    if (pl_exts_has(&sh.exts, PL_EXT_PRE_SHARED_KEY)) {
        /* The parser let it through only if we offered one session. §4.2.11: "Clients MUST
         * verify that the server's selected_identity is within the range supplied by the
         * client, that the server selected a cipher suite indicating a Hash associated with
         * the PSK, and that a server "key_share" extension is present if required by the
         * ClientHello "psk_key_exchange_modes" extension" (we offer psk_dhe_ke only), else
         * illegal_parameter. */
        const char *bad = NULL;
        if (sh.exts.psk_selected != 0) {
            bad = "selects a pre_shared_key identity that was not offered";
        } else if (pl_suite_by_code(sh.cipher_suite)->hash != h->psk_ticket->psk.hash) {
            bad = "selects the offered session with a cipher suite of another hash";
        } else if (!pl_exts_has(&sh.exts, PL_EXT_KEY_SHARE)) {
            bad = "accepts the session without a key_share, but only psk_dhe_ke was offered";
        }
        if (bad != NULL) {
            return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER, "ServerHello: %s", bad);
        }
        h->psk_accepted = 1;
        tls->resumed = 1;
    }
    if (!pl_exts_has(&sh.exts, PL_EXT_KEY_SHARE)) {
        /* §4.2.8, §9.2: without a PSK only (EC)DHE can establish keys. */
        return pl_tls_fail(tls, PADLOCK_E_MISSING_EXTENSION,
                           "ServerHello: no key_share, and no pre-shared key was accepted");
    }
    /* §4.2.8: the server's share "MUST be in the same group as the KeyShareEntry value offered
     * by the client that the server has selected"; otherwise illegal_parameter. */
    if (sh.exts.key_share_group != h->share.alg->group) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ServerHello: key share for group 0x%04x, but ours was for %s",
                           sh.exts.key_share_group, h->share.alg->name);
    }
    tls->suite = pl_suite_by_code(sh.cipher_suite);
    tls->version = PL_TLS13;
    tls->group = h->share.alg->group;
    uint8_t shared[PL_KX_MAX_SECRET_LEN];
    padlock_err rc =
        pl_kx_derive(&h->share, sh.exts.key_exchange.p, pl_cur_left(&sh.exts.key_exchange), shared);
    if (rc != PADLOCK_OK) {
        return pl_tls_fail(tls, rc, "ServerHello: the server's %s key share is invalid",
                           h->share.alg->name);
    }
    size_t shared_len = h->share.alg->secret_len;
    pl_kx_key_cleanup(&h->share);
    rc = pl_transcript_select(&h->transcript, tls->suite->hash);
    if (rc == PADLOCK_OK) {
        pl_transcript_update(&h->transcript, msg->raw, msg->raw_len);
        rc = pl_client13_handshake_keys(tls, h, shared, shared_len);
    }
    pl_wipe(shared, sizeof(shared));
    /* Accepted or not, the session has served (§C.4: each ticket is offered once). */
    pl_client13_drop_session(h);
    PL_TRY(rc);
    *out_next = PL_C13_WAIT_EE;
    return PADLOCK_OK;
}
