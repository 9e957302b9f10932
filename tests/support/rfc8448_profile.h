/* The ClientHello of the RFC 8448 traces as a client profile: the extensions, groups and
 * signature schemes those hellos carry, in their order, without middlebox compatibility. With
 * the trace's random and X25519 key fed through the random hook, a padlock client sends the
 * RFC's ClientHello byte for byte. Shared by the vector tests and the client fuzz target. */
#ifndef PL_TEST_RFC8448_PROFILE_H
#define PL_TEST_RFC8448_PROFILE_H

#include "hs/config.h"

extern const pl_client_profile pl_test_rfc8448_profile;

/* The cipher suites of those hellos, in their order, and how many. */
extern const uint16_t pl_test_rfc8448_suites[];
extern const size_t pl_test_rfc8448_num_suites;

#endif
