/* padlock server --www: from a request-target (RFC 9112 §3.2) to an open file under the served
 * directory. The path is percent-decoded (RFC 3986 §2.1) and then split, so an encoded "/" or
 * ".." is seen as one; ".." and NUL are refused (400), and what realpath() puts outside the
 * root, through symbolic links too, is answered like a missing file (404). */
#define _XOPEN_SOURCE 700 /* realpath() */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"

static pl_http_path_result pl_refuse(const char **reason, pl_http_path_result r, const char *why) {
    *reason = why;
    return r;
}

static int pl_hex(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* The path part of the target: origin-form as is; absolute-form without scheme and authority
 * (RFC 9112 §3.2.2: a server MUST accept it). NULL for the authority and asterisk forms. */
static const char *pl_target_path(const char *t, size_t len, size_t *out_len) {
    if (len > 0 && t[0] == '/') {
        *out_len = len;
        return t;
    }
    size_t skip = 0;
    if (len >= 7 && strncasecmp(t, "http://", 7) == 0) {
        skip = 7;
    } else if (len >= 8 && strncasecmp(t, "https://", 8) == 0) {
        skip = 8;
    } else {
        return NULL;
    }
    const char *slash = memchr(t + skip, '/', len - skip);
    if (slash == NULL) {
        *out_len = 0; /* "https://host": the root */
        return t + len;
    }
    *out_len = len - (size_t)(slash - t);
    return slash;
}

pl_http_path_result pl_http_decode_path(const char *target, size_t len, char *out, size_t cap,
                                        int *dir, const char **reason) {
    size_t plen;
    const char *p = pl_target_path(target, len, &plen);
    if (p == NULL) {
        return pl_refuse(reason, PL_PATH_BAD, "request target is not a path");
    }
    char decoded[PL_HTTP_PATH_MAX + 1];
    size_t n = 0;
    for (size_t i = 0; i < plen && p[i] != '?' && p[i] != '#'; i++) {
        char c = p[i];
        if (c == '%') {
            int hi = i + 2 < plen ? pl_hex(p[i + 1]) : -1;
            int lo = hi >= 0 ? pl_hex(p[i + 2]) : -1;
            if (lo < 0) {
                return pl_refuse(reason, PL_PATH_BAD, "malformed percent-encoding in the path");
            }
            c = (char)(hi << 4 | lo);
            i += 2;
            if (c == '\0') {
                return pl_refuse(reason, PL_PATH_BAD, "NUL byte in the path");
            }
        }
        if (n == PL_HTTP_PATH_MAX) {
            return pl_refuse(reason, PL_PATH_TOO_LONG, "path too long");
        }
        decoded[n++] = c;
    }
    decoded[n] = '\0';
    *dir = n == 0 || decoded[n - 1] == '/';
    size_t o = 0;
    for (char *seg = decoded, *end; seg != NULL; seg = end != NULL ? end + 1 : NULL) {
        end = strchr(seg, '/');
        if (end != NULL) {
            *end = '\0';
        }
        if (seg[0] == '\0' || strcmp(seg, ".") == 0) {
            *dir = *dir || (end == NULL && seg[0] == '.');
            continue;
        }
        if (strcmp(seg, "..") == 0) {
            return pl_refuse(reason, PL_PATH_BAD, "\"..\" segment in the path");
        }
        size_t sl = strlen(seg);
        if (o + sl + 2 > cap) {
            return pl_refuse(reason, PL_PATH_TOO_LONG, "path too long");
        }
        if (o > 0) {
            out[o++] = '/';
        }
        memcpy(out + o, seg, sl);
        o += sl;
    }
    out[o] = '\0';
    return PL_PATH_FILE;
}

/* A segment starting with '.' (other than RFC 8615's .well-known) is a hidden file: version
 * control folders and dotenv files are not published by accident. */
static int pl_hidden(const char *rel) {
    for (const char *s = rel; *s != '\0';) {
        size_t n = strcspn(s, "/");
        if (s[0] == '.' && !(n == 11 && strncmp(s, ".well-known", 11) == 0)) {
            return 1;
        }
        s += n;
        s += *s == '/';
    }
    return 0;
}

static int pl_inside(const char *root, const char *real) {
    size_t rl = strlen(root);
    if (rl == 1) {
        return 1; /* the root is "/" */
    }
    return strncmp(real, root, rl) == 0 && (real[rl] == '\0' || real[rl] == '/');
}

/* "/" + rel + "/", percent-encoding all but unreserved characters (RFC 3986 §2.3) and '/'. */
static void pl_location(const char *rel, char *out, size_t cap) {
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    out[o++] = '/';
    for (const unsigned char *s = (const unsigned char *)rel; *s != '\0' && o + 4 < cap; s++) {
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
            strchr("-._~/", *s) != NULL) {
            out[o++] = (char)*s;
        } else {
            out[o++] = '%';
            out[o++] = hex[*s >> 4];
            out[o++] = hex[*s & 15];
        }
    }
    if (o > 1) {
        out[o++] = '/';
    }
    out[o] = '\0';
}

/* realpath(path), kept only when it stays inside root. */
static pl_http_path_result pl_real(const char *root, const char *path, char *real,
                                   const char **reason) {
    if (realpath(path, real) == NULL) {
        return pl_refuse(reason, PL_PATH_NOT_FOUND,
                         errno == EACCES  ? "permission denied"
                         : errno == ELOOP ? "symbolic link loop"
                                          : "no such file");
    }
    if (!pl_inside(root, real)) {
        return pl_refuse(reason, PL_PATH_NOT_FOUND, "resolves outside the served directory");
    }
    return PL_PATH_FILE;
}

/* Opens real, a path without symbolic links, as a regular file. O_NONBLOCK keeps a FIFO from
 * blocking the open; O_NOFOLLOW refuses a link put there since realpath() looked. */
static pl_http_path_result pl_open(const char *real, pl_http_file *out) {
    int fd = open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return pl_refuse(&out->reason, PL_PATH_NOT_FOUND,
                         errno == EACCES ? "permission denied" : "cannot be opened");
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
        close(fd);
        return pl_refuse(&out->reason, PL_PATH_NOT_FOUND, "not a regular file");
    }
    out->fd = fd;
    out->size = (uint64_t)st.st_size;
    out->mtime = (int64_t)st.st_mtime;
    out->type = pl_http_content_type(real);
    return PL_PATH_FILE;
}

pl_http_path_result pl_http_resolve(const char *root, const char *target, size_t len,
                                    pl_http_file *out) {
    memset(out, 0, sizeof(*out));
    out->fd = -1;
    char rel[PL_HTTP_PATH_MAX + 1];
    int dir;
    pl_http_path_result r = pl_http_decode_path(target, len, rel, sizeof(rel), &dir, &out->reason);
    if (r != PL_PATH_FILE) {
        return r;
    }
    if (pl_hidden(rel)) {
        return pl_refuse(&out->reason, PL_PATH_NOT_FOUND, "hidden file (name starts with '.')");
    }
    char path[PATH_MAX], real[PATH_MAX];
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", root, rel) >= sizeof(path)) {
        return pl_refuse(&out->reason, PL_PATH_TOO_LONG, "path too long");
    }
    if ((r = pl_real(root, path, real, &out->reason)) != PL_PATH_FILE) {
        return r;
    }
    struct stat st;
    if (stat(real, &st) != 0) {
        return pl_refuse(&out->reason, PL_PATH_NOT_FOUND, "no such file");
    }
    if (S_ISDIR(st.st_mode)) {
        if (!dir) {
            pl_location(rel, out->location, sizeof(out->location));
            return PL_PATH_REDIRECT;
        }
        if ((size_t)snprintf(path, sizeof(path), "%s/index.html", real) >= sizeof(path)) {
            return pl_refuse(&out->reason, PL_PATH_TOO_LONG, "path too long");
        }
        if ((r = pl_real(root, path, real, &out->reason)) != PL_PATH_FILE) {
            if (strcmp(out->reason, "no such file") == 0) {
                out->reason = "directory without index.html";
            }
            return r;
        }
    }
    return pl_open(real, out);
}
