/* The TLS 1.3 key schedule (RFC 8446 §7): HKDF-Expand-Label, the three stages Early ->
 * Handshake -> Master Secret as distinct types (DESIGN.md §7), the secrets derived from each,
 * traffic keys, Finished and PSK binders (§4.4.4, §4.2.11.2), KeyUpdate (§7.2), exporters
 * (§7.5) and ticket PSKs (§4.6.1).
 *
 * A stage is derived from the previous one, which is wiped by the derivation: calling a
 * derivation with the wrong stage does not compile. Every secret carries the suite hash it was
 * made with, and inputs of another hash are refused. All functions are allocation-free; every
 * secret is wiped by the function that consumes it or by the matching _cleanup. */
#ifndef PL_HS_KEYSCHED13_H
#define PL_HS_KEYSCHED13_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "hs/transcript.h"
#include "record/record.h"
#include "util/err.h"

#define PL_KS13_MAX_SECRET_LEN 48 /* Hash.length of SHA-384 */
#define PL_KS13_MAX_LABEL_LEN 249 /* RFC 8446 §7.1: label<7..255> holds "tls13 " + Label */
#define PL_KS13_MAX_CONTEXT_LEN 255

/* A secret of the schedule (a traffic secret, binder key, exporter or resumption master
 * secret, ticket PSK). len is hash->digest_len. Wipe with pl_ks13_secret_cleanup. */
typedef struct pl_ks13_secret {
    const pl_hash_alg *hash;
    uint8_t len;
    uint8_t b[PL_KS13_MAX_SECRET_LEN];
} pl_ks13_secret;

/* The three stages. Their members are the schedule's business: other modules only pass them
 * to the functions below. */
typedef struct pl_ks13_early {
    pl_ks13_secret s;
    const uint8_t *derived0; /* without a PSK: Derive-Secret(s, "derived", ""), a constant */
} pl_ks13_early;

typedef struct pl_ks13_handshake {
    pl_ks13_secret s;
} pl_ks13_handshake;

typedef struct pl_ks13_master {
    pl_ks13_secret s;
} pl_ks13_master;

typedef enum pl_ks13_side {
    PL_KS13_CLIENT = 0,
    PL_KS13_SERVER = 1,
} pl_ks13_side;

typedef enum pl_ks13_psk_kind {
    PL_KS13_PSK_EXTERNAL = 0,   /* provisioned outside TLS: "ext binder" */
    PL_KS13_PSK_RESUMPTION = 1, /* from a ticket: "res binder" */
} pl_ks13_psk_kind;

/* RFC 8446 §7.1 HKDF-Expand-Label(Secret, Label, Context, Length): out_len bytes into out.
 * label is the bare label ("c hs traffic"; "tls13 " is prepended here). Errors
 * (PADLOCK_E_INVALID_ARGUMENT): label empty or over PL_KS13_MAX_LABEL_LEN, context over
 * PL_KS13_MAX_CONTEXT_LEN, out_len over 65535 or 255 * Hash.length. */
PL_NODISCARD padlock_err pl_ks13_expand_label(const pl_hash_alg *hash, const uint8_t *secret,
                                              size_t secret_len, uint8_t *out, size_t out_len,
                                              const uint8_t *label, size_t label_len,
                                              const uint8_t *context, size_t context_len);

/* ---- Early Secret ---------------------------------------------------------------------------- */

/* Early Secret = HKDF-Extract(0, PSK) with the suite hash (SHA-256 or SHA-384). psk NULL (and
 * psk_len 0) when no PSK is used: the IKM is then Hash.length zeros (§7.1). Errors:
 * PADLOCK_E_INVALID_ARGUMENT (other hash, or an empty non-NULL psk). */
PL_NODISCARD padlock_err pl_ks13_early_init(pl_ks13_early *out, const pl_hash_alg *hash,
                                            const uint8_t *psk, size_t psk_len);

/* binder_key = Derive-Secret(Early, "ext binder" | "res binder", "") (§7.1). */
PL_NODISCARD padlock_err pl_ks13_binder_key(const pl_ks13_early *early, pl_ks13_secret *out,
                                            pl_ks13_psk_kind kind);

/* The binder key of a resumption PSK (§4.2.11.2, §7.1): binder_key from the Early Secret of
 * psk with psk's hash. A binder is then pl_ks13_finished(binder_key, Transcript-Hash(the
 * transcript so far, the ClientHello up to its binders list)). */
PL_NODISCARD padlock_err pl_ks13_resumption_binder_key(const pl_ks13_secret *psk,
                                                       pl_ks13_secret *out);

/* The same binder key with the Early Secret of psk it comes from (pl_ks13_early_init with psk's
 * hash), for a party that goes on with the schedule from that Early Secret once the PSK is
 * accepted: the PSK is extracted once. */
PL_NODISCARD padlock_err pl_ks13_resumption_early(const pl_ks13_secret *psk,
                                                  pl_ks13_early *out_early,
                                                  pl_ks13_secret *out_binder_key);

/* client_early_traffic_secret = Derive-Secret(Early, "c e traffic", ClientHello). */
PL_NODISCARD padlock_err pl_ks13_client_early_traffic(const pl_ks13_early *early,
                                                      pl_ks13_secret *out,
                                                      const pl_digest *th_client_hello);

/* early_exporter_master_secret = Derive-Secret(Early, "e exp master", ClientHello). */
PL_NODISCARD padlock_err pl_ks13_early_exporter_master(const pl_ks13_early *early,
                                                       pl_ks13_secret *out,
                                                       const pl_digest *th_client_hello);

/* Handshake Secret = HKDF-Extract(Derive-Secret(Early, "derived", ""), (EC)DHE). shared is the
 * key exchange output, or NULL (shared_len 0) for psk_ke: Hash.length zeros. early is wiped in
 * every case. */
PL_NODISCARD padlock_err pl_ks13_early_to_handshake(pl_ks13_early *early, pl_ks13_handshake *out,
                                                    const uint8_t *shared, size_t shared_len);

/* ---- Handshake Secret ------------------------------------------------------------------------ */

/* [sender]_handshake_traffic_secret = Derive-Secret(Handshake, "c hs traffic" | "s hs traffic",
 * ClientHello...ServerHello). */
PL_NODISCARD padlock_err pl_ks13_handshake_traffic(const pl_ks13_handshake *hs, pl_ks13_secret *out,
                                                   pl_ks13_side side,
                                                   const pl_digest *th_server_hello);

/* Everything derived from the Handshake Secret at once, from one keying of it: both handshake
 * traffic secrets (the values of pl_ks13_handshake_traffic for each side) and the Master
 * Secret (that of pl_ks13_handshake_to_master). hs is wiped in every case. */
PL_NODISCARD padlock_err pl_ks13_handshake_stage(pl_ks13_handshake *hs,
                                                 const pl_digest *th_server_hello,
                                                 pl_ks13_secret *out_c, pl_ks13_secret *out_s,
                                                 pl_ks13_master *out_master);

/* Master Secret = HKDF-Extract(Derive-Secret(Handshake, "derived", ""), 0). hs is wiped in every
 * case. */
PL_NODISCARD padlock_err pl_ks13_handshake_to_master(pl_ks13_handshake *hs, pl_ks13_master *out);

/* ---- Master Secret --------------------------------------------------------------------------- */

/* [sender]_application_traffic_secret_0 = Derive-Secret(Master, "c ap traffic" |
 * "s ap traffic", ClientHello...server Finished). */
PL_NODISCARD padlock_err pl_ks13_application_traffic(const pl_ks13_master *master,
                                                     pl_ks13_secret *out, pl_ks13_side side,
                                                     const pl_digest *th_server_finished);

/* Both application traffic secrets and the exporter master secret at once, from one keying of
 * the Master Secret: the values of pl_ks13_application_traffic and pl_ks13_exporter_master. */
PL_NODISCARD padlock_err pl_ks13_application_secrets(const pl_ks13_master *master,
                                                     const pl_digest *th_server_finished,
                                                     pl_ks13_secret *out_c, pl_ks13_secret *out_s,
                                                     pl_ks13_secret *out_exporter);

/* exporter_master_secret = Derive-Secret(Master, "exp master", ClientHello...server Finished). */
PL_NODISCARD padlock_err pl_ks13_exporter_master(const pl_ks13_master *master, pl_ks13_secret *out,
                                                 const pl_digest *th_server_finished);

/* resumption_master_secret = Derive-Secret(Master, "res master", ClientHello...client
 * Finished). */
PL_NODISCARD padlock_err pl_ks13_resumption_master(const pl_ks13_master *master,
                                                   pl_ks13_secret *out,
                                                   const pl_digest *th_client_finished);

/* ---- Using secrets --------------------------------------------------------------------------- */

/* §7.3: write key = HKDF-Expand-Label(Secret, "key", "", key_length), write IV =
 * HKDF-Expand-Label(Secret, "iv", "", 12), as TLS 1.3 record keys for aead. Hand *out to
 * pl_record_dir_set_keys, which wipes it. */
PL_NODISCARD padlock_err pl_ks13_traffic_keys(const pl_ks13_secret *traffic, pl_record_keys *out,
                                              const pl_aead_alg *aead);

/* A handshake traffic secret's record keys (as pl_ks13_traffic_keys) and its finished_key =
 * HKDF-Expand-Label(secret, "finished", "", Hash.length) (§4.4.4), from one keying of the
 * secret. *out_finished_key is what pl_ks13_verify_data and pl_ks13_verify_data_check take. */
PL_NODISCARD padlock_err pl_ks13_handshake_keys(const pl_ks13_secret *traffic, pl_record_keys *out,
                                                const pl_aead_alg *aead,
                                                pl_ks13_secret *out_finished_key);

/* §7.2 KeyUpdate: application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd",
 * "", Hash.length), replacing *traffic in place (the old secret is overwritten). */
PL_NODISCARD padlock_err pl_ks13_update_traffic(pl_ks13_secret *traffic);

/* §4.4.4: verify_data = HMAC(finished_key, Transcript-Hash), finished_key =
 * HKDF-Expand-Label(BaseKey, "finished", "", Hash.length). BaseKey is a handshake traffic
 * secret for Finished, or a binder key for a PSK binder (§4.2.11.2, th over the truncated
 * ClientHello). out receives Hash.length bytes. */
PL_NODISCARD padlock_err pl_ks13_finished(const pl_ks13_secret *base_key, pl_digest *out,
                                          const pl_digest *th);

/* §4.4.4: verify_data = HMAC(finished_key, th), from a finished_key already derived
 * (pl_ks13_handshake_keys). out receives Hash.length bytes. */
PL_NODISCARD padlock_err pl_ks13_verify_data(const pl_ks13_secret *finished_key, pl_digest *out,
                                             const pl_digest *th);

/* Checks received verify_data against HMAC(finished_key, th) in constant time; the results
 * and errors of pl_ks13_finished_verify. */
PL_NODISCARD padlock_err pl_ks13_verify_data_check(const pl_ks13_secret *finished_key,
                                                   const pl_digest *th, const uint8_t *verify_data,
                                                   size_t len);

/* Checks received verify_data (or a binder) against the expected value in constant time.
 * PADLOCK_OK, or PADLOCK_E_DECRYPT_ERROR on mismatch (§4.4.4, §6.2: decrypt_error), or
 * PADLOCK_E_DECODE when len is not Hash.length. */
PL_NODISCARD padlock_err pl_ks13_finished_verify(const pl_ks13_secret *base_key,
                                                 const pl_digest *th, const uint8_t *verify_data,
                                                 size_t len);

/* §7.5 TLS-Exporter(label, context_value, key_length) with Secret = an exporter master secret
 * (regular or early): out_len bytes into out. context may be NULL (context_len 0): TLS 1.3 makes
 * no difference between no context and an empty one. Errors (PADLOCK_E_INVALID_ARGUMENT): label
 * empty or over PL_KS13_MAX_LABEL_LEN, out_len over 255 * Hash.length. */
PL_NODISCARD padlock_err pl_ks13_export(const pl_ks13_secret *exporter_master, uint8_t *out,
                                        size_t out_len, const uint8_t *label, size_t label_len,
                                        const uint8_t *context, size_t context_len);

/* §4.6.1: the PSK of a ticket = HKDF-Expand-Label(resumption_master_secret, "resumption",
 * ticket_nonce, Hash.length). nonce_len at most 255. */
PL_NODISCARD padlock_err pl_ks13_ticket_psk(const pl_ks13_secret *resumption_master,
                                            pl_ks13_secret *out, const uint8_t *nonce,
                                            size_t nonce_len);

/* Wipe a secret or stage. */
void pl_ks13_secret_cleanup(pl_ks13_secret *s);
void pl_ks13_early_cleanup(pl_ks13_early *early);
void pl_ks13_handshake_cleanup(pl_ks13_handshake *hs);
void pl_ks13_master_cleanup(pl_ks13_master *master);

#endif
