/* padlock server --www, HTTP/1.1: the request head parser (RFC 9112 §2-§6 as a server reads
 * them), the request-target to file path resolution that keeps every request inside the
 * served directory, and the Content-Type table. Plain C over libc: the unit tests use it as is. */
#ifndef PL_TOOLS_HTTP_H
#define PL_TOOLS_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The most a request head (request line and header fields) may take, and the most header
 * fields in it: beyond them the answer is 431, or 414 when the request line alone is longer. */
#define PL_HTTP_HEAD_MAX 8192
#define PL_HTTP_MAX_FIELDS 100

/* ---- http_req.c ----------------------------------------------------------------------------- */

typedef enum pl_http_parse_result {
    PL_HTTP_INCOMPLETE = 0, /* the head has not ended yet: wait for more bytes */
    PL_HTTP_DONE = 1,       /* a whole, valid head */
    PL_HTTP_BAD = 2,        /* refused: answer status, then close the connection */
} pl_http_parse_result;

typedef struct pl_http_request {
    char method[32];    /* the method token as sent ("GET") */
    const char *target; /* the request-target as sent, pointing into the parsed bytes */
    size_t target_len;  /* its length */
    int minor;          /* HTTP/1.<minor>: 0 or 1 */
    int keep_alive;     /* the connection stays open after the response */
    int has_body;       /* Content-Length above 0, or Transfer-Encoding: never read, so
                           keep_alive is 0 */
    size_t head_len;    /* bytes of the head, its empty line included */
    int status;         /* PL_HTTP_BAD: 400, 414, 431, 501 or 505 */
    const char *reason; /* PL_HTTP_BAD: what was wrong, for the log (static) */
} pl_http_request;

/* Parses the request head at the start of buf[0..len). PL_HTTP_INCOMPLETE while it has not
 * ended and len is below PL_HTTP_HEAD_MAX. */
pl_http_parse_result pl_http_parse(const uint8_t *buf, size_t len, pl_http_request *out);

/* ---- http_path.c ---------------------------------------------------------------------------- */

/* The longest decoded path accepted (longer: 414). */
#define PL_HTTP_PATH_MAX 2048

typedef enum pl_http_path_result {
    PL_PATH_FILE = 0,     /* a regular file, opened */
    PL_PATH_REDIRECT = 1, /* a directory asked for without its trailing slash */
    PL_PATH_BAD = 400,    /* malformed: bad percent-encoding, NUL, a ".." segment, ... */
    PL_PATH_NOT_FOUND = 404,
    PL_PATH_TOO_LONG = 414,
} pl_http_path_result;

/* The file a request names. */
typedef struct pl_http_file {
    int fd; /* open for reading (PL_PATH_FILE), else -1 */
    uint64_t size;
    int64_t mtime;                           /* seconds since the epoch */
    const char *type;                        /* Content-Type */
    char location[PL_HTTP_PATH_MAX * 3 + 2]; /* PL_PATH_REDIRECT: where to, percent-encoded */
    const char *reason;                      /* refusals: why, for the log (static) */
} pl_http_file;

/* Decodes the path of target[0..len) (origin-form "/a/b?q" or absolute-form
 * "https://host/a/b"): percent-decoded, split at '/', empty and "." segments dropped, and
 * refused with ".." segments or NUL bytes. out receives the segments joined by '/' ("" for the
 * root) and *dir whether the path ended with '/'. Returns PL_PATH_FILE when it decodes, else
 * PL_PATH_BAD or PL_PATH_TOO_LONG with *reason set. */
pl_http_path_result pl_http_decode_path(const char *target, size_t len, char *out, size_t cap,
                                        int *dir, const char **reason);

/* Resolves target under root (an absolute path without symbolic links, as realpath gives) and
 * opens what it names: a regular file, or a directory's index.html. Whatever resolves outside
 * root (through symbolic links too), does not exist, cannot be read or is not a regular file
 * is PL_PATH_NOT_FOUND. The caller closes out->fd. */
pl_http_path_result pl_http_resolve(const char *root, const char *target, size_t len,
                                    pl_http_file *out);

/* ---- http_mime.c ---------------------------------------------------------------------------- */

/* The Content-Type for a file name, by its extension (case ignored); application/octet-stream
 * when unknown. */
const char *pl_http_content_type(const char *name);

#endif
