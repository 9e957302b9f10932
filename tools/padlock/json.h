/* A small streaming JSON writer (RFC 8259) for the --json output of padlock subcommands:
 * objects and arrays nest, commas are placed by the writer, strings are escaped. */
#ifndef PL_TOOLS_JSON_H
#define PL_TOOLS_JSON_H

#include <stdint.h>
#include <stdio.h>

/* Nesting deeper than this is a programming error: the extra levels are not written. */
#define PL_JSON_MAX_DEPTH 8

typedef struct pl_json {
    FILE *out;
    int depth;
    int overflow;                         /* levels opened beyond PL_JSON_MAX_DEPTH */
    uint8_t has_items[PL_JSON_MAX_DEPTH]; /* per level: something was written already */
    char close[PL_JSON_MAX_DEPTH];        /* per level: '}' or ']' */
} pl_json;

/* Starts writing one JSON value to out. */
void pl_json_init(pl_json *j, FILE *out);

/* Opens an object or array: as an array element or top-level value when key is NULL, else as
 * the member key of the enclosing object. */
void pl_json_object(pl_json *j, const char *key);
void pl_json_array(pl_json *j, const char *key);

/* Closes the innermost object or array; after the top-level value, ends the line. */
void pl_json_end(pl_json *j);

/* Members (key not NULL) or array elements (key NULL). A NULL string is written as null. */
void pl_json_string(pl_json *j, const char *key, const char *value);
void pl_json_int(pl_json *j, const char *key, long long value);
void pl_json_bool(pl_json *j, const char *key, int value);
void pl_json_null(pl_json *j, const char *key);

#endif
