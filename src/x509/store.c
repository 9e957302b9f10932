/* The trust store: anchors kept as DER with the position of their subject, sorted by a 64-bit
 * FNV-1a hash of the subject for binary search (RFC 5280 §6.1.1 (d): trust anchor information
 * is the anchor's name and key, which path building looks up by name). */
#include "x509/store.h"

#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/file.h"
#include "util/mem.h"
#include "wire/pem.h"
#include "x509/cert.h"
#include "x509/vcache.h"

typedef struct pl_x509_anchor {
    uint64_t subject_hash;
    uint8_t *der; /* owned */
    uint32_t der_len;
    uint32_t subject_off; /* subject Name TLV within der */
    uint32_t subject_len;
    uint32_t seq; /* insertion order, so equal hashes sort deterministically */
} pl_x509_anchor;

struct pl_x509_store {
    pl_x509_anchor *anchors; /* sorted by (subject_hash, seq) between add calls */
    size_t num;
    size_t cap;
    uint32_t next_seq;
    uint64_t id;           /* unique to this store and its current contents */
    pl_x509_vcache *cache; /* verified chains over this store; NULL: none */
};

/* Store identities: never reused within the process, so a verdict cached for one store's
 * contents can never be taken for another's. */
static _Atomic uint64_t pl_store_ids;

static uint64_t pl_store_new_id(void) {
    return atomic_fetch_add(&pl_store_ids, 1) + 1;
}

static uint64_t pl_fnv1a(pl_span s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < s.len; i++) {
        h = (h ^ s.p[i]) * 0x100000001b3ULL;
    }
    return h;
}

padlock_err pl_x509_store_new(pl_x509_store **out) {
    pl_x509_store *s = pl_calloc(1, sizeof(pl_x509_store));
    PL_CHECK(s != NULL, PADLOCK_E_NO_MEMORY);
    s->id = pl_store_new_id();
    padlock_err rc = pl_x509_vcache_new(PL_X509_VCACHE_DEFAULT_ENTRIES, &s->cache);
    if (rc != PADLOCK_OK) {
        pl_free(s);
        return rc;
    }
    *out = s;
    return PADLOCK_OK;
}

uint64_t pl_x509_store_id(const pl_x509_store *s) {
    return s->id;
}

pl_x509_vcache *pl_x509_store_cache(const pl_x509_store *s) {
    return s->cache;
}

padlock_err pl_x509_store_set_cache(pl_x509_store *s, size_t entries) {
    pl_x509_vcache *c = NULL;
    if (entries != 0) {
        PL_TRY(pl_x509_vcache_new(entries, &c));
    }
    pl_x509_vcache_free(s->cache);
    s->cache = c;
    return PADLOCK_OK;
}

void pl_x509_store_free(pl_x509_store *s) {
    if (s == NULL) {
        return;
    }
    for (size_t i = 0; i < s->num; i++) {
        pl_free(s->anchors[i].der);
    }
    pl_free(s->anchors);
    pl_x509_vcache_free(s->cache);
    pl_free(s);
}

size_t pl_x509_store_count(const pl_x509_store *s) {
    return s->num;
}

pl_span pl_x509_store_der(const pl_x509_store *s, size_t i) {
    pl_span d = {s->anchors[i].der, s->anchors[i].der_len};
    return d;
}

static pl_span pl_anchor_subject(const pl_x509_anchor *a) {
    pl_span d = {a->der + a->subject_off, a->subject_len};
    return d;
}

static int pl_anchor_cmp(const void *pa, const void *pb) {
    const pl_x509_anchor *a = pa;
    const pl_x509_anchor *b = pb;
    if (a->subject_hash != b->subject_hash) {
        return a->subject_hash < b->subject_hash ? -1 : 1;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* First index whose hash is >= h, over the sorted prefix [0, n). */
static size_t pl_lower_bound(const pl_x509_anchor *a, size_t n, uint64_t h) {
    size_t lo = 0;
    size_t hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid].subject_hash < h) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

int pl_x509_store_find(const pl_x509_store *s, pl_span subject, size_t *iter, size_t *out_index) {
    uint64_t h = pl_fnv1a(subject);
    size_t i = *iter == 0 ? pl_lower_bound(s->anchors, s->num, h) : *iter;
    for (; i < s->num && s->anchors[i].subject_hash == h; i++) {
        if (pl_span_equal(pl_anchor_subject(&s->anchors[i]), subject)) {
            *out_index = i;
            *iter = i + 1;
            return 1;
        }
    }
    *iter = s->num;
    return 0;
}

int pl_x509_store_contains(const pl_x509_store *s, pl_span subject, pl_span der) {
    size_t iter = 0;
    size_t i;
    while (pl_x509_store_find(s, subject, &iter, &i)) {
        if (pl_span_equal(pl_x509_store_der(s, i), der)) {
            return 1;
        }
    }
    return 0;
}

/* An add call in progress: anchors appended past `start` until commit sorts them in or
 * rollback frees them. */
typedef struct pl_store_txn {
    pl_x509_store *s;
    size_t start;
} pl_store_txn;

static void pl_txn_begin(pl_store_txn *t, pl_x509_store *s) {
    t->s = s;
    t->start = s->num;
}

static void pl_txn_rollback(pl_store_txn *t) {
    for (size_t i = t->start; i < t->s->num; i++) {
        pl_free(t->s->anchors[i].der);
    }
    t->s->num = t->start;
}

/* Sorts the new anchors in and drops those whose DER is already present. */
static void pl_txn_commit(pl_store_txn *t) {
    pl_x509_store *s = t->s;
    if (s->num == t->start) {
        return;
    }
    /* New contents, new identity: verdicts cached over the old contents no longer match. */
    s->id = pl_store_new_id();
    qsort(s->anchors, s->num, sizeof(s->anchors[0]), pl_anchor_cmp);
    size_t out = 0;
    for (size_t i = 0; i < s->num; i++) {
        int dup = 0;
        /* Equal DER means equal subject hash: only the run of equal hashes before i matters. */
        for (size_t j = out; j > 0 && s->anchors[j - 1].subject_hash == s->anchors[i].subject_hash;
             j--) {
            const pl_x509_anchor *a = &s->anchors[j - 1];
            if (a->der_len == s->anchors[i].der_len &&
                memcmp(a->der, s->anchors[i].der, a->der_len) == 0) {
                dup = 1;
                break;
            }
        }
        if (dup) {
            pl_free(s->anchors[i].der);
        } else {
            s->anchors[out++] = s->anchors[i];
        }
    }
    s->num = out;
}

/* Appends a certificate, taking ownership of der (freed on failure too). */
static padlock_err pl_txn_add(pl_store_txn *t, uint8_t *der, size_t len, const char *source,
                              size_t index, pl_errinfo *err) {
    pl_x509_store *s = t->s;
    pl_x509_cert c;
    const char *field;
    padlock_err rc = pl_x509_cert_parse(&c, der, len, &field);
    if (rc == PADLOCK_OK && len > UINT32_MAX) {
        rc = PADLOCK_E_CERT_PARSE;
        field = "size";
    }
    if (rc != PADLOCK_OK) {
        pl_free(der);
        if (err != NULL) {
            pl_errinfo_set(err, rc, "%s: certificate %zu: malformed certificate (%s)", source,
                           index, field);
        }
        return rc;
    }
    if (s->num == s->cap) {
        size_t cap = s->cap == 0 ? 64 : s->cap * 2;
        pl_x509_anchor *grown = pl_realloc(s->anchors, cap * sizeof(*grown));
        if (grown == NULL) {
            pl_free(der);
            return PADLOCK_E_NO_MEMORY;
        }
        s->anchors = grown;
        s->cap = cap;
    }
    pl_x509_anchor *a = &s->anchors[s->num++];
    a->subject_hash = pl_fnv1a(c.subject);
    a->der = der;
    a->der_len = (uint32_t)len;
    a->subject_off = (uint32_t)(c.subject.p - der);
    a->subject_len = (uint32_t)c.subject.len;
    a->seq = s->next_seq++;
    return PADLOCK_OK;
}

padlock_err pl_x509_store_add_der(pl_x509_store *s, const uint8_t *der, size_t len,
                                  pl_errinfo *err) {
    uint8_t *copy = pl_malloc(len == 0 ? 1 : len);
    PL_CHECK(copy != NULL, PADLOCK_E_NO_MEMORY);
    if (len != 0) {
        memcpy(copy, der, len);
    }
    pl_store_txn t;
    pl_txn_begin(&t, s);
    PL_TRY(pl_txn_add(&t, copy, len, "DER", 1, err));
    pl_txn_commit(&t);
    return PADLOCK_OK;
}

/* Adds the PEM certificates of text within an open transaction; *out_count gets how many. */
static padlock_err pl_txn_add_pem(pl_store_txn *t, const char *text, size_t len, const char *source,
                                  size_t *out_count, pl_errinfo *err) {
    size_t pos = 0;
    size_t index = 0;
    *out_count = 0;
    for (;;) {
        pl_pem_block b;
        int found;
        padlock_err rc = pl_pem_next(text, len, &pos, &b, &found);
        if (rc != PADLOCK_OK) {
            if (err != NULL) {
                pl_errinfo_set(err, rc, "%s: malformed PEM after certificate %zu", source, index);
            }
            return rc;
        }
        if (!found) {
            return PADLOCK_OK;
        }
        if (strcmp(b.label, "CERTIFICATE") != 0) {
            pl_pem_block_cleanup(&b);
            continue;
        }
        index++;
        PL_TRY(pl_txn_add(t, b.der, b.der_len, source, index, err));
        (*out_count)++;
    }
}

padlock_err pl_x509_store_add_pem(pl_x509_store *s, const char *text, size_t len,
                                  const char *source, pl_errinfo *err) {
    pl_store_txn t;
    pl_txn_begin(&t, s);
    size_t count;
    padlock_err rc = pl_txn_add_pem(&t, text, len, source, &count, err);
    if (rc == PADLOCK_OK && count == 0) {
        rc = PADLOCK_E_PEM;
        if (err != NULL) {
            pl_errinfo_set(err, rc, "%s: no PEM certificate found", source);
        }
    }
    if (rc != PADLOCK_OK) {
        pl_txn_rollback(&t);
        return rc;
    }
    pl_txn_commit(&t);
    return PADLOCK_OK;
}

padlock_err pl_x509_store_add_file(pl_x509_store *s, const char *path, pl_errinfo *err) {
    uint8_t *data;
    size_t len;
    PL_TRY(pl_file_read(path, &data, &len, err));
    if (pl_pem_looks_like_pem(data, len)) {
        padlock_err rc = pl_x509_store_add_pem(s, (const char *)data, len, path, err);
        pl_free(data);
        return rc;
    }
    pl_store_txn t;
    pl_txn_begin(&t, s);
    padlock_err rc = pl_txn_add(&t, data, len, path, 1, err); /* takes data */
    if (rc == PADLOCK_OK) {
        pl_txn_commit(&t);
    }
    return rc;
}

/* Joins dir and name into out; 0 if it does not fit. */
static int pl_join(char *out, size_t cap, const char *dir, const char *name) {
    int n = snprintf(out, cap, "%s/%s", dir, name);
    return n > 0 && (size_t)n < cap;
}

padlock_err pl_x509_store_add_dir(pl_x509_store *s, const char *path, pl_errinfo *err) {
    DIR *d = opendir(path);
    if (d == NULL) {
        if (err != NULL) {
            pl_errinfo_set(err, PADLOCK_E_FILE, "%s: cannot read directory", path);
        }
        return PADLOCK_E_FILE;
    }
    pl_store_txn t;
    pl_txn_begin(&t, s);
    padlock_err rc = PADLOCK_OK;
    struct dirent *e;
    while (rc == PADLOCK_OK && (e = readdir(d)) != NULL) {
        char file[4096];
        struct stat st;
        if (e->d_name[0] == '.' || !pl_join(file, sizeof(file), path, e->d_name) ||
            stat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
            continue;
        }
        uint8_t *data;
        size_t len;
        if (pl_file_read(file, &data, &len, NULL) != PADLOCK_OK) {
            continue; /* unreadable entries (permissions, races) are not certificates */
        }
        size_t count;
        if (pl_pem_looks_like_pem(data, len)) {
            rc = pl_txn_add_pem(&t, (const char *)data, len, file, &count, err);
        }
        pl_free(data);
    }
    closedir(d);
    if (rc != PADLOCK_OK) {
        pl_txn_rollback(&t);
        return rc;
    }
    pl_txn_commit(&t);
    return PADLOCK_OK;
}

padlock_err pl_x509_store_add_system(pl_x509_store *s, pl_errinfo *err) {
    const char *env = getenv("SSL_CERT_FILE");
    if (env != NULL && env[0] != '\0') {
        return pl_x509_store_add_file(s, env, err);
    }
    static const char *const bundles[] = PL_X509_SYSTEM_BUNDLES;
    for (size_t i = 0; i < sizeof(bundles) / sizeof(bundles[0]); i++) {
        struct stat st;
        if (stat(bundles[i], &st) == 0 && S_ISREG(st.st_mode)) {
            return pl_x509_store_add_file(s, bundles[i], err);
        }
    }
    if (err != NULL) {
        pl_errinfo_set(err, PADLOCK_E_FILE,
                       "no system certificate bundle found (tried %s and %zu other places; "
                       "SSL_CERT_FILE names one)",
                       bundles[0], sizeof(bundles) / sizeof(bundles[0]) - 1);
    }
    return PADLOCK_E_FILE;
}
