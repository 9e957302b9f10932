/* Key logging in the NSS key log format (the SSLKEYLOGFILE format read by Wireshark and
 * others): one line per secret, "<label> <client_random hex> <secret hex>". This file only
 * formats lines into caller storage; the connection hands them to the application's callback.
 * A key log line IS a secret: callers wipe the buffer after delivering it. */
#ifndef PL_UTIL_LOG_H
#define PL_UTIL_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* The secrets a key log line can carry. */
typedef enum pl_keylog_label {
    PL_KEYLOG_CLIENT_RANDOM = 0,               /* TLS 1.2 master secret */
    PL_KEYLOG_CLIENT_EARLY_TRAFFIC_SECRET = 1, /* TLS 1.3 */
    PL_KEYLOG_CLIENT_HANDSHAKE_TRAFFIC_SECRET = 2,
    PL_KEYLOG_SERVER_HANDSHAKE_TRAFFIC_SECRET = 3,
    PL_KEYLOG_CLIENT_TRAFFIC_SECRET_0 = 4,
    PL_KEYLOG_SERVER_TRAFFIC_SECRET_0 = 5,
    PL_KEYLOG_EARLY_EXPORTER_SECRET = 6,
    PL_KEYLOG_EXPORTER_SECRET = 7,
} pl_keylog_label;

#define PL_KEYLOG_RANDOM_LEN 32 /* ClientHello.random */
#define PL_KEYLOG_MAX_SECRET 48 /* TLS 1.2 master secret, SHA-384 TLS 1.3 secrets */
#define PL_KEYLOG_LABEL_MAX 31  /* "CLIENT_HANDSHAKE_TRAFFIC_SECRET" */
/* Longest line with its NUL: label, space, 64 hex digits, space, 96 hex digits. */
#define PL_KEYLOG_LINE_MAX                                                                         \
    (PL_KEYLOG_LABEL_MAX + 1 + 2 * PL_KEYLOG_RANDOM_LEN + 1 + 2 * PL_KEYLOG_MAX_SECRET + 1)

/* The label as written in the file ("CLIENT_HANDSHAKE_TRAFFIC_SECRET"), or NULL if unknown. */
const char *pl_keylog_label_name(pl_keylog_label label);

/* Formats one line, without a line terminator, NUL-terminated, into out[0..out_cap); *out_len
 * is its length without the NUL. client_random is the 32-byte ClientHello.random. secret_len is
 * 1..PL_KEYLOG_MAX_SECRET (48 for CLIENT_RANDOM). Errors: PADLOCK_E_INVALID_ARGUMENT (unknown
 * label, bad secret length), PADLOCK_E_BUFFER_TOO_SMALL (nothing written; a PL_KEYLOG_LINE_MAX
 * buffer always suffices). */
PL_NODISCARD padlock_err pl_keylog_format(char *out, size_t out_cap, size_t *out_len,
                                          pl_keylog_label label,
                                          const uint8_t client_random[PL_KEYLOG_RANDOM_LEN],
                                          const uint8_t *secret, size_t secret_len);

#endif
