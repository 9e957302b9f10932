/* The crypto floor: what OpenSSL 3.0's libcrypto (padlock's primitives, and OpenSSL libssl's)
 * charges for the primitives a TLS 1.3 handshake cannot avoid, and for sealing and opening the
 * records of a bulk transfer, with no TLS around them. Each library's figure minus this floor is
 * what the library itself costs. Same arguments, slice protocol (--slices on, measure.h) and
 * JSON shape as the library programs. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "harness/json.h"
#include "harness/measure.h"

#define BATCH_BYTES (64u * 1024u)
#define TAG_LEN 16
#define RECORD_HEADER 5
/* Untimed batches before the first measurement. */
#define BULK_WARMUP_BATCHES 4

typedef struct {
    const char *mode;
    const char *certs;
    const char *leaf;
    const char *suite;
    bench_measure measure; /* --write-size, --min-time, --iterations */
} args_t;

__attribute__((format(printf, 1, 2))) static _Noreturn void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("bench-floor: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static void usage(void) {
    fprintf(stderr, "usage: bench-floor --certs DIR --mode version|handshake|resume|bulk\n"
                    "  [--leaf ecdsa|rsa] [--suite aes128gcm|aes256gcm|chacha20]\n"
                    "  [--write-size N] [--min-time S] [--iterations N] [--slices on|off]\n");
    exit(2);
}

static void parse_args(int argc, char **argv, args_t *a) {
    *a = (args_t){
        .mode = "", .leaf = "ecdsa", .suite = "aes128gcm", .measure = BENCH_MEASURE_DEFAULTS};
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc) {
            usage();
        }
        const char *k = argv[i];
        const char *v = argv[i + 1];
        if (strcmp(k, "--mode") == 0) {
            a->mode = v;
        } else if (strcmp(k, "--certs") == 0) {
            a->certs = v;
        } else if (strcmp(k, "--leaf") == 0) {
            a->leaf = v;
        } else if (strcmp(k, "--suite") == 0) {
            a->suite = v;
        } else if (!bench_measure_option(&a->measure, k, v, usage)) {
            usage();
        }
    }
    if (strcmp(a->mode, "version") != 0 && a->certs == NULL) {
        usage();
    }
    if (a->measure.slices && strcmp(a->mode, "version") == 0) {
        usage();
    }
}

/* ---- keys from the benchmark's certificates ---------------------------------------------- */

/* Opens certs/<leaf><suffix> for reading, its path in path[0..1024); dies if it cannot. */
static FILE *open_cert_file(const char *certs, const char *leaf, const char *suffix,
                            char path[1024]) {
    snprintf(path, 1024, "%s/%s%s", certs, leaf, suffix);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        die("%s: %s", path, strerror(errno));
    }
    return f;
}

static EVP_PKEY *load_key(const char *certs, const char *leaf) {
    char path[1024];
    FILE *f = open_cert_file(certs, leaf, "-key.pem", path);
    EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    if (k == NULL) {
        die("%s: not a private key", path);
    }
    return k;
}

/* The DER SubjectPublicKeyInfo of a leaf: what a client decodes from the Certificate message. */
static size_t load_spki(const char *certs, const char *leaf, uint8_t **out) {
    char path[1024];
    FILE *f = open_cert_file(certs, leaf, ".pem", path);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (x == NULL) {
        die("%s: not a certificate", path);
    }
    *out = NULL;
    int n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), out);
    X509_free(x);
    if (n <= 0) {
        die("%s: cannot encode its public key", path);
    }
    return (size_t)n;
}

/* ---- the primitives, one operation each --------------------------------------------------- */

typedef struct {
    EVP_PKEY_CTX *keygen; /* X25519, initialised once */
    EVP_PKEY *x25519;     /* a fixed own key for the shared-secret operation */
    uint8_t peer_share[32];
    EVP_PKEY_CTX *sign;  /* the server's key, initialised once like a server would */
    bool rsa;            /* sign/verify with RSA-PSS instead of ECDSA */
    const uint8_t *spki; /* the peer key as a certificate carries it (DER SubjectPublicKeyInfo) */
    size_t spki_len;
    OSSL_PARAM pub[3]; /* the same key in raw form: P-256 point, or RSA modulus and exponent */
    uint8_t point[65];
    uint8_t n_native[512]; /* OSSL_PARAM_construct_BN wants native byte order */
    uint8_t e_native[8];
    uint8_t digest[32]; /* a SHA-256 transcript or TBS hash */
    uint8_t sig[512];
    size_t sig_len;
} prims_t;

static void set_pss(EVP_PKEY_CTX *ctx) {
    if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) <= 0 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) <= 0) {
        die("RSA-PSS parameters");
    }
}

/* A key share: a new X25519 key pair and its public value (RFC 8446 §4.2.8). */
static void op_keygen(prims_t *p) {
    EVP_PKEY *k = NULL;
    uint8_t pub[32];
    size_t len = sizeof(pub);
    if (EVP_PKEY_keygen(p->keygen, &k) <= 0 || EVP_PKEY_get_raw_public_key(k, pub, &len) <= 0) {
        die("X25519 key generation");
    }
    EVP_PKEY_free(k);
}

/* The shared secret from the peer's key share. */
static void op_derive(prims_t *p) {
    uint8_t secret[32];
    size_t len = sizeof(secret);
    EVP_PKEY *peer = EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL, p->peer_share, 32);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, p->x25519, NULL);
    if (peer == NULL || ctx == NULL || EVP_PKEY_derive_init(ctx) <= 0 ||
        EVP_PKEY_derive_set_peer(ctx, peer) <= 0 || EVP_PKEY_derive(ctx, secret, &len) <= 0) {
        die("X25519 shared secret");
    }
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(peer);
}

/* CertificateVerify, server side: sign a transcript hash with the long-lived key. */
static void op_sign(prims_t *p) {
    uint8_t sig[512];
    size_t len = sizeof(sig);
    if (EVP_PKEY_sign(p->sign, sig, &len, p->digest, sizeof(p->digest)) <= 0) {
        die("signing");
    }
}

/* A verification against a key received from the peer: import it from its raw form (the
 * cheapest import OpenSSL 3.0 offers, and what padlock's own X.509 parser hands over), then
 * verify — the client does this for each signature in the chain and for CertificateVerify. */
static void op_verify(prims_t *p) {
    EVP_PKEY_CTX *import = EVP_PKEY_CTX_new_from_name(NULL, p->rsa ? "RSA" : "EC", NULL);
    EVP_PKEY *k = NULL;
    if (import == NULL || EVP_PKEY_fromdata_init(import) <= 0 ||
        EVP_PKEY_fromdata(import, &k, EVP_PKEY_PUBLIC_KEY, p->pub) <= 0) {
        die("public key import");
    }
    EVP_PKEY_CTX_free(import);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);
    if (ctx == NULL || EVP_PKEY_verify_init(ctx) <= 0 ||
        EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) <= 0) {
        die("verification setup");
    }
    if (p->rsa) {
        set_pss(ctx);
    }
    if (EVP_PKEY_verify(ctx, p->sig, p->sig_len, p->digest, sizeof(p->digest)) != 1) {
        die("verification failed");
    }
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(k);
}

/* OpenSSL's generic decoder for a SubjectPublicKeyInfo, which its libssl goes through for each
 * certificate's key; reported for information, not part of the floor. */
static void op_decode_spki(prims_t *p) {
    const uint8_t *der = p->spki;
    EVP_PKEY *k = d2i_PUBKEY(NULL, &der, (long)p->spki_len);
    if (k == NULL) {
        die("d2i_PUBKEY");
    }
    EVP_PKEY_free(k);
}

/* The key's raw public parts, as OSSL_PARAMs for EVP_PKEY_fromdata. */
static void raw_public(prims_t *p, EVP_PKEY *key) {
    if (p->rsa) {
        BIGNUM *n = NULL;
        BIGNUM *e = NULL;
        if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) <= 0 ||
            EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) <= 0 ||
            BN_bn2nativepad(n, p->n_native, BN_num_bytes(n)) < 0 ||
            BN_bn2nativepad(e, p->e_native, sizeof(p->e_native)) < 0) {
            die("RSA public key");
        }
        p->pub[0] =
            OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_RSA_N, p->n_native, (size_t)BN_num_bytes(n));
        p->pub[1] =
            OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_RSA_E, p->e_native, sizeof(p->e_native));
        BN_free(n);
        BN_free(e);
    } else {
        size_t len = 0;
        if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, p->point,
                                            sizeof(p->point), &len) <= 0 ||
            len != sizeof(p->point)) {
            die("P-256 public key");
        }
        p->pub[0] =
            OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)"P-256", 0);
        p->pub[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, p->point, len);
    }
    p->pub[2] = OSSL_PARAM_construct_end();
}

static void prims_init(prims_t *p, const args_t *a, const char *leaf, uint8_t *spki,
                       size_t spki_len) {
    memset(p, 0, sizeof(*p));
    p->keygen = EVP_PKEY_CTX_new_from_name(NULL, "X25519", NULL);
    EVP_PKEY_CTX *peer_gen = EVP_PKEY_CTX_new_from_name(NULL, "X25519", NULL);
    EVP_PKEY *peer = NULL;
    size_t len = sizeof(p->peer_share);
    if (p->keygen == NULL || EVP_PKEY_keygen_init(p->keygen) <= 0 ||
        EVP_PKEY_keygen(p->keygen, &p->x25519) <= 0 || peer_gen == NULL ||
        EVP_PKEY_keygen_init(peer_gen) <= 0 || EVP_PKEY_keygen(peer_gen, &peer) <= 0 ||
        EVP_PKEY_get_raw_public_key(peer, p->peer_share, &len) <= 0) {
        die("X25519 setup");
    }
    EVP_PKEY_free(peer);
    EVP_PKEY_CTX_free(peer_gen);

    p->rsa = strcmp(leaf, "rsa") == 0;
    EVP_PKEY *key = load_key(a->certs, leaf);
    raw_public(p, key);
    p->sign = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    EVP_PKEY_free(key);
    if (p->sign == NULL || EVP_PKEY_sign_init(p->sign) <= 0 ||
        EVP_PKEY_CTX_set_signature_md(p->sign, EVP_sha256()) <= 0) {
        die("signing setup");
    }
    if (p->rsa) {
        set_pss(p->sign);
    }
    for (size_t i = 0; i < sizeof(p->digest); i++) {
        p->digest[i] = (uint8_t)(i * 7u + 1u);
    }
    p->sig_len = sizeof(p->sig);
    if (EVP_PKEY_sign(p->sign, p->sig, &p->sig_len, p->digest, sizeof(p->digest)) <= 0) {
        die("signing");
    }
    p->spki = spki;
    p->spki_len = spki_len;
}

static void prims_cleanup(prims_t *p) {
    EVP_PKEY_CTX_free(p->keygen);
    EVP_PKEY_CTX_free(p->sign);
    EVP_PKEY_free(p->x25519);
}

/* Whether a timed loop that has run n times since wall0 (monotonic) goes on: up to
 * a->measure.iterations runs when that is set, else until `seconds` have passed, at least once. */
static bool keep_timing(const args_t *a, uint64_t n, uint64_t wall0, double seconds) {
    if (a->measure.iterations != 0) {
        return n < a->measure.iterations;
    }
    return n == 0 || (double)(bench_wall_ns() - wall0) < seconds * 1e9;
}

/* CPU nanoseconds per operation, over at least `seconds` (or exactly a->measure.iterations ops).
 * The thread CPU clock is read around the loop only: read after each operation, its system call
 * (~0.75 µs) would be counted as part of every operation. */
static double per_op_ns(void (*op)(prims_t *), prims_t *p, const args_t *a, double seconds) {
    for (int i = 0; i < 3; i++) {
        op(p);
    }
    uint64_t n = 0;
    uint64_t cpu0 = bench_cpu_ns();
    uint64_t wall0 = bench_wall_ns();
    while (keep_timing(a, n, wall0, seconds)) {
        op(p);
        n++;
    }
    return (double)(bench_cpu_ns() - cpu0) / (double)n;
}

static void header(json_t *j, const args_t *a) {
    json_str(j, "lib", "floor");
    json_str(j, "version", OpenSSL_version(OPENSSL_VERSION));
    json_str(j, "mode", a->mode);
}

/* The keys of the handshake floor: the ECDSA P-256 chain's and the leaf's (ECDSA or RSA). */
typedef struct {
    prims_t ec;
    prims_t leaf;
    bool rsa;
    bool resume;
} hs_floor_t;

/* BENCH_REWARM_NS of the operations a measurement times, untimed, in turn. */
static void rewarm(hs_floor_t *h) {
    uint64_t t0 = bench_cpu_ns();
    do {
        op_keygen(&h->ec);
        op_derive(&h->ec);
        if (!h->resume) {
            op_verify(&h->ec);
            op_verify(&h->leaf);
            op_sign(&h->leaf);
        }
    } while (bench_cpu_ns() - t0 < BENCH_REWARM_NS);
}

/* The floor's operations in the order a handshake pair runs them, each side's timed on the
 * monotonic clock and the loop's CPU time shared out between the sides (bench_cpu_share), as
 * the library programs' calls are, for at least `seconds` (or a->measure.iterations pairs).
 * Each operation then follows the other side's work, whose state fills the caches, as in a
 * library's handshake pair, instead of following itself: the difference to the floor is what
 * that costs every library. Adds client and server nanoseconds per pair to ns[0] and ns[1]. */
static void in_order_ns(hs_floor_t *h, const args_t *a, double seconds, uint64_t ns[2]) {
    uint64_t sum[2] = {0, 0};
    uint64_t n = 0;
    uint64_t cpu0 = bench_cpu_ns();
    uint64_t wall0 = bench_wall_ns();
    while (keep_timing(a, n, wall0, seconds)) {
        uint64_t t0 = bench_wall_ns();
        op_keygen(&h->ec); /* client: its key share */
        uint64_t t1 = bench_wall_ns();
        op_keygen(&h->ec); /* server: its key share, the shared secret, CertificateVerify */
        op_derive(&h->ec);
        if (!h->resume) {
            op_sign(&h->leaf);
        }
        uint64_t t2 = bench_wall_ns();
        op_derive(&h->ec); /* client: the shared secret, the chain and CertificateVerify */
        if (!h->resume) {
            op_verify(&h->ec);
            op_verify(&h->ec);
            op_verify(&h->leaf);
        }
        uint64_t t3 = bench_wall_ns();
        sum[0] += (t1 - t0) + (t3 - t2);
        sum[1] += t2 - t1;
        n++;
    }
    bench_cpu_share(sum, bench_cpu_ns() - cpu0, bench_wall_ns() - wall0);
    ns[0] = sum[0] / n;
    ns[1] = sum[1] / n;
}

/* One measurement of the handshake floor after its re-warm, the measurement's time shared among
 * the operations it times (each begins with per_op_ns's untimed warm-up).
 * Full handshake: each side makes a key share and the shared secret; the server signs
 * CertificateVerify; the client verifies the intermediate's signature on the leaf, the root's on
 * the intermediate (both ECDSA P-256) and CertificateVerify (the leaf's key type).
 * Resumption with PSK-(EC)DHE: the key exchange only. Then, for information, the same operations
 * in handshake order (in_order_ns). */
static void hs_slice(const void *args, void *state) {
    const args_t *a = args;
    hs_floor_t *h = state;
    rewarm(h);
    int kinds = (h->resume ? 2 : h->rsa ? 5 : 4) + 1; /* + the operations in handshake order */
    double share = a->measure.min_time / kinds;

    double keygen = per_op_ns(op_keygen, &h->ec, a, share);
    double derive = per_op_ns(op_derive, &h->ec, a, share);
    double client = keygen + derive;
    double server = keygen + derive;
    json_t j;
    json_begin(&j);
    header(&j, a);
    json_str(&j, "status", "ok");
    json_str(&j, "leaf", a->leaf);
    json_num(&j, "x25519_keygen_us", keygen / 1e3);
    json_num(&j, "x25519_derive_us", derive / 1e3);
    if (!h->resume) {
        double ec_verify = per_op_ns(op_verify, &h->ec, a, share);
        json_num(&j, "ecdsa_p256_verify_us", ec_verify / 1e3);
        json_num(&j, "spki_decode_us", per_op_ns(op_decode_spki, &h->leaf, a, share / 4) / 1e3);
        if (h->rsa) {
            double rsa_verify = per_op_ns(op_verify, &h->leaf, a, share);
            double rsa_sign = per_op_ns(op_sign, &h->leaf, a, share);
            json_num(&j, "rsa_pss_2048_verify_us", rsa_verify / 1e3);
            json_num(&j, "rsa_pss_2048_sign_us", rsa_sign / 1e3);
            client += 2 * ec_verify + rsa_verify;
            server += rsa_sign;
        } else {
            double ec_sign = per_op_ns(op_sign, &h->ec, a, share);
            json_num(&j, "ecdsa_p256_sign_us", ec_sign / 1e3);
            client += 3 * ec_verify;
            server += ec_sign;
        }
    }
    json_num(&j, "client_us", client / 1e3);
    json_num(&j, "server_us", server / 1e3);
    json_num(&j, "per_s", 1e9 / (client + server));
    uint64_t in_order[2];
    in_order_ns(h, a, share, in_order);
    json_num(&j, "client_in_order_us", (double)in_order[0] / 1e3);
    json_num(&j, "server_in_order_us", (double)in_order[1] / 1e3);
    json_end(&j);
}

/* The handshake floor (full, or resumed when `resume`): keys loaded once, then measured. */
static void mode_handshake(const args_t *a, bool resume) {
    uint8_t *ec_spki = NULL;
    uint8_t *leaf_spki = NULL;
    size_t ec_len = load_spki(a->certs, "ecdsa", &ec_spki);
    size_t leaf_len = load_spki(a->certs, a->leaf, &leaf_spki);
    hs_floor_t h = {.rsa = strcmp(a->leaf, "rsa") == 0, .resume = resume};
    prims_init(&h.ec, a, "ecdsa", ec_spki, ec_len);
    prims_init(&h.leaf, a, a->leaf, leaf_spki, leaf_len);

    bench_measure_slices(&a->measure, "floor", a->mode, hs_slice, a, &h);

    prims_cleanup(&h.ec);
    prims_cleanup(&h.leaf);
    OPENSSL_free(ec_spki);
    OPENSSL_free(leaf_spki);
}

/* ---- records ------------------------------------------------------------------------------ */

/* A record's nonce, the static IV XOR the 64-bit sequence number (RFC 8446 §5.3), and its
 * additional data, the header of a record of len bytes of TLSInnerPlaintext (§5.2). */
static void nonce_and_aad(uint8_t n[12], uint8_t aad[RECORD_HEADER], const uint8_t iv[12],
                          uint64_t seq, size_t len) {
    memcpy(n, iv, 12);
    for (int i = 0; i < 8; i++) {
        n[11 - i] ^= (uint8_t)(seq >> (8 * i));
    }
    aad[0] = 23;
    aad[1] = 3;
    aad[2] = 3;
    aad[3] = (uint8_t)((len + TAG_LEN) >> 8);
    aad[4] = (uint8_t)(len + TAG_LEN);
}

/* Seals TLSInnerPlaintext (data + content type) of `len` bytes with its record header as AAD
 * (RFC 8446 §5.2), on a context keyed once, as a record layer does. */
static void seal(EVP_CIPHER_CTX *ctx, const uint8_t iv[12], uint64_t seq, const uint8_t *in,
                 size_t len, uint8_t *out) {
    uint8_t n[12], aad[RECORD_HEADER];
    nonce_and_aad(n, aad, iv, seq, len);
    int l = 0;
    int f = 0;
    if (EVP_EncryptInit_ex2(ctx, NULL, NULL, n, NULL) != 1 ||
        EVP_EncryptUpdate(ctx, NULL, &l, aad, sizeof(aad)) != 1 ||
        EVP_EncryptUpdate(ctx, out, &l, in, (int)len) != 1 ||
        EVP_EncryptFinal_ex(ctx, out + l, &f) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, TAG_LEN, out + len) != 1) {
        die("seal");
    }
}

/* Opens what seal made, checking its tag. */
static void open_record(EVP_CIPHER_CTX *ctx, const uint8_t iv[12], uint64_t seq, uint8_t *in,
                        size_t len, uint8_t *out) {
    uint8_t n[12], aad[RECORD_HEADER];
    nonce_and_aad(n, aad, iv, seq, len);
    int l = 0;
    int f = 0;
    if (EVP_DecryptInit_ex2(ctx, NULL, NULL, n, NULL) != 1 ||
        EVP_DecryptUpdate(ctx, NULL, &l, aad, sizeof(aad)) != 1 ||
        EVP_DecryptUpdate(ctx, out, &l, in, (int)len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, TAG_LEN, in + len) != 1 ||
        EVP_DecryptFinal_ex(ctx, out + l, &f) != 1) {
        die("open: authentication failed");
    }
}

/* What the bulk floor keeps across measurements: both directions' contexts, keyed once, the
 * records of one batch and the next sequence number. */
typedef struct {
    EVP_CIPHER_CTX *sctx;
    EVP_CIPHER_CTX *octx;
    uint8_t iv[12];
    size_t ws;
    size_t inner;   /* ws + the content-type byte */
    size_t records; /* per 64 KiB batch */
    uint8_t *plain;
    uint8_t *wire;
    uint8_t *back;
    uint64_t seq;
} bulk_floor_t;

/* Seals one batch of records, then opens them, adding each half's time on the monotonic clock
 * to *seal_ns and *open_ns (bulk_slice turns them into CPU time); dies if the last record does
 * not open to what was sealed. */
static void bulk_batch(bulk_floor_t *b, uint64_t *seal_ns, uint64_t *open_ns) {
    size_t stride = b->inner + TAG_LEN;
    uint64_t t0 = bench_wall_ns();
    for (size_t r = 0; r < b->records; r++) {
        seal(b->sctx, b->iv, b->seq + r, b->plain, b->inner, b->wire + r * stride);
    }
    uint64_t t1 = bench_wall_ns();
    for (size_t r = 0; r < b->records; r++) {
        open_record(b->octx, b->iv, b->seq + r, b->wire + r * stride, b->inner, b->back);
    }
    uint64_t t2 = bench_wall_ns();
    if (memcmp(b->back, b->plain, b->inner) != 0) {
        die("opened record differs from the sealed one");
    }
    b->seq += b->records;
    *seal_ns += t1 - t0;
    *open_ns += t2 - t1;
}

/* One measurement of the AEAD floor: BENCH_REWARM_NS of untimed batches, then batches for the
 * measurement's time (or records for its count); application bytes per CPU-second of both.
 * The halves are timed on the monotonic clock and the loop's CPU time shared out between them
 * (bench_cpu_share), as the library programs' calls are: reading the thread CPU clock around
 * each half would count its system call (~0.75 µs, a few percent of a 64 KiB batch) as
 * sealing and opening. */
static void bulk_slice(const void *args, void *state) {
    const args_t *a = args;
    bulk_floor_t *b = state;
    uint64_t unused[2] = {0, 0};
    uint64_t rewarm0 = bench_cpu_ns();
    do {
        bulk_batch(b, &unused[0], &unused[1]);
    } while (bench_cpu_ns() - rewarm0 < BENCH_REWARM_NS);
    uint64_t ns[2] = {0, 0}; /* sealing, opening */
    uint64_t writes = 0;
    uint64_t batches = 0;
    uint64_t cpu0 = bench_cpu_ns();
    uint64_t wall0 = bench_wall_ns();
    while (a->measure.iterations != 0
               ? writes < a->measure.iterations
               : (batches == 0 || (double)(ns[0] + ns[1]) < a->measure.min_time * 1e9)) {
        bulk_batch(b, &ns[0], &ns[1]);
        writes += b->records;
        batches++;
    }
    bench_cpu_share(ns, bench_cpu_ns() - cpu0, bench_wall_ns() - wall0);
    double bytes = (double)writes * (double)b->ws;
    json_t j;
    json_begin(&j);
    header(&j, a);
    json_str(&j, "status", "ok");
    json_str(&j, "suite", a->suite);
    json_u64(&j, "write_size", b->ws);
    json_u64(&j, "writes", writes);
    json_num(&j, "mb_per_s", bytes / ((double)(ns[0] + ns[1]) / 1e9) / 1e6);
    json_num(&j, "seal_mb_per_s", bytes / ((double)ns[0] / 1e9) / 1e6);
    json_num(&j, "open_mb_per_s", bytes / ((double)ns[1] / 1e9) / 1e6);
    json_end(&j);
}

/* Bulk: batches of 64 KiB of application data, sealed record by record, then opened, like the
 * library programs' bulk mode; the figure is application bytes per second of both. */
static void mode_bulk(const args_t *a) {
    const char *name = strcmp(a->suite, "aes128gcm") == 0   ? "AES-128-GCM"
                       : strcmp(a->suite, "aes256gcm") == 0 ? "AES-256-GCM"
                       : strcmp(a->suite, "chacha20") == 0  ? "ChaCha20-Poly1305"
                                                            : NULL;
    if (name == NULL) {
        usage();
    }
    EVP_CIPHER *cipher = EVP_CIPHER_fetch(NULL, name, NULL);
    bulk_floor_t b = {.sctx = EVP_CIPHER_CTX_new(), .octx = EVP_CIPHER_CTX_new()};
    uint8_t key[32];
    for (size_t i = 0; i < sizeof(key); i++) {
        key[i] = (uint8_t)(i + 1);
    }
    memset(b.iv, 0x5a, sizeof(b.iv));
    if (cipher == NULL || b.sctx == NULL || b.octx == NULL ||
        EVP_EncryptInit_ex2(b.sctx, cipher, key, b.iv, NULL) != 1 ||
        EVP_DecryptInit_ex2(b.octx, cipher, key, b.iv, NULL) != 1) {
        die("%s setup", name);
    }
    b.ws = a->measure.write_size;
    b.inner = b.ws + 1;
    b.records = (BATCH_BYTES + b.ws - 1) / b.ws;
    b.plain = malloc(b.inner);
    b.wire = malloc(b.records * (b.inner + TAG_LEN));
    b.back = malloc(b.inner);
    if (b.plain == NULL || b.wire == NULL || b.back == NULL) {
        die("out of memory");
    }
    for (size_t i = 0; i < b.ws; i++) {
        b.plain[i] = (uint8_t)(i * 31u + 7u);
    }
    b.plain[b.ws] = 23; /* application_data */
    uint64_t unused[2] = {0, 0};
    for (int i = 0; i < BULK_WARMUP_BATCHES; i++) {
        bulk_batch(&b, &unused[0], &unused[1]);
    }

    bench_measure_slices(&a->measure, "floor", a->mode, bulk_slice, a, &b);

    free(b.plain);
    free(b.wire);
    free(b.back);
    EVP_CIPHER_CTX_free(b.sctx);
    EVP_CIPHER_CTX_free(b.octx);
    EVP_CIPHER_free(cipher);
}

int main(int argc, char **argv) {
    args_t a;
    parse_args(argc, argv, &a);
    if (strcmp(a.mode, "version") == 0) {
        json_t j;
        json_begin(&j);
        header(&j, &a);
        json_str(&j, "status", "ok");
        json_end(&j);
    } else if (strcmp(a.mode, "handshake") == 0) {
        mode_handshake(&a, false);
    } else if (strcmp(a.mode, "resume") == 0) {
        mode_handshake(&a, true);
    } else if (strcmp(a.mode, "bulk") == 0) {
        mode_bulk(&a);
    } else {
        usage();
    }
    return 0;
}
