/* Resumption on the client (RFC 8446 §2.2, §4.2.11, §4.6.1): which session to offer, the
 * pre_shared_key extension with its obfuscated ticket age (§4.2.11.1) and binder (§4.2.11.2),
 * and dropping the offer a HelloRetryRequest makes unusable (§4.1.4). */
#include <string.h>

#include "hs/client13.h"
#include "hs/session12.h"
#include "util/mem.h"

/* Case-insensitive equality of two ASCII names. */
static int pl_client13_same_name(const char *a, size_t a_len, const char *b) {
    size_t b_len = b != NULL ? strlen(b) : 0;
    if (a_len != b_len) {
        return 0;
    }
    for (size_t i = 0; i < a_len; i++) {
        char x = a[i], y = b[i];
        x = (char)(x >= 'A' && x <= 'Z' ? x + 32 : x);
        y = (char)(y >= 'A' && y <= 'Z' ? y + 32 : y);
        if (x != y) {
            return 0;
        }
    }
    return 1;
}

/* Whether t may be offered on this connection now, its ticket in at most room bytes. */
static int pl_client13_session_usable(const pl_tls *tls, const pl_ticket13 *t, int64_t now,
                                      size_t room) {
    const pl_hs_config *cfg = tls->cfg;
    /* §4.1.2: the ClientHello's extensions<8..2^16-1> hold the ticket (a server may issue one
     * of up to 2^16-1 bytes, §4.6.1): one that does not fit is not offered. */
    if (t->ticket_len > room) {
        return 0;
    }
    /* §4.2.11.1: "Clients MUST NOT attempt to use tickets which have ages greater than the
     * "ticket_lifetime" value which was provided with the ticket." */
    int64_t age = now - t->received_at;
    if (age < 0 || age >= (int64_t)t->lifetime) {
        return 0;
    }
    /* §4.6.1: "Clients MUST only resume if the new SNI value is valid for the server
     * certificate presented in the original session": the same name, so the certificate that
     * authenticated it then covers it now. */
    size_t name_len;
    const char *name = pl_ticket13_name(t, tls->server_name, &name_len);
    if (!pl_client13_same_name(name, name_len, tls->server_name)) {
        return 0;
    }
    /* §4.2.11: the PSK goes with a suite of its hash; one must be among those we offer. */
    const pl_suite *suite = pl_suite_by_code(t->suite);
    for (size_t i = 0; suite != NULL && i < cfg->num_suites; i++) {
        const pl_suite *s = pl_suite_by_code(cfg->suites[i]);
        if (s != NULL && s->hash == suite->hash) {
            return 1;
        }
    }
    return 0;
}

void pl_client13_pick_session(pl_tls *tls, pl_client13_hs *h) {
    int64_t now = tls->cfg->now(tls->cfg->now_ctx);
    /* A TLS 1.2 session offered alongside takes its share of the room (it fits on its own). */
    size_t room = pl_client13_ticket_room(tls);
    if (h->offered12) {
        room -= tls->session12->ticket_len;
    }
    pl_ticket13 *t;
    /* Each session is offered once at most (§C.4): it leaves the list either way. */
    while (h->psk_ticket == NULL && (t = pl_ticket13_take(&tls->tickets)) != NULL) {
        if (pl_client13_session_usable(tls, t, now, room)) {
            h->psk_ticket = t;
        } else {
            pl_ticket13_free(t);
        }
    }
}

void pl_client13_drop_session(pl_client13_hs *h) {
    pl_ticket13_free(h->psk_ticket);
    h->psk_ticket = NULL;
}

size_t pl_client13_psk_room(const pl_client13_hs *h) {
    return h->psk_ticket != NULL ? 2 + h->psk_ticket->ticket_len + 4 : 0;
}

padlock_err pl_client13_psk_fields(pl_tls *tls, const pl_client13_hs *h, pl_buf *identities,
                                   uint8_t *binders, size_t binders_cap, pl_exts *e) {
    const pl_ticket13 *t = h->psk_ticket;
    /* §4.2.11.1: the age in milliseconds plus ticket_age_add, modulo 2^32. */
    int64_t age_ms = (tls->cfg->now(tls->cfg->now_ctx) - t->received_at) * 1000;
    uint32_t obfuscated = (uint32_t)((uint64_t)age_ms + t->age_add);
    PL_TRY(pl_ext_psk_identity_write(identities, t->ticket, t->ticket_len, obfuscated));
    pl_cur_init(&e->psk_identities, identities->p, identities->len);
    /* A binder of the right length, filled in once the hello is built (pl_client13_bind). */
    PL_CHECK(binders_cap >= 1u + t->psk.len, PADLOCK_E_INTERNAL);
    binders[0] = t->psk.len;
    memset(binders + 1, 0, t->psk.len);
    pl_cur_init(&e->psk_binders, binders, 1u + t->psk.len);
    return PADLOCK_OK;
}

padlock_err pl_client13_bind(pl_client13_hs *h, const pl_client_hello *ch, pl_buf *msg) {
    const pl_ks13_secret *psk = &h->psk_ticket->psk;
    /* §4.2.11.2: the binder covers the transcript so far (ClientHello1 and the
     * HelloRetryRequest after one) and this hello up to, not including, its binders list. */
    pl_ks13_secret binder_key;
    pl_digest th, binder;
    PL_TRY(pl_ks13_resumption_early(psk, &h->psk_early, &binder_key));
    /* The hello goes into the transcript in two parts, so that the part before the binders is
     * hashed once: up to the binders list, then (binder written) the list. */
    size_t prefix = msg->len - pl_client_hello_binders_len(ch);
    pl_transcript_update(&h->transcript, msg->p, prefix);
    padlock_err rc = pl_transcript_hash_with(&h->transcript, psk->hash, NULL, 0, &th);
    if (rc == PADLOCK_OK) {
        rc = pl_ks13_finished(&binder_key, &binder, &th);
    }
    pl_ks13_secret_cleanup(&binder_key);
    PL_TRY(rc);
    /* The binder is the last thing in the message. */
    memcpy(msg->p + msg->len - binder.len, binder.b, binder.len);
    pl_transcript_update(&h->transcript, msg->p + prefix, msg->len - prefix);
    return PADLOCK_OK;
}
