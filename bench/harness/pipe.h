/* A one-way in-memory byte pipe: the transport between a client and a server running in the
 * same process. Its storage is allocated once, before any measurement, and never grows, so it
 * adds nothing to the heap figures and no allocation to the data path. */
#ifndef BENCH_HARNESS_PIPE_H
#define BENCH_HARNESS_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t rd;              /* next byte to read */
    size_t wr;              /* next byte to write */
    uint64_t total_written; /* bytes ever written: progress and wire-size accounting */
} bench_pipe;

/* Allocates `cap` bytes of storage; false when out of memory. */
bool bench_pipe_init(bench_pipe *p, size_t cap);
void bench_pipe_cleanup(bench_pipe *p);

/* Appends up to `len` bytes; returns how many fit (fewer only when the pipe is full). */
size_t bench_pipe_write(bench_pipe *p, const uint8_t *in, size_t len);

/* Write reservation, for an adapter whose library can write its records in place (padlock's
 * padlock_conn_write_into), as a socket's send buffer or an io_uring registered buffer lets
 * it: returns the free space at the write end, at least `want` contiguous bytes (compacting the
 * pending bytes to the front first when that makes room, as bench_pipe_write does), with its
 * size in *room; NULL when the pipe cannot hold `want` more bytes. bench_pipe_commit then marks
 * the first n bytes of it written (n <= *room); nothing is written until then. */
uint8_t *bench_pipe_reserve(bench_pipe *p, size_t want, size_t *room);
void bench_pipe_commit(bench_pipe *p, size_t n);

/* Moves up to `cap` bytes into `out`; returns how many (0 when empty). */
size_t bench_pipe_read(bench_pipe *p, uint8_t *out, size_t cap);

/* Drops whatever is pending (after a handshake that was meant to fail). */
static inline void bench_pipe_reset(bench_pipe *p) {
    p->rd = 0;
    p->wr = 0;
}

static inline size_t bench_pipe_pending(const bench_pipe *p) {
    return p->wr - p->rd;
}

/* The pending bytes in place, for a sans-I/O library that takes the caller's bytes: the pipe's
 * storage is then what a socket's receive queue is to the others, and the library's own copy of
 * each record is the one copy every library makes. bench_pipe_consume marks n of them read. */
static inline const uint8_t *bench_pipe_peek(const bench_pipe *p) {
    return p->buf + p->rd;
}

static inline void bench_pipe_consume(bench_pipe *p, size_t n) {
    p->rd += n;
    if (p->rd == p->wr) {
        p->rd = 0;
        p->wr = 0;
    }
}

#endif
