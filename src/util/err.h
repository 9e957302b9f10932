/* Internal error handling: the two guard macros of DESIGN.md §8 and the "first error + detail"
 * holder that connections and verifiers keep. The error table itself is include/padlock/errors.h. */
#ifndef PL_UTIL_ERR_H
#define PL_UTIL_ERR_H

#include "padlock/padlock.h"

#define PL_NODISCARD PADLOCK_NODISCARD

/* Propagate: evaluate expr (a padlock_err) and return it from the caller unless it is OK. */
#define PL_TRY(expr)                                                                               \
    do {                                                                                           \
        padlock_err pl_try_err_ = (expr);                                                          \
        if (pl_try_err_ != PADLOCK_OK) {                                                           \
            return pl_try_err_;                                                                    \
        }                                                                                          \
    } while (0)

/* Require: return code from the caller when cond is false. */
#define PL_CHECK(cond, code)                                                                       \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            return (code);                                                                         \
        }                                                                                          \
    } while (0)

/* The first fatal error of an object and a human-readable detail naming what was at fault.
 * The detail is heap-allocated only when an error happens, so an idle holder costs 16 bytes. */
typedef struct pl_errinfo {
    padlock_err code; /* PADLOCK_OK until the first error */
    char *detail;     /* NULL, or a message owned by the holder */
} pl_errinfo;

void pl_errinfo_init(pl_errinfo *e);

/* Records code with a printf-style detail (fmt may be NULL) unless an error is already held:
 * the first error wins. Returns the held code, so `return pl_errinfo_set(...)` propagates the
 * first error. code must not be PADLOCK_OK. */
padlock_err pl_errinfo_set(pl_errinfo *e, padlock_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The detail if one was recorded, otherwise padlock_strerror(code). Valid until cleanup. */
const char *pl_errinfo_message(const pl_errinfo *e);

/* Frees the detail and resets the holder to PADLOCK_OK. */
void pl_errinfo_cleanup(pl_errinfo *e);

#endif
