/* pre_shared_key (RFC 8446 §4.2.11): the ClientHello's OfferedPsks (identities and one binder
 * per identity; the table keeps it last), the ServerHello's selected_identity. */
#include "ext/desc.h"

/* RFC 8446 §4.2.11: struct { opaque identity<1..2^16-1>; uint32 obfuscated_ticket_age; } */
static padlock_err pl_psk_identity(pl_cur *c, pl_cur *out_identity, uint32_t *out_age) {
    PL_TRY(pl_cur_vec16(c, 1, 0xffff, out_identity));
    return pl_cur_u32(c, out_age);
}

/* RFC 8446 §4.2.11: opaque PskBinderEntry<32..255>. */
static padlock_err pl_psk_binder(pl_cur *c, pl_cur *out) {
    return pl_cur_vec8(c, 32, 255, out);
}

int pl_ext_psk_identity_next(pl_cur *it, pl_cur *out_identity, uint32_t *out_age) {
    return pl_psk_identity(it, out_identity, out_age) == PADLOCK_OK;
}

int pl_ext_psk_binder_next(pl_cur *it, pl_cur *out_binder) {
    return pl_psk_binder(it, out_binder) == PADLOCK_OK;
}

padlock_err pl_ext_psk_identity_write(pl_buf *b, const uint8_t *identity, size_t len,
                                      uint32_t obfuscated_age) {
    PL_CHECK(len >= 1, PADLOCK_E_INVALID_ARGUMENT);
    PL_TRY(pl_buf_vec16_bytes(b, identity, len));
    return pl_buf_u32(b, obfuscated_age);
}

padlock_err pl_ext_psk_binder_write(pl_buf *b, const uint8_t *binder, size_t len) {
    PL_CHECK(len >= 32, PADLOCK_E_INVALID_ARGUMENT);
    return pl_buf_vec8_bytes(b, binder, len);
}

static padlock_err pl_psk_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err) {
    if (msg != PL_EXT_IN_CH) {
        /* RFC 8446 §4.2.11: uint16 selected_identity (its range is the client's check). */
        return pl_cur_u16(body, &out->psk_selected);
    }
    /* RFC 8446 §4.2.11: PskIdentity identities<7..2^16-1>; PskBinderEntry binders<33..2^16-1>. */
    PL_TRY(pl_cur_vec16(body, 7, 0xffff, &out->psk_identities));
    PL_TRY(pl_cur_vec16(body, 33, 0xffff, &out->psk_binders));
    size_t identities = 0, binders = 0;
    pl_cur it = out->psk_identities;
    pl_cur item;
    uint32_t age;
    while (pl_cur_left(&it) > 0) {
        PL_TRY(pl_psk_identity(&it, &item, &age));
        identities++;
    }
    it = out->psk_binders;
    while (pl_cur_left(&it) > 0) {
        PL_TRY(pl_psk_binder(&it, &item));
        binders++;
    }
    /* RFC 8446 §4.2.11: binders are "one for each value in the identities list". */
    if (identities != binders) {
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ClientHello: pre_shared_key has %zu identities but %zu binders",
                           identities, binders);
    }
    out->psk_count = (uint16_t)identities; /* at most 65535 / 7 */
    return PADLOCK_OK;
}

static padlock_err pl_psk_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    if (msg != PL_EXT_IN_CH) {
        return pl_buf_u16(b, in->psk_selected);
    }
    PL_TRY(pl_ext_build_vec(b, 2, in->psk_identities));
    return pl_ext_build_vec(b, 2, in->psk_binders);
}

const pl_ext_desc pl_ext_pre_shared_key = {
    .id = PL_EXT_PRE_SHARED_KEY,
    .index = PL_EXT_I_PRE_SHARED_KEY,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_SH,
    .name = "pre_shared_key",
    .parse = pl_psk_parse,
    .build = pl_psk_build,
};
