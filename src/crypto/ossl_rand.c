/* Randomness: the caller's rng hook, or libcrypto's CSPRNG, small draws through the per-thread
 * buffer of rand_buffer.c. */
#include <limits.h>

#include <openssl/rand.h>

#include "crypto/crypto.h"
#include "crypto/rand_buffer.h"
#include "util/mem.h"

padlock_err pl_rand_system(uint8_t *out, size_t len) {
    for (size_t done = 0; done < len;) {
        int n = len - done > INT_MAX ? INT_MAX : (int)(len - done);
        if (RAND_bytes(out + done, n) != 1) {
            pl_wipe(out, len);
            return PADLOCK_E_CRYPTO;
        }
        done += (size_t)n;
    }
    return PADLOCK_OK;
}

padlock_err pl_rand_bytes(const pl_rng *rng, uint8_t *out, size_t len) {
    if (rng != NULL && rng->fn != NULL) {
        return rng->fn(rng->ctx, out, len);
    }
    if (len == 0) {
        return PADLOCK_OK;
    }
    if (len <= PL_RAND_BUFFER_MAX_DRAW) {
        return pl_rand_buffer_draw(out, len);
    }
    return pl_rand_system(out, len);
}
