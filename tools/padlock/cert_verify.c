/* padlock cert verify: checks a certificate chain against trusted roots, at a given time, for
 * a host name or IP address and a purpose, optionally against CRLs. Exit 0 and the validated
 * path on stdout when valid; 1 and the reason on stderr when not; 2 on usage or input errors. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "padlock/x509.h"

#define PL_CMD "cert verify"
#define PL_MAX_FILES 64

static const char pl_help[] =
    "usage: padlock cert verify [--roots FILE|DIR]... [--intermediates FILE]...\n"
    "                           [--crl FILE]... [--host NAME | --ip ADDR]\n"
    "                           [--time UNIX_SECONDS|RFC3339] [--purpose server|client]\n"
    "                           LEAF.pem\n"
    "\n"
    "Verifies the first certificate of LEAF.pem (further certificates in it are used as\n"
    "intermediates) against trusted roots, and prints the validated path, leaf first.\n"
    "\n"
    "  --roots FILE|DIR        trusted roots (PEM bundle, DER file or directory); repeatable;\n"
    "                          default: the system store\n"
    "  --intermediates FILE    untrusted intermediate certificates; repeatable\n"
    "  --crl FILE              certificate revocation lists (PEM or DER); repeatable\n"
    "  --host NAME             the DNS name the leaf must be valid for\n"
    "  --ip ADDR               the IP address the leaf must be valid for\n"
    "  --time T                verify at T (seconds since 1970, or 2025-03-01T00:00:00Z);\n"
    "                          default: now\n"
    "  --purpose server|client the leaf's use (default: server)\n"
    "\n"
    "Exit status: 0 valid, 1 invalid (reason on stderr), 2 usage or input error.\n";

/* The values of a repeatable option. */
typedef struct pl_files {
    const char *paths[PL_MAX_FILES];
    int num;
} pl_files;

typedef struct pl_args {
    pl_files roots;
    pl_files intermediates;
    pl_files crls;
    const char *host;
    const char *ip;
    const char *time;
    const char *purpose;
    const char *leaf;
} pl_args;

/* Appends value to the pl_files at target (a pl_cli_call_fn). */
static int pl_push(const char *cmd, const char *opt, const char *value, void *target) {
    pl_files *files = target;
    if (files->num == PL_MAX_FILES) {
        return pl_cli_usage_error(cmd, "too many %s options (at most %d)", opt, PL_MAX_FILES);
    }
    files->paths[files->num++] = value;
    return PL_CLI_OK;
}

static int pl_parse_args(int argc, char **argv, pl_args *a) {
    memset(a, 0, sizeof(*a));
    const pl_cli_opt opts[] = {PL_CLI_CALL_OPT("--roots", pl_push, &a->roots),
                               PL_CLI_CALL_OPT("--intermediates", pl_push, &a->intermediates),
                               PL_CLI_CALL_OPT("--crl", pl_push, &a->crls),
                               PL_CLI_STRING_OPT("--host", &a->host),
                               PL_CLI_STRING_OPT("--ip", &a->ip),
                               PL_CLI_STRING_OPT("--time", &a->time),
                               PL_CLI_STRING_OPT("--purpose", &a->purpose),
                               PL_CLI_END};
    /* "-" alone is a leaf file name, not an option. */
    const pl_cli_syntax syntax = {.cmd = PL_CMD,
                                  .help = pl_help,
                                  .opts = opts,
                                  .operand = &a->leaf,
                                  .operand_noun = "leaf file",
                                  .operand_missing = "no leaf certificate file given",
                                  .dash_is_operand = 1};
    int code = pl_cli_parse(&syntax, argc, argv);
    if (code == PL_CLI_OK && a->host != NULL && a->ip != NULL) {
        return pl_cli_usage_error(PL_CMD, "--host and --ip cannot be combined");
    }
    return code;
}

/* --time: seconds since the epoch, or an RFC 3339 date-time. */
static int pl_parse_time(const char *text, int64_t *out) {
    if (text[0] >= '0' && text[0] <= '9' && strchr(text, '-') == NULL) {
        char *end;
        errno = 0;
        long long v = strtoll(text, &end, 10);
        if (errno != 0 || *end != '\0' || v <= 0) {
            return pl_cli_usage_error(PL_CMD, "invalid --time '%s'", text);
        }
        *out = (int64_t)v;
        return PL_CLI_OK;
    }
    if (padlock_time_parse(text, out) != PADLOCK_OK) {
        return pl_cli_usage_error(PL_CMD,
                                  "invalid --time '%s' (want seconds since 1970 or an RFC 3339 "
                                  "time such as 2025-03-01T00:00:00Z)",
                                  text);
    }
    return PL_CLI_OK;
}

/* Reports a load failure (exit 2). */
static int pl_input_error(const char *what, padlock_err rc, const char *detail) {
    fprintf(stderr, "padlock %s: cannot load %s: %s\n", PL_CMD, what,
            detail != NULL ? detail : padlock_strerror(rc));
    return PL_CLI_USAGE;
}

static int pl_load_roots(const pl_args *a, padlock_trust_store *roots) {
    if (a->roots.num == 0) {
        padlock_err rc = padlock_trust_store_add_system(roots);
        return rc == PADLOCK_OK
                   ? PL_CLI_OK
                   : pl_input_error("the system roots", rc, padlock_trust_store_last_error(roots));
    }
    for (int i = 0; i < a->roots.num; i++) {
        struct stat st;
        int is_dir = stat(a->roots.paths[i], &st) == 0 && S_ISDIR(st.st_mode);
        padlock_err rc = is_dir ? padlock_trust_store_add_dir(roots, a->roots.paths[i])
                                : padlock_trust_store_add_file(roots, a->roots.paths[i]);
        if (rc != PADLOCK_OK) {
            return pl_input_error("roots", rc, padlock_trust_store_last_error(roots));
        }
    }
    return PL_CLI_OK;
}

/* Builds the verification options from the arguments; returns an exit code. */
static int pl_options(const pl_args *a, padlock_crl_set *crls, padlock_verify_opts *opts) {
    memset(opts, 0, sizeof(*opts));
    if (a->time != NULL && pl_parse_time(a->time, &opts->time) != PL_CLI_OK) {
        return PL_CLI_USAGE;
    }
    if (a->purpose == NULL || strcmp(a->purpose, "server") == 0) {
        opts->purpose = PADLOCK_PURPOSE_SERVER;
    } else if (strcmp(a->purpose, "client") == 0) {
        opts->purpose = PADLOCK_PURPOSE_CLIENT;
    } else {
        return pl_cli_usage_error(PL_CMD, "--purpose must be server or client, not '%s'",
                                  a->purpose);
    }
    if (a->ip != NULL) {
        unsigned char addr[16];
        if (inet_pton(AF_INET, a->ip, addr) != 1 && inet_pton(AF_INET6, a->ip, addr) != 1) {
            return pl_cli_usage_error(PL_CMD, "--ip '%s' is not an IPv4 or IPv6 address", a->ip);
        }
        opts->peer_name = a->ip;
    } else {
        opts->peer_name = a->host;
    }
    for (int i = 0; i < a->crls.num; i++) {
        padlock_err rc = padlock_crl_set_add_file(crls, a->crls.paths[i]);
        if (rc != PADLOCK_OK) {
            return pl_input_error("CRL", rc, padlock_crl_set_last_error(crls));
        }
    }
    if (a->crls.num > 0) {
        opts->crls = crls;
    }
    return PL_CLI_OK;
}

/* Loads everything, verifies, prints; returns the exit code. */
static int pl_run(const pl_args *a, padlock_trust_store *roots, padlock_cert_list *leaf_file,
                  padlock_cert_list *inters, padlock_crl_set *crls) {
    padlock_verify_opts opts;
    int code = pl_options(a, crls, &opts);
    if (code != PL_CLI_OK) {
        return code;
    }
    padlock_err rc = padlock_cert_list_add_file(leaf_file, a->leaf);
    if (rc != PADLOCK_OK) {
        return pl_input_error("the leaf", rc, padlock_cert_list_last_error(leaf_file));
    }
    /* Certificates after the leaf in its file are intermediates (a "fullchain" file). */
    for (size_t i = 1; i < padlock_cert_list_count(leaf_file); i++) {
        size_t len;
        const uint8_t *der = padlock_cert_der(padlock_cert_list_get(leaf_file, i), &len);
        rc = padlock_cert_list_add_mem(inters, der, len);
        if (rc != PADLOCK_OK) {
            return pl_input_error("the leaf file", rc, padlock_cert_list_last_error(inters));
        }
    }
    for (int i = 0; i < a->intermediates.num; i++) {
        rc = padlock_cert_list_add_file(inters, a->intermediates.paths[i]);
        if (rc != PADLOCK_OK) {
            return pl_input_error("intermediates", rc, padlock_cert_list_last_error(inters));
        }
    }
    code = pl_load_roots(a, roots);
    if (code != PL_CLI_OK) {
        return code;
    }
    padlock_verify_result *result;
    rc = padlock_cert_verify(roots, padlock_cert_list_get(leaf_file, 0), inters, &opts, &result);
    if (result == NULL) {
        fprintf(stderr, "padlock %s: %s\n", PL_CMD, padlock_strerror(rc));
        return PL_CLI_USAGE;
    }
    if (rc == PADLOCK_E_INVALID_ARGUMENT) {
        code = pl_cli_usage_error(PL_CMD, "%s", padlock_verify_result_message(result));
    } else if (rc != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: invalid: %s\n", PL_CMD, padlock_verify_result_message(result));
        code = PL_CLI_FAIL;
    } else {
        const padlock_cert_list *path = padlock_verify_result_path(result);
        for (size_t i = 0; i < padlock_cert_list_count(path); i++) {
            printf("%zu %s\n", i, padlock_cert_subject(padlock_cert_list_get(path, i)));
        }
        code = PL_CLI_OK;
    }
    padlock_verify_result_free(result);
    return code;
}

/* Verifies with the objects the run needs; returns the exit code. */
static int pl_verify_main(pl_args *a) {
    int code;
    padlock_trust_store *roots = NULL;
    padlock_cert_list *leaf_file = NULL;
    padlock_cert_list *inters = NULL;
    padlock_crl_set *crls = NULL;
    if (padlock_trust_store_new(&roots) != PADLOCK_OK ||
        padlock_cert_list_new(&leaf_file) != PADLOCK_OK ||
        padlock_cert_list_new(&inters) != PADLOCK_OK || padlock_crl_set_new(&crls) != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: %s\n", PL_CMD, padlock_strerror(PADLOCK_E_NO_MEMORY));
        code = PL_CLI_USAGE;
    } else {
        code = pl_run(a, roots, leaf_file, inters, crls);
    }
    padlock_crl_set_free(crls);
    padlock_cert_list_free(inters);
    padlock_cert_list_free(leaf_file);
    padlock_trust_store_free(roots);
    return code;
}

int pl_cli_cert_verify(int argc, char **argv) {
    pl_args a;
    int code = pl_parse_args(argc, argv, &a);
    return code == PL_CLI_OK ? pl_verify_main(&a) : pl_cli_parse_exit(code);
}
