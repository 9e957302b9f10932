/* Fuzz target: what a client parses from a server (ServerHello/HelloRetryRequest,
 * EncryptedExtensions, Certificate, CertificateRequest, CertificateVerify, Finished,
 * NewSessionTicket, KeyUpdate; in TLS 1.2 also ServerKeyExchange, ServerHelloDone,
 * HelloRequest, and the TLS 1.2 forms of CertificateRequest and NewSessionTicket), and the
 * TLS 1.2 ClientKeyExchange a server parses, fed as a run of handshake messages the way a
 * flight arrives. The first byte chooses what the client offered, the Finished length, the
 * Certificate form, TLS 1.2 forms and the ClientKeyExchange form. Oracles: failures carry code
 * and detail; parsed messages rebuild to exactly their input when every extension is one
 * padlock builds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msg/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct pl_fuzz_cfg {
    uint32_t offered;  /* extensions our ClientHello carried */
    size_t verify_len; /* Finished length: SHA-256, SHA-384 or TLS 1.2 */
    int tls12_cert;    /* Certificate in the TLS 1.2 form */
    int tls12;         /* CertificateRequest and NewSessionTicket in the TLS 1.2 form */
    int rsa_kx;        /* ClientKeyExchange carries an RSA-encrypted secret, not a point */
} pl_fuzz_cfg;

/* 1 if every extension of e can be rebuilt (and its order fits ids). */
static int pl_fuzz_ids(const pl_exts *e, uint16_t ids[64], size_t *num) {
    if (pl_exts_ids(e, ids, 64, num) != PADLOCK_OK) {
        return 0;
    }
    for (size_t i = 0; i < *num; i++) {
        if (pl_ext_bit(ids[i]) == 0) {
            return 0;
        }
    }
    return 1;
}

/* A rebuild of a message that parsed must succeed: returns 1, or stops the fuzzer. */
static int pl_fuzz_built(padlock_err rc) {
    if (rc != PADLOCK_OK) {
        __builtin_trap();
    }
    return 1;
}

/* Parses one message; when it parses and can be rebuilt, writes it to b. Returns 1 when b
 * holds a rebuilt message to compare, 0 otherwise. */
static int pl_fuzz_one(const pl_fuzz_cfg *cfg, uint8_t type, pl_cur body, pl_buf *b) {
    pl_errinfo err;
    pl_errinfo_init(&err);
    padlock_err rc;
    uint16_t ids[64];
    size_t n = 0;
    int rebuild = 0;
    switch (type) {
    case PL_HS_SERVER_HELLO: {
        pl_server_hello sh;
        rc = pl_server_hello_parse(&sh, body.p, body.len, cfg->offered, &err);
        if (rc == PADLOCK_OK && pl_fuzz_ids(&sh.exts, ids, &n)) {
            rebuild = pl_fuzz_built(pl_server_hello_build(b, &sh, ids, n));
            (void)pl_server_hello_downgrade(sh.random);
        }
        break;
    }
    case PL_HS_ENCRYPTED_EXTENSIONS: {
        pl_exts ee;
        rc = pl_encrypted_extensions_parse(&ee, body.p, body.len, cfg->offered, &err);
        if (rc == PADLOCK_OK && pl_fuzz_ids(&ee, ids, &n)) {
            rebuild = pl_fuzz_built(pl_encrypted_extensions_build(b, &ee, ids, n));
        }
        break;
    }
    case PL_HS_CERTIFICATE: {
        pl_certificate c;
        rc = cfg->tls12_cert ? pl_certificate_parse_tls12(&c, body.p, body.len, &err)
                             : pl_certificate_parse(&c, body.p, body.len, cfg->offered, &err);
        if (rc == PADLOCK_OK) {
            pl_cur it = c.entries;
            pl_cert_entry e;
            uint32_t count = 0;
            while (pl_certificate_next(&c, &it, &e)) {
                count++;
            }
            if (count != c.num_entries) {
                __builtin_trap();
            }
            rebuild = pl_fuzz_built(pl_certificate_build(b, &c));
        }
        break;
    }
    case PL_HS_CERTIFICATE_REQUEST: {
        if (cfg->tls12) {
            pl_certificate_request12 cr12;
            rc = pl_certificate_request12_parse(&cr12, body.p, body.len, &err);
            if (rc == PADLOCK_OK) {
                rebuild = pl_fuzz_built(pl_certificate_request12_build(b, &cr12));
            }
            break;
        }
        pl_certificate_request cr;
        rc = pl_certificate_request_parse(&cr, body.p, body.len, &err);
        if (rc == PADLOCK_OK && pl_fuzz_ids(&cr.exts, ids, &n)) {
            rebuild = pl_fuzz_built(pl_certificate_request_build(b, &cr, ids, n));
        }
        break;
    }
    case PL_HS_CERTIFICATE_VERIFY: {
        pl_certificate_verify cv;
        rc = pl_certificate_verify_parse(&cv, body.p, body.len, &err);
        if (rc == PADLOCK_OK) {
            rebuild = pl_fuzz_built(pl_certificate_verify_build(b, &cv));
        }
        break;
    }
    case PL_HS_FINISHED: {
        const uint8_t *vd;
        rc = pl_finished_parse(&vd, body.p, body.len, cfg->verify_len, &err);
        if (rc == PADLOCK_OK) {
            rebuild = pl_fuzz_built(pl_finished_build(b, vd, cfg->verify_len));
        }
        break;
    }
    case PL_HS_NEW_SESSION_TICKET: {
        if (cfg->tls12) {
            pl_new_session_ticket12 t12;
            rc = pl_new_session_ticket12_parse(&t12, body.p, body.len, &err);
            if (rc == PADLOCK_OK) {
                rebuild = pl_fuzz_built(pl_new_session_ticket12_build(b, &t12));
            }
            break;
        }
        pl_new_session_ticket t;
        rc = pl_new_session_ticket_parse(&t, body.p, body.len, &err);
        if (rc == PADLOCK_OK && pl_fuzz_ids(&t.exts, ids, &n)) {
            rebuild = pl_fuzz_built(pl_new_session_ticket_build(b, &t, ids, n));
        }
        break;
    }
    case PL_HS_KEY_UPDATE: {
        uint8_t request;
        rc = pl_key_update_parse(&request, body.p, body.len, &err);
        if (rc == PADLOCK_OK) {
            rebuild = pl_fuzz_built(pl_key_update_build(b, request));
        }
        break;
    }
    case PL_HS_SERVER_KEY_EXCHANGE: {
        pl_server_key_exchange ske;
        rc = pl_server_key_exchange_parse(&ske, body.p, body.len, &err);
        if (rc == PADLOCK_OK) {
            /* The signed parameters are the message's first bytes. */
            if (ske.params.p != body.p || pl_cur_left(&ske.params) != 4 + pl_cur_left(&ske.point)) {
                __builtin_trap();
            }
            rebuild = pl_fuzz_built(pl_server_key_exchange_build(b, &ske));
        }
        break;
    }
    case PL_HS_SERVER_HELLO_DONE:
        rc = pl_server_hello_done_parse(body.len, &err);
        if (rc == PADLOCK_OK) {
            rebuild = pl_fuzz_built(pl_server_hello_done_build(b));
        }
        break;
    case PL_HS_HELLO_REQUEST:
        rc = pl_hello_request_parse(body.len, &err);
        if (rc == PADLOCK_OK) {
            rebuild = pl_fuzz_built(pl_hello_request_build(b));
        }
        break;
    case PL_HS_CLIENT_KEY_EXCHANGE: {
        pl_cur v;
        if (cfg->rsa_kx) {
            rc = pl_client_key_exchange_parse_rsa(&v, body.p, body.len, &err);
            if (rc == PADLOCK_OK) {
                rebuild = pl_fuzz_built(pl_client_key_exchange_build_rsa(b, v.p, v.len));
            }
        } else {
            rc = pl_client_key_exchange_parse_ecdhe(&v, body.p, body.len, &err);
            if (rc == PADLOCK_OK) {
                rebuild = pl_fuzz_built(pl_client_key_exchange_build_ecdhe(b, v.p, v.len));
            }
        }
        break;
    }
    default: return 0;
    }
    if (rc != PADLOCK_OK && (err.code != rc || err.detail == NULL)) {
        __builtin_trap();
    }
    pl_errinfo_cleanup(&err);
    return rebuild;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) {
        return 0;
    }
    static const uint16_t typical[] = {
        PL_EXT_SERVER_NAME, PL_EXT_SUPPORTED_GROUPS,   PL_EXT_ALPN,
        PL_EXT_KEY_SHARE,   PL_EXT_SUPPORTED_VERSIONS, PL_EXT_PRE_SHARED_KEY,
        PL_EXT_EARLY_DATA,  PL_EXT_RECORD_SIZE_LIMIT};
    const size_t verify_lens[] = {32, 48, 12, 32};
    pl_fuzz_cfg cfg = {
        .offered = (data[0] & 1) ? 0xffffffffu
                                 : pl_ext_mask(typical, sizeof(typical) / sizeof(typical[0])),
        .verify_len = verify_lens[(data[0] >> 1) & 3],
        .tls12_cert = (data[0] >> 3) & 1,
        .tls12 = (data[0] >> 4) & 1,
        .rsa_kx = (data[0] >> 5) & 1,
    };
    pl_cur c;
    pl_cur_init(&c, data + 1, size - 1);
    uint8_t *out = malloc(size + PL_HS_HEADER_LEN);
    for (;;) {
        const uint8_t *start = c.p;
        uint8_t type;
        pl_cur body;
        if (pl_msg_read(&c, &type, &body) != PADLOCK_OK) {
            break;
        }
        size_t whole = PL_HS_HEADER_LEN + pl_cur_left(&body);
        pl_buf b;
        pl_buf_init(&b, out, size + PL_HS_HEADER_LEN);
        if (pl_fuzz_one(&cfg, type, body, &b) &&
            (b.len != whole || memcmp(out, start, whole) != 0)) {
            __builtin_trap();
        }
    }
    free(out);
    return 0;
}
