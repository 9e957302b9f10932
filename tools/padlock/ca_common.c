/* The certificate-authority subcommands' shared parts: the CA directory and its files, key
 * options, names, output files. Messages name the file and what is wrong with it. */
#include "ca_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* Copies a formatted path into out; a usage error when it does not fit. */
static int pl_path(const char *cmd, char out[PL_CA_PATH_MAX], const char *a, const char *b) {
    int n = snprintf(out, PL_CA_PATH_MAX, "%s%s", a, b);
    if (n < 0 || n >= PL_CA_PATH_MAX) {
        return pl_cli_usage_error(cmd, "path too long: %s%s", a, b);
    }
    return PL_CLI_OK;
}

/* An environment variable's value when set and not empty, else NULL. */
static const char *pl_env(const char *name) {
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

int pl_ca_dir(const char *cmd, const char *dir_opt, char out[PL_CA_PATH_MAX]) {
    if (dir_opt != NULL) {
        if (dir_opt[0] == '\0') {
            return pl_cli_usage_error(cmd, "--dir is empty");
        }
        return pl_path(cmd, out, dir_opt, "");
    }
    const char *root = pl_env("PADLOCK_CAROOT");
    if (root != NULL) {
        return pl_path(cmd, out, root, "");
    }
    /* XDG Base Directory: $XDG_DATA_HOME counts only as an absolute path. */
    const char *xdg = pl_env("XDG_DATA_HOME");
    if (xdg != NULL && xdg[0] == '/') {
        return pl_path(cmd, out, xdg, "/padlock");
    }
    const char *home = pl_env("HOME");
    if (home == NULL) {
        return pl_cli_usage_error(cmd, "cannot tell where the CA lives: HOME is not set (use "
                                       "--dir or PADLOCK_CAROOT)");
    }
    return pl_path(cmd, out, home, "/.local/share/padlock");
}

int pl_ca_paths(const char *cmd, const char *dir, char cert[PL_CA_PATH_MAX],
                char key[PL_CA_PATH_MAX]) {
    int code = pl_path(cmd, cert, dir, "/ca.pem");
    return code != PL_CLI_OK ? code : pl_path(cmd, key, dir, "/ca-key.pem");
}

void pl_ca_cleanup(pl_ca *ca) {
    padlock_cert_free(ca->cert);
    padlock_key_free(ca->key);
    ca->cert = NULL;
    ca->key = NULL;
}

/* The CA certificate: the first certificate of its file. */
static int pl_ca_load_cert(const char *cmd, pl_ca *ca) {
    padlock_cert_list *list;
    if (padlock_cert_list_new(&list) != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: %s\n", cmd, padlock_strerror(PADLOCK_E_NO_MEMORY));
        return PL_CLI_USAGE;
    }
    int code = PL_CLI_OK;
    if (padlock_cert_list_add_file(list, ca->cert_path) != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: cannot load the CA certificate: %s\n", cmd,
                padlock_cert_list_last_error(list));
        code = PL_CLI_USAGE;
    } else {
        size_t len;
        const uint8_t *der = padlock_cert_der(padlock_cert_list_get(list, 0), &len);
        if (padlock_cert_from_der(der, len, &ca->cert) != PADLOCK_OK) {
            fprintf(stderr, "padlock %s: %s\n", cmd, padlock_strerror(PADLOCK_E_NO_MEMORY));
            code = PL_CLI_USAGE;
        }
    }
    padlock_cert_list_free(list);
    return code;
}

int pl_ca_load(const char *cmd, const char *dir_opt, pl_ca *out) {
    memset(out, 0, sizeof(*out));
    char dir[PL_CA_PATH_MAX];
    int code = pl_ca_dir(cmd, dir_opt, dir);
    if (code != PL_CLI_OK) {
        return code;
    }
    code = pl_ca_paths(cmd, dir, out->cert_path, out->key_path);
    if (code != PL_CLI_OK) {
        return code;
    }
    struct stat st;
    if (stat(out->cert_path, &st) != 0 && errno == ENOENT) {
        fprintf(stderr,
                "padlock %s: no CA in %s (%s does not exist); run 'padlock cert ca' to create "
                "one\n",
                cmd, dir, out->cert_path);
        return PL_CLI_USAGE;
    }
    code = pl_ca_load_cert(cmd, out);
    if (code != PL_CLI_OK) {
        return code;
    }
    if (!padlock_cert_is_ca(out->cert)) {
        fprintf(stderr,
                "padlock %s: %s is not a CA certificate (\"%s\" lacks basicConstraints "
                "cA)\n",
                cmd, out->cert_path, padlock_cert_subject(out->cert));
        return PL_CLI_USAGE;
    }
    padlock_err rc = padlock_key_from_file(out->key_path, &out->key);
    if (rc != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: cannot load the CA key %s: %s\n", cmd, out->key_path,
                rc == PADLOCK_E_FILE ? strerror(errno) : padlock_strerror(rc));
        return PL_CLI_USAGE;
    }
    if (padlock_cert_check_key(out->cert, out->key) != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: %s is not the private key of the CA certificate %s\n", cmd,
                out->key_path, out->cert_path);
        return PL_CLI_USAGE;
    }
    int64_t now = (int64_t)time(NULL);
    if (now > padlock_cert_not_after(out->cert)) {
        char when[PADLOCK_RFC3339_BUF];
        padlock_time_format(padlock_cert_not_after(out->cert), when);
        fprintf(stderr,
                "padlock %s: the CA certificate %s expired on %s; create a new CA with 'padlock "
                "cert ca --force'\n",
                cmd, out->cert_path, when);
        return PL_CLI_FAIL;
    }
    return PL_CLI_OK;
}

int pl_key_choice_check(const char *cmd, const pl_key_choice *c) {
    if (c->rsa != NULL && c->ed25519) {
        return pl_cli_usage_error(cmd, "--rsa and --ed25519 cannot be combined");
    }
    if (c->rsa != NULL && strcmp(c->rsa, "2048") != 0 && strcmp(c->rsa, "3072") != 0 &&
        strcmp(c->rsa, "4096") != 0) {
        return pl_cli_usage_error(cmd, "--rsa takes 2048, 3072 or 4096 bits, not '%s'", c->rsa);
    }
    return PL_CLI_OK;
}

int pl_key_choice_generate(const char *cmd, const pl_key_choice *c, padlock_key **out) {
    padlock_key_type type = c->rsa != NULL ? PADLOCK_KEY_RSA
                            : c->ed25519   ? PADLOCK_KEY_ED25519
                                           : PADLOCK_KEY_EC_P256;
    unsigned bits = c->rsa != NULL ? (unsigned)strtoul(c->rsa, NULL, 10) : 0;
    padlock_err rc = padlock_key_generate(type, bits, out);
    if (rc != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: cannot generate a key: %s\n", cmd, padlock_strerror(rc));
        return PL_CLI_USAGE;
    }
    return PL_CLI_OK;
}

/* 1 if text is an IPv4 or IPv6 address, as the library reads them. */
static int pl_is_ip(const char *text) {
    const char *one[] = {text};
    padlock_cert_names n = {.ip_addresses = one, .num_ip_addresses = 1};
    return padlock_cert_names_check(&n, NULL) == PADLOCK_OK;
}

/* A NAME operand (opt NULL) or an --ip value, as a pl_cli_call_fn. */
static int pl_ca_name_arg(const char *cmd, const char *opt, const char *value, void *target) {
    return pl_ca_names_add(cmd, target, value, opt != NULL);
}

int pl_ca_leaf_parse(const char *cmd, const char *help, const pl_cli_opt *own, int argc,
                     char **argv, pl_ca_leaf_args *a) {
    const pl_cli_opt shared[] = {
        PL_CLI_CALL_OPT("--ip", pl_ca_name_arg, &a->names),
        PL_CLI_STRING_OPT("--rsa", &a->key.rsa),
        PL_CLI_FLAG_OPT("--ed25519", &a->key.ed25519),
        PL_CLI_STRING_OPT("--out", &a->out),
        PL_CLI_STRING_OPT("--key-out", &a->key_out),
        PL_CLI_FLAG_OPT("--force", &a->force),
        PL_CLI_END,
    };
    const pl_cli_syntax syntax = {.cmd = cmd,
                                  .help = help,
                                  .opts = own,
                                  .more_opts = shared,
                                  .each_operand = pl_ca_name_arg,
                                  .each_target = &a->names};
    return pl_cli_parse(&syntax, argc, argv);
}

void pl_ca_leaf_paths(const pl_ca_leaf_args *a, const char *suffix, char out[PL_CA_PATH_MAX],
                      char key_out[PL_CA_PATH_MAX]) {
    pl_ca_default_path(a->names.first, suffix, out);
    pl_ca_default_path(a->names.first, "-key.pem", key_out);
    if (a->out != NULL) {
        snprintf(out, PL_CA_PATH_MAX, "%s", a->out);
    }
    if (a->key_out != NULL) {
        snprintf(key_out, PL_CA_PATH_MAX, "%s", a->key_out);
    }
}

int pl_ca_names_add(const char *cmd, pl_ca_names *n, const char *name, int is_ip) {
    if (is_ip || pl_is_ip(name)) {
        if (n->num_ips == PL_CA_MAX_NAMES) {
            return pl_cli_usage_error(cmd, "too many IP addresses (at most %d)", PL_CA_MAX_NAMES);
        }
        n->ips[n->num_ips++] = name;
    } else {
        if (n->num_dns == PL_CA_MAX_NAMES) {
            return pl_cli_usage_error(cmd, "too many names (at most %d)", PL_CA_MAX_NAMES);
        }
        n->dns[n->num_dns++] = name;
    }
    if (n->first == NULL) {
        n->first = name;
    }
    return PL_CLI_OK;
}

/* Why the names entry bad is refused: invalid on its own, or a repeat. */
static void pl_names_why(const pl_ca_names *n, const char *bad, char *out, size_t cap) {
    int is_ip = 0;
    for (size_t i = 0; i < n->num_ips; i++) {
        is_ip |= n->ips[i] == bad;
    }
    const char *one[] = {bad};
    padlock_cert_names alone = {
        NULL, NULL, is_ip ? NULL : one, is_ip ? 0 : 1, is_ip ? one : NULL, is_ip ? 1 : 0};
    if (padlock_cert_names_check(&alone, NULL) == PADLOCK_OK) {
        snprintf(out, cap, "%s %s is given twice", is_ip ? "IP address" : "name", bad);
    } else if (is_ip) {
        snprintf(out, cap, "'%s' is not an IPv4 or IPv6 address", bad);
    } else {
        snprintf(out, cap,
                 "\"%s\" is not a valid DNS name (letters, digits and hyphens in dot-separated "
                 "labels; a wildcard only as a whole first label, as in *.example.com; "
                 "internationalized names in their xn-- form)",
                 bad);
    }
}

int pl_ca_names_finish(const char *cmd, pl_ca_names *n, padlock_cert_names *out,
                       const char *source) {
    if (n->first == NULL) {
        return pl_cli_usage_error(cmd, "no names given: name at least one DNS name or IP address");
    }
    memset(out, 0, sizeof(*out));
    /* The subject is the first name when it fits a commonName (RFC 5280 App. A: 64
     * characters); otherwise it stays empty and the subjectAltName carries the identity. */
    out->common_name = strlen(n->first) <= 64 ? n->first : NULL;
    out->dns_names = n->dns;
    out->num_dns_names = n->num_dns;
    out->ip_addresses = n->ips;
    out->num_ip_addresses = n->num_ips;
    const char *bad = NULL;
    if (padlock_cert_names_check(out, &bad) == PADLOCK_OK) {
        return PL_CLI_OK;
    }
    char why[1024];
    pl_names_why(n, bad, why, sizeof(why));
    if (source == NULL) {
        return pl_cli_usage_error(cmd, "%s", why);
    }
    fprintf(stderr, "padlock %s: refused %s: %s\n", cmd, source, why);
    return PL_CLI_FAIL;
}

void pl_ca_default_path(const char *first, const char *suffix, char out[PL_CA_PATH_MAX]) {
    size_t o = 0;
    for (const char *p = first; *p != '\0' && o + 16 < PL_CA_PATH_MAX; p++) {
        if (*p == '*') {
            memcpy(out + o, "_wildcard", 9);
            o += 9;
        } else {
            out[o++] = *p == ':' ? '_' : *p;
        }
    }
    snprintf(out + o, PL_CA_PATH_MAX - o, "%s", suffix);
}

int pl_ca_check_absent(const char *cmd, const char *path, int force) {
    struct stat st;
    if (!force && lstat(path, &st) == 0) {
        fprintf(stderr, "padlock %s: %s exists; use --force to replace it\n", cmd, path);
        return PL_CLI_FAIL;
    }
    return PL_CLI_OK;
}

int pl_ca_write_error(const char *cmd, const char *what, const char *path, padlock_err rc) {
    if (rc == PADLOCK_E_FILE_EXISTS) {
        fprintf(stderr, "padlock %s: %s exists; use --force to replace it\n", cmd, path);
        return PL_CLI_FAIL;
    }
    fprintf(stderr, "padlock %s: cannot write the %s to %s: %s\n", cmd, what, path,
            rc == PADLOCK_E_FILE ? strerror(errno) : padlock_strerror(rc));
    return PL_CLI_USAGE;
}

int pl_ca_write_key_cert(const char *cmd, int ca, const padlock_key *key, const char *key_path,
                         const padlock_cert *cert, const char *cert_path, int force) {
    unsigned flags = force ? PADLOCK_WRITE_REPLACE : 0;
    padlock_err rc = padlock_key_write_file(key, key_path, flags);
    if (rc != PADLOCK_OK) {
        return pl_ca_write_error(cmd, ca ? "CA key" : "key", key_path, rc);
    }
    rc = padlock_cert_write_file(cert, cert_path, flags);
    if (rc != PADLOCK_OK) {
        int code = pl_ca_write_error(cmd, ca ? "CA certificate" : "certificate", cert_path, rc);
        unlink(key_path);
        return code;
    }
    return PL_CLI_OK;
}

int pl_ca_parse_days(const char *cmd, const char *text, unsigned *out) {
    long v;
    /* 825 days: the longest validity Apple platforms accept for TLS server certificates. */
    int code = pl_cli_number(cmd, "--days", text, "a number of days", 1, 825, &v);
    *out = code == PL_CLI_OK ? (unsigned)v : 0;
    return code;
}

void pl_ca_print_sans(const padlock_cert *cert) {
    for (size_t i = 0; i < padlock_cert_num_sans(cert); i++) {
        const char *v;
        padlock_san_type t = padlock_cert_san(cert, i, &v);
        printf("%s%s:%s", i > 0 ? ", " : "", t == PADLOCK_SAN_IP ? "IP" : "DNS", v);
    }
}
