/* The extension table: every known extension's descriptor, and the RFC 8446 §4.2 rules for
 * extension blocks (no duplicates, only where the §4.2 table allows, responses only to
 * requests, pre_shared_key last in ClientHello) applied in one place for parse and build. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ext/desc.h"

/* Indexed by pl_ext_index, so a presence bit leads straight to its descriptor. */
static const pl_ext_desc *const pl_ext_table[PL_EXT_I_COUNT] = {
    [PL_EXT_I_SERVER_NAME] = &pl_ext_server_name,
    [PL_EXT_I_SUPPORTED_GROUPS] = &pl_ext_supported_groups,
    [PL_EXT_I_EC_POINT_FORMATS] = &pl_ext_ec_point_formats,
    [PL_EXT_I_SIGNATURE_ALGORITHMS] = &pl_ext_signature_algorithms,
    [PL_EXT_I_ALPN] = &pl_ext_alpn,
    [PL_EXT_I_EXTENDED_MASTER_SECRET] = &pl_ext_extended_master_secret,
    [PL_EXT_I_RECORD_SIZE_LIMIT] = &pl_ext_record_size_limit,
    [PL_EXT_I_SESSION_TICKET] = &pl_ext_session_ticket,
    [PL_EXT_I_PRE_SHARED_KEY] = &pl_ext_pre_shared_key,
    [PL_EXT_I_EARLY_DATA] = &pl_ext_early_data,
    [PL_EXT_I_SUPPORTED_VERSIONS] = &pl_ext_supported_versions,
    [PL_EXT_I_COOKIE] = &pl_ext_cookie,
    [PL_EXT_I_PSK_KEY_EXCHANGE_MODES] = &pl_ext_psk_key_exchange_modes,
    [PL_EXT_I_SIGNATURE_ALGORITHMS_CERT] = &pl_ext_signature_algorithms_cert,
    [PL_EXT_I_KEY_SHARE] = &pl_ext_key_share,
    [PL_EXT_I_RENEGOTIATION_INFO] = &pl_ext_renegotiation_info,
};

/* Messages whose extensions answer a request (RFC 8446 §4.2: "Implementations MUST NOT send
 * extension responses if the remote endpoint did not send the corresponding extension
 * requests"; RFC 5246 §7.4.1.4 says the same of the TLS 1.2 ServerHello). */
#define PL_EXT_RESPONSES                                                                           \
    (PL_EXT_IN_SH | PL_EXT_IN_HRR | PL_EXT_IN_EE | PL_EXT_IN_CT | PL_EXT_IN_SH12)

const char *pl_ext_msg_name(pl_ext_msg msg) {
    switch (msg) {
    case PL_EXT_IN_CH: return "ClientHello";
    case PL_EXT_IN_SH: return "ServerHello";
    case PL_EXT_IN_HRR: return "HelloRetryRequest";
    case PL_EXT_IN_EE: return "EncryptedExtensions";
    case PL_EXT_IN_CT: return "Certificate";
    case PL_EXT_IN_CR: return "CertificateRequest";
    case PL_EXT_IN_NST: return "NewSessionTicket";
    case PL_EXT_IN_SH12: return "ServerHello (TLS 1.2)";
    }
    return "handshake message";
}

const pl_ext_desc *pl_ext_desc_by_id(uint16_t id) {
    for (size_t i = 0; i < PL_EXT_I_COUNT; i++) {
        if (pl_ext_table[i]->id == id) {
            return pl_ext_table[i];
        }
    }
    return NULL;
}

uint32_t pl_ext_bit(uint16_t id) {
    const pl_ext_desc *d = pl_ext_desc_by_id(id);
    return d != NULL ? PL_EXT_BIT(d->index) : 0;
}

uint32_t pl_ext_mask(const uint16_t *ids, size_t num) {
    uint32_t mask = 0;
    for (size_t i = 0; i < num; i++) {
        mask |= pl_ext_bit(ids[i]);
    }
    return mask;
}

int pl_exts_has(const pl_exts *e, uint16_t id) {
    return (e->present & pl_ext_bit(id)) != 0;
}

const char *pl_ext_name(uint16_t id) {
    const pl_ext_desc *d = pl_ext_desc_by_id(id);
    return d != NULL ? d->name : NULL;
}

padlock_err pl_ext_fail(pl_errinfo *err, padlock_err code, const char *fmt, ...) {
    char detail[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    (void)pl_errinfo_set(err, code, "%s", detail);
    return code;
}

/* Reads the next Extension of a block: its type and extension_data. */
static padlock_err pl_ext_next(pl_cur *c, uint16_t *out_id, pl_cur *out_body) {
    PL_TRY(pl_cur_u16(c, out_id));
    return pl_cur_vec16(c, 0, 0xffff, out_body);
}

/* The block walk, apart from pl_exts_parse so that its 8 KiB set of unknown types is off the
 * stack again when the finish rules (which may use a set of their own) run. */
__attribute__((noinline)) static padlock_err
pl_exts_parse_block(pl_exts *out, pl_ext_msg msg, uint32_t offered, pl_errinfo *err) {
    const char *where = pl_ext_msg_name(msg);
    pl_u16_set unknown;
    int unknown_used = 0;
    pl_cur c = out->raw;
    while (pl_cur_left(&c) > 0) {
        uint16_t id;
        pl_cur body;
        if (pl_ext_next(&c, &id, &body) != PADLOCK_OK) {
            return pl_ext_fail(err, PADLOCK_E_DECODE, "%s: malformed extensions block", where);
        }
        const pl_ext_desc *d = pl_ext_desc_by_id(id);
        if (d == NULL) {
            if (!unknown_used) {
                pl_u16_set_clear(&unknown);
                unknown_used = 1;
            }
            /* RFC 8446 §4.2: There MUST NOT be more than one extension of the same type. */
            if (!pl_u16_set_add(&unknown, id)) {
                return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                                   "%s: extension %u appears twice", where, id);
            }
            /* RFC 8446 §4.2: a response to nothing we requested (we request only what we know,
             * so this includes GREASE, RFC 8701 §3). Elsewhere unknown extensions are ignored:
             * RFC 8446 §4.1.2 (ClientHello), §4.3.2 (CertificateRequest), §4.6.1 (NST). */
            if ((msg & PL_EXT_RESPONSES) != 0) {
                return pl_ext_fail(err, PADLOCK_E_UNSUPPORTED_EXTENSION,
                                   "%s: extension %u was not offered", where, id);
            }
            continue;
        }
        uint32_t bit = PL_EXT_BIT(d->index);
        /* RFC 8446 §4.2: There MUST NOT be more than one extension of the same type. */
        if ((out->present & bit) != 0) {
            return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER, "%s: extension %s appears twice",
                               where, d->name);
        }
        /* RFC 8446 §4.2: a recognized extension not specified for the message in which it
         * appears: abort with "illegal_parameter". */
        if ((d->allowed & msg) == 0) {
            return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                               "%s: extension %s is not allowed in this message", where, d->name);
        }
        /* RFC 8446 §4.2: responses only to requests, "with the exception of the "cookie"
         * extension in the HelloRetryRequest"; else "unsupported_extension". */
        if ((msg & PL_EXT_RESPONSES) != 0 && (offered & bit) == 0 &&
            !(msg == PL_EXT_IN_HRR && id == PL_EXT_COOKIE)) {
            return pl_ext_fail(err, PADLOCK_E_UNSUPPORTED_EXTENSION,
                               "%s: extension %s was not offered", where, d->name);
        }
        /* RFC 8446 §4.2.11: "The "pre_shared_key" extension MUST be the last extension in the
         * ClientHello ... otherwise fail the handshake with an "illegal_parameter" alert." */
        if (id == PL_EXT_PRE_SHARED_KEY && msg == PL_EXT_IN_CH && pl_cur_left(&c) != 0) {
            return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                               "%s: pre_shared_key is not the last extension", where);
        }
        padlock_err rc = d->parse(out, msg, &body, err);
        if (rc == PADLOCK_OK && pl_cur_left(&body) != 0) {
            rc = PADLOCK_E_DECODE; /* trailing bytes inside extension_data */
        }
        if (rc != PADLOCK_OK) {
            return pl_ext_fail(err, rc, "%s: %s extension: %s", where, d->name,
                               padlock_strerror(rc));
        }
        out->present |= bit;
    }
    return PADLOCK_OK;
}

padlock_err pl_exts_parse(pl_exts *out, pl_ext_msg msg, const uint8_t *block, size_t len,
                          uint32_t offered, pl_errinfo *err) {
    memset(out, 0, sizeof(*out));
    pl_cur_init(&out->raw, block, len);
    PL_TRY(pl_exts_parse_block(out, msg, offered, err));
    for (size_t i = 0; i < PL_EXT_I_COUNT; i++) {
        if (pl_ext_table[i]->finish != NULL) {
            PL_TRY(pl_ext_table[i]->finish(out, msg, err));
        }
    }
    return PADLOCK_OK;
}

padlock_err pl_exts_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in, const uint16_t *ids,
                          size_t num) {
    /* The same rules as parsing, checked before anything is written. */
    uint32_t seen = 0;
    for (size_t i = 0; i < num; i++) {
        const pl_ext_desc *d = pl_ext_desc_by_id(ids[i]);
        PL_CHECK(d != NULL, PADLOCK_E_INVALID_ARGUMENT);
        PL_CHECK((d->allowed & msg) != 0, PADLOCK_E_INVALID_ARGUMENT);
        PL_CHECK((seen & PL_EXT_BIT(d->index)) == 0, PADLOCK_E_INVALID_ARGUMENT);
        PL_CHECK(!(d->id == PL_EXT_PRE_SHARED_KEY && msg == PL_EXT_IN_CH && i + 1 != num),
                 PADLOCK_E_INVALID_ARGUMENT);
        seen |= PL_EXT_BIT(d->index);
    }
    pl_buf_vec block;
    PL_TRY(pl_buf_vec_open(b, 2, &block));
    for (size_t i = 0; i < num; i++) {
        const pl_ext_desc *d = pl_ext_desc_by_id(ids[i]);
        pl_buf_vec data;
        PL_TRY(pl_buf_u16(b, d->id));
        PL_TRY(pl_buf_vec_open(b, 2, &data));
        PL_TRY(d->build(b, msg, in));
        PL_TRY(pl_buf_vec_close(b, &data));
    }
    return pl_buf_vec_close(b, &block);
}

padlock_err pl_exts_find(const uint8_t *block, size_t len, uint16_t id, int *out_found,
                         pl_cur *out_body) {
    pl_cur c;
    pl_cur_init(&c, block, len);
    *out_found = 0;
    while (pl_cur_left(&c) > 0) {
        uint16_t this_id;
        pl_cur body;
        PL_TRY(pl_ext_next(&c, &this_id, &body));
        if (this_id == id && !*out_found) {
            *out_found = 1;
            *out_body = body;
        }
    }
    return PADLOCK_OK;
}

padlock_err pl_exts_ids(const pl_exts *e, uint16_t *ids, size_t cap, size_t *out_num) {
    pl_cur c = e->raw;
    size_t n = 0;
    uint16_t id;
    pl_cur body;
    while (pl_cur_left(&c) > 0) {
        PL_TRY(pl_ext_next(&c, &id, &body));
        PL_CHECK(n < cap, PADLOCK_E_BUFFER_TOO_SMALL);
        ids[n++] = id;
    }
    *out_num = n;
    return PADLOCK_OK;
}
