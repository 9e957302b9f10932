/* TLS 1.3 certificate authentication for both roles: the peer's Certificate (RFC 8446 §4.4.2,
 * §4.4.2.4) verified with the X.509 module, its CertificateVerify (§4.4.3, §4.2.3), and our own
 * Certificate and CertificateVerify. */
#include "hs/auth13.h"

#include <stdio.h>
#include <string.h>

#include "util/mem.h"
#include "x509/cert.h"
#include "x509/credential.h"
#include "x509/store.h"
#include "x509/vcache.h"
#include "x509/verify.h"

/* RFC 8446 §4.2.3: ECDSA bound to its curve, EdDSA, RSASSA-PSS for both key encodings. Ours
 * are listed strongest-first within each family, the families in the order clients commonly
 * prefer (cheap ECDSA P-256 verification first). */
const uint16_t pl_auth13_sig_algs[] = {
    PL_SIG_ECDSA_SECP256R1_SHA256, PL_SIG_ECDSA_SECP384R1_SHA384,
    PL_SIG_ECDSA_SECP521R1_SHA512, PL_SIG_ED25519,
    PL_SIG_RSA_PSS_RSAE_SHA256,    PL_SIG_RSA_PSS_RSAE_SHA384,
    PL_SIG_RSA_PSS_RSAE_SHA512,    PL_SIG_RSA_PSS_PSS_SHA256,
    PL_SIG_RSA_PSS_PSS_SHA384,     PL_SIG_RSA_PSS_PSS_SHA512,
};
const size_t pl_auth13_num_sig_algs = sizeof(pl_auth13_sig_algs) / sizeof(pl_auth13_sig_algs[0]);

/* RFC 8446 §4.2.3: PKCS #1 v1.5 "refer solely to signatures which appear in certificates". */
const uint16_t pl_auth13_sig_algs_cert[] = {
    PL_SIG_ECDSA_SECP256R1_SHA256, PL_SIG_ECDSA_SECP384R1_SHA384,
    PL_SIG_ECDSA_SECP521R1_SHA512, PL_SIG_ED25519,
    PL_SIG_RSA_PSS_RSAE_SHA256,    PL_SIG_RSA_PSS_RSAE_SHA384,
    PL_SIG_RSA_PSS_RSAE_SHA512,    PL_SIG_RSA_PSS_PSS_SHA256,
    PL_SIG_RSA_PSS_PSS_SHA384,     PL_SIG_RSA_PSS_PSS_SHA512,
    PL_SIG_RSA_PKCS1_SHA256,       PL_SIG_RSA_PKCS1_SHA384,
    PL_SIG_RSA_PKCS1_SHA512,
};
const size_t pl_auth13_num_sig_algs_cert =
    sizeof(pl_auth13_sig_algs_cert) / sizeof(pl_auth13_sig_algs_cert[0]);

/* Who the peer is, for messages. */
static const char *pl_auth13_peer(const pl_tls *tls) {
    return pl_tls_peer_role(tls) == PL_ROLE_SERVER ? "server" : "client";
}

static const char *pl_auth13_key_name(uint8_t type) {
    switch (type) {
    case PL_KEY_RSA: return "RSA";
    case PL_KEY_RSA_PSS: return "RSA-PSS";
    case PL_KEY_EC_P256: return "EC P-256";
    case PL_KEY_EC_P384: return "EC P-384";
    case PL_KEY_EC_P521: return "EC P-521";
    case PL_KEY_ED25519: return "Ed25519";
    default: return "unsupported";
    }
}

/* Validates the chain (RFC 5280 §6.1) and the peer's identity (RFC 6125). */
static padlock_err pl_auth13_verify_path(pl_tls *tls, const pl_peer_chain *chain,
                                         const char *peer_name) {
    pl_span spans[PL_X509_MAX_CHAIN];
    for (size_t i = 0; i < chain->num; i++) {
        spans[i].p = chain->certs[i].der;
        spans[i].len = chain->certs[i].len;
    }
    pl_x509_peer peer;
    pl_x509_verify_params params;
    memset(&params, 0, sizeof(params));
    params.store = tls->cfg->store;
    params.now = tls->cfg->now(tls->cfg->now_ctx);
    params.purpose = pl_tls_peer_role(tls) == PL_ROLE_SERVER ? PL_X509_PURPOSE_SERVER_AUTH
                                                             : PL_X509_PURPOSE_CLIENT_AUTH;
    if (peer_name != NULL) {
        if (pl_x509_peer_parse(peer_name, &peer) != PADLOCK_OK) {
            return pl_tls_fail(tls, PADLOCK_E_INVALID_ARGUMENT,
                               "\"%s\" is neither a DNS name nor an IP address", peer_name);
        }
        params.peer = &peer;
    }
    /* The store's verified-chain cache (x509/vcache.h) answers for a chain it verified before
     * with the same inputs, still valid now. */
    return pl_x509_verify_cached(pl_x509_store_cache(params.store), &params, spans, chain->num,
                                 &tls->err);
}

padlock_err pl_auth13_take_chain(pl_tls *tls, const pl_certificate *msg, const char *peer_name,
                                 pl_auth13_leaf *out) {
    const char *who = pl_auth13_peer(tls);
    /* RFC 8446 §4.4.2: "in the case of server authentication, this field SHALL be zero
     * length". */
    if (pl_tls_peer_role(tls) == PL_ROLE_SERVER && pl_cur_left(&msg->context) != 0) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "server Certificate: certificate_request_context is not empty");
    }
    if (msg->num_entries == 0) {
        /* RFC 8446 §4.4.2.4: an empty server Certificate is a decode_error; a client's empty
         * one is judged by the server before it gets here. */
        return pl_tls_fail(tls, PADLOCK_E_DECODE, "%s Certificate: the certificate list is empty",
                           who);
    }
    if (msg->num_entries > PL_X509_MAX_CHAIN) {
        return pl_tls_fail(tls, PADLOCK_E_CERT_CHAIN_TOO_LONG,
                           "%s Certificate: %u certificates, more than the %u accepted", who,
                           msg->num_entries, PL_X509_MAX_CHAIN);
    }
    pl_peer_chain *chain;
    PL_TRY(pl_peer_chain_take(tls->cfg->chains, msg, &chain));
    pl_peer_chain_release(tls->peer_certs);
    tls->peer_certs = chain;

    pl_x509_cert leaf;
    const char *field = NULL;
    if (pl_x509_cert_parse(&leaf, chain->certs[0].der, chain->certs[0].len, &field) != PADLOCK_OK) {
        return pl_tls_fail(tls, PADLOCK_E_CERT_PARSE, "%s certificate is malformed (%s)", who,
                           field != NULL ? field : "DER");
    }
    if (tls->cfg->verify) {
        PL_TRY(pl_auth13_verify_path(tls, chain, peer_name));
    }
    out->spki = leaf.key.spki.p;
    out->spki_len = leaf.key.spki.len;
    out->key_type = (uint8_t)leaf.key.type;
    return PADLOCK_OK;
}

padlock_err pl_auth13_check_verify(pl_tls *tls, const pl_auth13_leaf *leaf, const pl_hs_msg *msg,
                                   const uint16_t *offered, size_t num_offered,
                                   const pl_digest *th) {
    const char *who = pl_auth13_peer(tls);
    pl_certificate_verify cv;
    PL_TRY(pl_certificate_verify_parse(&cv, msg->body, msg->body_len, &tls->err));
    const pl_sig_alg *alg = pl_sig_by_scheme(cv.scheme);
    const char *name = alg != NULL ? alg->name : "unknown";
    /* RFC 8446 §4.4.3: "the signature algorithm MUST be one offered in the client's
     * "signature_algorithms" extension". */
    if (!pl_hs_list_has(offered, num_offered, cv.scheme)) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "%s CertificateVerify: signature scheme %s (0x%04x) was not offered",
                           who, name, cv.scheme);
    }
    /* §4.4.3: "RSA signatures MUST use an RSASSA-PSS algorithm"; schemes padlock does not
     * implement (SHA-1, DSA) cannot be checked. */
    if (alg == NULL || (alg->key_type == PL_KEY_RSA && !alg->pss)) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "%s CertificateVerify: signature scheme %s (0x%04x) is not allowed in "
                           "TLS 1.3",
                           who, name, cv.scheme);
    }
    /* §4.2.3: each scheme names the key it is made with (ECDSA with its curve, rsa_pss_rsae_*
     * with rsaEncryption keys, rsa_pss_pss_* with RSASSA-PSS keys). */
    if (alg->key_type != leaf->key_type) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "%s CertificateVerify: signature scheme %s does not fit the "
                           "certificate's %s key",
                           who, name, pl_auth13_key_name(leaf->key_type));
    }
    uint8_t content[PL_CV_CONTENT_MAX];
    pl_buf b;
    pl_buf_init(&b, content, sizeof(content));
    PL_TRY(pl_certificate_verify_content(&b, pl_tls_peer_role(tls), th->b, th->len));
    padlock_err rc = pl_sig_verify(alg, leaf->spki, leaf->spki_len, content, b.len, cv.signature.p,
                                   pl_cur_left(&cv.signature));
    char where[32];
    snprintf(where, sizeof(where), "%s CertificateVerify", who);
    PL_TRY(pl_tls_check_peer_signature(tls, rc, where, name));
    tls->peer_sig_scheme = cv.scheme;
    return PADLOCK_OK;
}

int pl_auth13_scheme(const struct pl_x509_credential *cred, pl_cur peer_sig_algs,
                     uint16_t *out_scheme) {
    uint16_t scheme;
    while (pl_ext_u16_next(&peer_sig_algs, &scheme)) {
        const pl_sig_alg *alg = pl_sig_by_scheme(scheme);
        if (alg != NULL && pl_hs_list_has(pl_auth13_sig_algs, pl_auth13_num_sig_algs, scheme) &&
            pl_privkey_can_sign(cred->key, alg)) {
            *out_scheme = scheme;
            return 1;
        }
    }
    return 0;
}

void pl_auth13_choose(const pl_hs_config *cfg, pl_cur peer_sig_algs,
                      const struct pl_x509_credential **out_cred, uint16_t *out_scheme) {
    *out_cred = NULL;
    *out_scheme = 0;
    for (size_t i = 0; i < cfg->num_creds; i++) {
        if (pl_auth13_scheme(cfg->creds[i], peer_sig_algs, out_scheme)) {
            *out_cred = cfg->creds[i];
            return;
        }
    }
}

padlock_err pl_auth13_send_chain(pl_tls *tls, pl_transcript *t, pl_scratch *s, pl_cur context,
                                 const struct pl_x509_credential *cred) {
    size_t num = cred != NULL ? cred->num_certs : 0;
    /* The entries are written first (first half of the work buffer), then the message that
     * carries them (second half): CertificateEntry = cert_data<1..2^24-1> + extensions<0..2^16-1>,
     * the message adds its header, context and list length. */
    size_t entries_cap = 0;
    for (size_t i = 0; i < num; i++) {
        entries_cap += 3 + cred->der_len[i] + 2;
    }
    size_t msg_cap = PL_HS_HEADER_LEN + 1 + pl_cur_left(&context) + 3 + entries_cap;
    pl_buf work;
    PL_TRY(pl_scratch_buf(s, entries_cap + msg_cap, &work));
    pl_buf entries;
    pl_buf_init(&entries, work.p, entries_cap);
    pl_cur no_extensions;
    pl_cur_init(&no_extensions, NULL, 0);
    for (size_t i = 0; i < num; i++) {
        PL_TRY(pl_cert_entry_write(&entries, 0, cred->der[i], cred->der_len[i], no_extensions));
    }
    pl_certificate msg;
    memset(&msg, 0, sizeof(msg));
    msg.context = context;
    pl_cur_init(&msg.entries, entries.p, entries.len);
    pl_buf out;
    pl_buf_init(&out, work.p + entries_cap, msg_cap);
    PL_TRY(pl_certificate_build(&out, &msg));
    return pl_tls_send_message(tls, t, out.p, out.len);
}

padlock_err pl_auth13_send_verify(pl_tls *tls, pl_transcript *t, pl_scratch *s,
                                  const struct pl_x509_credential *cred, uint16_t scheme) {
    const pl_sig_alg *alg = pl_sig_by_scheme(scheme);
    PL_CHECK(alg != NULL, PADLOCK_E_INTERNAL);
    pl_digest th;
    PL_TRY(pl_transcript_hash(t, &th));
    uint8_t content[PL_CV_CONTENT_MAX];
    pl_buf b;
    pl_buf_init(&b, content, sizeof(content));
    PL_TRY(pl_certificate_verify_content(&b, tls->cfg->role, th.b, th.len));
    uint8_t sig[PL_SIG_MAX_LEN];
    size_t sig_len;
    padlock_err rc = pl_privkey_sign(cred->key, alg, pl_hs_config_rng(tls->cfg), content, b.len,
                                     sig, sizeof(sig), &sig_len);
    if (rc != PADLOCK_OK) {
        return pl_tls_fail(tls, rc, "CertificateVerify: signing with %s failed: %s", alg->name,
                           padlock_strerror(rc));
    }
    pl_certificate_verify cv;
    cv.scheme = scheme;
    pl_cur_init(&cv.signature, sig, sig_len);
    pl_buf out;
    PL_TRY(pl_scratch_buf(s, PL_HS_HEADER_LEN + 4 + sig_len, &out));
    PL_TRY(pl_certificate_verify_build(&out, &cv));
    return pl_tls_send_message(tls, t, out.p, out.len);
}
