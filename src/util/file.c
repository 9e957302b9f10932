/* Whole-file reads into counted memory, and exclusive creation of new files. */
#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/mem.h"

padlock_err pl_file_read(const char *path, uint8_t **out, size_t *out_len) {
    *out = NULL;
    *out_len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    PL_CHECK(fd >= 0, PADLOCK_E_FILE);
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
        (uint64_t)st.st_size > PL_FILE_MAX) {
        close(fd);
        return PADLOCK_E_FILE;
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
            close(fd);
            pl_free(buf);
            return PADLOCK_E_FILE;
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
