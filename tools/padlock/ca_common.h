/* What the certificate-authority subcommands (cert ca, issue, csr, sign) share: where the CA
 * lives and loading it, the key-type options, the names a certificate is for, output file
 * names and writing them. Every function prints its own message ("padlock <cmd>: ...") and
 * returns an exit code of cli.h. */
#ifndef PL_TOOLS_CA_COMMON_H
#define PL_TOOLS_CA_COMMON_H

#include <stddef.h>

#include "cli.h"
#include "padlock/x509.h"

/* Room for paths the CA commands build. */
#define PL_CA_PATH_MAX 4096

/* Names (DNS names and IP addresses) accepted on one command line. */
#define PL_CA_MAX_NAMES 100

/* The CA directory: dir_opt (--dir) if given, else $PADLOCK_CAROOT, else
 * $XDG_DATA_HOME/padlock, else $HOME/.local/share/padlock. */
int pl_ca_dir(const char *cmd, const char *dir_opt, char out[PL_CA_PATH_MAX]);

/* The paths of the CA certificate (ca.pem) and key (ca-key.pem) in dir. */
int pl_ca_paths(const char *cmd, const char *dir, char cert[PL_CA_PATH_MAX],
                char key[PL_CA_PATH_MAX]);

/* The local CA, loaded and checked: a CA certificate, valid now, with its private key. */
typedef struct pl_ca {
    padlock_cert *cert;
    padlock_key *key;
    char cert_path[PL_CA_PATH_MAX];
    char key_path[PL_CA_PATH_MAX];
} pl_ca;

/* Loads the CA of the directory pl_ca_dir picks. Exit 2 when there is none ("run 'padlock
 * cert ca'"), it cannot be read, or key and certificate do not belong together; exit 1 when it
 * has expired. Release with pl_ca_cleanup (also after a failure). */
int pl_ca_load(const char *cmd, const char *dir_opt, pl_ca *out);
void pl_ca_cleanup(pl_ca *ca);

/* The key-type options --rsa BITS and --ed25519 (default ECDSA P-256). */
typedef struct pl_key_choice {
    const char *rsa; /* --rsa's value, NULL if not given */
    int ed25519;
} pl_key_choice;

/* Checks the choice once all options are read: not both, and RSA of 2048, 3072 or 4096 bits. */
int pl_key_choice_check(const char *cmd, const pl_key_choice *c);

/* Generates the chosen (checked) key. */
int pl_key_choice_generate(const char *cmd, const pl_key_choice *c, padlock_key **out);

/* The DNS names and IP addresses a certificate or request is for, in command-line order
 * within each kind. */
typedef struct pl_ca_names {
    const char *dns[PL_CA_MAX_NAMES];
    size_t num_dns;
    const char *ips[PL_CA_MAX_NAMES];
    size_t num_ips;
    const char *first; /* the first name given: the subject's CN and the default file name */
} pl_ca_names;

/* Adds a positional NAME (an IP address literal counts as an IP address) or an --ip value. */
int pl_ca_names_add(const char *cmd, pl_ca_names *n, const char *name, int is_ip);

/* Checks the names (at least one; each valid and given once) and fills out for issuing:
 * subject CN = the first name when it fits (64 characters), else an empty subject. A bad name
 * is a usage error (exit 2) from the command line, or refuses source (exit 1) when the names
 * come from a file (source names it). */
int pl_ca_names_finish(const char *cmd, pl_ca_names *n, padlock_cert_names *out,
                       const char *source);

/* What the command lines of cert issue and cert csr share: NAME... and --ip ADDR, --rsa BITS
 * and --ed25519, --out FILE, --key-out FILE, --force. */
typedef struct pl_ca_leaf_args {
    pl_ca_names names;
    pl_key_choice key;
    const char *out;     /* --out, or NULL */
    const char *key_out; /* --key-out, or NULL */
    int force;
} pl_ca_leaf_args;

/* Reads argv (pl_cli_parse, cli.h) for cert issue or cert csr: the shared options into *a
 * (which the caller has cleared), the command's own options as the table own describes (ended by
 * PL_CLI_END). Returns PL_CLI_OK, PL_CLI_USAGE or PL_CLI_HELP; the key choice is not checked
 * yet (pl_key_choice_check). */
int pl_ca_leaf_parse(const char *cmd, const char *help, const pl_cli_opt *own, int argc,
                     char **argv, pl_ca_leaf_args *a);

/* The output paths of a leaf command: --out, else ./<first name><suffix>; --key-out, else
 * ./<first name>-key.pem. */
void pl_ca_leaf_paths(const pl_ca_leaf_args *a, const char *suffix, char out[PL_CA_PATH_MAX],
                      char key_out[PL_CA_PATH_MAX]);

/* ./<first name><suffix>, the name made file-safe as mkcert does ("*" -> "_wildcard",
 * ":" -> "_"). */
void pl_ca_default_path(const char *first, const char *suffix, char out[PL_CA_PATH_MAX]);

/* Exit 1 if path exists and force is not set ("use --force"), else PL_CLI_OK. */
int pl_ca_check_absent(const char *cmd, const char *path, int force);

/* Reports a failed write of path: exit 1 for PADLOCK_E_FILE_EXISTS, else 2. */
int pl_ca_write_error(const char *cmd, const char *what, const char *path, padlock_err rc);

/* Writes a new key to key_path, then its certificate to cert_path (replacing existing files
 * when force is set); a certificate that cannot be written takes the key file with it (no key
 * without its certificate). Messages say "CA key" and "CA certificate" when ca is set, else
 * "key" and "certificate". Returns PL_CLI_OK or pl_ca_write_error's exit code. */
int pl_ca_write_key_cert(const char *cmd, int ca, const padlock_key *key, const char *key_path,
                         const padlock_cert *cert, const char *cert_path, int force);

/* --days N for a leaf: 1..825. */
int pl_ca_parse_days(const char *cmd, const char *text, unsigned *out);

/* Prints "  DNS:a, IP:b" style list of a certificate's names. */
void pl_ca_print_sans(const padlock_cert *cert);

#endif
