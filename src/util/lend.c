/* Lending slots of kept objects under one mutex: the lowest free slot first, so that the objects
 * made on first use stay few when borrowers are few. */
#include "util/lend.h"

int pl_lend_take(pl_lend *lend) {
    int slot = -1;
    pthread_mutex_lock(&lend->lock);
    for (int i = 0; i < PL_LEND_SLOTS; i++) {
        if (!lend->out[i]) {
            lend->out[i] = 1;
            slot = i;
            break;
        }
    }
    pthread_mutex_unlock(&lend->lock);
    return slot;
}

void pl_lend_give(pl_lend *lend, int slot) {
    pthread_mutex_lock(&lend->lock);
    lend->out[slot] = 0;
    pthread_mutex_unlock(&lend->lock);
}
