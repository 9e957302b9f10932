/* The record layer: header limits, TLS 1.3 and TLS 1.2 AEAD protection checked against an
 * independent construction of nonce and additional data, authentication failures, inner
 * content type and padding rules, sequence numbers, re-keying, RFC 8449 limits, and the
 * absence of allocation per record. */
#include <stdlib.h>
#include <string.h>

#include "allocs.h"
#include "crypto/crypto.h"
#include "record/record.h"
#include "testlib.h"
#include "util/mem.h"
#include "wire/cur.h"

#define MAX_PT PL_RECORD_MAX_PLAINTEXT

static uint8_t buf[PL_RECORD_MAX_RECORD_LEN + 64];

static const uint8_t key_a[32] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
                                  0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
                                  0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20};
static const uint8_t iv_a[12] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5,
                                 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab};

static void set_keys(pl_record_dir *d, pl_record_prot prot, const pl_aead_alg *aead,
                     uint8_t key_byte) {
    pl_record_keys k;
    memset(&k, 0, sizeof(k));
    k.prot = prot;
    k.aead = aead;
    memcpy(k.key, key_a, sizeof(k.key));
    k.key[0] = key_byte;
    memcpy(k.iv, iv_a, sizeof(k.iv));
    PL_ASSERT_OK(pl_record_dir_set_keys(d, &k));
}

/* A tx/rx pair sharing keys, as the two ends of one direction. */
static void pair(pl_record_dir *tx, pl_record_dir *rx, pl_record_prot prot,
                 const pl_aead_alg *aead) {
    pl_record_dir_init(tx);
    pl_record_dir_init(rx);
    if (prot != PL_RECORD_PLAINTEXT) {
        set_keys(tx, prot, aead, 0x01);
        set_keys(rx, prot, aead, 0x01);
    }
}

static void fill(uint8_t *p, size_t n, uint8_t seed) {
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed + i * 7);
    }
}

/* Seals n bytes of patterned payload; returns the record length. */
static size_t seal(pl_record_dir *tx, uint8_t type, size_t n, size_t pad) {
    fill(buf + pl_record_seal_prefix(tx), n, (uint8_t)n);
    size_t len;
    PL_ASSERT_OK(pl_record_seal(tx, type, buf, sizeof(buf), n, pad, &len));
    return len;
}

/* Parses and opens the record in rec[0..len). */
static padlock_err open_rec(pl_record_dir *rx, uint8_t *rec, size_t len, pl_record *out) {
    pl_cur c;
    pl_cur_init(&c, rec, len);
    pl_record_header h;
    padlock_err err = pl_record_header_parse(rx, &c, &h);
    if (err != PADLOCK_OK) {
        return err;
    }
    assert_int_equal(PL_RECORD_HEADER_LEN + (size_t)h.length, len);
    return pl_record_open(rx, &h, rec + PL_RECORD_HEADER_LEN, out);
}

static padlock_err parse_header(const pl_record_dir *rx, uint8_t type, uint16_t length) {
    uint8_t h[5] = {type, 0x03, 0x03, (uint8_t)(length >> 8), (uint8_t)length};
    pl_cur c;
    pl_cur_init(&c, h, sizeof(h));
    pl_record_header out;
    return pl_record_header_parse(rx, &c, &out);
}

/* An independent TLS 1.3 record construction straight from RFC 8446 §5.2-5.3: nonce = iv xor
 * seq, AAD = 23 03 03 len, ciphertext of inner (content || type || zeros). */
static size_t raw_tls13(uint64_t seq, uint8_t key_byte, const uint8_t *inner, size_t inner_len,
                        uint8_t *out) {
    pl_aead_ctx *ctx;
    PL_ASSERT_OK(pl_aead_ctx_new(&ctx));
    uint8_t key[32];
    memcpy(key, key_a, 32);
    key[0] = key_byte;
    PL_ASSERT_OK(pl_aead_ctx_set_key(ctx, &pl_aead_aes_128_gcm, key));
    uint8_t nonce[12];
    memcpy(nonce, iv_a, 12);
    for (int i = 0; i < 8; i++) {
        nonce[4 + i] ^= (uint8_t)(seq >> (56 - 8 * i));
    }
    size_t len = inner_len + 16;
    out[0] = 23;
    out[1] = 3;
    out[2] = 3;
    out[3] = (uint8_t)(len >> 8);
    out[4] = (uint8_t)len;
    memcpy(out + 5, inner, inner_len);
    PL_ASSERT_OK(pl_aead_seal(ctx, nonce, out, 5, out + 5, inner_len, out + 5 + inner_len));
    pl_aead_ctx_free(ctx);
    return 5 + len;
}

static void test_header_limits(void **state) {
    (void)state;
    pl_record_dir plain, p13, p12;
    pl_record_dir_init(&plain);
    pl_record_dir_init(&p13);
    pl_record_dir_init(&p12);
    set_keys(&p13, PL_RECORD_TLS13, &pl_aead_aes_128_gcm, 1);
    set_keys(&p12, PL_RECORD_TLS12, &pl_aead_aes_128_gcm, 1);

    /* RFC 8446 §5.1: TLSPlaintext up to 2^14. */
    PL_ASSERT_OK(parse_header(&plain, PL_CONTENT_HANDSHAKE, MAX_PT));
    PL_ASSERT_ERR(parse_header(&plain, PL_CONTENT_HANDSHAKE, MAX_PT + 1),
                  PADLOCK_E_RECORD_OVERFLOW);
    PL_ASSERT_ERR(parse_header(&plain, PL_CONTENT_ALERT, MAX_PT + 1), PADLOCK_E_RECORD_OVERFLOW);
    /* application_data in the clear can only be protected early data: ciphertext bound. */
    PL_ASSERT_OK(parse_header(&plain, PL_CONTENT_APPLICATION_DATA, MAX_PT + 256));
    PL_ASSERT_ERR(parse_header(&plain, PL_CONTENT_APPLICATION_DATA, MAX_PT + 257),
                  PADLOCK_E_RECORD_OVERFLOW);
    /* §5.2: TLSCiphertext up to 2^14 + 256. */
    PL_ASSERT_OK(parse_header(&p13, PL_CONTENT_APPLICATION_DATA, MAX_PT + 256));
    PL_ASSERT_ERR(parse_header(&p13, PL_CONTENT_APPLICATION_DATA, MAX_PT + 257),
                  PADLOCK_E_RECORD_OVERFLOW);
    PL_ASSERT_OK(parse_header(&p13, PL_CONTENT_CHANGE_CIPHER_SPEC, 1));
    PL_ASSERT_ERR(parse_header(&p13, PL_CONTENT_CHANGE_CIPHER_SPEC, MAX_PT + 1),
                  PADLOCK_E_RECORD_OVERFLOW);
    /* Once protected, handshake and alert records in the clear are unexpected (for the one
     * exception in the first epoch, see test_unprotected_alert). */
    PL_ASSERT_ERR(parse_header(&p13, PL_CONTENT_HANDSHAKE, 10), PADLOCK_E_UNEXPECTED_MESSAGE);
    PL_ASSERT_ERR(parse_header(&p13, PL_CONTENT_ALERT, 3), PADLOCK_E_UNEXPECTED_MESSAGE);
    /* RFC 5246 §6.2.3: TLS 1.2 ciphertext up to 2^14 + 2048. */
    PL_ASSERT_OK(parse_header(&p12, PL_CONTENT_HANDSHAKE, MAX_PT + 2048));
    PL_ASSERT_ERR(parse_header(&p12, PL_CONTENT_HANDSHAKE, MAX_PT + 2049),
                  PADLOCK_E_RECORD_OVERFLOW);
    /* §5: unknown content types are unexpected_message, whatever the state. */
    const uint8_t unknown[] = {0, 19, 24, 0x47, 255};
    for (size_t i = 0; i < sizeof(unknown); i++) {
        PL_ASSERT_ERR(parse_header(&plain, unknown[i], 5), PADLOCK_E_UNEXPECTED_MESSAGE);
        PL_ASSERT_ERR(parse_header(&p13, unknown[i], 5), PADLOCK_E_UNEXPECTED_MESSAGE);
        PL_ASSERT_ERR(parse_header(&p12, unknown[i], 5), PADLOCK_E_UNEXPECTED_MESSAGE);
    }
    /* Fewer than five bytes: not a header yet; the cursor is not advanced. */
    const uint8_t part[4] = {22, 3, 3, 0};
    pl_cur c;
    pl_cur_init(&c, part, sizeof(part));
    pl_record_header h;
    PL_ASSERT_ERR(pl_record_header_parse(&plain, &c, &h), PADLOCK_E_DECODE);
    assert_int_equal(pl_cur_left(&c), 4);
    /* Nor past a refused header. */
    const uint8_t big[5] = {22, 3, 3, 0x40, 0x01};
    pl_cur_init(&c, big, sizeof(big));
    PL_ASSERT_ERR(pl_record_header_parse(&plain, &c, &h), PADLOCK_E_RECORD_OVERFLOW);
    assert_int_equal(pl_cur_left(&c), 5);
    /* The header fields come out as sent; legacy_record_version is not judged. */
    const uint8_t hdr[5] = {22, 0x03, 0x01, 0x01, 0x02};
    pl_cur_init(&c, hdr, sizeof(hdr));
    PL_ASSERT_OK(pl_record_header_parse(&plain, &c, &h));
    assert_int_equal(h.type, 22);
    assert_int_equal(h.version, 0x0301);
    assert_int_equal(h.length, 0x0102);
    pl_record_dir_cleanup(&plain);
    pl_record_dir_cleanup(&p13);
    pl_record_dir_cleanup(&p12);
}

static void test_tls13_plaintext_limits(void **state) {
    (void)state;
    pl_record_dir tx, rx;
    pair(&tx, &rx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm);
    assert_int_equal(pl_record_max_payload(&tx), MAX_PT);
    /* 2^14 of content: the largest record (TLSInnerPlaintext of 2^14 + 1). */
    size_t len = seal(&tx, PL_CONTENT_APPLICATION_DATA, MAX_PT, 0);
    assert_int_equal(len, 5 + MAX_PT + 1 + 16);
    pl_record r;
    PL_ASSERT_OK(open_rec(&rx, buf, len, &r));
    assert_int_equal(r.len, MAX_PT);
    assert_int_equal(r.type, PL_CONTENT_APPLICATION_DATA);
    /* One byte more, as content or as padding, is refused when sealing. */
    size_t out_len;
    PL_ASSERT_ERR(pl_record_seal(&tx, 23, buf, sizeof(buf), MAX_PT + 1, 0, &out_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_record_seal(&tx, 23, buf, sizeof(buf), MAX_PT, 1, &out_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    /* A peer's record whose inner plaintext is 2^14 + 2 is record_overflow (§5.4). */
    static uint8_t inner[MAX_PT + 256];
    memset(inner, 0x61, sizeof(inner));
    inner[MAX_PT + 1] = 23;
    len = raw_tls13(rx.seq, 0x01, inner, MAX_PT + 2, buf);
    PL_ASSERT_ERR(open_rec(&rx, buf, len, &r), PADLOCK_E_RECORD_OVERFLOW);
    /* The largest ciphertext header (2^14 + 256) parses; its plaintext is too long. */
    inner[MAX_PT + 239] = 23;
    len = raw_tls13(rx.seq, 0x01, inner, MAX_PT + 240, buf);
    assert_int_equal(len, 5 + MAX_PT + 256);
    PL_ASSERT_ERR(open_rec(&rx, buf, len, &r), PADLOCK_E_RECORD_OVERFLOW);
    /* Exactly 2^14 + 1 built independently opens. */
    inner[MAX_PT] = 22;
    len = raw_tls13(rx.seq, 0x01, inner, MAX_PT + 1, buf);
    PL_ASSERT_OK(open_rec(&rx, buf, len, &r));
    assert_int_equal(r.type, PL_CONTENT_HANDSHAKE);
    assert_int_equal(r.len, MAX_PT);
    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
}

/* pl_record_seal agrees with the RFC 8446 construction at sequence numbers that exercise all
 * eight bytes of the nonce xor. */
static void test_tls13_matches_construction(void **state) {
    (void)state;
    pl_record_dir tx;
    pl_record_dir_init(&tx);
    set_keys(&tx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm, 0x01);
    const uint64_t seqs[] = {0, 1, 0x0102030405060708ULL, 0xfffffffffffffffdULL};
    static uint8_t want[256];
    uint8_t inner[64];
    for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
        tx.seq = seqs[i];
        fill(inner, 40, 3);
        inner[40] = PL_CONTENT_HANDSHAKE;
        memset(inner + 41, 0, 7); /* padding */
        size_t want_len = raw_tls13(seqs[i], 0x01, inner, 48, want);
        fill(buf + 5, 40, 3);
        size_t len;
        PL_ASSERT_OK(pl_record_seal(&tx, PL_CONTENT_HANDSHAKE, buf, sizeof(buf), 40, 7, &len));
        assert_int_equal(len, want_len);
        assert_memory_equal(buf, want, len);
        assert_true(tx.seq == seqs[i] + 1);
    }
    pl_record_dir_cleanup(&tx);
}

static void test_bad_mac(void **state) {
    (void)state;
    pl_record_dir tx, rx;
    pair(&tx, &rx, PL_RECORD_TLS13, &pl_aead_chacha20_poly1305);
    static uint8_t good[256];
    size_t len = seal(&tx, PL_CONTENT_APPLICATION_DATA, 100, 3);
    memcpy(good, buf, len);
    /* Every byte the AEAD covers: version (header AAD), body, padding, type, tag. The type and
     * length bytes of the header change the framing itself and are covered elsewhere. */
    for (size_t i = 1; i < len; i++) {
        if (i == 3 || i == 4) {
            continue;
        }
        memcpy(buf, good, len);
        buf[i] ^= 0x80;
        pl_record r;
        PL_ASSERT_ERR(open_rec(&rx, buf, len, &r), PADLOCK_E_BAD_RECORD_MAC);
        assert_int_equal(rx.seq, 0); /* no record was accepted */
        /* No unauthenticated plaintext is left behind. */
        assert_true(pl_ct_is_zero(buf + 5, len - 5));
    }
    /* A shorter length (a truncated record) does not authenticate either. */
    memcpy(buf, good, len);
    buf[4] = (uint8_t)(buf[4] - 1);
    pl_record r;
    PL_ASSERT_ERR(open_rec(&rx, buf, len - 1, &r), PADLOCK_E_BAD_RECORD_MAC);
    /* Too short for type + tag. */
    for (uint16_t n = 0; n <= 16; n++) {
        uint8_t h[5 + 16] = {23, 3, 3, 0, (uint8_t)n};
        PL_ASSERT_ERR(open_rec(&rx, h, 5 + n, &r), PADLOCK_E_BAD_RECORD_MAC);
    }
    /* The untouched record still opens. */
    memcpy(buf, good, len);
    PL_ASSERT_OK(open_rec(&rx, buf, len, &r));
    assert_int_equal(r.len, 100);
    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
}

static void test_inner_content_rules(void **state) {
    (void)state;
    pl_record_dir rx;
    pl_record_dir_init(&rx);
    set_keys(&rx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm, 0x01);
    pl_record r;
    uint8_t inner[32];
    size_t len;
    /* §5.4: all zeros, no content type: unexpected_message. */
    memset(inner, 0, sizeof(inner));
    len = raw_tls13(rx.seq, 0x01, inner, sizeof(inner), buf);
    PL_ASSERT_ERR(open_rec(&rx, buf, len, &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    len = raw_tls13(rx.seq, 0x01, inner, 1, buf);
    PL_ASSERT_ERR(open_rec(&rx, buf, len, &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    /* §5: protected change_cipher_spec, and unknown inner types. */
    const uint8_t bad_types[] = {PL_CONTENT_CHANGE_CIPHER_SPEC, 24, 0x80, 255};
    for (size_t i = 0; i < sizeof(bad_types); i++) {
        inner[0] = 0x01;
        inner[1] = bad_types[i];
        len = raw_tls13(rx.seq, 0x01, inner, 2, buf);
        PL_ASSERT_ERR(open_rec(&rx, buf, len, &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    }
    /* §5.4: empty handshake and alert content is unexpected_message... */
    inner[0] = PL_CONTENT_HANDSHAKE;
    len = raw_tls13(rx.seq, 0x01, inner, 1, buf);
    PL_ASSERT_ERR(open_rec(&rx, buf, len, &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    inner[0] = PL_CONTENT_ALERT;
    memset(inner + 1, 0, 5);
    len = raw_tls13(rx.seq, 0x01, inner, 6, buf);
    PL_ASSERT_ERR(open_rec(&rx, buf, len, &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    /* ...empty application data is allowed (cover traffic), padded or not. */
    inner[0] = PL_CONTENT_APPLICATION_DATA;
    len = raw_tls13(rx.seq, 0x01, inner, 6, buf);
    PL_ASSERT_OK(open_rec(&rx, buf, len, &r));
    assert_int_equal(r.type, PL_CONTENT_APPLICATION_DATA);
    assert_int_equal(r.len, 0);
    /* Zeros inside the content are content; only the trailing run is padding. */
    const uint8_t with_zeros[] = {0, 0, 7, 0, 22, 0, 0, 0};
    len = raw_tls13(rx.seq, 0x01, with_zeros, sizeof(with_zeros), buf);
    PL_ASSERT_OK(open_rec(&rx, buf, len, &r));
    assert_int_equal(r.type, PL_CONTENT_HANDSHAKE);
    assert_int_equal(r.len, 4);
    assert_memory_equal(r.data, with_zeros, 4);
    pl_record_dir_cleanup(&rx);
}

/* pl_record_seal_from reads the payload from the caller's memory and writes exactly the record
 * pl_record_seal makes from the same payload in place, for TLS 1.3 (with and without padding,
 * every AEAD), TLS 1.2 (explicit nonce and ChaCha20) and unprotected records; the opened record
 * gives the payload back, and the caller's payload is left as it was. */
static void test_seal_from(void **state) {
    (void)state;
    static uint8_t payload[PL_RECORD_MAX_PLAINTEXT];
    static uint8_t a[PL_RECORD_MAX_RECORD_LEN + 1];
    static uint8_t b[PL_RECORD_MAX_RECORD_LEN + 1];
    for (size_t i = 0; i < sizeof(payload); i++) {
        payload[i] = (uint8_t)(i * 7u + 3u);
    }
    const pl_aead_alg *algs[] = {&pl_aead_aes_128_gcm, &pl_aead_aes_256_gcm,
                                 &pl_aead_chacha20_poly1305};
    const pl_record_prot prots[] = {PL_RECORD_TLS13, PL_RECORD_TLS12, PL_RECORD_PLAINTEXT};
    const size_t lens[] = {1, 15, 16, 17, 1000, PL_RECORD_MAX_PLAINTEXT - 300,
                           PL_RECORD_MAX_PLAINTEXT};
    for (size_t p = 0; p < 3; p++) {
        for (size_t g = 0; g < 3; g++) {
            for (size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
                for (size_t pad = 0; pad <= (prots[p] == PL_RECORD_TLS13 ? 299u : 0u); pad += 13) {
                    size_t len = lens[l];
                    if (prots[p] == PL_RECORD_TLS13 && len + pad > PL_RECORD_MAX_PLAINTEXT) {
                        continue;
                    }
                    pl_record_dir ta;
                    pl_record_dir tb;
                    pl_record_dir rx;
                    pl_record_dir_init(&ta);
                    pl_record_dir_init(&tb);
                    pl_record_dir_init(&rx);
                    if (prots[p] != PL_RECORD_PLAINTEXT) {
                        set_keys(&ta, prots[p], algs[g], 0x11);
                        set_keys(&tb, prots[p], algs[g], 0x11);
                        set_keys(&rx, prots[p], algs[g], 0x11);
                    }
                    uint8_t type = prots[p] == PL_RECORD_PLAINTEXT ? PL_CONTENT_HANDSHAKE
                                                                  : PL_CONTENT_APPLICATION_DATA;
                    size_t prefix = pl_record_seal_prefix(&ta);
                    memset(a, 0xee, sizeof(a));
                    memset(b, 0xee, sizeof(b));
                    memcpy(a + prefix, payload, len);
                    size_t a_len;
                    size_t b_len;
                    PL_ASSERT_OK(pl_record_seal(&ta, type, a, sizeof(a), len, pad, &a_len));
                    PL_ASSERT_OK(
                        pl_record_seal_from(&tb, type, payload, b, sizeof(b), len, pad, &b_len));
                    assert_int_equal(a_len, b_len);
                    assert_memory_equal(a, b, a_len);
                    assert_int_equal(b[b_len], 0xee);
                    assert_true(ta.seq == tb.seq);
                    pl_record r;
                    PL_ASSERT_OK(open_rec(&rx, b, b_len, &r));
                    assert_int_equal(r.type, type);
                    assert_int_equal(r.len, len);
                    assert_memory_equal(r.data, payload, len);
                    assert_int_equal(payload[len - 1], (uint8_t)((len - 1) * 7u + 3u));
                    pl_record_dir_cleanup(&ta);
                    pl_record_dir_cleanup(&tb);
                    pl_record_dir_cleanup(&rx);
                }
            }
        }
    }
}

/* Content of `content` bytes (with zeros inside, or only zeros), the type, then `pad` zero
 * bytes: the type found is the last non-zero byte. */
static void check_padding(pl_record_dir *rx, uint8_t *inner, size_t content, size_t pad) {
    for (size_t zeros = 0; zeros < 2; zeros++) {
        for (size_t i = 0; i < content; i++) {
            inner[i] = zeros ? 0 : (uint8_t)(i % 3 == 0 ? 0 : i + 1);
        }
        inner[content] = PL_CONTENT_APPLICATION_DATA;
        memset(inner + content + 1, 0, pad);
        size_t len = raw_tls13(rx->seq, 0x01, inner, content + 1 + pad, buf);
        pl_record r;
        PL_ASSERT_OK(open_rec(rx, buf, len, &r));
        assert_int_equal(r.type, PL_CONTENT_APPLICATION_DATA);
        assert_int_equal(r.len, content);
        assert_memory_equal(r.data, inner, content);
    }
}

/* §5.4 at every position of the content type in and across the groups the padding scan reads
 * (256-byte blocks, 64-byte groups, then 8-byte words): content of 0 to 140 bytes with 0 to 70
 * bytes of padding, and content of 0 to 800 bytes (three blocks and more) with padding lengths
 * around the group and block sizes, with zeros inside the content and content made only of
 * zeros. */
static void test_padding_positions(void **state) {
    (void)state;
    pl_record_dir rx;
    pl_record_dir_init(&rx);
    set_keys(&rx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm, 0x01);
    uint8_t inner[1400];
    for (size_t content = 0; content <= 140; content++) {
        for (size_t pad = 0; pad <= 70; pad++) {
            check_padding(&rx, inner, content, pad);
        }
    }
    static const size_t pads[] = {0, 1, 7, 8, 63, 64, 65, 191, 255, 256, 257, 511, 512, 513};
    for (size_t content = 0; content <= 800; content++) {
        for (size_t k = 0; k < sizeof(pads) / sizeof(pads[0]); k++) {
            check_padding(&rx, inner, content, pads[k]);
        }
    }
    /* Only zeros, of every length up to four blocks: no content type. */
    for (size_t n = 1; n <= 1030; n++) {
        memset(inner, 0, n);
        size_t len = raw_tls13(rx.seq, 0x01, inner, n, buf);
        pl_record r;
        PL_ASSERT_ERR(open_rec(&rx, buf, len, &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    }
    pl_record_dir_cleanup(&rx);
}

static void test_padding(void **state) {
    (void)state;
    pl_record_dir tx, rx;
    pair(&tx, &rx, PL_RECORD_TLS13, &pl_aead_aes_256_gcm);
    const size_t pads[] = {0, 1, 2, 15, 255, 1000, MAX_PT - 20};
    for (size_t i = 0; i < sizeof(pads) / sizeof(pads[0]); i++) {
        size_t len = seal(&tx, PL_CONTENT_HANDSHAKE, 20, pads[i]);
        assert_int_equal(len, 5 + 20 + 1 + pads[i] + 16);
        assert_int_equal(pl_record_seal_suffix(&tx, pads[i]), 1 + pads[i] + 16);
        pl_record r;
        PL_ASSERT_OK(open_rec(&rx, buf, len, &r));
        assert_int_equal(r.type, PL_CONTENT_HANDSHAKE);
        assert_int_equal(r.len, 20);
        uint8_t want[20];
        fill(want, 20, 20);
        assert_memory_equal(r.data, want, 20);
        /* The type byte, cleared once read, and the padding (decrypted to zeros) follow. */
        assert_int_equal(r.data[20], 0);
        assert_true(pl_ct_is_zero(r.data + 21, pads[i]));
    }
    /* Content + type + padding may not pass 2^14 + 1. */
    size_t out_len;
    PL_ASSERT_OK(pl_record_seal(&tx, 23, buf, sizeof(buf), 20, MAX_PT - 20, &out_len));
    PL_ASSERT_ERR(pl_record_seal(&tx, 23, buf, sizeof(buf), 20, MAX_PT - 19, &out_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
}

static void test_sequence_numbers(void **state) {
    (void)state;
    /* A client: its writes and the server's writes use separate keys and counters. */
    pl_record_dir c_tx, s_rx, s_tx, c_rx;
    pair(&c_tx, &s_rx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm);
    pl_record_dir_init(&s_tx);
    pl_record_dir_init(&c_rx);
    set_keys(&s_tx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm, 0x02);
    set_keys(&c_rx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm, 0x02);
    static uint8_t recs[3][128];
    size_t lens[3];
    for (int i = 0; i < 3; i++) {
        lens[i] = seal(&c_tx, PL_CONTENT_APPLICATION_DATA, (size_t)(10 + i), 0);
        memcpy(recs[i], buf, lens[i]);
    }
    assert_int_equal(c_tx.seq, 3);
    /* The server's sending side is unaffected. */
    assert_int_equal(s_tx.seq, 0);
    size_t len = seal(&s_tx, PL_CONTENT_APPLICATION_DATA, 5, 0);
    pl_record r;
    PL_ASSERT_OK(open_rec(&c_rx, buf, len, &r));
    assert_int_equal(c_rx.seq, 1);
    /* Out of order (record 1 where 0 is due) fails: the nonce is the receiver's counter. */
    uint8_t tmp[128];
    memcpy(tmp, recs[1], lens[1]);
    PL_ASSERT_ERR(open_rec(&s_rx, tmp, lens[1], &r), PADLOCK_E_BAD_RECORD_MAC);
    assert_int_equal(s_rx.seq, 0);
    for (int i = 0; i < 3; i++) {
        memcpy(tmp, recs[i], lens[i]);
        PL_ASSERT_OK(open_rec(&s_rx, tmp, lens[i], &r));
        assert_int_equal(r.len, (size_t)(10 + i));
    }
    assert_int_equal(s_rx.seq, 3);
    /* A replayed record fails. */
    memcpy(tmp, recs[2], lens[2]);
    PL_ASSERT_ERR(open_rec(&s_rx, tmp, lens[2], &r), PADLOCK_E_BAD_RECORD_MAC);
    /* A record sealed under the other direction's keys fails. */
    len = seal(&s_tx, PL_CONTENT_APPLICATION_DATA, 5, 0);
    s_rx.seq = s_tx.seq - 1;
    PL_ASSERT_ERR(open_rec(&s_rx, buf, len, &r), PADLOCK_E_BAD_RECORD_MAC);
    pl_record_dir_cleanup(&c_tx);
    pl_record_dir_cleanup(&s_rx);
    pl_record_dir_cleanup(&s_tx);
    pl_record_dir_cleanup(&c_rx);
}

static void test_sequence_exhausted(void **state) {
    (void)state;
    pl_record_dir tx, rx;
    pair(&tx, &rx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm);
    /* RFC 8446 §5.3: never wrap. 2^64 - 2 is the last number used. */
    tx.seq = UINT64_MAX - 1;
    rx.seq = UINT64_MAX - 1;
    size_t len = seal(&tx, PL_CONTENT_APPLICATION_DATA, 8, 0);
    pl_record r;
    PL_ASSERT_OK(open_rec(&rx, buf, len, &r));
    size_t out_len;
    PL_ASSERT_ERR(pl_record_seal(&tx, 23, buf, sizeof(buf), 8, 0, &out_len), PADLOCK_E_STATE);
    assert_true(tx.seq == UINT64_MAX);
    uint8_t rec[5 + 32] = {23, 3, 3, 0, 32};
    PL_ASSERT_ERR(open_rec(&rx, rec, sizeof(rec), &r), PADLOCK_E_STATE);
    /* New keys restart the count. */
    set_keys(&tx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm, 0x03);
    assert_int_equal(tx.seq, 0);
    seal(&tx, PL_CONTENT_APPLICATION_DATA, 8, 0);
    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
}

static void test_rekey(void **state) {
    (void)state;
    pl_record_dir tx, rx;
    pair(&tx, &rx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm);
    seal(&tx, PL_CONTENT_APPLICATION_DATA, 10, 0);
    seal(&tx, PL_CONTENT_APPLICATION_DATA, 10, 0);
    pl_aead_ctx *ctx = tx.aead;
    padlock_mem_stats before, after;
    padlock_mem_get_stats(&before);
    /* KeyUpdate: new key, even a new AEAD, same context, counter back to 0, no allocation. */
    set_keys(&tx, PL_RECORD_TLS13, &pl_aead_chacha20_poly1305, 0x09);
    set_keys(&rx, PL_RECORD_TLS13, &pl_aead_chacha20_poly1305, 0x09);
    padlock_mem_get_stats(&after);
    assert_true(after.num_allocs == before.num_allocs);
    assert_ptr_equal(tx.aead, ctx);
    assert_int_equal(tx.seq, 0);
    size_t len = seal(&tx, PL_CONTENT_APPLICATION_DATA, 10, 0);
    static uint8_t copy[64];
    memcpy(copy, buf, len);
    pl_record r;
    PL_ASSERT_OK(open_rec(&rx, buf, len, &r));
    /* The same record under the old key does not open. */
    pl_record_dir old;
    pl_record_dir_init(&old);
    set_keys(&old, PL_RECORD_TLS13, &pl_aead_aes_128_gcm, 0x01);
    PL_ASSERT_ERR(open_rec(&old, copy, len, &r), PADLOCK_E_BAD_RECORD_MAC);
    pl_record_dir_cleanup(&old);
    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
}

static void test_failed_key_install(void **state) {
    (void)state;
    pl_record_dir tx, rx;
    pair(&tx, &rx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm);
    seal(&tx, PL_CONTENT_APPLICATION_DATA, 10, 0);
    pl_record_keys k;
    memset(&k, 0x5a, sizeof(k));
    k.prot = PL_RECORD_TLS13;
    k.aead = NULL;
    PL_ASSERT_ERR(pl_record_dir_set_keys(&tx, &k), PADLOCK_E_INVALID_ARGUMENT);
    assert_true(pl_ct_is_zero(&k, sizeof(k)));
    /* The previous keys are not used any more: nothing is sealed until keys install. */
    size_t out_len;
    PL_ASSERT_ERR(pl_record_seal(&tx, 23, buf, sizeof(buf), 10, 0, &out_len), PADLOCK_E_STATE);
    /* Not even in the clear. */
    PL_ASSERT_ERR(pl_record_seal(&tx, 22, buf, sizeof(buf), 10, 0, &out_len), PADLOCK_E_STATE);
    memset(&k, 0, sizeof(k));
    k.prot = PL_RECORD_PLAINTEXT;
    k.aead = &pl_aead_aes_128_gcm;
    PL_ASSERT_ERR(pl_record_dir_set_keys(&rx, &k), PADLOCK_E_INVALID_ARGUMENT);
    uint8_t rec[5 + 32] = {23, 3, 3, 0, 32};
    pl_record r;
    PL_ASSERT_ERR(open_rec(&rx, rec, sizeof(rec), &r), PADLOCK_E_STATE);
    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
}

static void test_change_cipher_spec(void **state) {
    (void)state;
    pl_record_dir tx, rx;
    pair(&tx, &rx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm);
    /* RFC 8446 §5, D.4: the compatibility CCS goes out in the clear even when protected. */
    buf[5] = 0x01;
    size_t len;
    PL_ASSERT_OK(pl_record_seal(&tx, PL_CONTENT_CHANGE_CIPHER_SPEC, buf, sizeof(buf), 1, 0, &len));
    const uint8_t want[] = {20, 3, 3, 0, 1, 1};
    assert_int_equal(len, sizeof(want));
    assert_memory_equal(buf, want, sizeof(want));
    assert_int_equal(tx.seq, 0);
    pl_record r;
    PL_ASSERT_OK(open_rec(&rx, buf, len, &r));
    assert_int_equal(r.type, PL_CONTENT_CHANGE_CIPHER_SPEC);
    assert_int_equal(r.len, 1);
    assert_int_equal(rx.seq, 0);
    /* Any other CCS content is unexpected_message, protected or not. */
    uint8_t bad1[] = {20, 3, 3, 0, 1, 2};
    uint8_t bad2[] = {20, 3, 3, 0, 2, 1, 1};
    uint8_t bad3[] = {20, 3, 3, 0, 0};
    pl_record_dir plain;
    pl_record_dir_init(&plain);
    PL_ASSERT_ERR(open_rec(&rx, bad1, sizeof(bad1), &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    PL_ASSERT_ERR(open_rec(&rx, bad2, sizeof(bad2), &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    PL_ASSERT_ERR(open_rec(&plain, bad3, sizeof(bad3), &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    PL_ASSERT_ERR(pl_record_seal(&tx, PL_CONTENT_CHANGE_CIPHER_SPEC, buf, sizeof(buf), 1, 3, &len),
                  PADLOCK_E_INVALID_ARGUMENT); /* never padded: it is not protected */
    buf[5] = 0x02;
    PL_ASSERT_ERR(pl_record_seal(&tx, PL_CONTENT_CHANGE_CIPHER_SPEC, buf, sizeof(buf), 1, 0, &len),
                  PADLOCK_E_INVALID_ARGUMENT);
    /* Unprotected (TLS 1.2 handshake): the same single byte, with the direction's version. */
    pl_record_dir_set_version(&plain, 0x0303);
    buf[5] = 0x01;
    PL_ASSERT_OK(
        pl_record_seal(&plain, PL_CONTENT_CHANGE_CIPHER_SPEC, buf, sizeof(buf), 1, 0, &len));
    assert_memory_equal(buf, want, sizeof(want));
    PL_ASSERT_ERR(
        pl_record_seal(&plain, PL_CONTENT_CHANGE_CIPHER_SPEC, buf, sizeof(buf), 2, 0, &len),
        PADLOCK_E_INVALID_ARGUMENT);
    buf[5] = 0x00;
    PL_ASSERT_ERR(
        pl_record_seal(&plain, PL_CONTENT_CHANGE_CIPHER_SPEC, buf, sizeof(buf), 1, 0, &len),
        PADLOCK_E_INVALID_ARGUMENT);
    pl_record_dir_cleanup(&plain);
    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
}

/* A peer that fails before installing its handshake keys sends its alert in the clear (OpenSSL
 * clients do when they refuse our certificate): read once, as a fatal alert, in the first
 * protected epoch before any protected record; refused everywhere else. */
static void test_unprotected_alert(void **state) {
    (void)state;
    pl_record_dir tx, rx;
    pair(&tx, &rx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm);
    uint8_t fatal[] = {21, 3, 3, 0, 2, 2, 42};
    pl_record r;
    PL_ASSERT_OK(open_rec(&rx, fatal, sizeof(fatal), &r));
    assert_int_equal(r.type, PL_CONTENT_ALERT);
    assert_int_equal(r.len, 2);
    assert_int_equal(r.data[0], 2);
    assert_int_equal(r.data[1], 42);
    assert_int_equal(rx.seq, 0);
    /* A warning (close_notify, user_canceled) is not taken in the clear, nor a longer record. */
    uint8_t warning[] = {21, 3, 3, 0, 2, 1, 0};
    PL_ASSERT_ERR(open_rec(&rx, warning, sizeof(warning), &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    uint8_t longer[] = {21, 3, 3, 0, 4, 2, 42, 2, 42};
    PL_ASSERT_ERR(open_rec(&rx, longer, sizeof(longer), &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    /* After one protected record from the peer, it has its keys: no more clear alerts. */
    size_t len = seal(&tx, PL_CONTENT_HANDSHAKE, 10, 0);
    PL_ASSERT_OK(open_rec(&rx, buf, len, &r));
    PL_ASSERT_ERR(open_rec(&rx, fatal, sizeof(fatal), &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    /* Nor in a later epoch (application keys, KeyUpdate), even before its first record. */
    set_keys(&rx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm, 0x02);
    assert_int_equal(rx.seq, 0);
    PL_ASSERT_ERR(open_rec(&rx, fatal, sizeof(fatal), &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    /* Unprotected and TLS 1.2 directions are not concerned: a TLS 1.2 alert is protected. */
    pl_record_dir p12;
    pl_record_dir_init(&p12);
    set_keys(&p12, PL_RECORD_TLS12, &pl_aead_aes_128_gcm, 1);
    PL_ASSERT_ERR(open_rec(&p12, fatal, sizeof(fatal), &r), PADLOCK_E_BAD_RECORD_MAC);
    pl_record_dir_cleanup(&p12);
    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
}

static void test_plaintext_records(void **state) {
    (void)state;
    pl_record_dir tx, rx;
    pair(&tx, &rx, PL_RECORD_PLAINTEXT, NULL);
    assert_int_equal(pl_record_seal_prefix(&tx), 5);
    assert_int_equal(pl_record_seal_suffix(&tx, 0), 0);
    size_t len = seal(&tx, PL_CONTENT_HANDSHAKE, MAX_PT, 0);
    assert_int_equal(len, 5 + MAX_PT);
    assert_int_equal(buf[0], 22);
    assert_int_equal(buf[1] << 8 | buf[2], 0x0303);
    pl_record r;
    PL_ASSERT_OK(open_rec(&rx, buf, len, &r));
    assert_int_equal(r.len, MAX_PT);
    assert_ptr_equal(r.data, buf + 5); /* in place */
    size_t out_len;
    /* §5.1: never application data, never over 2^14, never padded, never empty handshake. */
    PL_ASSERT_ERR(pl_record_seal(&tx, 23, buf, sizeof(buf), 5, 0, &out_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_record_seal(&tx, 22, buf, sizeof(buf), MAX_PT + 1, 0, &out_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_record_seal(&tx, 22, buf, sizeof(buf), 5, 1, &out_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_record_seal(&tx, 22, buf, sizeof(buf), 0, 0, &out_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_record_seal(&tx, 21, buf, sizeof(buf), 0, 0, &out_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_record_seal(&tx, 99, buf, sizeof(buf), 5, 0, &out_len),
                  PADLOCK_E_INVALID_ARGUMENT);
    uint8_t app[] = {23, 3, 3, 0, 2, 1, 2};
    PL_ASSERT_ERR(open_rec(&rx, app, sizeof(app), &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    uint8_t empty_hs[] = {22, 3, 3, 0, 0};
    PL_ASSERT_ERR(open_rec(&rx, empty_hs, sizeof(empty_hs), &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    /* The initial ClientHello may carry legacy version 0x0301 (§5.1). */
    pl_record_dir_set_version(&tx, 0x0301);
    len = seal(&tx, PL_CONTENT_HANDSHAKE, 4, 0);
    assert_int_equal(buf[1] << 8 | buf[2], 0x0301);
    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
}

static void test_buffer_sizes(void **state) {
    (void)state;
    pl_record_dir tx;
    pl_record_dir_init(&tx);
    set_keys(&tx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm, 1);
    static uint8_t small[5 + 50 + 1 + 4 + 16];
    size_t len;
    PL_ASSERT_ERR(pl_record_seal(&tx, 23, small, sizeof(small) - 1, 50, 4, &len),
                  PADLOCK_E_BUFFER_TOO_SMALL);
    assert_int_equal(tx.seq, 0);
    PL_ASSERT_OK(pl_record_seal(&tx, 23, small, sizeof(small), 50, 4, &len));
    assert_int_equal(len, sizeof(small));
    pl_record_dir plain;
    pl_record_dir_init(&plain);
    PL_ASSERT_ERR(pl_record_seal(&plain, 22, small, 4, 1, 0, &len), PADLOCK_E_BUFFER_TOO_SMALL);
    PL_ASSERT_ERR(pl_record_seal(&plain, 22, small, 9, 5, 0, &len), PADLOCK_E_BUFFER_TOO_SMALL);
    PL_ASSERT_OK(pl_record_seal(&plain, 22, small, 10, 5, 0, &len));
    pl_record_dir_cleanup(&plain);
    pl_record_dir_cleanup(&tx);
}

static void test_record_size_limit(void **state) {
    (void)state;
    pl_record_dir tx, rx;
    pair(&tx, &rx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm);
    /* RFC 8449 §4: at least 64; counts the whole TLSInnerPlaintext in TLS 1.3. */
    PL_ASSERT_ERR(pl_record_dir_set_size_limit(&tx, 63), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_OK(pl_record_dir_set_size_limit(&tx, 64));
    PL_ASSERT_OK(pl_record_dir_set_size_limit(&rx, 64));
    assert_int_equal(pl_record_max_payload(&tx), 63);
    size_t len;
    PL_ASSERT_ERR(pl_record_seal(&tx, 23, buf, sizeof(buf), 64, 0, &len),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(pl_record_seal(&tx, 23, buf, sizeof(buf), 60, 4, &len),
                  PADLOCK_E_INVALID_ARGUMENT);
    len = seal(&tx, PL_CONTENT_APPLICATION_DATA, 60, 3);
    pl_record r;
    PL_ASSERT_OK(open_rec(&rx, buf, len, &r));
    assert_int_equal(r.len, 60);
    /* Receiving more than we advertised is record_overflow. */
    uint8_t inner[65];
    memset(inner, 0x41, sizeof(inner));
    inner[64] = 23;
    len = raw_tls13(rx.seq, 0x01, inner, 65, buf);
    PL_ASSERT_ERR(open_rec(&rx, buf, len, &r), PADLOCK_E_RECORD_OVERFLOW);
    len = raw_tls13(rx.seq, 0x01, inner + 1, 64, buf);
    PL_ASSERT_OK(open_rec(&rx, buf, len, &r));
    /* A limit above the protocol's is capped at it. */
    PL_ASSERT_OK(pl_record_dir_set_size_limit(&tx, 65535));
    assert_int_equal(pl_record_max_payload(&tx), MAX_PT);
    /* TLS 1.2: the limit counts the plaintext. Unprotected records are exempt. */
    pl_record_dir t12, plain;
    pl_record_dir_init(&t12);
    pl_record_dir_init(&plain);
    set_keys(&t12, PL_RECORD_TLS12, &pl_aead_aes_128_gcm, 1);
    PL_ASSERT_OK(pl_record_dir_set_size_limit(&t12, 100));
    PL_ASSERT_OK(pl_record_dir_set_size_limit(&plain, 100));
    assert_int_equal(pl_record_max_payload(&t12), 100);
    assert_int_equal(pl_record_max_payload(&plain), MAX_PT);
    PL_ASSERT_OK(pl_record_seal(&plain, 22, buf, sizeof(buf), 200, 0, &len));
    PL_ASSERT_ERR(pl_record_seal(&t12, 22, buf, sizeof(buf), 101, 0, &len),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_OK(pl_record_seal(&t12, 22, buf, sizeof(buf), 100, 0, &len));
    pl_record_dir_cleanup(&t12);
    pl_record_dir_cleanup(&plain);
    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
}

/* An independent TLS 1.2 AEAD record from RFC 5246 §6.2.3.3 with RFC 5288 (GCM: salt ||
 * explicit seq, carried after the header) or RFC 7905 (ChaCha: iv xor seq). */
static size_t raw_tls12(const pl_aead_alg *aead, uint64_t seq, uint8_t type, const uint8_t *plain,
                        size_t n, uint8_t *out) {
    pl_aead_ctx *ctx;
    PL_ASSERT_OK(pl_aead_ctx_new(&ctx));
    uint8_t key[32];
    memcpy(key, key_a, 32);
    key[0] = 0x01;
    PL_ASSERT_OK(pl_aead_ctx_set_key(ctx, aead, key));
    int gcm = aead != &pl_aead_chacha20_poly1305;
    uint8_t nonce[12], seq_be[8];
    for (int i = 0; i < 8; i++) {
        seq_be[i] = (uint8_t)(seq >> (56 - 8 * i));
    }
    if (gcm) {
        memcpy(nonce, iv_a, 4);
        memcpy(nonce + 4, seq_be, 8);
    } else {
        memcpy(nonce, iv_a, 12);
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] ^= seq_be[i];
        }
    }
    uint8_t aad[13];
    memcpy(aad, seq_be, 8);
    aad[8] = type;
    aad[9] = 3;
    aad[10] = 3;
    aad[11] = (uint8_t)(n >> 8);
    aad[12] = (uint8_t)n;
    size_t explicit_len = gcm ? 8 : 0;
    size_t frag = explicit_len + n + 16;
    out[0] = type;
    out[1] = 3;
    out[2] = 3;
    out[3] = (uint8_t)(frag >> 8);
    out[4] = (uint8_t)frag;
    memcpy(out + 5, seq_be, explicit_len);
    memcpy(out + 5 + explicit_len, plain, n);
    PL_ASSERT_OK(
        pl_aead_seal(ctx, nonce, aad, 13, out + 5 + explicit_len, n, out + 5 + explicit_len + n));
    pl_aead_ctx_free(ctx);
    return 5 + frag;
}

static void check_tls12(const pl_aead_alg *aead, size_t want_prefix) {
    pl_record_dir tx, rx;
    pair(&tx, &rx, PL_RECORD_TLS12, aead);
    assert_int_equal(pl_record_seal_prefix(&tx), want_prefix);
    assert_int_equal(pl_record_seal_suffix(&tx, 0), 16);
    static uint8_t want[512], plain[300];
    const uint64_t seqs[] = {0, 1, 0x0102030405060708ULL};
    for (size_t i = 0; i < 3; i++) {
        tx.seq = seqs[i];
        rx.seq = seqs[i];
        size_t len = seal(&tx, PL_CONTENT_HANDSHAKE, 300, 0);
        fill(plain, 300, (uint8_t)300); /* the pattern seal() wrote */
        size_t want_len = raw_tls12(aead, seqs[i], PL_CONTENT_HANDSHAKE, plain, 300, want);
        assert_int_equal(len, want_len);
        assert_memory_equal(buf, want, len);
        pl_record r;
        PL_ASSERT_OK(open_rec(&rx, buf, len, &r));
        assert_int_equal(r.type, PL_CONTENT_HANDSHAKE);
        assert_int_equal(r.len, 300);
        assert_memory_equal(r.data, plain, 300);
        assert_ptr_equal(r.data, buf + want_prefix);
    }
    /* Tampering anywhere (version and type are in the AAD, the explicit nonce in the nonce). */
    size_t len = seal(&tx, PL_CONTENT_APPLICATION_DATA, 40, 0);
    static uint8_t good[128];
    memcpy(good, buf, len);
    for (size_t i = 0; i < len; i++) {
        if (i == 0 || i == 3 || i == 4) {
            continue;
        }
        memcpy(buf, good, len);
        buf[i] ^= 0x01;
        pl_record r;
        PL_ASSERT_ERR(open_rec(&rx, buf, len, &r), PADLOCK_E_BAD_RECORD_MAC);
    }
    memcpy(buf, good, len);
    buf[0] = PL_CONTENT_ALERT; /* another (valid) outer type changes the AAD */
    pl_record r;
    PL_ASSERT_ERR(open_rec(&rx, buf, len, &r), PADLOCK_E_BAD_RECORD_MAC);
    /* Too short for explicit nonce + tag; plaintext over 2^14. */
    uint8_t short_rec[5 + 23] = {23, 3, 3, 0, (uint8_t)(want_prefix - 5 + 15)};
    PL_ASSERT_ERR(open_rec(&rx, short_rec, 5 + want_prefix - 5 + 15, &r), PADLOCK_E_BAD_RECORD_MAC);
    static uint8_t big_plain[MAX_PT + 1];
    static uint8_t big[PL_RECORD_MAX_RECORD_LEN];
    len = raw_tls12(aead, rx.seq, PL_CONTENT_APPLICATION_DATA, big_plain, MAX_PT + 1, big);
    PL_ASSERT_ERR(open_rec(&rx, big, len, &r), PADLOCK_E_RECORD_OVERFLOW);
    len = raw_tls12(aead, rx.seq, PL_CONTENT_APPLICATION_DATA, big_plain, MAX_PT, big);
    PL_ASSERT_OK(open_rec(&rx, big, len, &r));
    /* RFC 5246 §6.2.1: empty handshake fragments are refused; §7.1: a change_cipher_spec
     * (protected, as in a renegotiation) must still be the byte 0x01. */
    len = raw_tls12(aead, rx.seq, PL_CONTENT_HANDSHAKE, big_plain, 0, big);
    PL_ASSERT_ERR(open_rec(&rx, big, len, &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    const uint8_t ccs_bad[1] = {0x02}, ccs_good[1] = {0x01};
    len = raw_tls12(aead, rx.seq, PL_CONTENT_CHANGE_CIPHER_SPEC, ccs_bad, 1, big);
    PL_ASSERT_ERR(open_rec(&rx, big, len, &r), PADLOCK_E_UNEXPECTED_MESSAGE);
    len = raw_tls12(aead, rx.seq, PL_CONTENT_CHANGE_CIPHER_SPEC, ccs_good, 1, big);
    PL_ASSERT_OK(open_rec(&rx, big, len, &r));
    assert_int_equal(r.type, PL_CONTENT_CHANGE_CIPHER_SPEC);
    size_t out_len;
    PL_ASSERT_ERR(pl_record_seal(&tx, 23, buf, sizeof(buf), 10, 1, &out_len),
                  PADLOCK_E_INVALID_ARGUMENT); /* no padding in TLS 1.2 AEAD records */
    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
}

static void test_tls12_gcm(void **state) {
    (void)state;
    check_tls12(&pl_aead_aes_128_gcm, 5 + 8);
    check_tls12(&pl_aead_aes_256_gcm, 5 + 8);
}

static void test_tls12_chacha(void **state) {
    (void)state;
    check_tls12(&pl_aead_chacha20_poly1305, 5);
}

/* One application-data record of (i * 37) % 2000 bytes sealed and opened in place. */
static void seal_open(void *ctx, size_t i) {
    pl_record_ends *e = ctx;
    size_t n = (i * 37) % 2000;
    size_t len = seal(&e->tx, PL_CONTENT_APPLICATION_DATA, n, 0);
    pl_record r;
    PL_ASSERT_OK(open_rec(&e->rx, buf, len, &r));
    assert_int_equal(r.len, n);
}

/* DESIGN.md §11: no allocation on the steady-state data path. */
static void test_no_allocation_per_record(void **state) {
    (void)state;
    pl_record_expect_no_allocation(pair, seal_open);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_limits),
        cmocka_unit_test(test_tls13_plaintext_limits),
        cmocka_unit_test(test_tls13_matches_construction),
        cmocka_unit_test(test_bad_mac),
        cmocka_unit_test(test_inner_content_rules),
        cmocka_unit_test(test_padding),
        cmocka_unit_test(test_padding_positions),
        cmocka_unit_test(test_seal_from),
        cmocka_unit_test(test_sequence_numbers),
        cmocka_unit_test(test_sequence_exhausted),
        cmocka_unit_test(test_rekey),
        cmocka_unit_test(test_failed_key_install),
        cmocka_unit_test(test_change_cipher_spec),
        cmocka_unit_test(test_unprotected_alert),
        cmocka_unit_test(test_plaintext_records),
        cmocka_unit_test(test_buffer_sizes),
        cmocka_unit_test(test_record_size_limit),
        cmocka_unit_test(test_tls12_gcm),
        cmocka_unit_test(test_tls12_chacha),
        cmocka_unit_test(test_no_allocation_per_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
