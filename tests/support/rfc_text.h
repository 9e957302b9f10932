/* Values read out of the RFC texts in the shared specs folder at test time, so that tests compare
 * against the published bytes rather than copies pasted into the test: the labelled values of
 * the RFC 8448 traces ("secret (32 octets):  33 ad ..."), across the RFC's page breaks, and
 * unlabelled hex examples such as those of RFC 8446. */
#ifndef PL_TEST_RFC_TEXT_H
#define PL_TEST_RFC_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Loads $PL_SHARED_DIR/specs/<rfc> ("rfc8448.txt"), NUL-terminated; NULL if unreadable. free()
 * the result. */
char *pl_rfc_load(const char *rfc);

/* The text of RFC 8448 for the tests that read its traces, between pl_rfc8448_setup and
 * pl_rfc8448_teardown; NULL outside. */
extern char *pl_rfc8448_text;

/* A cmocka group setup: loads pl_rfc8448_text; -1 (the group fails) when it cannot be read. */
int pl_rfc8448_setup(void **state);

/* A cmocka group teardown: frees pl_rfc8448_text. Returns 0. */
int pl_rfc8448_teardown(void **state);

/* The bytes of one labelled value of an RFC 8448 trace. section is the section number ("3"),
 * field the value's label as printed ("expanded", "complete record", "ClientHello"; it must
 * match up to " (", so "ClientHello" does not match "ClientHello prefix").
 *   step not NULL: a substring of the step's heading line ("{server}  derive secret \"tls13 c
 *                  hs traffic\""); nth picks the matching step of the section (0 = first) and
 *                  the field is the first of that label inside the step.
 *   step NULL:     the nth (0 = first) value labelled field anywhere in the section.
 * The value's "(N octets):" header decides how many hex bytes are read; page breaks inside the
 * value are skipped and anything else that is not a hex byte fails. Returns a malloc'd buffer
 * (free()) with *out_len = N, or NULL when any part is not found or malformed (a message naming
 * it goes to stderr). */
uint8_t *pl_rfc8448_value(const char *text, const char *section, const char *step, int nth,
                          const char *field, size_t *out_len);

/* The bytes of the hex lines (whitespace between pairs allowed) that follow the first line of
 * text containing marker, up to the first line that is not hex. malloc'd (free()), or NULL if
 * missing. */
uint8_t *pl_rfc_hex_after(const char *text, const char *marker, size_t *out_len);

#endif
