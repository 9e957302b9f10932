/* Signature checks for certificates and CRLs (RFC 5280 §4.1.1.2, §6.1.3 (a)(1)). */
#include "x509/signature.h"

padlock_err pl_x509_signature_check(pl_x509_sig_fn fn, const pl_x509_sigalg *alg,
                                    pl_span signed_data, pl_span sig, const pl_x509_pubkey *key) {
    /* Collision attacks on MD5 and SHA-1 forge certificate signatures (CA/B Forum BR §7.1.3
     * forbids them; padlock refuses them like every current validator). */
    PL_CHECK(!pl_x509_sigalg_is_weak(alg), PADLOCK_E_CERT_WEAK_ALGORITHM);
    pl_sig_params params;
    PL_TRY(pl_x509_sigalg_params(alg, &params));
    PL_CHECK(key->type != PL_KEY_NONE, PADLOCK_E_CERT_UNSUPPORTED);
    pl_x509_sig_fn verify = fn != NULL ? fn : pl_sig_verify_params;
    padlock_err rc =
        verify(&params, key->spki.p, key->spki.len, signed_data.p, signed_data.len, sig.p, sig.len);
    if (rc == PADLOCK_E_BAD_SIGNATURE || rc == PADLOCK_E_BAD_KEY) {
        return PADLOCK_E_CERT_SIGNATURE;
    }
    return rc;
}
