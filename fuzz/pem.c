/* Fuzz target: the PEM decoder over arbitrary text, every block, and re-encoding. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/mem.h"
#include "wire/pem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    size_t pos = 0;
    for (;;) {
        pl_pem_block b;
        int found;
        if (pl_pem_next(text, size, &pos, &b, &found) != PADLOCK_OK || !found) {
            break;
        }
        char *again;
        size_t again_len;
        if (pl_pem_encode(b.label, b.der, b.der_len, &again, &again_len) == PADLOCK_OK) {
            /* A re-encoded block decodes to the same bytes. */
            size_t p2 = 0;
            pl_pem_block b2;
            int found2;
            if (pl_pem_next(again, again_len, &p2, &b2, &found2) != PADLOCK_OK || !found2 ||
                b2.der_len != b.der_len || memcmp(b2.der, b.der, b.der_len) != 0) {
                __builtin_trap();
            }
            pl_pem_block_cleanup(&b2);
            pl_free(again);
        }
        pl_pem_block_cleanup(&b);
    }
    return 0;
}
