/* Fuzz target: the session state a padlock server reads back, out of a ticket it opened or out
 * of its TLS 1.2 session cache (ticket_seal.c's SessionState; RFC 8446 §4.6.1, RFC 5077 §4),
 * and the client chain it carries, taken as pl_server13_take_session_chain does (RFC 5246
 * §7.4.2). A state that reads is written back (with the chain taken) and must read the same;
 * the cache must keep and return its bytes. Seeds: states padlock wrote
 * (tests/unit/test_fuzz_state_seeds.c, PL_UPDATE_SEEDS=1). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "conn_driver.h"
#include "hs/peer_chain.h"
#include "hs/session_cache.h"
#include "hs/ticket_seal.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int pl_fuzz_cur_equal(pl_cur a, pl_cur b) {
    return pl_cur_left(&a) == pl_cur_left(&b) &&
           (pl_cur_left(&a) == 0 || memcmp(a.p, b.p, pl_cur_left(&a)) == 0);
}

/* Writes st with chain and checks that it reads back to the same state. */
static void pl_fuzz_rewrite(const pl_ticket_state *st, const pl_peer_chain *chain) {
    size_t len = pl_ticket_state_len(st, chain);
    uint8_t *buf = pl_malloc(len);
    if (buf == NULL) {
        return;
    }
    pl_buf b;
    pl_buf_init(&b, buf, len);
    PL_FUZZ_CHECK(pl_ticket_state_write(&b, st, chain) == PADLOCK_OK && b.len == len);
    pl_cur c;
    pl_cur_init(&c, buf, len);
    pl_ticket_state again;
    PL_FUZZ_CHECK(pl_ticket_state_read(&c, &again) == PADLOCK_OK);
    PL_FUZZ_CHECK(again.version == st->version && again.suite == st->suite &&
                  again.issued_at == st->issued_at && again.lifetime == st->lifetime &&
                  again.age_add == st->age_add && again.ems == st->ems &&
                  pl_fuzz_cur_equal(again.psk, st->psk) &&
                  pl_fuzz_cur_equal(again.server_name, st->server_name));
    /* The chain written is the one taken: same count, same bytes. */
    pl_certificate cert;
    PL_FUZZ_CHECK(pl_certificate_parse_tls12(&cert, again.client_chain.p,
                                             pl_cur_left(&again.client_chain), NULL) == PADLOCK_OK);
    PL_FUZZ_CHECK(cert.num_entries == (chain != NULL ? chain->num : 0));
    pl_cur it = cert.entries;
    for (size_t i = 0; chain != NULL && i < chain->num; i++) {
        pl_cert_entry e;
        PL_FUZZ_CHECK(pl_certificate_next(&cert, &it, &e) == 1);
        PL_FUZZ_CHECK(pl_cur_left(&e.cert_data) == chain->certs[i].len &&
                      memcmp(e.cert_data.p, chain->certs[i].der, chain->certs[i].len) == 0);
    }
    pl_free(buf);
}

/* The session cache keeps the state's bytes under an ID and gives them back whole while the
 * entry lives. */
static void pl_fuzz_cache(const uint8_t *data, size_t size) {
    pl_session_cache *cache;
    if (pl_session_cache_new(2, &cache) != PADLOCK_OK) {
        return;
    }
    static const uint8_t id[PL_SESSION_ID_LEN] = {1, 2, 3};
    static uint8_t out[PL_SESSION_CACHE_MAX_STATE];
    size_t out_len = 0;
    int found = 0;
    if (pl_session_cache_put(cache, id, data, size, 1000, 60) == PADLOCK_OK) {
        PL_FUZZ_CHECK(pl_session_cache_get(cache, id, sizeof(id), 1001, out, sizeof(out), &out_len,
                                           &found) == PADLOCK_OK);
        PL_FUZZ_CHECK(found == (size <= PL_SESSION_CACHE_MAX_STATE));
        PL_FUZZ_CHECK(!found || (out_len == size && memcmp(out, data, size) == 0));
        /* RFC 5077 §5.6, RFC 5246 §F.1.4: past its lifetime it is gone. */
        PL_FUZZ_CHECK(pl_session_cache_get(cache, id, sizeof(id), 1060, out, sizeof(out), &out_len,
                                           &found) == PADLOCK_OK &&
                      !found);
    }
    pl_session_cache_free(cache);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_cur c;
    pl_cur_init(&c, data, size);
    pl_ticket_state st;
    if (pl_ticket_state_read(&c, &st) != PADLOCK_OK) {
        return 0;
    }
    pl_fuzz_cache(data, size);
    pl_errinfo err;
    pl_errinfo_init(&err);
    pl_certificate cert;
    pl_peer_chain_set set;
    pl_peer_chain_set_init(&set);
    pl_peer_chain *chain = NULL, *shared = NULL;
    padlock_err rc =
        pl_certificate_parse_tls12(&cert, st.client_chain.p, pl_cur_left(&st.client_chain), &err);
    PL_FUZZ_CHECK(rc == PADLOCK_OK || (err.code == rc && err.detail != NULL));
    if (rc == PADLOCK_OK && cert.num_entries != 0) {
        rc = pl_peer_chain_take(&set, &cert, &chain);
        PL_FUZZ_CHECK(rc == PADLOCK_OK || rc == PADLOCK_E_DECODE || rc == PADLOCK_E_NO_MEMORY);
        /* A second connection resuming the same session shares the chain. */
        if (rc == PADLOCK_OK && pl_peer_chain_take(&set, &cert, &shared) == PADLOCK_OK) {
            PL_FUZZ_CHECK(shared == chain && chain->num == cert.num_entries);
        }
    }
    if (rc == PADLOCK_OK) {
        pl_fuzz_rewrite(&st, chain);
    }
    pl_peer_chain_release(shared);
    pl_peer_chain_release(chain);
    pl_peer_chain_set_cleanup(&set);
    pl_errinfo_cleanup(&err);
    return 0;
}
