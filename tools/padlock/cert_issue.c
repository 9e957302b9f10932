/* padlock cert issue: a new key and a TLS certificate for DNS names and IP addresses
 * (RFC 5280 §4.2.1.6), signed by the local CA. Exit 0 when issued, 1 when an output file
 * exists (without --force) or the CA has expired, 2 on usage or input errors. */
#include <stdio.h>
#include <string.h>

#include "ca_common.h"
#include "cli.h"

#define PL_CMD "cert issue"

static const char pl_help[] =
    "usage: padlock cert issue NAME... [--ip ADDR]... [--client] [--days N]\n"
    "                          [--rsa BITS | --ed25519] [--out FILE] [--key-out FILE]\n"
    "                          [--dir DIR] [--force]\n"
    "\n"
    "Issues a TLS server certificate for the names given, with a new private key, signed by\n"
    "the local CA ('padlock cert ca' creates it). The first name is the subject's common\n"
    "name and names the files.\n"
    "\n"
    "  NAME            a DNS name (a wildcard as the whole first label: *.example.com) or an\n"
    "                  IP address; repeatable\n"
    "  --ip ADDR       an IPv4 or IPv6 address; repeatable\n"
    "  --client        valid for TLS client authentication too\n"
    "  --days N        valid for N days, 1 to 825 (default 825), from an hour ago\n"
    "  --rsa BITS      an RSA key of 2048, 3072 or 4096 bits (default: ECDSA P-256)\n"
    "  --ed25519       an Ed25519 key\n"
    "  --out FILE      the certificate (default: ./NAME.pem)\n"
    "  --key-out FILE  the private key, readable only by you (default: ./NAME-key.pem)\n"
    "  --dir DIR       the CA directory (as for 'padlock cert ca')\n"
    "  --force         replace existing output files\n"
    "\n"
    "Exit status: 0 issued, 1 an output file exists or the CA has expired, 2 usage or input\n"
    "error.\n";

typedef struct pl_args {
    pl_ca_leaf_args leaf;
    const char *days;
    const char *dir;
    int client;
} pl_args;

static int pl_parse_args(int argc, char **argv, pl_args *a) {
    memset(a, 0, sizeof(*a));
    const pl_cli_opt own[] = {PL_CLI_FLAG_OPT("--client", &a->client),
                              PL_CLI_STRING_OPT("--days", &a->days),
                              PL_CLI_STRING_OPT("--dir", &a->dir), PL_CLI_END};
    int code = pl_ca_leaf_parse(PL_CMD, pl_help, own, argc, argv, &a->leaf);
    return code == PL_CLI_OK ? pl_key_choice_check(PL_CMD, &a->leaf.key) : code;
}

/* Everything checked and loaded: issue and write. */
static int pl_issue(const pl_args *a, const pl_ca *ca, const padlock_issue_opts *opts,
                    const char *cert_path, const char *key_path) {
    padlock_key *key = NULL;
    padlock_cert *cert = NULL;
    int code = pl_key_choice_generate(PL_CMD, &a->leaf.key, &key);
    if (code == PL_CLI_OK) {
        size_t spki_len;
        const uint8_t *spki = padlock_key_public_der(key, &spki_len);
        padlock_err rc = padlock_cert_issue(opts, spki, spki_len, ca->cert, ca->key, &cert);
        if (rc != PADLOCK_OK) {
            fprintf(stderr, "padlock %s: cannot issue the certificate: %s\n", PL_CMD,
                    padlock_strerror(rc));
            code = PL_CLI_USAGE;
        }
    }
    if (code == PL_CLI_OK) {
        code = pl_ca_write_key_cert(PL_CMD, 0, key, key_path, cert, cert_path, a->leaf.force);
    }
    if (code == PL_CLI_OK) {
        char until[PADLOCK_RFC3339_BUF];
        padlock_time_format(padlock_cert_not_after(cert), until);
        printf("issued \"%s\" for ", padlock_cert_subject(cert));
        pl_ca_print_sans(cert);
        printf(" (valid until %s)\n  certificate: %s\n  private key: %s\n", until, cert_path,
               key_path);
    }
    padlock_cert_free(cert);
    padlock_key_free(key);
    return code;
}

/* Checks the names and paths, loads the CA, issues; returns the exit code. */
static int pl_issue_main(pl_args *a) {
    padlock_issue_opts opts;
    memset(&opts, 0, sizeof(opts));
    opts.client_auth = a->client;
    int code = pl_ca_names_finish(PL_CMD, &a->leaf.names, &opts.names, NULL);
    if (code == PL_CLI_OK && a->days != NULL) {
        code = pl_ca_parse_days(PL_CMD, a->days, &opts.days);
    }
    if (code != PL_CLI_OK) {
        return code;
    }
    char cert_path[PL_CA_PATH_MAX], key_path[PL_CA_PATH_MAX];
    pl_ca_leaf_paths(&a->leaf, ".pem", cert_path, key_path);
    if (strcmp(cert_path, key_path) == 0) {
        return pl_cli_usage_error(PL_CMD, "the certificate and the key cannot both go to %s",
                                  cert_path);
    }
    pl_ca ca;
    code = pl_ca_load(PL_CMD, a->dir, &ca);
    /* Refuse before the (possibly slow) key generation. */
    if (code == PL_CLI_OK) {
        code = pl_ca_check_absent(PL_CMD, cert_path, a->leaf.force);
    }
    if (code == PL_CLI_OK) {
        code = pl_ca_check_absent(PL_CMD, key_path, a->leaf.force);
    }
    if (code == PL_CLI_OK) {
        code = pl_issue(a, &ca, &opts, cert_path, key_path);
    }
    pl_ca_cleanup(&ca);
    return code;
}

int pl_cli_cert_issue(int argc, char **argv) {
    pl_args a;
    int code = pl_parse_args(argc, argv, &a);
    return code == PL_CLI_OK ? pl_issue_main(&a) : pl_cli_parse_exit(code);
}
