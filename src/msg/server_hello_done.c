/* ServerHelloDone (RFC 5246 §7.4.5) and HelloRequest (§7.4.1.1): the two TLS 1.2 messages
 * whose body is empty ("struct { } ServerHelloDone;"). */
#include "msg/msg.h"

/* An empty body: PADLOCK_E_DECODE naming the message otherwise. */
static padlock_err pl_empty_parse(const char *name, size_t len, pl_errinfo *err) {
    if (len != 0) {
        return pl_ext_fail(err, PADLOCK_E_DECODE, "%s: %zu bytes in a message that is empty",
                           name, len);
    }
    return PADLOCK_OK;
}

static padlock_err pl_empty_build(pl_buf *b, uint8_t type) {
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, type, &msg));
    return pl_msg_end(b, &msg);
}

padlock_err pl_server_hello_done_parse(size_t len, pl_errinfo *err) {
    return pl_empty_parse("ServerHelloDone", len, err);
}

padlock_err pl_server_hello_done_build(pl_buf *b) {
    return pl_empty_build(b, PL_HS_SERVER_HELLO_DONE);
}

padlock_err pl_hello_request_parse(size_t len, pl_errinfo *err) {
    return pl_empty_parse("HelloRequest", len, err);
}

padlock_err pl_hello_request_build(pl_buf *b) {
    return pl_empty_build(b, PL_HS_HELLO_REQUEST);
}
