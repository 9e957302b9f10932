/* Helpers shared by the padlock subcommands: long options and usage errors. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
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

int pl_cli_usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "padlock %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(run 'padlock %s --help' for usage)\n", cmd);
    va_end(ap);
    return PL_CLI_USAGE;
}
