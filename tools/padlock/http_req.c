/* padlock server --www: the HTTP/1.1 request head parser. Request line (RFC 9112 §3), header
 * fields (RFC 9112 §5, RFC 9110 §5), Host (RFC 9112 §3.2), persistence (RFC 9112 §9.3) and
 * message body framing (RFC 9112 §6), strictly: whatever is ambiguous is a 400. */
#include <string.h>

#include "http.h"

/* RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
 * "_" / "`" / "|" / "~" / DIGIT / ALPHA */
static int pl_tchar(uint8_t c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int pl_token(const uint8_t *p, size_t n) {
    if (n == 0) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (!pl_tchar(p[i])) {
            return 0;
        }
    }
    return 1;
}

static uint8_t pl_lower(uint8_t c) {
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

/* p[0..n) equals the lower-case word, ignoring case. */
static int pl_is(const uint8_t *p, size_t n, const char *word) {
    if (strlen(word) != n) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (pl_lower(p[i]) != (uint8_t)word[i]) {
            return 0;
        }
    }
    return 1;
}

static pl_http_parse_result pl_bad(pl_http_request *r, int status, const char *reason) {
    r->status = status;
    r->reason = reason;
    return PL_HTTP_BAD;
}

/* The line starting at *pos: [*start, *start + *n) without its CRLF or LF, *pos moved past it.
 * 0 when no line end is in buf yet, -1 for a CR not followed by LF. */
static int pl_line(const uint8_t *buf, size_t len, size_t *pos, const uint8_t **start, size_t *n) {
    const uint8_t *p = buf + *pos;
    const uint8_t *nl = memchr(p, '\n', len - *pos);
    if (nl == NULL) {
        return 0;
    }
    size_t l = (size_t)(nl - p);
    /* RFC 9112 §2.2: a bare LF may end a line; a bare CR is refused. */
    if (l > 0 && p[l - 1] == '\r') {
        l--;
    }
    if (memchr(p, '\r', l) != NULL) {
        return -1;
    }
    *start = p;
    *n = l;
    *pos += (size_t)(nl - p) + 1;
    return 1;
}

/* RFC 9112 §3: request-line = method SP request-target SP HTTP-version */
static pl_http_parse_result pl_request_line(const uint8_t *p, size_t n, pl_http_request *r) {
    const uint8_t *sp1 = memchr(p, ' ', n);
    if (sp1 == NULL) {
        return pl_bad(r, 400, "malformed request line");
    }
    size_t mlen = (size_t)(sp1 - p);
    const uint8_t *t = sp1 + 1;
    const uint8_t *sp2 = memchr(t, ' ', n - mlen - 1);
    if (sp2 == NULL || !pl_token(p, mlen)) {
        return pl_bad(r, 400, "malformed request line");
    }
    /* RFC 9112 §3: "A server that receives a method longer than any that it implements
     * SHOULD respond with a 501 (Not Implemented) status code." */
    if (mlen >= sizeof(r->method)) {
        return pl_bad(r, 501, "method name too long");
    }
    memcpy(r->method, p, mlen);
    r->method[mlen] = '\0';
    r->target = (const char *)t;
    r->target_len = (size_t)(sp2 - t);
    if (r->target_len == 0) {
        return pl_bad(r, 400, "malformed request line");
    }
    for (size_t i = 0; i < r->target_len; i++) {
        if (t[i] <= 0x20 || t[i] >= 0x7f) {
            return pl_bad(r, 400, "request target with a space or a non-ASCII byte");
        }
    }
    const uint8_t *v = sp2 + 1;
    size_t vlen = n - (size_t)(v - p);
    /* RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT */
    if (vlen != 8 || memcmp(v, "HTTP/", 5) != 0 || v[5] < '0' || v[5] > '9' || v[6] != '.' ||
        v[7] < '0' || v[7] > '9') {
        return pl_bad(r, 400, "malformed request line");
    }
    if (v[5] != '1') {
        return pl_bad(r, 505, "HTTP version not supported");
    }
    /* RFC 9110 §2.5: a later minor version of HTTP/1 is answered as HTTP/1.1. */
    r->minor = v[7] == '0' ? 0 : 1;
    return PL_HTTP_DONE;
}

/* What the header fields said. */
typedef struct pl_fields {
    int hosts;
    int close;
    int keep_alive;
    int chunked_or_te;
    int has_length;
    uint64_t length;
    int num;
} pl_fields;

/* RFC 9110 §7.6.1: Connection = #connection-option, compared ignoring case. */
static void pl_connection(const uint8_t *v, size_t n, pl_fields *f) {
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && v[j] != ',') {
            j++;
        }
        size_t a = i, b = j;
        while (a < b && (v[a] == ' ' || v[a] == '\t')) {
            a++;
        }
        while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t')) {
            b--;
        }
        if (pl_is(v + a, b - a, "close")) {
            f->close = 1;
        } else if (pl_is(v + a, b - a, "keep-alive")) {
            f->keep_alive = 1;
        }
        i = j + 1;
    }
}

/* RFC 9110 §8.6: Content-Length = 1*DIGIT; repeated fields must agree. */
static int pl_content_length(const uint8_t *v, size_t n, pl_fields *f) {
    if (n == 0 || n > 18) {
        return -1;
    }
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9') {
            return -1;
        }
        x = x * 10 + (uint64_t)(v[i] - '0');
    }
    if (f->has_length && f->length != x) {
        return -1;
    }
    f->has_length = 1;
    f->length = x;
    return 0;
}

/* One header field line (RFC 9112 §5.1: field-name ":" OWS field-value OWS). */
static pl_http_parse_result pl_field(const uint8_t *p, size_t n, pl_fields *f, pl_http_request *r) {
    /* RFC 9112 §5.2: obsolete line folding; a server may refuse it with 400. */
    if (p[0] == ' ' || p[0] == '\t') {
        return pl_bad(r, 400, "obsolete line folding in a header field");
    }
    const uint8_t *colon = memchr(p, ':', n);
    /* RFC 9112 §5.1: "No whitespace is allowed between the field name and colon." */
    if (colon == NULL || !pl_token(p, (size_t)(colon - p))) {
        return pl_bad(r, 400, "malformed header field");
    }
    if (++f->num > PL_HTTP_MAX_FIELDS) {
        return pl_bad(r, 431, "too many header fields");
    }
    size_t name_len = (size_t)(colon - p);
    const uint8_t *v = colon + 1;
    size_t vlen = n - name_len - 1;
    while (vlen > 0 && (v[0] == ' ' || v[0] == '\t')) {
        v++;
        vlen--;
    }
    while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t')) {
        vlen--;
    }
    /* RFC 9110 §5.5: field-value characters are VCHAR, obs-text, SP and HTAB. */
    for (size_t i = 0; i < vlen; i++) {
        if ((v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f) {
            return pl_bad(r, 400, "control character in a header field");
        }
    }
    if (pl_is(p, name_len, "host")) {
        f->hosts++;
    } else if (pl_is(p, name_len, "connection")) {
        pl_connection(v, vlen, f);
    } else if (pl_is(p, name_len, "transfer-encoding")) {
        f->chunked_or_te = 1;
    } else if (pl_is(p, name_len, "content-length") && pl_content_length(v, vlen, f) != 0) {
        return pl_bad(r, 400, "invalid Content-Length");
    }
    return PL_HTTP_DONE;
}

/* The verdict on a whole head. */
static pl_http_parse_result pl_finish(const pl_fields *f, pl_http_request *r) {
    /* RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any
     * HTTP/1.1 request message that lacks a Host header field and to any request message that
     * contains more than one Host header field line". */
    if (f->hosts > 1 || (r->minor == 1 && f->hosts == 0)) {
        return pl_bad(r, 400, f->hosts == 0 ? "no Host header field" : "more than one Host");
    }
    /* RFC 9112 §6.3: both framings at once "ought to be handled as an error". */
    if (f->chunked_or_te && f->has_length) {
        return pl_bad(r, 400, "both Transfer-Encoding and Content-Length");
    }
    r->has_body = f->chunked_or_te || (f->has_length && f->length > 0);
    /* RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive". A body
     * is never read, so the connection cannot be reused after one. */
    r->keep_alive = !f->close && (r->minor == 1 || f->keep_alive) && !r->has_body;
    return PL_HTTP_DONE;
}

pl_http_parse_result pl_http_parse(const uint8_t *buf, size_t len, pl_http_request *out) {
    memset(out, 0, sizeof(*out));
    size_t pos = 0;
    const uint8_t *line;
    size_t n;
    int got;
    /* RFC 9112 §2.2: empty lines before the request line are ignored. */
    while ((got = pl_line(buf, len, &pos, &line, &n)) == 1 && n == 0) {
    }
    if (got == 0) {
        if (len >= PL_HTTP_HEAD_MAX) {
            return pl_bad(out, 414, "request line longer than 8 KiB");
        }
        return PL_HTTP_INCOMPLETE;
    }
    if (got < 0) {
        return pl_bad(out, 400, "CR without LF");
    }
    pl_http_parse_result res = pl_request_line(line, n, out);
    if (res != PL_HTTP_DONE) {
        return res;
    }
    pl_fields f;
    memset(&f, 0, sizeof(f));
    for (;;) {
        got = pl_line(buf, len, &pos, &line, &n);
        if (got == 0) {
            if (len >= PL_HTTP_HEAD_MAX) {
                return pl_bad(out, 431, "request head longer than 8 KiB");
            }
            return PL_HTTP_INCOMPLETE;
        }
        if (got < 0) {
            return pl_bad(out, 400, "CR without LF");
        }
        if (n == 0) {
            break;
        }
        if ((res = pl_field(line, n, &f, out)) != PL_HTTP_DONE) {
            return res;
        }
    }
    out->head_len = pos;
    return pl_finish(&f, out);
}
