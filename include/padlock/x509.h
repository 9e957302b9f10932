/* padlock certificates: parsing and inspecting X.509 certificates, trust stores, CRLs, and
 * verifying a certificate chain the way a TLS client or server does (RFC 5280 path
 * validation, RFC 6125 host name checks, CRL revocation); private keys; and a small
 * certificate authority: issuing certificates and PKCS #10 certificate signing requests.
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

/* Why der does not parse as a certificate: a static string naming the part at fault
 * ("validity", "subjectAltName", "signature algorithms differ"), or NULL when it parses. */
PADLOCK_API const char *padlock_cert_parse_error(const uint8_t *der, size_t len);

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

/* The signature algorithm's name ("ecdsa-with-SHA256", "sha256WithRSAEncryption", "Ed25519",
 * "RSASSA-PSS with SHA-256", or the dotted OID of one padlock does not know). */
PADLOCK_API const char *padlock_cert_signature_algorithm(const padlock_cert *cert);

/* keyUsage bits (RFC 5280 §4.2.1.3). */
#define PADLOCK_KU_DIGITAL_SIGNATURE 0x001u
#define PADLOCK_KU_NON_REPUDIATION 0x002u
#define PADLOCK_KU_KEY_ENCIPHERMENT 0x004u
#define PADLOCK_KU_DATA_ENCIPHERMENT 0x008u
#define PADLOCK_KU_KEY_AGREEMENT 0x010u
#define PADLOCK_KU_KEY_CERT_SIGN 0x020u
#define PADLOCK_KU_CRL_SIGN 0x040u
#define PADLOCK_KU_ENCIPHER_ONLY 0x080u
#define PADLOCK_KU_DECIPHER_ONLY 0x100u

/* The keyUsage extension as PADLOCK_KU_* bits; 0 when the certificate has none. */
PADLOCK_API unsigned padlock_cert_key_usage(const padlock_cert *cert);

/* extendedKeyUsage purposes (RFC 5280 §4.2.1.12). */
#define PADLOCK_EKU_SERVER_AUTH 0x1u
#define PADLOCK_EKU_CLIENT_AUTH 0x2u
#define PADLOCK_EKU_ANY 0x4u   /* anyExtendedKeyUsage */
#define PADLOCK_EKU_OTHER 0x8u /* at least one purpose not listed here */

/* The extendedKeyUsage extension as PADLOCK_EKU_* bits; 0 when the certificate has none. */
PADLOCK_API unsigned padlock_cert_ext_key_usage(const padlock_cert *cert);

/* basicConstraints pathLenConstraint (capped at 255), or -1 when there is none. */
PADLOCK_API int padlock_cert_path_len(const padlock_cert *cert);

/* The subjectKeyIdentifier / authorityKeyIdentifier keyIdentifier octets, owned by the
 * certificate; NULL (and *out_len 0) when absent. */
PADLOCK_API const uint8_t *padlock_cert_subject_key_id(const padlock_cert *cert, size_t *out_len);
PADLOCK_API const uint8_t *padlock_cert_authority_key_id(const padlock_cert *cert, size_t *out_len);

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

/* Sets the store's verified-chain cache to `entries` verdicts (0 turns it off; at most 4096).
 * It is on by default with 32: a TLS client verifying a server chain it verified before
 * against this store, with the same host name, skips path building and the chain's signature
 * checks (the CertificateVerify signature is always checked). A verdict is reused only for the
 * exact same certificate bytes, host name and store contents, while every certificate of its
 * path is within its validity period, and never for verifications with CRLs; only successes
 * are kept, the least recently used evicted first. Call before the store is used.
 * PADLOCK_E_INVALID_ARGUMENT, PADLOCK_E_NO_MEMORY (the old cache stays). */
PADLOCK_API PADLOCK_NODISCARD padlock_err
padlock_trust_store_set_verify_cache(padlock_trust_store *store, size_t entries);

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

/* ---- Private keys --------------------------------------------------------------------------- */

/* A private key and its public half. A key is immutable once made, so one key may be used from
 * several threads at once; its private part is wiped when it is freed. */
typedef struct padlock_key padlock_key;

/* Generates a key from the system's random source: PADLOCK_KEY_EC_P256, PADLOCK_KEY_EC_P384,
 * PADLOCK_KEY_EC_P521, PADLOCK_KEY_ED25519 (rsa_bits 0), or PADLOCK_KEY_RSA with rsa_bits
 * 2048, 3072 or 4096.
 * PADLOCK_E_INVALID_ARGUMENT for other types or sizes, PADLOCK_E_CRYPTO, PADLOCK_E_NO_MEMORY. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_key_generate(padlock_key_type type,
                                                               unsigned rsa_bits,
                                                               padlock_key **out);

/* Loads a private key from PEM (the first "PRIVATE KEY", "EC PRIVATE KEY" or "RSA PRIVATE
 * KEY" block) or DER (PKCS #8, SEC1 or PKCS #1) in memory (copied), checking that its halves
 * belong together. PADLOCK_E_PEM, PADLOCK_E_BAD_KEY (malformed or inconsistent),
 * PADLOCK_E_KEY_ENCRYPTED, PADLOCK_E_KEY_UNSUPPORTED (another kind of key, or no key at all),
 * PADLOCK_E_NO_MEMORY. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_key_from_mem(const uint8_t *data, size_t len,
                                                               padlock_key **out);

/* As padlock_key_from_mem with a file's contents (wiped after reading); PADLOCK_E_FILE when
 * it cannot be read. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_key_from_file(const char *path,
                                                                padlock_key **out);

/* Frees a key, wiping its private part; NULL is a no-op. */
PADLOCK_API void padlock_key_free(padlock_key *key);

/* The key's type (never PADLOCK_KEY_UNKNOWN) and size in bits (RSA modulus bits, EC field
 * bits, 256 for Ed25519). */
PADLOCK_API padlock_key_type padlock_key_algorithm(const padlock_key *key);
PADLOCK_API unsigned padlock_key_bits(const padlock_key *key);

/* The public key as a DER SubjectPublicKeyInfo, owned by the key. */
PADLOCK_API const uint8_t *padlock_key_public_der(const padlock_key *key, size_t *out_len);

/* PADLOCK_OK if key is the private half of cert's public key, else PADLOCK_E_KEY_MISMATCH. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_cert_check_key(const padlock_cert *cert,
                                                                 const padlock_key *key);

/* ---- Writing files -------------------------------------------------------------------------- */

/* The *_write_file functions create a new file and never follow a symbolic link at path. Without
 * PADLOCK_WRITE_REPLACE an existing file is left alone and PADLOCK_E_FILE_EXISTS returned; with
 * it the old file is removed first. PADLOCK_E_FILE when the file cannot be created or written
 * (a partly written file is removed). */
#define PADLOCK_WRITE_REPLACE 0x1u

/* Writes the key as PEM PKCS #8 ("PRIVATE KEY", RFC 5958, RFC 7468 §10) to a new file that is
 * readable only by its owner (mode 0600) from the moment it exists. The encoded key is wiped
 * from memory after writing. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_key_write_file(const padlock_key *key,
                                                                 const char *path, unsigned flags);

/* Writes the certificate as one PEM "CERTIFICATE" block to a new file (mode 0644, less the
 * umask). */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_cert_write_file(const padlock_cert *cert,
                                                                  const char *path, unsigned flags);

/* ---- Issuing certificates ------------------------------------------------------------------- */

/* Who a new certificate or request names. Strings are borrowed for the duration of a call. */
typedef struct padlock_cert_names {
    /* Subject attributes, UTF-8 of 1..64 characters, or NULL to leave them out. A subject with
     * neither is empty; its certificate's subjectAltName is then critical (RFC 5280 §4.1.2.6). */
    const char *common_name;
    const char *organization;
    /* subjectAltName dNSName entries: ASCII host names (internationalized names in their
     * "xn--" form), letters, digits and hyphens, no trailing dot; "*" is allowed as the whole
     * left-most label of a name with at least two more labels ("*.example.com"). */
    const char *const *dns_names;
    size_t num_dns_names;
    /* subjectAltName iPAddress entries: IPv4 dotted quads or IPv6 addresses. */
    const char *const *ip_addresses;
    size_t num_ip_addresses;
} padlock_cert_names;

/* Checks names: every attribute, DNS name and IP address well-formed, no entry given twice
 * (DNS names compared ignoring case). PADLOCK_OK, or PADLOCK_E_INVALID_ARGUMENT with *out_bad
 * (if out_bad is not NULL) pointing at the offending string (one of the caller's). The issuing
 * functions below check their names this way. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_cert_names_check(const padlock_cert_names *names,
                                                                   const char **out_bad);

/* What to issue. A zero-initialised struct (plus names) is a TLS server certificate valid
 * from an hour ago for 825 days. */
typedef struct padlock_issue_opts {
    padlock_cert_names names;
    /* 1: a CA certificate (basicConstraints cA with pathLenConstraint 0, keyUsage keyCertSign
     * and cRLSign, no extendedKeyUsage). 0: a TLS leaf (basicConstraints without cA, keyUsage
     * digitalSignature plus keyEncipherment for RSA keys, extendedKeyUsage serverAuth), which
     * needs at least one DNS name or IP address. */
    int is_ca;
    /* Leaves only: add clientAuth to the extended key usage. */
    int client_auth;
    /* Start of validity in seconds since the epoch; 0: one hour before now, so that peers
     * whose clocks lag a little accept a certificate minted a moment ago. */
    int64_t not_before;
    /* Length of validity in days (1..36500); 0: 825 for leaves (the most Apple platforms
     * accept for TLS server certificates), 3650 for CAs. The certificate is valid from
     * not_before through not_before + days * 86400 - 1 (RFC 5280 §4.1.2.5 bounds are
     * inclusive). */
    unsigned days;
} padlock_issue_opts;

/* Every certificate padlock issues is X.509 v3 with a random positive 128-bit serial number
 * (RFC 5280 §4.1.2.2), the issuer's subject as issuer, critical basicConstraints and keyUsage,
 * and subjectKeyIdentifier and authorityKeyIdentifier computed by RFC 7093 §2 method 1 (the
 * leftmost 160 bits of the SHA-256 of the subjectPublicKey bits). It is signed with
 * ecdsa-with-SHA256/384/512 for P-256/384/521 keys, sha256WithRSAEncryption (PKCS #1 v1.5) for
 * RSA keys, and Ed25519 for Ed25519 keys; RSASSA-PSS keys do not sign. */

/* Issues a certificate for key signed by key itself (a CA's root, or a self-signed leaf).
 * *out is freed with padlock_cert_free. Errors: PADLOCK_E_INVALID_ARGUMENT (bad names or
 * options), PADLOCK_E_KEY_UNSUPPORTED, PADLOCK_E_CRYPTO, PADLOCK_E_NO_MEMORY. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_cert_self_sign(const padlock_issue_opts *opts,
                                                                 const padlock_key *key,
                                                                 padlock_cert **out);

/* Issues a certificate for the public key in subject_spki (a DER SubjectPublicKeyInfo, e.g.
 * padlock_key_public_der or padlock_csr_public_der) signed by issuer, whose private key is
 * issuer_key. Errors: as padlock_cert_self_sign, plus PADLOCK_E_KEY_MISMATCH (issuer_key is not
 * issuer's), PADLOCK_E_CERT_NOT_CA (issuer is not a CA), PADLOCK_E_CERT_KEY_USAGE (issuer's
 * keyUsage lacks keyCertSign), PADLOCK_E_CERT_PATH_LENGTH (a CA under an issuer with
 * pathLenConstraint 0), PADLOCK_E_BAD_KEY (subject_spki malformed). */
PADLOCK_API PADLOCK_NODISCARD padlock_err
padlock_cert_issue(const padlock_issue_opts *opts, const uint8_t *subject_spki, size_t spki_len,
                   const padlock_cert *issuer, const padlock_key *issuer_key, padlock_cert **out);

/* ---- Certificate signing requests (PKCS #10, RFC 2986) -------------------------------------- */

typedef struct padlock_csr padlock_csr;

/* Makes a request for key naming names (subjectAltName in a PKCS #9 extensionRequest), signed
 * by key as padlock signs certificates. *out is freed with padlock_csr_free. Errors:
 * PADLOCK_E_INVALID_ARGUMENT (bad names), PADLOCK_E_KEY_UNSUPPORTED, PADLOCK_E_CRYPTO,
 * PADLOCK_E_NO_MEMORY. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_csr_create(const padlock_cert_names *names,
                                                             const padlock_key *key,
                                                             padlock_csr **out);

/* Loads a request from PEM (the first "CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST"
 * block) or DER in memory (copied), parsed strictly, and verifies its self-signature (proof
 * that the requester holds the key). Errors: PADLOCK_E_PEM (malformed PEM, or no request in
 * it), PADLOCK_E_CSR_PARSE (malformed request), PADLOCK_E_CERT_WEAK_ALGORITHM (signed with
 * MD5 or SHA-1), PADLOCK_E_CERT_UNSUPPORTED (a signature algorithm or key padlock cannot
 * verify), PADLOCK_E_CSR_SIGNATURE, PADLOCK_E_NO_MEMORY. On failure *out_field (if not NULL)
 * names the part at fault ("subject", "extensionRequest attribute", "signature"), or is NULL. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_csr_from_mem(const uint8_t *data, size_t len,
                                                               padlock_csr **out,
                                                               const char **out_field);

/* As padlock_csr_from_mem with a file's contents; PADLOCK_E_FILE when it cannot be read. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_csr_from_file(const char *path, padlock_csr **out,
                                                                const char **out_field);

/* Frees a request; NULL is a no-op. */
PADLOCK_API void padlock_csr_free(padlock_csr *csr);

/* The request's DER; *out_len receives its length. */
PADLOCK_API const uint8_t *padlock_csr_der(const padlock_csr *csr, size_t *out_len);

/* The requested subject in RFC 4514 form ("" when empty). */
PADLOCK_API const char *padlock_csr_subject(const padlock_csr *csr);

/* The requested subjectAltName entries, as padlock_cert_num_sans / padlock_cert_san. */
PADLOCK_API size_t padlock_csr_num_sans(const padlock_csr *csr);
PADLOCK_API padlock_san_type padlock_csr_san(const padlock_csr *csr, size_t i,
                                             const char **out_value);

/* 1 if the request asks for more than names: a basicConstraints, keyUsage, extendedKeyUsage
 * or any other extension besides subjectAltName. padlock_cert_issue never grants those; a
 * signer may want to say so. */
PADLOCK_API int padlock_csr_requests_extensions(const padlock_csr *csr);

/* The requester's public key: type, size (as padlock_cert_key_bits) and DER
 * SubjectPublicKeyInfo (owned by the request). */
PADLOCK_API padlock_key_type padlock_csr_key_type(const padlock_csr *csr);
PADLOCK_API unsigned padlock_csr_key_bits(const padlock_csr *csr);
PADLOCK_API const uint8_t *padlock_csr_public_der(const padlock_csr *csr, size_t *out_len);

/* The signature algorithm's name, as padlock_cert_signature_algorithm. */
PADLOCK_API const char *padlock_csr_signature_algorithm(const padlock_csr *csr);

/* Writes the request as one PEM "CERTIFICATE REQUEST" block (RFC 7468 §7) to a new file (mode
 * 0644, less the umask), as padlock_cert_write_file. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_csr_write_file(const padlock_csr *csr,
                                                                 const char *path, unsigned flags);

/* ---- PEM files ------------------------------------------------------------------------------ */

/* Called for each object of a file: label is the PEM label ("CERTIFICATE", "PRIVATE KEY", ...)
 * or NULL for a file that is not PEM (its whole contents as one DER object). der lives only
 * for the call. A non-zero return stops the walk. */
typedef int (*padlock_pem_fn)(void *ctx, const char *label, const uint8_t *der, size_t der_len);

/* Reads the file at path and calls fn for each PEM block in order (text between blocks is
 * ignored, RFC 7468 §2), or once for a DER file. Every decoded block and the file's contents
 * are wiped from memory afterwards (they may hold keys). Returns PADLOCK_OK (also when fn
 * stopped the walk), PADLOCK_E_FILE, PADLOCK_E_PEM (a malformed block: *out_count, if not NULL,
 * says how many blocks were passed to fn before it), PADLOCK_E_NO_MEMORY. */
PADLOCK_API PADLOCK_NODISCARD padlock_err padlock_pem_read_file(const char *path, padlock_pem_fn fn,
                                                                void *ctx, size_t *out_count);

#ifdef __cplusplus
}
#endif

#endif
