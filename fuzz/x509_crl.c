/* Fuzz target: CRL sets from arbitrary bytes (PEM "X509 CRL" blocks or DER, RFC 5280 §5),
 * and serial lookups in every CRL accepted (each entry must be found again). */
#include <stddef.h>
#include <stdint.h>

#include "x509/crl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_x509_crl_set set;
    pl_x509_crl_set_init(&set);
    pl_errinfo err;
    pl_errinfo_init(&err);
    if (pl_x509_crl_set_add(&set, data, size, "fuzz", &err) == PADLOCK_OK) {
        for (size_t i = 0; i < set.num; i++) {
            const pl_x509_crl *crl = &set.crls[i];
            for (size_t e = 0; e < crl->num_entries; e++) {
                if (pl_x509_crl_find(crl, crl->entries[e].serial) == NULL) {
                    __builtin_trap();
                }
            }
        }
    } else if (set.num != 0) {
        __builtin_trap(); /* all-or-nothing */
    }
    pl_errinfo_cleanup(&err);
    pl_x509_crl_set_cleanup(&set);
    return 0;
}
