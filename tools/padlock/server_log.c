/* padlock server: the line each connection leaves on standard error when it ends, e.g.
 *   2026-11-22T22:06:46Z 127.0.0.1:50412 TLSv1.3 TLS_AES_128_GCM_SHA256 sni=localhost
 *   alpn=http/1.1 client=- in=78 out=1432 http=200 outcome=ok
 * (one line): who, what was negotiated, who the client proved to be, application bytes each
 * way, the HTTP statuses (--www), and how it ended: outcome= runs to the end of the line. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "server.h"

/* "client=\"CN=alice\"" for a client that authenticated with a certificate, else "client=-". */
static void pl_client_identity(const padlock_conn *conn, char *out, size_t cap) {
    size_t len;
    const uint8_t *der = padlock_conn_peer_cert(conn, 0, &len);
    padlock_cert *cert;
    if (der != NULL && padlock_conn_handshake_done(conn) &&
        padlock_cert_from_der(der, len, &cert) == PADLOCK_OK) {
        snprintf(out, cap, "client=\"%s\"", padlock_cert_subject(cert));
        padlock_cert_free(cert);
        return;
    }
    snprintf(out, cap, "client=-");
}

/* " http=200,404" for --www: the statuses of the first requests, "+N" for the rest. */
static void pl_statuses(const pl_server *s, const pl_server_conn *c, char *out, size_t cap) {
    out[0] = '\0';
    if (s->args->mode != PL_SERVER_WWW) {
        return;
    }
    size_t o = (size_t)snprintf(out, cap, " http=%s", c->requests == 0 ? "-" : "");
    size_t kept = sizeof(c->statuses) / sizeof(c->statuses[0]);
    for (unsigned i = 0; i < c->requests && i < kept && o < cap; i++) {
        o += (size_t)snprintf(out + o, cap - o, "%s%u", i > 0 ? "," : "", c->statuses[i]);
    }
    if (c->requests > kept && o < cap) {
        snprintf(out + o, cap - o, ",+%u", c->requests - (unsigned)kept);
    }
}

void pl_server_log(const pl_server *s, const pl_server_conn *c) {
    const padlock_conn *t = c->tls;
    char when[PADLOCK_RFC3339_BUF];
    padlock_time_format((int64_t)time(NULL), when);
    const char *version = padlock_version_name(padlock_conn_version(t));
    const char *suite = padlock_cipher_suite_name(padlock_conn_cipher_suite(t));
    const char *sni = padlock_conn_server_name(t);
    const char *alpn = padlock_conn_alpn(t);
    char client[600], statuses[96];
    pl_client_identity(t, client, sizeof(client));
    pl_statuses(s, c, statuses, sizeof(statuses));
    fprintf(stderr, "%s %s %s %s sni=%s alpn=%s %s%s in=%llu out=%llu%s outcome=%s\n", when,
            c->peer, version != NULL ? version : "-", suite != NULL ? suite : "-",
            sni != NULL ? sni : "-", alpn != NULL && alpn[0] != '\0' ? alpn : "-", client,
            padlock_conn_resumed(t) ? " resumed" : "", (unsigned long long)c->bytes_in,
            (unsigned long long)c->bytes_out, statuses, c->outcome);
    fflush(stderr);
}
