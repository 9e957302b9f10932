/* padlock client, the summary: what was negotiated, the server's certificates as it sent them
 * (subject, issuer, subjectAltName, validity, key) and the verification verdict with its
 * reason, as text on standard error or as one JSON object on standard output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "json.h"

/* The server's certificates, parsed, and what verification says of them. */
typedef struct pl_chain_view {
    size_t num;
    padlock_cert **certs; /* num entries, NULL for one that does not parse */
    int checked;          /* the chain was checked against roots */
    padlock_err verdict;  /* PADLOCK_OK or why it is refused */
    char reason[600];     /* the refusal, naming the certificate and rule */
    char anchor[400];     /* the trust anchor's subject when it verified */
} pl_chain_view;

/* Parses the certificates and checks them: against the roots (when there are any) for the
 * peer name as a server's, the way the handshake does, to name the trust anchor of a good
 * chain. A connection that refused the chain keeps its own reason. */
static void pl_chain_load(const pl_client_report *r, pl_chain_view *v) {
    memset(v, 0, sizeof(*v));
    size_t total = padlock_conn_peer_cert_count(r->conn);
    v->certs = total > 0 ? calloc(total, sizeof(v->certs[0])) : NULL;
    v->num = v->certs != NULL ? total : 0;
    padlock_cert_list *inters = NULL;
    int usable = padlock_cert_list_new(&inters) == PADLOCK_OK;
    for (size_t i = 0; i < v->num; i++) {
        size_t len;
        const uint8_t *der = padlock_conn_peer_cert(r->conn, i, &len);
        if (padlock_cert_from_der(der, len, &v->certs[i]) != PADLOCK_OK) {
            v->certs[i] = NULL;
            usable = 0;
        } else if (i > 0 && usable && padlock_cert_list_add_mem(inters, der, len) != PADLOCK_OK) {
            usable = 0;
        }
    }
    padlock_err conn_err = padlock_conn_error(r->conn);
    if (conn_err != PADLOCK_OK && padlock_err_category_of(conn_err) == PADLOCK_CAT_CERT &&
        !r->args->insecure) {
        v->checked = 1;
        v->verdict = conn_err;
        snprintf(v->reason, sizeof(v->reason), "%s", padlock_conn_error_message(r->conn));
    } else if (r->roots != NULL && v->num > 0 && usable) {
        padlock_verify_opts opts;
        memset(&opts, 0, sizeof(opts));
        opts.peer_name = r->peer_name;
        opts.purpose = PADLOCK_PURPOSE_SERVER;
        padlock_verify_result *res = NULL;
        v->verdict = padlock_cert_verify(r->roots, v->certs[0], inters, &opts, &res);
        v->checked = res != NULL;
        if (res != NULL) {
            snprintf(v->reason, sizeof(v->reason), "%s", padlock_verify_result_message(res));
            const padlock_cert_list *path = padlock_verify_result_path(res);
            size_t n = padlock_cert_list_count(path);
            if (n > 0) {
                snprintf(v->anchor, sizeof(v->anchor), "%s",
                         padlock_cert_subject(padlock_cert_list_get(path, n - 1)));
            }
        }
        padlock_verify_result_free(res);
    }
    padlock_cert_list_free(inters);
}

static void pl_chain_free(pl_chain_view *v) {
    for (size_t i = 0; i < v->num; i++) {
        padlock_cert_free(v->certs[i]);
    }
    free(v->certs);
}

/* The IANA name of a negotiated value, its hex code when padlock has no name for it, or NULL
 * when it is not known (0). */
static const char *pl_name(uint16_t code, const char *name, char *buf, size_t cap) {
    if (code == 0) {
        return NULL;
    }
    if (name != NULL) {
        return name;
    }
    snprintf(buf, cap, "0x%04x", code);
    return buf;
}

typedef struct pl_negotiated {
    char buf[4][16];
    const char *version, *suite, *group, *scheme;
} pl_negotiated;

static void pl_negotiated_load(const padlock_conn *c, pl_negotiated *n) {
    uint16_t v = padlock_conn_version(c), s = padlock_conn_cipher_suite(c);
    uint16_t g = padlock_conn_group(c), sig = padlock_conn_signature_scheme(c);
    n->version = pl_name(v, padlock_version_name(v), n->buf[0], sizeof(n->buf[0]));
    n->suite = pl_name(s, padlock_cipher_suite_name(s), n->buf[1], sizeof(n->buf[1]));
    n->group = pl_name(g, padlock_group_name(g), n->buf[2], sizeof(n->buf[2]));
    n->scheme = pl_name(sig, padlock_signature_scheme_name(sig), n->buf[3], sizeof(n->buf[3]));
}

/* ---- Text --------------------------------------------------------------------------------- */

static void pl_text_field(const char *name, const char *value) {
    if (value != NULL) {
        fprintf(stderr, "  %-18s %s\n", name, value);
    }
}

static void pl_text_cert(size_t i, const padlock_cert *c, const uint8_t *der, size_t len) {
    if (c == NULL) {
        fprintf(stderr, "    [%zu] malformed certificate (%s)\n", i,
                padlock_cert_parse_error(der, len));
        return;
    }
    fprintf(stderr, "    [%zu] %s\n", i, padlock_cert_subject(c));
    fprintf(stderr, "        %-12s %s\n", "issuer:", padlock_cert_issuer(c));
    fprintf(stderr, "        %-12s", "names:");
    size_t num = padlock_cert_num_sans(c);
    if (num == 0) {
        fprintf(stderr, " none");
    }
    for (size_t k = 0; k < num; k++) {
        const char *value;
        padlock_san_type t = padlock_cert_san(c, k, &value);
        fprintf(stderr, "%s%s:%s", k > 0 ? ", " : " ", pl_cli_san_prefix(t), value);
    }
    char from[PADLOCK_RFC3339_BUF], until[PADLOCK_RFC3339_BUF], key[64];
    padlock_time_format(padlock_cert_not_before(c), from);
    padlock_time_format(padlock_cert_not_after(c), until);
    int64_t now = (int64_t)time(NULL);
    const char *state = now > padlock_cert_not_after(c)    ? " (expired)"
                        : now < padlock_cert_not_before(c) ? " (not yet valid)"
                                                           : "";
    fprintf(stderr, "\n        %-12s %s to %s%s\n", "valid:", from, until, state);
    pl_cli_key_text(padlock_cert_key_type(c), padlock_cert_key_bits(c), key, sizeof(key));
    fprintf(stderr, "        %-12s %s\n", "key:", key);
}

static void pl_text_verdict(const pl_client_report *r, const pl_chain_view *v) {
    char text[1200];
    const char *prefix = r->args->insecure ? "NOT VERIFIED (--insecure-no-verify); it would " : "";
    if (v->num == 0) {
        snprintf(text, sizeof(text), "%s",
                 r->args->insecure ? "NOT VERIFIED (--insecure-no-verify)"
                                   : "not reached (no certificate was received)");
    } else if (!v->checked) {
        snprintf(text, sizeof(text),
                 "NOT VERIFIED (--insecure-no-verify; no roots to check "
                 "against)");
    } else if (v->verdict == PADLOCK_OK) {
        snprintf(text, sizeof(text), "%s%s: chain to trusted root \"%s\", valid for %s", prefix,
                 r->args->insecure ? "pass" : "ok", v->anchor, r->peer_name);
    } else {
        snprintf(text, sizeof(text), "%s%s: %s", prefix, r->args->insecure ? "fail" : "FAILED",
                 v->reason);
    }
    pl_text_field("verification:", text);
}

static void pl_text(const pl_client_report *r, const pl_chain_view *v, int failed) {
    const padlock_conn *c = r->conn;
    pl_negotiated n;
    pl_negotiated_load(c, &n);
    fprintf(stderr, "padlock %s: %s %s port %d (%s)\n", PL_CLIENT_CMD,
            failed ? "handshake failed with" : "connected to", r->args->host, r->port, r->address);
    pl_text_field("protocol:", n.version);
    pl_text_field("cipher suite:", n.suite);
    /* RFC 5246 §7.4.7.1: no group with RSA key transport; say what it means instead. */
    uint16_t suite = padlock_conn_cipher_suite(c);
    int rsa_transport = suite == PADLOCK_TLS_RSA_WITH_AES_128_GCM_SHA256 ||
                        suite == PADLOCK_TLS_RSA_WITH_AES_256_GCM_SHA384;
    pl_text_field("key exchange:",
                  rsa_transport ? "RSA key transport (no forward secrecy)" : n.group);
    pl_text_field("server signature:", n.scheme);
    if (!failed) {
        const char *alpn = padlock_conn_alpn(c);
        pl_text_field("ALPN:", alpn != NULL            ? alpn
                               : r->args->alpn != NULL ? "none (the server chose none)"
                                                       : "none (not offered)");
        pl_text_field("resumed:", padlock_conn_resumed(c) ? "yes" : "no");
    }
    if (v->num > 0) {
        fprintf(stderr, "  server certificates (%zu, in the order sent):\n", v->num);
    }
    for (size_t i = 0; i < v->num; i++) {
        size_t len;
        const uint8_t *der = padlock_conn_peer_cert(c, i, &len);
        pl_text_cert(i, v->certs[i], der, len);
    }
    pl_text_verdict(r, v);
}

/* ---- JSON --------------------------------------------------------------------------------- */

static void pl_json_cert(pl_json *j, const padlock_cert *c, const uint8_t *der, size_t len) {
    pl_json_object(j, NULL);
    if (c == NULL) {
        char what[160];
        snprintf(what, sizeof(what), "malformed certificate (%s)",
                 padlock_cert_parse_error(der, len));
        pl_json_string(j, "error", what);
        pl_json_end(j);
        return;
    }
    char from[PADLOCK_RFC3339_BUF], until[PADLOCK_RFC3339_BUF], hex[3 * 32];
    pl_json_string(j, "subject", padlock_cert_subject(c));
    pl_json_string(j, "issuer", padlock_cert_issuer(c));
    pl_json_string(j, "serial", padlock_cert_serial(c));
    pl_json_array(j, "subject_alt_names");
    for (size_t k = 0; k < padlock_cert_num_sans(c); k++) {
        const char *value;
        padlock_san_type t = padlock_cert_san(c, k, &value);
        pl_json_object(j, NULL);
        pl_json_string(j, "type", pl_cli_san_id(t));
        pl_json_string(j, "value", value);
        pl_json_end(j);
    }
    pl_json_end(j);
    padlock_time_format(padlock_cert_not_before(c), from);
    padlock_time_format(padlock_cert_not_after(c), until);
    pl_json_string(j, "not_before", from);
    pl_json_string(j, "not_after", until);
    padlock_key_type type = padlock_cert_key_type(c);
    pl_json_string(j, "key_type", pl_cli_key_id(type));
    if (type == PADLOCK_KEY_UNKNOWN) {
        pl_json_null(j, "key_bits");
    } else {
        pl_json_int(j, "key_bits", padlock_cert_key_bits(c));
    }
    pl_json_string(j, "signature_algorithm", padlock_cert_signature_algorithm(c));
    uint8_t fp[32];
    padlock_cert_fingerprint_sha256(c, fp);
    pl_cli_hex(fp, sizeof(fp), hex, sizeof(hex));
    pl_json_string(j, "sha256_fingerprint", hex);
    pl_json_end(j);
}

static void pl_json_verification(pl_json *j, const pl_client_report *r, const pl_chain_view *v) {
    pl_json_object(j, "verification");
    pl_json_bool(j, "enabled", !r->args->insecure);
    pl_json_string(j, "peer_name", r->peer_name);
    if (v->checked) {
        pl_json_bool(j, "ok", v->verdict == PADLOCK_OK);
        pl_json_string(j, "message", v->reason);
    } else {
        pl_json_null(j, "ok");
        pl_json_null(j, "message");
    }
    pl_json_string(j, "trust_anchor", v->checked && v->verdict == PADLOCK_OK ? v->anchor : NULL);
    pl_json_end(j);
}

static void pl_json_failure(pl_json *j, const pl_client_failure *f) {
    if (f == NULL) {
        pl_json_null(j, "error");
        return;
    }
    pl_json_object(j, "error");
    pl_json_string(j, "kind", f->kind);
    if (f->code == PADLOCK_OK) {
        pl_json_null(j, "code");
    } else {
        pl_json_int(j, "code", f->code);
    }
    pl_json_string(j, "message", f->message);
    pl_json_end(j);
}

static void pl_json_doc(const pl_client_report *r, const pl_chain_view *v,
                        const pl_client_failure *f) {
    const padlock_conn *c = r->conn;
    pl_negotiated n;
    pl_negotiated_load(c, &n);
    pl_json j;
    pl_json_init(&j, stdout);
    pl_json_object(&j, NULL);
    pl_json_string(&j, "host", r->args->host);
    pl_json_int(&j, "port", r->port);
    pl_json_string(&j, "address", r->address);
    pl_json_string(&j, "server_name", r->peer_name);
    pl_json_bool(&j, "handshake_complete", padlock_conn_handshake_done(c));
    pl_json_string(&j, "protocol", n.version);
    pl_json_string(&j, "cipher_suite", n.suite);
    pl_json_string(&j, "group", n.group);
    pl_json_string(&j, "signature_scheme", n.scheme);
    pl_json_string(&j, "alpn", padlock_conn_alpn(c));
    pl_json_bool(&j, "resumed", padlock_conn_resumed(c));
    pl_json_array(&j, "chain");
    for (size_t i = 0; i < v->num; i++) {
        size_t len;
        const uint8_t *der = padlock_conn_peer_cert(c, i, &len);
        pl_json_cert(&j, v->certs[i], der, len);
    }
    pl_json_end(&j);
    pl_json_verification(&j, r, v);
    pl_json_failure(&j, f);
    pl_json_end(&j);
    fflush(stdout);
}

void pl_client_summary(const pl_client_report *r, const pl_client_failure *failure) {
    pl_chain_view v;
    pl_chain_load(r, &v);
    if (r->args->json) {
        pl_json_doc(r, &v, failure);
    } else if (failure == NULL || padlock_conn_version(r->conn) != 0 || v.num > 0) {
        /* (A handshake that failed before the server said anything has nothing to show.) */
        pl_text(r, &v, failure != NULL);
    }
    pl_chain_free(&v);
}
