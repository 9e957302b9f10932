/* Helpers shared by the padlock subcommands: the option tables' parser, long options, usage
 * errors, hex, words for key types, subjectAltName entries and refused requests. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 if arg asks for the help. */
static int pl_cli_is_help(const char *arg) {
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* Matches argv[*i] against a long option that takes a value, in either the "--name VALUE" or
 * the "--name=VALUE" form. Returns 1 and sets *value (advancing *i past a separate value) on a
 * match, 0 if argv[*i] is another argument, and -1 (after printing a usage error for cmd) when
 * the value is missing. */
static int pl_cli_option(const char *cmd, int argc, char **argv, int *i, const char *name,
                         const char **value) {
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0) {
        return 0;
    }
    if (arg[n] == '=') {
        *value = arg + n + 1;
        return 1;
    }
    if (arg[n] != '\0') {
        return 0;
    }
    if (*i + 1 >= argc) {
        pl_cli_usage_error(cmd, "option %s needs a value", name);
        return -1;
    }
    *i += 1;
    *value = argv[*i];
    return 1;
}

/* Takes the value of option o, given at argv[*i]: 1 taken, 0 argv[*i] is not o, -1 error
 * printed. */
static int pl_cli_take(const pl_cli_syntax *s, const pl_cli_opt *o, int argc, char **argv, int *i) {
    const char *arg = argv[*i];
    if (o->kind == PL_CLI_FLAG) {
        if (strcmp(arg, o->name) != 0 && (o->alias == NULL || strcmp(arg, o->alias) != 0)) {
            return 0;
        }
        *(int *)o->target = 1;
        return 1;
    }
    const char *v;
    int m = pl_cli_option(s->cmd, argc, argv, i, o->name, &v);
    if (m <= 0) {
        return m;
    }
    long n = 0;
    switch (o->kind) {
    case PL_CLI_STRING: *(const char **)o->target = v; return 1;
    case PL_CLI_NUMBER:
        if (pl_cli_number(s->cmd, o->name, v, o->what, o->lo, o->hi, &n) != PL_CLI_OK) {
            return -1;
        }
        *(int *)o->target = (int)n;
        return 1;
    case PL_CLI_CALL: return o->call(s->cmd, o->name, v, o->target) == PL_CLI_OK ? 1 : -1;
    case PL_CLI_FLAG: break;
    }
    return -1;
}

/* An argument that is no option. */
static int pl_cli_operand(const pl_cli_syntax *s, const char *arg) {
    if (s->each_operand != NULL) {
        return s->each_operand(s->cmd, NULL, arg, s->each_target) == PL_CLI_OK ? PL_CLI_OK
                                                                               : PL_CLI_USAGE;
    }
    if (s->operand == NULL) {
        return pl_cli_usage_error(s->cmd, "unexpected argument '%s'", arg);
    }
    if (*s->operand != NULL) {
        return pl_cli_usage_error(s->cmd, "more than one %s given (%s, %s)", s->operand_noun,
                                  *s->operand, arg);
    }
    *s->operand = arg;
    return PL_CLI_OK;
}

int pl_cli_parse(const pl_cli_syntax *s, int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (pl_cli_is_help(arg)) {
            fputs(s->help, stdout);
            return PL_CLI_HELP;
        }
        int m = 0;
        for (const pl_cli_opt *o = s->opts; m == 0 && o->name != NULL; o++) {
            m = pl_cli_take(s, o, argc, argv, &i);
        }
        for (const pl_cli_opt *o = s->more_opts; m == 0 && o != NULL && o->name != NULL; o++) {
            m = pl_cli_take(s, o, argc, argv, &i);
        }
        if (m < 0) {
            return PL_CLI_USAGE;
        }
        if (m > 0) {
            continue;
        }
        if (arg[0] == '-' && !(s->dash_is_operand && arg[1] == '\0')) {
            return pl_cli_usage_error(s->cmd, "unknown option %s", arg);
        }
        int code = pl_cli_operand(s, arg);
        if (code != PL_CLI_OK) {
            return code;
        }
    }
    if (s->operand != NULL && *s->operand == NULL && s->operand_missing != NULL) {
        return pl_cli_usage_error(s->cmd, "%s", s->operand_missing);
    }
    return PL_CLI_OK;
}

int pl_cli_parse_exit(int code) {
    return code == PL_CLI_HELP ? PL_CLI_OK : code;
}

int pl_cli_append(const char *cmd, const char *opt, const char *value, void *target) {
    pl_cli_list *list = target;
    if (*list->num == list->max) {
        return pl_cli_usage_error(cmd, "at most %d %s options", list->max, opt);
    }
    list->values[(*list->num)++] = value;
    return PL_CLI_OK;
}

int pl_cli_number(const char *cmd, const char *opt, const char *text, const char *what, long lo,
                  long hi, long *out) {
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno != 0 || v < lo || v > hi) {
        return pl_cli_usage_error(cmd, "%s must be %s from %ld to %ld, not '%s'", opt, what, lo, hi,
                                  text);
    }
    *out = v;
    return PL_CLI_OK;
}

int pl_cli_usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "padlock %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(run 'padlock %s --help' for usage)\n", cmd);
    va_end(ap);
    return PL_CLI_USAGE;
}

void pl_cli_hex(const uint8_t *p, size_t n, char *out, size_t cap) {
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (size_t i = 0; i < n && o + 4 <= cap; i++) {
        if (i > 0) {
            out[o++] = ':';
        }
        out[o++] = hex[p[i] >> 4];
        out[o++] = hex[p[i] & 15];
    }
    if (cap > 0) {
        out[o < cap ? o : cap - 1] = '\0';
    }
}

const char *pl_cli_key_id(padlock_key_type t) {
    switch (t) {
    case PADLOCK_KEY_RSA: return "rsa";
    case PADLOCK_KEY_RSA_PSS: return "rsa-pss";
    case PADLOCK_KEY_EC_P256: return "ec-p256";
    case PADLOCK_KEY_EC_P384: return "ec-p384";
    case PADLOCK_KEY_EC_P521: return "ec-p521";
    case PADLOCK_KEY_ED25519: return "ed25519";
    case PADLOCK_KEY_UNKNOWN: break;
    }
    return "unknown";
}

void pl_cli_key_text(padlock_key_type t, unsigned bits, char *out, size_t cap) {
    switch (t) {
    case PADLOCK_KEY_RSA: snprintf(out, cap, "RSA %u bits", bits); return;
    case PADLOCK_KEY_RSA_PSS: snprintf(out, cap, "RSA-PSS %u bits", bits); return;
    case PADLOCK_KEY_EC_P256: snprintf(out, cap, "EC P-256"); return;
    case PADLOCK_KEY_EC_P384: snprintf(out, cap, "EC P-384"); return;
    case PADLOCK_KEY_EC_P521: snprintf(out, cap, "EC P-521"); return;
    case PADLOCK_KEY_ED25519: snprintf(out, cap, "Ed25519"); return;
    case PADLOCK_KEY_UNKNOWN: break;
    }
    snprintf(out, cap, "an algorithm padlock does not use");
}

const char *pl_cli_san_id(padlock_san_type t) {
    switch (t) {
    case PADLOCK_SAN_DNS: return "dns";
    case PADLOCK_SAN_IP: return "ip";
    case PADLOCK_SAN_EMAIL: return "email";
    case PADLOCK_SAN_URI: return "uri";
    case PADLOCK_SAN_DIRNAME: return "dirname";
    case PADLOCK_SAN_OTHER: break;
    }
    return "other";
}

const char *pl_cli_san_prefix(padlock_san_type t) {
    switch (t) {
    case PADLOCK_SAN_DNS: return "DNS";
    case PADLOCK_SAN_IP: return "IP";
    case PADLOCK_SAN_EMAIL: return "email";
    case PADLOCK_SAN_URI: return "URI";
    case PADLOCK_SAN_DIRNAME: return "dirName";
    case PADLOCK_SAN_OTHER: break;
    }
    return "other";
}

const char *pl_cli_csr_refusal(padlock_err rc) {
    switch (rc) {
    case PADLOCK_E_CSR_SIGNATURE:
        return "its signature does not verify (the request was altered, or not signed with its "
               "key)";
    case PADLOCK_E_CERT_WEAK_ALGORITHM:
        return "it is signed with MD5 or SHA-1, which padlock refuses";
    case PADLOCK_E_CERT_UNSUPPORTED:
        return "its key or signature algorithm is not one padlock supports";
    default: return padlock_strerror(rc);
    }
}
