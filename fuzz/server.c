/* Fuzz target: arbitrary client flights fed to a padlock server connection, in pieces of a
 * chosen size, against deterministic server configurations (fuzz/server_driver.h has the input
 * layout): plain, asking for client certificates, forcing a HelloRetryRequest, resuming with
 * fixed ticket keys. Seeds: a padlock client's flights recorded against the same server
 * (tests/unit/test_fuzz_seeds.c, PL_UPDATE_SEEDS=1). */
#include <stddef.h>
#include <stdint.h>

#include "server_driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    pl_fuzz_conn_result result;
    pl_fuzz_server_run(data, size, &result);
    return 0;
}
