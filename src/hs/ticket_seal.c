/* The session state a padlock server issues as tickets (RFC 8446 §4.6.1, RFC 5077 §4) and keeps
 * in its TLS 1.2 session cache, in the TLS presentation language:
 *
 *     struct {
 *         opaque key_id[4];      names the ticket key that sealed it; derived from the key, so
 *                                every server given the same key names it alike
 *         opaque nonce[12];      random, the AES-256-GCM nonce
 *         opaque sealed[];       SessionState encrypted under the key, additional data key_id
 *         opaque tag[16];
 *     } Ticket;                  at most 65535 bytes (ticket<1..2^16-1>)
 *
 *     struct {
 *         uint8 format;                   1: a TLS 1.3 session, 2: a TLS 1.2 session
 *         CipherSuite cipher_suite;       of the issuing connection: a TLS 1.3 resumption
 *                                         needs a suite with the same hash (§4.2.11, §4.6.1),
 *                                         a TLS 1.2 one the same suite (RFC 5246 §7.4.1.2)
 *         uint64 issued_at;               seconds since the epoch, the server's time hook
 *         uint32 ticket_lifetime;         as sent: no use after issued_at + lifetime
 *         uint32 ticket_age_add;          as sent: undoes obfuscated_ticket_age (§4.2.11.1);
 *                                         0 in TLS 1.2, which has no ticket age
 *         select (format) {
 *             case 2: uint8 flags;        bit 0: extended master secret (RFC 7627 §5.3)
 *         };
 *         opaque psk<32..48>;             TLS 1.3: HKDF-Expand-Label(resumption_master_secret,
 *                                         "resumption", ticket_nonce, Hash.length); TLS 1.2:
 *                                         the master secret
 *         opaque server_name<0..255>;     SNI of the issuing connection, empty if none: the
 *                                         session resumes only under the same name, so a
 *                                         session authenticated by one virtual host's
 *                                         certificate is not continued by another
 *         ASN.1Cert client_chain<0..2^24-1>;   the client's certificates, leaf first, when it
 *                                         authenticated (RFC 5246 §7.4.2 form); empty otherwise
 *     } SessionState;
 *
 * The TLS 1.3 PSK itself is stored rather than the resumption secret and nonce: fewer bytes,
 * and a ticket reveals nothing about other tickets of its connection even to the key holder.
 * The ALPN protocol is not stored: it is negotiated afresh in every resumed handshake, and only
 * 0-RTT, which padlock does not accept, would need the original one (§4.2.10). The format byte
 * keeps the versions apart: a TLS 1.2 session never resumes a TLS 1.3 handshake or the
 * reverse. */
#include "hs/ticket_seal.h"

#include <string.h>

#include "hs/suite.h"
#include "msg/msg.h"
#include "util/mem.h"

enum { PL_TICKET_FORMAT_TLS13 = 1, PL_TICKET_FORMAT_TLS12 = 2, PL_TICKET_FLAG_EMS = 1 };

/* The SessionState bytes before the client chain's entries. */
static size_t pl_ticket_head_len(const pl_ticket_state *st) {
    return 1 + 2 + 8 + 4 + 4 + (st->version == PL_TLS12_VERSION ? 1 : 0) + 1 +
           pl_cur_left(&st->psk) + 1 + pl_cur_left(&st->server_name) + 3;
}

static size_t pl_ticket_chain_len(const pl_peer_chain *chain) {
    size_t n = 0;
    for (size_t i = 0; chain != NULL && i < chain->num; i++) {
        n += 3 + chain->certs[i].len;
    }
    return n;
}

size_t pl_ticket_state_len(const pl_ticket_state *st, const pl_peer_chain *chain) {
    return pl_ticket_head_len(st) + pl_ticket_chain_len(chain);
}

size_t pl_ticket_sealed_len(const pl_ticket_state *st, const pl_peer_chain *chain) {
    return PL_TICKET_SEAL_OVERHEAD + pl_ticket_state_len(st, chain);
}

padlock_err pl_ticket_state_write(pl_buf *b, const pl_ticket_state *st,
                                  const pl_peer_chain *chain) {
    int tls12 = st->version == PL_TLS12_VERSION;
    PL_CHECK(tls12 || st->version == PL_TLS13_VERSION, PADLOCK_E_INVALID_ARGUMENT);
    PL_TRY(pl_buf_u8(b, tls12 ? PL_TICKET_FORMAT_TLS12 : PL_TICKET_FORMAT_TLS13));
    PL_TRY(pl_buf_u16(b, st->suite));
    PL_TRY(pl_buf_u64(b, (uint64_t)st->issued_at));
    PL_TRY(pl_buf_u32(b, st->lifetime));
    PL_TRY(pl_buf_u32(b, st->age_add));
    if (tls12) {
        PL_TRY(pl_buf_u8(b, st->ems ? PL_TICKET_FLAG_EMS : 0));
    }
    PL_TRY(pl_buf_vec8_bytes(b, st->psk.p, st->psk.len));
    PL_TRY(pl_buf_vec8_bytes(b, st->server_name.p, st->server_name.len));
    pl_buf_vec list;
    PL_TRY(pl_buf_vec_open(b, 3, &list));
    pl_cur none;
    pl_cur_init(&none, NULL, 0);
    for (size_t i = 0; chain != NULL && i < chain->num; i++) {
        PL_TRY(pl_cert_entry_write(b, 1, chain->certs[i].der, chain->certs[i].len, none));
    }
    return pl_buf_vec_close(b, &list);
}

padlock_err pl_ticket_seal(padlock_ticket_keys *keys, const pl_rng *rng,
                           const uint8_t nonce[PL_AEAD_NONCE_LEN], int64_t now,
                           uint32_t rotate_after, const pl_ticket_state *st,
                           const pl_peer_chain *chain, uint8_t *out, size_t cap,
                           size_t *out_len) {
    size_t total = pl_ticket_sealed_len(st, chain);
    PL_CHECK(total <= PL_TICKET_SEALED_MAX && total <= cap, PADLOCK_E_BUFFER_TOO_SMALL);
    /* The state is written where its ciphertext goes, and sealed in place. */
    uint8_t *state = out + PL_TICKET_KEY_ID_LEN + PL_AEAD_NONCE_LEN;
    pl_buf b;
    pl_buf_init(&b, state, total - PL_TICKET_SEAL_OVERHEAD);
    padlock_err rc = pl_ticket_state_write(&b, st, chain);
    if (rc == PADLOCK_OK) {
        rc = pl_ticket_keys_seal(keys, rng, nonce, now, rotate_after, state, b.len, out, cap,
                                 out_len);
    }
    if (rc != PADLOCK_OK) {
        pl_wipe(state, total - PL_TICKET_SEAL_OVERHEAD);
    }
    return rc;
}

padlock_err pl_ticket_state_read(pl_cur *c, pl_ticket_state *out) {
    uint8_t format, flags = 0;
    uint64_t issued;
    PL_TRY(pl_cur_u8(c, &format));
    PL_CHECK(format == PL_TICKET_FORMAT_TLS13 || format == PL_TICKET_FORMAT_TLS12,
             PADLOCK_E_DECODE);
    out->version = format == PL_TICKET_FORMAT_TLS12 ? PL_TLS12_VERSION : PL_TLS13_VERSION;
    PL_TRY(pl_cur_u16(c, &out->suite));
    PL_TRY(pl_cur_u64(c, &issued));
    /* issued_at is a clock reading in seconds since the epoch, which the writer took from an
     * int64_t: above INT64_MAX it was not written by us, and as an int64_t it would be negative,
     * so that every age computed from it (now - issued_at) overflows. */
    PL_CHECK(issued <= INT64_MAX, PADLOCK_E_DECODE);
    out->issued_at = (int64_t)issued;
    PL_TRY(pl_cur_u32(c, &out->lifetime));
    PL_TRY(pl_cur_u32(c, &out->age_add));
    if (format == PL_TICKET_FORMAT_TLS12) {
        PL_TRY(pl_cur_u8(c, &flags));
    }
    out->ems = (flags & PL_TICKET_FLAG_EMS) != 0;
    PL_TRY(pl_cur_vec8(c, 32, 48, &out->psk));
    PL_TRY(pl_cur_vec8(c, 0, 255, &out->server_name));
    /* The whole rest is the TLS 1.2 Certificate body, length prefix included. */
    out->client_chain = *c;
    pl_cur list;
    PL_TRY(pl_cur_vec24(c, 0, 0xffffff, &list));
    return pl_cur_done(c);
}

padlock_err pl_ticket_open(padlock_ticket_keys *keys, const uint8_t *ticket, size_t len,
                           uint8_t *buf, size_t cap, pl_ticket_state *out) {
    size_t n;
    PL_TRY(pl_ticket_keys_open(keys, ticket, len, buf, cap, &n));
    pl_cur c;
    pl_cur_init(&c, buf, n);
    /* Only a key holder can seal, so a malformed state means another format or a bug: the
     * ticket is then simply not used. */
    return pl_ticket_state_read(&c, out);
}
