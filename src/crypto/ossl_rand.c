/* Randomness: the caller's rng hook, or libcrypto's CSPRNG. */
#include <limits.h>

#include <openssl/rand.h>

#include "crypto/crypto.h"

padlock_err pl_rand_bytes(const pl_rng *rng, uint8_t *out, size_t len) {
    if (rng != NULL && rng->fn != NULL) {
        return rng->fn(rng->ctx, out, len);
    }
    while (len > 0) {
        int n = len > INT_MAX ? INT_MAX : (int)len;
        PL_CHECK(RAND_bytes(out, n) == 1, PADLOCK_E_CRYPTO);
        out += n;
        len -= (size_t)n;
    }
    return PADLOCK_OK;
}
