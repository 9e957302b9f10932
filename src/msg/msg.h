/* TLS handshake messages (RFC 8446 §4, RFC 5246 §7.4): handshake types, the 4-byte handshake
 * header, and per message a struct, a parser and a builder (src/msg/<message>.c).
 *
 * Parsers take a message body (after the header) and validate it completely before returning:
 * PADLOCK_E_DECODE for malformed lengths or trailing bytes, PADLOCK_E_ILLEGAL_PARAMETER for
 * well-formed but forbidden values, and the extension errors of pl_exts_parse. Byte fields of
 * the result point into the body, which must outlive the struct. On failure err receives a
 * detail naming the message and field (first error wins) and the struct is unspecified.
 * Builders write the whole message, header included, through a pl_buf; on failure the builder
 * holds a partial message that the caller discards. */
#ifndef PL_MSG_MSG_H
#define PL_MSG_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "ext/ext.h"
#include "util/err.h"
#include "wire/buf.h"
#include "wire/cur.h"

/* HandshakeType (RFC 8446 §4, RFC 5246 §7.4). */
enum {
    PL_HS_HELLO_REQUEST = 0,
    PL_HS_CLIENT_HELLO = 1,
    PL_HS_SERVER_HELLO = 2,
    PL_HS_NEW_SESSION_TICKET = 4,
    PL_HS_END_OF_EARLY_DATA = 5,
    PL_HS_ENCRYPTED_EXTENSIONS = 8,
    PL_HS_CERTIFICATE = 11,
    PL_HS_SERVER_KEY_EXCHANGE = 12,
    PL_HS_CERTIFICATE_REQUEST = 13,
    PL_HS_SERVER_HELLO_DONE = 14,
    PL_HS_CERTIFICATE_VERIFY = 15,
    PL_HS_CLIENT_KEY_EXCHANGE = 16,
    PL_HS_FINISHED = 20,
    PL_HS_KEY_UPDATE = 24,
    PL_HS_MESSAGE_HASH = 254,
};

#define PL_HS_HEADER_LEN 4 /* msg_type (1) + length (3) */
#define PL_RANDOM_LEN 32
#define PL_SESSION_ID_MAX 32

/* Which side of a connection: CertificateVerify contexts differ by signer (RFC 8446 §4.4.3). */
typedef enum pl_role {
    PL_ROLE_CLIENT = 0,
    PL_ROLE_SERVER = 1,
} pl_role;

/* ---- Handshake header (RFC 8446 §4) --------------------------------------------------------- */

/* Reads one handshake message from c: its type and its body as a sub-cursor; c advances past
 * it. PADLOCK_E_DECODE (c unchanged) if c holds less than the whole message. */
PL_NODISCARD padlock_err pl_msg_read(pl_cur *c, uint8_t *out_type, pl_cur *out_body);

/* Starts a handshake message of the given type: writes the type and a 3-byte length that
 * pl_msg_end back-fills once the body is written. */
PL_NODISCARD padlock_err pl_msg_begin(pl_buf *b, uint8_t type, pl_buf_vec *out);
/* Ends the message started with pl_msg_begin: back-fills its length. */
PL_NODISCARD padlock_err pl_msg_end(pl_buf *b, const pl_buf_vec *v);

/* ---- ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2) ---------------------------------------- */

typedef struct pl_client_hello {
    uint16_t legacy_version;
    const uint8_t *random;      /* PL_RANDOM_LEN bytes */
    pl_cur session_id;          /* legacy_session_id<0..32> */
    pl_cur cipher_suites;       /* CipherSuite list (u16), read with pl_ext_u16_next */
    pl_cur compression_methods; /* legacy_compression_methods, which contain null (0) */
    uint8_t has_extensions;     /* 0: a pre-extensions hello, legal below TLS 1.3 only */
    pl_exts exts;
} pl_client_hello;

/* Parses a ClientHello body. Beyond the field and extension rules, a ClientHello that offers
 * TLS 1.3 (0x0304 in supported_versions) must meet RFC 8446 §4.1.2 (compression methods
 * exactly {null}: ILLEGAL_PARAMETER) and §9.2 (signature_algorithms and supported_groups
 * unless pre_shared_key; supported_groups and key_share together: MISSING_EXTENSION). */
PL_NODISCARD padlock_err pl_client_hello_parse(pl_client_hello *out, const uint8_t *body,
                                               size_t len, pl_errinfo *err);

/* Writes a ClientHello from *in with the extensions ext_ids[0..num_ext) in that order (see
 * pl_exts_build); in->has_extensions = 0 omits the extensions block (num_ext must be 0). */
PL_NODISCARD padlock_err pl_client_hello_build(pl_buf *b, const pl_client_hello *in,
                                               const uint16_t *ext_ids, size_t num_ext);

/* The number of bytes at the end of a ClientHello taken by the pre_shared_key binders list
 * (its 2-byte length included), 0 when exts.psk_binders is empty (no pre_shared_key). The
 * message minus these bytes is the partial ClientHello the binders are computed over
 * (RFC 8446 §4.2.11.2); a client builds with placeholder binders of the right lengths, then
 * overwrites this tail. Works on a parsed ClientHello and on the build input alike. */
size_t pl_client_hello_binders_len(const pl_client_hello *ch);

/* ---- ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4, RFC 5246 §7.4.1.3) ---------- */

/* SHA-256("HelloRetryRequest"): the random that makes a ServerHello a HelloRetryRequest. */
extern const uint8_t pl_hrr_random[PL_RANDOM_LEN];

typedef struct pl_server_hello {
    /* PL_EXT_IN_HRR (random is pl_hrr_random), PL_EXT_IN_SH (TLS 1.3: supported_versions
     * present) or PL_EXT_IN_SH12 (TLS 1.2 and below): decided the same way by parse and build. */
    pl_ext_msg kind;
    uint16_t legacy_version;
    const uint8_t *random; /* PL_RANDOM_LEN bytes */
    pl_cur session_id;     /* legacy_session_id_echo<0..32> */
    uint16_t cipher_suite;
    uint8_t has_extensions; /* 0: no extensions block (TLS 1.2 and below only) */
    pl_exts exts;
} pl_server_hello;

/* Parses a ServerHello or HelloRetryRequest body. offered: pl_ext_mask of the extensions our
 * ClientHello sent; any other extension is refused with PADLOCK_E_UNSUPPORTED_EXTENSION.
 * legacy_compression_method must be 0 (ILLEGAL_PARAMETER). Whether the version, cipher suite,
 * session id echo, group and PSK index match what was offered is the client's check. */
PL_NODISCARD padlock_err pl_server_hello_parse(pl_server_hello *out, const uint8_t *body,
                                               size_t len, uint32_t offered, pl_errinfo *err);

/* Reads only the fields that tell the protocol versions apart (legacy_version, random, session
 * id, cipher suite, kind) and checks the extensions block's framing, leaving the extensions
 * themselves unjudged (out->exts is empty): a TLS 1.3-only client refuses a TLS 1.2 ServerHello
 * with protocol_version before any TLS 1.2 extension rule could speak first. Errors as
 * pl_server_hello_parse for those fields. */
PL_NODISCARD padlock_err pl_server_hello_peek(pl_server_hello *out, const uint8_t *body, size_t len,
                                              pl_errinfo *err);

/* Writes a ServerHello (kind derived from in->random and ext_ids as the parser does; in->kind
 * is not consulted) with the extensions ext_ids[0..num_ext) in that order. */
PL_NODISCARD padlock_err pl_server_hello_build(pl_buf *b, const pl_server_hello *in,
                                               const uint16_t *ext_ids, size_t num_ext);

/* The downgrade sentinels of RFC 8446 §4.1.3 in the last 8 bytes of ServerHello.random. */
typedef enum pl_downgrade {
    PL_DOWNGRADE_NONE = 0,
    PL_DOWNGRADE_TLS12 = 1, /* 44 4F 57 4E 47 52 44 01: server negotiated TLS 1.2 */
    PL_DOWNGRADE_TLS11 = 2, /* 44 4F 57 4E 47 52 44 00: server negotiated TLS 1.1 or below */
} pl_downgrade;

/* Which sentinel, if any, random (PL_RANDOM_LEN bytes) ends with. */
pl_downgrade pl_server_hello_downgrade(const uint8_t *random);

/* Overwrites the last 8 bytes of random with the sentinel for which (NONE leaves it as is). */
void pl_server_hello_set_downgrade(uint8_t *random, pl_downgrade which);

/* ---- EncryptedExtensions (RFC 8446 §4.3.1) -------------------------------------------------- */

/* Parses an EncryptedExtensions body into *out. offered as for pl_server_hello_parse. */
PL_NODISCARD padlock_err pl_encrypted_extensions_parse(pl_exts *out, const uint8_t *body,
                                                       size_t len, uint32_t offered,
                                                       pl_errinfo *err);

/* Writes an EncryptedExtensions message with the extensions ext_ids[0..num_ext) of *in. */
PL_NODISCARD padlock_err pl_encrypted_extensions_build(pl_buf *b, const pl_exts *in,
                                                       const uint16_t *ext_ids, size_t num_ext);

/* ---- Certificate (RFC 8446 §4.4.2; RFC 5246 §7.4.2) ------------------------------------------ */

typedef struct pl_certificate {
    pl_cur context;       /* certificate_request_context (TLS 1.3; empty in TLS 1.2) */
    pl_cur entries;       /* certificate_list body; read with pl_certificate_next */
    uint32_t num_entries; /* 0 is well-formed; whether it is acceptable depends on the role */
    uint8_t tls12;        /* 1: the TLS 1.2 form, a plain list of certificates */
} pl_certificate;

typedef struct pl_cert_entry {
    pl_cur cert_data;  /* the DER certificate */
    pl_cur extensions; /* TLS 1.3: the entry's extensions block body (validated); else empty */
} pl_cert_entry;

/* Parses a TLS 1.3 Certificate body. Each entry's extensions are checked with pl_exts_parse
 * against offered (what our ClientHello or CertificateRequest requested). The receiver decides
 * what an empty list means (RFC 8446 §4.4.2.4: a server's is a decode_error). */
PL_NODISCARD padlock_err pl_certificate_parse(pl_certificate *out, const uint8_t *body, size_t len,
                                              uint32_t offered, pl_errinfo *err);

/* Parses a TLS 1.2 Certificate body: ASN.1Cert certificate_list<0..2^24-1>. */
PL_NODISCARD padlock_err pl_certificate_parse_tls12(pl_certificate *out, const uint8_t *body,
                                                    size_t len, pl_errinfo *err);

/* The next entry of c's list; *it starts as a copy of c->entries. 1 with an entry, 0 at end. */
int pl_certificate_next(const pl_certificate *c, pl_cur *it, pl_cert_entry *out);

/* Appends one entry to a certificate_list body being prepared for in->entries: the DER
 * certificate and, for TLS 1.3, the entry's extensions block body (empty: no extensions). */
PL_NODISCARD padlock_err pl_cert_entry_write(pl_buf *b, int tls12, const uint8_t *der,
                                             size_t der_len, pl_cur extensions);

/* Writes a Certificate message from in (context, entries, tls12; num_entries not consulted). */
PL_NODISCARD padlock_err pl_certificate_build(pl_buf *b, const pl_certificate *in);

/* ---- CertificateRequest (RFC 8446 §4.3.2) --------------------------------------------------- */

typedef struct pl_certificate_request {
    pl_cur context; /* certificate_request_context<0..2^8-1> */
    pl_exts exts;   /* signature_algorithms present (enforced) */
} pl_certificate_request;

/* Parses a TLS 1.3 CertificateRequest body: unknown extensions are ignored (RFC 8446 §4.3.2),
 * signature_algorithms must be present (PADLOCK_E_MISSING_EXTENSION). */
PL_NODISCARD padlock_err pl_certificate_request_parse(pl_certificate_request *out,
                                                      const uint8_t *body, size_t len,
                                                      pl_errinfo *err);

/* Writes a CertificateRequest: in->context and the extensions ext_ids[0..num_ext). */
PL_NODISCARD padlock_err pl_certificate_request_build(pl_buf *b, const pl_certificate_request *in,
                                                      const uint16_t *ext_ids, size_t num_ext);

/* ---- CertificateVerify (RFC 8446 §4.4.3) ---------------------------------------------------- */

typedef struct pl_certificate_verify {
    uint16_t scheme;  /* SignatureScheme; whether it was offered is the receiver's check */
    pl_cur signature; /* signature<0..2^16-1> */
} pl_certificate_verify;

/* Parses a CertificateVerify body. Checking the signature is the receiver's (with
 * pl_certificate_verify_content and the peer's key). */
PL_NODISCARD padlock_err pl_certificate_verify_parse(pl_certificate_verify *out,
                                                     const uint8_t *body, size_t len,
                                                     pl_errinfo *err);

/* Writes a CertificateVerify message: in->scheme and in->signature. */
PL_NODISCARD padlock_err pl_certificate_verify_build(pl_buf *b, const pl_certificate_verify *in);

/* The longest content pl_certificate_verify_content writes. */
#define PL_CV_CONTENT_MAX (64 + 33 + 1 + PL_HASH_MAX_LEN)

/* Writes what a CertificateVerify signature covers (RFC 8446 §4.4.3): 64 spaces, the context
 * string of signer ("TLS 1.3, server CertificateVerify" or "... client ..."), a 0 byte, and
 * the transcript hash (hash_len bytes, at most PL_HASH_MAX_LEN). */
PL_NODISCARD padlock_err pl_certificate_verify_content(pl_buf *b, pl_role signer,
                                                       const uint8_t *transcript_hash,
                                                       size_t hash_len);

/* ---- Finished (RFC 8446 §4.4.4; RFC 5246 §7.4.9) -------------------------------------------- */

/* Parses a Finished body, which must be exactly verify_len bytes (the hash length in TLS 1.3,
 * 12 in TLS 1.2): *out_verify_data points at them. */
PL_NODISCARD padlock_err pl_finished_parse(const uint8_t **out_verify_data, const uint8_t *body,
                                           size_t len, size_t verify_len, pl_errinfo *err);

/* Parses a Finished body and compares it in constant time with the expected verify_data:
 * PADLOCK_E_DECRYPT_ERROR if it differs (RFC 8446 §4.4.4), PADLOCK_E_DECODE if its length is
 * not expected_len. */
PL_NODISCARD padlock_err pl_finished_verify(const uint8_t *body, size_t len,
                                            const uint8_t *expected, size_t expected_len,
                                            pl_errinfo *err);

/* Writes a Finished message carrying verify_data[0..len). */
PL_NODISCARD padlock_err pl_finished_build(pl_buf *b, const uint8_t *verify_data, size_t len);

/* ---- NewSessionTicket (RFC 8446 §4.6.1) ----------------------------------------------------- */

#define PL_TICKET_LIFETIME_MAX 604800 /* seconds: 7 days */

typedef struct pl_new_session_ticket {
    uint32_t lifetime; /* seconds, at most PL_TICKET_LIFETIME_MAX; 0: discard at once */
    uint32_t age_add;
    pl_cur nonce;  /* ticket_nonce<0..255> */
    pl_cur ticket; /* ticket<1..2^16-1> */
    pl_exts exts;  /* early_data carries max_early_data_size */
} pl_new_session_ticket;

/* Parses a TLS 1.3 NewSessionTicket body: a lifetime above 7 days is ILLEGAL_PARAMETER
 * (RFC 8446 §4.6.1), unknown extensions are ignored. */
PL_NODISCARD padlock_err pl_new_session_ticket_parse(pl_new_session_ticket *out,
                                                     const uint8_t *body, size_t len,
                                                     pl_errinfo *err);

/* Writes a NewSessionTicket from *in with the extensions ext_ids[0..num_ext);
 * PADLOCK_E_INVALID_ARGUMENT for a lifetime above 7 days or an empty ticket. */
PL_NODISCARD padlock_err pl_new_session_ticket_build(pl_buf *b, const pl_new_session_ticket *in,
                                                     const uint16_t *ext_ids, size_t num_ext);

/* ---- KeyUpdate (RFC 8446 §4.6.3) ------------------------------------------------------------ */

enum { PL_KEY_UPDATE_NOT_REQUESTED = 0, PL_KEY_UPDATE_REQUESTED = 1 };

/* Parses a KeyUpdate body: *out_request_update is 0 or 1; any other value is
 * PADLOCK_E_ILLEGAL_PARAMETER. */
PL_NODISCARD padlock_err pl_key_update_parse(uint8_t *out_request_update, const uint8_t *body,
                                             size_t len, pl_errinfo *err);

/* Writes a KeyUpdate message; request_update must be 0 or 1 (else INVALID_ARGUMENT). */
PL_NODISCARD padlock_err pl_key_update_build(pl_buf *b, uint8_t request_update);

/* ---- TLS 1.2 messages ----------------------------------------------------------------------- */

/* CertificateRequest, TLS 1.2 form (RFC 5246 §7.4.4). */
enum { PL_CERT_TYPE_RSA_SIGN = 1, PL_CERT_TYPE_ECDSA_SIGN = 64 }; /* RFC 8422 §5.5 */

typedef struct pl_certificate_request12 {
    pl_cur cert_types;  /* ClientCertificateType list (u8) */
    pl_cur sig_algs;    /* supported_signature_algorithms: SignatureScheme list (u16) */
    pl_cur authorities; /* certificate_authorities body: DistinguishedName<1..2^16-1> entries */
} pl_certificate_request12;

/* Parses a TLS 1.2 CertificateRequest body (every length checked, the names' DER not read). */
PL_NODISCARD padlock_err pl_certificate_request12_parse(pl_certificate_request12 *out,
                                                        const uint8_t *body, size_t len,
                                                        pl_errinfo *err);

/* Writes a TLS 1.2 CertificateRequest (at least one type, at least one scheme). */
PL_NODISCARD padlock_err pl_certificate_request12_build(pl_buf *b,
                                                        const pl_certificate_request12 *in);

/* ServerKeyExchange for ECDHE (RFC 8422 §5.4): ServerECDHParams (named curves only: another
 * curve type is ILLEGAL_PARAMETER) and the signature. */
typedef struct pl_server_key_exchange {
    uint16_t group;   /* NamedCurve */
    pl_cur point;     /* ECPoint public<1..2^8-1>: the server's share */
    pl_cur params;    /* the ServerECDHParams bytes as received (what the signature covers) */
    uint16_t scheme;  /* SignatureAndHashAlgorithm, the TLS 1.3 SignatureScheme codes */
    pl_cur signature; /* signature<0..2^16-1> */
} pl_server_key_exchange;

/* Parses a ServerKeyExchange body; *out points into it. */
PL_NODISCARD padlock_err pl_server_key_exchange_parse(pl_server_key_exchange *out,
                                                      const uint8_t *body, size_t len,
                                                      pl_errinfo *err);

/* Writes ServerECDHParams (named_curve, group, point) alone: the bytes to sign. */
PL_NODISCARD padlock_err pl_server_key_exchange_params(pl_buf *b, uint16_t group,
                                                       const uint8_t *point, size_t point_len);

/* Writes what the ServerKeyExchange signature covers (RFC 8422 §5.4): both randoms
 * (PL_RANDOM_LEN bytes each) and the ServerECDHParams bytes. */
PL_NODISCARD padlock_err pl_server_key_exchange_signed(pl_buf *b, const uint8_t *client_random,
                                                       const uint8_t *server_random,
                                                       pl_cur params);

/* Writes a ServerKeyExchange from in (group, point, scheme, signature; params not consulted). */
PL_NODISCARD padlock_err pl_server_key_exchange_build(pl_buf *b, const pl_server_key_exchange *in);

/* ServerHelloDone (RFC 5246 §7.4.5) and HelloRequest (§7.4.1.1): empty bodies; a body of len
 * bytes other than 0 is PADLOCK_E_DECODE. */
PL_NODISCARD padlock_err pl_server_hello_done_parse(size_t len, pl_errinfo *err);
PL_NODISCARD padlock_err pl_server_hello_done_build(pl_buf *b);
PL_NODISCARD padlock_err pl_hello_request_parse(size_t len, pl_errinfo *err);
PL_NODISCARD padlock_err pl_hello_request_build(pl_buf *b);

/* ClientKeyExchange (RFC 5246 §7.4.7): the client's ECDH point (RFC 8422 §5.7,
 * <1..2^8-1>) or the RSA-encrypted pre-master secret (§7.4.7.1, <0..2^16-1>). *out points into
 * the body. */
PL_NODISCARD padlock_err pl_client_key_exchange_parse_ecdhe(pl_cur *out_point, const uint8_t *body,
                                                            size_t len, pl_errinfo *err);
PL_NODISCARD padlock_err pl_client_key_exchange_parse_rsa(pl_cur *out_ciphertext,
                                                          const uint8_t *body, size_t len,
                                                          pl_errinfo *err);
PL_NODISCARD padlock_err pl_client_key_exchange_build_ecdhe(pl_buf *b, const uint8_t *point,
                                                            size_t len);
PL_NODISCARD padlock_err pl_client_key_exchange_build_rsa(pl_buf *b, const uint8_t *ciphertext,
                                                          size_t len);

/* NewSessionTicket, TLS 1.2 form (RFC 5077 §3.3). */
typedef struct pl_new_session_ticket12 {
    uint32_t lifetime_hint; /* seconds; 0: unspecified */
    pl_cur ticket;          /* ticket<0..2^16-1>; empty: the server issues none after all */
} pl_new_session_ticket12;

/* Parses a TLS 1.2 NewSessionTicket body; out->ticket points into it. */
PL_NODISCARD padlock_err pl_new_session_ticket12_parse(pl_new_session_ticket12 *out,
                                                       const uint8_t *body, size_t len,
                                                       pl_errinfo *err);
/* Writes a TLS 1.2 NewSessionTicket. */
PL_NODISCARD padlock_err pl_new_session_ticket12_build(pl_buf *b,
                                                       const pl_new_session_ticket12 *in);

/* ---- Shared by the message files ------------------------------------------------------------ */

/* The optional extensions block that ends a hello (RFC 5246 §7.4.1.2, §7.4.1.3; RFC 8446
 * §4.1.2): *out_has is 1 when bytes follow in c, which must then be exactly one extensions
 * vector (its body in *out_block); else *out_block is empty. msg_name names the message in
 * the error detail. */
PL_NODISCARD padlock_err pl_msg_hello_extensions(pl_cur *c, const char *msg_name, uint8_t *out_has,
                                                 pl_cur *out_block, pl_errinfo *err);

/* Returns rc; when it is an error, gives err the generic detail "<msg_name>: <message of rc>"
 * unless a more precise one was recorded first. */
padlock_err pl_msg_result(padlock_err rc, const char *msg_name, pl_errinfo *err);

#endif
