/* NSS key log lines (the SSLKEYLOGFILE format): TLS 1.2 CLIENT_RANDOM and the TLS 1.3 secret
 * labels of RFC 8446 §7.1 (client/server handshake and application traffic, exporters). */
#include "util/log.h"

#include <string.h>

const char *pl_keylog_label_name(pl_keylog_label label) {
    switch (label) {
    case PL_KEYLOG_CLIENT_RANDOM: return "CLIENT_RANDOM";
    case PL_KEYLOG_CLIENT_EARLY_TRAFFIC_SECRET: return "CLIENT_EARLY_TRAFFIC_SECRET";
    case PL_KEYLOG_CLIENT_HANDSHAKE_TRAFFIC_SECRET: return "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
    case PL_KEYLOG_SERVER_HANDSHAKE_TRAFFIC_SECRET: return "SERVER_HANDSHAKE_TRAFFIC_SECRET";
    case PL_KEYLOG_CLIENT_TRAFFIC_SECRET_0: return "CLIENT_TRAFFIC_SECRET_0";
    case PL_KEYLOG_SERVER_TRAFFIC_SECRET_0: return "SERVER_TRAFFIC_SECRET_0";
    case PL_KEYLOG_EARLY_EXPORTER_SECRET: return "EARLY_EXPORTER_SECRET";
    case PL_KEYLOG_EXPORTER_SECRET: return "EXPORTER_SECRET";
    }
    return NULL;
}

/* Writes n bytes as lower-case hex, as the format's readers expect, and returns the end. */
static char *pl_keylog_hex(char *dst, const uint8_t *p, size_t n) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        *dst++ = digits[p[i] >> 4];
        *dst++ = digits[p[i] & 0x0f];
    }
    return dst;
}

padlock_err pl_keylog_format(char *out, size_t out_cap, size_t *out_len, pl_keylog_label label,
                             const uint8_t client_random[PL_KEYLOG_RANDOM_LEN],
                             const uint8_t *secret, size_t secret_len) {
    const char *name = pl_keylog_label_name(label);
    PL_CHECK(name != NULL, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(secret_len >= 1 && secret_len <= PL_KEYLOG_MAX_SECRET, PADLOCK_E_INVALID_ARGUMENT);
    /* The TLS 1.2 line carries the 48-byte master secret (RFC 5246 §8.1). */
    PL_CHECK(label != PL_KEYLOG_CLIENT_RANDOM || secret_len == 48, PADLOCK_E_INVALID_ARGUMENT);
    /* util sits below the wire builder, so the line is sized up front and then written. */
    size_t name_len = strlen(name);
    size_t len = name_len + 1 + 2 * PL_KEYLOG_RANDOM_LEN + 1 + 2 * secret_len;
    PL_CHECK(len < out_cap, PADLOCK_E_BUFFER_TOO_SMALL);
    memcpy(out, name, name_len);
    char *p = out + name_len;
    *p++ = ' ';
    p = pl_keylog_hex(p, client_random, PL_KEYLOG_RANDOM_LEN);
    *p++ = ' ';
    p = pl_keylog_hex(p, secret, secret_len);
    *p = '\0';
    *out_len = len;
    return PADLOCK_OK;
}
