/* padlock server --www: a static file server over HTTP/1.1 (RFC 9110, RFC 9112). GET and HEAD
 * (the same header fields, no body: RFC 9110 §9.3.2), 405 with Allow for other methods
 * (§15.5.6), 301 to the slashed URL for a directory, persistent connections and pipelined
 * requests answered in order (RFC 9112 §9.3); bodies are streamed from the file a buffer at a
 * time. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

static const char *pl_status_text(int status) {
    switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 505: return "HTTP Version Not Supported";
    default: return "Internal Server Error";
    }
}

/* RFC 9110 §5.6.7: IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT". */
static void pl_http_date(time_t t, char *out, size_t cap) {
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, cap, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* What one response says besides its status. */
typedef struct pl_reply {
    int status;
    const char *type;
    uint64_t length;
    int64_t mtime;        /* Last-Modified, when > 0 */
    const char *location; /* 301 */
    const char *body;     /* a short text body (error pages), NULL for a file */
} pl_reply;

/* Queues the status line and header fields in c->out (empty before). */
static void pl_head(pl_server_conn *c, const pl_reply *r, int keep_alive, int minor) {
    char date[64], modified[96] = "";
    pl_http_date(time(NULL), date, sizeof(date));
    if (r->mtime > 0) {
        char when[64];
        pl_http_date((time_t)r->mtime, when, sizeof(when));
        snprintf(modified, sizeof(modified), "Last-Modified: %s\r\n", when);
    }
    char location[sizeof(((pl_http_file *)0)->location) + 16] = "";
    if (r->location != NULL) {
        snprintf(location, sizeof(location), "Location: %s\r\n", r->location);
    }
    /* RFC 9112 §9.6: "close" when we close; an HTTP/1.0 client kept alive is told so. */
    const char *connection = !keep_alive  ? "Connection: close\r\n"
                             : minor == 0 ? "Connection: keep-alive\r\n"
                                          : "";
    int n = snprintf((char *)c->out, sizeof(c->out),
                     "HTTP/1.1 %d %s\r\n"
                     "Date: %s\r\n"
                     "Server: padlock/%s\r\n"
                     "Content-Type: %s\r\n"
                     "Content-Length: %llu\r\n"
                     "%s%s%s"
                     "Cache-Control: no-cache\r\n"
                     "X-Content-Type-Options: nosniff\r\n"
                     "%s"
                     "\r\n",
                     r->status, pl_status_text(r->status), date, PL_TOOL_VERSION, r->type,
                     (unsigned long long)r->length, modified, location,
                     r->status == 405 ? "Allow: GET, HEAD\r\n" : "", connection);
    c->out_off = 0;
    c->out_len = n > 0 && (size_t)n < sizeof(c->out) ? (size_t)n : 0;
}

static void pl_record(pl_server_conn *c, int status) {
    if (c->requests < sizeof(c->statuses) / sizeof(c->statuses[0])) {
        c->statuses[c->requests] = (uint16_t)status;
    }
    c->requests++;
}

/* A response whose body is a line of text (omitted for HEAD). */
static void pl_text(pl_server_conn *c, int status, const char *detail, int head_only,
                    int keep_alive, int minor) {
    char body[256];
    if (detail != NULL) {
        snprintf(body, sizeof(body), "%d %s: %s\n", status, pl_status_text(status), detail);
    } else {
        snprintf(body, sizeof(body), "%d %s\n", status, pl_status_text(status));
    }
    pl_reply r = {status, "text/plain; charset=utf-8", strlen(body), 0, NULL, body};
    pl_head(c, &r, keep_alive, minor);
    if (!head_only && c->out_len + r.length <= sizeof(c->out)) {
        memcpy(c->out + c->out_len, body, r.length);
        c->out_len += r.length;
    }
    pl_record(c, status);
}

/* GET or HEAD of a path under the root. */
static void pl_get(pl_server *s, pl_server_conn *c, const pl_http_request *q, int head_only,
                   int keep_alive) {
    pl_http_file f;
    pl_http_path_result res = pl_http_resolve(s->args->root, q->target, q->target_len, &f);
    if (res == PL_PATH_REDIRECT) {
        char body[sizeof(f.location) + 32];
        snprintf(body, sizeof(body), "301 Moved Permanently: %s\n", f.location);
        pl_reply r = {301, "text/plain; charset=utf-8", strlen(body), 0, f.location, body};
        pl_head(c, &r, keep_alive, q->minor);
        if (!head_only && c->out_len + r.length <= sizeof(c->out)) {
            memcpy(c->out + c->out_len, body, r.length);
            c->out_len += r.length;
        }
        pl_record(c, 301);
        return;
    }
    if (res != PL_PATH_FILE) {
        /* A 404 does not say why: whether a path exists outside the root is nobody's business. */
        pl_text(c, (int)res, res == PL_PATH_NOT_FOUND ? NULL : f.reason, head_only, keep_alive,
                q->minor);
        return;
    }
    pl_reply r = {200, f.type, f.size, f.mtime, NULL, NULL};
    pl_head(c, &r, keep_alive, q->minor);
    pl_record(c, 200);
    if (head_only || f.size == 0) {
        close(f.fd);
        return;
    }
    c->file_fd = f.fd;
    c->file_left = f.size;
    c->responding = 1;
}

/* Answers one parsed request. */
static void pl_answer(pl_server *s, pl_server_conn *c, const pl_http_request *q) {
    int keep_alive = q->keep_alive && !s->stopping;
    if (!keep_alive) {
        c->close_wanted = 1;
    }
    int head_only = strcmp(q->method, "HEAD") == 0;
    if (head_only || strcmp(q->method, "GET") == 0) {
        pl_get(s, c, q, head_only, keep_alive);
    } else {
        pl_text(c, 405, NULL, 0, keep_alive, q->minor);
    }
}

/* The next buffer of the file being sent. */
static int pl_body(pl_server_conn *c) {
    size_t want = c->file_left < sizeof(c->out) ? (size_t)c->file_left : sizeof(c->out);
    ssize_t r;
    do {
        r = read(c->file_fd, c->out, want);
    } while (r < 0 && errno == EINTR);
    if (r <= 0) {
        /* The Content-Length sent cannot be kept: end without close_notify, so that the
         * client sees the response as cut short (RFC 8446 §6.1). */
        pl_server_conn_finish(c, "the file being sent %s",
                              r < 0 ? strerror(errno) : "became shorter while being sent");
        return 0;
    }
    c->out_off = 0;
    c->out_len = (size_t)r;
    c->file_left -= (uint64_t)r;
    if (c->file_left == 0) {
        close(c->file_fd);
        c->file_fd = -1;
        c->responding = 0;
    }
    return 1;
}

size_t pl_www_room(const pl_server_conn *c) {
    return sizeof(c->req) - c->req_len;
}

void pl_www_input(pl_server_conn *c, const uint8_t *p, size_t n) {
    memcpy(c->req + c->req_len, p, n);
    c->req_len += n;
}

int pl_www_idle(const pl_server_conn *c) {
    return !c->responding && c->req_len == 0;
}

int pl_www_produce(pl_server *s, pl_server_conn *c) {
    if (c->responding) {
        return pl_body(c);
    }
    if (c->req_len == 0 || c->close_wanted) {
        return 0;
    }
    pl_http_request q;
    switch (pl_http_parse(c->req, c->req_len, &q)) {
    case PL_HTTP_INCOMPLETE:
        if (c->peer_closed) {
            c->req_len = 0; /* the client ended in the middle of a request: nothing to answer */
            c->close_wanted = 1;
            return 1;
        }
        return 0;
    case PL_HTTP_BAD:
        /* What follows a malformed head cannot be framed: answer, then close. */
        c->close_wanted = 1;
        c->req_len = 0;
        pl_text(c, q.status, q.reason, 0, 0, 1);
        return 1;
    case PL_HTTP_DONE: break;
    }
    pl_answer(s, c, &q);
    memmove(c->req, c->req + q.head_len, c->req_len - q.head_len);
    c->req_len -= q.head_len;
    if (c->close_wanted) {
        c->req_len = 0; /* nothing after a request that closes is answered */
    }
    pl_server_conn_wait(c, (int64_t)s->args->idle_timeout_s * 1000);
    return 1;
}
