/* The role-neutral protocol state: lifetime, first error, installing traffic secrets as record
 * keys (RFC 8446 §7.3), the key log, and sending handshake messages through the transcript. */
#include "hs/tls.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hs/driver.h"
#include "hs/proof.h"
#include "hs/session12.h"
#include "msg/msg.h"
#include "util/mem.h"

int pl_hs_version_enabled(const pl_hs_config *cfg, uint16_t v) {
    return v >= cfg->min_version && v <= cfg->max_version;
}

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
    pl_free(tls->server_name);
    pl_free(tls->alpn);
    pl_peer_chain_release(tls->peer_certs);
    pl_ticket13_list_cleanup(&tls->tickets);
    pl_session12_free(tls->session12);
    if (tls->export12 != NULL) {
        pl_ks12_master_cleanup(&tls->export12->master);
        pl_free_secret(tls->export12);
    }
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

padlock_err pl_tls_check_peer_signature(pl_tls *tls, padlock_err rc, const char *where,
                                        const char *scheme) {
    rc = pl_hs_peer_proof(rc);
    if (rc == PADLOCK_E_BAD_SIGNATURE) {
        /* RFC 8446 §4.4.3: "If the verification fails, the receiver MUST terminate the handshake
         * with a "decrypt_error" alert"; RFC 5246 §7.2.2 likewise ("unable to correctly verify a
         * signature"). */
        return pl_tls_fail(tls, rc,
                           "%s: the %s signature does not verify with the certificate's key",
                           where, scheme);
    }
    if (rc == PADLOCK_E_BAD_KEY) {
        /* RFC 8446 §6.2, RFC 5246 §7.2.2: bad_certificate, "a certificate was corrupt": its key
         * is malformed (an EC point off the curve, say), or its parameters exclude the scheme. */
        return pl_tls_fail(tls, PADLOCK_E_BAD_CERTIFICATE,
                           "%s: the certificate's key cannot verify a %s signature (malformed, or "
                           "its parameters exclude it)",
                           where, scheme);
    }
    if (rc != PADLOCK_OK) {
        return pl_tls_fail(tls, rc, "%s: %s", where, padlock_strerror(rc));
    }
    return PADLOCK_OK;
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

/* Installs record keys for reading (pl_rio_set_read_keys wipes them). */
static padlock_err pl_tls_install_read_keys(pl_tls *tls, pl_record_keys *keys) {
    padlock_err err = pl_rio_set_read_keys(&tls->rio, keys);
    if (err == PADLOCK_E_UNEXPECTED_MESSAGE) {
        /* RFC 8446 §5.1: the message before a key change must end its record. */
        return pl_tls_fail(tls, err,
                           "%s handshake: handshake data follows the last message before a key "
                           "change in the same record",
                           tls->table->role);
    }
    return err;
}

padlock_err pl_tls_set_read_secret(pl_tls *tls, const pl_ks13_secret *secret) {
    pl_record_keys keys;
    PL_TRY(pl_tls_keys(tls, secret, &keys));
    return pl_tls_install_read_keys(tls, &keys);
}

padlock_err pl_tls_set_write_secret(pl_tls *tls, const pl_ks13_secret *secret) {
    pl_record_keys keys;
    PL_TRY(pl_tls_keys(tls, secret, &keys));
    return pl_rio_set_write_keys(&tls->rio, &keys);
}

void pl_tls_keylog(pl_tls *tls, const uint8_t client_random[PL_RANDOM_LEN], pl_keylog_label label,
                   const pl_ks13_secret *secret) {
    pl_tls_keylog_bytes(tls, client_random, label, secret->b, secret->len);
}

void pl_tls_keylog_bytes(pl_tls *tls, const uint8_t client_random[PL_RANDOM_LEN],
                         pl_keylog_label label, const uint8_t *secret, size_t secret_len) {
    if (tls->cfg->keylog == NULL) {
        return;
    }
    char line[PL_KEYLOG_LINE_MAX];
    size_t len;
    if (pl_keylog_format(line, sizeof(line), &len, label, client_random, secret, secret_len) ==
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

padlock_err pl_tls_handshake_secrets(pl_tls *tls, pl_ks13_early *early, const uint8_t *shared,
                                     size_t shared_len, const pl_digest *th,
                                     const uint8_t client_random[PL_RANDOM_LEN],
                                     pl_ks13_master *out_master, pl_ks13_secret *out_c_finished,
                                     pl_ks13_secret *out_s_finished) {
    PL_CHECK(tls->suite != NULL, PADLOCK_E_STATE);
    pl_ks13_handshake hs;
    PL_TRY(pl_ks13_early_to_handshake(early, &hs, shared, shared_len));
    pl_ks13_secret c_hs, s_hs;
    padlock_err rc = pl_ks13_handshake_stage(&hs, th, &c_hs, &s_hs, out_master);
    if (rc == PADLOCK_OK) {
        pl_tls_keylog(tls, client_random, PL_KEYLOG_CLIENT_HANDSHAKE_TRAFFIC_SECRET, &c_hs);
        pl_tls_keylog(tls, client_random, PL_KEYLOG_SERVER_HANDSHAKE_TRAFFIC_SECRET, &s_hs);
    }
    /* Each secret gives its record keys and its finished_key from one keying (§7.3, §4.4.4). */
    pl_record_keys c_keys, s_keys;
    memset(&c_keys, 0, sizeof(c_keys));
    memset(&s_keys, 0, sizeof(s_keys));
    if (rc == PADLOCK_OK) {
        rc = pl_ks13_handshake_keys(&c_hs, &c_keys, tls->suite->aead, out_c_finished);
    }
    if (rc == PADLOCK_OK) {
        rc = pl_ks13_handshake_keys(&s_hs, &s_keys, tls->suite->aead, out_s_finished);
    }
    pl_ks13_secret_cleanup(&c_hs);
    pl_ks13_secret_cleanup(&s_hs);
    int server = tls->cfg->role == PL_ROLE_SERVER;
    if (rc == PADLOCK_OK) {
        rc = pl_rio_set_write_keys(&tls->rio, server ? &s_keys : &c_keys);
    }
    if (rc == PADLOCK_OK) {
        rc = pl_tls_install_read_keys(tls, server ? &c_keys : &s_keys);
    }
    pl_wipe(&c_keys, sizeof(c_keys));
    pl_wipe(&s_keys, sizeof(s_keys));
    return rc;
}

padlock_err pl_tls_application_secrets(pl_tls *tls, const pl_ks13_master *master,
                                       const pl_digest *th,
                                       const uint8_t client_random[PL_RANDOM_LEN]) {
    int server = tls->cfg->role == PL_ROLE_SERVER;
    pl_ks13_secret *c_ap = server ? &tls->read_secret : &tls->write_secret;
    pl_ks13_secret *s_ap = server ? &tls->write_secret : &tls->read_secret;
    PL_TRY(pl_ks13_application_secrets(master, th, c_ap, s_ap, &tls->exporter));
    pl_tls_keylog(tls, client_random, PL_KEYLOG_CLIENT_TRAFFIC_SECRET_0, c_ap);
    pl_tls_keylog(tls, client_random, PL_KEYLOG_SERVER_TRAFFIC_SECRET_0, s_ap);
    pl_tls_keylog(tls, client_random, PL_KEYLOG_EXPORTER_SECRET, &tls->exporter);
    return PADLOCK_OK;
}

padlock_err pl_tls_send_finished(pl_tls *tls, pl_transcript *t,
                                 const pl_ks13_secret *finished_key) {
    pl_digest th, verify_data;
    PL_TRY(pl_transcript_hash(t, &th));
    PL_TRY(pl_ks13_verify_data(finished_key, &verify_data, &th));
    uint8_t fin[PL_HS_HEADER_LEN + PL_TRANSCRIPT_MAX_HASH_LEN];
    pl_buf b;
    pl_buf_init(&b, fin, sizeof(fin));
    PL_TRY(pl_finished_build(&b, verify_data.b, verify_data.len));
    return pl_tls_send_message(tls, t, fin, b.len);
}

padlock_err pl_tls_check_finished(pl_tls *tls, pl_transcript *t, const pl_ks13_secret *finished_key,
                                  const pl_hs_msg *msg) {
    const char *who = pl_tls_peer_role(tls) == PL_ROLE_SERVER ? "server" : "client";
    pl_digest th;
    PL_TRY(pl_transcript_hash(t, &th));
    /* RFC 8446 §4.4.4: "Recipients of Finished messages MUST verify that the contents are
     * correct and if incorrect MUST terminate the connection with a "decrypt_error" alert."
     * (constant time) */
    padlock_err rc =
        pl_hs_peer_proof(pl_ks13_verify_data_check(finished_key, &th, msg->body, msg->body_len));
    if (rc == PADLOCK_E_DECRYPT_ERROR) {
        return pl_tls_fail(tls, rc, "%s Finished: verify_data does not match the handshake", who);
    }
    if (rc != PADLOCK_OK) {
        return pl_tls_fail(tls, rc, "%s Finished: %zu bytes, expected %u", who, msg->body_len,
                           th.len);
    }
    pl_transcript_update(t, msg->raw, msg->raw_len);
    return PADLOCK_OK;
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
