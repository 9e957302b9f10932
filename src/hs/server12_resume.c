/* TLS 1.2 resumption on the server: sessions kept by ID in the configuration's session cache
 * (RFC 5246 §7.4.1.2, §F.1.4) or carried by the client in a ticket sealed with the same rotating
 * ticket keys as TLS 1.3 (RFC 5077 §3, §4), both in the session state format of ticket_seal.c;
 * the checks a session must pass to resume, and the abbreviated handshake's server side
 * (RFC 5246 §7.3: ServerHello, change_cipher_spec, Finished). */
#include <string.h>

#include "hs/server12.h"
#include "hs/server13.h"
#include "hs/session_cache.h"
#include "hs/ticket_seal.h"
#include "util/mem.h"

/* The session state of this connection, for a ticket or the cache (st's byte fields point
 * into h and tls). */
static void pl_server12_session_state(const pl_tls *tls, const pl_server12_hs *h, int64_t now,
                                      pl_ticket_state *st) {
    memset(st, 0, sizeof(*st));
    st->version = PL_TLS12_VERSION;
    st->suite = tls->suite->code;
    st->issued_at = now;
    st->lifetime = tls->cfg->ticket_lifetime;
    st->ems = 1; /* sessions without it are not kept (RFC 7627 §5.3) */
    pl_cur_init(&st->psk, h->master.b, sizeof(h->master.b));
    size_t name_len = tls->server_name != NULL ? strlen(tls->server_name) : 0;
    pl_cur_init(&st->server_name, (const uint8_t *)tls->server_name, name_len);
}

/* Whether a stored session may resume this handshake. */
static int pl_server12_session_fits(const pl_tls *tls, const pl_client_hello *ch,
                                    const pl_ticket_state *st) {
    const pl_hs_config *cfg = tls->cfg;
    int64_t now = cfg->now(cfg->now_ctx);
    /* A TLS 1.3 session never resumes TLS 1.2 (ticket_seal.c's format byte). */
    if (st->version != PL_TLS12_VERSION || !st->ems ||
        pl_cur_left(&st->psk) != PL_KS12_MASTER_LEN) {
        return 0;
    }
    /* RFC 5077 §5.6 and §4: no use past the lifetime the server gave it. */
    if (st->issued_at > now || now - st->issued_at >= (int64_t)st->lifetime) {
        return 0;
    }
    /* RFC 5246 §7.4.1.2: the session's cipher suite must be in the ClientHello (and still one
     * this server accepts). */
    if (!pl_ext_u16_contains(ch->cipher_suites, st->suite) ||
        !pl_hs_list_has(cfg->suites12, cfg->num_suites12, st->suite)) {
        return 0;
    }
    /* As in TLS 1.3: a session without a client certificate does not get past a server that
     * now requires one (the client's identity is kept with the session otherwise). */
    if (cfg->client_auth == PL_CLIENT_AUTH_REQUIRED && pl_cur_left(&st->client_chain) <= 3) {
        return 0;
    }
    /* RFC 6066 §3: a session is resumed only under the name it was established for. */
    size_t name_len = tls->server_name != NULL ? strlen(tls->server_name) : 0;
    return pl_cur_left(&st->server_name) == name_len &&
           (name_len == 0 || memcmp(st->server_name.p, tls->server_name, name_len) == 0);
}

padlock_err pl_server12_find_session(pl_tls *tls, const pl_client_hello *ch, pl_server12_hs *h,
                                     int *out_found) {
    const pl_hs_config *cfg = tls->cfg;
    *out_found = 0;
    size_t id_len = pl_cur_left(&ch->session_id);
    uint8_t *buf = NULL;
    pl_ticket_state st;
    int found = 0;
    /* RFC 5077 §3.4: a client resuming with a ticket sends a session ID for the server to
     * echo; without one the acceptance could not be told, so the ticket is not used. */
    if (pl_exts_has(&ch->exts, PL_EXT_SESSION_TICKET) && cfg->ticket_keys != NULL &&
        pl_cur_left(&ch->exts.session_ticket) != 0 && id_len != 0) {
        size_t cap = pl_cur_left(&ch->exts.session_ticket);
        buf = pl_malloc(cap);
        PL_CHECK(buf != NULL, PADLOCK_E_NO_MEMORY);
        /* Any failure means "not one of ours, or no longer": a full handshake. */
        found = pl_ticket_open(cfg->ticket_keys, ch->exts.session_ticket.p, cap, buf, cap, &st) ==
                    PADLOCK_OK &&
                pl_server12_session_fits(tls, ch, &st);
    } else if (cfg->session_cache != NULL && id_len == PL_SESSION_ID_LEN) {
        buf = pl_malloc(PL_SESSION_CACHE_MAX_STATE);
        PL_CHECK(buf != NULL, PADLOCK_E_NO_MEMORY);
        size_t len = 0;
        int in_cache = 0;
        if (pl_session_cache_get(cfg->session_cache, ch->session_id.p, id_len,
                                 cfg->now(cfg->now_ctx), buf, PL_SESSION_CACHE_MAX_STATE, &len,
                                 &in_cache) == PADLOCK_OK &&
            in_cache) {
            pl_cur c;
            pl_cur_init(&c, buf, len);
            found = pl_ticket_state_read(&c, &st) == PADLOCK_OK &&
                    pl_server12_session_fits(tls, ch, &st);
        }
    }
    padlock_err rc = PADLOCK_OK;
    if (found && !pl_exts_has(&ch->exts, PL_EXT_EXTENDED_MASTER_SECRET)) {
        /* RFC 7627 §5.3: "If the original session used the "extended_master_secret" extension
         * but the new ClientHello does not contain it, the server MUST abort the abbreviated
         * handshake." */
        rc = pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                         "ClientHello (TLS 1.2): resumes a session made with the extended master "
                         "secret but does not offer it (RFC 7627 §5.3)");
    } else if (found) {
        /* The client identity the session was established with (RFC 5246 §7.4.1.2: a session
         * carries the peer certificate). */
        rc = pl_server13_take_session_chain(tls, &st);
    }
    if (found && rc == PADLOCK_OK) {
        h->master.hash = pl_suite_by_code(st.suite)->hash;
        memcpy(h->master.b, st.psk.p, PL_KS12_MASTER_LEN);
        h->resumed_suite = st.suite;
        *out_found = 1;
    }
    if (buf != NULL) {
        pl_free_secret(buf);
    }
    return rc;
}

padlock_err pl_server12_send_ticket(pl_tls *tls, pl_server12_hs *h) {
    const pl_hs_config *cfg = tls->cfg;
    int64_t now = cfg->now(cfg->now_ctx);
    pl_ticket_state st;
    pl_server12_session_state(tls, h, now, &st);
    size_t ticket_len = pl_ticket_sealed_len(&st, tls->peer_certs);
    /* A client chain too large for a ticket (<1..2^16-1>) gets none: RFC 5077 §3.3, "If the
     * server determines that it does not want to include a ticket after it has included the
     * SessionTicket extension in the ServerHello, then it sends a zero-length ticket in the
     * NewSessionTicket handshake message." No resumption, the handshake goes on. */
    pl_new_session_ticket12 nst = {.lifetime_hint = 0};
    pl_cur_init(&nst.ticket, NULL, 0);
    uint8_t empty[PL_HS_HEADER_LEN + 6];
    pl_buf out;
    pl_buf_init(&out, empty, sizeof(empty));
    if (ticket_len <= PL_TICKET_SEALED_MAX) {
        pl_buf work;
        PL_TRY(pl_scratch_buf(&h->scratch, 2 * ticket_len + PL_HS_HEADER_LEN + 6, &work));
        size_t sealed = 0;
        const pl_rng *rng = pl_hs_config_rng(cfg);
        uint8_t nonce[PL_AEAD_NONCE_LEN];
        PL_TRY(pl_rand_bytes(rng, nonce, sizeof(nonce)));
        PL_TRY(pl_ticket_seal(cfg->ticket_keys, rng, nonce, now, cfg->ticket_lifetime, &st,
                              tls->peer_certs, work.p, ticket_len, &sealed));
        /* RFC 5077 §3.3: the lifetime hint is the ticket's lifetime. */
        nst.lifetime_hint = cfg->ticket_lifetime;
        pl_cur_init(&nst.ticket, work.p, sealed);
        pl_buf_init(&out, work.p + ticket_len, ticket_len + PL_HS_HEADER_LEN + 6);
    }
    PL_TRY(pl_new_session_ticket12_build(&out, &nst));
    return pl_tls_send_message(tls, &h->transcript, out.p, out.len);
}

padlock_err pl_server12_cache_session(pl_tls *tls, const pl_server12_hs *h) {
    const pl_hs_config *cfg = tls->cfg;
    int64_t now = cfg->now(cfg->now_ctx);
    pl_ticket_state st;
    pl_server12_session_state(tls, h, now, &st);
    /* With the client's certificates, if it sent any. */
    size_t len = pl_ticket_state_len(&st, tls->peer_certs);
    uint8_t *state = pl_malloc(len);
    PL_CHECK(state != NULL, PADLOCK_E_NO_MEMORY);
    pl_buf b;
    pl_buf_init(&b, state, len);
    padlock_err rc = pl_ticket_state_write(&b, &st, tls->peer_certs);
    if (rc == PADLOCK_OK) {
        rc = pl_session_cache_put(cfg->session_cache, h->session_id, state, b.len, now,
                                  cfg->ticket_lifetime);
    }
    pl_wipe(state, len);
    pl_free(state);
    return rc;
}
