/* TCP sockets on 127.0.0.1 for tests that play a peer themselves or need a port: a listener on
 * a port the kernel chooses, and a connection to a port. Failures that should not happen fail
 * the test (cmocka). */
#ifndef PL_TEST_LOOPBACK_H
#define PL_TEST_LOOPBACK_H

/* A TCP socket bound to 127.0.0.1 on a port the kernel chooses (*out_port), listening with
 * backlog when backlog > 0 (0: bound only, e.g. to learn a port that is free right now). The
 * caller closes it. */
int pl_test_loopback_listen(int backlog, int *out_port);

/* A TCP socket connected to 127.0.0.1 port, with send and receive timeouts of timeout_s
 * seconds when timeout_s > 0. Returns -1 (errno set, nothing left open) when the connection
 * is refused. The caller closes it. */
int pl_test_loopback_connect(int port, int timeout_s);

#endif
