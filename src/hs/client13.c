/* The TLS 1.3 client's state table (RFC 8446 Appendix A.1) and its handlers from
 * EncryptedExtensions on: EncryptedExtensions (§4.3.1, RFC 7301, RFC 8449), CertificateRequest
 * (§4.3.2), the server's Certificate and CertificateVerify (§4.4.2, §4.4.3), Finished and the
 * application secrets (§4.4.4, §7.1), our own authentication flight (§4.4), and the
 * post-handshake NewSessionTicket (§4.6.1) and KeyUpdate (§4.6.3). */
#include "hs/client13.h"

#include "hs/client12.h"

#include <string.h>

#include "util/mem.h"

padlock_err pl_client13_take_alpn(pl_tls *tls, pl_cur chosen, const char *what) {
    pl_cur ours = {tls->cfg->alpn, tls->cfg->alpn_len};
    pl_cur name;
    size_t len = pl_cur_left(&chosen);
    while (pl_ext_alpn_next(&ours, &name)) {
        if (pl_cur_left(&name) == len && memcmp(name.p, chosen.p, len) == 0) {
            char *copy = pl_malloc(len + 1);
            PL_CHECK(copy != NULL, PADLOCK_E_NO_MEMORY);
            memcpy(copy, chosen.p, len);
            copy[len] = '\0';
            tls->alpn = copy;
            return PADLOCK_OK;
        }
    }
    return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                       "%s: the server selected an application protocol that was not offered",
                       what);
}

static padlock_err pl_client13_on_encrypted_extensions(pl_tls *tls, const pl_hs_msg *msg,
                                                       uint8_t *out_next) {
    pl_client13_hs *h = tls->hs;
    pl_exts ee;
    PL_TRY(pl_encrypted_extensions_parse(&ee, msg->body, msg->body_len, h->offered, &tls->err));
    if (pl_exts_has(&ee, PL_EXT_ALPN)) {
        PL_TRY(pl_client13_take_alpn(tls, ee.alpn, "EncryptedExtensions"));
    }
    if (pl_exts_has(&ee, PL_EXT_RECORD_SIZE_LIMIT)) {
        /* RFC 8449 §4: our protected records to the server hold at most its limit (capped at
         * the protocol's 2^14 + 1 by the record layer). */
        PL_TRY(pl_record_dir_set_size_limit(&tls->rio.tx, ee.record_size_limit));
    }
    pl_transcript_update(&h->transcript, msg->raw, msg->raw_len);
    /* §2.2: a resumed session is authenticated by the PSK: no certificate follows. */
    *out_next = h->psk_accepted ? PL_C13_WAIT_FINISHED : PL_C13_WAIT_CERT_CR;
    return PADLOCK_OK;
}

static padlock_err pl_client13_on_certificate_request(pl_tls *tls, const pl_hs_msg *msg,
                                                      uint8_t *out_next) {
    pl_client13_hs *h = tls->hs;
    pl_certificate_request cr;
    PL_TRY(pl_certificate_request_parse(&cr, msg->body, msg->body_len, &tls->err));
    /* §4.3.2: certificate_request_context "SHALL be zero length unless used for the
     * post-handshake authentication exchanges". */
    if (pl_cur_left(&cr.context) != 0) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "CertificateRequest: certificate_request_context is not empty during "
                           "the handshake");
    }
    h->cert_requested = 1;
    /* §4.4.2.2: our certificate must sign with a scheme from the server's
     * signature_algorithms; without one we send an empty Certificate (§4.4.2). */
    pl_auth13_choose(tls->cfg, cr.exts.sig_algs, &h->cred, &h->cred_scheme);
    pl_transcript_update(&h->transcript, msg->raw, msg->raw_len);
    *out_next = PL_C13_WAIT_CERT;
    return PADLOCK_OK;
}

static padlock_err pl_client13_on_certificate(pl_tls *tls, const pl_hs_msg *msg,
                                              uint8_t *out_next) {
    pl_client13_hs *h = tls->hs;
    pl_certificate cert;
    PL_TRY(pl_certificate_parse(&cert, msg->body, msg->body_len, h->offered, &tls->err));
    PL_TRY(pl_auth13_take_chain(tls, &cert, tls->server_name, &h->leaf));
    pl_transcript_update(&h->transcript, msg->raw, msg->raw_len);
    *out_next = PL_C13_WAIT_CV;
    return PADLOCK_OK;
}

static padlock_err pl_client13_on_certificate_verify(pl_tls *tls, const pl_hs_msg *msg,
                                                     uint8_t *out_next) {
    pl_client13_hs *h = tls->hs;
    pl_digest th;
    PL_TRY(pl_transcript_hash(&h->transcript, &th));
    size_t num;
    const uint16_t *offered = pl_client13_sig_algs(tls, &num);
    PL_TRY(pl_auth13_check_verify(tls, &h->leaf, msg, offered, num, &th));
    pl_transcript_update(&h->transcript, msg->raw, msg->raw_len);
    *out_next = PL_C13_WAIT_FINISHED;
    return PADLOCK_OK;
}

/* After the server's Finished: application and exporter secrets (§7.1), our flight under the
 * handshake keys, then our application keys and the resumption master secret. */
static padlock_err pl_client13_finish(pl_tls *tls, pl_client13_hs *h,
                                      const pl_ks13_master *master) {
    pl_digest th;
    PL_TRY(pl_transcript_hash(&h->transcript, &th)); /* ClientHello..server Finished */
    PL_TRY(pl_tls_application_secrets(tls, master, &th, h->random));
    /* §5.1: the server's Finished must end its record, as the keys change after it. */
    PL_TRY(pl_tls_set_read_secret(tls, &tls->read_secret));

    if (h->cert_requested) {
        /* §4.4.2: our Certificate echoes the request's (empty) context. */
        pl_cur context;
        pl_cur_init(&context, NULL, 0);
        PL_TRY(pl_auth13_send_chain(tls, &h->transcript, &h->scratch, context, h->cred));
        if (h->cred != NULL) {
            PL_TRY(
                pl_auth13_send_verify(tls, &h->transcript, &h->scratch, h->cred, h->cred_scheme));
        }
    }
    PL_TRY(pl_tls_send_finished(tls, &h->transcript, &h->c_finished));
    PL_TRY(pl_tls_set_write_secret(tls, &tls->write_secret));
    PL_TRY(pl_transcript_hash(&h->transcript, &th)); /* ClientHello..client Finished */
    return pl_ks13_resumption_master(master, &tls->resumption, &th);
}

static padlock_err pl_client13_on_finished(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    pl_client13_hs *h = tls->hs;
    PL_TRY(pl_tls_check_finished(tls, &h->transcript, &h->s_finished, msg));
    padlock_err rc = pl_client13_finish(tls, h, &h->master);
    pl_ks13_master_cleanup(&h->master);
    PL_TRY(rc);
    *out_next = PL_C13_CONNECTED;
    return PADLOCK_OK;
}

static padlock_err pl_client13_on_new_session_ticket(pl_tls *tls, const pl_hs_msg *msg,
                                                     uint8_t *out_next) {
    (void)out_next;
    pl_new_session_ticket nst;
    PL_TRY(pl_new_session_ticket_parse(&nst, msg->body, msg->body_len, &tls->err));
    return pl_ticket13_add(&tls->tickets, &nst, &tls->resumption, tls->suite->code,
                           tls->cfg->now(tls->cfg->now_ctx));
}

static void pl_client13_free_hs(void *p) {
    pl_client13_hs *h = p;
    pl_transcript_cleanup(&h->transcript);
    pl_scratch_cleanup(&h->scratch);
    pl_kx_key_cleanup(&h->share);
    pl_ks13_master_cleanup(&h->master);
    pl_ks13_secret_cleanup(&h->c_finished);
    pl_ks13_secret_cleanup(&h->s_finished);
    pl_ticket13_free(h->psk_ticket);
    pl_ks13_early_cleanup(&h->psk_early);
    pl_free_secret(h);
}

#define PL_C13_BIT(state) (1u << (state))

static const pl_hs_state_desc pl_client13_states[PL_C13_NUM_STATES] = {
    [PL_C13_START] = {"START", 0},
    [PL_C13_WAIT_SH] = {"WAIT_SH", 1},
    [PL_C13_WAIT_SH_RETRY] = {"WAIT_SH_RETRY", 1},
    [PL_C13_WAIT_EE] = {"WAIT_EE", 1},
    [PL_C13_WAIT_CERT_CR] = {"WAIT_CERT_CR", 1},
    [PL_C13_WAIT_CERT] = {"WAIT_CERT", 1},
    [PL_C13_WAIT_CV] = {"WAIT_CV", 1},
    [PL_C13_WAIT_FINISHED] = {"WAIT_FINISHED", 1},
    [PL_C13_CONNECTED] = {"CONNECTED", 0},
};

static const pl_hs_row pl_client13_rows[] = {
    {PL_C13_START, PL_HS_K_START, PL_C13_BIT(PL_C13_WAIT_SH), pl_client13_start, "ClientHello"},
    {PL_C13_WAIT_SH, PL_HS_K_SERVER_HELLO, PL_C13_BIT(PL_C13_WAIT_EE), pl_client13_on_server_hello,
     NULL},
    {PL_C13_WAIT_SH, PL_HS_K_HELLO_RETRY_REQUEST, PL_C13_BIT(PL_C13_WAIT_SH_RETRY),
     pl_client13_on_hello_retry, "ClientHello"},
    {PL_C13_WAIT_SH_RETRY, PL_HS_K_SERVER_HELLO, PL_C13_BIT(PL_C13_WAIT_EE),
     pl_client13_on_server_hello, NULL},
    {PL_C13_WAIT_EE, PL_HS_K_ENCRYPTED_EXTENSIONS,
     PL_C13_BIT(PL_C13_WAIT_CERT_CR) | PL_C13_BIT(PL_C13_WAIT_FINISHED),
     pl_client13_on_encrypted_extensions, NULL},
    {PL_C13_WAIT_CERT_CR, PL_HS_K_CERTIFICATE_REQUEST, PL_C13_BIT(PL_C13_WAIT_CERT),
     pl_client13_on_certificate_request, NULL},
    {PL_C13_WAIT_CERT_CR, PL_HS_K_CERTIFICATE, PL_C13_BIT(PL_C13_WAIT_CV),
     pl_client13_on_certificate, NULL},
    {PL_C13_WAIT_CERT, PL_HS_K_CERTIFICATE, PL_C13_BIT(PL_C13_WAIT_CV), pl_client13_on_certificate,
     NULL},
    {PL_C13_WAIT_CV, PL_HS_K_CERTIFICATE_VERIFY, PL_C13_BIT(PL_C13_WAIT_FINISHED),
     pl_client13_on_certificate_verify, NULL},
    {PL_C13_WAIT_FINISHED, PL_HS_K_FINISHED, PL_C13_BIT(PL_C13_CONNECTED), pl_client13_on_finished,
     "[Certificate, CertificateVerify,] Finished"},
    {PL_C13_CONNECTED, PL_HS_K_NEW_SESSION_TICKET, PL_C13_BIT(PL_C13_CONNECTED),
     pl_client13_on_new_session_ticket, NULL},
    {PL_C13_CONNECTED, PL_HS_K_KEY_UPDATE, PL_C13_BIT(PL_C13_CONNECTED), pl_tls_on_key_update,
     "[KeyUpdate]"},
};

const pl_hs_table pl_client13_table = {
    .role = "client",
    .states = pl_client13_states,
    .num_states = PL_C13_NUM_STATES,
    .start = PL_C13_START,
    .connected = PL_C13_CONNECTED,
    .rows = pl_client13_rows,
    .num_rows = sizeof(pl_client13_rows) / sizeof(pl_client13_rows[0]),
    .free_hs = pl_client13_free_hs,
    .handoff = &pl_client12_table,
    .handoff_states = PL_C12_ENTRY_STATES,
};
