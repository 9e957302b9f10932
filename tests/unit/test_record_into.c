/* pl_record_open_into (src/record/record.c): records decrypted from where they were received
 * into separate storage, such as the application's read buffer, for TLS 1.3 and TLS 1.2 (AES-GCM
 * with its explicit nonce, ChaCha20-Poly1305): the same plaintext as opening in place, the room
 * it needs, nothing left behind on any failure, and no allocation per record. */
#include <string.h>

#include "allocs.h"
#include "crypto/crypto.h"
#include "record/record.h"
#include "testlib.h"
#include "util/mem.h"
#include "wire/cur.h"

#define MAX_PT PL_RECORD_MAX_PLAINTEXT

static uint8_t wire[PL_RECORD_MAX_RECORD_LEN];
static uint8_t copy[PL_RECORD_MAX_RECORD_LEN];
static uint8_t dst[PL_RECORD_MAX_RECORD_LEN + 64];

static void set_keys(pl_record_dir *d, pl_record_prot prot, const pl_aead_alg *aead) {
    pl_record_keys k;
    memset(&k, 0, sizeof(k));
    k.prot = prot;
    k.aead = aead;
    for (size_t i = 0; i < sizeof(k.key); i++) {
        k.key[i] = (uint8_t)(i + 1);
    }
    memset(k.iv, 0xa5, sizeof(k.iv));
    PL_ASSERT_OK(pl_record_dir_set_keys(d, &k));
}

static void pair(pl_record_dir *tx, pl_record_dir *rx, pl_record_prot prot,
                 const pl_aead_alg *aead) {
    pl_record_dir_init(tx);
    pl_record_dir_init(rx);
    set_keys(tx, prot, aead);
    set_keys(rx, prot, aead);
}

static void fill(uint8_t *p, size_t n, uint8_t seed) {
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed + i * 7 + 1);
    }
}

/* Seals n bytes of patterned content (pad bytes of padding) into wire; returns its length. */
static size_t seal(pl_record_dir *tx, uint8_t type, size_t n, size_t pad) {
    fill(wire + pl_record_seal_prefix(tx), n, (uint8_t)n);
    size_t len;
    PL_ASSERT_OK(pl_record_seal(tx, type, wire, sizeof(wire), n, pad, &len));
    return len;
}

static void parse(const pl_record_dir *rx, const uint8_t *rec, size_t len, pl_record_header *h) {
    pl_cur c;
    pl_cur_init(&c, rec, len);
    PL_ASSERT_OK(pl_record_header_parse(rx, &c, h));
    assert_int_equal(PL_RECORD_HEADER_LEN + (size_t)h->length, len);
}

/* Opens wire[0..len) into dst (prefilled with 0xee, cap bytes offered). */
static padlock_err open_into(pl_record_dir *rx, size_t len, size_t cap, pl_record *out) {
    pl_record_header h;
    parse(rx, wire, len, &h);
    memset(dst, 0xee, sizeof(dst));
    return pl_record_open_into(rx, &h, wire + PL_RECORD_HEADER_LEN, dst, cap, out);
}

static size_t room_of(const pl_record_dir *rx, size_t len) {
    pl_record_header h;
    parse(rx, wire, len, &h);
    return pl_record_open_room(rx, &h);
}

/* Application data of several sizes (with padding in TLS 1.3) lands at dst[0..), the bytes up to
 * the room after it are zero, nothing past the room is touched, and the received record is left
 * as it was. */
static void check_into(pl_record_prot prot, const pl_aead_alg *aead) {
    pl_record_dir tx, rx;
    pair(&tx, &rx, prot, aead);
    const size_t sizes[] = {0, 1, 15, 16, 17, 1000, MAX_PT - 1, MAX_PT};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t n = sizes[i];
        size_t pad = prot == PL_RECORD_TLS13 && n < MAX_PT ? (n * 3) % 40 : 0;
        if (prot == PL_RECORD_TLS13 && n + pad > MAX_PT) {
            pad = MAX_PT - n;
        }
        size_t len = seal(&tx, PL_CONTENT_APPLICATION_DATA, n, pad);
        size_t room = room_of(&rx, len);
        /* TLS 1.3: content, type and padding; TLS 1.2: the content. */
        assert_int_equal(room, prot == PL_RECORD_TLS13 ? n + 1 + pad : n);
        memcpy(copy, wire, len);
        pl_record r;
        PL_ASSERT_OK(open_into(&rx, len, room, &r));
        assert_int_equal(r.type, PL_CONTENT_APPLICATION_DATA);
        assert_ptr_equal(r.data, dst);
        assert_int_equal(r.len, n);
        uint8_t want[MAX_PT];
        fill(want, n, (uint8_t)n);
        assert_memory_equal(dst, want, n);
        assert_true(pl_ct_is_zero(dst + n, room - n));
        assert_int_equal(dst[room], 0xee);
        assert_memory_equal(wire, copy, len);
    }
    assert_int_equal(rx.seq, tx.seq);
    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
}

static void test_tls13(void **state) {
    (void)state;
    check_into(PL_RECORD_TLS13, &pl_aead_aes_128_gcm);
    check_into(PL_RECORD_TLS13, &pl_aead_chacha20_poly1305);
}

static void test_tls12(void **state) {
    (void)state;
    check_into(PL_RECORD_TLS12, &pl_aead_aes_128_gcm);
    check_into(PL_RECORD_TLS12, &pl_aead_chacha20_poly1305);
}

/* One byte less than the room is refused before anything is read or written, and the record
 * then still opens. */
static void test_too_small(void **state) {
    (void)state;
    const pl_record_prot prots[] = {PL_RECORD_TLS13, PL_RECORD_TLS12};
    for (size_t p = 0; p < 2; p++) {
        pl_record_dir tx, rx;
        pair(&tx, &rx, prots[p], &pl_aead_aes_128_gcm);
        size_t len = seal(&tx, PL_CONTENT_APPLICATION_DATA, MAX_PT, 0);
        size_t room = room_of(&rx, len);
        pl_record r;
        PL_ASSERT_ERR(open_into(&rx, len, room - 1, &r), PADLOCK_E_BUFFER_TOO_SMALL);
        assert_int_equal(rx.seq, 0);
        assert_int_equal(dst[0], 0xee);
        PL_ASSERT_OK(open_into(&rx, len, room, &r));
        assert_int_equal(r.len, MAX_PT);
        pl_record_dir_cleanup(&tx);
        pl_record_dir_cleanup(&rx);
    }
}

/* A forged record: AES-GCM has written unauthenticated plaintext into dst before the tag check;
 * all of it is wiped, and the sequence number does not move. */
static void test_tag_failure_wipes(void **state) {
    (void)state;
    const pl_record_prot prots[] = {PL_RECORD_TLS13, PL_RECORD_TLS12};
    for (size_t p = 0; p < 2; p++) {
        pl_record_dir tx, rx;
        pair(&tx, &rx, prots[p], &pl_aead_aes_128_gcm);
        size_t len = seal(&tx, PL_CONTENT_APPLICATION_DATA, 3000, 0);
        size_t room = room_of(&rx, len);
        wire[len - 1] ^= 0x01; /* the tag */
        pl_record r;
        PL_ASSERT_ERR(open_into(&rx, len, sizeof(dst), &r), PADLOCK_E_BAD_RECORD_MAC);
        assert_true(pl_ct_is_zero(dst, room));
        assert_int_equal(dst[room], 0xee);
        assert_int_equal(rx.seq, 0);
        /* Over our RFC 8449 limit: refused before decrypting, and the room still holds
         * nothing (the caller need not know which failures wrote into it). */
        pl_record_dir_cleanup(&tx);
        pl_record_dir_cleanup(&rx);
        pair(&tx, &rx, prots[p], &pl_aead_aes_128_gcm);
        PL_ASSERT_OK(pl_record_dir_set_size_limit(&rx, 64));
        len = seal(&tx, PL_CONTENT_APPLICATION_DATA, 200, 0);
        room = room_of(&rx, len);
        PL_ASSERT_ERR(open_into(&rx, len, sizeof(dst), &r), PADLOCK_E_RECORD_OVERFLOW);
        assert_true(pl_ct_is_zero(dst, room));
        assert_int_equal(dst[room], 0xee);
        /* Too short to hold a tag: nothing written, nothing to wipe. */
        uint8_t tiny[PL_RECORD_HEADER_LEN + 4] = {23, 3, 3, 0, 4};
        memcpy(wire, tiny, sizeof(tiny));
        PL_ASSERT_ERR(open_into(&rx, sizeof(tiny), sizeof(dst), &r), PADLOCK_E_BAD_RECORD_MAC);
        assert_int_equal(dst[0], 0xee);
        pl_record_dir_cleanup(&tx);
        pl_record_dir_cleanup(&rx);
    }
}

/* A TLS 1.3 record of any inner plaintext, sealed with tx's keys as RFC 8446 §5.2-5.3 say:
 * nonce = iv xor seq, the header as additional data. */
static size_t seal_inner(pl_record_dir *tx, const uint8_t *inner, size_t inner_len) {
    size_t len = inner_len + PL_AEAD_TAG_LEN;
    const uint8_t header[PL_RECORD_HEADER_LEN] = {23, 3, 3, (uint8_t)(len >> 8), (uint8_t)len};
    memcpy(wire, header, sizeof(header));
    memcpy(wire + PL_RECORD_HEADER_LEN, inner, inner_len);
    uint8_t nonce[PL_AEAD_NONCE_LEN];
    memcpy(nonce, tx->iv, sizeof(nonce));
    for (size_t i = 0; i < 8; i++) {
        nonce[PL_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(tx->seq >> (8 * i));
    }
    uint8_t *body = wire + PL_RECORD_HEADER_LEN;
    PL_ASSERT_OK(pl_aead_seal(tx->aead, nonce, wire, PL_RECORD_HEADER_LEN, body, inner_len,
                              body + inner_len));
    tx->seq++;
    return PL_RECORD_HEADER_LEN + len;
}

/* TLS 1.3: the inner type is known only after decryption. A handshake record comes back with its
 * type (the caller moves it out); records refused after decryption (no content type, a type
 * TLS 1.3 does not carry, an empty alert) are wiped from dst. Outer types that are not
 * protected application data are refused unread. */
static void test_tls13_inner_types(void **state) {
    (void)state;
    pl_record_dir tx, rx;
    pair(&tx, &rx, PL_RECORD_TLS13, &pl_aead_aes_128_gcm);
    size_t len = seal(&tx, PL_CONTENT_HANDSHAKE, 40, 5);
    pl_record r;
    PL_ASSERT_OK(open_into(&rx, len, sizeof(dst), &r));
    assert_int_equal(r.type, PL_CONTENT_HANDSHAKE);
    assert_int_equal(r.len, 40);
    assert_ptr_equal(r.data, dst);

    uint8_t inner[64];
    memset(inner, 0, sizeof(inner));
    const struct {
        size_t len;
        uint8_t type_at_0; /* inner[0]; the rest stays zero */
    } refused[] = {
        {sizeof(inner), 0},                             /* §5.4: all zeros */
        {sizeof(inner), PL_CONTENT_CHANGE_CIPHER_SPEC}, /* §5: protected change_cipher_spec */
        {sizeof(inner), 24},                            /* §5: unknown type */
        {1, PL_CONTENT_ALERT},                          /* §5.4: empty alert */
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        inner[0] = refused[i].type_at_0;
        len = seal_inner(&tx, inner, refused[i].len);
        PL_ASSERT_ERR(open_into(&rx, len, sizeof(dst), &r), PADLOCK_E_UNEXPECTED_MESSAGE);
        assert_true(pl_ct_is_zero(dst, refused[i].len));
        assert_int_equal(dst[refused[i].len], 0xee);
        rx.seq = tx.seq;
    }
    /* The outer type decides before anything is read. */
    pl_record_header h = {PL_CONTENT_HANDSHAKE, 0x0303, 40};
    assert_false(pl_record_opens_into(&rx, h.type));
    PL_ASSERT_ERR(pl_record_open_into(&rx, &h, wire, dst, sizeof(dst), &r),
                  PADLOCK_E_INVALID_ARGUMENT);
    pl_record_dir plain;
    pl_record_dir_init(&plain);
    h.type = PL_CONTENT_APPLICATION_DATA;
    assert_false(pl_record_opens_into(&plain, h.type));
    PL_ASSERT_ERR(pl_record_open_into(&plain, &h, wire, dst, sizeof(dst), &r),
                  PADLOCK_E_INVALID_ARGUMENT);
    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
}

/* One application-data record of (i * 37) % 2000 bytes sealed and opened into dst. */
static void seal_open_into(void *ctx, size_t i) {
    pl_record_ends *e = ctx;
    size_t n = (i * 37) % 2000;
    size_t len = seal(&e->tx, PL_CONTENT_APPLICATION_DATA, n, 0);
    pl_record r;
    PL_ASSERT_OK(open_into(&e->rx, len, sizeof(dst), &r));
    assert_int_equal(r.len, n);
}

/* DESIGN.md §11: no allocation on the steady-state data path, opened into the caller's storage
 * too. */
static void test_no_allocation_per_record(void **state) {
    (void)state;
    pl_record_expect_no_allocation(pair, seal_open_into);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tls13),
        cmocka_unit_test(test_tls12),
        cmocka_unit_test(test_too_small),
        cmocka_unit_test(test_tag_failure_wipes),
        cmocka_unit_test(test_tls13_inner_types),
        cmocka_unit_test(test_no_allocation_per_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
