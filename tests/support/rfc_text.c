/* Hex values read out of RFC texts: RFC 8448 sections, steps ("{client}  ..."), labelled
 * values ("secret (32 octets):  33 ad ...") across the RFC's page breaks, and the unlabelled
 * hex examples of other RFCs. One reader of lines and hex bytes serves both. */
#include "rfc_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

char *pl_rfc_load(const char *rfc) {
    char path[4096];
    snprintf(path, sizeof(path), "%s/specs/%s", pl_test_shared_dir(), rfc);
    size_t len;
    return (char *)pl_test_read_file(path, &len);
}

char *pl_rfc8448_text;

int pl_rfc8448_setup(void **state) {
    (void)state;
    pl_rfc8448_text = pl_rfc_load("rfc8448.txt");
    return pl_rfc8448_text == NULL ? -1 : 0;
}

int pl_rfc8448_teardown(void **state) {
    (void)state;
    free(pl_rfc8448_text);
    pl_rfc8448_text = NULL;
    return 0;
}

/* A line of the text: [p, end), end excluding the newline. */
typedef struct line {
    const char *p;
    const char *end;
} line;

/* The line starting at p (p < text end), and where the next one starts. */
static line line_at(const char *p, const char **next) {
    const char *e = strchr(p, '\n');
    if (e == NULL) {
        e = p + strlen(p);
        *next = e;
    } else {
        *next = e + 1;
    }
    line l = {p, e};
    return l;
}

static int line_starts(line l, const char *s) {
    size_t n = strlen(s);
    return (size_t)(l.end - l.p) >= n && memcmp(l.p, s, n) == 0;
}

static int line_contains(line l, const char *s) {
    size_t n = strlen(s);
    for (const char *q = l.p; q + n <= l.end; q++) {
        if (memcmp(q, s, n) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The line without leading blanks and form feeds. */
static line line_trim(line l) {
    while (l.p < l.end && (*l.p == ' ' || *l.p == '\f' || *l.p == '\r')) {
        l.p++;
    }
    while (l.end > l.p && (l.end[-1] == ' ' || l.end[-1] == '\r')) {
        l.end--;
    }
    return l;
}

/* A section heading sits in column 0: "3.  Simple 1-RTT Handshake". */
static int is_section_heading(line l) {
    const char *q = l.p;
    while (q < l.end && isdigit((unsigned char)*q)) {
        q++;
    }
    return q > l.p && l.end - q >= 3 && memcmp(q, ".  ", 3) == 0;
}

/* A step heading: "   {client}  construct a ClientHello handshake message:". */
static int is_step_heading(line l) {
    line t = line_trim(l);
    return line_starts(t, "{client}") || line_starts(t, "{server}");
}

/* The RFC's page footers and headers, and blank lines. */
static int is_page_noise(line l) {
    line t = line_trim(l);
    return t.p == t.end || line_contains(t, "[Page ") || line_starts(t, "RFC 8448 ");
}

/* Reads hex bytes from [p, end) into out until want bytes are there; returns -1 on a token
 * that is not one hex byte. */
static int read_hex_tokens(const char *p, const char *end, uint8_t *out, size_t *have,
                           size_t want) {
    while (p < end && *have < want) {
        while (p < end && (*p == ' ' || *p == '\f' || *p == '\r')) {
            p++;
        }
        if (p == end) {
            break;
        }
        const char *tok = p;
        while (p < end && *p != ' ' && *p != '\r') {
            p++;
        }
        if (p - tok != 2 || pl_test_hex_digit(tok[0]) < 0 || pl_test_hex_digit(tok[1]) < 0) {
            return -1;
        }
        out[(*have)++] = (uint8_t)(pl_test_hex_digit(tok[0]) << 4 | pl_test_hex_digit(tok[1]));
    }
    return 0;
}

/* Reads hex pairs ("01 02" or "0102") from [p, end) into out (cap bytes); returns -1 on anything
 * else, leaving *have at the bytes read so far. */
static int read_hex_pairs(const char *p, const char *end, uint8_t *out, size_t *have, size_t cap) {
    while (p < end) {
        if (*p == ' ' || *p == '\r' || *p == '\f') {
            p++;
            continue;
        }
        if (end - p < 2 || pl_test_hex_digit(p[0]) < 0 || pl_test_hex_digit(p[1]) < 0 ||
            *have == cap) {
            return -1;
        }
        out[(*have)++] = (uint8_t)(pl_test_hex_digit(p[0]) << 4 | pl_test_hex_digit(p[1]));
        p += 2;
    }
    return 0;
}

/* If line l is "<field> (<N> octets):" (after indentation), reads the N bytes of the value, which
 * continue on the following lines across page breaks, and returns them (malloc'd); *next_out
 * then points after the value's last line. Returns NULL with *matched = 0 for another line, and
 * NULL with *matched = 1 for a malformed value. */
static uint8_t *read_value(line l, const char *next, const char *field, size_t *out_len,
                           int *matched) {
    char prefix[128];
    snprintf(prefix, sizeof(prefix), "%s (", field);
    line t = line_trim(l);
    *matched = line_starts(t, prefix);
    if (!*matched) {
        return NULL;
    }
    char *num_end;
    unsigned long n = strtoul(t.p + strlen(prefix), &num_end, 10);
    if (strncmp(num_end, " octets):", 9) != 0) {
        return NULL;
    }
    uint8_t *out = malloc(n + 1);
    if (out == NULL) {
        return NULL;
    }
    size_t have = 0;
    const char *p;
    if (n == 0 || read_hex_tokens(num_end + 9, l.end, out, &have, n) == 0) {
        for (p = next; *p != '\0' && have < n; p = next) {
            line v = line_at(p, &next);
            if (is_page_noise(v)) {
                continue;
            }
            if (is_step_heading(v) || read_hex_tokens(v.p, v.end, out, &have, n) != 0) {
                break;
            }
        }
    }
    if (have != n) {
        free(out);
        return NULL;
    }
    *out_len = n;
    return out;
}

uint8_t *pl_rfc8448_value(const char *text, const char *section, const char *step, int nth,
                          const char *field, size_t *out_len) {
    char sec_heading[16];
    snprintf(sec_heading, sizeof(sec_heading), "%s.  ", section);
    const char *p = text;
    const char *next;
    /* Find the section. */
    int in_section = 0;
    for (; *p != '\0'; p = next) {
        line l = line_at(p, &next);
        if (line_starts(l, sec_heading)) {
            in_section = 1;
            p = next;
            break;
        }
    }
    if (!in_section) {
        fprintf(stderr, "rfc8448: section %s not found\n", section);
        return NULL;
    }
    int field_nth = 0;
    if (step != NULL) {
        /* Find the nth matching step inside it; the field is its first of that label. */
        int seen = 0;
        int in_step = 0;
        for (; *p != '\0'; p = next) {
            line l = line_at(p, &next);
            if (is_section_heading(l)) {
                break;
            }
            if (is_step_heading(l) && line_contains(l, step) && seen++ == nth) {
                in_step = 1;
                p = next;
                break;
            }
        }
        if (!in_step) {
            fprintf(stderr, "rfc8448: §%s step #%d \"%s\" not found\n", section, nth, step);
            return NULL;
        }
    } else {
        field_nth = nth;
    }
    for (; *p != '\0'; p = next) {
        line l = line_at(p, &next);
        if (is_section_heading(l) || (step != NULL && is_step_heading(l))) {
            break;
        }
        int matched;
        uint8_t *v = read_value(l, next, field, out_len, &matched);
        if (!matched || field_nth-- > 0) {
            free(v);
            continue;
        }
        if (v == NULL) {
            fprintf(stderr, "rfc8448: §%s \"%s\": malformed value \"%s\"\n", section,
                    step != NULL ? step : "", field);
        }
        return v;
    }
    fprintf(stderr, "rfc8448: §%s \"%s\": field \"%s\" #%d not found\n", section,
            step != NULL ? step : "", field, step != NULL ? 0 : nth);
    return NULL;
}

uint8_t *pl_rfc_hex_after(const char *text, const char *marker, size_t *out_len) {
    const char *at = strstr(text, marker);
    if (at == NULL) {
        return NULL;
    }
    uint8_t buf[4096];
    size_t have = 0;
    const char *next;
    line_at(at, &next);
    for (const char *p = next; *p != '\0'; p = next) {
        line l = line_at(p, &next);
        line t = line_trim(l);
        if (t.p == t.end) {
            if (have == 0) {
                continue; /* blank lines before the dump */
            }
            break;
        }
        size_t before = have;
        if (read_hex_pairs(t.p, t.end, buf, &have, sizeof(buf)) != 0 || have == before) {
            break;
        }
    }
    if (have == 0) {
        return NULL;
    }
    uint8_t *result = malloc(have);
    if (result != NULL) {
        memcpy(result, buf, have);
        *out_len = have;
    }
    return result;
}
