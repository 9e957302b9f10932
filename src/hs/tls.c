/* The role-neutral protocol state: lifetime, first error, installing traffic secrets as record
 * keys (RFC 8446 §7.3), the key log, and sending handshake messages through the transcript. */
#include "hs/tls.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hs/driver.h"
#include "util/mem.h"

const pl_rng *pl_hs_config_rng(const pl_hs_config *cfg) {
    return cfg->rng.fn != NULL ? &cfg->rng : NULL;
}

int pl_hs_list_has(const uint16_t *list, size_t num, uint16_t v) {
    for (size_t i = 0; i < num; i++) {
        if (list[i] == v) {
            return 1;
        }
    }
    return 0;
}

void pl_tls_init(pl_tls *tls, const pl_hs_config *cfg, const pl_hs_table *table, pl_pool *pool) {
    memset(tls, 0, sizeof(*tls));
    tls->cfg = cfg;
    tls->table = table;
    tls->state = table->start;
    pl_rio_init(&tls->rio, pool, PL_HS_MAX_MESSAGE);
    pl_errinfo_init(&tls->err);
}

void pl_tls_free_hs(pl_tls *tls) {
    if (tls->hs != NULL) {
        tls->table->free_hs(tls->hs);
        tls->hs = NULL;
    }
}

void pl_tls_cleanup(pl_tls *tls) {
    pl_tls_free_hs(tls);
    pl_rio_cleanup(&tls->rio);
    pl_errinfo_cleanup(&tls->err);
    pl_free(tls->peer_name);
    pl_free(tls->alpn);
    pl_free(tls->peer_certs);
    pl_ticket13_list_cleanup(&tls->tickets);
    pl_wipe(tls, sizeof(*tls));
}

padlock_err pl_tls_fail(pl_tls *tls, padlock_err code, const char *fmt, ...) {
    if (tls->err.code != PADLOCK_OK) {
        return tls->err.code;
    }
    char detail[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    return pl_errinfo_set(&tls->err, code, "%s", detail);
}

pl_role pl_tls_peer_role(const pl_tls *tls) {
    return tls->cfg->role == PL_ROLE_CLIENT ? PL_ROLE_SERVER : PL_ROLE_CLIENT;
}

/* Derives record keys from a traffic secret of the negotiated suite. */
static padlock_err pl_tls_keys(const pl_tls *tls, const pl_ks13_secret *secret,
                               pl_record_keys *out) {
    PL_CHECK(tls->suite != NULL, PADLOCK_E_STATE);
    return pl_ks13_traffic_keys(secret, out, tls->suite->aead);
}

padlock_err pl_tls_set_read_secret(pl_tls *tls, const pl_ks13_secret *secret) {
    pl_record_keys keys;
    PL_TRY(pl_tls_keys(tls, secret, &keys));
    padlock_err err = pl_rio_set_read_keys(&tls->rio, &keys);
    if (err == PADLOCK_E_UNEXPECTED_MESSAGE) {
        /* RFC 8446 §5.1: the message before a key change must end its record. */
        return pl_tls_fail(tls, err,
                           "%s handshake: handshake data follows the last message before a key "
                           "change in the same record",
                           tls->table->role);
    }
    return err;
}

padlock_err pl_tls_set_write_secret(pl_tls *tls, const pl_ks13_secret *secret) {
    pl_record_keys keys;
    PL_TRY(pl_tls_keys(tls, secret, &keys));
    return pl_rio_set_write_keys(&tls->rio, &keys);
}

void pl_tls_keylog(pl_tls *tls, const uint8_t client_random[PL_RANDOM_LEN], pl_keylog_label label,
                   const pl_ks13_secret *secret) {
    if (tls->cfg->keylog == NULL) {
        return;
    }
    char line[PL_KEYLOG_LINE_MAX];
    size_t len;
    if (pl_keylog_format(line, sizeof(line), &len, label, client_random, secret->b, secret->len) ==
        PADLOCK_OK) {
        tls->cfg->keylog(tls->cfg->keylog_ctx, line);
    }
    pl_wipe(line, sizeof(line));
}

padlock_err pl_tls_send_message(pl_tls *tls, pl_transcript *t, const uint8_t *msg, size_t len) {
    if (t != NULL) {
        pl_transcript_update(t, msg, len);
    }
    return pl_rio_send_handshake(&tls->rio, msg, len);
}

padlock_err pl_scratch_buf(pl_scratch *s, size_t need, pl_buf *out) {
    if (s->cap < need) {
        uint8_t *p = pl_malloc(need);
        PL_CHECK(p != NULL, PADLOCK_E_NO_MEMORY);
        pl_free_secret(s->p);
        s->p = p;
        s->cap = need;
    }
    pl_buf_init(out, s->p, s->cap);
    return PADLOCK_OK;
}

void pl_scratch_cleanup(pl_scratch *s) {
    pl_free_secret(s->p);
    s->p = NULL;
    s->cap = 0;
}
