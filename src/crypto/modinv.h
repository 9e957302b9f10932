/* Modular inversion of public values for ECDSA verification (SEC1 §4.1.4 step 4: w = s^-1 mod
 * n). libcrypto 3.0's public BN_mod_inverse costs ~157 k instructions for a 256-bit order, a
 * sixth of a whole verification, and BN_mod_exp_mont (Fermat) ~180 k; this binary GCD on
 * fixed-width words costs ~15 k. Variable time: never pass it a secret. Pure C, no libcrypto. */
#ifndef PL_CRYPTO_MODINV_H
#define PL_CRYPTO_MODINV_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* The widest modulus accepted, in bytes (the order of P-521 is 521 bits). */
#define PL_MODINV_MAX_LEN 72

/* Writes a^-1 mod n to out. a, n and out are len-byte big-endian numbers (1 <= len <=
 * PL_MODINV_MAX_LEN); out may not overlap a or n. n must be odd and above 1, and a in [1, n-1]
 * with gcd(a, n) = 1, else PADLOCK_E_INVALID_ARGUMENT. The time taken depends on a and n:
 * only for public values (an ECDSA signature's s, a curve's order). */
PL_NODISCARD padlock_err pl_modinv_vartime(const uint8_t *a, const uint8_t *n, size_t len,
                                           uint8_t *out);

#endif
