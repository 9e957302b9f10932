/* Issuing certificates through the public API: checking and encoding the names a certificate
 * or request carries (RFC 5280 §4.1.2.6 subject, §4.2.1.6 dNSName and iPAddress), the
 * validity defaults (§4.1.2.5), and handing the rest to the profile in issue.c. */
#include <arpa/inet.h>
#include <string.h>
#include <time.h>

#include "util/mem.h"
#include "x509/api.h"
#include "x509/dns.h"
#include "x509/issue.h"
#include "x509/name.h"

/* Validity defaults (see padlock_issue_opts). */
#define PL_ISSUE_LEAF_DAYS 825
#define PL_ISSUE_CA_DAYS 3650
#define PL_ISSUE_MAX_DAYS 36500
#define PL_ISSUE_BACKDATE 3600

/* Parses an IP address in text form into 4 or 16 octets; returns the length or 0. */
static size_t pl_ip_parse(const char *text, uint8_t out[16]) {
    if (inet_pton(AF_INET, text, out) == 1) {
        return 4;
    }
    if (inet_pton(AF_INET6, text, out) == 1) {
        return 16;
    }
    return 0;
}

/* The subject Name of names, for pl_der_build. */
static padlock_err pl_subject_write(pl_buf *b, const void *ctx) {
    const padlock_cert_names *names = ctx;
    return pl_x509_name_write(b, names->organization, names->common_name);
}

/* Fails with PADLOCK_E_INVALID_ARGUMENT, pointing *bad at s. */
static padlock_err pl_bad(const char **bad, const char *s) {
    *bad = s;
    return PADLOCK_E_INVALID_ARGUMENT;
}

/* Fills the SAN list of out from names, checking each entry and refusing repeats. */
static padlock_err pl_sans_encode(const padlock_cert_names *names, pl_api_names *out,
                                  const char **bad) {
    size_t num = names->num_dns_names + names->num_ip_addresses;
    PL_CHECK(num >= names->num_dns_names, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(names->num_dns_names == 0 || names->dns_names != NULL, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(names->num_ip_addresses == 0 || names->ip_addresses != NULL,
             PADLOCK_E_INVALID_ARGUMENT);
    if (num == 0) {
        return PADLOCK_OK;
    }
    out->sans = pl_calloc(num, sizeof(*out->sans));
    out->ips = pl_calloc(names->num_ip_addresses + 1, sizeof(*out->ips));
    PL_CHECK(out->sans != NULL && out->ips != NULL, PADLOCK_E_NO_MEMORY);
    for (size_t i = 0; i < names->num_dns_names; i++) {
        const char *name = names->dns_names[i];
        if (name == NULL) {
            return PADLOCK_E_INVALID_ARGUMENT;
        }
        pl_span s = {(const uint8_t *)name, strlen(name)};
        uint8_t ip[16];
        /* An address written as a DNS name would never match an IP reference identity. */
        if (!pl_dns_name_issuable(s) || pl_ip_parse(name, ip) != 0) {
            return pl_bad(bad, name);
        }
        for (size_t j = 0; j < out->num_sans; j++) {
            if (pl_dns_equal(out->sans[j].value, s)) {
                return pl_bad(bad, name);
            }
        }
        out->sans[out->num_sans].type = PL_GN_DNS;
        out->sans[out->num_sans].value = s;
        out->num_sans++;
    }
    for (size_t i = 0; i < names->num_ip_addresses; i++) {
        const char *text = names->ip_addresses[i];
        if (text == NULL) {
            return PADLOCK_E_INVALID_ARGUMENT;
        }
        size_t len = pl_ip_parse(text, out->ips[i]);
        if (len == 0) {
            return pl_bad(bad, text);
        }
        pl_span s = {out->ips[i], len};
        for (size_t j = names->num_dns_names; j < out->num_sans; j++) {
            if (pl_span_equal(out->sans[j].value, s)) {
                return pl_bad(bad, text);
            }
        }
        out->sans[out->num_sans].type = PL_GN_IP;
        out->sans[out->num_sans].value = s;
        out->num_sans++;
    }
    return PADLOCK_OK;
}

padlock_err pl_api_names_encode(const padlock_cert_names *names, pl_api_names *out,
                                const char **out_bad) {
    memset(out, 0, sizeof(*out));
    const char *ignored;
    const char **bad = out_bad != NULL ? out_bad : &ignored;
    *bad = NULL;
    PL_CHECK(names != NULL, PADLOCK_E_INVALID_ARGUMENT);
    const char *attrs[] = {names->common_name, names->organization};
    for (size_t i = 0; i < 2; i++) {
        if (attrs[i] != NULL && !pl_x509_name_value_valid(attrs[i], strlen(attrs[i]))) {
            return pl_bad(bad, attrs[i]);
        }
    }
    PL_TRY(pl_sans_encode(names, out, bad));
    return pl_der_build(pl_subject_write, names, &out->subject, &out->subject_len);
}

void pl_api_names_cleanup(pl_api_names *n) {
    pl_free(n->subject);
    pl_free(n->sans);
    pl_free(n->ips);
    memset(n, 0, sizeof(*n));
}

padlock_err padlock_cert_names_check(const padlock_cert_names *names, const char **out_bad) {
    pl_api_names encoded;
    padlock_err rc = pl_api_names_encode(names, &encoded, out_bad);
    pl_api_names_cleanup(&encoded);
    return rc;
}

/* Issues with the profile of issue.c: the options turned into its request. */
static padlock_err pl_issue(const padlock_issue_opts *opts, const uint8_t *spki, size_t spki_len,
                            const padlock_cert *issuer, const pl_privkey *signer,
                            padlock_cert **out) {
    PL_CHECK(opts != NULL && spki != NULL && out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    *out = NULL;
    PL_CHECK(opts->days <= PL_ISSUE_MAX_DAYS, PADLOCK_E_INVALID_ARGUMENT);
    /* Years 0..9999, what a certificate can say (and no overflow below). */
    PL_CHECK(opts->not_before >= -62167219200LL && opts->not_before <= 253402300799LL,
             PADLOCK_E_INVALID_ARGUMENT);
    unsigned days = opts->days != 0 ? opts->days
                    : opts->is_ca   ? PL_ISSUE_CA_DAYS
                                    : PL_ISSUE_LEAF_DAYS;
    /* Clocks of peers lag: start an hour early unless told otherwise. */
    int64_t not_before =
        opts->not_before != 0 ? opts->not_before : (int64_t)time(NULL) - PL_ISSUE_BACKDATE;
    pl_api_names names;
    padlock_err rc = pl_api_names_encode(&opts->names, &names, NULL);
    if (rc == PADLOCK_OK) {
        pl_x509_issue_req req = {
            .subject = {names.subject, names.subject_len},
            .sans = names.sans,
            .num_sans = names.num_sans,
            .spki = {spki, spki_len},
            .is_ca = opts->is_ca != 0,
            .client_auth = opts->client_auth != 0,
            .not_before = not_before,
            /* RFC 5280 §4.1.2.5: both bounds are inclusive. */
            .not_after = not_before + (int64_t)days * 86400 - 1,
            .rng = NULL,
        };
        pl_errinfo err;
        pl_errinfo_init(&err);
        uint8_t *der;
        size_t der_len;
        rc = pl_x509_issue(&req, issuer != NULL ? &issuer->parsed : NULL, signer, &der, &der_len,
                           &err);
        pl_errinfo_cleanup(&err);
        if (rc == PADLOCK_OK) {
            rc = pl_api_cert_adopt(der, der_len, out, NULL);
        }
    }
    pl_api_names_cleanup(&names);
    return rc;
}

padlock_err padlock_cert_self_sign(const padlock_issue_opts *opts, const padlock_key *key,
                                   padlock_cert **out) {
    PL_CHECK(key != NULL, PADLOCK_E_INVALID_ARGUMENT);
    return pl_issue(opts, key->spki, key->spki_len, NULL, key->key, out);
}

padlock_err padlock_cert_issue(const padlock_issue_opts *opts, const uint8_t *subject_spki,
                               size_t spki_len, const padlock_cert *issuer,
                               const padlock_key *issuer_key, padlock_cert **out) {
    PL_CHECK(issuer != NULL && issuer_key != NULL, PADLOCK_E_INVALID_ARGUMENT);
    return pl_issue(opts, subject_spki, spki_len, issuer, issuer_key->key, out);
}
