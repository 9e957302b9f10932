/* Hex DER building for tests. */
#include "derhex.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static char **g_kept;
static size_t g_num_kept;
static size_t g_cap_kept;

char *derhex_keep(char *s) {
    if (g_num_kept == g_cap_kept) {
        g_cap_kept = g_cap_kept == 0 ? 64 : g_cap_kept * 2;
        g_kept = realloc(g_kept, g_cap_kept * sizeof(*g_kept));
        if (g_kept == NULL) {
            abort();
        }
    }
    g_kept[g_num_kept++] = s;
    return s;
}

void derhex_free_all(void) {
    for (size_t i = 0; i < g_num_kept; i++) {
        free(g_kept[i]);
    }
    free(g_kept);
    g_kept = NULL;
    g_num_kept = 0;
    g_cap_kept = 0;
}

char *derhex_cat(const char *first, ...) {
    va_list ap;
    size_t n = 0;
    va_start(ap, first);
    for (const char *s = first; s != NULL; s = va_arg(ap, const char *)) {
        n += strlen(s);
    }
    va_end(ap);
    char *out = calloc(1, n + 1);
    if (out == NULL) {
        abort();
    }
    va_start(ap, first);
    for (const char *s = first; s != NULL; s = va_arg(ap, const char *)) {
        strcat(out, s);
    }
    va_end(ap);
    return derhex_keep(out);
}

char *derhex_tlv(const char *tag, const char *content) {
    size_t n = strlen(content) / 2;
    char len[32];
    if (n < 0x80) {
        snprintf(len, sizeof(len), "%02zx", n);
    } else if (n < 0x100) {
        snprintf(len, sizeof(len), "81%02zx", n);
    } else {
        snprintf(len, sizeof(len), "82%04zx", n);
    }
    return derhex_cat(tag, len, content, NULL);
}

uint8_t *derhex_bytes(const char *hex, size_t *out_len) {
    char *clean = calloc(1, strlen(hex) + 1);
    if (clean == NULL) {
        abort();
    }
    size_t o = 0;
    for (const char *s = hex; *s != '\0'; s++) {
        if (*s != ' ') {
            clean[o++] = *s;
        }
    }
    uint8_t *b = pl_test_unhex(clean, out_len);
    free(clean);
    if (b == NULL) {
        abort();
    }
    derhex_keep((char *)b);
    return b;
}
