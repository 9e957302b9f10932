/* padlock's certificate profile (RFC 5280 §4.1.2.2 serials, §4.1.2.6 subjects, §4.2.1.1-3,
 * §4.2.1.9, §4.2.1.12 extensions; RFC 7093 §2 key identifiers) and the issuer checks of
 * RFC 5280 §6.1.4 (k) cA, (l) path length, (n) keyCertSign. */
#include "x509/issue.h"

#include <string.h>

#include "util/mem.h"
#include "x509/credential.h"
#include "x509/name.h"
#include "x509/write.h"

/* The issuer must be able to sign what is asked for, as path validation will require. */
static padlock_err pl_check_issuer(const pl_x509_issue_req *req, const pl_x509_cert *issuer,
                                   const pl_privkey *signer, pl_errinfo *err) {
    char label[PL_X509_NAME_BUF];
    pl_x509_cert_label(issuer, label, sizeof(label));
    if (!issuer->is_ca) {
        /* §6.1.4 (k): the issuer of any certificate in a path is a CA. */
        return pl_errinfo_set(err, PADLOCK_E_CERT_NOT_CA,
                              "issuer \"%s\" is not a CA (its basicConstraints lack cA)", label);
    }
    if ((issuer->exts & PL_X509_EXT_KEY_USAGE) && !(issuer->key_usage & PL_X509_KU_KEY_CERT_SIGN)) {
        /* §6.1.4 (n): an issuer's keyUsage, when present, has keyCertSign. */
        return pl_errinfo_set(err, PADLOCK_E_CERT_KEY_USAGE,
                              "issuer \"%s\" may not sign certificates (keyUsage lacks "
                              "keyCertSign)",
                              label);
    }
    if (req->is_ca && issuer->has_path_len && issuer->path_len == 0) {
        /* §6.1.4 (l), (m): no CA below an issuer with pathLenConstraint 0. */
        return pl_errinfo_set(err, PADLOCK_E_CERT_PATH_LENGTH,
                              "issuer \"%s\" has pathLenConstraint 0 and cannot issue CA "
                              "certificates",
                              label);
    }
    if (pl_x509_key_matches(&issuer->key, signer) != PADLOCK_OK) {
        return pl_errinfo_set(err, PADLOCK_E_KEY_MISMATCH,
                              "the signing key is not the key of issuer \"%s\"", label);
    }
    return PADLOCK_OK;
}

/* The request on its own: validity, subject and names for the kind of certificate. */
static padlock_err pl_check_request(const pl_x509_issue_req *req, const pl_x509_pubkey *key,
                                    pl_errinfo *err) {
    if (req->not_after < req->not_before) {
        return pl_errinfo_set(err, PADLOCK_E_INVALID_ARGUMENT, "validity ends before it starts");
    }
    if (req->is_ca && pl_x509_name_is_empty(req->subject)) {
        /* §4.1.2.6: a CA's subject is a non-empty distinguished name. */
        return pl_errinfo_set(err, PADLOCK_E_INVALID_ARGUMENT,
                              "a CA certificate needs a subject name");
    }
    if (!req->is_ca && req->num_sans == 0) {
        /* RFC 9525 §6.3 (as RFC 6125 §6.4.4 allowed only reluctantly): clients match names
         * against subjectAltName alone, so a leaf without one serves no name. */
        return pl_errinfo_set(err, PADLOCK_E_INVALID_ARGUMENT,
                              "a leaf certificate needs at least one DNS name or IP address");
    }
    if (key->type == PL_KEY_NONE) {
        return pl_errinfo_set(err, PADLOCK_E_KEY_UNSUPPORTED,
                              "the subject's public key is of a type padlock does not certify");
    }
    return PADLOCK_OK;
}

/* A serial number (§4.1.2.2: unique per CA, positive, at most 20 octets): 128 random bits,
 * which makes collisions as unlikely as guessing the serial in advance (the property CA/B
 * Forum BR §7.1 asks of serials). A draw whose first octet is zero is drawn again: DER's
 * minimal encoding would drop that octet, leaving a shorter serial (and zero itself is ruled
 * out with it). */
static padlock_err pl_draw_serial(const pl_rng *rng, uint8_t serial[PL_X509_SERIAL_LEN]) {
    do {
        PL_TRY(pl_rand_bytes(rng, serial, PL_X509_SERIAL_LEN));
    } while (serial[0] == 0);
    return PADLOCK_OK;
}

padlock_err pl_x509_issue(const pl_x509_issue_req *req, const pl_x509_cert *issuer,
                          const pl_privkey *signer, uint8_t **out, size_t *out_len,
                          pl_errinfo *err) {
    pl_cur c;
    pl_cur_init(&c, req->spki.p, req->spki.len);
    pl_x509_pubkey key;
    if (pl_x509_pubkey_read(&c, &key) != PADLOCK_OK || pl_der_done(&c) != PADLOCK_OK) {
        return pl_errinfo_set(err, PADLOCK_E_BAD_KEY,
                              "the subject's public key is not a valid SubjectPublicKeyInfo");
    }
    PL_TRY(pl_check_request(req, &key, err));
    uint8_t ski[PL_X509_KEY_ID_LEN];
    uint8_t aki[PL_X509_KEY_ID_LEN];
    pl_x509_key_id(&key, ski);
    pl_x509_tbs tbs;
    memset(&tbs, 0, sizeof(tbs));
    tbs.ski = (pl_span){ski, sizeof(ski)};
    if (issuer == NULL) {
        if (pl_x509_key_matches(&key, signer) != PADLOCK_OK) {
            return pl_errinfo_set(err, PADLOCK_E_KEY_MISMATCH,
                                  "a self-signed certificate must be signed by its own key");
        }
        tbs.issuer = req->subject;
        tbs.aki = tbs.ski;
    } else {
        PL_TRY(pl_check_issuer(req, issuer, signer, err));
        /* §4.1.2.4: the issuer field is the issuer's subject, byte for byte. */
        tbs.issuer = issuer->subject;
        if (issuer->ski.len > 0) {
            /* §4.2.1.1: the keyIdentifier is the issuer's subjectKeyIdentifier. */
            tbs.aki = issuer->ski;
        } else {
            pl_x509_key_id(&issuer->key, aki);
            tbs.aki = (pl_span){aki, sizeof(aki)};
        }
    }
    uint8_t serial[PL_X509_SERIAL_LEN];
    padlock_err rc = pl_draw_serial(req->rng, serial);
    if (rc != PADLOCK_OK) {
        return pl_errinfo_set(err, rc, "cannot draw a serial number");
    }
    tbs.serial = (pl_span){serial, sizeof(serial)};
    tbs.not_before = req->not_before;
    tbs.not_after = req->not_after;
    tbs.subject = req->subject;
    tbs.spki = req->spki;
    tbs.sans = req->sans;
    tbs.num_sans = req->num_sans;
    tbs.is_ca = req->is_ca;
    if (req->is_ca) {
        /* A CA that signs leaves only: pathLenConstraint 0 keeps a stolen CA key from minting
         * intermediates. §4.2.1.3: keyCertSign for certificates, cRLSign for CRLs. */
        tbs.path_len = 0;
        tbs.key_usage = PL_X509_KU_KEY_CERT_SIGN | PL_X509_KU_CRL_SIGN;
    } else {
        /* TLS leaves sign handshakes (digitalSignature); an rsaEncryption key may also carry
         * TLS 1.2's RSA key transport (keyEncipherment, RFC 5246 §7.4.7.1). */
        tbs.path_len = -1;
        tbs.key_usage = PL_X509_KU_DIGITAL_SIGNATURE;
        if (key.type == PL_KEY_RSA) {
            tbs.key_usage |= PL_X509_KU_KEY_ENCIPHERMENT;
        }
        tbs.eku = PL_X509_EKU_SERVER_AUTH;
        if (req->client_auth) {
            tbs.eku |= PL_X509_EKU_CLIENT_AUTH;
        }
    }
    rc = pl_x509_cert_write(&tbs, signer, out, out_len);
    if (rc != PADLOCK_OK) {
        return pl_errinfo_set(err, rc, "cannot write the certificate: %s", padlock_strerror(rc));
    }
    return PADLOCK_OK;
}
