/* Peer chains: one allocation per chain, shared by exact bytes among the live connections of a
 * configuration through a small set scanned under a mutex. */
#include "hs/peer_chain.h"

#include <string.h>

#include "util/mem.h"

void pl_peer_chain_set_init(pl_peer_chain_set *set) {
    pthread_mutex_init(&set->lock, NULL);
    set->num = 0;
    memset(set->slot, 0, sizeof(set->slot));
}

void pl_peer_chain_set_cleanup(pl_peer_chain_set *set) {
    pthread_mutex_destroy(&set->lock);
}

/* 1 if chain holds exactly the certificates of msg, in order. */
static int pl_peer_chain_matches(const pl_peer_chain *chain, const pl_certificate *msg) {
    pl_cur it = msg->entries;
    pl_cert_entry e;
    size_t i = 0;
    while (pl_certificate_next(msg, &it, &e)) {
        size_t len = pl_cur_left(&e.cert_data);
        if (i == chain->num || chain->certs[i].len != len ||
            memcmp(chain->certs[i].der, e.cert_data.p, len) != 0) {
            return 0;
        }
        i++;
    }
    return i == chain->num;
}

/* A new chain (one reference, no set) with msg's certificates copied in. */
static padlock_err pl_peer_chain_copy(const pl_certificate *msg, pl_peer_chain **out) {
    size_t num = 0;
    size_t total = 0;
    pl_cur it = msg->entries;
    pl_cert_entry e;
    while (pl_certificate_next(msg, &it, &e)) {
        num++;
        total += pl_cur_left(&e.cert_data);
    }
    PL_CHECK(num > 0, PADLOCK_E_DECODE);
    size_t head = sizeof(pl_peer_chain) + num * sizeof(((pl_peer_chain *)0)->certs[0]);
    pl_peer_chain *chain = pl_malloc(head + total);
    PL_CHECK(chain != NULL, PADLOCK_E_NO_MEMORY);
    chain->set = NULL;
    chain->refs = 1;
    chain->num = 0;
    uint8_t *p = (uint8_t *)chain + head;
    it = msg->entries;
    while (chain->num < num && pl_certificate_next(msg, &it, &e)) {
        size_t len = pl_cur_left(&e.cert_data);
        memcpy(p, e.cert_data.p, len);
        chain->certs[chain->num].der = p;
        chain->certs[chain->num].len = len;
        chain->num++;
        p += len;
    }
    *out = chain;
    return PADLOCK_OK;
}

padlock_err pl_peer_chain_take(pl_peer_chain_set *set, const pl_certificate *msg,
                               pl_peer_chain **out) {
    if (set == NULL) {
        return pl_peer_chain_copy(msg, out);
    }
    pthread_mutex_lock(&set->lock);
    for (size_t i = 0; i < set->num; i++) {
        if (pl_peer_chain_matches(set->slot[i], msg)) {
            set->slot[i]->refs++;
            *out = set->slot[i];
            pthread_mutex_unlock(&set->lock);
            return PADLOCK_OK;
        }
    }
    padlock_err rc = pl_peer_chain_copy(msg, out);
    if (rc == PADLOCK_OK && set->num < PL_PEER_CHAIN_SET_SLOTS) {
        (*out)->set = set;
        set->slot[set->num++] = *out;
    }
    pthread_mutex_unlock(&set->lock);
    return rc;
}

void pl_peer_chain_release(pl_peer_chain *chain) {
    if (chain == NULL) {
        return;
    }
    pl_peer_chain_set *set = chain->set;
    if (set == NULL) {
        pl_free(chain);
        return;
    }
    pthread_mutex_lock(&set->lock);
    int last = --chain->refs == 0;
    if (last) {
        for (size_t i = 0; i < set->num; i++) {
            if (set->slot[i] == chain) {
                set->slot[i] = set->slot[--set->num];
                set->slot[set->num] = NULL;
                break;
            }
        }
    }
    pthread_mutex_unlock(&set->lock);
    if (last) {
        pl_free(chain);
    }
}
