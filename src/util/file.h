/* Reading whole files into counted memory (certificate bundles, keys, CRLs), and writing new
 * files without a moment in which they are readable beyond their final mode. */
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
 * PL_FILE_MAX, with a detail in err (if not NULL) naming the path and the reason
 * ("cannot read ca.pem: No such file or directory"); PADLOCK_E_NO_MEMORY. */
PL_NODISCARD padlock_err pl_file_read(const char *path, uint8_t **out, size_t *out_len,
                                      pl_errinfo *err);

/* Writes data[0..len) to a new file at path, created with mode (less the umask) together with
 * O_EXCL, so that it is never opened through a symbolic link or an existing file and its
 * contents are never readable with wider permissions than mode; flushed to disk before closing.
 * With replace, whatever is at path is unlinked first (a symbolic link itself, not its
 * target). PADLOCK_E_FILE_EXISTS if path exists and replace is 0; PADLOCK_E_FILE on any other
 * failure (a partly written file is removed). */
PL_NODISCARD padlock_err pl_file_write(const char *path, const void *data, size_t len,
                                       unsigned mode, int replace);

#endif
