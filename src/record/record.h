/* The record layer: header parsing, and per-direction record protection that seals and opens
 * records in place in the caller's buffers (TLS 1.3 per RFC 8446 §5.1-5.4; TLS 1.2 AEAD records
 * per RFC 5246 §6.2.3.3, RFC 5288 §3 and RFC 7905 §2; size limits per RFC 8449 §4).
 *
 * Buffers. A record is sealed where it will be sent from: the caller writes the payload at
 * buf + pl_record_seal_prefix(), leaving room in front for the header (and TLS 1.2 explicit
 * nonce) and pl_record_seal_suffix() bytes after it for content type, padding and tag. A record
 * is opened where it was received (the plaintext is a slice of the fragment), or decrypted from
 * where it was received into other storage, such as the application's read buffer. Nothing is
 * copied and nothing is allocated per record: a direction owns one AEAD context, created when
 * its first keys are installed and re-keyed afterwards. */
#ifndef PL_RECORD_RECORD_H
#define PL_RECORD_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "util/err.h"
#include "wire/cur.h"

/* RFC 8446 §5.1 ContentType. */
typedef enum pl_content_type {
    PL_CONTENT_INVALID = 0,
    PL_CONTENT_CHANGE_CIPHER_SPEC = 20,
    PL_CONTENT_ALERT = 21,
    PL_CONTENT_HANDSHAKE = 22,
    PL_CONTENT_APPLICATION_DATA = 23,
} pl_content_type;

#define PL_RECORD_HEADER_LEN 5
#define PL_RECORD_MAX_PLAINTEXT 16384 /* 2^14: RFC 8446 §5.1, RFC 5246 §6.2.1 */
/* RFC 8446 §5.2: TLSCiphertext.length <= 2^14 + 256. */
#define PL_RECORD_MAX_CIPHERTEXT_TLS13 (PL_RECORD_MAX_PLAINTEXT + 256)
/* RFC 5246 §6.2.3: TLSCiphertext.length <= 2^14 + 2048. */
#define PL_RECORD_MAX_CIPHERTEXT_TLS12 (PL_RECORD_MAX_PLAINTEXT + 2048)
/* RFC 5288 §3: the explicit part of a TLS 1.2 AES-GCM nonce, carried in each record. */
#define PL_RECORD_EXPLICIT_NONCE_LEN 8
/* The most a receive buffer must hold for one record: header + largest fragment. */
#define PL_RECORD_MAX_RECORD_LEN (PL_RECORD_HEADER_LEN + PL_RECORD_MAX_CIPHERTEXT_TLS12)

/* How a direction protects its records. */
typedef enum pl_record_prot {
    PL_RECORD_PLAINTEXT = 0, /* no protection: the initial flights (RFC 8446 §5.1) */
    PL_RECORD_TLS13 = 1,     /* RFC 8446 §5.2: outer type 23, inner type + padding, AAD = header */
    PL_RECORD_TLS12 = 2,     /* RFC 5246 §6.2.3.3 AEAD; the nonce follows the AEAD: AES-GCM has
                                an explicit 8-byte nonce (RFC 5288), ChaCha20-Poly1305 an
                                implicit one (RFC 7905) */
} pl_record_prot;

/* A parsed record header (TLSPlaintext/TLSCiphertext without the fragment). */
typedef struct pl_record_header {
    uint8_t type;     /* pl_content_type on the wire (the outer type when protected) */
    uint16_t version; /* legacy_record_version: ignored by TLS 1.3, checked by TLS 1.2 callers */
    uint16_t length;  /* fragment length */
} pl_record_header;

/* An opened record: its real content type and plaintext, a slice of the received fragment. */
typedef struct pl_record {
    uint8_t type;  /* pl_content_type; for TLS 1.3 the inner type */
    uint8_t *data; /* inside the caller's receive buffer; valid while that buffer is */
    size_t len;
} pl_record;

/* Keys for one direction, produced by the key schedule. The record layer takes them over:
 * pl_record_dir_set_keys wipes this struct. */
typedef struct pl_record_keys {
    pl_record_prot prot; /* PL_RECORD_TLS13 or PL_RECORD_TLS12 */
    const pl_aead_alg *aead;
    uint8_t key[PL_AEAD_MAX_KEY_LEN]; /* aead->key_len bytes */
    uint8_t iv[PL_AEAD_NONCE_LEN];    /* TLS 1.3 and TLS 1.2 ChaCha20-Poly1305: the 12-byte
                                         write IV; TLS 1.2 AES-GCM: the 4-byte salt */
} pl_record_keys;

/* The protection state of one direction (our writes, or the peer's). */
typedef struct pl_record_dir {
    pl_aead_ctx *aead;             /* NULL until the first keys; then re-keyed, never replaced */
    uint64_t seq;                  /* sequence number of the next record (RFC 8446 §5.3) */
    uint8_t iv[PL_AEAD_NONCE_LEN]; /* static IV (or TLS 1.2 GCM salt in the first 4 bytes) */
    uint8_t prot;                  /* pl_record_prot */
    uint8_t keyed;                 /* 1 once protected keys are installed successfully */
    uint8_t explicit_nonce;        /* 1 for TLS 1.2 AES-GCM records */
    uint8_t first_epoch;           /* 1 while the first keys installed are in use */
    uint16_t version;              /* legacy_record_version written by unprotected/TLS 1.2 seal */
    uint16_t size_limit;           /* RFC 8449 record_size_limit, or 0 for the protocol maximum */
} pl_record_dir;

/* Initialises d as an unprotected direction writing legacy_record_version 0x0303. */
void pl_record_dir_init(pl_record_dir *d);

/* Frees the AEAD context and wipes the IV; d may be initialised again afterwards. */
void pl_record_dir_cleanup(pl_record_dir *d);

/* Installs new keys (a key change, RFC 8446 §5.3): the sequence number restarts at 0. The AEAD
 * context is created on the first call and re-keyed afterwards. *keys is wiped in all cases.
 * Errors: PADLOCK_E_INVALID_ARGUMENT (prot or aead missing), PADLOCK_E_NO_MEMORY,
 * PADLOCK_E_CRYPTO. On error the previous keys are gone too: every protected seal/open fails
 * with PADLOCK_E_STATE until keys are installed, so no record uses a half-installed epoch. */
PL_NODISCARD padlock_err pl_record_dir_set_keys(pl_record_dir *d, pl_record_keys *keys);

/* Sets the legacy_record_version written on unprotected and TLS 1.2 records (RFC 8446 §5.1:
 * 0x0301 is allowed for the initial ClientHello; TLS 1.3 protected records always say 0x0303). */
void pl_record_dir_set_version(pl_record_dir *d, uint16_t version);

/* Applies an RFC 8449 record_size_limit to protected records of this direction: for sending,
 * the value the peer advertised; for receiving, the value we advertised. It counts the full
 * TLSInnerPlaintext in TLS 1.3 (content + type + padding) and the plaintext in TLS 1.2, and is
 * capped at the protocol maximum (2^14 + 1, resp. 2^14). Unprotected records are not subject to
 * it. limit must be at least 64 (RFC 8449 §4), else PADLOCK_E_INVALID_ARGUMENT. */
PL_NODISCARD padlock_err pl_record_dir_set_size_limit(pl_record_dir *d, uint16_t limit);

/* 1 if a record starting with byte first and then the 16-bit value next is an SSL 2.0
 * compatible CLIENT-HELLO (RFC 5246 Appendix E.2), which pl_record_header_parse refuses with
 * PADLOCK_E_PROTOCOL_VERSION on an unprotected stream (RFC 8446 Appendix D.5). */
int pl_record_is_sslv2_hello(uint8_t first, uint16_t next);

/* Reads and checks a record header through c (exactly PL_RECORD_HEADER_LEN bytes), for records
 * arriving in receive direction rx. Callers with fewer than PL_RECORD_HEADER_LEN bytes wait for
 * more; then for out->length more bytes of fragment. On error c is left where it was. Errors:
 *   PADLOCK_E_DECODE              fewer than 5 bytes in c
 *   PADLOCK_E_PROTOCOL_VERSION    an SSL 2.0 compatible CLIENT-HELLO, before any protection
 *   PADLOCK_E_UNEXPECTED_MESSAGE  unknown content type, or an unprotected alert/handshake record
 *                                 once TLS 1.3 protection is on (RFC 8446 §5) -- except one
 *                                 two-byte alert in the first protected epoch before any
 *                                 protected record (a peer that failed before keying)
 *   PADLOCK_E_RECORD_OVERFLOW     length above 2^14 (unprotected), 2^14 + 256 (TLS 1.3
 *                                 ciphertext, also for unprotected application_data, which can
 *                                 only be early data to skip) or 2^14 + 2048 (TLS 1.2) */
PL_NODISCARD padlock_err pl_record_header_parse(const pl_record_dir *rx, pl_cur *c,
                                                pl_record_header *out);

/* Bytes the caller reserves in front of the payload: header, plus the TLS 1.2 explicit nonce. */
size_t pl_record_seal_prefix(const pl_record_dir *tx);

/* Bytes the caller reserves after the payload of a record with pad_len bytes of padding: TLS 1.3
 * content type + padding + tag, TLS 1.2 tag, nothing when unprotected. */
size_t pl_record_seal_suffix(const pl_record_dir *tx, size_t pad_len);

/* The largest payload one record may carry in direction tx, without padding: 2^14, or less
 * under an RFC 8449 limit. Padding reduces it one for one. */
size_t pl_record_max_payload(const pl_record_dir *tx);

/* Seals one record in place. buf[0..buf_cap) holds the payload at buf + pl_record_seal_prefix()
 * (payload_len bytes); the header is written in front and the trailer behind it, and the whole
 * record is buf[0..*out_len). pad_len zero bytes of padding are added (TLS 1.3 only, RFC 8446
 * §5.4). type is the real content type. A change_cipher_spec must be the single byte 0x01; a TLS
 * 1.3 direction writes it unprotected (RFC 8446 §5, Appendix D.4) without using a sequence
 * number. Errors: PADLOCK_E_INVALID_ARGUMENT (payload + padding over pl_record_max_payload,
 * padding when not TLS 1.3, an empty handshake or alert, unprotected application data, a bad
 * change_cipher_spec, an unknown type), PADLOCK_E_BUFFER_TOO_SMALL, PADLOCK_E_STATE (no keys
 * installed, or the sequence number is exhausted: RFC 8446 §5.3 forbids wrapping, so the caller
 * updates keys or closes), PADLOCK_E_CRYPTO. The sequence number advances only on success. */
PL_NODISCARD padlock_err pl_record_seal(pl_record_dir *tx, uint8_t type, uint8_t *buf,
                                        size_t buf_cap, size_t payload_len, size_t pad_len,
                                        size_t *out_len);

/* As pl_record_seal, but the payload_len bytes of payload are read from payload, which does not
 * overlap buf, and encrypted straight into place (no copy into buf first). */
PL_NODISCARD padlock_err pl_record_seal_from(pl_record_dir *tx, uint8_t type,
                                             const uint8_t *payload, uint8_t *buf, size_t buf_cap,
                                             size_t payload_len, size_t pad_len, size_t *out_len);

/* Opens one record in place: h is its header from pl_record_header_parse and fragment its
 * h->length bytes (in the caller's receive buffer, decrypted where they lie). On success *out
 * is the real content type and the plaintext, a slice of fragment. An unprotected
 * change_cipher_spec record passes through in every state after checking that it is the single
 * byte 0x01; the caller decides whether it may be dropped at this point (RFC 8446 §5). Errors:
 *   PADLOCK_E_BAD_RECORD_MAC      authentication failed, or too short to hold a tag (§5.2)
 *   PADLOCK_E_RECORD_OVERFLOW     plaintext over the protocol or RFC 8449 limit (§5.4)
 *   PADLOCK_E_UNEXPECTED_MESSAGE  all-zero TLS 1.3 plaintext (§5.4), an inner type that is
 *                                 change_cipher_spec or unknown (§5), an empty handshake or
 *                                 alert record (§5.4), an unprotected application_data record
 *                                 (§5.1; callers skipping rejected early data test h->type
 *                                 first), a malformed change_cipher_spec, an unprotected alert
 *                                 that is not fatal (see pl_record_header_parse)
 *   PADLOCK_E_STATE               sequence number exhausted, or keys failed to install
 * The sequence number advances only on success. When a protected record fails after the AEAD
 * ran (authentication, or a content rule after decryption), the fragment is wiped. */
PL_NODISCARD padlock_err pl_record_open(pl_record_dir *rx, const pl_record_header *h,
                                        uint8_t *fragment, pl_record *out);

/* Whether pl_record_open_into can open a record of this outer type in direction rx: the
 * protected ones (TLS 1.3 application_data, every TLS 1.2 record once keyed). */
int pl_record_opens_into(const pl_record_dir *rx, uint8_t type);

/* The bytes of plaintext room pl_record_open_into needs for the record with header h: the
 * fragment without tag (TLS 1.3: the whole TLSInnerPlaintext, content type and padding
 * included) and without the TLS 1.2 explicit nonce; 0 for a record too short to hold them
 * (which fails to open). Meaningful when pl_record_opens_into(rx, h->type). */
size_t pl_record_open_room(const pl_record_dir *rx, const pl_record_header *h);

/* As pl_record_open, but the h->length protected bytes are read from in and the plaintext is
 * written at plain[0..), which holds plain_cap bytes and does not overlap in: the record is
 * neither copied nor decrypted in place first. It may be a receive buffer or the application's
 * own. On success out->data is plain and out->len the content length; for TLS 1.3 the bytes
 * after the content up to pl_record_open_room are zero (the content type is cleared once read,
 * the padding was zero). On every failure but the size check plain[0..pl_record_open_room) is
 * wiped, so neither unauthenticated nor refused plaintext stays in it. Errors: those of
 * pl_record_open, PADLOCK_E_INVALID_ARGUMENT unless pl_record_opens_into(rx, h->type), and
 * PADLOCK_E_BUFFER_TOO_SMALL when plain_cap < pl_record_open_room(rx, h) (nothing read). */
PL_NODISCARD padlock_err pl_record_open_into(pl_record_dir *rx, const pl_record_header *h,
                                             const uint8_t *in, uint8_t *plain, size_t plain_cap,
                                             pl_record *out);

#endif
