/* The posix link (ports/posix/link_unix.c): Unix-socket listener and connector, TCP connector,
 * framed send, receive with timeouts, peer close, bad specs. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>
#include "bleota/att.h"
#include "bleota/posix/link.h"

/* Receives until one whole frame is in; returns its length. */
static int recv_frame(int fd, bo_link_rx_t *rx)
{
    uint8_t b[64];
    int i;
    for (i = 0; i < 50; i++) {
        uint32_t used, off = 0;
        int n = bo_link_recv(fd, b, sizeof b, 100);
        assert_true(n >= 0);
        while (off < (uint32_t)n) {
            int f = bo_link_rx_push(rx, &b[off], (uint32_t)n - off, &used);
            off += used;
            if (f != 0)
                return f;
        }
    }
    return 0;
}

static void exchange(int a, int b)
{
    static bo_link_rx_t rx;
    uint8_t pdu[3] = {BO_ATT_OP_MTU_REQ, 0xF7, 0x00}, big[BO_LINK_FRAME_MAX];
    memset(big, 0xA5, sizeof big);
    bo_link_rx_init(&rx);
    assert_int_equal(bo_link_send(a, pdu, 3), BO_OK);
    assert_int_equal(recv_frame(b, &rx), 3);
    assert_memory_equal(rx.buf, pdu, 3);
    assert_int_equal(bo_link_send(b, big, sizeof big), BO_OK);
    bo_link_rx_init(&rx);
    assert_int_equal(recv_frame(a, &rx), BO_LINK_FRAME_MAX);
    assert_memory_equal(rx.buf, big, sizeof big);
    assert_int_equal(bo_link_send(a, pdu, 0), BO_ERR_RANGE);
    assert_int_equal(bo_link_send(a, big, BO_LINK_FRAME_MAX + 1), BO_ERR_RANGE);
}

static void att_link_unix_socket_carries_frames_both_ways(void **state)
{
    char path[64];
    uint8_t b[8];
    int l, c, s;
    snprintf(path, sizeof path, "/tmp/bo_link_test.%d.sock", (int)getpid());
    l = bo_link_listen_unix(path);
    assert_true(l >= 0);
    assert_int_equal(bo_link_accept(l), BO_ERR_BUSY); /* nobody yet */
    c = bo_link_connect(path, 1000);                  /* a bare path works too */
    assert_true(c >= 0);
    bo_link_close(c);
    bo_link_close(l);
    l = bo_link_listen_unix(path); /* the stale socket file is replaced */
    assert_true(l >= 0);
    {
        char spec[80];
        snprintf(spec, sizeof spec, "sim:%s", path);
        c = bo_link_connect(spec, 1000);
    }
    assert_true(c >= 0);
    s = -1;
    for (int i = 0; i < 50 && s < 0; i++) {
        s = bo_link_accept(l);
        if (s == BO_ERR_BUSY)
            usleep(10000);
    }
    assert_true(s >= 0);
    exchange(c, s);
    assert_int_equal(bo_link_recv(s, b, sizeof b, 0), 0); /* nothing there: no wait */
    bo_link_close(c);
    assert_int_equal(bo_link_recv(s, b, sizeof b, 500), BO_ERR_IO); /* peer closed */
    bo_link_close(s);
    bo_link_close(l);
    unlink(path);
}

static void att_link_tcp_connector_reaches_a_listener(void **state)
{
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    char spec[64];
    int l = socket(AF_INET, SOCK_STREAM, 0), c, s;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(l, 1), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&a, &al), 0);
    snprintf(spec, sizeof spec, "tcp:127.0.0.1:%u", (unsigned)ntohs(a.sin_port));
    c = bo_link_connect(spec, 1000);
    assert_true(c >= 0);
    s = accept(l, NULL, NULL);
    assert_true(s >= 0);
    exchange(c, s);
    bo_link_close(c);
    bo_link_close(s);
    bo_link_close(l);
}

static void att_link_connect_refuses_bad_specs_and_times_out_on_absent_devices(void **state)
{
    uint32_t t0;
    assert_int_equal(bo_link_connect("", 100), BO_ERR_ARG);
    assert_int_equal(bo_link_connect("tcp:nohostport", 100), BO_ERR_ARG);
    assert_int_equal(bo_link_connect("tcp:127.0.0.1:", 100), BO_ERR_ARG);
    t0 = bo_link_now_ms();
    assert_int_equal(bo_link_connect("sim:/tmp/bo_link_test_absent.sock", 200), BO_ERR_TIMEOUT);
    assert_true(bo_link_now_ms() - t0 >= 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(att_link_unix_socket_carries_frames_both_ways),
        cmocka_unit_test(att_link_tcp_connector_reaches_a_listener),
        cmocka_unit_test(att_link_connect_refuses_bad_specs_and_times_out_on_absent_devices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
