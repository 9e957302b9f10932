/* NewSessionTicket, TLS 1.3 form (RFC 8446 §4.6.1): lifetime (at most 7 days), age_add, nonce,
 * ticket and extensions (early_data's max_early_data_size); and the TLS 1.2 form (RFC 5077
 * §3.3): a lifetime hint and the ticket. */
#include "msg/msg.h"

static padlock_err pl_nst_parse(pl_new_session_ticket *out, const uint8_t *body, size_t len,
                                pl_errinfo *err) {
    pl_cur c, block;
    pl_cur_init(&c, body, len);
    /* RFC 8446 §4.6.1: uint32 ticket_lifetime; uint32 ticket_age_add; opaque
     * ticket_nonce<0..255>; opaque ticket<1..2^16-1>; Extension extensions<0..2^16-2>. */
    PL_TRY(pl_cur_u32(&c, &out->lifetime));
    PL_TRY(pl_cur_u32(&c, &out->age_add));
    PL_TRY(pl_cur_vec8(&c, 0, 255, &out->nonce));
    PL_TRY(pl_cur_vec16(&c, 1, 0xffff, &out->ticket));
    PL_TRY(pl_cur_vec16(&c, 0, 0xfffe, &block));
    PL_TRY(pl_cur_done(&c));
    /* RFC 8446 §4.6.1: "Servers MUST NOT use any value greater than 604800 seconds". */
    if (out->lifetime > PL_TICKET_LIFETIME_MAX) {
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                           "NewSessionTicket: lifetime %u s exceeds 7 days", out->lifetime);
    }
    return pl_exts_parse(&out->exts, PL_EXT_IN_NST, block.p, block.len, 0, err);
}

padlock_err pl_new_session_ticket_parse(pl_new_session_ticket *out, const uint8_t *body, size_t len,
                                        pl_errinfo *err) {
    return pl_msg_result(pl_nst_parse(out, body, len, err), "NewSessionTicket", err);
}

padlock_err pl_new_session_ticket_build(pl_buf *b, const pl_new_session_ticket *in,
                                        const uint16_t *ext_ids, size_t num_ext) {
    PL_CHECK(in->lifetime <= PL_TICKET_LIFETIME_MAX, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(pl_cur_left(&in->ticket) >= 1, PADLOCK_E_INVALID_ARGUMENT);
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, PL_HS_NEW_SESSION_TICKET, &msg));
    PL_TRY(pl_buf_u32(b, in->lifetime));
    PL_TRY(pl_buf_u32(b, in->age_add));
    PL_TRY(pl_buf_vec8_bytes(b, in->nonce.p, in->nonce.len));
    PL_TRY(pl_buf_vec16_bytes(b, in->ticket.p, in->ticket.len));
    PL_TRY(pl_exts_build(b, PL_EXT_IN_NST, &in->exts, ext_ids, num_ext));
    return pl_msg_end(b, &msg);
}

/* ---- TLS 1.2 form (RFC 5077 §3.3) ----------------------------------------------------------- */

static padlock_err pl_nst12_parse(pl_new_session_ticket12 *out, const uint8_t *body, size_t len) {
    pl_cur c;
    pl_cur_init(&c, body, len);
    /* RFC 5077 §3.3: uint32 ticket_lifetime_hint; opaque ticket<0..2^16-1>. */
    PL_TRY(pl_cur_u32(&c, &out->lifetime_hint));
    PL_TRY(pl_cur_vec16(&c, 0, 0xffff, &out->ticket));
    return pl_cur_done(&c);
}

padlock_err pl_new_session_ticket12_parse(pl_new_session_ticket12 *out, const uint8_t *body,
                                          size_t len, pl_errinfo *err) {
    return pl_msg_result(pl_nst12_parse(out, body, len), "NewSessionTicket", err);
}

padlock_err pl_new_session_ticket12_build(pl_buf *b, const pl_new_session_ticket12 *in) {
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, PL_HS_NEW_SESSION_TICKET, &msg));
    PL_TRY(pl_buf_u32(b, in->lifetime_hint));
    PL_TRY(pl_buf_vec16_bytes(b, in->ticket.p, in->ticket.len));
    return pl_msg_end(b, &msg);
}
