/* The handshake driver (DESIGN.md §6), the same for every role: each role describes its state
 * machine as data, a table of states and of transitions (state, message received, handler,
 * states the handler may move to, what it sends), and the driver does the rest: it turns
 * handshake records into messages (src/record/frag.h), decides in one place whether a message
 * is expected in the current state (unexpected_message otherwise), calls the one handler of the
 * row, checks that the handler moved to a state the table allows, applies the change_cipher_spec
 * rule of RFC 8446 §5, and frees the handshake-only state when the role reaches its connected
 * state. pl_hs_describe prints a table as the diagram in docs/state-machine.md.
 *
 * Handlers parse their message completely before acting on it (DESIGN.md §4), record a detail
 * in tls->err when they fail, and never perform I/O: what they send is queued in tls->rio. */
#ifndef PL_HS_DRIVER_H
#define PL_HS_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "hs/tls.h"
#include "record/frag.h"
#include "record/record.h"
#include "wire/buf.h"

/* What a state can receive: the handshake messages, with a HelloRetryRequest told apart from a
 * ServerHello (RFC 8446 §4.1.3: by its random), plus the start of a connection for the role
 * that speaks first, and TLS 1.2's change_cipher_spec (RFC 5246 §7.1), a record of its own but
 * a step of the handshake that a table places like a message. */
typedef enum pl_hs_kind {
    PL_HS_K_START = 0,
    PL_HS_K_CLIENT_HELLO,
    PL_HS_K_SERVER_HELLO,
    PL_HS_K_HELLO_RETRY_REQUEST,
    PL_HS_K_NEW_SESSION_TICKET,
    PL_HS_K_END_OF_EARLY_DATA,
    PL_HS_K_ENCRYPTED_EXTENSIONS,
    PL_HS_K_CERTIFICATE,
    PL_HS_K_CERTIFICATE_REQUEST,
    PL_HS_K_CERTIFICATE_VERIFY,
    PL_HS_K_FINISHED,
    PL_HS_K_KEY_UPDATE,
    PL_HS_K_OTHER, /* any other HandshakeType: never expected */
    PL_HS_K_CLIENT_KEY_EXCHANGE,
    PL_HS_K_CHANGE_CIPHER_SPEC,  /* a TLS 1.2 change_cipher_spec record (the handler gets NULL) */
    PL_HS_K_SERVER_KEY_EXCHANGE, /* TLS 1.2 (RFC 5246 §7.4.3) */
    PL_HS_K_SERVER_HELLO_DONE,   /* TLS 1.2 (§7.4.5) */
    PL_HS_K_HELLO_REQUEST,       /* TLS 1.2 (§7.4.1.1) */
    PL_HS_K_COUNT
} pl_hs_kind;

/* A handler: consumes msg (NULL for PL_HS_K_START) in the current state and sets *out_next to
 * the state to move to (it starts as the current state). */
typedef padlock_err (*pl_hs_handler)(pl_tls *tls, const pl_hs_msg *msg, uint8_t *out_next);

typedef struct pl_hs_state_desc {
    const char *name; /* "WAIT_EE", after RFC 8446 Appendix A */
    uint8_t ccs_ok;   /* RFC 8446 §5: a change_cipher_spec is dropped here (after the first
                         ClientHello, before the peer's Finished) */
} pl_hs_state_desc;

typedef struct pl_hs_row {
    uint8_t from;  /* state */
    uint8_t kind;  /* pl_hs_kind received */
    uint32_t next; /* bit (1 << state) of every state the handler may move to */
    pl_hs_handler handle;
    const char *sends; /* what the handler sends, for the diagram; NULL: nothing */
} pl_hs_row;

typedef struct pl_hs_table {
    const char *role; /* "client" */
    const pl_hs_state_desc *states;
    uint8_t num_states;
    uint8_t start;     /* the state of a new connection */
    uint8_t connected; /* reaching it completes the handshake */
    const pl_hs_row *rows;
    size_t num_rows;
    void (*free_hs)(void *hs); /* frees the role's handshake-only state, wiping it */
    /* Version negotiation: the table of another protocol version that a handler of this one
     * may hand the handshake to (pl_hs_switch), and the states of it the handler may enter;
     * NULL and 0 when there is none. */
    const struct pl_hs_table *handoff;
    uint32_t handoff_states;
} pl_hs_table;

/* The kind of a whole handshake message. */
pl_hs_kind pl_hs_classify(const pl_hs_msg *msg);

/* The name of a kind ("EncryptedExtensions"). Never NULL. */
const char *pl_hs_kind_name(uint8_t kind);

/* The kinds state expects, as bits (1 << kind). */
uint32_t pl_hs_expected(const pl_hs_table *t, uint8_t state);

/* 1 if the role speaks first: its start state has a row for PL_HS_K_START (the client). */
int pl_hs_speaks_first(const pl_hs_table *t);

/* Starts the handshake: runs the row for PL_HS_K_START of the start state if the role has one
 * (the client sends its ClientHello), otherwise only marks the start. Errors: the handler's. */
PL_NODISCARD padlock_err pl_hs_begin(pl_tls *tls);

/* Takes one opened record, of any type, through the handshake's rules: handshake records are
 * reassembled and every complete message is dispatched; a change_cipher_spec goes to the row
 * the state has for it (TLS 1.2), else is dropped where the state allows it (RFC 8446 §5) and
 * is unexpected_message elsewhere; for alert and
 * application data records only the interleaving rule of §5.1 is checked (the connection
 * handles their content). Errors are recorded in tls->err. */
PL_NODISCARD padlock_err pl_hs_on_record(pl_tls *tls, const pl_record *rec);

/* Hands the handshake to the table's handoff table, for the handler that is running (the
 * driver checks the state it chooses against handoff_states): the current handshake-only state
 * is freed through the current table, hs (owned by the new table from now on) takes its place. */
void pl_hs_switch(pl_tls *tls, const pl_hs_table *to, void *hs);

/* Dispatches one whole message in the current state: PADLOCK_E_UNEXPECTED_MESSAGE (detail
 * naming message, state and what was expected) when the table has no row for it. */
PL_NODISCARD padlock_err pl_hs_dispatch(pl_tls *tls, const pl_hs_msg *msg);

/* Writes the table as Markdown: a state/transition table and a Mermaid state diagram.
 * PADLOCK_E_BUFFER_TOO_SMALL if out is too small. */
PL_NODISCARD padlock_err pl_hs_describe(const pl_hs_table *t, pl_buf *out);

#endif
