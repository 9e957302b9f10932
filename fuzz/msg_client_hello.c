/* Fuzz target: the ClientHello parser with the extension table behind it, the server's first
 * attack surface. Oracles: a failure always carries its code and detail; a success visits
 * every list without reading out of bounds and, when every extension is one padlock builds,
 * rebuilds to exactly the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads every list the hello carries through the public iterators. */
static void pl_fuzz_walk(const pl_client_hello *ch) {
    pl_cur it, item;
    uint16_t v;
    uint32_t age;
    const pl_cur lists[] = {ch->cipher_suites, ch->exts.supported_groups, ch->exts.sig_algs,
                            ch->exts.sig_algs_cert, ch->exts.versions};
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        it = lists[i];
        while (pl_ext_u16_next(&it, &v)) {
        }
    }
    it = ch->exts.key_shares;
    while (pl_ext_key_share_next(&it, &v, &item)) {
        (void)pl_ext_key_share_find(ch->exts.key_shares, v, &item);
    }
    it = ch->exts.alpn;
    while (pl_ext_alpn_next(&it, &item)) {
    }
    size_t identities = 0, binders = 0;
    it = ch->exts.psk_identities;
    while (pl_ext_psk_identity_next(&it, &item, &age)) {
        identities++;
    }
    it = ch->exts.psk_binders;
    while (pl_ext_psk_binder_next(&it, &item)) {
        binders++;
    }
    if (identities != binders || identities != ch->exts.psk_count) {
        __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_errinfo err;
    pl_errinfo_init(&err);
    pl_client_hello ch;
    padlock_err rc = pl_client_hello_parse(&ch, data, size, &err);
    if (rc != PADLOCK_OK) {
        if (err.code != rc || err.detail == NULL) {
            __builtin_trap();
        }
        pl_errinfo_cleanup(&err);
        return 0;
    }
    if (err.code != PADLOCK_OK || pl_client_hello_binders_len(&ch) > size) {
        __builtin_trap();
    }
    pl_fuzz_walk(&ch);
    uint16_t ids[64];
    size_t num;
    if (pl_exts_ids(&ch.exts, ids, 64, &num) != PADLOCK_OK) {
        return 0;
    }
    for (size_t i = 0; i < num; i++) {
        if (pl_ext_bit(ids[i]) == 0) {
            return 0; /* an extension padlock ignores cannot be rebuilt */
        }
    }
    uint8_t *out = malloc(size + PL_HS_HEADER_LEN);
    pl_buf b;
    pl_buf_init(&b, out, size + PL_HS_HEADER_LEN);
    if (pl_client_hello_build(&b, &ch, ids, num) != PADLOCK_OK ||
        b.len != size + PL_HS_HEADER_LEN || memcmp(out + PL_HS_HEADER_LEN, data, size) != 0) {
        __builtin_trap();
    }
    free(out);
    return 0;
}
