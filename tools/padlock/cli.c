/* Helpers shared by the padlock subcommands: long options, usage errors, hex, words for key
 * types, subjectAltName entries and refused requests. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pl_cli_option(const char *cmd, int argc, char **argv, int *i, const char *name,
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

int pl_cli_is_help(const char *arg) {
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
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
