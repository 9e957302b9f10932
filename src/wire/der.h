/* Strict DER (ITU-T X.690 §10) on the read cursor and on the builder: identifier octets with
 * class and constructed checks, definite minimal lengths, no BER forms, and the primitive
 * types X.509 uses (RFC 5280 §4.1), including its time rules (RFC 5280 §4.1.2.5). Every reader
 * either consumes one whole element or fails with PADLOCK_E_DER and leaves the cursor
 * unchanged; byte results point into the input (zero-copy). Every writer emits DER only. */
#ifndef PL_WIRE_DER_H
#define PL_WIRE_DER_H

#include <stddef.h>
#include <stdint.h>

#include "wire/buf.h"
#include "wire/cur.h"

/* A byte range inside someone else's buffer. */
typedef struct pl_span {
    const uint8_t *p;
    size_t len;
} pl_span;

/* 1 if a and b hold the same bytes. */
int pl_span_equal(pl_span a, pl_span b);

/* An identifier: class (top two bits), constructed flag, tag number (low 29 bits). */
typedef uint32_t pl_der_tag;

#define PL_DER_UNIVERSAL 0x00000000u
#define PL_DER_APPLICATION 0x40000000u
#define PL_DER_CONTEXT 0x80000000u
#define PL_DER_PRIVATE 0xc0000000u
#define PL_DER_CLASS_MASK 0xc0000000u
#define PL_DER_CONSTRUCTED 0x20000000u
#define PL_DER_NUMBER_MASK 0x1fffffffu
/* Tag numbers above this are refused (X.509 uses none above 30). */
#define PL_DER_MAX_TAG_NUMBER 0x1fffffu

#define PL_DER_BOOLEAN 1u
#define PL_DER_INTEGER 2u
#define PL_DER_BIT_STRING 3u
#define PL_DER_OCTET_STRING 4u
#define PL_DER_NULL 5u
#define PL_DER_OID 6u
#define PL_DER_ENUMERATED 10u
#define PL_DER_UTF8_STRING 12u
#define PL_DER_SEQUENCE (PL_DER_CONSTRUCTED | 16u)
#define PL_DER_SET (PL_DER_CONSTRUCTED | 17u)
#define PL_DER_NUMERIC_STRING 18u
#define PL_DER_PRINTABLE_STRING 19u
#define PL_DER_TELETEX_STRING 20u
#define PL_DER_IA5_STRING 22u
#define PL_DER_UTC_TIME 23u
#define PL_DER_GENERALIZED_TIME 24u
#define PL_DER_VISIBLE_STRING 26u
#define PL_DER_UNIVERSAL_STRING 28u
#define PL_DER_BMP_STRING 30u

/* Context-specific [n], primitive (IMPLICIT of a primitive type) or constructed (EXPLICIT,
 * or IMPLICIT of a SEQUENCE). */
#define PL_DER_CTX(n) (PL_DER_CONTEXT | (uint32_t)(n))
#define PL_DER_CTX_CONS(n) (PL_DER_CONTEXT | PL_DER_CONSTRUCTED | (uint32_t)(n))

/* Reads the next element whatever its tag. *out_tag gets its identifier, *out_value a cursor
 * over its contents; out_tlv (may be NULL) spans the whole encoding (identifier, length,
 * contents), e.g. the signed bytes of a TBSCertificate. */
PL_NODISCARD padlock_err pl_der_next(pl_cur *c, pl_der_tag *out_tag, pl_cur *out_value,
                                     pl_span *out_tlv);

/* The identifier of the next element without consuming it; PADLOCK_E_DER when the cursor is
 * empty or the identifier is malformed. */
PL_NODISCARD padlock_err pl_der_peek(const pl_cur *c, pl_der_tag *out_tag);

/* 1 if the next element exists and has this tag (for OPTIONAL and DEFAULT fields). */
int pl_der_next_is(const pl_cur *c, pl_der_tag tag);

/* Reads the next element, which must carry tag; out_value and out_tlv as in pl_der_next
 * (out_tlv may be NULL). */
PL_NODISCARD padlock_err pl_der_expect(pl_cur *c, pl_der_tag tag, pl_cur *out_value,
                                       pl_span *out_tlv);

/* An OPTIONAL element: when the next element has tag it is read into *out_value and
 * *out_present is 1; otherwise nothing is consumed and *out_present is 0. */
PL_NODISCARD padlock_err pl_der_optional(pl_cur *c, pl_der_tag tag, pl_cur *out_value,
                                         int *out_present);

/* PADLOCK_OK when c is fully consumed, else PADLOCK_E_DER (trailing data inside an element). */
PL_NODISCARD padlock_err pl_der_done(const pl_cur *c);

/* BOOLEAN: exactly one content octet, 0x00 (FALSE) or 0xFF (TRUE) (X.690 §11.1). */
PL_NODISCARD padlock_err pl_der_boolean(pl_cur *c, int *out);

/* INTEGER (or an IMPLICIT tag of it) in minimal two's complement (X.690 §8.3.2): *out gets the
 * content octets, sign included. */
PL_NODISCARD padlock_err pl_der_integer(pl_cur *c, pl_der_tag tag, pl_span *out);

/* A non-negative INTEGER: *out gets its magnitude without the sign octet (empty for zero).
 * Negative values fail with PADLOCK_E_DER. */
PL_NODISCARD padlock_err pl_der_unsigned(pl_cur *c, pl_der_tag tag, pl_span *out);

/* A non-negative INTEGER no larger than max. */
PL_NODISCARD padlock_err pl_der_small_uint(pl_cur *c, pl_der_tag tag, uint64_t max, uint64_t *out);

/* OBJECT IDENTIFIER: non-empty, every sub-identifier minimally encoded (X.690 §8.19.2), the
 * last octet complete. *out gets the content octets, the form compared with PL_OID constants. */
PL_NODISCARD padlock_err pl_der_oid(pl_cur *c, pl_span *out);

/* 1 if s is valid OID content octets (the rules of pl_der_oid), else 0. */
int pl_der_oid_valid(pl_span s);

/* Writes the dotted form of an OID's content octets ("2.5.29.17") into out (cap bytes, NUL
 * terminated). PADLOCK_E_BUFFER_TOO_SMALL if it does not fit, PADLOCK_E_DER if an arc does not
 * fit 64 bits or the encoding is invalid. */
PL_NODISCARD padlock_err pl_der_oid_text(pl_span oid, char *out, size_t cap);

/* BIT STRING (X.690 §11.2): *out gets the bit octets, *out_unused the count (0..7) of unused
 * trailing bits, which must be zero; an empty string has no unused bits. */
PL_NODISCARD padlock_err pl_der_bit_string(pl_cur *c, pl_der_tag tag, pl_span *out,
                                           uint8_t *out_unused);

/* A BIT STRING that carries whole octets (keys, signatures): unused bits must be 0. */
PL_NODISCARD padlock_err pl_der_bit_octets(pl_cur *c, pl_span *out);

/* OCTET STRING (or an IMPLICIT tag of it). */
PL_NODISCARD padlock_err pl_der_octet_string(pl_cur *c, pl_der_tag tag, pl_span *out);

/* NULL: empty contents. */
PL_NODISCARD padlock_err pl_der_null(pl_cur *c);

/* A Time (RFC 5280 §4.1.2.5): UTCTime "YYMMDDHHMMSSZ" (YY >= 50 means 19YY, else 20YY) or
 * GeneralizedTime "YYYYMMDDHHMMSSZ"; seconds and the Z are required, fractions and offsets
 * refused, and the date must exist. *out gets seconds since the Unix epoch. */
PL_NODISCARD padlock_err pl_der_time(pl_cur *c, int64_t *out);

/* A string of one of the types X.520 names use (UTF8String, PrintableString, IA5String,
 * TeletexString, BMPString, UniversalString, NumericString, VisibleString), its contents checked
 * against the type's alphabet; *out_tag gets the type. */
PL_NODISCARD padlock_err pl_der_string(pl_cur *c, pl_der_tag *out_tag, pl_span *out);

/* 1 if s is valid content for the universal string type tag (see pl_der_string), else 0. */
int pl_der_string_valid(pl_der_tag tag, pl_span s);

/* IA5String (or an IMPLICIT tag of it): ASCII only. */
PL_NODISCARD padlock_err pl_der_ia5(pl_cur *c, pl_der_tag tag, pl_span *out);

/* ---- Writing (der_write.c) ------------------------------------------------------------------
 * Elements are appended to a builder in order. A constructed element is opened, filled and
 * closed; closing writes its length in the fewest octets (X.690 §10.1), moving the contents up
 * when the length needs more than the one octet reserved at open. A writer that fails leaves
 * the builder as it was: PADLOCK_E_BUFFER_TOO_SMALL when the storage is full,
 * PADLOCK_E_INVALID_ARGUMENT for a value DER cannot carry (an invalid OID or string, a time
 * outside years 0..9999), PADLOCK_E_ENCODE_OVERFLOW for contents of 4 GiB or more. */

/* An open constructed element: where its contents start. */
typedef struct pl_der_nest {
    size_t len_at;   /* the reserved length octet */
    size_t contents; /* the first content octet */
} pl_der_nest;

/* Opens an element with tag whose contents are written next: a constructed one
 * (PL_DER_SEQUENCE, PL_DER_SET, PL_DER_CTX_CONS(n)), or a primitive one that encapsulates DER
 * (an extension's extnValue OCTET STRING, RFC 5280 §4.1). Everything written until the
 * matching pl_der_close is its contents; opened elements nest. */
PL_NODISCARD padlock_err pl_der_open(pl_buf *b, pl_der_tag tag, pl_der_nest *out);

/* Closes n (the innermost open element), back-filling its length. */
PL_NODISCARD padlock_err pl_der_close(pl_buf *b, const pl_der_nest *n);

/* Writes into a heap buffer: calls fn(b, ctx) with builders of growing capacity (1 KiB,
 * doubling up to PL_DER_BUILD_MAX) until it fits, so fn must write the same bytes every time
 * (draw random values before). On success *out (pl_malloc'd; free with pl_free) holds *out_len
 * bytes. Errors: fn's, PADLOCK_E_BUFFER_TOO_SMALL beyond PL_DER_BUILD_MAX, PADLOCK_E_NO_MEMORY. */
#define PL_DER_BUILD_MAX (1u << 20)
typedef padlock_err (*pl_der_build_fn)(pl_buf *b, const void *ctx);
PL_NODISCARD padlock_err pl_der_build(pl_der_build_fn fn, const void *ctx, uint8_t **out,
                                      size_t *out_len);

/* One element with the given tag and contents (copied), e.g. an OCTET STRING or an IMPLICIT
 * [2] dNSName. The contents are not checked. */
PL_NODISCARD padlock_err pl_der_put(pl_buf *b, pl_der_tag tag, const void *contents, size_t len);

/* BOOLEAN: 0xFF for true, 0x00 for false (X.690 §11.1). */
PL_NODISCARD padlock_err pl_der_put_boolean(pl_buf *b, int value);

/* NULL. */
PL_NODISCARD padlock_err pl_der_put_null(pl_buf *b);

/* A non-negative INTEGER (or an IMPLICIT tag of it) from a big-endian magnitude: leading zero
 * octets are dropped and a 0x00 sign octet is added when the top bit is set (X.690 §8.3.2), so
 * a 16-octet random serial number encodes in 16 or 17 content octets. An empty magnitude is
 * zero. */
PL_NODISCARD padlock_err pl_der_put_unsigned(pl_buf *b, pl_der_tag tag, const uint8_t *magnitude,
                                             size_t len);

/* A non-negative INTEGER from a machine integer. */
PL_NODISCARD padlock_err pl_der_put_small_uint(pl_buf *b, pl_der_tag tag, uint64_t value);

/* OBJECT IDENTIFIER from its content octets, which must be valid (pl_der_oid_valid). */
PL_NODISCARD padlock_err pl_der_put_oid(pl_buf *b, pl_span oid);

/* BIT STRING of whole octets (keys, signatures): no unused bits. */
PL_NODISCARD padlock_err pl_der_put_bit_octets(pl_buf *b, const uint8_t *bits, size_t len);

/* A named-bit-list BIT STRING (or an IMPLICIT tag of it), such as keyUsage: bit n of the list
 * is 1 << n of bits. Trailing zero bits are omitted (X.690 §11.2.2), so 0 encodes as an empty
 * string. */
PL_NODISCARD padlock_err pl_der_put_named_bits(pl_buf *b, pl_der_tag tag, uint32_t bits);

/* A Time (RFC 5280 §4.1.2.5) for t seconds since the epoch: UTCTime "YYMMDDHHMMSSZ" for the
 * years 1950 through 2049, GeneralizedTime "YYYYMMDDHHMMSSZ" otherwise. */
PL_NODISCARD padlock_err pl_der_put_time(pl_buf *b, int64_t t);

/* A string of the universal type tag (see pl_der_string), its contents checked against the
 * type's alphabet (pl_der_string_valid); or an IMPLICIT context tag of IA5String when tag is
 * context-specific (GeneralName's dNSName, rfc822Name, URI). */
PL_NODISCARD padlock_err pl_der_put_string(pl_buf *b, pl_der_tag tag, const char *s, size_t len);

#endif
