/* IANA names of the protocol values a connection reports: versions (RFC 8446 §4.2.1), cipher
 * suites (§B.4), groups (§4.2.7) and signature schemes (§4.2.3). */
#include "crypto/crypto.h"
#include "hs/suite.h"
#include "padlock/padlock.h"

const char *padlock_version_name(uint16_t version) {
    switch (version) {
    case PADLOCK_TLS13: return "TLSv1.3";
    case PADLOCK_TLS12: return "TLSv1.2";
    default: return NULL;
    }
}

const char *padlock_cipher_suite_name(uint16_t suite) {
    const pl_suite *s = pl_suite_by_code(suite);
    return s != NULL ? s->name : NULL;
}

const char *padlock_group_name(uint16_t group) {
    const pl_kx_alg *kx = pl_kx_by_group(group);
    return kx != NULL ? kx->name : NULL;
}

const char *padlock_signature_scheme_name(uint16_t scheme) {
    const pl_sig_alg *alg = pl_sig_by_scheme(scheme);
    return alg != NULL ? alg->name : NULL;
}
