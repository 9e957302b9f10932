/* ClientHello (RFC 8446 §4.1.2; RFC 5246 §7.4.1.2 for hellos below TLS 1.3): parse with every
 * field and extension rule, the TLS 1.3 requirements of §4.1.2 and §9.2, and build. */
#include "msg/msg.h"

enum { PL_TLS13 = 0x0304, PL_COMPRESSION_NULL = 0 };

/* RFC 8446 §9.2 and §4.1.2: what a ClientHello offering TLS 1.3 must satisfy. */
static padlock_err pl_ch_check_tls13(const pl_client_hello *ch, pl_errinfo *err) {
    const pl_exts *e = &ch->exts;
    /* RFC 8446 §4.1.2: "For every TLS 1.3 ClientHello, this vector MUST contain exactly one
     * byte, set to zero ... the server MUST abort the handshake with an "illegal_parameter"". */
    if (pl_cur_left(&ch->compression_methods) != 1 ||
        !pl_ext_u8_contains(ch->compression_methods, PL_COMPRESSION_NULL)) {
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ClientHello: TLS 1.3 hello offers compression methods other than "
                           "null");
    }
    /* RFC 8446 §9.2: "If not containing a "pre_shared_key" extension, it MUST contain both a
     * "signature_algorithms" extension and a "supported_groups" extension." */
    if (!pl_exts_has(e, PL_EXT_PRE_SHARED_KEY)) {
        if (!pl_exts_has(e, PL_EXT_SIGNATURE_ALGORITHMS)) {
            return pl_ext_fail(err, PADLOCK_E_MISSING_EXTENSION,
                               "ClientHello: TLS 1.3 hello without pre_shared_key lacks "
                               "signature_algorithms");
        }
        if (!pl_exts_has(e, PL_EXT_SUPPORTED_GROUPS)) {
            return pl_ext_fail(err, PADLOCK_E_MISSING_EXTENSION,
                               "ClientHello: TLS 1.3 hello without pre_shared_key lacks "
                               "supported_groups");
        }
    }
    /* RFC 8446 §9.2: "If containing a "supported_groups" extension, it MUST also contain a
     * "key_share" extension, and vice versa." */
    if (pl_exts_has(e, PL_EXT_SUPPORTED_GROUPS) != pl_exts_has(e, PL_EXT_KEY_SHARE)) {
        return pl_ext_fail(err, PADLOCK_E_MISSING_EXTENSION,
                           "ClientHello: TLS 1.3 hello has %s without %s",
                           pl_exts_has(e, PL_EXT_KEY_SHARE) ? "key_share" : "supported_groups",
                           pl_exts_has(e, PL_EXT_KEY_SHARE) ? "supported_groups" : "key_share");
    }
    return PADLOCK_OK;
}

static padlock_err pl_ch_parse(pl_client_hello *out, const uint8_t *body, size_t len,
                               pl_errinfo *err) {
    pl_cur c, block;
    pl_cur_init(&c, body, len);
    PL_TRY(pl_cur_u16(&c, &out->legacy_version));
    PL_TRY(pl_cur_bytes(&c, PL_RANDOM_LEN, &out->random));
    /* RFC 8446 §4.1.2: opaque legacy_session_id<0..32>; CipherSuite cipher_suites<2..2^16-2>;
     * opaque legacy_compression_methods<1..2^8-1>. */
    PL_TRY(pl_cur_vec8(&c, 0, PL_SESSION_ID_MAX, &out->session_id));
    PL_TRY(pl_cur_vec16(&c, 2, 0xfffe, &out->cipher_suites));
    if (pl_cur_left(&out->cipher_suites) % 2 != 0) {
        return pl_ext_fail(err, PADLOCK_E_DECODE, "ClientHello: cipher_suites has an odd length");
    }
    PL_TRY(pl_cur_vec8(&c, 1, 255, &out->compression_methods));
    /* RFC 5246 §7.4.1.2: the list "MUST contain ... CompressionMethod.null". */
    if (!pl_ext_u8_contains(out->compression_methods, PL_COMPRESSION_NULL)) {
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ClientHello: compression methods do not include null");
    }
    PL_TRY(pl_msg_hello_extensions(&c, "ClientHello", &out->has_extensions, &block, err));
    PL_TRY(pl_exts_parse(&out->exts, PL_EXT_IN_CH, block.p, block.len, 0, err));
    /* RFC 8446 §9.2: "A client is considered to be attempting to negotiate using this
     * specification if the ClientHello contains a "supported_versions" extension with 0x0304
     * contained in its body." */
    if (pl_exts_has(&out->exts, PL_EXT_SUPPORTED_VERSIONS) &&
        pl_ext_u16_contains(out->exts.versions, PL_TLS13)) {
        PL_TRY(pl_ch_check_tls13(out, err));
    }
    return PADLOCK_OK;
}

padlock_err pl_client_hello_parse(pl_client_hello *out, const uint8_t *body, size_t len,
                                  pl_errinfo *err) {
    return pl_msg_result(pl_ch_parse(out, body, len, err), "ClientHello", err);
}

padlock_err pl_client_hello_build(pl_buf *b, const pl_client_hello *in, const uint16_t *ext_ids,
                                  size_t num_ext) {
    PL_CHECK(in->has_extensions || num_ext == 0, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(pl_cur_left(&in->cipher_suites) % 2 == 0, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(pl_cur_left(&in->session_id) <= PL_SESSION_ID_MAX, PADLOCK_E_INVALID_ARGUMENT);
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, PL_HS_CLIENT_HELLO, &msg));
    PL_TRY(pl_buf_u16(b, in->legacy_version));
    PL_TRY(pl_buf_bytes(b, in->random, PL_RANDOM_LEN));
    PL_TRY(pl_buf_vec8_bytes(b, in->session_id.p, in->session_id.len));
    PL_TRY(pl_buf_vec16_bytes(b, in->cipher_suites.p, in->cipher_suites.len));
    PL_TRY(pl_buf_vec8_bytes(b, in->compression_methods.p, in->compression_methods.len));
    if (in->has_extensions) {
        PL_TRY(pl_exts_build(b, PL_EXT_IN_CH, &in->exts, ext_ids, num_ext));
    }
    return pl_msg_end(b, &msg);
}

size_t pl_client_hello_binders_len(const pl_client_hello *ch) {
    /* RFC 8446 §4.2.11: pre_shared_key is the last extension and binders its last field; a
     * binders list is never empty (binders<33..2^16-1>). */
    size_t n = pl_cur_left(&ch->exts.psk_binders);
    return n == 0 ? 0 : 2 + n;
}
