/* The TLS 1.2 client's ServerHello (RFC 5246 §7.4.1.3): the checks that need our ClientHello
 * (downgrade sentinel of RFC 8446 §4.1.3, suite, extended master secret of RFC 7627 §5.2,
 * renegotiation_info of RFC 5746 §3.4, ALPN of RFC 7301 §3.1, the session ID echo), the choice
 * between the full and the abbreviated handshake (§7.3, RFC 5077 §3.4), and which stored session
 * a ClientHello may offer. */
#include <string.h>

#include "hs/client12.h"
#include "util/mem.h"

const uint16_t pl_client12_extra_sig_algs[] = {
    PL_SIG_RSA_PKCS1_SHA256,
    PL_SIG_RSA_PKCS1_SHA384,
    PL_SIG_RSA_PKCS1_SHA512,
};
const size_t pl_client12_num_extra_sig_algs =
    sizeof(pl_client12_extra_sig_algs) / sizeof(pl_client12_extra_sig_algs[0]);

/* Case-insensitive equality of a session's server name with the connection's. */
static int pl_client12_same_name(const pl_session12 *s, const char *name) {
    size_t len = name != NULL ? strlen(name) : 0;
    if (len != s->name_len) {
        return 0;
    }
    const char *a = pl_session12_name(s);
    for (size_t i = 0; i < len; i++) {
        char x = a[i], y = name[i];
        x = (char)(x >= 'A' && x <= 'Z' ? x + 32 : x);
        y = (char)(y >= 'A' && y <= 'Z' ? y + 32 : y);
        if (x != y) {
            return 0;
        }
    }
    return 1;
}

const pl_session12 *pl_client12_offerable(const pl_tls *tls) {
    const pl_hs_config *cfg = tls->cfg;
    const pl_session12 *s = tls->session12;
    if (s == NULL || !pl_hs_version_enabled(cfg, PL_TLS12_VERSION) || cfg->profile != NULL) {
        return NULL;
    }
    int64_t age = cfg->now(cfg->now_ctx) - s->received_at;
    /* RFC 5246 §7.4.1.2: a session is resumed under the suite it was made with, which must be
     * one we offer; and only with the server it was made with (the certificate that
     * authenticated it then covers the name now). */
    if (age < 0 || age >= (int64_t)s->lifetime ||
        !pl_hs_list_has(cfg->suites12, cfg->num_suites12, s->suite) ||
        !pl_client12_same_name(s, tls->server_name)) {
        return NULL;
    }
    /* RFC 5077 §3.2: the ticket goes in the ClientHello's session_ticket extension, and the
     * extensions block holds at most 2^16-1 bytes (RFC 5246 §7.4.1.2): a longer one is not
     * offered, rather than failing the hello. */
    if (s->ticket_len > pl_client13_ticket_room(tls)) {
        return NULL;
    }
    return s;
}

/* The checks of a TLS 1.2 ServerHello against our ClientHello that do not depend on resumption. */
static padlock_err pl_client12_check_hello(pl_tls *tls, const pl_server_hello *sh) {
    const pl_hs_config *cfg = tls->cfg;
    /* RFC 8446 §4.1.3: "TLS 1.3 clients receiving a ServerHello indicating TLS 1.2 or below MUST
     * check that the last 8 bytes are not equal to either of these values ... If a match is
     * found, the client MUST abort the handshake with an "illegal_parameter" alert." */
    if (pl_client13_offers13(tls) && pl_server_hello_downgrade(sh->random) != PL_DOWNGRADE_NONE) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ServerHello: TLS 1.2 was selected although the server's random "
                           "carries the TLS 1.3 downgrade sentinel (an attacker may have removed "
                           "TLS 1.3 from our ClientHello)");
    }
    /* RFC 5246 §7.4.1.3: server_version is the version chosen; padlock speaks no older one. */
    if (sh->legacy_version != PL_TLS12_VERSION) {
        return pl_tls_fail(tls, PADLOCK_E_PROTOCOL_VERSION,
                           "ServerHello: the server selected protocol version 0x%04x; padlock "
                           "offered TLS 1.2 and newer only",
                           sh->legacy_version);
    }
    /* RFC 5246 §7.4.1.3: "a single cipher suite selected by the server from the list in
     * ClientHello.cipher_suites". */
    const pl_suite *suite = pl_suite_by_code(sh->cipher_suite);
    if (suite == NULL || suite->version != PL_TLS12_VERSION ||
        (suite->rsa_kx && !cfg->legacy_rsa) ||
        !pl_hs_list_has(cfg->suites12, cfg->num_suites12, sh->cipher_suite)) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ServerHello (TLS 1.2): cipher suite 0x%04x was not offered",
                           sh->cipher_suite);
    }
    /* RFC 7627 §5.2: padlock requires the extended master secret unless configured otherwise;
     * a client that does "MUST abort the handshake" (handshake_failure) when the server does
     * not send it. */
    if (!pl_exts_has(&sh->exts, PL_EXT_EXTENDED_MASTER_SECRET) && cfg->require_ems) {
        return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                           "ServerHello (TLS 1.2): no extended_master_secret; padlock requires "
                           "it (RFC 7627) against the triple handshake attack");
    }
    /* RFC 5746 §3.4: the client "MUST then verify that the length of the
     * "renegotiated_connection" field is zero, and if it is not, MUST abort the handshake (by
     * sending a fatal handshake_failure alert)"; a server without the extension is one that may
     * be renegotiated insecurely, which padlock does not talk to (§4.1 lets a client refuse). */
    if (!pl_exts_has(&sh->exts, PL_EXT_RENEGOTIATION_INFO)) {
        return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                           "ServerHello (TLS 1.2): no renegotiation_info, so the server does not "
                           "support secure renegotiation (RFC 5746)");
    }
    if (pl_cur_left(&sh->exts.renegotiation_info) != 0) {
        return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                           "ServerHello (TLS 1.2): renegotiation_info is not empty on an initial "
                           "handshake (RFC 5746 §3.4)");
    }
    return PADLOCK_OK;
}

/* RFC 5246 §7.4.1.3: the server resumes by echoing the session ID we sent (RFC 5077 §3.4: the
 * random one sent with a ticket); anything else is a new session. *out_resumed is 1 when it
 * resumes the offered session. */
static padlock_err pl_client12_resumption(pl_tls *tls, const pl_client13_hs *c13,
                                          const pl_server_hello *sh, int *out_resumed) {
    size_t echo_len = pl_cur_left(&sh->session_id);
    *out_resumed = echo_len != 0 && echo_len == c13->session_id_len &&
                   memcmp(sh->session_id.p, c13->session_id, echo_len) == 0;
    if (!*out_resumed) {
        return PADLOCK_OK;
    }
    if (!c13->offered12) {
        /* Our session ID was random (RFC 8446 Appendix D.4): no server can hold a session
         * under it. */
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ServerHello (TLS 1.2): echoes our session ID, but no TLS 1.2 session "
                           "was offered to resume");
    }
    /* RFC 5246 §7.4.1.3: for a resumed session cipher_suite "is the value from the state of the
     * session being resumed". */
    if (sh->cipher_suite != tls->session12->suite) {
        return pl_tls_fail(tls, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ServerHello (TLS 1.2): resumes our session with cipher suite 0x%04x, "
                           "but it was made with 0x%04x",
                           sh->cipher_suite, tls->session12->suite);
    }
    return PADLOCK_OK;
}

padlock_err pl_client12_on_server_hello(pl_tls *tls, pl_client13_hs *c13, const pl_hs_msg *msg,
                                        uint8_t *out_next) {
    pl_server_hello sh;
    PL_TRY(pl_server_hello_peek(&sh, msg->body, msg->body_len, &tls->err));
    /* The sentinel and the version are judged before any TLS 1.2 extension rule speaks. */
    if (pl_client13_offers13(tls) && pl_server_hello_downgrade(sh.random) != PL_DOWNGRADE_NONE) {
        return pl_client12_check_hello(tls, &sh);
    }
    if (sh.legacy_version != PL_TLS12_VERSION) {
        return pl_client12_check_hello(tls, &sh);
    }
    PL_TRY(pl_server_hello_parse(&sh, msg->body, msg->body_len, c13->offered, &tls->err));
    PL_TRY(pl_client12_check_hello(tls, &sh));
    int resumed;
    PL_TRY(pl_client12_resumption(tls, c13, &sh, &resumed));
    int ems = pl_exts_has(&sh.exts, PL_EXT_EXTENDED_MASTER_SECRET);
    if (resumed && !ems) {
        /* RFC 7627 §5.3: "If the original session used the extension but the new ServerHello
         * does not contain the extension, the client MUST abort the handshake." (padlock keeps
         * no session without it.) */
        return pl_tls_fail(tls, PADLOCK_E_HANDSHAKE_FAILURE,
                           "ServerHello (TLS 1.2): resumes a session made with the extended "
                           "master secret without it (RFC 7627 §5.3)");
    }
    if (pl_exts_has(&sh.exts, PL_EXT_ALPN)) {
        PL_TRY(pl_client13_take_alpn(tls, sh.exts.alpn, "ServerHello"));
    }
    if (pl_exts_has(&sh.exts, PL_EXT_RECORD_SIZE_LIMIT)) {
        /* RFC 8449 §4: our protected records hold at most the server's limit. */
        PL_TRY(pl_record_dir_set_size_limit(&tls->rio.tx, sh.exts.record_size_limit));
    }
    pl_client12_hs *h = pl_calloc(1, sizeof(*h));
    PL_CHECK(h != NULL, PADLOCK_E_NO_MEMORY);
    h->transcript = c13->transcript;
    /* A client that may authenticate keeps the messages its CertificateVerify signs (§7.4.8),
     * from our ClientHello on. */
    h->keep_log = tls->cfg->num_creds > 0;
    memcpy(h->client_random, c13->random, PL_RANDOM_LEN);
    memcpy(h->server_random, sh.random, PL_RANDOM_LEN);
    h->session_id_len = (uint8_t)pl_cur_left(&sh.session_id);
    memcpy(h->session_id, sh.session_id.p, h->session_id_len);
    h->ticket_promised = (uint8_t)pl_exts_has(&sh.exts, PL_EXT_SESSION_TICKET);
    h->resumed = (uint8_t)resumed;
    h->ems = (uint8_t)ems;
    /* The ClientHello (in the TLS 1.3 client's work buffer) is in the transcript already. */
    padlock_err rc = h->keep_log ? pl_msg_log_append(&h->log, c13->ch, c13->ch_len) : PADLOCK_OK;
    /* From here the TLS 1.2 table owns the handshake state, and frees it on any failure. */
    pl_hs_switch(tls, &pl_client12_table, h);
    PL_TRY(rc);
    /* RFC 5246 §7.1: no compatibility change_cipher_spec (RFC 8446 Appendix D.4) in TLS 1.2. */
    pl_rio_cancel_ccs(&tls->rio);
    tls->version = PL_TLS12_VERSION;
    tls->suite = pl_suite_by_code(sh.cipher_suite);
    PL_TRY(pl_transcript_select(&h->transcript, tls->suite->hash));
    PL_TRY(pl_client12_take(h, msg->raw, msg->raw_len));
    if (!resumed) {
        *out_next = PL_C12_WAIT_CERT;
        return PADLOCK_OK;
    }
    /* RFC 5246 §7.3: the abbreviated handshake, keys from the stored master secret and the new
     * randoms; the server's change_cipher_spec and Finished come first. */
    tls->resumed = 1;
    h->master = tls->session12->master;
    pl_tls_keylog_bytes(tls, h->client_random, PL_KEYLOG_CLIENT_RANDOM, h->master.b,
                        sizeof(h->master.b));
    PL_TRY(pl_ks12_record_keys(&h->master, tls->suite->aead, h->client_random, h->server_random,
                               &h->write_keys, &h->read_keys));
    *out_next = h->ticket_promised ? PL_C12_WAIT_NST : PL_C12_WAIT_CCS;
    return PADLOCK_OK;
}
