/* The OID table of oid.h: content octets and names, looked up by linear scan (a few dozen
 * entries; certificates hold about ten OIDs). */
#include "x509/oid.h"

#include <stdio.h>
#include <string.h>

#define PL_OID_X_BYTES(id, name, ...) static const uint8_t pl_oid_bytes_##id[] = {__VA_ARGS__};
PL_OID_LIST(PL_OID_X_BYTES)
#undef PL_OID_X_BYTES

typedef struct pl_oid_entry {
    const uint8_t *bytes;
    uint8_t len;
    const char *name;
} pl_oid_entry;

#define PL_OID_X_ENTRY(id, name, ...) {pl_oid_bytes_##id, sizeof(pl_oid_bytes_##id), name},
static const pl_oid_entry pl_oid_table[PL_OID_COUNT_] = {{NULL, 0, NULL},
                                                         PL_OID_LIST(PL_OID_X_ENTRY)};
#undef PL_OID_X_ENTRY

pl_oid_id pl_oid_lookup(pl_span oid) {
    for (size_t i = 1; i < PL_OID_COUNT_; i++) {
        if (pl_oid_table[i].len == oid.len && memcmp(pl_oid_table[i].bytes, oid.p, oid.len) == 0) {
            return (pl_oid_id)i;
        }
    }
    return PL_OID_UNKNOWN;
}

int pl_oid_is_name_attribute(pl_oid_id id) {
    return id >= PL_OID_AT_CN && id <= PL_OID_AT_EMAIL;
}

const char *pl_oid_name(pl_oid_id id) {
    return (id > 0 && id < PL_OID_COUNT_) ? pl_oid_table[id].name : NULL;
}

pl_span pl_oid_bytes(pl_oid_id id) {
    pl_span s = {NULL, 0};
    if (id > 0 && id < PL_OID_COUNT_) {
        s.p = pl_oid_table[id].bytes;
        s.len = pl_oid_table[id].len;
    }
    return s;
}

void pl_oid_describe(pl_span oid, char *out, size_t cap) {
    const char *name = pl_oid_name(pl_oid_lookup(oid));
    if (name != NULL) {
        snprintf(out, cap, "%s", name);
    } else if (pl_der_oid_text(oid, out, cap) != PADLOCK_OK) {
        snprintf(out, cap, "(unprintable OID)");
    }
}
