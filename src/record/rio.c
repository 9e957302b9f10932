/* The record stream: receive one record at a time and open it in place, into the stream's
 * buffer or into the caller's (RFC 8446 §5.1-5.2), coalesce and fragment outgoing handshake
 * messages (§5.1), seal alerts and application data, and the compatibility change_cipher_spec
 * (Appendix D.4). Buffers come from the shared pool. */
#include "record/rio.h"

#include <string.h>

#include "util/mem.h"
#include "wire/cur.h"

void pl_rio_init(pl_rio *r, pl_pool *pool, uint32_t max_hs_body) {
    memset(r, 0, sizeof(*r));
    pl_record_dir_init(&r->rx);
    pl_record_dir_init(&r->tx);
    pl_frag_init(&r->frag, max_hs_body);
    r->pool = pool;
}

/* End of the bytes in the send buffer: sealed ones and the open record. */
static size_t pl_rio_end(const pl_rio *r) {
    return r->tx_len + (r->open ? pl_record_seal_prefix(&r->tx) + r->open_len : 0);
}

void pl_rio_cleanup(pl_rio *r) {
    pl_rio_release(r);
    if (r->rx_buf != NULL) {
        pl_pool_put(r->pool, r->rx_buf, r->rx_cap, r->rx_have);
    }
    if (r->tx_buf != NULL) {
        pl_pool_put(r->pool, r->tx_buf, r->tx_cap, pl_rio_end(r));
    }
    pl_frag_cleanup(&r->frag);
    pl_record_dir_cleanup(&r->rx);
    pl_record_dir_cleanup(&r->tx);
    memset(r, 0, sizeof(*r));
}

/* ---- Receiving ------------------------------------------------------------------------------ */

size_t pl_rio_wanted(const pl_rio *r) {
    if (r->held) {
        return 0;
    }
    if (r->hdr_len < PL_RECORD_HEADER_LEN) {
        return PL_RECORD_HEADER_LEN - r->hdr_len;
    }
    return r->rh.length - r->rx_have;
}

int pl_rio_partial(const pl_rio *r) {
    return !r->held && r->hdr_len != 0;
}

void pl_rio_skip_early_data(pl_rio *r, uint32_t budget) {
    r->early_skip = budget;
}

/* Drops the complete record unread and gets ready for the next one. */
static void pl_rio_drop(pl_rio *r) {
    if (r->rx_buf != NULL) {
        pl_pool_put(r->pool, r->rx_buf, r->rx_cap, r->rh.length);
        r->rx_buf = NULL;
        r->rx_cap = 0;
    }
    r->rx_have = 0;
    r->hdr_len = 0;
}

/* Whether the record in progress goes straight into the caller's dst of dst_cap bytes: protected
 * application data (by its outer type, which is public) whose plaintext fits. */
static int pl_rio_direct(const pl_rio *r, const uint8_t *dst, size_t dst_cap) {
    return dst != NULL && r->rh.type == PL_CONTENT_APPLICATION_DATA &&
           pl_record_opens_into(&r->rx, r->rh.type) &&
           pl_record_open_room(&r->rx, &r->rh) <= dst_cap;
}

/* A TLS 1.3 record opened into the caller's dst that turned out (by its inner type) not to be
 * application data: it moves into the stream's receive buffer, to be handled like any other,
 * and leaves nothing in dst. Rare (post-handshake messages, alerts) and small. */
static padlock_err pl_rio_move_out(pl_rio *r, uint8_t *dst) {
    padlock_err rc = PADLOCK_OK;
    if (r->rx_buf == NULL) {
        /* The fragment holds the content and a tag, so rh.length > rec.len > 0. */
        rc = pl_pool_get(r->pool, r->rh.length, &r->rx_buf, &r->rx_cap);
    }
    if (rc == PADLOCK_OK) {
        memcpy(r->rx_buf, dst, r->rec.len);
        r->rec.data = r->rx_buf;
    }
    pl_wipe(dst, pl_record_open_room(&r->rx, &r->rh));
    return rc;
}

/* Opens the complete record and hands it out (*out_rec), or drops it as refused early data
 * (*out_rec NULL). The protected bytes are in the caller's input in, or, when in is NULL, in
 * the receive buffer. With dst (pl_rio_direct) the plaintext goes there; otherwise into the
 * receive buffer, or in place when the record is already there. */
static padlock_err pl_rio_open(pl_rio *r, const uint8_t *in, uint8_t *dst, size_t dst_cap,
                               pl_record **out_rec) {
    /* A zero-length fragment has no buffer; the record layer reads nothing from it, but gets a
     * valid pointer. */
    uint8_t *fragment = r->rx_buf != NULL ? r->rx_buf : r->hdr;
    /* Each dropped record costs its header too, so that empty records cannot be skipped
     * forever. */
    uint32_t cost = (uint32_t)r->rh.length + PL_RECORD_HEADER_LEN;
    int skippable = r->rh.type == PL_CONTENT_APPLICATION_DATA && cost <= r->early_skip;
    if (skippable && r->rx.prot == PL_RECORD_PLAINTEXT) {
        /* RFC 8446 §4.2.10: after a HelloRetryRequest the server "ignores early data by
         * skipping all records with an external content type of "application_data"". */
        r->early_skip -= cost;
        pl_rio_drop(r);
        return PADLOCK_OK;
    }
    padlock_err rc;
    if (dst != NULL) {
        rc = pl_record_open_into(&r->rx, &r->rh, in != NULL ? in : fragment, dst, dst_cap, &r->rec);
        if (rc == PADLOCK_OK && r->rec.type != PL_CONTENT_APPLICATION_DATA) {
            rc = pl_rio_move_out(r, dst);
        } else if (r->rx_buf != NULL) {
            /* It held only ciphertext: back to the pool unwiped, and the plaintext in dst
             * needs no buffer of the stream's (wiping 16 KiB per record cost 2% of bulk). */
            pl_pool_put(r->pool, r->rx_buf, r->rx_cap, 0);
            r->rx_buf = NULL;
            r->rx_cap = 0;
        }
    } else if (in != NULL) {
        rc = pl_record_open_into(&r->rx, &r->rh, in, fragment, r->rh.length, &r->rec);
    } else {
        rc = pl_record_open(&r->rx, &r->rh, fragment, &r->rec);
    }
    if (rc == PADLOCK_E_BAD_RECORD_MAC && skippable) {
        /* §4.2.10: "discarding records which fail deprotection (up to the configured
         * max_early_data_size)". The sequence number did not advance. */
        r->early_skip -= cost;
        pl_rio_drop(r);
        return PADLOCK_OK;
    }
    r->hdr_len = 0;
    r->held = 1;
    PL_TRY(rc);
    if (r->rx.prot != PL_RECORD_PLAINTEXT) {
        /* §4.2.10: "Once a record is deprotected successfully, it is treated as the start of
         * the client's second flight". */
        r->early_skip = 0;
    }
    *out_rec = &r->rec;
    return PADLOCK_OK;
}

padlock_err pl_rio_receive(pl_rio *r, const uint8_t *data, size_t len, uint8_t *dst, size_t dst_cap,
                           size_t *consumed, pl_record **out_rec) {
    *consumed = 0;
    *out_rec = NULL;
    PL_CHECK(!r->held, PADLOCK_E_STATE);
    pl_cur in;
    pl_cur_init(&in, data, len);
    for (;;) {
        if (r->hdr_len < PL_RECORD_HEADER_LEN) {
            size_t n = PL_RECORD_HEADER_LEN - r->hdr_len;
            if (n > pl_cur_left(&in)) {
                n = pl_cur_left(&in);
            }
            if (n == 0) {
                return PADLOCK_OK;
            }
            PL_TRY(pl_cur_copy(&in, r->hdr + r->hdr_len, n));
            r->hdr_len = (uint8_t)(r->hdr_len + n);
            *consumed += n;
            if (r->hdr_len < PL_RECORD_HEADER_LEN) {
                return PADLOCK_OK;
            }
            pl_cur h;
            pl_cur_init(&h, r->hdr, PL_RECORD_HEADER_LEN);
            PL_TRY(pl_record_header_parse(&r->rx, &h, &r->rh));
            r->rx_have = 0;
        } else if (r->rx_have == 0 && r->rh.length > 0 && pl_cur_left(&in) >= r->rh.length &&
                   pl_record_opens_into(&r->rx, r->rh.type)) {
            /* The whole protected fragment is in the caller's input (with its header or after
             * it, as a reader sized by pl_rio_wanted gives it): decrypted from there into dst
             * or a receive buffer, never copied (2% of bulk throughput). */
            int direct = pl_rio_direct(r, dst, dst_cap);
            const uint8_t *sealed;
            PL_TRY(pl_cur_bytes(&in, r->rh.length, &sealed));
            *consumed += r->rh.length;
            if (!direct) {
                PL_TRY(pl_pool_get(r->pool, r->rh.length, &r->rx_buf, &r->rx_cap));
            }
            r->rx_have = r->rh.length;
            PL_TRY(pl_rio_open(r, sealed, direct ? dst : NULL, dst_cap, out_rec));
            if (*out_rec != NULL) {
                return PADLOCK_OK;
            }
            continue;
        } else if (r->rx_have < r->rh.length) {
            size_t n = r->rh.length - r->rx_have;
            if (n > pl_cur_left(&in)) {
                n = pl_cur_left(&in);
            }
            if (n == 0) {
                return PADLOCK_OK;
            }
            if (r->rx_buf == NULL) {
                /* Sized to this record, which the header check bounded (§5.1, §5.2). */
                PL_TRY(pl_pool_get(r->pool, r->rh.length, &r->rx_buf, &r->rx_cap));
            }
            PL_TRY(pl_cur_copy(&in, r->rx_buf + r->rx_have, n));
            r->rx_have += n;
            *consumed += n;
        }
        if (r->rx_have == r->rh.length) {
            /* Whether dst takes the plaintext is decided now: the record may have started in
             * an earlier call that had no dst, or a smaller one. */
            int direct = pl_rio_direct(r, dst, dst_cap);
            PL_TRY(pl_rio_open(r, NULL, direct ? dst : NULL, dst_cap, out_rec));
            if (*out_rec != NULL) {
                return PADLOCK_OK;
            }
        }
    }
}

void pl_rio_release(pl_rio *r) {
    if (!r->held) {
        return;
    }
    r->held = 0;
    if (r->rx_buf != NULL) {
        pl_pool_put(r->pool, r->rx_buf, r->rx_cap, r->rh.length);
        r->rx_buf = NULL;
        r->rx_cap = 0;
    }
    r->rx_have = 0;
    memset(&r->rec, 0, sizeof(r->rec));
}

padlock_err pl_rio_set_read_keys(pl_rio *r, pl_record_keys *keys) {
    padlock_err err = pl_frag_key_change(&r->frag);
    if (err != PADLOCK_OK) {
        pl_wipe(keys, sizeof(*keys));
        return err;
    }
    return pl_record_dir_set_keys(&r->rx, keys);
}

/* ---- Sending -------------------------------------------------------------------------------- */

/* Makes room for extra more bytes after the end of the send buffer's contents, moving unsent
 * bytes to the front of the buffer or into a larger one from the pool. */
static padlock_err pl_rio_reserve(pl_rio *r, size_t extra) {
    size_t end = pl_rio_end(r);
    if (r->tx_buf != NULL && r->tx_cap - end >= extra) {
        return PADLOCK_OK;
    }
    size_t keep = end - r->tx_sent;
    size_t need = keep + extra;
    if (r->tx_buf != NULL && r->tx_cap >= need) {
        memmove(r->tx_buf, r->tx_buf + r->tx_sent, keep);
    } else {
        uint8_t *p;
        size_t cap;
        PL_TRY(pl_pool_get(r->pool, need, &p, &cap));
        if (keep != 0) {
            memcpy(p, r->tx_buf + r->tx_sent, keep);
        }
        if (r->tx_buf != NULL) {
            pl_pool_put(r->pool, r->tx_buf, r->tx_cap, end);
        }
        r->tx_buf = p;
        r->tx_cap = cap;
    }
    r->tx_len -= r->tx_sent;
    r->tx_sent = 0;
    return PADLOCK_OK;
}

/* Seals the record whose payload_len bytes lie after the header room at tx_len. */
static padlock_err pl_rio_seal(pl_rio *r, uint8_t type, size_t payload_len) {
    size_t out_len;
    PL_TRY(pl_record_seal(&r->tx, type, r->tx_buf + r->tx_len, r->tx_cap - r->tx_len, payload_len,
                          0, &out_len));
    r->tx_len += out_len;
    return PADLOCK_OK;
}

/* Where the payload of the record starting at tx_len goes. */
static uint8_t *pl_rio_payload(const pl_rio *r) {
    return r->tx_buf + r->tx_len + pl_record_seal_prefix(&r->tx);
}

/* Seals a record of one type holding data[0..len) (len at most one record's payload), read
 * from data as it is encrypted into the send buffer: copying it in first was 3% of bulk
 * throughput. */
static padlock_err pl_rio_seal_bytes(pl_rio *r, uint8_t type, const uint8_t *data, size_t len) {
    PL_TRY(
        pl_rio_reserve(r, pl_record_seal_prefix(&r->tx) + len + pl_record_seal_suffix(&r->tx, 0)));
    size_t out_len;
    PL_TRY(pl_record_seal_from(&r->tx, type, data, r->tx_buf + r->tx_len, r->tx_cap - r->tx_len,
                               len, 0, &out_len));
    r->tx_len += out_len;
    return PADLOCK_OK;
}

/* Sends the pending compatibility change_cipher_spec in front of a record of type. */
static padlock_err pl_rio_before_record(pl_rio *r, uint8_t type) {
    if (!r->ccs_pending || (type != PL_CONTENT_HANDSHAKE && r->tx.prot == PL_RECORD_PLAINTEXT)) {
        return PADLOCK_OK;
    }
    /* RFC 8446 §5, Appendix D.4: a single byte 0x01, never protected. */
    static const uint8_t ccs = 0x01;
    r->ccs_pending = 0;
    return pl_rio_seal_bytes(r, PL_CONTENT_CHANGE_CIPHER_SPEC, &ccs, 1);
}

void pl_rio_want_ccs(pl_rio *r) {
    r->ccs_pending = 1;
}

void pl_rio_cancel_ccs(pl_rio *r) {
    r->ccs_pending = 0;
}

padlock_err pl_rio_send_ccs(pl_rio *r) {
    PL_TRY(pl_rio_flush(r));
    r->ccs_pending = 1;
    return pl_rio_before_record(r, PL_CONTENT_HANDSHAKE);
}

padlock_err pl_rio_flush(pl_rio *r) {
    if (!r->open) {
        return PADLOCK_OK;
    }
    r->open = 0;
    return pl_rio_seal(r, PL_CONTENT_HANDSHAKE, r->open_len);
}

void pl_rio_discard_open(pl_rio *r) {
    r->open = 0;
    r->open_len = 0;
}

padlock_err pl_rio_send_handshake(pl_rio *r, const uint8_t *msg, size_t len) {
    pl_cur in;
    pl_cur_init(&in, msg, len);
    size_t max = pl_record_max_payload(&r->tx);
    while (pl_cur_left(&in) > 0) {
        if (!r->open) {
            PL_TRY(pl_rio_before_record(r, PL_CONTENT_HANDSHAKE));
            PL_TRY(pl_rio_reserve(r, pl_record_seal_prefix(&r->tx)));
            r->open = 1;
            r->open_len = 0;
        }
        size_t n = max - r->open_len;
        if (n > pl_cur_left(&in)) {
            n = pl_cur_left(&in);
        }
        PL_TRY(pl_rio_reserve(r, n + pl_record_seal_suffix(&r->tx, 0)));
        PL_TRY(pl_cur_copy(&in, pl_rio_payload(r) + r->open_len, n));
        r->open_len += n;
        /* RFC 8446 §5.1: a message longer than a record continues in the next one. */
        if (r->open_len == max) {
            PL_TRY(pl_rio_flush(r));
        }
    }
    return PADLOCK_OK;
}

padlock_err pl_rio_send_alert(pl_rio *r, uint8_t level, uint8_t description) {
    PL_TRY(pl_rio_flush(r));
    PL_TRY(pl_rio_before_record(r, PL_CONTENT_ALERT));
    /* RFC 8446 §6: struct { AlertLevel level; AlertDescription description; } Alert; */
    const uint8_t alert[2] = {level, description};
    return pl_rio_seal_bytes(r, PL_CONTENT_ALERT, alert, sizeof(alert));
}

padlock_err pl_rio_send_app(pl_rio *r, const uint8_t *data, size_t len, size_t *written) {
    *written = 0;
    PL_TRY(pl_rio_flush(r));
    size_t n = pl_record_max_payload(&r->tx);
    if (n > len) {
        n = len;
    }
    if (n == 0) {
        return PADLOCK_OK;
    }
    size_t need = pl_record_seal_prefix(&r->tx) + n + pl_record_seal_suffix(&r->tx, 0);
    if (r->tx_len > r->tx_sent && r->tx_cap - r->tx_len < need) {
        return PADLOCK_OK; /* backed up: the caller sends what waits first */
    }
    PL_TRY(pl_rio_before_record(r, PL_CONTENT_APPLICATION_DATA));
    PL_TRY(pl_rio_seal_bytes(r, PL_CONTENT_APPLICATION_DATA, data, n));
    *written = n;
    return PADLOCK_OK;
}

padlock_err pl_rio_send_app_into(pl_rio *r, const uint8_t *data, size_t len, uint8_t *dst,
                                 size_t cap, size_t *written, size_t *out_len) {
    *written = 0;
    *out_len = 0;
    PL_TRY(pl_rio_flush(r));
    if (len > 0) {
        PL_TRY(pl_rio_before_record(r, PL_CONTENT_APPLICATION_DATA));
    }
    /* What waits goes first, so that the order on the wire never changes; it is marked sent
     * only once everything below succeeded, so that on an error it still waits in front of
     * the alert. */
    size_t moved = r->tx_len - r->tx_sent;
    if (moved > cap) {
        moved = cap;
    }
    if (moved > 0) {
        memcpy(dst, r->tx_buf + r->tx_sent, moved);
    }
    size_t off = moved;
    size_t taken = 0;
    size_t overhead = pl_record_seal_prefix(&r->tx) + pl_record_seal_suffix(&r->tx, 0);
    size_t max = pl_record_max_payload(&r->tx);
    while (moved == r->tx_len - r->tx_sent && taken < len && cap - off > overhead) {
        size_t n = len - taken < max ? len - taken : max;
        if (n > cap - off - overhead) {
            /* RFC 8446 §5.1 allows any fragment length from 1 up: the first record takes what
             * fits, later ones only whole, so that a short tail of dst does not cost a tiny
             * record. */
            if (taken > 0) {
                break;
            }
            n = cap - off - overhead;
        }
        size_t rec_len;
        PL_TRY(pl_record_seal_from(&r->tx, PL_CONTENT_APPLICATION_DATA, data + taken, dst + off,
                                   cap - off, n, 0, &rec_len));
        off += rec_len;
        taken += n;
    }
    PL_TRY(pl_rio_output_done(r, moved));
    *written = taken;
    *out_len = off;
    return PADLOCK_OK;
}

padlock_err pl_rio_set_write_keys(pl_rio *r, pl_record_keys *keys) {
    padlock_err err = pl_rio_flush(r);
    if (err != PADLOCK_OK) {
        pl_wipe(keys, sizeof(*keys));
        return err;
    }
    return pl_record_dir_set_keys(&r->tx, keys);
}

void pl_rio_output(const pl_rio *r, const uint8_t **out, size_t *out_len) {
    *out = r->tx_buf != NULL ? r->tx_buf + r->tx_sent : NULL;
    *out_len = r->tx_len - r->tx_sent;
}

padlock_err pl_rio_output_done(pl_rio *r, size_t n) {
    PL_CHECK(n <= r->tx_len - r->tx_sent, PADLOCK_E_INVALID_ARGUMENT);
    r->tx_sent += n;
    if (r->tx_sent == r->tx_len && !r->open && r->tx_buf != NULL) {
        /* Nothing to wipe: every byte of tx_buf[0, tx_len) is a sealed (or, before the keys,
         * plaintext handshake) record the caller already took for the wire, and there is no
         * open record. Wiping 16 KiB of ciphertext per record cost 8% of bulk throughput. */
        pl_pool_put(r->pool, r->tx_buf, r->tx_cap, 0);
        r->tx_buf = NULL;
        r->tx_cap = 0;
        r->tx_len = 0;
        r->tx_sent = 0;
    }
    return PADLOCK_OK;
}

int pl_rio_pending(const pl_rio *r) {
    return r->tx_len > r->tx_sent || r->open;
}
