/* The in-memory pipe: one linear buffer, compacted when its tail runs out of room. */
#include "pipe.h"

#include <stdlib.h>
#include <string.h>

bool bench_pipe_init(bench_pipe *p, size_t cap) {
    memset(p, 0, sizeof(*p));
    p->buf = malloc(cap);
    if (p->buf == NULL) {
        return false;
    }
    p->cap = cap;
    return true;
}

void bench_pipe_cleanup(bench_pipe *p) {
    free(p->buf);
    memset(p, 0, sizeof(*p));
}

/* Moves the pending bytes to the front when the tail has fewer than len free bytes. */
static void compact_for(bench_pipe *p, size_t len) {
    if (p->cap - p->wr < len && p->rd > 0) {
        size_t pending = p->wr - p->rd;
        memmove(p->buf, p->buf + p->rd, pending);
        p->rd = 0;
        p->wr = pending;
    }
}

size_t bench_pipe_write(bench_pipe *p, const uint8_t *in, size_t len) {
    compact_for(p, len);
    size_t n = p->cap - p->wr;
    if (n > len) {
        n = len;
    }
    memcpy(p->buf + p->wr, in, n);
    p->wr += n;
    p->total_written += n;
    return n;
}

uint8_t *bench_pipe_reserve(bench_pipe *p, size_t want, size_t *room) {
    compact_for(p, want);
    *room = p->cap - p->wr;
    return *room >= want ? p->buf + p->wr : NULL;
}

void bench_pipe_commit(bench_pipe *p, size_t n) {
    p->wr += n;
    p->total_written += n;
}

size_t bench_pipe_read(bench_pipe *p, uint8_t *out, size_t cap) {
    size_t n = p->wr - p->rd;
    if (n > cap) {
        n = cap;
    }
    memcpy(out, p->buf + p->rd, n);
    p->rd += n;
    if (p->rd == p->wr) {
        p->rd = 0;
        p->wr = 0;
    }
    return n;
}
