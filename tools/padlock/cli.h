/* The padlock command: shared conventions of its subcommands (exit codes, option parsing,
 * messages) and the entry point of each subcommand. A subcommand is one file exporting one
 * pl_cli_* function, registered in the table of main.c. Subcommands use only the public API. */
#ifndef PL_TOOLS_CLI_H
#define PL_TOOLS_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "padlock/padlock.h"
#include "padlock/x509.h"

/* Exit codes shared by every subcommand. */
enum {
    PL_CLI_OK = 0,      /* success (e.g. the chain is valid) */
    PL_CLI_FAIL = 1,    /* the operation ran and said no (e.g. the chain is invalid) */
    PL_CLI_USAGE = 2,   /* bad usage or unusable input (unreadable file, bad PEM) */
    PL_CLI_NETWORK = 3, /* the network failed: unresolvable, refused, timed out, reset,
                           truncated */
};

/* ---- Options: each command describes its options in a table, pl_cli_parse reads argv ---- */

/* What an option does. */
typedef enum pl_cli_kind {
    PL_CLI_FLAG,   /* no value: sets the int at target to 1 */
    PL_CLI_STRING, /* a value: the const char * at target points to it (the last one wins) */
    PL_CLI_NUMBER, /* a value, a whole number from lo to hi (see pl_cli_number, what names the
                      unit in its message): stored in the int at target */
    PL_CLI_CALL,   /* a value, handed to call with target (repeatable options, choices) */
} pl_cli_kind;

/* Takes the value of option opt (or an operand, then opt is NULL) for command cmd. Returns
 * PL_CLI_OK, or prints "padlock <cmd>: ..." and returns another exit code (parsing stops with
 * PL_CLI_USAGE). */
typedef int (*pl_cli_call_fn)(const char *cmd, const char *opt, const char *value, void *target);

/* One option of a command. A value is given as "--name VALUE" or "--name=VALUE". */
typedef struct pl_cli_opt {
    const char *name;  /* "--cert"; NULL ends a table */
    const char *alias; /* another spelling ("-q" for "--quiet"), or NULL */
    pl_cli_kind kind;
    void *target;        /* where the option goes (see pl_cli_kind); not owned */
    pl_cli_call_fn call; /* PL_CLI_CALL */
    const char *what;    /* PL_CLI_NUMBER: "whole seconds" */
    long lo, hi;         /* PL_CLI_NUMBER: the range */
} pl_cli_opt;

/* The rows of an option table, with their targets' types checked: an int for a flag ("--force")
 * or one with another spelling ("-q", "--quiet"), a const char * for a string, an int for a
 * number (what, lo, hi as for pl_cli_number), anything call takes; PL_CLI_END ends a table. */
#define PL_CLI_FLAG_OPT(n, t)                                                                      \
    { .name = (n), .kind = PL_CLI_FLAG, .target = (1 ? (t) : (int *)0) }
#define PL_CLI_FLAG_ALIAS(a, n, t)                                                                 \
    { .name = (n), .alias = (a), .kind = PL_CLI_FLAG, .target = (1 ? (t) : (int *)0) }
#define PL_CLI_STRING_OPT(n, t)                                                                    \
    { .name = (n), .kind = PL_CLI_STRING, .target = (1 ? (t) : (const char **)0) }
#define PL_CLI_NUMBER_OPT(n, t, w, l, h)                                                           \
    {                                                                                              \
        .name = (n), .kind = PL_CLI_NUMBER, .target = (1 ? (t) : (int *)0), .what = (w),           \
        .lo = (l), .hi = (h)                                                                       \
    }
#define PL_CLI_CALL_OPT(n, fn, t)                                                                  \
    { .name = (n), .kind = PL_CLI_CALL, .target = (t), .call = (fn) }
#define PL_CLI_END                                                                                 \
    { .name = NULL }

/* A command's syntax: its options and its operands (the arguments that are not options). */
typedef struct pl_cli_syntax {
    const char *cmd;             /* the command as messages name it: "cert sign" */
    const char *help;            /* printed to stdout for --help or -h */
    const pl_cli_opt *opts;      /* the table, ended by PL_CLI_END */
    const pl_cli_opt *more_opts; /* options several commands share, or NULL */
    /* Operands go to each_operand if set (any number); else to *operand if set (at most one:
     * "more than one <operand_noun> given (A, B)"; none is "<operand_missing>" when that is
     * set); else any operand is "unexpected argument 'X'". */
    pl_cli_call_fn each_operand;
    void *each_target;
    const char **operand;
    const char *operand_noun;
    const char *operand_missing;
    int dash_is_operand; /* a lone "-" is an operand, not an unknown option */
} pl_cli_syntax;

/* pl_cli_parse's result when it printed the help: the command ends with PL_CLI_OK. */
#define PL_CLI_HELP (-1)

/* Reads argv[1..argc) as syntax s describes, in order, stopping at the first error (its
 * message printed: unknown option, missing or bad value, unexpected or missing operand) or at
 * --help. Targets not given keep their values; string targets point into argv. Returns
 * PL_CLI_OK, PL_CLI_USAGE, or PL_CLI_HELP after printing the help. */
int pl_cli_parse(const pl_cli_syntax *s, int argc, char **argv);

/* The exit code of a command whose pl_cli_parse did not return PL_CLI_OK: PL_CLI_OK after
 * --help (PL_CLI_HELP), else code itself. */
int pl_cli_parse_exit(int code);

/* The values of a repeatable option (pl_cli_append's target): room for max in values, of which
 * *num are taken. The values point into argv. */
typedef struct pl_cli_list {
    const char **values;
    int *num;
    int max;
} pl_cli_list;

/* A pl_cli_call_fn for repeatable options: appends value to the pl_cli_list at target.
 * Returns PL_CLI_OK, or prints "padlock <cmd>: at most <max> <opt> options" and returns
 * PL_CLI_USAGE when it is full. */
int pl_cli_append(const char *cmd, const char *opt, const char *value, void *target);

/* Prints "padlock <cmd>: <message>" and a hint to run --help to stderr; returns PL_CLI_USAGE. */
int pl_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads the value text of option opt as a whole number from lo to hi (decimal digits only: no
 * sign, space or fraction). Returns PL_CLI_OK with *out set, or prints "padlock <cmd>: <opt>
 * must be <what> from <lo> to <hi>, not '<text>'" and returns PL_CLI_USAGE. */
int pl_cli_number(const char *cmd, const char *opt, const char *text, const char *what, long lo,
                  long hi, long *out);

/* Writes n octets as colon-separated upper-case hex ("0A:1B") into out (cap bytes, NUL
 * terminated; cut short when it does not fit). */
void pl_cli_hex(const uint8_t *p, size_t n, char *out, size_t cap);

/* Words for key types and subjectAltName entries, as padlock cert show and padlock client
 * print them: the JSON identifier ("ec-p256", "rsa", "unknown"), the text ("EC P-256",
 * "RSA 2048 bits"), the JSON type of an entry ("dns", "ip") and its text prefix ("DNS", "IP"). */
const char *pl_cli_key_id(padlock_key_type t);
void pl_cli_key_text(padlock_key_type t, unsigned bits, char *out, size_t cap);
const char *pl_cli_san_id(padlock_san_type t);
const char *pl_cli_san_prefix(padlock_san_type t);

/* Why a certificate signing request was refused, in words, for the refusals of
 * padlock_csr_from_file (bad signature, weak or unsupported algorithm); padlock_strerror for
 * other errors. */
const char *pl_cli_csr_refusal(padlock_err rc);

/* Subcommands: argv[0] is the subcommand's name, the options follow. They return an exit
 * code. */
int pl_cli_cert_verify(int argc, char **argv);
int pl_cli_cert_ca(int argc, char **argv);
int pl_cli_cert_issue(int argc, char **argv);
int pl_cli_cert_csr(int argc, char **argv);
int pl_cli_cert_sign(int argc, char **argv);
int pl_cli_cert_show(int argc, char **argv);
int pl_cli_client(int argc, char **argv);
int pl_cli_server(int argc, char **argv);

#endif
