/* ServerKeyExchange for ECDHE suites (RFC 8422 §5.4, RFC 5246 §7.4.3): the server's ephemeral
 * public key on a named curve and its signature over both randoms and those parameters. */
#include "msg/msg.h"

enum { PL_CURVE_TYPE_NAMED = 3 };

static padlock_err pl_ske_parse(pl_server_key_exchange *out, const uint8_t *body, size_t len,
                                pl_errinfo *err) {
    pl_cur c;
    uint8_t curve_type;
    pl_cur_init(&c, body, len);
    const uint8_t *params_at = c.p;
    /* RFC 8422 §5.4: ServerECDHParams = ECParameters curve_params + ECPoint public. */
    PL_TRY(pl_cur_u8(&c, &curve_type));
    /* RFC 8422 §5.4: explicit_prime and explicit_char2 are deprecated; only named curves. */
    if (curve_type != PL_CURVE_TYPE_NAMED) {
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ServerKeyExchange: curve type %u, not named_curve", curve_type);
    }
    PL_TRY(pl_cur_u16(&c, &out->group));
    /* RFC 8422 §5.4: opaque point <1..2^8-1>. */
    PL_TRY(pl_cur_vec8(&c, 1, 255, &out->point));
    pl_cur_init(&out->params, params_at, (size_t)(c.p - params_at));
    /* RFC 5246 §7.4.1.4.1, §4.7: digitally-signed struct, SignatureAndHashAlgorithm first. */
    PL_TRY(pl_cur_u16(&c, &out->scheme));
    PL_TRY(pl_cur_vec16(&c, 0, 0xffff, &out->signature));
    return pl_cur_done(&c);
}

padlock_err pl_server_key_exchange_parse(pl_server_key_exchange *out, const uint8_t *body,
                                         size_t len, pl_errinfo *err) {
    return pl_msg_result(pl_ske_parse(out, body, len, err), "ServerKeyExchange", err);
}

padlock_err pl_server_key_exchange_params(pl_buf *b, uint16_t group, const uint8_t *point,
                                          size_t point_len) {
    PL_CHECK(point_len >= 1 && point_len <= 255, PADLOCK_E_INVALID_ARGUMENT);
    PL_TRY(pl_buf_u8(b, PL_CURVE_TYPE_NAMED));
    PL_TRY(pl_buf_u16(b, group));
    return pl_buf_vec8_bytes(b, point, point_len);
}

padlock_err pl_server_key_exchange_signed(pl_buf *b, const uint8_t *client_random,
                                          const uint8_t *server_random, pl_cur params) {
    /* RFC 8422 §5.4: the signature covers ClientHello.random + ServerHello.random +
     * ServerECDHParams. */
    PL_TRY(pl_buf_bytes(b, client_random, PL_RANDOM_LEN));
    PL_TRY(pl_buf_bytes(b, server_random, PL_RANDOM_LEN));
    return pl_buf_bytes(b, params.p, params.len);
}

padlock_err pl_server_key_exchange_build(pl_buf *b, const pl_server_key_exchange *in) {
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, PL_HS_SERVER_KEY_EXCHANGE, &msg));
    PL_TRY(pl_server_key_exchange_params(b, in->group, in->point.p, in->point.len));
    PL_TRY(pl_buf_u16(b, in->scheme));
    PL_TRY(pl_buf_vec16_bytes(b, in->signature.p, in->signature.len));
    return pl_msg_end(b, &msg);
}
