/* Civil time: proleptic Gregorian UTC date-times <-> seconds since the Unix epoch, computed
 * without the C library's time zone machinery (certificate times are UTC, RFC 5280 §4.1.2.5),
 * and the RFC 3339 §5.6 form padlock prints in messages ("2025-03-01T00:00:00Z"). */
#ifndef PL_UTIL_CIVIL_TIME_H
#define PL_UTIL_CIVIL_TIME_H

#include <stdint.h>

#include "util/err.h"

typedef struct pl_civil_time {
    int32_t year;   /* e.g. 2025 */
    uint8_t month;  /* 1..12 */
    uint8_t day;    /* 1..28/29/30/31 */
    uint8_t hour;   /* 0..23 */
    uint8_t minute; /* 0..59 */
    uint8_t second; /* 0..59: no leap seconds (X.509 and POSIX time have none) */
} pl_civil_time;

/* 1 if t names a real instant: month and day exist in that year (Feb 29 only in leap years),
 * hour/minute/second in range; else 0. */
int pl_civil_valid(const pl_civil_time *t);

/* Seconds since 1970-01-01T00:00:00Z for a valid t (negative before 1970). */
int64_t pl_civil_to_unix(const pl_civil_time *t);

/* The civil time of t seconds since the epoch. */
void pl_civil_from_unix(int64_t t, pl_civil_time *out);

/* "YYYY-MM-DDTHH:MM:SSZ" plus NUL. */
#define PL_RFC3339_BUF 21

/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" into out. Years outside 0..9999 are clamped to the
 * nearest representable instant, so the output always has this shape. */
void pl_time_format_rfc3339(int64_t t, char out[PL_RFC3339_BUF]);

/* Parses an RFC 3339 §5.6 date-time: "YYYY-MM-DDTHH:MM:SS" with an optional fraction (which
 * is dropped), then "Z" or a "+HH:MM"/"-HH:MM" offset; 'T' and 'Z' may be lower case.
 * Returns PADLOCK_OK with *out in seconds since the epoch, or PADLOCK_E_INVALID_ARGUMENT. */
PL_NODISCARD padlock_err pl_time_parse_rfc3339(const char *s, int64_t *out);

#endif
