/* The OpenSSL 3.0 libssl adapter, also built against BoringSSL (OPENSSL_IS_BORINGSSL): the two
 * APIs agree on everything the harness needs except choosing TLS 1.3 suites and reading the
 * negotiated group, so one file states how both are configured. Transport: a custom BIO over the
 * harness's pipes (no BIO pair, no extra copy). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#ifdef OPENSSL_IS_BORINGSSL
#include <openssl/aead.h>
#endif

#include "harness/bench.h"

typedef struct {
    SSL_CTX *ctx;
    bench_role role;
    char host[256];
} ossl_ctx;

typedef struct {
    SSL *ssl;
    SSL_SESSION *last_session; /* client: from the most recent NewSessionTicket */
    uint32_t tickets;
} ossl_conn;

/* ---- errors ------------------------------------------------------------------------------- */

static void report(const char *what, SSL *ssl) {
    char detail[512] = "";
    unsigned long e = ERR_get_error();
    if (e != 0) {
        ERR_error_string_n(e, detail, sizeof(detail));
    }
    if (ssl != NULL && SSL_get_verify_result(ssl) != X509_V_OK) {
        size_t n = strlen(detail);
        snprintf(detail + n, sizeof(detail) - n, "%scertificate verification: %s",
                 n > 0 ? "; " : "", X509_verify_cert_error_string(SSL_get_verify_result(ssl)));
    }
    bench_lib_error(what, detail);
    ERR_clear_error();
}

/* ---- the BIO over the harness's pipes ---------------------------------------------------- */

static int pipe_bio_write(BIO *bio, const char *in, int len) {
    bench_io *io = BIO_get_data(bio);
    BIO_clear_retry_flags(bio);
    size_t n = bench_pipe_write(io->out, (const uint8_t *)in, (size_t)len);
    if (n == 0 && len > 0) {
        BIO_set_retry_write(bio);
        return -1;
    }
    return (int)n;
}

static int pipe_bio_read(BIO *bio, char *out, int cap) {
    bench_io *io = BIO_get_data(bio);
    BIO_clear_retry_flags(bio);
    size_t n = bench_pipe_read(io->in, (uint8_t *)out, (size_t)cap);
    if (n == 0 && cap > 0) {
        BIO_set_retry_read(bio);
        return -1;
    }
    return (int)n;
}

static long pipe_bio_ctrl(BIO *bio, int cmd, long num, void *ptr) {
    (void)bio;
    (void)num;
    (void)ptr;
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static BIO_METHOD *pipe_bio_method(void) {
    static BIO_METHOD *method;
    if (method == NULL) {
        method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "bench pipe");
        if (method == NULL || !BIO_meth_set_write(method, pipe_bio_write) ||
            !BIO_meth_set_read(method, pipe_bio_read) ||
            !BIO_meth_set_ctrl(method, pipe_bio_ctrl)) {
            return NULL;
        }
    }
    return method;
}

/* ---- contexts ----------------------------------------------------------------------------- */

static const char *version(void) {
#ifdef OPENSSL_IS_BORINGSSL
    static char text[64];
    snprintf(text, sizeof(text), "BoringSSL (API version %d)", BORINGSSL_API_VERSION);
    return text;
#else
    return OpenSSL_version(OPENSSL_VERSION);
#endif
}

/* Client: keeps the session of each NewSessionTicket (RFC 8446 §4.6.1) on its connection. */
static int on_new_session(SSL *ssl, SSL_SESSION *session) {
    ossl_conn *c = SSL_get_app_data(ssl);
    if (c->last_session != NULL) {
        SSL_SESSION_free(c->last_session);
    }
    c->last_session = session;
    c->tickets++;
    return 1;
}

static bench_status choose_suite(SSL_CTX *ctx, uint16_t suite, const char **out_na) {
#ifdef OPENSSL_IS_BORINGSSL
    /* BoringSSL has no API to choose TLS 1.3 suites: a client offers AES-128-GCM, AES-256-GCM,
     * ChaCha20-Poly1305 in that order when the CPU has AES instructions, ChaCha20 first when it
     * does not, and servers follow. */
    (void)ctx;
    if (suite == BENCH_TLS_AES_256_GCM_SHA384) {
        *out_na = "BoringSSL offers no way to choose TLS 1.3 suites and never prefers AES-256-GCM";
        return BENCH_NA;
    }
    if (suite == BENCH_TLS_CHACHA20_POLY1305_SHA256 && EVP_has_aes_hardware()) {
        *out_na = "BoringSSL prefers ChaCha20-Poly1305 only without AES instructions: run with "
                  "OPENSSL_ia32cap=~0x200000000000000";
        return BENCH_NA;
    }
    if (suite == BENCH_TLS_AES_128_GCM_SHA256 && !EVP_has_aes_hardware()) {
        *out_na = "BoringSSL prefers ChaCha20-Poly1305 on this CPU (no AES instructions)";
        return BENCH_NA;
    }
    return BENCH_DONE;
#else
    (void)out_na;
    const char *name = suite == BENCH_TLS_AES_128_GCM_SHA256   ? "TLS_AES_128_GCM_SHA256"
                       : suite == BENCH_TLS_AES_256_GCM_SHA384 ? "TLS_AES_256_GCM_SHA384"
                                                               : "TLS_CHACHA20_POLY1305_SHA256";
    return SSL_CTX_set_ciphersuites(ctx, name) == 1 ? BENCH_DONE : BENCH_ERROR;
#endif
}

static void ctx_free(void *p) {
    ossl_ctx *c = p;
    if (c != NULL) {
        SSL_CTX_free(c->ctx);
        free(c);
    }
}

static bench_status ctx_new(bench_role role, const bench_config *cfg, void **out_ctx,
                            const char **out_na) {
    if (cfg->chain_cache) {
        *out_na = "keeps no verified chains between connections";
        return BENCH_NA;
    }
    ossl_ctx *c = calloc(1, sizeof(*c));
    if (c == NULL || pipe_bio_method() == NULL) {
        free(c);
        return BENCH_ERROR;
    }
    c->role = role;
    snprintf(c->host, sizeof(c->host), "%s", cfg->host);
    c->ctx = SSL_CTX_new(role == BENCH_CLIENT ? TLS_client_method() : TLS_server_method());
    if (c->ctx == NULL) {
        report("SSL_CTX_new", NULL);
        ctx_free(c);
        return BENCH_ERROR;
    }
    SSL_CTX *ctx = c->ctx;
    bench_status st = choose_suite(ctx, cfg->suite, out_na);
    if (st != BENCH_DONE) {
        if (st == BENCH_ERROR) {
            report("choosing the suite", NULL);
        }
        ctx_free(c);
        return st;
    }
    bool ok = SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) == 1 &&
              SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) == 1 &&
              SSL_CTX_set1_curves_list(ctx, "X25519") == 1;
    if (ok && role == BENCH_CLIENT) {
        ok = SSL_CTX_load_verify_locations(ctx, cfg->root_file, NULL) == 1;
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
        /* Sessions go to the callback only; the client keeps no cache of its own. */
        SSL_CTX_set_session_cache_mode(ctx,
                                       SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(ctx, on_new_session);
    }
    if (ok && role == BENCH_SERVER) {
        ok = SSL_CTX_use_certificate_chain_file(ctx, cfg->chain_file) == 1 &&
             SSL_CTX_use_PrivateKey_file(ctx, cfg->key_file, SSL_FILETYPE_PEM) == 1 &&
             SSL_CTX_check_private_key(ctx) == 1;
        /* No stateful session cache on any server: resumption is by stateless ticket only. */
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
        if (cfg->tickets) {
            ok = ok && SSL_CTX_set_num_tickets(ctx, 1) == 1;
        } else {
            SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
            ok = ok && SSL_CTX_set_num_tickets(ctx, 0) == 1;
        }
    }
    if (!ok) {
        report("configuring the context", NULL);
        ctx_free(c);
        return BENCH_ERROR;
    }
    *out_ctx = c;
    return BENCH_DONE;
}

/* ---- connections -------------------------------------------------------------------------- */

static void conn_free(void *p) {
    ossl_conn *c = p;
    if (c != NULL) {
        /* The harness drops every library's connections without a close_notify exchange; marking
         * this one as orderly closed keeps OpenSSL from invalidating its session on SSL_free, which
         * it does for connections that may have been truncated. */
        if (c->ssl != NULL) {
            SSL_set_shutdown(c->ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
        }
        SSL_free(c->ssl);
        if (c->last_session != NULL) {
            SSL_SESSION_free(c->last_session);
        }
        free(c);
    }
}

static void *conn_new(void *ctx_p, bench_io *io, void *session) {
    ossl_ctx *ctx = ctx_p;
    ossl_conn *c = calloc(1, sizeof(*c));
    if (c == NULL) {
        return NULL;
    }
    c->ssl = SSL_new(ctx->ctx);
    BIO *bio = BIO_new(pipe_bio_method());
    if (c->ssl == NULL || bio == NULL) {
        report("SSL_new", NULL);
        BIO_free(bio);
        conn_free(c);
        return NULL;
    }
    BIO_set_data(bio, io);
    BIO_set_init(bio, 1);
    SSL_set_bio(c->ssl, bio, bio);
    SSL_set_app_data(c->ssl, c);
    if (ctx->role == BENCH_CLIENT) {
        if (SSL_set_tlsext_host_name(c->ssl, ctx->host) != 1 ||
            SSL_set1_host(c->ssl, ctx->host) != 1 ||
            (session != NULL && SSL_set_session(c->ssl, session) != 1)) {
            report("configuring the connection", NULL);
            conn_free(c);
            return NULL;
        }
        SSL_set_connect_state(c->ssl);
    } else {
        SSL_set_accept_state(c->ssl);
    }
    return c;
}

static bench_status handshake(void *p) {
    ossl_conn *c = p;
    int r = SSL_do_handshake(c->ssl);
    if (r == 1) {
        return BENCH_DONE;
    }
    int e = SSL_get_error(c->ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        return BENCH_WANT;
    }
    report("handshake", c->ssl);
    return BENCH_ERROR;
}

static bench_status conn_read(void *p, uint8_t *out, size_t cap, size_t *out_len) {
    ossl_conn *c = p;
    *out_len = 0;
    int r = SSL_read(c->ssl, out, (int)cap);
    if (r > 0) {
        *out_len = (size_t)r;
        return BENCH_DONE;
    }
    if (SSL_get_error(c->ssl, r) == SSL_ERROR_WANT_READ) {
        return BENCH_WANT;
    }
    report("read", c->ssl);
    return BENCH_ERROR;
}

static bench_status conn_write(void *p, const uint8_t *in, size_t len) {
    ossl_conn *c = p;
    if (SSL_write(c->ssl, in, (int)len) == (int)len) {
        return BENCH_DONE;
    }
    report("write", c->ssl);
    return BENCH_ERROR;
}

static uint16_t negotiated_group(SSL *ssl) {
#ifdef OPENSSL_IS_BORINGSSL
    return SSL_get_curve_id(ssl);
#else
    switch (SSL_get_negotiated_group(ssl)) {
    case NID_X25519: return BENCH_GROUP_X25519;
    case NID_X9_62_prime256v1: return 0x0017;
    default: return 0xffff;
    }
#endif
}

static void info(void *p, bench_info *out) {
    ossl_conn *c = p;
    const SSL_CIPHER *cipher = SSL_get_current_cipher(c->ssl);
    out->version = (uint16_t)SSL_version(c->ssl);
    out->suite = cipher != NULL ? SSL_CIPHER_get_protocol_id(cipher) : 0;
    out->group = negotiated_group(c->ssl);
    out->resumed = SSL_session_reused(c->ssl) == 1;
    out->tickets_received = c->tickets;
}

static void *session_take(void *p) {
    ossl_conn *c = p;
    SSL_SESSION *s = c->last_session;
    c->last_session = NULL;
    return s;
}

static void session_free(void *s) {
    SSL_SESSION_free(s);
}

const bench_lib bench_this_lib = {
#ifdef OPENSSL_IS_BORINGSSL
    .name = "boringssl",
#else
    .name = "openssl",
#endif
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
