/* The TLS 1.3 server's state table (RFC 8446 Appendix A.2) and its handlers for the client's
 * second flight: Certificate and CertificateVerify when a certificate was requested (§4.4.2,
 * §4.4.2.4, §4.4.3), Finished (§4.4.4), then the resumption master secret and the session
 * tickets (§4.6.1, §7.1); KeyUpdate once connected (§4.6.3). */
#include "hs/server12.h"
#include "hs/server13.h"

#include "util/mem.h"

static padlock_err pl_server13_on_certificate(pl_tls *tls, const pl_hs_msg *msg,
                                              uint8_t *out_next) {
    pl_server13_hs *h = tls->hs;
    pl_certificate cert;
    /* Our CertificateRequest asked for no entry extensions. */
    PL_TRY(pl_certificate_parse(&cert, msg->body, msg->body_len, 0, &tls->err));
    /* §4.4.2: in response to a CertificateRequest the context is that of the request, which
     * is empty during the handshake (§4.3.2). */
    if (pl_cur_left(&cert.context) != 0) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "client Certificate: certificate_request_context is not the "
                           "CertificateRequest's (empty)");
    }
    if (cert.num_entries == 0) {
        /* §4.4.2.4: "If the client does not send any certificates (i.e., it sends an empty
         * Certificate message), the server MAY at its discretion either continue the handshake
         * without client authentication or abort the handshake with a "certificate_required"
         * alert." */
        if (tls->cfg->client_auth == PL_CLIENT_AUTH_REQUIRED) {
            return pl_tls_fail(tls, PADLOCK_E_CERTIFICATE_REQUIRED,
                               "client Certificate: empty, and this server requires a client "
                               "certificate");
        }
        pl_transcript_update(&h->transcript, msg->raw, msg->raw_len);
        *out_next = PL_S13_WAIT_FINISHED;
        return PADLOCK_OK;
    }
    /* Verified for clientAuth against the configured client CAs, no name to match. */
    PL_TRY(pl_auth13_take_chain(tls, &cert, NULL, &h->leaf));
    pl_transcript_update(&h->transcript, msg->raw, msg->raw_len);
    *out_next = PL_S13_WAIT_CV;
    return PADLOCK_OK;
}

static padlock_err pl_server13_on_certificate_verify(pl_tls *tls, const pl_hs_msg *msg,
                                                     uint8_t *out_next) {
    pl_server13_hs *h = tls->hs;
    pl_digest th;
    PL_TRY(pl_transcript_hash(&h->transcript, &th));
    /* §4.4.3: the scheme must be one our CertificateRequest's signature_algorithms offered. */
    PL_TRY(pl_auth13_check_verify(tls, &h->leaf, msg, pl_auth13_sig_algs, pl_auth13_num_sig_algs,
                                  &th));
    pl_transcript_update(&h->transcript, msg->raw, msg->raw_len);
    *out_next = PL_S13_WAIT_FINISHED;
    return PADLOCK_OK;
}

static padlock_err pl_server13_on_finished(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    pl_server13_hs *h = tls->hs;
    PL_TRY(pl_tls_check_finished(tls, &h->transcript, &h->c_finished, msg));
    /* §5.1: the client's Finished ends its record, as its keys change after it. */
    PL_TRY(pl_tls_set_read_secret(tls, &tls->read_secret));
    *out_next = PL_S13_CONNECTED;
    /* The resumption master secret serves only the tickets, which are sent here or never: a
     * server that sends none neither hashes the transcript again nor derives it. */
    if (pl_server13_num_tickets(tls) == 0) {
        return PADLOCK_OK;
    }
    pl_digest th;
    PL_TRY(pl_transcript_hash(&h->transcript, &th)); /* ClientHello..client Finished */
    pl_ks13_secret rms;
    PL_TRY(pl_ks13_resumption_master(&h->master, &rms, &th));
    /* §4.6.1: tickets go out once the client's Finished is verified, under our application
     * keys. */
    padlock_err rc = pl_server13_send_tickets(tls, h, &rms);
    pl_ks13_secret_cleanup(&rms);
    PL_TRY(rc);
    return PADLOCK_OK;
}

static void pl_server13_free_hs(void *p) {
    pl_server13_hs *h = p;
    pl_transcript_cleanup(&h->transcript);
    pl_scratch_cleanup(&h->scratch);
    pl_ks13_master_cleanup(&h->master);
    pl_ks13_secret_cleanup(&h->c_finished);
    pl_free_secret(h);
}

#define PL_S13_BIT(state) (1u << (state))

/* §5: a change_cipher_spec is dropped "after the first ClientHello message has been sent or
 * received and before the peer's Finished message has been received". */
static const pl_hs_state_desc pl_server13_states[PL_S13_NUM_STATES] = {
    [PL_S13_START] = {"START", 0},
    [PL_S13_WAIT_CH2] = {"WAIT_CH2", 1},
    [PL_S13_WAIT_CERT] = {"WAIT_CERT", 1},
    [PL_S13_WAIT_CV] = {"WAIT_CV", 1},
    [PL_S13_WAIT_FINISHED] = {"WAIT_FINISHED", 1},
    [PL_S13_CONNECTED] = {"CONNECTED", 0},
};

static const pl_hs_row pl_server13_rows[] = {
    {PL_S13_START, PL_HS_K_CLIENT_HELLO,
     PL_S13_BIT(PL_S13_WAIT_CH2) | PL_S13_BIT(PL_S13_WAIT_CERT) | PL_S13_BIT(PL_S13_WAIT_FINISHED),
     pl_server13_on_client_hello,
     "HelloRetryRequest, or ServerHello, EncryptedExtensions, [CertificateRequest, Certificate, "
     "CertificateVerify,] Finished"},
    {PL_S13_WAIT_CH2, PL_HS_K_CLIENT_HELLO,
     PL_S13_BIT(PL_S13_WAIT_CERT) | PL_S13_BIT(PL_S13_WAIT_FINISHED), pl_server13_on_client_hello2,
     "ServerHello, EncryptedExtensions, [CertificateRequest, Certificate, CertificateVerify,] "
     "Finished"},
    {PL_S13_WAIT_CERT, PL_HS_K_CERTIFICATE,
     PL_S13_BIT(PL_S13_WAIT_CV) | PL_S13_BIT(PL_S13_WAIT_FINISHED), pl_server13_on_certificate,
     NULL},
    {PL_S13_WAIT_CV, PL_HS_K_CERTIFICATE_VERIFY, PL_S13_BIT(PL_S13_WAIT_FINISHED),
     pl_server13_on_certificate_verify, NULL},
    {PL_S13_WAIT_FINISHED, PL_HS_K_FINISHED, PL_S13_BIT(PL_S13_CONNECTED), pl_server13_on_finished,
     "[NewSessionTicket]"},
    {PL_S13_CONNECTED, PL_HS_K_KEY_UPDATE, PL_S13_BIT(PL_S13_CONNECTED), pl_tls_on_key_update,
     "[KeyUpdate]"},
};

const pl_hs_table pl_server13_table = {
    .role = "server",
    .states = pl_server13_states,
    .num_states = PL_S13_NUM_STATES,
    .start = PL_S13_START,
    .connected = PL_S13_CONNECTED,
    .rows = pl_server13_rows,
    .num_rows = sizeof(pl_server13_rows) / sizeof(pl_server13_rows[0]),
    .free_hs = pl_server13_free_hs,
    /* A ClientHello that negotiates TLS 1.2 continues in the TLS 1.2 server's table. */
    .handoff = &pl_server12_table,
    .handoff_states = (1u << PL_S12_WAIT_CKE) | (1u << PL_S12_WAIT_CCS) | (1u << PL_S12_WAIT_CERT),
};
