/* The GnuTLS 3.7 adapter: a priority string narrowed from NORMAL to TLS 1.3, one cipher and
 * X25519; the harness's pipes as push/pull transport functions; stateless tickets (RFC 8446
 * §4.6.1) with a key made once per server context. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "harness/bench.h"

typedef struct {
    bench_role role;
    bool tickets;
    char host[256];
    gnutls_certificate_credentials_t cred;
    gnutls_priority_t prio;
    gnutls_datum_t ticket_key; /* server with tickets */
} gt_ctx;

typedef struct {
    gnutls_session_t s;
    bench_io *io;
    uint32_t tickets;
} gt_conn;

static void report(const char *what, int err) {
    bench_lib_error(what, gnutls_strerror(err));
}

static const char *version(void) {
    static char text[64];
    snprintf(text, sizeof(text), "GnuTLS %s", gnutls_check_version(NULL));
    return text;
}

/* ---- contexts ----------------------------------------------------------------------------- */

static void ctx_free(void *p) {
    gt_ctx *c = p;
    if (c != NULL) {
        if (c->cred != NULL) {
            gnutls_certificate_free_credentials(c->cred);
        }
        if (c->prio != NULL) {
            gnutls_priority_deinit(c->prio);
        }
        if (c->ticket_key.data != NULL) {
            gnutls_memset(c->ticket_key.data, 0, c->ticket_key.size);
            gnutls_free(c->ticket_key.data);
        }
        free(c);
    }
}

static bench_status ctx_new(bench_role role, const bench_config *cfg, void **out_ctx,
                            const char **out_na) {
    if (cfg->chain_cache) {
        *out_na = "keeps no verified chains between connections";
        return BENCH_NA;
    }
    gt_ctx *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return BENCH_ERROR;
    }
    c->role = role;
    c->tickets = cfg->tickets;
    snprintf(c->host, sizeof(c->host), "%s", cfg->host);
    const char *cipher = cfg->suite == BENCH_TLS_AES_128_GCM_SHA256   ? "AES-128-GCM"
                         : cfg->suite == BENCH_TLS_AES_256_GCM_SHA384 ? "AES-256-GCM"
                                                                      : "CHACHA20-POLY1305";
    char prio[256];
    snprintf(prio, sizeof(prio),
             "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+%s:-GROUP-ALL:+GROUP-X25519", cipher);
    int r = gnutls_priority_init2(&c->prio, prio, NULL, 0);
    if (r < 0) {
        report("priority string", r);
        ctx_free(c);
        return BENCH_ERROR;
    }
    r = gnutls_certificate_allocate_credentials(&c->cred);
    if (r < 0) {
        report("credentials", r);
        ctx_free(c);
        return BENCH_ERROR;
    }
    if (role == BENCH_CLIENT) {
        r = gnutls_certificate_set_x509_trust_file(c->cred, cfg->root_file, GNUTLS_X509_FMT_PEM);
        if (r <= 0) {
            report("loading the trust anchor", r < 0 ? r : GNUTLS_E_FILE_ERROR);
            ctx_free(c);
            return BENCH_ERROR;
        }
    } else {
        r = gnutls_certificate_set_x509_key_file2(c->cred, cfg->chain_file, cfg->key_file,
                                                  GNUTLS_X509_FMT_PEM, NULL, 0);
        if (r < 0) {
            report("loading the certificate chain and key", r);
            ctx_free(c);
            return BENCH_ERROR;
        }
        if (cfg->tickets && (r = gnutls_session_ticket_key_generate(&c->ticket_key)) < 0) {
            report("ticket key", r);
            ctx_free(c);
            return BENCH_ERROR;
        }
    }
    *out_ctx = c;
    return BENCH_DONE;
}

/* ---- transport over the harness's pipes --------------------------------------------------- */

static ssize_t push(gnutls_transport_ptr_t ptr, const void *in, size_t len) {
    gt_conn *c = ptr;
    size_t n = bench_pipe_write(c->io->out, in, len);
    if (n == 0 && len > 0) {
        gnutls_transport_set_errno(c->s, EAGAIN);
        return -1;
    }
    return (ssize_t)n;
}

static ssize_t pull(gnutls_transport_ptr_t ptr, void *out, size_t cap) {
    gt_conn *c = ptr;
    size_t n = bench_pipe_read(c->io->in, out, cap);
    if (n == 0 && cap > 0) {
        gnutls_transport_set_errno(c->s, EAGAIN);
        return -1;
    }
    return (ssize_t)n;
}

static int pull_timeout(gnutls_transport_ptr_t ptr, unsigned int ms) {
    (void)ms;
    gt_conn *c = ptr;
    return bench_pipe_pending(c->io->in) > 0 ? 1 : 0;
}

/* Client: counts NewSessionTicket messages as they are processed. */
static int on_ticket(gnutls_session_t s, unsigned int htype, unsigned when, unsigned int incoming,
                     const gnutls_datum_t *msg) {
    (void)htype;
    (void)when;
    (void)msg;
    if (incoming) {
        gt_conn *c = gnutls_session_get_ptr(s);
        c->tickets++;
    }
    return 0;
}

/* ---- connections -------------------------------------------------------------------------- */

static void conn_free(void *p) {
    gt_conn *c = p;
    if (c != NULL) {
        if (c->s != NULL) {
            gnutls_deinit(c->s);
        }
        free(c);
    }
}

static void *conn_new(void *ctx_p, bench_io *io, void *session) {
    gt_ctx *ctx = ctx_p;
    gt_conn *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return NULL;
    }
    c->io = io;
    unsigned flags = GNUTLS_NONBLOCK;
    if (ctx->role == BENCH_CLIENT) {
        flags |= GNUTLS_CLIENT;
    } else {
        flags |= GNUTLS_SERVER | (ctx->tickets ? 0 : GNUTLS_NO_TICKETS);
    }
    int r = gnutls_init(&c->s, flags);
    if (r < 0) {
        report("gnutls_init", r);
        conn_free(c);
        return NULL;
    }
    gnutls_session_set_ptr(c->s, c);
    gnutls_transport_set_ptr(c->s, c);
    gnutls_transport_set_push_function(c->s, push);
    gnutls_transport_set_pull_function(c->s, pull);
    gnutls_transport_set_pull_timeout_function(c->s, pull_timeout);
    r = gnutls_priority_set(c->s, ctx->prio);
    if (r >= 0) {
        r = gnutls_credentials_set(c->s, GNUTLS_CRD_CERTIFICATE, ctx->cred);
    }
    if (r >= 0 && ctx->role == BENCH_CLIENT) {
        r = gnutls_server_name_set(c->s, GNUTLS_NAME_DNS, ctx->host, strlen(ctx->host));
        if (r >= 0) {
            gnutls_session_set_verify_cert(c->s, ctx->host, 0);
            gnutls_handshake_set_hook_function(c->s, GNUTLS_HANDSHAKE_NEW_SESSION_TICKET,
                                               GNUTLS_HOOK_POST, on_ticket);
        }
        if (r >= 0 && session != NULL) {
            const gnutls_datum_t *d = session;
            r = gnutls_session_set_data(c->s, d->data, d->size);
        }
    }
    if (r >= 0 && ctx->role == BENCH_SERVER && ctx->tickets) {
        r = gnutls_session_ticket_enable_server(c->s, &ctx->ticket_key);
    }
    if (r < 0) {
        report("configuring the session", r);
        conn_free(c);
        return NULL;
    }
    return c;
}

static bench_status handshake(void *p) {
    gt_conn *c = p;
    int r = gnutls_handshake(c->s);
    if (r == 0) {
        return BENCH_DONE;
    }
    if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) {
        return BENCH_WANT;
    }
    if (r == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
        gnutls_datum_t out = {NULL, 0};
        unsigned status = gnutls_session_get_verify_cert_status(c->s);
        if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &out, 0) == 0) {
            bench_lib_error("handshake: certificate verification", (const char *)out.data);
            gnutls_free(out.data);
            return BENCH_ERROR;
        }
    }
    report("handshake", r);
    return BENCH_ERROR;
}

static bench_status conn_read(void *p, uint8_t *out, size_t cap, size_t *out_len) {
    gt_conn *c = p;
    *out_len = 0;
    ssize_t r = gnutls_record_recv(c->s, out, cap);
    if (r > 0) {
        *out_len = (size_t)r;
        return BENCH_DONE;
    }
    if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) {
        return BENCH_WANT;
    }
    report("read", r == 0 ? GNUTLS_E_PREMATURE_TERMINATION : (int)r);
    return BENCH_ERROR;
}

static bench_status conn_write(void *p, const uint8_t *in, size_t len) {
    gt_conn *c = p;
    while (len > 0) {
        ssize_t r = gnutls_record_send(c->s, in, len);
        if (r <= 0) {
            report("write", r == 0 ? GNUTLS_E_INTERNAL_ERROR : (int)r);
            return BENCH_ERROR;
        }
        in += r;
        len -= (size_t)r;
    }
    return BENCH_DONE;
}

static void info(void *p, bench_info *out) {
    gt_conn *c = p;
    out->version = gnutls_protocol_get_version(c->s) == GNUTLS_TLS1_3 ? BENCH_VERSION_TLS13 : 0;
    switch (gnutls_cipher_get(c->s)) {
    case GNUTLS_CIPHER_AES_128_GCM: out->suite = BENCH_TLS_AES_128_GCM_SHA256; break;
    case GNUTLS_CIPHER_AES_256_GCM: out->suite = BENCH_TLS_AES_256_GCM_SHA384; break;
    case GNUTLS_CIPHER_CHACHA20_POLY1305: out->suite = BENCH_TLS_CHACHA20_POLY1305_SHA256; break;
    default: out->suite = 0; break;
    }
    out->group = gnutls_group_get(c->s) == GNUTLS_GROUP_X25519 ? BENCH_GROUP_X25519 : 0;
    out->resumed = gnutls_session_is_resumed(c->s) != 0;
    out->tickets_received = c->tickets;
}

/* The session is GnuTLS's serialised form, held in a datum the caller frees. */
static void *session_take(void *p) {
    gt_conn *c = p;
    if (c->tickets == 0) {
        return NULL;
    }
    gnutls_datum_t *d = calloc(1, sizeof(*d));
    if (d == NULL) {
        return NULL;
    }
    int r = gnutls_session_get_data2(c->s, d);
    if (r < 0) {
        report("gnutls_session_get_data2", r);
        free(d);
        return NULL;
    }
    return d;
}

static void session_free(void *p) {
    gnutls_datum_t *d = p;
    gnutls_free(d->data);
    free(d);
}

const bench_lib bench_this_lib = {
    .name = "gnutls",
    .version = version,
    .ctx_new = ctx_new,
    .ctx_free = ctx_free,
    .conn_new = conn_new,
    .handshake = handshake,
    .read = conn_read,
    .write = conn_write,
    .info = info,
    .session_take = session_take,
    .session_free = session_free,
    .conn_free = conn_free,
};
