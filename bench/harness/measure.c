/* The thread CPU clock, the measuring options and the slice protocol shared by the driver and
 * bench-floor. */
#include "measure.h"

#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t bench_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t bench_wall_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void bench_cpu_share(uint64_t ns[2], uint64_t loop_cpu, uint64_t loop_wall) {
    if (loop_wall == 0) {
        return;
    }
    double on_cpu = (double)loop_cpu / (double)loop_wall;
    if (on_cpu > 1.0) {
        on_cpu = 1.0; /* the two clocks' granularity */
    }
    for (int k = 0; k < 2; k++) {
        ns[k] = (uint64_t)((double)ns[k] * on_cpu);
    }
}

uint64_t bench_parse_u64(const char *s, void (*usage)(void)) {
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0') {
        usage();
    }
    return (uint64_t)v;
}

bool bench_measure_option(bench_measure *m, const char *k, const char *v, void (*usage)(void)) {
    if (strcmp(k, "--write-size") == 0) {
        m->write_size = (size_t)bench_parse_u64(v, usage);
        if (m->write_size == 0 || m->write_size > 16384) {
            usage();
        }
    } else if (strcmp(k, "--min-time") == 0) {
        m->min_time = strtod(v, NULL);
        if (!(m->min_time > 0)) {
            usage();
        }
    } else if (strcmp(k, "--iterations") == 0) {
        m->iterations = bench_parse_u64(v, usage);
    } else if (strcmp(k, "--slices") == 0) {
        if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0) {
            usage();
        }
        m->slices = strcmp(v, "on") == 0;
    } else {
        return false;
    }
    return true;
}

bool bench_next_slice(void) {
    char line[64];
    if (fgets(line, sizeof(line), stdin) == NULL) {
        if (ferror(stdin)) {
            perror("bench: reading the next command");
            exit(2);
        }
        return false;
    }
    if (strcmp(line, "run\n") != 0) {
        line[strcspn(line, "\n")] = '\0';
        fprintf(stderr, "bench: unknown command \"%s\" (expected \"run\")\n", line);
        exit(2);
    }
    return true;
}

void bench_measure_slices(const bench_measure *m, const char *lib, const char *mode,
                          bench_slice_fn slice, const void *args, void *state) {
    if (!m->slices) {
        slice(args, state);
        return;
    }
    json_t j;
    json_begin(&j);
    json_str(&j, "lib", lib);
    json_str(&j, "mode", mode);
    json_str(&j, "status", "ready");
    json_end(&j);
    while (bench_next_slice()) {
        slice(args, state);
    }
}
