/* padlock server: the listening socket (an IPv4 or IPv6 address, 127.0.0.1 by default; port 0
 * lets the kernel choose) and SIGINT/SIGTERM, which a self-pipe turns into an event of the
 * poll loop so that no signal is missed between two polls. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server.h"

static int pl_nonblocking(int fd) {
    return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 &&
           fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
}

static const char *pl_bind_error(int err) {
    switch (err) {
    case EADDRINUSE: return "the port is in use (another server? --port 0 picks a free one)";
    case EADDRNOTAVAIL: return "that address is not one of this machine's";
    case EACCES: return "permission denied (ports below 1024 need privileges)";
    default: return strerror(err);
    }
}

int pl_server_listen(const pl_server_args *a, int *out_fd) {
    char host[64];
    size_t len = strlen(a->listen);
    /* "[::1]" as in URLs, or "::1". */
    if (len >= 2 && a->listen[0] == '[' && a->listen[len - 1] == ']' && len - 2 < sizeof(host)) {
        snprintf(host, sizeof(host), "%.*s", (int)(len - 2), a->listen + 1);
    } else if (len < sizeof(host)) {
        snprintf(host, sizeof(host), "%s", a->listen);
    } else {
        host[0] = '\0';
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    socklen_t ss_len;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)a->port);
        ss_len = sizeof(*v4);
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)a->port);
        ss_len = sizeof(*v6);
    } else {
        return pl_cli_usage_error(PL_SERVER_CMD,
                                  "--listen '%s' is not an IP address (e.g. 127.0.0.1, ::1, "
                                  "0.0.0.0, ::)",
                                  a->listen);
    }
    int fd = socket(ss.ss_family, SOCK_STREAM, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        !pl_nonblocking(fd) || bind(fd, (struct sockaddr *)&ss, ss_len) != 0 ||
        listen(fd, 128) != 0) {
        int err = errno;
        fprintf(stderr, "padlock %s: cannot listen on %s port %d: %s\n", PL_SERVER_CMD, host,
                a->port, pl_bind_error(err));
        if (fd >= 0) {
            close(fd);
        }
        return PL_CLI_NETWORK;
    }
    socklen_t got = sizeof(ss);
    int port = a->port;
    if (getsockname(fd, (struct sockaddr *)&ss, &got) == 0) {
        port = ntohs(ss.ss_family == AF_INET6 ? v6->sin6_port : v4->sin_port);
    }
    int is_v6 = ss.ss_family == AF_INET6;
    printf("listening on https://%s%s%s:%d/\n", is_v6 ? "[" : "", host, is_v6 ? "]" : "", port);
    fflush(stdout);
    *out_fd = fd;
    return PL_CLI_OK;
}

static int pl_signal_pipe = -1;

static void pl_on_signal(int sig) {
    int saved = errno;
    uint8_t b = (uint8_t)sig;
    ssize_t w = write(pl_signal_pipe, &b, 1);
    (void)w; /* a full pipe already holds a wake-up */
    errno = saved;
}

int pl_server_signals(int *out_fd) {
    int p[2];
    if (pipe(p) != 0 || !pl_nonblocking(p[0]) || !pl_nonblocking(p[1])) {
        fprintf(stderr, "padlock %s: cannot set up signal handling: %s\n", PL_SERVER_CMD,
                strerror(errno));
        return PL_CLI_FAIL;
    }
    pl_signal_pipe = p[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = pl_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* A client that goes away shows as an error from send(), not as a signal. */
    signal(SIGPIPE, SIG_IGN);
    *out_fd = p[0];
    return PL_CLI_OK;
}
