/* Fuzz target: SubjectPublicKeyInfo parsing and signature verification with the parsed key,
 * as X.509 and CertificateVerify feed peer keys to pl_sig_verify_params. The first input byte
 * picks the signature kind and hash, the rest is the DER key; the signature is the key bytes
 * themselves (verification must fail cleanly, never crash or leak). */
#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "crypto/keyinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) {
        return 0;
    }
    static const pl_hash_alg *const hashes[] = {&pl_hash_sha256, &pl_hash_sha384, &pl_hash_sha512};
    pl_sig_params params;
    params.kind = (pl_sig_kind)(1 + data[0] % 4);
    params.hash = params.kind == PL_SIG_KIND_ED25519 ? NULL : hashes[(data[0] >> 2) % 3];
    params.pss_salt_len = params.hash != NULL ? params.hash->digest_len : 0;
    const uint8_t *der = data + 1;
    size_t der_len = size - 1;
    pl_spki spki;
    padlock_err parsed = pl_spki_parse(der, der_len, &spki);
    padlock_err err = pl_sig_verify_params(&params, der, der_len, der, der_len, der, der_len);
    if (err == PADLOCK_OK || (parsed != PADLOCK_OK && err != PADLOCK_E_BAD_KEY)) {
        __builtin_trap(); /* a forged signature, or a malformed key not reported as one */
    }
    return 0;
}
