/* PEM (RFC 7468) decoding and encoding, with a strict base64 (RFC 4648 §4) codec. */
#include "wire/pem.h"

#include <string.h>

#include "util/mem.h"

static const char pl_b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Character classes for decoding: the 6-bit value, or BAD / SPACE / PAD. A table rather than
 * range tests: base64 text is random, so range branches mispredict on nearly every character,
 * and decoding the system CA bundle is on every client's start-up path. */
enum { PL_B64_BAD = 0x80, PL_B64_SPACE = 0x81, PL_B64_PAD = 0x82 };
static const uint8_t pl_b64_class[256] = {
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x81, 0x80, 0x80, 0x81, 0x80, 0x80,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x3e, 0x80, 0x80, 0x80, 0x3f,
    0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x80, 0x80, 0x80, 0x82, 0x80, 0x80,
    0x80, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
    0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x80, 0x80, 0x80, 0x80, 0x80,
    0x80, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x80, 0x80, 0x80, 0x80, 0x80,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
};

static int pl_is_space(char c) {
    return pl_b64_class[(unsigned char)c] == PL_B64_SPACE;
}

/* Finds needle in text[from, len); returns its offset or len when absent. memchr finds each
 * candidate first byte, so scanning a base64 body for "-----END" costs one pass: the trust
 * store parses the whole system bundle at every client start. */
static size_t pl_find(const char *text, size_t len, size_t from, const char *needle) {
    size_t n = strlen(needle);
    size_t i = from;
    while (i + n <= len) {
        const char *hit = memchr(text + i, needle[0], len - n + 1 - i);
        if (hit == NULL) {
            return len;
        }
        i = (size_t)(hit - text);
        if (memcmp(text + i, needle, n) == 0) {
            return i;
        }
        i++;
    }
    return len;
}

/* Decodes base64 from text[0, len) (whitespace ignored, padding required to a multiple of 4
 * characters, nothing after padding) into out, which has room for len * 3 / 4 bytes. */
static padlock_err pl_b64_decode(const char *text, size_t len, uint8_t *out, size_t *out_len) {
    uint32_t acc = 0;
    size_t nchars = 0;
    size_t npad = 0;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t v = pl_b64_class[(unsigned char)text[i]];
        if (v < 64) {
            PL_CHECK(npad == 0, PADLOCK_E_PEM); /* data after padding */
            acc = (acc << 6) | v;
            if (++nchars % 4 == 0) {
                out[o++] = (uint8_t)(acc >> 16);
                out[o++] = (uint8_t)(acc >> 8);
                out[o++] = (uint8_t)acc;
                acc = 0;
            }
        } else if (v == PL_B64_PAD) {
            npad++;
            nchars++;
            PL_CHECK(npad <= 2, PADLOCK_E_PEM);
        } else {
            PL_CHECK(v == PL_B64_SPACE, PADLOCK_E_PEM);
        }
    }
    PL_CHECK(nchars % 4 == 0, PADLOCK_E_PEM);
    if (npad > 0) {
        /* The last quantum held 4 - npad data characters, already shifted into acc. */
        size_t data = 4 - npad;
        acc <<= 6 * npad;
        PL_CHECK(data >= 2, PADLOCK_E_PEM);
        /* Unused low bits must be zero (canonical encoding). */
        PL_CHECK((npad == 1 ? (acc & 0xff) : (acc & 0xffff)) == 0, PADLOCK_E_PEM);
        out[o++] = (uint8_t)(acc >> 16);
        if (data == 3) {
            out[o++] = (uint8_t)(acc >> 8);
        }
    }
    *out_len = o;
    return PADLOCK_OK;
}

/* RFC 7468 §3: label = [ labelchar *( ["-" / SP] labelchar ) ], labelchar = %x21-2C / %x2E-7E.
 * A hyphen or space may only sit singly between label characters. */
static int pl_pem_label_ok(const char *label, size_t len) {
    int prev_sep = 1; /* the first character must be a labelchar */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)label[i];
        if (c == '-' || c == ' ') {
            if (prev_sep) {
                return 0;
            }
            prev_sep = 1;
        } else if (c >= 0x21 && c <= 0x7e) {
            prev_sep = 0;
        } else {
            return 0;
        }
    }
    return len == 0 || !prev_sep;
}

void pl_pem_block_cleanup(pl_pem_block *b) {
    pl_free(b->der);
    b->der = NULL;
    b->der_len = 0;
}

int pl_pem_looks_like_pem(const uint8_t *data, size_t len) {
    return pl_find((const char *)data, len, 0, "-----BEGIN ") < len;
}

/* Skips RFC 1421 header lines ("Name: value") at the start of a body and the blank line that
 * ends them. Returns the offset where base64 begins and sets *has_headers. */
static size_t pl_pem_skip_headers(const char *body, size_t len, int *has_headers) {
    size_t i = 0;
    while (i < len && pl_is_space(body[i])) {
        i++;
    }
    size_t line_end = pl_find(body, len, i, "\n");
    if (pl_find(body, line_end, i, ":") == line_end) {
        *has_headers = 0;
        return i;
    }
    *has_headers = 1;
    /* Headers end at the first empty line. */
    size_t blank = pl_find(body, len, i, "\n\n");
    size_t blank_crlf = pl_find(body, len, i, "\n\r\n");
    size_t end = blank < blank_crlf ? blank : blank_crlf;
    return end < len ? end + 1 : len;
}

padlock_err pl_pem_next(const char *text, size_t len, size_t *pos, pl_pem_block *out, int *found) {
    static const char begin_tag[] = "-----BEGIN ";
    static const char dashes[] = "-----";
    memset(out, 0, sizeof(*out));
    *found = 0;
    size_t begin = pl_find(text, len, *pos, begin_tag);
    if (begin == len) {
        *pos = len;
        return PADLOCK_OK;
    }
    size_t label_at = begin + strlen(begin_tag);
    size_t label_end = pl_find(text, len, label_at, dashes);
    PL_CHECK(label_end < len, PADLOCK_E_PEM);
    size_t label_len = label_end - label_at;
    PL_CHECK(label_len <= PL_PEM_MAX_LABEL, PADLOCK_E_PEM);
    PL_CHECK(pl_pem_label_ok(text + label_at, label_len), PADLOCK_E_PEM);
    memcpy(out->label, text + label_at, label_len);
    out->label[label_len] = '\0';

    /* The END line must carry the same label. */
    char end_line[sizeof("-----END -----") + PL_PEM_MAX_LABEL];
    memcpy(end_line, "-----END ", 9);
    memcpy(end_line + 9, out->label, label_len);
    memcpy(end_line + 9 + label_len, dashes, sizeof(dashes));
    size_t body_at = label_end + strlen(dashes);
    size_t end = pl_find(text, len, body_at, end_line);
    PL_CHECK(end < len, PADLOCK_E_PEM);
    /* A BEGIN inside the body means the first block was never closed. */
    PL_CHECK(pl_find(text, end, body_at, begin_tag) == end, PADLOCK_E_PEM);

    const char *body = text + body_at;
    size_t body_len = end - body_at;
    size_t b64_at = pl_pem_skip_headers(body, body_len, &out->has_headers);
    out->der = pl_malloc(body_len / 4 * 3 + 3);
    PL_CHECK(out->der != NULL, PADLOCK_E_NO_MEMORY);
    padlock_err err = pl_b64_decode(body + b64_at, body_len - b64_at, out->der, &out->der_len);
    if (err == PADLOCK_OK && out->der_len == 0) {
        err = PADLOCK_E_PEM;
    }
    if (err != PADLOCK_OK) {
        pl_pem_block_cleanup(out);
        return err;
    }
    size_t after = end + strlen(end_line);
    if (after < len && text[after] == '\r') {
        after++;
    }
    if (after < len && text[after] == '\n') {
        after++;
    }
    *pos = after;
    *found = 1;
    return PADLOCK_OK;
}

padlock_err pl_pem_encode(const char *label, const uint8_t *der, size_t der_len, char **out,
                          size_t *out_len) {
    size_t label_len = strlen(label);
    PL_CHECK(label_len <= PL_PEM_MAX_LABEL, PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(pl_pem_label_ok(label, label_len), PADLOCK_E_INVALID_ARGUMENT);
    PL_CHECK(der_len <= SIZE_MAX / 2, PADLOCK_E_INVALID_ARGUMENT);
    size_t b64_len = (der_len + 2) / 3 * 4;
    size_t lines = (b64_len + 63) / 64;
    size_t total = 2 * (label_len + 16) + b64_len + lines + 1;
    char *s = pl_malloc(total);
    PL_CHECK(s != NULL, PADLOCK_E_NO_MEMORY);
    size_t o = 0;
    memcpy(s + o, "-----BEGIN ", 11);
    o += 11;
    memcpy(s + o, label, label_len);
    o += label_len;
    memcpy(s + o, "-----\n", 6);
    o += 6;
    size_t col = 0;
    for (size_t i = 0; i < der_len; i += 3) {
        uint32_t v = (uint32_t)der[i] << 16;
        size_t n = der_len - i < 3 ? der_len - i : 3;
        if (n > 1) {
            v |= (uint32_t)der[i + 1] << 8;
        }
        if (n > 2) {
            v |= der[i + 2];
        }
        char quad[4] = {pl_b64_alphabet[(v >> 18) & 63], pl_b64_alphabet[(v >> 12) & 63],
                        n > 1 ? pl_b64_alphabet[(v >> 6) & 63] : '=',
                        n > 2 ? pl_b64_alphabet[v & 63] : '='};
        memcpy(s + o, quad, 4);
        o += 4;
        col += 4;
        if (col == 64) {
            s[o++] = '\n';
            col = 0;
        }
    }
    if (col != 0) {
        s[o++] = '\n';
    }
    memcpy(s + o, "-----END ", 9);
    o += 9;
    memcpy(s + o, label, label_len);
    o += label_len;
    memcpy(s + o, "-----\n", 6);
    o += 6;
    s[o] = '\0';
    *out = s;
    *out_len = o;
    return PADLOCK_OK;
}
