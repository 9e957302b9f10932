/* Fuzz target: the exported session bytes an application hands to padlock_conn_set_session
 * (TLS 1.3 sessions of ticket13.c; TLS 1.2 ones of session12.c, around ticket_seal.c's
 * SessionState), then the ClientHello that offers what was accepted (RFC 8446 §4.2.11,
 * RFC 5246 §7.4.1.2, RFC 5077 §3.4). Input: byte 0 chooses the client (bit 0: TLS 1.3 only;
 * bit 1: no server name; bit 2: TLS_AES_256_GCM_SHA384 only), the rest is the session. Seeds:
 * sessions padlock's client exported (tests/unit/test_fuzz_state_seeds.c, PL_UPDATE_SEEDS=1). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "conn_driver.h"
#include "hs/session12.h"
#include "hs/ticket13.h"
#include "padlock/padlock.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The seeds' clock (tests/unit/test_fuzz_state_seeds.c): their sessions are live at it. */
#define PL_FUZZ_SESSION_TIME 1767225600

static int64_t pl_fuzz_time(void *ctx) {
    (void)ctx;
    return PL_FUZZ_SESSION_TIME;
}

/* A fixed stream, so that a crash replays. */
static padlock_err pl_fuzz_random(void *ctx, uint8_t *out, size_t len) {
    uint64_t *counter = ctx;
    for (size_t i = 0; i < len; i++) {
        uint64_t x = ++*counter * 0x9e3779b97f4a7c15ULL;
        out[i] = (uint8_t)(x >> 56);
    }
    return PADLOCK_OK;
}

/* Imports the session as padlock_conn_set_session does and checks that what was accepted
 * exports to what was read. Returns whether it was accepted. */
static int pl_fuzz_import(const uint8_t *data, size_t size) {
    static uint8_t out[PADLOCK_SESSION_MAX], again[PADLOCK_SESSION_MAX];
    size_t out_len, again_len;
    if (pl_session12_is_exported(data, size)) {
        pl_session12 *s, *s2;
        if (pl_session12_import(data, size, &s) != PADLOCK_OK) {
            return 0;
        }
        /* The export is canonical (no client chain, only the known flag): exported again after
         * import, it is unchanged. */
        PL_FUZZ_CHECK(pl_session12_export_len(s) <= sizeof(out) &&
                      pl_session12_export(s, out, sizeof(out), &out_len) == PADLOCK_OK &&
                      out_len == pl_session12_export_len(s) &&
                      pl_session12_import(out, out_len, &s2) == PADLOCK_OK);
        PL_FUZZ_CHECK(pl_session12_export(s2, again, sizeof(again), &again_len) == PADLOCK_OK &&
                      again_len == out_len && memcmp(out, again, out_len) == 0);
        pl_session12_free(s2);
        pl_session12_free(s);
        return 1;
    }
    pl_ticket13 *t;
    if (pl_ticket13_import(data, size, &t) != PADLOCK_OK) {
        return 0;
    }
    /* Every field of a TLS 1.3 session is kept: it exports to the very bytes imported. */
    PL_FUZZ_CHECK(pl_ticket13_export(t, NULL, out, sizeof(out), &out_len) == PADLOCK_OK &&
                  out_len == pl_ticket13_export_len(t, NULL) && out_len == size &&
                  memcmp(out, data, size) == 0);
    pl_ticket13_free(t);
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) {
        return 0;
    }
    uint8_t mode = data[0];
    data++;
    size--;
    int accepted = pl_fuzz_import(data, size);

    uint64_t counter = 0;
    padlock_config *cfg;
    padlock_conn *conn = NULL;
    static const uint16_t sha384[1] = {PADLOCK_TLS_AES_256_GCM_SHA384};
    PL_FUZZ_CHECK(padlock_config_new(PADLOCK_CLIENT, &cfg) == PADLOCK_OK);
    PL_FUZZ_CHECK(padlock_config_insecure_disable_verification(cfg) == PADLOCK_OK &&
                  padlock_config_set_time_fn(cfg, pl_fuzz_time, NULL) == PADLOCK_OK &&
                  padlock_config_set_random_fn(cfg, pl_fuzz_random, &counter) == PADLOCK_OK);
    if ((mode & 1) != 0) {
        PL_FUZZ_CHECK(padlock_config_set_versions(cfg, PADLOCK_TLS13, PADLOCK_TLS13) == PADLOCK_OK);
    }
    if ((mode & 4) != 0) {
        PL_FUZZ_CHECK(padlock_config_set_cipher_suites(cfg, sha384, 1) == PADLOCK_OK);
    }
    PL_FUZZ_CHECK(padlock_conn_new(cfg, &conn) == PADLOCK_OK);
    if ((mode & 2) == 0) {
        PL_FUZZ_CHECK(padlock_conn_set_server_name(conn, "localhost") == PADLOCK_OK);
    }
    /* The connection accepts exactly what the import accepts; a refusal leaves it usable. */
    padlock_err rc = padlock_conn_set_session(conn, data, size);
    PL_FUZZ_CHECK((rc == PADLOCK_OK) == accepted);
    PL_FUZZ_CHECK(rc == PADLOCK_OK || rc == PADLOCK_E_DECODE);
    /* Whatever session was accepted, offered or not, the ClientHello is built without error. */
    pl_fuzz_conn_drain(conn);
    PL_FUZZ_CHECK(padlock_conn_error(conn) == PADLOCK_OK &&
                  padlock_conn_status(conn) == PADLOCK_STATUS_WANT_READ);
    padlock_conn_free(conn);
    padlock_config_free(cfg);
    return 0;
}
