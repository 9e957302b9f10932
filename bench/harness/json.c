/* The JSON writer: keys are the harness's own identifiers; string values are escaped because
 * they include version strings and error reasons from the libraries. */
#include "json.h"

#include <math.h>
#include <stdio.h>

static void key(json_t *j, const char *k) {
    printf("%s\"%s\": ", j->fields++ == 0 ? "" : ", ", k);
}

void json_begin(json_t *j) {
    j->fields = 0;
    putchar('{');
}

void json_str(json_t *j, const char *k, const char *value) {
    key(j, k);
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)value; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            printf("\\%c", *p);
        } else if (*p < 0x20) {
            printf("\\u%04x", *p);
        } else {
            putchar(*p);
        }
    }
    putchar('"');
}

void json_num(json_t *j, const char *k, double value) {
    key(j, k);
    if (isfinite(value)) {
        printf("%.9g", value);
    } else {
        fputs("null", stdout);
    }
}

void json_u64(json_t *j, const char *k, uint64_t value) {
    key(j, k);
    printf("%llu", (unsigned long long)value);
}

void json_end(json_t *j) {
    (void)j;
    puts("}");
    fflush(stdout);
}
