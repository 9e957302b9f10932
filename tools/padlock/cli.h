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

/* Matches argv[*i] against a long option that takes a value, in either the "--name VALUE" or
 * the "--name=VALUE" form. Returns 1 and sets *value (advancing *i past a separate value) on a
 * match, 0 if argv[*i] is another argument, and -1 (after printing a usage error for cmd) when
 * the value is missing. */
int pl_cli_option(const char *cmd, int argc, char **argv, int *i, const char *name,
                  const char **value);

/* Prints "padlock <cmd>: <message>" and a hint to run --help to stderr; returns PL_CLI_USAGE. */
int pl_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reads the value text of option opt as a whole number from lo to hi (decimal digits only: no
 * sign, space or fraction). Returns PL_CLI_OK with *out set, or prints "padlock <cmd>: <opt>
 * must be <what> from <lo> to <hi>, not '<text>'" and returns PL_CLI_USAGE. */
int pl_cli_number(const char *cmd, const char *opt, const char *text, const char *what, long lo,
                  long hi, long *out);

/* 1 if argv[i] is --help or -h. */
int pl_cli_is_help(const char *arg);

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
