/* padlock certificates: parsing and inspecting X.509 certificates, trust stores, CRLs, and
 * verifying a certificate chain the way a TLS client or server does (RFC 5280 path
 * validation, RFC 6125 host name checks, CRL revocation).
 *
 * Conventions: functions returning padlock_err return PADLOCK_OK on success. Objects made by
 * the _new and _from_der functions are owned by the caller and released with the matching
 * _free function (NULL is a no-op). Strings returned by accessors are owned by the object and live
 * as long as it does. An object may be read from several threads at once; changing it (an *_add_*
 * call) while another thread uses it is a data race. */
#ifndef PADLOCK_X509_H
#define PADLOCK_X509_H

#include <stddef.h>
#include <stdint.h>

#include "padlock/padlock.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Time ----------------------------------------------------------------------------------- */

/* Room for "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define PADLOCK_RFC3339_BUF 21

/* Parses an RFC 3339 date-time ("2025-03-01T00:00:00Z", fractions dropped, "+01:00"-style
 * offsets honoured) into seconds since the Unix epoch. PADLOCK_E_INVALID_ARGUMENT if malformed
 * or not a real date. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_time_parse(const char *text, int64_t *out);

/* Writes t (seconds since the epoch) as "YYYY-MM-DDTHH:MM:SSZ" into out. */
PADLOCK_API void padlock_time_format(int64_t t, char out[PADLOCK_RFC3339_BUF]);

/* ---- Certificates --------------------------------------------------------------------------- */

typedef struct padlock_cert padlock_cert;

/* Public key types. */
typedef enum padlock_key_type {
    PADLOCK_KEY_UNKNOWN = 0, /* an algorithm padlock does not use (DSA, other curves, ...) */
    PADLOCK_KEY_RSA = 1,
    PADLOCK_KEY_RSA_PSS = 2, /* an RSA key restricted to RSASSA-PSS (RFC 4055) */
    PADLOCK_KEY_EC_P256 = 3,
    PADLOCK_KEY_EC_P384 = 4,
    PADLOCK_KEY_EC_P521 = 5,
    PADLOCK_KEY_ED25519 = 6,
} padlock_key_type;

/* subjectAltName entry types (the GeneralName tags of RFC 5280 §4.2.1.6). */
typedef enum padlock_san_type {
    PADLOCK_SAN_OTHER = 0, /* otherName, x400Address, ediPartyName, registeredID */
    PADLOCK_SAN_EMAIL = 1,
    PADLOCK_SAN_DNS = 2,
    PADLOCK_SAN_DIRNAME = 4,
    PADLOCK_SAN_URI = 6,
    PADLOCK_SAN_IP = 7,
} padlock_san_type;

/* Parses one DER certificate (copied: der need not outlive the call). Parsing is strict DER
 * and RFC 5280 §4 syntax. PADLOCK_E_CERT_PARSE if malformed, PADLOCK_E_NO_MEMORY. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_cert_from_der(const uint8_t *der, size_t len,
                                                                padlock_cert **out);

/* Frees a certificate; NULL is a no-op. */
PADLOCK_API void padlock_cert_free(padlock_cert *cert);

/* The certificate's DER; *out_len receives its length. */
PADLOCK_API const uint8_t *padlock_cert_der(const padlock_cert *cert, size_t *out_len);

/* Subject and issuer in RFC 4514 form, most specific first ("CN=api.example.com,O=Example"),
 * with control characters escaped. Empty string for an empty name. */
PADLOCK_API const char *padlock_cert_subject(const padlock_cert *cert);
PADLOCK_API const char *padlock_cert_issuer(const padlock_cert *cert);

/* The serial number as colon-separated hex octets ("01:A3:5F"). */
PADLOCK_API const char *padlock_cert_serial(const padlock_cert *cert);

/* Validity period bounds, seconds since the epoch (inclusive). */
PADLOCK_API int64_t padlock_cert_not_before(const padlock_cert *cert);
PADLOCK_API int64_t padlock_cert_not_after(const padlock_cert *cert);

/* The subject public key's type. */
PADLOCK_API padlock_key_type padlock_cert_key_type(const padlock_cert *cert);

/* The subject public key's size: RSA modulus bits, EC field bits, 256 for Ed25519, 0 when
 * the type is unknown. */
PADLOCK_API unsigned padlock_cert_key_bits(const padlock_cert *cert);

/* 1 if basicConstraints marks the certificate as a CA, else 0. */
PADLOCK_API int padlock_cert_is_ca(const padlock_cert *cert);

/* Writes the SHA-256 of the DER (the usual certificate fingerprint) to out. */
PADLOCK_API void padlock_cert_fingerprint_sha256(const padlock_cert *cert, uint8_t out[32]);

/* Number of subjectAltName entries. */
PADLOCK_API size_t padlock_cert_num_sans(const padlock_cert *cert);

/* Entry i (0 <= i < padlock_cert_num_sans) of the subjectAltName: returns its type and sets
 * *out_value to its text (DNS name, e-mail address, URI, IP address in inet_ntop form, RFC 4514
 * directory name, or a type name for PADLOCK_SAN_OTHER). Control characters are replaced by
 * '?'. For i out of range returns PADLOCK_SAN_OTHER with *out_value "". */
PADLOCK_API padlock_san_type padlock_cert_san(const padlock_cert *cert, size_t i,
                                              const char **out_value);

/* ---- Certificate lists (chains, bundles) ---------------------------------------------------- */

typedef struct padlock_cert_list padlock_cert_list;

/* An empty list in *out (PADLOCK_E_NO_MEMORY on failure); free with padlock_cert_list_free. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_cert_list_new(padlock_cert_list **out);

/* Frees the list and its certificates; NULL is a no-op. */
PADLOCK_API void padlock_cert_list_free(padlock_cert_list *list);

/* Appends the certificates of a file: every "CERTIFICATE" block of a PEM file in order (other
 * blocks are skipped), or the single certificate of a DER file. All-or-nothing.
 * PADLOCK_E_FILE (unreadable), PADLOCK_E_PEM (malformed PEM, or PEM without a certificate),
 * PADLOCK_E_CERT_PARSE, PADLOCK_E_NO_MEMORY. padlock_cert_list_last_error names the cause. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_cert_list_add_file(padlock_cert_list *list,
                                                                     const char *path);

/* As padlock_cert_list_add_file, for PEM text or one DER certificate in memory (copied). */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_cert_list_add_mem(padlock_cert_list *list,
                                                                    const uint8_t *data,
                                                                    size_t len);

/* Number of certificates in the list. */
PADLOCK_API size_t padlock_cert_list_count(const padlock_cert_list *list);

/* Certificate i (0 <= i < count), owned by the list; NULL if out of range. */
PADLOCK_API const padlock_cert *padlock_cert_list_get(const padlock_cert_list *list, size_t i);

/* A message naming the file and certificate at fault in the most recent failed add call, or
 * NULL if the most recent add call succeeded. Valid until the next call on the list. */
PADLOCK_API const char *padlock_cert_list_last_error(const padlock_cert_list *list);

/* ---- Trust stores --------------------------------------------------------------------------- */

/* Trust anchors: the roots a verification accepts. Loading the system bundle is cheap (about a
 * millisecond for ~150 roots): certificates are indexed by subject and kept as DER. */
typedef struct padlock_trust_store padlock_trust_store;

/* An empty store in *out (PADLOCK_E_NO_MEMORY on failure); free with
 * padlock_trust_store_free. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_trust_store_new(padlock_trust_store **out);

/* Frees the store; NULL is a no-op. */
PADLOCK_API void padlock_trust_store_free(padlock_trust_store *store);

/* Each add call is all-or-nothing and skips certificates already present. On failure,
 * padlock_trust_store_last_error names the file and certificate at fault. */

/* Adds a PEM bundle (every "CERTIFICATE" block) or one DER certificate from a file.
 * PADLOCK_E_FILE, PADLOCK_E_PEM, PADLOCK_E_CERT_PARSE, PADLOCK_E_NO_MEMORY. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_trust_store_add_file(padlock_trust_store *store,
                                                                       const char *path);

/* Adds every file of a directory holding PEM certificates (e.g. /etc/ssl/certs); files
 * without certificates are skipped. PADLOCK_E_FILE if the directory cannot be read. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_trust_store_add_dir(padlock_trust_store *store,
                                                                      const char *path);

/* Adds PEM text or one DER certificate from memory (copied). */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_trust_store_add_mem(padlock_trust_store *store,
                                                                      const uint8_t *data,
                                                                      size_t len);

/* Adds the operating system's roots: $SSL_CERT_FILE if set, else the distribution bundle
 * (/etc/ssl/certs/ca-certificates.crt on Debian). PADLOCK_E_FILE if none is found. */
PADLOCK_API PADLOCK_NODISCARD padlock_err
padlock_trust_store_add_system(padlock_trust_store *store);

/* Number of distinct trusted certificates. */
PADLOCK_API size_t padlock_trust_store_count(const padlock_trust_store *store);

/* As padlock_cert_list_last_error. */
PADLOCK_API const char *padlock_trust_store_last_error(const padlock_trust_store *store);

/* ---- Certificate revocation lists ----------------------------------------------------------- */

typedef struct padlock_crl_set padlock_crl_set;

/* An empty CRL set in *out (PADLOCK_E_NO_MEMORY on failure); free with padlock_crl_set_free. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_crl_set_new(padlock_crl_set **out);

/* Frees the set; NULL is a no-op. */
PADLOCK_API void padlock_crl_set_free(padlock_crl_set *crls);

/* Adds the CRLs of a file: every "X509 CRL" PEM block, or one DER CRL. All-or-nothing.
 * PADLOCK_E_FILE, PADLOCK_E_PEM, PADLOCK_E_CRL_PARSE, PADLOCK_E_CRL_INVALID (a kind of CRL
 * padlock does not process: indirect, delta, unknown critical extension), PADLOCK_E_NO_MEMORY.
 * Signatures are checked when the CRL is used, against the issuer found in the path. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_crl_set_add_file(padlock_crl_set *crls,
                                                                   const char *path);

/* As padlock_crl_set_add_file, for PEM text or one DER CRL in memory (copied). */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_crl_set_add_mem(padlock_crl_set *crls,
                                                                  const uint8_t *data, size_t len);

/* Number of CRLs in the set. */
PADLOCK_API size_t padlock_crl_set_count(const padlock_crl_set *crls);

/* As padlock_cert_list_last_error. */
PADLOCK_API const char *padlock_crl_set_last_error(const padlock_crl_set *crls);

/* ---- Verification --------------------------------------------------------------------------- */

/* What the leaf certificate must be good for (its extendedKeyUsage). */
typedef enum padlock_purpose {
    PADLOCK_PURPOSE_SERVER = 0, /* a TLS server's certificate (the default) */
    PADLOCK_PURPOSE_CLIENT = 1, /* a TLS client's certificate */
    PADLOCK_PURPOSE_ANY = 2,    /* no key purpose requirement */
} padlock_purpose;

/* Verification options. A zero-initialised struct gives the defaults. */
typedef struct padlock_verify_opts {
    /* The DNS name (ASCII; internationalized names in their "xn--" A-label form) or IP
     * address (v4 dotted quad, or v6) the leaf must present in its subjectAltName; NULL: the
     * identity is not checked (only for callers that check it themselves). */
    const char *peer_name;
    /* The time to validate at, in seconds since the epoch; 0: the current time. */
    int64_t time;
    padlock_purpose purpose;
    /* CRLs to consult; NULL: no revocation checking. */
    const padlock_crl_set *crls;
    /* Intermediates allowed between leaf and root; 0: 8 (at most 16). */
    unsigned max_intermediates;
} padlock_verify_opts;

typedef struct padlock_verify_result padlock_verify_result;

/* Verifies leaf against roots, with the untrusted intermediates (may be NULL; any order,
 * duplicates and unrelated certificates allowed) under opts (NULL: defaults). Returns
 * PADLOCK_OK when a path to a root validates and the leaf presents peer_name; otherwise the
 * reason, e.g. PADLOCK_E_CERT_EXPIRED, PADLOCK_E_CERT_UNTRUSTED, PADLOCK_E_CERT_NAME_MISMATCH,
 * PADLOCK_E_CERT_REVOKED (see padlock/errors.h), or PADLOCK_E_INVALID_ARGUMENT for a malformed
 * peer_name. If out_result is not NULL it receives a result (also on failure, unless memory
 * ran out) holding the code, a message naming the certificate and rule at fault, and the
 * validated path; free it with padlock_verify_result_free. */
PADLOCK_API PADLOCK_NODISCARD padlock_err
padlock_cert_verify(const padlock_trust_store *roots, const padlock_cert *leaf,
                    const padlock_cert_list *intermediates, const padlock_verify_opts *opts,
                    padlock_verify_result **out_result);

/* Frees a result; NULL is a no-op. */
PADLOCK_API void padlock_verify_result_free(padlock_verify_result *result);

/* The verdict: PADLOCK_OK or the error padlock_cert_verify returned. */
PADLOCK_API padlock_err padlock_verify_result_code(const padlock_verify_result *result);

/* "ok", or the reason naming the certificate and the rule, e.g.
 * certificate "CN=api.example.com" expired on 2025-03-01T00:00:00Z */
PADLOCK_API const char *padlock_verify_result_message(const padlock_verify_result *result);

/* The validated path, leaf first and trust anchor last (empty on failure). Owned by the
 * result. */
PADLOCK_API const padlock_cert_list *
padlock_verify_result_path(const padlock_verify_result *result);

#ifdef __cplusplus
}
#endif

#endif
