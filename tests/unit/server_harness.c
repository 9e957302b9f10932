/* Test support for `padlock server`: the run's certificates, the server as a child process
 * stopped by pid, and TLS / HTTP clients of the test process (see server_harness.h). */
#define _GNU_SOURCE
#include "server_harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "padlock/x509.h"
#include "testlib.h"

const char *pl_srv_pki(void) {
    static char dir[4200];
    if (dir[0] != '\0') {
        return dir;
    }
    snprintf(dir, sizeof(dir), "%s/pki", pl_test_tmpdir());
    const char *p = pl_test_binary_dir();
    int rc = pl_test_sh("rm -rf '%s' && mkdir -p '%s' && cd '%s' && "
                        "'%s/padlock' cert ca --dir ca >/dev/null && "
                        "'%s/padlock' cert issue --dir ca localhost 127.0.0.1 ::1 >/dev/null && "
                        "'%s/padlock' cert issue --dir ca --rsa 2048 other.test --out other.pem "
                        "--key-out other-key.pem >/dev/null && "
                        "'%s/padlock' cert issue --dir ca alice --client --out alice.pem "
                        "--key-out alice-key.pem >/dev/null && "
                        "'%s/padlock' cert ca --dir rogue --name 'rogue CA' >/dev/null && "
                        "'%s/padlock' cert issue --dir rogue mallory --client --out mallory.pem "
                        "--key-out mallory-key.pem >/dev/null",
                        dir, dir, dir, p, p, p, p, p, p);
    assert_int_equal(rc, 0);
    return dir;
}

/* Reads the server's "listening on https://ADDR:PORT/" line from its standard output. */
static int pl_read_url(pl_srv *s, int out_fd) {
    char line[256];
    size_t n = 0;
    int64_t waited = 0;
    while (n + 1 < sizeof(line) && waited < 10000) {
        struct pollfd p = {out_fd, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) {
            waited += 100;
            continue;
        }
        ssize_t r = read(out_fd, line + n, 1);
        if (r <= 0) {
            return -1; /* exited before listening */
        }
        if (line[n] == '\n') {
            line[n] = '\0';
            const char *colon = strrchr(line, ':');
            if (strncmp(line, "listening on ", 13) != 0 || colon == NULL) {
                return -1;
            }
            snprintf(s->url, sizeof(s->url), "%s", line + 13);
            s->port = atoi(colon + 1);
            return 0;
        }
        n++;
    }
    return -1;
}

void pl_srv_start(pl_srv *s, const char *args) {
    static int serial;
    memset(s, 0, sizeof(*s));
    snprintf(s->log, sizeof(s->log), "%s/server-%d.log", pl_test_tmpdir(), serial++);
    char bin[4200], copy[4096];
    snprintf(bin, sizeof(bin), "%s/padlock", pl_test_binary_dir());
    snprintf(copy, sizeof(copy), "%s", args);
    char *argv[64] = {bin, "server", "--port", "0"};
    pl_test_split_words(copy, argv + 4, 60);
    const char *pki = pl_srv_pki(); /* made here: the child must not make its own */
    int out[2];
    assert_int_equal(pipe(out), 0);
    pid_t parent = getpid();
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* the server dies with the test */
        int log = open(s->log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (getppid() != parent || log < 0 || chdir(pki) != 0) {
            _exit(127);
        }
        dup2(out[1], 1);
        dup2(log, 2);
        close(out[0]);
        close(out[1]);
        close(log);
        execv(bin, argv);
        _exit(127);
    }
    close(out[1]);
    s->pid = pid;
    int ok = pl_read_url(s, out[0]);
    close(out[0]);
    if (ok != 0) {
        char *log = pl_srv_log(s);
        pl_srv_stop(s, SIGKILL);
        fail_msg("padlock server %s did not start:\n%s", args, log != NULL ? log : "");
    }
}

int pl_srv_stop(pl_srv *s, int sig) {
    if (s->pid <= 0) {
        return -1;
    }
    kill(s->pid, sig);
    int status = 0;
    for (int i = 0; i < 500; i++) {
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            s->pid = 0;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        pl_test_sleep_ms(20);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &status, 0);
    s->pid = 0;
    fail_msg("padlock server did not stop within 10 s of signal %d", sig);
    return -1;
}

char *pl_srv_log(const pl_srv *s) {
    size_t len;
    return (char *)pl_test_read_file(s->log, &len);
}

int pl_srv_log_wait(const pl_srv *s, const char *needle, int timeout_ms) {
    for (int waited = 0;; waited += 20) {
        char *log = pl_srv_log(s);
        int found = log != NULL && strstr(log, needle) != NULL;
        free(log);
        if (found) {
            return 1;
        }
        if (waited >= timeout_ms) {
            return 0;
        }
        pl_test_sleep_ms(20);
    }
}

void pl_srv_expect_line(const pl_srv *s, const char *const *parts) {
    /* Connection lines are written when connections end, which may be a moment after the
     * client saw the end. */
    for (int waited = 0; waited <= 5000; waited += 20) {
        char *log = pl_srv_log(s);
        char *save = NULL;
        for (char *line = strtok_r(log, "\n", &save); line != NULL;
             line = strtok_r(NULL, "\n", &save)) {
            int all = 1;
            for (size_t i = 0; parts[i] != NULL && all; i++) {
                all = strstr(line, parts[i]) != NULL;
            }
            if (all) {
                free(log);
                return;
            }
        }
        free(log);
        pl_test_sleep_ms(20);
    }
    char want[2048] = "";
    for (size_t i = 0; parts[i] != NULL; i++) {
        strncat(want, parts[i], sizeof(want) - strlen(want) - 4);
        strncat(want, " | ", sizeof(want) - strlen(want) - 1);
    }
    char *log = pl_srv_log(s);
    fail_msg("no server log line with all of: %s\n%s", want, log != NULL ? log : "");
}

int pl_tcp_connect(const char *host, int port) {
    int v6 = strchr(host, ':') != NULL;
    int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    socklen_t len;
    if (v6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        assert_int_equal(inet_pton(AF_INET6, host, &a->sin6_addr), 1);
        len = sizeof(*a);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        assert_int_equal(inet_pton(AF_INET, host, &a->sin_addr), 1);
        len = sizeof(*a);
    }
    if (connect(fd, (struct sockaddr *)&ss, len) != 0) {
        fail_msg("connect to %s port %d: %s", host, port, strerror(errno));
    }
    return fd;
}

pl_tls *pl_tls_open(int port, const char *server_name, const char *cert, const char *key,
                    const char *alpn) {
    return pl_tls_open_at("127.0.0.1", port, server_name, cert, key, alpn);
}

pl_tls *pl_tls_open_at(const char *host, int port, const char *server_name, const char *cert,
                       const char *key, const char *alpn) {
    pl_tls *c = calloc(1, sizeof(*c));
    assert_non_null(c);
    char path[4400];
    snprintf(path, sizeof(path), "%s/ca/ca.pem", pl_srv_pki());
    padlock_trust_store *store;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_CLIENT, &c->cfg));
    PL_ASSERT_OK(padlock_trust_store_new(&store));
    PL_ASSERT_OK(padlock_trust_store_add_file(store, path));
    PL_ASSERT_OK(padlock_config_set_trust_store(c->cfg, store));
    if (cert != NULL) {
        char cp[4400], kp[4400];
        snprintf(cp, sizeof(cp), "%s/%s", pl_srv_pki(), cert);
        snprintf(kp, sizeof(kp), "%s/%s", pl_srv_pki(), key);
        PL_ASSERT_OK(padlock_config_add_certificate_files(c->cfg, cp, kp));
    }
    if (alpn != NULL) {
        PL_ASSERT_OK(padlock_config_set_alpn(c->cfg, &alpn, 1));
    }
    PL_ASSERT_OK(padlock_conn_new(c->cfg, &c->conn));
    PL_ASSERT_OK(padlock_conn_set_server_name(c->conn, server_name ? server_name : "localhost"));
    c->fd = pl_tcp_connect(host, port);
    return c;
}

void pl_tls_free(pl_tls *c) {
    if (c == NULL) {
        return;
    }
    padlock_conn_free(c->conn);
    padlock_config_free(c->cfg);
    close(c->fd);
    free(c);
}

static void pl_tls_fail(const pl_tls *c, padlock_err rc, const char *what) {
    fail_msg("%s: %s (%s)", what, padlock_strerror(rc),
             padlock_conn_error(c->conn) != PADLOCK_OK ? padlock_conn_error_message(c->conn)
                                                       : strerror(errno));
}

void pl_tls_send(pl_tls *c, const void *data, size_t len) {
    size_t done = 0;
    while (done < len) {
        size_t n;
        padlock_err rc =
            padlock_fd_write(c->conn, c->fd, (const uint8_t *)data + done, len - done, &n);
        if (rc != PADLOCK_OK) {
            pl_tls_fail(c, rc, "write");
        }
        done += n;
    }
}

long pl_tls_more(pl_tls *c, padlock_err *err) {
    if (c->len == sizeof(c->buf)) {
        fail_msg("test client buffer full");
    }
    size_t n;
    padlock_err rc = padlock_fd_read(c->conn, c->fd, c->buf + c->len, sizeof(c->buf) - c->len, &n);
    if (err != NULL) {
        *err = rc;
    }
    if (rc != PADLOCK_OK) {
        return -1;
    }
    c->len += n;
    return (long)n;
}

/* Removes the first n bytes of the client's buffer. */
static void pl_consume(pl_tls *c, size_t n) {
    memmove(c->buf, c->buf + n, c->len - n);
    c->len -= n;
}

const char *pl_http_header(const pl_http_resp *r, const char *name) {
    static char value[1024];
    size_t nl = strlen(name);
    for (const char *line = strstr(r->head, "\r\n"); line != NULL;
         line = strstr(line + 2, "\r\n")) {
        const char *f = line + 2;
        if (strncasecmp(f, name, nl) == 0 && f[nl] == ':') {
            const char *v = f + nl + 1;
            while (*v == ' ') {
                v++;
            }
            size_t vl = strcspn(v, "\r");
            snprintf(value, sizeof(value), "%.*s", (int)vl, v);
            return value;
        }
    }
    return NULL;
}

void pl_http_read(pl_tls *c, int head_only, pl_http_resp *r) {
    memset(r, 0, sizeof(*r));
    char *end;
    while ((end = memmem(c->buf, c->len, "\r\n\r\n", 4)) == NULL) {
        padlock_err rc;
        if (pl_tls_more(c, &rc) <= 0) {
            fail_msg("the connection ended before a response head (%s)", padlock_strerror(rc));
        }
    }
    size_t head_len = (size_t)(end - (char *)c->buf) + 4;
    assert_true(head_len < sizeof(r->head));
    memcpy(r->head, c->buf, head_len);
    r->head[head_len] = '\0';
    pl_consume(c, head_len);
    assert_int_equal(sscanf(r->head, "HTTP/1.1 %d ", &r->status), 1);
    const char *cl = pl_http_header(r, "Content-Length");
    assert_non_null(cl);
    size_t want = head_only ? 0 : (size_t)strtoull(cl, NULL, 10);
    r->body = malloc(want + 1);
    assert_non_null(r->body);
    while (r->body_len < want) {
        if (c->len == 0 && pl_tls_more(c, NULL) <= 0) {
            fail_msg("the connection ended after %zu of %zu body bytes", r->body_len, want);
        }
        size_t n = c->len < want - r->body_len ? c->len : want - r->body_len;
        memcpy(r->body + r->body_len, c->buf, n);
        r->body_len += n;
        pl_consume(c, n);
    }
    r->body[r->body_len] = '\0';
}

void pl_http_get(int port, const char *request, int head_only, pl_http_resp *r) {
    pl_tls *c = pl_tls_open(port, NULL, NULL, NULL, "http/1.1");
    pl_tls_send(c, request, strlen(request));
    pl_http_read(c, head_only, r);
    pl_tls_free(c);
}
