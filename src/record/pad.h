/* The TLS 1.3 padding scan (RFC 8446 §5.4): the content type is the last non-zero octet of the
 * TLSInnerPlaintext, the zeros after it are padding, and the scan that finds it takes the same
 * time wherever it is, so that the padding a peer chose stays hidden. */
#ifndef PL_RECORD_PAD_H
#define PL_RECORD_PAD_H

#include <stddef.h>
#include <stdint.h>

/* How the bulk of the bytes is scanned: all give the same answers in data-independent time. */
typedef enum pl_pad_impl {
    PL_PAD_PORTABLE = 0, /* 64-bit words (no SSE2) */
    PL_PAD_SSE2 = 1,     /* 16-byte vectors (every x86-64) */
    PL_PAD_AVX2 = 2,     /* 32-byte vectors, where the CPU has AVX2 */
} pl_pad_impl;

/* The fastest scan this machine runs (decided once). */
pl_pad_impl pl_pad_best(void);

/* Scans p[0..n) with the best scan: returns 1 and sets *out_type_at to the offset of the last
 * non-zero byte, or returns 0 when every byte is zero (*out_type_at is then 0). */
int pl_pad_find_type(const uint8_t *p, size_t n, size_t *out_type_at);

/* As pl_pad_find_type with the scan impl, for tests comparing them. impl must be one
 * pl_pad_best() allows: PL_PAD_PORTABLE always, PL_PAD_SSE2 on x86-64, PL_PAD_AVX2 only when
 * pl_pad_best() says so. */
int pl_pad_find_type_with(const uint8_t *p, size_t n, pl_pad_impl impl, size_t *out_type_at);

#endif
