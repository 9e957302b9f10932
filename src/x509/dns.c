/* ASCII DNS name helpers (RFC 1034 §3.1 case-insensitivity, §3.5 and RFC 1123 §2.1 label
 * syntax, RFC 6125 §6.4.3 wildcards). */
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

int pl_dns_name_issuable(pl_span name) {
    size_t labels = 1;
    for (size_t i = 0; i < name.len; i++) {
        labels += name.p[i] == '.';
    }
    pl_span rest = name;
    if (name.len >= 2 && name.p[0] == '*' && name.p[1] == '.') {
        if (labels < 3) {
            return 0;
        }
        rest.p += 2;
        rest.len -= 2;
    }
    if (!pl_dns_name_valid(rest) || name.len > 253) {
        return 0;
    }
    for (size_t i = 0; i < rest.len; i++) {
        if (rest.p[i] == '_') {
            return 0;
        }
    }
    return 1;
}
