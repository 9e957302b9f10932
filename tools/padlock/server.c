/* padlock server: a TLS 1.3 server for development and testing. It serves a directory over
 * HTTPS (--www) or echoes what clients send (--echo), with one or more certificates chosen by
 * SNI and signature algorithm, optional client certificates, and a log line per connection. */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

#define PL_CMD PL_SERVER_CMD

static const char pl_help[] =
    "usage: padlock server --cert FILE [--key FILE]... (--www DIR | --echo) [options]\n"
    "\n"
    "Listens on 127.0.0.1 port 8443 for TLS 1.3 and 1.2 clients and serves the files under DIR\n"
    "over HTTPS (--www), or sends every client back what it sends (--echo). Each connection\n"
    "leaves one line on standard error: client address, protocol, cipher suite, SNI, ALPN,\n"
    "client certificate, bytes each way, HTTP statuses and how it ended. SIGINT or SIGTERM\n"
    "stops it: no new connections, close_notify to the open ones, exit status 0.\n"
    "\n"
    "  --cert FILE           a certificate chain (PEM, leaf first); repeatable: each client\n"
    "                        gets the first that covers the name it asks for (SNI) and that\n"
    "                        signs with an algorithm it accepts\n"
    "  --key FILE            the private key of the --cert before it (default: in that file)\n"
    "  --www DIR             serve DIR: GET and HEAD, index.html for directories\n"
    "  --echo                echo what each client sends\n"
    "  --listen ADDR         the address to listen on (default 127.0.0.1; ::1, 0.0.0.0, ::)\n"
    "  --port N              the port (default 8443; 0: any free port, printed at start)\n"
    "  --client-ca FILE|DIR  ask clients for a certificate issued by these CAs\n"
    "  --verify-client MODE  required (the default with --client-ca): refuse clients without\n"
    "                        one; optional: let them in, unauthenticated\n"
    "  --max-connections N   at most N clients at once, the others wait (default 256)\n"
    "  --idle-timeout S      close a connection silent for S seconds (default 60)\n"
    "  --handshake-timeout S drop a client that has not completed its handshake in S seconds\n"
    "                        (default 10)\n"
    "  --keylog FILE         append the sessions' secrets to FILE in the NSS key log format\n"
    "                        (Wireshark): anyone with the file can decrypt the sessions\n"
    "  --legacy-rsa-key-exchange\n"
    "                        also accept TLS 1.2 clients that only know RSA key transport\n"
    "                        (TLS_RSA_WITH_AES_*_GCM): no forward secrecy, needs an RSA --cert"
    "\n"
    "The first line on standard output is \"listening on https://ADDR:PORT/\".\n"
    "Exit status: 0 stopped by SIGINT or SIGTERM; 1 failed while running; 2 usage or input\n"
    "error (options, certificate, key or directory); 3 cannot listen (address in use, not\n"
    "this machine's, no permission).\n";

/* --key: the key of the --cert before it. */
static int pl_key_option(const char *cmd, const char *opt, const char *value, void *target) {
    pl_server_args *a = target;
    if (a->num_certs == 0) {
        return pl_cli_usage_error(
            cmd, "%s %s comes before any --cert (each --key follows its --cert)", opt, value);
    }
    if (a->keys[a->num_certs - 1] != NULL) {
        return pl_cli_usage_error(cmd, "two %s options for --cert %s", opt,
                                  a->certs[a->num_certs - 1]);
    }
    a->keys[a->num_certs - 1] = value;
    return PL_CLI_OK;
}

/* --verify-client required|optional into the padlock_client_auth at target. */
static int pl_verify_option(const char *cmd, const char *opt, const char *value, void *target) {
    padlock_client_auth *mode = target;
    if (strcmp(value, "required") == 0) {
        *mode = PADLOCK_CLIENT_AUTH_REQUIRED;
    } else if (strcmp(value, "optional") == 0) {
        *mode = PADLOCK_CLIENT_AUTH_OPTIONAL;
    } else {
        return pl_cli_usage_error(cmd, "%s must be optional or required, not '%s'", opt, value);
    }
    return PL_CLI_OK;
}

/* The --www directory, made absolute and free of symbolic links. */
static int pl_root(pl_server_args *a) {
    char real[PATH_MAX];
    struct stat st;
    if (realpath(a->www, real) == NULL || stat(real, &st) != 0) {
        fprintf(stderr, "padlock %s: --www %s: %s\n", PL_CMD, a->www, strerror(errno));
        return PL_CLI_USAGE;
    }
    if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "padlock %s: --www %s: not a directory\n", PL_CMD, a->www);
        return PL_CLI_USAGE;
    }
    if (strlen(real) >= sizeof(a->root)) {
        fprintf(stderr, "padlock %s: --www %s: path too long\n", PL_CMD, a->www);
        return PL_CLI_USAGE;
    }
    snprintf(a->root, sizeof(a->root), "%s", real);
    return PL_CLI_OK;
}

/* Room for every connection's socket and open file, plus our own descriptors. */
static int pl_check_fd_limit(int max_conns) {
    struct rlimit rl;
    rlim_t need = (rlim_t)max_conns * 2 + 16;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need) {
        return PL_CLI_OK;
    }
    if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need) {
        rl.rlim_cur = need;
        if (setrlimit(RLIMIT_NOFILE, &rl) == 0) {
            return PL_CLI_OK;
        }
    }
    return pl_cli_usage_error(PL_CMD,
                              "--max-connections %d needs %llu file descriptors, and this "
                              "process may open %llu (ulimit -n)",
                              max_conns, (unsigned long long)need, (unsigned long long)rl.rlim_max);
}

/* Returns PL_CLI_OK, an exit code, or PL_CLI_HELP when --help was printed. */
static int pl_parse_args(int argc, char **argv, pl_server_args *a) {
    memset(a, 0, sizeof(*a));
    a->listen = "127.0.0.1";
    a->port = 8443;
    a->max_conns = 256;
    a->idle_timeout_s = 60;
    a->handshake_timeout_s = 10;
    int echo = 0;
    pl_cli_list certs = {a->certs, &a->num_certs, PL_SERVER_MAX_CERTS};
    const pl_cli_opt opts[] = {
        PL_CLI_CALL_OPT("--cert", pl_cli_append, &certs),
        PL_CLI_CALL_OPT("--key", pl_key_option, a),
        PL_CLI_STRING_OPT("--www", &a->www),
        PL_CLI_FLAG_OPT("--echo", &echo),
        PL_CLI_STRING_OPT("--listen", &a->listen),
        PL_CLI_NUMBER_OPT("--port", &a->port, "a whole number", 0, 65535),
        PL_CLI_STRING_OPT("--client-ca", &a->client_ca),
        PL_CLI_CALL_OPT("--verify-client", pl_verify_option, &a->verify_client),
        PL_CLI_NUMBER_OPT("--max-connections", &a->max_conns, "a whole number", 1, 10000),
        PL_CLI_NUMBER_OPT("--idle-timeout", &a->idle_timeout_s, "a whole number", 1, 86400),
        PL_CLI_NUMBER_OPT("--handshake-timeout", &a->handshake_timeout_s, "a whole number", 1,
                          3600),
        PL_CLI_STRING_OPT("--keylog", &a->keylog),
        PL_CLI_FLAG_OPT("--legacy-rsa-key-exchange", &a->legacy_rsa),
        PL_CLI_END};
    const pl_cli_syntax syntax = {.cmd = PL_CMD, .help = pl_help, .opts = opts};
    int code = pl_cli_parse(&syntax, argc, argv);
    if (code != PL_CLI_OK) {
        return code;
    }
    /* Only --verify-client sets a mode while the options are read. */
    int verify_given = a->verify_client != PADLOCK_CLIENT_AUTH_NONE;
    if (a->num_certs == 0) {
        return pl_cli_usage_error(PL_CMD, "no certificate: give --cert FILE and --key FILE "
                                          "('padlock cert issue localhost' makes a pair)");
    }
    if (echo && a->www != NULL) {
        return pl_cli_usage_error(PL_CMD, "--www and --echo cannot be combined");
    }
    if (!echo && a->www == NULL) {
        return pl_cli_usage_error(PL_CMD, "choose what to serve: --www DIR or --echo");
    }
    a->mode = echo ? PL_SERVER_ECHO : PL_SERVER_WWW;
    if (verify_given && a->client_ca == NULL) {
        return pl_cli_usage_error(PL_CMD, "--verify-client needs --client-ca (the CAs that "
                                          "client certificates are checked against)");
    }
    if (a->client_ca != NULL && !verify_given) {
        a->verify_client = PADLOCK_CLIENT_AUTH_REQUIRED;
    }
    if (a->www != NULL && pl_root(a) != PL_CLI_OK) {
        return PL_CLI_USAGE;
    }
    return pl_check_fd_limit(a->max_conns);
}

/* The client CAs: a PEM bundle, a DER file or a directory of PEM files. */
static int pl_client_cas(const pl_server_args *a, padlock_config *cfg) {
    padlock_trust_store *store;
    if (padlock_trust_store_new(&store) != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: out of memory\n", PL_CMD);
        return PL_CLI_FAIL;
    }
    struct stat st;
    int is_dir = stat(a->client_ca, &st) == 0 && S_ISDIR(st.st_mode);
    padlock_err rc = is_dir ? padlock_trust_store_add_dir(store, a->client_ca)
                            : padlock_trust_store_add_file(store, a->client_ca);
    if (rc == PADLOCK_OK && padlock_trust_store_count(store) == 0) {
        fprintf(stderr, "padlock %s: --client-ca %s: no certificates in it\n", PL_CMD,
                a->client_ca);
        padlock_trust_store_free(store);
        return PL_CLI_USAGE;
    }
    if (rc != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: --client-ca: %s\n", PL_CMD,
                padlock_trust_store_last_error(store));
        padlock_trust_store_free(store);
        return PL_CLI_USAGE;
    }
    /* The configuration owns store from here, also when this fails. */
    rc = padlock_config_set_trust_store(cfg, store);
    if (rc == PADLOCK_OK) {
        rc = padlock_config_set_client_auth(cfg, a->verify_client);
    }
    if (rc != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: --client-ca: %s\n", PL_CMD, padlock_strerror(rc));
        return PL_CLI_FAIL;
    }
    return PL_CLI_OK;
}

/* Certificates, client CAs, ALPN and the key log into cfg. */
static int pl_configure(const pl_server_args *a, padlock_config *cfg) {
    for (int i = 0; i < a->num_certs; i++) {
        const char *key = a->keys[i] != NULL ? a->keys[i] : a->certs[i];
        padlock_err rc = padlock_config_add_certificate_files(cfg, a->certs[i], key);
        if (rc == PADLOCK_E_KEY_UNSUPPORTED && a->keys[i] == NULL) {
            fprintf(stderr,
                    "padlock %s: --cert %s: no private key padlock can use in it (name the "
                    "key's file with --key)\n",
                    PL_CMD, a->certs[i]);
            return PL_CLI_USAGE;
        }
        if (rc != PADLOCK_OK) {
            const char *why = padlock_config_error_message(cfg);
            fprintf(stderr, "padlock %s: --cert %s --key %s: %s\n", PL_CMD, a->certs[i], key,
                    why != NULL ? why : padlock_strerror(rc));
            return PL_CLI_USAGE;
        }
    }
    if (a->client_ca != NULL) {
        int code = pl_client_cas(a, cfg);
        if (code != PL_CLI_OK) {
            return code;
        }
    }
    if (a->mode == PL_SERVER_WWW) {
        /* RFC 7301 §3.2: a client offering only others (h2 alone) is refused with
         * no_application_protocol; one offering none gets HTTP/1.1 anyway. */
        const char *http11 = "http/1.1";
        if (padlock_config_set_alpn(cfg, &http11, 1) != PADLOCK_OK) {
            fprintf(stderr, "padlock %s: cannot set ALPN\n", PL_CMD);
            return PL_CLI_FAIL;
        }
    }
    if (a->legacy_rsa && padlock_config_set_legacy_rsa_key_exchange(cfg, 1) != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: cannot enable --legacy-rsa-key-exchange\n", PL_CMD);
        return PL_CLI_FAIL;
    }
    if (a->keylog != NULL && padlock_config_set_keylog_file(cfg, a->keylog) != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: --keylog: %s (%s)\n", PL_CMD,
                padlock_config_error_message(cfg), strerror(errno));
        return PL_CLI_USAGE;
    }
    return PL_CLI_OK;
}

/* What each certificate is for and until when, with a warning for one outside its validity. */
static void pl_banner_cert(const char *path) {
    padlock_cert_list *list;
    if (padlock_cert_list_new(&list) != PADLOCK_OK) {
        return;
    }
    if (padlock_cert_list_add_file(list, path) == PADLOCK_OK && padlock_cert_list_count(list) > 0) {
        const padlock_cert *leaf = padlock_cert_list_get(list, 0);
        char names[512] = "", key[64], until[PADLOCK_RFC3339_BUF];
        size_t o = 0;
        for (size_t i = 0; i < padlock_cert_num_sans(leaf) && o < sizeof(names); i++) {
            const char *v;
            padlock_san_type t = padlock_cert_san(leaf, i, &v);
            o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s:%s", i > 0 ? ", " : "",
                                  pl_cli_san_prefix(t), v);
        }
        pl_cli_key_text(padlock_cert_key_type(leaf), padlock_cert_key_bits(leaf), key, sizeof(key));
        padlock_time_format(padlock_cert_not_after(leaf), until);
        fprintf(stderr, "padlock %s: certificate \"%s\" (%s) for %s, valid until %s\n", PL_CMD,
                padlock_cert_subject(leaf), key, names[0] != '\0' ? names : "no names", until);
        int64_t now = (int64_t)time(NULL);
        if (now > padlock_cert_not_after(leaf)) {
            fprintf(stderr, "padlock %s: warning: it expired on %s: clients will refuse it\n",
                    PL_CMD, until);
        } else if (now < padlock_cert_not_before(leaf)) {
            padlock_time_format(padlock_cert_not_before(leaf), until);
            fprintf(stderr,
                    "padlock %s: warning: it is valid only from %s: clients will refuse "
                    "it until then\n",
                    PL_CMD, until);
        }
    }
    padlock_cert_list_free(list);
}

static void pl_banner(const pl_server_args *a) {
    for (int i = 0; i < a->num_certs; i++) {
        pl_banner_cert(a->certs[i]);
    }
    if (a->client_ca != NULL) {
        fprintf(stderr, "padlock %s: client certificates %s, issued under %s\n", PL_CMD,
                a->verify_client == PADLOCK_CLIENT_AUTH_REQUIRED ? "required" : "optional",
                a->client_ca);
    }
    if (a->mode == PL_SERVER_WWW) {
        fprintf(stderr, "padlock %s: serving %s over HTTPS/1.1\n", PL_CMD, a->root);
    } else {
        fprintf(stderr, "padlock %s: echoing what each client sends\n", PL_CMD);
    }
}

/* Configures, listens and serves until a signal; returns the exit code. */
static int pl_server_main(pl_server_args *a) {
    pl_server s;
    memset(&s, 0, sizeof(s));
    s.args = a;
    s.listen_fd = -1;
    if (padlock_config_new(PADLOCK_SERVER, &s.cfg) != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: out of memory\n", PL_CMD);
        return PL_CLI_FAIL;
    }
    int code = pl_configure(a, s.cfg);
    if (code == PL_CLI_OK) {
        code = pl_server_signals(&s.signal_fd);
    }
    if (code == PL_CLI_OK) {
        pl_banner(a);
        code = pl_server_listen(a, &s.listen_fd);
    }
    if (code == PL_CLI_OK) {
        code = pl_server_run(&s);
        fprintf(stderr, "padlock %s: stopped\n", PL_CMD);
    }
    padlock_config_free(s.cfg);
    return code;
}

int pl_cli_server(int argc, char **argv) {
    pl_server_args a;
    int code = pl_parse_args(argc, argv, &a);
    return code == PL_CLI_OK ? pl_server_main(&a) : pl_cli_parse_exit(code);
}
