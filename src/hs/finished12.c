/* The end of a TLS 1.2 handshake for both roles: change_cipher_spec and Finished (RFC 5246
 * §7.1, §7.4.9), and the exporter's secrets (RFC 5705 §4). */
#include "hs/finished12.h"

#include <string.h>

#include "hs/proof.h"
#include "msg/msg.h"
#include "util/mem.h"
#include "wire/buf.h"

padlock_err pl_finished12_peer_ccs(pl_tls *tls, pl_record_keys *read_keys, const char *peer) {
    /* RFC 5246 §7.1: the peer's records are protected from here; its last handshake message
     * must have ended its record (pl_rio_set_read_keys checks). */
    padlock_err rc = pl_rio_set_read_keys(&tls->rio, read_keys);
    if (rc == PADLOCK_E_UNEXPECTED_MESSAGE) {
        return pl_tls_fail(tls, rc,
                           "change_cipher_spec: the %s's last handshake message did not end "
                           "its record",
                           peer);
    }
    if (rc != PADLOCK_OK) {
        return pl_tls_fail(tls, rc, "change_cipher_spec: the %s's keys: %s", peer,
                           padlock_strerror(rc));
    }
    return PADLOCK_OK;
}

padlock_err pl_finished12_send(pl_tls *tls, pl_transcript *t, const pl_ks12_master *master,
                               pl_role us, pl_record_keys *write_keys) {
    /* RFC 5246 §7.1: our change_cipher_spec, then our Finished under the new keys. */
    PL_TRY(pl_rio_send_ccs(&tls->rio));
    PL_TRY(pl_rio_set_write_keys(&tls->rio, write_keys));
    pl_digest th;
    PL_TRY(pl_transcript_hash(t, &th));
    uint8_t vd[PL_KS12_VERIFY_LEN];
    PL_TRY(pl_ks12_finished(master, us, &th, vd));
    uint8_t fin[PL_HS_HEADER_LEN + PL_KS12_VERIFY_LEN];
    pl_buf b;
    pl_buf_init(&b, fin, sizeof(fin));
    padlock_err rc = pl_finished_build(&b, vd, sizeof(vd));
    if (rc == PADLOCK_OK) {
        rc = pl_tls_send_message(tls, t, b.p, b.len);
    }
    pl_wipe(vd, sizeof(vd));
    PL_TRY(rc);
    return pl_rio_flush(&tls->rio);
}

padlock_err pl_finished12_check(pl_tls *tls, pl_transcript *t, const pl_ks12_master *master,
                                pl_role peer, const pl_hs_msg *msg) {
    const char *who = peer == PL_ROLE_CLIENT ? "client" : "server";
    pl_digest th;
    PL_TRY(pl_transcript_hash(t, &th));
    /* RFC 5246 §7.4.9: verify_data over every handshake message before this one, compared in
     * constant time. */
    padlock_err rc =
        pl_hs_peer_proof(pl_ks12_finished_verify(master, peer, &th, msg->body, msg->body_len));
    if (rc == PADLOCK_E_DECODE) {
        return pl_tls_fail(tls, rc, "%s Finished: %zu bytes of verify_data, not 12", who,
                           msg->body_len);
    }
    if (rc != PADLOCK_OK) {
        return pl_tls_fail(tls, rc,
                           "%s Finished: verify_data is wrong (the %s saw another handshake, or "
                           "derived other keys)",
                           who, who);
    }
    pl_transcript_update(t, msg->raw, msg->raw_len);
    return PADLOCK_OK;
}

padlock_err pl_finished12_keep_export(pl_tls *tls, const pl_ks12_master *master,
                                      const uint8_t *client_random, const uint8_t *server_random) {
    tls->export12 = pl_malloc(sizeof(*tls->export12));
    PL_CHECK(tls->export12 != NULL, PADLOCK_E_NO_MEMORY);
    tls->export12->master = *master;
    memcpy(tls->export12->client_random, client_random, PL_RANDOM_LEN);
    memcpy(tls->export12->server_random, server_random, PL_RANDOM_LEN);
    return PADLOCK_OK;
}
