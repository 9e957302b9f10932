/* padlock cert sign: issues a TLS certificate for a PKCS #10 request (RFC 2986) with the
 * local CA, after checking its self-signature. Only the request's DNS names and IP addresses
 * are copied; its subject and other requested extensions (CA rights, key usages) are never
 * granted. Exit 0 when issued, 1 when refused (bad signature, names padlock does not issue
 * for, an output file exists, the CA has expired), 2 on usage or input errors. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ca_common.h"
#include "cli.h"

#define PL_CMD "cert sign"

static const char pl_help[] =
    "usage: padlock cert sign CSR [--client] [--days N] [--out FILE] [--dir DIR] [--force]\n"
    "\n"
    "Issues a TLS server certificate for a certificate signing request (PKCS #10, PEM or\n"
    "DER), signed by the local CA. The request's signature must verify. Only the DNS names\n"
    "and IP addresses of its subjectAltName are used: the certificate gets the same subject,\n"
    "key usages and validity rules as 'padlock cert issue', whatever else the request asks\n"
    "for.\n"
    "\n"
    "  --client      valid for TLS client authentication too\n"
    "  --days N      valid for N days, 1 to 825 (default 825), from an hour ago\n"
    "  --out FILE    the certificate (default: ./NAME.pem, NAME the request's first name)\n"
    "  --dir DIR     the CA directory (as for 'padlock cert ca')\n"
    "  --force       replace an existing output file\n"
    "\n"
    "Exit status: 0 issued, 1 refused (the request's signature does not verify, it names\n"
    "nothing padlock issues for, the output file exists, the CA has expired), 2 usage or input\n"
    "error.\n";

typedef struct pl_args {
    const char *csr;
    const char *days;
    const char *out;
    const char *dir;
    int client;
    int force;
} pl_args;

static int pl_parse_args(int argc, char **argv, pl_args *a) {
    memset(a, 0, sizeof(*a));
    const pl_cli_opt opts[] = {
        PL_CLI_FLAG_OPT("--client", &a->client), PL_CLI_STRING_OPT("--days", &a->days),
        PL_CLI_STRING_OPT("--out", &a->out),     PL_CLI_STRING_OPT("--dir", &a->dir),
        PL_CLI_FLAG_OPT("--force", &a->force),   PL_CLI_END};
    const pl_cli_syntax syntax = {.cmd = PL_CMD,
                                  .help = pl_help,
                                  .opts = opts,
                                  .operand = &a->csr,
                                  .operand_noun = "request",
                                  .operand_missing = "no certificate signing request given"};
    return pl_cli_parse(&syntax, argc, argv);
}

/* Loads and verifies the request: exit 2 when unreadable or malformed, 1 when its signature
 * is refused. */
static int pl_load_request(const char *path, padlock_csr **out) {
    const char *field = NULL;
    padlock_err rc = padlock_csr_from_file(path, out, &field);
    switch (rc) {
    case PADLOCK_OK: return PL_CLI_OK;
    case PADLOCK_E_FILE:
        fprintf(stderr, "padlock %s: cannot read %s: %s\n", PL_CMD, path, strerror(errno));
        return PL_CLI_USAGE;
    case PADLOCK_E_CSR_SIGNATURE:
    case PADLOCK_E_CERT_WEAK_ALGORITHM:
    case PADLOCK_E_CERT_UNSUPPORTED:
        fprintf(stderr, "padlock %s: refused %s: %s\n", PL_CMD, path, pl_cli_csr_refusal(rc));
        return PL_CLI_FAIL;
    default:
        fprintf(stderr, "padlock %s: cannot load %s: %s%s%s%s\n", PL_CMD, path,
                padlock_strerror(rc), field != NULL ? " (" : "", field != NULL ? field : "",
                field != NULL ? ")" : "");
        return PL_CLI_USAGE;
    }
}

/* Copies the request's DNS names and IP addresses, refusing other kinds of names. */
static int pl_request_names(const char *path, const padlock_csr *csr, pl_ca_names *out) {
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < padlock_csr_num_sans(csr); i++) {
        const char *v;
        padlock_san_type t = padlock_csr_san(csr, i, &v);
        if (t != PADLOCK_SAN_DNS && t != PADLOCK_SAN_IP) {
            fprintf(stderr,
                    "padlock %s: refused %s: it asks for \"%s\", but padlock issues only for DNS "
                    "names and IP addresses\n",
                    PL_CMD, path, v);
            return PL_CLI_FAIL;
        }
        if (pl_ca_names_add(PL_CMD, out, v, t == PADLOCK_SAN_IP) != PL_CLI_OK) {
            return PL_CLI_FAIL;
        }
    }
    if (out->first == NULL) {
        fprintf(stderr,
                "padlock %s: refused %s: it names no DNS name or IP address in a "
                "subjectAltName (its subject \"%s\" alone names nothing TLS clients check)\n",
                PL_CMD, path, padlock_csr_subject(csr));
        return PL_CLI_FAIL;
    }
    return PL_CLI_OK;
}

static int pl_sign(const pl_args *a, const padlock_csr *csr, const padlock_issue_opts *opts,
                   const char *cert_path) {
    pl_ca ca;
    int code = pl_ca_load(PL_CMD, a->dir, &ca);
    if (code == PL_CLI_OK) {
        code = pl_ca_check_absent(PL_CMD, cert_path, a->force);
    }
    padlock_cert *cert = NULL;
    if (code == PL_CLI_OK) {
        size_t spki_len;
        const uint8_t *spki = padlock_csr_public_der(csr, &spki_len);
        padlock_err rc = padlock_cert_issue(opts, spki, spki_len, ca.cert, ca.key, &cert);
        if (rc != PADLOCK_OK) {
            fprintf(stderr, "padlock %s: cannot issue the certificate: %s\n", PL_CMD,
                    padlock_strerror(rc));
            code = PL_CLI_USAGE;
        }
    }
    if (code == PL_CLI_OK) {
        padlock_err rc =
            padlock_cert_write_file(cert, cert_path, a->force ? PADLOCK_WRITE_REPLACE : 0);
        code =
            rc == PADLOCK_OK ? PL_CLI_OK : pl_ca_write_error(PL_CMD, "certificate", cert_path, rc);
    }
    if (code == PL_CLI_OK) {
        char until[PADLOCK_RFC3339_BUF];
        padlock_time_format(padlock_cert_not_after(cert), until);
        printf("issued \"%s\" for ", padlock_cert_subject(cert));
        pl_ca_print_sans(cert);
        printf(" (valid until %s)\n  certificate: %s\n", until, cert_path);
    }
    padlock_cert_free(cert);
    pl_ca_cleanup(&ca);
    return code;
}

/* Loads and checks the request, issues for its names; returns the exit code. */
static int pl_sign_main(pl_args *a) {
    padlock_issue_opts opts;
    memset(&opts, 0, sizeof(opts));
    opts.client_auth = a->client;
    if (a->days != NULL && pl_ca_parse_days(PL_CMD, a->days, &opts.days) != PL_CLI_OK) {
        return PL_CLI_USAGE;
    }
    padlock_csr *csr = NULL;
    int code = pl_load_request(a->csr, &csr);
    if (code != PL_CLI_OK) {
        return code;
    }
    pl_ca_names names;
    code = pl_request_names(a->csr, csr, &names);
    if (code == PL_CLI_OK) {
        code = pl_ca_names_finish(PL_CMD, &names, &opts.names, a->csr);
    }
    if (code == PL_CLI_OK && padlock_csr_requests_extensions(csr)) {
        fprintf(stderr,
                "padlock %s: note: %s asks for extensions besides subjectAltName; they "
                "are not granted\n",
                PL_CMD, a->csr);
    }
    if (code == PL_CLI_OK) {
        char cert_path[PL_CA_PATH_MAX];
        pl_ca_default_path(names.first, ".pem", cert_path);
        if (a->out != NULL) {
            snprintf(cert_path, sizeof(cert_path), "%s", a->out);
        }
        code = pl_sign(a, csr, &opts, cert_path);
    }
    padlock_csr_free(csr);
    return code;
}

int pl_cli_cert_sign(int argc, char **argv) {
    pl_args a;
    int code = pl_parse_args(argc, argv, &a);
    return code == PL_CLI_OK ? pl_sign_main(&a) : pl_cli_parse_exit(code);
}
