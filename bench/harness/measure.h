/* What every bench program (the library programs' driver and bench-floor) measures alike: the
 * thread CPU clock, and the options that say how much to measure, parsed the same way. */
#ifndef BENCH_HARNESS_MEASURE_H
#define BENCH_HARNESS_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The calling thread's CPU time in nanoseconds (CLOCK_THREAD_CPUTIME_ID). */
uint64_t bench_cpu_ns(void);

/* How much to measure: the application write size of bulk runs, and either at least min_time
 * seconds of CPU or exactly iterations handshakes or writes (when non-zero). */
typedef struct {
    size_t write_size;
    double min_time;
    uint64_t iterations;
} bench_measure;

/* 16 KiB writes, at least one second of CPU. */
#define BENCH_MEASURE_DEFAULTS                                                                     \
    { .write_size = 16384, .min_time = 1.0, .iterations = 0 }

/* The decimal number s, all of it; calls usage (which must not return) otherwise. */
uint64_t bench_parse_u64(const char *s, void (*usage)(void));

/* Takes the option k with its value v into m when k is --write-size (1 to 16384),
 * --min-time (seconds, > 0) or --iterations; returns false, m untouched, for any other option.
 * A bad value calls usage (which must not return). */
bool bench_measure_option(bench_measure *m, const char *k, const char *v, void (*usage)(void));

#endif
