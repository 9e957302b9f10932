/* padlock client HOST[:PORT]: connects over TLS, verifies the server (the system's roots by
 * default), prints what was negotiated and the server's chain with the verdict, then relays
 * standard input to the server and its data to standard output until either side closes. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client.h"

#define PL_CMD PL_CLIENT_CMD
#define PL_CLIENT_MAX_ALPN 16

static const char pl_help[] =
    "usage: padlock client [options] HOST[:PORT]\n"
    "\n"
    "Connects to HOST (a name, an IPv4 address or an IPv6 address in brackets) on PORT\n"
    "(default 443) with TLS 1.3 (TLS 1.2 if the server speaks nothing newer), verifies the\n"
    "server's certificate chain and name, and prints a summary on standard error. Then it\n"
    "sends standard input to the server and writes what the server sends to standard output,\n"
    "until either side closes: at the end of standard input it sends close_notify and waits\n"
    "for the server to finish.\n"
    "\n"
    "  --cafile FILE|DIR     trust these roots (PEM bundle, DER file, directory of PEM files)\n"
    "                        instead of the system's; repeatable\n"
    "  --servername NAME     the name sent as SNI and checked against the certificate\n"
    "                        (default: HOST)\n"
    "  --alpn LIST           offer these application protocols, e.g. h2,http/1.1\n"
    "  --cert FILE           present this certificate chain (PEM, leaf first) when asked\n"
    "  --key FILE            its private key (default: the --cert file)\n"
    "  --insecure-no-verify  accept any certificate for any name (what verification would say\n"
    "                        is still shown): anyone on the path can impersonate the server\n"
    "  --keylog FILE         append the session's secrets to FILE in the NSS key log format\n"
    "                        (Wireshark): anyone with the file can decrypt the session\n"
    "  --legacy-rsa-key-exchange  also offer TLS 1.2 RSA key transport (TLS_RSA_WITH_AES_128_\n"
    "                        GCM_SHA256, ..._256_GCM_SHA384), least preferred, for servers that\n"
    "                        know nothing better: no forward secrecy\n"
    "  --timeout SECONDS     the longest wait for connecting to an address, for the handshake,\n"
    "                        and for the server after close_notify (default 10)\n"
    "  -n, --no-stdin        send nothing: handshake, print the summary, close\n"
    "  -q, --quiet           no summary (errors are still printed)\n"
    "  --json                the summary as one JSON object on standard output, before any data\n"
    "                        from the server (its fields are described in the README)\n"
    "\n"
    "Exit status: 0 the server closed cleanly; 1 the certificate or the handshake was refused,\n"
    "or the server sent an alert; 2 usage or input error (options, files); 3 network error\n"
    "(cannot resolve or connect, timed out, reset, closed without close_notify).\n";

/* Returns PL_CLI_OK, an exit code, or PL_CLI_HELP when --help was printed. */
static int pl_parse_args(int argc, char **argv, pl_client_args *a) {
    memset(a, 0, sizeof(*a));
    a->timeout_s = 10;
    const char *target = NULL;
    pl_cli_list cafiles = {a->cafiles, &a->num_cafiles, PL_CLIENT_MAX_CAFILES};
    const pl_cli_opt opts[] = {
        PL_CLI_CALL_OPT("--cafile", pl_cli_append, &cafiles),
        PL_CLI_STRING_OPT("--servername", &a->servername),
        PL_CLI_STRING_OPT("--alpn", &a->alpn),
        PL_CLI_STRING_OPT("--cert", &a->cert),
        PL_CLI_STRING_OPT("--key", &a->key),
        PL_CLI_FLAG_OPT("--insecure-no-verify", &a->insecure),
        PL_CLI_STRING_OPT("--keylog", &a->keylog),
        PL_CLI_FLAG_OPT("--legacy-rsa-key-exchange", &a->legacy_rsa),
        PL_CLI_NUMBER_OPT("--timeout", &a->timeout_s, "whole seconds", 1, 3600),
        PL_CLI_FLAG_ALIAS("-n", "--no-stdin", &a->no_stdin),
        PL_CLI_FLAG_ALIAS("-q", "--quiet", &a->quiet),
        PL_CLI_FLAG_OPT("--json", &a->json),
        PL_CLI_END};
    const pl_cli_syntax syntax = {.cmd = PL_CMD,
                                  .help = pl_help,
                                  .opts = opts,
                                  .operand = &target,
                                  .operand_noun = "HOST:PORT",
                                  .operand_missing = "no HOST:PORT given"};
    int code = pl_cli_parse(&syntax, argc, argv);
    if (code != PL_CLI_OK) {
        return code;
    }
    if (a->json && a->quiet) {
        return pl_cli_usage_error(PL_CMD, "--json and --quiet cannot be combined");
    }
    if (a->key != NULL && a->cert == NULL) {
        return pl_cli_usage_error(PL_CMD, "--key needs --cert");
    }
    return pl_client_split_target(target, a);
}

/* Loads the --cafile roots, else the system's. With --insecure-no-verify, missing system roots
 * are no error (*out is then NULL: nothing to tell what verification would say). */
static int pl_load_roots(const pl_client_args *a, padlock_trust_store **out) {
    padlock_trust_store *store;
    *out = NULL;
    if (padlock_trust_store_new(&store) != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: %s\n", PL_CMD, padlock_strerror(PADLOCK_E_NO_MEMORY));
        return PL_CLI_USAGE;
    }
    if (a->num_cafiles == 0) {
        if (padlock_trust_store_add_system(store) == PADLOCK_OK) {
            *out = store;
            return PL_CLI_OK;
        }
        int code = PL_CLI_OK;
        if (!a->insecure) {
            fprintf(stderr,
                    "padlock %s: cannot load the system's roots: %s (name roots with "
                    "--cafile)\n",
                    PL_CMD, padlock_trust_store_last_error(store));
            code = PL_CLI_USAGE;
        }
        padlock_trust_store_free(store);
        return code;
    }
    for (int i = 0; i < a->num_cafiles; i++) {
        struct stat st;
        int is_dir = stat(a->cafiles[i], &st) == 0 && S_ISDIR(st.st_mode);
        padlock_err rc = is_dir ? padlock_trust_store_add_dir(store, a->cafiles[i])
                                : padlock_trust_store_add_file(store, a->cafiles[i]);
        if (rc != PADLOCK_OK) {
            fprintf(stderr, "padlock %s: --cafile: %s\n", PL_CMD,
                    padlock_trust_store_last_error(store));
            padlock_trust_store_free(store);
            return PL_CLI_USAGE;
        }
    }
    *out = store;
    return PL_CLI_OK;
}

/* --alpn "h2,http/1.1" into the configuration. */
static int pl_set_alpn(padlock_config *cfg, const char *list) {
    char copy[4096];
    if (strlen(list) >= sizeof(copy)) {
        return pl_cli_usage_error(PL_CMD, "--alpn list too long");
    }
    snprintf(copy, sizeof(copy), "%s", list);
    const char *names[PL_CLIENT_MAX_ALPN];
    size_t num = 0;
    for (char *p = copy;; p++) {
        char *comma = strchr(p, ',');
        if (num == PL_CLIENT_MAX_ALPN) {
            return pl_cli_usage_error(PL_CMD, "--alpn: at most %d protocols", PL_CLIENT_MAX_ALPN);
        }
        names[num++] = p;
        if (comma == NULL) {
            break;
        }
        *comma = '\0';
        p = comma;
    }
    for (size_t i = 0; i < num; i++) {
        if (names[i][0] == '\0' || strlen(names[i]) > 255) {
            return pl_cli_usage_error(
                PL_CMD, "--alpn '%s': each protocol name has 1 to 255 characters", list);
        }
    }
    if (padlock_config_set_alpn(cfg, names, num) != PADLOCK_OK) {
        return pl_cli_usage_error(PL_CMD, "--alpn '%s' is not a valid protocol list", list);
    }
    return PL_CLI_OK;
}

/* Everything but the roots from the options into cfg. */
static int pl_configure(const pl_client_args *a, padlock_config *cfg) {
    if (a->alpn != NULL && pl_set_alpn(cfg, a->alpn) != PL_CLI_OK) {
        return PL_CLI_USAGE;
    }
    if (a->cert != NULL) {
        padlock_err rc =
            padlock_config_add_certificate_files(cfg, a->cert, a->key != NULL ? a->key : a->cert);
        if (rc == PADLOCK_E_KEY_UNSUPPORTED && a->key == NULL) {
            fprintf(stderr,
                    "padlock %s: --cert %s: no private key padlock can use in it (name "
                    "the key's file with --key)\n",
                    PL_CMD, a->cert);
            return PL_CLI_USAGE;
        }
        if (rc != PADLOCK_OK) {
            fprintf(stderr, "padlock %s: --cert/--key: %s\n", PL_CMD,
                    padlock_config_error_message(cfg));
            return PL_CLI_USAGE;
        }
    }
    if (a->keylog != NULL && padlock_config_set_keylog_file(cfg, a->keylog) != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: --keylog: %s (%s)\n", PL_CMD,
                padlock_config_error_message(cfg), strerror(errno));
        return PL_CLI_USAGE;
    }
    if (a->legacy_rsa && padlock_config_set_legacy_rsa_key_exchange(cfg, 1) != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: --legacy-rsa-key-exchange: %s\n", PL_CMD,
                padlock_config_error_message(cfg));
        return PL_CLI_USAGE;
    }
    return PL_CLI_OK;
}

/* What ended a session, for the summary and the message on standard error. */
static void pl_failure(const pl_client_io *io, pl_client_end end, int handshake, int timeout_s,
                       pl_client_failure *f) {
    memset(f, 0, sizeof(*f));
    f->exit_code = PL_CLI_NETWORK;
    f->kind = "network";
    const char *when = handshake        ? " during the handshake"
                       : io->sent_close ? " after our close_notify"
                                        : "";
    padlock_err err = padlock_conn_error(io->conn);
    switch (end) {
    case PL_CLIENT_TLS:
        f->code = err != PADLOCK_OK ? err : io->rc;
        snprintf(f->message, sizeof(f->message), "%s",
                 err != PADLOCK_OK ? padlock_conn_error_message(io->conn)
                                   : padlock_strerror(io->rc));
        if (f->code != PADLOCK_E_TRUNCATED) {
            f->exit_code = PL_CLI_FAIL;
            f->kind = padlock_err_category_of(f->code) == PADLOCK_CAT_CERT ? "certificate" : "tls";
        }
        break;
    case PL_CLIENT_TIMEOUT:
        snprintf(f->message, sizeof(f->message), "timed out%s: the server sent nothing for %d s",
                 when, timeout_s);
        break;
    case PL_CLIENT_SOCKET:
        f->code = PADLOCK_E_IO;
        snprintf(f->message, sizeof(f->message), "%s%s",
                 io->sys_errno == ECONNRESET ? "the server reset the connection"
                 : io->sys_errno == EPIPE    ? "the server closed the connection"
                                             : strerror(io->sys_errno),
                 when);
        break;
    case PL_CLIENT_STDOUT:
        f->exit_code = PL_CLI_FAIL;
        f->kind = "output";
        snprintf(f->message, sizeof(f->message), "cannot write to standard output: %s",
                 strerror(io->sys_errno));
        break;
    case PL_CLIENT_DONE:
    case PL_CLIENT_CLOSED: break;
    }
}

/* Connects, runs the handshake, reports, relays. cfg is set up; roots are the verification
 * roots (borrowed) or NULL. */
static int pl_session(const pl_client_args *a, padlock_config *cfg,
                      const padlock_trust_store *roots) {
    padlock_conn *conn;
    padlock_err rc = padlock_conn_new(cfg, &conn);
    if (rc != PADLOCK_OK) {
        const char *why = padlock_config_error_message(cfg);
        fprintf(stderr, "padlock %s: %s\n", PL_CMD, why != NULL ? why : padlock_strerror(rc));
        return PL_CLI_USAGE;
    }
    const char *peer_name = a->servername != NULL ? a->servername : a->host;
    if (padlock_conn_set_server_name(conn, peer_name) != PADLOCK_OK) {
        padlock_conn_free(conn);
        return pl_cli_usage_error(PL_CMD,
                                  "'%s' is neither a DNS name nor an IP address (see "
                                  "--servername)",
                                  peer_name);
    }
    int fd;
    char address[64];
    int port;
    int code = pl_client_connect(a, &fd, address, sizeof(address), &port);
    if (code != PL_CLI_OK) {
        padlock_conn_free(conn);
        return code;
    }
    pl_client_io *io = malloc(sizeof(*io));
    if (io == NULL) {
        fprintf(stderr, "padlock %s: %s\n", PL_CMD, padlock_strerror(PADLOCK_E_NO_MEMORY));
        padlock_conn_free(conn);
        close(fd);
        return PL_CLI_USAGE;
    }
    pl_client_io_init(io, conn, fd, a->no_stdin ? -1 : STDIN_FILENO, STDOUT_FILENO, a->timeout_s);
    pl_client_end end = pl_client_io_handshake(io);
    int handshake_done = end == PL_CLIENT_DONE;
    pl_client_failure f;
    pl_failure(io, end, 1, a->timeout_s, &f);
    pl_client_report report = {a, address, port, peer_name, conn, roots};
    if (!a->quiet) {
        pl_client_summary(&report, end == PL_CLIENT_DONE ? NULL : &f);
    }
    if (end == PL_CLIENT_DONE) {
        end = pl_client_io_relay(io);
        pl_failure(io, end, 0, a->timeout_s, &f);
    }
    if (end == PL_CLIENT_CLOSED) {
        if (!a->quiet && !a->json) {
            fprintf(stderr, "padlock %s: the server closed the connection (close_notify)\n",
                    PL_CMD);
        }
        code = PL_CLI_OK;
    } else {
        fprintf(stderr, "padlock %s: %s%s\n", PL_CMD,
                handshake_done ? "" : "handshake failed: ", f.message);
        code = f.exit_code;
    }
    free(io);
    padlock_conn_free(conn);
    close(fd);
    return code;
}

/* Configures, connects and runs one session; returns the exit code. */
static int pl_client_main(pl_client_args *a) {
    /* A server that goes away shows as an error from send(), not as a signal. */
    signal(SIGPIPE, SIG_IGN);
    padlock_config *cfg;
    if (padlock_config_new(PADLOCK_CLIENT, &cfg) != PADLOCK_OK) {
        fprintf(stderr, "padlock %s: %s\n", PL_CMD, padlock_strerror(PADLOCK_E_NO_MEMORY));
        return PL_CLI_USAGE;
    }
    padlock_trust_store *roots;
    int code = pl_load_roots(a, &roots);
    padlock_trust_store *owned = roots; /* ours to free, unless the configuration takes it */
    if (code == PL_CLI_OK) {
        padlock_err rc;
        if (a->insecure) {
            rc = padlock_config_insecure_disable_verification(cfg);
        } else {
            owned = NULL;
            rc = padlock_config_set_trust_store(cfg, roots);
        }
        if (rc != PADLOCK_OK) {
            fprintf(stderr, "padlock %s: %s\n", PL_CMD, padlock_strerror(rc));
            roots = NULL;
            code = PL_CLI_USAGE;
        }
    }
    if (code == PL_CLI_OK) {
        code = pl_configure(a, cfg);
    }
    if (code == PL_CLI_OK) {
        code = pl_session(a, cfg, roots);
    }
    padlock_config_free(cfg);
    padlock_trust_store_free(owned);
    return code;
}

int pl_cli_client(int argc, char **argv) {
    pl_client_args a;
    int code = pl_parse_args(argc, argv, &a);
    return code == PL_CLI_OK ? pl_client_main(&a) : pl_cli_parse_exit(code);
}
