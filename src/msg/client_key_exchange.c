/* ClientKeyExchange (RFC 5246 §7.4.7): the client's ephemeral ECDH public key (RFC 8422 §5.7,
 * explicit form) or the RSA-encrypted pre-master secret (§7.4.7.1). Which one a body holds is
 * decided by the negotiated suite, so each has its own parser. */
#include "msg/msg.h"

padlock_err pl_client_key_exchange_parse_ecdhe(pl_cur *out_point, const uint8_t *body,
                                               size_t len, pl_errinfo *err) {
    pl_cur c;
    pl_cur_init(&c, body, len);
    /* RFC 8422 §5.7: ClientECDiffieHellmanPublic holds ECPoint ecdh_Yc, opaque point <1..2^8-1>
     * (the implicit, empty form is for fixed-key certificates, which padlock does not use). */
    padlock_err rc = pl_cur_vec8(&c, 1, 255, out_point);
    if (rc == PADLOCK_OK) {
        rc = pl_cur_done(&c);
    }
    return pl_msg_result(rc, "ClientKeyExchange", err);
}

padlock_err pl_client_key_exchange_parse_rsa(pl_cur *out_ciphertext, const uint8_t *body,
                                             size_t len, pl_errinfo *err) {
    pl_cur c;
    pl_cur_init(&c, body, len);
    /* RFC 5246 §7.4.7.1: public-key-encrypted PreMasterSecret pre_master_secret, a vector with
     * a 2-byte length in TLS 1.0 and later. Its length against the modulus is checked by the
     * decryption, which must not behave differently for it (Bleichenbacher). */
    padlock_err rc = pl_cur_vec16(&c, 0, 0xffff, out_ciphertext);
    if (rc == PADLOCK_OK) {
        rc = pl_cur_done(&c);
    }
    return pl_msg_result(rc, "ClientKeyExchange", err);
}

padlock_err pl_client_key_exchange_build_ecdhe(pl_buf *b, const uint8_t *point, size_t len) {
    PL_CHECK(len >= 1 && len <= 255, PADLOCK_E_INVALID_ARGUMENT);
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, PL_HS_CLIENT_KEY_EXCHANGE, &msg));
    PL_TRY(pl_buf_vec8_bytes(b, point, len));
    return pl_msg_end(b, &msg);
}

padlock_err pl_client_key_exchange_build_rsa(pl_buf *b, const uint8_t *ciphertext, size_t len) {
    pl_buf_vec msg;
    PL_TRY(pl_msg_begin(b, PL_HS_CLIENT_KEY_EXCHANGE, &msg));
    PL_TRY(pl_buf_vec16_bytes(b, ciphertext, len));
    return pl_msg_end(b, &msg);
}
