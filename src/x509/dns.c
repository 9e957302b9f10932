/* ASCII DNS name helpers (RFC 1034 §3.1 case-insensitivity, RFC 1123 §2.1 label syntax). */
#include "x509/dns.h"

static uint8_t pl_lower(uint8_t c) {
    return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

int pl_dns_equal(pl_span a, pl_span b) {
    if (a.len != b.len) {
        return 0;
    }
    for (size_t i = 0; i < a.len; i++) {
        if (pl_lower(a.p[i]) != pl_lower(b.p[i])) {
            return 0;
        }
    }
    return 1;
}

int pl_dns_ends_with(pl_span name, pl_span suffix) {
    if (suffix.len > name.len) {
        return 0;
    }
    pl_span tail = {name.p + (name.len - suffix.len), suffix.len};
    return pl_dns_equal(tail, suffix);
}

int pl_dns_name_valid(pl_span name) {
    if (name.len == 0 || name.len > 253) {
        return 0;
    }
    size_t label_len = 0;
    for (size_t i = 0; i <= name.len; i++) {
        if (i == name.len || name.p[i] == '.') {
            if (label_len == 0 || label_len > 63 || name.p[i - 1] == '-' ||
                name.p[i - label_len] == '-') {
                return 0;
            }
            label_len = 0;
            continue;
        }
        uint8_t c = name.p[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_';
        if (!ok) {
            return 0;
        }
        label_len++;
    }
    return 1;
}
