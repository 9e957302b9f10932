/* padlock_conn, the sans-I/O connection (DESIGN.md §1, §2): records go to the handshake driver,
 * alerts are handled here (RFC 8446 §6), application data waits in its record until read, and
 * the first fatal error is kept with its detail and answered with the alert it maps to. */
#include <stdio.h>
#include <string.h>

#include "conn.h"
#include "hs/client13.h"
#include "hs/driver.h"
#include "hs/server13.h"
#include "hs/session12.h"
#include "util/mem.h"
#include "wire/cur.h"
#include "x509/hostname.h"

padlock_err padlock_conn_new(padlock_config *cfg, padlock_conn **out) {
    PL_CHECK(cfg != NULL && out != NULL, PADLOCK_E_INVALID_ARGUMENT);
    padlock_conn *conn = pl_calloc(1, sizeof(*conn));
    PL_CHECK(conn != NULL, PADLOCK_E_NO_MEMORY);
    padlock_err rc = pl_config_acquire(cfg);
    if (rc != PADLOCK_OK) {
        pl_free(conn);
        return rc;
    }
    conn->cfg = cfg;
    const pl_hs_table *table =
        cfg->hs.role == PL_ROLE_SERVER ? &pl_server13_table : &pl_client13_table;
    pl_tls_init(&conn->tls, &cfg->hs, table, &cfg->pool);
    *out = conn;
    return PADLOCK_OK;
}

void padlock_conn_free(padlock_conn *conn) {
    if (conn == NULL) {
        return;
    }
    padlock_config *cfg = conn->cfg;
    /* The record buffers go back to the configuration's pool, so it must still exist. */
    pl_tls_cleanup(&conn->tls);
    pl_free_secret(conn);
    padlock_config_free(cfg);
}

padlock_err padlock_conn_set_server_name(padlock_conn *conn, const char *name) {
    PL_CHECK(conn != NULL && name != NULL, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(conn->tls.cfg->role == PL_ROLE_CLIENT, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(!conn->tls.started, PADLOCK_E_STATE);
    pl_x509_peer peer;
    PL_TRY(pl_x509_peer_parse(name, &peer));
    size_t len = strlen(name);
    char *copy = pl_malloc(len + 1);
    PL_CHECK(copy != NULL, PADLOCK_E_NO_MEMORY);
    memcpy(copy, name, len + 1);
    pl_free(conn->tls.server_name);
    conn->tls.server_name = copy;
    return PADLOCK_OK;
}

padlock_err padlock_conn_export_session(padlock_conn *conn, uint8_t *out, size_t cap,
                                        size_t *out_len) {
    PL_CHECK(conn != NULL && out_len != NULL, PADLOCK_E_INVALID_ARGUMENT);
    pl_tls *tls = &conn->tls;
    *out_len = 0;
    if (tls->version == PADLOCK_TLS12 && tls->session12 != NULL) {
        /* A TLS 1.2 session stays: it may be resumed more than once (RFC 5246 §7.4.1.2). */
        *out_len = pl_session12_export_len(tls->session12);
        PL_CHECK(out != NULL && cap >= *out_len, PADLOCK_E_BUFFER_TOO_SMALL);
        return pl_session12_export(tls->session12, out, cap, out_len);
    }
    PL_CHECK(tls->version != PADLOCK_TLS12 && tls->tickets.newest != NULL, PADLOCK_E_STATE);
    const pl_ticket13 *t = tls->tickets.newest;
    /* A ticket received here belongs to the connection's server name. */
    *out_len = pl_ticket13_export_len(t, tls->server_name);
    PL_CHECK(out != NULL && cap >= *out_len, PADLOCK_E_BUFFER_TOO_SMALL);
    PL_TRY(pl_ticket13_export(t, tls->server_name, out, cap, out_len));
    pl_ticket13_free(pl_ticket13_take(&tls->tickets));
    return PADLOCK_OK;
}

padlock_err padlock_conn_set_session(padlock_conn *conn, const uint8_t *data, size_t len) {
    PL_CHECK(conn != NULL && (data != NULL || len == 0), PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(conn->tls.cfg->role == PL_ROLE_CLIENT, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(!conn->tls.started, PADLOCK_E_STATE);
    if (pl_session12_is_exported(data, len)) {
        pl_session12 *s;
        PL_TRY(pl_session12_import(data, len, &s));
        pl_session12_free(conn->tls.session12);
        conn->tls.session12 = s;
        return PADLOCK_OK;
    }
    pl_ticket13 *t;
    PL_TRY(pl_ticket13_import(data, len, &t));
    /* The one session to offer: it replaces any set before. */
    pl_ticket13_list_cleanup(&conn->tls.tickets);
    conn->tls.tickets.newest = t;
    conn->tls.tickets.num = 1;
    return PADLOCK_OK;
}

/* Where the connection is, for error details. */
static void pl_conn_where(const padlock_conn *conn, char *out, size_t cap) {
    const pl_tls *tls = &conn->tls;
    if (tls->connected) {
        snprintf(out, cap, "after the handshake");
    } else {
        snprintf(out, cap, "during the handshake, in state %s",
                 tls->table->states[tls->state].name);
    }
}

/* Fails the connection with rc unless it already failed: keeps the first error (adding a
 * generic detail if the failing code recorded none), drops handshake state and unread data,
 * and queues the fatal alert the error maps to (RFC 8446 §6.2), unless we already closed.
 * Returns the connection's error. */
static padlock_err pl_conn_fail(padlock_conn *conn, padlock_err rc) {
    pl_tls *tls = &conn->tls;
    if (tls->err.code == PADLOCK_OK) {
        char where[96];
        pl_conn_where(conn, where, sizeof(where));
        (void)pl_tls_fail(tls, rc, "%s, %s", padlock_strerror(rc), where);
    }
    if (conn->failed) {
        return tls->err.code;
    }
    conn->failed = 1;
    conn->app_len = 0;
    pl_rio_release(&tls->rio);
    pl_tls_free_hs(tls);
    padlock_alert alert = padlock_err_alert(tls->err.code);
    if (alert != PADLOCK_ALERT_NONE && tls->started && !conn->closed) {
        /* A partly built flight is not sent; the alert goes under the current write keys. If
         * even that fails, the peer sees the transport close. */
        pl_rio_discard_open(&tls->rio);
        padlock_err sent = pl_rio_send_alert(&tls->rio, PL_ALERT_FATAL, (uint8_t)alert);
        (void)sent;
    }
    return tls->err.code;
}

/* Starts a client's handshake (its ClientHello) unless started or closed. */
static padlock_err pl_conn_start(padlock_conn *conn) {
    if (conn->tls.started || conn->closed) {
        return PADLOCK_OK;
    }
    padlock_err rc = pl_hs_begin(&conn->tls);
    return rc == PADLOCK_OK ? PADLOCK_OK : pl_conn_fail(conn, rc);
}

/* After every call that may produce output: pays an owed KeyUpdate and seals the open
 * handshake record so that everything queued can be sent. */
static padlock_err pl_conn_flush(padlock_conn *conn) {
    pl_tls *tls = &conn->tls;
    if (conn->failed) {
        return tls->err.code;
    }
    padlock_err rc = PADLOCK_OK;
    if (tls->connected && !conn->closed) {
        rc = pl_tls_pay_key_update(tls);
    }
    if (rc == PADLOCK_OK) {
        rc = pl_rio_flush(&tls->rio);
    }
    return rc == PADLOCK_OK ? PADLOCK_OK : pl_conn_fail(conn, rc);
}

/* RFC 8446 §6: an alert record holds exactly one alert. close_notify ends the peer's data;
 * user_canceled cancels a handshake and is followed by close_notify after one; every other
 * alert, known or not, is an error whatever its level (§6.2). */
static padlock_err pl_conn_on_alert(padlock_conn *conn, const pl_record *rec) {
    pl_tls *tls = &conn->tls;
    char where[96];
    pl_conn_where(conn, where, sizeof(where));
    pl_cur c;
    pl_cur_init(&c, rec->data, rec->len);
    uint8_t level, desc;
    if (pl_cur_u8(&c, &level) != PADLOCK_OK || pl_cur_u8(&c, &desc) != PADLOCK_OK ||
        pl_cur_done(&c) != PADLOCK_OK) {
        return pl_tls_fail(tls, PADLOCK_E_DECODE,
                           "alert record of %zu bytes: an alert is exactly 2 bytes", rec->len);
    }
    if (desc == PADLOCK_ALERT_CLOSE_NOTIFY) {
        if (!tls->connected) {
            return pl_tls_fail(tls, PADLOCK_E_CLOSED, "peer sent close_notify %s", where);
        }
        conn->peer_closed = 1;
        return PADLOCK_OK;
    }
    if (desc == PADLOCK_ALERT_USER_CANCELED) {
        if (!tls->connected) {
            return pl_tls_fail(tls, PADLOCK_E_PEER_ALERT,
                               "peer canceled the handshake (user_canceled) %s", where);
        }
        return PADLOCK_OK;
    }
    const char *name = padlock_alert_name(desc);
    if (strcmp(name, "unknown_alert") == 0) {
        return pl_tls_fail(tls, PADLOCK_E_PEER_ALERT, "peer sent fatal alert %u (unknown) %s", desc,
                           where);
    }
    return pl_tls_fail(tls, PADLOCK_E_PEER_ALERT, "peer sent fatal alert %s %s", name, where);
}

/* Handles one opened record. The record is released unless it holds application data to be
 * read. Application data the record layer decrypted straight into the caller's dst is the
 * caller's now: *out_direct is its length. */
static padlock_err pl_conn_on_record(padlock_conn *conn, const pl_record *rec, const uint8_t *dst,
                                     size_t *out_direct) {
    pl_tls *tls = &conn->tls;
    padlock_err rc = pl_hs_on_record(tls, rec);
    if (rc == PADLOCK_OK && rec->type == PL_CONTENT_ALERT) {
        rc = pl_conn_on_alert(conn, rec);
    } else if (rc == PADLOCK_OK && rec->type == PL_CONTENT_APPLICATION_DATA) {
        if (!tls->connected) {
            char where[96];
            pl_conn_where(conn, where, sizeof(where));
            rc = pl_tls_fail(tls, PADLOCK_E_UNEXPECTED_MESSAGE,
                             "application data before the handshake completed (%s)", where);
        } else if (rec->data == dst) {
            *out_direct = rec->len;
        } else if (rec->len > 0) {
            conn->app_off = 0;
            conn->app_len = rec->len;
            return PADLOCK_OK;
        }
    }
    if (rc != PADLOCK_OK && rec->data == dst) {
        /* Refused data never stays in the application's buffer. */
        pl_wipe(rec->data, rec->len);
    }
    pl_rio_release(&tls->rio);
    return rc;
}

/* A record the record layer refused: names its header in the detail, from the received bytes
 * (a refused header was never parsed), or says that the peer sent text instead of TLS. */
static padlock_err pl_conn_record_error(padlock_conn *conn, padlock_err rc) {
    const pl_rio *r = &conn->tls.rio;
    char where[96];
    pl_conn_where(conn, where, sizeof(where));
    if (r->hdr_len == PL_RECORD_HEADER_LEN || r->held) {
        size_t printable = 0;
        while (printable < PL_RECORD_HEADER_LEN && r->hdr[printable] >= 0x20 &&
               r->hdr[printable] < 0x7f) {
            printable++;
        }
        if (rc == PADLOCK_E_PROTOCOL_VERSION &&
            pl_record_is_sslv2_hello(r->hdr[0], (uint16_t)(r->hdr[1] << 8 | r->hdr[2]))) {
            return pl_tls_fail(&conn->tls, rc,
                               "an SSL 2.0 compatible ClientHello (client version %u.%u): SSL "
                               "2.0 and its hello format are never accepted (RFC 8446 Appendix "
                               "D.5), %s",
                               r->hdr[3], r->hdr[4], where);
        }
        if (printable == PL_RECORD_HEADER_LEN) {
            return pl_tls_fail(&conn->tls, rc,
                               "the peer does not speak TLS: it sent text (\"%.5s...\"), %s",
                               (const char *)r->hdr, where);
        }
        return pl_tls_fail(&conn->tls, rc, "record of type %u and %u bytes: %s, %s", r->hdr[0],
                           (unsigned)(r->hdr[3] << 8 | r->hdr[4]), padlock_strerror(rc), where);
    }
    return pl_tls_fail(&conn->tls, rc, "record: %s, %s", padlock_strerror(rc), where);
}

/* The transport ended. */
static padlock_err pl_conn_eof(padlock_conn *conn) {
    pl_tls *tls = &conn->tls;
    if (conn->peer_closed) {
        return PADLOCK_OK;
    }
    /* RFC 8446 §6.1: without close_notify the end of the data cannot be told from a truncation
     * by an attacker. */
    if (tls->connected) {
        (void)pl_tls_fail(tls, PADLOCK_E_TRUNCATED,
                          "the peer closed the connection without close_notify: the data may "
                          "have been truncated");
    } else {
        char where[96];
        pl_conn_where(conn, where, sizeof(where));
        (void)pl_tls_fail(tls, PADLOCK_E_TRUNCATED, "the peer closed the connection %s", where);
    }
    return pl_conn_fail(conn, PADLOCK_E_TRUNCATED);
}

/* padlock_conn_input, and with dst (dst_cap bytes, not NULL) the direct read of
 * padlock_conn_input_read: a record of application data that fits is decrypted into dst and
 * *out_direct is its length (0 otherwise). */
static padlock_err pl_conn_input(padlock_conn *conn, const uint8_t *data, size_t len,
                                 size_t *consumed, uint8_t *dst, size_t dst_cap,
                                 size_t *out_direct) {
    *consumed = 0;
    pl_tls *tls = &conn->tls;
    if (conn->failed) {
        return tls->err.code;
    }
    if (len == 0) {
        return pl_conn_eof(conn);
    }
    if (conn->peer_closed) {
        /* RFC 8446 §6.1: "Any data received after a closure alert has been received MUST be
         * ignored." */
        *consumed = len;
        return PADLOCK_OK;
    }
    if (conn->app_len > 0) {
        return PADLOCK_OK;
    }
    PL_TRY(pl_conn_start(conn));
    while (*consumed < len) {
        size_t n;
        pl_record *rec;
        /* Application data is for the application only once the handshake is done; before,
         * it fails the connection and is not decrypted into the application's buffer. */
        uint8_t *into = tls->connected ? dst : NULL;
        padlock_err rc =
            pl_rio_receive(&tls->rio, data + *consumed, len - *consumed, into, dst_cap, &n, &rec);
        *consumed += n;
        if (rc != PADLOCK_OK) {
            return pl_conn_fail(conn, pl_conn_record_error(conn, rc));
        }
        if (rec == NULL) {
            break;
        }
        rc = pl_conn_on_record(conn, rec, into, out_direct);
        if (rc != PADLOCK_OK) {
            return pl_conn_fail(conn, rc);
        }
        if (conn->peer_closed) {
            *consumed = len;
            break;
        }
        if (conn->app_len > 0 || *out_direct > 0) {
            break;
        }
    }
    return pl_conn_flush(conn);
}

padlock_err padlock_conn_input(padlock_conn *conn, const uint8_t *data, size_t len,
                               size_t *consumed) {
    PL_CHECK(conn != NULL && consumed != NULL && (data != NULL || len == 0),
             PADLOCK_E_INVALID_ARGUMENT);
    size_t direct = 0;
    return pl_conn_input(conn, data, len, consumed, NULL, 0, &direct);
}

padlock_err padlock_conn_input_read(padlock_conn *conn, const uint8_t *data, size_t len,
                                    size_t *consumed, uint8_t *buf, size_t cap, size_t *out_len) {
    PL_CHECK(conn != NULL && consumed != NULL && out_len != NULL && (data != NULL || len == 0) &&
                 (buf != NULL || cap == 0),
             PADLOCK_E_INVALID_ARGUMENT);
    *out_len = 0;
    padlock_err rc = pl_conn_input(conn, data, len, consumed, cap > 0 ? buf : NULL, cap, out_len);
    if (rc != PADLOCK_OK) {
        /* As padlock_conn_input drops unread data when the connection fails. */
        pl_wipe(buf, *out_len);
        *out_len = 0;
        return rc;
    }
    if (*out_len == 0 && conn->app_len > 0) {
        /* Held from before, or a record that did not fit: the copying read. */
        return padlock_conn_read(conn, buf, cap, out_len);
    }
    return PADLOCK_OK;
}

size_t padlock_conn_input_wanted(const padlock_conn *conn) {
    if (conn->failed || conn->peer_closed || conn->app_len > 0) {
        return 0;
    }
    return pl_rio_wanted(&conn->tls.rio);
}

padlock_status padlock_conn_status(const padlock_conn *conn) {
    const pl_tls *tls = &conn->tls;
    int active = !conn->failed && !conn->closed;
    /* A role that speaks first has its first flight to send before anything arrives. */
    int first_flight = !tls->started && pl_hs_speaks_first(tls->table);
    if (pl_rio_pending(&tls->rio) || (active && (first_flight || tls->ku_owed))) {
        return PADLOCK_STATUS_WANT_WRITE;
    }
    if (conn->failed) {
        return PADLOCK_STATUS_ERROR;
    }
    if (conn->app_len > 0) {
        return PADLOCK_STATUS_DATA;
    }
    if (conn->peer_closed) {
        return PADLOCK_STATUS_CLOSED;
    }
    return PADLOCK_STATUS_WANT_READ;
}

padlock_err padlock_conn_output(padlock_conn *conn, const uint8_t **out, size_t *out_len) {
    PL_CHECK(conn != NULL && out != NULL && out_len != NULL, PADLOCK_E_INVALID_ARGUMENT);
    /* Errors are recorded in the connection; a fatal alert may still be waiting below. */
    padlock_err rc = pl_conn_start(conn);
    if (rc == PADLOCK_OK) {
        rc = pl_conn_flush(conn);
    }
    pl_rio_output(&conn->tls.rio, out, out_len);
    return *out_len > 0 ? PADLOCK_OK : rc;
}

padlock_err padlock_conn_output_done(padlock_conn *conn, size_t sent) {
    PL_CHECK(conn != NULL, PADLOCK_E_INVALID_ARGUMENT);
    return pl_rio_output_done(&conn->tls.rio, sent);
}

padlock_err padlock_conn_read(padlock_conn *conn, uint8_t *buf, size_t cap, size_t *out_len) {
    PL_CHECK(conn != NULL && out_len != NULL && (buf != NULL || cap == 0),
             PADLOCK_E_INVALID_ARGUMENT);
    *out_len = 0;
    if (conn->app_len > 0) {
        size_t n = cap < conn->app_len ? cap : conn->app_len;
        memcpy(buf, conn->tls.rio.rec.data + conn->app_off, n);
        conn->app_off += n;
        conn->app_len -= n;
        if (conn->app_len == 0) {
            pl_rio_release(&conn->tls.rio);
        }
        *out_len = n;
        return PADLOCK_OK;
    }
    if (conn->failed) {
        return conn->tls.err.code;
    }
    return conn->peer_closed ? PADLOCK_E_CLOSED : PADLOCK_E_STATE;
}

/* The common gate of write, close and key_update. */
static padlock_err pl_conn_writable(const padlock_conn *conn) {
    if (conn->failed) {
        return conn->tls.err.code;
    }
    PL_CHECK(!conn->closed, PADLOCK_E_CLOSED);
    PL_CHECK(conn->tls.connected, PADLOCK_E_STATE);
    return PADLOCK_OK;
}

/* The gate of both application writes: pl_conn_writable, then a KeyUpdate owed to the peer
 * (RFC 8446 §4.6.3: it goes before the next application data); failing to send it fails the
 * connection. */
static padlock_err pl_conn_before_app_data(padlock_conn *conn) {
    PL_TRY(pl_conn_writable(conn));
    padlock_err rc = pl_tls_pay_key_update(&conn->tls);
    return rc == PADLOCK_OK ? PADLOCK_OK : pl_conn_fail(conn, rc);
}

padlock_err padlock_conn_write(padlock_conn *conn, const uint8_t *data, size_t len,
                               size_t *written) {
    PL_CHECK(conn != NULL && written != NULL && (data != NULL || len == 0),
             PADLOCK_E_INVALID_ARGUMENT);
    *written = 0;
    PL_TRY(pl_conn_before_app_data(conn));
    padlock_err rc = pl_rio_send_app(&conn->tls.rio, data, len, written);
    return rc == PADLOCK_OK ? PADLOCK_OK : pl_conn_fail(conn, rc);
}

/* PADLOCK_WRITE_BUFFER_SIZE holds the largest record we seal: TLS 1.2 AES-GCM (explicit nonce
 * and tag around 2^14 bytes) is one byte over TLS 1.3 (content type and tag). */
_Static_assert(PL_RECORD_HEADER_LEN + PL_RECORD_EXPLICIT_NONCE_LEN + PL_RECORD_MAX_PLAINTEXT +
                       PL_AEAD_TAG_LEN ==
                   PADLOCK_WRITE_BUFFER_SIZE,
               "PADLOCK_WRITE_BUFFER_SIZE is one full TLS 1.2 AES-GCM record");

padlock_err padlock_conn_write_into(padlock_conn *conn, const uint8_t *data, size_t len,
                                    size_t *written, uint8_t *buf, size_t cap, size_t *out_len) {
    PL_CHECK(conn != NULL && written != NULL && out_len != NULL && (data != NULL || len == 0) &&
                 (buf != NULL || cap == 0),
             PADLOCK_E_INVALID_ARGUMENT);
    *written = 0;
    *out_len = 0;
    PL_TRY(pl_conn_before_app_data(conn));
    padlock_err rc = pl_rio_send_app_into(&conn->tls.rio, data, len, buf, cap, written, out_len);
    if (rc != PADLOCK_OK) {
        return pl_conn_fail(conn, rc);
    }
    /* Neither waiting bytes nor a record with one byte of data fit: calling again with the same
     * cap could never make progress. */
    PL_CHECK(len == 0 || *out_len > 0, PADLOCK_E_BUFFER_TOO_SMALL);
    return PADLOCK_OK;
}

padlock_err padlock_conn_close(padlock_conn *conn) {
    PL_CHECK(conn != NULL, PADLOCK_E_INVALID_ARGUMENT);
    if (conn->failed) {
        return conn->tls.err.code;
    }
    if (conn->closed) {
        return PADLOCK_OK;
    }
    conn->closed = 1;
    if (!conn->tls.started) {
        return PADLOCK_OK; /* nothing was sent, so there is nothing to close */
    }
    /* RFC 8446 §6.1: "Each party MUST send a "close_notify" alert before closing its write
     * side of the connection". */
    padlock_err rc =
        pl_rio_send_alert(&conn->tls.rio, PL_ALERT_WARNING, PADLOCK_ALERT_CLOSE_NOTIFY);
    return rc == PADLOCK_OK ? PADLOCK_OK : pl_conn_fail(conn, rc);
}

padlock_err padlock_conn_key_update(padlock_conn *conn, int request_peer_update) {
    PL_CHECK(conn != NULL, PADLOCK_E_INVALID_ARGUMENT);
    PL_TRY(pl_conn_writable(conn));
    /* KeyUpdate is TLS 1.3's (RFC 8446 §4.6.3); a TLS 1.2 connection keeps its keys. */
    PL_CHECK(conn->tls.version != PADLOCK_TLS12, PADLOCK_E_UNSUPPORTED);
    padlock_err rc = pl_tls_send_key_update(
        &conn->tls, request_peer_update ? PL_KEY_UPDATE_REQUESTED : PL_KEY_UPDATE_NOT_REQUESTED);
    if (rc == PADLOCK_OK) {
        rc = pl_rio_flush(&conn->tls.rio);
    }
    return rc == PADLOCK_OK ? PADLOCK_OK : pl_conn_fail(conn, rc);
}

padlock_err padlock_conn_export_keying_material(padlock_conn *conn, uint8_t *out, size_t out_len,
                                                const char *label, const uint8_t *context,
                                                size_t context_len) {
    PL_CHECK(conn != NULL && out != NULL && label != NULL, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(context != NULL || context_len == 0, PADLOCK_E_INVALID_ARGUMENT);
    if (conn->failed) {
        return conn->tls.err.code;
    }
    return pl_tls_export(&conn->tls, out, out_len, label, context, context_len);
}

int padlock_conn_handshake_done(const padlock_conn *conn) {
    return conn->tls.connected;
}

uint16_t padlock_conn_version(const padlock_conn *conn) {
    return conn->tls.version;
}

uint16_t padlock_conn_cipher_suite(const padlock_conn *conn) {
    return conn->tls.suite != NULL ? conn->tls.suite->code : 0;
}

uint16_t padlock_conn_group(const padlock_conn *conn) {
    return conn->tls.group;
}

uint16_t padlock_conn_signature_scheme(const padlock_conn *conn) {
    return conn->tls.peer_sig_scheme;
}

const char *padlock_conn_alpn(const padlock_conn *conn) {
    return conn->tls.alpn;
}

int padlock_conn_resumed(const padlock_conn *conn) {
    return conn->tls.resumed;
}

const char *padlock_conn_server_name(const padlock_conn *conn) {
    return conn->tls.server_name;
}

size_t padlock_conn_peer_cert_count(const padlock_conn *conn) {
    return conn->tls.peer_certs != NULL ? conn->tls.peer_certs->num : 0;
}

const uint8_t *padlock_conn_peer_cert(const padlock_conn *conn, size_t i, size_t *der_len) {
    const pl_peer_chain *chain = conn->tls.peer_certs;
    if (chain == NULL || i >= chain->num) {
        if (der_len != NULL) {
            *der_len = 0;
        }
        return NULL;
    }
    if (der_len != NULL) {
        *der_len = chain->certs[i].len;
    }
    return chain->certs[i].der;
}

padlock_err padlock_conn_error(const padlock_conn *conn) {
    return conn->tls.err.code;
}

const char *padlock_conn_error_message(const padlock_conn *conn) {
    return pl_errinfo_message(&conn->tls.err);
}
