/* server_name (RFC 6066 §3): in ClientHello a ServerNameList holding exactly one host_name, an
 * ASCII DNS hostname without trailing dot and not an IP literal; in EncryptedExtensions
 * (RFC 8446 §4.2) and the TLS 1.2 ServerHello an empty acknowledgement. */
#include <stdio.h>

#include "ext/desc.h"

enum { PL_SNI_HOST_NAME = 0 };

static int pl_sni_is_ldh(uint8_t ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '_';
}

/* Underscores are not LDH (RFC 1123 §2.1) but appear in real internal host names; they are
 * harmless here because certificate matching decides what a name is worth. */
int pl_ext_sni_host_valid(const uint8_t *name, size_t len) {
    if (len == 0 || len > PL_EXT_SNI_HOST_MAX) {
        return 0;
    }
    size_t label_len = 0;
    int label_numeric = 1;
    uint8_t prev = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t ch = name[i];
        if (ch == '.') {
            if (label_len == 0 || prev == '-') {
                return 0; /* empty label, or one ending in '-' */
            }
            label_len = 0;
            label_numeric = 1;
        } else {
            if (!pl_sni_is_ldh(ch) || (label_len == 0 && ch == '-') || ++label_len > 63) {
                return 0;
            }
            label_numeric = label_numeric && ch >= '0' && ch <= '9';
        }
        prev = ch;
    }
    /* RFC 6066 §3: "without a trailing dot"; "Literal IPv4 and IPv6 addresses are not
     * permitted". IPv6 literals fail the character test; an IPv4 literal (any form) ends in an
     * all-numeric label, which no DNS top-level domain is (RFC 3696 §2). */
    return label_len != 0 && prev != '-' && !label_numeric;
}

/* Copies up to 64 bytes of a peer-supplied name into out for an error detail, '?' for any
 * byte that is not printable ASCII. */
static void pl_sni_printable(const pl_cur *name, char out[68]) {
    size_t n = pl_cur_left(name) < 64 ? pl_cur_left(name) : 64;
    for (size_t i = 0; i < n; i++) {
        uint8_t ch = name->p[i];
        out[i] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
    }
    snprintf(out + n, 4, "%s", pl_cur_left(name) > 64 ? "..." : "");
}

static padlock_err pl_sni_parse(pl_exts *out, pl_ext_msg msg, pl_cur *body, pl_errinfo *err) {
    if (msg != PL_EXT_IN_CH) {
        /* RFC 6066 §3: the server's "extension_data" field of this extension SHALL be empty. */
        return pl_ext_parse_empty(body, msg, "server_name", err);
    }
    pl_cur list, name;
    uint8_t type;
    PL_TRY(pl_cur_vec16(body, 1, 0xffff, &list));
    /* RFC 6066 §3: every NameType's data begins with a 16-bit length, so any entry parses. */
    PL_TRY(pl_cur_u8(&list, &type));
    PL_TRY(pl_cur_vec16(&list, 1, 0xffff, &name));
    if (type != PL_SNI_HOST_NAME) {
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ClientHello: server_name has name type %u, not host_name", type);
    }
    if (pl_cur_left(&list) != 0) {
        uint8_t other_type;
        pl_cur other;
        PL_TRY(pl_cur_u8(&list, &other_type));
        PL_TRY(pl_cur_vec16(&list, 1, 0xffff, &other));
        /* RFC 6066 §3: "The ServerNameList MUST NOT contain more than one name of the same
         * name_type", and host_name is the only type: exactly one name. */
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ClientHello: server_name holds more than one name");
    }
    /* RFC 6066 §3: an ASCII DNS hostname, no trailing dot, no IPv4 or IPv6 literal. */
    if (!pl_ext_sni_host_valid(name.p, pl_cur_left(&name))) {
        char shown[68];
        pl_sni_printable(&name, shown);
        return pl_ext_fail(err, PADLOCK_E_ILLEGAL_PARAMETER,
                           "ClientHello: server_name \"%s\" is not a DNS hostname", shown);
    }
    out->server_name = name;
    return PADLOCK_OK;
}

static padlock_err pl_sni_build(pl_buf *b, pl_ext_msg msg, const pl_exts *in) {
    if (msg != PL_EXT_IN_CH) {
        return PADLOCK_OK; /* the empty acknowledgement */
    }
    pl_buf_vec list;
    PL_TRY(pl_buf_vec_open(b, 2, &list));
    PL_TRY(pl_buf_u8(b, PL_SNI_HOST_NAME));
    PL_TRY(pl_ext_build_vec(b, 2, in->server_name));
    return pl_buf_vec_close(b, &list);
}

const pl_ext_desc pl_ext_server_name = {
    .id = PL_EXT_SERVER_NAME,
    .index = PL_EXT_I_SERVER_NAME,
    .allowed = PL_EXT_IN_CH | PL_EXT_IN_EE | PL_EXT_IN_SH12,
    .name = "server_name",
    .parse = pl_sni_parse,
    .build = pl_sni_build,
};
