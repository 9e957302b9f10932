/* The padlock command-line tool: dispatches "padlock <command> [<subcommand>] ..." to the
 * subcommand files. Adding a command is one file plus one line in the table below. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "padlock/padlock.h"

typedef struct pl_cli_command {
    const char *group; /* "cert" for "padlock cert verify"; NULL for top-level commands */
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} pl_cli_command;

static const pl_cli_command pl_commands[] = {
    {NULL, "client", pl_cli_client, "connect to a TLS server, show the session, relay stdin"},
    {NULL, "server", pl_cli_server, "serve a directory over HTTPS, or echo, with a log line per "
                                    "connection"},
    {"cert", "verify", pl_cli_cert_verify, "verify a certificate chain against trusted roots"},
    {"cert", "ca", pl_cli_cert_ca, "create a local certificate authority"},
    {"cert", "issue", pl_cli_cert_issue, "issue a key and certificate from the local CA"},
    {"cert", "csr", pl_cli_cert_csr, "write a key and certificate signing request"},
    {"cert", "sign", pl_cli_cert_sign, "issue a certificate for a signing request"},
    {"cert", "show", pl_cli_cert_show, "print certificates, requests and keys in a file"},
};

#define PL_NUM_COMMANDS (sizeof(pl_commands) / sizeof(pl_commands[0]))

static void pl_usage(FILE *out) {
    fprintf(out, "usage: padlock <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < PL_NUM_COMMANDS; i++) {
        char full[64];
        snprintf(full, sizeof(full), "%s%s%s", pl_commands[i].group ? pl_commands[i].group : "",
                 pl_commands[i].group ? " " : "", pl_commands[i].name);
        fprintf(out, "  %-20s %s\n", full, pl_commands[i].summary);
    }
    fprintf(out, "\nRun 'padlock <command> --help' for a command's options.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        pl_usage(stderr);
        return PL_CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        pl_usage(stdout);
        return PL_CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("padlock %s\n", PL_TOOL_VERSION);
        return PL_CLI_OK;
    }
    for (size_t i = 0; i < PL_NUM_COMMANDS; i++) {
        const pl_cli_command *c = &pl_commands[i];
        if (c->group == NULL && strcmp(argv[1], c->name) == 0) {
            return c->run(argc - 1, argv + 1);
        }
        if (c->group != NULL && strcmp(argv[1], c->group) == 0 && argc >= 3 &&
            strcmp(argv[2], c->name) == 0) {
            return c->run(argc - 2, argv + 2);
        }
    }
    fprintf(stderr, "padlock: unknown command '%s%s%s'\n\n", argv[1], argc >= 3 ? " " : "",
            argc >= 3 ? argv[2] : "");
    pl_usage(stderr);
    return PL_CLI_USAGE;
}
