/* Building DER in tests as hex strings: elements with computed lengths, concatenation.
 * Strings are kept until derhex_free_all (call it from a teardown). */
#ifndef PL_TEST_DERHEX_H
#define PL_TEST_DERHEX_H

#include <stddef.h>
#include <stdint.h>

/* Keeps s (malloc'd) until derhex_free_all; returns it. */
char *derhex_keep(char *s);

/* Frees everything kept. */
void derhex_free_all(void);

/* The concatenation of the NULL-terminated list of hex strings. */
char *derhex_cat(const char *first, ...);

/* One element: tag (hex, e.g. "30") and contents (hex), the DER length computed. */
char *derhex_tlv(const char *tag, const char *content);

/* The bytes of hex (spaces ignored) in a kept buffer; *out_len gets their count. */
uint8_t *derhex_bytes(const char *hex, size_t *out_len);

#endif
