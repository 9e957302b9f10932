/* Hex dumps read out of the RFC texts in the shared specs folder at test time, so that tests
 * compare against the published bytes rather than copies pasted into the test. */
#ifndef PL_TEST_RFC_HEX_H
#define PL_TEST_RFC_HEX_H

#include <stddef.h>
#include <stdint.h>

/* The bytes of the nth (0-based) "<label> (<N> octets):  xx xx ..." dump in section `section`
 * ("3" for "3.  Simple 1-RTT Handshake") of RFC 8448, skipping page breaks. The dump must hold
 * exactly N bytes. Returns a malloc'd buffer (free()) and its length, or NULL if the file,
 * section or dump is missing or malformed (the caller fails the test). label must match up to
 * " (": "ClientHello" does not match "ClientHello prefix". */
uint8_t *pl_test_rfc8448_hex(const char *section, const char *label, int nth, size_t *out_len);

/* The bytes of the hex lines (whitespace between pairs allowed) that follow the first line
 * containing marker in the RFC text file named `rfc` (e.g. "rfc8446.txt"), up to the first
 * line that is not hex. malloc'd (free()), or NULL if missing. */
uint8_t *pl_test_rfc_hex_after(const char *rfc, const char *marker, size_t *out_len);

#endif
