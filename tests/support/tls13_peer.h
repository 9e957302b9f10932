/* A scriptable TLS 1.3 server for unit tests of the client: it reads what the client sends,
 * keeps the transcript and the key schedule of a server, and seals whatever messages the test
 * composes (well-formed or not, in any order) with the keys in force. It is built from the
 * message codecs, the key schedule and the record layer, not from a padlock server, so that a
 * test can send exactly the flight it wants. Every failure fails the test. */
#ifndef PL_TEST_TLS13_PEER_H
#define PL_TEST_TLS13_PEER_H

#include <stddef.h>
#include <stdint.h>

#include "hs/keysched13.h"
#include "hs/suite.h"
#include "hs/transcript.h"
#include "msg/msg.h"
#include "padlock/padlock.h"
#include "record/record.h"
#include "testlib.h"

#define PL_TP_MAX_MSG 8192

typedef struct pl_tp {
    pl_test_rng rng;
    uint8_t ch[PL_TP_MAX_MSG]; /* the client's last ClientHello, header included */
    size_t ch_len;
    pl_client_hello hello; /* parsed from ch */
    pl_transcript t;
    const pl_suite *suite;
    pl_kx_key share;
    pl_ks13_handshake hs;
    pl_ks13_secret c_hs, s_hs, c_ap, s_ap;
    pl_record_dir tx, rx; /* the server's writes, the client's */
    pl_privkey *key;      /* the server's ECDSA P-256 credential */
    uint8_t *cert;
    size_t cert_len;
    uint8_t *wire; /* bytes waiting to be fed to the client */
    size_t wire_len;
} pl_tp;

/* A record the client sent, opened. */
typedef struct pl_tp_rec {
    uint8_t type;
    uint8_t data[PL_TP_MAX_MSG];
    size_t len;
} pl_tp_rec;

/* Generates (once per test program) the server's self-signed ECDSA P-256 certificate for
 * "test.example" with the openssl CLI; returns its PEM path (the client's trust anchor). */
const char *pl_tp_cert_pem(void);

void pl_tp_init(pl_tp *p);
void pl_tp_cleanup(pl_tp *p);

/* A client configuration that trusts the peer's certificate, a deterministic random hook and
 * the protocol versions min..max, and a connection to "test.example" (verification on). */
void pl_tp_client_versions(padlock_config **cfg, padlock_conn **conn, pl_test_rng *rng,
                           uint16_t min, uint16_t max);

/* Takes everything the client has to send and opens its records with the keys in force;
 * *num records go to recs (at most cap). Unprotected change_cipher_spec records come through
 * as such. */
void pl_tp_from_client(pl_tp *p, padlock_conn *conn, pl_tp_rec *recs, size_t cap, size_t *num);

/* Takes the client's ClientHello (after an optional change_cipher_spec) and parses it. The
 * transcript starts with it, or (a second one) continues. */
void pl_tp_client_hello(pl_tp *p, padlock_conn *conn);

/* The client's key share for group (fails the test if there is none). */
pl_cur pl_tp_client_share(const pl_tp *p, uint16_t group);

/* ServerHello fields answering the ClientHello: suite (0: the client's first), our key share for
 * group (0: the client's shared group; a share is generated), session id echoed, TLS 1.3. The
 * extension ids supported_versions and key_share go to ids. */
void pl_tp_server_hello_fields(pl_tp *p, uint16_t suite, uint16_t group, pl_server_hello *sh,
                               uint16_t *ids, size_t *num_ids);

/* Builds a ServerHello from fields (pl_server_hello_build) into out; returns its length. */
size_t pl_tp_build_sh(const pl_server_hello *sh, const uint16_t *ids, size_t num_ids, uint8_t *out,
                      size_t cap);

/* After the ServerHello went into the transcript: the handshake secrets from our share and the
 * client's, and handshake traffic keys in both directions. */
void pl_tp_handshake_keys(pl_tp *p);

/* Our Certificate, a CertificateVerify over the transcript (scheme), our Finished. */
size_t pl_tp_certificate(const pl_tp *p, uint8_t *out, size_t cap);
size_t pl_tp_certificate_verify(const pl_tp *p, uint16_t scheme, uint8_t *out, size_t cap);
size_t pl_tp_finished(const pl_tp *p, uint8_t *out, size_t cap);

/* After our Finished went into the transcript: application secrets; our writes switch to them. */
void pl_tp_application_keys(pl_tp *p);

/* Hashes a handshake message into the transcript and seals it as one record. */
void pl_tp_send_hs(pl_tp *p, const uint8_t *msg, size_t len);

/* Seals one record of type with the keys in force (none: unprotected). */
void pl_tp_send(pl_tp *p, uint8_t type, const uint8_t *data, size_t len);

/* Appends raw bytes for the client. */
void pl_tp_send_raw(pl_tp *p, const uint8_t *data, size_t len);

/* Feeds everything waiting to the client: padlock_conn_input must return want. */
void pl_tp_deliver(pl_tp *p, padlock_conn *conn, padlock_err want);

/* A whole default handshake: ClientHello, ServerHello, EncryptedExtensions, Certificate,
 * CertificateVerify, Finished, and the client's Finished checked; the client is connected and
 * both sides use application keys. */
void pl_tp_handshake(pl_tp *p, padlock_conn *conn);

/* Reads the client's second flight under its handshake keys (change_cipher_spec, optional
 * Certificate and CertificateVerify, Finished), checks its Finished and switches to its
 * application keys. *out_certs receives how many certificates the client sent (-1: no
 * Certificate message). */
void pl_tp_client_finished(pl_tp *p, padlock_conn *conn, int *out_certs);

/* Asserts that the client failed with code, that its message contains needle (NULL: any), and
 * that what it sent last is the fatal alert with that description (-1: it sent nothing). The
 * client's status is ERROR afterwards. */
void pl_tp_expect_failure(pl_tp *p, padlock_conn *conn, padlock_err code, int alert,
                          const char *needle);

/* The fixture of the client's unit tests: a peer, the client it talks to (its configuration,
 * its deterministic random source) and room to compose a message. */
typedef struct pl_tp_fixture {
    pl_tp p;
    padlock_config *cfg;
    padlock_conn *conn;
    pl_test_rng rng;
    uint8_t msg[PL_TP_MAX_MSG];
    const void *row; /* the table row of a parameterised test (cmocka's prestate); NULL if none */
} pl_tp_fixture;

/* A cmocka setup's body: a fresh fixture (one per program, static, reused by each test) with
 * a new peer and a client of pl_tp_client_versions(min, max) whose random source is seeded with
 * seed. The state cmocka passed in (a table row, or NULL) goes to row; *state becomes the
 * fixture. Returns 0. */
int pl_tp_fixture_setup(void **state, uint64_t seed, uint16_t min, uint16_t max);

/* A cmocka teardown: frees the fixture's client, its configuration and the peer. Returns 0. */
int pl_tp_fixture_teardown(void **state);

/* pl_tp_fixture_setup's fixture made in f (zeroed first; row NULL), for a test whose own
 * fixture holds one. */
void pl_tp_fixture_init(pl_tp_fixture *f, uint64_t seed, uint16_t min, uint16_t max);

/* Frees f's client, its configuration and the peer (what pl_tp_fixture_teardown does). */
void pl_tp_fixture_cleanup(pl_tp_fixture *f);

/* Replaces the fixture's client with a new connection to "test.example" of a fresh
 * configuration that trusts the peer's certificate and draws from the fixture's random source
 * (default versions), after change(cfg) has set it up. The old client and configuration are
 * freed. */
void pl_tp_fixture_reconfigure(pl_tp_fixture *f, void (*change)(padlock_config *cfg));

/* A change for pl_tp_fixture_reconfigure: the client has the peer's certificate and key
 * (pl_tp_cert_pem) as its own, to present when asked for one. */
void pl_tp_present_own_certificate(padlock_config *cfg);

/* Takes the ClientHello, sends the default ServerHello (pl_tp_server_hello_fields with the
 * client's first suite and shared group) and switches the peer to handshake keys. */
void pl_tp_fixture_hello(pl_tp_fixture *f);

/* The same without taking the ClientHello (already taken): the default ServerHello sent, the
 * peer on handshake keys. */
void pl_tp_fixture_server_hello(pl_tp_fixture *f);

/* Sends an EncryptedExtensions with the extensions ids[0..num) of exts (NULL: none). */
void pl_tp_fixture_send_ee(pl_tp_fixture *f, const pl_exts *exts, const uint16_t *ids, size_t num);

#endif
