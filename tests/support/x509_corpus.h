/* The generated X.509 corpus (tests/x509/make_corpus.sh, built by the x509_corpus fixture) as
 * tests read it: paths of its files and the DER of the certificates they hold. */
#ifndef PL_TEST_X509_CORPUS_H
#define PL_TEST_X509_CORPUS_H

#include "wire/der.h"

/* The path of file in the corpus directory of the build. The result lives in one of eight
 * static slots, so up to eight paths are valid at once. */
const char *pl_test_corpus_path(const char *file);

/* The DER of the first certificate in corpus file stem.pem, in memory kept until
 * derhex_free_all (call it from a teardown). Fails the test if there is none. */
pl_span pl_test_corpus_cert(const char *stem);

#endif
