/* The per-thread randomness buffer in front of libcrypto's RAND_bytes (rand_buffer.h states the
 * security properties). Each RAND_bytes call into OpenSSL 3.0's DRBG costs a few microseconds
 * (a getpid() for fork detection, locks, parameter lookups, an AES re-key); one call per 4 KiB
 * instead of one per draw takes that off every handshake. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise and its MADV_* advice */

#include "crypto/rand_buffer.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>

#include "util/mem.h"

/* One thread's page. A page of zeros is an empty buffer: that is what a fresh mapping holds and
 * what a child of fork finds (MADV_WIPEONFORK), so neither needs a flag or a getpid(). */
typedef struct pl_rand_page {
    size_t avail; /* buf[0..avail) unconsumed; draws take from the end and wipe what they take */
    uint8_t buf[PL_RAND_BUFFER_LEN];
} pl_rand_page;

_Static_assert(sizeof(pl_rand_page) <= 4096, "one 4 KiB page");

/* The calling thread's page, NULL before its first buffered draw. The pthread key holds the same
 * pointer only so that its destructor frees the page when the thread exits. */
static _Thread_local pl_rand_page *pl_rand_tls;
static pthread_once_t pl_rand_once = PTHREAD_ONCE_INIT;
static pthread_key_t pl_rand_key;
static int pl_rand_key_ok; /* written once inside pthread_once */
/* Set once the kernel refused MADV_WIPEONFORK: from then on no thread buffers. */
static atomic_int pl_rand_unbuffered;

/* The key's destructor, run at thread exit: the unconsumed bytes are wiped before the page goes.
 * Clearing the thread's pointer lets a later destructor that draws map a new page, which the
 * next round of destructors (POSIX repeats them) frees in turn. */
static void pl_rand_page_free(void *p) {
    pl_wipe(p, sizeof(pl_rand_page));
    munmap(p, sizeof(pl_rand_page));
    pl_rand_tls = NULL;
}

static void pl_rand_key_create(void) {
    pl_rand_key_ok = pthread_key_create(&pl_rand_key, pl_rand_page_free) == 0;
}

/* Maps the calling thread's page, or returns NULL when it cannot be had safely: no key (its
 * page could not be freed at thread exit), no memory, or a kernel without MADV_WIPEONFORK. */
static pl_rand_page *pl_rand_page_new(void) {
    if (atomic_load_explicit(&pl_rand_unbuffered, memory_order_relaxed) != 0 ||
        pthread_once(&pl_rand_once, pl_rand_key_create) != 0 || !pl_rand_key_ok) {
        return NULL;
    }
    void *p = mmap(NULL, sizeof(pl_rand_page), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (p == MAP_FAILED) {
        return NULL;
    }
#ifdef MADV_WIPEONFORK
    /* An emulator that accepts any advice and ignores it (qemu's user mode did) would make the
     * wipe a silent no-op: the advice is trusted only where an unknown one (-1) is refused. */
    int wipe_on_fork = madvise(p, sizeof(pl_rand_page), -1) != 0 &&
                       madvise(p, sizeof(pl_rand_page), MADV_WIPEONFORK) == 0;
#else
    int wipe_on_fork = 0;
#endif
    /* Without the advice a child of fork would inherit the parent's unconsumed bytes and hand
     * out what the parent also hands out: then buffering is unsafe, and off for the process. */
    if (!wipe_on_fork) {
        atomic_store_explicit(&pl_rand_unbuffered, 1, memory_order_relaxed);
        munmap(p, sizeof(pl_rand_page));
        return NULL;
    }
#ifdef MADV_DONTDUMP
    /* Future randomness has no place in a core dump; a kernel refusing this loses only that. */
    (void)madvise(p, sizeof(pl_rand_page), MADV_DONTDUMP);
#endif
    if (pthread_setspecific(pl_rand_key, p) != 0) {
        munmap(p, sizeof(pl_rand_page));
        return NULL;
    }
    pl_rand_tls = p;
    return p;
}

padlock_err pl_rand_buffer_draw(uint8_t *out, size_t len) {
    pl_rand_page *page = pl_rand_tls;
    if (page == NULL) {
        page = pl_rand_page_new();
        if (page == NULL) {
            return pl_rand_system(out, len);
        }
    }
    if (page->avail < len) {
        /* The unconsumed rest is dropped: a draw never spans two fills. The page counts as empty
         * before the call, so a failure cannot leave old bytes behind, and the new fill is
         * handed out only if it is whole. */
        page->avail = 0;
        padlock_err err = pl_rand_system(page->buf, sizeof(page->buf));
        if (err != PADLOCK_OK) {
            pl_wipe(out, len);
            return err;
        }
        page->avail = sizeof(page->buf);
    }
    /* Consumed before it is copied, and wiped at once: the page never holds a handed-out byte. */
    page->avail -= len;
    uint8_t *p = page->buf + page->avail;
    memcpy(out, p, len);
    pl_wipe(p, len);
    return PADLOCK_OK;
}

int pl_rand_buffer_inspect(pl_rand_buffer_view *out) {
    const pl_rand_page *page = pl_rand_tls;
    if (page == NULL) {
        return 0;
    }
    out->buf = page->buf;
    out->len = sizeof(page->buf);
    out->avail = page->avail;
    return 1;
}
