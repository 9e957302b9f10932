/* Whole-file reads into counted memory, and exclusive creation of new files. */
#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/mem.h"

/* Records why path could not be read (errno, or a reason of our own) and returns the error. */
static padlock_err pl_file_fail(pl_errinfo *err, const char *path, const char *reason) {
    if (err != NULL) {
        pl_errinfo_set(err, PADLOCK_E_FILE, "cannot read %s: %s", path, reason);
    }
    return PADLOCK_E_FILE;
}

padlock_err pl_file_read(const char *path, uint8_t **out, size_t *out_len, pl_errinfo *err) {
    *out = NULL;
    *out_len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return pl_file_fail(err, path, strerror(errno));
    }
    struct stat st;
    const char *bad = NULL;
    if (fstat(fd, &st) != 0) {
        bad = strerror(errno);
    } else if (!S_ISREG(st.st_mode)) {
        bad = "not a regular file";
    } else if (st.st_size < 0 || (uint64_t)st.st_size > PL_FILE_MAX) {
        bad = "larger than 64 MiB";
    }
    if (bad != NULL) {
        close(fd);
        return pl_file_fail(err, path, bad);
    }
    size_t cap = (size_t)st.st_size;
    uint8_t *buf = pl_malloc(cap + 1);
    if (buf == NULL) {
        close(fd);
        return PADLOCK_E_NO_MEMORY;
    }
    /* The size may change while reading; read what is there up to cap. */
    size_t len = 0;
    while (len < cap) {
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int read_errno = errno;
            close(fd);
            pl_free(buf);
            return pl_file_fail(err, path, strerror(read_errno));
        }
        if (n == 0) {
            break;
        }
        len += (size_t)n;
    }
    close(fd);
    buf[len] = 0;
    *out = buf;
    *out_len = len;
    return PADLOCK_OK;
}

padlock_err pl_file_write(const char *path, const void *data, size_t len, unsigned mode,
                          int replace) {
    if (replace && unlink(path) != 0 && errno != ENOENT) {
        return PADLOCK_E_FILE;
    }
    /* O_CREAT | O_EXCL fails on any existing name, a dangling symbolic link included. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, (mode_t)mode);
    if (fd < 0) {
        return errno == EEXIST ? PADLOCK_E_FILE_EXISTS : PADLOCK_E_FILE;
    }
    const uint8_t *p = data;
    size_t done = 0;
    int ok = 1;
    while (ok && done < len) {
        ssize_t n = write(fd, p + done, len - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ok = n > 0;
        done += ok ? (size_t)n : 0;
    }
    ok = ok && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        unlink(path);
        return PADLOCK_E_FILE;
    }
    return PADLOCK_OK;
}
