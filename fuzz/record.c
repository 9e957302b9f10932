/* Fuzz target: the record layer. Arbitrary bytes are parsed as a stream of records and opened
 * with fixed keys (plaintext, TLS 1.3 or TLS 1.2 protection, any AEAD), in place and into
 * separate storage, which must agree; and the same bytes are
 * sealed as one record and must open back to themselves. Under TLS 1.3 they are also taken as
 * a TLSInnerPlaintext sealed with the receiver's keys, so that what follows decryption is
 * fuzzed too (fuzzed ciphertext never gets past the tag). Layout: byte 0 chooses protection and
 * AEAD, byte 1 the content type and padding of the sealed record, the rest is the data. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "record/record.h"
#include "wire/cur.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t rec_buf[PL_RECORD_MAX_RECORD_LEN + 512];
static uint8_t into_buf[PL_RECORD_MAX_RECORD_LEN];

static void fuzz_dir(pl_record_dir *d, pl_record_prot prot, const pl_aead_alg *aead) {
    pl_record_dir_init(d);
    if (prot == PL_RECORD_PLAINTEXT) {
        return;
    }
    pl_record_keys k;
    memset(&k, 0x42, sizeof(k));
    k.prot = prot;
    k.aead = aead;
    if (pl_record_dir_set_keys(d, &k) != PADLOCK_OK) {
        __builtin_trap();
    }
}

/* Opens every record in the stream until one fails. */
static void open_stream(pl_record_dir *rx, const uint8_t *data, size_t size) {
    pl_cur c;
    pl_cur_init(&c, data, size);
    while (pl_cur_left(&c) >= PL_RECORD_HEADER_LEN) {
        pl_record_header h;
        if (pl_record_header_parse(rx, &c, &h) != PADLOCK_OK) {
            return;
        }
        if (h.length > PL_RECORD_MAX_CIPHERTEXT_TLS12) {
            __builtin_trap(); /* the header check bounds every fragment */
        }
        const uint8_t *frag;
        if (pl_cur_bytes(&c, h.length, &frag) != PADLOCK_OK) {
            return;
        }
        /* Where the record layer can, the same record opened into separate storage by a copy
         * of the direction (sharing its AEAD context) must give the same outcome and bytes, and
         * leave no plaintext there when it fails. */
        int into = pl_record_opens_into(rx, h.type);
        size_t room = into ? pl_record_open_room(rx, &h) : 0;
        pl_record_dir shadow = *rx;
        pl_record ri;
        padlock_err into_err = PADLOCK_OK;
        if (into) {
            memset(into_buf, 0xa5, room);
            into_err = pl_record_open_into(&shadow, &h, frag, into_buf, sizeof(into_buf), &ri);
        }
        memcpy(rec_buf, frag, h.length);
        pl_record r;
        padlock_err err = pl_record_open(rx, &h, rec_buf, &r);
        if (into) {
            int same = into_err == err;
            if (same && err == PADLOCK_OK) {
                same = ri.data == into_buf && ri.type == r.type && ri.len == r.len &&
                       memcmp(ri.data, r.data, r.len) == 0;
            }
            for (size_t i = 0; same && err != PADLOCK_OK && i < room; i++) {
                same = into_buf[i] == 0;
            }
            if (!same) {
                __builtin_trap();
            }
        }
        if (err != PADLOCK_OK) {
            return;
        }
        if (r.data < rec_buf || r.data + r.len > rec_buf + h.length ||
            r.len > PL_RECORD_MAX_PLAINTEXT) {
            __builtin_trap();
        }
    }
}

/* Seals data as one record and opens it with a mirror of the sender: what seals must open to
 * the same type and bytes. */
static void round_trip(pl_record_prot prot, const pl_aead_alg *aead, uint8_t ctl,
                       const uint8_t *data, size_t size) {
    static const uint8_t types[4] = {PL_CONTENT_ALERT, PL_CONTENT_HANDSHAKE,
                                     PL_CONTENT_APPLICATION_DATA, PL_CONTENT_HANDSHAKE};
    uint8_t type = types[ctl & 3];
    size_t pad = (size_t)(ctl >> 2) * 37;
    pl_record_dir tx, rx;
    fuzz_dir(&tx, prot, aead);
    fuzz_dir(&rx, prot, aead);
    size_t prefix = pl_record_seal_prefix(&tx);
    size_t n = size;
    if (n > PL_RECORD_MAX_PLAINTEXT) {
        n = PL_RECORD_MAX_PLAINTEXT;
    }
    memcpy(rec_buf + prefix, data, n);
    size_t len;
    padlock_err err = pl_record_seal(&tx, type, rec_buf, sizeof(rec_buf), n, pad, &len);
    if (err == PADLOCK_OK) {
        pl_cur c;
        pl_cur_init(&c, rec_buf, len);
        pl_record_header h;
        pl_record r;
        if (pl_record_header_parse(&rx, &c, &h) != PADLOCK_OK ||
            PL_RECORD_HEADER_LEN + (size_t)h.length != len ||
            pl_record_open(&rx, &h, rec_buf + PL_RECORD_HEADER_LEN, &r) != PADLOCK_OK ||
            r.type != type || r.len != n || memcmp(r.data, data, n) != 0) {
            __builtin_trap();
        }
    } else if (err != PADLOCK_E_INVALID_ARGUMENT) {
        __builtin_trap(); /* the buffer is always large enough */
    }
    pl_record_dir_cleanup(&tx);
    pl_record_dir_cleanup(&rx);
}

/* TLS 1.3: data sealed as a TLSInnerPlaintext (RFC 8446 §5.2) with the keys fuzz_dir gives, as
 * the first record of the direction (the nonce is the IV), then opened: the outcome must be
 * what §5.2-§5.4 say of that plaintext (the content type is its last non-zero octet, only
 * alert, handshake and application_data, handshake and alert not empty, at most 2^14 + 1
 * octets). */
static void forged_inner(const pl_aead_alg *aead, const uint8_t *data, size_t size) {
    if (size + PL_AEAD_TAG_LEN > PL_RECORD_MAX_CIPHERTEXT_TLS13) {
        return;
    }
    uint8_t key[PL_AEAD_MAX_KEY_LEN], nonce[PL_AEAD_NONCE_LEN];
    memset(key, 0x42, sizeof(key));
    memset(nonce, 0x42, sizeof(nonce));
    size_t len = size + PL_AEAD_TAG_LEN;
    uint8_t *rec = rec_buf;
    rec[0] = PL_CONTENT_APPLICATION_DATA;
    rec[1] = 0x03;
    rec[2] = 0x03;
    rec[3] = (uint8_t)(len >> 8);
    rec[4] = (uint8_t)len;
    memcpy(rec + PL_RECORD_HEADER_LEN, data, size);
    pl_aead_ctx *ctx;
    if (pl_aead_ctx_new(&ctx) != PADLOCK_OK) {
        return;
    }
    if (pl_aead_ctx_set_key(ctx, aead, key) != PADLOCK_OK ||
        pl_aead_seal(ctx, nonce, rec, PL_RECORD_HEADER_LEN, rec + PL_RECORD_HEADER_LEN, size,
                     rec + PL_RECORD_HEADER_LEN + size) != PADLOCK_OK) {
        __builtin_trap();
    }
    pl_aead_ctx_free(ctx);
    size_t type_at = size;
    while (type_at > 0 && data[type_at - 1] == 0) {
        type_at--;
    }
    int found = type_at > 0;
    uint8_t type = found ? data[--type_at] : 0;
    padlock_err want = PADLOCK_OK;
    if (size == 0) {
        want = PADLOCK_E_BAD_RECORD_MAC; /* not even a content type: cannot authenticate */
    } else if (size > PL_RECORD_MAX_PLAINTEXT + 1) {
        want = PADLOCK_E_RECORD_OVERFLOW;
    } else if (!found ||
               (type != PL_CONTENT_ALERT && type != PL_CONTENT_HANDSHAKE &&
                type != PL_CONTENT_APPLICATION_DATA) ||
               (type_at == 0 && type != PL_CONTENT_APPLICATION_DATA)) {
        want = PADLOCK_E_UNEXPECTED_MESSAGE;
    }
    pl_record_dir rx;
    fuzz_dir(&rx, PL_RECORD_TLS13, aead);
    pl_cur c;
    pl_cur_init(&c, rec, PL_RECORD_HEADER_LEN + len);
    pl_record_header h;
    pl_record r;
    if (pl_record_header_parse(&rx, &c, &h) != PADLOCK_OK) {
        __builtin_trap();
    }
    padlock_err err = pl_record_open(&rx, &h, rec + PL_RECORD_HEADER_LEN, &r);
    if (err != want || (err == PADLOCK_OK && (r.type != type || r.len != type_at ||
                                              memcmp(r.data, data, type_at) != 0))) {
        __builtin_trap();
    }
    pl_record_dir_cleanup(&rx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) {
        return 0;
    }
    static const pl_aead_alg *const aeads[3] = {&pl_aead_aes_128_gcm, &pl_aead_aes_256_gcm,
                                                &pl_aead_chacha20_poly1305};
    pl_record_prot prot = (pl_record_prot)(data[0] % 3);
    const pl_aead_alg *aead = aeads[(data[0] / 3) % 3];
    pl_record_dir rx;
    fuzz_dir(&rx, prot, aead);
    open_stream(&rx, data + 2, size - 2);
    pl_record_dir_cleanup(&rx);
    round_trip(prot, aead, data[1], data + 2, size - 2);
    if (prot == PL_RECORD_TLS13) {
        forged_inner(aead, data + 2, size - 2);
    }
    return 0;
}
