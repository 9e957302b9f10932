/* Handshake message reassembly over record plaintext: coalesced and fragmented messages, and the
 * record-boundary rules of RFC 8446 §5.1 (also RFC 5246 §6.2.1 for fragmentation). */
#include "record/frag.h"

#include <string.h>

#include "record/record.h"
#include "util/mem.h"

void pl_frag_init(pl_frag *f, uint32_t max_body) {
    memset(f, 0, sizeof(*f));
    pl_cur_init(&f->rec, NULL, 0);
    f->max_body = max_body;
}

/* Forgets the message handed out by the previous call (its buffer, or its split header). */
static void pl_frag_release(pl_frag *f) {
    if (f->handed_out) {
        pl_free(f->buf);
        f->buf = NULL;
        f->buf_len = 0;
        f->buf_cap = 0;
        f->hdr_len = 0;
        f->handed_out = 0;
    }
}

void pl_frag_cleanup(pl_frag *f) {
    pl_free(f->buf);
    memset(f, 0, sizeof(*f));
}

/* 1 while a message is partly received. */
static int pl_frag_partial(const pl_frag *f) {
    return !f->handed_out && (f->hdr_len != 0 || f->buf != NULL);
}

int pl_frag_pending(const pl_frag *f) {
    return pl_frag_partial(f) || pl_cur_left(&f->rec) != 0;
}

padlock_err pl_frag_feed(pl_frag *f, uint8_t content_type, const uint8_t *data, size_t len) {
    pl_frag_release(f);
    PL_CHECK(pl_cur_left(&f->rec) == 0, PADLOCK_E_STATE);
    if (content_type != PL_CONTENT_HANDSHAKE) {
        /* RFC 8446 §5.1: a handshake message split over records has no other records between
         * its fragments. */
        PL_CHECK(!pl_frag_partial(f), PADLOCK_E_UNEXPECTED_MESSAGE);
        return PADLOCK_OK;
    }
    /* RFC 8446 §5.1: no zero-length handshake fragments; §5.4: unexpected_message. */
    PL_CHECK(len != 0, PADLOCK_E_UNEXPECTED_MESSAGE);
    pl_cur_init(&f->rec, data, len);
    return PADLOCK_OK;
}

/* Reads a message header: type and body length, refusing bodies over the limit before any of
 * the body is buffered. */
static padlock_err pl_frag_header(const pl_frag *f, pl_cur *c, uint8_t *out_type,
                                  uint32_t *out_len) {
    PL_TRY(pl_cur_u8(c, out_type));
    PL_TRY(pl_cur_u24(c, out_len));
    PL_CHECK(*out_len <= f->max_body, PADLOCK_E_HANDSHAKE_TOO_LARGE);
    return PADLOCK_OK;
}

static void pl_frag_set_msg(pl_hs_msg *out, const uint8_t *raw, size_t raw_len) {
    out->type = raw[0];
    out->raw = raw;
    out->raw_len = raw_len;
    out->body = raw + PL_HS_HEADER_LEN;
    out->body_len = raw_len - PL_HS_HEADER_LEN;
}

/* Starts assembling a message whose header (already checked) is in hdr: allocates exactly its
 * size and copies the header in. */
static padlock_err pl_frag_start(pl_frag *f, const uint8_t hdr[PL_HS_HEADER_LEN],
                                 uint32_t body_len) {
    size_t cap = PL_HS_HEADER_LEN + (size_t)body_len;
    uint8_t *buf = pl_malloc(cap);
    PL_CHECK(buf != NULL, PADLOCK_E_NO_MEMORY);
    memcpy(buf, hdr, PL_HS_HEADER_LEN);
    f->buf = buf;
    f->buf_cap = cap;
    f->buf_len = PL_HS_HEADER_LEN;
    f->hdr_len = 0;
    return PADLOCK_OK;
}

/* Continues a partial message with the current record's bytes. */
static padlock_err pl_frag_continue(pl_frag *f, pl_hs_msg *out, int *out_found) {
    if (f->buf == NULL) {
        /* The header itself is still incomplete. */
        size_t n = PL_HS_HEADER_LEN - f->hdr_len;
        if (n > pl_cur_left(&f->rec)) {
            n = pl_cur_left(&f->rec);
        }
        PL_TRY(pl_cur_copy(&f->rec, f->hdr + f->hdr_len, n));
        f->hdr_len = (uint8_t)(f->hdr_len + n);
        if (f->hdr_len < PL_HS_HEADER_LEN) {
            return PADLOCK_OK;
        }
        pl_cur h;
        pl_cur_init(&h, f->hdr, PL_HS_HEADER_LEN);
        uint8_t type;
        uint32_t body_len;
        PL_TRY(pl_frag_header(f, &h, &type, &body_len));
        if (body_len == 0) {
            pl_frag_set_msg(out, f->hdr, PL_HS_HEADER_LEN);
            f->handed_out = 1;
            *out_found = 1;
            return PADLOCK_OK;
        }
        PL_TRY(pl_frag_start(f, f->hdr, body_len));
    }
    size_t n = f->buf_cap - f->buf_len;
    if (n > pl_cur_left(&f->rec)) {
        n = pl_cur_left(&f->rec);
    }
    PL_TRY(pl_cur_copy(&f->rec, f->buf + f->buf_len, n));
    f->buf_len += n;
    if (f->buf_len == f->buf_cap) {
        pl_frag_set_msg(out, f->buf, f->buf_len);
        f->handed_out = 1;
        *out_found = 1;
    }
    return PADLOCK_OK;
}

padlock_err pl_frag_next(pl_frag *f, pl_hs_msg *out, int *out_found) {
    pl_frag_release(f);
    *out_found = 0;
    if (pl_frag_partial(f)) {
        return pl_frag_continue(f, out, out_found);
    }
    size_t left = pl_cur_left(&f->rec);
    if (left == 0) {
        return PADLOCK_OK;
    }
    if (left < PL_HS_HEADER_LEN) {
        /* RFC 8446 §5.1: even a header may be fragmented; keep it aside. */
        PL_TRY(pl_cur_copy(&f->rec, f->hdr, left));
        f->hdr_len = (uint8_t)left;
        return PADLOCK_OK;
    }
    pl_cur peek = f->rec;
    uint8_t type;
    uint32_t body_len;
    PL_TRY(pl_frag_header(f, &peek, &type, &body_len));
    size_t raw_len = PL_HS_HEADER_LEN + (size_t)body_len;
    if (left >= raw_len) {
        /* The whole message lies in this record: hand it out where it is. */
        const uint8_t *raw;
        PL_TRY(pl_cur_bytes(&f->rec, raw_len, &raw));
        pl_frag_set_msg(out, raw, raw_len);
        *out_found = 1;
        return PADLOCK_OK;
    }
    const uint8_t *hdr;
    PL_TRY(pl_cur_bytes(&f->rec, PL_HS_HEADER_LEN, &hdr));
    PL_TRY(pl_frag_start(f, hdr, body_len));
    return pl_frag_continue(f, out, out_found);
}

padlock_err pl_frag_key_change(const pl_frag *f) {
    /* RFC 8446 §5.1: handshake messages must not span key changes; the message before a key
     * change ends its record. */
    PL_CHECK(!pl_frag_pending(f), PADLOCK_E_UNEXPECTED_MESSAGE);
    return PADLOCK_OK;
}
