/* padlock_config: the shared, reference-counted, freeze-on-use configuration of connections:
 * protocol choices (RFC 8446 §4.1.2 suites, §4.2.7 groups, RFC 7301 ALPN), trust anchors and
 * our certificates, the key log (NSS SSLKEYLOGFILE format) and the time and randomness hooks. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "crypto/crypto.h"
#include "ext/ext.h"
#include "hs/client13.h"
#include "hs/server13.h"
#include "hs/session_cache.h"
#include "hs/suite.h"
#include "hs/ticket_keys.h"
#include "util/log.h"
#include "util/mem.h"
#include "x509/api.h"
#include "x509/credential.h"

static int64_t pl_config_system_time(void *ctx) {
    (void)ctx;
    return (int64_t)time(NULL);
}

/* padlock.h, padlock_config_set_tickets, says why: one ticket per handshake, valid a day. */
#define PL_CONFIG_DEFAULT_TICKETS 1
#define PL_CONFIG_DEFAULT_TICKET_LIFETIME 86400

static const uint16_t pl_config_default_groups[] = {
    PADLOCK_GROUP_X25519,
    PADLOCK_GROUP_SECP256R1,
    PADLOCK_GROUP_SECP384R1,
};

padlock_err padlock_config_new(padlock_role role, padlock_config **out) {
    PL_CHECK(out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(role == PADLOCK_CLIENT || role == PADLOCK_SERVER, PADLOCK_E_INVALID_ARGUMENT);
    padlock_config *cfg = pl_calloc(1, sizeof(*cfg));
    PL_CHECK(cfg != NULL, PADLOCK_E_NO_MEMORY);
    atomic_init(&cfg->refs, 1);
    atomic_init(&cfg->frozen, 0);
    pthread_mutex_init(&cfg->lock, NULL);
    pl_pool_init(&cfg->pool, PL_CONFIG_POOL_BYTES);
    pl_peer_chain_set_init(&cfg->chains);
    cfg->hs.chains = &cfg->chains;
    pl_errinfo_init(&cfg->error);
    cfg->keylog_fd = -1;
    cfg->hs.role = role == PADLOCK_SERVER ? PL_ROLE_SERVER : PL_ROLE_CLIENT;
    /* A client verifies the server; a server verifies client certificates only once it asks
     * for them (decided in pl_config_acquire). */
    cfg->hs.verify = role == PADLOCK_CLIENT;
    cfg->hs.require_ems = 1;
    cfg->hs.num_tickets = PL_CONFIG_DEFAULT_TICKETS;
    cfg->hs.ticket_lifetime = PL_CONFIG_DEFAULT_TICKET_LIFETIME;
    size_t num;
    const pl_suite *const *suites = pl_suite_list(&num);
    for (size_t i = 0; i < num && i < PL_HS_MAX_SUITES; i++) {
        cfg->hs.suites[cfg->hs.num_suites++] = suites[i]->code;
    }
    /* Both roles speak TLS 1.3 and 1.2 by default (DESIGN.md §12). */
    cfg->hs.max_version = PADLOCK_TLS13;
    cfg->hs.min_version = PADLOCK_TLS12;
    if (role == PADLOCK_SERVER) {
        cfg->session_cache_size = PADLOCK_SESSION_CACHE_DEFAULT;
    }
    suites = pl_suite12_list(&num);
    for (size_t i = 0; i < num && i < PL_HS_MAX_SUITES; i++) {
        cfg->hs.suites12[cfg->hs.num_suites12++] = suites[i]->code;
    }
    for (size_t i = 0; i < sizeof(pl_config_default_groups) / sizeof(uint16_t); i++) {
        cfg->hs.groups[cfg->hs.num_groups++] = pl_config_default_groups[i];
    }
    cfg->hs.now = pl_config_system_time;
    *out = cfg;
    return PADLOCK_OK;
}

static void pl_config_destroy(padlock_config *cfg) {
    for (size_t i = 0; i < cfg->hs.num_creds; i++) {
        pl_x509_credential_cleanup(cfg->creds[i]);
        pl_free(cfg->creds[i]);
    }
    padlock_trust_store_free(cfg->store);
    padlock_ticket_keys_free(cfg->hs.ticket_keys);
    pl_session_cache_free(cfg->hs.session_cache);
    pl_free(cfg->alpn);
    if (cfg->keylog_fd >= 0) {
        close(cfg->keylog_fd);
    }
    pl_pool_cleanup(&cfg->pool);
    pl_peer_chain_set_cleanup(&cfg->chains);
    pl_errinfo_cleanup(&cfg->error);
    pthread_mutex_destroy(&cfg->lock);
    pl_free(cfg);
}

void padlock_config_free(padlock_config *cfg) {
    if (cfg != NULL && atomic_fetch_sub(&cfg->refs, 1) == 1) {
        pl_config_destroy(cfg);
    }
}

/* Every setter starts here: arguments, the freeze, and a clean error holder. */
static padlock_err pl_config_mutable(padlock_config *cfg) {
    PL_CHECK(cfg != NULL, PADLOCK_E_INVALID_ARGUMENT);
    pl_errinfo_cleanup(&cfg->error);
    if (atomic_load(&cfg->frozen)) {
        return pl_errinfo_set(&cfg->error, PADLOCK_E_STATE,
                              "the configuration is in use by a connection and cannot change");
    }
    return PADLOCK_OK;
}

/* What a server configuration needs before its first connection. Called with the lock held,
 * before the configuration is frozen. */
static padlock_err pl_config_ready_server(padlock_config *cfg) {
    if (cfg->hs.num_creds == 0) {
        return pl_errinfo_set(&cfg->error, PADLOCK_E_INVALID_ARGUMENT,
                              "a server needs a certificate: padlock_config_add_certificate");
    }
    cfg->hs.verify = cfg->hs.client_auth != PL_CLIENT_AUTH_NONE && !cfg->insecure;
    if (cfg->hs.verify && cfg->store == NULL) {
        /* Never the system roots: any certificate a public CA issued would then log in. */
        return pl_errinfo_set(&cfg->error, PADLOCK_E_INVALID_ARGUMENT,
                              "client certificates are requested but no trust store of client "
                              "CAs was set: padlock_config_set_trust_store");
    }
    if (cfg->hs.ticket_keys == NULL && cfg->hs.num_tickets > 0) {
        /* Random at start, from the configuration's random source. */
        PL_TRY(pl_ticket_keys_new(pl_hs_config_rng(&cfg->hs), &cfg->hs.ticket_keys));
    }
    if (cfg->hs.session_cache == NULL && cfg->session_cache_size > 0 &&
        pl_hs_version_enabled(&cfg->hs, PADLOCK_TLS12)) {
        PL_TRY(pl_session_cache_new(cfg->session_cache_size, &cfg->hs.session_cache));
    }
    return PADLOCK_OK;
}

padlock_err pl_config_acquire(padlock_config *cfg) {
    padlock_err rc = PADLOCK_OK;
    pthread_mutex_lock(&cfg->lock);
    if (cfg->hs.role == PL_ROLE_SERVER && !atomic_load(&cfg->frozen)) {
        pl_errinfo_cleanup(&cfg->error);
        rc = pl_config_ready_server(cfg);
    } else if (cfg->hs.verify && cfg->store == NULL) {
        /* The system roots are loaded on first use: a configuration that never connects, or
         * that gets its own store, never pays for them. */
        padlock_trust_store *store;
        rc = padlock_trust_store_new(&store);
        if (rc == PADLOCK_OK) {
            pl_errinfo_cleanup(&cfg->error);
            rc = pl_x509_store_add_system(store->store, &cfg->error);
            if (rc == PADLOCK_OK) {
                cfg->store = store;
            } else {
                padlock_trust_store_free(store);
            }
        }
    }
    if (rc == PADLOCK_OK) {
        /* Frozen only once a connection really uses it: after a failed load the application
         * may still give the configuration a store of its own. */
        atomic_store(&cfg->frozen, 1);
        cfg->hs.store = cfg->hs.verify && cfg->store != NULL ? cfg->store->store : NULL;
        atomic_fetch_add(&cfg->refs, 1);
    }
    pthread_mutex_unlock(&cfg->lock);
    return rc;
}

padlock_err padlock_config_set_versions(padlock_config *cfg, uint16_t min, uint16_t max) {
    PL_TRY(pl_config_mutable(cfg));
    int known_min = min == PADLOCK_TLS12 || min == PADLOCK_TLS13;
    int known_max = max == PADLOCK_TLS12 || max == PADLOCK_TLS13;
    if (!known_min || !known_max || min > max) {
        return pl_errinfo_set(&cfg->error, PADLOCK_E_INVALID_ARGUMENT,
                              "versions 0x%04x..0x%04x: not a range of TLS 1.2 and TLS 1.3", min,
                              max);
    }
    cfg->hs.min_version = min;
    cfg->hs.max_version = max;
    return PADLOCK_OK;
}

/* Checks and copies a list of 1 to max distinct 16-bit codes, each accepted by known. */
static padlock_err pl_config_codes(padlock_config *cfg, const char *what, const uint16_t *in,
                                   size_t num, size_t max, int (*known)(uint16_t), uint16_t *out,
                                   uint8_t *out_num) {
    if (in == NULL || num == 0 || num > max) {
        return pl_errinfo_set(&cfg->error, PADLOCK_E_INVALID_ARGUMENT,
                              "%s: between 1 and %zu are needed", what, max);
    }
    for (size_t i = 0; i < num; i++) {
        if (!known(in[i])) {
            return pl_errinfo_set(&cfg->error, PADLOCK_E_UNSUPPORTED,
                                  "%s: 0x%04x is not implemented by padlock", what, in[i]);
        }
        for (size_t j = 0; j < i; j++) {
            if (in[j] == in[i]) {
                return pl_errinfo_set(&cfg->error, PADLOCK_E_INVALID_ARGUMENT,
                                      "%s: 0x%04x is listed twice", what, in[i]);
            }
        }
    }
    memcpy(out, in, num * sizeof(uint16_t));
    *out_num = (uint8_t)num;
    return PADLOCK_OK;
}

static int pl_config_suite_known(uint16_t code) {
    return pl_suite_by_code(code) != NULL;
}

static int pl_config_group_known(uint16_t code) {
    return pl_kx_by_group(code) != NULL;
}

padlock_err padlock_config_set_cipher_suites(padlock_config *cfg, const uint16_t *suites,
                                             size_t num) {
    PL_TRY(pl_config_mutable(cfg));
    uint16_t list[PL_HS_MAX_SUITES];
    uint8_t n = 0;
    PL_TRY(pl_config_codes(cfg, "cipher suites", suites, num, PL_HS_MAX_SUITES,
                           pl_config_suite_known, list, &n));
    /* Each version negotiates from its own suites, in the order given. */
    uint16_t s13[PL_HS_MAX_SUITES], s12[PL_HS_MAX_SUITES];
    uint8_t n13 = 0, n12 = 0;
    for (uint8_t i = 0; i < n; i++) {
        if (pl_suite_by_code(list[i])->rsa_kx && !cfg->hs.legacy_rsa) {
            return pl_errinfo_set(&cfg->error, PADLOCK_E_UNSUPPORTED,
                                  "cipher suites: %s has no forward secrecy and needs "
                                  "padlock_config_set_legacy_rsa_key_exchange first",
                                  pl_suite_by_code(list[i])->name);
        }
        if (pl_suite_by_code(list[i])->version == PL_TLS13_VERSION) {
            s13[n13++] = list[i];
        } else {
            s12[n12++] = list[i];
        }
    }
    memcpy(cfg->hs.suites, s13, n13 * sizeof(uint16_t));
    cfg->hs.num_suites = n13;
    memcpy(cfg->hs.suites12, s12, n12 * sizeof(uint16_t));
    cfg->hs.num_suites12 = n12;
    return PADLOCK_OK;
}

padlock_err padlock_config_set_groups(padlock_config *cfg, const uint16_t *groups, size_t num) {
    PL_TRY(pl_config_mutable(cfg));
    return pl_config_codes(cfg, "groups", groups, num, PL_HS_MAX_GROUPS, pl_config_group_known,
                           cfg->hs.groups, &cfg->hs.num_groups);
}

padlock_err padlock_config_set_alpn(padlock_config *cfg, const char *const *protocols, size_t num) {
    PL_TRY(pl_config_mutable(cfg));
    PL_CHECK(protocols != NULL || num == 0, PADLOCK_E_INVALID_ARGUMENT);
    /* RFC 7301 §3.1: ProtocolName protocol_name_list<2..2^16-1>, names <1..2^8-1>. */
    size_t total = 0;
    for (size_t i = 0; i < num; i++) {
        size_t len = protocols[i] != NULL ? strlen(protocols[i]) : 0;
        if (len == 0 || len > 255) {
            return pl_errinfo_set(&cfg->error, PADLOCK_E_INVALID_ARGUMENT,
                                  "ALPN protocol %zu: names are 1 to 255 bytes long", i);
        }
        total += 1 + len;
    }
    /* A client's list travels in its ClientHello, whose extensions together are at most
     * 2^16-1 bytes (RFC 8446 §4.1.2); a server's only chooses. */
    size_t max = cfg->hs.role == PL_ROLE_CLIENT ? PL_CLIENT13_ALPN_MAX : 0xffff;
    if (total > max) {
        return pl_errinfo_set(&cfg->error, PADLOCK_E_INVALID_ARGUMENT,
                              "ALPN: the list takes %zu bytes, more than the %zu a %s", total, max,
                              cfg->hs.role == PL_ROLE_CLIENT
                                  ? "client's ClientHello has room for"
                                  : "server takes (RFC 7301 §3.1)");
    }
    uint8_t *list = NULL;
    if (total > 0) {
        list = pl_malloc(total);
        PL_CHECK(list != NULL, PADLOCK_E_NO_MEMORY);
        pl_buf b;
        pl_buf_init(&b, list, total);
        for (size_t i = 0; i < num; i++) {
            padlock_err rc =
                pl_ext_alpn_name_write(&b, (const uint8_t *)protocols[i], strlen(protocols[i]));
            if (rc != PADLOCK_OK) {
                pl_free(list);
                return rc;
            }
        }
    }
    pl_free(cfg->alpn);
    cfg->alpn = list;
    cfg->hs.alpn = list;
    cfg->hs.alpn_len = total;
    return PADLOCK_OK;
}

padlock_err padlock_config_set_trust_store(padlock_config *cfg, padlock_trust_store *store) {
    padlock_err rc = pl_config_mutable(cfg);
    if (rc == PADLOCK_OK && store == NULL) {
        rc = PADLOCK_E_INVALID_ARGUMENT;
    }
    if (rc != PADLOCK_OK) {
        padlock_trust_store_free(store); /* ownership passes on error too */
        return rc;
    }
    padlock_trust_store_free(cfg->store);
    cfg->store = store;
    return PADLOCK_OK;
}

padlock_err padlock_config_insecure_disable_verification(padlock_config *cfg) {
    PL_TRY(pl_config_mutable(cfg));
    cfg->hs.verify = 0;
    cfg->insecure = 1;
    return PADLOCK_OK;
}

padlock_err padlock_config_set_require_extended_master_secret(padlock_config *cfg, int require) {
    PL_TRY(pl_config_mutable(cfg));
    cfg->hs.require_ems = require != 0;
    return PADLOCK_OK;
}

/* The server-only setters start here. */
static padlock_err pl_config_server_setting(padlock_config *cfg, const char *what) {
    PL_TRY(pl_config_mutable(cfg));
    if (cfg->hs.role != PL_ROLE_SERVER) {
        return pl_errinfo_set(&cfg->error, PADLOCK_E_INVALID_ARGUMENT,
                              "%s: a server setting, and this is a client configuration", what);
    }
    return PADLOCK_OK;
}

padlock_err padlock_config_set_client_auth(padlock_config *cfg, padlock_client_auth mode) {
    PL_TRY(pl_config_server_setting(cfg, "client authentication"));
    if (mode != PADLOCK_CLIENT_AUTH_NONE && mode != PADLOCK_CLIENT_AUTH_OPTIONAL &&
        mode != PADLOCK_CLIENT_AUTH_REQUIRED) {
        return pl_errinfo_set(&cfg->error, PADLOCK_E_INVALID_ARGUMENT,
                              "client authentication: unknown mode %d", (int)mode);
    }
    cfg->hs.client_auth = (uint8_t)mode;
    return PADLOCK_OK;
}

padlock_err padlock_config_set_preference(padlock_config *cfg, padlock_preference pref) {
    PL_TRY(pl_config_server_setting(cfg, "preference"));
    if (pref != PADLOCK_PREFER_SERVER && pref != PADLOCK_PREFER_CLIENT) {
        return pl_errinfo_set(&cfg->error, PADLOCK_E_INVALID_ARGUMENT,
                              "preference: unknown value %d", (int)pref);
    }
    cfg->hs.prefer_client = pref == PADLOCK_PREFER_CLIENT;
    return PADLOCK_OK;
}

padlock_err padlock_config_set_tickets(padlock_config *cfg, unsigned num_per_handshake,
                                       uint32_t lifetime) {
    PL_TRY(pl_config_server_setting(cfg, "tickets"));
    /* RFC 8446 §4.6.1: "Servers MUST NOT use any value greater than 604800 seconds". */
    if (num_per_handshake > PL_SERVER13_MAX_TICKETS || lifetime == 0 ||
        lifetime > PL_TICKET_LIFETIME_MAX) {
        return pl_errinfo_set(&cfg->error, PADLOCK_E_INVALID_ARGUMENT,
                              "tickets: %u per handshake for %u s: 0 to 8 tickets, valid 1 to "
                              "604800 s (7 days)",
                              num_per_handshake, lifetime);
    }
    cfg->hs.num_tickets = (uint8_t)num_per_handshake;
    cfg->hs.ticket_lifetime = lifetime;
    return PADLOCK_OK;
}

padlock_err padlock_config_set_legacy_rsa_key_exchange(padlock_config *cfg, int enable) {
    PL_TRY(pl_config_mutable(cfg));
    size_t num;
    const pl_suite *const *rsa = pl_suite_legacy_rsa_list(&num);
    uint16_t kept[PL_HS_MAX_SUITES];
    uint8_t n = 0;
    for (size_t i = 0; i < cfg->hs.num_suites12; i++) {
        if (!pl_suite_by_code(cfg->hs.suites12[i])->rsa_kx) {
            kept[n++] = cfg->hs.suites12[i];
        }
    }
    /* Enabled, they come last: a server prefers any ECDHE suite the client offers, a client
     * offers them least preferred. */
    for (size_t i = 0; enable && i < num && n < PL_HS_MAX_SUITES; i++) {
        kept[n++] = rsa[i]->code;
    }
    memcpy(cfg->hs.suites12, kept, n * sizeof(uint16_t));
    cfg->hs.num_suites12 = n;
    cfg->hs.legacy_rsa = enable != 0;
    return PADLOCK_OK;
}

padlock_err padlock_config_set_session_cache(padlock_config *cfg, size_t max_sessions) {
    PL_TRY(pl_config_server_setting(cfg, "session cache"));
    if (max_sessions > PADLOCK_SESSION_CACHE_MAX) {
        return pl_errinfo_set(&cfg->error, PADLOCK_E_INVALID_ARGUMENT,
                              "session cache: %zu sessions, more than the %d allowed",
                              max_sessions, PADLOCK_SESSION_CACHE_MAX);
    }
    cfg->session_cache_size = max_sessions;
    return PADLOCK_OK;
}

padlock_err padlock_config_set_ticket_keys(padlock_config *cfg, padlock_ticket_keys *keys) {
    PL_TRY(pl_config_server_setting(cfg, "ticket keys"));
    PL_CHECK(keys != NULL, PADLOCK_E_INVALID_ARGUMENT);
    pl_ticket_keys_ref(keys);
    padlock_ticket_keys_free(cfg->hs.ticket_keys);
    cfg->hs.ticket_keys = keys;
    return PADLOCK_OK;
}

/* Keeps a loaded credential (taking it over, also when refused). */
static padlock_err pl_config_add_credential(padlock_config *cfg, pl_x509_credential *cred) {
    if (cfg->hs.num_creds == PL_HS_MAX_CREDENTIALS) {
        pl_x509_credential_cleanup(cred);
        pl_free(cred);
        return pl_errinfo_set(&cfg->error, PADLOCK_E_INVALID_ARGUMENT,
                              "at most %d certificates can be configured", PL_HS_MAX_CREDENTIALS);
    }
    cfg->creds[cfg->hs.num_creds++] = cred;
    cfg->hs.creds = cfg->creds;
    return PADLOCK_OK;
}

padlock_err padlock_config_add_certificate(padlock_config *cfg, const uint8_t *chain_pem,
                                           size_t chain_len, const uint8_t *key_pem,
                                           size_t key_len) {
    PL_TRY(pl_config_mutable(cfg));
    PL_CHECK(chain_pem != NULL && key_pem != NULL, PADLOCK_E_INVALID_ARGUMENT);
    pl_x509_credential *cred = pl_calloc(1, sizeof(*cred));
    PL_CHECK(cred != NULL, PADLOCK_E_NO_MEMORY);
    padlock_err rc = pl_x509_credential_from_pem(cred, (const char *)chain_pem, chain_len, key_pem,
                                                 key_len, &cfg->error);
    if (rc != PADLOCK_OK) {
        pl_free(cred);
        return rc;
    }
    return pl_config_add_credential(cfg, cred);
}

padlock_err padlock_config_add_certificate_files(padlock_config *cfg, const char *chain_path,
                                                 const char *key_path) {
    PL_TRY(pl_config_mutable(cfg));
    PL_CHECK(chain_path != NULL && key_path != NULL, PADLOCK_E_INVALID_ARGUMENT);
    pl_x509_credential *cred = pl_calloc(1, sizeof(*cred));
    PL_CHECK(cred != NULL, PADLOCK_E_NO_MEMORY);
    padlock_err rc = pl_x509_credential_load(cred, chain_path, key_path, &cfg->error);
    if (rc != PADLOCK_OK) {
        pl_free(cred);
        return rc;
    }
    return pl_config_add_credential(cfg, cred);
}

const char *padlock_config_error_message(const padlock_config *cfg) {
    return cfg->error.code == PADLOCK_OK ? NULL : pl_errinfo_message(&cfg->error);
}

padlock_err padlock_config_set_keylog(padlock_config *cfg, padlock_keylog_fn fn, void *ctx) {
    PL_TRY(pl_config_mutable(cfg));
    cfg->hs.keylog = fn;
    cfg->hs.keylog_ctx = ctx;
    return PADLOCK_OK;
}

/* The key log hook of padlock_config_set_keylog_file: one line per write, so that lines of
 * connections in different threads do not interleave (O_APPEND). */
static void pl_config_keylog_write(void *ctx, const char *line) {
    const padlock_config *cfg = ctx;
    char buf[PL_KEYLOG_LINE_MAX + 1];
    size_t len = strlen(line);
    if (len + 1 < sizeof(buf)) {
        memcpy(buf, line, len);
        buf[len] = '\n';
        ssize_t n = write(cfg->keylog_fd, buf, len + 1);
        (void)n; /* a key log is best effort: a full disk must not fail the connection */
    }
    pl_wipe(buf, sizeof(buf));
}

padlock_err padlock_config_set_keylog_file(padlock_config *cfg, const char *path) {
    PL_TRY(pl_config_mutable(cfg));
    PL_CHECK(path != NULL, PADLOCK_E_INVALID_ARGUMENT);
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return pl_errinfo_set(&cfg->error, PADLOCK_E_FILE, "key log file \"%s\" cannot be opened",
                              path);
    }
    if (cfg->keylog_fd >= 0) {
        close(cfg->keylog_fd);
    }
    cfg->keylog_fd = fd;
    cfg->hs.keylog = pl_config_keylog_write;
    cfg->hs.keylog_ctx = cfg;
    return PADLOCK_OK;
}

padlock_err padlock_config_keylog_from_env(padlock_config *cfg) {
    PL_TRY(pl_config_mutable(cfg));
    const char *path = getenv("SSLKEYLOGFILE");
    if (path == NULL || path[0] == '\0') {
        return PADLOCK_OK;
    }
    return padlock_config_set_keylog_file(cfg, path);
}

padlock_err padlock_config_set_time_fn(padlock_config *cfg, padlock_time_fn fn, void *ctx) {
    PL_TRY(pl_config_mutable(cfg));
    cfg->hs.now = fn != NULL ? fn : pl_config_system_time;
    cfg->hs.now_ctx = fn != NULL ? ctx : NULL;
    return PADLOCK_OK;
}

padlock_err padlock_config_set_random_fn(padlock_config *cfg, padlock_random_fn fn, void *ctx) {
    PL_TRY(pl_config_mutable(cfg));
    cfg->hs.rng.fn = fn;
    cfg->hs.rng.ctx = fn != NULL ? ctx : NULL;
    return PADLOCK_OK;
}

padlock_err pl_config_set_client_profile(padlock_config *cfg, const pl_client_profile *profile) {
    PL_TRY(pl_config_mutable(cfg));
    cfg->hs.profile = profile;
    return PADLOCK_OK;
}
