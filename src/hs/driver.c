/* The role-neutral handshake driver: message classification, the one place that decides
 * "unexpected message" (RFC 8446 §4 order, Appendix A), the change_cipher_spec rule (§5), and
 * the Markdown/Mermaid rendering of a role's table. */
#include "hs/driver.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "msg/msg.h"
#include "wire/cur.h"

static const char *const pl_hs_kind_names[PL_HS_K_COUNT] = {
    [PL_HS_K_START] = "(start)",
    [PL_HS_K_CLIENT_HELLO] = "ClientHello",
    [PL_HS_K_SERVER_HELLO] = "ServerHello",
    [PL_HS_K_HELLO_RETRY_REQUEST] = "HelloRetryRequest",
    [PL_HS_K_NEW_SESSION_TICKET] = "NewSessionTicket",
    [PL_HS_K_END_OF_EARLY_DATA] = "EndOfEarlyData",
    [PL_HS_K_ENCRYPTED_EXTENSIONS] = "EncryptedExtensions",
    [PL_HS_K_CERTIFICATE] = "Certificate",
    [PL_HS_K_CERTIFICATE_REQUEST] = "CertificateRequest",
    [PL_HS_K_CERTIFICATE_VERIFY] = "CertificateVerify",
    [PL_HS_K_FINISHED] = "Finished",
    [PL_HS_K_KEY_UPDATE] = "KeyUpdate",
    [PL_HS_K_OTHER] = "unknown handshake message",
    [PL_HS_K_CLIENT_KEY_EXCHANGE] = "ClientKeyExchange",
    [PL_HS_K_CHANGE_CIPHER_SPEC] = "ChangeCipherSpec",
    [PL_HS_K_SERVER_KEY_EXCHANGE] = "ServerKeyExchange",
    [PL_HS_K_SERVER_HELLO_DONE] = "ServerHelloDone",
    [PL_HS_K_HELLO_REQUEST] = "HelloRequest",
};

const char *pl_hs_kind_name(uint8_t kind) {
    return kind < PL_HS_K_COUNT ? pl_hs_kind_names[kind] : "unknown handshake message";
}

pl_hs_kind pl_hs_classify(const pl_hs_msg *msg) {
    switch (msg->type) {
    case PL_HS_CLIENT_HELLO: return PL_HS_K_CLIENT_HELLO;
    case PL_HS_SERVER_HELLO: {
        /* RFC 8446 §4.1.3: a ServerHello whose random is the special value is a
         * HelloRetryRequest. A body too short to hold a random is a ServerHello that its
         * parser refuses. */
        pl_cur c;
        const uint8_t *random;
        pl_cur_init(&c, msg->body, msg->body_len);
        if (pl_cur_skip(&c, 2) == PADLOCK_OK &&
            pl_cur_bytes(&c, PL_RANDOM_LEN, &random) == PADLOCK_OK &&
            memcmp(random, pl_hrr_random, PL_RANDOM_LEN) == 0) {
            return PL_HS_K_HELLO_RETRY_REQUEST;
        }
        return PL_HS_K_SERVER_HELLO;
    }
    case PL_HS_NEW_SESSION_TICKET: return PL_HS_K_NEW_SESSION_TICKET;
    case PL_HS_END_OF_EARLY_DATA: return PL_HS_K_END_OF_EARLY_DATA;
    case PL_HS_ENCRYPTED_EXTENSIONS: return PL_HS_K_ENCRYPTED_EXTENSIONS;
    case PL_HS_CERTIFICATE: return PL_HS_K_CERTIFICATE;
    case PL_HS_CERTIFICATE_REQUEST: return PL_HS_K_CERTIFICATE_REQUEST;
    case PL_HS_CERTIFICATE_VERIFY: return PL_HS_K_CERTIFICATE_VERIFY;
    case PL_HS_FINISHED: return PL_HS_K_FINISHED;
    case PL_HS_KEY_UPDATE: return PL_HS_K_KEY_UPDATE;
    case PL_HS_CLIENT_KEY_EXCHANGE: return PL_HS_K_CLIENT_KEY_EXCHANGE;
    case PL_HS_SERVER_KEY_EXCHANGE: return PL_HS_K_SERVER_KEY_EXCHANGE;
    case PL_HS_SERVER_HELLO_DONE: return PL_HS_K_SERVER_HELLO_DONE;
    case PL_HS_HELLO_REQUEST: return PL_HS_K_HELLO_REQUEST;
    default: return PL_HS_K_OTHER;
    }
}

static const pl_hs_row *pl_hs_find(const pl_hs_table *t, uint8_t state, uint8_t kind) {
    for (size_t i = 0; i < t->num_rows; i++) {
        if (t->rows[i].from == state && t->rows[i].kind == kind) {
            return &t->rows[i];
        }
    }
    return NULL;
}

uint32_t pl_hs_expected(const pl_hs_table *t, uint8_t state) {
    uint32_t kinds = 0;
    for (size_t i = 0; i < t->num_rows; i++) {
        if (t->rows[i].from == state) {
            kinds |= 1u << t->rows[i].kind;
        }
    }
    return kinds;
}

static const char *pl_hs_state_name(const pl_hs_table *t, uint8_t state) {
    return state < t->num_states ? t->states[state].name : "?";
}

/* Writes the names of the kinds in mask, "A or B", into out. */
static void pl_hs_kinds_text(uint32_t mask, char *out, size_t cap) {
    size_t used = 0;
    out[0] = '\0';
    for (uint8_t k = 0; k < PL_HS_K_COUNT; k++) {
        if ((mask & (1u << k)) == 0) {
            continue;
        }
        int n =
            snprintf(out + used, cap - used, "%s%s", used == 0 ? "" : " or ", pl_hs_kind_name(k));
        if (n < 0 || (size_t)n >= cap - used) {
            return;
        }
        used += (size_t)n;
    }
    if (used == 0) {
        snprintf(out, cap, "nothing");
    }
}

void pl_hs_switch(pl_tls *tls, const pl_hs_table *to, void *hs) {
    pl_tls_free_hs(tls);
    tls->table = to;
    tls->hs = hs;
}

/* Runs the row's handler and moves to the state it chose, which the table must allow: a state
 * the row names, or after a switch to the table's handoff table one of its handoff_states. */
static padlock_err pl_hs_run(pl_tls *tls, const pl_hs_row *row, const pl_hs_msg *msg) {
    const pl_hs_table *t = tls->table;
    uint8_t from = tls->state;
    uint8_t next = tls->state;
    PL_TRY(row->handle(tls, msg, &next));
    const pl_hs_table *nt = tls->table;
    uint32_t allowed = nt == t ? row->next : (nt == t->handoff ? t->handoff_states : 0);
    if (next >= nt->num_states || (allowed & (1u << next)) == 0) {
        return pl_tls_fail(tls, PADLOCK_E_INTERNAL,
                           "%s handshake: %s in state %s led to state %s, which the table does "
                           "not allow",
                           t->role, pl_hs_kind_name(row->kind), pl_hs_state_name(t, from),
                           pl_hs_state_name(nt, next));
    }
    tls->state = next;
    if (next == nt->connected && !tls->connected) {
        tls->connected = 1;
        pl_tls_free_hs(tls);
    }
    return PADLOCK_OK;
}

int pl_hs_speaks_first(const pl_hs_table *t) {
    return pl_hs_find(t, t->start, PL_HS_K_START) != NULL;
}

padlock_err pl_hs_begin(pl_tls *tls) {
    PL_CHECK(!tls->started, PADLOCK_E_STATE);
    tls->started = 1;
    tls->state = tls->table->start;
    const pl_hs_row *row = pl_hs_find(tls->table, tls->state, PL_HS_K_START);
    return row != NULL ? pl_hs_run(tls, row, NULL) : PADLOCK_OK;
}

padlock_err pl_hs_dispatch(pl_tls *tls, const pl_hs_msg *msg) {
    const pl_hs_table *t = tls->table;
    uint8_t kind = (uint8_t)pl_hs_classify(msg);
    const pl_hs_row *row = kind == PL_HS_K_START ? NULL : pl_hs_find(t, tls->state, kind);
    if (row == NULL) {
        /* RFC 8446 §6.2: "unexpected_message: An inappropriate message (e.g., the wrong
         * handshake message ...) was received." */
        char expected[160];
        pl_hs_kinds_text(pl_hs_expected(t, tls->state) & ~(1u << PL_HS_K_START), expected,
                         sizeof(expected));
        if (kind == PL_HS_K_OTHER) {
            return pl_tls_fail(tls, PADLOCK_E_UNEXPECTED_MESSAGE,
                               "%s handshake: unknown handshake message type %u in state %s "
                               "(expecting %s)",
                               t->role, msg->type, pl_hs_state_name(t, tls->state), expected);
        }
        return pl_tls_fail(tls, PADLOCK_E_UNEXPECTED_MESSAGE,
                           "%s handshake: unexpected %s in state %s (expecting %s)", t->role,
                           pl_hs_kind_name(kind), pl_hs_state_name(t, tls->state), expected);
    }
    return pl_hs_run(tls, row, msg);
}

padlock_err pl_hs_on_record(pl_tls *tls, const pl_record *rec) {
    const pl_hs_table *t = tls->table;
    padlock_err err = pl_frag_feed(&tls->rio.frag, rec->type, rec->data, rec->len);
    if (err != PADLOCK_OK && rec->type != PL_CONTENT_HANDSHAKE) {
        /* RFC 8446 §5.1: handshake messages are not interleaved with other record types. */
        return pl_tls_fail(tls, err,
                           "%s handshake: a record of type %u arrived in the middle of a "
                           "fragmented handshake message",
                           t->role, rec->type);
    }
    if (err != PADLOCK_OK) {
        /* §5.1: no zero-length handshake records. */
        return pl_tls_fail(tls, err, "%s handshake: empty handshake record", t->role);
    }
    if (rec->type == PL_CONTENT_CHANGE_CIPHER_SPEC) {
        /* RFC 5246 §7.1: in TLS 1.2 the change_cipher_spec switches the peer's keys; the table
         * says where one is expected. */
        const pl_hs_row *row =
            tls->started ? pl_hs_find(t, tls->state, PL_HS_K_CHANGE_CIPHER_SPEC) : NULL;
        if (row != NULL) {
            return pl_hs_run(tls, row, NULL);
        }
        /* RFC 8446 §5: an unprotected change_cipher_spec of one byte 0x01 (the record layer
         * checked both) is dropped "after the first ClientHello message has been sent or
         * received and before the peer's Finished message has been received"; otherwise it is
         * unexpected_message. */
        if (!tls->started || t->states[tls->state].ccs_ok == 0) {
            return pl_tls_fail(tls, PADLOCK_E_UNEXPECTED_MESSAGE,
                               "%s handshake: change_cipher_spec in state %s", t->role,
                               pl_hs_state_name(t, tls->state));
        }
        return PADLOCK_OK;
    }
    if (rec->type != PL_CONTENT_HANDSHAKE) {
        return PADLOCK_OK;
    }
    for (;;) {
        pl_hs_msg msg;
        int found;
        err = pl_frag_next(&tls->rio.frag, &msg, &found);
        if (err != PADLOCK_OK) {
            return pl_tls_fail(tls, err, "%s handshake: handshake message header: %s", t->role,
                               padlock_strerror(err));
        }
        if (!found) {
            return PADLOCK_OK;
        }
        PL_TRY(pl_hs_dispatch(tls, &msg));
    }
}

/* ---- The diagram ---------------------------------------------------------------------------- */

static padlock_err pl_hs_printf(pl_buf *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static padlock_err pl_hs_printf(pl_buf *out, const char *fmt, ...) {
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    PL_CHECK(n >= 0 && (size_t)n < sizeof(line), PADLOCK_E_BUFFER_TOO_SMALL);
    return pl_buf_bytes(out, line, (size_t)n);
}

/* Writes the names of the states in mask, "A, B". */
static void pl_hs_states_text(const pl_hs_table *t, uint32_t mask, char *out, size_t cap) {
    size_t used = 0;
    out[0] = '\0';
    for (uint8_t s = 0; s < t->num_states; s++) {
        if ((mask & (1u << s)) == 0) {
            continue;
        }
        int n = snprintf(out + used, cap - used, "%s%s", used == 0 ? "" : ", ", t->states[s].name);
        if (n < 0 || (size_t)n >= cap - used) {
            return;
        }
        used += (size_t)n;
    }
}

padlock_err pl_hs_describe(const pl_hs_table *t, pl_buf *out) {
    char next[256];
    PL_TRY(pl_hs_printf(out, "## %s\n\n", t->role));
    PL_TRY(pl_hs_printf(out, "| State | Receives | Sends | Next state |\n"));
    PL_TRY(pl_hs_printf(out, "|---|---|---|---|\n"));
    for (uint8_t s = 0; s < t->num_states; s++) {
        for (size_t i = 0; i < t->num_rows; i++) {
            const pl_hs_row *r = &t->rows[i];
            if (r->from != s) {
                continue;
            }
            pl_hs_states_text(t, r->next, next, sizeof(next));
            PL_TRY(pl_hs_printf(out, "| %s | %s | %s | %s |\n", t->states[s].name,
                                pl_hs_kind_name(r->kind), r->sends != NULL ? r->sends : "", next));
        }
    }
    PL_TRY(pl_hs_printf(out, "\nA change_cipher_spec record is dropped in:"));
    int any = 0;
    for (uint8_t s = 0; s < t->num_states; s++) {
        if (t->states[s].ccs_ok) {
            PL_TRY(pl_hs_printf(out, "%s %s", any ? "," : "", t->states[s].name));
            any = 1;
        }
    }
    PL_TRY(pl_hs_printf(out, "%s. Anything not listed for a state is unexpected_message.\n",
                        any ? "" : " none"));
    if (t->handoff != NULL) {
        pl_hs_states_text(t->handoff, t->handoff_states, next, sizeof(next));
        PL_TRY(pl_hs_printf(out,
                            "A handler that negotiates another protocol version hands the "
                            "handshake to the %s table, in: %s.\n",
                            t->handoff->role, next));
    }
    PL_TRY(pl_hs_printf(out, "\n"));
    PL_TRY(pl_hs_printf(out, "```mermaid\nstateDiagram-v2\n"));
    PL_TRY(pl_hs_printf(out, "    [*] --> %s\n", t->states[t->start].name));
    for (size_t i = 0; i < t->num_rows; i++) {
        const pl_hs_row *r = &t->rows[i];
        for (uint8_t s = 0; s < t->num_states; s++) {
            if ((r->next & (1u << s)) == 0) {
                continue;
            }
            PL_TRY(pl_hs_printf(out, "    %s --> %s: %s%s%s\n", t->states[r->from].name,
                                t->states[s].name, pl_hs_kind_name(r->kind),
                                r->sends != NULL ? " / " : "", r->sends != NULL ? r->sends : ""));
        }
    }
    return pl_hs_printf(out, "```\n");
}
