/* padlock server: the event loop. One poll() over the signal pipe, the listening socket and
 * every connection; new connections are accepted up to --max-connections (the rest wait in
 * the kernel's backlog); each connection's deadline bounds its handshake, its silences and
 * its closing; SIGINT or SIGTERM stop accepting and close every connection with close_notify. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

/* Connections accepted per wake-up, so that a flood cannot starve the others. */
#define PL_ACCEPT_BURST 64
/* Out of file descriptors: wait this long before accepting again. */
#define PL_ACCEPT_PAUSE_MS 100

int64_t pl_server_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "127.0.0.1:50312" or "[::1]:50312". */
static void pl_peer_text(const struct sockaddr_storage *ss, char *out, size_t cap) {
    char addr[INET6_ADDRSTRLEN] = "?";
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
        inet_ntop(AF_INET6, &a->sin6_addr, addr, sizeof(addr));
        snprintf(out, cap, "[%s]:%d", addr, ntohs(a->sin6_port));
    } else {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
        inet_ntop(AF_INET, &a->sin_addr, addr, sizeof(addr));
        snprintf(out, cap, "%s:%d", addr, ntohs(a->sin_port));
    }
}

static void pl_accept(pl_server *s) {
    for (int i = 0; i < PL_ACCEPT_BURST && s->num_conns < s->args->max_conns; i++) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        int fd = accept(s->listen_fd, (struct sockaddr *)&ss, &len);
        if (fd < 0 && (errno == EINTR || errno == ECONNABORTED)) {
            continue;
        }
        if (fd < 0 && (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)) {
            fprintf(stderr, "padlock %s: cannot accept a connection: %s (retrying)\n",
                    PL_SERVER_CMD, strerror(errno));
            s->accept_paused_until_ms = pl_server_now_ms() + PL_ACCEPT_PAUSE_MS;
            return;
        }
        if (fd < 0) {
            return; /* EAGAIN: nobody else is waiting */
        }
        int one = 1;
        char peer[64];
        pl_peer_text(&ss, peer, sizeof(peer));
        if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0 ||
            fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
            fprintf(stderr, "padlock %s: %s: %s\n", PL_SERVER_CMD, peer, strerror(errno));
            close(fd);
            continue;
        }
        /* Records are whole messages: send each at once rather than waiting for an ACK. */
        (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        pl_server_conn *c = pl_server_conn_new(s, fd, peer);
        if (c == NULL) {
            close(fd);
            continue;
        }
        s->conns[s->num_conns++] = c;
    }
}

/* A signal: the first one stops accepting and closes connections as they become idle; a
 * second one while that is going on ends them at once. */
static void pl_on_signal(pl_server *s) {
    uint8_t sig = 0, b;
    while (read(s->signal_fd, &b, 1) == 1) {
        sig = b;
    }
    if (sig == 0) {
        return;
    }
    const char *name = sig == SIGINT ? "SIGINT" : "SIGTERM";
    if (s->stopping) {
        fprintf(stderr, "padlock %s: %s again: closing %d connection%s now\n", PL_SERVER_CMD, name,
                s->num_conns, s->num_conns == 1 ? "" : "s");
        s->stop_deadline_ms = pl_server_now_ms();
        return;
    }
    fprintf(stderr, "padlock %s: %s: no new connections; closing %d open connection%s\n",
            PL_SERVER_CMD, name, s->num_conns, s->num_conns == 1 ? "" : "s");
    s->stopping = 1;
    s->stop_deadline_ms = pl_server_now_ms() + PL_SERVER_DRAIN_MS;
    close(s->listen_fd);
    s->listen_fd = -1;
    int64_t linger = pl_server_now_ms() + PL_SERVER_LINGER_MS;
    for (int i = 0; i < s->num_conns; i++) {
        pl_server_conn *c = s->conns[i];
        /* A handshake under way gets a moment to complete (and then close_notify). */
        if (!c->handshake_done && c->deadline_ms > linger) {
            c->deadline_ms = linger;
        }
        pl_server_conn_pump(s, c);
    }
}

/* Logs and frees the connections that ended. */
static void pl_reap(pl_server *s) {
    int kept = 0;
    for (int i = 0; i < s->num_conns; i++) {
        pl_server_conn *c = s->conns[i];
        if (c->done) {
            pl_server_log(s, c);
            pl_server_conn_free(c);
        } else {
            s->conns[kept++] = c;
        }
    }
    s->num_conns = kept;
}

/* The poll timeout: until the nearest deadline. */
static int pl_wait_ms(const pl_server *s, int64_t now) {
    int64_t next = -1;
    for (int i = 0; i < s->num_conns; i++) {
        if (next < 0 || s->conns[i]->deadline_ms < next) {
            next = s->conns[i]->deadline_ms;
        }
    }
    if (s->stopping && (next < 0 || s->stop_deadline_ms < next)) {
        next = s->stop_deadline_ms;
    }
    if (s->accept_paused_until_ms > now && (next < 0 || s->accept_paused_until_ms < next)) {
        next = s->accept_paused_until_ms;
    }
    if (next < 0) {
        return -1;
    }
    return next <= now ? 0 : (int)(next - now);
}

int pl_server_run(pl_server *s) {
    int cap = s->args->max_conns;
    struct pollfd *pfd = calloc((size_t)cap + 2, sizeof(*pfd));
    s->conns = calloc((size_t)cap, sizeof(*s->conns));
    if (pfd == NULL || s->conns == NULL) {
        fprintf(stderr, "padlock %s: out of memory\n", PL_SERVER_CMD);
        free(pfd);
        return PL_CLI_FAIL;
    }
    int code = PL_CLI_OK;
    for (;;) {
        int64_t now = pl_server_now_ms();
        if (s->stopping && (s->num_conns == 0 || now >= s->stop_deadline_ms)) {
            break;
        }
        pfd[0] = (struct pollfd){s->signal_fd, POLLIN, 0};
        pfd[1] = (struct pollfd){-1, 0, 0}; /* a negative fd is skipped by poll() */
        if (s->listen_fd >= 0 && s->num_conns < cap && now >= s->accept_paused_until_ms) {
            pfd[1] = (struct pollfd){s->listen_fd, POLLIN, 0};
        }
        int polled = s->num_conns;
        for (int i = 0; i < polled; i++) {
            pfd[2 + i] = (struct pollfd){s->conns[i]->fd, pl_server_conn_events(s, s->conns[i]), 0};
        }
        int n = poll(pfd, (nfds_t)polled + 2, pl_wait_ms(s, now));
        if (n < 0 && errno != EINTR) {
            fprintf(stderr, "padlock %s: poll: %s\n", PL_SERVER_CMD, strerror(errno));
            code = PL_CLI_FAIL;
            break;
        }
        if (n > 0 && pfd[0].revents != 0) {
            pl_on_signal(s);
        }
        for (int i = 0; i < polled && n > 0; i++) {
            if (pfd[2 + i].revents != 0) {
                pl_server_conn_pump(s, s->conns[i]);
            }
        }
        if (n > 0 && pfd[1].revents != 0 && s->listen_fd >= 0) {
            pl_accept(s);
        }
        now = pl_server_now_ms();
        for (int i = 0; i < s->num_conns; i++) {
            pl_server_conn *c = s->conns[i];
            if (!c->done && now >= c->deadline_ms) {
                pl_server_conn_timeout(s, c);
            }
        }
        pl_reap(s);
    }
    for (int i = 0; i < s->num_conns; i++) {
        pl_server_conn_finish(s->conns[i], "cut off: the server stopped before it ended");
    }
    pl_reap(s);
    free(pfd);
    free(s->conns);
    s->conns = NULL;
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
    }
    return code;
}
