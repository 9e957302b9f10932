/* padlock cert ca: creates the local certificate authority, a self-signed CA certificate
 * (RFC 5280 §4.2.1.9 cA, pathLen 0) and its private key (mode 0600) in the CA directory.
 * Exit 0 when created, 1 when a CA exists already (without --force), 2 on usage errors. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ca_common.h"
#include "cli.h"

#define PL_CMD "cert ca"

static const char pl_help[] =
    "usage: padlock cert ca [--dir DIR] [--rsa BITS | --ed25519] [--name NAME] [--force]\n"
    "\n"
    "Creates a local certificate authority: a CA certificate (ca.pem, valid for 10 years) and\n"
    "its private key (ca-key.pem, readable only by you) in the CA directory. 'padlock cert\n"
    "issue' and 'padlock cert sign' issue certificates with it; clients trust them once ca.pem\n"
    "is among their trusted roots. The CA may sign certificates only for end entities (its\n"
    "path length is 0).\n"
    "\n"
    "  --dir DIR      the CA directory (default: $PADLOCK_CAROOT, else $XDG_DATA_HOME/padlock,\n"
    "                 else ~/.local/share/padlock); created if missing\n"
    "  --rsa BITS     an RSA key of 2048, 3072 or 4096 bits (default: ECDSA P-256)\n"
    "  --ed25519      an Ed25519 key\n"
    "  --name NAME    the CA's common name (default: \"padlock local CA USER@HOST\")\n"
    "  --force        replace an existing CA (what it issued stops verifying)\n"
    "\n"
    "Exit status: 0 created, 1 a CA exists already, 2 usage or input error.\n";

typedef struct pl_args {
    const char *dir;
    const char *name;
    pl_key_choice key;
    int force;
} pl_args;

static int pl_parse_args(int argc, char **argv, pl_args *a) {
    memset(a, 0, sizeof(*a));
    const pl_cli_opt opts[] = {
        PL_CLI_STRING_OPT("--dir", &a->dir),           PL_CLI_STRING_OPT("--rsa", &a->key.rsa),
        PL_CLI_FLAG_OPT("--ed25519", &a->key.ed25519), PL_CLI_STRING_OPT("--name", &a->name),
        PL_CLI_FLAG_OPT("--force", &a->force),         PL_CLI_END};
    const pl_cli_syntax syntax = {.cmd = PL_CMD, .help = pl_help, .opts = opts};
    int code = pl_cli_parse(&syntax, argc, argv);
    return code == PL_CLI_OK ? pl_key_choice_check(PL_CMD, &a->key) : code;
}

/* "padlock local CA user@host", cut to the 64 characters a commonName holds. */
static void pl_default_name(char out[65]) {
    const char *user = getenv("USER");
    if (user == NULL || user[0] == '\0') {
        struct passwd *pw = getpwuid(getuid());
        user = pw != NULL ? pw->pw_name : "user";
    }
    char host[256];
    if (gethostname(host, sizeof(host)) != 0) {
        snprintf(host, sizeof(host), "localhost");
    }
    host[sizeof(host) - 1] = '\0';
    /* Cut to 64 octets (a commonName holds 64 characters), not inside a UTF-8 sequence. */
    int full = snprintf(out, 65, "padlock local CA %s@%s", user, host);
    size_t n = strlen(out);
    if (full > 64) {
        while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80) {
            n--;
        }
        if (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0xc0) {
            n--;
        }
        out[n] = '\0';
    }
}

/* mkdir -p: the missing directories of path, private to the user (0700). */
static int pl_make_dirs(const char *path) {
    char tmp[PL_CA_PATH_MAX];
    snprintf(tmp, sizeof(tmp), "%s", path);
    for (char *p = tmp + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(tmp, 0700) != 0 && errno != EEXIST) {
                return -1;
            }
            *p = c;
            if (c == '\0') {
                break;
            }
        }
    }
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* Creates key and certificate and writes them; returns the exit code. */
static int pl_create(const pl_args *a, const char *dir, const char *cert_path,
                     const char *key_path) {
    char name[65];
    pl_default_name(name);
    padlock_issue_opts opts;
    memset(&opts, 0, sizeof(opts));
    opts.names.common_name = a->name != NULL ? a->name : name;
    opts.names.organization = "padlock";
    opts.is_ca = 1;
    const char *bad;
    if (a->name == NULL && padlock_cert_names_check(&opts.names, &bad) != PADLOCK_OK) {
        /* A user or host name that is not UTF-8 stays out of the CA's name. */
        opts.names.common_name = "padlock local CA";
    }
    if (padlock_cert_names_check(&opts.names, &bad) != PADLOCK_OK) {
        return pl_cli_usage_error(PL_CMD,
                                  "--name \"%s\" is not a valid name (1 to 64 characters "
                                  "of UTF-8)",
                                  bad);
    }
    if (pl_make_dirs(dir) != 0) {
        fprintf(stderr, "padlock %s: cannot create the CA directory %s: %s\n", PL_CMD, dir,
                strerror(errno));
        return PL_CLI_USAGE;
    }
    padlock_key *key = NULL;
    padlock_cert *cert = NULL;
    int code = pl_key_choice_generate(PL_CMD, &a->key, &key);
    if (code == PL_CLI_OK) {
        padlock_err rc = padlock_cert_self_sign(&opts, key, &cert);
        if (rc != PADLOCK_OK) {
            fprintf(stderr, "padlock %s: cannot create the CA certificate: %s\n", PL_CMD,
                    padlock_strerror(rc));
            code = PL_CLI_USAGE;
        }
    }
    if (code == PL_CLI_OK) {
        code = pl_ca_write_key_cert(PL_CMD, 1, key, key_path, cert, cert_path, a->force);
    }
    if (code == PL_CLI_OK) {
        char until[PADLOCK_RFC3339_BUF];
        padlock_time_format(padlock_cert_not_after(cert), until);
        uint8_t fp[32];
        char fp_hex[3 * 32];
        padlock_cert_fingerprint_sha256(cert, fp);
        pl_cli_hex(fp, sizeof(fp), fp_hex, sizeof(fp_hex));
        printf("created CA \"%s\" (valid until %s)\n", padlock_cert_subject(cert), until);
        printf("  certificate: %s\n  private key: %s\n  SHA-256 fingerprint: %s\n", cert_path,
               key_path, fp_hex);
        printf("Trust it by adding %s to your clients' roots, e.g. 'padlock cert verify --roots "
               "%s ...'.\n",
               cert_path, cert_path);
    }
    padlock_cert_free(cert);
    padlock_key_free(key);
    return code;
}

/* Creates the CA the options describe, unless one exists; returns the exit code. */
static int pl_ca_main(pl_args *a) {
    char dir[PL_CA_PATH_MAX], cert_path[PL_CA_PATH_MAX], key_path[PL_CA_PATH_MAX];
    int code = pl_ca_dir(PL_CMD, a->dir, dir);
    if (code != PL_CLI_OK) {
        return code;
    }
    code = pl_ca_paths(PL_CMD, dir, cert_path, key_path);
    if (code != PL_CLI_OK) {
        return code;
    }
    struct stat st;
    if (!a->force && (lstat(cert_path, &st) == 0 || lstat(key_path, &st) == 0)) {
        fprintf(stderr, "padlock %s: a CA exists already in %s; use --force to replace it\n",
                PL_CMD, dir);
        return PL_CLI_FAIL;
    }
    return pl_create(a, dir, cert_path, key_path);
}

int pl_cli_cert_ca(int argc, char **argv) {
    pl_args a;
    int code = pl_parse_args(argc, argv, &a);
    return code == PL_CLI_OK ? pl_ca_main(&a) : pl_cli_parse_exit(code);
}
