/* Certificate extensions (RFC 5280 §4.2): syntax of every extension padlock recognises,
 * duplicate detection, and criticality bookkeeping, filling the extension fields of a
 * pl_x509_cert. */
#ifndef PL_X509_EXTENSIONS_H
#define PL_X509_EXTENSIONS_H

#include "x509/cert.h"

/* At most this many extensions per certificate (real ones carry about ten). */
#define PL_X509_MAX_EXTENSIONS 64

/* Parses the contents of Extensions (SEQUENCE SIZE (1..MAX) OF Extension) into cert. On
 * PADLOCK_E_DER, *out_field names the extension at fault (a static string). */
PL_NODISCARD padlock_err pl_x509_extensions_parse(pl_x509_cert *cert, pl_cur *exts,
                                                  const char **out_field);

#endif
