/* Fuzz target: arbitrary server flights fed to a padlock client connection, in pieces of a
 * chosen size, with a deterministic random source and a fixed clock (fuzz/client_driver.h has
 * the input layout). Seeds: the RFC 8448 §3 server flight (decrypting with the trace's client
 * key) and a flight captured from openssl s_server (tests/interop: PL_UPDATE_SEEDS=1). */
#include <stddef.h>
#include <stdint.h>

#include "client_driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_fuzz_conn_result result;
    pl_fuzz_client_run(data, size, &result);
    return 0;
}
