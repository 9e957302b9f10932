/* session_ticket (RFC 5077 §3.2): in the ClientHello the whole extension_data is the ticket
 * (empty to ask for one); the TLS 1.2 ServerHello answers with it empty. Not a TLS 1.3
 * extension: refused in TLS 1.3 server messages. */
#include "ext/desc.h"

static padlock_err pl_ticket_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err) {
    if (msg == PL_EXT_IN_CH) {
        /* RFC 5077 §3.2: the ticket is the extension_data itself, with no length of its own. */
        return pl_cur_sub(body, pl_cur_left(body), &out->session_ticket);
    }
    /* RFC 5077 §3.2: "The server uses a zero-length SessionTicket extension". */
    return pl_ext_parse_empty(body, msg, "session_ticket", err);
}

static padlock_err pl_ticket_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    if (msg == PL_EXT_IN_CH) {
        return pl_buf_bytes(b, in->session_ticket.p, in->session_ticket.len);
    }
    return PADLOCK_OK;
}

const pl_ext_desc pl_ext_session_ticket = {
    .id = PL_EXT_SESSION_TICKET,
    .index = PL_EXT_I_SESSION_TICKET,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_SH12,
    .name = "session_ticket",
    .parse = pl_ticket_parse,
    .build = pl_ticket_build,
};
