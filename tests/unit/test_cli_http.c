/* The HTTP pieces of `padlock server --www`, linked in directly: the request head parser
 * (RFC 9112) on valid, incomplete and malformed heads, with every refusal's status; the path
 * decoding (percent-encoding, "..", NUL, absolute-form); resolution under a root with symbolic
 * links, directories, FIFOs and hidden files; the Content-Type table; and the parser and
 * decoder fed mutated requests, which must never read out of bounds (ASan build). */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"
#include "testlib.h"

static pl_http_parse_result parse(const char *text, pl_http_request *r) {
    return pl_http_parse((const uint8_t *)text, strlen(text), r);
}

static void expect_bad(const char *text, int status, const char *reason) {
    pl_http_request r;
    if (parse(text, &r) != PL_HTTP_BAD || r.status != status ||
        (reason != NULL && strcmp(r.reason, reason) != 0)) {
        fail_msg("%s: status %d (%s), expected %d (%s)", text, r.status, r.reason ? r.reason : "-",
                 status, reason ? reason : "-");
    }
}

static void test_parse_valid(void **state) {
    (void)state;
    pl_http_request r;
    const char *req = "GET /a/b?c=d HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\nNEXT";
    assert_int_equal(parse(req, &r), PL_HTTP_DONE);
    assert_string_equal(r.method, "GET");
    assert_int_equal(r.target_len, 8);
    assert_memory_equal(r.target, "/a/b?c=d", 8);
    assert_int_equal(r.minor, 1);
    assert_true(r.keep_alive);
    assert_false(r.has_body);
    assert_int_equal(r.head_len, strlen(req) - 4);
    /* Bare LF line ends and leading empty lines (RFC 9112 §2.2). */
    assert_int_equal(parse("\r\n\nHEAD / HTTP/1.1\nhost:x\n\n", &r), PL_HTTP_DONE);
    assert_string_equal(r.method, "HEAD");
    /* Persistence. */
    assert_int_equal(
        parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: Keep-Alive, CLOSE\r\n\r\n", &r),
        PL_HTTP_DONE);
    assert_false(r.keep_alive);
    assert_int_equal(parse("GET / HTTP/1.0\r\n\r\n", &r), PL_HTTP_DONE);
    assert_int_equal(r.minor, 0);
    assert_false(r.keep_alive);
    assert_int_equal(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &r), PL_HTTP_DONE);
    assert_true(r.keep_alive);
    assert_int_equal(parse("GET / HTTP/1.9\r\nHost: x\r\n\r\n", &r), PL_HTTP_DONE);
    assert_int_equal(r.minor, 1);
    /* A body is never read, so the connection closes after it. */
    assert_int_equal(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n", &r),
                     PL_HTTP_DONE);
    assert_true(r.has_body);
    assert_false(r.keep_alive);
    assert_int_equal(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                           "Content-Length: 0\r\n\r\n",
                           &r),
                     PL_HTTP_DONE);
    assert_false(r.has_body);
    assert_true(r.keep_alive);
    assert_int_equal(parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", &r),
                     PL_HTTP_DONE);
    assert_true(r.has_body);
}

static void test_parse_incomplete(void **state) {
    (void)state;
    const char *full = "GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n";
    pl_http_request r;
    for (size_t n = 0; n < strlen(full); n++) {
        if (pl_http_parse((const uint8_t *)full, n, &r) != PL_HTTP_INCOMPLETE) {
            fail_msg("%zu bytes: not incomplete", n);
        }
    }
    assert_int_equal(parse(full, &r), PL_HTTP_DONE);
}

static void test_parse_refused(void **state) {
    (void)state;
    expect_bad("GET / HTTP/1.1\r\n\r\n", 400, "no Host header field");
    expect_bad("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 400, "more than one Host");
    expect_bad("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400, "more than one Host");
    expect_bad("GET /\r\n\r\n", 400, "malformed request line");
    expect_bad("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "malformed request line");
    expect_bad("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400, "malformed request line");
    expect_bad("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400, "malformed request line");
    expect_bad("GET / HTTQ/1.1\r\nHost: a\r\n\r\n", 400, "malformed request line");
    expect_bad("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, NULL);
    expect_bad("GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505, NULL);
    expect_bad("GET /\x7f HTTP/1.1\r\nHost: a\r\n\r\n", 400,
               "request target with a space or a non-ASCII byte");
    expect_bad("GET / HTTP/1.1\rHost: a\r\n\r\n", 400, "CR without LF");
    expect_bad("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, "malformed header field");
    expect_bad("GET / HTTP/1.1\r\nHost a\r\n\r\n", 400, "malformed header field");
    expect_bad("GET / HTTP/1.1\r\n: a\r\nHost: a\r\n\r\n", 400, "malformed header field");
    expect_bad("GET / HTTP/1.1\r\nHost: a\r\n\tfolded\r\n\r\n", 400,
               "obsolete line folding in a header field");
    expect_bad("GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n", 400, "control character in a header field");
    expect_bad("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", 400,
               "invalid Content-Length");
    expect_bad("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400,
               "invalid Content-Length");
    expect_bad("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\n", 400,
               "invalid Content-Length");
    expect_bad("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", 400,
               "invalid Content-Length");
    expect_bad("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nTransfer-Encoding: x\r\n\r\n",
               400, "both Transfer-Encoding and Content-Length");
    expect_bad("AVERYLONGMETHODNAMETHATNOBODYUSES / HTTP/1.1\r\nHost: a\r\n\r\n", 501,
               "method name too long");
    /* Limits: 8 KiB of head, 100 fields. */
    static uint8_t big[PL_HTTP_HEAD_MAX];
    memset(big, 'a', sizeof(big));
    memcpy(big, "GET /", 5);
    pl_http_request r;
    assert_int_equal(pl_http_parse(big, sizeof(big), &r), PL_HTTP_BAD);
    assert_int_equal(r.status, 414);
    int n = snprintf((char *)big, sizeof(big), "GET / HTTP/1.1\r\nHost: a\r\nX: ");
    memset(big + n, 'b', sizeof(big) - (size_t)n);
    assert_int_equal(pl_http_parse(big, sizeof(big), &r), PL_HTTP_BAD);
    assert_int_equal(r.status, 431);
    assert_int_equal(pl_http_parse(big, sizeof(big) - 1, &r), PL_HTTP_INCOMPLETE);
    char many[4096];
    size_t o = (size_t)snprintf(many, sizeof(many), "GET / HTTP/1.1\r\nHost: a\r\n");
    for (int i = 0; i < PL_HTTP_MAX_FIELDS; i++) {
        o += (size_t)snprintf(many + o, sizeof(many) - o, "X%d: v\r\n", i);
    }
    snprintf(many + o, sizeof(many) - o, "\r\n");
    expect_bad(many, 431, "too many header fields");
}

static void expect_path(const char *target, const char *path, int dir) {
    char out[PL_HTTP_PATH_MAX + 1];
    int is_dir;
    const char *reason = NULL;
    pl_http_path_result r =
        pl_http_decode_path(target, strlen(target), out, sizeof(out), &is_dir, &reason);
    if (r != PL_PATH_FILE) {
        fail_msg("%s: refused (%s)", target, reason);
    }
    assert_string_equal(out, path);
    assert_int_equal(is_dir, dir);
}

static void expect_path_refused(const char *target, pl_http_path_result want, const char *reason) {
    char out[PL_HTTP_PATH_MAX + 1];
    int is_dir;
    const char *why = NULL;
    pl_http_path_result r =
        pl_http_decode_path(target, strlen(target), out, sizeof(out), &is_dir, &why);
    if (r != want || strcmp(why, reason) != 0) {
        fail_msg("%s: %d (%s), expected %d (%s)", target, r, why ? why : "-", want, reason);
    }
}

static void test_decode_path(void **state) {
    (void)state;
    expect_path("/", "", 1);
    expect_path("/index.html", "index.html", 0);
    expect_path("/a/b/", "a/b", 1);
    expect_path("//a///./b/.", "a/b", 1);
    expect_path("/a%20b/%41.txt?x=/../..#y", "a b/A.txt", 0);
    expect_path("/%2F%2fa", "a", 0);
    expect_path("/..a/b..", "..a/b..", 0);
    expect_path("https://example.com/x/y", "x/y", 0);
    expect_path("HTTP://example.com", "", 1);
    const char *dots = "\"..\" segment in the path";
    expect_path_refused("/../x", PL_PATH_BAD, dots);
    expect_path_refused("/a/../x", PL_PATH_BAD, dots);
    expect_path_refused("/a/..", PL_PATH_BAD, dots);
    expect_path_refused("/%2e%2e/x", PL_PATH_BAD, dots);
    expect_path_refused("/a%2F%2E%2E%2Fb", PL_PATH_BAD, dots);
    expect_path_refused("/.%2e", PL_PATH_BAD, dots);
    expect_path_refused("/a%00b", PL_PATH_BAD, "NUL byte in the path");
    expect_path_refused("/a%0", PL_PATH_BAD, "malformed percent-encoding in the path");
    expect_path_refused("/a%", PL_PATH_BAD, "malformed percent-encoding in the path");
    expect_path_refused("/a%g0", PL_PATH_BAD, "malformed percent-encoding in the path");
    expect_path_refused("*", PL_PATH_BAD, "request target is not a path");
    expect_path_refused("example.com:443", PL_PATH_BAD, "request target is not a path");
    expect_path_refused("ftp://x/y", PL_PATH_BAD, "request target is not a path");
    char longer[PL_HTTP_PATH_MAX + 16];
    longer[0] = '/';
    memset(longer + 1, 'a', sizeof(longer) - 2);
    longer[sizeof(longer) - 1] = '\0';
    expect_path_refused(longer, PL_PATH_TOO_LONG, "path too long");
}

/* A root with files, a directory with and without index.html, links in and out, a FIFO. */
static const char *make_root(char *outside, size_t cap) {
    static char root[4200];
    snprintf(root, sizeof(root), "%s/root", pl_test_tmpdir());
    snprintf(outside, cap, "%s/outside", pl_test_tmpdir());
    assert_int_equal(
        pl_test_sh("cd '%s' && rm -rf root outside && mkdir -p root/dir root/empty root/.hidden "
                   "outside && echo secret > outside/secret.txt && echo page > root/page.html "
                   "&& echo idx > root/dir/index.html && ln -s ../outside root/out && "
                   "ln -s ../outside/secret.txt root/leak.txt && ln -s page.html root/alias && "
                   "ln -s ../outside/secret.txt root/dir2 && mkfifo root/fifo && "
                   "echo h > root/.hidden/x && mkdir root/linkidx && "
                   "ln -s ../../outside/secret.txt root/linkidx/index.html && "
                   "ln -s loop1 root/loop2 && ln -s loop2 root/loop1",
                   pl_test_tmpdir()),
        0);
    char real[4200];
    assert_non_null(realpath(root, real));
    snprintf(root, sizeof(root), "%s", real);
    return root;
}

static pl_http_path_result resolve(const char *root, const char *target, pl_http_file *f) {
    pl_http_path_result r = pl_http_resolve(root, target, strlen(target), f);
    if (f->fd >= 0) {
        close(f->fd);
    }
    return r;
}

static void test_resolve(void **state) {
    (void)state;
    char outside[4200];
    const char *root = make_root(outside, sizeof(outside));
    pl_http_file f;
    assert_int_equal(resolve(root, "/page.html", &f), PL_PATH_FILE);
    assert_int_equal(f.size, 5);
    assert_string_equal(f.type, "text/html; charset=utf-8");
    assert_true(f.mtime > 0);
    assert_int_equal(resolve(root, "/dir/", &f), PL_PATH_FILE);
    assert_int_equal(f.size, 4);
    assert_int_equal(resolve(root, "/alias", &f), PL_PATH_FILE);
    assert_string_equal(f.type, "text/html; charset=utf-8"); /* the file served decides */
    assert_int_equal(resolve(root, "/dir", &f), PL_PATH_REDIRECT);
    assert_string_equal(f.location, "/dir/");
    assert_int_equal(resolve(root, "/", &f), PL_PATH_NOT_FOUND);
    assert_string_equal(f.reason, "directory without index.html");
    assert_int_equal(resolve(root, "/empty/", &f), PL_PATH_NOT_FOUND);
    const struct {
        const char *target;
        const char *reason;
    } gone[] = {
        {"/missing", "no such file"},
        {"/out/secret.txt", "resolves outside the served directory"},
        {"/out/", "resolves outside the served directory"},
        {"/leak.txt", "resolves outside the served directory"},
        {"/dir2", "resolves outside the served directory"},
        {"/linkidx/", "resolves outside the served directory"},
        {"/fifo", "not a regular file"},
        {"/.hidden/x", "hidden file (name starts with '.')"},
        {"/dir/.x", "hidden file (name starts with '.')"},
        {"/loop1", "symbolic link loop"},
        {"/page.html/x", "no such file"},
    };
    for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++) {
        pl_http_path_result r = resolve(root, gone[i].target, &f);
        if (r != PL_PATH_NOT_FOUND || strcmp(f.reason, gone[i].reason) != 0) {
            fail_msg("%s: %d (%s), expected 404 (%s)", gone[i].target, r, f.reason, gone[i].reason);
        }
    }
    assert_int_equal(resolve(root, "/../outside/secret.txt", &f), PL_PATH_BAD);
    /* A root of "/" takes every absolute path as inside. */
    assert_int_equal(resolve("/", "/etc/hostname", &f), PL_PATH_FILE);
    /* A root that is a prefix of a sibling's name does not take the sibling in. */
    char sibling[4300];
    snprintf(sibling, sizeof(sibling), "%s-sibling", root);
    assert_int_equal(pl_test_sh("mkdir -p '%s' && echo s > '%s/s.txt' && ln -sf '%s/s.txt' "
                                "'%s/sib'",
                                sibling, sibling, sibling, root),
                     0);
    assert_int_equal(resolve(root, "/sib", &f), PL_PATH_NOT_FOUND);
}

static void test_content_types(void **state) {
    (void)state;
    assert_string_equal(pl_http_content_type("/a/b/index.HTML"), "text/html; charset=utf-8");
    assert_string_equal(pl_http_content_type("x.css"), "text/css; charset=utf-8");
    assert_string_equal(pl_http_content_type("x.js"), "text/javascript; charset=utf-8");
    assert_string_equal(pl_http_content_type("x.json"), "application/json");
    assert_string_equal(pl_http_content_type("x.png"), "image/png");
    assert_string_equal(pl_http_content_type("x.jpeg"), "image/jpeg");
    assert_string_equal(pl_http_content_type("x.svg"), "image/svg+xml");
    assert_string_equal(pl_http_content_type("x.txt"), "text/plain; charset=utf-8");
    assert_string_equal(pl_http_content_type("x.wasm"), "application/wasm");
    assert_string_equal(pl_http_content_type("x.tar.gz"), "application/gzip");
    assert_string_equal(pl_http_content_type("/d.html/noext"), "application/octet-stream");
    assert_string_equal(pl_http_content_type(".css"), "application/octet-stream");
    assert_string_equal(pl_http_content_type("x."), "application/octet-stream");
}

/* Mutated requests: every byte position overwritten, truncated, duplicated; the parser and
 * decoder must answer something without reading outside the buffer. */
static void test_mutations(void **state) {
    (void)state;
    const char *seed = "GET /a%20b/../c?d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                       "Content-Length: 12\r\n\r\n";
    size_t len = strlen(seed);
    const uint8_t values[] = {0, '\r', '\n', ' ', ':', '%', '/', '.', 0x7f, 0xff, 'A'};
    pl_test_rng rng;
    pl_test_rng_seed(&rng, 42);
    for (size_t pos = 0; pos < len; pos++) {
        for (size_t v = 0; v < sizeof(values); v++) {
            /* Exactly sized heap copies, so that ASan sees any overread. */
            uint8_t *m = malloc(len);
            assert_non_null(m);
            memcpy(m, seed, len);
            m[pos] = values[v];
            pl_http_request r;
            for (size_t cut = pos; cut <= len; cut += 7) {
                pl_http_parse_result res = pl_http_parse(m, cut, &r);
                if (res == PL_HTTP_DONE) {
                    char out[PL_HTTP_PATH_MAX + 1];
                    int dir;
                    const char *why;
                    (void)pl_http_decode_path(r.target, r.target_len, out, sizeof(out), &dir, &why);
                    assert_true(r.head_len <= cut);
                } else if (res == PL_HTTP_BAD) {
                    assert_true(r.status >= 400 && r.status <= 505);
                    assert_non_null(r.reason);
                }
            }
            free(m);
        }
    }
    for (int i = 0; i < 2000; i++) {
        uint8_t buf[64];
        PL_ASSERT_OK(pl_test_rng_fill(&rng, buf, sizeof(buf)));
        size_t n = buf[0] % sizeof(buf);
        uint8_t *m = malloc(n + 1);
        assert_non_null(m);
        memcpy(m, buf, n);
        pl_http_request r;
        (void)pl_http_parse(m, n, &r);
        char out[PL_HTTP_PATH_MAX + 1];
        int dir;
        const char *why;
        (void)pl_http_decode_path((const char *)m, n, out, sizeof(out), &dir, &why);
        free(m);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),   cmocka_unit_test(test_parse_incomplete),
        cmocka_unit_test(test_parse_refused), cmocka_unit_test(test_decode_path),
        cmocka_unit_test(test_resolve),       cmocka_unit_test(test_content_types),
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
