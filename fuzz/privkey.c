/* Fuzz target: pl_privkey_load over arbitrary bytes (PEM with every label, and DER PKCS#8,
 * SEC1, PKCS#1), and for every key it accepts, PKCS#8 export and re-loading to the same key. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "crypto/crypto.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_privkey *key;
    if (pl_privkey_load(data, size, &key) != PADLOCK_OK) {
        return 0;
    }
    uint8_t *spki = NULL;
    uint8_t *p8 = NULL;
    uint8_t *spki2 = NULL;
    size_t spki_len, p8_len, spki2_len;
    pl_privkey *again = NULL;
    /* An accepted key exports, and its export loads as the same public key. */
    if (pl_privkey_spki(key, &spki, &spki_len) != PADLOCK_OK ||
        pl_privkey_pkcs8(key, &p8, &p8_len) != PADLOCK_OK ||
        pl_privkey_load(p8, p8_len, &again) != PADLOCK_OK ||
        pl_privkey_type(again) != pl_privkey_type(key) ||
        pl_privkey_spki(again, &spki2, &spki2_len) != PADLOCK_OK || spki2_len != spki_len ||
        memcmp(spki, spki2, spki_len) != 0) {
        __builtin_trap();
    }
    pl_free(spki);
    pl_free(spki2);
    pl_free_secret(p8);
    pl_privkey_free(again);
    pl_privkey_free(key);
    return 0;
}
