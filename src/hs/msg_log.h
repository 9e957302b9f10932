/* The raw handshake messages of a TLS 1.2 handshake, kept while a CertificateVerify is to be
 * signed or checked over them (RFC 5246 §7.4.8 signs the messages themselves, not a hash the
 * transcript could give). Client and server keep one only when client authentication is on. */
#ifndef PL_HS_MSG_LOG_H
#define PL_HS_MSG_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "padlock/errors.h"
#include "util/err.h"

typedef struct pl_msg_log {
    uint8_t *p; /* the messages in order, owned; NULL when empty */
    size_t len, cap;
} pl_msg_log;

/* Appends the len bytes of msg, growing the log. PADLOCK_E_NO_MEMORY (the log is unchanged). */
PL_NODISCARD padlock_err pl_msg_log_append(pl_msg_log *log, const uint8_t *msg, size_t len);

/* Frees the messages; log is empty (and reusable) afterwards. */
void pl_msg_log_free(pl_msg_log *log);

#endif
