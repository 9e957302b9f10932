/* Reading whole files into counted memory: certificate bundles, keys, CRLs. */
#ifndef PL_UTIL_FILE_H
#define PL_UTIL_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* Largest file read (64 MiB): far beyond any bundle or CRL padlock reads, small enough that
 * a wrong path (a device, a log) fails fast instead of exhausting memory. */
#define PL_FILE_MAX (64u << 20)

/* Reads the whole file at path into *out (pl_malloc'd, one extra NUL byte appended so text
 * parsers may rely on it; free with pl_free, or pl_free_secret for keys). *out_len excludes the
 * NUL. PADLOCK_E_FILE if it cannot be opened or read, is not a regular file, or exceeds
 * PL_FILE_MAX; PADLOCK_E_NO_MEMORY. */
PL_NODISCARD padlock_err pl_file_read(const char *path, uint8_t **out, size_t *out_len);

#endif
