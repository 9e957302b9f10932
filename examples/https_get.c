/* https_get: fetches one page over HTTPS with padlock and prints the response (headers and
 * body) to standard output. An example of the client API over a blocking socket.
 *
 *   https_get [--cafile roots.pem] https://host[:port]/path
 *
 * The server's certificate is verified against the system's roots, or the PEM file given, and
 * the host name. SSLKEYLOGFILE is honoured, for looking at the traffic with Wireshark. Exit
 * status: 0 on success, 1 when the connection or the TLS handshake fails (the reason goes to
 * standard error), 2 for bad usage. */
#define _POSIX_C_SOURCE 200809L /* getaddrinfo: the example builds on its own with -std=c11 */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "padlock/padlock.h"
#include "padlock/x509.h"

/* Splits "https://host[:port]/path" into its parts (host without IPv6 brackets). */
static int parse_url(const char *url, char *host, size_t host_cap, char *port, size_t port_cap,
                     const char **path) {
    const char *p = url;
    if (strncmp(p, "https://", 8) != 0) {
        return -1;
    }
    p += 8;
    const char *host_end;
    const char *after;
    if (*p == '[') { /* [v6 address] */
        host_end = strchr(p, ']');
        if (host_end == NULL) {
            return -1;
        }
        p++;
        after = host_end + 1;
    } else {
        host_end = p + strcspn(p, ":/");
        after = host_end;
    }
    size_t host_len = (size_t)(host_end - p);
    if (host_len == 0 || host_len >= host_cap) {
        return -1;
    }
    memcpy(host, p, host_len);
    host[host_len] = '\0';
    snprintf(port, port_cap, "443");
    if (*after == ':') {
        size_t n = strcspn(after + 1, "/");
        if (n == 0 || n >= port_cap) {
            return -1;
        }
        memcpy(port, after + 1, n);
        port[n] = '\0';
        after += 1 + n;
    }
    *path = *after == '/' ? after : "/";
    return 0;
}

static int tcp_connect(const char *host, const char *port) {
    struct addrinfo hints, *res;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &res) != 0) {
        fprintf(stderr, "https_get: cannot resolve %s\n", host);
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        fprintf(stderr, "https_get: cannot connect to %s port %s\n", host, port);
    }
    return fd;
}

/* Sets up the configuration: system roots or the given PEM file, key log if asked. */
static padlock_err make_config(const char *cafile, padlock_config **out) {
    padlock_config *cfg;
    padlock_err rc = padlock_config_new(PADLOCK_CLIENT, &cfg);
    if (rc == PADLOCK_OK && cafile != NULL) {
        padlock_trust_store *store;
        rc = padlock_trust_store_new(&store);
        if (rc == PADLOCK_OK && (rc = padlock_trust_store_add_file(store, cafile)) != PADLOCK_OK) {
            fprintf(stderr, "https_get: %s\n", padlock_trust_store_last_error(store));
            padlock_trust_store_free(store);
        } else if (rc == PADLOCK_OK) {
            rc = padlock_config_set_trust_store(cfg, store); /* takes the store */
        }
    }
    if (rc == PADLOCK_OK) {
        rc = padlock_config_keylog_from_env(cfg);
    }
    if (rc != PADLOCK_OK) {
        padlock_config_free(cfg);
        return rc;
    }
    *out = cfg;
    return PADLOCK_OK;
}

/* Sends the request and copies the response to standard output until the server closes. */
static padlock_err fetch(padlock_conn *conn, int fd, const char *host, const char *path) {
    padlock_err rc = padlock_fd_handshake(conn, fd);
    if (rc != PADLOCK_OK) {
        return rc;
    }
    fprintf(stderr, "https_get: %s, %s, %s\n", padlock_version_name(padlock_conn_version(conn)),
            padlock_cipher_suite_name(padlock_conn_cipher_suite(conn)),
            padlock_group_name(padlock_conn_group(conn)));
    char request[1024];
    int len = snprintf(request, sizeof(request),
                       "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host);
    if (len < 0 || (size_t)len >= sizeof(request)) {
        return PADLOCK_E_INVALID_ARGUMENT;
    }
    size_t written;
    rc = padlock_fd_write(conn, fd, (const uint8_t *)request, (size_t)len, &written);
    for (;;) {
        uint8_t buf[16384];
        size_t n;
        if (rc != PADLOCK_OK ||
            (rc = padlock_fd_read(conn, fd, buf, sizeof(buf), &n)) != PADLOCK_OK) {
            return rc;
        }
        if (n == 0) {
            return padlock_fd_close(conn, fd); /* the server closed cleanly: answer in kind */
        }
        fwrite(buf, 1, n, stdout);
    }
}

int main(int argc, char **argv) {
    const char *cafile = NULL;
    int arg = 1;
    if (arg + 1 < argc && strcmp(argv[arg], "--cafile") == 0) {
        cafile = argv[arg + 1];
        arg += 2;
    }
    char host[256], port[16];
    const char *path;
    if (arg + 1 != argc || parse_url(argv[arg], host, sizeof(host), port, sizeof(port), &path)) {
        fprintf(stderr, "usage: https_get [--cafile roots.pem] https://host[:port]/path\n");
        return 2;
    }
    padlock_config *cfg;
    padlock_err rc = make_config(cafile, &cfg);
    if (rc != PADLOCK_OK) {
        fprintf(stderr, "https_get: %s\n", padlock_strerror(rc));
        return 1;
    }
    int status = 1;
    padlock_conn *conn = NULL;
    int fd = tcp_connect(host, port);
    if (fd >= 0 && (rc = padlock_conn_new(cfg, &conn)) != PADLOCK_OK) {
        fprintf(stderr, "https_get: %s\n", padlock_config_error_message(cfg));
    } else if (fd >= 0 && (rc = padlock_conn_set_server_name(conn, host)) != PADLOCK_OK) {
        fprintf(stderr, "https_get: \"%s\": %s\n", host, padlock_strerror(rc));
    } else if (fd >= 0 && (rc = fetch(conn, fd, host, path)) != PADLOCK_OK) {
        /* The connection's message names what failed: the certificate, the alert, ... */
        fprintf(stderr, "https_get: %s\n",
                padlock_conn_error(conn) != PADLOCK_OK ? padlock_conn_error_message(conn)
                                                       : padlock_strerror(rc));
    } else if (fd >= 0) {
        status = 0;
    }
    padlock_conn_free(conn);
    padlock_config_free(cfg);
    if (fd >= 0) {
        close(fd);
    }
    return status;
}
