/* Certificate authentication in TLS 1.3, the same for both roles (RFC 8446 §4.4.2, §4.4.3):
 * taking the peer's Certificate (chain kept, verified with the X.509 module against the trust
 * store, the time hook's time and the peer's identity) and checking its CertificateVerify
 * (an offered scheme that fits the leaf's key, signature over the transcript); and on our side,
 * choosing a certificate whose key can sign with a scheme the peer accepts, and sending
 * Certificate and CertificateVerify. */
#ifndef PL_HS_AUTH13_H
#define PL_HS_AUTH13_H

#include <stddef.h>
#include <stdint.h>

#include "hs/tls.h"
#include "msg/msg.h"

/* The signature schemes padlock offers in signature_algorithms (what a CertificateVerify may
 * use: RFC 8446 §4.2.3 excludes PKCS #1 v1.5 there) and, adding PKCS #1 v1.5 for certificates,
 * in signature_algorithms_cert. */
extern const uint16_t pl_auth13_sig_algs[];
extern const size_t pl_auth13_num_sig_algs;
extern const uint16_t pl_auth13_sig_algs_cert[];
extern const size_t pl_auth13_num_sig_algs_cert;

/* The peer's end-entity key, as its CertificateVerify is checked against it. */
typedef struct pl_auth13_leaf {
    const uint8_t *spki; /* SubjectPublicKeyInfo DER, inside tls->peer_certs */
    size_t spki_len;
    uint8_t key_type; /* pl_key_type */
} pl_auth13_leaf;

/* Takes the peer's Certificate message: its entries become tls->peer_certs (a copy, or one
 * shared with the configuration's other connections, hs/peer_chain.h); when the
 * configuration verifies, the chain is validated (RFC 5280 path to a trust anchor at the time
 * hook's time, purpose server_auth when the peer is a server, else client_auth) and, if
 * peer_name is not NULL, the leaf must present it (RFC 6125). The leaf's key goes to *out.
 * Errors (with a detail naming the certificate and rule): DECODE for an empty chain (§4.4.2.4),
 * ILLEGAL_PARAMETER for a server sending a request context, the CERT_* codes of pl_x509_verify,
 * CERT_PARSE, NO_MEMORY. */
PL_NODISCARD padlock_err pl_auth13_take_chain(pl_tls *tls, const pl_certificate *msg,
                                              const char *peer_name, pl_auth13_leaf *out);

/* Checks the peer's CertificateVerify body against leaf: the scheme must be one of
 * offered[0..num_offered) (ILLEGAL_PARAMETER) and fit the leaf's key type (ILLEGAL_PARAMETER),
 * and the signature must verify over the transcript hash th (RFC 8446 §4.4.3; BAD_SIGNATURE,
 * alert decrypt_error). Records the scheme in tls->peer_sig_scheme. */
PL_NODISCARD padlock_err pl_auth13_check_verify(pl_tls *tls, const pl_auth13_leaf *leaf,
                                                const pl_hs_msg *msg, const uint16_t *offered,
                                                size_t num_offered, const pl_digest *th);

/* The scheme cred signs with for a peer that accepts peer_sig_algs (a u16 list, in the peer's
 * order of preference): the first of them that is a TLS 1.3 CertificateVerify scheme padlock
 * implements and cred's key can make. 1 with *out_scheme, 0 if there is none. */
int pl_auth13_scheme(const struct pl_x509_credential *cred, pl_cur peer_sig_algs,
                     uint16_t *out_scheme);

/* Chooses our certificate for a peer that accepts the signature schemes in peer_sig_algs (a
 * u16 list, in the peer's order of preference): the first configured credential whose key can
 * sign with one of them (a TLS 1.3 CertificateVerify scheme padlock implements). *out_cred is
 * NULL when none fits. */
void pl_auth13_choose(const pl_hs_config *cfg, pl_cur peer_sig_algs,
                      const struct pl_x509_credential **out_cred, uint16_t *out_scheme);

/* Sends our Certificate message with certificate_request_context context: cred's chain, or an
 * empty list when cred is NULL (a client without a fitting certificate, §4.4.2). */
PL_NODISCARD padlock_err pl_auth13_send_chain(pl_tls *tls, pl_transcript *t, pl_scratch *s,
                                              pl_cur context,
                                              const struct pl_x509_credential *cred);

/* Sends our CertificateVerify: cred's key signs the transcript so far with scheme (§4.4.3). */
PL_NODISCARD padlock_err pl_auth13_send_verify(pl_tls *tls, pl_transcript *t, pl_scratch *s,
                                               const struct pl_x509_credential *cred,
                                               uint16_t scheme);

#endif
