/* Civil time conversions (proleptic Gregorian, UTC) and RFC 3339 §5.6 text. The day count
 * uses the era-based algorithm (400-year cycles), exact for every year an int32 holds. */
#include "util/civil_time.h"

#include <string.h>

static int pl_is_leap(int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static uint8_t pl_days_in_month(int64_t y, unsigned m) {
    static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return (uint8_t)(m == 2 && pl_is_leap(y) ? 29 : days[m - 1]);
}

int pl_civil_valid(const pl_civil_time *t) {
    if (t->month < 1 || t->month > 12 || t->day < 1) {
        return 0;
    }
    if (t->day > pl_days_in_month(t->year, t->month)) {
        return 0;
    }
    return t->hour <= 23 && t->minute <= 59 && t->second <= 59;
}

/* Days from 1970-01-01 to y-m-d. */
static int64_t pl_days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                   /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

int64_t pl_civil_to_unix(const pl_civil_time *t) {
    int64_t days = pl_days_from_civil(t->year, t->month, t->day);
    return days * 86400 + (int64_t)t->hour * 3600 + (int64_t)t->minute * 60 + t->second;
}

void pl_civil_from_unix(int64_t t, pl_civil_time *out) {
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    out->year = (int32_t)(yoe + era * 400 + (m <= 2));
    out->month = (uint8_t)m;
    out->day = (uint8_t)d;
    out->hour = (uint8_t)(secs / 3600);
    out->minute = (uint8_t)(secs / 60 % 60);
    out->second = (uint8_t)(secs % 60);
}

/* Writes v as exactly n decimal digits at out. */
static void pl_put_digits(char *out, unsigned n, unsigned v) {
    for (unsigned i = n; i > 0; i--) {
        out[i - 1] = (char)('0' + v % 10);
        v /= 10;
    }
}

void pl_time_format_rfc3339(int64_t t, char out[PL_RFC3339_BUF]) {
    static const int64_t min = -62167219200; /* 0000-01-01T00:00:00Z */
    static const int64_t max = 253402300799; /* 9999-12-31T23:59:59Z */
    pl_civil_time c;
    pl_civil_from_unix(t < min ? min : t > max ? max : t, &c);
    memcpy(out, "0000-00-00T00:00:00Z", PL_RFC3339_BUF);
    pl_put_digits(out, 4, (unsigned)c.year);
    pl_put_digits(out + 5, 2, c.month);
    pl_put_digits(out + 8, 2, c.day);
    pl_put_digits(out + 11, 2, c.hour);
    pl_put_digits(out + 14, 2, c.minute);
    pl_put_digits(out + 17, 2, c.second);
}

/* Reads exactly n decimal digits at *s into *out and advances *s. */
static int pl_digits(const char **s, unsigned n, unsigned *out) {
    unsigned v = 0;
    for (unsigned i = 0; i < n; i++) {
        char c = (*s)[i];
        if (c < '0' || c > '9') {
            return 0;
        }
        v = v * 10 + (unsigned)(c - '0');
    }
    *s += n;
    *out = v;
    return 1;
}

static int pl_expect(const char **s, char a, char b) {
    if (**s != a && **s != b) {
        return 0;
    }
    (*s)++;
    return 1;
}

padlock_err pl_time_parse_rfc3339(const char *s, int64_t *out) {
    unsigned y, mo, d, h, mi, sec;
    PL_CHECK(pl_digits(&s, 4, &y) && pl_expect(&s, '-', '-') && pl_digits(&s, 2, &mo) &&
                 pl_expect(&s, '-', '-') && pl_digits(&s, 2, &d) && pl_expect(&s, 'T', 't') &&
                 pl_digits(&s, 2, &h) && pl_expect(&s, ':', ':') && pl_digits(&s, 2, &mi) &&
                 pl_expect(&s, ':', ':') && pl_digits(&s, 2, &sec),
             PADLOCK_E_INVALID_ARGUMENT);
    if (*s == '.') {
        s++;
        PL_CHECK(*s >= '0' && *s <= '9', PADLOCK_E_INVALID_ARGUMENT);
        while (*s >= '0' && *s <= '9') {
            s++;
        }
    }
    int64_t offset = 0;
    if (*s == 'Z' || *s == 'z') {
        s++;
    } else {
        /* RFC 3339 §5.6: time-numoffset = ("+" / "-") time-hour ":" time-minute */
        PL_CHECK(*s == '+' || *s == '-', PADLOCK_E_INVALID_ARGUMENT);
        int64_t sign = *s == '+' ? 1 : -1;
        s++;
        unsigned oh, om;
        PL_CHECK(pl_digits(&s, 2, &oh) && pl_expect(&s, ':', ':') && pl_digits(&s, 2, &om),
                 PADLOCK_E_INVALID_ARGUMENT);
        PL_CHECK(oh <= 23 && om <= 59, PADLOCK_E_INVALID_ARGUMENT);
        offset = sign * (int64_t)(oh * 3600 + om * 60);
    }
    PL_CHECK(*s == '\0', PADLOCK_E_INVALID_ARGUMENT);
    pl_civil_time c = {(int32_t)y, (uint8_t)mo, (uint8_t)d, (uint8_t)h, (uint8_t)mi, (uint8_t)sec};
    PL_CHECK(pl_civil_valid(&c), PADLOCK_E_INVALID_ARGUMENT);
    *out = pl_civil_to_unix(&c) - offset;
    return PADLOCK_OK;
}
