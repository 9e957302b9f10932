/* A one-line JSON object writer for the programs' results (read by bench/run.py). */
#ifndef BENCH_HARNESS_JSON_H
#define BENCH_HARNESS_JSON_H

#include <stdint.h>

typedef struct {
    int fields;
} json_t;

void json_begin(json_t *j);
void json_str(json_t *j, const char *key, const char *value);
void json_num(json_t *j, const char *key, double value);
void json_u64(json_t *j, const char *key, uint64_t value);
/* Closes the object, ends the line and flushes stdout. */
void json_end(json_t *j);

#endif
