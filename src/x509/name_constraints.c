/* Name constraints, RFC 5280 §4.2.1.10 and §6.1.3 (b)-(c): DNS, rfc822 (email), URI host,
 * iPAddress with mask, and directoryName subtrees; RFC 6125 §6.4.3 wildcard semantics when a
 * wildcard dNSName meets an excluded subtree. */
#include "x509/name_constraints.h"

#include <stdio.h>
#include <string.h>

#include "x509/dns.h"
#include "x509/general_name.h"
#include "x509/name.h"
#include "x509/oid.h"

int pl_x509_nc_dns_within(pl_span name, pl_span base) {
    if (base.len == 0) {
        return 1;
    }
    if (base.p[0] == '.') {
        return name.len > base.len && pl_dns_ends_with(name, base);
    }
    if (pl_dns_equal(name, base)) {
        return 1;
    }
    /* "host.example.com" is within "example.com": the base preceded by a dot. */
    return name.len > base.len && pl_dns_ends_with(name, base) &&
           name.p[name.len - base.len - 1] == '.';
}

/* A wildcard dNSName "*.rest" stands for every one-label extension of rest (RFC 6125 §6.4.3).
 * It is within an excluded subtree if any name it can match is: either rest itself is within
 * the subtree, or the subtree is exactly one label more than rest. */
static int pl_dns_may_match_excluded(pl_span name, pl_span base) {
    if (pl_x509_nc_dns_within(name, base)) {
        return 1;
    }
    if (name.len < 2 || name.p[0] != '*' || name.p[1] != '.') {
        return 0;
    }
    pl_span rest = {name.p + 2, name.len - 2};
    pl_span b = base;
    if (b.len > 0 && b.p[0] == '.') {
        b.p++;
        b.len--;
    }
    const uint8_t *dot = b.len > 0 ? memchr(b.p, '.', b.len) : NULL;
    if (dot == NULL || dot == b.p) {
        return 0;
    }
    pl_span b_rest = {dot + 1, b.len - (size_t)(dot + 1 - b.p)};
    return pl_dns_equal(b_rest, rest);
}

/* rfc822Name constraints (RFC 5280 §4.2.1.10): "user@host" one mailbox, "host" all mailboxes
 * at that host, ".example.com" all mailboxes in subdomains. The local part is compared
 * exactly, the domain ignoring case. Returns -1 when the address has no '@'. */
static int pl_email_within(pl_span email, pl_span base) {
    const uint8_t *at = email.len > 0 ? memchr(email.p, '@', email.len) : NULL;
    if (at == NULL) {
        return -1;
    }
    pl_span domain = {at + 1, email.len - (size_t)(at + 1 - email.p)};
    const uint8_t *base_at = base.len > 0 ? memchr(base.p, '@', base.len) : NULL;
    if (base_at != NULL) {
        size_t local_len = (size_t)(at - email.p);
        pl_span base_domain = {base_at + 1, base.len - (size_t)(base_at + 1 - base.p)};
        return local_len == (size_t)(base_at - base.p) && memcmp(email.p, base.p, local_len) == 0 &&
               pl_dns_equal(domain, base_domain);
    }
    if (base.len > 0 && base.p[0] == '.') {
        return domain.len > base.len && pl_dns_ends_with(domain, base);
    }
    return pl_dns_equal(domain, base);
}

/* The host of a URI with an authority ("scheme://[userinfo@]host[:port]/..."), RFC 3986 §3.2;
 * 0 if there is none or it is an IP literal (name constraints on URIs name hosts). */
static int pl_uri_host(pl_span uri, pl_span *out) {
    const uint8_t *p = uri.p;
    const uint8_t *end = uri.p + uri.len;
    const uint8_t *colon = uri.len > 0 ? memchr(p, ':', uri.len) : NULL;
    if (colon == NULL || end - colon < 3 || colon[1] != '/' || colon[2] != '/') {
        return 0;
    }
    const uint8_t *host = colon + 3;
    const uint8_t *stop = host;
    while (stop < end && *stop != '/' && *stop != '?' && *stop != '#') {
        stop++;
    }
    for (const uint8_t *q = host; q < stop; q++) {
        if (*q == '@') {
            host = q + 1;
        }
    }
    if (host < stop && *host == '[') {
        return 0;
    }
    const uint8_t *port = host;
    while (port < stop && *port != ':') {
        port++;
    }
    out->p = host;
    out->len = (size_t)(port - host);
    if (out->len == 0) {
        return 0;
    }
    /* An all-numeric last label is an IPv4 literal, not a host name. */
    size_t i = out->len;
    while (i > 0 && out->p[i - 1] != '.') {
        i--;
    }
    for (size_t k = i; k < out->len; k++) {
        if (out->p[k] < '0' || out->p[k] > '9') {
            return 1;
        }
    }
    return 0;
}

static int pl_ip_within(pl_span ip, pl_span subtree) {
    if (subtree.len != 2 * ip.len) {
        return 0; /* another address family */
    }
    for (size_t i = 0; i < ip.len; i++) {
        uint8_t mask = subtree.p[ip.len + i];
        if ((ip.p[i] & mask) != (subtree.p[i] & mask)) {
            return 0;
        }
    }
    return 1;
}

/* directoryName: the subtree's RDNs are a prefix of the name's RDNs (X.501 §12.4 subtree). */
static int pl_dn_within(pl_span name, pl_span base) {
    pl_cur n, b, ns, bs;
    pl_cur_init(&n, name.p, name.len);
    pl_cur_init(&b, base.p, base.len);
    if (pl_der_expect(&n, PL_DER_SEQUENCE, &ns, NULL) != PADLOCK_OK ||
        pl_der_expect(&b, PL_DER_SEQUENCE, &bs, NULL) != PADLOCK_OK) {
        return 0;
    }
    while (pl_cur_left(&bs) > 0) {
        pl_cur v;
        pl_span brdn, nrdn;
        if (pl_der_expect(&bs, PL_DER_SET, &v, &brdn) != PADLOCK_OK ||
            pl_der_expect(&ns, PL_DER_SET, &v, &nrdn) != PADLOCK_OK || !pl_span_equal(brdn, nrdn)) {
            return 0;
        }
    }
    return 1;
}

/* Outcome of one name against one subtree. */
typedef enum { PL_NC_OUTSIDE = 0, PL_NC_WITHIN = 1, PL_NC_UNCHECKABLE = 2 } pl_nc_match;

static pl_nc_match pl_nc_match_one(const pl_x509_gn *name, const pl_x509_gn *base, int excluded) {
    switch (name->type) {
    case PL_GN_DNS:
        return (excluded ? pl_dns_may_match_excluded(name->value, base->value)
                         : pl_x509_nc_dns_within(name->value, base->value))
                   ? PL_NC_WITHIN
                   : PL_NC_OUTSIDE;
    case PL_GN_EMAIL: {
        int r = pl_email_within(name->value, base->value);
        return r < 0 ? PL_NC_UNCHECKABLE : r ? PL_NC_WITHIN : PL_NC_OUTSIDE;
    }
    case PL_GN_URI: {
        pl_span host;
        if (!pl_uri_host(name->value, &host)) {
            return PL_NC_UNCHECKABLE;
        }
        if (base->value.len > 0 && base->value.p[0] == '.') {
            return host.len > base->value.len && pl_dns_ends_with(host, base->value)
                       ? PL_NC_WITHIN
                       : PL_NC_OUTSIDE;
        }
        return pl_dns_equal(host, base->value) ? PL_NC_WITHIN : PL_NC_OUTSIDE;
    }
    case PL_GN_IP: return pl_ip_within(name->value, base->value) ? PL_NC_WITHIN : PL_NC_OUTSIDE;
    case PL_GN_DIRNAME:
        return pl_dn_within(name->value, base->value) ? PL_NC_WITHIN : PL_NC_OUTSIDE;
    default: return PL_NC_UNCHECKABLE;
    }
}

/* Checks one name against ca's subtrees. *out_reason gets why it fails. */
static int pl_nc_name_ok(const pl_x509_cert *ca, const pl_x509_gn *name, const char **out_reason) {
    pl_x509_gn base;
    pl_cur trees;
    /* §6.1.3 (c): no name may fall in an excluded subtree. */
    pl_cur_init(&trees, ca->nc_excluded.p, ca->nc_excluded.len);
    while (pl_cur_left(&trees) > 0) {
        pl_cur subtree;
        if (pl_der_expect(&trees, PL_DER_SEQUENCE, &subtree, NULL) != PADLOCK_OK ||
            pl_x509_gn_read(&subtree, &base) != PADLOCK_OK) {
            break;
        }
        if (base.type != name->type) {
            continue;
        }
        pl_nc_match m = pl_nc_match_one(name, &base, 1);
        if (m != PL_NC_OUTSIDE) {
            *out_reason = m == PL_NC_WITHIN ? "is in an excluded subtree"
                                            : "cannot be checked against an excluded subtree";
            return 0;
        }
    }
    /* §6.1.3 (b): when the CA permits subtrees of this name's type, the name is in one. */
    int constrained = 0;
    pl_cur_init(&trees, ca->nc_permitted.p, ca->nc_permitted.len);
    while (pl_cur_left(&trees) > 0) {
        pl_cur subtree;
        if (pl_der_expect(&trees, PL_DER_SEQUENCE, &subtree, NULL) != PADLOCK_OK ||
            pl_x509_gn_read(&subtree, &base) != PADLOCK_OK) {
            break;
        }
        if (base.type != name->type) {
            continue;
        }
        constrained = 1;
        pl_nc_match m = pl_nc_match_one(name, &base, 0);
        if (m == PL_NC_WITHIN) {
            return 1;
        }
        if (m == PL_NC_UNCHECKABLE) {
            *out_reason = "cannot be checked against the permitted subtrees";
            return 0;
        }
    }
    if (constrained) {
        *out_reason = "is not in any permitted subtree";
        return 0;
    }
    return 1;
}

static padlock_err pl_nc_fail(const pl_x509_cert *ca, const pl_x509_cert *cert,
                              const pl_x509_gn *name, const char *reason, pl_errinfo *err) {
    if (err == NULL) {
        return PADLOCK_E_CERT_NAME_CONSTRAINTS;
    }
    char ca_label[PL_X509_NAME_BUF];
    char label[PL_X509_NAME_BUF];
    char what[PL_X509_NAME_BUF + 16];
    pl_x509_cert_label(ca, ca_label, sizeof(ca_label));
    pl_x509_cert_label(cert, label, sizeof(label));
    pl_x509_gn_format(name, what, sizeof(what));
    return pl_errinfo_set(err, PADLOCK_E_CERT_NAME_CONSTRAINTS,
                          "certificate \"%s\": name %s %s of the name constraints of \"%s\"", label,
                          what, reason, ca_label);
}

padlock_err pl_x509_nc_check(const pl_x509_cert *ca, const pl_x509_cert *cert, pl_errinfo *err) {
    if ((ca->exts & PL_X509_EXT_NAME_CONSTRAINTS) == 0) {
        return PADLOCK_OK;
    }
    const char *reason;
    pl_x509_gn name;
    if (!pl_x509_name_is_empty(cert->subject)) {
        name.type = PL_GN_DIRNAME;
        name.value = cert->subject;
        if (!pl_nc_name_ok(ca, &name, &reason)) {
            return pl_nc_fail(ca, cert, &name, reason, err);
        }
        /* §4.2.1.10: emailAddress attributes in the subject are constrained as rfc822Names. */
        pl_x509_name_iter it;
        pl_x509_name_iter_init(&it, cert->subject);
        pl_x509_atv atv;
        while (pl_x509_name_iter_next(&it, &atv, NULL)) {
            if (pl_oid_lookup(atv.type) == PL_OID_AT_EMAIL) {
                name.type = PL_GN_EMAIL;
                name.value = atv.value;
                if (!pl_nc_name_ok(ca, &name, &reason)) {
                    return pl_nc_fail(ca, cert, &name, reason, err);
                }
            }
        }
    }
    pl_cur sans;
    pl_cur_init(&sans, cert->san.p, cert->san.len);
    while (pl_cur_left(&sans) > 0) {
        if (pl_x509_gn_read(&sans, &name) != PADLOCK_OK) {
            break;
        }
        if (!pl_nc_name_ok(ca, &name, &reason)) {
            return pl_nc_fail(ca, cert, &name, reason, err);
        }
    }
    return PADLOCK_OK;
}
