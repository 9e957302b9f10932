/* X.501 Names: validation (RFC 5280 §4.1.2.4), attribute walking, the RFC 4514 §2 string form
 * with its §2.4 escaping, and writing (RFC 5280 §4.1.2.4 encoding rules, App. A bounds). */
#include "x509/name.h"

#include <stdio.h>
#include <string.h>

#include "x509/oid.h"

padlock_err pl_x509_name_validate(pl_span name_tlv) {
    pl_cur c;
    pl_cur_init(&c, name_tlv.p, name_tlv.len);
    pl_cur rdns;
    PL_TRY(pl_der_expect(&c, PL_DER_SEQUENCE, &rdns, NULL));
    PL_TRY(pl_der_done(&c));
    while (pl_cur_left(&rdns) > 0) {
        pl_cur atvs;
        PL_TRY(pl_der_expect(&rdns, PL_DER_SET, &atvs, NULL));
        /* X.501: RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue */
        PL_CHECK(pl_cur_left(&atvs) > 0, PADLOCK_E_DER);
        while (pl_cur_left(&atvs) > 0) {
            pl_cur atv;
            PL_TRY(pl_der_expect(&atvs, PL_DER_SEQUENCE, &atv, NULL));
            pl_span type;
            PL_TRY(pl_der_oid(&atv, &type));
            if (pl_oid_is_name_attribute(pl_oid_lookup(type))) {
                /* Every X.520 attribute padlock names is a string attribute. */
                pl_der_tag tag;
                pl_span value;
                PL_TRY(pl_der_string(&atv, &tag, &value));
            } else {
                pl_der_tag tag;
                pl_cur value;
                PL_TRY(pl_der_next(&atv, &tag, &value, NULL));
            }
            PL_TRY(pl_der_done(&atv));
        }
    }
    return PADLOCK_OK;
}

int pl_x509_name_is_empty(pl_span name_tlv) {
    /* A valid empty Name is exactly 30 00. */
    return name_tlv.len == 2;
}

int pl_x509_name_equal(pl_span a, pl_span b) {
    return pl_span_equal(a, b);
}

void pl_x509_name_iter_init(pl_x509_name_iter *it, pl_span name_tlv) {
    pl_cur c;
    pl_cur_init(&c, name_tlv.p, name_tlv.len);
    if (pl_der_expect(&c, PL_DER_SEQUENCE, &it->rdns, NULL) != PADLOCK_OK) {
        pl_cur_init(&it->rdns, NULL, 0);
    }
    pl_cur_init(&it->atvs, NULL, 0);
}

int pl_x509_name_iter_next(pl_x509_name_iter *it, pl_x509_atv *out, int *out_new_rdn) {
    int new_rdn = 0;
    if (pl_cur_left(&it->atvs) == 0) {
        if (pl_cur_left(&it->rdns) == 0 ||
            pl_der_expect(&it->rdns, PL_DER_SET, &it->atvs, NULL) != PADLOCK_OK) {
            return 0;
        }
        new_rdn = 1;
    }
    pl_cur atv;
    pl_cur value;
    if (pl_der_expect(&it->atvs, PL_DER_SEQUENCE, &atv, NULL) != PADLOCK_OK ||
        pl_der_oid(&atv, &out->type) != PADLOCK_OK ||
        pl_der_next(&atv, &out->value_tag, &value, &out->value_tlv) != PADLOCK_OK) {
        return 0;
    }
    out->value.p = value.p;
    out->value.len = pl_cur_left(&value);
    if (out_new_rdn != NULL) {
        *out_new_rdn = new_rdn;
    }
    return 1;
}

/* ---- RFC 4514 formatting ----------------------------------------------------------------------
 */

/* A bounded text writer: once full it records truncation and ignores further output, keeping
 * room for the "..." marker. */
typedef struct pl_text {
    char *out;
    size_t cap;
    size_t len;
    int truncated;
} pl_text;

static void pl_text_put(pl_text *t, const char *s, size_t n) {
    if (t->truncated) {
        return;
    }
    if (n > t->cap - 4 - t->len) {
        t->truncated = 1;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        t->out[t->len++] = s[i];
    }
}

static void pl_text_hex_byte(pl_text *t, uint8_t b) {
    static const char hex[] = "0123456789ABCDEF";
    char s[3] = {'\\', hex[b >> 4], hex[b & 15]};
    pl_text_put(t, s, 3);
}

/* Whether a code point must not reach a terminal raw: C0 and C1 controls, DEL, and the
 * bidirectional formatting characters that can reorder the surrounding text. */
static int pl_is_unsafe_cp(uint32_t cp) {
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
           cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Emits one code point of an attribute value, escaped per RFC 4514 §2.4. first/last say
 * where it sits in the value (leading '#' or space and trailing space are escaped). */
static void pl_text_value_cp(pl_text *t, uint32_t cp, int first, int last) {
    uint8_t u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (uint8_t)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (uint8_t)(0xc0 | cp >> 6);
        u[1] = (uint8_t)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (uint8_t)(0xe0 | cp >> 12);
        u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (uint8_t)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        u[0] = (uint8_t)(0xf0 | cp >> 18);
        u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (uint8_t)(0x80 | (cp & 0x3f));
        n = 4;
    }
    if (pl_is_unsafe_cp(cp)) {
        for (size_t i = 0; i < n; i++) {
            pl_text_hex_byte(t, u[i]);
        }
        return;
    }
    int special = cp == ',' || cp == '+' || cp == '"' || cp == '\\' || cp == '<' || cp == '>' ||
                  cp == ';' || (first && (cp == '#' || cp == ' ')) || (last && cp == ' ');
    if (special) {
        pl_text_put(t, "\\", 1);
    }
    pl_text_put(t, (const char *)u, n);
}

/* The next code point of a string value of type tag at *i, or -1 at the end. Invalid UTF-8
 * (impossible after validation) yields its bytes as U+FFFD. */
static int64_t pl_next_cp(pl_der_tag tag, pl_span v, size_t *i) {
    if (*i >= v.len) {
        return -1;
    }
    const uint8_t *p = v.p + *i;
    size_t left = v.len - *i;
    switch (tag) {
    case PL_DER_BMP_STRING: *i += 2; return left >= 2 ? ((uint32_t)p[0] << 8 | p[1]) : 0xfffd;
    case PL_DER_UNIVERSAL_STRING:
        *i += 4;
        return left >= 4
                   ? ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3])
                   : 0xfffd;
    case PL_DER_UTF8_STRING: {
        size_t n = p[0] < 0x80 ? 0 : p[0] >= 0xf0 ? 3 : p[0] >= 0xe0 ? 2 : 1;
        if (n >= left) {
            *i = v.len;
            return 0xfffd;
        }
        uint32_t cp = n == 0   ? p[0]
                      : n == 1 ? (p[0] & 0x1fu)
                      : n == 2 ? (p[0] & 0x0fu)
                               : (p[0] & 0x07u);
        for (size_t k = 1; k <= n; k++) {
            cp = (cp << 6) | (p[k] & 0x3fu);
        }
        *i += n + 1;
        return cp;
    }
    default:
        /* ASCII types, and Teletex read as Latin-1. */
        *i += 1;
        return p[0];
    }
}

static void pl_text_atv(pl_text *t, const pl_x509_atv *atv) {
    char type[64];
    int known = pl_oid_is_name_attribute(pl_oid_lookup(atv->type));
    if (known) {
        pl_oid_describe(atv->type, type, sizeof(type));
    } else if (pl_der_oid_text(atv->type, type, sizeof(type)) != PADLOCK_OK) {
        snprintf(type, sizeof(type), "(unprintable OID)");
    }
    pl_text_put(t, type, strlen(type));
    pl_text_put(t, "=", 1);
    if (!known || !pl_der_string_valid(atv->value_tag, atv->value)) {
        /* RFC 4514 §2.4: values of unrecognised types are '#' and the hex of their BER. */
        static const char hex[] = "0123456789ABCDEF";
        pl_text_put(t, "#", 1);
        for (size_t i = 0; i < atv->value_tlv.len; i++) {
            char h[2] = {hex[atv->value_tlv.p[i] >> 4], hex[atv->value_tlv.p[i] & 15]};
            pl_text_put(t, h, 2);
        }
        return;
    }
    size_t i = 0;
    int first = 1;
    for (;;) {
        int64_t cp = pl_next_cp(atv->value_tag, atv->value, &i);
        if (cp < 0) {
            break;
        }
        pl_text_value_cp(t, (uint32_t)cp, first, i >= atv->value.len);
        first = 0;
    }
}

size_t pl_x509_name_format(pl_span name_tlv, char *out, size_t cap) {
    pl_text t = {out, cap, 0, 0};
    /* RFC 4514 §2.1 lists RDNs last to first: collect them, then walk backwards. */
    enum { MAX_RDNS = 64 };
    pl_span rdns[MAX_RDNS];
    size_t num = 0;
    pl_cur c;
    pl_cur_init(&c, name_tlv.p, name_tlv.len);
    pl_cur seq;
    if (pl_der_expect(&c, PL_DER_SEQUENCE, &seq, NULL) == PADLOCK_OK) {
        pl_cur set;
        pl_span tlv;
        while (pl_cur_left(&seq) > 0 && pl_der_expect(&seq, PL_DER_SET, &set, &tlv) == PADLOCK_OK) {
            if (num == MAX_RDNS) {
                t.truncated = 1;
                break;
            }
            rdns[num++] = tlv;
        }
    }
    for (size_t r = num; r > 0; r--) {
        if (r != num) {
            pl_text_put(&t, ",", 1);
        }
        /* A one-RDN Name around this RDN lets the iterator walk its attributes. */
        pl_x509_name_iter it;
        pl_cur_init(&it.rdns, rdns[r - 1].p, rdns[r - 1].len);
        pl_cur_init(&it.atvs, NULL, 0);
        pl_x509_atv atv;
        int first_atv = 1;
        while (pl_x509_name_iter_next(&it, &atv, NULL)) {
            if (!first_atv) {
                pl_text_put(&t, "+", 1);
            }
            pl_text_atv(&t, &atv);
            first_atv = 0;
        }
    }
    if (t.truncated) {
        out[t.len++] = '.';
        out[t.len++] = '.';
        out[t.len++] = '.';
    }
    out[t.len] = '\0';
    return t.len;
}

int pl_x509_name_value_valid(const char *s, size_t len) {
    pl_span v = {(const uint8_t *)s, len};
    if (len == 0 || !pl_der_string_valid(PL_DER_UTF8_STRING, v)) {
        return 0;
    }
    size_t chars = 0;
    for (size_t i = 0; i < len; i++) {
        /* UTF-8 continuation octets are 10xxxxxx; every other octet starts a character. */
        chars += (v.p[i] & 0xc0) != 0x80;
    }
    return chars <= PL_X509_NAME_MAX_CHARS;
}

/* One RDN holding one AttributeTypeAndValue with a UTF8String value. */
static padlock_err pl_name_write_rdn(pl_buf *b, pl_oid_id type, const char *value) {
    size_t len = strlen(value);
    PL_CHECK(pl_x509_name_value_valid(value, len), PADLOCK_E_INVALID_ARGUMENT);
    pl_der_nest rdn, atv;
    PL_TRY(pl_der_open(b, PL_DER_SET, &rdn));
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &atv));
    PL_TRY(pl_der_put_oid(b, pl_oid_bytes(type)));
    PL_TRY(pl_der_put_string(b, PL_DER_UTF8_STRING, value, len));
    PL_TRY(pl_der_close(b, &atv));
    return pl_der_close(b, &rdn);
}

padlock_err pl_x509_name_write(pl_buf *b, const char *organization, const char *common_name) {
    pl_der_nest name;
    PL_TRY(pl_der_open(b, PL_DER_SEQUENCE, &name));
    /* Most general first: the RFC 4514 form prints it last ("CN=x,O=y"). */
    if (organization != NULL) {
        PL_TRY(pl_name_write_rdn(b, PL_OID_AT_O, organization));
    }
    if (common_name != NULL) {
        PL_TRY(pl_name_write_rdn(b, PL_OID_AT_CN, common_name));
    }
    return pl_der_close(b, &name);
}
