/* Files the public API writes and walks: private keys are created mode 0600 (never wider, not
 * even for a moment: the mode is given at creation), certificates 0644; existing files and
 * symbolic links are never written through; a key written and read back is the same key;
 * padlock_pem_read_file hands over every block in order, or a DER file whole. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "padlock/x509.h"
#include "testlib.h"

static padlock_key *g_key;
static padlock_cert *g_cert;

static int setup(void **state) {
    (void)state;
    PL_ASSERT_OK(padlock_key_generate(PADLOCK_KEY_EC_P256, 0, &g_key));
    padlock_issue_opts o = {.names = {.common_name = "files test"}, .is_ca = 1};
    PL_ASSERT_OK(padlock_cert_self_sign(&o, g_key, &g_cert));
    return 0;
}

static int teardown(void **state) {
    (void)state;
    padlock_cert_free(g_cert);
    padlock_key_free(g_key);
    return 0;
}

static char *path_of(char *buf, size_t cap, const char *name) {
    snprintf(buf, cap, "%s/%s", pl_test_tmpdir(), name);
    return buf;
}

static unsigned mode_of(const char *path) {
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    return (unsigned)(st.st_mode & 07777);
}

static void test_modes_and_round_trip(void **state) {
    (void)state;
    char key_path[4200], cert_path[4200];
    path_of(key_path, sizeof(key_path), "k.pem");
    path_of(cert_path, sizeof(cert_path), "c.pem");
    /* A permissive umask must not widen the key file. */
    mode_t old = umask(0);
    PL_ASSERT_OK(padlock_key_write_file(g_key, key_path, 0));
    PL_ASSERT_OK(padlock_cert_write_file(g_cert, cert_path, 0));
    umask(old);
    assert_int_equal(mode_of(key_path), 0600);
    assert_int_equal(mode_of(cert_path), 0644);
    /* PKCS #8 PEM that padlock and openssl read back as the same key. */
    size_t len;
    char *text = (char *)pl_test_read_file(key_path, &len);
    assert_non_null(text);
    assert_int_equal(strncmp(text, "-----BEGIN PRIVATE KEY-----\n", 28), 0);
    free(text);
    padlock_key *back;
    PL_ASSERT_OK(padlock_key_from_file(key_path, &back));
    PL_ASSERT_OK(padlock_cert_check_key(g_cert, back));
    padlock_key_free(back);
    assert_int_equal(pl_test_sh("openssl pkey -in %s -noout 2>/dev/null", key_path), 0);
    assert_int_equal(pl_test_sh("openssl x509 -in %s -noout 2>/dev/null", cert_path), 0);
    /* The certificate file loads through the list API as the same certificate. */
    padlock_cert_list *list;
    PL_ASSERT_OK(padlock_cert_list_new(&list));
    PL_ASSERT_OK(padlock_cert_list_add_file(list, cert_path));
    assert_int_equal(padlock_cert_list_count(list), 1);
    size_t a_len, b_len;
    const uint8_t *a = padlock_cert_der(g_cert, &a_len);
    const uint8_t *b = padlock_cert_der(padlock_cert_list_get(list, 0), &b_len);
    assert_int_equal(a_len, b_len);
    assert_memory_equal(a, b, a_len);
    padlock_cert_list_free(list);
}

static void test_no_overwrite_no_links(void **state) {
    (void)state;
    char path[4200], target[4200], link[4200];
    path_of(path, sizeof(path), "exists.pem");
    assert_int_equal(pl_test_write_file(path, "keep me", 7), 0);
    PL_ASSERT_ERR(padlock_key_write_file(g_key, path, 0), PADLOCK_E_FILE_EXISTS);
    PL_ASSERT_ERR(padlock_cert_write_file(g_cert, path, 0), PADLOCK_E_FILE_EXISTS);
    size_t len;
    char *text = (char *)pl_test_read_file(path, &len);
    assert_string_equal(text, "keep me");
    free(text);
    /* Replacing: the new file is a new inode with the key's mode, not the old file's. */
    assert_int_equal(chmod(path, 0644), 0);
    PL_ASSERT_OK(padlock_key_write_file(g_key, path, PADLOCK_WRITE_REPLACE));
    assert_int_equal(mode_of(path), 0600);
    padlock_key *back;
    PL_ASSERT_OK(padlock_key_from_file(path, &back));
    padlock_key_free(back);
    /* A symbolic link at the path (dangling or not) is never followed. */
    path_of(target, sizeof(target), "target.pem");
    path_of(link, sizeof(link), "link.pem");
    assert_int_equal(symlink(target, link), 0);
    PL_ASSERT_ERR(padlock_key_write_file(g_key, link, 0), PADLOCK_E_FILE_EXISTS);
    assert_int_not_equal(access(target, F_OK), 0); /* the target was not created */
    PL_ASSERT_OK(padlock_key_write_file(g_key, link, PADLOCK_WRITE_REPLACE));
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_not_equal(access(target, F_OK), 0);
    /* Unwritable places. */
    char missing[4200];
    path_of(missing, sizeof(missing), "no/such/dir/k.pem");
    PL_ASSERT_ERR(padlock_key_write_file(g_key, missing, 0), PADLOCK_E_FILE);
    PL_ASSERT_ERR(padlock_cert_write_file(g_cert, pl_test_tmpdir(), PADLOCK_WRITE_REPLACE),
                  PADLOCK_E_FILE);
}

/* Records the labels the walk hands over. */
typedef struct walk {
    char labels[8][32];
    size_t num;
    size_t stop_after;
} walk;

static int on_block(void *ctx, const char *label, const uint8_t *der, size_t len) {
    walk *w = ctx;
    assert_true(len > 0 && der != NULL);
    snprintf(w->labels[w->num], sizeof(w->labels[0]), "%s", label != NULL ? label : "(DER)");
    w->num++;
    return w->num == w->stop_after;
}

static void test_pem_walk(void **state) {
    (void)state;
    char key_path[4200], cert_path[4200], both[4200];
    path_of(key_path, sizeof(key_path), "walk-k.pem");
    path_of(cert_path, sizeof(cert_path), "walk-c.pem");
    path_of(both, sizeof(both), "walk-both.pem");
    PL_ASSERT_OK(padlock_key_write_file(g_key, key_path, PADLOCK_WRITE_REPLACE));
    PL_ASSERT_OK(padlock_cert_write_file(g_cert, cert_path, PADLOCK_WRITE_REPLACE));
    assert_int_equal(
        pl_test_sh("(echo 'a comment'; cat %s %s %s) >%s", cert_path, key_path, cert_path, both),
        0);
    walk w = {.stop_after = 0};
    size_t count = 0;
    PL_ASSERT_OK(padlock_pem_read_file(both, on_block, &w, &count));
    assert_int_equal(count, 3);
    assert_int_equal(w.num, 3);
    assert_string_equal(w.labels[0], "CERTIFICATE");
    assert_string_equal(w.labels[1], "PRIVATE KEY");
    assert_string_equal(w.labels[2], "CERTIFICATE");
    /* The callback stops the walk. */
    walk stop = {.stop_after = 2};
    PL_ASSERT_OK(padlock_pem_read_file(both, on_block, &stop, &count));
    assert_int_equal(count, 2);
    /* A DER file is one object without a label. */
    char der_path[4200];
    path_of(der_path, sizeof(der_path), "walk.der");
    assert_int_equal(pl_test_sh("openssl x509 -in %s -outform DER -out %s", cert_path, der_path),
                     0);
    walk d = {.stop_after = 0};
    PL_ASSERT_OK(padlock_pem_read_file(der_path, on_block, &d, &count));
    assert_int_equal(count, 1);
    assert_string_equal(d.labels[0], "(DER)");
    /* A malformed second block: the first was handed over. */
    char bad[4200];
    path_of(bad, sizeof(bad), "walk-bad.pem");
    assert_int_equal(pl_test_sh("(cat %s; printf -- '-----BEGIN X-----\\nA*A=\\n-----END "
                                "X-----\\n') >%s",
                                cert_path, bad),
                     0);
    walk b = {.stop_after = 0};
    PL_ASSERT_ERR(padlock_pem_read_file(bad, on_block, &b, &count), PADLOCK_E_PEM);
    assert_int_equal(count, 1);
    char missing[4200];
    PL_ASSERT_ERR(
        padlock_pem_read_file(path_of(missing, sizeof(missing), "absent"), on_block, &b, &count),
        PADLOCK_E_FILE);
    assert_int_equal(count, 0);
}

static void test_key_load_errors(void **state) {
    (void)state;
    char path[4200];
    padlock_key *k = NULL;
    PL_ASSERT_ERR(padlock_key_from_file(path_of(path, sizeof(path), "absent"), &k), PADLOCK_E_FILE);
    char cert_path[4200];
    path_of(cert_path, sizeof(cert_path), "load-c.pem");
    PL_ASSERT_OK(padlock_cert_write_file(g_cert, cert_path, PADLOCK_WRITE_REPLACE));
    PL_ASSERT_ERR(padlock_key_from_file(cert_path, &k), PADLOCK_E_KEY_UNSUPPORTED);
    PL_ASSERT_ERR(padlock_key_from_mem((const uint8_t *)"", 0, &k), PADLOCK_E_BAD_KEY);
    assert_null(k);
    /* Generation takes only the types and sizes padlock signs with. */
    PL_ASSERT_ERR(padlock_key_generate(PADLOCK_KEY_RSA, 1024, &k), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_key_generate(PADLOCK_KEY_EC_P256, 2048, &k), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_key_generate(PADLOCK_KEY_RSA_PSS, 2048, &k), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_ERR(padlock_key_generate(PADLOCK_KEY_UNKNOWN, 0, &k), PADLOCK_E_INVALID_ARGUMENT);
    PL_ASSERT_OK(padlock_key_generate(PADLOCK_KEY_EC_P384, 0, &k));
    assert_int_equal(padlock_key_algorithm(k), PADLOCK_KEY_EC_P384);
    assert_int_equal(padlock_key_bits(k), 384);
    padlock_key_free(k);
    padlock_key_free(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modes_and_round_trip),
        cmocka_unit_test(test_no_overwrite_no_links),
        cmocka_unit_test(test_pem_walk),
        cmocka_unit_test(test_key_load_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
