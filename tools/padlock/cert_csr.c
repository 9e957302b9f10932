/* padlock cert csr: a PKCS #10 certificate signing request (RFC 2986) for DNS names and IP
 * addresses, with a new private key or an existing one, for any CA to sign. Exit 0 when
 * written, 1 when an output file exists (without --force), 2 on usage or input errors. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ca_common.h"
#include "cli.h"

#define PL_CMD "cert csr"

static const char pl_help[] =
    "usage: padlock cert csr NAME... [--ip ADDR]... [--rsa BITS | --ed25519 | --key FILE]\n"
    "                        [--out FILE] [--key-out FILE] [--force]\n"
    "\n"
    "Writes a certificate signing request (PKCS #10) for the names given, signed with a new\n"
    "private key (or --key), for a CA to sign ('padlock cert sign' does). The names go into\n"
    "the request's subjectAltName; the first is the subject's common name and names the\n"
    "files.\n"
    "\n"
    "  NAME            a DNS name (a wildcard as the whole first label: *.example.com) or an\n"
    "                  IP address; repeatable\n"
    "  --ip ADDR       an IPv4 or IPv6 address; repeatable\n"
    "  --rsa BITS      a new RSA key of 2048, 3072 or 4096 bits (default: ECDSA P-256)\n"
    "  --ed25519       a new Ed25519 key\n"
    "  --key FILE      an existing private key (PEM or DER) instead of a new one\n"
    "  --out FILE      the request (default: ./NAME.csr)\n"
    "  --key-out FILE  the new private key, readable only by you (default: ./NAME-key.pem)\n"
    "  --force         replace existing output files\n"
    "\n"
    "Exit status: 0 written, 1 an output file exists, 2 usage or input error.\n";

typedef struct pl_args {
    pl_ca_leaf_args leaf;
    const char *key_in; /* --key */
} pl_args;

static int pl_parse_args(int argc, char **argv, pl_args *a) {
    memset(a, 0, sizeof(*a));
    const pl_cli_opt own[] = {PL_CLI_STRING_OPT("--key", &a->key_in), PL_CLI_END};
    int code = pl_ca_leaf_parse(PL_CMD, pl_help, own, argc, argv, &a->leaf);
    if (code != PL_CLI_OK) {
        return code;
    }
    const pl_ca_leaf_args *l = &a->leaf;
    if (a->key_in != NULL && (l->key.rsa != NULL || l->key.ed25519 || l->key_out != NULL)) {
        return pl_cli_usage_error(PL_CMD, "--key uses an existing key: --rsa, --ed25519 and "
                                          "--key-out do not apply");
    }
    return pl_key_choice_check(PL_CMD, &l->key);
}

/* The request's key: loaded (--key) or generated. */
static int pl_key(const pl_args *a, padlock_key **out) {
    if (a->key_in == NULL) {
        return pl_key_choice_generate(PL_CMD, &a->leaf.key, out);
    }
    padlock_err rc = padlock_key_from_file(a->key_in, out);
    if (rc != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: cannot load the key %s: %s\n", PL_CMD, a->key_in,
                rc == PADLOCK_E_FILE ? strerror(errno) : padlock_strerror(rc));
        return PL_CLI_USAGE;
    }
    return PL_CLI_OK;
}

static int pl_write(const pl_args *a, const padlock_cert_names *names, const char *csr_path,
                    const char *key_path) {
    padlock_key *key = NULL;
    padlock_csr *csr = NULL;
    int code = pl_key(a, &key);
    if (code == PL_CLI_OK) {
        padlock_err rc = padlock_csr_create(names, key, &csr);
        if (rc != PADLOCK_OK) {
            fprintf(stderr, "padlock %s: cannot make the request: %s\n", PL_CMD,
                    padlock_strerror(rc));
            code = PL_CLI_USAGE;
        }
    }
    unsigned flags = a->leaf.force ? PADLOCK_WRITE_REPLACE : 0;
    if (code == PL_CLI_OK && a->key_in == NULL) {
        padlock_err rc = padlock_key_write_file(key, key_path, flags);
        code = rc == PADLOCK_OK ? PL_CLI_OK : pl_ca_write_error(PL_CMD, "key", key_path, rc);
    }
    if (code == PL_CLI_OK) {
        padlock_err rc = padlock_csr_write_file(csr, csr_path, flags);
        if (rc != PADLOCK_OK) {
            code = pl_ca_write_error(PL_CMD, "request", csr_path, rc);
            if (a->key_in == NULL) {
                unlink(key_path); /* no new key without its request */
            }
        }
    }
    if (code == PL_CLI_OK) {
        printf("wrote a request for \"%s\"\n  request: %s\n  private key: %s\n",
               padlock_csr_subject(csr), csr_path, a->key_in != NULL ? a->key_in : key_path);
    }
    padlock_csr_free(csr);
    padlock_key_free(key);
    return code;
}

/* Checks the names and paths, writes the request and key; returns the exit code. */
static int pl_csr_main(pl_args *a) {
    padlock_cert_names names;
    int code = pl_ca_names_finish(PL_CMD, &a->leaf.names, &names, NULL);
    if (code != PL_CLI_OK) {
        return code;
    }
    char csr_path[PL_CA_PATH_MAX], key_path[PL_CA_PATH_MAX];
    pl_ca_leaf_paths(&a->leaf, ".csr", csr_path, key_path);
    if (a->key_in == NULL && strcmp(csr_path, key_path) == 0) {
        return pl_cli_usage_error(PL_CMD, "the request and the key cannot both go to %s", csr_path);
    }
    code = pl_ca_check_absent(PL_CMD, csr_path, a->leaf.force);
    if (code == PL_CLI_OK && a->key_in == NULL) {
        code = pl_ca_check_absent(PL_CMD, key_path, a->leaf.force);
    }
    return code == PL_CLI_OK ? pl_write(a, &names, csr_path, key_path) : code;
}

int pl_cli_cert_csr(int argc, char **argv) {
    pl_args a;
    int code = pl_parse_args(argc, argv, &a);
    return code == PL_CLI_OK ? pl_csr_main(&a) : pl_cli_parse_exit(code);
}
