/* key_share (RFC 8446 §4.2.8): the KeyShareEntry list of a ClientHello (one entry per group at
 * most, each for a group in supported_groups), the server_share of a ServerHello, the
 * selected_group of a HelloRetryRequest. */
#include "ext/desc.h"

/* RFC 8446 §4.2.8: struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } */
static padlock_err pl_key_share_entry(pl_cur *c, uint16_t *out_group, pl_cur *out_kx) {
    PL_TRY(pl_cur_u16(c, out_group));
    return pl_cur_vec16(c, 1, 0xffff, out_kx);
}

int pl_ext_key_share_next(pl_cur *it, uint16_t *out_group, pl_cur *out_key_exchange) {
    return pl_key_share_entry(it, out_group, out_key_exchange) == PADLOCK_OK;
}

int pl_ext_key_share_find(pl_cur list, uint16_t group, pl_cur *out_key_exchange) {
    uint16_t g;
    pl_cur kx;
    while (pl_ext_key_share_next(&list, &g, &kx)) {
        if (g == group) {
            *out_key_exchange = kx;
            return 1;
        }
    }
    return 0;
}

padlock_err pl_ext_key_share_entry_write(pl_buf *b, uint16_t group, const uint8_t *key_exchange,
                                         size_t len) {
    PL_CHECK(len >= 1, PADLOCK_E_INVALID_ARGUMENT);
    PL_TRY(pl_buf_u16(b, group));
    return pl_buf_vec16_bytes(b, key_exchange, len);
}

static padlock_err pl_key_share_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err) {
    (void)err;
    switch (msg) {
    case PL_EXT_IN_CH: {
        /* RFC 8446 §4.2.8: KeyShareEntry client_shares<0..2^16-1>; the entries are checked
         * here, the rules between them in finish. */
        PL_TRY(pl_cur_vec16(body, 0, 0xffff, &out->key_shares));
        pl_cur entries = out->key_shares;
        while (pl_cur_left(&entries) > 0) {
            uint16_t group;
            pl_cur kx;
            PL_TRY(pl_key_share_entry(&entries, &group, &kx));
        }
        return PADLOCK_OK;
    }
    case PL_EXT_IN_HRR:
        /* RFC 8446 §4.2.8: struct { NamedGroup selected_group; } KeyShareHelloRetryRequest */
        return pl_cur_u16(body, &out->key_share_group);
    default:
        /* RFC 8446 §4.2.8: struct { KeyShareEntry server_share; } KeyShareServerHello */
        return pl_key_share_entry(body, &out->key_share_group, &out->key_exchange);
    }
}

static padlock_err pl_key_share_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    switch (msg) {
    case PL_EXT_IN_CH: return pl_ext_build_vec(b, 2, in->key_shares);
    case PL_EXT_IN_HRR: return pl_buf_u16(b, in->key_share_group);
    default:
        return pl_ext_key_share_entry_write(b, in->key_share_group, in->key_exchange.p,
                                            in->key_exchange.len);
    }
}

/* The ClientHello rules between key_share and supported_groups, in a frame of its own because
 * its set is 8 KiB. */
__attribute__((noinline)) static padlock_err pl_key_share_check(const pl_exts *e, pl_errinfo *err) {
    pl_u16_set offered;
    pl_u16_set_clear(&offered);
    int have_groups = pl_exts_has(e, PL_EXT_SUPPORTED_GROUPS);
    pl_cur groups = e->supported_groups;
    uint16_t g;
    while (pl_ext_u16_next(&groups, &g)) {
        (void)pl_u16_set_add(&offered, g);
    }
    pl_cur it = e->key_shares;
    pl_cur kx;
    while (pl_ext_key_share_next(&it, &g, &kx)) {
        if (have_groups ? pl_u16_set_take(&offered, g) : pl_u16_set_add(&offered, g)) {
            continue;
        }
        /* RFC 8446 §4.2.8: "Clients MUST NOT offer multiple KeyShareEntry values for the same
         * group. Clients MUST NOT offer any KeyShareEntry values for groups not listed in the
         * client's "supported_groups" extension. Servers MAY check for violations of these
         * rules and abort the handshake with an "illegal_parameter" alert". */
        if (!have_groups || pl_ext_u16_contains(e->supported_groups, g)) {
            return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                               "ClientHello: key_share offers group 0x%04x twice", g);
        }
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ClientHello: key_share offers group 0x%04x, not in supported_groups",
                           g);
    }
    return PADLOCK_OK;
}

static padlock_err pl_key_share_finish(const pl_exts *e, pl_ext_msg msg, pl_errinfo *err) {
    if (msg != PL_EXT_IN_CH || !pl_exts_has(e, PL_EXT_KEY_SHARE)) {
        return PADLOCK_OK;
    }
    return pl_key_share_check(e, err);
}

const pl_ext_desc pl_ext_key_share = {
    .id = PL_EXT_KEY_SHARE,
    .index = PL_EXT_I_KEY_SHARE,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_SH | PL_EXT_IN_HRR,
    .name = "key_share",
    .parse = pl_key_share_parse,
    .build = pl_key_share_build,
    .finish = pl_key_share_finish,
};
