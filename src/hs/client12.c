/* The TLS 1.2 client's state table (RFC 5246 §7.3) and its handlers after the ServerHello: the
 * server's Certificate (§7.4.2, verified as in TLS 1.3), ServerKeyExchange (RFC 8422 §5.4, its
 * signature checked against the leaf; none with RSA key transport), ServerHelloDone (§7.4.5) and
 * our ClientKeyExchange (RFC 8422 §5.7, or §7.4.7.1's RSA-encrypted pre-master secret when
 * legacy_rsa_key_exchange let an RSA suite be offered), extended master secret (RFC 7627 §4),
 * change_cipher_spec and Finished (§7.1, §7.4.9); NewSessionTicket (RFC 5077 §3.3), the server's
 * change_cipher_spec and Finished (checked in constant time), the session kept for resumption, and
 * renegotiation refused once connected (RFC 5746 §4.2). */
#include "hs/client12.h"

#include <string.h>

#include "util/mem.h"

/* RFC 8422 §5.1.1: the curves of ECDHE in TLS 1.2 that padlock implements. */
static int pl_client12_group_ok(uint16_t group) {
    return group == PADLOCK_GROUP_X25519 || group == PADLOCK_GROUP_SECP256R1 ||
           group == PADLOCK_GROUP_SECP384R1;
}

static int pl_client12_key_is_ec(uint8_t type) {
    return type == PL_KEY_EC_P256 || type == PL_KEY_EC_P384 || type == PL_KEY_EC_P521;
}

static padlock_err pl_client12_on_certificate(pl_tls *tls, const pl_hs_msg *msg,
                                              uint8_t *out_next) {
    pl_client12_hs *h = tls->hs;
    pl_certificate cert;
    PL_TRY(pl_certificate_parse_tls12(&cert, msg->body, msg->body_len, &tls->err));
    PL_TRY(pl_auth13_take_chain(tls, &cert, tls->server_name, &h->leaf));
    /* RFC 8422 §2.1, §5.3: ECDHE_ECDSA needs an ECDSA (or EdDSA) key; RFC 5246 §7.4.2:
     * ECDHE_RSA an RSA key. */
    uint8_t type = h->leaf.key_type;
    if (tls->suite->rsa_kx) {
        /* RFC 5246 §7.4.2: RSA key transport encrypts to the certificate's key, which must be
         * an rsaEncryption one (an id-RSASSA-PSS key is for signatures only, RFC 4055 §1.2). */
        if (type != PL_KEY_RSA) {
            return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                               "server Certificate (TLS 1.2): the certificate's key is not an "
                               "rsaEncryption key, so %s cannot encrypt to it",
                               tls->suite->name);
        }
        PL_TRY(pl_client12_take(h, msg->raw, msg->raw_len));
        /* §7.4.3: no ServerKeyExchange with RSA key transport. */
        *out_next = PL_C12_WAIT_SHD;
        return PADLOCK_OK;
    }
    int fits = tls->suite->auth == PL_SUITE_AUTH_RSA
                   ? type == PL_KEY_RSA || type == PL_KEY_RSA_PSS
                   : pl_client12_key_is_ec(type) || type == PL_KEY_ED25519;
    if (!fits) {
        return pl_tls_fail(tls, PADLOCK_E_CERT_UNSUPPORTED,
                           "server Certificate (TLS 1.2): the certificate's key cannot "
                           "authenticate %s",
                           tls->suite->name);
    }
    PL_TRY(pl_client12_take(h, msg->raw, msg->raw_len));
    *out_next = PL_C12_WAIT_SKE;
    return PADLOCK_OK;
}

/* Whether scheme, offered by us, fits the suite and the server's key in TLS 1.2: ECDSA schemes
 * name only the hash there (RFC 8422 §5.1.3: any curve), the others bind the key type as in
 * TLS 1.3. */
static int pl_client12_scheme_fits(const pl_tls *tls, const pl_client12_hs *h,
                                   const pl_sig_alg *alg) {
    uint8_t type = h->leaf.key_type;
    if (pl_client12_key_is_ec(alg->key_type)) {
        return tls->suite->auth != PL_SUITE_AUTH_RSA && pl_client12_key_is_ec(type);
    }
    if (alg->key_type == PL_KEY_ED25519) {
        return tls->suite->auth != PL_SUITE_AUTH_RSA && type == PL_KEY_ED25519;
    }
    return tls->suite->auth == PL_SUITE_AUTH_RSA && alg->key_type == type;
}

/* 1 if scheme is in our ClientHello's signature_algorithms. */
static int pl_client12_scheme_offered(const pl_tls *tls, uint16_t scheme) {
    size_t num;
    const uint16_t *ours = pl_client13_sig_algs(tls, &num);
    return pl_hs_list_has(ours, num, scheme) ||
           pl_hs_list_has(pl_client12_extra_sig_algs, pl_client12_num_extra_sig_algs, scheme);
}

static padlock_err pl_client12_on_ske(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    pl_client12_hs *h = tls->hs;
    pl_server_key_exchange ske;
    PL_TRY(pl_server_key_exchange_parse(&ske, msg->body, msg->body_len, &tls->err));
    /* RFC 8422 §5.1.1: the server picks a curve from our supported_groups. */
    const pl_kx_alg *kx = pl_kx_by_group(ske.group);
    if (!pl_hs_list_has(tls->cfg->groups, tls->cfg->num_groups, ske.group) ||
        !pl_client12_group_ok(ske.group) || kx == NULL) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ServerKeyExchange: curve 0x%04x was not offered", ske.group);
    }
    if (pl_cur_left(&ske.point) != kx->share_len) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ServerKeyExchange: a %s public key of %zu bytes, not %zu", kx->name,
                           pl_cur_left(&ske.point), (size_t)kx->share_len);
    }
    /* RFC 5246 §7.4.1.4.1: the server signs with a pair from our signature_algorithms. */
    const pl_sig_alg *alg = pl_sig_by_scheme(ske.scheme);
    if (alg == NULL || !pl_client12_scheme_offered(tls, ske.scheme)) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ServerKeyExchange: signature scheme 0x%04x was not offered",
                           ske.scheme);
    }
    if (!pl_client12_scheme_fits(tls, h, alg)) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ServerKeyExchange: signature scheme %s does not fit the certificate's "
                           "key or %s",
                           alg->name, tls->suite->name);
    }
    /* RFC 8422 §5.4: the signature covers both randoms and the ServerECDHParams. */
    uint8_t signed_bytes[2 * PL_RANDOM_LEN + 4 + PL_KX_MAX_SHARE_LEN];
    pl_buf b;
    pl_buf_init(&b, signed_bytes, sizeof(signed_bytes));
    PL_TRY(pl_server_key_exchange_signed(&b, h->client_random, h->server_random, ske.params));
    padlock_err rc;
    if (pl_client12_key_is_ec(alg->key_type)) {
        pl_sig_params params = {.kind = PL_SIG_KIND_ECDSA, .hash = alg->hash};
        rc = pl_sig_verify_params(&params, h->leaf.spki, h->leaf.spki_len, b.p, b.len,
                                  ske.signature.p, pl_cur_left(&ske.signature));
    } else {
        rc = pl_sig_verify(alg, h->leaf.spki, h->leaf.spki_len, b.p, b.len, ske.signature.p,
                           pl_cur_left(&ske.signature));
    }
    PL_TRY(pl_tls_check_peer_signature(tls, rc, "ServerKeyExchange", alg->name));
    h->kx = kx;
    h->point_len = (uint8_t)kx->share_len;
    memcpy(h->point, ske.point.p, kx->share_len);
    tls->group = ske.group;
    tls->peer_sig_scheme = ske.scheme;
    PL_TRY(pl_client12_take(h, msg->raw, msg->raw_len));
    *out_next = PL_C12_WAIT_SHD;
    return PADLOCK_OK;
}

/* RFC 5246 §7.4.7.1: the pre-master secret is client_version (the newest version we offered,
 * not the negotiated one) and 46 random bytes, sent RSAES-PKCS1-v1_5 encrypted to the server's
 * certificate key in a ClientKeyExchange; premaster gets the 48 bytes. */
static padlock_err pl_client12_rsa_premaster(pl_tls *tls, pl_client12_hs *h,
                                             uint8_t premaster[PL_KS12_PREMASTER_RSA_LEN]) {
    const pl_rng *rng = pl_hs_config_rng(tls->cfg);
    premaster[0] = (uint8_t)(PL_TLS12_VERSION >> 8);
    premaster[1] = (uint8_t)(PL_TLS12_VERSION & 0xff);
    PL_TRY(pl_rand_bytes(rng, premaster + 2, PL_KS12_PREMASTER_RSA_LEN - 2));
    uint8_t ct[PL_SIG_MAX_LEN];
    size_t ct_len;
    padlock_err rc = pl_rsa_encrypt_pkcs1(h->leaf.spki, h->leaf.spki_len, rng, premaster,
                                          PL_KS12_PREMASTER_RSA_LEN, ct, sizeof(ct), &ct_len);
    if (rc == PADLOCK_E_BAD_KEY) {
        /* RFC 5246 §7.2.2: bad_certificate, "a certificate was corrupt". */
        return pl_tls_fail(tls, PADLOCK_E_BAD_CERTIFICATE,
                           "ClientKeyExchange: the server certificate's RSA key is malformed; "
                           "the pre-master secret cannot be encrypted to it");
    }
    if (rc != PADLOCK_OK) {
        return pl_tls_fail(tls, rc,
                           "ClientKeyExchange: cannot encrypt the pre-master secret to the "
                           "server certificate's RSA key: %s",
                           padlock_strerror(rc));
    }
    uint8_t cke[PL_HS_HEADER_LEN + 2 + PL_SIG_MAX_LEN];
    pl_buf b;
    pl_buf_init(&b, cke, sizeof(cke));
    PL_TRY(pl_client_key_exchange_build_rsa(&b, ct, ct_len));
    return pl_client12_send_message(tls, h, b.p, b.len);
}

/* RFC 8422 §5.7: our ephemeral ECDH share in a ClientKeyExchange; premaster gets the shared
 * secret (h->kx->secret_len bytes). */
static padlock_err pl_client12_ecdhe_premaster(pl_tls *tls, pl_client12_hs *h,
                                               uint8_t premaster[PL_KX_MAX_SECRET_LEN]) {
    pl_kx_key key;
    PL_TRY(pl_kx_generate(h->kx, pl_hs_config_rng(tls->cfg), &key));
    padlock_err rc = pl_kx_derive(&key, h->point, h->point_len, premaster);
    if (rc != PADLOCK_OK) {
        pl_kx_key_cleanup(&key);
        /* RFC 8422 §5.11: a point not on the curve (or X25519's all-zero output). */
        return pl_tls_fail(tls, rc, "ServerKeyExchange: the server's %s public key is invalid",
                           h->kx->name);
    }
    uint8_t cke[PL_HS_HEADER_LEN + 1 + PL_KX_MAX_SHARE_LEN];
    pl_buf b;
    pl_buf_init(&b, cke, sizeof(cke));
    rc = pl_client_key_exchange_build_ecdhe(&b, key.share, h->kx->share_len);
    pl_kx_key_cleanup(&key);
    PL_TRY(rc);
    return pl_client12_send_message(tls, h, b.p, b.len);
}

/* Our ClientKeyExchange and the master secret and keys that follow from it. */
static padlock_err pl_client12_key_exchange(pl_tls *tls, pl_client12_hs *h) {
    uint8_t premaster[PL_KX_MAX_SECRET_LEN > PL_KS12_PREMASTER_RSA_LEN ? PL_KX_MAX_SECRET_LEN
                                                                       : PL_KS12_PREMASTER_RSA_LEN];
    size_t premaster_len = tls->suite->rsa_kx ? PL_KS12_PREMASTER_RSA_LEN : h->kx->secret_len;
    padlock_err rc = tls->suite->rsa_kx ? pl_client12_rsa_premaster(tls, h, premaster)
                                        : pl_client12_ecdhe_premaster(tls, h, premaster);
    pl_digest session_hash;
    if (rc == PADLOCK_OK && h->ems) {
        /* RFC 7627 §4: session_hash through the ClientKeyExchange. */
        rc = pl_transcript_hash(&h->transcript, &session_hash);
        if (rc == PADLOCK_OK) {
            rc = pl_ks12_extended_master_secret(&h->master, tls->suite->hash, premaster,
                                                premaster_len, &session_hash);
        }
    } else if (rc == PADLOCK_OK) {
        /* Only when configured (pl_client12_check_hello): RFC 5246 §8.1. */
        rc = pl_ks12_master_secret(&h->master, tls->suite->hash, premaster, premaster_len,
                                   h->client_random, h->server_random);
    }
    pl_wipe(premaster, sizeof(premaster));
    PL_TRY(rc);
    pl_tls_keylog_bytes(tls, h->client_random, PL_KEYLOG_CLIENT_RANDOM, h->master.b,
                        sizeof(h->master.b));
    return pl_ks12_record_keys(&h->master, tls->suite->aead, h->client_random, h->server_random,
                               &h->write_keys, &h->read_keys);
}

padlock_err pl_client12_send_ccs_finished(pl_tls *tls, pl_client12_hs *h) {
    return pl_finished12_send(tls, &h->transcript, &h->master, PL_ROLE_CLIENT, &h->write_keys);
}

static padlock_err pl_client12_on_server_hello_done(pl_tls *tls, const pl_hs_msg *msg,
                                                    uint8_t *out_next) {
    pl_client12_hs *h = tls->hs;
    PL_TRY(pl_server_hello_done_parse(msg->body_len, &tls->err));
    PL_TRY(pl_client12_take(h, msg->raw, msg->raw_len));
    if (h->cert_requested) {
        PL_TRY(pl_client12_send_certificate(tls, h));
    }
    PL_TRY(pl_client12_key_exchange(tls, h));
    if (h->cred != NULL) {
        PL_TRY(pl_client12_send_verify(tls, h));
    }
    PL_TRY(pl_client12_send_ccs_finished(tls, h));
    *out_next = h->ticket_promised ? PL_C12_WAIT_NST : PL_C12_WAIT_CCS;
    return PADLOCK_OK;
}

static padlock_err pl_client12_on_new_session_ticket(pl_tls *tls, const pl_hs_msg *msg,
                                                     uint8_t *out_next) {
    pl_client12_hs *h = tls->hs;
    pl_new_session_ticket12 nst;
    PL_TRY(pl_new_session_ticket12_parse(&nst, msg->body, msg->body_len, &tls->err));
    size_t len = pl_cur_left(&nst.ticket);
    /* RFC 5077 §3.3: an empty ticket means the server issues none after all. */
    if (len != 0) {
        h->ticket = pl_malloc(len);
        PL_CHECK(h->ticket != NULL, PADLOCK_E_NO_MEMORY);
        memcpy(h->ticket, nst.ticket.p, len);
        h->ticket_len = (uint16_t)len;
        h->ticket_hint = nst.lifetime_hint;
    }
    /* §3.3: the NewSessionTicket is part of the transcript the Finished messages cover. */
    pl_transcript_update(&h->transcript, msg->raw, msg->raw_len);
    *out_next = PL_C12_WAIT_CCS;
    return PADLOCK_OK;
}

static padlock_err pl_client12_on_ccs(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    (void)msg;
    pl_client12_hs *h = tls->hs;
    PL_TRY(pl_finished12_peer_ccs(tls, &h->read_keys, "server"));
    *out_next = PL_C12_WAIT_FINISHED;
    return PADLOCK_OK;
}

/* The session to keep for resumption (RFC 5246 §7.4.1.2, RFC 5077 §3.4): the new ticket, else
 * the one resumed with, with the server's session ID; none when the server gave neither. */
static padlock_err pl_client12_keep_session(pl_tls *tls, pl_client12_hs *h) {
    const pl_hs_config *cfg = tls->cfg;
    const uint8_t *ticket = h->ticket;
    size_t ticket_len = h->ticket_len;
    uint32_t lifetime = h->ticket_hint;
    pl_session12 *old = tls->session12;
    if (ticket == NULL && h->resumed && old->ticket_len != 0) {
        ticket = pl_session12_ticket(old);
        ticket_len = old->ticket_len;
        lifetime = old->lifetime;
    }
    if (lifetime == 0 || lifetime > PL_SESSION12_LIFETIME_DEFAULT) {
        lifetime = PL_SESSION12_LIFETIME_DEFAULT;
    }
    pl_session12 *s = NULL;
    /* RFC 7627 §5.3: a session without the extended master secret is never resumed, so it is
     * not kept. */
    if ((ticket_len != 0 || h->session_id_len != 0) && h->ems) {
        PL_TRY(pl_session12_new(&h->master, tls->suite->code, cfg->now(cfg->now_ctx), lifetime,
                                h->session_id, h->session_id_len, ticket, ticket_len,
                                tls->server_name, &s));
    }
    pl_session12_free(old);
    tls->session12 = s;
    return PADLOCK_OK;
}

static padlock_err pl_client12_on_finished(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    pl_client12_hs *h = tls->hs;
    PL_TRY(pl_finished12_check(tls, &h->transcript, &h->master, PL_ROLE_SERVER, msg));
    if (h->resumed) {
        /* §7.3: in the abbreviated handshake the client's Finished comes last. */
        PL_TRY(pl_client12_send_ccs_finished(tls, h));
    }
    PL_TRY(pl_client12_keep_session(tls, h));
    PL_TRY(pl_finished12_keep_export(tls, &h->master, h->client_random, h->server_random));
    *out_next = PL_C12_CONNECTED;
    return PADLOCK_OK;
}

/* RFC 5246 §7.4.1.1: a client that does not wish to renegotiate "MAY respond with a
 * no_renegotiation alert"; RFC 5746 §4.2 as well. padlock never renegotiates: it answers with
 * that warning and the connection goes on with its keys (the server decides whether to close). */
static padlock_err pl_client12_on_hello_request(pl_tls *tls, const pl_hs_msg *msg,
                                                uint8_t *out_next) {
    (void)out_next;
    PL_TRY(pl_hello_request_parse(msg->body_len, &tls->err));
    return pl_rio_send_alert(&tls->rio, PL_ALERT_WARNING, PADLOCK_ALERT_NO_RENEGOTIATION);
}

static void pl_client12_free_hs(void *p) {
    pl_client12_hs *h = p;
    pl_transcript_cleanup(&h->transcript);
    pl_scratch_cleanup(&h->scratch);
    pl_ks12_master_cleanup(&h->master);
    pl_free(h->ticket);
    pl_msg_log_free(&h->log);
    pl_free_secret(h);
}

#define PL_C12_BIT(state) (1u << (state))

/* No state drops a change_cipher_spec: TLS 1.2 has exactly one, where the table expects it. */
static const pl_hs_state_desc pl_client12_states[PL_C12_NUM_STATES] = {
    [PL_C12_WAIT_CERT] = {"WAIT_CERT", 0},         [PL_C12_WAIT_SKE] = {"WAIT_SKE", 0},
    [PL_C12_WAIT_SHD] = {"WAIT_SHD", 0},           [PL_C12_WAIT_SHD_CR] = {"WAIT_SHD_CR", 0},
    [PL_C12_WAIT_NST] = {"WAIT_NST", 0},           [PL_C12_WAIT_CCS] = {"WAIT_CCS", 0},
    [PL_C12_WAIT_FINISHED] = {"WAIT_FINISHED", 0}, [PL_C12_CONNECTED] = {"CONNECTED", 0},
};

static const pl_hs_row pl_client12_rows[] = {
    {PL_C12_WAIT_CERT, PL_HS_K_CERTIFICATE,
     PL_C12_BIT(PL_C12_WAIT_SKE) | PL_C12_BIT(PL_C12_WAIT_SHD), pl_client12_on_certificate, NULL},
    {PL_C12_WAIT_SKE, PL_HS_K_SERVER_KEY_EXCHANGE, PL_C12_BIT(PL_C12_WAIT_SHD), pl_client12_on_ske,
     NULL},
    {PL_C12_WAIT_SHD, PL_HS_K_CERTIFICATE_REQUEST, PL_C12_BIT(PL_C12_WAIT_SHD_CR),
     pl_client12_on_certificate_request, NULL},
    {PL_C12_WAIT_SHD, PL_HS_K_SERVER_HELLO_DONE,
     PL_C12_BIT(PL_C12_WAIT_NST) | PL_C12_BIT(PL_C12_WAIT_CCS), pl_client12_on_server_hello_done,
     "ClientKeyExchange, ChangeCipherSpec, Finished"},
    {PL_C12_WAIT_SHD_CR, PL_HS_K_SERVER_HELLO_DONE,
     PL_C12_BIT(PL_C12_WAIT_NST) | PL_C12_BIT(PL_C12_WAIT_CCS), pl_client12_on_server_hello_done,
     "Certificate, ClientKeyExchange, [CertificateVerify,] ChangeCipherSpec, Finished"},
    {PL_C12_WAIT_NST, PL_HS_K_NEW_SESSION_TICKET, PL_C12_BIT(PL_C12_WAIT_CCS),
     pl_client12_on_new_session_ticket, NULL},
    {PL_C12_WAIT_CCS, PL_HS_K_CHANGE_CIPHER_SPEC, PL_C12_BIT(PL_C12_WAIT_FINISHED),
     pl_client12_on_ccs, NULL},
    {PL_C12_WAIT_FINISHED, PL_HS_K_FINISHED, PL_C12_BIT(PL_C12_CONNECTED), pl_client12_on_finished,
     "abbreviated handshake: ChangeCipherSpec, Finished"},
    {PL_C12_CONNECTED, PL_HS_K_HELLO_REQUEST, PL_C12_BIT(PL_C12_CONNECTED),
     pl_client12_on_hello_request, "alert no_renegotiation (warning)"},
};

const pl_hs_table pl_client12_table = {
    .role = "client (TLS 1.2)",
    .states = pl_client12_states,
    .num_states = PL_C12_NUM_STATES,
    .start = PL_C12_WAIT_CERT,
    .connected = PL_C12_CONNECTED,
    .rows = pl_client12_rows,
    .num_rows = sizeof(pl_client12_rows) / sizeof(pl_client12_rows[0]),
    .free_hs = pl_client12_free_hs,
};
