/* DER writing on the builder (ITU-T X.690 §8 and §10-11: identifier octets, minimal definite
 * lengths, minimal INTEGERs, named bit lists) and the X.509 time encoding of RFC 5280
 * §4.1.2.5 (UTCTime through 2049, GeneralizedTime from 2050). */
#include <stdio.h>
#include <string.h>

#include "util/civil_time.h"
#include "util/mem.h"
#include "wire/der.h"

/* Identifier octets of tag into id[] (X.690 §8.1.2); returns their count. */
static size_t pl_der_identifier(pl_der_tag tag, uint8_t id[6]) {
    uint8_t lead = (uint8_t)((tag & PL_DER_CLASS_MASK) >> 24);
    if (tag & PL_DER_CONSTRUCTED) {
        lead |= 0x20;
    }
    uint32_t number = tag & PL_DER_NUMBER_MASK;
    if (number < 0x1f) {
        id[0] = (uint8_t)(lead | number);
        return 1;
    }
    /* X.690 §8.1.2.4: high tag number form, base 128, most significant group first. */
    id[0] = (uint8_t)(lead | 0x1f);
    size_t groups = 1;
    for (uint32_t rest = number >> 7; rest != 0; rest >>= 7) {
        groups++;
    }
    for (size_t i = 0; i < groups; i++) {
        uint8_t group = (uint8_t)((number >> (7 * (groups - 1 - i))) & 0x7f);
        id[1 + i] = (uint8_t)(group | (i + 1 < groups ? 0x80 : 0));
    }
    return 1 + groups;
}

/* Length octets of len into out[] (X.690 §10.1: short form below 128, else the fewest
 * octets); returns their count, or 0 when len needs more than four octets. */
static size_t pl_der_length(size_t len, uint8_t out[5]) {
    if (len < 0x80) {
        out[0] = (uint8_t)len;
        return 1;
    }
    size_t n = 0;
    for (size_t rest = len; rest != 0; rest >>= 8) {
        n++;
    }
    if (n > 4) {
        return 0;
    }
    out[0] = (uint8_t)(0x80 | n);
    for (size_t i = 0; i < n; i++) {
        out[1 + i] = (uint8_t)(len >> (8 * (n - 1 - i)));
    }
    return 1 + n;
}

/* Identifier and length of an element whose contents follow; all or nothing. */
static padlock_err pl_der_header(pl_buf *b, pl_der_tag tag, size_t len) {
    PL_CHECK((tag & PL_DER_NUMBER_MASK) <= PL_DER_MAX_TAG_NUMBER, PADLOCK_E_INVALID_ARGUMENT);
    uint8_t head[11];
    size_t id_len = pl_der_identifier(tag, head);
    size_t len_len = pl_der_length(len, head + id_len);
    PL_CHECK(len_len != 0, PADLOCK_E_ENCODE_OVERFLOW);
    PL_CHECK(b->cap - b->len >= id_len + len_len && b->cap - b->len - id_len - len_len >= len,
             PADLOCK_E_BUFFER_TOO_SMALL);
    return pl_buf_bytes(b, head, id_len + len_len);
}

padlock_err pl_der_open(pl_buf *b, pl_der_tag tag, pl_der_nest *out) {
    PL_TRY(pl_der_header(b, tag, 0));
    out->len_at = b->len - 1;
    out->contents = b->len;
    return PADLOCK_OK;
}

padlock_err pl_der_close(pl_buf *b, const pl_der_nest *n) {
    PL_CHECK(n->contents == n->len_at + 1 && n->contents <= b->len, PADLOCK_E_INVALID_ARGUMENT);
    size_t len = b->len - n->contents;
    uint8_t octets[5];
    size_t len_len = pl_der_length(len, octets);
    PL_CHECK(len_len != 0, PADLOCK_E_ENCODE_OVERFLOW);
    size_t extra = len_len - 1;
    PL_CHECK(b->cap - b->len >= extra, PADLOCK_E_BUFFER_TOO_SMALL);
    if (extra != 0) {
        /* The one reserved octet is too few: move the contents up to make room. */
        memmove(b->p + n->contents + extra, b->p + n->contents, len);
        b->len += extra;
    }
    memcpy(b->p + n->len_at, octets, len_len);
    return PADLOCK_OK;
}

padlock_err pl_der_build(pl_der_build_fn fn, const void *ctx, uint8_t **out, size_t *out_len) {
    for (size_t cap = 1024; cap <= PL_DER_BUILD_MAX; cap *= 2) {
        uint8_t *storage = pl_malloc(cap);
        PL_CHECK(storage != NULL, PADLOCK_E_NO_MEMORY);
        pl_buf b;
        pl_buf_init(&b, storage, cap);
        padlock_err rc = fn(&b, ctx);
        if (rc == PADLOCK_OK) {
            *out = storage;
            *out_len = b.len;
            return PADLOCK_OK;
        }
        pl_free(storage);
        if (rc != PADLOCK_E_BUFFER_TOO_SMALL) {
            return rc;
        }
    }
    return PADLOCK_E_BUFFER_TOO_SMALL;
}

padlock_err pl_der_put(pl_buf *b, pl_der_tag tag, const void *contents, size_t len) {
    PL_TRY(pl_der_header(b, tag, len));
    return pl_buf_bytes(b, contents, len);
}

padlock_err pl_der_put_boolean(pl_buf *b, int value) {
    uint8_t v = value ? 0xff : 0x00;
    return pl_der_put(b, PL_DER_BOOLEAN, &v, 1);
}

padlock_err pl_der_put_null(pl_buf *b) {
    return pl_der_put(b, PL_DER_NULL, NULL, 0);
}

padlock_err pl_der_put_unsigned(pl_buf *b, pl_der_tag tag, const uint8_t *magnitude, size_t len) {
    while (len > 0 && magnitude[0] == 0) {
        magnitude++;
        len--;
    }
    /* X.690 §8.3.2: zero is one 0x00 octet; a set top bit needs a 0x00 sign octet first. */
    int sign = len == 0 || (magnitude[0] & 0x80) != 0;
    PL_CHECK(len <= SIZE_MAX - 1, PADLOCK_E_ENCODE_OVERFLOW);
    PL_TRY(pl_der_header(b, tag, len + (size_t)sign));
    if (sign) {
        PL_TRY(pl_buf_u8(b, 0x00));
    }
    return pl_buf_bytes(b, magnitude, len);
}

padlock_err pl_der_put_small_uint(pl_buf *b, pl_der_tag tag, uint64_t value) {
    uint8_t be[8];
    for (size_t i = 0; i < 8; i++) {
        be[i] = (uint8_t)(value >> (8 * (7 - i)));
    }
    return pl_der_put_unsigned(b, tag, be, sizeof(be));
}

padlock_err pl_der_put_oid(pl_buf *b, pl_span oid) {
    PL_CHECK(pl_der_oid_valid(oid), PADLOCK_E_INVALID_ARGUMENT);
    return pl_der_put(b, PL_DER_OID, oid.p, oid.len);
}

padlock_err pl_der_put_bit_octets(pl_buf *b, const uint8_t *bits, size_t len) {
    PL_CHECK(len <= SIZE_MAX - 1, PADLOCK_E_ENCODE_OVERFLOW);
    PL_TRY(pl_der_header(b, PL_DER_BIT_STRING, len + 1));
    PL_TRY(pl_buf_u8(b, 0x00)); /* X.690 §8.6.2.2: no unused bits */
    return pl_buf_bytes(b, bits, len);
}

padlock_err pl_der_put_named_bits(pl_buf *b, pl_der_tag tag, uint32_t bits) {
    /* X.690 §11.2.2: a named bit list ends at its last one bit. Bit n is the n-th bit from the
     * most significant bit of the first octet. */
    unsigned used = 0;
    for (unsigned n = 0; n < 32; n++) {
        if (bits & (1u << n)) {
            used = n + 1;
        }
    }
    uint8_t contents[1 + 4] = {0};
    size_t octets = (used + 7) / 8;
    contents[0] = (uint8_t)(octets * 8 - used);
    for (unsigned n = 0; n < used; n++) {
        if (bits & (1u << n)) {
            contents[1 + n / 8] |= (uint8_t)(0x80u >> (n % 8));
        }
    }
    return pl_der_put(b, tag, contents, 1 + octets);
}

padlock_err pl_der_put_time(pl_buf *b, int64_t t) {
    /* Years 0..9999: what four digits of GeneralizedTime can say. */
    PL_CHECK(t >= -62167219200LL && t <= 253402300799LL, PADLOCK_E_INVALID_ARGUMENT);
    pl_civil_time c;
    pl_civil_from_unix(t, &c);
    char text[16];
    /* RFC 5280 §4.1.2.5: UTCTime for dates through 2049, GeneralizedTime from 2050 (and, as
     * UTCTime cannot express them, before 1950); both in UTC with seconds and no fraction. */
    int utc = c.year >= 1950 && c.year <= 2049;
    int n = utc ? snprintf(text, sizeof(text), "%02u%02u%02u%02u%02u%02uZ",
                           (unsigned)(c.year % 100), (unsigned)c.month, (unsigned)c.day,
                           (unsigned)c.hour, (unsigned)c.minute, (unsigned)c.second)
                : snprintf(text, sizeof(text), "%04u%02u%02u%02u%02u%02uZ", (unsigned)c.year,
                           (unsigned)c.month, (unsigned)c.day, (unsigned)c.hour, (unsigned)c.minute,
                           (unsigned)c.second);
    PL_CHECK(n == (utc ? 13 : 15), PADLOCK_E_INTERNAL);
    return pl_der_put(b, utc ? PL_DER_UTC_TIME : PL_DER_GENERALIZED_TIME, text, (size_t)n);
}

/* 1 if tag is one of the string types pl_der_string reads. */
static int pl_der_is_string_type(pl_der_tag tag) {
    switch (tag) {
    case PL_DER_UTF8_STRING:
    case PL_DER_PRINTABLE_STRING:
    case PL_DER_IA5_STRING:
    case PL_DER_TELETEX_STRING:
    case PL_DER_BMP_STRING:
    case PL_DER_UNIVERSAL_STRING:
    case PL_DER_NUMERIC_STRING:
    case PL_DER_VISIBLE_STRING: return 1;
    default: return 0;
    }
}

padlock_err pl_der_put_string(pl_buf *b, pl_der_tag tag, const char *s, size_t len) {
    pl_span v = {(const uint8_t *)s, len};
    int context = (tag & PL_DER_CLASS_MASK) == PL_DER_CONTEXT && !(tag & PL_DER_CONSTRUCTED);
    pl_der_tag type = context ? PL_DER_IA5_STRING : tag;
    PL_CHECK(pl_der_is_string_type(type) && pl_der_string_valid(type, v),
             PADLOCK_E_INVALID_ARGUMENT);
    return pl_der_put(b, tag, s, len);
}
