/* Server processes for the interop tests and padlock clients talking to them over TCP. */
#define _GNU_SOURCE
#include "peer.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "loopback.h"
#include "padlock/x509.h"
#include "testlib.h"

/* A port nobody listens on right now (the kernel's choice for an ephemeral bind). */
static int pl_free_port(void) {
    int port;
    close(pl_test_loopback_listen(0, &port));
    return port;
}

int pl_peer_log_wait(const pl_peer *p, const char *needle, int timeout_ms) {
    for (int waited = 0;; waited += 20) {
        size_t len;
        char *log = (char *)pl_test_read_file(p->log_path, &len);
        int found = log != NULL && strstr(log, needle) != NULL;
        free(log);
        if (found) {
            return 1;
        }
        if (waited >= timeout_ms || (p->pid > 0 && waitpid(p->pid, NULL, WNOHANG) == p->pid)) {
            return 0;
        }
        pl_test_sleep_ms(20);
    }
}

/* Forks and execs argv in dir, stdin from a pipe, stdout and stderr to the log. */
static void pl_peer_spawn(pl_peer *p, const char *dir, const char *preload, char **argv) {
    int in[2];
    assert_int_equal(pipe(in), 0);
    pid_t parent = getpid();
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* The server dies with the test, whatever happens to the test. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {
            _exit(127);
        }
        int log = open(p->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (log < 0 || chdir(dir) != 0) {
            _exit(127);
        }
        dup2(in[0], 0);
        dup2(log, 1);
        dup2(log, 2);
        close(in[0]);
        close(in[1]);
        close(log);
        if (preload != NULL) {
            setenv("LD_PRELOAD", preload, 1);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    close(in[0]);
    p->pid = pid;
    p->stdin_fd = in[1];
}

/* A copy of s (malloc'd) with its first "{port}" replaced by port. */
static char *pl_peer_with_port(const char *s, const char *port) {
    const char *at = strstr(s, "{port}");
    if (at == NULL) {
        return strdup(s);
    }
    size_t size = strlen(s) + strlen(port) + 1;
    char *out = malloc(size);
    snprintf(out, size, "%.*s%s%s", (int)(at - s), s, port, at + 6);
    return out;
}

void pl_peer_start(pl_peer *p, const char *dir, const char *ready, const char *preload,
                   const char *const *argv) {
    static int serial;
    /* A port can be taken between pl_free_port and the server's bind: try a few. */
    for (int attempt = 0; attempt < 3; attempt++) {
        memset(p, 0, sizeof(*p));
        p->port = pl_free_port();
        snprintf(p->log_path, sizeof(p->log_path), "%s/server-%d-%d.log", pl_test_tmpdir(),
                 (int)getpid(), serial++);
        char port[16];
        snprintf(port, sizeof(port), "%d", p->port);
        char *args[64];
        size_t n = 0;
        for (; argv[n] != NULL && n < 63; n++) {
            args[n] = pl_peer_with_port(argv[n], port);
        }
        args[n] = NULL;
        pl_peer_spawn(p, dir, preload, args);
        for (size_t i = 0; i < n; i++) {
            free(args[i]);
        }
        char *needle = pl_peer_with_port(ready, port);
        int started = pl_peer_log_wait(p, needle, 10000);
        free(needle);
        if (started) {
            return;
        }
        pl_peer_stop(p);
    }
    fail_msg("server %s did not start (see %s)", argv[0], p->log_path);
}

void pl_peer_start_line(pl_peer *p, const char *dir, const char *ready, const char *preload,
                        const char *line) {
    char copy[2048];
    snprintf(copy, sizeof(copy), "%s", line);
    char *argv[64];
    pl_test_split_words(copy, argv, 64);
    pl_peer_start(p, dir, ready, preload, (const char *const *)argv);
}

void pl_peer_stop(pl_peer *p) {
    if (p->pid > 0) {
        kill(p->pid, SIGTERM);
        for (int i = 0; i < 100 && waitpid(p->pid, NULL, WNOHANG) == 0; i++) {
            pl_test_sleep_ms(20);
        }
        if (waitpid(p->pid, NULL, WNOHANG) == 0) {
            kill(p->pid, SIGKILL);
            waitpid(p->pid, NULL, 0);
        }
        p->pid = 0;
    }
    if (p->stdin_fd > 0) {
        close(p->stdin_fd);
        p->stdin_fd = 0;
    }
}

void pl_peer_stdin(const pl_peer *p, const char *text) {
    size_t len = strlen(text);
    assert_int_equal(write(p->stdin_fd, text, len), (ssize_t)len);
}

const char *pl_interop_certs(void) {
    static char dir[512];
    if (dir[0] == '\0') {
        snprintf(dir, sizeof(dir), "%s/certs", pl_test_tmpdir());
        assert_int_equal(pl_test_sh("%s/tests/interop/make_certs.sh %s", pl_test_source_dir(), dir),
                         0);
    }
    return dir;
}

static void pl_ok(padlock_err rc, const char *what) {
    if (rc != PADLOCK_OK) {
        fail_msg("%s: %s", what, padlock_strerror(rc));
    }
}

void pl_client_open(pl_client *c, const pl_client_opts *o, int port) {
    memset(c, 0, sizeof(*c));
    pl_ok(padlock_config_new(PADLOCK_CLIENT, &c->cfg), "config");
    if (o->root != NULL) {
        padlock_trust_store *store;
        pl_ok(padlock_trust_store_new(&store), "store");
        pl_ok(padlock_trust_store_add_file(store, o->root), "store file");
        pl_ok(padlock_config_set_trust_store(c->cfg, store), "set store");
    } else {
        pl_ok(padlock_config_insecure_disable_verification(c->cfg), "insecure");
    }
    if (o->suite != 0) {
        pl_ok(padlock_config_set_cipher_suites(c->cfg, &o->suite, 1), "suites");
    }
    if (o->group != 0) {
        pl_ok(padlock_config_set_groups(c->cfg, &o->group, 1), "groups");
    }
    if (o->alpn != NULL) {
        pl_ok(padlock_config_set_alpn(c->cfg, &o->alpn, 1), "alpn");
    }
    if (o->cert != NULL) {
        padlock_err rc = padlock_config_add_certificate_files(c->cfg, o->cert, o->key);
        if (rc != PADLOCK_OK) {
            fail_msg("client certificate: %s", padlock_config_error_message(c->cfg));
        }
    }
    pl_ok(padlock_conn_new(c->cfg, &c->conn), "conn");
    pl_ok(padlock_conn_set_server_name(c->conn,
                                       o->server_name != NULL ? o->server_name : "localhost"),
          "server name");
    c->fd = pl_connect_loopback(port);
}

int pl_connect_loopback(int port) {
    int fd = pl_test_loopback_connect(port, 20);
    if (fd < 0) {
        fail_msg("connect to 127.0.0.1:%d: %s", port, strerror(errno));
    }
    return fd;
}

void pl_client_close(pl_client *c) {
    padlock_conn_free(c->conn);
    padlock_config_free(c->cfg);
    if (c->fd >= 0) {
        close(c->fd);
    }
    memset(c, 0, sizeof(*c));
    c->fd = -1;
}

/* Fails with the connection's own message, which names what went wrong. */
static void pl_client_ok(const pl_client *c, padlock_err rc, const char *what) {
    if (rc != PADLOCK_OK) {
        fail_msg("%s: %s (%s)", what, padlock_strerror(rc),
                 padlock_conn_error(c->conn) != PADLOCK_OK ? padlock_conn_error_message(c->conn)
                                                           : "no connection error");
    }
}

void pl_client_write_all(pl_client *c, const uint8_t *data, size_t len) {
    size_t written;
    pl_client_ok(c, padlock_fd_write(c->conn, c->fd, data, len, &written), "write");
    assert_int_equal(written, len);
}

void pl_client_read_exact(pl_client *c, uint8_t *out, size_t len) {
    size_t have = 0;
    while (have < len) {
        size_t n;
        pl_client_ok(c, padlock_fd_read(c->conn, c->fd, out + have, len - have, &n), "read");
        if (n == 0) {
            fail_msg("the server closed after %zu of %zu bytes", have, len);
        }
        have += n;
    }
}

void pl_client_expect_clean_end(pl_client *c) {
    uint8_t buf[64];
    size_t n;
    PL_ASSERT_OK(padlock_fd_read(c->conn, c->fd, buf, sizeof(buf), &n));
    assert_int_equal(n, 0);
    assert_int_equal(padlock_conn_status(c->conn), PADLOCK_STATUS_CLOSED);
    assert_int_equal(padlock_conn_error(c->conn), PADLOCK_OK);
}

pl_client_opts pl_client_default_opts(void) {
    static char root[600];
    snprintf(root, sizeof(root), "%s/root.pem", pl_interop_certs());
    pl_client_opts o;
    memset(&o, 0, sizeof(o));
    o.root = root;
    return o;
}

void pl_client_use_cert(pl_client_opts *o) {
    static char cert[600], key[600];
    snprintf(cert, sizeof(cert), "%s/client-chain.pem", pl_interop_certs());
    snprintf(key, sizeof(key), "%s/client.key", pl_interop_certs());
    o->cert = cert;
    o->key = key;
}

void pl_client_handshake(pl_client *c) {
    pl_client_ok(c, padlock_fd_handshake(c->conn, c->fd), "handshake");
    assert_true(padlock_conn_handshake_done(c->conn));
}

void pl_client_connect(pl_client *c, const pl_client_opts *opts, int port) {
    pl_client_open(c, opts, port);
    pl_client_handshake(c);
}

void pl_client_finish(pl_client *c) {
    PL_ASSERT_OK(padlock_fd_close(c->conn, c->fd));
    pl_client_close(c);
}

const char *const pl_interop_kinds[4] = {"p256", "p384", "rsa", "ed25519"};
const uint16_t pl_interop_suites[3] = {PADLOCK_TLS_AES_128_GCM_SHA256,
                                       PADLOCK_TLS_AES_256_GCM_SHA384,
                                       PADLOCK_TLS_CHACHA20_POLY1305_SHA256};
const uint16_t pl_interop_groups[3] = {PADLOCK_GROUP_X25519, PADLOCK_GROUP_SECP256R1,
                                       PADLOCK_GROUP_SECP384R1};

void pl_interop_expect_scheme(uint16_t scheme, const char *kind) {
    if (strcmp(kind, "p256") == 0) {
        assert_int_equal(scheme, 0x0403); /* ecdsa_secp256r1_sha256 */
    } else if (strcmp(kind, "p384") == 0) {
        assert_int_equal(scheme, 0x0503); /* ecdsa_secp384r1_sha384 */
    } else if (strcmp(kind, "rsa") == 0) {
        assert_in_range(scheme, 0x0804, 0x0806); /* rsa_pss_rsae_* */
    } else {
        assert_int_equal(scheme, 0x0807); /* ed25519 */
    }
}

void pl_peer_expect(const pl_peer *p, const char *needle) {
    if (!pl_peer_log_wait(p, needle, 10000)) {
        size_t len;
        char *log = (char *)pl_test_read_file(p->log_path, &len);
        printf("---- the client's output ----\n%s\n----\n", log != NULL ? log : "");
        free(log);
        fail_msg("\"%s\" not in the client's output (above)", needle);
    }
}

void pl_expect_output(const char *out, const char *needle) {
    if (strstr(out, needle) == NULL) {
        printf("---- the client's output ----\n%s\n----\n", out);
        fail_msg("\"%s\" not in the client's output (above)", needle);
    }
}
