/* Reads the example handshakes of RFC 8448 ("Example Handshake Traces for TLS 1.3") straight
 * from the RFC's text, so that vector tests prove their data came from the RFC. */
#ifndef PL_TEST_RFC8448_TEXT_H
#define PL_TEST_RFC8448_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Loads $PL_SHARED_DIR/specs/rfc8448.txt; NULL if unreadable. free() the result. */
char *pl_rfc8448_load(void);

/* The bytes of one labelled value of the trace. section is the section number ("3"), step a
 * substring of the step's heading line ("{server}  derive secret \"tls13 c hs traffic\""), nth
 * which matching step of that section (0 = first), field the value's label as printed
 * ("expanded", "complete record"). The value's "(N octets):" header decides how many hex
 * bytes are read; page breaks inside the value are skipped and anything else that is not a hex
 * byte fails. Returns a malloc'd buffer (free()) with *out_len = N, or NULL when any part is not
 * found or malformed (a message naming it goes to stderr). */
uint8_t *pl_rfc8448_value(const char *text, const char *section, const char *step, int nth,
                          const char *field, size_t *out_len);

#endif
