/* TLS extensions: the typed, zero-copy result of parsing an extension block (pl_exts), the
 * message contexts of the RFC 8446 §4.2 table, the block parser and builder that enforce §4.2
 * in one place (src/ext/table.c), and small iterators over the lists extensions carry.
 * One file per extension implements its own parse and build (src/ext/<name>.c). */
#ifndef PL_EXT_EXT_H
#define PL_EXT_EXT_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"
#include "wire/buf.h"
#include "wire/cur.h"

/* ExtensionType codes (RFC 8446 §4.2 and the RFCs named) of the extensions padlock knows. */
enum {
    PL_EXT_SERVER_NAME = 0,                /* RFC 6066 §3 */
    PL_EXT_SUPPORTED_GROUPS = 10,          /* RFC 8446 §4.2.7 */
    PL_EXT_EC_POINT_FORMATS = 11,          /* RFC 8422 §5.1.2 */
    PL_EXT_SIGNATURE_ALGORITHMS = 13,      /* RFC 8446 §4.2.3 */
    PL_EXT_ALPN = 16,                      /* RFC 7301 §3.1 */
    PL_EXT_EXTENDED_MASTER_SECRET = 23,    /* RFC 7627 §5.1 */
    PL_EXT_RECORD_SIZE_LIMIT = 28,         /* RFC 8449 §4 */
    PL_EXT_SESSION_TICKET = 35,            /* RFC 5077 §3.2 */
    PL_EXT_PRE_SHARED_KEY = 41,            /* RFC 8446 §4.2.11 */
    PL_EXT_EARLY_DATA = 42,                /* RFC 8446 §4.2.10 */
    PL_EXT_SUPPORTED_VERSIONS = 43,        /* RFC 8446 §4.2.1 */
    PL_EXT_COOKIE = 44,                    /* RFC 8446 §4.2.2 */
    PL_EXT_PSK_KEY_EXCHANGE_MODES = 45,    /* RFC 8446 §4.2.9 */
    PL_EXT_SIGNATURE_ALGORITHMS_CERT = 50, /* RFC 8446 §4.2.3 */
    PL_EXT_KEY_SHARE = 51,                 /* RFC 8446 §4.2.8 */
    PL_EXT_RENEGOTIATION_INFO = 0xff01,    /* RFC 5746 §3.2 */
};

/* The messages an extension block appears in, as bits so that a descriptor can list the ones
 * it is allowed in (the columns of the RFC 8446 §4.2 table, plus the TLS 1.2 ServerHello,
 * which carries what TLS 1.3 moved into EncryptedExtensions). */
typedef enum pl_ext_msg {
    PL_EXT_IN_CH = 1u << 0,   /* ClientHello (any version) */
    PL_EXT_IN_SH = 1u << 1,   /* TLS 1.3 ServerHello */
    PL_EXT_IN_HRR = 1u << 2,  /* HelloRetryRequest */
    PL_EXT_IN_EE = 1u << 3,   /* EncryptedExtensions */
    PL_EXT_IN_CT = 1u << 4,   /* a TLS 1.3 CertificateEntry */
    PL_EXT_IN_CR = 1u << 5,   /* TLS 1.3 CertificateRequest */
    PL_EXT_IN_NST = 1u << 6,  /* TLS 1.3 NewSessionTicket */
    PL_EXT_IN_SH12 = 1u << 7, /* TLS 1.2 ServerHello */
} pl_ext_msg;

/* The RFC name of a message context ("ClientHello", "HelloRetryRequest", ...). Never NULL. */
const char *pl_ext_msg_name(pl_ext_msg msg);

/* psk_key_exchange_modes values (RFC 8446 §4.2.9). */
enum { PL_PSK_KE = 0, PL_PSK_DHE_KE = 1 };

/* The parsed value of every extension padlock knows, for one extension block. Byte fields
 * point into the parsed buffer (they live as long as it does); lists are the encoded list
 * body without its length prefix, already validated, read with the iterators below (iterate
 * over a copy of the cursor). A field is meaningful only when its extension is present
 * (pl_exts_has). The same struct is the input of pl_exts_build, with fields in the same form. */
typedef struct pl_exts {
    pl_cur raw;       /* the whole block as received (parse only), for inspection */
    uint32_t present; /* one bit per known extension present (pl_ext_bit) */

    pl_cur server_name;           /* CH: the HostName; EE, SH12: empty */
    pl_cur supported_groups;      /* NamedGroup list (u16) */
    pl_cur sig_algs;              /* signature_algorithms: SignatureScheme list (u16) */
    pl_cur sig_algs_cert;         /* signature_algorithms_cert: SignatureScheme list (u16) */
    pl_cur versions;              /* CH: supported_versions ProtocolVersion list (u16) */
    pl_cur key_shares;            /* CH: KeyShareEntry list, no two entries for one group */
    pl_cur key_exchange;          /* SH: server_share.key_exchange */
    pl_cur alpn;                  /* CH: ProtocolNameList body; EE, SH12: the selected name */
    pl_cur psk_modes;             /* CH: PskKeyExchangeMode list (u8) */
    pl_cur psk_identities;        /* CH: PskIdentity list (pl_ext_psk_identity_next) */
    pl_cur psk_binders;           /* CH: PskBinderEntry list (pl_ext_psk_binder_next) */
    pl_cur cookie;                /* CH, HRR */
    pl_cur renegotiation_info;    /* renegotiated_connection (RFC 5746 §3.2) */
    pl_cur session_ticket;        /* CH: the ticket (may be empty); SH12: empty */
    pl_cur ec_point_formats;      /* ECPointFormat list (u8), contains uncompressed(0) */
    uint32_t max_early_data_size; /* NST: early_data */
    uint16_t selected_version;    /* SH, HRR: supported_versions (0x0304 or later) */
    uint16_t key_share_group;     /* SH: server_share.group; HRR: selected_group */
    uint16_t psk_selected;        /* SH: pre_shared_key selected_identity */
    uint16_t psk_count;           /* CH: number of identities (= number of binders) */
    uint16_t record_size_limit;   /* RecordSizeLimit, at least 64 */
} pl_exts;

/* The presence bit of a known ExtensionType, 0 for an unknown one. */
uint32_t pl_ext_bit(uint16_t id);

/* The union of pl_ext_bit over ids[0..num): e.g. what a client offered, from the order list
 * it built its ClientHello with. */
uint32_t pl_ext_mask(const uint16_t *ids, size_t num);

/* 1 if extension id was present in the parsed block (or is to be built), else 0. */
int pl_exts_has(const pl_exts *e, uint16_t id);

/* The RFC name of a known ExtensionType ("key_share"), or NULL for an unknown one. */
const char *pl_ext_name(uint16_t id);

/* Parses the body of an extensions<..> vector (block[0..len), without its length prefix) that
 * appeared in message msg, into *out (cleared first; byte fields point into block). Applies
 * every RFC 8446 §4.2 rule in one place:
 *   - no extension type twice in one block (illegal_parameter);
 *   - a known extension not allowed in msg by the §4.2 table (illegal_parameter);
 *   - unknown extensions are ignored in CH, CR and NST;
 *   - in SH, HRR, EE, CT and SH12 an extension whose bit is not in offered (what our
 *     ClientHello / CertificateRequest requested; cookie in HRR excepted) is refused with
 *     PADLOCK_E_UNSUPPORTED_EXTENSION, unknown ones included;
 *   - pre_shared_key must be the last extension of a ClientHello (illegal_parameter);
 *   - each extension's own rules (PADLOCK_E_DECODE for malformed bodies, ILLEGAL_PARAMETER for
 *     forbidden values), what its absence means (PADLOCK_E_MISSING_EXTENSION) and the rules
 *     between extensions of one block (e.g. key shares only for offered groups).
 * offered is ignored for CH, CR and NST. On failure err receives a detail naming the message,
 * the extension and the rule (first error wins); *out is then unspecified. */
PL_NODISCARD padlock_err pl_exts_parse(pl_exts *out, pl_ext_msg msg, const uint8_t *block,
                                       size_t len, uint32_t offered, pl_errinfo *err);

/* Writes a whole extensions<0..2^16-1> vector (its 2-byte length included) for message msg:
 * the extensions ids[0..num) in that order, each from its field in *in (in->present is not
 * consulted). PADLOCK_E_INVALID_ARGUMENT if an id is unknown, repeated, not allowed in msg,
 * or pre_shared_key is not last in a ClientHello; PADLOCK_E_BUFFER_TOO_SMALL or
 * PADLOCK_E_ENCODE_OVERFLOW if it does not fit. */
PL_NODISCARD padlock_err pl_exts_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in,
                                       const uint16_t *ids, size_t num);

/* Finds extension id in an extensions block body without interpreting it: *out_found is 1 and
 * *out_body its extension_data when present. PADLOCK_E_DECODE if the block's framing is
 * malformed. Used to decide a message's context (e.g. TLS 1.2 vs 1.3 ServerHello) before the
 * full parse. */
PL_NODISCARD padlock_err pl_exts_find(const uint8_t *block, size_t len, uint16_t id, int *out_found,
                                      pl_cur *out_body);

/* Lists the ExtensionType of every extension in a parsed block, known or not, in wire order:
 * ids[0..*out_num). PADLOCK_E_BUFFER_TOO_SMALL if there are more than cap. With it, a parsed
 * message can be rebuilt in its original order. */
PL_NODISCARD padlock_err pl_exts_ids(const pl_exts *e, uint16_t *ids, size_t cap, size_t *out_num);

/* Records code in err with a printf-style detail (the first error of err wins) and returns
 * code. Every codec rule in src/ext and src/msg reports its failure through this, naming the
 * message and the field at fault. */
padlock_err pl_ext_fail(pl_errinfo *err, padlock_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- Iterators over validated lists (each returns 1 with the next item, 0 at the end) ---- */

/* Next u16 of a u16 list (groups, signature schemes, versions, cipher suites). */
int pl_ext_u16_next(pl_cur *it, uint16_t *out);
/* 1 if the u16 list contains v. GREASE and other unknown values never match a real one. */
int pl_ext_u16_contains(pl_cur list, uint16_t v);
/* 1 if the u8 list (psk_modes, ec_point_formats) contains v. */
int pl_ext_u8_contains(pl_cur list, uint8_t v);

/* Next KeyShareEntry of a ClientHello key_shares list: its group and key_exchange (which
 * points into the list). */
int pl_ext_key_share_next(pl_cur *it, uint16_t *out_group, pl_cur *out_key_exchange);
/* The key_exchange offered for group in a key_shares list: 1 if found, else 0. */
int pl_ext_key_share_find(pl_cur list, uint16_t group, pl_cur *out_key_exchange);

/* Next ProtocolName of a ClientHello ALPN list. */
int pl_ext_alpn_next(pl_cur *it, pl_cur *out_name);

/* Next PskIdentity of a ClientHello's psk_identities: identity and obfuscated_ticket_age. */
int pl_ext_psk_identity_next(pl_cur *it, pl_cur *out_identity, uint32_t *out_age);
/* Next PskBinderEntry of a ClientHello's psk_binders, in the order of the identities. */
int pl_ext_psk_binder_next(pl_cur *it, pl_cur *out_binder);

/* ---- Writers for list entries (to prepare the list fields of pl_exts for building) -------- */

/* Writes vals[0..num) as big-endian u16s (no length prefix). */
PL_NODISCARD padlock_err pl_ext_u16_list_write(pl_buf *b, const uint16_t *vals, size_t num);
/* Writes one KeyShareEntry: group and key_exchange<1..2^16-1>. */
PL_NODISCARD padlock_err pl_ext_key_share_entry_write(pl_buf *b, uint16_t group,
                                                      const uint8_t *key_exchange, size_t len);
/* Writes one ProtocolName<1..2^8-1>. */
PL_NODISCARD padlock_err pl_ext_alpn_name_write(pl_buf *b, const uint8_t *name, size_t len);
/* Writes one PskIdentity: identity<1..2^16-1> and obfuscated_ticket_age. */
PL_NODISCARD padlock_err pl_ext_psk_identity_write(pl_buf *b, const uint8_t *identity, size_t len,
                                                   uint32_t obfuscated_age);
/* Writes one PskBinderEntry<32..255>. */
PL_NODISCARD padlock_err pl_ext_psk_binder_write(pl_buf *b, const uint8_t *binder, size_t len);

/* ---- server_name helpers ------------------------------------------------------------------ */

/* The longest HostName padlock sends or accepts in server_name: a DNS name's 253 bytes in text
 * form without the trailing dot (RFC 1035 §2.3.4: 255 octets in wire form). */
#define PL_EXT_SNI_HOST_MAX 253

/* 1 if name[0..len) is a HostName RFC 6066 §3 permits: an ASCII DNS hostname (labels of
 * letters, digits, '-' and '_', 1..63 bytes, not starting or ending with '-'; at most
 * PL_EXT_SNI_HOST_MAX bytes), no trailing dot, and not an IPv4 or IPv6 literal. A client uses
 * this to decide whether to send server_name at all (an IP address is not sent). */
int pl_ext_sni_host_valid(const uint8_t *name, size_t len);

#endif
