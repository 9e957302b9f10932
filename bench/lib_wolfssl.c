/* The wolfSSL 5.5 adapter (Debian's build, whose options.h must come first): TLS 1.3-only
 * methods, one cipher, X25519, the harness's pipes as I/O callbacks, the library's built-in
 * ticket encryption, and its session caches switched off on both sides like everyone's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

#include "harness/bench.h"

typedef struct {
    WOLFSSL_CTX *ctx;
    bench_role role;
    char host[256];
} wolf_ctx;

typedef struct {
    WOLFSSL *ssl;
    uint32_t tickets;
} wolf_conn;

static void report(const char *what, WOLFSSL *ssl, int ret) {
    char detail[WOLFSSL_MAX_ERROR_SZ];
    int err = ssl != NULL ? wolfSSL_get_error(ssl, ret) : ret;
    wolfSSL_ERR_error_string_n((unsigned long)err, detail, sizeof(detail));
    bench_lib_error(what, detail);
}

static const char *version(void) {
    static char text[64];
    snprintf(text, sizeof(text), "wolfSSL %s", wolfSSL_lib_version());
    return text;
}

/* ---- I/O over the harness's pipes --------------------------------------------------------- */

static int recv_cb(WOLFSSL *ssl, char *out, int cap, void *ctx) {
    (void)ssl;
    bench_io *io = ctx;
    size_t n = bench_pipe_read(io->in, (uint8_t *)out, (size_t)cap);
    return n == 0 && cap > 0 ? WOLFSSL_CBIO_ERR_WANT_READ : (int)n;
}

static int send_cb(WOLFSSL *ssl, char *in, int len, void *ctx) {
    (void)ssl;
    bench_io *io = ctx;
    size_t n = bench_pipe_write(io->out, (const uint8_t *)in, (size_t)len);
    return n == 0 && len > 0 ? WOLFSSL_CBIO_ERR_WANT_WRITE : (int)n;
}

/* ---- contexts ----------------------------------------------------------------------------- */

static void ctx_free(void *p) {
    wolf_ctx *c = p;
    if (c != NULL) {
        wolfSSL_CTX_free(c->ctx);
        free(c);
    }
}

static bench_status ctx_new(bench_role role, const bench_config *cfg, void **out_ctx,
                            const char **out_na) {
    if (cfg->chain_cache) {
        *out_na = "keeps no verified chains between connections";
        return BENCH_NA;
    }
    static bool initialised;
    if (!initialised) {
        if (wolfSSL_Init() != WOLFSSL_SUCCESS) {
            bench_lib_error("wolfSSL_Init", "failed");
            return BENCH_ERROR;
        }
        initialised = true;
    }
    wolf_ctx *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return BENCH_ERROR;
    }
    c->role = role;
    snprintf(c->host, sizeof(c->host), "%s", cfg->host);
    c->ctx = wolfSSL_CTX_new(role == BENCH_CLIENT ? wolfTLSv1_3_client_method()
                                                  : wolfTLSv1_3_server_method());
    if (c->ctx == NULL) {
        bench_lib_error("wolfSSL_CTX_new", "failed");
        free(c);
        return BENCH_ERROR;
    }
    WOLFSSL_CTX *ctx = c->ctx;
    const char *cipher = cfg->suite == BENCH_TLS_AES_128_GCM_SHA256 ? "TLS13-AES128-GCM-SHA256"
                         : cfg->suite == BENCH_TLS_AES_256_GCM_SHA384
                             ? "TLS13-AES256-GCM-SHA384"
                             : "TLS13-CHACHA20-POLY1305-SHA256";
    int groups[] = {WOLFSSL_ECC_X25519};
    const char *step = "cipher list";
    int r = wolfSSL_CTX_set_cipher_list(ctx, cipher);
    if (r == WOLFSSL_SUCCESS) {
        step = "groups";
        r = wolfSSL_CTX_set_groups(ctx, groups, 1);
    }
    if (r == WOLFSSL_SUCCESS && role == BENCH_CLIENT) {
        step = "loading the trust anchor";
        r = wolfSSL_CTX_load_verify_locations(ctx, cfg->root_file, NULL);
        wolfSSL_CTX_set_verify(ctx, WOLFSSL_VERIFY_PEER, NULL);
    }
    if (r == WOLFSSL_SUCCESS && role == BENCH_SERVER) {
        step = "loading the certificate chain";
        r = wolfSSL_CTX_use_certificate_chain_file(ctx, cfg->chain_file);
        if (r == WOLFSSL_SUCCESS) {
            step = "loading the private key";
            r = wolfSSL_CTX_use_PrivateKey_file(ctx, cfg->key_file, WOLFSSL_FILETYPE_PEM);
        }
        if (r == WOLFSSL_SUCCESS && !cfg->tickets) {
            step = "disabling tickets";
            /* Unlike the others, this one returns 0 on success. */
            r = wolfSSL_CTX_no_ticket_TLSv13(ctx) == 0 ? WOLFSSL_SUCCESS : WOLFSSL_FAILURE;
        }
        if (r == WOLFSSL_SUCCESS && cfg->tickets) {
            step = "ticket count";
            r = wolfSSL_CTX_set_num_tickets(ctx, 1);
        }
    }
    if (r != WOLFSSL_SUCCESS) {
        report(step, NULL, r);
        ctx_free(c);
        return BENCH_ERROR;
    }
    /* No internal session cache on either side: servers resume from tickets only, and the
     * client's session is the object the harness holds. */
    wolfSSL_CTX_set_session_cache_mode(ctx, WOLFSSL_SESS_CACHE_OFF);
    wolfSSL_CTX_SetIORecv(ctx, recv_cb);
    wolfSSL_CTX_SetIOSend(ctx, send_cb);
    *out_ctx = c;
    return BENCH_DONE;
}

/* ---- connections -------------------------------------------------------------------------- */

/* Client: called for each NewSessionTicket (RFC 8446 §4.6.1) the connection processes. */
static int on_ticket(WOLFSSL *ssl, const unsigned char *ticket, int len, void *ctx) {
    (void)ssl;
    (void)ticket;
    (void)len;
    wolf_conn *c = ctx;
    c->tickets++;
    return 0;
}

static void conn_free(void *p) {
    wolf_conn *c = p;
    if (c != NULL) {
        wolfSSL_free(c->ssl);
        free(c);
    }
}

static void *conn_new(void *ctx_p, bench_io *io, void *session) {
    wolf_ctx *ctx = ctx_p;
    wolf_conn *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return NULL;
    }
    c->ssl = wolfSSL_new(ctx->ctx);
    if (c->ssl == NULL) {
        bench_lib_error("wolfSSL_new", "failed");
        conn_free(c);
        return NULL;
    }
    wolfSSL_SetIOReadCtx(c->ssl, io);
    wolfSSL_SetIOWriteCtx(c->ssl, io);
    if (ctx->role == BENCH_CLIENT) {
        const char *step = "SNI";
        int r = wolfSSL_UseSNI(c->ssl, WOLFSSL_SNI_HOST_NAME, ctx->host,
                               (unsigned short)strlen(ctx->host));
        if (r == WOLFSSL_SUCCESS) {
            step = "host name check";
            r = wolfSSL_check_domain_name(c->ssl, ctx->host);
        }
        if (r == WOLFSSL_SUCCESS) {
            step = "ticket callback";
            r = wolfSSL_set_SessionTicket_cb(c->ssl, on_ticket, c);
        }
        if (r == WOLFSSL_SUCCESS && session != NULL) {
            step = "setting the session";
            r = wolfSSL_set_session(c->ssl, session);
        }
        if (r != WOLFSSL_SUCCESS) {
            report(step, NULL, r);
            conn_free(c);
            return NULL;
        }
    }
    return c;
}

static bench_status handshake(void *p) {
    wolf_conn *c = p;
    int r = wolfSSL_is_server(c->ssl) ? wolfSSL_accept(c->ssl) : wolfSSL_connect(c->ssl);
    if (r == WOLFSSL_SUCCESS) {
        return BENCH_DONE;
    }
    int e = wolfSSL_get_error(c->ssl, r);
    if (e == WOLFSSL_ERROR_WANT_READ || e == WOLFSSL_ERROR_WANT_WRITE) {
        return BENCH_WANT;
    }
    report("handshake", c->ssl, r);
    return BENCH_ERROR;
}

static bench_status conn_read(void *p, uint8_t *out, size_t cap, size_t *out_len) {
    wolf_conn *c = p;
    *out_len = 0;
    int r = wolfSSL_read(c->ssl, out, (int)cap);
    if (r > 0) {
        *out_len = (size_t)r;
        return BENCH_DONE;
    }
    if (wolfSSL_get_error(c->ssl, r) == WOLFSSL_ERROR_WANT_READ) {
        return BENCH_WANT;
    }
    report("read", c->ssl, r);
    return BENCH_ERROR;
}

static bench_status conn_write(void *p, const uint8_t *in, size_t len) {
    wolf_conn *c = p;
    int r = wolfSSL_write(c->ssl, in, (int)len);
    if (r == (int)len) {
        return BENCH_DONE;
    }
    report("write", c->ssl, r);
    return BENCH_ERROR;
}

static void info(void *p, bench_info *out) {
    wolf_conn *c = p;
    const char *curve = wolfSSL_get_curve_name(c->ssl);
    out->version = wolfSSL_GetVersion(c->ssl) == WOLFSSL_TLSV1_3 ? BENCH_VERSION_TLS13 : 0;
    out->suite = (uint16_t)wolfSSL_get_current_cipher_suite(c->ssl);
    out->group = curve != NULL && strcmp(curve, "X25519") == 0 ? BENCH_GROUP_X25519 : 0;
    out->resumed = wolfSSL_session_reused(c->ssl) == 1;
    out->tickets_received = c->tickets;
}

static void *session_take(void *p) {
    wolf_conn *c = p;
    return c->tickets > 0 ? wolfSSL_get1_session(c->ssl) : NULL;
}

static void session_free(void *s) {
    wolfSSL_SESSION_free(s);
}

const bench_lib bench_this_lib = {
    .name = "wolfssl",
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
