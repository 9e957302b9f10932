/* The extension table and every extension codec: the RFC 8446 §4.2 rules (duplicates, wrong
 * message, unsolicited responses, unknown extensions, pre_shared_key last), the allowed-message
 * table checked against the RFC's own table, each extension's value rules, GREASE, and
 * build -> parse -> build round trips. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ext/ext.h"
#include "parse_check.h"
#include "testlib.h"

/* ---- Helpers: raw blocks and a parse wrapper ------------------------------------------------- */

typedef struct blk {
    uint8_t data[70000];
    size_t len;
} blk;

static blk g_blk; /* large: kept off the stack */

static void blk_reset(blk *b) {
    b->len = 0;
}

static void blk_bytes(blk *b, const void *p, size_t n) {
    assert_true(b->len + n <= sizeof(b->data));
    if (n > 0) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
}

static void blk_u16(blk *b, uint16_t v) {
    uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    blk_bytes(b, x, 2);
}

/* Appends one Extension: type, 2-byte length, body. */
static void blk_ext(blk *b, uint16_t id, const void *body, size_t n) {
    blk_u16(b, id);
    blk_u16(b, (uint16_t)n);
    blk_bytes(b, body, n);
}

static pl_ext_msg g_msg;
static uint32_t g_offered;
static pl_exts g_parsed;

static padlock_err parse_block(const uint8_t *in, size_t len, pl_errinfo *err) {
    return pl_exts_parse(&g_parsed, g_msg, in, len, g_offered, err);
}

/* Parses b in place (g_parsed points into it) in msg with offered; returns the result. */
static padlock_err parse_in(const blk *b, pl_ext_msg msg, uint32_t offered) {
    pl_errinfo err;
    pl_errinfo_init(&err);
    padlock_err rc = pl_exts_parse(&g_parsed, msg, b->data, b->len, offered, &err);
    if (rc != PADLOCK_OK) {
        print_message("parse in %s: %s\n", pl_ext_msg_name(msg), pl_errinfo_message(&err));
    }
    pl_errinfo_cleanup(&err);
    return rc;
}

static void expect_fail(const blk *b, pl_ext_msg msg, uint32_t offered, padlock_err code,
                        const char *needle) {
    g_msg = msg;
    g_offered = offered;
    pl_test_parse_fails(parse_block, b->data, b->len, code, needle);
}

#define ALL_OFFERED 0xffffffffu

/* The known extensions and their RFC names. */
static const struct {
    uint16_t id;
    const char *name;
} known[] = {
    {PL_EXT_SERVER_NAME, "server_name"},
    {PL_EXT_SUPPORTED_GROUPS, "supported_groups"},
    {PL_EXT_EC_POINT_FORMATS, "ec_point_formats"},
    {PL_EXT_SIGNATURE_ALGORITHMS, "signature_algorithms"},
    {PL_EXT_ALPN, "application_layer_protocol_negotiation"},
    {PL_EXT_EXTENDED_MASTER_SECRET, "extended_master_secret"},
    {PL_EXT_RECORD_SIZE_LIMIT, "record_size_limit"},
    {PL_EXT_SESSION_TICKET, "session_ticket"},
    {PL_EXT_PRE_SHARED_KEY, "pre_shared_key"},
    {PL_EXT_EARLY_DATA, "early_data"},
    {PL_EXT_SUPPORTED_VERSIONS, "supported_versions"},
    {PL_EXT_COOKIE, "cookie"},
    {PL_EXT_PSK_KEY_EXCHANGE_MODES, "psk_key_exchange_modes"},
    {PL_EXT_SIGNATURE_ALGORITHMS_CERT, "signature_algorithms_cert"},
    {PL_EXT_KEY_SHARE, "key_share"},
    {PL_EXT_RENEGOTIATION_INFO, "renegotiation_info"},
};
#define NUM_KNOWN (sizeof(known) / sizeof(known[0]))

static const pl_ext_msg all_msgs[] = {PL_EXT_IN_CH, PL_EXT_IN_SH, PL_EXT_IN_HRR, PL_EXT_IN_EE,
                                      PL_EXT_IN_CT, PL_EXT_IN_CR, PL_EXT_IN_NST, PL_EXT_IN_SH12};

/* Valid values for every field, usable in every message an extension is allowed in. */
static const uint8_t s_groups[] = {0x00, 0x1d, 0x00, 0x17};
static const uint8_t s_sigalgs[] = {0x04, 0x03, 0x08, 0x04};
static const uint8_t s_sigalgs_cert[] = {0x04, 0x03};
static const uint8_t s_versions[] = {0x03, 0x04, 0x03, 0x03};
static const uint8_t s_alpn_list[] = {2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
static const uint8_t s_psk_modes[] = {PL_PSK_DHE_KE};
static const uint8_t s_cookie[] = {'c', 'o', 'o', 'k', 'i', 'e'};
static const uint8_t s_ticket[] = {1, 2, 3, 4, 5};
static const uint8_t s_ecpf[] = {0};
static uint8_t s_share[32];
static uint8_t s_key_shares[36];
static uint8_t s_identities[2 + 5 + 4];
static uint8_t s_binders[1 + 32];

static void sample_values(pl_exts *v) {
    memset(v, 0, sizeof(*v));
    memset(s_share, 0x5a, sizeof(s_share));
    pl_buf b;
    pl_buf_init(&b, s_key_shares, sizeof(s_key_shares));
    PL_ASSERT_OK(pl_ext_key_share_entry_write(&b, 0x001d, s_share, sizeof(s_share)));
    pl_buf_init(&b, s_identities, sizeof(s_identities));
    PL_ASSERT_OK(pl_ext_psk_identity_write(&b, (const uint8_t *)"ident", 5, 0x01020304));
    uint8_t binder[32];
    memset(binder, 0xbb, sizeof(binder));
    pl_buf_init(&b, s_binders, sizeof(s_binders));
    PL_ASSERT_OK(pl_ext_psk_binder_write(&b, binder, sizeof(binder)));
    pl_cur_init(&v->server_name, (const uint8_t *)"example.com", 11);
    pl_cur_init(&v->supported_groups, s_groups, sizeof(s_groups));
    pl_cur_init(&v->sig_algs, s_sigalgs, sizeof(s_sigalgs));
    pl_cur_init(&v->sig_algs_cert, s_sigalgs_cert, sizeof(s_sigalgs_cert));
    pl_cur_init(&v->versions, s_versions, sizeof(s_versions));
    pl_cur_init(&v->key_shares, s_key_shares, sizeof(s_key_shares));
    pl_cur_init(&v->key_exchange, s_share, sizeof(s_share));
    pl_cur_init(&v->alpn, s_alpn_list, sizeof(s_alpn_list));
    pl_cur_init(&v->psk_modes, s_psk_modes, sizeof(s_psk_modes));
    pl_cur_init(&v->psk_identities, s_identities, sizeof(s_identities));
    pl_cur_init(&v->psk_binders, s_binders, sizeof(s_binders));
    pl_cur_init(&v->cookie, s_cookie, sizeof(s_cookie));
    pl_cur_init(&v->session_ticket, s_ticket, sizeof(s_ticket));
    pl_cur_init(&v->ec_point_formats, s_ecpf, sizeof(s_ecpf));
    v->selected_version = 0x0304;
    v->key_share_group = 0x001d;
    v->psk_selected = 0;
    v->max_early_data_size = 16384;
    v->record_size_limit = 16385;
}

/* Builds an extensions vector into out (2-byte length included) and returns its length. */
static padlock_err build_block(uint8_t *out, size_t cap, pl_ext_msg msg, const pl_exts *v,
                               const uint16_t *ids, size_t num, size_t *out_len) {
    pl_buf b;
    pl_buf_init(&b, out, cap);
    padlock_err rc = pl_exts_build(&b, msg, v, ids, num);
    *out_len = b.len;
    return rc;
}

/* ---- Table ------------------------------------------------------------------------------------
 */

static void test_table_ids_and_names(void **state) {
    (void)state;
    uint32_t seen = 0;
    for (size_t i = 0; i < NUM_KNOWN; i++) {
        uint32_t bit = pl_ext_bit(known[i].id);
        assert_int_not_equal(bit, 0);
        assert_int_equal(bit & (bit - 1), 0); /* one bit */
        assert_int_equal(seen & bit, 0);      /* distinct */
        seen |= bit;
        assert_string_equal(pl_ext_name(known[i].id), known[i].name);
    }
    /* padding (RFC 7685), GREASE (RFC 8701), status_request: unknown to the table. */
    const uint16_t unknown[] = {21, 0x0a0a, 0xfafa, 5, 0xffff};
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        assert_int_equal(pl_ext_bit(unknown[i]), 0);
        assert_null(pl_ext_name(unknown[i]));
    }
    const uint16_t ids[] = {PL_EXT_KEY_SHARE, 0x0a0a, PL_EXT_COOKIE};
    assert_int_equal(pl_ext_mask(ids, 3), pl_ext_bit(PL_EXT_KEY_SHARE) | pl_ext_bit(PL_EXT_COOKIE));
    assert_string_equal(pl_ext_msg_name(PL_EXT_IN_HRR), "HelloRetryRequest");
    assert_string_equal(pl_ext_msg_name(PL_EXT_IN_EE), "EncryptedExtensions");
}

/* The RFC 8446 §4.2 table, read from the RFC: extension name -> message bits. */
static int rfc_table(const char *names[32], uint32_t masks[32]) {
    char path[4096];
    size_t len;
    snprintf(path, sizeof(path), "%s/specs/rfc8446.txt", pl_test_shared_dir());
    char *text = (char *)pl_test_read_file(path, &len);
    assert_non_null(text);
    char *p = strstr(text, "| Extension ");
    assert_non_null(p);
    int n = 0;
    for (char *line = strchr(p, '\n') + 1; line != NULL && *line != '\0';) {
        char *end = strchr(line, '\n');
        if (end != NULL) {
            *end = '\0';
        }
        char *bar = strchr(line, '|');
        if (strstr(line, "+---") != NULL && n > 0) {
            break;
        }
        if (bar != NULL) {
            char name[64];
            char *cells = strchr(bar + 1, '|');
            if (cells != NULL && sscanf(bar + 1, "%63s", name) == 1 && name[0] != '|') {
                uint32_t m = 0;
                const struct {
                    const char *tag;
                    uint32_t bit;
                } tags[] = {{"CH", PL_EXT_IN_CH},  {"SH", PL_EXT_IN_SH}, {"HRR", PL_EXT_IN_HRR},
                            {"EE", PL_EXT_IN_EE},  {"CT", PL_EXT_IN_CT}, {"CR", PL_EXT_IN_CR},
                            {"NST", PL_EXT_IN_NST}};
                char *tok = strtok(cells + 1, " ,|");
                for (; tok != NULL; tok = strtok(NULL, " ,|")) {
                    for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]); t++) {
                        if (strcmp(tok, tags[t].tag) == 0) {
                            m |= tags[t].bit;
                        }
                    }
                }
                names[n] = strdup(name);
                masks[n] = m;
                n++;
            }
        }
        line = end != NULL ? end + 1 : NULL;
    }
    free(text);
    return n;
}

/* Adds what a block in msg needs besides id to be acceptable as a whole. */
static size_t with_companions(pl_ext_msg msg, uint16_t id, uint16_t ids[3]) {
    size_t n = 0;
    if (msg == PL_EXT_IN_CH && id == PL_EXT_PRE_SHARED_KEY) {
        ids[n++] = PL_EXT_PSK_KEY_EXCHANGE_MODES; /* RFC 8446 §4.2.9 */
    }
    if (msg == PL_EXT_IN_CR && id != PL_EXT_SIGNATURE_ALGORITHMS) {
        ids[n++] = PL_EXT_SIGNATURE_ALGORITHMS; /* RFC 8446 §4.3.2 */
    }
    if (msg == PL_EXT_IN_HRR && id != PL_EXT_SUPPORTED_VERSIONS) {
        ids[n++] = PL_EXT_SUPPORTED_VERSIONS; /* RFC 8446 §4.1.4 */
    }
    ids[n++] = id;
    return n;
}

/* Checks that extension id is accepted exactly in the messages of expected (build and parse),
 * and refused elsewhere (build: INVALID_ARGUMENT; parse: ILLEGAL_PARAMETER). */
static void check_allowed(uint16_t id, uint32_t expected) {
    pl_exts v;
    sample_values(&v);
    uint8_t out[512];
    size_t len;
    /* The body as built for a ClientHello (every extension is allowed there). */
    uint8_t ch_block[512];
    size_t ch_len;
    PL_ASSERT_OK(build_block(ch_block, sizeof(ch_block), PL_EXT_IN_CH, &v, &id, 1, &ch_len));
    for (size_t m = 0; m < sizeof(all_msgs) / sizeof(all_msgs[0]); m++) {
        pl_ext_msg msg = all_msgs[m];
        if ((expected & msg) != 0) {
            uint16_t ids[3];
            size_t n = with_companions(msg, id, ids);
            PL_ASSERT_OK(build_block(out, sizeof(out), msg, &v, ids, n, &len));
            blk_reset(&g_blk);
            blk_bytes(&g_blk, out + 2, len - 2);
            if (parse_in(&g_blk, msg, ALL_OFFERED) != PADLOCK_OK) {
                fail_msg("%s not accepted in %s", pl_ext_name(id), pl_ext_msg_name(msg));
            }
            assert_true(pl_exts_has(&g_parsed, id));
        } else {
            PL_ASSERT_ERR(build_block(out, sizeof(out), msg, &v, &id, 1, &len),
                          PADLOCK_E_INVALID_ARGUMENT);
            blk_reset(&g_blk);
            blk_bytes(&g_blk, ch_block + 2, ch_len - 2);
            char needle[128];
            snprintf(needle, sizeof(needle), "%s: extension %s is not allowed",
                     pl_ext_msg_name(msg), pl_ext_name(id));
            expect_fail(&g_blk, msg, ALL_OFFERED, PADLOCK_E_ILLEGAL_PARAMETER, needle);
        }
    }
}

/* Where each known extension may appear in a TLS 1.2 ServerHello (RFC 6066 §3, RFC 7301 §3.1,
 * RFC 8449 §4, RFC 5746 §3.2, RFC 7627 §5.1, RFC 5077 §3.2, RFC 8422 §5.2). */
static const uint16_t in_sh12[] = {
    PL_EXT_SERVER_NAME,
    PL_EXT_ALPN,
    PL_EXT_RECORD_SIZE_LIMIT,
    PL_EXT_RENEGOTIATION_INFO,
    PL_EXT_EXTENDED_MASTER_SECRET,
    PL_EXT_SESSION_TICKET,
    PL_EXT_EC_POINT_FORMATS,
};

static void test_allowed_messages_match_rfc8446_table(void **state) {
    (void)state;
    const char *names[32];
    uint32_t masks[32];
    int rows = rfc_table(names, masks);
    assert_int_equal(rows, 22); /* the §4.2 table has 22 extensions */
    size_t matched = 0;
    for (size_t i = 0; i < NUM_KNOWN; i++) {
        uint32_t expected = 0;
        int in_rfc = 0;
        for (int r = 0; r < rows; r++) {
            if (strcmp(names[r], known[i].name) == 0) {
                expected = masks[r];
                in_rfc = 1;
            }
        }
        if (!in_rfc) {
            /* Not TLS 1.3 extensions: ClientHello and TLS 1.2 ServerHello only, except
             * record_size_limit, which TLS 1.3 servers send in EncryptedExtensions (RFC 8449
             * §4). */
            expected = PL_EXT_IN_CH;
            if (known[i].id == PL_EXT_RECORD_SIZE_LIMIT) {
                expected |= PL_EXT_IN_EE;
            }
        } else {
            matched++;
        }
        for (size_t s = 0; s < sizeof(in_sh12) / sizeof(in_sh12[0]); s++) {
            if (in_sh12[s] == known[i].id) {
                expected |= PL_EXT_IN_SH12;
            }
        }
        check_allowed(known[i].id, expected);
    }
    assert_int_equal(matched, 11); /* the RFC 8446 table rows padlock implements */
    for (int r = 0; r < rows; r++) {
        free((void *)names[r]);
    }
}

static void test_duplicates(void **state) {
    (void)state;
    const uint8_t groups[] = {0x00, 0x02, 0x00, 0x1d};
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_SUPPORTED_GROUPS, groups, sizeof(groups));
    blk_ext(&g_blk, PL_EXT_SUPPORTED_GROUPS, groups, sizeof(groups));
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_ILLEGAL_PARAMETER,
                "ClientHello: extension supported_groups appears twice");
    expect_fail(&g_blk, PL_EXT_IN_EE, ALL_OFFERED, PADLOCK_E_ILLEGAL_PARAMETER, "twice");
    /* Unknown types too, wherever they are, however many other unknown ones there are. */
    blk_reset(&g_blk);
    for (uint16_t id = 1000; id < 1000 + 5000; id++) {
        blk_ext(&g_blk, id, NULL, 0);
    }
    blk_ext(&g_blk, 3333, "x", 1);
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_ILLEGAL_PARAMETER,
                "extension 3333 appears twice");
    expect_fail(&g_blk, PL_EXT_IN_NST, 0, PADLOCK_E_ILLEGAL_PARAMETER, "twice");
    /* GREASE values are unknown types like any other (RFC 8701 §3). */
    blk_reset(&g_blk);
    blk_ext(&g_blk, 0x0a0a, NULL, 0);
    blk_ext(&g_blk, 0x1a1a, NULL, 0);
    PL_ASSERT_OK(parse_in(&g_blk, PL_EXT_IN_CH, 0));
    blk_ext(&g_blk, 0x0a0a, "\x00", 1);
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_ILLEGAL_PARAMETER, "2570 appears twice");
}

static void test_unsolicited_responses(void **state) {
    (void)state;
    const uint8_t alpn[] = {0x00, 0x03, 0x02, 'h', '2'};
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_ALPN, alpn, sizeof(alpn));
    /* RFC 8446 §4.2: a response to an extension we did not send: unsupported_extension. */
    expect_fail(&g_blk, PL_EXT_IN_EE, pl_ext_bit(PL_EXT_SERVER_NAME),
                PADLOCK_E_UNSUPPORTED_EXTENSION,
                "EncryptedExtensions: extension application_layer_protocol_negotiation was not "
                "offered");
    PL_ASSERT_OK(parse_in(&g_blk, PL_EXT_IN_EE, pl_ext_bit(PL_EXT_ALPN)));
    assert_memory_equal(g_parsed.alpn.p, "h2", 2);
    expect_fail(&g_blk, PL_EXT_IN_SH12, 0, PADLOCK_E_UNSUPPORTED_EXTENSION,
                "ServerHello (TLS 1.2)");
    PL_ASSERT_OK(parse_in(&g_blk, PL_EXT_IN_SH12, pl_ext_bit(PL_EXT_ALPN)));

    /* An unknown extension can never answer a request of ours. */
    blk_reset(&g_blk);
    blk_ext(&g_blk, 0x1234, NULL, 0);
    const pl_ext_msg responses[] = {PL_EXT_IN_SH, PL_EXT_IN_HRR, PL_EXT_IN_EE, PL_EXT_IN_CT,
                                    PL_EXT_IN_SH12};
    for (size_t i = 0; i < sizeof(responses) / sizeof(responses[0]); i++) {
        expect_fail(&g_blk, responses[i], ALL_OFFERED, PADLOCK_E_UNSUPPORTED_EXTENSION,
                    "extension 4660 was not offered");
    }
    /* ... nor a GREASE one (RFC 8701 §3: clients MUST reject GREASE in server messages). */
    blk_reset(&g_blk);
    blk_ext(&g_blk, 0xdada, NULL, 0);
    expect_fail(&g_blk, PL_EXT_IN_SH, ALL_OFFERED, PADLOCK_E_UNSUPPORTED_EXTENSION, NULL);

    /* RFC 8446 §4.2: the cookie in a HelloRetryRequest is the exception. */
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    blk_ext(&g_blk, PL_EXT_COOKIE, "\x00\x02hi", 4);
    PL_ASSERT_OK(parse_in(&g_blk, PL_EXT_IN_HRR, pl_ext_bit(PL_EXT_SUPPORTED_VERSIONS)));
    assert_true(pl_exts_has(&g_parsed, PL_EXT_COOKIE));
    expect_fail(&g_blk, PL_EXT_IN_HRR, pl_ext_bit(PL_EXT_COOKIE), PADLOCK_E_UNSUPPORTED_EXTENSION,
                "HelloRetryRequest: extension supported_versions was not offered");
}

static void test_unknown_ignored_in_requests(void **state) {
    (void)state;
    blk_reset(&g_blk);
    blk_ext(&g_blk, 0x0a0a, NULL, 0); /* GREASE */
    blk_ext(&g_blk, PL_EXT_SIGNATURE_ALGORITHMS, "\x00\x02\x08\x04", 4);
    blk_ext(&g_blk, 21, "\x00\x00\x00", 3); /* padding */
    blk_ext(&g_blk, 47, "\x00\x00", 2);     /* certificate_authorities */
    const pl_ext_msg requests[] = {PL_EXT_IN_CH, PL_EXT_IN_CR};
    for (size_t i = 0; i < 2; i++) {
        PL_ASSERT_OK(parse_in(&g_blk, requests[i], 0));
        assert_int_equal(g_parsed.present, pl_ext_bit(PL_EXT_SIGNATURE_ALGORITHMS));
        assert_true(pl_ext_u16_contains(g_parsed.sig_algs, 0x0804));
        uint16_t ids[8];
        size_t n;
        PL_ASSERT_OK(pl_exts_ids(&g_parsed, ids, 8, &n));
        assert_int_equal(n, 4);
        assert_int_equal(ids[0], 0x0a0a);
        assert_int_equal(ids[1], PL_EXT_SIGNATURE_ALGORITHMS);
        assert_int_equal(ids[2], 21);
        assert_int_equal(ids[3], 47);
        PL_ASSERT_ERR(pl_exts_ids(&g_parsed, ids, 3, &n), PADLOCK_E_BUFFER_TOO_SMALL);
    }
    blk_reset(&g_blk);
    blk_ext(&g_blk, 0x7777, "abc", 3);
    blk_ext(&g_blk, PL_EXT_EARLY_DATA, "\x00\x00\x40\x00", 4);
    PL_ASSERT_OK(parse_in(&g_blk, PL_EXT_IN_NST, 0));
    assert_int_equal(g_parsed.max_early_data_size, 0x4000);
}

static void test_pre_shared_key_last(void **state) {
    (void)state;
    pl_exts v;
    sample_values(&v);
    uint8_t out[512];
    size_t len;
    const uint16_t good[] = {PL_EXT_PSK_KEY_EXCHANGE_MODES, PL_EXT_PRE_SHARED_KEY};
    PL_ASSERT_OK(build_block(out, sizeof(out), PL_EXT_IN_CH, &v, good, 2, &len));
    blk_reset(&g_blk);
    blk_bytes(&g_blk, out + 2, len - 2);
    PL_ASSERT_OK(parse_in(&g_blk, PL_EXT_IN_CH, 0));
    assert_int_equal(g_parsed.psk_count, 1);
    /* Anything after it, even an unknown extension, breaks RFC 8446 §4.2.11. */
    blk_ext(&g_blk, 21, NULL, 0);
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_ILLEGAL_PARAMETER,
                "ClientHello: pre_shared_key is not the last extension");
    const uint16_t bad[] = {PL_EXT_PRE_SHARED_KEY, PL_EXT_PSK_KEY_EXCHANGE_MODES};
    PL_ASSERT_ERR(build_block(out, sizeof(out), PL_EXT_IN_CH, &v, bad, 2, &len),
                  PADLOCK_E_INVALID_ARGUMENT);
    /* In a ServerHello it may come anywhere. */
    const uint16_t sh[] = {PL_EXT_PRE_SHARED_KEY, PL_EXT_SUPPORTED_VERSIONS, PL_EXT_KEY_SHARE};
    PL_ASSERT_OK(build_block(out, sizeof(out), PL_EXT_IN_SH, &v, sh, 3, &len));
    blk_reset(&g_blk);
    blk_bytes(&g_blk, out + 2, len - 2);
    PL_ASSERT_OK(parse_in(&g_blk, PL_EXT_IN_SH, ALL_OFFERED));
    assert_int_equal(g_parsed.psk_selected, 0);
}

static void test_missing_extensions(void **state) {
    (void)state;
    /* RFC 8446 §4.2.9: pre_shared_key requires psk_key_exchange_modes. */
    pl_exts v;
    sample_values(&v);
    uint8_t out[512];
    size_t len;
    const uint16_t psk_only[] = {PL_EXT_PRE_SHARED_KEY};
    PL_ASSERT_OK(build_block(out, sizeof(out), PL_EXT_IN_CH, &v, psk_only, 1, &len));
    blk_reset(&g_blk);
    blk_bytes(&g_blk, out + 2, len - 2);
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_MISSING_EXTENSION,
                "pre_shared_key without psk_key_exchange_modes");
    /* RFC 8446 §4.3.2: a CertificateRequest must carry signature_algorithms. */
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_SIGNATURE_ALGORITHMS_CERT, "\x00\x02\x04\x03", 4);
    expect_fail(&g_blk, PL_EXT_IN_CR, 0, PADLOCK_E_MISSING_EXTENSION,
                "CertificateRequest: signature_algorithms is missing");
    blk_reset(&g_blk);
    expect_fail(&g_blk, PL_EXT_IN_CR, 0, PADLOCK_E_MISSING_EXTENSION, NULL);
    /* RFC 8446 §4.1.4: a HelloRetryRequest must carry supported_versions. */
    blk_ext(&g_blk, PL_EXT_KEY_SHARE, "\x00\x17", 2);
    expect_fail(&g_blk, PL_EXT_IN_HRR, ALL_OFFERED, PADLOCK_E_MISSING_EXTENSION,
                "HelloRetryRequest: supported_versions is missing");
    /* Empty blocks are fine elsewhere. */
    blk_reset(&g_blk);
    const pl_ext_msg fine[] = {PL_EXT_IN_CH, PL_EXT_IN_SH,  PL_EXT_IN_EE,
                               PL_EXT_IN_CT, PL_EXT_IN_NST, PL_EXT_IN_SH12};
    for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
        PL_ASSERT_OK(parse_in(&g_blk, fine[i], 0));
        assert_int_equal(g_parsed.present, 0);
    }
}

static void test_block_framing(void **state) {
    (void)state;
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_EXTENDED_MASTER_SECRET, NULL, 0);
    blk_ext(&g_blk, PL_EXT_RENEGOTIATION_INFO, "\x00", 1);
    blk_ext(&g_blk, PL_EXT_RECORD_SIZE_LIMIT, "\x40\x01", 2);
    g_msg = PL_EXT_IN_CH;
    g_offered = 0;
    /* Cut anywhere but between extensions: malformed. */
    const size_t boundaries[] = {0, 4, 9};
    pl_test_truncations(parse_block, g_blk.data, g_blk.len, boundaries, 3);
    pl_test_trailing_byte(parse_block, g_blk.data, g_blk.len);
    /* An extension_data with bytes its own format leaves over. */
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_RECORD_SIZE_LIMIT, "\x40\x01\x00", 3);
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_DECODE,
                "ClientHello: record_size_limit extension: malformed input");

    /* pl_exts_find reads framing only. */
    blk_reset(&g_blk);
    blk_ext(&g_blk, 0x1234, "ab", 2);
    blk_ext(&g_blk, PL_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    int found;
    pl_cur body;
    PL_ASSERT_OK(pl_exts_find(g_blk.data, g_blk.len, PL_EXT_SUPPORTED_VERSIONS, &found, &body));
    assert_int_equal(found, 1);
    assert_int_equal(pl_cur_left(&body), 2);
    assert_memory_equal(body.p, "\x03\x04", 2);
    PL_ASSERT_OK(pl_exts_find(g_blk.data, g_blk.len, PL_EXT_COOKIE, &found, &body));
    assert_int_equal(found, 0);
    PL_ASSERT_ERR(pl_exts_find(g_blk.data, g_blk.len - 1, PL_EXT_COOKIE, &found, &body),
                  PADLOCK_E_DECODE);
}

/* ---- Builder -----------------------------------------------------------------------------------
 */

static void test_build_round_trip(void **state) {
    (void)state;
    pl_exts v;
    sample_values(&v);
    const uint16_t order[] = {
        PL_EXT_RENEGOTIATION_INFO,
        PL_EXT_SERVER_NAME,
        PL_EXT_EC_POINT_FORMATS,
        PL_EXT_SUPPORTED_GROUPS,
        PL_EXT_SESSION_TICKET,
        PL_EXT_ALPN,
        PL_EXT_EXTENDED_MASTER_SECRET,
        PL_EXT_RECORD_SIZE_LIMIT,
        PL_EXT_SIGNATURE_ALGORITHMS,
        PL_EXT_SIGNATURE_ALGORITHMS_CERT,
        PL_EXT_SUPPORTED_VERSIONS,
        PL_EXT_KEY_SHARE,
        PL_EXT_COOKIE,
        PL_EXT_EARLY_DATA,
        PL_EXT_PSK_KEY_EXCHANGE_MODES,
        PL_EXT_PRE_SHARED_KEY,
    };
    const size_t num = sizeof(order) / sizeof(order[0]);
    uint8_t first[1024], second[1024];
    size_t len1, len2;
    PL_ASSERT_OK(build_block(first, sizeof(first), PL_EXT_IN_CH, &v, order, num, &len1));
    blk_reset(&g_blk);
    blk_bytes(&g_blk, first + 2, len1 - 2);
    PL_ASSERT_OK(parse_in(&g_blk, PL_EXT_IN_CH, 0));
    assert_int_equal(g_parsed.present, pl_ext_mask(order, num));
    uint16_t ids[32];
    size_t n;
    PL_ASSERT_OK(pl_exts_ids(&g_parsed, ids, 32, &n));
    assert_int_equal(n, num);
    assert_memory_equal(ids, order, sizeof(order));
    pl_exts again = g_parsed;
    PL_ASSERT_OK(build_block(second, sizeof(second), PL_EXT_IN_CH, &again, ids, n, &len2));
    assert_int_equal(len1, len2);
    assert_memory_equal(first, second, len1);
    /* The parsed values are the sample values. */
    assert_int_equal(pl_cur_left(&again.server_name), 11);
    assert_memory_equal(again.server_name.p, "example.com", 11);
    assert_int_equal(again.record_size_limit, 16385);
    assert_int_equal(pl_cur_left(&again.session_ticket), sizeof(s_ticket));
    assert_int_equal(again.psk_count, 1);

    /* Every prefix of the build fails cleanly when the storage is too small. */
    for (size_t cap = 0; cap < len1; cap++) {
        padlock_err rc = build_block(second, cap, PL_EXT_IN_CH, &v, order, num, &len2);
        assert_int_equal(rc, PADLOCK_E_BUFFER_TOO_SMALL);
    }
}

static void test_build_rejects_bad_orders(void **state) {
    (void)state;
    pl_exts v;
    sample_values(&v);
    uint8_t out[512];
    size_t len;
    const uint16_t unknown[] = {PL_EXT_SERVER_NAME, 21};
    PL_ASSERT_ERR(build_block(out, sizeof(out), PL_EXT_IN_CH, &v, unknown, 2, &len),
                  PADLOCK_E_INVALID_ARGUMENT);
    const uint16_t dup[] = {PL_EXT_SERVER_NAME, PL_EXT_COOKIE, PL_EXT_SERVER_NAME};
    PL_ASSERT_ERR(build_block(out, sizeof(out), PL_EXT_IN_CH, &v, dup, 3, &len),
                  PADLOCK_E_INVALID_ARGUMENT);
    assert_int_equal(len, 0); /* nothing written */
    const uint16_t wrong_msg[] = {PL_EXT_KEY_SHARE};
    PL_ASSERT_ERR(build_block(out, sizeof(out), PL_EXT_IN_EE, &v, wrong_msg, 1, &len),
                  PADLOCK_E_INVALID_ARGUMENT);
    /* Values that would not parse are refused too. */
    v.record_size_limit = 63;
    const uint16_t rsl[] = {PL_EXT_RECORD_SIZE_LIMIT};
    PL_ASSERT_ERR(build_block(out, sizeof(out), PL_EXT_IN_CH, &v, rsl, 1, &len),
                  PADLOCK_E_INVALID_ARGUMENT);
    pl_cur_init(&v.supported_groups, s_groups, 3);
    const uint16_t groups[] = {PL_EXT_SUPPORTED_GROUPS};
    PL_ASSERT_ERR(build_block(out, sizeof(out), PL_EXT_IN_CH, &v, groups, 1, &len),
                  PADLOCK_E_INVALID_ARGUMENT);
    /* An empty order writes an empty block. */
    PL_ASSERT_OK(build_block(out, sizeof(out), PL_EXT_IN_EE, &v, NULL, 0, &len));
    assert_int_equal(len, 2);
    assert_int_equal(out[0] | out[1], 0);
}

/* ---- Individual extensions ---------------------------------------------------------------------
 */

/* A server_name extension body for name (type host_name). */
static void sni_body(blk *b, const char *name) {
    size_t n = strlen(name);
    blk_reset(b);
    blk_u16(b, (uint16_t)(n + 3));
    blk_bytes(b, "\x00", 1);
    blk_u16(b, (uint16_t)n);
    blk_bytes(b, name, n);
}

static padlock_err parse_one(uint16_t id, const blk *body, pl_ext_msg msg) {
    static blk whole;
    blk_reset(&whole);
    blk_ext(&whole, id, body->data, body->len);
    return parse_in(&whole, msg, ALL_OFFERED);
}

static void fail_one(uint16_t id, const blk *body, pl_ext_msg msg, padlock_err code,
                     const char *needle) {
    static blk whole;
    blk_reset(&whole);
    blk_ext(&whole, id, body->data, body->len);
    expect_fail(&whole, msg, ALL_OFFERED, code, needle);
}

static void test_sni_host_names(void **state) {
    (void)state;
    const char *valid[] = {
        "server",      "example.com",        "a.b.c.d.e", "xn--bcher-kva.example",
        "EXAMPLE.Com", "host_name.internal", "a-b.c-d",   "1a.example",
        "example.123a"};
    const char *invalid[] = {
        "",           ".",           "example.com.",   ".example.com", "a..b", "-a.example",
        "a-.example", "192.0.2.1",   "10.0.0",         "3232235777",   "::1",  "[2001:db8::1]",
        "ex ample",   "exa\x01mple", "ex\xc3\xa9.com", "example.1",    "a/b"};
    for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
        if (!pl_ext_sni_host_valid((const uint8_t *)valid[i], strlen(valid[i]))) {
            fail_msg("\"%s\" should be a valid host name", valid[i]);
        }
    }
    for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
        if (pl_ext_sni_host_valid((const uint8_t *)invalid[i], strlen(invalid[i]))) {
            fail_msg("\"%s\" should be refused", invalid[i]);
        }
    }
    char label[80], name[300];
    memset(label, 'a', 63);
    label[63] = '\0';
    assert_true(pl_ext_sni_host_valid((const uint8_t *)label, 63));
    label[63] = 'a';
    assert_false(pl_ext_sni_host_valid((const uint8_t *)label, 64));
    /* 253 bytes at most. */
    memset(name, 'a', sizeof(name));
    for (size_t i = 50; i < sizeof(name); i += 51) {
        name[i] = '.';
    }
    assert_true(pl_ext_sni_host_valid((const uint8_t *)name, 253));
    assert_false(pl_ext_sni_host_valid((const uint8_t *)name, 254));
}

static void test_server_name(void **state) {
    (void)state;
    blk body;
    sni_body(&body, "server");
    PL_ASSERT_OK(parse_one(PL_EXT_SERVER_NAME, &body, PL_EXT_IN_CH));
    assert_int_equal(pl_cur_left(&g_parsed.server_name), 6);
    assert_memory_equal(g_parsed.server_name.p, "server", 6);
    /* RFC 6066 §3: host names only, no IP literal, no trailing dot. */
    sni_body(&body, "192.0.2.7");
    fail_one(PL_EXT_SERVER_NAME, &body, PL_EXT_IN_CH, PADLOCK_E_ILLEGAL_PARAMETER,
             "ClientHello: server_name \"192.0.2.7\" is not a DNS hostname");
    sni_body(&body, "example.com.");
    fail_one(PL_EXT_SERVER_NAME, &body, PL_EXT_IN_CH, PADLOCK_E_ILLEGAL_PARAMETER, NULL);
    sni_body(&body, "bad\nname");
    fail_one(PL_EXT_SERVER_NAME, &body, PL_EXT_IN_CH, PADLOCK_E_ILLEGAL_PARAMETER,
             "\"bad?name\""); /* peer bytes are never printed raw */
    /* Another name type, and two names. */
    body.data[2] = 1;
    fail_one(PL_EXT_SERVER_NAME, &body, PL_EXT_IN_CH, PADLOCK_E_ILLEGAL_PARAMETER,
             "name type 1, not host_name");
    blk_reset(&body);
    blk_u16(&body, 14);
    blk_bytes(&body, "\x00\x00\x04host\x00\x00\x04next", 14);
    fail_one(PL_EXT_SERVER_NAME, &body, PL_EXT_IN_CH, PADLOCK_E_ILLEGAL_PARAMETER,
             "more than one name");
    /* Malformed: empty list, empty name, inner length past the end, list length short. */
    blk_reset(&body);
    blk_u16(&body, 0);
    fail_one(PL_EXT_SERVER_NAME, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);
    blk_reset(&body);
    blk_bytes(&body, "\x00\x03\x00\x00\x00", 5);
    fail_one(PL_EXT_SERVER_NAME, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);
    blk_reset(&body);
    blk_bytes(&body,
              "\x00\x05\x00\x00\x05"
              "ab",
              7);
    fail_one(PL_EXT_SERVER_NAME, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);
    blk_reset(&body);
    blk_bytes(&body, "\x00\x06\x00\x00\x04host\x00", 9); /* a second entry cut short */
    fail_one(PL_EXT_SERVER_NAME, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);
    /* RFC 6066 §3: the server's acknowledgement is empty. */
    blk_reset(&body);
    PL_ASSERT_OK(parse_one(PL_EXT_SERVER_NAME, &body, PL_EXT_IN_EE));
    blk_bytes(&body, "\x00", 1);
    fail_one(PL_EXT_SERVER_NAME, &body, PL_EXT_IN_EE, PADLOCK_E_DECODE,
             "server_name extension must be empty");
}

static void test_u16_lists(void **state) {
    (void)state;
    blk body;
    const struct {
        uint16_t id;
        uint8_t prefix;
    } lists[] = {{PL_EXT_SUPPORTED_GROUPS, 2},
                 {PL_EXT_SIGNATURE_ALGORITHMS, 2},
                 {PL_EXT_SIGNATURE_ALGORITHMS_CERT, 2},
                 {PL_EXT_SUPPORTED_VERSIONS, 1}};
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        uint16_t id = lists[i].id;
        /* A GREASE value among real ones parses and matches nothing. */
        blk_reset(&body);
        if (lists[i].prefix == 2) {
            blk_u16(&body, 6);
        } else {
            blk_bytes(&body, "\x06", 1);
        }
        blk_bytes(&body, "\x3a\x3a\x03\x04\x08\x07", 6);
        PL_ASSERT_OK(parse_one(id, &body, PL_EXT_IN_CH));
        pl_cur list = id == PL_EXT_SUPPORTED_GROUPS       ? g_parsed.supported_groups
                      : id == PL_EXT_SIGNATURE_ALGORITHMS ? g_parsed.sig_algs
                      : id == PL_EXT_SUPPORTED_VERSIONS   ? g_parsed.versions
                                                          : g_parsed.sig_algs_cert;
        assert_true(pl_ext_u16_contains(list, 0x0807));
        assert_true(pl_ext_u16_contains(list, 0x0304));
        assert_false(pl_ext_u16_contains(list, 0x0a0a));
        uint16_t v, count = 0;
        while (pl_ext_u16_next(&list, &v)) {
            count++;
        }
        assert_int_equal(count, 3);
        /* Odd length, empty list, length past the end. */
        body.data[lists[i].prefix - 1] = 5;
        body.len--;
        fail_one(id, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, "odd length");
        blk_reset(&body);
        blk_bytes(&body, "\x00\x00", lists[i].prefix);
        fail_one(id, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);
        blk_reset(&body);
        blk_bytes(&body, "\x00\x04\x00\x1d", lists[i].prefix + 2);
        body.data[lists[i].prefix - 1] = 4;
        fail_one(id, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);
    }
}

static void test_supported_versions(void **state) {
    (void)state;
    blk body;
    blk_reset(&body);
    blk_bytes(&body, "\x03\x04", 2);
    PL_ASSERT_OK(parse_one(PL_EXT_SUPPORTED_VERSIONS, &body, PL_EXT_IN_SH));
    assert_int_equal(g_parsed.selected_version, 0x0304);
    /* RFC 8446 §4.2.1: a selected version before TLS 1.3 is illegal. */
    blk_reset(&body);
    blk_bytes(&body, "\x03\x03", 2);
    fail_one(PL_EXT_SUPPORTED_VERSIONS, &body, PL_EXT_IN_SH, PADLOCK_E_ILLEGAL_PARAMETER,
             "ServerHello: supported_versions selects 0x0303, before TLS 1.3");
    fail_one(PL_EXT_SUPPORTED_VERSIONS, &body, PL_EXT_IN_HRR, PADLOCK_E_ILLEGAL_PARAMETER,
             "HelloRetryRequest");
    blk_reset(&body);
    blk_bytes(&body, "\x03\x04\x00", 3);
    fail_one(PL_EXT_SUPPORTED_VERSIONS, &body, PL_EXT_IN_SH, PADLOCK_E_DECODE, NULL);
    blk_reset(&body);
    blk_bytes(&body, "\x03", 1);
    fail_one(PL_EXT_SUPPORTED_VERSIONS, &body, PL_EXT_IN_SH, PADLOCK_E_DECODE, NULL);
    /* versions<2..254>: 254 bytes is the longest list, 255 is too long (and odd). */
    blk_reset(&body);
    blk_bytes(&body, "\xfe", 1);
    for (int i = 0; i < 127; i++) {
        blk_bytes(&body, "\x7f\x1c", 2);
    }
    PL_ASSERT_OK(parse_one(PL_EXT_SUPPORTED_VERSIONS, &body, PL_EXT_IN_CH));
    blk_reset(&body);
    blk_bytes(&body, "\xff", 1);
    for (int i = 0; i < 255; i++) {
        blk_bytes(&body, "\x03", 1);
    }
    fail_one(PL_EXT_SUPPORTED_VERSIONS, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);
}

static void test_key_share(void **state) {
    (void)state;
    uint8_t share[32];
    memset(share, 7, sizeof(share));
    uint8_t ks[512];
    pl_buf b;
    pl_buf_init(&b, ks, sizeof(ks));
    PL_ASSERT_OK(pl_ext_key_share_entry_write(&b, 0x2a2a, (const uint8_t *)"\x00", 1)); /* GREASE */
    PL_ASSERT_OK(pl_ext_key_share_entry_write(&b, 0x001d, share, sizeof(share)));
    PL_ASSERT_ERR(pl_ext_key_share_entry_write(&b, 0x0017, share, 0), PADLOCK_E_INVALID_ARGUMENT);
    size_t ks_len = b.len;
    const uint8_t groups[] = {0x00, 0x06, 0x2a, 0x2a, 0x00, 0x1d, 0x00, 0x17};
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_SUPPORTED_GROUPS, groups, sizeof(groups));
    uint8_t body[600];
    body[0] = (uint8_t)(ks_len >> 8);
    body[1] = (uint8_t)ks_len;
    memcpy(body + 2, ks, ks_len);
    blk_ext(&g_blk, PL_EXT_KEY_SHARE, body, ks_len + 2);
    PL_ASSERT_OK(parse_in(&g_blk, PL_EXT_IN_CH, 0));
    pl_cur kx;
    assert_true(pl_ext_key_share_find(g_parsed.key_shares, 0x001d, &kx));
    assert_int_equal(pl_cur_left(&kx), 32);
    assert_memory_equal(kx.p, share, 32);
    assert_false(pl_ext_key_share_find(g_parsed.key_shares, 0x0017, &kx));

    /* RFC 8446 §4.2.8: a second share for a group, or one for a group not offered. */
    pl_buf_init(&b, ks + ks_len, sizeof(ks) - ks_len);
    PL_ASSERT_OK(pl_ext_key_share_entry_write(&b, 0x001d, share, sizeof(share)));
    size_t dup_len = ks_len + b.len;
    body[0] = (uint8_t)(dup_len >> 8);
    body[1] = (uint8_t)dup_len;
    memcpy(body + 2, ks, dup_len);
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_KEY_SHARE, body, dup_len + 2);
    blk_ext(&g_blk, PL_EXT_SUPPORTED_GROUPS, groups, sizeof(groups));
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_ILLEGAL_PARAMETER,
                "ClientHello: key_share offers group 0x001d twice");
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_KEY_SHARE, body, dup_len + 2); /* no supported_groups at all */
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_ILLEGAL_PARAMETER, "twice");
    const uint8_t other_groups[] = {0x00, 0x02, 0x00, 0x17};
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_SUPPORTED_GROUPS, other_groups, sizeof(other_groups));
    body[0] = (uint8_t)(ks_len >> 8);
    body[1] = (uint8_t)ks_len;
    blk_ext(&g_blk, PL_EXT_KEY_SHARE, body, ks_len + 2);
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_ILLEGAL_PARAMETER,
                "key_share offers group 0x2a2a, not in supported_groups");

    /* An empty client_shares is allowed (the client wants a HelloRetryRequest). */
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_KEY_SHARE, "\x00\x00", 2);
    PL_ASSERT_OK(parse_in(&g_blk, PL_EXT_IN_CH, 0));
    /* Malformed entries: empty key_exchange, entry cut short. */
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_KEY_SHARE, "\x00\x04\x00\x1d\x00\x00", 6);
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_DECODE, "key_share");
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_KEY_SHARE, "\x00\x05\x00\x1d\x00\x02\x01", 7);
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_DECODE, NULL);

    /* ServerHello: one entry. HelloRetryRequest: the selected group only. */
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_KEY_SHARE, ks + 5, ks_len - 5);
    PL_ASSERT_OK(parse_in(&g_blk, PL_EXT_IN_SH, ALL_OFFERED));
    assert_int_equal(g_parsed.key_share_group, 0x001d);
    assert_int_equal(pl_cur_left(&g_parsed.key_exchange), 32);
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_KEY_SHARE, ks + 5, ks_len - 4);
    expect_fail(&g_blk, PL_EXT_IN_SH, ALL_OFFERED, PADLOCK_E_DECODE, NULL);
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    blk_ext(&g_blk, PL_EXT_KEY_SHARE, "\x00\x17", 2);
    PL_ASSERT_OK(parse_in(&g_blk, PL_EXT_IN_HRR, ALL_OFFERED));
    assert_int_equal(g_parsed.key_share_group, 0x0017);
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_SUPPORTED_VERSIONS, "\x03\x04", 2);
    blk_ext(&g_blk, PL_EXT_KEY_SHARE, "\x00\x17\x00", 3);
    expect_fail(&g_blk, PL_EXT_IN_HRR, ALL_OFFERED, PADLOCK_E_DECODE, NULL);
}

static void test_key_share_many_entries(void **state) {
    (void)state;
    /* 13000 one-byte shares, the last repeating the first: found exactly, in linear time. */
    static uint8_t body[2 + 13000 * 5];
    size_t n = 0;
    body[n++] = 0;
    body[n++] = 0;
    for (uint16_t g = 0; g < 13000; g++) {
        uint16_t group = g == 12999 ? 0 : g;
        body[n++] = (uint8_t)(group >> 8);
        body[n++] = (uint8_t)group;
        body[n++] = 0;
        body[n++] = 1;
        body[n++] = 0x42;
    }
    body[0] = (uint8_t)((n - 2) >> 8);
    body[1] = (uint8_t)(n - 2);
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_KEY_SHARE, body, n);
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_ILLEGAL_PARAMETER,
                "key_share offers group 0x0000 twice");
}

static void test_alpn(void **state) {
    (void)state;
    blk body;
    blk_reset(&body);
    blk_u16(&body, sizeof(s_alpn_list) + 2);
    blk_bytes(&body, s_alpn_list, sizeof(s_alpn_list));
    blk_bytes(&body, "\x01\xca", 2); /* a GREASE-style name (RFC 8701 §2) */
    PL_ASSERT_OK(parse_one(PL_EXT_ALPN, &body, PL_EXT_IN_CH));
    pl_cur it = g_parsed.alpn, name;
    assert_true(pl_ext_alpn_next(&it, &name));
    assert_int_equal(pl_cur_left(&name), 2);
    assert_memory_equal(name.p, "h2", 2);
    assert_true(pl_ext_alpn_next(&it, &name));
    assert_memory_equal(name.p, "http/1.1", 8);
    assert_true(pl_ext_alpn_next(&it, &name));
    assert_false(pl_ext_alpn_next(&it, &name));
    /* RFC 7301 §3.1: the server selects exactly one. */
    fail_one(PL_EXT_ALPN, &body, PL_EXT_IN_EE, PADLOCK_E_ILLEGAL_PARAMETER,
             "EncryptedExtensions: application_layer_protocol_negotiation selects more than "
             "one protocol");
    /* Empty names and empty lists are malformed. */
    blk_reset(&body);
    blk_bytes(&body, "\x00\x03\x02h2\x00", 6);
    body.data[1] = 4;
    fail_one(PL_EXT_ALPN, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);
    blk_reset(&body);
    blk_bytes(&body, "\x00\x00", 2);
    fail_one(PL_EXT_ALPN, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);
    fail_one(PL_EXT_ALPN, &body, PL_EXT_IN_EE, PADLOCK_E_DECODE, NULL);
    blk_reset(&body);
    blk_bytes(&body, "\x00\x01\x00", 3);
    fail_one(PL_EXT_ALPN, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);
    blk_reset(&body);
    blk_bytes(&body, "\x00\x04\x02h2\x01", 6); /* second name cut short */
    fail_one(PL_EXT_ALPN, &body, PL_EXT_IN_EE, PADLOCK_E_DECODE, NULL);
}

static void test_pre_shared_key(void **state) {
    (void)state;
    uint8_t binder[48];
    memset(binder, 0xb1, sizeof(binder));
    uint8_t ids[64], binders[128];
    pl_buf bi, bb;
    pl_buf_init(&bi, ids, sizeof(ids));
    pl_buf_init(&bb, binders, sizeof(binders));
    PL_ASSERT_OK(pl_ext_psk_identity_write(&bi, (const uint8_t *)"one", 3, 1));
    PL_ASSERT_OK(pl_ext_psk_identity_write(&bi, (const uint8_t *)"second", 6, 0xffffffff));
    PL_ASSERT_ERR(pl_ext_psk_identity_write(&bi, (const uint8_t *)"", 0, 0),
                  PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_OK(pl_ext_psk_binder_write(&bb, binder, 32));
    PL_ASSERT_OK(pl_ext_psk_binder_write(&bb, binder, 48));
    PL_ASSERT_ERR(pl_ext_psk_binder_write(&bb, binder, 31), PADLOCK_E_INVALID_ARGUMENT);
    pl_exts v;
    memset(&v, 0, sizeof(v));
    pl_cur_init(&v.psk_modes, s_psk_modes, 1);
    pl_cur_init(&v.psk_identities, ids, bi.len);
    pl_cur_init(&v.psk_binders, binders, bb.len);
    const uint16_t order[] = {PL_EXT_PSK_KEY_EXCHANGE_MODES, PL_EXT_PRE_SHARED_KEY};
    uint8_t out[512];
    size_t len;
    PL_ASSERT_OK(build_block(out, sizeof(out), PL_EXT_IN_CH, &v, order, 2, &len));
    blk_reset(&g_blk);
    blk_bytes(&g_blk, out + 2, len - 2);
    PL_ASSERT_OK(parse_in(&g_blk, PL_EXT_IN_CH, 0));
    assert_int_equal(g_parsed.psk_count, 2);
    pl_cur it = g_parsed.psk_identities, id;
    uint32_t age;
    assert_true(pl_ext_psk_identity_next(&it, &id, &age));
    assert_memory_equal(id.p, "one", 3);
    assert_int_equal(age, 1);
    assert_true(pl_ext_psk_identity_next(&it, &id, &age));
    assert_int_equal(pl_cur_left(&id), 6);
    assert_true(age == 0xffffffffu);
    assert_false(pl_ext_psk_identity_next(&it, &id, &age));
    it = g_parsed.psk_binders;
    pl_cur bv;
    assert_true(pl_ext_psk_binder_next(&it, &bv));
    assert_int_equal(pl_cur_left(&bv), 32);
    assert_true(pl_ext_psk_binder_next(&it, &bv));
    assert_int_equal(pl_cur_left(&bv), 48);
    assert_false(pl_ext_psk_binder_next(&it, &bv));

    /* RFC 8446 §4.2.11: one binder per identity. */
    pl_cur_init(&v.psk_binders, binders, 33);
    PL_ASSERT_OK(build_block(out, sizeof(out), PL_EXT_IN_CH, &v, order, 2, &len));
    blk_reset(&g_blk);
    blk_bytes(&g_blk, out + 2, len - 2);
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_ILLEGAL_PARAMETER,
                "pre_shared_key has 2 identities but 1 binders");
    /* Malformed: a 31-byte binder, an empty identity, identities shorter than 7. */
    const uint8_t short_binder[] = {0x00, 0x0b, 0x00, 0x05, 'a', 'b',  'c',  'd',
                                    'e',  0,    0,    0,    0,   0x00, 0x20, 0x1f};
    uint8_t raw[64];
    memcpy(raw, short_binder, sizeof(short_binder));
    memset(raw + sizeof(short_binder), 0xee, 31);
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_PSK_KEY_EXCHANGE_MODES, "\x01\x01", 2);
    blk_ext(&g_blk, PL_EXT_PRE_SHARED_KEY, raw, sizeof(short_binder) + 31);
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_DECODE, "pre_shared_key");
    const uint8_t empty_identity[] = {0x00, 0x07, 0x00, 0x00, 0, 0, 0, 0, 0};
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_PSK_KEY_EXCHANGE_MODES, "\x01\x01", 2);
    blk_ext(&g_blk, PL_EXT_PRE_SHARED_KEY, empty_identity, sizeof(empty_identity));
    expect_fail(&g_blk, PL_EXT_IN_CH, 0, PADLOCK_E_DECODE, NULL);
    /* ServerHello: selected_identity, exactly two bytes. */
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_PRE_SHARED_KEY, "\x00\x01", 2);
    PL_ASSERT_OK(parse_in(&g_blk, PL_EXT_IN_SH, ALL_OFFERED));
    assert_int_equal(g_parsed.psk_selected, 1);
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_PRE_SHARED_KEY, "\x00", 1);
    expect_fail(&g_blk, PL_EXT_IN_SH, ALL_OFFERED, PADLOCK_E_DECODE, NULL);
}

static void test_psk_modes_and_cookie(void **state) {
    (void)state;
    blk body;
    blk_reset(&body);
    blk_bytes(&body, "\x03\x0b\x01\x00", 4); /* GREASE mode 0x0b, psk_dhe_ke, psk_ke */
    PL_ASSERT_OK(parse_one(PL_EXT_PSK_KEY_EXCHANGE_MODES, &body, PL_EXT_IN_CH));
    assert_true(pl_ext_u8_contains(g_parsed.psk_modes, PL_PSK_DHE_KE));
    assert_true(pl_ext_u8_contains(g_parsed.psk_modes, PL_PSK_KE));
    blk_reset(&body);
    blk_bytes(&body, "\x00", 1);
    fail_one(PL_EXT_PSK_KEY_EXCHANGE_MODES, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);
    blk_reset(&body);
    blk_bytes(&body, "\x00\x00", 2);
    fail_one(PL_EXT_COOKIE, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);
    blk_reset(&body);
    blk_bytes(&body, "\x00\x01\x2a", 3);
    PL_ASSERT_OK(parse_one(PL_EXT_COOKIE, &body, PL_EXT_IN_CH));
    assert_int_equal(pl_cur_left(&g_parsed.cookie), 1);
}

static void test_small_extensions(void **state) {
    (void)state;
    blk body;
    /* record_size_limit (RFC 8449 §4): at least 64; any larger value is the peer's to send. */
    blk_reset(&body);
    blk_bytes(&body, "\x00\x3f", 2);
    fail_one(PL_EXT_RECORD_SIZE_LIMIT, &body, PL_EXT_IN_EE, PADLOCK_E_ILLEGAL_PARAMETER,
             "EncryptedExtensions: record_size_limit 63 is below 64");
    body.data[1] = 0x40;
    PL_ASSERT_OK(parse_one(PL_EXT_RECORD_SIZE_LIMIT, &body, PL_EXT_IN_EE));
    assert_int_equal(g_parsed.record_size_limit, 64);
    blk_reset(&body);
    blk_bytes(&body, "\xff\xff", 2);
    PL_ASSERT_OK(parse_one(PL_EXT_RECORD_SIZE_LIMIT, &body, PL_EXT_IN_CH));
    assert_int_equal(g_parsed.record_size_limit, 0xffff);
    blk_reset(&body);
    blk_bytes(&body, "\x40", 1);
    fail_one(PL_EXT_RECORD_SIZE_LIMIT, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);

    /* early_data: empty in CH and EE, max_early_data_size in NST. */
    blk_reset(&body);
    PL_ASSERT_OK(parse_one(PL_EXT_EARLY_DATA, &body, PL_EXT_IN_EE));
    blk_bytes(&body, "\x00\x00\x01", 3);
    fail_one(PL_EXT_EARLY_DATA, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE,
             "early_data extension must be empty");
    fail_one(PL_EXT_EARLY_DATA, &body, PL_EXT_IN_NST, PADLOCK_E_DECODE, NULL);
    blk_bytes(&body, "\x00", 1);
    PL_ASSERT_OK(parse_one(PL_EXT_EARLY_DATA, &body, PL_EXT_IN_NST));
    assert_int_equal(g_parsed.max_early_data_size, 0x100);

    /* extended_master_secret (RFC 7627 §5.1): empty. */
    blk_reset(&body);
    PL_ASSERT_OK(parse_one(PL_EXT_EXTENDED_MASTER_SECRET, &body, PL_EXT_IN_SH12));
    blk_bytes(&body, "\x00", 1);
    fail_one(PL_EXT_EXTENDED_MASTER_SECRET, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);

    /* session_ticket (RFC 5077 §3.2): the CH body is the ticket; the server's is empty. */
    blk_reset(&body);
    blk_bytes(&body, "ticket", 6);
    PL_ASSERT_OK(parse_one(PL_EXT_SESSION_TICKET, &body, PL_EXT_IN_CH));
    assert_int_equal(pl_cur_left(&g_parsed.session_ticket), 6);
    fail_one(PL_EXT_SESSION_TICKET, &body, PL_EXT_IN_SH12, PADLOCK_E_DECODE, NULL);
    blk_reset(&body);
    PL_ASSERT_OK(parse_one(PL_EXT_SESSION_TICKET, &body, PL_EXT_IN_CH));
    assert_int_equal(pl_cur_left(&g_parsed.session_ticket), 0);

    /* renegotiation_info (RFC 5746 §3.2): renegotiated_connection<0..255>. */
    blk_reset(&body);
    blk_bytes(&body, "\x00", 1);
    PL_ASSERT_OK(parse_one(PL_EXT_RENEGOTIATION_INFO, &body, PL_EXT_IN_SH12));
    assert_int_equal(pl_cur_left(&g_parsed.renegotiation_info), 0);
    blk_reset(&body);
    blk_bytes(&body, "\x0c", 1);
    fail_one(PL_EXT_RENEGOTIATION_INFO, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);
    blk_reset(&body);
    fail_one(PL_EXT_RENEGOTIATION_INFO, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);

    /* ec_point_formats (RFC 8422 §5.1.2): must include uncompressed. */
    blk_reset(&body);
    blk_bytes(&body, "\x03\x01\x02\x00", 4);
    PL_ASSERT_OK(parse_one(PL_EXT_EC_POINT_FORMATS, &body, PL_EXT_IN_CH));
    blk_reset(&body);
    blk_bytes(&body, "\x02\x01\x02", 3);
    fail_one(PL_EXT_EC_POINT_FORMATS, &body, PL_EXT_IN_SH12, PADLOCK_E_ILLEGAL_PARAMETER,
             "ec_point_formats does not include uncompressed");
    blk_reset(&body);
    blk_bytes(&body, "\x00", 1);
    fail_one(PL_EXT_EC_POINT_FORMATS, &body, PL_EXT_IN_CH, PADLOCK_E_DECODE, NULL);
}

static void test_tls12_extensions_refused_in_tls13_messages(void **state) {
    (void)state;
    /* RFC 8446 §4.2: recognized but not specified for the message: illegal_parameter, even
     * when the client offered it. */
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_EXTENDED_MASTER_SECRET, NULL, 0);
    expect_fail(&g_blk, PL_EXT_IN_EE, ALL_OFFERED, PADLOCK_E_ILLEGAL_PARAMETER,
                "EncryptedExtensions: extension extended_master_secret is not allowed");
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_RENEGOTIATION_INFO, "\x00", 1);
    expect_fail(&g_blk, PL_EXT_IN_SH, ALL_OFFERED, PADLOCK_E_ILLEGAL_PARAMETER,
                "ServerHello: extension renegotiation_info is not allowed");
    /* And TLS 1.3-only extensions in a TLS 1.2 ServerHello. */
    blk_reset(&g_blk);
    blk_ext(&g_blk, PL_EXT_KEY_SHARE, "\x00\x1d\x00\x01\x01", 5);
    expect_fail(&g_blk, PL_EXT_IN_SH12, ALL_OFFERED, PADLOCK_E_ILLEGAL_PARAMETER,
                "ServerHello (TLS 1.2): extension key_share is not allowed");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_ids_and_names),
        cmocka_unit_test(test_allowed_messages_match_rfc8446_table),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_unsolicited_responses),
        cmocka_unit_test(test_unknown_ignored_in_requests),
        cmocka_unit_test(test_pre_shared_key_last),
        cmocka_unit_test(test_missing_extensions),
        cmocka_unit_test(test_block_framing),
        cmocka_unit_test(test_build_round_trip),
        cmocka_unit_test(test_build_rejects_bad_orders),
        cmocka_unit_test(test_sni_host_names),
        cmocka_unit_test(test_server_name),
        cmocka_unit_test(test_u16_lists),
        cmocka_unit_test(test_supported_versions),
        cmocka_unit_test(test_key_share),
        cmocka_unit_test(test_key_share_many_entries),
        cmocka_unit_test(test_alpn),
        cmocka_unit_test(test_pre_shared_key),
        cmocka_unit_test(test_psk_modes_and_cookie),
        cmocka_unit_test(test_small_extensions),
        cmocka_unit_test(test_tls12_extensions_refused_in_tls13_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
