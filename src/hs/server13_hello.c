/* The TLS 1.3 server's answer to a ClientHello (RFC 8446 §2, §4.1): a HelloRetryRequest with a
 * cookie (§4.1.4, §4.2.2) when the client sent no usable key share, else the ServerHello
 * (§4.1.3) and the encrypted flight: EncryptedExtensions (§4.3.1), CertificateRequest
 * (§4.3.2), Certificate and CertificateVerify (§4.4.2, §4.4.3) unless a ticket resumes the
 * session, Finished (§4.4.4); the key schedule along the way (§7.1), the middlebox
 * compatibility change_cipher_spec (Appendix D.4) and refused early data (§4.2.10).
 *
 * The server is stateful across a HelloRetryRequest (the connection object lives on), so the
 * cookie only binds the second ClientHello to this HelloRetryRequest: 16 random bytes,
 * compared in constant time. */
#include <string.h>

#include "hs/server12.h"
#include "hs/server13.h"
#include "util/mem.h"

#define PL_TLS13 0x0304
#define PL_TLS12 0x0303
/* RFC 8449 §4: our limit is the protocol's, 2^14 + 1 (content type included). */
#define PL_SERVER13_RECORD_SIZE_LIMIT (PL_RECORD_MAX_PLAINTEXT + 1)

/* ServerHello and HelloRetryRequest fields shared by both: legacy_version 0x0303, the echoed
 * session id, the suite, supported_versions (§4.1.3, §4.1.4). */
static void pl_server13_hello_fields(const pl_tls *tls, const pl_client_hello *ch,
                                     const uint8_t *random, pl_server_hello *out) {
    memset(out, 0, sizeof(*out));
    out->legacy_version = PL_TLS12;
    out->random = random;
    /* §4.1.3: legacy_session_id_echo is "the contents of the client's legacy_session_id". */
    out->session_id = ch->session_id;
    out->cipher_suite = tls->suite->code;
    out->has_extensions = 1;
    out->exts.selected_version = PL_TLS13;
}

/* Builds a hello message of at most 512 bytes into storage and sends it through the
 * transcript. */
static padlock_err pl_server13_send_hello(pl_tls *tls, pl_server13_hs *h, const pl_server_hello *sh,
                                          const uint16_t *ids, size_t num_ids) {
    uint8_t msg[512];
    pl_buf b;
    pl_buf_init(&b, msg, sizeof(msg));
    PL_TRY(pl_server_hello_build(&b, sh, ids, num_ids));
    return pl_tls_send_message(tls, &h->transcript, b.p, b.len);
}

static padlock_err pl_server13_send_retry(pl_tls *tls, pl_server13_hs *h, const pl_client_hello *ch,
                                          const pl_hs_msg *msg) {
    /* §4.4.1: the transcript replaces ClientHello1 with message_hash in the suite's hash. */
    PL_TRY(pl_transcript_select(&h->transcript, tls->suite->hash));
    pl_transcript_update(&h->transcript, msg->raw, msg->raw_len);
    pl_transcript_hrr(&h->transcript);
    PL_TRY(pl_server13_digest(ch, &h->ch1));
    PL_TRY(pl_rand_bytes(pl_hs_config_rng(tls->cfg), h->cookie, sizeof(h->cookie)));
    pl_server_hello hrr;
    pl_server13_hello_fields(tls, ch, pl_hrr_random, &hrr);
    /* §4.1.4: the HelloRetryRequest carries supported_versions, the selected group and, as the
     * one extension a server may send unrequested, a cookie. */
    hrr.exts.key_share_group = h->choice.group;
    pl_cur_init(&hrr.exts.cookie, h->cookie, sizeof(h->cookie));
    static const uint16_t ids[] = {PL_EXT_SUPPORTED_VERSIONS, PL_EXT_KEY_SHARE, PL_EXT_COOKIE};
    PL_TRY(pl_server13_send_hello(tls, h, &hrr, ids, sizeof(ids) / sizeof(ids[0])));
    if (pl_cur_left(&ch->session_id) != 0) {
        /* Appendix D.4: a client asking for middlebox compatibility (a session id) gets the
         * dummy change_cipher_spec right after our first handshake message. */
        PL_TRY(pl_rio_send_ccs(&tls->rio));
    }
    if (pl_exts_has(&ch->exts, PL_EXT_EARLY_DATA)) {
        /* §4.2.10: after a HelloRetryRequest early data arrives as unprotected-looking
         * application_data records before the second ClientHello; they are skipped. */
        pl_rio_skip_early_data(&tls->rio, PL_SERVER13_EARLY_SKIP);
    }
    return PADLOCK_OK;
}

/* Our key share for the chosen group and the (EC)DHE output with the client's share, the
 * ServerHello's random and the tickets' random bytes (h->ticket_random), from one draw for
 * X25519, whose private key is any 32 bytes (RFC 7748 §5). An EC scalar is drawn first, by
 * rejection in pl_kx_generate, and the rest after it: the stream's order stays that of separate
 * draws (key, random, tickets), which recorded handshakes (fuzz/corpus) replay. */
static padlock_err pl_server13_key_exchange(pl_tls *tls, pl_server13_hs *h,
                                            const pl_client_hello *ch, pl_kx_key *share,
                                            uint8_t *shared, uint8_t random_out[PL_RANDOM_LEN]) {
    const pl_kx_alg *kx = pl_kx_by_group(tls->group);
    pl_cur theirs;
    PL_CHECK(kx != NULL && pl_ext_key_share_find(ch->exts.key_shares, tls->group, &theirs),
             PADLOCK_E_INTERNAL);
    const pl_rng *rng = pl_hs_config_rng(tls->cfg);
    size_t priv_len = kx->group == PL_GROUP_X25519 ? kx->priv_len : 0;
    size_t num_tickets = pl_server13_num_tickets(tls);
    /* padlock_config_set_tickets allows at most PL_SERVER13_MAX_TICKETS. */
    PL_CHECK(num_tickets <= PL_SERVER13_MAX_TICKETS, PADLOCK_E_INTERNAL);
    size_t tickets_len = num_tickets * PL_SERVER13_TICKET_RANDOM_LEN;
    if (priv_len == 0) {
        PL_TRY(pl_kx_generate(kx, rng, share));
    }
    uint8_t drawn[PL_KX_MAX_PRIV_LEN + PL_RANDOM_LEN + sizeof(h->ticket_random)];
    padlock_err rc = pl_rand_bytes(rng, drawn, priv_len + PL_RANDOM_LEN + tickets_len);
    if (rc == PADLOCK_OK) {
        memcpy(random_out, drawn + priv_len, PL_RANDOM_LEN);
        memcpy(h->ticket_random, drawn + priv_len + PL_RANDOM_LEN, tickets_len);
        if (priv_len != 0) {
            rc = pl_kx_from_private(kx, drawn, priv_len, share);
        }
    }
    pl_wipe(drawn, sizeof(drawn));
    PL_TRY(rc);
    rc = pl_kx_derive(share, theirs.p, pl_cur_left(&theirs), shared);
    if (rc != PADLOCK_OK) {
        /* §4.2.8.1, §4.2.8.2: a share that is not a valid point (or X25519's all-zero output,
         * §7.4.2) is an illegal_parameter. */
        return pl_tls_fail(tls, rc, "ClientHello: the client's %s key share is invalid", kx->name);
    }
    return PADLOCK_OK;
}

/* ServerHello, then the handshake secrets and keys. psk_early is the accepted PSK's Early
 * Secret, NULL for a full handshake. */
static padlock_err pl_server13_server_hello(pl_tls *tls, pl_server13_hs *h,
                                            const pl_client_hello *ch,
                                            const pl_ks13_early *psk_early, uint16_t psk_index,
                                            int after_retry, pl_ks13_secret *out_s_finished) {
    pl_kx_key share;
    uint8_t shared[PL_KX_MAX_SECRET_LEN];
    uint8_t random[PL_RANDOM_LEN];
    memset(&share, 0, sizeof(share));
    padlock_err rc = pl_server13_key_exchange(tls, h, ch, &share, shared, random);
    if (rc == PADLOCK_OK) {
        pl_server_hello sh;
        pl_server13_hello_fields(tls, ch, random, &sh);
        sh.exts.key_share_group = tls->group;
        pl_cur_init(&sh.exts.key_exchange, share.share, share.alg->share_len);
        sh.exts.psk_selected = psk_index;
        /* §4.2.11: "In order to accept PSK key establishment, the server sends a
         * "pre_shared_key" extension indicating the selected identity." */
        static const uint16_t ids[] = {PL_EXT_SUPPORTED_VERSIONS, PL_EXT_KEY_SHARE,
                                       PL_EXT_PRE_SHARED_KEY};
        rc = pl_server13_send_hello(tls, h, &sh, ids, psk_early != NULL ? 3 : 2);
    }
    if (rc == PADLOCK_OK && pl_cur_left(&ch->session_id) != 0 && !after_retry) {
        rc = pl_rio_send_ccs(&tls->rio); /* Appendix D.4, as after a HelloRetryRequest */
    }
    pl_ks13_early early;
    pl_digest th;
    if (rc == PADLOCK_OK) {
        if (psk_early != NULL) {
            early = *psk_early; /* pl_server13_psk made it with the suite's hash */
        } else {
            rc = pl_ks13_early_init(&early, tls->suite->hash, NULL, 0);
        }
    }
    if (rc == PADLOCK_OK) {
        rc = pl_transcript_hash(&h->transcript, &th);
        if (rc == PADLOCK_OK) {
            rc = pl_tls_handshake_secrets(tls, &early, shared, share.alg->secret_len, &th,
                                          h->client_random, &h->master, &h->c_finished,
                                          out_s_finished);
        }
        pl_ks13_early_cleanup(&early);
    }
    pl_kx_key_cleanup(&share);
    pl_wipe(shared, sizeof(shared));
    return rc;
}

/* EncryptedExtensions: the answers to what the client asked for (§4.3.1). */
static padlock_err pl_server13_send_ee(pl_tls *tls, pl_server13_hs *h, const pl_client_hello *ch,
                                       pl_cur alpn, int name_acknowledged) {
    pl_exts ee;
    memset(&ee, 0, sizeof(ee));
    uint16_t ids[3];
    size_t n = 0;
    if (name_acknowledged) {
        /* RFC 6066 §3: a server that used the name sends an empty server_name. */
        ids[n++] = PL_EXT_SERVER_NAME;
    }
    if (pl_cur_left(&alpn) != 0) {
        ee.alpn = alpn;
        ids[n++] = PL_EXT_ALPN;
    }
    if (pl_exts_has(&ch->exts, PL_EXT_RECORD_SIZE_LIMIT)) {
        ee.record_size_limit = PL_SERVER13_RECORD_SIZE_LIMIT;
        ids[n++] = PL_EXT_RECORD_SIZE_LIMIT;
    }
    uint8_t msg[PL_HS_HEADER_LEN + 2 + 4 + 4 + 2 + 1 + 255 + 4 + 2];
    pl_buf b;
    pl_buf_init(&b, msg, sizeof(msg));
    PL_TRY(pl_encrypted_extensions_build(&b, &ee, ids, n));
    return pl_tls_send_message(tls, &h->transcript, b.p, b.len);
}

/* CertificateRequest (§4.3.2): an empty context and the schemes we verify. */
static padlock_err pl_server13_send_cr(pl_tls *tls, pl_server13_hs *h) {
    uint8_t schemes[2 * 16];
    pl_buf list;
    pl_buf_init(&list, schemes, sizeof(schemes));
    PL_TRY(pl_ext_u16_list_write(&list, pl_auth13_sig_algs, pl_auth13_num_sig_algs));
    pl_certificate_request cr;
    memset(&cr, 0, sizeof(cr));
    pl_cur_init(&cr.context, NULL, 0);
    pl_cur_init(&cr.exts.sig_algs, list.p, list.len);
    static const uint16_t ids[] = {PL_EXT_SIGNATURE_ALGORITHMS};
    uint8_t msg[PL_HS_HEADER_LEN + 1 + 2 + 4 + 2 + sizeof(schemes)];
    pl_buf b;
    pl_buf_init(&b, msg, sizeof(msg));
    PL_TRY(pl_certificate_request_build(&b, &cr, ids, 1));
    h->cert_requested = 1;
    return pl_tls_send_message(tls, &h->transcript, b.p, b.len);
}

/* What the flight after the ServerHello presents, decided before the ServerHello goes out so
 * that a refusal is a plaintext alert and nothing was committed. */
typedef struct pl_server13_plan {
    const struct pl_x509_credential *cred; /* NULL when resuming */
    uint16_t scheme;
    uint8_t name_matched;
    pl_cur alpn; /* empty: none */
} pl_server13_plan;

static padlock_err pl_server13_plan_flight(pl_tls *tls, const pl_client_hello *ch,
                                           pl_server13_plan *out) {
    memset(out, 0, sizeof(*out));
    if (!tls->resumed) {
        PL_TRY(pl_server13_choose_cert(tls, ch, &out->cred, &out->scheme, &out->name_matched));
    }
    PL_TRY(pl_server13_choose_alpn(tls, ch, &out->alpn));
    size_t len = pl_cur_left(&out->alpn);
    if (len != 0) {
        tls->alpn = pl_malloc(len + 1);
        PL_CHECK(tls->alpn != NULL, PADLOCK_E_NO_MEMORY);
        memcpy(tls->alpn, out->alpn.p, len);
        tls->alpn[len] = '\0';
    }
    return PADLOCK_OK;
}

/* The encrypted flight after the ServerHello, and the application secrets after our Finished
 * (§7.1): our application keys go in at once, the client's after its Finished. */
static padlock_err pl_server13_flight(pl_tls *tls, pl_server13_hs *h, const pl_client_hello *ch,
                                      const pl_server13_plan *plan,
                                      const pl_ks13_secret *s_finished) {
    PL_TRY(pl_server13_send_ee(tls, h, ch, plan->alpn, plan->name_matched));
    if (!tls->resumed) {
        /* §4.3.2: servers "which are authenticating with a PSK MUST NOT send the
         * CertificateRequest message in the main handshake". */
        if (tls->cfg->client_auth != PL_CLIENT_AUTH_NONE) {
            PL_TRY(pl_server13_send_cr(tls, h));
        }
        pl_cur context;
        pl_cur_init(&context, NULL, 0);
        PL_TRY(pl_auth13_send_chain(tls, &h->transcript, &h->scratch, context, plan->cred));
        PL_TRY(pl_auth13_send_verify(tls, &h->transcript, &h->scratch, plan->cred, plan->scheme));
    }
    PL_TRY(pl_tls_send_finished(tls, &h->transcript, s_finished));
    pl_digest th;
    PL_TRY(pl_transcript_hash(&h->transcript, &th)); /* ClientHello..server Finished */
    PL_TRY(pl_tls_application_secrets(tls, &h->master, &th, h->client_random));
    return pl_tls_set_write_secret(tls, &tls->write_secret);
}

/* Everything after the choice of suite and group, for the ClientHello we answer with a
 * ServerHello. */
static padlock_err pl_server13_answer(pl_tls *tls, pl_server13_hs *h, const pl_client_hello *ch,
                                      const pl_hs_msg *msg, int after_retry, uint8_t *out_next) {
    tls->suite = h->choice.suite;
    tls->version = PL_TLS13;
    tls->group = h->choice.group;
    PL_TRY(pl_transcript_select(&h->transcript, tls->suite->hash));
    if (pl_exts_has(&ch->exts, PL_EXT_RECORD_SIZE_LIMIT)) {
        /* RFC 8449 §4: our protected records hold at most what the client said it takes. */
        PL_TRY(pl_record_dir_set_size_limit(&tls->rio.tx, ch->exts.record_size_limit));
    }
    /* The binder covers the transcript and this ClientHello up to its binders list
     * (§4.2.11.2): that part is hashed first, once, and the binders list after the check. */
    size_t prefix = msg->raw_len - pl_client_hello_binders_len(ch);
    pl_transcript_update(&h->transcript, msg->raw, prefix);
    int resumed = 0;
    uint16_t psk_index = 0;
    pl_ks13_early psk_early;
    memset(&psk_early, 0, sizeof(psk_early));
    PL_TRY(pl_server13_psk(tls, h, ch, &resumed, &psk_early, &psk_index));
    tls->resumed = (uint8_t)resumed;
    pl_server13_plan plan;
    padlock_err rc = pl_server13_plan_flight(tls, ch, &plan);
    if (rc != PADLOCK_OK) {
        pl_ks13_early_cleanup(&psk_early);
        return rc;
    }
    pl_transcript_update(&h->transcript, msg->raw + prefix, msg->raw_len - prefix);
    if (pl_exts_has(&ch->exts, PL_EXT_EARLY_DATA)) {
        /* §4.2.10: early data is never accepted: no early_data in EncryptedExtensions, and the
         * client's 0-RTT records fail to open with the handshake keys and are skipped. */
        pl_rio_skip_early_data(&tls->rio, PL_SERVER13_EARLY_SKIP);
    }
    pl_ks13_secret s_finished;
    memset(&s_finished, 0, sizeof(s_finished));
    rc = pl_server13_server_hello(tls, h, ch, resumed ? &psk_early : NULL, psk_index, after_retry,
                                  &s_finished);
    pl_ks13_early_cleanup(&psk_early);
    if (rc == PADLOCK_OK) {
        rc = pl_server13_flight(tls, h, ch, &plan, &s_finished);
    }
    pl_ks13_secret_cleanup(&s_finished);
    PL_TRY(rc);
    *out_next = h->cert_requested ? PL_S13_WAIT_CERT : PL_S13_WAIT_FINISHED;
    return PADLOCK_OK;
}

padlock_err pl_server13_on_client_hello(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    pl_client_hello ch;
    PL_TRY(pl_client_hello_parse(&ch, msg->body, msg->body_len, &tls->err));
    uint16_t version;
    PL_TRY(pl_server13_check_version(tls, &ch, &version));
    if (version == PL_TLS12) {
        return pl_server12_on_client_hello(tls, &ch, msg, out_next);
    }
    /* §4.2.2: "Clients MUST NOT use cookies in their initial ClientHello". */
    if (pl_exts_has(&ch.exts, PL_EXT_COOKIE)) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ClientHello: a cookie in the first ClientHello, which no "
                           "HelloRetryRequest asked for");
    }
    pl_server13_hs *h = pl_calloc(1, sizeof(*h));
    PL_CHECK(h != NULL, PADLOCK_E_NO_MEMORY);
    tls->hs = h;
    pl_transcript_init(&h->transcript);
    memcpy(h->client_random, ch.random, PL_RANDOM_LEN);
    PL_TRY(pl_server13_choose(tls, &ch, &h->choice));
    PL_TRY(pl_server13_keep_sni(tls, &ch));
    if (h->choice.need_retry) {
        tls->suite = h->choice.suite;
        PL_TRY(pl_server13_send_retry(tls, h, &ch, msg));
        *out_next = PL_S13_WAIT_CH2;
        return PADLOCK_OK;
    }
    return pl_server13_answer(tls, h, &ch, msg, 0, out_next);
}

padlock_err pl_server13_on_client_hello2(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    pl_server13_hs *h = tls->hs;
    pl_client_hello ch;
    PL_TRY(pl_client_hello_parse(&ch, msg->body, msg->body_len, &tls->err));
    PL_TRY(pl_server13_check_retry(tls, h, &ch));
    /* §4.2.10: no early data follows a second ClientHello: records that fail to open are
     * errors again. */
    pl_rio_skip_early_data(&tls->rio, 0);
    /* The suites and groups are those of the first ClientHello, so the choice stands (§4.1.4:
     * the same suite "when receiving a conformant updated ClientHello"). */
    return pl_server13_answer(tls, h, &ch, msg, 1, out_next);
}
