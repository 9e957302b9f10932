/* The benchmark driver linked into every library's program: argument parsing, the handshake,
 * resumption, bulk and memory loops, the checks that every library negotiated the same thing,
 * and one JSON line on stdout per measurement for bench/run.py (one per run, or one per slice
 * with --slices on; see measure.h). All timing and accounting is here so no library is measured
 * by its own code. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "bench.h"
#include "json.h"
#include "measure.h"

/* A pipe holds at most one batch of bulk records or one handshake flight. */
#define PIPE_CAP (1u << 20)
#define BULK_BATCH (64u * 1024u)
#define READ_CAP (16u * 1024u + 256u)
#define MAX_ROUNDS 16
#define PEAK_SAMPLES 10
#define WRONG_HOST "wrong.padlock.test"
#define EXCHANGE_LEN 32

typedef enum {
    MODE_VERSION,
    MODE_SELFTEST,
    MODE_HANDSHAKE,
    MODE_RESUME,
    MODE_BULK,
    MODE_MEMORY
} run_mode;

typedef struct {
    run_mode mode;
    const char *mode_name;
    const char *certs;
    const char *host;
    const char *leaf; /* "ecdsa" or "rsa" */
    uint16_t suite;
    const char *suite_name;
    bench_measure measure; /* --write-size, --min-time, --iterations */
    uint64_t warmup;
    uint64_t pairs;
    bool chain_cache; /* --chain-cache on */
} args_t;

typedef struct {
    bench_pipe c2s;
    bench_pipe s2c;
    bench_io cio;
    bench_io sio;
} link_t;

/* Cost of one or more handshake pairs: CPU inside each side's calls, the calls of each side that
 * produced bytes (flights), the bytes each side sent. Index 0 client, 1 server. */
typedef struct {
    uint64_t ns[2];
    uint64_t flights[2];
    uint64_t wire[2];
} cost_t;

static const bench_lib *lib = &bench_this_lib;
static bench_alloc_stats_t *stats; /* non-NULL only under the interposer */
static bool quiet_errors;

void bench_lib_error(const char *what, const char *detail) {
    if (!quiet_errors) {
        fprintf(stderr, "bench-%s: %s: %s\n", lib->name, what, detail != NULL ? detail : "");
    }
}

bool bench_lib_errors_quiet(void) {
    return quiet_errors;
}

__attribute__((format(printf, 1, 2))) static _Noreturn void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "bench-%s: ", lib->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* The clock around each library call. Reading the thread CPU clock is a system call (~0.75 µs
 * on the machine RESULTS.md comes from), which would be charged to every call of every library
 * but never to the floor, which times whole loops; the monotonic clock is read in user space
 * (~30 ns). The calls' times are turned into CPU time afterwards by bench_cpu_share. */
static uint64_t call_ns(void) {
    return bench_wall_ns();
}

static void set_side(int side) {
    if (stats != NULL) {
        __atomic_store_n(&stats->side, side, __ATOMIC_RELAXED);
    }
}

/* ---- arguments ---------------------------------------------------------------------------- */

static void usage(void) {
    fprintf(stderr,
            "usage: bench-%s --certs DIR --host NAME --mode MODE [options]\n"
            "  MODE: version | selftest | handshake | resume | bulk | memory\n"
            "  --leaf ecdsa|rsa        server certificate (handshake)\n"
            "  --suite aes128gcm|aes256gcm|chacha20   (bulk)\n"
            "  --write-size N          application write size in bytes (bulk)\n"
            "  --min-time S            measure at least S seconds of CPU (default 1)\n"
            "  --iterations N          measure exactly N handshakes or writes instead\n"
            "  --slices on|off         after warm-up print a ready line, then measure once per\n"
            "                          \"run\" line on stdin until its end (handshake, resume,\n"
            "                          bulk; default off: measure once)\n"
            "  --warmup N              untimed handshakes first (default 20)\n"
            "  --pairs N               idle connection pairs (memory, default 1000)\n"
            "  --chain-cache on|off    the client's verified-chain cache, where the library has\n"
            "                          one (default off: every handshake verifies the chain)\n",
            lib->name);
    exit(2);
}

static void parse_args(int argc, char **argv, args_t *a) {
    memset(a, 0, sizeof(*a));
    a->leaf = "ecdsa";
    a->suite = BENCH_TLS_AES_128_GCM_SHA256;
    a->suite_name = "aes128gcm";
    a->measure = (bench_measure)BENCH_MEASURE_DEFAULTS;
    a->warmup = 20;
    a->pairs = 1000;
    a->mode_name = "";
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i];
        if (i + 1 >= argc) {
            usage();
        }
        const char *v = argv[++i];
        if (strcmp(k, "--certs") == 0) {
            a->certs = v;
        } else if (strcmp(k, "--host") == 0) {
            a->host = v;
        } else if (strcmp(k, "--mode") == 0) {
            static const struct {
                const char *name;
                run_mode mode;
            } modes[] = {
                {"version", MODE_VERSION},     {"selftest", MODE_SELFTEST},
                {"handshake", MODE_HANDSHAKE}, {"resume", MODE_RESUME},
                {"bulk", MODE_BULK},           {"memory", MODE_MEMORY},
            };
            a->mode_name = NULL;
            for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
                if (strcmp(v, modes[m].name) == 0) {
                    a->mode = modes[m].mode;
                    a->mode_name = modes[m].name;
                }
            }
            if (a->mode_name == NULL) {
                usage();
            }
        } else if (strcmp(k, "--leaf") == 0) {
            if (strcmp(v, "ecdsa") != 0 && strcmp(v, "rsa") != 0) {
                usage();
            }
            a->leaf = v;
        } else if (strcmp(k, "--suite") == 0) {
            if (strcmp(v, "aes128gcm") == 0) {
                a->suite = BENCH_TLS_AES_128_GCM_SHA256;
            } else if (strcmp(v, "aes256gcm") == 0) {
                a->suite = BENCH_TLS_AES_256_GCM_SHA384;
            } else if (strcmp(v, "chacha20") == 0) {
                a->suite = BENCH_TLS_CHACHA20_POLY1305_SHA256;
            } else {
                usage();
            }
            a->suite_name = v;
        } else if (strcmp(k, "--warmup") == 0) {
            a->warmup = bench_parse_u64(v, usage);
        } else if (strcmp(k, "--chain-cache") == 0) {
            if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
                usage();
            }
            a->chain_cache = strcmp(v, "on") == 0;
        } else if (strcmp(k, "--pairs") == 0) {
            a->pairs = bench_parse_u64(v, usage);
            if (a->pairs == 0) {
                usage();
            }
        } else if (!bench_measure_option(&a->measure, k, v, usage)) {
            usage();
        }
    }
    if (a->mode != MODE_VERSION && (a->certs == NULL || a->host == NULL)) {
        usage();
    }
    if (a->measure.slices && a->mode != MODE_HANDSHAKE && a->mode != MODE_RESUME &&
        a->mode != MODE_BULK) {
        usage();
    }
}

/* ---- contexts ----------------------------------------------------------------------------- */

typedef struct {
    char root[1024];
    char chain[1024];
    char key[1024];
    bench_config cfg;
} cfgbuf_t;

static void make_config(cfgbuf_t *b, const args_t *a, const char *leaf, const char *root_name,
                        uint16_t suite, bool tickets) {
    snprintf(b->root, sizeof(b->root), "%s/%s", a->certs, root_name);
    snprintf(b->chain, sizeof(b->chain), "%s/%s-chain.pem", a->certs, leaf);
    snprintf(b->key, sizeof(b->key), "%s/%s-key.pem", a->certs, leaf);
    b->cfg = (bench_config){
        .root_file = b->root,
        .chain_file = b->chain,
        .key_file = b->key,
        .host = a->host,
        .suite = suite,
        .tickets = tickets,
        .chain_cache = a->chain_cache,
    };
}

static void print_header(json_t *j, const args_t *a) {
    json_str(j, "lib", lib->name);
    json_str(j, "version", lib->version());
    json_str(j, "mode", a->mode_name);
}

static _Noreturn void not_applicable(const args_t *a, const char *reason) {
    json_t j;
    json_begin(&j);
    print_header(&j, a);
    json_str(&j, "status", "n/a");
    json_str(&j, "reason", reason);
    json_end(&j);
    exit(0);
}

/* Makes both contexts or reports n/a and exits. */
static void make_contexts(const args_t *a, const bench_config *client_cfg,
                          const bench_config *server_cfg, void **out_c, void **out_s) {
    const char *na = NULL;
    set_side(BENCH_SIDE_CLIENT);
    bench_status st = lib->ctx_new(BENCH_CLIENT, client_cfg, out_c, &na);
    if (st == BENCH_NA) {
        not_applicable(a, na);
    }
    if (st != BENCH_DONE) {
        die("cannot create the client context");
    }
    set_side(BENCH_SIDE_SERVER);
    st = lib->ctx_new(BENCH_SERVER, server_cfg, out_s, &na);
    if (st == BENCH_NA) {
        not_applicable(a, na);
    }
    if (st != BENCH_DONE) {
        die("cannot create the server context");
    }
    set_side(BENCH_SIDE_HARNESS);
}

/* ---- one handshake pair ------------------------------------------------------------------- */

static void link_init(link_t *l) {
    if (!bench_pipe_init(&l->c2s, PIPE_CAP) || !bench_pipe_init(&l->s2c, PIPE_CAP)) {
        die("out of memory");
    }
    l->cio = (bench_io){.in = &l->s2c, .out = &l->c2s};
    l->sio = (bench_io){.in = &l->c2s, .out = &l->s2c};
}

/* One step of one side, timed (call_ns) and attributed to that side. */
static bench_status step(int side, void *conn, bench_pipe *out, cost_t *cost) {
    uint64_t written = out->total_written;
    set_side(side == 0 ? BENCH_SIDE_CLIENT : BENCH_SIDE_SERVER);
    uint64_t t = call_ns();
    bench_status st = lib->handshake(conn);
    cost->ns[side] += call_ns() - t;
    set_side(BENCH_SIDE_HARNESS);
    if (out->total_written != written) {
        cost->flights[side]++;
    }
    return st;
}

/* Sends EXCHANGE_LEN bytes from one side to the other and has the other read them, each call
 * timed and attributed to its side. Post-handshake messages (tickets) are processed by the
 * reader on the way. */
static bool exchange(int from, void *writer, void *reader, const bench_pipe *wire, cost_t *cost) {
    static const uint8_t msg[EXCHANGE_LEN] = "padlock bench: first exchange..";
    uint8_t buf[EXCHANGE_LEN];
    set_side(from == 0 ? BENCH_SIDE_CLIENT : BENCH_SIDE_SERVER);
    uint64_t t = call_ns();
    bench_status st = lib->write(writer, msg, sizeof(msg));
    cost->ns[from] += call_ns() - t;
    int to = 1 - from;
    size_t got = 0;
    /* A read may stop after a post-handshake message with nothing for the application yet. */
    for (int round = 0; st != BENCH_ERROR && got < sizeof(msg) && round < MAX_ROUNDS; round++) {
        if (st == BENCH_WANT && bench_pipe_pending(wire) == 0) {
            break;
        }
        size_t n = 0;
        set_side(to == 0 ? BENCH_SIDE_CLIENT : BENCH_SIDE_SERVER);
        t = call_ns();
        st = lib->read(reader, buf + got, sizeof(buf) - got, &n);
        cost->ns[to] += call_ns() - t;
        got += n;
    }
    set_side(BENCH_SIDE_HARNESS);
    if (st == BENCH_ERROR) {
        return false;
    }
    if (got != sizeof(msg) || memcmp(buf, msg, sizeof(msg)) != 0) {
        bench_lib_error("first exchange", "the application data did not arrive intact");
        return false;
    }
    return true;
}

/* Creates a client (resuming `session` if not NULL) and a server connection on `l`, runs their
 * handshake to completion, then one request and response. The connections are returned even
 * on failure so the caller frees them. */
static bool pair_handshake(void *cctx, void *sctx, void *session, link_t *l, void **out_c,
                           void **out_s, cost_t *cost) {
    uint64_t c0 = l->c2s.total_written;
    uint64_t s0 = l->s2c.total_written;

    set_side(BENCH_SIDE_CLIENT);
    uint64_t t = call_ns();
    *out_c = lib->conn_new(cctx, &l->cio, session);
    cost->ns[0] += call_ns() - t;
    set_side(BENCH_SIDE_SERVER);
    t = call_ns();
    *out_s = lib->conn_new(sctx, &l->sio, NULL);
    cost->ns[1] += call_ns() - t;
    set_side(BENCH_SIDE_HARNESS);
    if (*out_c == NULL || *out_s == NULL) {
        return false;
    }

    bench_status cs = BENCH_WANT;
    bench_status ss = BENCH_WANT;
    for (int round = 0; round < MAX_ROUNDS && !(cs == BENCH_DONE && ss == BENCH_DONE); round++) {
        uint64_t before = l->c2s.total_written + l->s2c.total_written;
        bool finished = false;
        if (cs != BENCH_DONE) {
            cs = step(0, *out_c, &l->c2s, cost);
            finished |= cs == BENCH_DONE;
        }
        if (cs == BENCH_ERROR) {
            return false;
        }
        if (ss != BENCH_DONE) {
            ss = step(1, *out_s, &l->s2c, cost);
            finished |= ss == BENCH_DONE;
        }
        if (ss == BENCH_ERROR) {
            return false;
        }
        if (!finished && l->c2s.total_written + l->s2c.total_written == before) {
            bench_lib_error("handshake", "stalled: neither side made progress");
            return false;
        }
    }
    if (cs != BENCH_DONE || ss != BENCH_DONE) {
        bench_lib_error("handshake", "did not complete");
        return false;
    }
    /* A request and its response. Part of every handshake figure: some libraries (BoringSSL)
     * send their tickets only with the server's first application record. */
    if (!exchange(0, *out_c, *out_s, &l->c2s, cost) ||
        !exchange(1, *out_s, *out_c, &l->s2c, cost)) {
        return false;
    }
    if (bench_pipe_pending(&l->c2s) > 0 || bench_pipe_pending(&l->s2c) > 0) {
        bench_lib_error("handshake", "bytes left unread after the handshake");
        return false;
    }
    cost->wire[0] += l->c2s.total_written - c0;
    cost->wire[1] += l->s2c.total_written - s0;
    return true;
}

static void free_pair(void *c, void *s, cost_t *cost) {
    uint64_t t;
    if (c != NULL) {
        set_side(BENCH_SIDE_CLIENT);
        t = call_ns();
        lib->conn_free(c);
        cost->ns[0] += call_ns() - t;
    }
    if (s != NULL) {
        set_side(BENCH_SIDE_SERVER);
        t = call_ns();
        lib->conn_free(s);
        cost->ns[1] += call_ns() - t;
    }
    set_side(BENCH_SIDE_HARNESS);
}

/* What every handshake must have negotiated, checked outside the timed sections so that no
 * library is measured on a different protocol than the others. */
typedef struct {
    uint16_t suite;
    bool resumed;
    int tickets; /* client tickets after the handshake: exact count, or -1 for "at least one" */
} expect_t;

static void check_pair(void *c, void *s, const expect_t *e, bench_info *out_client) {
    bench_info ci;
    bench_info si;
    memset(&ci, 0, sizeof(ci));
    memset(&si, 0, sizeof(si));
    lib->info(c, &ci);
    lib->info(s, &si);
    const bench_info *both[2] = {&ci, &si};
    for (int k = 0; k < 2; k++) {
        const char *who = k == 0 ? "client" : "server";
        const bench_info *i = both[k];
        if (i->version != BENCH_VERSION_TLS13) {
            die("%s negotiated version 0x%04x, not TLS 1.3", who, i->version);
        }
        if (i->suite != e->suite) {
            die("%s negotiated suite 0x%04x, expected 0x%04x", who, i->suite, e->suite);
        }
        if (i->group != BENCH_GROUP_X25519) {
            die("%s used group 0x%04x, expected X25519 (ECDHE in every handshake)", who, i->group);
        }
        if (i->resumed != e->resumed) {
            die("%s %s", who, e->resumed ? "did not resume" : "resumed unexpectedly");
        }
    }
    if ((e->tickets >= 0 && ci.tickets_received != (uint32_t)e->tickets) ||
        (e->tickets < 0 && ci.tickets_received == 0)) {
        die("client received %u tickets", ci.tickets_received);
    }
    if (out_client != NULL) {
        *out_client = ci;
    }
}

/* The two TLS 1.3 flights of the client (ClientHello; Finished) — a third would be the answer
 * to a HelloRetryRequest, which would mean the key share was not the one configured. */
static void check_flights(const cost_t *c, uint64_t n) {
    if (c->flights[0] != 2 * n) {
        die("client sent %.2f flights per handshake, expected 2 (a HelloRetryRequest?)",
            (double)c->flights[0] / (double)n);
    }
}

static void add_cost(cost_t *sum, const cost_t *one) {
    for (int k = 0; k < 2; k++) {
        sum->ns[k] += one->ns[k];
        sum->flights[k] += one->flights[k];
        sum->wire[k] += one->wire[k];
    }
}

static bool keep_going(const args_t *a, uint64_t n, uint64_t measured_ns) {
    if (a->measure.iterations != 0) {
        return n < a->measure.iterations;
    }
    return n == 0 || (double)measured_ns < a->measure.min_time * 1e9;
}

/* ---- modes -------------------------------------------------------------------------------- */

static void mode_version(const args_t *a) {
    json_t j;
    json_begin(&j);
    print_header(&j, a);
    json_str(&j, "status", "ok");
    json_end(&j);
}

/* The handshakes every library must refuse: a host name the leaf does not carry, and a chain
 * that does not lead to the client's trust anchor. They prove that verification is on. */
static void mode_selftest(const args_t *a) {
    link_t l;
    link_init(&l);
    static const char *const leaves[] = {"ecdsa", "rsa"};
    json_t j;
    json_begin(&j);
    print_header(&j, a);
    for (size_t k = 0; k < 2; k++) {
        cfgbuf_t cb;
        make_config(&cb, a, leaves[k], "root.pem", BENCH_TLS_AES_128_GCM_SHA256, false);
        void *cctx = NULL;
        void *sctx = NULL;
        make_contexts(a, &cb.cfg, &cb.cfg, &cctx, &sctx);
        void *c = NULL;
        void *s = NULL;
        cost_t cost = {0};
        if (!pair_handshake(cctx, sctx, NULL, &l, &c, &s, &cost)) {
            die("%s leaf: the handshake failed", leaves[k]);
        }
        expect_t e = {.suite = BENCH_TLS_AES_128_GCM_SHA256, .resumed = false, .tickets = 0};
        check_pair(c, s, &e, NULL);
        check_flights(&cost, 1);
        free_pair(c, s, &cost);
        lib->ctx_free(cctx);

        static const struct {
            const char *what;
            const char *root;
            const char *host;
        } bad[] = {
            {"wrong host name", "root.pem", WRONG_HOST},
            {"untrusted root", "other-root.pem", NULL},
        };
        for (size_t b = 0; b < 2; b++) {
            cfgbuf_t bc;
            make_config(&bc, a, leaves[k], bad[b].root, BENCH_TLS_AES_128_GCM_SHA256, false);
            if (bad[b].host != NULL) {
                bc.cfg.host = bad[b].host;
            }
            void *bad_cctx = NULL;
            const char *na = NULL;
            if (lib->ctx_new(BENCH_CLIENT, &bc.cfg, &bad_cctx, &na) != BENCH_DONE) {
                die("cannot create a client context");
            }
            quiet_errors = true;
            bool ok = pair_handshake(bad_cctx, sctx, NULL, &l, &c, &s, &cost);
            quiet_errors = false;
            if (ok) {
                die("%s leaf: the client accepted a handshake with a %s", leaves[k], bad[b].what);
            }
            free_pair(c, s, &cost);
            bench_pipe_reset(&l.c2s);
            bench_pipe_reset(&l.s2c);
            lib->ctx_free(bad_cctx);
        }
        lib->ctx_free(sctx);
    }
    json_str(&j, "status", "ok");
    json_str(&j, "checks",
             "ecdsa and rsa leaves: handshake ok, wrong host and untrusted root refused");
    json_end(&j);
}

/* A client keeps the session of the ticket it just received for its next connection and drops
 * the one it used: RFC 8446 §C.4 asks clients not to reuse a ticket, and OpenSSL's client
 * refuses to. Client work, timed as such. */
static void *next_session(void *client, void *used, cost_t *cost) {
    set_side(BENCH_SIDE_CLIENT);
    uint64_t t = call_ns();
    void *next = lib->session_take(client);
    lib->session_free(used);
    cost->ns[0] += call_ns() - t;
    set_side(BENCH_SIDE_HARNESS);
    if (next == NULL) {
        die("the client kept no session from the ticket it received");
    }
    return next;
}

/* What the handshake figures keep across slices: contexts, the pipes, the session to resume. */
typedef struct {
    void *cctx;
    void *sctx;
    link_t link;
    void *session; /* resumed figures: the session of the last ticket received */
    expect_t expect;
    bool resume;
} hs_state;

/* One pair on `h`: handshake, exchange, checks, the next session, free. `cost` accumulates its
 * CPU; `out_client` (if not NULL) receives what the client negotiated. */
static void hs_pair(hs_state *h, cost_t *cost, bench_info *out_client, const char *what,
                    uint64_t i) {
    void *c = NULL;
    void *s = NULL;
    if (!pair_handshake(h->cctx, h->sctx, h->session, &h->link, &c, &s, cost)) {
        die("%s handshake %llu failed", what, (unsigned long long)i);
    }
    check_pair(c, s, &h->expect, out_client);
    if (h->resume) {
        h->session = next_session(c, h->session, cost);
    }
    free_pair(c, s, cost);
}

/* One measurement of handshake pairs: BENCH_REWARM_NS of untimed pairs, then pairs for the
 * slice's time or count, turned into CPU per side (bench_cpu_share) and printed. */
static void hs_slice(const void *args, void *state) {
    const args_t *a = args;
    hs_state *h = state;
    uint64_t rewarm0 = bench_cpu_ns();
    for (uint64_t i = 0; i == 0 || bench_cpu_ns() - rewarm0 < BENCH_REWARM_NS; i++) {
        cost_t unused = {0};
        hs_pair(h, &unused, NULL, "re-warm", i);
    }
    cost_t sum = {0};
    uint64_t n = 0;
    uint64_t tickets = 0;
    uint64_t wall0 = bench_wall_ns();
    uint64_t cpu0 = bench_cpu_ns();
    while (keep_going(a, n, sum.ns[0] + sum.ns[1])) {
        cost_t one = {0};
        bench_info ci;
        hs_pair(h, &one, &ci, "measured", n);
        tickets += ci.tickets_received;
        add_cost(&sum, &one);
        n++;
    }
    uint64_t loop_cpu = bench_cpu_ns() - cpu0;
    uint64_t wall = bench_wall_ns() - wall0;
    bench_cpu_share(sum.ns, loop_cpu, wall);
    check_flights(&sum, n);

    double dn = (double)n;
    json_t j;
    json_begin(&j);
    print_header(&j, a);
    json_str(&j, "status", "ok");
    json_str(&j, "leaf", a->leaf);
    json_u64(&j, "handshakes", n);
    json_num(&j, "per_s", dn / ((double)(sum.ns[0] + sum.ns[1]) / 1e9));
    json_num(&j, "client_us", (double)sum.ns[0] / dn / 1e3);
    json_num(&j, "server_us", (double)sum.ns[1] / dn / 1e3);
    json_num(&j, "loop_cpu_s", (double)loop_cpu / 1e9);
    json_num(&j, "wall_s", (double)wall / 1e9);
    json_num(&j, "server_flights", (double)sum.flights[1] / dn);
    json_num(&j, "client_bytes", (double)sum.wire[0] / dn);
    json_num(&j, "server_bytes", (double)sum.wire[1] / dn);
    json_num(&j, "tickets", (double)tickets / dn);
    json_end(&j);
}

/* Full handshakes (no tickets issued) or resumed ones (one ticket per handshake, PSK with
 * ECDHE), new connections each time: the cost includes creating and freeing them. */
static void mode_handshake(const args_t *a, bool resume) {
    cfgbuf_t cb;
    make_config(&cb, a, a->leaf, "root.pem", BENCH_TLS_AES_128_GCM_SHA256, resume);
    hs_state h = {.resume = resume};
    make_contexts(a, &cb.cfg, &cb.cfg, &h.cctx, &h.sctx);
    link_init(&h.link);

    h.expect = (expect_t){.suite = BENCH_TLS_AES_128_GCM_SHA256, .resumed = resume, .tickets = 0};
    if (resume) {
        void *c = NULL;
        void *s = NULL;
        cost_t cost = {0};
        if (!pair_handshake(h.cctx, h.sctx, NULL, &h.link, &c, &s, &cost)) {
            die("the initial full handshake failed");
        }
        expect_t full = {.suite = h.expect.suite, .resumed = false, .tickets = -1};
        check_pair(c, s, &full, NULL);
        h.session = lib->session_take(c);
        if (h.session == NULL) {
            die("the client kept no session after receiving a ticket");
        }
        free_pair(c, s, &cost);
        h.expect.tickets = -1;
    }
    for (uint64_t i = 0; i < a->warmup; i++) {
        cost_t unused = {0};
        hs_pair(&h, &unused, NULL, "warm-up", i);
    }

    bench_measure_slices(&a->measure, lib->name, a->mode_name, hs_slice, a, &h);

    if (h.session != NULL) {
        lib->session_free(h.session);
    }
    lib->ctx_free(h.cctx);
    lib->ctx_free(h.sctx);
}

/* One batch in one direction: the client writes `ws` bytes at a time until 64 KiB are in flight,
 * then the server reads everything with a 16 KiB buffer. `check` compares every byte received
 * with what was sent (done on the first batch, outside the measurement). */
typedef struct {
    void *client;
    void *server;
    link_t *link;
    const uint8_t *src;
    uint8_t *dst;
    size_t ws;
    uint64_t writes_per_batch;
    uint64_t sent;
    uint64_t received;
} bulk_t;

static void bulk_batch(bulk_t *b, bool check, cost_t *cost) {
    uint64_t t0 = call_ns();
    for (uint64_t k = 0; k < b->writes_per_batch; k++) {
        if (lib->write(b->client, b->src, b->ws) != BENCH_DONE) {
            die("write failed after %llu bytes", (unsigned long long)b->sent);
        }
    }
    uint64_t t1 = call_ns();
    b->sent += b->writes_per_batch * b->ws;
    for (;;) {
        size_t got = 0;
        bench_status st = lib->read(b->server, b->dst, READ_CAP, &got);
        if (st == BENCH_WANT) {
            break;
        }
        if (st != BENCH_DONE) {
            die("read failed after %llu bytes", (unsigned long long)b->received);
        }
        for (size_t i = 0; check && i < got; i++) {
            if (b->dst[i] != b->src[(b->received + i) % b->ws]) {
                die("received byte %llu differs from what was sent",
                    (unsigned long long)(b->received + i));
            }
        }
        b->received += got;
    }
    uint64_t t2 = call_ns();
    if (b->received != b->sent || bench_pipe_pending(&b->link->c2s) != 0) {
        die("the server read %llu of %llu bytes", (unsigned long long)b->received,
            (unsigned long long)b->sent);
    }
    cost->ns[0] += t1 - t0;
    cost->ns[1] += t2 - t1;
}

/* One measurement of bulk throughput: BENCH_REWARM_NS of untimed batches, then batches for the
 * slice's time (or writes for its count), turned into CPU (bench_cpu_share) and printed. */
static void bulk_slice(const void *args, void *state) {
    const args_t *a = args;
    bulk_t *b = state;
    uint64_t rewarm0 = bench_cpu_ns();
    do {
        cost_t unused = {0};
        bulk_batch(b, false, &unused);
    } while (bench_cpu_ns() - rewarm0 < BENCH_REWARM_NS);
    cost_t sum = {0};
    uint64_t writes = 0;
    uint64_t batches = 0;
    uint64_t sent0 = b->sent;
    uint64_t wall0 = bench_wall_ns();
    uint64_t cpu0 = bench_cpu_ns();
    while (keep_going(a, a->measure.iterations != 0 ? writes : batches, sum.ns[0] + sum.ns[1])) {
        bulk_batch(b, false, &sum);
        writes += b->writes_per_batch;
        batches++;
    }
    uint64_t loop_cpu = bench_cpu_ns() - cpu0;
    uint64_t wall = bench_wall_ns() - wall0;
    bench_cpu_share(sum.ns, loop_cpu, wall);
    uint64_t bytes = b->sent - sent0;

    json_t j;
    json_begin(&j);
    print_header(&j, a);
    json_str(&j, "status", "ok");
    json_str(&j, "suite", a->suite_name);
    json_u64(&j, "write_size", b->ws);
    json_u64(&j, "writes", writes);
    json_u64(&j, "bytes", bytes);
    json_num(&j, "mb_per_s", (double)bytes / ((double)(sum.ns[0] + sum.ns[1]) / 1e9) / 1e6);
    json_num(&j, "seal_mb_per_s", (double)bytes / ((double)sum.ns[0] / 1e9) / 1e6);
    json_num(&j, "open_mb_per_s", (double)bytes / ((double)sum.ns[1] / 1e9) / 1e6);
    json_num(&j, "loop_cpu_s", (double)loop_cpu / 1e9);
    json_num(&j, "wall_s", (double)wall / 1e9);
    json_end(&j);
}

/* Bulk throughput in one direction, client to server, on an established connection. The CPU of
 * both sides counts: the figure is application bytes per second of sealing plus opening. */
static void mode_bulk(const args_t *a) {
    cfgbuf_t cb;
    make_config(&cb, a, "ecdsa", "root.pem", a->suite, false);
    void *cctx = NULL;
    void *sctx = NULL;
    make_contexts(a, &cb.cfg, &cb.cfg, &cctx, &sctx);
    link_t l;
    link_init(&l);
    void *c = NULL;
    void *s = NULL;
    cost_t hs = {0};
    if (!pair_handshake(cctx, sctx, NULL, &l, &c, &s, &hs)) {
        die("the handshake failed");
    }
    expect_t e = {.suite = a->suite, .resumed = false, .tickets = 0};
    check_pair(c, s, &e, NULL);

    bulk_t b = {.client = c, .server = s, .link = &l, .ws = a->measure.write_size};
    uint8_t *src = malloc(b.ws);
    b.dst = malloc(READ_CAP);
    if (src == NULL || b.dst == NULL) {
        die("out of memory");
    }
    for (size_t i = 0; i < b.ws; i++) {
        src[i] = (uint8_t)(i * 31u + 7u);
    }
    b.src = src;
    b.writes_per_batch = (BULK_BATCH + b.ws - 1) / b.ws;

    cost_t warm = {0};
    uint64_t warm_batches = a->measure.iterations != 0 ? 1 : 16;
    for (uint64_t i = 0; i < warm_batches; i++) {
        bulk_batch(&b, i == 0, &warm);
    }

    bench_measure_slices(&a->measure, lib->name, a->mode_name, bulk_slice, a, &b);

    free_pair(c, s, &hs);
    lib->ctx_free(cctx);
    lib->ctx_free(sctx);
    free(src);
    free(b.dst);
}

/* Heap per idle connection and per handshake, under the LD_PRELOAD interposer:
 *  - peak: the highest live-heap growth during one complete handshake pair (both sides);
 *  - calls: malloc-family calls per pair, attributed to the side that was running;
 *  - idle: after `pairs` established pairs, the bytes freed by freeing all servers, then all
 *    clients, divided by `pairs` (exact attribution: each side's objects are freed alone). */
static void mode_memory(const args_t *a) {
    bench_alloc_stats_fn fn = (bench_alloc_stats_fn)dlsym(RTLD_DEFAULT, BENCH_ALLOC_STATS_SYMBOL);
    if (fn == NULL) {
        die("memory mode needs the allocation interposer: LD_PRELOAD=.../libbench_alloc.so");
    }
    stats = fn();
    cfgbuf_t cb;
    make_config(&cb, a, "ecdsa", "root.pem", BENCH_TLS_AES_128_GCM_SHA256, false);
    void **clients = calloc(a->pairs, sizeof(void *));
    void **servers = calloc(a->pairs, sizeof(void *));
    if (clients == NULL || servers == NULL) {
        die("out of memory");
    }
    link_t l;
    link_init(&l);
    void *cctx = NULL;
    void *sctx = NULL;
    make_contexts(a, &cb.cfg, &cb.cfg, &cctx, &sctx);
    expect_t e = {.suite = BENCH_TLS_AES_128_GCM_SHA256, .resumed = false, .tickets = 0};

    /* Warm-up: lazily initialised library state is allocated here, not in the figures. The
     * interposer must have seen both sides allocate, or it is not in the path. */
    uint64_t calls0[BENCH_SIDES];
    memcpy(calls0, stats->calls, sizeof(calls0));
    uint64_t warm = a->warmup < 3 ? 3 : a->warmup;
    for (uint64_t i = 0; i < warm; i++) {
        void *c = NULL;
        void *s = NULL;
        cost_t cost = {0};
        if (!pair_handshake(cctx, sctx, NULL, &l, &c, &s, &cost)) {
            die("warm-up handshake failed");
        }
        check_pair(c, s, &e, NULL);
        free_pair(c, s, &cost);
    }
    if (stats->calls[BENCH_SIDE_CLIENT] == calls0[BENCH_SIDE_CLIENT] ||
        stats->calls[BENCH_SIDE_SERVER] == calls0[BENCH_SIDE_SERVER]) {
        die("the interposer saw no allocation by the library: accounting is not in its path");
    }

    int64_t peak = 0;
    for (int i = 0; i < PEAK_SAMPLES; i++) {
        void *c = NULL;
        void *s = NULL;
        cost_t cost = {0};
        int64_t base = __atomic_load_n(&stats->live, __ATOMIC_RELAXED);
        __atomic_store_n(&stats->peak, base, __ATOMIC_RELAXED);
        if (!pair_handshake(cctx, sctx, NULL, &l, &c, &s, &cost)) {
            die("handshake failed");
        }
        int64_t p = __atomic_load_n(&stats->peak, __ATOMIC_RELAXED) - base;
        if (p > peak) {
            peak = p;
        }
        check_pair(c, s, &e, NULL);
        free_pair(c, s, &cost);
    }

    int64_t live0 = __atomic_load_n(&stats->live, __ATOMIC_RELAXED);
    memcpy(calls0, stats->calls, sizeof(calls0));
    for (uint64_t i = 0; i < a->pairs; i++) {
        cost_t cost = {0};
        if (!pair_handshake(cctx, sctx, NULL, &l, &clients[i], &servers[i], &cost)) {
            die("handshake %llu failed", (unsigned long long)i);
        }
        check_pair(clients[i], servers[i], &e, NULL);
    }
    uint64_t calls_c = stats->calls[BENCH_SIDE_CLIENT] - calls0[BENCH_SIDE_CLIENT];
    uint64_t calls_s = stats->calls[BENCH_SIDE_SERVER] - calls0[BENCH_SIDE_SERVER];
    int64_t live1 = __atomic_load_n(&stats->live, __ATOMIC_RELAXED);
    cost_t unused = {0};
    for (uint64_t i = 0; i < a->pairs; i++) {
        free_pair(NULL, servers[i], &unused);
    }
    int64_t live2 = __atomic_load_n(&stats->live, __ATOMIC_RELAXED);
    for (uint64_t i = 0; i < a->pairs; i++) {
        free_pair(clients[i], NULL, &unused);
    }
    int64_t live3 = __atomic_load_n(&stats->live, __ATOMIC_RELAXED);
    lib->ctx_free(cctx);
    lib->ctx_free(sctx);

    double dp = (double)a->pairs;
    json_t j;
    json_begin(&j);
    print_header(&j, a);
    json_str(&j, "status", "ok");
    json_u64(&j, "pairs", a->pairs);
    json_num(&j, "idle_client_bytes", (double)(live2 - live3) / dp);
    json_num(&j, "idle_server_bytes", (double)(live1 - live2) / dp);
    json_num(&j, "idle_pair_bytes", (double)(live1 - live0) / dp);
    json_num(&j, "retained_bytes", (double)(live3 - live0));
    json_num(&j, "peak_pair_bytes", (double)peak);
    json_num(&j, "client_calls", (double)calls_c / dp);
    json_num(&j, "server_calls", (double)calls_s / dp);
    json_end(&j);
    free(clients);
    free(servers);
}

int main(int argc, char **argv) {
    args_t a;
    parse_args(argc, argv, &a);
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    switch (a.mode) {
    case MODE_VERSION: mode_version(&a); break;
    case MODE_SELFTEST: mode_selftest(&a); break;
    case MODE_HANDSHAKE: mode_handshake(&a, false); break;
    case MODE_RESUME: mode_handshake(&a, true); break;
    case MODE_BULK: mode_bulk(&a); break;
    case MODE_MEMORY: mode_memory(&a); break;
    }
    return 0;
}
