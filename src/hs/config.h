/* The handshake policy of a configuration, as the handshake reads it: role, versions, cipher
 * suites and groups in preference order, ALPN, verification and trust anchors, our own
 * certificates, and the time, randomness and key-log hooks (DESIGN.md §1: a connection never
 * calls the clock or the random source itself). The public padlock_config (src/config.c) owns
 * one and fills it through its setters; once a connection uses it, it does not change. */
#ifndef PL_HS_CONFIG_H
#define PL_HS_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "msg/msg.h"

struct pl_x509_store;
struct pl_x509_credential;
struct padlock_ticket_keys;
struct pl_session_cache;
struct pl_peer_chain_set;

#define PL_HS_MAX_SUITES 8
#define PL_HS_MAX_GROUPS 8
#define PL_HS_MAX_CREDENTIALS 8

/* A server's demand for client certificates (padlock_client_auth). */
typedef enum pl_client_auth {
    PL_CLIENT_AUTH_NONE = 0,
    PL_CLIENT_AUTH_OPTIONAL = 1,
    PL_CLIENT_AUTH_REQUIRED = 2,
} pl_client_auth;

/* Handshake messages longer than this are refused (a certificate chain, a ticket). */
#define PL_HS_MAX_MESSAGE (128u * 1024u)

/* What a client puts in its ClientHello where the default is not wanted: the RFC 8448 traces
 * offer groups and schemes padlock does not implement, in a fixed order, without middlebox
 * compatibility. Only tests and fuzzers set one; applications get the default, derived from
 * the configuration. */
typedef struct pl_client_profile {
    const uint16_t *ext_order; /* extension types in order (a cookie is appended after HRR) */
    size_t num_ext;
    const uint16_t *groups; /* supported_groups as sent */
    size_t num_groups;
    const uint16_t *sig_algs; /* signature_algorithms as sent */
    size_t num_sig_algs;
    uint8_t session_id_len;     /* 0, or 32 for middlebox compatibility (RFC 8446 D.4) */
    uint16_t record_size_limit; /* sent when record_size_limit is in ext_order */
} pl_client_profile;

typedef struct pl_hs_config {
    uint8_t role;   /* pl_role */
    uint8_t verify; /* 1: the peer's chain and name are verified (the default) */
    uint8_t num_suites;
    uint8_t num_groups;
    uint8_t num_suites12;
    uint8_t legacy_rsa; /* TLS 1.2 RSA key transport suites may be used (legacy_rsa_key_exchange) */
    uint8_t require_ems; /* TLS 1.2: a peer without the extended master secret (RFC 7627) is
                            refused (the default); 0: it gets the RFC 5246 master secret */
    uint16_t min_version;                /* the protocol versions enabled: 0x0303 (TLS 1.2, */
    uint16_t max_version;                /* servers only so far) to 0x0304 (TLS 1.3) */
    uint16_t suites[PL_HS_MAX_SUITES];   /* TLS 1.3 cipher suites, most preferred first */
    uint16_t suites12[PL_HS_MAX_SUITES]; /* TLS 1.2 cipher suites, most preferred first */
    uint16_t groups[PL_HS_MAX_GROUPS]; /* key exchange groups; a client shares a key for the
                                          first */
    const uint8_t *alpn;               /* ProtocolNameList body (RFC 7301 §3.1), or NULL */
    size_t alpn_len;
    const struct pl_x509_store *store;       /* trust anchors; set when verify is 1 */
    struct pl_x509_credential *const *creds; /* our certificate chains with their keys */
    size_t num_creds;
    pl_rng rng;                /* rng.fn NULL: the system CSPRNG */
    int64_t (*now)(void *ctx); /* seconds since the Unix epoch */
    void *now_ctx;
    void (*keylog)(void *ctx, const char *line); /* NULL: no key log */
    void *keylog_ctx;
    const pl_client_profile *profile; /* NULL: the default ClientHello */
    struct pl_peer_chain_set *chains; /* shares identical peer chains among the connections;
                                         NULL: each keeps its own copy */
    /* Server only. */
    uint8_t client_auth;   /* pl_client_auth: CertificateRequest and what an empty answer means */
    uint8_t prefer_client; /* 1: suites and groups in the client's order, else in ours */
    uint8_t num_tickets;   /* NewSessionTickets after each handshake (0: none) */
    uint32_t ticket_lifetime;                /* seconds, at most 7 days (RFC 8446 §4.6.1) */
    struct padlock_ticket_keys *ticket_keys; /* seals and opens tickets; set when num_tickets
                                                > 0 or tickets may be presented */
    struct pl_session_cache *session_cache;  /* TLS 1.2 sessions by ID; NULL: none kept */
} pl_hs_config;

/* 1 if the configuration enables protocol version v (0x0303 or 0x0304). */
int pl_hs_version_enabled(const pl_hs_config *cfg, uint16_t v);

/* The rng to hand to the crypto layer: NULL (the system CSPRNG) unless a hook is set. */
const pl_rng *pl_hs_config_rng(const pl_hs_config *cfg);

/* 1 if v is one of list[0..num) (a configured or offered list of suites, groups, schemes). */
int pl_hs_list_has(const uint16_t *list, size_t num, uint16_t v);

#endif
