/* The end of a TLS 1.2 handshake, the same for both roles: a peer's change_cipher_spec
 * switching its records to the new keys, our change_cipher_spec and Finished, the check of
 * the peer's Finished (RFC 5246 §7.1, §7.4.9), and what the exporter keeps afterwards. */
#ifndef PL_HS_FINISHED12_H
#define PL_HS_FINISHED12_H

#include <stdint.h>

#include "hs/driver.h"
#include "hs/keysched12.h"
#include "hs/tls.h"
#include "hs/transcript.h"

/* The peer's change_cipher_spec arrived: its records are protected with read_keys from here
 * (wiped). peer names it in errors ("client" or "server"): PADLOCK_E_UNEXPECTED_MESSAGE when
 * its last handshake message did not end its record, or the key installation's error. */
PL_NODISCARD padlock_err pl_finished12_peer_ccs(pl_tls *tls, pl_record_keys *read_keys,
                                                const char *peer);

/* Sends our change_cipher_spec, installs write_keys (wiped), and sends our Finished with
 * verify_data for role us over transcript t (which takes the message), then flushes. */
PL_NODISCARD padlock_err pl_finished12_send(pl_tls *tls, pl_transcript *t,
                                            const pl_ks12_master *master, pl_role us,
                                            pl_record_keys *write_keys);

/* Checks the peer's Finished msg (sent by role peer) against transcript t in constant time,
 * then takes it into t. PADLOCK_E_DECODE (not 12 bytes) or the mismatch error, each recorded
 * on tls with a detail. */
PL_NODISCARD padlock_err pl_finished12_check(pl_tls *tls, pl_transcript *t,
                                             const pl_ks12_master *master, pl_role peer,
                                             const pl_hs_msg *msg);

/* Keeps what the exporter needs (RFC 5705 §4) in tls->export12, beyond the handshake state.
 * PADLOCK_E_NO_MEMORY. */
PL_NODISCARD padlock_err pl_finished12_keep_export(pl_tls *tls, const pl_ks12_master *master,
                                                   const uint8_t *client_random,
                                                   const uint8_t *server_random);

#endif
