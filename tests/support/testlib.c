/* Helpers shared by padlock's test programs. */
#include "testlib.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *pl_test_env(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return (v != NULL && v[0] != '\0') ? v : fallback;
}

const char *pl_test_shared_dir(void) {
    return pl_test_env("PL_SHARED_DIR", "../shared");
}

const char *pl_test_source_dir(void) {
    return pl_test_env("PL_SOURCE_DIR", ".");
}

const char *pl_test_binary_dir(void) {
    return pl_test_env("PL_BINARY_DIR", ".");
}

const char *pl_test_tmpdir(void) {
    static char path[4096];
    if (path[0] == '\0') {
        char base[3072];
        snprintf(base, sizeof(base), "%s/testtmp", pl_test_binary_dir());
        mkdir(base, 0700);
        snprintf(path, sizeof(path), "%s/tmp.XXXXXX", base);
        if (mkdtemp(path) == NULL) {
            fprintf(stderr, "mkdtemp %s: %s\n", path, strerror(errno));
            abort();
        }
    }
    return path;
}

int pl_test_hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

uint8_t *pl_test_unhex(const char *hex, size_t *out_len) {
    size_t n = strlen(hex);
    if (n % 2 != 0) {
        return NULL;
    }
    uint8_t *out = malloc(n / 2 + 1);
    if (out == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < n / 2; i++) {
        int hi = pl_test_hex_digit(hex[2 * i]);
        int lo = pl_test_hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(out);
            return NULL;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *out_len = n / 2;
    return out;
}

uint8_t *pl_test_read_file(const char *path, size_t *out_len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 4096;
    size_t len = 0;
    uint8_t *buf = malloc(cap + 1);
    while (buf != NULL) {
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (len < cap) {
            break;
        }
        cap *= 2;
        uint8_t *grown = realloc(buf, cap + 1);
        if (grown == NULL) {
            free(buf);
            buf = NULL;
        }
        buf = grown;
    }
    fclose(f);
    if (buf != NULL) {
        buf[len] = '\0';
        *out_len = len;
    }
    return buf;
}

int pl_test_write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return -1;
    }
    size_t n = fwrite(data, 1, len, f);
    return (fclose(f) == 0 && n == len) ? 0 : -1;
}

int pl_test_for_each_seed(const char *target,
                          void (*fn)(void *ctx, const char *name, const uint8_t *data, size_t len),
                          void *ctx) {
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/fuzz/corpus/%s", pl_test_source_dir(), target);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int seeds = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char path[8192];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        size_t len;
        uint8_t *data = pl_test_read_file(path, &len);
        assert_non_null(data);
        fn(ctx, e->d_name, data, len);
        free(data);
        seeds++;
    }
    closedir(d);
    return seeds;
}

int pl_test_copy_flipped(const char *dir, const char *in, const char *out, size_t back) {
    char path[4400];
    snprintf(path, sizeof(path), "%s/%s", dir, in);
    size_t len = 0;
    uint8_t *data = pl_test_read_file(path, &len);
    if (data == NULL || back == 0 || back > len) {
        free(data);
        return -1;
    }
    data[len - back] ^= 0x01;
    snprintf(path, sizeof(path), "%s/%s", dir, out);
    int rc = pl_test_write_file(path, data, len);
    free(data);
    return rc;
}

static int pl_test_status(int status) {
    if (status == -1) {
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int pl_test_sh(const char *fmt, ...) {
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    fflush(stdout);
    return pl_test_status(system(cmd));
}

int pl_test_sh_capture(char **out, const char *fmt, ...) {
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    *out = NULL;
    FILE *p = popen(cmd, "r");
    if (p == NULL) {
        return -1;
    }
    size_t cap = 4096;
    size_t len = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        size_t n = fread(buf + len, 1, cap - len - 1, p);
        len += n;
        if (n == 0) {
            break;
        }
        if (cap - len < 2) {
            cap *= 2;
            char *grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
            }
            buf = grown;
        }
    }
    int status = pl_test_status(pclose(p));
    if (buf != NULL) {
        buf[len] = '\0';
    }
    *out = buf;
    return status;
}

/* Copies the file at path into out (cap bytes, NUL-terminated); "" when unreadable. */
static void pl_test_slurp(const char *path, char *out, size_t cap) {
    size_t len;
    uint8_t *data = pl_test_read_file(path, &len);
    snprintf(out, cap, "%s", data != NULL ? (const char *)data : "");
    free(data);
}

int pl_test_padlock(pl_test_run *r, const char *dir, const char *env, const char *args) {
    const char *tmp = pl_test_tmpdir();
    r->status = pl_test_sh("cd '%s' && %s '%s/padlock' %s >'%s/padlock.out' 2>'%s/padlock.err'",
                           dir, env, pl_test_binary_dir(), args, tmp, tmp);
    char path[4200];
    snprintf(path, sizeof(path), "%s/padlock.out", tmp);
    pl_test_slurp(path, r->out, sizeof(r->out));
    snprintf(path, sizeof(path), "%s/padlock.err", tmp);
    pl_test_slurp(path, r->err, sizeof(r->err));
    return r->status;
}

int pl_test_padlockf(pl_test_run *r, const char *dir, const char *env, const char *fmt, ...) {
    char args[4096], full[4200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof(args), fmt, ap);
    va_end(ap);
    /* The first redirection of standard input; one in args comes later and wins. */
    snprintf(full, sizeof(full), "</dev/null %s", args);
    return pl_test_padlock(r, dir, env, full);
}

void pl_test_sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

size_t pl_test_split_words(char *line, char **words, size_t max) {
    size_t n = 0;
    char *save = NULL;
    for (char *w = strtok_r(line, " ", &save); w != NULL && n + 1 < max;
         w = strtok_r(NULL, " ", &save)) {
        words[n++] = w;
    }
    words[n] = NULL;
    return n;
}

void pl_test_padlock_cases(pl_test_run *r, const char *dir, const char *env, int status,
                           const pl_test_cli_case *cases, size_t num, int quiet) {
    for (size_t i = 0; i < num; i++) {
        pl_test_padlockf(r, dir, env, "%s", cases[i].args);
        if (r->status != status || strstr(r->err, cases[i].err) == NULL) {
            fail_msg("padlock %s: exit %d, stderr \"%s\"; expected %d and \"%s\"", cases[i].args,
                     r->status, r->err, status, cases[i].err);
        }
        if (quiet && r->out[0] != '\0') {
            fail_msg("padlock %s: printed \"%s\" on stdout", cases[i].args, r->out);
        }
    }
}

void pl_test_apply_filter(void) {
    const char *filter = getenv("PL_TEST_FILTER");
    if (filter != NULL) {
        cmocka_set_test_filter(filter);
    }
}

void pl_test_expect_err(const pl_test_run *r, const char *part) {
    if (strstr(r->err, part) == NULL) {
        fail_msg("stderr does not contain \"%s\":\n%s", part, r->err);
    }
}

void pl_test_expect_usage(const pl_test_run *r, const char *cmd, const char *reason) {
    char hint[256];
    snprintf(hint, sizeof(hint), "(run 'padlock %s --help' for usage)", cmd);
    if (r->status != 2) {
        fail_msg("padlock %s: exit %d, expected 2 (usage error):\n%s", cmd, r->status, r->err);
    }
    pl_test_expect_err(r, reason);
    pl_test_expect_err(r, hint);
    assert_string_equal(r->out, "");
}

void pl_test_rng_seed(pl_test_rng *r, uint64_t seed) {
    r->state = seed;
}

padlock_err pl_test_rng_fill(void *ctx, uint8_t *out, size_t len) {
    pl_test_rng *r = ctx;
    for (size_t i = 0; i < len; i++) {
        if (i % 8 == 0) {
            r->state += 0x9e3779b97f4a7c15ULL;
        }
        uint64_t z = r->state;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        out[i] = (uint8_t)(z >> (8 * (i % 8)));
    }
    return PADLOCK_OK;
}
