/* Private to src/ext: the extension descriptor each src/ext/<name>.c exports and table.c
 * registers (DESIGN.md §5), and helpers shared by the descriptors. Other modules use ext.h. */
#ifndef PL_EXT_DESC_H
#define PL_EXT_DESC_H

#include "ext/ext.h"

/* Bit positions in pl_exts.present, one per descriptor; table.c indexes its table by them. */
typedef enum pl_ext_index {
    PL_EXT_I_SERVER_NAME,
    PL_EXT_I_SUPPORTED_GROUPS,
    PL_EXT_I_EC_POINT_FORMATS,
    PL_EXT_I_SIGNATURE_ALGORITHMS,
    PL_EXT_I_ALPN,
    PL_EXT_I_EXTENDED_MASTER_SECRET,
    PL_EXT_I_RECORD_SIZE_LIMIT,
    PL_EXT_I_SESSION_TICKET,
    PL_EXT_I_PRE_SHARED_KEY,
    PL_EXT_I_EARLY_DATA,
    PL_EXT_I_SUPPORTED_VERSIONS,
    PL_EXT_I_COOKIE,
    PL_EXT_I_PSK_KEY_EXCHANGE_MODES,
    PL_EXT_I_SIGNATURE_ALGORITHMS_CERT,
    PL_EXT_I_KEY_SHARE,
    PL_EXT_I_RENEGOTIATION_INFO,
    PL_EXT_I_COUNT
} pl_ext_index;

/* One extension: its code, where RFC 8446 §4.2 (or its own RFC) allows it, and its codec.
 *   parse:  reads extension_data (body) into its field(s) of out for message msg; it need not
 *           check that body is consumed (the table does). Rule violations are reported with
 *           pl_ext_fail(err, ...).
 *   build:  writes extension_data for message msg from its field(s) of in.
 *   finish: NULL, or the rules that can only be judged once the whole block of message msg is
 *           parsed, present or not: what the extension's absence means (missing_extension)
 *           and rules that involve other extensions. PADLOCK_OK when the block is acceptable. */
typedef struct pl_ext_desc {
    uint16_t id;
    uint8_t index;    /* pl_ext_index */
    uint8_t allowed;  /* pl_ext_msg bits */
    const char *name; /* RFC name */
    padlock_err (*parse)(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err);
    padlock_err (*build)(pl_buf *b, pl_ext_msg msg, const pl_exts *in);
    padlock_err (*finish)(const pl_exts *exts, pl_ext_msg msg, pl_errinfo *err);
} pl_ext_desc;

extern const pl_ext_desc pl_ext_server_name;
extern const pl_ext_desc pl_ext_supported_groups;
extern const pl_ext_desc pl_ext_ec_point_formats;
extern const pl_ext_desc pl_ext_signature_algorithms;
extern const pl_ext_desc pl_ext_signature_algorithms_cert;
extern const pl_ext_desc pl_ext_alpn;
extern const pl_ext_desc pl_ext_extended_master_secret;
extern const pl_ext_desc pl_ext_record_size_limit;
extern const pl_ext_desc pl_ext_session_ticket;
extern const pl_ext_desc pl_ext_pre_shared_key;
extern const pl_ext_desc pl_ext_early_data;
extern const pl_ext_desc pl_ext_supported_versions;
extern const pl_ext_desc pl_ext_cookie;
extern const pl_ext_desc pl_ext_psk_key_exchange_modes;
extern const pl_ext_desc pl_ext_key_share;
extern const pl_ext_desc pl_ext_renegotiation_info;

/* The bit of index in pl_exts.present. */
#define PL_EXT_BIT(index) (1u << (index))

/* The descriptor of a known ExtensionType, or NULL. */
const pl_ext_desc *pl_ext_desc_by_id(uint16_t id);

/* Checks that extension_data is empty (PADLOCK_E_DECODE naming name otherwise). */
PL_NODISCARD padlock_err pl_ext_parse_empty(pl_cur *body, pl_ext_msg msg, const char *name,
                                            pl_errinfo *err);
/* The builder of empty extension_data: writes nothing. */
PL_NODISCARD padlock_err pl_ext_build_nothing(pl_buf *b, pl_ext_msg msg, const pl_exts *in);

/* Writes body as a vector with a 1- or 2-byte length prefix. */
PL_NODISCARD padlock_err pl_ext_build_vec(pl_buf *b, uint8_t prefix_len, pl_cur body);
/* The same for a list of u16 values: PADLOCK_E_INVALID_ARGUMENT if its length is odd. */
PL_NODISCARD padlock_err pl_ext_build_u16_list(pl_buf *b, uint8_t prefix_len, pl_cur list);

/* A list of u16 values with a 1- or 2-byte length in [min, max]; the length must be even
 * (PADLOCK_E_DECODE). *out receives the body. name names the field in error details. */
PL_NODISCARD padlock_err pl_ext_parse_u16_list(pl_cur *body, uint8_t prefix_len, size_t min,
                                               size_t max, pl_ext_msg msg, const char *name,
                                               pl_cur *out, pl_errinfo *err);

/* An exact set of 16-bit values, for duplicate detection without allocation or quadratic
 * scans however long the (peer-controlled) list is. 8 KiB: keep it off the heap and out of
 * long-lived structs; clear before use. */
typedef struct pl_u16_set {
    uint64_t bits[65536 / 64];
} pl_u16_set;

/* Empties the set. */
void pl_u16_set_clear(pl_u16_set *s);
/* Adds v; returns 1 if it was not in the set yet, 0 if it already was. */
int pl_u16_set_add(pl_u16_set *s, uint16_t v);
/* Removes v; returns 1 if it was in the set, 0 if it was not. */
int pl_u16_set_take(pl_u16_set *s, uint16_t v);

#endif
