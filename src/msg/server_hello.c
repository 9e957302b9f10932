/* ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4; RFC 5246 §7.4.1.3 for TLS 1.2):
 * one wire format, three extension contexts told apart by the random and supported_versions;
 * and the downgrade sentinels of §4.1.3. */
#include <string.h>

#include "msg/msg.h"

/* RFC 8446 §4.1.3: the SHA-256 of "HelloRetryRequest". */
const uint8_t pl_hrr_random[PL_RANDOM_LEN] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* RFC 8446 §4.1.3: the last 8 bytes of the random of a TLS 1.3 server negotiating TLS 1.2,
 * and TLS 1.1 or below ("DOWNGRD" then 01 or 00). */
#define PL_SENTINEL_LEN 8
#define PL_SENTINEL_AT (PL_RANDOM_LEN - PL_SENTINEL_LEN)
static const uint8_t pl_sentinel_tls12[PL_SENTINEL_LEN] = {0x44, 0x4f, 0x57, 0x4e,
                                                           0x47, 0x52, 0x44, 0x01};
static const uint8_t pl_sentinel_tls11[PL_SENTINEL_LEN] = {0x44, 0x4f, 0x57, 0x4e,
                                                           0x47, 0x52, 0x44, 0x00};

static pl_ext_msg pl_sh_kind(const uint8_t *random, int has_supported_versions) {
    /* RFC 8446 §4.1.3: "implementations MUST first examine the Random value and, if it matches
     * this value, process it as described in Section 4.1.4". */
    if (memcmp(random, pl_hrr_random, PL_RANDOM_LEN) == 0) {
        return PL_EXT_IN_HRR;
    }
    /* RFC 8446 §4.1.3: "All TLS 1.3 ServerHello messages MUST contain the
     * "supported_versions" extension"; without it the server chose TLS 1.2 or below. */
    return has_supported_versions ? PL_EXT_IN_SH : PL_EXT_IN_SH12;
}

/* Everything but the extension rules: the fixed fields, the extensions block (in *out_block)
 * and the kind they decide. */
static padlock_err pl_sh_head(pl_server_hello *out, const uint8_t *body, size_t len,
                              pl_cur *out_block, pl_errinfo *err) {
    pl_cur c, ignored;
    uint8_t compression;
    int has_versions = 0;
    memset(out, 0, sizeof(*out));
    pl_cur_init(&c, body, len);
    PL_TRY(pl_cur_u16(&c, &out->legacy_version));
    PL_TRY(pl_cur_bytes(&c, PL_RANDOM_LEN, &out->random));
    /* RFC 8446 §4.1.3: opaque legacy_session_id_echo<0..32>. */
    PL_TRY(pl_cur_vec8(&c, 0, PL_SESSION_ID_MAX, &out->session_id));
    PL_TRY(pl_cur_u16(&c, &out->cipher_suite));
    PL_TRY(pl_cur_u8(&c, &compression));
    /* RFC 8446 §4.1.3: legacy_compression_method "MUST have the value 0"; below TLS 1.3 it is
     * chosen from the client's list, and padlock offers only null (RFC 5246 §7.4.1.3). */
    if (compression != 0) {
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ServerHello: compression method %u is not null", compression);
    }
    /* RFC 5246 §7.4.1.3: a TLS 1.2 ServerHello may end here; TLS 1.3 ones carry extensions. */
    PL_TRY(pl_msg_hello_extensions(&c, "ServerHello", &out->has_extensions, out_block, err));
    PL_TRY(pl_exts_find(out_block->p, out_block->len, PL_EXT_SUPPORTED_VERSIONS, &has_versions,
                        &ignored));
    out->kind = pl_sh_kind(out->random, has_versions);
    return PADLOCK_OK;
}

static padlock_err pl_sh_parse(pl_server_hello *out, const uint8_t *body, size_t len,
                               uint32_t offered, pl_errinfo *err) {
    pl_cur block;
    PL_TRY(pl_sh_head(out, body, len, &block, err));
    return pl_exts_parse(&out->exts, out->kind, block.p, block.len, offered, err);
}

padlock_err pl_server_hello_parse(pl_server_hello *out, const uint8_t *body, size_t len,
                                  uint32_t offered, pl_errinfo *err) {
    return pl_msg_result(pl_sh_parse(out, body, len, offered, err), "ServerHello", err);
}

padlock_err pl_server_hello_peek(pl_server_hello *out, const uint8_t *body, size_t len,
                                 pl_errinfo *err) {
    pl_cur block;
    return pl_msg_result(pl_sh_head(out, body, len, &block, err), "ServerHello", err);
}

padlock_err pl_server_hello_build(pl_buf *b, const pl_server_hello *in, const uint16_t *ext_ids,
                                  size_t num_ext) {
    int has_versions = 0;
    for (size_t i = 0; i < num_ext; i++) {
        has_versions = has_versions || ext_ids[i] == PL_EXT_SUPPORTED_VERSIONS;
    }
    pl_ext_msg kind = pl_sh_kind(in->random, has_versions);
    PL_CHECK(in->has_extensions || (num_ext == 0 && kind == PL_EXT_IN_SH12),
             PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(pl_cur_left(&in->session_id) <= PL_SESSION_ID_MAX, PADLOCK_E_INVALID_ARGUMENT);
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, PL_HS_SERVER_HELLO, &msg));
    PL_TRY(pl_buf_u16(b, in->legacy_version));
    PL_TRY(pl_buf_bytes(b, in->random, PL_RANDOM_LEN));
    PL_TRY(pl_buf_vec8_bytes(b, in->session_id.p, in->session_id.len));
    PL_TRY(pl_buf_u16(b, in->cipher_suite));
    PL_TRY(pl_buf_u8(b, 0));
    if (in->has_extensions) {
        PL_TRY(pl_exts_build(b, kind, &in->exts, ext_ids, num_ext));
    }
    return pl_msg_end(b, &msg);
}

pl_downgrade pl_server_hello_downgrade(const uint8_t *random) {
    if (memcmp(random + PL_SENTINEL_AT, pl_sentinel_tls12, PL_SENTINEL_LEN) == 0) {
        return PL_DOWNGRADE_TLS12;
    }
    if (memcmp(random + PL_SENTINEL_AT, pl_sentinel_tls11, PL_SENTINEL_LEN) == 0) {
        return PL_DOWNGRADE_TLS11;
    }
    return PL_DOWNGRADE_NONE;
}

void pl_server_hello_set_downgrade(uint8_t *random, pl_downgrade which) {
    if (which != PL_DOWNGRADE_NONE) {
        memcpy(random + PL_SENTINEL_AT,
               which == PL_DOWNGRADE_TLS12 ? pl_sentinel_tls12 : pl_sentinel_tls11,
               PL_SENTINEL_LEN);
    }
}
