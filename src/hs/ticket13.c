/* Received TLS 1.3 session tickets (RFC 8446 §4.6.1): the ticket PSK and a bounded list. */
#include "hs/ticket13.h"

#include <string.h>

#include "util/mem.h"

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
