/* The TLS 1.2 server's state table (RFC 5246 §7.3) and its handlers for the client's flight:
 * ClientKeyExchange (RFC 8422 §5.7) and the extended master secret (RFC 7627 §4; the §8.1 one
 * only when configured) with the key block (§6.3), change_cipher_spec (§7.1), Finished checked in
 * constant time (§7.4.9), then (full handshake) a NewSessionTicket or the session cached, our
 * change_cipher_spec and Finished; the client's Certificate and CertificateVerify in
 * server12_auth.c; renegotiation refused once connected (RFC 5746 §4.4). An abbreviated handshake
 * enters at WAIT_CCS, our Finished already sent. */
#include "hs/server12.h"

#include <string.h>

#include "util/mem.h"

/* The master secret and record keys from the pre-master secret (wiped by the caller). */
static padlock_err pl_server12_master(pl_tls *tls, pl_server12_hs *h, const pl_hs_msg *msg,
                                      const uint8_t *premaster, size_t premaster_len) {
    /* RFC 7627 §4: session_hash = Hash(handshake_messages) through the ClientKeyExchange. */
    PL_TRY(pl_server12_take(h, msg->raw, msg->raw_len));
    if (h->ems) {
        pl_digest session_hash;
        PL_TRY(pl_transcript_hash(&h->transcript, &session_hash));
        PL_TRY(pl_ks12_extended_master_secret(&h->master, tls->suite->hash, premaster,
                                              premaster_len, &session_hash));
    } else {
        /* Only when configured (pl_server12_check_hello): RFC 5246 §8.1. */
        PL_TRY(pl_ks12_master_secret(&h->master, tls->suite->hash, premaster, premaster_len,
                                     h->client_random, h->server_random));
    }
    pl_tls_keylog_bytes(tls, h->client_random, PL_KEYLOG_CLIENT_RANDOM, h->master.b,
                        sizeof(h->master.b));
    return pl_ks12_record_keys(&h->master, tls->suite->aead, h->client_random, h->server_random,
                               &h->read_keys, &h->write_keys);
}

/* RFC 5246 §7.4.7.1: the encrypted pre-master secret. Every failure (length, padding, version)
 * continues with a random secret inside pl_rsa_decrypt_premaster, in constant time: the client
 * only ever learns, from its Finished, whether it knew the secret. */
static padlock_err pl_server12_on_cke_rsa(pl_tls *tls, pl_server12_hs *h, const pl_hs_msg *msg,
                                          uint8_t *out_next) {
    pl_cur ct;
    PL_TRY(pl_client_key_exchange_parse_rsa(&ct, msg->body, msg->body_len, &tls->err));
    uint8_t premaster[PL_KS12_PREMASTER_RSA_LEN];
    padlock_err rc =
        pl_rsa_decrypt_premaster(h->rsa_key, ct.p, pl_cur_left(&ct), h->client_version, premaster);
    if (rc == PADLOCK_OK) {
        rc = pl_server12_master(tls, h, msg, premaster, sizeof(premaster));
    }
    pl_wipe(premaster, sizeof(premaster));
    if (rc != PADLOCK_OK) {
        return pl_tls_fail(tls, rc, "ClientKeyExchange: %s", padlock_strerror(rc));
    }
    *out_next = h->client_cert ? PL_S12_WAIT_CV : PL_S12_WAIT_CCS;
    return PADLOCK_OK;
}

static padlock_err pl_server12_on_cke(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    pl_server12_hs *h = tls->hs;
    if (tls->suite->rsa_kx) {
        return pl_server12_on_cke_rsa(tls, h, msg, out_next);
    }
    pl_cur point;
    PL_TRY(pl_client_key_exchange_parse_ecdhe(&point, msg->body, msg->body_len, &tls->err));
    const pl_kx_alg *kx = h->share.alg;
    uint8_t premaster[PL_KX_MAX_SECRET_LEN];
    padlock_err rc = pl_kx_derive(&h->share, point.p, pl_cur_left(&point), premaster);
    pl_kx_key_cleanup(&h->share);
    if (rc != PADLOCK_OK) {
        /* RFC 8422 §5.11: a point not on the curve (or X25519's all-zero output, RFC 7748 §6.1)
         * is refused, as in TLS 1.3. */
        return pl_tls_fail(tls, rc, "ClientKeyExchange: the client's %s public key is invalid",
                           kx->name);
    }
    rc = pl_server12_master(tls, h, msg, premaster, kx->secret_len);
    pl_wipe(premaster, sizeof(premaster));
    PL_TRY(rc);
    /* RFC 5246 §7.4.8: a client that sent a certificate proves its key next. */
    *out_next = h->client_cert ? PL_S12_WAIT_CV : PL_S12_WAIT_CCS;
    return PADLOCK_OK;
}

static padlock_err pl_server12_on_ccs(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    (void)msg;
    pl_server12_hs *h = tls->hs;
    PL_TRY(pl_finished12_peer_ccs(tls, &h->read_keys, "client"));
    *out_next = PL_S12_WAIT_FINISHED;
    return PADLOCK_OK;
}

padlock_err pl_server12_send_ccs_finished(pl_tls *tls, pl_server12_hs *h) {
    return pl_finished12_send(tls, &h->transcript, &h->master, PL_ROLE_SERVER, &h->write_keys);
}

static padlock_err pl_server12_on_finished(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    pl_server12_hs *h = tls->hs;
    PL_TRY(pl_finished12_check(tls, &h->transcript, &h->master, PL_ROLE_CLIENT, msg));
    if (!h->resumed) {
        /* RFC 5077 §3.3: the ticket goes between the client's Finished and our
         * change_cipher_spec; a session ID's session is kept now that both Finished agree. */
        if (h->issue_ticket) {
            PL_TRY(pl_server12_send_ticket(tls, h));
        } else if (h->session_id_len != 0) {
            PL_TRY(pl_server12_cache_session(tls, h));
        }
        PL_TRY(pl_server12_send_ccs_finished(tls, h));
    }
    PL_TRY(pl_finished12_keep_export(tls, &h->master, h->client_random, h->server_random));
    *out_next = PL_S12_CONNECTED;
    return PADLOCK_OK;
}

/* RFC 5746 §4.4 lets a server refuse renegotiation; padlock always does, with a fatal
 * handshake_failure rather than the no_renegotiation warning (RFC 5246 §7.2.2), so that a client
 * cannot go on believing it renegotiated. */
static padlock_err pl_server12_on_renegotiation(pl_tls *tls, const pl_hs_msg *msg,
                                                uint8_t *out_next) {
    (void)msg;
    (void)out_next;
    return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                       "ClientHello on a TLS 1.2 connection: renegotiation is refused");
}

static void pl_server12_free_hs(void *p) {
    pl_server12_hs *h = p;
    pl_transcript_cleanup(&h->transcript);
    pl_scratch_cleanup(&h->scratch);
    pl_kx_key_cleanup(&h->share);
    pl_ks12_master_cleanup(&h->master);
    pl_msg_log_free(&h->log);
    pl_free_secret(h);
}

#define PL_S12_BIT(state) (1u << (state))

/* No state drops a change_cipher_spec: TLS 1.2 has exactly one, where the table expects it. */
static const pl_hs_state_desc pl_server12_states[PL_S12_NUM_STATES] = {
    [PL_S12_WAIT_CKE] = {"WAIT_CKE", 0},           [PL_S12_WAIT_CCS] = {"WAIT_CCS", 0},
    [PL_S12_WAIT_CERT] = {"WAIT_CERT", 0},         [PL_S12_WAIT_CV] = {"WAIT_CV", 0},
    [PL_S12_WAIT_FINISHED] = {"WAIT_FINISHED", 0}, [PL_S12_CONNECTED] = {"CONNECTED", 0},
};

static const pl_hs_row pl_server12_rows[] = {
    {PL_S12_WAIT_CERT, PL_HS_K_CERTIFICATE, PL_S12_BIT(PL_S12_WAIT_CKE), pl_server12_on_certificate,
     NULL},
    {PL_S12_WAIT_CKE, PL_HS_K_CLIENT_KEY_EXCHANGE,
     PL_S12_BIT(PL_S12_WAIT_CCS) | PL_S12_BIT(PL_S12_WAIT_CV), pl_server12_on_cke, NULL},
    {PL_S12_WAIT_CV, PL_HS_K_CERTIFICATE_VERIFY, PL_S12_BIT(PL_S12_WAIT_CCS),
     pl_server12_on_certificate_verify, NULL},
    {PL_S12_WAIT_CCS, PL_HS_K_CHANGE_CIPHER_SPEC, PL_S12_BIT(PL_S12_WAIT_FINISHED),
     pl_server12_on_ccs, NULL},
    {PL_S12_WAIT_FINISHED, PL_HS_K_FINISHED, PL_S12_BIT(PL_S12_CONNECTED), pl_server12_on_finished,
     "full handshake: [NewSessionTicket,] ChangeCipherSpec, Finished"},
    {PL_S12_CONNECTED, PL_HS_K_CLIENT_HELLO, 0, pl_server12_on_renegotiation,
     "alert handshake_failure (renegotiation refused)"},
};

const pl_hs_table pl_server12_table = {
    .role = "server (TLS 1.2)",
    .states = pl_server12_states,
    .num_states = PL_S12_NUM_STATES,
    .start = PL_S12_WAIT_CKE,
    .connected = PL_S12_CONNECTED,
    .rows = pl_server12_rows,
    .num_rows = sizeof(pl_server12_rows) / sizeof(pl_server12_rows[0]),
    .free_hs = pl_server12_free_hs,
};
