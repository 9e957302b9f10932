/* padlock: a TLS 1.3 / TLS 1.2 library.
 *
 * This header is the whole public connection API: errors, memory statistics, configurations,
 * connections and the socket helpers. Certificates and verification are in padlock/x509.h.
 *
 * A connection is sans-I/O: the application moves bytes between it and the network, and one
 * status says what to do next. A minimal client over a blocking socket (see README.md and
 * examples/https_get.c):
 *
 *     padlock_config *cfg;  padlock_conn *conn;
 *     padlock_config_new(PADLOCK_CLIENT, &cfg);           // system roots, verification on
 *     padlock_conn_new(cfg, &conn);
 *     padlock_conn_set_server_name(conn, "example.com");
 *     padlock_fd_handshake(conn, fd);                     // check every padlock_err
 *     padlock_fd_write(conn, fd, request, request_len, &written);
 *     padlock_fd_read(conn, fd, buf, sizeof(buf), &n);    // n == 0: the server closed
 *     padlock_fd_close(conn, fd);
 *     padlock_conn_free(conn);  padlock_config_free(cfg);
 *
 * Threads: a configuration may be shared by connections in any threads; a connection is used
 * by one thread at a time. */
#ifndef PADLOCK_PADLOCK_H
#define PADLOCK_PADLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "padlock/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PADLOCK_BUILDING) && defined(__GNUC__)
#define PADLOCK_API __attribute__((visibility("default")))
#else
#define PADLOCK_API
#endif

#if defined(__GNUC__)
#define PADLOCK_NODISCARD __attribute__((warn_unused_result))
#else
#define PADLOCK_NODISCARD
#endif

/* ---- Errors -------------------------------------------------------------------------------- */

/* Every fallible padlock function returns a padlock_err: PADLOCK_OK (0) on success, otherwise
 * one of the codes below (see padlock/errors.h for the full list with messages). */
#define PADLOCK_X_ENUM(name, code, cat, alert, msg) PADLOCK_E_##name = code,
typedef enum padlock_err { PADLOCK_ERROR_LIST(PADLOCK_X_ENUM) PADLOCK_E_MAX_ } padlock_err;
#undef PADLOCK_X_ENUM
#define PADLOCK_OK PADLOCK_E_OK

/* What kind of failure an error is, so callers can branch on classes rather than codes. */
typedef enum padlock_err_category {
    PADLOCK_CAT_NONE = 0,
    PADLOCK_CAT_USAGE,    /* the caller used the API wrongly */
    PADLOCK_CAT_RESOURCE, /* memory exhausted */
    PADLOCK_CAT_INTERNAL, /* a padlock bug */
    PADLOCK_CAT_IO,       /* file or transport failure */
    PADLOCK_CAT_DECODE,   /* malformed bytes from outside */
    PADLOCK_CAT_CRYPTO,   /* a primitive rejected its input */
    PADLOCK_CAT_CERT,     /* certificate or path validation refused */
    PADLOCK_CAT_PROTOCOL, /* the peer broke the TLS protocol or we share no parameters */
    PADLOCK_CAT_PEER,     /* the peer ended the connection (alert, truncation) */
} padlock_err_category;

/* TLS alert descriptions (RFC 8446 §6, RFC 5246 §7.2). PADLOCK_ALERT_NONE means "send none". */
typedef enum padlock_alert {
    PADLOCK_ALERT_NONE = -1,
    PADLOCK_ALERT_CLOSE_NOTIFY = 0,
    PADLOCK_ALERT_UNEXPECTED_MESSAGE = 10,
    PADLOCK_ALERT_BAD_RECORD_MAC = 20,
    PADLOCK_ALERT_RECORD_OVERFLOW = 22,
    PADLOCK_ALERT_HANDSHAKE_FAILURE = 40,
    PADLOCK_ALERT_BAD_CERTIFICATE = 42,
    PADLOCK_ALERT_UNSUPPORTED_CERTIFICATE = 43,
    PADLOCK_ALERT_CERTIFICATE_REVOKED = 44,
    PADLOCK_ALERT_CERTIFICATE_EXPIRED = 45,
    PADLOCK_ALERT_CERTIFICATE_UNKNOWN = 46,
    PADLOCK_ALERT_ILLEGAL_PARAMETER = 47,
    PADLOCK_ALERT_UNKNOWN_CA = 48,
    PADLOCK_ALERT_ACCESS_DENIED = 49,
    PADLOCK_ALERT_DECODE_ERROR = 50,
    PADLOCK_ALERT_DECRYPT_ERROR = 51,
    PADLOCK_ALERT_PROTOCOL_VERSION = 70,
    PADLOCK_ALERT_INSUFFICIENT_SECURITY = 71,
    PADLOCK_ALERT_INTERNAL_ERROR = 80,
    PADLOCK_ALERT_INAPPROPRIATE_FALLBACK = 86,
    PADLOCK_ALERT_USER_CANCELED = 90,
    PADLOCK_ALERT_NO_RENEGOTIATION = 100,
    PADLOCK_ALERT_MISSING_EXTENSION = 109,
    PADLOCK_ALERT_UNSUPPORTED_EXTENSION = 110,
    PADLOCK_ALERT_UNRECOGNIZED_NAME = 112,
    PADLOCK_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE = 113,
    PADLOCK_ALERT_UNKNOWN_PSK_IDENTITY = 115,
    PADLOCK_ALERT_CERTIFICATE_REQUIRED = 116,
    PADLOCK_ALERT_NO_APPLICATION_PROTOCOL = 120,
} padlock_alert;

/* A static, human-readable message for err ("unknown error" for codes not in the table).
 * Never NULL; the string lives for the whole program. */
PADLOCK_API const char *padlock_strerror(padlock_err err);

/* The category of err (PADLOCK_CAT_NONE for PADLOCK_OK and unknown codes). */
PADLOCK_API padlock_err_category padlock_err_category_of(padlock_err err);

/* The alert a connection sends when it fails with err (PADLOCK_ALERT_NONE if none). */
PADLOCK_API padlock_alert padlock_err_alert(padlock_err err);

/* The RFC name of an alert description ("handshake_failure"), or "unknown_alert". Never NULL. */
PADLOCK_API const char *padlock_alert_name(int alert);

/* ---- Memory -------------------------------------------------------------------------------- */

/* Counters of padlock's own heap use (allocations made through padlock, not libcrypto's).
 * Counters are process-wide and updated atomically. */
typedef struct padlock_mem_stats {
    uint64_t num_allocs;   /* successful allocations since start */
    uint64_t num_frees;    /* frees of non-NULL blocks since start */
    uint64_t bytes_in_use; /* bytes of the blocks now allocated, as the allocator
                              sizes them (malloc_usable_size) */
    uint64_t bytes_peak;   /* high-water mark of bytes_in_use since the last reset */
} padlock_mem_stats;

/* Copies the current counters into *out. */
PADLOCK_API void padlock_mem_get_stats(padlock_mem_stats *out);

/* Resets bytes_peak to the current bytes_in_use (other counters are cumulative). */
PADLOCK_API void padlock_mem_reset_peak(void);

/* ---- Protocol constants --------------------------------------------------------------------- */

/* Protocol versions (RFC 8446 §4.2.1). */
#define PADLOCK_TLS12 0x0303
#define PADLOCK_TLS13 0x0304

/* TLS 1.3 cipher suites (RFC 8446 §B.4). */
#define PADLOCK_TLS_AES_128_GCM_SHA256 0x1301
#define PADLOCK_TLS_AES_256_GCM_SHA384 0x1302
#define PADLOCK_TLS_CHACHA20_POLY1305_SHA256 0x1303

/* TLS 1.2 cipher suites (servers only so far): ECDHE with AEAD only (RFC 5289 §3.2, RFC 7905
 * §2, RFC 8422). */
#define PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 0xc02b
#define PADLOCK_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 0xc02c
#define PADLOCK_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 0xc02f
#define PADLOCK_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 0xc030
#define PADLOCK_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 0xcca8
#define PADLOCK_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 0xcca9
/* TLS 1.2 RSA key transport (RFC 5288 §3): no forward secrecy; only with
 * padlock_config_set_legacy_rsa_key_exchange. */
#define PADLOCK_TLS_RSA_WITH_AES_128_GCM_SHA256 0x009c
#define PADLOCK_TLS_RSA_WITH_AES_256_GCM_SHA384 0x009d

/* Key exchange groups (RFC 8446 §4.2.7). */
#define PADLOCK_GROUP_SECP256R1 0x0017
#define PADLOCK_GROUP_SECP384R1 0x0018
#define PADLOCK_GROUP_X25519 0x001d

/* The IANA name of a version ("TLSv1.3"), cipher suite ("TLS_AES_128_GCM_SHA256"), group
 * ("x25519") or signature scheme ("ecdsa_secp256r1_sha256"); NULL for a value padlock does not
 * know. Strings are static. */
PADLOCK_API const char *padlock_version_name(uint16_t version);
PADLOCK_API const char *padlock_cipher_suite_name(uint16_t suite);
PADLOCK_API const char *padlock_group_name(uint16_t group);
PADLOCK_API const char *padlock_signature_scheme_name(uint16_t scheme);

/* ---- Configuration -------------------------------------------------------------------------- */

/* What connections share: role, protocol choices, trust anchors, our certificates, hooks. A
 * configuration is reference-counted: every connection holds a reference, so
 * padlock_config_free may be called as soon as the last connection is created. Setters work
 * until the first padlock_conn_new; after that the configuration is immutable and setters
 * return PADLOCK_E_STATE. */
typedef struct padlock_config padlock_config;
typedef struct padlock_conn padlock_conn;
typedef struct padlock_trust_store padlock_trust_store; /* padlock/x509.h */

typedef enum padlock_role {
    PADLOCK_CLIENT = 0,
    PADLOCK_SERVER = 1,
} padlock_role;

/* Creates a configuration with the defaults: TLS 1.3, and for a server TLS 1.2 too (the
 * highest version both sides support is used); cipher suites TLS_AES_128_GCM_SHA256,
 * TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, and for a server's TLS 1.2 the ECDHE
 * suites with ECDSA or RSA and AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305 (no RSA key
 * transport, no CBC), the extended master secret (RFC 7627) required and renegotiation refused;
 * groups x25519, secp256r1, secp384r1;
 * no ALPN, no key log; the system clock and CSPRNG. A client verifies the server against the
 * system's roots (loaded when the first connection is created). A server needs at least one
 * certificate (padlock_config_add_certificate), chooses suites and groups in its own order,
 * asks for no client certificate, and issues one session ticket per handshake, valid for a
 * day, sealed with ticket keys of its own that rotate daily (see "Servers" below). Free with
 * padlock_config_free. Errors: PADLOCK_E_INVALID_ARGUMENT (unknown role),
 * PADLOCK_E_NO_MEMORY. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_new(padlock_role role,
                                                             padlock_config **out);

/* Drops the caller's reference; the configuration is freed (its store, certificates and key
 * log file with it) once no connection uses it. NULL is a no-op. */
PADLOCK_API void padlock_config_free(padlock_config *cfg);

/* Sets the lowest and highest protocol version to offer (client) or accept (server):
 * PADLOCK_TLS12 or PADLOCK_TLS13. A server negotiates the highest version both sides support
 * (RFC 8446 §4.2.1, RFC 5246 Appendix E.1); a client that supports none of the range gets a
 * protocol_version alert, as do TLS 1.1 and older, SSL 3.0 and SSL 2.0 hellos, always. A server
 * that also speaks TLS 1.3 marks a TLS 1.2 ServerHello with the downgrade sentinel (RFC 8446
 * §4.1.3) and refuses TLS_FALLBACK_SCSV (RFC 7507, inappropriate_fallback); a client that
 * offered TLS 1.3 refuses a TLS 1.2 ServerHello carrying it (illegal_parameter). Both roles
 * default to TLS 1.2 .. TLS 1.3. Client certificates work in both versions, both roles. In
 * TLS 1.2 a client's groups are also the curves it accepts ECDSA certificates on (RFC 8422
 * §5.1.1): a server's certificate on a curve not listed is refused by the server.
 * PADLOCK_E_INVALID_ARGUMENT for min > max or unknown versions, PADLOCK_E_STATE once used. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_set_versions(padlock_config *cfg,
                                                                      uint16_t min, uint16_t max);

/* Sets the cipher suites to offer, most preferred first (1 to 8 distinct PADLOCK_TLS_* codes;
 * the array is copied). TLS 1.3 and TLS 1.2 suites go in one list, each version negotiating
 * from its own in the order given; a TLS 1.2 ECDHE_ECDSA suite needs an ECDSA or Ed25519
 * certificate, an ECDHE_RSA one an RSA certificate. PADLOCK_E_UNSUPPORTED for a suite padlock
 * does not implement, a TLS 1.2 suite for a client, or an RSA key transport suite before
 * padlock_config_set_legacy_rsa_key_exchange,
 * PADLOCK_E_INVALID_ARGUMENT for an empty or over-long list or a duplicate, PADLOCK_E_STATE. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_set_cipher_suites(padlock_config *cfg,
                                                                           const uint16_t *suites,
                                                                           size_t num);

/* Allows (enable 1) or forbids again (enable 0, the default) the TLS 1.2 RSA key transport
 * suites TLS_RSA_WITH_AES_128_GCM_SHA256 and TLS_RSA_WITH_AES_256_GCM_SHA384, for peers that
 * support nothing better; for a server and a client alike. They have no forward secrecy:
 * whoever obtains the server's private key later can decrypt every recorded session. Enabling
 * appends them, least preferred, to the TLS 1.2 suites (a list set with
 * padlock_config_set_cipher_suites may name them from then on); disabling removes them. A
 * client never offers them otherwise, and refuses a server that selects one anyway.
 * They need an RSA (rsaEncryption) certificate on the server: a client that negotiated one
 * fails the handshake (handshake_failure) for any other key, expects no ServerKeyExchange
 * (one is an unexpected_message), and sends 0x0303 and 46 random bytes as the pre-master
 * secret, RSAES-PKCS1-v1_5 encrypted to the certificate's key (RFC 5246 §7.4.7.1). A server
 * handles the encrypted pre-master secret as §7.4.7.1 requires: on any decryption, format or
 * version failure the handshake continues with a random secret, so that the client learns
 * nothing (no Bleichenbacher or ROBOT oracle) until its Finished fails.
 * PADLOCK_E_STATE once used. */
PADLOCK_API PADLOCK_NODISCARD padlock_err
padlock_config_set_legacy_rsa_key_exchange(padlock_config *cfg, int enable);

/* Sets the key exchange groups, most preferred first (1 to 8 distinct PADLOCK_GROUP_* codes;
 * copied). A client sends a key share for the first and lists all of them, so that a server
 * preferring another asks for it with a HelloRetryRequest. Errors as for the cipher suites. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_set_groups(padlock_config *cfg,
                                                                    const uint16_t *groups,
                                                                    size_t num);

/* Sets the application protocols to offer (RFC 7301), most preferred first: num
 * NUL-terminated names of 1 to 255 bytes ("h2", "http/1.1"), copied. num 0 offers none. The
 * list (each name and its length octet) takes at most 65535 bytes, or 64,258 for a client, so
 * that its ClientHello has room for it. PADLOCK_E_INVALID_ARGUMENT for an empty or over-long
 * name or list, PADLOCK_E_STATE. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_set_alpn(padlock_config *cfg,
                                                                  const char *const *protocols,
                                                                  size_t num);

/* Replaces the trust anchors that peer certificates are verified against: for a client the
 * server's (the default is the system's roots), for a server the client certificates' (no
 * default: a server that asks for client certificates needs this). The configuration takes
 * ownership of store, on success and on error, and frees it with itself.
 * PADLOCK_E_INVALID_ARGUMENT (store NULL), PADLOCK_E_STATE. */
PADLOCK_API PADLOCK_NODISCARD padlock_err
padlock_config_set_trust_store(padlock_config *cfg, padlock_trust_store *store);

/* Whether a TLS 1.2 peer must support the extended master secret (RFC 7627), for clients and
 * servers; 1 (the default) refuses a peer without it (handshake_failure). With 0 such a peer
 * gets the RFC 5246 master secret, which an attacker in the middle can make equal on two
 * connections with different peers (the triple handshake attack, RFC 7627 §1): the exporter
 * and anything bound to the connection (channel bindings, tls-unique) no longer identify it,
 * and a session resumed with another server is not the one authenticated. Only for peers that
 * cannot be upgraded. Such sessions are never kept for resumption (RFC 7627 §5.3), and a
 * session made with the extended master secret is never resumed without it. TLS 1.3 is not
 * affected. PADLOCK_E_STATE once used. */
PADLOCK_API PADLOCK_NODISCARD padlock_err
padlock_config_set_require_extended_master_secret(padlock_config *cfg, int require);

/* Turns off verification of the peer's certificate chain and name (a server then accepts any
 * client certificate). Anyone in the path can then impersonate the peer: for tests and
 * debugging only. The peer must still prove it holds the key of the certificate it sends.
 * PADLOCK_E_STATE once used. */
PADLOCK_API PADLOCK_NODISCARD padlock_err
padlock_config_insecure_disable_verification(padlock_config *cfg);

/* Adds a certificate chain (PEM, leaf first, then intermediates) with the leaf's private key
 * (PEM or DER: PKCS#8, SEC1 or PKCS#1; unencrypted), both copied. A client presents the first
 * chain whose key can sign with a scheme the server asks for, when the server requests a
 * certificate. A server presents, among the chains whose leaf covers the name the client asked
 * for (SNI; all chains when it asked for none or for a name no chain covers), the first whose
 * key can sign with a scheme of the client's signature_algorithms: add them in order of
 * preference (e.g. ECDSA before RSA; the first one is the default). Up to 8 chains. Errors:
 * PADLOCK_E_PEM, PADLOCK_E_CERT_PARSE, PADLOCK_E_CERT_UNSUPPORTED (a key type padlock cannot
 * use), PADLOCK_E_CERT_CHAIN_TOO_LONG, PADLOCK_E_BAD_KEY, PADLOCK_E_KEY_ENCRYPTED,
 * PADLOCK_E_KEY_UNSUPPORTED, PADLOCK_E_KEY_MISMATCH (the key is not the leaf's),
 * PADLOCK_E_INVALID_ARGUMENT (too many chains), PADLOCK_E_NO_MEMORY, PADLOCK_E_STATE.
 * padlock_config_error_message names the cause. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_add_certificate(padlock_config *cfg,
                                                                         const uint8_t *chain_pem,
                                                                         size_t chain_len,
                                                                         const uint8_t *key_pem,
                                                                         size_t key_len);

/* padlock_config_add_certificate with the contents of two files; PADLOCK_E_FILE if one cannot
 * be read. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_add_certificate_files(
    padlock_config *cfg, const char *chain_path, const char *key_path);

/* A message naming what the most recent failed setter refused (file, certificate, field), or
 * NULL after a successful one. Valid until the next call on cfg. */
PADLOCK_API const char *padlock_config_error_message(const padlock_config *cfg);

/* Key logging: every handshake's secrets as NSS key log lines ("CLIENT_HANDSHAKE_TRAFFIC_SECRET
 * <client random> <secret>", the SSLKEYLOGFILE format that Wireshark reads), without the line
 * terminator. Anyone with these lines can decrypt the connections: for debugging only. The
 * line is wiped after the call returns. The hook is called from the thread that drives the
 * connection, possibly from several threads at once for several connections. */
typedef void (*padlock_keylog_fn)(void *ctx, const char *line);

/* Sets the key log hook (fn NULL turns it off). ctx is passed through. PADLOCK_E_STATE. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_set_keylog(padlock_config *cfg,
                                                                    padlock_keylog_fn fn,
                                                                    void *ctx);

/* Appends key log lines to the file at path (created with mode 0600 if missing), one line per
 * secret. The file stays open until the configuration is freed. PADLOCK_E_FILE if it cannot be
 * opened, PADLOCK_E_STATE. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_set_keylog_file(padlock_config *cfg,
                                                                         const char *path);

/* The usual opt-in: if the environment variable SSLKEYLOGFILE names a file, logs there as
 * padlock_config_set_keylog_file does; if it is unset or empty, does nothing and returns
 * PADLOCK_OK. padlock never reads the variable unless the application calls this. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_keylog_from_env(padlock_config *cfg);

/* The clock: seconds since the Unix epoch (used to check certificate validity and ticket
 * ages). Called from the thread driving a connection. */
typedef int64_t (*padlock_time_fn)(void *ctx);

/* The randomness source: fills out[0..len) with cryptographically secure random bytes and
 * returns PADLOCK_OK (any other code fails the connection). */
typedef padlock_err (*padlock_random_fn)(void *ctx, uint8_t *out, size_t len);

/* Replace the system clock or CSPRNG (fn NULL restores it), e.g. to replay a recorded
 * handshake exactly. A weak random source breaks every connection's security. PADLOCK_E_STATE
 * once used. The default CSPRNG is libcrypto's RAND_bytes, small draws served from a 4 KiB page
 * per thread (wiped as consumed, empty in a forked child, unmapped at thread exit; not counted
 * by padlock_mem_get_stats). */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_set_time_fn(padlock_config *cfg,
                                                                     padlock_time_fn fn, void *ctx);
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_set_random_fn(padlock_config *cfg,
                                                                       padlock_random_fn fn,
                                                                       void *ctx);

/* ---- Servers --------------------------------------------------------------------------------- */

/* Whether a server asks for a client certificate (mutual TLS, RFC 8446 §4.3.2; RFC 5246
 * §7.4.4 in TLS 1.2). */
typedef enum padlock_client_auth {
    PADLOCK_CLIENT_AUTH_NONE = 0,     /* no CertificateRequest (the default) */
    PADLOCK_CLIENT_AUTH_OPTIONAL = 1, /* asked for; a client that sends none is let in */
    PADLOCK_CLIENT_AUTH_REQUIRED = 2, /* a client without a certificate fails the handshake
                                         (alert certificate_required; handshake_failure in
                                         TLS 1.2, RFC 5246 §7.4.6) */
} padlock_client_auth;

/* Sets a server's client authentication. A certificate a client sends is verified for the
 * clientAuth purpose against the configuration's trust store (padlock_config_set_trust_store,
 * which a server must set for this unless verification is disabled: padlock_conn_new refuses
 * otherwise) and its signature checked (in TLS 1.2 a CertificateVerify over the handshake
 * messages themselves, which the server keeps only while a certificate is expected);
 * padlock_conn_peer_cert then gives the chain, also on a resumed connection (a session keeps
 * the client's chain; one without a chain is not resumed by a server that requires one).
 * PADLOCK_E_INVALID_ARGUMENT (a client configuration, an unknown mode), PADLOCK_E_STATE. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_set_client_auth(padlock_config *cfg,
                                                                         padlock_client_auth mode);

/* Whose order of preference a server follows among the cipher suites and key exchange groups
 * both sides support. */
typedef enum padlock_preference {
    PADLOCK_PREFER_SERVER = 0, /* the configuration's order (the default) */
    PADLOCK_PREFER_CLIENT = 1, /* the client's order (e.g. to let clients without AES hardware
                                  choose ChaCha20-Poly1305) */
} padlock_preference;

/* Sets a server's preference. PADLOCK_E_INVALID_ARGUMENT (a client configuration, an unknown
 * value), PADLOCK_E_STATE. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_set_preference(padlock_config *cfg,
                                                                        padlock_preference pref);

/* Session tickets (RFC 8446 §4.6.1). After each handshake, full or resumed, a server sends
 * num_per_handshake tickets (0 to 8) that a client may present within lifetime seconds (1 to
 * 604800, 7 days) to resume without certificates: a resumed handshake still runs a fresh
 * (EC)DHE exchange (psk_dhe_ke only), so its keys are as fresh as a full handshake's. With 0 no
 * ticket is issued and, unless ticket keys were given (padlock_config_set_ticket_keys, whose
 * tickets from other servers still resume), none is accepted. The default is 1 ticket for 86400
 * seconds: each connection leaves the client a new ticket, so a client that uses every ticket
 * once (as RFC 8446 §C.4 advises) always has one, at half the bytes and sealing work of
 * OpenSSL's 2; raise it for clients that open several connections at once after a first
 * handshake. PADLOCK_E_INVALID_ARGUMENT (a client configuration, a value out of range),
 * PADLOCK_E_STATE. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_set_tickets(padlock_config *cfg,
                                                                     unsigned num_per_handshake,
                                                                     uint32_t lifetime);

/* TLS 1.2 resumption by session ID (RFC 5246 §7.4.1.2): a server keeps the sessions of its full
 * TLS 1.2 handshakes that issued no ticket (the client did not ask for one, or tickets are off)
 * in a cache shared by the configuration's connections (thread-safe), at most max_sessions of
 * them (0 turns the cache off; the oldest session goes first when it is full), each for the
 * ticket lifetime (padlock_config_set_tickets). The default keeps
 * PADLOCK_SESSION_CACHE_DEFAULT sessions (a few hundred bytes each). A TLS 1.2 session, by
 * ticket or by ID, resumes with its original master secret and no new key exchange (RFC 5246
 * §7.3), one reason padlock prefers TLS 1.3. PADLOCK_E_INVALID_ARGUMENT (a client
 * configuration, more than PADLOCK_SESSION_CACHE_MAX), PADLOCK_E_STATE once used. */
#define PADLOCK_SESSION_CACHE_DEFAULT 1024
#define PADLOCK_SESSION_CACHE_MAX 1048576
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_set_session_cache(padlock_config *cfg,
                                                                           size_t max_sessions);

/* Ticket keys: the secret keys a server seals its tickets with (AES-256-GCM; the ticket format
 * is described in src/hs/ticket_seal.c). Tickets sealed with any key of the set are opened;
 * the newest key seals. A set is shared: configurations take references, it is thread-safe,
 * and it may be changed while connections use it. Whoever holds a ticket key can resume (and
 * so impersonate the server to) the clients of every ticket it sealed: keep keys in memory
 * only, rotate them, and give them only to the servers of one fleet. Ticket keys never reach
 * the key log. */
typedef struct padlock_ticket_keys padlock_ticket_keys;

#define PADLOCK_TICKET_KEY_LEN 32 /* bytes of secret per ticket key */

/* A set with one random key that padlock rotates itself: once the sealing key is a ticket
 * lifetime old, the next ticket is sealed with a new random key; the previous key still opens
 * tickets until the rotation after that, so every ticket stays usable for its whole lifetime
 * and no key lives longer than two lifetimes. A server configuration has one of these unless
 * given another. Free with padlock_ticket_keys_free. Errors: PADLOCK_E_NO_MEMORY,
 * PADLOCK_E_CRYPTO. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_ticket_keys_new(padlock_ticket_keys **out);

/* Drops the caller's reference; the keys are wiped and freed once no configuration uses them.
 * NULL is a no-op. */
PADLOCK_API void padlock_ticket_keys_free(padlock_ticket_keys *keys);

/* Starts sealing with a new random key at once; the key that sealed until now still opens
 * tickets until the next rotation, older ones are wiped. The set rotates itself from then on
 * (as padlock_ticket_keys_new). Errors: PADLOCK_E_CRYPTO, PADLOCK_E_INVALID_ARGUMENT (keys
 * NULL). */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_ticket_keys_rotate(padlock_ticket_keys *keys);

/* Replaces the keys with num (1 to 4) keys of PADLOCK_TICKET_KEY_LEN random secret bytes each,
 * secrets[0 .. num * PADLOCK_TICKET_KEY_LEN), for a fleet of servers that share tickets: the
 * first key seals, every one opens. Servers given the same secrets open each other's tickets.
 * Rotation is then the application's: call this again with a new first key and the previous
 * ones (a key distributed to every server before it starts sealing avoids a window in which
 * some cannot open its tickets). The secrets are copied; wipe your copy. Errors:
 * PADLOCK_E_INVALID_ARGUMENT (num out of range, NULL), PADLOCK_E_CRYPTO. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_ticket_keys_set(padlock_ticket_keys *keys,
                                                                  const uint8_t *secrets,
                                                                  size_t num);

/* Makes a server seal and open tickets with keys (a reference is taken; the caller keeps its
 * own), e.g. one set for several configurations or for a fleet. PADLOCK_E_INVALID_ARGUMENT (a
 * client configuration, keys NULL), PADLOCK_E_STATE. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_config_set_ticket_keys(padlock_config *cfg,
                                                                         padlock_ticket_keys *keys);

/* ---- Connections ---------------------------------------------------------------------------- */

/* Creates a connection using cfg (a reference is taken; cfg becomes immutable). A verifying
 * configuration loads the system roots now if it has no store yet. Free with
 * padlock_conn_free. Errors: PADLOCK_E_INVALID_ARGUMENT, PADLOCK_E_NO_MEMORY, PADLOCK_E_FILE
 * (no system root bundle found; padlock_config_error_message says where it looked). */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_conn_new(padlock_config *cfg, padlock_conn **out);

/* Frees the connection, wiping every secret, and drops its configuration reference. It does
 * not send close_notify (see padlock_conn_close). NULL is a no-op. */
PADLOCK_API void padlock_conn_free(padlock_conn *conn);

/* Client: the server's name, copied: a DNS name ("example.com", sent as SNI and checked
 * against the certificate's DNS names) or an IP address literal (checked against its IP
 * addresses, not sent as SNI). Required unless verification is disabled; call it before the
 * first padlock_conn_output. Errors: PADLOCK_E_INVALID_ARGUMENT (malformed name, or a server
 * connection), PADLOCK_E_STATE (the handshake started), PADLOCK_E_NO_MEMORY. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_conn_set_server_name(padlock_conn *conn,
                                                                       const char *name);

/* The server name of the connection, NUL-terminated and owned by it, or NULL: for a client the
 * name given to padlock_conn_set_server_name, for a server the name the client asked for in
 * server_name (SNI, RFC 6066 §3) once its ClientHello arrived. A server presents the
 * certificate that covers this name (see padlock_config_add_certificate). */
PADLOCK_API const char *padlock_conn_server_name(const padlock_conn *conn);

/* ---- Session resumption, client side (RFC 8446 §2.2, §4.6.1) ---- */

/* Exports the newest session ticket the server sent on this connection as bytes the
 * application may keep (in memory, or on disk, e.g. across restarts) and later give to
 * padlock_conn_set_session of a new connection to the same server, which then resumes the
 * session: it skips the server's certificate and signature, though with fresh (EC)DHE keys.
 * Tickets arrive after the handshake (they are read with the first data, or by
 * padlock_conn_input); the exported ticket is removed from the connection, so that each is
 * used once (RFC 8446 §C.4 on tracking) and the next export gives the next newest.
 * The bytes hold a secret from which the resumed session's authentication follows: whoever has
 * them can resume as this client. Protect them like a private key and wipe them after use.
 * They hold the ticket, its resumption PSK, suite, lifetime, when it arrived and the server
 * name; at most PADLOCK_SESSION_MAX bytes. After a TLS 1.2 handshake the session is the TLS 1.2
 * one (RFC 5246 §7.4.1.2, RFC 5077: master secret, suite, the server's session ID and/or
 * ticket, server name), which stays with the connection (a TLS 1.2 session may be resumed
 * more than once); PADLOCK_E_STATE if the server gave neither ID nor ticket.
 * *out_len receives the length; with out NULL or cap too small nothing is removed and
 * PADLOCK_E_BUFFER_TOO_SMALL is returned. PADLOCK_E_STATE when the connection holds no
 * ticket (none arrived yet, or a server connection), PADLOCK_E_INVALID_ARGUMENT. */
#define PADLOCK_SESSION_MAX (65535 + 512)
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_conn_export_session(padlock_conn *conn,
                                                                      uint8_t *out, size_t cap,
                                                                      size_t *out_len);

/* Offers the exported session data[0..len) (copied) in this client connection's ClientHello,
 * before the handshake starts. It is offered only if it is still within its lifetime, was
 * issued to the same server name (compared ignoring case) and for a cipher suite whose hash one
 * of the configured suites uses (TLS 1.2: that suite itself, with TLS 1.2 enabled), and if its
 * ticket fits the ClientHello beside everything else (RFC 8446 §4.1.2); a TLS 1.3 session only
 * in pre_shared_key, a TLS 1.2 one only by session ID or session_ticket (RFC 5077 §3.4).
 * Otherwise, and whenever the server declines it, a full handshake follows.
 * padlock_conn_resumed tells which happened. Errors: PADLOCK_E_DECODE (not session data),
 * PADLOCK_E_INVALID_ARGUMENT (a server connection), PADLOCK_E_STATE (the handshake started),
 * PADLOCK_E_NO_MEMORY. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_conn_set_session(padlock_conn *conn,
                                                                   const uint8_t *data, size_t len);

/* What the connection needs next. */
typedef enum padlock_status {
    PADLOCK_STATUS_WANT_WRITE = 0, /* bytes wait to be sent: padlock_conn_output */
    PADLOCK_STATUS_DATA = 1,       /* application data is ready: padlock_conn_read */
    PADLOCK_STATUS_WANT_READ = 2,  /* feed the peer's bytes (padlock_conn_input); once the
                                      handshake is done the application may also write */
    PADLOCK_STATUS_CLOSED = 3,     /* the peer closed cleanly (close_notify) and all its data
                                      was read */
    PADLOCK_STATUS_ERROR = 4,      /* failed: padlock_conn_error / _error_message. A fatal alert
                                      for the peer is reported as WANT_WRITE first. */
} padlock_status;

/* The status, by priority: WANT_WRITE while bytes wait to be sent (a new client's ClientHello
 * counts: it is built by the first padlock_conn_output), then ERROR, DATA, CLOSED, WANT_READ.
 * A NewSessionTicket or KeyUpdate arriving after the handshake is handled inside
 * padlock_conn_input and never shows as a status of its own. */
PADLOCK_API padlock_status padlock_conn_status(const padlock_conn *conn);

/* Feeds bytes received from the peer. The connection takes whole records and stops after a
 * record that carries application data (until it is read) or after the peer closed; *consumed
 * says how many bytes were taken, and the caller offers the rest again later. len 0 means the
 * transport reached end of stream: after the peer's close_notify that is a clean end,
 * otherwise the connection fails with PADLOCK_E_TRUNCATED. Bytes after the peer's
 * close_notify are ignored (RFC 8446 §6.1). Returns PADLOCK_OK, or the connection's error
 * (the peer broke the protocol, sent a fatal alert, or a certificate was refused: see
 * padlock_conn_error_message; the status then tells whether an alert waits to be sent). */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_conn_input(padlock_conn *conn,
                                                             const uint8_t *data, size_t len,
                                                             size_t *consumed);

/* How many bytes would complete the record being received (at most 16 KiB + 261): a reader
 * that reads no more than this never holds bytes the connection cannot take yet. 0 while
 * application data waits to be read. */
PADLOCK_API size_t padlock_conn_input_wanted(const padlock_conn *conn);

/* The bytes waiting to be sent: *out points into the connection (valid until the next call on
 * it) and *out_len is their number, 0 if none. A new client builds its ClientHello here. After
 * sending some of them, call padlock_conn_output_done. Errors: PADLOCK_E_NO_SERVER_NAME (a
 * verifying client without padlock_conn_set_server_name) and the handshake's errors. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_conn_output(padlock_conn *conn,
                                                              const uint8_t **out, size_t *out_len);

/* Marks the first sent bytes of the last padlock_conn_output as sent.
 * PADLOCK_E_INVALID_ARGUMENT if more than were waiting. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_conn_output_done(padlock_conn *conn, size_t sent);

/* Copies up to cap bytes of received application data into buf; *out_len is how many.
 * Returns PADLOCK_OK with *out_len > 0; PADLOCK_E_CLOSED once the peer closed cleanly and
 * everything was read; PADLOCK_E_STATE when no data is waiting (feed input first); or the
 * connection's error. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_conn_read(padlock_conn *conn, uint8_t *buf,
                                                            size_t cap, size_t *out_len);

/* A read buffer this large takes the plaintext of every record (2^14 bytes, plus the content
 * type byte TLS 1.3 encrypts with it), so padlock_conn_input_read never needs the copy. */
#define PADLOCK_READ_BUFFER_SIZE 16385

/* padlock_conn_input followed, when application data is then waiting, by padlock_conn_read
 * into buf -- but without the copy: a record of application data that is complete and whose
 * plaintext fits in cap bytes is decrypted straight into buf, whether its bytes are all in
 * data or partly held from earlier input; the connection then keeps no plaintext for it.
 * Records that do not fit, and data left from an earlier call, are read the copying way, so
 * the result is the same in every case: *consumed as padlock_conn_input says,
 * *out_len the application data now in buf (0 if none yet), the same errors (and *out_len 0
 * with them). With cap >= PADLOCK_READ_BUFFER_SIZE no record needs the copy.
 * buf is also the record's decryption space: up to one record's plaintext of it may be written
 * even when *out_len is 0 (a post-handshake message, an alert, a forged record). Nothing of
 * the peer's stays past *out_len: such bytes are wiped, and what follows the data is zero. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_conn_input_read(padlock_conn *conn,
                                                                  const uint8_t *data, size_t len,
                                                                  size_t *consumed, uint8_t *buf,
                                                                  size_t cap, size_t *out_len);

/* Encrypts application data for sending: takes up to one record's worth (16 KiB) of
 * data[0..len) and reports how much in *written, which is 0 when earlier records still wait to
 * be sent (send them, then write again). Returns PADLOCK_E_STATE before the handshake
 * completed, PADLOCK_E_CLOSED after padlock_conn_close, or the connection's error. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_conn_write(padlock_conn *conn,
                                                             const uint8_t *data, size_t len,
                                                             size_t *written);

/* A write buffer this large holds one full record of 2^14 bytes of application data in every
 * protocol version and suite (the largest: TLS 1.2 AES-GCM, 5-byte header, 8-byte explicit
 * nonce, 16-byte tag), so padlock_conn_write_into takes 16 KiB per call when nothing else waits
 * to be sent. */
#define PADLOCK_WRITE_BUFFER_SIZE 16413

/* padlock_conn_output and padlock_conn_output_done followed by padlock_conn_write, but without
 * the copy: records are sealed straight into the caller's buf[0..cap) (a socket buffer, an
 * io_uring registered buffer, a batch for writev), never into the connection's.
 * First the bytes already waiting to be sent (a NewSessionTicket, a KeyUpdate owed to the peer,
 * earlier records) are copied into buf and marked sent, as many as fit, so the order on the wire
 * never changes. Then, if all of them fit, application data from data[0..len) is sealed behind
 * them, as many records as fit: the first takes what fits (RFC 8446 §5.1 allows any length from
 * 1 byte), later ones only a whole record (16 KiB, or less under a negotiated record size limit)
 * or the rest of data, so a short tail of buf does not cost a tiny record.
 * *out_len is how many bytes of buf must be sent, *written how many bytes of data were taken
 * (0 when waiting bytes filled buf: send them and call again). Where buf has room for whole
 * records they are the same, byte for byte, as padlock_conn_write builds. With
 * cap >= PADLOCK_WRITE_BUFFER_SIZE and nothing waiting, a call takes at least a whole record's
 * worth: min(len, 16 KiB, or the peer's record size limit). len 0 only moves the waiting bytes
 * (if any). Returns PADLOCK_E_BUFFER_TOO_SMALL when len > 0 and buf holds neither a waiting
 * byte nor a record with one byte of data (23 bytes in TLS 1.3, 30 in TLS 1.2 AES-GCM): the
 * connection is unharmed, call again with more room. Otherwise the errors of
 * padlock_conn_write: PADLOCK_E_STATE before the handshake completed (its bytes come from
 * padlock_conn_output), PADLOCK_E_CLOSED after padlock_conn_close, or the connection's error.
 * On every error *written and *out_len are 0, nothing is marked sent and nothing of buf is to
 * be sent: what waits (a close_notify, a fatal alert) comes from padlock_conn_output. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_conn_write_into(padlock_conn *conn,
                                                                  const uint8_t *data, size_t len,
                                                                  size_t *written, uint8_t *buf,
                                                                  size_t cap, size_t *out_len);

/* Queues close_notify (RFC 8446 §6.1): nothing more will be written; reading goes on until
 * the peer's close_notify. Idempotent. Returns the connection's error if it failed. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_conn_close(padlock_conn *conn);

/* Sends a KeyUpdate (RFC 8446 §4.6.3) and switches to the next traffic keys; with
 * request_peer_update non-zero the peer is asked to update its keys too. PADLOCK_E_STATE
 * before the handshake completed, PADLOCK_E_CLOSED after close, PADLOCK_E_UNSUPPORTED on a
 * TLS 1.2 connection (which has no KeyUpdate), or the connection's error. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_conn_key_update(padlock_conn *conn,
                                                                  int request_peer_update);

/* Keying material exporter (RFC 8446 §7.5, RFC 5705): out_len bytes (at most 255 times the
 * suite's hash length) for label (NUL-terminated, 1 to 249 bytes) and context (NULL: none;
 * TLS 1.3 treats no context and an empty one alike, TLS 1.2 does not; TLS 1.2 connections
 * always have the extended master secret RFC 7627 §5.4 asks for, and refuse the labels of its
 * own key schedule). PADLOCK_E_STATE before the handshake completed,
 * PADLOCK_E_INVALID_ARGUMENT for bad lengths or labels. */
PADLOCK_API PADLOCK_NODISCARD padlock_err
padlock_conn_export_keying_material(padlock_conn *conn, uint8_t *out, size_t out_len,
                                    const char *label, const uint8_t *context, size_t context_len);

/* 1 once the handshake completed (application data may flow), else 0. */
PADLOCK_API int padlock_conn_handshake_done(const padlock_conn *conn);

/* Negotiated parameters, 0 (or NULL) until known: protocol version, cipher suite, key
 * exchange group (0 in a resumed TLS 1.2 session, which has no key exchange), the signature
 * scheme of the peer's CertificateVerify (0 in a resumed session, which has none), the
 * application protocol (NUL-terminated, owned by the connection). padlock_conn_resumed is 1
 * once a handshake resumed a session (TLS 1.3: a ticket; TLS 1.2: a ticket or session ID). */
PADLOCK_API uint16_t padlock_conn_version(const padlock_conn *conn);
PADLOCK_API uint16_t padlock_conn_cipher_suite(const padlock_conn *conn);
PADLOCK_API uint16_t padlock_conn_group(const padlock_conn *conn);
PADLOCK_API uint16_t padlock_conn_signature_scheme(const padlock_conn *conn);
PADLOCK_API const char *padlock_conn_alpn(const padlock_conn *conn);
PADLOCK_API int padlock_conn_resumed(const padlock_conn *conn);

/* The certificates the peer sent, in its order (0 is its own certificate); the DER is owned by
 * the connection and lives as long as it (connections of one configuration that received the
 * same chain byte for byte hold one copy of it between them). NULL if i is out of range. Once
 * the handshake is done they were verified (unless verification is disabled): a server's client
 * chain for the clientAuth purpose against its trust store. A server resuming a session has the
 * chain the client authenticated with in the original handshake (carried in the ticket); a
 * client resuming one has none. */
PADLOCK_API size_t padlock_conn_peer_cert_count(const padlock_conn *conn);
PADLOCK_API const uint8_t *padlock_conn_peer_cert(const padlock_conn *conn, size_t i,
                                                  size_t *der_len);

/* The first fatal error (PADLOCK_OK while none), and a message naming what was at fault, e.g.
 * certificate "CN=www.example.com" does not match "example.org", or "peer sent fatal alert
 * handshake_failure". The message lives as long as the connection. */
PADLOCK_API padlock_err padlock_conn_error(const padlock_conn *conn);
PADLOCK_API const char *padlock_conn_error_message(const padlock_conn *conn);

/* ---- Socket helpers (built only on the functions above) ------------------------------------- */

/* Each drives conn over the connected socket (or pipe) fd until its job is done. A blocking fd
 * blocks. A non-blocking fd returns PADLOCK_E_WANT_READ or PADLOCK_E_WANT_WRITE when it would
 * block: wait until fd is readable or writable and call the same function again. Transport
 * failures give PADLOCK_E_IO (errno says why); protocol failures the connection's error. They
 * read no more than the connection can take, so no bytes are held outside it; each uses about
 * 17 KiB of stack. */

/* Runs the handshake to completion (the client's last flight sent). */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_fd_handshake(padlock_conn *conn, int fd);

/* Reads application data into buf[0..cap): PADLOCK_OK with *out_len > 0, or with *out_len 0
 * when the peer closed cleanly. A peer that disconnects without close_notify gives
 * PADLOCK_E_TRUNCATED. Completes the handshake first if needed. Records are decrypted straight
 * into buf when they fit (padlock_conn_input_read: cap >= PADLOCK_READ_BUFFER_SIZE for all). */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_fd_read(padlock_conn *conn, int fd, uint8_t *buf,
                                                          size_t cap, size_t *out_len);

/* Writes all of data[0..len) and sends it; *written counts the bytes taken. A non-blocking fd
 * may return PADLOCK_OK with *written < len (call again with the rest), or
 * PADLOCK_E_WANT_WRITE when nothing could be taken. Completes the handshake first if needed. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_fd_write(padlock_conn *conn, int fd,
                                                           const uint8_t *data, size_t len,
                                                           size_t *written);

/* Sends close_notify (and anything still waiting). The fd stays open: close it afterwards. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_fd_close(padlock_conn *conn, int fd);

#ifdef __cplusplus
}
#endif

#endif
