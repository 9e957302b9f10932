/* Fuzz target: handshake message reassembly over arbitrary record sequences. Layout: two bytes
 * of size limit, then per step an op byte (0xc0 and above: a key change; otherwise content type
 * in the low two bits and length bits above) and for records a length byte and the data. The
 * messages handed out must be exactly the handshake bytes fed, split at their headers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record/frag.h"
#include "record/record.h"
#include "wire/cur.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) {
        return 0;
    }
    static const uint8_t types[4] = {PL_CONTENT_HANDSHAKE, PL_CONTENT_HANDSHAKE, PL_CONTENT_ALERT,
                                     PL_CONTENT_APPLICATION_DATA};
    uint32_t max_body = ((uint32_t)data[0] << 8 | data[1]) * 2u;
    /* Every handshake byte fed, to compare the messages against. */
    uint8_t *fed = malloc(size + 1);
    if (fed == NULL) {
        return 0;
    }
    size_t fed_len = 0, out_len = 0;
    pl_frag f;
    pl_frag_init(&f, max_body);
    pl_cur c;
    pl_cur_init(&c, data + 2, size - 2);
    uint8_t op;
    while (pl_cur_u8(&c, &op) == PADLOCK_OK) {
        if (op >= 0xc0) {
            /* A key change is allowed exactly when nothing is pending. */
            int ok = pl_frag_key_change(&f) == PADLOCK_OK;
            if (ok != !pl_frag_pending(&f) || ok != (fed_len == out_len)) {
                __builtin_trap();
            }
            continue;
        }
        uint8_t len8;
        const uint8_t *rec;
        size_t len;
        if (pl_cur_u8(&c, &len8) != PADLOCK_OK) {
            break;
        }
        len = (size_t)len8 | (size_t)(op >> 2) << 8;
        if (len > pl_cur_left(&c)) {
            len = pl_cur_left(&c);
        }
        if (pl_cur_bytes(&c, len, &rec) != PADLOCK_OK) {
            break;
        }
        uint8_t type = types[op & 3];
        padlock_err err = pl_frag_feed(&f, type, rec, len);
        if (err != PADLOCK_OK) {
            /* Refused only for the RFC 8446 §5.1 reasons. */
            int partial = fed_len != out_len;
            if (err != PADLOCK_E_UNEXPECTED_MESSAGE ||
                (type == PL_CONTENT_HANDSHAKE ? len != 0 : !partial)) {
                __builtin_trap();
            }
            break;
        }
        if (type != PL_CONTENT_HANDSHAKE) {
            continue;
        }
        memcpy(fed + fed_len, rec, len);
        fed_len += len;
        for (;;) {
            pl_hs_msg m;
            int found;
            err = pl_frag_next(&f, &m, &found);
            if (err != PADLOCK_OK) {
                if (err != PADLOCK_E_HANDSHAKE_TOO_LARGE) {
                    __builtin_trap();
                }
                goto done;
            }
            if (!found) {
                break;
            }
            uint32_t body_len = (uint32_t)m.raw[1] << 16 | (uint32_t)m.raw[2] << 8 | m.raw[3];
            if (m.raw_len != PL_HS_HEADER_LEN + m.body_len || body_len != m.body_len ||
                m.body_len > max_body || m.type != m.raw[0] || m.body != m.raw + 4 ||
                out_len + m.raw_len > fed_len || memcmp(m.raw, fed + out_len, m.raw_len) != 0) {
                __builtin_trap();
            }
            out_len += m.raw_len;
        }
        if (pl_frag_pending(&f) != (fed_len != out_len)) {
            __builtin_trap();
        }
    }
done:
    pl_frag_cleanup(&f);
    free(fed);
    return 0;
}
