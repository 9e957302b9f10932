/* Handshake message reassembly: turns the plaintext of received records into whole handshake
 * messages, whether one message spans several records or one record holds several messages,
 * and enforces the record-boundary rules of RFC 8446 §5.1 (no interleaving, no message across a
 * key change, no empty handshake records).
 *
 * Use: for every opened record call pl_frag_feed (any content type); for handshake records then
 * call pl_frag_next until it finds no more messages; call pl_frag_key_change before installing
 * new read keys. A message that lies whole inside one record is handed out as a pointer into
 * that record, without copying; only a message that spans records is assembled in a buffer
 * allocated for it, which exists while the message is partial and until the next call after it
 * was handed out. */
#ifndef PL_RECORD_FRAG_H
#define PL_RECORD_FRAG_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "wire/cur.h"

#define PL_HS_HEADER_LEN 4 /* RFC 8446 §4: msg_type (1) + length (3) */

/* One whole handshake message. The pointers stay valid until the next pl_frag_feed,
 * pl_frag_next or pl_frag_cleanup, and, when they point into a record, while the caller keeps
 * that record's buffer. */
typedef struct pl_hs_msg {
    uint8_t type;        /* HandshakeType (RFC 8446 §4) */
    const uint8_t *body; /* body_len bytes after the header */
    size_t body_len;
    const uint8_t *raw; /* the whole message, header included: what the transcript hashes */
    size_t raw_len;     /* PL_HS_HEADER_LEN + body_len */
} pl_hs_msg;

typedef struct pl_frag {
    pl_cur rec;     /* unread bytes of the current handshake record (caller's buffer) */
    uint8_t *buf;   /* assembly of a message spanning records; NULL otherwise */
    size_t buf_len; /* bytes of it assembled so far, header included */
    size_t buf_cap; /* PL_HS_HEADER_LEN + body length */
    uint32_t max_body;
    uint8_t hdr[PL_HS_HEADER_LEN]; /* a message header that is itself split across records */
    uint8_t hdr_len;
    uint8_t handed_out; /* buf/hdr hold the message last returned, released on the next call */
} pl_frag;

/* Initialises f. max_body is the longest handshake message body accepted (the 24-bit length of
 * RFC 8446 §4); longer messages are refused from their header, before any of the body is
 * buffered. */
void pl_frag_init(pl_frag *f, uint32_t max_body);

/* Frees any assembly buffer. f may be initialised again afterwards. */
void pl_frag_cleanup(pl_frag *f);

/* Announces the next opened record: its real content type and plaintext (data must stay valid
 * until pl_frag_next has consumed it; it is never written). Non-handshake records only check the
 * interleaving rule. Errors:
 *   PADLOCK_E_UNEXPECTED_MESSAGE  a non-handshake record while a handshake message is partial
 *                                 (RFC 8446 §5.1), or an empty handshake record (§5.1; §5.4
 *                                 names unexpected_message for empty handshake content)
 *   PADLOCK_E_STATE               bytes of the previous handshake record were not yet read */
PL_NODISCARD padlock_err pl_frag_feed(pl_frag *f, uint8_t content_type, const uint8_t *data,
                                      size_t len);

/* Takes the next whole message out of the bytes fed so far. *out_found is 1 and *out the
 * message when one is complete; 0 when all bytes are consumed and more records are needed (a
 * partial message is then kept). Errors: PADLOCK_E_HANDSHAKE_TOO_LARGE (body length over
 * max_body, alert illegal_parameter), PADLOCK_E_NO_MEMORY. */
PL_NODISCARD padlock_err pl_frag_next(pl_frag *f, pl_hs_msg *out, int *out_found);

/* Checks that the read keys may change now: RFC 8446 §5.1 requires the message before a key
 * change to end at a record boundary, so no partial message may be pending and no bytes may
 * remain unread in the current record. PADLOCK_E_UNEXPECTED_MESSAGE otherwise. */
PL_NODISCARD padlock_err pl_frag_key_change(const pl_frag *f);

/* 1 if a partial message is pending or bytes of the current record are unread, else 0 (e.g.
 * to tell a connection closed mid-message). */
int pl_frag_pending(const pl_frag *f);

#endif
