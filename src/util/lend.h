/* Lending kept objects one borrower at a time: which of a fixed number of slots are out, under
 * a lock. The objects live with the caller (libcrypto scratches kept per process in
 * src/crypto/ossl_ecdsa.c and ossl_kx.c); a borrower that finds every slot out makes its own. */
#ifndef PL_UTIL_LEND_H
#define PL_UTIL_LEND_H

#include <pthread.h>
#include <stdint.h>

/* Slots per lender: the most borrowers served at once from kept objects. */
#define PL_LEND_SLOTS 8

typedef struct pl_lend {
    pthread_mutex_t lock;
    uint8_t out[PL_LEND_SLOTS]; /* 1 while the slot is lent */
} pl_lend;

/* A lender with every slot free, for a static pl_lend. */
#define PL_LEND_INIT                                                                               \
    {                                                                                              \
        PTHREAD_MUTEX_INITIALIZER, {                                                               \
            0                                                                                      \
        }                                                                                          \
    }

/* Lends a free slot: its index in [0, PL_LEND_SLOTS), or -1 when every slot is out. */
int pl_lend_take(pl_lend *lend);

/* Takes back slot, an index pl_lend_take returned and not yet given back. */
void pl_lend_give(pl_lend *lend, int slot);

#endif
