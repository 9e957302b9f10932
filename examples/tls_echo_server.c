/* tls_echo_server: a TLS 1.3 server that echoes what each client sends, one connection at a
 * time. An example of the server API over blocking sockets.
 *
 *   tls_echo_server CHAIN.pem KEY.pem PORT [CLIENT-CAS.pem]
 *
 * It listens on 127.0.0.1:PORT with the certificate chain and key given; with CLIENT-CAS.pem
 * it asks clients for a certificate issued under those CAs (optional). Returning clients resume
 * with session tickets (padlock's default). Each connection is reported on standard output:
 * the suite, group, whether it resumed, the name the client asked for and, if it sent one, its
 * certificate's subject. SSLKEYLOGFILE is honoured. It runs until killed; exit status 2 for bad
 * usage, 1 when it cannot start. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "padlock/padlock.h"
#include "padlock/x509.h"

/* The subject of the client's certificate, or "-". */
static void print_client(const padlock_conn *conn) {
    size_t len;
    const uint8_t *der = padlock_conn_peer_cert(conn, 0, &len);
    padlock_cert *cert;
    if (der != NULL && padlock_cert_from_der(der, len, &cert) == PADLOCK_OK) {
        printf(" client=\"%s\"", padlock_cert_subject(cert));
        padlock_cert_free(cert);
    }
}

/* Handshake, then echo until the client closes. */
static void serve(padlock_config *cfg, int fd) {
    padlock_conn *conn;
    padlock_err rc = padlock_conn_new(cfg, &conn);
    if (rc != PADLOCK_OK) {
        fprintf(stderr, "connection: %s\n", padlock_strerror(rc));
        return;
    }
    rc = padlock_fd_handshake(conn, fd);
    if (rc == PADLOCK_OK) {
        const char *name = padlock_conn_server_name(conn);
        printf("handshake: %s %s resumed=%d name=%s",
               padlock_cipher_suite_name(padlock_conn_cipher_suite(conn)),
               padlock_group_name(padlock_conn_group(conn)), padlock_conn_resumed(conn),
               name != NULL ? name : "-");
        print_client(conn);
        printf("\n");
        fflush(stdout);
    }
    uint8_t buf[16384];
    size_t n, written;
    while (rc == PADLOCK_OK &&
           (rc = padlock_fd_read(conn, fd, buf, sizeof(buf), &n)) == PADLOCK_OK && n > 0) {
        rc = padlock_fd_write(conn, fd, buf, n, &written);
    }
    if (rc == PADLOCK_OK) {
        rc = padlock_fd_close(conn, fd); /* the client closed: close too */
    }
    if (rc != PADLOCK_OK) {
        /* The connection's message names what went wrong, e.g. "peer did not send a required
         * certificate" or "ClientHello: the client offers only 0x0303 ...". */
        printf("failed: %s\n", padlock_conn_error(conn) != PADLOCK_OK
                                   ? padlock_conn_error_message(conn)
                                   : padlock_strerror(rc));
        fflush(stdout);
    }
    padlock_conn_free(conn);
}

/* The configuration: our chain, optionally client certificates, the key log if asked for. */
static padlock_config *configure(const char *chain, const char *key, const char *client_cas) {
    padlock_config *cfg;
    if (padlock_config_new(PADLOCK_SERVER, &cfg) != PADLOCK_OK) {
        return NULL;
    }
    padlock_err rc = padlock_config_add_certificate_files(cfg, chain, key);
    if (rc == PADLOCK_OK && client_cas != NULL) {
        padlock_trust_store *store;
        rc = padlock_trust_store_new(&store);
        if (rc == PADLOCK_OK) {
            rc = padlock_trust_store_add_file(store, client_cas);
            if (rc != PADLOCK_OK) {
                fprintf(stderr, "%s\n", padlock_trust_store_last_error(store));
                padlock_trust_store_free(store);
                padlock_config_free(cfg);
                return NULL;
            }
            rc = padlock_config_set_trust_store(cfg, store);
        }
        if (rc == PADLOCK_OK) {
            rc = padlock_config_set_client_auth(cfg, PADLOCK_CLIENT_AUTH_OPTIONAL);
        }
    }
    if (rc == PADLOCK_OK) {
        rc = padlock_config_keylog_from_env(cfg);
    }
    if (rc != PADLOCK_OK) {
        const char *why = padlock_config_error_message(cfg);
        fprintf(stderr, "%s\n", why != NULL ? why : padlock_strerror(rc));
        padlock_config_free(cfg);
        return NULL;
    }
    return cfg;
}

int main(int argc, char **argv) {
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: %s CHAIN.pem KEY.pem PORT [CLIENT-CAS.pem]\n", argv[0]);
        return 2;
    }
    padlock_config *cfg = configure(argv[1], argv[2], argc == 5 ? argv[4] : NULL);
    if (cfg == NULL) {
        return 1;
    }
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)atoi(argv[3]));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(lfd, 16) != 0) {
        perror("listen");
        padlock_config_free(cfg);
        return 1;
    }
    printf("listening on 127.0.0.1:%s\n", argv[3]);
    fflush(stdout);
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0) {
            continue;
        }
        /* A client that stalls must not hold the server forever. */
        struct timeval tv = {30, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        serve(cfg, fd);
        close(fd);
    }
}
