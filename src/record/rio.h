/* The record stream of one connection (RFC 8446 §5): peer bytes in, one whole record at a time,
 * opened in place or into the caller's storage; handshake messages, alerts and application data
 * out, sealed into records that wait in one buffer until the transport takes them. Handshake
 * messages are coalesced into as few records as possible and split across records when longer than
 * one (§5.1). The middlebox compatibility change_cipher_spec (Appendix D.4) is inserted where the
 * handshake asks for it.
 *
 * Memory: the receive buffer exists while a record is being received or held, sized to that
 * record (application data decrypted into the caller's storage needs none once received); the send
 * buffer exists while it holds bytes. Both come from and go back to a pool shared by the
 * configuration's connections, so an idle connection holds no buffer and the steady-state data path
 * allocates nothing. */
#ifndef PL_RECORD_RIO_H
#define PL_RECORD_RIO_H

#include <stddef.h>
#include <stdint.h>

#include "record/frag.h"
#include "record/record.h"
#include "util/err.h"
#include "util/pool.h"

/* AlertLevel (RFC 8446 §6). */
enum { PL_ALERT_WARNING = 1, PL_ALERT_FATAL = 2 };

typedef struct pl_rio {
    pl_record_dir rx; /* the peer's protection; callers may set its size limit */
    pl_record_dir tx; /* ours; callers may set its version and size limit */
    pl_frag frag;     /* handshake reassembly over the records handed out */
    pl_pool *pool;    /* borrowed; outlives the stream */

    /* Receiving: the header of the record in progress, then its fragment. */
    uint8_t hdr[PL_RECORD_HEADER_LEN];
    uint8_t hdr_len;
    uint8_t held;        /* 1 while rec is handed out (until pl_rio_release) */
    uint32_t early_skip; /* bytes of refused early data that may still be dropped */
    pl_record_header rh;
    uint8_t *rx_buf;
    size_t rx_cap;
    size_t rx_have;
    pl_record rec;

    /* Sending: sealed records in tx_buf[tx_sent..tx_len), then possibly one open handshake
     * record at tx_len whose open_len payload bytes are not sealed yet. */
    uint8_t *tx_buf;
    size_t tx_cap;
    size_t tx_len;
    size_t tx_sent;
    size_t open_len;
    uint8_t open;
    uint8_t ccs_pending; /* send a compatibility change_cipher_spec before the next record */
} pl_rio;

/* Initialises a stream with unprotected directions. Handshake messages longer than
 * max_hs_body are refused (PADLOCK_E_HANDSHAKE_TOO_LARGE). */
void pl_rio_init(pl_rio *r, pl_pool *pool, uint32_t max_hs_body);

/* Gives the buffers back to the pool (wiped), frees reassembly state and the AEAD contexts. */
void pl_rio_cleanup(pl_rio *r);

/* ---- Receiving ---- */

/* Consumes peer bytes from data[0..len) until one record is complete, then opens it: *out_rec
 * is the record (type and plaintext) and *consumed the bytes used, which end with that record.
 * *out_rec is NULL when all of data was taken and the record is still incomplete. The record
 * stays valid until pl_rio_release, which must be called before the next receive
 * (PADLOCK_E_STATE otherwise).
 * dst, when not NULL, is the caller's storage of dst_cap bytes for application data: a
 * protected application_data record whose plaintext (pl_record_open_room) fits is decrypted
 * straight into it, and then (*out_rec)->data is dst and the stream keeps no buffer for it.
 * dst[0..pl_record_open_room) may be written whatever the outcome: it is wiped when the record
 * fails to open, and when a TLS 1.3 record turns out to hold another content type, which is
 * then handed out from the stream's buffer as usual; past the content of an application data
 * record it is zero. Other records, or application data that does not fit, are opened into
 * the stream's buffer and dst is untouched.
 * Errors: those of pl_record_header_parse and pl_record_open, PADLOCK_E_NO_MEMORY; the stream
 * is unusable afterwards. */
PL_NODISCARD padlock_err pl_rio_receive(pl_rio *r, const uint8_t *data, size_t len, uint8_t *dst,
                                        size_t dst_cap, size_t *consumed, pl_record **out_rec);

/* Drops the record handed out by pl_rio_receive and gives its buffer back. No-op if none. */
void pl_rio_release(pl_rio *r);

/* Bytes that would complete the record in progress: what is missing of its header, else of
 * its fragment; 0 while a record is handed out. */
size_t pl_rio_wanted(const pl_rio *r);

/* 1 if some bytes of a record are received but the record is not complete. */
int pl_rio_partial(const pl_rio *r);

/* A server refusing early data (RFC 8446 §4.2.10): from now on, records whose outer type is
 * application_data are dropped unread while they fit in budget bytes (headers included):
 * unprotected ones outright (after a HelloRetryRequest, before the second
 * ClientHello), protected ones when they fail to open with the keys in force (trial
 * decryption with the handshake keys). The first protected record that opens ends the
 * skipping, so does a budget of 0; past the budget such records fail as they would otherwise
 * (unexpected_message, bad_record_mac). */
void pl_rio_skip_early_data(pl_rio *r, uint32_t budget);

/* Installs the peer's new keys (RFC 8446 §5.1: the message before a key change must end its
 * record, PADLOCK_E_UNEXPECTED_MESSAGE otherwise; see pl_frag_key_change). keys is wiped. */
PL_NODISCARD padlock_err pl_rio_set_read_keys(pl_rio *r, pl_record_keys *keys);

/* ---- Sending ---- */

/* Appends one whole handshake message (header included) to the open handshake record,
 * sealing records as they fill. Errors: those of pl_record_seal, PADLOCK_E_NO_MEMORY. */
PL_NODISCARD padlock_err pl_rio_send_handshake(pl_rio *r, const uint8_t *msg, size_t len);

/* Seals an alert record (after sealing any open handshake record). */
PL_NODISCARD padlock_err pl_rio_send_alert(pl_rio *r, uint8_t level, uint8_t description);

/* Seals application data: at most one record's worth of data[0..len), *written bytes. When
 * sealed bytes are already waiting and the buffer has no room for the record, nothing is taken
 * (*written = 0): the caller sends first. len 0 writes nothing. */
PL_NODISCARD padlock_err pl_rio_send_app(pl_rio *r, const uint8_t *data, size_t len,
                                         size_t *written);

/* pl_rio_send_app, sealing straight into the caller's dst[0..cap) instead of the send buffer:
 * first the bytes waiting to be sent are copied to dst (as many as fit), then, if all of them
 * fit, application data from data[0..len) is sealed behind them, as many records as fit, read
 * from data as they are encrypted. The first record takes what fits (at least one byte of
 * payload, else none), later ones only a whole record's worth or the rest of data. *out_len is
 * the bytes of dst to send (the copied ones are marked sent), *written the bytes of data taken.
 * On an error both are 0 and nothing is marked sent; dst may hold partial records. Errors:
 * those of pl_record_seal and pl_rio_flush. */
PL_NODISCARD padlock_err pl_rio_send_app_into(pl_rio *r, const uint8_t *data, size_t len,
                                              uint8_t *dst, size_t cap, size_t *written,
                                              size_t *out_len);

/* Asks for a change_cipher_spec record (RFC 8446 Appendix D.4) in front of the next handshake
 * or protected record this stream sends; an unprotected alert goes without it. */
void pl_rio_want_ccs(pl_rio *r);

/* Takes back a pl_rio_want_ccs not yet paid (a client whose server chose TLS 1.2, where the
 * change_cipher_spec is a step of the handshake, RFC 5246 §7.1). */
void pl_rio_cancel_ccs(pl_rio *r);

/* Seals a change_cipher_spec record now, after the open handshake record (a server sends one
 * "immediately after its first handshake message", RFC 8446 Appendix D.4). */
PL_NODISCARD padlock_err pl_rio_send_ccs(pl_rio *r);

/* Seals the open handshake record, if any, so that everything queued can be sent. */
PL_NODISCARD padlock_err pl_rio_flush(pl_rio *r);

/* Drops the open handshake record unsent (a failed handshake sends its alert instead). */
void pl_rio_discard_open(pl_rio *r);

/* Installs our new keys, sealing the open handshake record under the old ones first. keys is
 * wiped. */
PL_NODISCARD padlock_err pl_rio_set_write_keys(pl_rio *r, pl_record_keys *keys);

/* The sealed bytes waiting to be sent: *out points into the stream's buffer and stays valid
 * until the next call that sends or pl_rio_output_done. *out_len is 0 when nothing waits. */
void pl_rio_output(const pl_rio *r, const uint8_t **out, size_t *out_len);

/* Marks n of the waiting bytes as sent (PADLOCK_E_INVALID_ARGUMENT if more than wait). Once
 * everything is sent, the buffer goes back to the pool. */
PL_NODISCARD padlock_err pl_rio_output_done(pl_rio *r, size_t n);

/* 1 if sealed bytes wait to be sent, or a handshake record is open. */
int pl_rio_pending(const pl_rio *r);

#endif
