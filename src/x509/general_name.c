/* GeneralName reading, validation and formatting (RFC 5280 §4.2.1.6). */
#include "x509/general_name.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "x509/name.h"

padlock_err pl_x509_gn_read(pl_cur *c, pl_x509_gn *out) {
    pl_cur tmp = *c;
    pl_der_tag tag;
    PL_TRY(pl_der_peek(&tmp, &tag));
    PL_CHECK((tag & PL_DER_CLASS_MASK) == PL_DER_CONTEXT, PADLOCK_E_DER);
    uint32_t number = tag & PL_DER_NUMBER_MASK;
    pl_cur v;
    switch (number) {
    case PL_GN_EMAIL:
    case PL_GN_DNS:
    case PL_GN_URI: PL_TRY(pl_der_ia5(&tmp, PL_DER_CTX(number), &out->value)); break;
    case PL_GN_IP: PL_TRY(pl_der_octet_string(&tmp, PL_DER_CTX(PL_GN_IP), &out->value)); break;
    case PL_GN_RID: {
        /* [8] IMPLICIT OBJECT IDENTIFIER: re-read the contents as an OID. */
        PL_TRY(pl_der_expect(&tmp, PL_DER_CTX(PL_GN_RID), &v, NULL));
        out->value.p = v.p;
        out->value.len = pl_cur_left(&v);
        PL_CHECK(pl_der_oid_valid(out->value), PADLOCK_E_DER);
        break;
    }
    case PL_GN_DIRNAME: {
        /* [4] EXPLICIT Name (a CHOICE is always explicitly tagged). */
        PL_TRY(pl_der_expect(&tmp, PL_DER_CTX_CONS(PL_GN_DIRNAME), &v, NULL));
        pl_der_tag inner;
        pl_cur name;
        pl_span name_tlv;
        PL_TRY(pl_der_next(&v, &inner, &name, &name_tlv));
        PL_CHECK(inner == PL_DER_SEQUENCE, PADLOCK_E_DER);
        PL_TRY(pl_der_done(&v));
        PL_TRY(pl_x509_name_validate(name_tlv));
        out->value = name_tlv;
        break;
    }
    case PL_GN_OTHER: {
        /* OtherName ::= SEQUENCE { type-id OBJECT IDENTIFIER, value [0] EXPLICIT ANY } */
        PL_TRY(pl_der_expect(&tmp, PL_DER_CTX_CONS(PL_GN_OTHER), &v, NULL));
        out->value.p = v.p;
        out->value.len = pl_cur_left(&v);
        pl_span type_id;
        pl_cur value;
        PL_TRY(pl_der_oid(&v, &type_id));
        PL_TRY(pl_der_expect(&v, PL_DER_CTX_CONS(0), &value, NULL));
        PL_TRY(pl_der_done(&v));
        break;
    }
    case PL_GN_X400:
    case PL_GN_EDI:
        PL_TRY(pl_der_expect(&tmp, PL_DER_CTX_CONS(number), &v, NULL));
        out->value.p = v.p;
        out->value.len = pl_cur_left(&v);
        break;
    default: return PADLOCK_E_DER;
    }
    out->type = (pl_gn_type)number;
    *c = tmp;
    return PADLOCK_OK;
}

padlock_err pl_x509_general_names(pl_cur *c, pl_span *out_contents) {
    pl_cur tmp = *c;
    pl_cur seq;
    PL_TRY(pl_der_expect(&tmp, PL_DER_SEQUENCE, &seq, NULL));
    out_contents->p = seq.p;
    out_contents->len = pl_cur_left(&seq);
    PL_CHECK(pl_cur_left(&seq) > 0, PADLOCK_E_DER); /* SIZE (1..MAX) */
    while (pl_cur_left(&seq) > 0) {
        pl_x509_gn gn;
        PL_TRY(pl_x509_gn_read(&seq, &gn));
        /* RFC 5280 §4.2.1.6: an iPAddress is four octets (IPv4) or sixteen (IPv6). */
        PL_CHECK(gn.type != PL_GN_IP || gn.value.len == 4 || gn.value.len == 16, PADLOCK_E_DER);
    }
    *c = tmp;
    return PADLOCK_OK;
}

padlock_err pl_x509_gn_write(pl_buf *b, const pl_x509_gn *gn) {
    switch (gn->type) {
    case PL_GN_EMAIL:
    case PL_GN_DNS:
    case PL_GN_URI:
        return pl_der_put_string(b, PL_DER_CTX(gn->type), (const char *)gn->value.p, gn->value.len);
    case PL_GN_IP:
        /* RFC 5280 §4.2.1.6: four octets for IPv4, sixteen for IPv6, network byte order. */
        PL_CHECK(gn->value.len == 4 || gn->value.len == 16, PADLOCK_E_INVALID_ARGUMENT);
        return pl_der_put(b, PL_DER_CTX(PL_GN_IP), gn->value.p, gn->value.len);
    default: return PADLOCK_E_INVALID_ARGUMENT;
    }
}

void pl_x509_ip_format(pl_span ip, char *out, size_t cap) {
    char buf[INET6_ADDRSTRLEN];
    const char *s = NULL;
    if (ip.len == 4) {
        s = inet_ntop(AF_INET, ip.p, buf, sizeof(buf));
    } else if (ip.len == 16) {
        s = inet_ntop(AF_INET6, ip.p, buf, sizeof(buf));
    }
    snprintf(out, cap, "%s", s != NULL ? s : "(invalid address)");
}

/* Copies IA5 text, replacing control characters so the result is safe to print. */
static size_t pl_put_ia5(const char *prefix, pl_span s, char *out, size_t cap) {
    int n = snprintf(out, cap, "%s", prefix);
    size_t o = n > 0 ? (size_t)n : 0;
    for (size_t i = 0; i < s.len && o + 1 < cap; i++) {
        uint8_t ch = s.p[i];
        out[o++] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
    }
    if (o >= cap) {
        o = cap - 1;
    }
    out[o] = '\0';
    return o;
}

size_t pl_x509_gn_format(const pl_x509_gn *gn, char *out, size_t cap) {
    switch (gn->type) {
    case PL_GN_DNS: return pl_put_ia5("DNS:", gn->value, out, cap);
    case PL_GN_EMAIL: return pl_put_ia5("email:", gn->value, out, cap);
    case PL_GN_URI: return pl_put_ia5("URI:", gn->value, out, cap);
    case PL_GN_IP: {
        char ip[64];
        pl_x509_ip_format(gn->value, ip, sizeof(ip));
        snprintf(out, cap, "IP:%s", ip);
        return strlen(out);
    }
    case PL_GN_DIRNAME: {
        char name[PL_X509_NAME_BUF];
        pl_x509_name_format(gn->value, name, sizeof(name));
        snprintf(out, cap, "dirName:%s", name);
        return strlen(out);
    }
    case PL_GN_RID: snprintf(out, cap, "registeredID"); return strlen(out);
    case PL_GN_OTHER: snprintf(out, cap, "othername"); return strlen(out);
    case PL_GN_X400: snprintf(out, cap, "x400Address"); return strlen(out);
    case PL_GN_EDI: snprintf(out, cap, "ediPartyName"); return strlen(out);
    }
    snprintf(out, cap, "unknown");
    return strlen(out);
}
