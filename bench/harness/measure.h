/* What every bench program (the library programs' driver and bench-floor) measures alike: the
 * thread CPU clock, the options that say how much to measure, parsed the same way, and the
 * slice protocol through which bench/run.py interleaves the programs of one figure. */
#ifndef BENCH_HARNESS_MEASURE_H
#define BENCH_HARNESS_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The calling thread's CPU time in nanoseconds (CLOCK_THREAD_CPUTIME_ID): a system call,
 * ~0.75 µs here, so read around loops, not around each operation. */
uint64_t bench_cpu_ns(void);

/* The monotonic clock in nanoseconds (CLOCK_MONOTONIC), read in user space (~30 ns): for timing
 * single calls and deciding when a loop has run long enough. */
uint64_t bench_wall_ns(void);

/* Converts the monotonic times of the timed calls of a measured loop into CPU time: ns[0] and
 * ns[1] (two sides, or two halves of the work) are each charged their share of the loop's
 * thread CPU time loop_cpu, in proportion to their time. Time the thread spent descheduled falls
 * into the calls as often as their length makes it likely, so scaling by the loop's CPU/wall
 * ratio (loop_wall, monotonic) removes it on average. */
void bench_cpu_share(uint64_t ns[2], uint64_t loop_cpu, uint64_t loop_wall);

/* How much to measure: the application write size of bulk runs, and either at least min_time
 * seconds of CPU or exactly iterations handshakes or writes (when non-zero) per measurement.
 * With slices set (--slices on) a program measures once per command on stdin (bench_next_slice)
 * instead of once. */
typedef struct {
    size_t write_size;
    double min_time;
    uint64_t iterations;
    bool slices;
} bench_measure;

/* 16 KiB writes, at least one second of CPU, one measurement. */
#define BENCH_MEASURE_DEFAULTS                                                                     \
    { .write_size = 16384, .min_time = 1.0, .iterations = 0, .slices = false }

/* The untimed work each slice starts with, in thread CPU nanoseconds, of the slice's own kind
 * (handshake pairs, bulk batches, the floor's operations): the slice before it was another
 * program's, which left its state in the caches, and the core may have idled while the runner
 * switched programs. A fixed time, rather than a count, treats every program alike. */
#define BENCH_REWARM_NS 10000000u

/* The decimal number s, all of it; calls usage (which must not return) otherwise. */
uint64_t bench_parse_u64(const char *s, void (*usage)(void));

/* Takes the option k with its value v into m when k is --write-size (1 to 16384),
 * --min-time (seconds, > 0), --iterations or --slices (on|off); returns false, m untouched, for
 * any other option. A bad value calls usage (which must not return). */
bool bench_measure_option(bench_measure *m, const char *k, const char *v, void (*usage)(void));

/* The slice protocol (--slices on). A program sets up and warms up once, prints one JSON line
 * with "status": "ready" (or its n/a line, and exits), then waits: each line "run" on stdin asks
 * for one slice, a measurement of min_time seconds or iterations operations answered by one
 * JSON line of the same shape as a one-shot run's; end of input ends the program. The runner
 * sends "run" to the programs of a figure in turn, so their slices alternate on the machine.
 * Returns true for "run", false at end of input; prints the offending line to stderr and exits
 * with status 2 on anything else. */
bool bench_next_slice(void);

/* One measurement of a program: measures once with args (the program's options) and state (what
 * it keeps across measurements) and prints its JSON line. */
typedef void (*bench_slice_fn)(const void *args, void *state);

/* Measures once: slice(args, state). With m->slices (--slices on) prints a ready line naming lib
 * and mode ({"lib", "mode", "status": "ready"}) and measures once per "run" command on stdin
 * (bench_next_slice) until its end. */
void bench_measure_slices(const bench_measure *m, const char *lib, const char *mode,
                          bench_slice_fn slice, const void *args, void *state);

#endif
