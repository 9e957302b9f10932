/* Certificates for in-process client/server tests, issued with padlock's own writer into the
 * test program's tmpdir at first use (nothing checked in, nothing that expires while a test
 * runs):
 *   root.pem                    the trust anchor (ECDSA P-256)
 *   <kind>-chain.pem/.key       server leaves under it (leaf + root), kind p256 p384 rsa
 *                               ed25519 (RSA-2048), for DNS:localhost and DNS:*.example.test
 *   a-chain.pem/.key            an ECDSA P-256 leaf for DNS:a.example only
 *   b-chain.pem/.key            an RSA-2048 leaf for DNS:b.example only
 *   client-chain.pem/.key       a client certificate (clientAuth), P-256
 *   expired-chain.pem/.key      a client certificate whose validity ended in 2020
 *   rogue-chain.pem/.key        a client certificate under a root nobody trusts */
#ifndef PL_TEST_PKI_H
#define PL_TEST_PKI_H

/* The path of a file of the set ("root.pem", "p256-chain.pem", ...), made on first call. The
 * string stays valid for the next 31 calls. */
const char *pl_pki(const char *file);

/* The server leaf kinds, in the order above. */
extern const char *const pl_pki_kinds[4];

#endif
