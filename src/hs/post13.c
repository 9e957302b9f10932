/* Post-handshake messages both roles handle alike: KeyUpdate received and sent (RFC 8446
 * §4.6.3, §7.2), and exporters (§7.5). */
#include <string.h>

#include "hs/tls.h"
#include "msg/msg.h"

padlock_err pl_tls_on_key_update(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next) {
    (void)out_next;
    uint8_t request;
    PL_TRY(pl_key_update_parse(&request, msg->body, msg->body_len, &tls->err));
    /* RFC 8446 §4.6.3: "Upon receiving a KeyUpdate, the receiver MUST update its receiving
     * keys"; §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(..., "traffic upd"). */
    PL_TRY(pl_ks13_update_traffic(&tls->read_secret));
    PL_TRY(pl_tls_set_read_secret(tls, &tls->read_secret));
    tls->ku_received++;
    /* §4.6.3: with update_requested the receiver "MUST send a KeyUpdate of its own ... prior to
     * sending its next Application Data record"; several requests while we are silent get a
     * single update. */
    if (request == PL_KEY_UPDATE_REQUESTED) {
        tls->ku_owed = 1;
    }
    return PADLOCK_OK;
}

padlock_err pl_tls_send_key_update(pl_tls *tls, uint8_t request_update) {
    PL_CHECK(tls->connected, PADLOCK_E_STATE);
    uint8_t msg[PL_HS_HEADER_LEN + 1];
    pl_buf b;
    pl_buf_init(&b, msg, sizeof(msg));
    PL_TRY(pl_key_update_build(&b, request_update));
    /* Post-handshake messages are not part of the transcript. The KeyUpdate goes out under the
     * current keys; everything after it under the next (§4.6.3). */
    PL_TRY(pl_tls_send_message(tls, NULL, msg, b.len));
    PL_TRY(pl_ks13_update_traffic(&tls->write_secret));
    PL_TRY(pl_tls_set_write_secret(tls, &tls->write_secret));
    tls->ku_sent++;
    tls->ku_owed = 0;
    return PADLOCK_OK;
}

padlock_err pl_tls_pay_key_update(pl_tls *tls) {
    if (!tls->ku_owed) {
        return PADLOCK_OK;
    }
    return pl_tls_send_key_update(tls, PL_KEY_UPDATE_NOT_REQUESTED);
}

padlock_err pl_tls_export(const pl_tls *tls, uint8_t *out, size_t out_len, const char *label,
                          const uint8_t *context, size_t context_len) {
    PL_CHECK(tls->connected, PADLOCK_E_STATE);
    PL_CHECK(label != NULL, PADLOCK_E_INVALID_ARGUMENT);
    if (tls->version == PL_TLS12_VERSION) {
        /* RFC 5705 §4 over the (extended) master secret; TLS 1.2 tells no context from an
         * empty one. */
        const pl_tls12_export *e = tls->export12;
        PL_CHECK(e != NULL, PADLOCK_E_STATE);
        return pl_ks12_export(&e->master, e->client_random, e->server_random, label, context,
                              context_len, context != NULL, out, out_len);
    }
    return pl_ks13_export(&tls->exporter, out, out_len, (const uint8_t *)label, strlen(label),
                          context, context_len);
}
