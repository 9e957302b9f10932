/* PEM textual encoding (RFC 7468): "-----BEGIN label-----", base64 body, "-----END label-----".
 * Decoding walks a buffer block by block; text between blocks (comments, "Bag Attributes",
 * blank lines) is ignored, as RFC 7468 §2 allows. */
#ifndef PL_WIRE_PEM_H
#define PL_WIRE_PEM_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* Longest label accepted ("ENCRYPTED PRIVATE KEY" and friends are far shorter). */
#define PL_PEM_MAX_LABEL 64

typedef struct pl_pem_block {
    char label[PL_PEM_MAX_LABEL + 1]; /* NUL-terminated, e.g. "CERTIFICATE" */
    uint8_t *der;                     /* decoded body, allocated with pl_malloc; owned by caller */
    size_t der_len;
    int has_headers; /* RFC 1421 headers were present (e.g. "Proc-Type: 4,ENCRYPTED") */
} pl_pem_block;

/* Decodes the next PEM block in text[*pos .. len) and advances *pos past it.
 *   PADLOCK_OK, *found = 1: *out holds the block; free it with pl_pem_block_cleanup.
 *   PADLOCK_OK, *found = 0: no further BEGIN line in the text.
 *   PADLOCK_E_PEM: a malformed block (bad base64, missing or mismatched END line, headers).
 *   PADLOCK_E_NO_MEMORY. */
PL_NODISCARD padlock_err pl_pem_next(const char *text, size_t len, size_t *pos,
                                     pl_pem_block *out, int *found);

void pl_pem_block_cleanup(pl_pem_block *b);

/* 1 if the buffer contains a PEM BEGIN line, i.e. should be treated as PEM rather than DER. */
int pl_pem_looks_like_pem(const uint8_t *data, size_t len);

/* Encodes der as one PEM block with the given label, 64 base64 characters per line, "\n"
 * line ends, NUL-terminated. *out is allocated with pl_malloc (free with pl_free);
 * *out_len excludes the NUL. */
PL_NODISCARD padlock_err pl_pem_encode(const char *label, const uint8_t *der, size_t der_len,
                                       char **out, size_t *out_len);

#endif
