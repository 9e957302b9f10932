/* padlock client, the network side: HOST:PORT split (IPv6 literals in brackets, RFC 3986
 * §3.2.2), resolution with getaddrinfo, and a non-blocking connect to each address in turn
 * with a timeout, saying for every address why it failed. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "client.h"

int pl_client_split_target(const char *target, pl_client_args *a) {
    const char *host = target;
    size_t host_len;
    const char *rest;
    if (target[0] == '[') {
        const char *close = strchr(target, ']');
        if (close == NULL) {
            return pl_cli_usage_error(PL_CLIENT_CMD, "'%s': missing ']' after the IPv6 address",
                                      target);
        }
        host = target + 1;
        host_len = (size_t)(close - host);
        rest = close + 1;
        if (*rest != '\0' && *rest != ':') {
            return pl_cli_usage_error(PL_CLIENT_CMD, "'%s': expected ':PORT' after ']'", target);
        }
    } else {
        const char *colon = strchr(target, ':');
        if (colon != NULL && strchr(colon + 1, ':') != NULL) {
            return pl_cli_usage_error(
                PL_CLIENT_CMD, "'%s': an IPv6 address goes in brackets, e.g. [::1]:443", target);
        }
        host_len = colon != NULL ? (size_t)(colon - target) : strlen(target);
        rest = target + host_len;
    }
    if (host_len == 0) {
        return pl_cli_usage_error(PL_CLIENT_CMD, "'%s': no host name or address", target);
    }
    if (host_len >= sizeof(a->host)) {
        return pl_cli_usage_error(PL_CLIENT_CMD, "host name longer than %zu characters",
                                  sizeof(a->host) - 1);
    }
    memcpy(a->host, host, host_len);
    a->host[host_len] = '\0';
    if (target[0] == '[') {
        struct in6_addr v6;
        if (inet_pton(AF_INET6, a->host, &v6) != 1) {
            return pl_cli_usage_error(PL_CLIENT_CMD, "'%s' is not an IPv6 address", a->host);
        }
    }
    if (*rest == '\0') {
        snprintf(a->port, sizeof(a->port), "443");
        return PL_CLI_OK;
    }
    const char *port = rest + 1; /* after ':' */
    if (*port == '\0' || strlen(port) >= sizeof(a->port)) {
        return pl_cli_usage_error(PL_CLIENT_CMD, "'%s': missing or overlong port", target);
    }
    if (port[strspn(port, "0123456789")] == '\0') {
        long v = strtol(port, NULL, 10);
        if (v < 1 || v > 65535 || strlen(port) > 5) {
            return pl_cli_usage_error(PL_CLIENT_CMD, "port %s is not between 1 and 65535", port);
        }
    }
    snprintf(a->port, sizeof(a->port), "%s", port);
    return PL_CLI_OK;
}

static int64_t pl_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Connects fd to ai within timeout_ms; returns 0, or an errno value (ETIMEDOUT on timeout). */
static int pl_connect_one(int fd, const struct addrinfo *ai, int timeout_ms) {
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
        return 0;
    }
    if (errno != EINPROGRESS && errno != EINTR) {
        return errno;
    }
    int64_t deadline = pl_now_ms() + timeout_ms;
    for (;;) {
        int64_t left = deadline - pl_now_ms();
        if (left <= 0) {
            return ETIMEDOUT;
        }
        struct pollfd p = {fd, POLLOUT, 0};
        int n = poll(&p, 1, (int)left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return errno;
        }
        if (n == 0) {
            return ETIMEDOUT;
        }
        int err = 0;
        socklen_t len = sizeof(err);
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) {
            return errno;
        }
        return err;
    }
}

/* The numeric address and port of ai. */
static void pl_addr_text(const struct addrinfo *ai, char *out, size_t cap, int *port) {
    const void *bytes;
    if (ai->ai_family == AF_INET6) {
        const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ai->ai_addr;
        bytes = &s->sin6_addr;
        *port = ntohs(s->sin6_port);
    } else {
        const struct sockaddr_in *s = (const struct sockaddr_in *)ai->ai_addr;
        bytes = &s->sin_addr;
        *port = ntohs(s->sin_port);
    }
    if (inet_ntop(ai->ai_family, bytes, out, (socklen_t)cap) == NULL) {
        snprintf(out, cap, "?");
    }
}

static const char *pl_connect_error(int err, int timeout_s, char *buf, size_t cap) {
    if (err == ETIMEDOUT) {
        snprintf(buf, cap, "no answer within %d s", timeout_s);
    } else if (err == ECONNREFUSED) {
        snprintf(buf, cap, "connection refused (nothing listens on that port)");
    } else {
        snprintf(buf, cap, "%s", strerror(err));
    }
    return buf;
}

int pl_client_connect(const pl_client_args *a, int *out_fd, char *addr, size_t addr_cap,
                      int *out_port) {
    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    int gai = getaddrinfo(a->host, a->port, &hints, &res);
    if (gai == EAI_SERVICE) {
        return pl_cli_usage_error(PL_CLIENT_CMD,
                                  "unknown port '%s' (a number, or a service "
                                  "name such as https)",
                                  a->port);
    }
    if (gai != 0) {
        fprintf(stderr, "padlock %s: cannot resolve %s: %s\n", PL_CLIENT_CMD, a->host,
                gai == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai));
        return PL_CLI_NETWORK;
    }
    int fd = -1;
    for (const struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
        char why[128];
        pl_addr_text(ai, addr, addr_cap, out_port);
        int s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        int err = s < 0 ? errno : 0;
        if (err == 0 && fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK) != 0) {
            err = errno;
        }
        if (err == 0) {
            err = pl_connect_one(s, ai, a->timeout_s * 1000);
        }
        if (err == 0) {
            fd = s;
            break;
        }
        if (s >= 0) {
            close(s);
        }
        fprintf(stderr, "padlock %s: cannot connect to %s port %s (%s): %s\n", PL_CLIENT_CMD,
                a->host, a->port, addr, pl_connect_error(err, a->timeout_s, why, sizeof(why)));
    }
    freeaddrinfo(res);
    if (fd < 0) {
        return PL_CLI_NETWORK;
    }
    *out_fd = fd;
    return PL_CLI_OK;
}
