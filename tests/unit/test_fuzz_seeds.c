/* The client fuzz target's committed seeds (fuzz/corpus/client/), replayed through the target's
 * own body: each must take the client through a whole handshake, application data and the
 * server's close_notify without error. A seed that stopped doing so (the ClientHello changed,
 * so the recorded flight no longer decrypts) would leave the fuzzer at the first record; this
 * test says so, and the seeds are regenerated (fuzz/rfc8448_seeds.py, and PL_UPDATE_SEEDS=1 for
 * the interop capture). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_driver.h"
#include "testlib.h"

static void test_seeds_reach_the_end(void **state) {
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/fuzz/corpus/client", pl_test_source_dir());
    DIR *d = opendir(dir);
    assert_non_null(d);
    int seeds = 0, rfc = 0, captured = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char path[8192];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        size_t len;
        uint8_t *data = pl_test_read_file(path, &len);
        assert_non_null(data);
        pl_fuzz_client_result r;
        pl_fuzz_client_run(data, len, &r);
        if (!r.handshake_done || !r.closed || r.error != PADLOCK_OK || r.app_bytes == 0) {
            fail_msg("seed %s: handshake %d, closed %d, %zu bytes of data, error %s", e->d_name,
                     r.handshake_done, r.closed, r.app_bytes, padlock_strerror(r.error));
        }
        rfc += (data[0] & PL_FUZZ_CLIENT_RFC8448) != 0;
        captured += (data[0] & PL_FUZZ_CLIENT_RFC8448) == 0;
        free(data);
        seeds++;
    }
    closedir(d);
    assert_true(rfc >= 2);
    assert_true(captured >= 1);
    printf("%d client seeds replayed\n", seeds);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds_reach_the_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
