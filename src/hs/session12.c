/* TLS 1.2 client sessions (RFC 5246 §7.4.1.2, RFC 5077 §3.4) and their exported form:
 *
 *     struct {
 *         opaque magic[4] = "PLs2";     padlock session, format 2: TLS 1.2
 *         opaque state<1..2^16-1>;      SessionState of ticket_seal.c, format 2 (suite,
 *                                       received_at, lifetime, extended master secret flag,
 *                                       master secret, server name, empty client chain)
 *         opaque session_id<0..32>;     the server's session ID (resumption by ID)
 *         opaque ticket<0..2^16-1>;     the server's ticket (resumption by ticket)
 *     } Session12;
 *
 * At least one of session_id and ticket is not empty. */
#include "hs/session12.h"

#include <string.h>

#include "hs/suite.h"
#include "hs/ticket_seal.h"
#include "util/mem.h"

static const uint8_t pl_session12_magic[4] = {'P', 'L', 's', '2'};

padlock_err pl_session12_new(const pl_ks12_master *master, uint16_t suite, int64_t now,
                             uint32_t lifetime, const uint8_t *sid, size_t sid_len,
                             const uint8_t *ticket, size_t ticket_len, const char *name,
                             pl_session12 **out) {
    size_t name_len = name != NULL ? strlen(name) : 0;
    PL_CHECK(name_len <= 255 && sid_len <= PL_SESSION_ID_MAX && ticket_len <= 0xffff &&
                 (sid_len != 0 || ticket_len != 0),
             PADLOCK_E_INVALID_ARGUMENT);
    pl_session12 *s = pl_calloc(1, sizeof(*s) + ticket_len + name_len);
    PL_CHECK(s != NULL, PADLOCK_E_NO_MEMORY);
    s->received_at = now;
    s->lifetime = lifetime;
    s->suite = suite;
    s->master = *master;
    s->session_id_len = (uint8_t)sid_len;
    if (sid_len != 0) {
        memcpy(s->session_id, sid, sid_len);
    }
    s->ticket_len = (uint16_t)ticket_len;
    if (ticket_len != 0) {
        memcpy(s->data, ticket, ticket_len);
    }
    s->name_len = (uint8_t)name_len;
    if (name_len != 0) {
        memcpy(s->data + ticket_len, name, name_len);
    }
    *out = s;
    return PADLOCK_OK;
}

void pl_session12_free(pl_session12 *s) {
    pl_free_secret(s);
}

const uint8_t *pl_session12_ticket(const pl_session12 *s) {
    return s->data;
}

const char *pl_session12_name(const pl_session12 *s) {
    return (const char *)s->data + s->ticket_len;
}

/* The SessionState of s (its byte fields point into s). */
static void pl_session12_state(const pl_session12 *s, pl_ticket_state *st) {
    memset(st, 0, sizeof(*st));
    st->version = PL_TLS12_VERSION;
    st->suite = s->suite;
    st->issued_at = s->received_at;
    st->lifetime = s->lifetime;
    st->ems = 1; /* RFC 7627 §5.3: padlock keeps no session without it */
    pl_cur_init(&st->psk, s->master.b, sizeof(s->master.b));
    pl_cur_init(&st->server_name, s->data + s->ticket_len, s->name_len);
    pl_cur_init(&st->client_chain, NULL, 0);
}

size_t pl_session12_export_len(const pl_session12 *s) {
    pl_ticket_state st;
    pl_session12_state(s, &st);
    return sizeof(pl_session12_magic) + 2 + pl_ticket_state_len(&st, NULL) + 1 + s->session_id_len +
           2 + s->ticket_len;
}

padlock_err pl_session12_export(const pl_session12 *s, uint8_t *out, size_t cap, size_t *out_len) {
    pl_ticket_state st;
    pl_session12_state(s, &st);
    pl_buf b;
    pl_buf_init(&b, out, cap);
    PL_TRY(pl_buf_bytes(&b, pl_session12_magic, sizeof(pl_session12_magic)));
    pl_buf_vec v;
    PL_TRY(pl_buf_vec_open(&b, 2, &v));
    PL_TRY(pl_ticket_state_write(&b, &st, NULL));
    PL_TRY(pl_buf_vec_close(&b, &v));
    PL_TRY(pl_buf_vec8_bytes(&b, s->session_id, s->session_id_len));
    PL_TRY(pl_buf_vec16_bytes(&b, s->data, s->ticket_len));
    *out_len = b.len;
    return PADLOCK_OK;
}

int pl_session12_is_exported(const uint8_t *data, size_t len) {
    return len >= sizeof(pl_session12_magic) &&
           memcmp(data, pl_session12_magic, sizeof(pl_session12_magic)) == 0;
}

padlock_err pl_session12_import(const uint8_t *data, size_t len, pl_session12 **out) {
    PL_CHECK(pl_session12_is_exported(data, len), PADLOCK_E_DECODE);
    pl_cur c, state, sid, ticket;
    pl_cur_init(&c, data + sizeof(pl_session12_magic), len - sizeof(pl_session12_magic));
    PL_TRY(pl_cur_vec16(&c, 1, 0xffff, &state));
    PL_TRY(pl_cur_vec8(&c, 0, PL_SESSION_ID_MAX, &sid));
    PL_TRY(pl_cur_vec16(&c, 0, 0xffff, &ticket));
    PL_TRY(pl_cur_done(&c));
    pl_ticket_state st;
    PL_TRY(pl_ticket_state_read(&state, &st));
    const pl_suite *suite = pl_suite_by_code(st.suite);
    size_t name_len = pl_cur_left(&st.server_name);
    char name[256];
    PL_CHECK(st.version == PL_TLS12_VERSION && suite != NULL &&
                 suite->version == PL_TLS12_VERSION && st.ems &&
                 pl_cur_left(&st.psk) == PL_KS12_MASTER_LEN && name_len < sizeof(name) &&
                 (name_len == 0 || memchr(st.server_name.p, 0, name_len) == NULL) &&
                 (pl_cur_left(&sid) != 0 || pl_cur_left(&ticket) != 0),
             PADLOCK_E_DECODE);
    memcpy(name, st.server_name.p, name_len);
    name[name_len] = '\0';
    pl_ks12_master master;
    master.hash = suite->hash;
    memcpy(master.b, st.psk.p, sizeof(master.b));
    padlock_err rc =
        pl_session12_new(&master, st.suite, st.issued_at, st.lifetime, sid.p, pl_cur_left(&sid),
                         ticket.p, pl_cur_left(&ticket), name_len != 0 ? name : NULL, out);
    pl_ks12_master_cleanup(&master);
    return rc;
}
