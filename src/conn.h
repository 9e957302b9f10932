/* The objects behind padlock_config and padlock_conn (include/padlock/padlock.h), shared by
 * config.c and conn.c, and by tests that look inside (key update counters, tickets) or set a
 * ClientHello profile. Applications only see the opaque types. */
#ifndef PL_CONN_H
#define PL_CONN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "hs/config.h"
#include "hs/tls.h"
#include "padlock/padlock.h"
#include "util/err.h"
#include "util/pool.h"

/* Record buffers the configuration's pool keeps for its connections: a few full records. */
#define PL_CONFIG_POOL_BYTES (4u * (PL_RECORD_MAX_RECORD_LEN + 512u))

struct padlock_config {
    atomic_uint refs;     /* the application's reference plus one per connection */
    atomic_int frozen;    /* a connection uses it: setters refuse */
    pthread_mutex_t lock; /* serialises padlock_conn_new's freezing and root loading */
    pl_hs_config hs;      /* what the handshake reads; pointers below are owned here */
    uint8_t *alpn;
    padlock_trust_store *store;
    struct pl_x509_credential *creds[PL_HS_MAX_CREDENTIALS];
    int keylog_fd;    /* -1 unless padlock_config_set_keylog_file */
    uint8_t insecure; /* padlock_config_insecure_disable_verification was called */
    size_t session_cache_size; /* server: TLS 1.2 sessions kept by ID (0: none) */
    pl_pool pool;     /* record buffers shared by the connections */
    pl_peer_chain_set chains; /* peer chains shared by the connections (hs.chains) */
    pl_errinfo error; /* what the last failed setter refused */
};

struct padlock_conn {
    padlock_config *cfg; /* a reference */
    pl_tls tls;
    size_t app_off; /* unread application data: tls.rio.rec.data[app_off, app_off + app_len) */
    size_t app_len;
    uint8_t failed;      /* the first error was handled (its alert queued) */
    uint8_t peer_closed; /* close_notify received */
    uint8_t closed;      /* close_notify queued */
};

/* Takes a connection's reference on cfg and freezes it. First, once: a verifying client
 * without a store loads the system roots; a server checks that it has a certificate (and a
 * store when it verifies client certificates) and makes its ticket keys. Errors: those of
 * loading the roots or making the keys, PADLOCK_E_INVALID_ARGUMENT (a server without
 * certificate or client CA store; padlock_config_error_message says which); the configuration
 * is then neither frozen nor referenced. */
PL_NODISCARD padlock_err pl_config_acquire(padlock_config *cfg);

/* Makes a client send the ClientHello described by profile (borrowed: it must outlive cfg)
 * instead of the default. For tests and fuzzers reproducing published traces. PADLOCK_E_STATE
 * once cfg is used. */
PL_NODISCARD padlock_err pl_config_set_client_profile(padlock_config *cfg,
                                                      const pl_client_profile *profile);

#endif
