/* padlock cert show: prints the certificates (RFC 5280 §4.1), certificate signing requests
 * (RFC 2986) and private keys (type and size only) of a PEM file (RFC 7468, every block in
 * order) or one DER object, as text or as JSON. Exit 0 when everything was shown, 2 on usage
 * errors and when the file or an object in it cannot be read. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "json.h"
#include "padlock/x509.h"

#define PL_CMD "cert show"

static const char pl_help[] =
    "usage: padlock cert show [--json] FILE\n"
    "\n"
    "Prints what FILE holds: every PEM block in order (certificates, certificate signing\n"
    "requests, private keys; other blocks by label), or one DER certificate, request or key.\n"
    "Private keys show their type and size, never their value.\n"
    "\n"
    "  --json   one JSON document instead of text (its fields are described in the README)\n"
    "\n"
    "Exit status: 0 shown, 2 usage error, unreadable file, or an object that cannot be read\n"
    "(the others are still shown).\n";

/* The state of one run. */
typedef struct pl_show {
    const char *path;
    int json;
    pl_json j;
    int started;  /* JSON: the document is open (from the first object on) */
    size_t index; /* objects seen */
    int failed;   /* an object could not be read */
    int64_t now;
} pl_show;

/* ---- Words ------------------------------------------------------------------------------- */

/* RFC 5280 §4.2.1.3 and §4.2.1.12 names of the bits. */
static const char *const pl_ku_names[] = {"digitalSignature", "nonRepudiation", "keyEncipherment",
                                          "dataEncipherment", "keyAgreement",   "keyCertSign",
                                          "cRLSign",          "encipherOnly",   "decipherOnly"};
static const char *const pl_eku_names[] = {"serverAuth", "clientAuth", "anyExtendedKeyUsage",
                                           "other"};

/* The names of the set bits, comma-separated. */
static void pl_bits_text(unsigned bits, const char *const *names, size_t num, char *out,
                         size_t cap) {
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < num; i++) {
        if (bits & (1u << i)) {
            int n = snprintf(out + o, cap - o, "%s%s", o > 0 ? ", " : "", names[i]);
            o += n > 0 && (size_t)n < cap - o ? (size_t)n : 0;
        }
    }
}

static void pl_bits_json(pl_json *j, const char *key, unsigned bits, const char *const *names,
                         size_t num) {
    if (bits == 0) {
        pl_json_null(j, key);
        return;
    }
    pl_json_array(j, key);
    for (size_t i = 0; i < num; i++) {
        if (bits & (1u << i)) {
            pl_json_string(j, NULL, names[i]);
        }
    }
    pl_json_end(j);
}

/* ---- Output of one object ----------------------------------------------------------------- */

/* The heading of object number s->index in text mode. */
static void pl_heading(const pl_show *s, const char *what) {
    printf("%s%s, object %zu: %s\n", s->index > 1 ? "\n" : "", s->path, s->index, what);
}

static void pl_field(const char *name, const char *value) {
    printf("  %-21s %s\n", name, value);
}

/* An optional octet string as hex, or NULL/"none". */
static void pl_id_field(pl_show *s, const char *key, const char *name, const uint8_t *p, size_t n) {
    char hex[3 * 64];
    pl_cli_hex(p, n, hex, sizeof(hex));
    if (s->json) {
        pl_json_string(&s->j, key, p != NULL ? hex : NULL);
    } else {
        pl_field(name, p != NULL ? hex : "none");
    }
}

typedef padlock_san_type (*pl_san_fn)(const void *obj, size_t i, const char **out);

static padlock_san_type pl_cert_san(const void *obj, size_t i, const char **out) {
    return padlock_cert_san(obj, i, out);
}

static padlock_san_type pl_csr_san(const void *obj, size_t i, const char **out) {
    return padlock_csr_san(obj, i, out);
}

static void pl_sans(pl_show *s, const void *obj, size_t num, pl_san_fn get) {
    if (s->json) {
        pl_json_array(&s->j, "subject_alt_names");
        for (size_t i = 0; i < num; i++) {
            const char *v;
            padlock_san_type t = get(obj, i, &v);
            pl_json_object(&s->j, NULL);
            pl_json_string(&s->j, "type", pl_cli_san_id(t));
            pl_json_string(&s->j, "value", v);
            pl_json_end(&s->j);
        }
        pl_json_end(&s->j);
        return;
    }
    printf("  %-21s", "subject alt names:");
    if (num == 0) {
        printf(" none");
    }
    for (size_t i = 0; i < num; i++) {
        const char *v;
        padlock_san_type t = get(obj, i, &v);
        printf("%s%s:%s", i > 0 ? ", " : " ", pl_cli_san_prefix(t), v);
    }
    printf("\n");
}

static void pl_key_fields(pl_show *s, padlock_key_type type, unsigned bits) {
    if (s->json) {
        pl_json_string(&s->j, "key_type", pl_cli_key_id(type));
        if (type == PADLOCK_KEY_UNKNOWN) {
            pl_json_null(&s->j, "key_bits");
        } else {
            pl_json_int(&s->j, "key_bits", bits);
        }
        return;
    }
    char text[64];
    pl_cli_key_text(type, bits, text, sizeof(text));
    pl_field("public key:", text);
}

static void pl_show_validity(pl_show *s, const padlock_cert *c) {
    char from[PADLOCK_RFC3339_BUF], until[PADLOCK_RFC3339_BUF];
    padlock_time_format(padlock_cert_not_before(c), from);
    padlock_time_format(padlock_cert_not_after(c), until);
    if (s->json) {
        pl_json_string(&s->j, "not_before", from);
        pl_json_string(&s->j, "not_after", until);
        return;
    }
    const char *state = s->now > padlock_cert_not_after(c)    ? " (expired)"
                        : s->now < padlock_cert_not_before(c) ? " (not yet valid)"
                                                              : "";
    char text[96];
    snprintf(text, sizeof(text), "%s to %s%s", from, until, state);
    pl_field("valid:", text);
}

static void pl_show_constraints(pl_show *s, const padlock_cert *c) {
    int path_len = padlock_cert_path_len(c);
    if (s->json) {
        pl_json_bool(&s->j, "is_ca", padlock_cert_is_ca(c));
        if (path_len < 0) {
            pl_json_null(&s->j, "path_len");
        } else {
            pl_json_int(&s->j, "path_len", path_len);
        }
        return;
    }
    char text[64];
    if (!padlock_cert_is_ca(c)) {
        snprintf(text, sizeof(text), "no");
    } else if (path_len < 0) {
        snprintf(text, sizeof(text), "yes, no path length limit");
    } else {
        snprintf(text, sizeof(text), "yes, path length %d", path_len);
    }
    pl_field("CA:", text);
}

static void pl_show_usages(pl_show *s, const padlock_cert *c) {
    unsigned ku = padlock_cert_key_usage(c);
    unsigned eku = padlock_cert_ext_key_usage(c);
    size_t num_ku = sizeof(pl_ku_names) / sizeof(pl_ku_names[0]);
    size_t num_eku = sizeof(pl_eku_names) / sizeof(pl_eku_names[0]);
    if (s->json) {
        pl_bits_json(&s->j, "key_usage", ku, pl_ku_names, num_ku);
        pl_bits_json(&s->j, "ext_key_usage", eku, pl_eku_names, num_eku);
        return;
    }
    char text[256];
    pl_bits_text(ku, pl_ku_names, num_ku, text, sizeof(text));
    pl_field("key usage:", ku != 0 ? text : "not restricted");
    pl_bits_text(eku, pl_eku_names, num_eku, text, sizeof(text));
    pl_field("extended key usage:", eku != 0 ? text : "not restricted");
}

static void pl_show_cert(pl_show *s, const padlock_cert *c) {
    if (s->json) {
        pl_json_string(&s->j, "type", "certificate");
        pl_json_string(&s->j, "subject", padlock_cert_subject(c));
        pl_json_string(&s->j, "issuer", padlock_cert_issuer(c));
        pl_json_string(&s->j, "serial", padlock_cert_serial(c));
    } else {
        pl_heading(s, "certificate");
        pl_field("subject:", padlock_cert_subject(c));
        pl_field("issuer:", padlock_cert_issuer(c));
        pl_field("serial:", padlock_cert_serial(c));
    }
    pl_show_validity(s, c);
    pl_key_fields(s, padlock_cert_key_type(c), padlock_cert_key_bits(c));
    if (s->json) {
        pl_json_string(&s->j, "signature_algorithm", padlock_cert_signature_algorithm(c));
    } else {
        pl_field("signature algorithm:", padlock_cert_signature_algorithm(c));
    }
    pl_sans(s, c, padlock_cert_num_sans(c), pl_cert_san);
    pl_show_constraints(s, c);
    pl_show_usages(s, c);
    size_t n;
    const uint8_t *id = padlock_cert_subject_key_id(c, &n);
    pl_id_field(s, "subject_key_id", "subject key id:", id, n);
    id = padlock_cert_authority_key_id(c, &n);
    pl_id_field(s, "authority_key_id", "authority key id:", id, n);
    uint8_t fp[32];
    padlock_cert_fingerprint_sha256(c, fp);
    pl_id_field(s, "sha256_fingerprint", "SHA-256 fingerprint:", fp, sizeof(fp));
}

static void pl_show_csr(pl_show *s, const padlock_csr *c) {
    if (s->json) {
        pl_json_string(&s->j, "type", "certificate_request");
        pl_json_string(&s->j, "subject", padlock_csr_subject(c));
    } else {
        pl_heading(s, "certificate signing request (signature verified)");
        pl_field("subject:", padlock_csr_subject(c));
    }
    pl_key_fields(s, padlock_csr_key_type(c), padlock_csr_key_bits(c));
    if (s->json) {
        pl_json_string(&s->j, "signature_algorithm", padlock_csr_signature_algorithm(c));
    } else {
        pl_field("signature algorithm:", padlock_csr_signature_algorithm(c));
    }
    pl_sans(s, c, padlock_csr_num_sans(c), pl_csr_san);
    int extra = padlock_csr_requests_extensions(c);
    if (s->json) {
        pl_json_bool(&s->j, "other_extensions", extra);
    } else {
        pl_field("other extensions:", extra ? "requested" : "none");
    }
}

/* A private key: its type and size, never its value. key is NULL for an encrypted key. */
static void pl_show_key(pl_show *s, const padlock_key *key) {
    if (s->json) {
        pl_json_string(&s->j, "type", "private_key");
        pl_json_bool(&s->j, "encrypted", key == NULL);
        if (key == NULL) {
            pl_json_null(&s->j, "key_type");
            pl_json_null(&s->j, "key_bits");
        } else {
            pl_key_fields(s, padlock_key_algorithm(key), padlock_key_bits(key));
        }
        return;
    }
    if (key == NULL) {
        pl_heading(s, "private key (encrypted: its type is not shown)");
        return;
    }
    pl_heading(s, "private key");
    char text[64];
    pl_cli_key_text(padlock_key_algorithm(key), padlock_key_bits(key), text, sizeof(text));
    pl_field("type:", text);
}

/* An object that could not be read: said on stderr, and in the JSON document. */
static void pl_show_invalid(pl_show *s, const char *label, const char *what) {
    fprintf(stderr, "padlock %s: %s, object %zu (%s): %s\n", PL_CMD, s->path, s->index,
            label != NULL ? label : "DER", what);
    if (s->json) {
        pl_json_string(&s->j, "type", "invalid");
        pl_json_string(&s->j, "label", label);
        pl_json_string(&s->j, "error", what);
    }
    s->failed = 1;
}

/* ---- Dispatch by PEM label ---------------------------------------------------------------- */

static int pl_is_key_label(const char *label) {
    return strcmp(label, "PRIVATE KEY") == 0 || strcmp(label, "EC PRIVATE KEY") == 0 ||
           strcmp(label, "RSA PRIVATE KEY") == 0;
}

static int pl_is_csr_label(const char *label) {
    return strcmp(label, "CERTIFICATE REQUEST") == 0 ||
           strcmp(label, "NEW CERTIFICATE REQUEST") == 0;
}

/* Shows one object; returns 1 when it was one of the kinds asked for (for DER guessing). */
static int pl_try_cert(pl_show *s, const char *label, const uint8_t *der, size_t len) {
    padlock_cert *c;
    if (padlock_cert_from_der(der, len, &c) == PADLOCK_OK) {
        pl_show_cert(s, c);
        padlock_cert_free(c);
        return 1;
    }
    if (label != NULL) {
        char what[160];
        snprintf(what, sizeof(what), "malformed certificate (%s)",
                 padlock_cert_parse_error(der, len));
        pl_show_invalid(s, label, what);
    }
    return 0;
}

static int pl_try_csr(pl_show *s, const char *label, const uint8_t *der, size_t len) {
    padlock_csr *c;
    const char *field = NULL;
    padlock_err rc = padlock_csr_from_mem(der, len, &c, &field);
    if (rc == PADLOCK_OK) {
        pl_show_csr(s, c);
        padlock_csr_free(c);
        return 1;
    }
    if (label != NULL || rc != PADLOCK_E_CSR_PARSE) {
        /* From DER, only a request that parses gets here: say what it is. */
        char what[200];
        if (rc == PADLOCK_E_CSR_PARSE || rc == PADLOCK_E_PEM) {
            snprintf(what, sizeof(what), "%s (%s)", padlock_strerror(rc),
                     field != NULL ? field : "DER");
        } else {
            snprintf(what, sizeof(what), "certificate signing request refused: %s",
                     pl_cli_csr_refusal(rc));
        }
        pl_show_invalid(s, label, what);
        return 1;
    }
    return 0;
}

static int pl_try_key(pl_show *s, const char *label, const uint8_t *der, size_t len) {
    padlock_key *k;
    padlock_err rc = padlock_key_from_mem(der, len, &k);
    if (rc == PADLOCK_OK) {
        pl_show_key(s, k);
        padlock_key_free(k);
        return 1;
    }
    if (rc == PADLOCK_E_KEY_ENCRYPTED) {
        pl_show_key(s, NULL);
        return 1;
    }
    if (label != NULL) {
        pl_show_invalid(s, label, padlock_strerror(rc));
    }
    return 0;
}

static int pl_on_object(void *ctx, const char *label, const uint8_t *der, size_t len) {
    pl_show *s = ctx;
    s->index++;
    if (s->json && !s->started) {
        /* Opened here, so that a file that cannot be read prints no document at all. */
        pl_json_init(&s->j, stdout);
        pl_json_object(&s->j, NULL);
        pl_json_string(&s->j, "file", s->path);
        pl_json_array(&s->j, "objects");
        s->started = 1;
    }
    if (s->json) {
        pl_json_object(&s->j, NULL);
    }
    if (label == NULL) {
        /* DER: whichever of the three it parses as. */
        if (!pl_try_cert(s, NULL, der, len) && !pl_try_csr(s, NULL, der, len) &&
            !pl_try_key(s, NULL, der, len)) {
            pl_show_invalid(s, NULL,
                            "not a certificate, certificate signing request or private key "
                            "padlock reads (neither PEM nor one of them in DER)");
        }
    } else if (strcmp(label, "CERTIFICATE") == 0) {
        pl_try_cert(s, label, der, len);
    } else if (pl_is_csr_label(label)) {
        pl_try_csr(s, label, der, len);
    } else if (pl_is_key_label(label)) {
        pl_try_key(s, label, der, len);
    } else if (strcmp(label, "ENCRYPTED PRIVATE KEY") == 0) {
        pl_show_key(s, NULL);
    } else if (s->json) {
        pl_json_string(&s->j, "type", "other");
        pl_json_string(&s->j, "label", label);
    } else {
        char what[96];
        snprintf(what, sizeof(what), "a \"%s\" block (not shown)", label);
        pl_heading(s, what);
    }
    if (s->json) {
        pl_json_end(&s->j);
    }
    return 0;
}

int pl_cli_cert_show(int argc, char **argv) {
    pl_show s;
    memset(&s, 0, sizeof(s));
    const pl_cli_opt opts[] = {PL_CLI_FLAG_OPT("--json", &s.json), PL_CLI_END};
    const pl_cli_syntax syntax = {.cmd = PL_CMD,
                                  .help = pl_help,
                                  .opts = opts,
                                  .operand = &s.path,
                                  .operand_noun = "file",
                                  .operand_missing = "no file given"};
    int code = pl_cli_parse(&syntax, argc, argv);
    if (code != PL_CLI_OK) {
        return pl_cli_parse_exit(code);
    }
    s.now = (int64_t)time(NULL);
    size_t count = 0;
    padlock_err rc = padlock_pem_read_file(s.path, pl_on_object, &s, &count);
    int read_errno = errno;
    if (s.started) {
        pl_json_end(&s.j);
        pl_json_end(&s.j);
    }
    if (rc == PADLOCK_E_FILE) {
        fprintf(stderr, "padlock %s: cannot read %s: %s\n", PL_CMD, s.path, strerror(read_errno));
        return PL_CLI_USAGE;
    }
    if (rc != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: %s: %s after object %zu\n", PL_CMD, s.path,
                padlock_strerror(rc), count);
        return PL_CLI_USAGE;
    }
    if (count == 0) {
        fprintf(stderr, "padlock %s: %s holds no PEM blocks\n", PL_CMD, s.path);
        return PL_CLI_USAGE;
    }
    return s.failed ? PL_CLI_USAGE : PL_CLI_OK;
}
