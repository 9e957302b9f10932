/* Strict DER reader (ITU-T X.690 §8, §10, §11) and the X.509 time rules of RFC 5280
 * §4.1.2.5.1 (UTCTime) and §4.1.2.5.2 (GeneralizedTime). */
#include "wire/der.h"

#include <stdio.h>
#include <string.h>

#include "util/civil_time.h"

int pl_span_equal(pl_span a, pl_span b) {
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* Reads identifier and length octets from tmp; on success tmp sits at the contents. */
static padlock_err pl_der_header(pl_cur *tmp, pl_der_tag *out_tag, size_t *out_len) {
    uint8_t id;
    PL_CHECK(pl_cur_u8(tmp, &id) == PADLOCK_OK, PADLOCK_E_DER);
    uint32_t number = id & 0x1fu;
    if (number == 0x1f) {
        /* X.690 §8.1.2.4: high tag number form, base 128, no leading 0x80 octet, and only for
         * numbers that do not fit the low form. */
        number = 0;
        uint8_t b;
        do {
            PL_CHECK(pl_cur_u8(tmp, &b) == PADLOCK_OK, PADLOCK_E_DER);
            PL_CHECK(!(number == 0 && b == 0x80), PADLOCK_E_DER);
            number = (number << 7) | (b & 0x7fu);
            PL_CHECK(number <= PL_DER_MAX_TAG_NUMBER, PADLOCK_E_DER);
        } while (b & 0x80);
        PL_CHECK(number >= 0x1f, PADLOCK_E_DER);
    }
    *out_tag = ((uint32_t)(id & 0xc0) << 24) | ((id & 0x20) ? PL_DER_CONSTRUCTED : 0) | number;

    uint8_t first;
    PL_CHECK(pl_cur_u8(tmp, &first) == PADLOCK_OK, PADLOCK_E_DER);
    size_t len;
    if (first < 0x80) {
        len = first;
    } else {
        /* X.690 §10.1: definite form only (0x80 is BER's indefinite length), in the fewest
         * octets: no leading zero octet and the long form only for lengths of 128 and more.
         * Four length octets (4 GiB) are far beyond any certificate. */
        size_t n = first & 0x7fu;
        PL_CHECK(n >= 1 && n <= 4, PADLOCK_E_DER);
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++) {
            uint8_t b;
            PL_CHECK(pl_cur_u8(tmp, &b) == PADLOCK_OK, PADLOCK_E_DER);
            PL_CHECK(!(i == 0 && b == 0), PADLOCK_E_DER);
            v = (v << 8) | b;
        }
        PL_CHECK(v >= 0x80, PADLOCK_E_DER);
        PL_CHECK(v <= SIZE_MAX, PADLOCK_E_DER);
        len = (size_t)v;
    }
    PL_CHECK(pl_cur_left(tmp) >= len, PADLOCK_E_DER);
    *out_len = len;
    return PADLOCK_OK;
}

padlock_err pl_der_next(pl_cur *c, pl_der_tag *out_tag, pl_cur *out_value, pl_span *out_tlv) {
    pl_cur tmp = *c;
    size_t len;
    PL_TRY(pl_der_header(&tmp, out_tag, &len));
    PL_CHECK(pl_cur_sub(&tmp, len, out_value) == PADLOCK_OK, PADLOCK_E_DER);
    if (out_tlv != NULL) {
        out_tlv->p = c->p;
        out_tlv->len = c->len - tmp.len;
    }
    *c = tmp;
    return PADLOCK_OK;
}

padlock_err pl_der_peek(const pl_cur *c, pl_der_tag *out_tag) {
    pl_cur tmp = *c;
    size_t len;
    return pl_der_header(&tmp, out_tag, &len);
}

int pl_der_next_is(const pl_cur *c, pl_der_tag tag) {
    pl_der_tag t;
    return pl_der_peek(c, &t) == PADLOCK_OK && t == tag;
}

padlock_err pl_der_expect(pl_cur *c, pl_der_tag tag, pl_cur *out_value, pl_span *out_tlv) {
    pl_cur tmp = *c;
    pl_der_tag t;
    PL_TRY(pl_der_next(&tmp, &t, out_value, out_tlv));
    PL_CHECK(t == tag, PADLOCK_E_DER);
    *c = tmp;
    return PADLOCK_OK;
}

padlock_err pl_der_optional(pl_cur *c, pl_der_tag tag, pl_cur *out_value, int *out_present) {
    *out_present = 0;
    if (pl_cur_left(c) == 0 || !pl_der_next_is(c, tag)) {
        return PADLOCK_OK;
    }
    PL_TRY(pl_der_expect(c, tag, out_value, NULL));
    *out_present = 1;
    return PADLOCK_OK;
}

padlock_err pl_der_done(const pl_cur *c) {
    return pl_cur_left(c) == 0 ? PADLOCK_OK : PADLOCK_E_DER;
}

/* The contents of the next element with tag as a span; the cursor is unchanged on failure. */
static padlock_err pl_der_contents(pl_cur *c, pl_der_tag tag, pl_span *out) {
    pl_cur v;
    PL_TRY(pl_der_expect(c, tag, &v, NULL));
    out->p = v.p;
    out->len = pl_cur_left(&v);
    return PADLOCK_OK;
}

padlock_err pl_der_boolean(pl_cur *c, int *out) {
    pl_cur tmp = *c;
    pl_span s;
    PL_TRY(pl_der_contents(&tmp, PL_DER_BOOLEAN, &s));
    /* X.690 §11.1: TRUE is encoded as 0xFF in DER. */
    PL_CHECK(s.len == 1 && (s.p[0] == 0x00 || s.p[0] == 0xff), PADLOCK_E_DER);
    *out = s.p[0] == 0xff;
    *c = tmp;
    return PADLOCK_OK;
}

padlock_err pl_der_integer(pl_cur *c, pl_der_tag tag, pl_span *out) {
    pl_cur tmp = *c;
    pl_span s;
    PL_TRY(pl_der_contents(&tmp, tag, &s));
    /* X.690 §8.3.2: at least one octet; the first nine bits are never all zero or all one. */
    PL_CHECK(s.len >= 1, PADLOCK_E_DER);
    if (s.len >= 2) {
        PL_CHECK(!(s.p[0] == 0x00 && s.p[1] < 0x80), PADLOCK_E_DER);
        PL_CHECK(!(s.p[0] == 0xff && s.p[1] >= 0x80), PADLOCK_E_DER);
    }
    *out = s;
    *c = tmp;
    return PADLOCK_OK;
}

padlock_err pl_der_unsigned(pl_cur *c, pl_der_tag tag, pl_span *out) {
    pl_cur tmp = *c;
    pl_span s;
    PL_TRY(pl_der_integer(&tmp, tag, &s));
    PL_CHECK(s.p[0] < 0x80, PADLOCK_E_DER);
    if (s.p[0] == 0x00) {
        s.p++;
        s.len--;
    }
    *out = s;
    *c = tmp;
    return PADLOCK_OK;
}

padlock_err pl_der_small_uint(pl_cur *c, pl_der_tag tag, uint64_t max, uint64_t *out) {
    pl_cur tmp = *c;
    pl_span s;
    PL_TRY(pl_der_unsigned(&tmp, tag, &s));
    PL_CHECK(s.len <= 8, PADLOCK_E_DER);
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        v = (v << 8) | s.p[i];
    }
    PL_CHECK(v <= max, PADLOCK_E_DER);
    *out = v;
    *c = tmp;
    return PADLOCK_OK;
}

/* X.690 §8.19.2: each sub-identifier is base 128, high bit set on all but its last octet, and
 * its first octet is never 0x80 (no leading zero groups). */
int pl_der_oid_valid(pl_span s) {
    if (s.len == 0 || (s.p[s.len - 1] & 0x80) != 0) {
        return 0;
    }
    int at_start = 1;
    for (size_t i = 0; i < s.len; i++) {
        if (at_start && s.p[i] == 0x80) {
            return 0;
        }
        at_start = (s.p[i] & 0x80) == 0;
    }
    return 1;
}

padlock_err pl_der_oid(pl_cur *c, pl_span *out) {
    pl_cur tmp = *c;
    pl_span s;
    PL_TRY(pl_der_contents(&tmp, PL_DER_OID, &s));
    PL_CHECK(pl_der_oid_valid(s), PADLOCK_E_DER);
    *out = s;
    *c = tmp;
    return PADLOCK_OK;
}

padlock_err pl_der_oid_text(pl_span oid, char *out, size_t cap) {
    PL_CHECK(pl_der_oid_valid(oid), PADLOCK_E_DER);
    PL_CHECK(cap > 0, PADLOCK_E_BUFFER_TOO_SMALL);
    size_t o = 0;
    uint64_t arc = 0;
    int first = 1;
    for (size_t i = 0; i < oid.len; i++) {
        PL_CHECK(arc <= (UINT64_MAX >> 7), PADLOCK_E_DER);
        arc = (arc << 7) | (oid.p[i] & 0x7fu);
        if (oid.p[i] & 0x80) {
            continue;
        }
        int n;
        if (first) {
            /* X.690 §8.19.4: the first sub-identifier packs the first two arcs (X*40 + Y). */
            uint64_t top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
            n = snprintf(out + o, cap - o, "%u.%llu", (unsigned)top,
                         (unsigned long long)(arc - top * 40));
            first = 0;
        } else {
            n = snprintf(out + o, cap - o, ".%llu", (unsigned long long)arc);
        }
        PL_CHECK(n > 0 && (size_t)n < cap - o, PADLOCK_E_BUFFER_TOO_SMALL);
        o += (size_t)n;
        arc = 0;
    }
    return PADLOCK_OK;
}

padlock_err pl_der_bit_string(pl_cur *c, pl_der_tag tag, pl_span *out, uint8_t *out_unused) {
    pl_cur tmp = *c;
    pl_span s;
    PL_TRY(pl_der_contents(&tmp, tag, &s));
    /* X.690 §8.6.2 and §11.2.1: the initial octet counts unused bits (0..7), zero for an empty
     * string, and DER sets the unused bits to zero. */
    PL_CHECK(s.len >= 1 && s.p[0] <= 7, PADLOCK_E_DER);
    uint8_t unused = s.p[0];
    PL_CHECK(!(s.len == 1 && unused != 0), PADLOCK_E_DER);
    if (unused != 0) {
        PL_CHECK((s.p[s.len - 1] & ((1u << unused) - 1)) == 0, PADLOCK_E_DER);
    }
    out->p = s.p + 1;
    out->len = s.len - 1;
    *out_unused = unused;
    *c = tmp;
    return PADLOCK_OK;
}

padlock_err pl_der_bit_octets(pl_cur *c, pl_span *out) {
    pl_cur tmp = *c;
    uint8_t unused;
    PL_TRY(pl_der_bit_string(&tmp, PL_DER_BIT_STRING, out, &unused));
    PL_CHECK(unused == 0, PADLOCK_E_DER);
    *c = tmp;
    return PADLOCK_OK;
}

padlock_err pl_der_octet_string(pl_cur *c, pl_der_tag tag, pl_span *out) {
    return pl_der_contents(c, tag, out);
}

padlock_err pl_der_null(pl_cur *c) {
    pl_cur tmp = *c;
    pl_span s;
    PL_TRY(pl_der_contents(&tmp, PL_DER_NULL, &s));
    PL_CHECK(s.len == 0, PADLOCK_E_DER);
    *c = tmp;
    return PADLOCK_OK;
}

/* n decimal digits from p. */
static int pl_der_digits(const uint8_t *p, size_t n, unsigned *out) {
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return 0;
        }
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    *out = v;
    return 1;
}

padlock_err pl_der_time(pl_cur *c, int64_t *out) {
    pl_cur tmp = *c;
    pl_der_tag tag;
    pl_cur v;
    PL_TRY(pl_der_next(&tmp, &tag, &v, NULL));
    const uint8_t *p = v.p;
    size_t len = pl_cur_left(&v);
    unsigned year;
    if (tag == PL_DER_UTC_TIME) {
        /* RFC 5280 §4.1.2.5.1: YYMMDDHHMMSSZ; YY >= 50 is 19YY, YY < 50 is 20YY. */
        PL_CHECK(len == 13 && pl_der_digits(p, 2, &year), PADLOCK_E_DER);
        year += year >= 50 ? 1900 : 2000;
        p += 2;
    } else if (tag == PL_DER_GENERALIZED_TIME) {
        /* RFC 5280 §4.1.2.5.2: YYYYMMDDHHMMSSZ, no fractional seconds. */
        PL_CHECK(len == 15 && pl_der_digits(p, 4, &year), PADLOCK_E_DER);
        p += 4;
    } else {
        return PADLOCK_E_DER;
    }
    unsigned mo, d, h, mi, s;
    PL_CHECK(pl_der_digits(p, 2, &mo) && pl_der_digits(p + 2, 2, &d) &&
                 pl_der_digits(p + 4, 2, &h) && pl_der_digits(p + 6, 2, &mi) &&
                 pl_der_digits(p + 8, 2, &s) && p[10] == 'Z',
             PADLOCK_E_DER);
    pl_civil_time t = {(int32_t)year, (uint8_t)mo, (uint8_t)d, (uint8_t)h, (uint8_t)mi, (uint8_t)s};
    PL_CHECK(pl_civil_valid(&t), PADLOCK_E_DER);
    *out = pl_civil_to_unix(&t);
    *c = tmp;
    return PADLOCK_OK;
}

/* RFC 3629 UTF-8: shortest forms only, no surrogates, nothing above U+10FFFF. */
static int pl_utf8_valid(pl_span s) {
    size_t i = 0;
    while (i < s.len) {
        uint8_t b = s.p[i];
        size_t n;
        uint32_t cp;
        if (b < 0x80) {
            i++;
            continue;
        } else if ((b & 0xe0) == 0xc0) {
            n = 1;
            cp = b & 0x1fu;
        } else if ((b & 0xf0) == 0xe0) {
            n = 2;
            cp = b & 0x0fu;
        } else if ((b & 0xf8) == 0xf0) {
            n = 3;
            cp = b & 0x07u;
        } else {
            return 0;
        }
        if (s.len - i - 1 < n) {
            return 0;
        }
        for (size_t k = 1; k <= n; k++) {
            if ((s.p[i + k] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s.p[i + k] & 0x3fu);
        }
        static const uint32_t min_for_len[4] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_for_len[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        i += n + 1;
    }
    return 1;
}

/* X.680 §41.4 PrintableString: A-Z a-z 0-9 space ' ( ) + , - . / : = ? */
static int pl_printable_char(uint8_t ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           strchr(" '()+,-./:=?", ch) != NULL;
}

int pl_der_string_valid(pl_der_tag tag, pl_span s) {
    switch (tag) {
    case PL_DER_UTF8_STRING: return pl_utf8_valid(s);
    case PL_DER_TELETEX_STRING:
        /* T.61 is read as Latin-1, as deployed certificates use it; every octet is a character. */
        return 1;
    case PL_DER_BMP_STRING:
        /* UCS-2: whole code units, none of them a surrogate half. */
        if (s.len % 2 != 0) {
            return 0;
        }
        for (size_t i = 0; i < s.len; i += 2) {
            if (s.p[i] >= 0xd8 && s.p[i] <= 0xdf) {
                return 0;
            }
        }
        return 1;
    case PL_DER_UNIVERSAL_STRING:
        /* UCS-4: whole code points within Unicode and not surrogates. */
        if (s.len % 4 != 0) {
            return 0;
        }
        for (size_t i = 0; i < s.len; i += 4) {
            uint32_t cp = (uint32_t)s.p[i] << 24 | (uint32_t)s.p[i + 1] << 16 |
                          (uint32_t)s.p[i + 2] << 8 | s.p[i + 3];
            if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return 0;
            }
        }
        return 1;
    default: break;
    }
    for (size_t i = 0; i < s.len; i++) {
        uint8_t ch = s.p[i];
        int ok;
        switch (tag) {
        case PL_DER_PRINTABLE_STRING: ok = ch != 0 && pl_printable_char(ch); break;
        case PL_DER_IA5_STRING: ok = ch < 0x80; break;
        case PL_DER_NUMERIC_STRING: ok = (ch >= '0' && ch <= '9') || ch == ' '; break;
        case PL_DER_VISIBLE_STRING: ok = ch >= 0x20 && ch <= 0x7e; break;
        default: return 0;
        }
        if (!ok) {
            return 0;
        }
    }
    return 1;
}

padlock_err pl_der_string(pl_cur *c, pl_der_tag *out_tag, pl_span *out) {
    pl_cur tmp = *c;
    pl_der_tag tag;
    pl_cur v;
    PL_TRY(pl_der_next(&tmp, &tag, &v, NULL));
    pl_span s = {v.p, pl_cur_left(&v)};
    PL_CHECK(pl_der_string_valid(tag, s), PADLOCK_E_DER);
    *out_tag = tag;
    *out = s;
    *c = tmp;
    return PADLOCK_OK;
}

padlock_err pl_der_ia5(pl_cur *c, pl_der_tag tag, pl_span *out) {
    pl_cur tmp = *c;
    pl_span s;
    PL_TRY(pl_der_contents(&tmp, tag, &s));
    PL_CHECK(pl_der_string_valid(PL_DER_IA5_STRING, s), PADLOCK_E_DER);
    *out = s;
    *c = tmp;
    return PADLOCK_OK;
}
