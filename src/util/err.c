/* The error table turned into strings, categories and alerts, and the first-error holder. */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/mem.h"

typedef struct pl_err_entry {
    padlock_err code;
    padlock_err_category category;
    padlock_alert alert;
    const char *message;
} pl_err_entry;

#define PL_X_ENTRY(name, code, cat, alert, msg)                                                   \
    {PADLOCK_E_##name, PADLOCK_CAT_##cat, PADLOCK_ALERT_##alert, msg},
static const pl_err_entry pl_err_table[] = {PADLOCK_ERROR_LIST(PL_X_ENTRY)};
#undef PL_X_ENTRY

static const pl_err_entry *pl_err_find(padlock_err err) {
    for (size_t i = 0; i < sizeof(pl_err_table) / sizeof(pl_err_table[0]); i++) {
        if (pl_err_table[i].code == err) {
            return &pl_err_table[i];
        }
    }
    return NULL;
}

const char *padlock_strerror(padlock_err err) {
    const pl_err_entry *e = pl_err_find(err);
    return e != NULL ? e->message : "unknown error";
}

padlock_err_category padlock_err_category_of(padlock_err err) {
    const pl_err_entry *e = pl_err_find(err);
    return e != NULL ? e->category : PADLOCK_CAT_NONE;
}

padlock_alert padlock_err_alert(padlock_err err) {
    const pl_err_entry *e = pl_err_find(err);
    return e != NULL ? e->alert : PADLOCK_ALERT_INTERNAL_ERROR;
}

const char *padlock_alert_name(int alert) {
    switch (alert) {
    case PADLOCK_ALERT_CLOSE_NOTIFY: return "close_notify";
    case PADLOCK_ALERT_UNEXPECTED_MESSAGE: return "unexpected_message";
    case PADLOCK_ALERT_BAD_RECORD_MAC: return "bad_record_mac";
    case PADLOCK_ALERT_RECORD_OVERFLOW: return "record_overflow";
    case PADLOCK_ALERT_HANDSHAKE_FAILURE: return "handshake_failure";
    case PADLOCK_ALERT_BAD_CERTIFICATE: return "bad_certificate";
    case PADLOCK_ALERT_UNSUPPORTED_CERTIFICATE: return "unsupported_certificate";
    case PADLOCK_ALERT_CERTIFICATE_REVOKED: return "certificate_revoked";
    case PADLOCK_ALERT_CERTIFICATE_EXPIRED: return "certificate_expired";
    case PADLOCK_ALERT_CERTIFICATE_UNKNOWN: return "certificate_unknown";
    case PADLOCK_ALERT_ILLEGAL_PARAMETER: return "illegal_parameter";
    case PADLOCK_ALERT_UNKNOWN_CA: return "unknown_ca";
    case PADLOCK_ALERT_ACCESS_DENIED: return "access_denied";
    case PADLOCK_ALERT_DECODE_ERROR: return "decode_error";
    case PADLOCK_ALERT_DECRYPT_ERROR: return "decrypt_error";
    case PADLOCK_ALERT_PROTOCOL_VERSION: return "protocol_version";
    case PADLOCK_ALERT_INSUFFICIENT_SECURITY: return "insufficient_security";
    case PADLOCK_ALERT_INTERNAL_ERROR: return "internal_error";
    case PADLOCK_ALERT_INAPPROPRIATE_FALLBACK: return "inappropriate_fallback";
    case PADLOCK_ALERT_USER_CANCELED: return "user_canceled";
    case PADLOCK_ALERT_NO_RENEGOTIATION: return "no_renegotiation";
    case PADLOCK_ALERT_MISSING_EXTENSION: return "missing_extension";
    case PADLOCK_ALERT_UNSUPPORTED_EXTENSION: return "unsupported_extension";
    case PADLOCK_ALERT_UNRECOGNIZED_NAME: return "unrecognized_name";
    case PADLOCK_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE: return "bad_certificate_status_response";
    case PADLOCK_ALERT_UNKNOWN_PSK_IDENTITY: return "unknown_psk_identity";
    case PADLOCK_ALERT_CERTIFICATE_REQUIRED: return "certificate_required";
    case PADLOCK_ALERT_NO_APPLICATION_PROTOCOL: return "no_application_protocol";
    default: return "unknown_alert";
    }
}

void pl_errinfo_init(pl_errinfo *e) {
    e->code = PADLOCK_OK;
    e->detail = NULL;
}

padlock_err pl_errinfo_set(pl_errinfo *e, padlock_err code, const char *fmt, ...) {
    if (e->code != PADLOCK_OK) {
        return e->code;
    }
    e->code = code;
    if (fmt == NULL) {
        return code;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return code;
    }
    /* On allocation failure the holder keeps the code; the message falls back to the table. */
    e->detail = pl_malloc((size_t)n + 1);
    if (e->detail != NULL) {
        va_start(ap, fmt);
        vsnprintf(e->detail, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return code;
}

const char *pl_errinfo_message(const pl_errinfo *e) {
    return e->detail != NULL ? e->detail : padlock_strerror(e->code);
}

void pl_errinfo_cleanup(pl_errinfo *e) {
    pl_free(e->detail);
    pl_errinfo_init(e);
}
