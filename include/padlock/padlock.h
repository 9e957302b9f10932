/* padlock: a TLS 1.3 / TLS 1.2 library.
 *
 * This header is the whole public connection API: errors, memory statistics and (as they
 * land) configuration and connections. Certificates and verification are in padlock/x509.h. */
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
typedef enum padlock_err {
    PADLOCK_ERROR_LIST(PADLOCK_X_ENUM) PADLOCK_E_MAX_
} padlock_err;
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
    uint64_t bytes_in_use; /* bytes currently allocated */
    uint64_t bytes_peak;   /* high-water mark of bytes_in_use since the last reset */
} padlock_mem_stats;

/* Copies the current counters into *out. */
PADLOCK_API void padlock_mem_get_stats(padlock_mem_stats *out);

/* Resets bytes_peak to the current bytes_in_use (other counters are cumulative). */
PADLOCK_API void padlock_mem_reset_peak(void);

#ifdef __cplusplus
}
#endif

#endif
