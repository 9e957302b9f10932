/* The JSON writer of json.h: RFC 8259 §7 string escaping (quotation mark, reverse solidus and
 * control characters; other text passes as the UTF-8 it is), two-space indentation. */
#include "json.h"

void pl_json_init(pl_json *j, FILE *out) {
    j->out = out;
    j->depth = 0;
    j->overflow = 0;
}

static void pl_json_text(FILE *out, const char *s) {
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                fprintf(out, "\\u%04x", *p);
            } else {
                fputc(*p, out);
            }
        }
    }
    fputc('"', out);
}

/* The separator, indentation and key before a value. */
static void pl_json_prefix(pl_json *j, const char *key) {
    if (j->depth > 0) {
        fputs(j->has_items[j->depth - 1] ? ",\n" : "\n", j->out);
        j->has_items[j->depth - 1] = 1;
        for (int i = 0; i < j->depth; i++) {
            fputs("  ", j->out);
        }
    }
    if (key != NULL) {
        pl_json_text(j->out, key);
        fputs(": ", j->out);
    }
}

static void pl_json_open(pl_json *j, const char *key, char open, char close) {
    if (j->depth >= PL_JSON_MAX_DEPTH) {
        j->overflow++;
        return;
    }
    pl_json_prefix(j, key);
    fputc(open, j->out);
    j->has_items[j->depth] = 0;
    j->close[j->depth] = close;
    j->depth++;
}

void pl_json_object(pl_json *j, const char *key) {
    pl_json_open(j, key, '{', '}');
}

void pl_json_array(pl_json *j, const char *key) {
    pl_json_open(j, key, '[', ']');
}

void pl_json_end(pl_json *j) {
    if (j->overflow > 0) {
        j->overflow--;
        return;
    }
    if (j->depth == 0) {
        return;
    }
    j->depth--;
    if (j->has_items[j->depth]) {
        fputc('\n', j->out);
        for (int i = 0; i < j->depth; i++) {
            fputs("  ", j->out);
        }
    }
    fputc(j->close[j->depth], j->out);
    if (j->depth == 0) {
        fputc('\n', j->out);
    }
}

void pl_json_string(pl_json *j, const char *key, const char *value) {
    pl_json_prefix(j, key);
    if (value == NULL) {
        fputs("null", j->out);
    } else {
        pl_json_text(j->out, value);
    }
}

void pl_json_int(pl_json *j, const char *key, long long value) {
    pl_json_prefix(j, key);
    fprintf(j->out, "%lld", value);
}

void pl_json_bool(pl_json *j, const char *key, int value) {
    pl_json_prefix(j, key);
    fputs(value ? "true" : "false", j->out);
}

void pl_json_null(pl_json *j, const char *key) {
    pl_json_prefix(j, key);
    fputs("null", j->out);
}
