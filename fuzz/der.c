/* Fuzz target: the strict DER reader over arbitrary bytes — walks the element tree (bounded
 * depth) and applies every typed reader to every primitive element, checking that a reader
 * either consumes exactly one element or leaves the cursor untouched. */
#include <stddef.h>
#include <stdint.h>

#include "wire/der.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every typed reader on a copy of c: on success it consumed one whole element, on failure
 * nothing. */
static void pl_try_readers(const pl_cur *c, size_t whole) {
    size_t before = pl_cur_left(c);
    pl_cur t;
    pl_span s;
    uint8_t unused;
    int64_t when;
    uint64_t v;
    int b;
    pl_der_tag tag;
    char text[128];
#define PL_CHECK_READ(call)                                                                        \
    do {                                                                                           \
        t = *c;                                                                                    \
        if ((call) == PADLOCK_OK ? pl_cur_left(&t) != before - whole                               \
                                 : pl_cur_left(&t) != before) {                                    \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)
    PL_CHECK_READ(pl_der_boolean(&t, &b));
    PL_CHECK_READ(pl_der_integer(&t, PL_DER_INTEGER, &s));
    PL_CHECK_READ(pl_der_unsigned(&t, PL_DER_INTEGER, &s));
    PL_CHECK_READ(pl_der_small_uint(&t, PL_DER_INTEGER, 1000, &v));
    PL_CHECK_READ(pl_der_oid(&t, &s));
    PL_CHECK_READ(pl_der_bit_string(&t, PL_DER_BIT_STRING, &s, &unused));
    PL_CHECK_READ(pl_der_bit_octets(&t, &s));
    PL_CHECK_READ(pl_der_octet_string(&t, PL_DER_OCTET_STRING, &s));
    PL_CHECK_READ(pl_der_null(&t));
    PL_CHECK_READ(pl_der_time(&t, &when));
    PL_CHECK_READ(pl_der_string(&t, &tag, &s));
    PL_CHECK_READ(pl_der_ia5(&t, PL_DER_IA5_STRING, &s));
#undef PL_CHECK_READ
    t = *c;
    if (pl_der_oid(&t, &s) == PADLOCK_OK) {
        (void)pl_der_oid_text(s, text, sizeof(text));
    }
}

static void pl_walk(pl_cur c, int depth) {
    while (pl_cur_left(&c) > 0) {
        pl_cur at = c;
        pl_der_tag tag;
        pl_cur value;
        pl_span tlv;
        if (pl_der_next(&c, &tag, &value, &tlv) != PADLOCK_OK) {
            return;
        }
        if (tlv.p != at.p || tlv.len != pl_cur_left(&at) - pl_cur_left(&c)) {
            __builtin_trap();
        }
        pl_try_readers(&at, tlv.len);
        if ((tag & PL_DER_CONSTRUCTED) && depth < 32) {
            pl_walk(value, depth + 1);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_cur c;
    pl_cur_init(&c, data, size);
    pl_walk(c, 0);
    return 0;
}
