/* The option tables of the padlock command (tools/padlock/cli.c, linked in directly): every
 * kind of option in both value forms, aliases, operands (one, many, none), --help, the
 * messages of each usage error, and that parsing stops at the first error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "testlib.h"

/* What one command line set, and what pl_cli_parse printed. */
typedef struct result {
    int code;
    int force, quiet, port;
    const char *out;
    const char *file;
    const char *calls[8]; /* "opt=value" for every call, operands as "=value" */
    int num_calls;
    char texts[8][64];
    char printed_out[4096];
    char printed_err[4096];
} result;

static result g_r;

static int record(const char *cmd, const char *opt, const char *value, void *target) {
    result *r = target;
    assert_string_equal(cmd, "demo");
    if (strcmp(value, "refuse") == 0) {
        return pl_cli_usage_error(cmd, "%s refused", value);
    }
    snprintf(r->texts[r->num_calls], sizeof(r->texts[0]), "%s=%s", opt != NULL ? opt : "", value);
    r->calls[r->num_calls] = r->texts[r->num_calls];
    r->num_calls++;
    return PL_CLI_OK;
}

enum { ONE_OPERAND, EACH_OPERAND, NO_OPERAND, DASH_OPERAND };

/* Standard output and error redirected to temporary files while a call runs. */
typedef struct capture {
    FILE *out, *err;
    int saved_out, saved_err;
} capture;

static void capture_begin(capture *c) {
    c->out = tmpfile();
    c->err = tmpfile();
    assert_non_null(c->out);
    assert_non_null(c->err);
    fflush(stdout);
    fflush(stderr);
    c->saved_out = dup(1);
    c->saved_err = dup(2);
    dup2(fileno(c->out), 1);
    dup2(fileno(c->err), 2);
}

/* Reads a capture file back into buf (NUL-terminated) and closes it. */
static void read_back(FILE *f, char *buf, size_t cap) {
    rewind(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Restores stdout and stderr; what was printed goes to out and err. */
static void capture_end(capture *c, char *out, size_t out_cap, char *err, size_t err_cap) {
    fflush(stdout);
    fflush(stderr);
    dup2(c->saved_out, 1);
    dup2(c->saved_err, 2);
    close(c->saved_out);
    close(c->saved_err);
    read_back(c->out, out, out_cap);
    read_back(c->err, err, err_cap);
}

/* Parses the words of line (split at spaces) as command "demo" with the given operand rule. */
static int parse(int operands, const char *line) {
    static char copy[1024];
    char *argv[32] = {"demo"};
    int argc = 1;
    snprintf(copy, sizeof(copy), "%s", line);
    for (char *w = strtok(copy, " "); w != NULL && argc < 31; w = strtok(NULL, " ")) {
        argv[argc++] = w;
    }
    memset(&g_r, 0, sizeof(g_r));
    g_r.port = 8443;
    const pl_cli_opt opts[] = {
        PL_CLI_FLAG_OPT("--force", &g_r.force), PL_CLI_FLAG_ALIAS("-q", "--quiet", &g_r.quiet),
        PL_CLI_STRING_OPT("--out", &g_r.out),
        PL_CLI_NUMBER_OPT("--port", &g_r.port, "a port number", 0, 65535), PL_CLI_END};
    const pl_cli_opt shared[] = {PL_CLI_CALL_OPT("--add", record, &g_r), PL_CLI_END};
    pl_cli_syntax s = {.cmd = "demo", .help = "usage: demo [options]\n", .opts = opts};
    s.more_opts = shared;
    if (operands == EACH_OPERAND) {
        s.each_operand = record;
        s.each_target = &g_r;
    } else if (operands != NO_OPERAND) {
        s.operand = &g_r.file;
        s.operand_noun = "file";
        s.operand_missing = "no file given";
        s.dash_is_operand = operands == DASH_OPERAND;
    }
    capture c;
    capture_begin(&c);
    g_r.code = pl_cli_parse(&s, argc, argv);
    capture_end(&c, g_r.printed_out, sizeof(g_r.printed_out), g_r.printed_err,
                sizeof(g_r.printed_err));
    return g_r.code;
}

/* A usage error: exit 2, exactly this message and the hint, nothing on stdout. */
static void expect_usage(int operands, const char *line, const char *message) {
    char want[512];
    snprintf(want, sizeof(want), "padlock demo: %s\n(run 'padlock demo --help' for usage)\n",
             message);
    if (parse(operands, line) != PL_CLI_USAGE || strcmp(g_r.printed_err, want) != 0) {
        fail_msg("'%s': code %d, stderr:\n%s\nexpected code 2 and:\n%s", line, g_r.code,
                 g_r.printed_err, want);
    }
    assert_string_equal(g_r.printed_out, "");
}

static void test_every_kind(void **state) {
    (void)state;
    assert_int_equal(parse(ONE_OPERAND, "--force -q --out a --port=0 --add x --add=y f.pem"),
                     PL_CLI_OK);
    assert_int_equal(g_r.force, 1);
    assert_int_equal(g_r.quiet, 1);
    assert_string_equal(g_r.out, "a");
    assert_int_equal(g_r.port, 0);
    assert_int_equal(g_r.num_calls, 2);
    assert_string_equal(g_r.calls[0], "--add=x");
    assert_string_equal(g_r.calls[1], "--add=y");
    assert_string_equal(g_r.file, "f.pem");
    assert_string_equal(g_r.printed_err, "");
    assert_string_equal(g_r.printed_out, "");
}

/* Defaults stay when an option is not given; the last value of an option wins; a value may
 * look like an option or be empty. */
static void test_values(void **state) {
    (void)state;
    assert_int_equal(parse(ONE_OPERAND, "f --out=1 --quiet --out 2 --port 65535"), PL_CLI_OK);
    assert_int_equal(g_r.force, 0);
    assert_int_equal(g_r.quiet, 1);
    assert_string_equal(g_r.out, "2");
    assert_int_equal(g_r.port, 65535);
    assert_int_equal(parse(ONE_OPERAND, "f"), PL_CLI_OK);
    assert_int_equal(g_r.port, 8443);
    assert_null(g_r.out);

    assert_int_equal(parse(ONE_OPERAND, "--out --force f"), PL_CLI_OK);
    assert_string_equal(g_r.out, "--force");
    assert_int_equal(g_r.force, 0);
    assert_int_equal(parse(ONE_OPERAND, "--out= f"), PL_CLI_OK);
    assert_string_equal(g_r.out, "");
}

static void test_bad_options(void **state) {
    (void)state;
    expect_usage(ONE_OPERAND, "f --bogus", "unknown option --bogus");
    expect_usage(ONE_OPERAND, "f --force=1", "unknown option --force=1");
    assert_int_equal(g_r.force, 0); /* a flag takes no value */
    expect_usage(ONE_OPERAND, "f --outx", "unknown option --outx");
    expect_usage(ONE_OPERAND, "f --out", "option --out needs a value");
    assert_null(g_r.out);
    expect_usage(ONE_OPERAND, "f --add", "option --add needs a value");
    assert_int_equal(g_r.num_calls, 0);
    const char *bad_ports[] = {"65536", "-1", "8x", "", "+1", "1.5"};
    for (size_t i = 0; i < sizeof(bad_ports) / sizeof(bad_ports[0]); i++) {
        char line[64], message[128];
        snprintf(line, sizeof(line), "f --port=%s", bad_ports[i]);
        snprintf(message, sizeof(message), "--port must be a port number from 0 to 65535, not '%s'",
                 bad_ports[i]);
        expect_usage(ONE_OPERAND, line, message);
        assert_int_equal(g_r.port, 8443);
    }
    /* Parsing stops at the first error: a refused value, an unknown option. */
    expect_usage(ONE_OPERAND, "--add a --add refuse --force --bogus", "refuse refused");
    assert_int_equal(g_r.num_calls, 1);
    assert_int_equal(g_r.force, 0);
    expect_usage(ONE_OPERAND, "--bogus --port 99999", "unknown option --bogus");
    expect_usage(ONE_OPERAND, "--port 99999 --bogus",
                 "--port must be a port number from 0 to 65535, not '99999'");
}

static void test_operands(void **state) {
    (void)state;
    expect_usage(ONE_OPERAND, "--force", "no file given");
    assert_int_equal(g_r.force, 1);
    expect_usage(ONE_OPERAND, "a b", "more than one file given (a, b)");
    assert_string_equal(g_r.file, "a");
    expect_usage(ONE_OPERAND, "a -", "unknown option -");
    assert_int_equal(parse(DASH_OPERAND, "-"), PL_CLI_OK);
    assert_string_equal(g_r.file, "-");
    expect_usage(DASH_OPERAND, "-x", "unknown option -x");
    expect_usage(NO_OPERAND, "--force a", "unexpected argument 'a'");
    assert_int_equal(parse(NO_OPERAND, "--force"), PL_CLI_OK);

    assert_int_equal(parse(EACH_OPERAND, "a --add b c"), PL_CLI_OK);
    assert_int_equal(g_r.num_calls, 3);
    assert_string_equal(g_r.calls[0], "=a");
    assert_string_equal(g_r.calls[1], "--add=b");
    assert_string_equal(g_r.calls[2], "=c");
    assert_int_equal(parse(EACH_OPERAND, ""), PL_CLI_OK);
    assert_int_equal(g_r.num_calls, 0);
    expect_usage(EACH_OPERAND, "a refuse c", "refuse refused");
    assert_int_equal(g_r.num_calls, 1);
}

static void test_help(void **state) {
    (void)state;
    const char *lines[] = {"--help", "-h", "--force --help --bogus", "--bogus2=1 -h"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(parse(ONE_OPERAND, lines[i]), PL_CLI_HELP);
        assert_string_equal(g_r.printed_out, "usage: demo [options]\n");
        assert_string_equal(g_r.printed_err, "");
    }
    /* Arguments before --help are read in order: an error there comes first. */
    expect_usage(ONE_OPERAND, lines[3], "unknown option --bogus2=1");
    /* "--help" as the value of an option is that value. */
    assert_int_equal(parse(ONE_OPERAND, "--out --help f"), PL_CLI_OK);
    assert_string_equal(g_r.out, "--help");
}

/* A repeatable option's list, and the message when it is full. */
static void test_append(void **state) {
    (void)state;
    const char *values[2];
    int num = 0;
    pl_cli_list list = {values, &num, 2};
    assert_int_equal(pl_cli_append("demo", "--cafile", "a", &list), PL_CLI_OK);
    assert_int_equal(pl_cli_append("demo", "--cafile", "b", &list), PL_CLI_OK);
    assert_int_equal(num, 2);
    assert_string_equal(values[0], "a");
    assert_string_equal(values[1], "b");
    capture c;
    char out[512], err[512];
    capture_begin(&c);
    int code = pl_cli_append("demo", "--cafile", "c", &list);
    capture_end(&c, out, sizeof(out), err, sizeof(err));
    assert_int_equal(code, PL_CLI_USAGE);
    assert_int_equal(num, 2);
    assert_string_equal(out, "");
    assert_string_equal(err, "padlock demo: at most 2 --cafile options\n(run 'padlock demo "
                             "--help' for usage)\n");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kind),  cmocka_unit_test(test_values),
        cmocka_unit_test(test_bad_options), cmocka_unit_test(test_operands),
        cmocka_unit_test(test_help),        cmocka_unit_test(test_append),
    };
    return cmocka_run_group_tests_name("padlock command options", tests, NULL, NULL);
}
