/* `padlock server --www` over TLS from padlock clients: files byte for byte with their
 * Content-Type and Content-Length, HEAD with GET's header fields and no body, index.html,
 * the redirect of a directory without its slash, 404 / 405 (Allow) / 400 / 414 / 431 / 501 /
 * 505, traversal attempts (.., encoded .., NUL, symbolic links out of the root, hidden files,
 * a FIFO), keep-alive and pipelining, clients at the same time, Connection: close with
 * close_notify, HTTP/1.0, a large file streamed without being held in memory, and the log line
 * of each connection. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server_harness.h"
#include "testlib.h"

static pl_srv g_srv;
static char g_site[4400];

#define BIG_SIZE (16u << 20)

static void put(const char *name, const void *data, size_t len) {
    char path[4600];
    snprintf(path, sizeof(path), "%s/%s", g_site, name);
    assert_int_equal(pl_test_write_file(path, data, len), 0);
}

static void put_text(const char *name, const char *text) {
    put(name, text, strlen(text));
}

static int setup(void **state) {
    (void)state;
    snprintf(g_site, sizeof(g_site), "%s/site", pl_srv_pki());
    assert_int_equal(pl_test_sh("rm -rf '%s' && mkdir -p '%s/sub' '%s/docs' '%s/.git' "
                                "'%s/.well-known' '%s/my dir'",
                                g_site, g_site, g_site, g_site, g_site, g_site),
                     0);
    put_text("index.html", "<h1>padlock www</h1>\n");
    put_text("style.css", "h1 { color: teal }\n");
    put_text("data.json", "{\"a\": 1}\n");
    put_text("app.js", "console.log(1);\n");
    put_text("notes.txt", "plain text\n");
    put_text("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
    put_text("mod.wasm", "\0asm");
    put("pic.png", "\x89PNG\r\n\x1a\n", 8);
    put_text("photo.JPG", "jpeg");
    put_text("blob.xyz", "unknown");
    put_text("empty.txt", "");
    put_text("docs/index.html", "<p>docs</p>\n");
    put_text("sub/page.html", "<p>sub</p>\n");
    put_text("my dir/with space.txt", "spaced\n");
    put_text(".git/config", "[core]\n");
    put_text(".env", "SECRET=1\n");
    put_text(".well-known/security.txt", "Contact: x\n");
    uint8_t *big = malloc(BIG_SIZE);
    assert_non_null(big);
    for (size_t i = 0; i < BIG_SIZE; i++) {
        big[i] = (uint8_t)(i * 2654435761u >> 13);
    }
    put("big.bin", big, BIG_SIZE);
    free(big);
    assert_int_equal(pl_test_sh("cd '%s' && ln -s /etc/hostname link-out && ln -s /etc etc-link "
                                "&& ln -s notes.txt link-in && mkfifo pipe",
                                g_site),
                     0);
    pl_srv_start(&g_srv, "--cert localhost.pem --key localhost-key.pem --www site");
    return 0;
}

static int teardown(void **state) {
    (void)state;
    assert_int_equal(pl_srv_stop(&g_srv, SIGTERM), 0);
    return 0;
}

/* GET path: the status, and for 200 the body compared with the file. */
static void get(const char *path, int status, const char *type, pl_http_resp *r) {
    char req[4096];
    snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n", path);
    pl_http_get(g_srv.port, req, 0, r);
    if (r->status != status) {
        fail_msg("GET %s: %d, expected %d\n%s%s", path, r->status, status, r->head, r->body);
    }
    if (type != NULL) {
        assert_string_equal(pl_http_header(r, "Content-Type"), type);
    }
}

static void get_file(const char *path, const char *file, const char *type) {
    pl_http_resp r;
    get(path, 200, type, &r);
    char full[4600];
    snprintf(full, sizeof(full), "%s/%s", g_site, file);
    size_t len;
    uint8_t *want = pl_test_read_file(full, &len);
    assert_non_null(want);
    assert_int_equal(r.body_len, len);
    assert_memory_equal(r.body, want, len);
    char cl[32];
    snprintf(cl, sizeof(cl), "%zu", len);
    assert_string_equal(pl_http_header(&r, "Content-Length"), cl);
    assert_non_null(pl_http_header(&r, "Last-Modified"));
    assert_non_null(pl_http_header(&r, "Date"));
    assert_string_equal(pl_http_header(&r, "X-Content-Type-Options"), "nosniff");
    free(want);
    free(r.body);
}

static void test_files_and_types(void **state) {
    (void)state;
    get_file("/index.html", "index.html", "text/html; charset=utf-8");
    get_file("/", "index.html", "text/html; charset=utf-8");
    get_file("/style.css", "style.css", "text/css; charset=utf-8");
    get_file("/data.json", "data.json", "application/json");
    get_file("/app.js", "app.js", "text/javascript; charset=utf-8");
    get_file("/notes.txt", "notes.txt", "text/plain; charset=utf-8");
    get_file("/logo.svg", "logo.svg", "image/svg+xml");
    get_file("/mod.wasm", "mod.wasm", "application/wasm");
    get_file("/pic.png", "pic.png", "image/png");
    get_file("/photo.JPG", "photo.JPG", "image/jpeg");
    get_file("/blob.xyz", "blob.xyz", "application/octet-stream");
    get_file("/empty.txt", "empty.txt", "text/plain; charset=utf-8");
    get_file("/docs/", "docs/index.html", "text/html; charset=utf-8");
    get_file("/my%20dir/with%20space.txt", "my dir/with space.txt", "text/plain; charset=utf-8");
    get_file("/notes.txt?v=2#frag", "notes.txt", NULL);
    get_file("https://localhost/style.css", "style.css", NULL); /* absolute-form */
    get_file("/link-in", "notes.txt", "text/plain; charset=utf-8");
    get_file("/.well-known/security.txt", ".well-known/security.txt", NULL);
    get_file("//sub//./page.html", "sub/page.html", NULL);
}

/* HEAD: GET's header fields, no body: the GET after it on the same connection reads right. */
static void test_head(void **state) {
    (void)state;
    pl_tls *c = pl_tls_open(g_srv.port, NULL, NULL, NULL, NULL);
    const char reqs[] = "HEAD /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n"
                        "GET /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n";
    pl_tls_send(c, reqs, strlen(reqs));
    pl_http_resp head, full;
    pl_http_read(c, 1, &head);
    pl_http_read(c, 0, &full);
    assert_int_equal(head.status, 200);
    assert_string_equal(pl_http_header(&head, "Content-Length"), "19");
    assert_string_equal(pl_http_header(&head, "Content-Type"), "text/css; charset=utf-8");
    assert_int_equal(full.status, 200);
    assert_string_equal((char *)full.body, "h1 { color: teal }\n");
    assert_int_equal(c->len, 0);
    free(head.body);
    free(full.body);
    pl_tls_free(c);
}

static void expect_status(const char *request, int status, const char *body_part) {
    pl_http_resp r;
    pl_http_get(g_srv.port, request, 0, &r);
    if (r.status != status || (body_part != NULL && strstr((char *)r.body, body_part) == NULL)) {
        fail_msg("%s-> %d, expected %d (%s)\n%s%s", request, r.status, status,
                 body_part ? body_part : "", r.head, r.body);
    }
    /* Refused requests end the connection, except 404 and 405 which keep it. */
    const char *conn = pl_http_header(&r, "Connection");
    if (status != 404 && status != 405 && status != 301) {
        assert_non_null(conn);
        assert_string_equal(conn, "close");
    }
    free(r.body);
}

static void test_errors(void **state) {
    (void)state;
    expect_status("GET /missing.html HTTP/1.1\r\nHost: x\r\n\r\n", 404, "404 Not Found");
    expect_status("GET /sub/ HTTP/1.1\r\nHost: x\r\n\r\n", 404, NULL); /* no index.html */
    pl_http_resp r;
    pl_http_get(g_srv.port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 0, &r);
    assert_int_equal(r.status, 405);
    assert_string_equal(pl_http_header(&r, "Allow"), "GET, HEAD");
    free(r.body);
    expect_status("DELETE /index.html HTTP/1.1\r\nHost: x\r\n\r\n", 405, NULL);
    /* A request body is never read as the next request: 405, then close_notify, and the GET
     * smuggled in the body is not answered. */
    pl_tls *c = pl_tls_open(g_srv.port, NULL, NULL, NULL, NULL);
    const char smuggle[] = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 36\r\n\r\n"
                           "GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n";
    pl_tls_send(c, smuggle, strlen(smuggle));
    pl_http_read(c, 0, &r);
    assert_int_equal(r.status, 405);
    assert_string_equal(pl_http_header(&r, "Connection"), "close");
    free(r.body);
    assert_int_equal(c->len, 0);
    assert_int_equal(pl_tls_more(c, NULL), 0);
    pl_tls_free(c);
    expect_status("GET / HTTP/1.1\r\n\r\n", 400, "no Host header field");
    expect_status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "more than one Host");
    expect_status("GET / HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n", 400,
                  "malformed header field");
    expect_status("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n folded\r\n\r\n", 400,
                  "obsolete line folding");
    expect_status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: "
                  "chunked\r\n\r\n",
                  400, "both Transfer-Encoding and Content-Length");
    expect_status("GET /  HTTP/1.1\r\nHost: a\r\n\r\n", 400, "malformed request line");
    expect_status("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, NULL);
    expect_status("GETTINGSOMETHINGWITHAVERYLONGMETHOD / HTTP/1.1\r\nHost: a\r\n\r\n", 501, NULL);
    /* A head over 8 KiB: 431; a request line alone over 8 KiB: 414. */
    char big[12000];
    int n = snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: a\r\nX-Big: ");
    memset(big + n, 'a', 9000);
    snprintf(big + n + 9000, sizeof(big) - (size_t)n - 9000, "\r\n\r\n");
    expect_status(big, 431, "request head longer than 8 KiB");
    n = snprintf(big, sizeof(big), "GET /");
    memset(big + n, 'a', 9000);
    snprintf(big + n + 9000, sizeof(big) - (size_t)n - 9000, " HTTP/1.1\r\nHost: a\r\n\r\n");
    expect_status(big, 414, NULL);
}

/* Nothing outside the root, whatever the spelling: 400 for what is malformed, 404 for what
 * resolves outside or is hidden. */
static void test_traversal(void **state) {
    (void)state;
    const struct {
        const char *path;
        int status;
    } cases[] = {
        {"/../../../../etc/passwd", 400},
        {"/%2e%2e/%2e%2e/%2e%2e/etc/passwd", 400},
        {"/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", 400},
        {"/sub/..%2f..%2f..%2fetc/passwd", 400},
        {"/docs/../index.html", 400},
        {"/index.html%00.txt", 400},
        {"/%zz", 400},
        {"/abc%2", 400},
        {"https://localhost/../../etc/passwd", 400},
        {"*", 400},
        {"etc/passwd", 400},
        {"/link-out", 404},
        {"/etc-link/passwd", 404},
        {"/etc-link/", 404},
        {"/.git/config", 404},
        {"/.env", 404},
        {"/%2eenv", 404},
        {"//etc/passwd", 404},
        {"/pipe", 404},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pl_http_resp r;
        get(cases[i].path, cases[i].status, NULL, &r);
        assert_null(strstr((char *)r.body, "root:"));
        assert_null(strstr((char *)r.body, "[core]"));
        assert_null(strstr((char *)r.body, "SECRET"));
        free(r.body);
    }
}

static void test_redirect(void **state) {
    (void)state;
    pl_http_resp r;
    get("/sub", 301, NULL, &r);
    assert_string_equal(pl_http_header(&r, "Location"), "/sub/");
    free(r.body);
    get("/my%20dir?x=1", 301, NULL, &r);
    assert_string_equal(pl_http_header(&r, "Location"), "/my%20dir/");
    free(r.body);
    /* Never to another host: "//evil.example/sub" is the local path sub. */
    get("//evil.example//docs", 404, NULL, &r);
    free(r.body);
    get("//docs", 301, NULL, &r);
    assert_string_equal(pl_http_header(&r, "Location"), "/docs/");
    free(r.body);
}

static void test_keep_alive_and_close(void **state) {
    (void)state;
    pl_tls *c = pl_tls_open(g_srv.port, NULL, NULL, NULL, "http/1.1");
    pl_http_resp r;
    for (int i = 0; i < 3; i++) { /* one after the other */
        const char req[] = "GET /notes.txt HTTP/1.1\r\nHost: localhost\r\n\r\n";
        pl_tls_send(c, req, strlen(req));
        pl_http_read(c, 0, &r);
        assert_int_equal(r.status, 200);
        assert_null(pl_http_header(&r, "Connection"));
        free(r.body);
    }
    assert_string_equal(padlock_conn_alpn(c->conn), "http/1.1");
    /* Pipelined, the last one asking to close: answered in order, then close_notify. */
    const char reqs[] = "GET /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n"
                        "GET /missing HTTP/1.1\r\nHost: localhost\r\n\r\n"
                        "GET /data.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        "GET /notes.txt HTTP/1.1\r\nHost: localhost\r\n\r\n";
    pl_tls_send(c, reqs, strlen(reqs));
    const int want[] = {200, 404, 200};
    for (int i = 0; i < 3; i++) {
        pl_http_read(c, 0, &r);
        assert_int_equal(r.status, want[i]);
        free(r.body);
    }
    assert_string_equal(pl_http_header(&r, "Connection"), "close");
    /* Nothing after the request that closed: close_notify instead of a fourth answer. */
    assert_int_equal(c->len, 0);
    assert_int_equal(pl_tls_more(c, NULL), 0);
    PL_ASSERT_OK(padlock_fd_close(c->conn, c->fd));
    pl_tls_free(c);
    const char *line[] = {"TLSv1.3",
                          "sni=localhost",
                          "alpn=http/1.1",
                          "client=-",
                          "http=200,200,200,200,404,200 outcome=ok",
                          NULL};
    pl_srv_expect_line(&g_srv, line);
}

/* Clients at the same time: all connected and asking before any reads, answered each in
 * full, read back in the reverse order. */
static void test_concurrent(void **state) {
    (void)state;
    enum { N = 8 };
    pl_tls *c[N];
    for (int i = 0; i < N; i++) {
        c[i] = pl_tls_open(g_srv.port, NULL, NULL, NULL, "http/1.1");
    }
    for (int i = 0; i < N; i++) {
        const char *req = i % 2 == 0 ? "GET /notes.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                     : "GET /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n";
        pl_tls_send(c[i], req, strlen(req));
    }
    for (int i = N - 1; i >= 0; i--) {
        pl_http_resp r;
        pl_http_read(c[i], 0, &r);
        assert_int_equal(r.status, 200);
        assert_string_equal((char *)r.body, i % 2 == 0 ? "plain text\n" : "h1 { color: teal }\n");
        free(r.body);
        pl_tls_free(c[i]);
    }
}

static void test_http10(void **state) {
    (void)state;
    pl_tls *c = pl_tls_open(g_srv.port, NULL, NULL, NULL, NULL);
    const char ka[] = "GET /notes.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
    pl_tls_send(c, ka, strlen(ka));
    pl_http_resp r;
    pl_http_read(c, 0, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(pl_http_header(&r, "Connection"), "keep-alive");
    free(r.body);
    const char plain[] = "GET /notes.txt HTTP/1.0\r\n\r\n";
    pl_tls_send(c, plain, strlen(plain));
    pl_http_read(c, 0, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(pl_http_header(&r, "Connection"), "close");
    free(r.body);
    assert_int_equal(pl_tls_more(c, NULL), 0); /* close_notify */
    pl_tls_free(c);
}

/* The server's peak resident memory in KiB (/proc/PID/status VmHWM). */
static long peak_kib(pid_t pid) {
    char path[64], *text;
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    size_t len;
    text = (char *)pl_test_read_file(path, &len);
    assert_non_null(text);
    const char *hwm = strstr(text, "VmHWM:");
    assert_non_null(hwm);
    long kib = strtol(hwm + 6, NULL, 10);
    free(text);
    return kib;
}

static void test_large_file(void **state) {
    (void)state;
    long before = peak_kib(g_srv.pid);
    get_file("/big.bin", "big.bin", "application/octet-stream");
    long after = peak_kib(g_srv.pid);
    /* Streamed a buffer at a time: the 16 MiB never sit in the server's memory. */
    if (after - before > 4096) {
        fail_msg("the server's peak memory grew by %ld KiB serving a 16 MiB file", after - before);
    }
    /* Its log line counts the file and the response head. */
    int found = 0;
    for (int waited = 0; !found && waited < 5000; waited += 50) {
        char *log = pl_srv_log(&g_srv);
        for (const char *at = strstr(log, " out="); at != NULL && !found;
             at = strstr(at + 1, " out=")) {
            unsigned long long out = strtoull(at + 5, NULL, 10);
            found = out > BIG_SIZE && out < BIG_SIZE + 1024;
        }
        free(log);
        pl_test_sleep_ms(50);
    }
    assert_true(found);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files_and_types), cmocka_unit_test(test_head),
        cmocka_unit_test(test_errors),          cmocka_unit_test(test_traversal),
        cmocka_unit_test(test_redirect),        cmocka_unit_test(test_keep_alive_and_close),
        cmocka_unit_test(test_concurrent),      cmocka_unit_test(test_http10),
        cmocka_unit_test(test_large_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
