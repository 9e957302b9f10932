/* What the TLS 1.3 server negotiates from a ClientHello: the version (RFC 8446 §4.2.1, Appendix
 * D), cipher suite (§4.1.1), key exchange group and share (§4.2.7, §4.2.8), certificate
 * (§4.4.2.2 with RFC 6066 §3 server names), application protocol (RFC 7301 §3.2), and the
 * comparison of a second ClientHello with the first (§4.1.2, §4.1.4, §4.2.2). */
#include <string.h>

#include "hs/server13.h"
#include "util/mem.h"
#include "x509/credential.h"

#define PL_TLS13 0x0304

padlock_err pl_server13_check_version(pl_tls *tls, const pl_client_hello *ch, uint16_t *out) {
    const pl_hs_config *cfg = tls->cfg;
    /* RFC 8446 Appendix D.5: "Any endpoint receiving a Hello message with
     * ClientHello.legacy_version ... set to 0x0300 MUST abort the handshake with a
     * "protocol_version" alert." */
    if (ch->legacy_version <= 0x0300) {
        return pl_tls_fail(tls, PADLOCK_E_PROTOCOL_VERSION,
                           "ClientHello: legacy_version 0x%04x is SSL 3.0 or older",
                           ch->legacy_version);
    }
    int tls12 = pl_hs_version_enabled(cfg, PL_TLS12_VERSION);
    int tls13 = pl_hs_version_enabled(cfg, PL_TLS13);
    /* §4.2.1: with supported_versions only the versions listed count (the highest both
     * support wins); without it the client offers legacy_version and below (RFC 5246
     * Appendix E.1). */
    int has_versions = pl_exts_has(&ch->exts, PL_EXT_SUPPORTED_VERSIONS);
    int offers13 = has_versions && pl_ext_u16_contains(ch->exts.versions, PL_TLS13);
    int offers12 = has_versions ? pl_ext_u16_contains(ch->exts.versions, PL_TLS12_VERSION)
                                : ch->legacy_version >= PL_TLS12_VERSION;
    if (tls13 && offers13) {
        *out = PL_TLS13;
        return PADLOCK_OK;
    }
    if (tls12 && offers12) {
        /* RFC 7507 §3: a client that signals a fallback while this server supports a higher
         * version than the client's highest is under attack (or misconfigured). */
        if (tls13 && pl_ext_u16_contains(ch->cipher_suites, PL_SCSV_FALLBACK)) {
            return pl_tls_fail(tls, PADLOCK_E_INAPPROPRIATE_FALLBACK,
                               "ClientHello: TLS_FALLBACK_SCSV with TLS 1.2 as the client's "
                               "highest version, while this server speaks TLS 1.3 (RFC 7507)");
        }
        *out = PL_TLS12_VERSION;
        return PADLOCK_OK;
    }
    const char *ours = tls13 && tls12 ? "TLS 1.2 and TLS 1.3" : tls13 ? "TLS 1.3" : "TLS 1.2";
    if (!has_versions) {
        return pl_tls_fail(tls, PADLOCK_E_PROTOCOL_VERSION,
                           "ClientHello: the client offers only 0x%04x (no supported_versions); "
                           "this server speaks %s",
                           ch->legacy_version, ours);
    }
    return pl_tls_fail(tls, PADLOCK_E_PROTOCOL_VERSION,
                       "ClientHello: supported_versions offers none of the versions this server "
                       "speaks (%s)",
                       ours);
}

/* The first of ours that the client lists (server order), or the first of the client's that is
 * ours (client order); 0 if none. */
static uint16_t pl_server13_pick(const pl_tls *tls, const uint16_t *ours, size_t num_ours,
                                 pl_cur theirs) {
    uint16_t v;
    if (tls->cfg->prefer_client) {
        while (pl_ext_u16_next(&theirs, &v)) {
            if (pl_hs_list_has(ours, num_ours, v)) {
                return v;
            }
        }
        return 0;
    }
    for (size_t i = 0; i < num_ours; i++) {
        if (pl_ext_u16_contains(theirs, ours[i])) {
            return ours[i];
        }
    }
    return 0;
}

/* The group of a key share the client sent that we accept, in the order of preference; 0 if
 * none. */
static uint16_t pl_server13_pick_share(const pl_tls *tls, pl_cur shares) {
    const pl_hs_config *cfg = tls->cfg;
    uint16_t g;
    pl_cur kx;
    if (cfg->prefer_client) {
        while (pl_ext_key_share_next(&shares, &g, &kx)) {
            if (pl_hs_list_has(cfg->groups, cfg->num_groups, g)) {
                return g;
            }
        }
        return 0;
    }
    for (size_t i = 0; i < cfg->num_groups; i++) {
        if (pl_ext_key_share_find(shares, cfg->groups[i], &kx)) {
            return cfg->groups[i];
        }
    }
    return 0;
}

padlock_err pl_server13_choose(pl_tls *tls, const pl_client_hello *ch, pl_server13_choice *out) {
    const pl_hs_config *cfg = tls->cfg;
    memset(out, 0, sizeof(*out));
    /* §4.1.1: the server picks a suite both offer; without one it aborts with
     * handshake_failure (§4.1.1: "If the server is unable to negotiate a supported set of
     * parameters ..."). */
    uint16_t suite = pl_server13_pick(tls, cfg->suites, cfg->num_suites, ch->cipher_suites);
    if (suite == 0) {
        return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                           "ClientHello: none of the client's %zu cipher suites is one this "
                           "server allows",
                           pl_cur_left(&ch->cipher_suites) / 2);
    }
    out->suite = pl_suite_by_code(suite);
    /* padlock establishes every key with (EC)DHE (psk_dhe_ke for resumption too), so the client
     * must offer it (§9.2: key_share and supported_groups come together). */
    if (!pl_exts_has(&ch->exts, PL_EXT_KEY_SHARE)) {
        return pl_tls_fail(tls, PADLOCK_E_MISSING_EXTENSION,
                           "ClientHello: no key_share or supported_groups: this server "
                           "establishes every connection with (EC)DHE");
    }
    /* §4.1.1: a key share the client sent for a group we accept is used as it is; otherwise
     * "the server MUST respond with a HelloRetryRequest" for a group both support. */
    out->group = pl_server13_pick_share(tls, ch->exts.key_shares);
    if (out->group != 0) {
        return PADLOCK_OK;
    }
    out->group = pl_server13_pick(tls, cfg->groups, cfg->num_groups, ch->exts.supported_groups);
    if (out->group == 0) {
        return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                           "ClientHello: none of the client's key exchange groups is one this "
                           "server allows");
    }
    out->need_retry = 1;
    return PADLOCK_OK;
}

/* The first credential (in configuration order) that covers peer (all when peer is NULL)
 * and signs with a scheme the client accepts. */
static const pl_x509_credential *pl_server13_find_cert(const pl_hs_config *cfg,
                                                       const pl_x509_peer *peer, pl_cur sig_algs,
                                                       uint16_t *out_scheme) {
    for (size_t i = 0; i < cfg->num_creds; i++) {
        if (peer != NULL && !pl_x509_credential_covers(cfg->creds[i], peer)) {
            continue;
        }
        if (pl_auth13_scheme(cfg->creds[i], sig_algs, out_scheme)) {
            return cfg->creds[i];
        }
    }
    return NULL;
}

padlock_err pl_server13_choose_cert(pl_tls *tls, const pl_client_hello *ch,
                                    const struct pl_x509_credential **out_cred,
                                    uint16_t *out_scheme, uint8_t *out_name_matched) {
    /* §4.2.3: without a PSK the client MUST send signature_algorithms (§9.2); here a PSK was
     * offered but not accepted, or none was offered. */
    if (!pl_exts_has(&ch->exts, PL_EXT_SIGNATURE_ALGORITHMS)) {
        return pl_tls_fail(tls, PADLOCK_E_MISSING_EXTENSION,
                           "ClientHello: no signature_algorithms, so no certificate can be used "
                           "(and no offered session resumes)");
    }
    /* RFC 6066 §3: the server uses the name to choose its certificate; a name no certificate
     * covers gets the default (the first that fits the client's schemes), as clients do not
     * all send names that servers know. §4.4.2.2: the certificate's key must sign with a
     * scheme of the client's signature_algorithms. */
    pl_x509_peer peer;
    *out_cred = NULL;
    if (tls->server_name != NULL && pl_x509_peer_parse(tls->server_name, &peer) == PADLOCK_OK) {
        *out_cred = pl_server13_find_cert(tls->cfg, &peer, ch->exts.sig_algs, out_scheme);
    }
    *out_name_matched = *out_cred != NULL;
    if (*out_cred == NULL) {
        *out_cred = pl_server13_find_cert(tls->cfg, NULL, ch->exts.sig_algs, out_scheme);
    }
    if (*out_cred == NULL) {
        return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                           "ClientHello: no certificate of this server can sign with a "
                           "signature scheme the client offers");
    }
    return PADLOCK_OK;
}

padlock_err pl_server13_choose_alpn(pl_tls *tls, const pl_client_hello *ch, pl_cur *out) {
    const pl_hs_config *cfg = tls->cfg;
    pl_cur_init(out, NULL, 0);
    if (cfg->alpn_len == 0 || !pl_exts_has(&ch->exts, PL_EXT_ALPN)) {
        return PADLOCK_OK;
    }
    /* RFC 7301 §3.2: the server chooses by its own preference among the client's protocols. */
    pl_cur ours = {cfg->alpn, cfg->alpn_len};
    pl_cur name;
    while (pl_ext_alpn_next(&ours, &name)) {
        pl_cur theirs = ch->exts.alpn;
        pl_cur offered;
        while (pl_ext_alpn_next(&theirs, &offered)) {
            if (pl_cur_left(&offered) == pl_cur_left(&name) &&
                memcmp(offered.p, name.p, pl_cur_left(&name)) == 0) {
                *out = name;
                return PADLOCK_OK;
            }
        }
    }
    /* RFC 7301 §3.2: "In the event that the server supports no protocols that the client
     * advertises, then the server SHALL respond with a fatal "no_application_protocol"
     * alert." */
    return pl_tls_fail(tls, PADLOCK_E_NO_APPLICATION_PROTOCOL,
                       "ClientHello: none of the client's application protocols is one this "
                       "server offers");
}

padlock_err pl_server13_keep_sni(pl_tls *tls, const pl_client_hello *ch) {
    if (!pl_exts_has(&ch->exts, PL_EXT_SERVER_NAME)) {
        return PADLOCK_OK;
    }
    /* The extension's parser allowed only a DNS host name (RFC 6066 §3), so it is printable. */
    size_t len = pl_cur_left(&ch->exts.server_name);
    char *name = pl_malloc(len + 1);
    PL_CHECK(name != NULL, PADLOCK_E_NO_MEMORY);
    memcpy(name, ch->exts.server_name.p, len);
    name[len] = '\0';
    pl_free(tls->server_name);
    tls->server_name = name;
    return PADLOCK_OK;
}

/* Extensions a second ClientHello may change (§4.1.2): key_share (one share of the requested
 * group), early_data (removed), cookie (added), pre_shared_key (ages and binders recomputed,
 * identities dropped) and padding (RFC 7685, any length). */
static int pl_server13_may_change(uint16_t id) {
    return id == PL_EXT_KEY_SHARE || id == PL_EXT_EARLY_DATA || id == PL_EXT_COOKIE ||
           id == PL_EXT_PRE_SHARED_KEY || id == 21 /* padding */;
}

padlock_err pl_server13_digest(const pl_client_hello *ch, pl_server13_ch_digest *out) {
    const pl_hash_alg *sha = &pl_hash_sha256;
    pl_hash_state st;
    uint8_t head[2];
    head[0] = (uint8_t)(ch->legacy_version >> 8);
    head[1] = (uint8_t)ch->legacy_version;
    sha->init(&st);
    sha->update(&st, head, sizeof(head));
    sha->update(&st, ch->random, PL_RANDOM_LEN);
    head[0] = (uint8_t)pl_cur_left(&ch->session_id);
    sha->update(&st, head, 1);
    sha->update(&st, ch->session_id.p, pl_cur_left(&ch->session_id));
    head[0] = (uint8_t)pl_cur_left(&ch->compression_methods);
    sha->update(&st, head, 1);
    sha->update(&st, ch->compression_methods.p, pl_cur_left(&ch->compression_methods));
    sha->final(&st, out->fields);
    pl_hash(sha, ch->cipher_suites.p, pl_cur_left(&ch->cipher_suites), out->suites);
    /* The extensions that must not change, each with its type and length, in their order. */
    sha->init(&st);
    pl_cur c = ch->exts.raw;
    while (pl_cur_left(&c) > 0) {
        const uint8_t *start = c.p;
        uint16_t id;
        pl_cur body;
        PL_TRY(pl_cur_u16(&c, &id));
        PL_TRY(pl_cur_vec16(&c, 0, 0xffff, &body));
        if (!pl_server13_may_change(id)) {
            sha->update(&st, start, (size_t)(c.p - start));
        }
    }
    sha->final(&st, out->extensions);
    return PADLOCK_OK;
}

padlock_err pl_server13_check_retry(pl_tls *tls, const pl_server13_hs *h,
                                    const pl_client_hello *ch2) {
    pl_server13_ch_digest d;
    PL_TRY(pl_server13_digest(ch2, &d));
    /* §4.1.2: "the client MUST send the same ClientHello without modification, except as
     * follows"; a server seeing otherwise has no parameters it agreed to, so the hello is an
     * illegal_parameter. */
    const char *differs = NULL;
    if (memcmp(d.fields, h->ch1.fields, sizeof(d.fields)) != 0) {
        differs = "legacy_version, random, legacy_session_id or compression methods";
    } else if (memcmp(d.suites, h->ch1.suites, sizeof(d.suites)) != 0) {
        differs = "cipher_suites";
    } else if (memcmp(d.extensions, h->ch1.extensions, sizeof(d.extensions)) != 0) {
        differs = "extensions other than key_share, cookie, pre_shared_key, early_data and "
                  "padding";
    }
    if (differs != NULL) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "second ClientHello: its %s differ from the first ClientHello's",
                           differs);
    }
    /* §4.1.2: the client removes early_data after a HelloRetryRequest. */
    if (pl_exts_has(&ch2->exts, PL_EXT_EARLY_DATA)) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "second ClientHello: still offers early_data, which a "
                           "HelloRetryRequest rules out");
    }
    /* §4.2.2: "the client MUST copy the contents of the extension received in the
     * HelloRetryRequest into a "cookie" extension in the new ClientHello". */
    if (!pl_exts_has(&ch2->exts, PL_EXT_COOKIE) ||
        pl_cur_left(&ch2->exts.cookie) != sizeof(h->cookie) ||
        !pl_ct_equal(ch2->exts.cookie.p, h->cookie, sizeof(h->cookie))) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "second ClientHello: does not echo the HelloRetryRequest's cookie");
    }
    /* §4.1.2: the shares are replaced by "a list containing a single KeyShareEntry from the
     * indicated group". */
    pl_cur shares = ch2->exts.key_shares;
    uint16_t group;
    pl_cur kx;
    if (!pl_exts_has(&ch2->exts, PL_EXT_KEY_SHARE) ||
        !pl_ext_key_share_next(&shares, &group, &kx) || group != h->choice.group ||
        pl_cur_left(&shares) != 0) {
        const pl_kx_alg *alg = pl_kx_by_group(h->choice.group);
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "second ClientHello: key_share is not exactly one share for %s, the "
                           "group the HelloRetryRequest asked for",
                           alg != NULL ? alg->name : "the requested group");
    }
    return PADLOCK_OK;
}
