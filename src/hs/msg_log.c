/* The raw handshake messages a TLS 1.2 CertificateVerify covers (RFC 5246 §7.4.8). */
#include "hs/msg_log.h"

#include <string.h>

#include "util/mem.h"

padlock_err pl_msg_log_append(pl_msg_log *log, const uint8_t *msg, size_t len) {
    if (len > log->cap - log->len) {
        size_t cap = 2 * (log->len + len);
        uint8_t *p = pl_malloc(cap);
        PL_CHECK(p != NULL, PADLOCK_E_NO_MEMORY);
        if (log->len != 0) {
            memcpy(p, log->p, log->len);
        }
        pl_free(log->p);
        log->p = p;
        log->cap = cap;
    }
    memcpy(log->p + log->len, msg, len);
    log->len += len;
    return PADLOCK_OK;
}

void pl_msg_log_free(pl_msg_log *log) {
    /* Handshake messages before Finished cross the wire in the clear: nothing to wipe. */
    pl_free(log->p);
    log->p = NULL;
    log->len = 0;
    log->cap = 0;
}
