/* Finding the content type of a TLS 1.3 record in its decrypted TLSInnerPlaintext (RFC 8446
 * §5.4): the last non-zero octet, in time that does not depend on where it is, by SSE2 or AVX2
 * vectors on x86-64 (chosen once by the CPU's features) and 64-bit words elsewhere. */
#include "record/pad.h"

#include <stdatomic.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#include <immintrin.h>
#endif

#include "util/mem.h"

/* The padding scan keeps, by masks rather than branches, the last group of bytes holding a
 * non-zero byte, as a bit per byte (bit k: byte at + k is non-zero). */
typedef struct pl_pad_scan {
    uint64_t bits;  /* of the last group with a non-zero byte */
    size_t at;      /* its offset */
    uint64_t found; /* all ones once a non-zero byte was seen */
} pl_pad_scan;

/* All ones when v != 0, else 0: the top bit of v | -v is set exactly then. */
static inline uint64_t pl_pad_nonzero(uint64_t v) {
    return (uint64_t)0 - ((v | ((uint64_t)0 - v)) >> 63);
}

static inline void pl_pad_scan_add(pl_pad_scan *s, uint64_t bits, size_t at) {
    uint64_t nz = pl_pad_nonzero(bits);
    s->bits = (s->bits & ~nz) | (bits & nz);
    s->at = (s->at & ~(size_t)nz) | (at & (size_t)nz);
    s->found |= nz;
}

/* p[0..len) (len <= 8) as a little-endian word: byte k in bits 8k..8k+7 on every host. */
static inline uint64_t pl_pad_load(const uint8_t *p, size_t len) {
    uint64_t w = 0;
    for (size_t k = 0; k < len; k++) {
        w |= (uint64_t)p[k] << (8 * k);
    }
    return w;
}

#if defined(__SSE2__)
/* Bit k set when byte p[k] is non-zero, for the 64 bytes at p. Written out: a loop over the
 * four vectors compiled to a variable shift per vector. */
static inline uint64_t pl_pad_bits64(const uint8_t *p) {
    const __m128i zero = _mm_setzero_si128();
    const __m128i *g = (const __m128i *)(const void *)p;
    uint64_t z0 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(g), zero));
    uint64_t z1 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(g + 1), zero));
    uint64_t z2 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(g + 2), zero));
    uint64_t z3 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(g + 3), zero));
    return ~(z0 | (z1 << 16) | (z2 << 32) | (z3 << 48));
}
#endif

#if defined(__SSE2__)
/* Reduces the run of blocks at p + base, numbered from 1 in every byte lane, to the offset of
 * the last one holding a non-zero byte: per lane, last is the number of the last block in which
 * that lane was non-zero (0: none); the largest lane wins. Masks, no branches. */
static size_t pl_pad_reduce(__m128i last, size_t base, size_t block) {
    last = _mm_max_epu8(last, _mm_srli_si128(last, 8));
    last = _mm_max_epu8(last, _mm_srli_si128(last, 4));
    last = _mm_max_epu8(last, _mm_srli_si128(last, 2));
    last = _mm_max_epu8(last, _mm_srli_si128(last, 1));
    uint64_t k = (uint64_t)(_mm_cvtsi128_si32(last) & 0xff);
    uint64_t nz = pl_pad_nonzero(k);
    return (block & ~(size_t)nz) | ((base + ((size_t)(k - 1) << 8)) & (size_t)nz);
}

/* The offset of the last 256-byte block of p[*io_i..n) holding a non-zero byte (0 when none),
 * advancing *io_i past the whole blocks. Each block is reduced to the OR of its bytes, kept by
 * lane in vector registers (pl_pad_reduce) in runs of up to 255 blocks. */
static size_t pl_pad_blocks_sse2(const uint8_t *p, size_t n, size_t *io_i) {
    const __m128i zero = _mm_setzero_si128();
    const __m128i one = _mm_set1_epi8(1);
    size_t i = *io_i;
    size_t block = 0;
    while (n - i >= 256) {
        size_t base = i;
        size_t blocks = (n - i) / 256 < 255 ? (n - i) / 256 : 255;
        __m128i number = zero;
        __m128i last = zero;
        for (size_t b = 0; b < blocks; b++, i += 256) {
            const __m128i *g = (const __m128i *)(const void *)(p + i);
            /* Four independent chains: one OR chain of sixteen loads is bound by its latency. */
            __m128i a = _mm_loadu_si128(g);
            __m128i c1 = _mm_loadu_si128(g + 1);
            __m128i c2 = _mm_loadu_si128(g + 2);
            __m128i c3 = _mm_loadu_si128(g + 3);
            for (size_t k = 4; k < 16; k += 4) {
                a = _mm_or_si128(a, _mm_loadu_si128(g + k));
                c1 = _mm_or_si128(c1, _mm_loadu_si128(g + k + 1));
                c2 = _mm_or_si128(c2, _mm_loadu_si128(g + k + 2));
                c3 = _mm_or_si128(c3, _mm_loadu_si128(g + k + 3));
            }
            __m128i v = _mm_or_si128(_mm_or_si128(a, c1), _mm_or_si128(c2, c3));
            number = _mm_add_epi8(number, one);
            last = _mm_max_epu8(last, _mm_andnot_si128(_mm_cmpeq_epi8(v, zero), number));
        }
        block = pl_pad_reduce(last, base, block);
    }
    *io_i = i;
    return block;
}

/* As pl_pad_blocks_sse2 with 32-byte vectors: half the loads, where the CPU has AVX2. */
__attribute__((target("avx2"))) static size_t pl_pad_blocks_avx2(const uint8_t *p, size_t n,
                                                                 size_t *io_i) {
    const __m256i zero = _mm256_setzero_si256();
    const __m256i one = _mm256_set1_epi8(1);
    size_t i = *io_i;
    size_t block = 0;
    while (n - i >= 256) {
        size_t base = i;
        size_t blocks = (n - i) / 256 < 255 ? (n - i) / 256 : 255;
        __m256i number = zero;
        __m256i last = zero;
        for (size_t b = 0; b < blocks; b++, i += 256) {
            const __m256i *g = (const __m256i *)(const void *)(p + i);
            __m256i a = _mm256_or_si256(_mm256_loadu_si256(g), _mm256_loadu_si256(g + 4));
            __m256i c1 = _mm256_or_si256(_mm256_loadu_si256(g + 1), _mm256_loadu_si256(g + 5));
            __m256i c2 = _mm256_or_si256(_mm256_loadu_si256(g + 2), _mm256_loadu_si256(g + 6));
            __m256i c3 = _mm256_or_si256(_mm256_loadu_si256(g + 3), _mm256_loadu_si256(g + 7));
            __m256i v = _mm256_or_si256(_mm256_or_si256(a, c1), _mm256_or_si256(c2, c3));
            number = _mm256_add_epi8(number, one);
            last = _mm256_max_epu8(last, _mm256_andnot_si256(_mm256_cmpeq_epi8(v, zero), number));
        }
        block = pl_pad_reduce(
            _mm_max_epu8(_mm256_castsi256_si128(last), _mm256_extracti128_si256(last, 1)), base,
            block);
    }
    *io_i = i;
    return block;
}

#endif

pl_pad_impl pl_pad_best(void) {
#if defined(__SSE2__)
    /* A property of the machine, not of any data. Racing first calls store the same value. */
    static _Atomic int best = -1;
    int b = best;
    if (b < 0) {
        __builtin_cpu_init();
        b = __builtin_cpu_supports("avx2") ? PL_PAD_AVX2 : PL_PAD_SSE2;
        best = b;
    }
    return (pl_pad_impl)b;
#else
    return PL_PAD_PORTABLE;
#endif
}

/* RFC 8446 §5.4: the content type is the last non-zero octet of the plaintext; the zeros after
 * it are padding. The scan touches every byte the same way, so its time does not reveal how much
 * padding the peer chose to hide: the last group of bytes with a non-zero byte is kept by masks,
 * and the highest non-zero byte of that group is found in fixed steps. With vectors the bulk of
 * the record goes by 256-byte blocks, each reduced to the OR of its bytes, whose last non-zero
 * one is kept per byte lane in vector registers (pl_pad_blocks_sse2, _avx2); that block alone is
 * read again, once, to place its bytes. That second read is at an address that depends on where
 * the content ends, but it reads bytes the first pass has just brought into the cache, and the
 * content length it locates is handed to the application anyway. The rest goes by 64-byte
 * groups and then 64-bit words. A byte-wise scan cost as much as decrypting the record; with a
 * mask test per block in general registers the scan was 2.9% of the bulk profile, with lanes
 * and AVX2 it is 2.1%. */
int pl_pad_find_type_with(const uint8_t *p, size_t n, pl_pad_impl impl, size_t *out_type_at) {
    pl_pad_scan s = {0, 0, 0};
    size_t i = 0;
#if defined(__SSE2__)
    if (impl != PL_PAD_PORTABLE) {
        size_t block =
            impl == PL_PAD_AVX2 ? pl_pad_blocks_avx2(p, n, &i) : pl_pad_blocks_sse2(p, n, &i);
        if (i != 0) {
            /* i is public (the record length); the block at offset 0 when none held a non-zero
             * byte, in which case its four groups add nothing. */
            for (size_t k = 0; k < 256; k += 64) {
                pl_pad_scan_add(&s, pl_pad_bits64(p + block + k), block + k);
            }
        }
        for (; n - i >= 64; i += 64) {
            pl_pad_scan_add(&s, pl_pad_bits64(p + i), i);
        }
    }
#else
    (void)impl;
#endif
    uint64_t word = 0; /* the last non-zero word from i on, and its offset */
    size_t word_at = 0;
    for (; i < n; i += 8) {
        /* Whole words load as one; only the last may be shorter. */
        uint64_t w = n - i >= 8 ? pl_pad_load(p + i, 8) : pl_pad_load(p + i, n - i);
        uint64_t nz = pl_pad_nonzero(w);
        word = (word & ~nz) | (w & nz);
        word_at = (word_at & ~(size_t)nz) | (i & (size_t)nz);
    }
    uint64_t bits = 0;
    for (size_t k = 0; k < 8; k++) {
        bits |= (pl_pad_nonzero((word >> (8 * k)) & 0xffu) & 1u) << k;
    }
    pl_pad_scan_add(&s, bits, word_at); /* no-op when every word was zero */
    /* The highest set bit of s.bits by halving, masks instead of branches: six fixed steps
     * where a loop over the 64 bits cost 10% of the scan. */
    size_t top = 0;
    uint64_t rest = s.bits;
    for (unsigned shift = 32; shift != 0; shift >>= 1) {
        uint64_t high = rest >> shift;
        uint64_t in_high = pl_pad_nonzero(high);
        top += shift & (size_t)in_high;
        rest = (high & in_high) | (rest & ~in_high);
    }
    *out_type_at = s.at + top;
    int found = s.found != 0;
    /* The last plaintext word leaves no copy on the stack. */
    pl_wipe(&word, sizeof(word));
    return found;
}

int pl_pad_find_type(const uint8_t *p, size_t n, size_t *out_type_at) {
    return pl_pad_find_type_with(p, n, pl_pad_best(), out_type_at);
}
