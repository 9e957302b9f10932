/* The TLS 1.2 server's client authentication (RFC 5246 §7.4.4, §7.4.6, §7.4.8): our
 * CertificateRequest, the client's Certificate (verified for clientAuth against the configured
 * CAs, as in TLS 1.3) and its CertificateVerify, a signature over the handshake messages
 * themselves. padlock's verification hashes what it verifies, so while a client certificate is
 * expected the server keeps the messages (h->log), and frees them once checked. */
#include <string.h>

#include "hs/server12.h"
#include "util/mem.h"

/* No client certificate is expected any more: the kept messages go. */
static void pl_server12_drop_log(pl_server12_hs *h) {
    pl_msg_log_free(&h->log);
    h->keep_log = 0;
}

padlock_err pl_server12_take(pl_server12_hs *h, const uint8_t *msg, size_t len) {
    pl_transcript_update(&h->transcript, msg, len);
    return h->keep_log ? pl_msg_log_append(&h->log, msg, len) : PADLOCK_OK;
}

padlock_err pl_server12_send(pl_tls *tls, pl_server12_hs *h, const uint8_t *msg, size_t len) {
    PL_TRY(pl_server12_take(h, msg, len));
    return pl_tls_send_message(tls, NULL, msg, len);
}

padlock_err pl_server12_send_cr(pl_tls *tls, pl_server12_hs *h) {
    /* RFC 5246 §7.4.4, RFC 8422 §5.5: the key types we verify (RSA; ECDSA, which covers EdDSA
     * keys), the schemes we accept, and no certificate_authorities, as the TLS 1.3 server. */
    static const uint8_t types[] = {PL_CERT_TYPE_ECDSA_SIGN, PL_CERT_TYPE_RSA_SIGN};
    uint8_t schemes[2 * 16];
    pl_buf list;
    pl_buf_init(&list, schemes, sizeof(schemes));
    PL_TRY(pl_ext_u16_list_write(&list, pl_server12_sig_algs, pl_server12_num_sig_algs));
    pl_certificate_request12 cr;
    pl_cur_init(&cr.cert_types, types, sizeof(types));
    pl_cur_init(&cr.sig_algs, list.p, list.len);
    pl_cur_init(&cr.authorities, NULL, 0);
    uint8_t msg[PL_HS_HEADER_LEN + 1 + sizeof(types) + 2 + sizeof(schemes) + 2];
    pl_buf b;
    pl_buf_init(&b, msg, sizeof(msg));
    PL_TRY(pl_certificate_request12_build(&b, &cr));
    return pl_server12_send(tls, h, b.p, b.len);
}

padlock_err pl_server12_on_certificate(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    pl_server12_hs *h = tls->hs;
    pl_certificate cert;
    PL_TRY(pl_certificate_parse_tls12(&cert, msg->body, msg->body_len, &tls->err));
    if (cert.num_entries == 0) {
        /* RFC 5246 §7.4.6: "If the client does not send any certificates, the server MAY at its
         * discretion either continue the handshake without client authentication, or respond
         * with a fatal handshake_failure alert." */
        if (tls->cfg->client_auth == PL_CLIENT_AUTH_REQUIRED) {
            return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                               "client Certificate (TLS 1.2): empty, and this server requires "
                               "a client certificate");
        }
        pl_server12_drop_log(h);
        pl_transcript_update(&h->transcript, msg->raw, msg->raw_len);
        *out_next = PL_S12_WAIT_CKE;
        return PADLOCK_OK;
    }
    /* Verified for clientAuth against the configured client CAs, no name to match. */
    PL_TRY(pl_auth13_take_chain(tls, &cert, NULL, &h->leaf));
    h->client_cert = 1;
    PL_TRY(pl_server12_take(h, msg->raw, msg->raw_len));
    *out_next = PL_S12_WAIT_CKE;
    return PADLOCK_OK;
}

static int pl_server12_key_is_ec(uint8_t type) {
    return type == PL_KEY_EC_P256 || type == PL_KEY_EC_P384 || type == PL_KEY_EC_P521;
}

padlock_err pl_server12_on_certificate_verify(pl_tls *tls, const pl_hs_msg *msg,
                                              uint8_t *out_next) {
    pl_server12_hs *h = tls->hs;
    pl_certificate_verify cv;
    PL_TRY(pl_certificate_verify_parse(&cv, msg->body, msg->body_len, &tls->err));
    const pl_sig_alg *alg = pl_sig_by_scheme(cv.scheme);
    /* RFC 5246 §7.4.8: "The hash and signature algorithms used in the signature MUST be one of
     * those present in the supported_signature_algorithms field of the CertificateRequest". */
    if (alg == NULL || !pl_hs_list_has(pl_server12_sig_algs, pl_server12_num_sig_algs, cv.scheme)) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "client CertificateVerify (TLS 1.2): signature scheme 0x%04x was not "
                           "offered",
                           cv.scheme);
    }
    /* §7.4.8: the algorithms must be "compatible with the key in the client's end-entity
     * certificate": ECDSA schemes name only the hash in TLS 1.2 (RFC 8422 §5.1.3: any curve),
     * the others bind the key type as in TLS 1.3. */
    uint8_t type = h->leaf.key_type;
    int ec = pl_server12_key_is_ec(alg->key_type);
    if (ec ? !pl_server12_key_is_ec(type) : alg->key_type != type) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "client CertificateVerify (TLS 1.2): signature scheme %s does not fit "
                           "the certificate's key",
                           alg->name);
    }
    /* §7.4.8: the signature covers handshake_messages, from the ClientHello through the
     * ClientKeyExchange. */
    padlock_err rc;
    if (ec) {
        pl_sig_params params = {.kind = PL_SIG_KIND_ECDSA, .hash = alg->hash};
        rc = pl_sig_verify_params(&params, h->leaf.spki, h->leaf.spki_len, h->log.p, h->log.len,
                                  cv.signature.p, pl_cur_left(&cv.signature));
    } else {
        rc = pl_sig_verify(alg, h->leaf.spki, h->leaf.spki_len, h->log.p, h->log.len,
                           cv.signature.p, pl_cur_left(&cv.signature));
    }
    PL_TRY(pl_tls_check_peer_signature(tls, rc, "client CertificateVerify (TLS 1.2)",
                                       alg->name));
    pl_server12_drop_log(h);
    tls->peer_sig_scheme = cv.scheme;
    pl_transcript_update(&h->transcript, msg->raw, msg->raw_len);
    *out_next = PL_S12_WAIT_CCS;
    return PADLOCK_OK;
}
