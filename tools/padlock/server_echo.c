/* padlock server --echo: every byte a client sends comes back to it. The output buffer is the
 * only storage: nothing more is read from a client until what it sent before has been taken by
 * the connection, so a client that does not read stops being read from (TCP flow control). */
#include <string.h>

#include "server.h"

size_t pl_echo_room(const pl_server_conn *c) {
    return c->out_len == 0 ? sizeof(c->out) : 0;
}

void pl_echo_input(pl_server_conn *c, const uint8_t *p, size_t n) {
    memcpy(c->out, p, n);
    c->out_off = 0;
    c->out_len = n;
}
