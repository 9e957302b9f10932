/* Fuzz target: PKCS #10 request parsing (RFC 2986 §4) of arbitrary DER, the self-signature
 * check with the request's own key, the subject and requested subjectAltName as the public
 * API prints them, and the public loader, which must agree with the internal parser. */
#include <stddef.h>
#include <stdint.h>

#include "padlock/x509.h"
#include "wire/pem.h"
#include "x509/csr.h"
#include "x509/general_name.h"
#include "x509/name.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_x509_csr csr;
    const char *field;
    padlock_err rc = pl_x509_csr_parse(&csr, data, size, &field);
    padlock_csr *pub = NULL;
    const char *pub_field = NULL;
    padlock_err pub_rc = padlock_csr_from_mem(data, size, &pub, &pub_field);
    /* Text with a BEGIN line is PEM to the public loader, which then reads its blocks. */
    int der = !pl_pem_looks_like_pem(data, size);
    if (rc != PADLOCK_OK) {
        /* Every refusal names its field, and the public loader refuses the same DER. */
        if (rc != PADLOCK_E_CSR_PARSE || field == NULL ||
            (der && (pub_rc == PADLOCK_OK || pub_field == NULL))) {
            __builtin_trap();
        }
        padlock_csr_free(pub);
        return 0;
    }
    /* The public loader is the parser plus the signature check. */
    padlock_err verified = pl_x509_csr_verify(&csr);
    if (der && (pub_rc == PADLOCK_OK) != (verified == PADLOCK_OK)) {
        __builtin_trap();
    }
    char buf[PL_X509_NAME_BUF];
    pl_x509_name_format(csr.subject, buf, sizeof(buf));
    pl_cur sans;
    pl_cur_init(&sans, csr.requested.san.p, csr.requested.san.len);
    pl_x509_gn gn;
    while (pl_cur_left(&sans) > 0) {
        if (pl_x509_gn_read(&sans, &gn) != PADLOCK_OK) {
            __builtin_trap(); /* validated at parse time */
        }
        pl_x509_gn_format(&gn, buf, sizeof(buf));
    }
    if (pub != NULL) {
        for (size_t i = 0; i <= padlock_csr_num_sans(pub); i++) {
            const char *v;
            (void)padlock_csr_san(pub, i, &v);
        }
        (void)padlock_csr_requests_extensions(pub);
    }
    padlock_csr_free(pub);
    return 0;
}
