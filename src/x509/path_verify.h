/* Path validation (RFC 5280 §6.1) of one complete candidate path, with padlock's algorithm
 * and key policy, extended key usage, and CRL revocation checking (§6.3). The steps carry the
 * RFC's names; the state variables of §6.1.2 that padlock uses are working_public_key,
 * working_issuer_name, max_path_length and the name constraints of the CAs above. Policy
 * processing (§6.1.3 (d)-(f), certificatePolicies trees) is not implemented: certificates whose
 * policy extensions are critical and unprocessable (policyConstraints, policyMappings,
 * inhibitAnyPolicy) are refused as carrying unknown critical extensions. */
#ifndef PL_X509_PATH_VERIFY_H
#define PL_X509_PATH_VERIFY_H

#include "x509/verify.h"

/* Signature checks are expensive; a budget bounds the work a hostile chain can cause, and a
 * cache makes each edge cost once across candidate paths. */
#define PL_X509_SIG_BUDGET 64

typedef struct pl_x509_sig_cache {
    struct {
        const pl_x509_cert *child;
        const pl_x509_cert *issuer;
        padlock_err result;
    } entries[PL_X509_SIG_BUDGET];
    size_t num;
} pl_x509_sig_cache;

/* Minimum RSA modulus and the largest accepted (verification cost grows with the cube). */
#define PL_X509_MIN_RSA_BITS 2048
#define PL_X509_MAX_RSA_BITS 8192

/* Validates path[0..len): path[0] the target (leaf), path[len - 1] the trust anchor (len 1:
 * the leaf is itself trusted). Checks, for the anchor: validity, key strength, and when it
 * issues, cA/keyCertSign/pathLen/extKeyUsage/nameConstraints (RFC 5937 §3 anchor constraints);
 * for every other certificate from the anchor down (§6.1.3): signature by the working public
 * key with an acceptable algorithm, validity at params->now, revocation, issuer name, name
 * constraints, unknown critical extensions; for intermediates (§6.1.4): cA, path length,
 * keyCertSign, extended key usage; for the leaf (§6.1.5): key usage and extended key usage for
 * params->purpose. Returns PADLOCK_OK or the first refusal's code with a detail in err. The
 * peer identity is not checked here. */
PL_NODISCARD padlock_err pl_x509_path_validate(const pl_x509_verify_params *params,
                                               const pl_x509_cert *const *path, size_t len,
                                               pl_x509_sig_cache *cache, pl_errinfo *err);

#endif
