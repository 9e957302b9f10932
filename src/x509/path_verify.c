/* RFC 5280 §6.1 path validation of one candidate path: §6.1.2 initialization from the trust
 * anchor (with the anchor constraints of RFC 5937 §3), §6.1.3 basic certificate processing,
 * §6.1.4 preparation for the next certificate, §6.1.5 wrap-up; plus padlock's algorithm and
 * key-size policy. */
#include "x509/path_verify.h"

#include <stdio.h>

#include "util/civil_time.h"
#include "x509/name.h"
#include "x509/name_constraints.h"
#include "x509/purpose.h"
#include "x509/revocation.h"
#include "x509/signature.h"

/* Messages name certificates by label; this holds two of them. */
typedef struct pl_labels {
    char a[PL_X509_NAME_BUF];
    char b[PL_X509_NAME_BUF];
} pl_labels;

/* Key policy for every certificate in the path: a key type padlock uses, RSA of at least
 * PL_X509_MIN_RSA_BITS (NIST SP 800-131A; CA/B Forum BR §6.1.5) and at most
 * PL_X509_MAX_RSA_BITS. */
static padlock_err pl_check_key(const pl_x509_cert *c, pl_errinfo *err) {
    const pl_x509_pubkey *k = &c->key;
    int rsa = k->type == PL_KEY_RSA || k->type == PL_KEY_RSA_PSS;
    padlock_err rc = PADLOCK_OK;
    if (k->type == PL_KEY_NONE || (rsa && k->bits > PL_X509_MAX_RSA_BITS)) {
        rc = PADLOCK_E_CERT_UNSUPPORTED;
    } else if (rsa && k->bits < PL_X509_MIN_RSA_BITS) {
        rc = PADLOCK_E_CERT_WEAK_KEY;
    }
    if (rc == PADLOCK_OK || err == NULL) {
        return rc;
    }
    char label[PL_X509_NAME_BUF];
    char key[64];
    pl_x509_cert_label(c, label, sizeof(label));
    pl_x509_pubkey_describe(k, key, sizeof(key));
    if (rc == PADLOCK_E_CERT_WEAK_KEY) {
        return pl_errinfo_set(err, rc,
                              "certificate \"%s\" has an RSA key of %u bits; at least %u are "
                              "required",
                              label, (unsigned)k->bits, (unsigned)PL_X509_MIN_RSA_BITS);
    }
    return pl_errinfo_set(err, rc, "certificate \"%s\" has a key padlock does not support (%s)",
                          label, key);
}

/* §6.1.3 (a)(2): notBefore <= now <= notAfter. */
static padlock_err pl_check_validity(const pl_x509_cert *c, int64_t now, pl_errinfo *err) {
    if (now >= c->not_before && now <= c->not_after) {
        return PADLOCK_OK;
    }
    if (err == NULL) {
        return now < c->not_before ? PADLOCK_E_CERT_NOT_YET_VALID : PADLOCK_E_CERT_EXPIRED;
    }
    char label[PL_X509_NAME_BUF];
    char when[PL_RFC3339_BUF];
    pl_x509_cert_label(c, label, sizeof(label));
    if (now < c->not_before) {
        pl_time_format_rfc3339(c->not_before, when);
        return pl_errinfo_set(err, PADLOCK_E_CERT_NOT_YET_VALID,
                              "certificate \"%s\" is not valid before %s", label, when);
    }
    pl_time_format_rfc3339(c->not_after, when);
    return pl_errinfo_set(err, PADLOCK_E_CERT_EXPIRED, "certificate \"%s\" expired on %s", label,
                          when);
}

/* §6.1.3 (a)(1), through the cache shared by the candidate paths of one verification. */
static padlock_err pl_check_signature(const pl_x509_verify_params *p, const pl_x509_cert *c,
                                      const pl_x509_cert *issuer, pl_x509_sig_cache *cache,
                                      pl_errinfo *err) {
    padlock_err rc = PADLOCK_E_CERT_UNTRUSTED;
    int cached = 0;
    for (size_t i = 0; i < cache->num; i++) {
        if (cache->entries[i].child == c && cache->entries[i].issuer == issuer) {
            rc = cache->entries[i].result;
            cached = 1;
            break;
        }
    }
    if (!cached) {
        if (cache->num == PL_X509_SIG_BUDGET) {
            return err == NULL ? PADLOCK_E_CERT_UNTRUSTED
                               : pl_errinfo_set(err, PADLOCK_E_CERT_UNTRUSTED,
                                                "no trusted root: gave up after %d signature "
                                                "checks",
                                                PL_X509_SIG_BUDGET);
        }
        rc =
            pl_x509_signature_check(p->sig_verify, &c->sig_alg, c->tbs, c->sig_value, &issuer->key);
        cache->entries[cache->num].child = c;
        cache->entries[cache->num].issuer = issuer;
        cache->entries[cache->num].result = rc;
        cache->num++;
    }
    if (rc == PADLOCK_OK || err == NULL) {
        return rc;
    }
    pl_labels l;
    char alg[64];
    pl_x509_cert_label(c, l.a, sizeof(l.a));
    pl_x509_cert_label(issuer, l.b, sizeof(l.b));
    pl_x509_sigalg_describe(&c->sig_alg, alg, sizeof(alg));
    switch (rc) {
    case PADLOCK_E_CERT_WEAK_ALGORITHM:
        return pl_errinfo_set(err, rc,
                              "certificate \"%s\" is signed with %s, which is no longer "
                              "secure (MD5 and SHA-1 signatures can be forged)",
                              l.a, alg);
    case PADLOCK_E_CERT_UNSUPPORTED:
        return pl_errinfo_set(err, rc,
                              "certificate \"%s\" is signed with %s, which padlock "
                              "does not support",
                              l.a, alg);
    case PADLOCK_E_CERT_SIGNATURE:
        return pl_errinfo_set(err, rc,
                              "signature of certificate \"%s\" does not verify with the key of "
                              "\"%s\"",
                              l.a, l.b);
    default: return pl_errinfo_set(err, rc, "checking the signature of \"%s\" failed", l.a);
    }
}

/* §6.1.4 (k): the issuer is a CA; (n): it may sign certificates. For the anchor, RFC 5937 §3:
 * a v1 anchor carries no constraints and is accepted as a CA. */
static padlock_err pl_check_issuer_is_ca(const pl_x509_cert *ca, const pl_x509_cert *child,
                                         int is_anchor, pl_errinfo *err) {
    pl_labels l;
    if (!(is_anchor && ca->version < 3) && !ca->is_ca) {
        if (err == NULL) {
            return PADLOCK_E_CERT_NOT_CA;
        }
        pl_x509_cert_label(ca, l.a, sizeof(l.a));
        pl_x509_cert_label(child, l.b, sizeof(l.b));
        return pl_errinfo_set(
            err, PADLOCK_E_CERT_NOT_CA, "issuer \"%s\" of \"%s\" is not a CA (%s)", l.a, l.b,
            ca->version < 3 ? "a version 1 or 2 certificate can only be a trust anchor"
            : (ca->exts & PL_X509_EXT_BASIC_CONSTRAINTS) ? "basicConstraints cA is FALSE"
                                                         : "it has no basicConstraints extension");
    }
    if ((ca->exts & PL_X509_EXT_KEY_USAGE) && !(ca->key_usage & PL_X509_KU_KEY_CERT_SIGN)) {
        if (err == NULL) {
            return PADLOCK_E_CERT_KEY_USAGE;
        }
        pl_x509_cert_label(ca, l.a, sizeof(l.a));
        pl_x509_cert_label(child, l.b, sizeof(l.b));
        return pl_errinfo_set(err, PADLOCK_E_CERT_KEY_USAGE,
                              "issuer \"%s\" of \"%s\" may not sign certificates (keyUsage lacks "
                              "keyCertSign)",
                              l.a, l.b);
    }
    return PADLOCK_OK;
}

/* §6.1.3 (o) / §6.1.5 (e): a critical extension padlock cannot process. */
static padlock_err pl_check_critical(const pl_x509_cert *c, pl_errinfo *err) {
    if (c->unknown_critical.len == 0) {
        return PADLOCK_OK;
    }
    if (err == NULL) {
        return PADLOCK_E_CERT_CRITICAL_EXTENSION;
    }
    char label[PL_X509_NAME_BUF];
    char oid[64];
    pl_x509_cert_label(c, label, sizeof(label));
    pl_oid_describe(c->unknown_critical, oid, sizeof(oid));
    return pl_errinfo_set(err, PADLOCK_E_CERT_CRITICAL_EXTENSION,
                          "certificate \"%s\" has an unknown critical extension %s", label, oid);
}

/* §6.1.3 (b)-(c): cert's names against the constraints of every CA above it, path[from..len);
 * skipped for self-issued intermediates. */
static padlock_err pl_check_name_constraints(const pl_x509_cert *const *path, size_t len, size_t k,
                                             pl_errinfo *err) {
    const pl_x509_cert *c = path[k];
    if (k > 0 && pl_x509_cert_is_self_issued(c)) {
        return PADLOCK_OK;
    }
    for (size_t j = k + 1; j < len; j++) {
        PL_TRY(pl_x509_nc_check(path[j], c, err));
    }
    return PADLOCK_OK;
}

padlock_err pl_x509_path_validate(const pl_x509_verify_params *p, const pl_x509_cert *const *path,
                                  size_t len, pl_x509_sig_cache *cache, pl_errinfo *err) {
    PL_CHECK(len >= 1 && len <= PL_X509_MAX_PATH, PADLOCK_E_INTERNAL);
    const pl_x509_cert *anchor = path[len - 1];
    const pl_x509_cert *leaf = path[0];

    /* §6.1.2 initialization. The anchor's validity and key are padlock policy (an expired
     * root is not trusted, as in OpenSSL and browsers); its own signature is not checked. */
    PL_TRY(pl_check_key(anchor, err));
    PL_TRY(pl_check_validity(anchor, p->now, err));
    /* max_path_length: n, narrowed by the anchor's pathLenConstraint (RFC 5937 §3.2). */
    size_t n = len - 1;
    size_t max_path_length = n;
    const pl_x509_cert *max_set_by = NULL;
    if (len >= 2) {
        PL_TRY(pl_check_issuer_is_ca(anchor, path[len - 2], 1, err));
        PL_TRY(pl_x509_check_ca_purpose(anchor, leaf, p->purpose, err));
        if (anchor->has_path_len && anchor->path_len < max_path_length) {
            max_path_length = anchor->path_len;
            max_set_by = anchor;
        }
    }

    /* §6.1.3-§6.1.4 for certificates i = 1..n, i.e. path index k = len-2 down to 0. */
    for (size_t k = len - 1; k-- > 0;) {
        const pl_x509_cert *c = path[k];
        const pl_x509_cert *issuer = path[k + 1]; /* working_public_key, working_issuer_name */
        PL_TRY(pl_check_key(c, err));
        PL_TRY(pl_check_signature(p, c, issuer, cache, err));                         /* (a)(1) */
        PL_TRY(pl_check_validity(c, p->now, err));                                    /* (a)(2) */
        PL_TRY(pl_x509_check_revocation(p, c, issuer, err));                          /* (a)(3) */
        PL_CHECK(pl_x509_name_equal(c->issuer, issuer->subject), PADLOCK_E_INTERNAL); /* (a)(4) */
        PL_TRY(pl_check_name_constraints(path, len, k, err));                         /* (b), (c) */
        PL_TRY(pl_check_critical(c, err)); /* (o), §6.1.5 (e) */
        if (k == 0) {
            break;
        }
        /* §6.1.4 for an intermediate. */
        PL_TRY(pl_check_issuer_is_ca(c, path[k - 1], 0, err)); /* (k), (n) */
        if (!pl_x509_cert_is_self_issued(c)) {                 /* (l) */
            if (max_path_length == 0) {
                if (err == NULL) {
                    return PADLOCK_E_CERT_PATH_LENGTH;
                }
                pl_labels l;
                pl_x509_cert_label(c, l.a, sizeof(l.a));
                pl_x509_cert_label(max_set_by != NULL ? max_set_by : anchor, l.b, sizeof(l.b));
                return pl_errinfo_set(err, PADLOCK_E_CERT_PATH_LENGTH,
                                      "certificate \"%s\" exceeds the path length constraint "
                                      "of \"%s\"",
                                      l.a, l.b);
            }
            max_path_length--;
        }
        if (c->has_path_len && c->path_len < max_path_length) { /* (m) */
            max_path_length = c->path_len;
            max_set_by = c;
        }
        PL_TRY(pl_x509_check_ca_purpose(c, leaf, p->purpose, err));
    }

    /* §6.1.5 wrap-up for the leaf (also when it is the anchor itself). */
    if (len == 1) {
        PL_TRY(pl_check_critical(leaf, err));
    }
    return pl_x509_check_leaf_purpose(leaf, p->purpose, err);
}
