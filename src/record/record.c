/* Record framing and protection in place: header checks (RFC 8446 §5, §5.1), TLS 1.3 AEAD
 * records with inner content type and padding (§5.2-5.4), TLS 1.2 AEAD records (RFC 5246
 * §6.2.3.3, RFC 5288 §3, RFC 7905 §2), and RFC 8449 record size limits. */
#include "record/record.h"

#include <string.h>

#include "record/pad.h"
#include "record/protect.h"
#include "util/mem.h"
#include "wire/buf.h"

#define PL_RECORD_VERSION_TLS12 0x0303
#define PL_RECORD_GCM_SALT_LEN 4   /* RFC 5288 §3: GCMNonce.salt */
#define PL_RECORD_TLS12_AAD_LEN 13 /* RFC 5246 §6.2.3.3: seq_num + type + version + length */
#define PL_RECORD_MAX_INNER_TLS13 (PL_RECORD_MAX_PLAINTEXT + 1)

void pl_record_dir_init(pl_record_dir *d) {
    memset(d, 0, sizeof(*d));
    d->prot = PL_RECORD_PLAINTEXT;
    d->version = PL_RECORD_VERSION_TLS12;
}

void pl_record_dir_cleanup(pl_record_dir *d) {
    pl_aead_ctx_free(d->aead);
    pl_wipe(d, sizeof(*d));
}

padlock_err pl_record_dir_set_keys(pl_record_dir *d, pl_record_keys *keys) {
    /* Whatever happens below, the old keys are gone: a failed install must not leave the
     * previous epoch usable, so until it succeeds every seal/open fails with PADLOCK_E_STATE. */
    d->keyed = 0;
    d->prot = keys->prot == PL_RECORD_TLS12 ? PL_RECORD_TLS12 : PL_RECORD_TLS13;
    d->seq = 0;
    d->explicit_nonce = 0;
    d->first_epoch = d->aead == NULL;
    pl_wipe(d->iv, sizeof(d->iv));
    padlock_err err = PADLOCK_OK;
    if ((keys->prot != PL_RECORD_TLS13 && keys->prot != PL_RECORD_TLS12) || keys->aead == NULL) {
        err = PADLOCK_E_INVALID_ARGUMENT;
    } else if (d->aead == NULL) {
        err = pl_aead_ctx_new(&d->aead);
    }
    if (err == PADLOCK_OK) {
        err = pl_aead_ctx_set_key(d->aead, keys->aead, keys->key);
    }
    if (err == PADLOCK_OK) {
        if (keys->prot == PL_RECORD_TLS12 && keys->aead->id != PL_AEAD_CHACHA20_POLY1305) {
            /* RFC 5288 §3: nonce = salt (4 bytes) || nonce_explicit (8 bytes). With the rest of
             * the IV zero, "IV xor seq" yields salt || seq, the explicit nonce we send. */
            d->explicit_nonce = 1;
            memcpy(d->iv, keys->iv, PL_RECORD_GCM_SALT_LEN);
        } else {
            /* RFC 8446 §5.3 and RFC 7905 §2: nonce = 12-byte IV xor padded sequence number. */
            memcpy(d->iv, keys->iv, PL_AEAD_NONCE_LEN);
        }
        d->keyed = 1;
    }
    pl_wipe(keys, sizeof(*keys));
    return err;
}

void pl_record_dir_set_version(pl_record_dir *d, uint16_t version) {
    d->version = version;
}

padlock_err pl_record_dir_set_size_limit(pl_record_dir *d, uint16_t limit) {
    /* RFC 8449 §4: values below 64 are a fatal error; the caller maps that to its alert. */
    PL_CHECK(limit >= 64, PADLOCK_E_INVALID_ARGUMENT);
    d->size_limit = limit;
    return PADLOCK_OK;
}

/* The most plaintext a protected record may hold, counted as RFC 8449 §4 does: the whole
 * TLSInnerPlaintext in TLS 1.3 (§5.4: at most 2^14 + 1), the fragment in TLS 1.2. */
static size_t pl_record_plain_limit(const pl_record_dir *d) {
    size_t proto = d->prot == PL_RECORD_TLS13 ? PL_RECORD_MAX_INNER_TLS13 : PL_RECORD_MAX_PLAINTEXT;
    if (d->size_limit != 0 && d->size_limit < proto) {
        return d->size_limit;
    }
    return proto;
}

size_t pl_record_max_payload(const pl_record_dir *tx) {
    switch (tx->prot) {
    case PL_RECORD_TLS13: return pl_record_plain_limit(tx) - 1; /* the inner content type */
    case PL_RECORD_TLS12: return pl_record_plain_limit(tx);
    default: return PL_RECORD_MAX_PLAINTEXT; /* RFC 8449 §4: unprotected records are exempt */
    }
}

size_t pl_record_seal_prefix(const pl_record_dir *tx) {
    return PL_RECORD_HEADER_LEN + (tx->explicit_nonce ? PL_RECORD_EXPLICIT_NONCE_LEN : 0);
}

size_t pl_record_seal_suffix(const pl_record_dir *tx, size_t pad_len) {
    switch (tx->prot) {
    case PL_RECORD_TLS13: return 1 + pad_len + PL_AEAD_TAG_LEN;
    case PL_RECORD_TLS12: return PL_AEAD_TAG_LEN;
    default: return 0;
    }
}

/* A peer that gives up on the handshake before it has installed its own handshake keys (an
 * OpenSSL client refusing our certificate, for one) sends its alert unprotected although ours
 * are protected. RFC 8446 §5 does not provide for it, but refusing the record would report
 * "unexpected message" instead of the peer's reason. So, in the first protected epoch and
 * before any protected record arrived, one unprotected two-byte fatal alert is read as such: it
 * can only end the connection, which anyone on the path can do anyway. */
static int pl_record_clear_alert_ok(const pl_record_dir *rx, uint8_t type, uint16_t length) {
    return rx->prot == PL_RECORD_TLS13 && rx->first_epoch && rx->seq == 0 &&
           type == PL_CONTENT_ALERT && length == 2;
}

static int pl_record_type_known(uint8_t type) {
    return type == PL_CONTENT_CHANGE_CIPHER_SPEC || type == PL_CONTENT_ALERT ||
           type == PL_CONTENT_HANDSHAKE || type == PL_CONTENT_APPLICATION_DATA;
}

int pl_record_is_sslv2_hello(uint8_t first, uint16_t next) {
    /* Byte 0: 0x80 | length high bits; byte 1: length low bits; byte 2: msg_type client_hello. */
    return (first & 0x80) != 0 && (next & 0xff) == 1;
}

padlock_err pl_record_header_parse(const pl_record_dir *rx, pl_cur *c, pl_record_header *out) {
    /* Read on a copy: the caller's cursor only moves past a header that is accepted. */
    pl_cur r = *c;
    pl_record_header h;
    PL_TRY(pl_cur_u8(&r, &h.type));
    PL_TRY(pl_cur_u16(&r, &h.version));
    PL_TRY(pl_cur_u16(&r, &h.length));
    /* RFC 8446 Appendix D.5: SSL 2.0 "MUST NOT be negotiated", and accepting an SSL 2.0
     * compatible CLIENT-HELLO is NOT RECOMMENDED. One (RFC 5246 Appendix E.2) starts with a
     * two-byte length whose top bit is set, then msg_type 1; it is refused as a version the
     * server does not speak rather than as garbage. */
    PL_CHECK(!(rx->prot == PL_RECORD_PLAINTEXT && pl_record_is_sslv2_hello(h.type, h.version)),
             PADLOCK_E_PROTOCOL_VERSION);
    /* RFC 8446 §5: an unexpected record type terminates the connection with
     * unexpected_message. (legacy_record_version is ignored, §5.1.) */
    PL_CHECK(pl_record_type_known(h.type), PADLOCK_E_UNEXPECTED_MESSAGE);
    size_t max;
    switch (rx->prot) {
    case PL_RECORD_TLS13:
        /* RFC 8446 §5.2: once protected, records carry outer type application_data; only the
         * compatibility change_cipher_spec (§5, Appendix D.4) may still arrive in the clear. */
        PL_CHECK(h.type == PL_CONTENT_APPLICATION_DATA || h.type == PL_CONTENT_CHANGE_CIPHER_SPEC ||
                     pl_record_clear_alert_ok(rx, h.type, h.length),
                 PADLOCK_E_UNEXPECTED_MESSAGE);
        max = h.type == PL_CONTENT_APPLICATION_DATA ? PL_RECORD_MAX_CIPHERTEXT_TLS13
                                                    : PL_RECORD_MAX_PLAINTEXT;
        break;
    case PL_RECORD_TLS12:
        /* RFC 5246 §6.2.3: TLSCiphertext.length <= 2^14 + 2048. */
        max = PL_RECORD_MAX_CIPHERTEXT_TLS12;
        break;
    default:
        /* RFC 8446 §5.1: TLSPlaintext.length <= 2^14. application_data is never sent in the
         * clear, so one arriving now is a protected record (early data a server may have to
         * skip, §4.2.10) and gets the ciphertext bound. */
        max = h.type == PL_CONTENT_APPLICATION_DATA ? PL_RECORD_MAX_CIPHERTEXT_TLS13
                                                    : PL_RECORD_MAX_PLAINTEXT;
        break;
    }
    /* RFC 8446 §5.1, §5.2: an overlong record gets record_overflow. */
    PL_CHECK(h.length <= max, PADLOCK_E_RECORD_OVERFLOW);
    *c = r;
    *out = h;
    return PADLOCK_OK;
}

/* Writes a record header into out[0..5). */
static padlock_err pl_record_put_header(uint8_t *out, uint8_t type, uint16_t version,
                                        size_t length) {
    PL_CHECK(length <= UINT16_MAX, PADLOCK_E_INTERNAL);
    pl_buf b;
    pl_buf_init(&b, out, PL_RECORD_HEADER_LEN);
    PL_TRY(pl_buf_u8(&b, type));
    PL_TRY(pl_buf_u16(&b, version));
    PL_TRY(pl_buf_u16(&b, (uint16_t)length));
    return PADLOCK_OK;
}

/* RFC 8446 §5.3 (and RFC 7905 §2): the static IV xor the sequence number, padded on the left. */
static void pl_record_nonce(const pl_record_dir *d, uint8_t nonce[PL_AEAD_NONCE_LEN]) {
    memcpy(nonce, d->iv, PL_AEAD_NONCE_LEN);
    for (size_t i = 0; i < 8; i++) {
        nonce[PL_AEAD_NONCE_LEN - 1 - i] ^= (uint8_t)(d->seq >> (8 * i));
    }
}

/* The checks every protected operation makes before using a sequence number. */
static padlock_err pl_record_ready(const pl_record_dir *d) {
    PL_CHECK(d->keyed, PADLOCK_E_STATE);
    /* RFC 8446 §5.3: sequence numbers must not wrap; the last value is never used so that the
     * increment after it cannot wrap. The caller updates keys or closes. */
    PL_CHECK(d->seq != UINT64_MAX, PADLOCK_E_STATE);
    return PADLOCK_OK;
}

/* RFC 5246 §6.2.3.3: additional_data = seq_num + type + version + length (of the plaintext). */
static padlock_err pl_record_tls12_aad(const pl_record_dir *d, uint8_t type, uint16_t version,
                                       size_t plain_len, uint8_t aad[PL_RECORD_TLS12_AAD_LEN]) {
    pl_buf b;
    pl_buf_init(&b, aad, PL_RECORD_TLS12_AAD_LEN);
    PL_TRY(pl_buf_u64(&b, d->seq));
    PL_TRY(pl_buf_u8(&b, type));
    PL_TRY(pl_buf_u16(&b, version));
    PL_TRY(pl_buf_u16(&b, (uint16_t)plain_len));
    return PADLOCK_OK;
}

/* RFC 8446 §5.1 and §5.4: handshake and alert records are never empty; RFC 5246 §6.2.1 adds
 * change_cipher_spec (which TLS 1.3 fixes at one byte anyway). */
static int pl_record_empty_forbidden(uint8_t type, size_t len) {
    return len == 0 && (type == PL_CONTENT_HANDSHAKE || type == PL_CONTENT_ALERT ||
                        type == PL_CONTENT_CHANGE_CIPHER_SPEC);
}

static padlock_err pl_record_seal_plain(uint8_t type, uint16_t version, const uint8_t *payload,
                                        uint8_t *buf, size_t buf_cap, size_t payload_len,
                                        size_t *out_len) {
    PL_CHECK(payload_len <= PL_RECORD_MAX_PLAINTEXT, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(buf_cap >= PL_RECORD_HEADER_LEN && payload_len <= buf_cap - PL_RECORD_HEADER_LEN,
             PADLOCK_E_BUFFER_TOO_SMALL);
    if (payload != buf + PL_RECORD_HEADER_LEN) {
        memcpy(buf + PL_RECORD_HEADER_LEN, payload, payload_len);
    }
    PL_TRY(pl_record_put_header(buf, type, version, payload_len));
    *out_len = PL_RECORD_HEADER_LEN + payload_len;
    return PADLOCK_OK;
}

static padlock_err pl_record_seal_tls13(pl_record_dir *tx, uint8_t type, const uint8_t *payload,
                                        uint8_t *buf, size_t buf_cap, size_t payload_len,
                                        size_t pad_len, size_t *out_len) {
    /* RFC 8446 §5.4: the whole TLSInnerPlaintext (content + type + padding) stays within the
     * record size limit (2^14 + 1, or the peer's RFC 8449 limit). */
    size_t limit = pl_record_plain_limit(tx);
    PL_CHECK(payload_len < limit && pad_len <= limit - 1 - payload_len, PADLOCK_E_INVALID_ARGUMENT);
    size_t inner_len = payload_len + 1 + pad_len;
    size_t total = PL_RECORD_HEADER_LEN + inner_len + PL_AEAD_TAG_LEN;
    PL_CHECK(total <= buf_cap, PADLOCK_E_BUFFER_TOO_SMALL);
    PL_TRY(pl_record_ready(tx));

    uint8_t *inner = buf + PL_RECORD_HEADER_LEN;
    pl_buf trailer;
    pl_buf_init(&trailer, inner + payload_len, 1 + pad_len);
    PL_TRY(pl_buf_u8(&trailer, type));
    PL_TRY(pl_buf_zeros(&trailer, pad_len)); /* §5.4: padding octets are zero */
    /* §5.2: outer type application_data, legacy_record_version 0x0303, and the header is the
     * additional data. */
    PL_TRY(pl_record_put_header(buf, PL_CONTENT_APPLICATION_DATA, PL_RECORD_VERSION_TLS12,
                                inner_len + PL_AEAD_TAG_LEN));
    uint8_t nonce[PL_AEAD_NONCE_LEN];
    pl_record_nonce(tx, nonce);
    /* In place, payload and trailer are one run of bytes: one update instead of two. */
    size_t from_len = payload == inner ? inner_len : payload_len;
    PL_TRY(pl_record_protect_seal(tx->aead, nonce, buf, PL_RECORD_HEADER_LEN, payload, from_len,
                                  inner, inner_len, inner + inner_len));
    tx->seq++;
    *out_len = total;
    return PADLOCK_OK;
}

static padlock_err pl_record_seal_tls12(pl_record_dir *tx, uint8_t type, const uint8_t *payload,
                                        uint8_t *buf, size_t buf_cap, size_t payload_len,
                                        size_t *out_len) {
    PL_CHECK(payload_len <= pl_record_plain_limit(tx), PADLOCK_E_INVALID_ARGUMENT);
    size_t prefix = pl_record_seal_prefix(tx);
    size_t total = prefix + payload_len + PL_AEAD_TAG_LEN;
    PL_CHECK(total <= buf_cap, PADLOCK_E_BUFFER_TOO_SMALL);
    PL_TRY(pl_record_ready(tx));

    PL_TRY(pl_record_put_header(buf, type, tx->version, total - PL_RECORD_HEADER_LEN));
    if (tx->explicit_nonce) {
        /* RFC 5288 §3: the explicit nonce may be the sequence number, which never repeats. */
        pl_buf b;
        pl_buf_init(&b, buf + PL_RECORD_HEADER_LEN, PL_RECORD_EXPLICIT_NONCE_LEN);
        PL_TRY(pl_buf_u64(&b, tx->seq));
    }
    uint8_t aad[PL_RECORD_TLS12_AAD_LEN];
    PL_TRY(pl_record_tls12_aad(tx, type, tx->version, payload_len, aad));
    uint8_t nonce[PL_AEAD_NONCE_LEN];
    pl_record_nonce(tx, nonce);
    uint8_t *sealed = buf + prefix;
    PL_TRY(pl_record_protect_seal(tx->aead, nonce, aad, sizeof(aad), payload, payload_len, sealed,
                                  payload_len, sealed + payload_len));
    tx->seq++;
    *out_len = total;
    return PADLOCK_OK;
}

padlock_err pl_record_seal_from(pl_record_dir *tx, uint8_t type, const uint8_t *payload,
                                uint8_t *buf, size_t buf_cap, size_t payload_len, size_t pad_len,
                                size_t *out_len) {
    PL_CHECK(pl_record_type_known(type), PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(!pl_record_empty_forbidden(type, payload_len), PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(pad_len == 0 || tx->prot == PL_RECORD_TLS13, PADLOCK_E_INVALID_ARGUMENT);
    if (type == PL_CONTENT_CHANGE_CIPHER_SPEC) {
        /* RFC 5246 §7.1, RFC 8446 §5: change_cipher_spec is the single byte 0x01. */
        PL_CHECK(payload_len == 1 && pad_len == 0 && payload[0] == 0x01,
                 PADLOCK_E_INVALID_ARGUMENT);
        if (tx->prot == PL_RECORD_TLS13) {
            /* RFC 8446 §5, Appendix D.4: the compatibility record is never protected. */
            return pl_record_seal_plain(type, PL_RECORD_VERSION_TLS12, payload, buf, buf_cap,
                                        payload_len, out_len);
        }
    }
    switch (tx->prot) {
    case PL_RECORD_TLS13:
        return pl_record_seal_tls13(tx, type, payload, buf, buf_cap, payload_len, pad_len,
                                    out_len);
    case PL_RECORD_TLS12:
        return pl_record_seal_tls12(tx, type, payload, buf, buf_cap, payload_len, out_len);
    default:
        /* RFC 8446 §5.1: application data is never written unprotected. */
        PL_CHECK(type != PL_CONTENT_APPLICATION_DATA, PADLOCK_E_INVALID_ARGUMENT);
        return pl_record_seal_plain(type, tx->version, payload, buf, buf_cap, payload_len,
                                    out_len);
    }
}

padlock_err pl_record_seal(pl_record_dir *tx, uint8_t type, uint8_t *buf, size_t buf_cap,
                           size_t payload_len, size_t pad_len, size_t *out_len) {
    size_t prefix = pl_record_seal_prefix(tx);
    /* The payload lies in buf (the sealing functions check that the whole record fits). */
    PL_CHECK(buf_cap > prefix, PADLOCK_E_BUFFER_TOO_SMALL);
    return pl_record_seal_from(tx, type, buf + prefix, buf, buf_cap, payload_len, pad_len,
                               out_len);
}

/* Maps an authentication failure to bad_record_mac and makes sure no unauthenticated or refused
 * plaintext survives in the caller's buffer: wipe[0..wipe_len) covers every byte the AEAD may
 * have written. */
static padlock_err pl_record_open_failed(padlock_err err, uint8_t *wipe, size_t wipe_len) {
    pl_wipe(wipe, wipe_len);
    /* RFC 8446 §5.2, RFC 5246 §7.2.2: decryption failure gets bad_record_mac. */
    return err == PADLOCK_E_AEAD_OPEN ? PADLOCK_E_BAD_RECORD_MAC : err;
}

/* Decrypts the TLS 1.3 record whose h->length protected bytes are at in into plain (in place
 * when they are the same) and reads its inner content type. wipe[0..wipe_len) is wiped on any
 * failure: the record in place, or the plaintext written into separate storage. */
static padlock_err pl_record_open_tls13(pl_record_dir *rx, const pl_record_header *h,
                                        const uint8_t *in, uint8_t *plain, uint8_t *wipe,
                                        size_t wipe_len, pl_record *out) {
    PL_CHECK(h->type == PL_CONTENT_APPLICATION_DATA, PADLOCK_E_UNEXPECTED_MESSAGE);
    PL_TRY(pl_record_ready(rx));
    size_t len = h->length;
    /* §5.2: the plaintext holds at least the content type, and the tag follows it. A record
     * too short for both cannot authenticate. */
    if (len < 1 + PL_AEAD_TAG_LEN) {
        return pl_record_open_failed(PADLOCK_E_AEAD_OPEN, wipe, wipe_len);
    }
    size_t inner_len = len - PL_AEAD_TAG_LEN;
    /* §5.4, RFC 8449 §4: TLSInnerPlaintext over 2^14 + 1 (or our advertised limit) is
     * record_overflow; the length is public, so this is decided before decrypting. */
    PL_CHECK(inner_len <= pl_record_plain_limit(rx), PADLOCK_E_RECORD_OVERFLOW);
    uint8_t aad[PL_RECORD_HEADER_LEN];
    PL_TRY(pl_record_put_header(aad, h->type, h->version, h->length));
    uint8_t nonce[PL_AEAD_NONCE_LEN];
    pl_record_nonce(rx, nonce);
    padlock_err err = pl_record_protect_open(rx->aead, nonce, aad, sizeof(aad), in, plain,
                                             inner_len, in + inner_len);
    if (err != PADLOCK_OK) {
        return pl_record_open_failed(err, wipe, wipe_len);
    }
    rx->seq++;

    size_t type_at;
    /* §5.4: no non-zero octet means no content type: unexpected_message. */
    int found = pl_pad_find_type(plain, inner_len, &type_at);
    uint8_t type = plain[type_at];
    /* §5: a protected change_cipher_spec, or a type this version does not define, is
     * unexpected_message; §5.4: so are handshake and alert records with empty content. */
    if (!found ||
        (type != PL_CONTENT_ALERT && type != PL_CONTENT_HANDSHAKE &&
         type != PL_CONTENT_APPLICATION_DATA) ||
        pl_record_empty_forbidden(type, type_at)) {
        return pl_record_open_failed(PADLOCK_E_UNEXPECTED_MESSAGE, wipe, wipe_len);
    }
    /* Past the content only zeros remain, so nothing of the record lies beyond out->len. */
    plain[type_at] = 0;
    out->type = type;
    out->data = plain;
    out->len = type_at;
    return PADLOCK_OK;
}

/* As pl_record_open_tls13, for TLS 1.2 AEAD records: in is the fragment (explicit nonce first
 * for AES-GCM), plain where the plaintext goes. */
static padlock_err pl_record_open_tls12(pl_record_dir *rx, const pl_record_header *h,
                                        const uint8_t *in, uint8_t *plain, uint8_t *wipe,
                                        size_t wipe_len, pl_record *out) {
    PL_TRY(pl_record_ready(rx));
    size_t explicit_len = rx->explicit_nonce ? PL_RECORD_EXPLICIT_NONCE_LEN : 0;
    size_t len = h->length;
    if (len < explicit_len + PL_AEAD_TAG_LEN) {
        return pl_record_open_failed(PADLOCK_E_AEAD_OPEN, wipe, wipe_len);
    }
    size_t plain_len = len - explicit_len - PL_AEAD_TAG_LEN;
    /* RFC 5246 §6.2.3: the plaintext is at most 2^14 (or our RFC 8449 limit) bytes. */
    PL_CHECK(plain_len <= pl_record_plain_limit(rx), PADLOCK_E_RECORD_OVERFLOW);
    uint8_t nonce[PL_AEAD_NONCE_LEN];
    if (explicit_len != 0) {
        /* RFC 5288 §3: salt from the key block, explicit part from the record. */
        memcpy(nonce, rx->iv, PL_RECORD_GCM_SALT_LEN);
        memcpy(nonce + PL_RECORD_GCM_SALT_LEN, in, PL_RECORD_EXPLICIT_NONCE_LEN);
    } else {
        pl_record_nonce(rx, nonce);
    }
    uint8_t aad[PL_RECORD_TLS12_AAD_LEN];
    PL_TRY(pl_record_tls12_aad(rx, h->type, h->version, plain_len, aad));
    const uint8_t *sealed = in + explicit_len;
    padlock_err err = pl_record_protect_open(rx->aead, nonce, aad, sizeof(aad), sealed, plain,
                                             plain_len, sealed + plain_len);
    if (err != PADLOCK_OK) {
        return pl_record_open_failed(err, wipe, wipe_len);
    }
    rx->seq++;
    /* RFC 5246 §6.2.1: no empty handshake, alert or change_cipher_spec fragments; §7.1: a
     * change_cipher_spec is the byte 0x01. */
    if (pl_record_empty_forbidden(h->type, plain_len) ||
        (h->type == PL_CONTENT_CHANGE_CIPHER_SPEC && (plain_len != 1 || plain[0] != 0x01))) {
        return pl_record_open_failed(PADLOCK_E_UNEXPECTED_MESSAGE, wipe, wipe_len);
    }
    out->type = h->type;
    out->data = plain;
    out->len = plain_len;
    return PADLOCK_OK;
}

padlock_err pl_record_open(pl_record_dir *rx, const pl_record_header *h, uint8_t *fragment,
                           pl_record *out) {
    if (h->type == PL_CONTENT_CHANGE_CIPHER_SPEC && rx->prot != PL_RECORD_TLS12) {
        /* RFC 8446 §5: an unprotected change_cipher_spec must be the single byte 0x01 (as in
         * RFC 5246 §7.1); anything else is unexpected_message. */
        PL_CHECK(h->length == 1 && fragment[0] == 0x01, PADLOCK_E_UNEXPECTED_MESSAGE);
        out->type = h->type;
        out->data = fragment;
        out->len = 1;
        return PADLOCK_OK;
    }
    if (h->type == PL_CONTENT_ALERT && rx->prot == PL_RECORD_TLS13) {
        /* See pl_record_clear_alert_ok: only a fatal alert (level 2, RFC 8446 §6) is taken
         * unprotected. */
        PL_CHECK(pl_record_clear_alert_ok(rx, h->type, h->length) && fragment[0] == 2,
                 PADLOCK_E_UNEXPECTED_MESSAGE);
        out->type = h->type;
        out->data = fragment;
        out->len = 2;
        return PADLOCK_OK;
    }
    switch (rx->prot) {
    case PL_RECORD_TLS13:
        return pl_record_open_tls13(rx, h, fragment, fragment, fragment, h->length, out);
    case PL_RECORD_TLS12: {
        uint8_t *plain = fragment + (rx->explicit_nonce ? PL_RECORD_EXPLICIT_NONCE_LEN : 0);
        return pl_record_open_tls12(rx, h, fragment, plain, fragment, h->length, out);
    }
    default: break;
    }
    /* RFC 8446 §5.1: application data is never sent unprotected. */
    PL_CHECK(h->type != PL_CONTENT_APPLICATION_DATA, PADLOCK_E_UNEXPECTED_MESSAGE);
    PL_CHECK(h->length <= PL_RECORD_MAX_PLAINTEXT, PADLOCK_E_RECORD_OVERFLOW);
    /* §5.1: handshake fragments are never empty (§5.4 names the alert); an alert record holds
     * exactly one two-byte alert, which its reader checks. */
    PL_CHECK(!pl_record_empty_forbidden(h->type, h->length), PADLOCK_E_UNEXPECTED_MESSAGE);
    out->type = h->type;
    out->data = fragment;
    out->len = h->length;
    return PADLOCK_OK;
}

int pl_record_opens_into(const pl_record_dir *rx, uint8_t type) {
    return rx->prot == PL_RECORD_TLS12 ||
           (rx->prot == PL_RECORD_TLS13 && type == PL_CONTENT_APPLICATION_DATA);
}

size_t pl_record_open_room(const pl_record_dir *rx, const pl_record_header *h) {
    size_t overhead =
        PL_AEAD_TAG_LEN +
        (rx->prot == PL_RECORD_TLS12 && rx->explicit_nonce ? PL_RECORD_EXPLICIT_NONCE_LEN : 0);
    return h->length > overhead ? h->length - overhead : 0;
}

padlock_err pl_record_open_into(pl_record_dir *rx, const pl_record_header *h, const uint8_t *in,
                                uint8_t *plain, size_t plain_cap, pl_record *out) {
    PL_CHECK(pl_record_opens_into(rx, h->type), PADLOCK_E_INVALID_ARGUMENT);
    size_t room = pl_record_open_room(rx, h);
    PL_CHECK(plain_cap >= room, PADLOCK_E_BUFFER_TOO_SMALL);
    padlock_err err = rx->prot == PL_RECORD_TLS13
                          ? pl_record_open_tls13(rx, h, in, plain, plain, room, out)
                          : pl_record_open_tls12(rx, h, in, plain, plain, room, out);
    if (err != PADLOCK_OK) {
        /* Also after the failures decided before decrypting (size limit, keys): the caller
         * can rely on the whole room holding nothing. */
        pl_wipe(plain, room);
    }
    return err;
}
