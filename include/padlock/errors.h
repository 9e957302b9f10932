/* padlock error table: every error is defined once here, with its code, category, the TLS
 * alert a connection sends when it fails with it, and its message. padlock.h turns this list
 * into the padlock_err enum; src/util/err.c turns it into padlock_strerror() and the alert map.
 * Codes are stable ABI: append new errors, never renumber. */
#ifndef PADLOCK_ERRORS_H
#define PADLOCK_ERRORS_H

/* X(name, code, category, alert, message)
 *   name      PADLOCK_E_<name> (PADLOCK_OK for OK)
 *   category  PADLOCK_CAT_<category>
 *   alert     PADLOCK_ALERT_<alert>, the alert sent when a connection fails with this error
 *             (NONE: no alert, e.g. the peer already sent one or the transport failed) */
#define PADLOCK_ERROR_LIST(X)                                                                      \
    X(OK, 0, NONE, NONE, "success")                                                                \
    /* usage and resources */                                                                      \
    X(INVALID_ARGUMENT, 1, USAGE, INTERNAL_ERROR, "invalid argument")                              \
    X(NO_MEMORY, 2, RESOURCE, INTERNAL_ERROR, "out of memory")                                     \
    X(BUFFER_TOO_SMALL, 3, USAGE, INTERNAL_ERROR, "output buffer too small")                       \
    X(INTERNAL, 4, INTERNAL, INTERNAL_ERROR, "internal error")                                     \
    X(STATE, 5, USAGE, INTERNAL_ERROR, "operation not allowed in the current state")              \
    X(UNSUPPORTED, 6, USAGE, HANDSHAKE_FAILURE, "unsupported algorithm or feature")                \
    X(FILE, 7, IO, NONE, "cannot read or write file")                                              \
    X(IO, 8, IO, NONE, "transport I/O error")                                                      \
    /* encodings */                                                                                \
    X(DECODE, 20, DECODE, DECODE_ERROR, "malformed input")                                         \
    X(ENCODE_OVERFLOW, 21, INTERNAL, INTERNAL_ERROR, "value too long for its length field")        \
    X(PEM, 22, DECODE, DECODE_ERROR, "malformed PEM")                                              \
    X(DER, 23, DECODE, DECODE_ERROR, "malformed DER")                                              \
    /* cryptography and keys */                                                                    \
    X(CRYPTO, 40, CRYPTO, INTERNAL_ERROR, "cryptographic library failure")                         \
    X(BAD_SIGNATURE, 41, CRYPTO, DECRYPT_ERROR, "signature verification failed")                   \
    X(AEAD_OPEN, 42, CRYPTO, BAD_RECORD_MAC, "authenticated decryption failed")                    \
    X(BAD_KEY_SHARE, 43, CRYPTO, ILLEGAL_PARAMETER, "invalid key exchange share")                  \
    X(BAD_KEY, 44, CRYPTO, INTERNAL_ERROR, "malformed or invalid key")                             \
    X(KEY_ENCRYPTED, 45, CRYPTO, INTERNAL_ERROR, "key is encrypted and no password was given")   \
    X(KEY_UNSUPPORTED, 46, CRYPTO, INTERNAL_ERROR, "unsupported key type")                         \
    X(KEY_MISMATCH, 47, CRYPTO, INTERNAL_ERROR, "private key does not match the certificate")    \
    /* certificates */                                                                             \
    X(CERT_PARSE, 60, CERT, BAD_CERTIFICATE, "malformed certificate")                              \
    X(CERT_UNSUPPORTED, 61, CERT, UNSUPPORTED_CERTIFICATE, "unsupported certificate")              \
    X(CERT_CRITICAL_EXTENSION, 62, CERT, UNSUPPORTED_CERTIFICATE,                                  \
      "certificate has an unknown critical extension")                                             \
    X(CERT_EXPIRED, 63, CERT, CERTIFICATE_EXPIRED, "certificate has expired")                      \
    X(CERT_NOT_YET_VALID, 64, CERT, CERTIFICATE_EXPIRED, "certificate is not yet valid")           \
    X(CERT_UNTRUSTED, 65, CERT, UNKNOWN_CA, "no path to a trusted root")                           \
    X(CERT_SIGNATURE, 66, CERT, BAD_CERTIFICATE, "certificate signature does not verify")          \
    X(CERT_WEAK_ALGORITHM, 67, CERT, BAD_CERTIFICATE, "certificate uses a weak algorithm")         \
    X(CERT_WEAK_KEY, 68, CERT, BAD_CERTIFICATE, "certificate key is too weak")                     \
    X(CERT_NOT_CA, 69, CERT, BAD_CERTIFICATE, "issuer is not a certificate authority")             \
    X(CERT_PATH_LENGTH, 70, CERT, BAD_CERTIFICATE, "path length constraint exceeded")              \
    X(CERT_KEY_USAGE, 71, CERT, BAD_CERTIFICATE, "key usage does not allow this use")              \
    X(CERT_PURPOSE, 72, CERT, UNSUPPORTED_CERTIFICATE,                                             \
      "extended key usage does not allow this purpose")                                            \
    X(CERT_NAME_CONSTRAINTS, 73, CERT, BAD_CERTIFICATE, "name constraints violated")               \
    X(CERT_NAME_MISMATCH, 74, CERT, BAD_CERTIFICATE, "certificate does not match the peer name")  \
    X(CERT_REVOKED, 75, CERT, CERTIFICATE_REVOKED, "certificate has been revoked")                 \
    X(CERT_CHAIN_TOO_LONG, 76, CERT, BAD_CERTIFICATE, "certificate chain is too long")             \
    X(CRL_PARSE, 77, CERT, BAD_CERTIFICATE, "malformed certificate revocation list")               \
    X(CRL_INVALID, 78, CERT, BAD_CERTIFICATE, "certificate revocation list is not valid")          \
    X(CERT_MISSING, 79, CERT, CERTIFICATE_REQUIRED, "no certificate was presented")                \
    /* TLS protocol */                                                                             \
    X(UNEXPECTED_MESSAGE, 100, PROTOCOL, UNEXPECTED_MESSAGE, "unexpected message")                 \
    X(BAD_RECORD_MAC, 101, PROTOCOL, BAD_RECORD_MAC, "record failed authentication")              \
    X(RECORD_OVERFLOW, 102, PROTOCOL, RECORD_OVERFLOW, "record too long")                          \
    X(HANDSHAKE_FAILURE, 103, PROTOCOL, HANDSHAKE_FAILURE,                                         \
      "no acceptable parameters in common with the peer")                                          \
    X(ILLEGAL_PARAMETER, 104, PROTOCOL, ILLEGAL_PARAMETER, "illegal parameter in message")         \
    X(DECRYPT_ERROR, 105, PROTOCOL, DECRYPT_ERROR, "handshake verification failed")                \
    X(PROTOCOL_VERSION, 106, PROTOCOL, PROTOCOL_VERSION, "no protocol version in common")          \
    X(INSUFFICIENT_SECURITY, 107, PROTOCOL, INSUFFICIENT_SECURITY, "peer parameters too weak")     \
    X(MISSING_EXTENSION, 108, PROTOCOL, MISSING_EXTENSION, "required extension missing")           \
    X(UNSUPPORTED_EXTENSION, 109, PROTOCOL, UNSUPPORTED_EXTENSION,                                 \
      "extension not allowed in this message")                                                     \
    X(UNRECOGNIZED_NAME, 110, PROTOCOL, UNRECOGNIZED_NAME, "server name not recognized")           \
    X(NO_APPLICATION_PROTOCOL, 111, PROTOCOL, NO_APPLICATION_PROTOCOL,                             \
      "no application protocol in common")                                                         \
    X(CERTIFICATE_REQUIRED, 112, PROTOCOL, CERTIFICATE_REQUIRED,                                   \
      "peer did not send a required certificate")                                                  \
    X(INAPPROPRIATE_FALLBACK, 113, PROTOCOL, INAPPROPRIATE_FALLBACK, "inappropriate fallback")    \
    X(NO_RENEGOTIATION, 114, PROTOCOL, NO_RENEGOTIATION, "renegotiation refused")                  \
    X(UNKNOWN_PSK_IDENTITY, 115, PROTOCOL, UNKNOWN_PSK_IDENTITY, "unknown PSK identity")           \
    X(PEER_ALERT, 116, PEER, NONE, "peer sent a fatal alert")                                      \
    X(TRUNCATED, 117, PEER, NONE, "connection closed without close_notify (truncated)")           \
    X(CLOSED, 118, USAGE, NONE, "connection is closed")                                            \
    X(BAD_CERTIFICATE, 119, PROTOCOL, BAD_CERTIFICATE, "peer certificate unusable")               \
    /* record layer and key schedule (120-139) */                                                  \
    X(HANDSHAKE_TOO_LARGE, 120, PROTOCOL, ILLEGAL_PARAMETER,                                       \
      "handshake message longer than the configured limit")                                        \
    /* connections and socket helpers (160-179) */                                                 \
    X(WANT_READ, 160, IO, NONE,                                                                    \
      "the socket has no data yet: wait until it is readable, then call again")                    \
    X(WANT_WRITE, 161, IO, NONE,                                                                   \
      "the socket takes no more data yet: wait until it is writable, then call again")             \
    X(NO_SERVER_NAME, 162, USAGE, NONE,                                                            \
      "no server name to verify the server's certificate against")                                 \
    /* certificate authority (180-189) */                                                          \
    X(CSR_PARSE, 180, CERT, INTERNAL_ERROR, "malformed certificate signing request")               \
    X(CSR_SIGNATURE, 181, CERT, INTERNAL_ERROR,                                                    \
      "certificate signing request signature does not verify")                                     \
    X(FILE_EXISTS, 182, IO, NONE, "file already exists")

#endif
