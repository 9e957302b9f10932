/* Test certificates issued with padlock's public issuing API (padlock/x509.h). */
#include "pki.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "padlock/x509.h"
#include "testlib.h"

const char *const pl_pki_kinds[4] = {"p256", "p384", "rsa", "ed25519"};

typedef struct pl_pki_ca {
    padlock_key *key;
    padlock_cert *cert;
} pl_pki_ca;

static void pl_pki_ok(padlock_err rc, const char *what) {
    if (rc != PADLOCK_OK) {
        fail_msg("test PKI: %s: %s", what, padlock_strerror(rc));
    }
}

static void pl_pki_path(char *out, size_t cap, const char *file) {
    snprintf(out, cap, "%s/pki/%s", pl_test_tmpdir(), file);
}

static padlock_key *pl_pki_key(const char *kind) {
    padlock_key *key;
    if (strcmp(kind, "rsa") == 0) {
        pl_pki_ok(padlock_key_generate(PADLOCK_KEY_RSA, 2048, &key), "RSA key");
    } else if (strcmp(kind, "p384") == 0) {
        pl_pki_ok(padlock_key_generate(PADLOCK_KEY_EC_P384, 0, &key), "P-384 key");
    } else if (strcmp(kind, "ed25519") == 0) {
        pl_pki_ok(padlock_key_generate(PADLOCK_KEY_ED25519, 0, &key), "Ed25519 key");
    } else {
        pl_pki_ok(padlock_key_generate(PADLOCK_KEY_EC_P256, 0, &key), "P-256 key");
    }
    return key;
}

static void pl_pki_write_cert(const padlock_cert *cert, const char *file) {
    char path[4096];
    pl_pki_path(path, sizeof(path), file);
    pl_pki_ok(padlock_cert_write_file(cert, path, PADLOCK_WRITE_REPLACE), file);
}

static void pl_pki_ca_make(pl_pki_ca *ca, const char *name, const char *file) {
    padlock_issue_opts o;
    memset(&o, 0, sizeof(o));
    o.names.common_name = name;
    o.names.organization = "padlock tests";
    o.is_ca = 1;
    ca->key = pl_pki_key("p256");
    pl_pki_ok(padlock_cert_self_sign(&o, ca->key, &ca->cert), name);
    pl_pki_write_cert(ca->cert, file);
}

/* Issues a leaf of kind for dns_names under issuer and writes <name>-chain.pem (leaf, then
 * issuer) and <name>.key. */
static void pl_pki_leaf(const char *name, const char *kind, const char *const *dns_names,
                        size_t num_names, int client, int64_t not_before, unsigned days,
                        const pl_pki_ca *issuer) {
    padlock_issue_opts o;
    memset(&o, 0, sizeof(o));
    o.names.common_name = name;
    o.names.dns_names = dns_names;
    o.names.num_dns_names = num_names;
    o.client_auth = client;
    o.not_before = not_before;
    o.days = days;
    padlock_key *key = pl_pki_key(kind);
    size_t len;
    const uint8_t *spki = padlock_key_public_der(key, &len);
    padlock_cert *cert;
    pl_pki_ok(padlock_cert_issue(&o, spki, len, issuer->cert, issuer->key, &cert), name);
    char file[256], leaf_path[4096], issuer_path[4096], chain_path[4096];
    snprintf(file, sizeof(file), "%s-leaf.pem", name);
    pl_pki_write_cert(cert, file);
    pl_pki_path(leaf_path, sizeof(leaf_path), file);
    snprintf(file, sizeof(file), "%s-issuer.pem", name);
    pl_pki_write_cert(issuer->cert, file);
    pl_pki_path(issuer_path, sizeof(issuer_path), file);
    snprintf(file, sizeof(file), "%s-chain.pem", name);
    pl_pki_path(chain_path, sizeof(chain_path), file);
    assert_int_equal(pl_test_sh("cat %s %s > %s", leaf_path, issuer_path, chain_path), 0);
    snprintf(file, sizeof(file), "%s.key", name);
    char key_path[4096];
    pl_pki_path(key_path, sizeof(key_path), file);
    pl_pki_ok(padlock_key_write_file(key, key_path, PADLOCK_WRITE_REPLACE), file);
    padlock_cert_free(cert);
    padlock_key_free(key);
}

static void pl_pki_make(void) {
    char dir[4096];
    pl_pki_path(dir, sizeof(dir), "");
    assert_int_equal(pl_test_sh("mkdir -p %s", dir), 0);
    /* padlock's CAs have pathLenConstraint 0: leaves sit right under a root, and a chain file
     * carries the root as its second certificate (allowed, RFC 8446 §4.4.2). */
    pl_pki_ca root, rogue;
    pl_pki_ca_make(&root, "padlock test root", "root.pem");
    pl_pki_ca_make(&rogue, "nobody trusts this root", "rogue-root.pem");
    static const char *const server_names[] = {"localhost", "*.example.test"};
    for (size_t i = 0; i < 4; i++) {
        pl_pki_leaf(pl_pki_kinds[i], pl_pki_kinds[i], server_names, 2, 0, 0, 30, &root);
    }
    static const char *const a_names[] = {"a.example"};
    static const char *const b_names[] = {"b.example"};
    pl_pki_leaf("a", "p256", a_names, 1, 0, 0, 30, &root);
    pl_pki_leaf("b", "rsa", b_names, 1, 0, 0, 30, &root);
    static const char *const client_names[] = {"client.example.test"};
    pl_pki_leaf("client", "p256", client_names, 1, 1, 0, 30, &root);
    pl_pki_leaf("expired", "p256", client_names, 1, 1, 1577836800 /* 2020-01-01 */, 30, &root);
    pl_pki_leaf("rogue", "p256", client_names, 1, 1, 0, 30, &rogue);
    pl_pki_ca *cas[] = {&root, &rogue};
    for (size_t i = 0; i < 2; i++) {
        padlock_cert_free(cas[i]->cert);
        padlock_key_free(cas[i]->key);
    }
}

const char *pl_pki(const char *file) {
    static int made;
    /* A ring of results: each stays valid for the next 31 calls. */
    static char paths[32][4096];
    static size_t used;
    if (!made) {
        pl_pki_make();
        made = 1;
    }
    char *out = paths[used++ % 32];
    pl_pki_path(out, sizeof(paths[0]), file);
    return out;
}
