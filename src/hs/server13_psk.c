/* Resumption on the server (RFC 8446 §2.2, §4.2.9, §4.2.11, §4.6.1): choosing the ticket a
 * ClientHello offers, checking its age and binder, and issuing NewSessionTickets sealed with the
 * configuration's ticket keys (src/hs/ticket_seal.c has their format). */
#include <string.h>

#include "hs/proof.h"
#include "hs/server13.h"
#include "hs/ticket_seal.h"
#include "util/mem.h"

/* Identities looked at, at most: a client offers one or two; more only cost us decryptions. */
#define PL_SERVER13_MAX_IDENTITIES 4

/* How far the client's view of a ticket's age (§4.2.11.1) may be from ours: the round trip
 * that delivered the ticket, the client's clock rate, and our time hook's 1-second resolution.
 * Beyond it the ticket was most likely copied and replayed, and is not used. */
#define PL_SERVER13_AGE_WINDOW_MS 10000
_Static_assert(PL_SERVER13_AGE_WINDOW_MS % 1000 == 0, "compared in whole seconds too");

/* Tickets without a client chain open into a buffer on the stack; larger ones into the
 * handshake's work buffer. */
#define PL_SERVER13_SMALL_TICKET 512

static int pl_server13_same_name(pl_cur a, const char *b) {
    size_t len = b != NULL ? strlen(b) : 0;
    if (pl_cur_left(&a) != len) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        uint8_t x = a.p[i], y = (uint8_t)b[i];
        x = (uint8_t)(x >= 'A' && x <= 'Z' ? x + 32 : x);
        y = (uint8_t)(y >= 'A' && y <= 'Z' ? y + 32 : y);
        if (x != y) {
            return 0;
        }
    }
    return 1;
}

/* Whether an opened ticket may resume this handshake. */
static int pl_server13_ticket_fits(const pl_tls *tls, const pl_server13_hs *h,
                                   const pl_ticket_state *st, uint32_t obfuscated_age) {
    const pl_hs_config *cfg = tls->cfg;
    /* §4.6.1: "Any ticket MUST only be resumed with a cipher suite that has the same KDF hash
     * algorithm as that used to establish the original connection." */
    const pl_suite *suite = pl_suite_by_code(st->suite);
    if (st->version != PL_TLS13_VERSION || suite == NULL || suite->hash != h->choice.suite->hash ||
        pl_cur_left(&st->psk) != suite->hash->digest_len) {
        return 0;
    }
    /* §4.6.1: a ticket is not used past its lifetime; §4.2.11.1: the client's age, less
     * ticket_age_add, must agree with ours. */
    int64_t age_s = cfg->now(cfg->now_ctx) - st->issued_at;
    /* Compared in seconds: a state issued far in the future (a fleet server whose clock ran
     * ahead) would overflow age_s * 1000. Past this check age_s * 1000 is small. */
    if (age_s > (int64_t)st->lifetime || age_s < -(PL_SERVER13_AGE_WINDOW_MS / 1000)) {
        return 0;
    }
    int64_t client_ms = (int64_t)(uint32_t)(obfuscated_age - st->age_add);
    int64_t skew = client_ms - age_s * 1000;
    if (skew > PL_SERVER13_AGE_WINDOW_MS + 1000 || skew < -(PL_SERVER13_AGE_WINDOW_MS + 1000)) {
        return 0;
    }
    /* The name the session was authenticated for (see ticket_seal.c). */
    if (!pl_server13_same_name(st->server_name, tls->server_name)) {
        return 0;
    }
    /* A session without a client certificate does not get past a server that now requires
     * one. */
    return cfg->client_auth != PL_CLIENT_AUTH_REQUIRED || pl_cur_left(&st->client_chain) > 3;
}

/* Checks binder number index against psk (§4.2.11.2): over the transcript so far, which holds
 * the ClientHello up to its binders list. The PSK's Early Secret goes to *out_early (wiped
 * unless the binder verifies). */
static padlock_err pl_server13_check_binder(pl_tls *tls, const pl_server13_hs *h,
                                            const pl_client_hello *ch, const pl_ks13_secret *psk,
                                            uint16_t index,
                                            pl_ks13_early *out_early) {
    pl_cur it = ch->exts.psk_binders;
    pl_cur binder;
    for (uint16_t i = 0; i <= index; i++) {
        PL_CHECK(pl_ext_psk_binder_next(&it, &binder), PADLOCK_E_INTERNAL);
    }
    pl_ks13_secret binder_key;
    pl_digest th;
    PL_TRY(pl_ks13_resumption_early(psk, out_early, &binder_key));
    padlock_err rc = pl_transcript_hash_with(&h->transcript, psk->hash, NULL, 0, &th);
    if (rc == PADLOCK_OK) {
        rc = pl_hs_peer_proof(
            pl_ks13_finished_verify(&binder_key, &th, binder.p, pl_cur_left(&binder)));
    }
    pl_ks13_secret_cleanup(&binder_key);
    if (rc != PADLOCK_OK) {
        pl_ks13_early_cleanup(out_early);
    }
    if (rc == PADLOCK_E_DECRYPT_ERROR || rc == PADLOCK_E_DECODE) {
        /* §4.2.11: "If this value is not present or does not validate, the server MUST abort
         * the handshake." (decrypt_error, as for Finished, §6.2). */
        return pl_tls_fail(tls, PADLOCK_E_DECRYPT_ERROR,
                           "ClientHello: the binder of pre_shared_key identity %u does not verify "
                           "with its ticket's key",
                           index);
    }
    return rc;
}

padlock_err pl_server13_take_session_chain(pl_tls *tls, const pl_ticket_state *st) {
    pl_certificate cert;
    PL_TRY(pl_certificate_parse_tls12(&cert, st->client_chain.p, pl_cur_left(&st->client_chain),
                                      &tls->err));
    if (cert.num_entries == 0) {
        return PADLOCK_OK;
    }
    pl_peer_chain *chain;
    PL_TRY(pl_peer_chain_take(tls->cfg->chains, &cert, &chain));
    pl_peer_chain_release(tls->peer_certs);
    tls->peer_certs = chain;
    return PADLOCK_OK;
}

/* Looks at one identity: opens its ticket into buf and, if it fits, verifies its binder and
 * accepts it. */
static padlock_err pl_server13_try(pl_tls *tls, pl_server13_hs *h, const pl_client_hello *ch,
                                   pl_cur identity, uint32_t age,
                                   uint16_t index, uint8_t *buf, size_t cap, int *out_found,
                                   pl_ks13_early *out_early) {
    pl_ticket_state st;
    if (pl_ticket_open(tls->cfg->ticket_keys, identity.p, pl_cur_left(&identity), buf, cap,
                         &st) != PADLOCK_OK ||
        !pl_server13_ticket_fits(tls, h, &st, age)) {
        return PADLOCK_OK; /* §4.2.11: unknown or unusable PSKs are ignored */
    }
    pl_ks13_secret psk;
    psk.hash = h->choice.suite->hash;
    psk.len = (uint8_t)pl_cur_left(&st.psk);
    memcpy(psk.b, st.psk.p, psk.len);
    /* §4.2.11: the server validates the binder of the one PSK it selects, and nothing the
     * client claims for it is relied on before. */
    padlock_err rc = pl_server13_check_binder(tls, h, ch, &psk, index, out_early);
    pl_ks13_secret_cleanup(&psk);
    PL_TRY(rc);
    PL_TRY(pl_server13_take_session_chain(tls, &st));
    *out_found = 1;
    return PADLOCK_OK;
}

padlock_err pl_server13_psk(pl_tls *tls, pl_server13_hs *h, const pl_client_hello *ch,
                            int *out_found, pl_ks13_early *out_early,
                            uint16_t *out_index) {
    *out_found = 0;
    /* §4.2.9: padlock resumes only with psk_dhe_ke, so that resumed sessions get fresh keys
     * (and forward secrecy) from (EC)DHE too. */
    if (!pl_exts_has(&ch->exts, PL_EXT_PRE_SHARED_KEY) || tls->cfg->ticket_keys == NULL ||
        !pl_ext_u8_contains(ch->exts.psk_modes, PL_PSK_DHE_KE)) {
        return PADLOCK_OK;
    }
    uint8_t small[PL_SERVER13_SMALL_TICKET];
    pl_cur it = ch->exts.psk_identities;
    pl_cur identity;
    uint32_t age;
    padlock_err rc = PADLOCK_OK;
    for (uint16_t i = 0; i < PL_SERVER13_MAX_IDENTITIES && !*out_found && rc == PADLOCK_OK &&
                         pl_ext_psk_identity_next(&it, &identity, &age);
         i++) {
        size_t len = pl_cur_left(&identity);
        uint8_t *buf = small;
        size_t cap = sizeof(small);
        if (len > cap) {
            pl_buf big;
            rc = pl_scratch_buf(&h->scratch, len, &big);
            buf = big.p;
            cap = big.cap;
        }
        if (rc == PADLOCK_OK) {
            rc = pl_server13_try(tls, h, ch, identity, age, i, buf, cap, out_found, out_early);
            *out_index = i;
        }
        pl_wipe(buf, len < cap ? len : cap);
    }
    if (rc != PADLOCK_OK || !*out_found) {
        pl_ks13_early_cleanup(out_early);
        *out_found = 0;
    }
    return rc;
}

/* Builds and sends one NewSessionTicket. */
static padlock_err pl_server13_send_ticket(pl_tls *tls, pl_server13_hs *h,
                                           const pl_ks13_secret *rms, int64_t now) {
    const pl_hs_config *cfg = tls->cfg;
    const pl_rng *rng = pl_hs_config_rng(cfg);
    uint8_t nonce = h->ticket_nonce++;
    /* Drawn with the ServerHello's random: ticket_age_add, then the nonce that seals the ticket. */
    const uint8_t *drawn = h->ticket_random[nonce];
    const uint8_t *age_add = drawn;
    pl_ks13_secret psk;
    /* §4.6.1: each ticket of a connection has its own nonce, hence its own PSK. */
    PL_TRY(pl_ks13_ticket_psk(rms, &psk, &nonce, 1));
    pl_ticket_state st;
    memset(&st, 0, sizeof(st));
    st.version = PL_TLS13_VERSION;
    st.suite = tls->suite->code;
    st.issued_at = now;
    st.lifetime = cfg->ticket_lifetime;
    st.age_add = (uint32_t)age_add[0] << 24 | (uint32_t)age_add[1] << 16 |
                 (uint32_t)age_add[2] << 8 | age_add[3];
    pl_cur_init(&st.psk, psk.b, psk.len);
    size_t name_len = tls->server_name != NULL ? strlen(tls->server_name) : 0;
    pl_cur_init(&st.server_name, (const uint8_t *)tls->server_name, name_len);
    size_t ticket_len = pl_ticket_sealed_len(&st, tls->peer_certs);
    if (ticket_len > PL_TICKET_SEALED_MAX) {
        pl_ks13_secret_cleanup(&psk);
        return PADLOCK_OK; /* a client chain too large to carry: no resumption */
    }
    /* The ticket first, then the message that carries it. */
    size_t msg_cap = PL_HS_HEADER_LEN + 4 + 4 + 2 + 2 + ticket_len + 2;
    pl_buf work;
    padlock_err rc = pl_scratch_buf(&h->scratch, ticket_len + msg_cap, &work);
    size_t sealed = 0;
    if (rc == PADLOCK_OK) {
        rc = pl_ticket_seal(cfg->ticket_keys, rng, drawn + 4, now, cfg->ticket_lifetime, &st,
                              tls->peer_certs, work.p, ticket_len, &sealed);
    }
    pl_ks13_secret_cleanup(&psk);
    PL_TRY(rc);
    pl_new_session_ticket nst;
    memset(&nst, 0, sizeof(nst));
    nst.lifetime = st.lifetime;
    nst.age_add = st.age_add;
    pl_cur_init(&nst.nonce, &nonce, 1);
    pl_cur_init(&nst.ticket, work.p, sealed);
    pl_buf out;
    pl_buf_init(&out, work.p + ticket_len, msg_cap);
    PL_TRY(pl_new_session_ticket_build(&out, &nst, NULL, 0));
    /* Post-handshake messages are not part of the transcript. */
    return pl_tls_send_message(tls, NULL, out.p, out.len);
}

size_t pl_server13_num_tickets(const pl_tls *tls) {
    return tls->cfg->ticket_keys != NULL ? tls->cfg->num_tickets : 0;
}

padlock_err pl_server13_send_tickets(pl_tls *tls, pl_server13_hs *h, const pl_ks13_secret *rms) {
    size_t num = pl_server13_num_tickets(tls);
    if (num == 0) {
        return PADLOCK_OK;
    }
    int64_t now = tls->cfg->now(tls->cfg->now_ctx);
    for (size_t i = 0; i < num; i++) {
        PL_TRY(pl_server13_send_ticket(tls, h, rms, now));
    }
    return PADLOCK_OK;
}
