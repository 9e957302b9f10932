/* The interop tests' padlock server: a listening thread on 127.0.0.1 built on the public API
 * and the socket helpers. */
#define _GNU_SOURCE
#include "server.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "loopback.h"
#include "padlock/x509.h"
#include "peer.h"
#include "testlib.h"

/* Reads one line (without its newline) into line; 0 at the end of the data or on error. */
static int pl_srv_read_line(padlock_conn *conn, int fd, char *buf, size_t *have, char *line,
                            size_t cap) {
    for (;;) {
        char *nl = memchr(buf, '\n', *have);
        if (nl != NULL) {
            size_t len = (size_t)(nl - buf);
            size_t take = len < cap - 1 ? len : cap - 1;
            memcpy(line, buf, take);
            line[take] = '\0';
            memmove(buf, nl + 1, *have - len - 1);
            *have -= len + 1;
            return 1;
        }
        size_t n;
        if (*have >= 4096 ||
            padlock_fd_read(conn, fd, (uint8_t *)buf + *have, 4096 - *have, &n) != PADLOCK_OK ||
            n == 0) {
            return 0;
        }
        *have += n;
    }
}

static void pl_srv_write(padlock_conn *conn, int fd, const char *text) {
    size_t written;
    padlock_err rc = padlock_fd_write(conn, fd, (const uint8_t *)text, strlen(text), &written);
    (void)rc; /* a client that left is recorded by the connection's error */
}

static void pl_srv_lines(padlock_conn *conn, int fd, pl_srv_result *r) {
    char greeting[160];
    snprintf(greeting, sizeof(greeting), "padlock %s %s resumed=%d\n",
             padlock_cipher_suite_name(padlock_conn_cipher_suite(conn)),
             padlock_conn_group(conn) != 0 ? padlock_group_name(padlock_conn_group(conn)) : "none",
             padlock_conn_resumed(conn));
    pl_srv_write(conn, fd, greeting);
    char buf[4096], line[1024], reply[1100];
    size_t have = 0;
    while (pl_srv_read_line(conn, fd, buf, &have, line, sizeof(line))) {
        if (strcmp(line, "quit") == 0) {
            return;
        }
        snprintf(reply, sizeof(reply), "echo: %s\n", line);
        pl_srv_write(conn, fd, reply);
        r->lines++;
    }
}

static void pl_srv_http(padlock_conn *conn, int fd) {
    char req[8192];
    size_t have = 0;
    while (have < sizeof(req) - 1) {
        size_t n;
        if (padlock_fd_read(conn, fd, (uint8_t *)req + have, sizeof(req) - 1 - have, &n) !=
                PADLOCK_OK ||
            n == 0) {
            return;
        }
        have += n;
        req[have] = '\0';
        if (strstr(req, "\r\n\r\n") != NULL) {
            break;
        }
    }
    char resp[512];
    snprintf(resp, sizeof(resp),
             "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n\r\n%s",
             strlen(PL_SRV_HTTP_BODY), PL_SRV_HTTP_BODY);
    pl_srv_write(conn, fd, resp);
}

/* Serves one accepted connection and records it. */
static void pl_srv_serve(pl_srv *s, int fd) {
    pl_srv_result r;
    memset(&r, 0, sizeof(r));
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    padlock_conn *conn;
    r.handshake = padlock_conn_new(s->cfg, &conn);
    if (r.handshake == PADLOCK_OK) {
        r.handshake = padlock_fd_handshake(conn, fd);
        if (r.handshake == PADLOCK_OK) {
            r.suite = padlock_conn_cipher_suite(conn);
            r.group = padlock_conn_group(conn);
            r.scheme = padlock_conn_signature_scheme(conn);
            r.resumed = padlock_conn_resumed(conn);
            r.peer_certs = padlock_conn_peer_cert_count(conn);
            snprintf(r.alpn, sizeof(r.alpn), "%s",
                     padlock_conn_alpn(conn) != NULL ? padlock_conn_alpn(conn) : "");
            snprintf(r.sni, sizeof(r.sni), "%s",
                     padlock_conn_server_name(conn) != NULL ? padlock_conn_server_name(conn) : "");
            if (s->mode == PL_SRV_LINES) {
                pl_srv_lines(conn, fd, &r);
            } else {
                pl_srv_http(conn, fd);
            }
            r.ku_received = conn->tls.ku_received;
            r.ku_sent = conn->tls.ku_sent;
            padlock_err closed = padlock_fd_close(conn, fd);
            (void)closed; /* the client may be gone already */
        }
        if (padlock_conn_error(conn) != PADLOCK_OK) {
            snprintf(r.message, sizeof(r.message), "%s", padlock_conn_error_message(conn));
        }
        padlock_conn_free(conn);
    }
    close(fd);
    pthread_mutex_lock(&s->lock);
    if (s->num_results < PL_SRV_MAX_RESULTS) {
        s->results[s->num_results++] = r;
    }
    pthread_cond_broadcast(&s->done);
    pthread_mutex_unlock(&s->lock);
}

static void *pl_srv_main(void *arg) {
    pl_srv *s = arg;
    while (!atomic_load(&s->stop)) {
        struct pollfd p = {s->listen_fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) {
            continue;
        }
        /* Close-on-exec: clients the test starts meanwhile must not hold our connections. */
        int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0) {
            pl_srv_serve(s, fd);
        }
    }
    return NULL;
}

void pl_srv_start(pl_srv *s, padlock_config *cfg, pl_srv_mode mode) {
    memset(s, 0, sizeof(*s));
    s->cfg = cfg;
    s->mode = mode;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->done, NULL);
    s->listen_fd = pl_test_loopback_listen(16, &s->port);
    assert_int_equal(pthread_create(&s->thread, NULL, pl_srv_main, s), 0);
}

void pl_srv_stop(pl_srv *s) {
    atomic_store(&s->stop, 1);
    pthread_join(s->thread, NULL);
    close(s->listen_fd);
    pthread_cond_destroy(&s->done);
    pthread_mutex_destroy(&s->lock);
}

const pl_srv_result *pl_srv_wait(pl_srv *s, size_t n) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 15;
    pthread_mutex_lock(&s->lock);
    while (s->num_results < n) {
        if (pthread_cond_timedwait(&s->done, &s->lock, &until) == ETIMEDOUT) {
            break;
        }
    }
    size_t have = s->num_results;
    pthread_mutex_unlock(&s->lock);
    if (have < n) {
        fail_msg("the padlock server saw %zu connections end, not %zu", have, n);
    }
    return &s->results[n - 1];
}

padlock_config *pl_srv_config_for(const char *kind) {
    padlock_config *cfg;
    PL_ASSERT_OK(padlock_config_new(PADLOCK_SERVER, &cfg));
    char chain[600], key[600];
    snprintf(chain, sizeof(chain), "%s/%s-chain.pem", pl_interop_certs(), kind);
    snprintf(key, sizeof(key), "%s/%s.key", pl_interop_certs(), kind);
    if (padlock_config_add_certificate_files(cfg, chain, key) != PADLOCK_OK) {
        fail_msg("certificate: %s", padlock_config_error_message(cfg));
    }
    return cfg;
}

void pl_srv_require_client_certs(padlock_config *cfg, padlock_client_auth mode) {
    PL_ASSERT_OK(padlock_config_set_client_auth(cfg, mode));
    padlock_trust_store *store;
    PL_ASSERT_OK(padlock_trust_store_new(&store));
    char root[600];
    snprintf(root, sizeof(root), "%s/root.pem", pl_interop_certs());
    PL_ASSERT_OK(padlock_trust_store_add_file(store, root));
    PL_ASSERT_OK(padlock_config_set_trust_store(cfg, store));
}
