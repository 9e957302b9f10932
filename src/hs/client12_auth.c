/* The TLS 1.2 client's own authentication (RFC 5246 §7.4.4, §7.4.6, §7.4.8): the server's
 * CertificateRequest, our Certificate (a configured chain whose key fits the request, or an
 * empty one), and our CertificateVerify, a signature over the handshake messages themselves.
 * That signature needs the messages, not a running hash (padlock's signing hashes what it
 * signs), so a client with certificates keeps them (h->log) until it has signed. */
#include <string.h>

#include "hs/client12.h"
#include "util/mem.h"
#include "x509/credential.h"

padlock_err pl_client12_take(pl_client12_hs *h, const uint8_t *msg, size_t len) {
    pl_transcript_update(&h->transcript, msg, len);
    return h->keep_log ? pl_msg_log_append(&h->log, msg, len) : PADLOCK_OK;
}

padlock_err pl_client12_send_message(pl_tls *tls, pl_client12_hs *h, const uint8_t *msg,
                                     size_t len) {
    PL_TRY(pl_client12_take(h, msg, len));
    return pl_tls_send_message(tls, NULL, msg, len);
}

/* 1 if key is of a type the request's certificate_types allow (RFC 5246 §7.4.4; RFC 8422 §5.5:
 * ecdsa_sign for ECDSA and EdDSA keys). */
static int pl_client12_type_ok(const pl_privkey *key, pl_cur types) {
    pl_key_type t = pl_privkey_type(key);
    uint8_t want =
        t == PL_KEY_RSA || t == PL_KEY_RSA_PSS ? PL_CERT_TYPE_RSA_SIGN : PL_CERT_TYPE_ECDSA_SIGN;
    return pl_ext_u8_contains(types, want);
}

padlock_err pl_client12_on_certificate_request(pl_tls *tls, const pl_hs_msg *msg,
                                               uint8_t *out_next) {
    pl_client12_hs *h = tls->hs;
    pl_certificate_request12 cr;
    PL_TRY(pl_certificate_request12_parse(&cr, msg->body, msg->body_len, &tls->err));
    h->cert_requested = 1;
    /* §7.4.6: a certificate of a requested type whose key signs with one of the server's
     * supported_signature_algorithms; none: an empty Certificate, and the server decides. */
    const pl_hs_config *cfg = tls->cfg;
    for (size_t i = 0; i < cfg->num_creds && h->cred == NULL; i++) {
        uint16_t scheme;
        if (pl_client12_type_ok(cfg->creds[i]->key, cr.cert_types) &&
            pl_auth13_scheme(cfg->creds[i], cr.sig_algs, &scheme)) {
            h->cred = cfg->creds[i];
            h->cred_scheme = scheme;
        }
    }
    PL_TRY(pl_client12_take(h, msg->raw, msg->raw_len));
    *out_next = PL_C12_WAIT_SHD_CR;
    return PADLOCK_OK;
}

padlock_err pl_client12_send_certificate(pl_tls *tls, pl_client12_hs *h) {
    const pl_x509_credential *cred = h->cred;
    size_t list = 0;
    for (size_t i = 0; cred != NULL && i < cred->num_certs; i++) {
        list += 3 + cred->der_len[i];
    }
    pl_buf work;
    PL_TRY(pl_scratch_buf(&h->scratch, 2 * list + PL_HS_HEADER_LEN + 4, &work));
    pl_buf entries;
    pl_buf_init(&entries, work.p, list);
    pl_cur none;
    pl_cur_init(&none, work.p, 0);
    for (size_t i = 0; cred != NULL && i < cred->num_certs; i++) {
        PL_TRY(pl_cert_entry_write(&entries, 1, cred->der[i], cred->der_len[i], none));
    }
    pl_certificate msg;
    memset(&msg, 0, sizeof(msg));
    msg.tls12 = 1;
    pl_cur_init(&msg.context, work.p, 0);
    pl_cur_init(&msg.entries, work.p, entries.len);
    pl_buf out;
    pl_buf_init(&out, work.p + list, list + PL_HS_HEADER_LEN + 4);
    PL_TRY(pl_certificate_build(&out, &msg));
    return pl_client12_send_message(tls, h, out.p, out.len);
}

padlock_err pl_client12_send_verify(pl_tls *tls, pl_client12_hs *h) {
    /* §7.4.8: the signature covers handshake_messages, everything from the ClientHello through
     * the ClientKeyExchange. */
    const pl_sig_alg *alg = pl_sig_by_scheme(h->cred_scheme);
    PL_CHECK(alg != NULL && h->keep_log, PADLOCK_E_INTERNAL);
    uint8_t sig[PL_SIG_MAX_LEN];
    size_t sig_len = 0;
    padlock_err rc = pl_privkey_sign(h->cred->key, alg, pl_hs_config_rng(tls->cfg), h->log.p,
                                     h->log.len, sig, sizeof(sig), &sig_len);
    if (rc != PADLOCK_OK) {
        return pl_tls_fail(tls, rc, "CertificateVerify: signing with %s failed: %s", alg->name,
                           padlock_strerror(rc));
    }
    pl_certificate_verify cv;
    cv.scheme = h->cred_scheme;
    pl_cur_init(&cv.signature, sig, sig_len);
    uint8_t msg[PL_HS_HEADER_LEN + 4 + PL_SIG_MAX_LEN];
    pl_buf b;
    pl_buf_init(&b, msg, sizeof(msg));
    PL_TRY(pl_certificate_verify_build(&b, &cv));
    return pl_client12_send_message(tls, h, b.p, b.len);
}
