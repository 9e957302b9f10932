/* Peer chains (src/hs/peer_chain.c): identical chains shared by exact bytes through a set while
 * a holder lives, anything else kept apart, the set bounded, the last release freeing; and, in
 * connections (tests/support/pair.c), two clients of one configuration holding one copy of the
 * server's chain (TLS 1.3 and 1.2), a server sharing identical client chains, and a different
 * chain never taken for a shared one. */
#include <pthread.h>
#include <string.h>

#include "hs/peer_chain.h"
#include "padlock/padlock.h"
#include "pair.h"
#include "testlib.h"
#include "util/mem.h"
#include "wire/buf.h"

#define MAX_BODY 256

/* A TLS 1.2 form certificate_list of num fake certificates ders[i][0..lens[i]), in body. */
typedef struct chain_msg {
    uint8_t body[MAX_BODY];
    pl_certificate msg;
} chain_msg;

static void chain_msg_make(chain_msg *m, const uint8_t *const *ders, const size_t *lens,
                           size_t num) {
    pl_buf b;
    pl_buf_init(&b, m->body, sizeof(m->body));
    pl_cur none;
    pl_cur_init(&none, NULL, 0);
    for (size_t i = 0; i < num; i++) {
        PL_ASSERT_OK(pl_cert_entry_write(&b, 1, ders[i], lens[i], none));
    }
    memset(&m->msg, 0, sizeof(m->msg));
    pl_cur_init(&m->msg.entries, m->body, b.len);
    pl_cur_init(&m->msg.context, NULL, 0);
    m->msg.num_entries = (uint32_t)num;
    m->msg.tls12 = 1;
}

static const uint8_t cert_a[] = {0x30, 0x03, 0x02, 0x01, 0x0a};
static const uint8_t cert_b[] = {0x30, 0x04, 0x02, 0x02, 0x01, 0x0b};
static const uint8_t cert_b2[] = {0x30, 0x04, 0x02, 0x02, 0x01, 0x0c};

static void chain_ab(chain_msg *m, const uint8_t *second) {
    const uint8_t *ders[2] = {cert_a, second};
    size_t lens[2] = {sizeof(cert_a), sizeof(cert_b)};
    chain_msg_make(m, ders, lens, 2);
}

static uint64_t bytes_in_use(void) {
    padlock_mem_stats st;
    padlock_mem_get_stats(&st);
    return st.bytes_in_use;
}

static void test_identical_chains_are_shared(void **state) {
    (void)state;
    uint64_t before = bytes_in_use();
    pl_peer_chain_set set;
    pl_peer_chain_set_init(&set);
    chain_msg m1, m2;
    chain_ab(&m1, cert_b);
    chain_ab(&m2, cert_b); /* the same bytes at another address */
    pl_peer_chain *c1, *c2;
    PL_ASSERT_OK(pl_peer_chain_take(&set, &m1.msg, &c1));
    uint64_t one = bytes_in_use();
    PL_ASSERT_OK(pl_peer_chain_take(&set, &m2.msg, &c2));
    assert_ptr_equal(c1, c2);
    assert_int_equal(bytes_in_use(), one); /* the second holder allocated nothing */
    assert_int_equal(c1->num, 2);
    assert_int_equal(c1->certs[1].len, sizeof(cert_b));
    assert_memory_equal(c1->certs[0].der, cert_a, sizeof(cert_a));
    assert_memory_equal(c1->certs[1].der, cert_b, sizeof(cert_b));
    assert_int_equal(set.num, 1);
    pl_peer_chain_release(c1);
    assert_int_equal(set.num, 1); /* still held */
    assert_memory_equal(c2->certs[1].der, cert_b, sizeof(cert_b));
    pl_peer_chain_release(c2);
    assert_int_equal(set.num, 0); /* left with its last holder */
    assert_int_equal(bytes_in_use(), before);
    pl_peer_chain_set_cleanup(&set);
}

static void test_different_chains_are_apart(void **state) {
    (void)state;
    uint64_t before = bytes_in_use();
    pl_peer_chain_set set;
    pl_peer_chain_set_init(&set);
    chain_msg ab, ab2, a, ba;
    chain_ab(&ab, cert_b);
    chain_ab(&ab2, cert_b2); /* one octet differs in the last certificate */
    const uint8_t *only_a[1] = {cert_a};
    size_t len_a[1] = {sizeof(cert_a)};
    chain_msg_make(&a, only_a, len_a, 1); /* a prefix of ab */
    const uint8_t *rev[2] = {cert_b, cert_a};
    size_t len_rev[2] = {sizeof(cert_b), sizeof(cert_a)};
    chain_msg_make(&ba, rev, len_rev, 2); /* the same certificates in another order */
    pl_peer_chain *c[4];
    PL_ASSERT_OK(pl_peer_chain_take(&set, &ab.msg, &c[0]));
    PL_ASSERT_OK(pl_peer_chain_take(&set, &ab2.msg, &c[1]));
    PL_ASSERT_OK(pl_peer_chain_take(&set, &a.msg, &c[2]));
    PL_ASSERT_OK(pl_peer_chain_take(&set, &ba.msg, &c[3]));
    for (size_t i = 0; i < 4; i++) {
        for (size_t j = i + 1; j < 4; j++) {
            assert_ptr_not_equal(c[i], c[j]);
        }
    }
    assert_int_equal(set.num, 4);
    assert_memory_equal(c[1]->certs[1].der, cert_b2, sizeof(cert_b2));
    assert_int_equal(c[2]->num, 1);
    assert_memory_equal(c[3]->certs[0].der, cert_b, sizeof(cert_b));
    for (size_t i = 0; i < 4; i++) {
        pl_peer_chain_release(c[i]);
    }
    assert_int_equal(set.num, 0);
    assert_int_equal(bytes_in_use(), before);
    pl_peer_chain_set_cleanup(&set);
}

static void test_without_set_every_chain_is_private(void **state) {
    (void)state;
    uint64_t before = bytes_in_use();
    chain_msg m;
    chain_ab(&m, cert_b);
    pl_peer_chain *c1, *c2;
    PL_ASSERT_OK(pl_peer_chain_take(NULL, &m.msg, &c1));
    PL_ASSERT_OK(pl_peer_chain_take(NULL, &m.msg, &c2));
    assert_ptr_not_equal(c1, c2);
    assert_null(c1->set);
    assert_memory_equal(c2->certs[0].der, cert_a, sizeof(cert_a));
    pl_peer_chain_release(c1);
    pl_peer_chain_release(c2);
    pl_peer_chain_release(NULL);
    assert_int_equal(bytes_in_use(), before);
}

static void test_full_set_keeps_new_chains_private(void **state) {
    (void)state;
    uint64_t before = bytes_in_use();
    pl_peer_chain_set set;
    pl_peer_chain_set_init(&set);
    enum { N = PL_PEER_CHAIN_SET_SLOTS + 1 };
    chain_msg m[N];
    uint8_t ders[N][5];
    pl_peer_chain *c[N];
    for (size_t i = 0; i < N; i++) {
        memcpy(ders[i], cert_a, sizeof(cert_a));
        ders[i][4] = (uint8_t)i;
        const uint8_t *one[1] = {ders[i]};
        size_t len[1] = {sizeof(ders[i])};
        chain_msg_make(&m[i], one, len, 1);
        PL_ASSERT_OK(pl_peer_chain_take(&set, &m[i].msg, &c[i]));
    }
    assert_int_equal(set.num, PL_PEER_CHAIN_SET_SLOTS);
    assert_null(c[N - 1]->set); /* no room: kept privately */
    pl_peer_chain *again;
    PL_ASSERT_OK(pl_peer_chain_take(&set, &m[N - 1].msg, &again));
    assert_ptr_not_equal(again, c[N - 1]);
    pl_peer_chain_release(again);
    /* A slot freed by its last holder takes the next new chain. */
    pl_peer_chain_release(c[0]);
    assert_int_equal(set.num, PL_PEER_CHAIN_SET_SLOTS - 1);
    PL_ASSERT_OK(pl_peer_chain_take(&set, &m[0].msg, &c[0]));
    assert_ptr_equal(c[0]->set, &set);
    for (size_t i = 0; i < N; i++) {
        pl_peer_chain_release(c[i]);
    }
    assert_int_equal(set.num, 0);
    assert_int_equal(bytes_in_use(), before);
    pl_peer_chain_set_cleanup(&set);
}

typedef struct racer {
    pl_peer_chain_set *set;
    const pl_certificate *msg;
    int failed;
} racer;

static void *race(void *arg) {
    racer *r = arg;
    for (int i = 0; i < 2000; i++) {
        pl_peer_chain *c;
        if (pl_peer_chain_take(r->set, r->msg, &c) != PADLOCK_OK || c->num != 2 ||
            memcmp(c->certs[1].der, cert_b, sizeof(cert_b)) != 0) {
            r->failed = 1;
            return NULL;
        }
        pl_peer_chain_release(c);
    }
    return NULL;
}

static void test_threads_take_and_release(void **state) {
    (void)state;
    uint64_t before = bytes_in_use();
    pl_peer_chain_set set;
    pl_peer_chain_set_init(&set);
    chain_msg m;
    chain_ab(&m, cert_b);
    racer r[4];
    pthread_t t[4];
    for (size_t i = 0; i < 4; i++) {
        r[i].set = &set;
        r[i].msg = &m.msg;
        r[i].failed = 0;
        assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
    }
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_false(r[i].failed);
    }
    assert_int_equal(set.num, 0);
    assert_int_equal(bytes_in_use(), before);
    pl_peer_chain_set_cleanup(&set);
}

/* Two clients of one configuration connected to one server in turn hold the same bytes for
 * its chain, which stay valid after the other connection is freed. */
static void clients_share(uint16_t version) {
    padlock_config *ccfg = pl_pair_client_config();
    padlock_config *scfg = pl_pair_server_config("p256");
    PL_ASSERT_OK(padlock_config_set_versions(ccfg, version, version));
    pl_pair p1, p2;
    uint64_t none = bytes_in_use();
    pl_pair_open(&p1, ccfg, scfg, NULL);
    pl_pair_handshake(&p1);
    uint64_t one = bytes_in_use();
    pl_pair_open(&p2, ccfg, scfg, NULL);
    pl_pair_handshake(&p2);
    uint64_t two = bytes_in_use();
    assert_int_equal(padlock_conn_version(p2.client), version);
    assert_int_equal(padlock_conn_peer_cert_count(p1.client), 2);
    assert_int_equal(padlock_conn_peer_cert_count(p2.client), 2);
    size_t len1, len2;
    const uint8_t *leaf1 = padlock_conn_peer_cert(p1.client, 0, &len1);
    const uint8_t *leaf2 = padlock_conn_peer_cert(p2.client, 0, &len2);
    assert_ptr_equal(leaf1, leaf2);
    assert_int_equal(len1, len2);
    uint8_t copy[4096];
    assert_true(len2 <= sizeof(copy));
    memcpy(copy, leaf2, len2);
    /* The second pair holds at least the leaf's length less than the first: its client made
     * no copy of the chain. */
    assert_true(two - one + len1 <= one - none);
    pl_pair_close(&p1);
    /* Still the second connection's: ASan would see a use after free. */
    assert_memory_equal(padlock_conn_peer_cert(p2.client, 0, &len2), copy, len1);
    pl_pair_close(&p2);
    padlock_config_free(ccfg);
    padlock_config_free(scfg);
}

static void test_clients_share_server_chain_tls13(void **state) {
    (void)state;
    clients_share(PADLOCK_TLS13);
}

static void test_clients_share_server_chain_tls12(void **state) {
    (void)state;
    clients_share(PADLOCK_TLS12);
}

/* A server shares identical client chains; a client with another chain gets its own. */
static void test_server_shares_client_chains(void **state) {
    (void)state;
    padlock_config *scfg = pl_pair_client_auth_server(PADLOCK_CLIENT_AUTH_REQUIRED);
    padlock_config *ccfg = pl_pair_client_with_cert("client");
    padlock_config *other = pl_pair_client_config();
    pl_pair p1, p2, p3;
    pl_pair_open(&p1, ccfg, scfg, NULL);
    pl_pair_handshake(&p1);
    pl_pair_open(&p2, ccfg, scfg, NULL);
    pl_pair_handshake(&p2);
    size_t len;
    const uint8_t *c1 = padlock_conn_peer_cert(p1.server, 0, &len);
    assert_non_null(c1);
    assert_ptr_equal(padlock_conn_peer_cert(p2.server, 0, &len), c1);
    /* Sharing is per configuration: a client of another one holds its own copy of the same
     * server chain. */
    padlock_config *scfg2 = pl_pair_server_config("p256");
    pl_pair_open(&p3, other, scfg2, NULL);
    pl_pair_handshake(&p3);
    const uint8_t *s1 = padlock_conn_peer_cert(p1.client, 0, &len);
    const uint8_t *s3 = padlock_conn_peer_cert(p3.client, 0, &len);
    assert_ptr_not_equal(s1, s3);
    assert_memory_equal(s1, s3, len);
    pl_pair_close(&p1);
    pl_pair_close(&p2);
    pl_pair_close(&p3);
    padlock_config_free(ccfg);
    padlock_config_free(other);
    padlock_config_free(scfg);
    padlock_config_free(scfg2);
}

/* A client connected to servers with different chains keeps each chain apart. */
static void test_client_keeps_different_chains_apart(void **state) {
    (void)state;
    padlock_config *ccfg = pl_pair_client_config();
    padlock_config *p256 = pl_pair_server_config("p256");
    padlock_config *rsa = pl_pair_server_config("rsa");
    pl_pair p1, p2;
    pl_pair_open(&p1, ccfg, p256, NULL);
    pl_pair_handshake(&p1);
    pl_pair_open(&p2, ccfg, rsa, NULL);
    pl_pair_handshake(&p2);
    size_t len1, len2;
    const uint8_t *leaf1 = padlock_conn_peer_cert(p1.client, 0, &len1);
    const uint8_t *leaf2 = padlock_conn_peer_cert(p2.client, 0, &len2);
    assert_ptr_not_equal(leaf1, leaf2);
    assert_false(len1 == len2 && memcmp(leaf1, leaf2, len1) == 0);
    assert_int_equal(padlock_conn_peer_cert_count(p2.client), 2);
    pl_pair_close(&p1);
    pl_pair_close(&p2);
    padlock_config_free(ccfg);
    padlock_config_free(p256);
    padlock_config_free(rsa);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical_chains_are_shared),
        cmocka_unit_test(test_different_chains_are_apart),
        cmocka_unit_test(test_without_set_every_chain_is_private),
        cmocka_unit_test(test_full_set_keeps_new_chains_private),
        cmocka_unit_test(test_threads_take_and_release),
        cmocka_unit_test(test_clients_share_server_chain_tls13),
        cmocka_unit_test(test_clients_share_server_chain_tls12),
        cmocka_unit_test(test_server_shares_client_chains),
        cmocka_unit_test(test_client_keeps_different_chains_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
