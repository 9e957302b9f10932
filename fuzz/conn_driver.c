/* The fuzz drivers' shared part: a connection fed its peer's bytes in pieces, its output
 * drained after every call, the API exercised once connected, invariants checked. */
#include "conn_driver.h"

#include <string.h>

void pl_fuzz_conn_drain(padlock_conn *conn) {
    const uint8_t *p;
    size_t n;
    padlock_err rc = padlock_conn_output(conn, &p, &n);
    PL_FUZZ_CHECK(rc == PADLOCK_OK || rc == padlock_conn_error(conn));
    if (n > 0) {
        PL_FUZZ_CHECK(padlock_conn_output_done(conn, n) == PADLOCK_OK);
    }
    PL_FUZZ_CHECK(padlock_conn_status(conn) != PADLOCK_STATUS_WANT_WRITE);
}

void pl_fuzz_conn_ok_or_failed(padlock_conn *conn, padlock_err rc) {
    PL_FUZZ_CHECK(rc == PADLOCK_OK || rc == padlock_conn_error(conn));
}

void pl_fuzz_conn_use(padlock_conn *conn, const char *message) {
    size_t written;
    uint8_t key[32];
    pl_fuzz_conn_ok_or_failed(
        conn, padlock_conn_write(conn, (const uint8_t *)message, strlen(message), &written));
    uint16_t version = padlock_conn_version(conn);
    PL_FUZZ_CHECK(version == PADLOCK_TLS13 || version == PADLOCK_TLS12);
    padlock_err rc = padlock_conn_key_update(conn, 1);
    if (version == PADLOCK_TLS12) {
        /* TLS 1.2 has no KeyUpdate: refused, the connection unharmed. */
        PL_FUZZ_CHECK(rc == PADLOCK_E_UNSUPPORTED || rc == padlock_conn_error(conn));
    } else {
        pl_fuzz_conn_ok_or_failed(conn, rc);
    }
    pl_fuzz_conn_ok_or_failed(
        conn, padlock_conn_export_keying_material(conn, key, sizeof(key), "fuzz", NULL, 0));
    PL_FUZZ_CHECK(padlock_cipher_suite_name(padlock_conn_cipher_suite(conn)) != NULL);
}

/* Reads the application data conn holds. */
static void pl_fuzz_conn_read(padlock_conn *conn, pl_fuzz_conn_result *out) {
    while (padlock_conn_status(conn) == PADLOCK_STATUS_DATA) {
        uint8_t buf[4096];
        size_t n;
        PL_FUZZ_CHECK(padlock_conn_read(conn, buf, sizeof(buf), &n) == PADLOCK_OK && n > 0);
        out->app_bytes += n;
    }
}

void pl_fuzz_conn_feed(padlock_conn *conn, const uint8_t *data, size_t size, size_t piece,
                       void (*use)(padlock_conn *conn), pl_fuzz_conn_result *out) {
    size_t off = 0;
    int used_api = 0;
    while (off < size && padlock_conn_error(conn) == PADLOCK_OK && !out->closed) {
        size_t take = size - off < piece ? size - off : piece, used;
        padlock_err rc = padlock_conn_input(conn, data + off, take, &used);
        PL_FUZZ_CHECK(used <= take);
        PL_FUZZ_CHECK(rc == padlock_conn_error(conn));
        off += used;
        /* Input stops early only at application data, at the close, or on an error (what it
         * produced meanwhile, a ticket or an owed KeyUpdate, is sent first: the status says
         * WANT_WRITE until then). */
        pl_fuzz_conn_drain(conn);
        PL_FUZZ_CHECK(used == take || rc != PADLOCK_OK ||
                      padlock_conn_status(conn) == PADLOCK_STATUS_DATA ||
                      padlock_conn_status(conn) == PADLOCK_STATUS_CLOSED);
        pl_fuzz_conn_read(conn, out);
        pl_fuzz_conn_drain(conn);
        out->closed = padlock_conn_status(conn) == PADLOCK_STATUS_CLOSED;
        if (padlock_conn_handshake_done(conn) && !used_api) {
            used_api = 1;
            use(conn);
            pl_fuzz_conn_drain(conn);
        }
    }
    if (padlock_conn_error(conn) == PADLOCK_OK) {
        size_t used;
        pl_fuzz_conn_ok_or_failed(conn, padlock_conn_input(conn, NULL, 0, &used)); /* stream end */
        pl_fuzz_conn_drain(conn);
    }
    out->handshake_done = padlock_conn_handshake_done(conn);
    out->resumed = padlock_conn_resumed(conn);
    out->error = padlock_conn_error(conn);
    PL_FUZZ_CHECK(out->error == PADLOCK_OK || padlock_conn_error_message(conn)[0] != '\0');
    /* Whatever the peer sends, the alert blames the peer: internal_error would mean padlock
     * failed itself (or mapped a peer's fault to the wrong error). */
    PL_FUZZ_CHECK(out->error == PADLOCK_OK ||
                  padlock_err_alert(out->error) != PADLOCK_ALERT_INTERNAL_ERROR);
    PL_FUZZ_CHECK((out->error != PADLOCK_OK) ==
                  (padlock_conn_status(conn) == PADLOCK_STATUS_ERROR));
}
