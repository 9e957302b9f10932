/* Reads hex dumps out of the RFC texts (RFC 8448 traces, RFC 8446 examples) at test time. */
#include "rfc_hex.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

/* The whole text of specs/<rfc>, NUL-terminated; malloc'd. */
static char *pl_rfc_text(const char *rfc) {
    char path[4096];
    size_t len;
    snprintf(path, sizeof(path), "%s/specs/%s", pl_test_shared_dir(), rfc);
    return (char *)pl_test_read_file(path, &len);
}

/* Appends the hex pairs of one line ("01 02" or "0102") to out (cap bytes); returns the
 * number added, or -1 if the line holds anything but hex pairs and whitespace. */
static long pl_hex_line(const char *line, const char *end, uint8_t *out, size_t cap) {
    size_t n = 0;
    const char *p = line;
    while (p < end) {
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        if (end - p < 2 || !isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1])) {
            return -1;
        }
        if (n == cap) {
            return -1;
        }
        char pair[3] = {p[0], p[1], 0};
        out[n++] = (uint8_t)strtoul(pair, NULL, 16);
        p += 2;
    }
    return (long)n;
}

static const char *pl_next_line(const char *p) {
    const char *nl = strchr(p, '\n');
    return nl != NULL ? nl + 1 : p + strlen(p);
}

static const char *pl_line_end(const char *p) {
    const char *nl = strchr(p, '\n');
    return nl != NULL ? nl : p + strlen(p);
}

/* A page break line of an RFC: form feed, blank, "RFC 8448  ...  January 2019" header or
 * "Thomson  Informational  [Page 3]" footer (these start in column 0; dump lines are indented). */
static int pl_page_noise(const char *line, const char *end) {
    if (line == end || *line == '\f' || *line == '\r') {
        return 1;
    }
    for (const char *p = line; p < end; p++) {
        if (!isspace((unsigned char)*p)) {
            return !isspace((unsigned char)line[0]);
        }
    }
    return 1;
}

/* Collects exactly want bytes of hex from p onwards (the rest of the label line, then indented
 * continuation lines across page breaks). */
static uint8_t *pl_collect(const char *p, size_t want) {
    uint8_t *out = malloc(want + 1);
    size_t have = 0;
    int first = 1;
    while (out != NULL && have < want && *p != '\0') {
        const char *end = pl_line_end(p);
        if (first || !pl_page_noise(p, end)) {
            long n = pl_hex_line(p, end, out + have, want - have);
            if (n < 0) {
                break;
            }
            have += (size_t)n;
        }
        first = 0;
        p = pl_next_line(p);
    }
    if (out != NULL && have != want) {
        free(out);
        out = NULL;
    }
    return out;
}

uint8_t *pl_test_rfc8448_hex(const char *section, const char *label, int nth, size_t *out_len) {
    char *text = pl_rfc_text("rfc8448.txt");
    if (text == NULL) {
        return NULL;
    }
    char heading[16];
    snprintf(heading, sizeof(heading), "%s.  ", section);
    uint8_t *result = NULL;
    int in_section = 0;
    size_t label_len = strlen(label);
    for (const char *p = text; *p != '\0' && result == NULL; p = pl_next_line(p)) {
        /* Section headings start in column 0 ("3.  Simple 1-RTT Handshake"); the table of
         * contents is indented. */
        if (isdigit((unsigned char)*p)) {
            if (in_section) {
                break;
            }
            in_section = strncmp(p, heading, strlen(heading)) == 0;
            continue;
        }
        if (!in_section) {
            continue;
        }
        const char *s = p;
        while (*s == ' ') {
            s++;
        }
        unsigned long want;
        int used = 0;
        if (strncmp(s, label, label_len) != 0 ||
            sscanf(s + label_len, " (%lu octets):%n", &want, &used) != 1 || used == 0) {
            continue;
        }
        if (nth-- > 0) {
            continue;
        }
        result = pl_collect(s + label_len + used, want);
        *out_len = want;
        break;
    }
    free(text);
    return result;
}

uint8_t *pl_test_rfc_hex_after(const char *rfc, const char *marker, size_t *out_len) {
    char *text = pl_rfc_text(rfc);
    if (text == NULL) {
        return NULL;
    }
    uint8_t *result = NULL;
    const char *at = strstr(text, marker);
    if (at != NULL) {
        uint8_t buf[4096];
        size_t have = 0;
        for (const char *p = pl_next_line(at); *p != '\0'; p = pl_next_line(p)) {
            const char *end = pl_line_end(p);
            long n = pl_hex_line(p, end, buf + have, sizeof(buf) - have);
            if (n == 0 && have == 0) {
                continue; /* blank lines before the dump */
            }
            if (n <= 0) {
                break;
            }
            have += (size_t)n;
        }
        if (have > 0) {
            result = malloc(have);
            memcpy(result, buf, have);
            *out_len = have;
        }
    }
    free(text);
    return result;
}
