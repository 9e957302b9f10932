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
#include "hs/suite.h"
#include "util/log.h"
#include "util/mem.h"
#include "x509/api.h"
#include "x509/credential.h"

static int64_t pl_config_system_time(void *ctx) {
    (void)ctx;
    return (int64_t)time(NULL);
}

static const uint16_t pl_config_default_groups[] = {
    PADLOCK_GROUP_X25519,
    PADLOCK_GROUP_SECP256R1,
    PADLOCK_GROUP_SECP384R1,
};

padlock_err padlock_config_new(padlock_role role, padlock_config **out) {
    PL_CHECK(out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(role == PADLOCK_CLIENT || role == PADLOCK_SERVER, PADLOCK_E_INVALID_ARGUMENT);
    /* The server side of the handshake is not implemented yet. */
    PL_CHECK(role == PADLOCK_CLIENT, PADLOCK_E_UNSUPPORTED);
    padlock_config *cfg = pl_calloc(1, sizeof(*cfg));
    PL_CHECK(cfg != NULL, PADLOCK_E_NO_MEMORY);
    atomic_init(&cfg->refs, 1);
    atomic_init(&cfg->frozen, 0);
    pthread_mutex_init(&cfg->lock, NULL);
    pl_pool_init(&cfg->pool, PL_CONFIG_POOL_BYTES);
    pl_errinfo_init(&cfg->error);
    cfg->keylog_fd = -1;
    cfg->hs.role = PL_ROLE_CLIENT;
    cfg->hs.verify = 1;
    size_t num;
    const pl_suite *const *suites = pl_suite_list(&num);
    for (size_t i = 0; i < num && i < PL_HS_MAX_SUITES; i++) {
        cfg->hs.suites[cfg->hs.num_suites++] = suites[i]->code;
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
    pl_free(cfg->alpn);
    if (cfg->keylog_fd >= 0) {
        close(cfg->keylog_fd);
    }
    pl_pool_cleanup(&cfg->pool);
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

padlock_err pl_config_acquire(padlock_config *cfg) {
    padlock_err rc = PADLOCK_OK;
    pthread_mutex_lock(&cfg->lock);
    if (cfg->hs.verify && cfg->store == NULL) {
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
        cfg->hs.store = cfg->hs.verify ? cfg->store->store : NULL;
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
    if (min != PADLOCK_TLS13) {
        return pl_errinfo_set(&cfg->error, PADLOCK_E_UNSUPPORTED,
                              "TLS 1.2 is not implemented yet: only TLS 1.3 can be offered");
    }
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
    const pl_suite *s = pl_suite_by_code(code);
    return s != NULL && s->version == PL_TLS13_VERSION;
}

static int pl_config_group_known(uint16_t code) {
    return pl_kx_by_group(code) != NULL;
}

padlock_err padlock_config_set_cipher_suites(padlock_config *cfg, const uint16_t *suites,
                                             size_t num) {
    PL_TRY(pl_config_mutable(cfg));
    return pl_config_codes(cfg, "cipher suites", suites, num, PL_HS_MAX_SUITES,
                           pl_config_suite_known, cfg->hs.suites, &cfg->hs.num_suites);
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
    if (total > 0xffff) {
        return pl_errinfo_set(&cfg->error, PADLOCK_E_INVALID_ARGUMENT,
                              "ALPN: the list is longer than 65535 bytes");
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
