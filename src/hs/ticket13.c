/* Received TLS 1.3 session tickets (RFC 8446 §4.6.1): the ticket PSK, a bounded list, and
 * sessions, the form in which applications keep tickets between connections:
 *
 *     struct {
 *         opaque magic[4] = "PLs1";     padlock session, format 1
 *         CipherSuite cipher_suite;     of the connection that received the ticket
 *         uint64 received_at;           seconds since the epoch (the client's time hook)
 *         uint32 ticket_lifetime;
 *         uint32 ticket_age_add;
 *         opaque psk<32..48>;           the ticket's PSK, the suite's Hash.length bytes
 *         opaque server_name<0..255>;   the name the session was established with
 *         opaque ticket<1..2^16-1>;
 *     } Session;
 *
 * max_early_data_size is not kept: padlock sends no early data. */
#include "hs/ticket13.h"

#include <string.h>

#include "hs/suite.h"
#include "util/mem.h"

static const uint8_t pl_session_magic[4] = {'P', 'L', 's', '1'};

padlock_err pl_ticket13_add(pl_ticket13_list *list, const pl_new_session_ticket *nst,
                            const pl_ks13_secret *resumption_master, uint16_t suite, int64_t now) {
    /* RFC 8446 §4.6.1: "The value of zero indicates that the ticket should be discarded
     * immediately." */
    if (nst->lifetime == 0) {
        return PADLOCK_OK;
    }
    size_t len = pl_cur_left(&nst->ticket);
    pl_ticket13 *t = pl_malloc(sizeof(*t) + len);
    PL_CHECK(t != NULL, PADLOCK_E_NO_MEMORY);
    padlock_err err =
        pl_ks13_ticket_psk(resumption_master, &t->psk, nst->nonce.p, pl_cur_left(&nst->nonce));
    if (err != PADLOCK_OK) {
        pl_free_secret(t);
        return err;
    }
    t->received_at = now;
    t->lifetime = nst->lifetime;
    t->age_add = nst->age_add;
    t->max_early_data =
        pl_exts_has(&nst->exts, PL_EXT_EARLY_DATA) ? nst->exts.max_early_data_size : 0;
    t->suite = suite;
    t->imported = 0;
    t->name_len = 0;
    t->ticket_len = len;
    pl_cur c = nst->ticket;
    err = pl_cur_copy(&c, t->ticket, len);
    if (err != PADLOCK_OK) {
        pl_free_secret(t);
        return err;
    }
    t->next = list->newest;
    list->newest = t;
    if (list->num < PL_TICKET13_MAX) {
        list->num++;
        return PADLOCK_OK;
    }
    /* Drop the oldest: a server may send any number of tickets. */
    pl_ticket13 *p = list->newest;
    for (size_t i = 1; i < PL_TICKET13_MAX; i++) {
        p = p->next;
    }
    pl_free_secret(p->next);
    p->next = NULL;
    return PADLOCK_OK;
}

void pl_ticket13_list_cleanup(pl_ticket13_list *list) {
    pl_ticket13 *t = list->newest;
    while (t != NULL) {
        pl_ticket13 *next = t->next;
        pl_free_secret(t);
        t = next;
    }
    list->newest = NULL;
    list->num = 0;
}

pl_ticket13 *pl_ticket13_take(pl_ticket13_list *list) {
    pl_ticket13 *t = list->newest;
    if (t != NULL) {
        list->newest = t->next;
        list->num--;
        t->next = NULL;
    }
    return t;
}

void pl_ticket13_free(pl_ticket13 *t) {
    pl_free_secret(t);
}

const char *pl_ticket13_name(const pl_ticket13 *t, const char *default_name, size_t *out_len) {
    if (t->imported) {
        *out_len = t->name_len;
        return (const char *)t->ticket + t->ticket_len;
    }
    *out_len = default_name != NULL ? strlen(default_name) : 0;
    return default_name;
}

size_t pl_ticket13_export_len(const pl_ticket13 *t, const char *default_name) {
    size_t name_len;
    (void)pl_ticket13_name(t, default_name, &name_len);
    return sizeof(pl_session_magic) + 2 + 8 + 4 + 4 + 1 + t->psk.len + 1 + name_len + 2 +
           t->ticket_len;
}

padlock_err pl_ticket13_export(const pl_ticket13 *t, const char *default_name, uint8_t *out,
                               size_t cap, size_t *out_len) {
    size_t name_len;
    const char *name = pl_ticket13_name(t, default_name, &name_len);
    PL_CHECK(name_len <= 255, PADLOCK_E_INVALID_ARGUMENT);
    pl_buf b;
    pl_buf_init(&b, out, cap);
    PL_TRY(pl_buf_bytes(&b, pl_session_magic, sizeof(pl_session_magic)));
    PL_TRY(pl_buf_u16(&b, t->suite));
    PL_TRY(pl_buf_u64(&b, (uint64_t)t->received_at));
    PL_TRY(pl_buf_u32(&b, t->lifetime));
    PL_TRY(pl_buf_u32(&b, t->age_add));
    PL_TRY(pl_buf_vec8_bytes(&b, t->psk.b, t->psk.len));
    PL_TRY(pl_buf_vec8_bytes(&b, name, name_len));
    PL_TRY(pl_buf_vec16_bytes(&b, t->ticket, t->ticket_len));
    *out_len = b.len;
    return PADLOCK_OK;
}

padlock_err pl_ticket13_import(const uint8_t *data, size_t len, pl_ticket13 **out) {
    pl_cur c, psk, name, ticket;
    const uint8_t *magic;
    uint16_t suite_code;
    uint64_t received_at;
    uint32_t lifetime, age_add;
    pl_cur_init(&c, data, len);
    PL_TRY(pl_cur_bytes(&c, sizeof(pl_session_magic), &magic));
    PL_CHECK(memcmp(magic, pl_session_magic, sizeof(pl_session_magic)) == 0, PADLOCK_E_DECODE);
    PL_TRY(pl_cur_u16(&c, &suite_code));
    PL_TRY(pl_cur_u64(&c, &received_at));
    PL_TRY(pl_cur_u32(&c, &lifetime));
    PL_TRY(pl_cur_u32(&c, &age_add));
    PL_TRY(pl_cur_vec8(&c, 32, 48, &psk));
    PL_TRY(pl_cur_vec8(&c, 0, 255, &name));
    PL_TRY(pl_cur_vec16(&c, 1, 0xffff, &ticket));
    PL_TRY(pl_cur_done(&c));
    const pl_suite *suite = pl_suite_by_code(suite_code);
    PL_CHECK(suite != NULL && suite->version == PL_TLS13_VERSION &&
                 pl_cur_left(&psk) == suite->hash->digest_len &&
                 lifetime <= PL_TICKET_LIFETIME_MAX && received_at <= INT64_MAX,
             PADLOCK_E_DECODE);
    size_t ticket_len = pl_cur_left(&ticket), name_len = pl_cur_left(&name);
    pl_ticket13 *t = pl_calloc(1, sizeof(*t) + ticket_len + name_len);
    PL_CHECK(t != NULL, PADLOCK_E_NO_MEMORY);
    t->received_at = (int64_t)received_at;
    t->lifetime = lifetime;
    t->age_add = age_add;
    t->suite = suite_code;
    t->psk.hash = suite->hash;
    t->psk.len = (uint8_t)pl_cur_left(&psk);
    memcpy(t->psk.b, psk.p, t->psk.len);
    t->ticket_len = ticket_len;
    memcpy(t->ticket, ticket.p, ticket_len);
    t->imported = 1;
    t->name_len = (uint8_t)name_len;
    memcpy(t->ticket + ticket_len, name.p, name_len);
    *out = t;
    return PADLOCK_OK;
}
