/* Fuzz target: certificate parsing (RFC 5280 §4) of arbitrary DER, then everything that reads
 * a parsed certificate without a signature: labels and RFC 4514 names, subjectAltName walking
 * and formatting, peer identity and name-constraint checks, and the public object's strings. */
#include <stddef.h>
#include <stdint.h>

#include "padlock/x509.h"
#include "x509/cert.h"
#include "x509/general_name.h"
#include "x509/hostname.h"
#include "x509/name.h"
#include "x509/name_constraints.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_x509_cert c;
    const char *field;
    padlock_err rc = pl_x509_cert_parse(&c, data, size, &field);
    padlock_cert *pub = NULL;
    padlock_err pub_rc = padlock_cert_from_der(data, size, &pub);
    /* The public parser is the internal one. */
    if ((rc == PADLOCK_OK) != (pub_rc == PADLOCK_OK)) {
        __builtin_trap();
    }
    if (rc != PADLOCK_OK) {
        if (field == NULL) {
            __builtin_trap();
        }
        return 0;
    }
    char buf[PL_X509_NAME_BUF];
    pl_x509_cert_label(&c, buf, sizeof(buf));
    pl_x509_name_format(c.issuer, buf, sizeof(buf));
    pl_x509_sigalg_describe(&c.sig_alg, buf, sizeof(buf));
    pl_x509_pubkey_describe(&c.key, buf, sizeof(buf));
    pl_cur sans;
    pl_cur_init(&sans, c.san.p, c.san.len);
    pl_x509_gn gn;
    while (pl_cur_left(&sans) > 0) {
        if (pl_x509_gn_read(&sans, &gn) != PADLOCK_OK) {
            __builtin_trap(); /* validated at parse time */
        }
        pl_x509_gn_format(&gn, buf, sizeof(buf));
    }
    pl_x509_peer peer;
    if (pl_x509_peer_parse("www.example.com", &peer) == PADLOCK_OK) {
        (void)pl_x509_check_peer(&c, &peer, NULL);
    }
    if (pl_x509_peer_parse("192.0.2.1", &peer) == PADLOCK_OK) {
        (void)pl_x509_check_peer(&c, &peer, NULL);
    }
    pl_errinfo err;
    pl_errinfo_init(&err);
    (void)pl_x509_nc_check(&c, &c, &err);
    pl_errinfo_cleanup(&err);
    for (size_t i = 0; i <= padlock_cert_num_sans(pub); i++) {
        const char *v;
        (void)padlock_cert_san(pub, i, &v);
    }
    padlock_cert_free(pub);
    return 0;
}
