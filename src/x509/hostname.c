/* Hostname and IP address verification: RFC 6125 §6.4 (DNS-ID, wildcards in §6.4.3),
 * §6.2.1 and RFC 5280 §4.2.1.6 (IP addresses only against iPAddress), and RFC 9525 §6.3 (no
 * common-name fallback, no partial-label wildcards). */
#include "x509/hostname.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "x509/dns.h"
#include "x509/general_name.h"
#include "x509/name.h"

padlock_err pl_x509_peer_parse(const char *name, pl_x509_peer *out) {
    memset(out, 0, sizeof(*out));
    size_t len = strlen(name);
    PL_CHECK(len > 0 && len < 254 + 2, PADLOCK_E_INVALID_ARGUMENT);
    char buf[256];
    memcpy(buf, name, len + 1);
    if (buf[0] == '[' && buf[len - 1] == ']') {
        buf[len - 1] = '\0';
        PL_CHECK(inet_pton(AF_INET6, buf + 1, out->ip) == 1, PADLOCK_E_INVALID_ARGUMENT);
        out->type = PL_X509_PEER_IP;
        out->ip_len = 16;
        return PADLOCK_OK;
    }
    if (inet_pton(AF_INET, buf, out->ip) == 1) {
        out->type = PL_X509_PEER_IP;
        out->ip_len = 4;
        return PADLOCK_OK;
    }
    if (inet_pton(AF_INET6, buf, out->ip) == 1) {
        out->type = PL_X509_PEER_IP;
        out->ip_len = 16;
        return PADLOCK_OK;
    }
    if (buf[len - 1] == '.') {
        buf[--len] = '\0'; /* the absolute form names the same host */
    }
    pl_span s = {(const uint8_t *)buf, len};
    PL_CHECK(pl_dns_name_valid(s), PADLOCK_E_INVALID_ARGUMENT);
    /* A name made only of digits and dots would be an IPv4 address in another spelling
     * (octal, fewer parts); refuse it rather than guess (WHATWG URL "ends in a number"). */
    size_t last_dot = len;
    while (last_dot > 0 && buf[last_dot - 1] != '.') {
        last_dot--;
    }
    int numeric_tld = 1;
    for (size_t i = last_dot; i < len; i++) {
        numeric_tld = numeric_tld && buf[i] >= '0' && buf[i] <= '9';
    }
    PL_CHECK(!numeric_tld, PADLOCK_E_INVALID_ARGUMENT);
    out->type = PL_X509_PEER_DNS;
    out->dns_len = (uint8_t)len;
    memcpy(out->dns, buf, len + 1);
    return PADLOCK_OK;
}

/* Index of the first '.' in s, or s.len. */
static size_t pl_first_dot(pl_span s) {
    const uint8_t *dot = s.len > 0 ? memchr(s.p, '.', s.len) : NULL;
    return dot != NULL ? (size_t)(dot - s.p) : s.len;
}

int pl_x509_dns_matches(pl_span pattern, pl_span ref) {
    if (pattern.len == 0 || pattern.p[pattern.len - 1] == '.') {
        return 0;
    }
    if (pattern.len >= 2 && pattern.p[0] == '*' && pattern.p[1] == '.') {
        /* RFC 6125 §6.4.3: the wildcard is the whole left-most label and matches one label;
         * RFC 9525 §6.3 refuses "*.com"-style patterns: two labels must follow it. */
        pl_span rest = {pattern.p + 2, pattern.len - 2};
        if (memchr(rest.p, '*', rest.len) != NULL || pl_first_dot(rest) == rest.len ||
            !pl_dns_name_valid(rest)) {
            return 0;
        }
        size_t first = pl_first_dot(ref);
        if (first == 0 || first == ref.len) {
            return 0;
        }
        pl_span ref_rest = {ref.p + first + 1, ref.len - first - 1};
        return pl_dns_equal(rest, ref_rest);
    }
    /* Any other '*' is a partial-label wildcard ("w*.example.com"): RFC 9525 §6.3 forbids
     * matching it; RFC 6125 §7.2 already warned against it. */
    if (memchr(pattern.p, '*', pattern.len) != NULL) {
        return 0;
    }
    return pl_dns_equal(pattern, ref);
}

padlock_err pl_x509_check_peer(const pl_x509_cert *leaf, const pl_x509_peer *peer,
                               pl_errinfo *err) {
    if (peer->type == PL_X509_PEER_NONE) {
        return PADLOCK_OK;
    }
    pl_span ref = {(const uint8_t *)peer->dns, peer->dns_len};
    pl_span ip = {peer->ip, peer->ip_len};
    pl_cur sans;
    pl_cur_init(&sans, leaf->san.p, leaf->san.len);
    size_t num_of_type = 0;
    while (pl_cur_left(&sans) > 0) {
        pl_x509_gn gn;
        if (pl_x509_gn_read(&sans, &gn) != PADLOCK_OK) {
            break;
        }
        if (peer->type == PL_X509_PEER_DNS && gn.type == PL_GN_DNS) {
            num_of_type++;
            if (pl_x509_dns_matches(gn.value, ref)) {
                return PADLOCK_OK;
            }
        } else if (peer->type == PL_X509_PEER_IP && gn.type == PL_GN_IP) {
            /* RFC 6125 §6.2.1 / RFC 5280 §4.2.1.6: byte comparison of the address. */
            num_of_type++;
            if (pl_span_equal(gn.value, ip)) {
                return PADLOCK_OK;
            }
        }
    }
    if (err == NULL) {
        return PADLOCK_E_CERT_NAME_MISMATCH;
    }
    char label[PL_X509_NAME_BUF];
    pl_x509_cert_label(leaf, label, sizeof(label));
    char want[256];
    if (peer->type == PL_X509_PEER_IP) {
        pl_x509_ip_format(ip, want, sizeof(want));
    } else {
        snprintf(want, sizeof(want), "%s", peer->dns);
    }
    const char *kind = peer->type == PL_X509_PEER_IP ? "IP address" : "DNS name";
    if ((leaf->exts & PL_X509_EXT_SAN) == 0) {
        return pl_errinfo_set(err, PADLOCK_E_CERT_NAME_MISMATCH,
                              "certificate \"%s\" does not match %s %s: it has no "
                              "subjectAltName, and the common name is not used (RFC 9525 §6.3)",
                              label, kind, want);
    }
    /* Name the presented identities of the relevant type (the first few). */
    char presented[192] = "";
    size_t used = 0;
    size_t shown = 0;
    pl_cur_init(&sans, leaf->san.p, leaf->san.len);
    while (pl_cur_left(&sans) > 0 && shown < 4) {
        pl_x509_gn gn;
        if (pl_x509_gn_read(&sans, &gn) != PADLOCK_OK) {
            break;
        }
        if ((peer->type == PL_X509_PEER_DNS && gn.type == PL_GN_DNS) ||
            (peer->type == PL_X509_PEER_IP && gn.type == PL_GN_IP)) {
            char one[96];
            pl_x509_gn_format(&gn, one, sizeof(one));
            int n = snprintf(presented + used, sizeof(presented) - used, "%s%s",
                             shown > 0 ? ", " : "", one);
            if (n < 0 || (size_t)n >= sizeof(presented) - used) {
                break;
            }
            used += (size_t)n;
            shown++;
        }
    }
    if (num_of_type == 0) {
        return pl_errinfo_set(err, PADLOCK_E_CERT_NAME_MISMATCH,
                              "certificate \"%s\" does not match %s %s: it has no %s in its "
                              "subjectAltName",
                              label, kind, want,
                              peer->type == PL_X509_PEER_IP ? "iPAddress" : "dNSName");
    }
    return pl_errinfo_set(err, PADLOCK_E_CERT_NAME_MISMATCH,
                          "certificate \"%s\" does not match %s %s (it is valid for %s%s)", label,
                          kind, want, presented, num_of_type > shown ? ", ..." : "");
}
