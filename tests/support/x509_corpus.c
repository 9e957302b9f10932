/* The generated X.509 corpus as tests read it (see x509_corpus.h). */
#include "x509_corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derhex.h"
#include "testlib.h"
#include "wire/pem.h"

const char *pl_test_corpus_path(const char *file) {
    static char path[8][4096];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, 4096, "%s/x509-corpus/%s", pl_test_binary_dir(), file);
    return p;
}

pl_span pl_test_corpus_cert(const char *stem) {
    char file[256];
    snprintf(file, sizeof(file), "%s.pem", stem);
    size_t len;
    uint8_t *text = pl_test_read_file(pl_test_corpus_path(file), &len);
    assert_non_null(text);
    size_t pos = 0;
    int found;
    pl_pem_block b;
    PL_ASSERT_OK(pl_pem_next((const char *)text, len, &pos, &b, &found));
    assert_int_equal(found, 1);
    free(text);
    uint8_t *copy = malloc(b.der_len);
    assert_non_null(copy);
    memcpy(copy, b.der, b.der_len);
    derhex_keep((char *)copy);
    pl_span s = {copy, b.der_len};
    pl_pem_block_cleanup(&b);
    return s;
}
