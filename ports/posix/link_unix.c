/* bleota posix port: Unix-socket and TCP links carrying the ATT framing. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "bleota/att.h"
#include "bleota/posix/link.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

uint32_t bo_link_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

static int nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return BO_ERR_IO;
    return BO_OK;
}

static int unix_addr(const char *path, struct sockaddr_un *a)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    if (path == NULL || path[0] == '\0' || strlen(path) >= sizeof a->sun_path)
        return BO_ERR_ARG;
    memcpy(a->sun_path, path, strlen(path) + 1);
    return BO_OK;
}

int bo_link_listen_unix(const char *path)
{
    struct sockaddr_un a;
    struct stat st;
    int fd;
    if (unix_addr(path, &a) != BO_OK)
        return BO_ERR_ARG;
    if (stat(path, &st) == 0 && S_ISSOCK(st.st_mode))
        unlink(path); /* left behind by a device that was killed */
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return BO_ERR_IO;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 2) != 0 ||
        nonblock(fd) != BO_OK) {
        close(fd);
        return BO_ERR_IO;
    }
    return fd;
}

int bo_link_accept(int listen_fd)
{
    int fd = accept(listen_fd, NULL, NULL);
    if (fd < 0)
        return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? BO_ERR_BUSY
                                                                           : BO_ERR_IO;
    if (nonblock(fd) != BO_OK) {
        close(fd);
        return BO_ERR_IO;
    }
    return fd;
}

static int connect_unix(const char *path)
{
    struct sockaddr_un a;
    int fd;
    if (unix_addr(path, &a) != BO_OK)
        return BO_ERR_ARG;
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return BO_ERR_IO;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        int e = errno;
        close(fd);
        return (e == ENOENT || e == ECONNREFUSED || e == EAGAIN) ? BO_ERR_BUSY : BO_ERR_IO;
    }
    return fd;
}

static int connect_tcp(const char *hostport)
{
    char host[256];
    const char *colon = strrchr(hostport, ':');
    struct addrinfo hints, *res = NULL, *ai;
    int fd = BO_ERR_BUSY, one = 1;
    if (colon == NULL || colon == hostport || (size_t)(colon - hostport) >= sizeof host ||
        colon[1] == '\0')
        return BO_ERR_ARG;
    memcpy(host, hostport, (size_t)(colon - hostport));
    host[colon - hostport] = '\0';
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, colon + 1, &hints, &res) != 0)
        return BO_ERR_ARG;
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        int s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (s < 0)
            continue;
        if (connect(s, ai->ai_addr, ai->ai_addrlen) == 0) {
            setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* small PDUs */
            fd = s;
            break;
        }
        fd = (errno == ECONNREFUSED) ? BO_ERR_BUSY : BO_ERR_IO;
        close(s);
    }
    freeaddrinfo(res);
    return fd;
}

int bo_link_connect(const char *spec, uint32_t timeout_ms)
{
    uint32_t t0 = bo_link_now_ms();
    int fd;
    if (spec == NULL || spec[0] == '\0')
        return BO_ERR_ARG;
    for (;;) {
        if (strncmp(spec, "tcp:", 4) == 0)
            fd = connect_tcp(spec + 4);
        else if (strncmp(spec, "sim:", 4) == 0 || strncmp(spec, "unix:", 5) == 0)
            fd = connect_unix(strchr(spec, ':') + 1);
        else
            fd = connect_unix(spec);
        if (fd != BO_ERR_BUSY)
            break;
        if (bo_link_now_ms() - t0 >= timeout_ms)
            return BO_ERR_TIMEOUT;
        {
            struct timespec ts = {0, 20000000};
            nanosleep(&ts, NULL);
        }
    }
    if (fd >= 0 && nonblock(fd) != BO_OK) {
        close(fd);
        return BO_ERR_IO;
    }
    return fd;
}

/* Gives up when the peer reads nothing for this long: a stuck peer must not hang us. */
#define SEND_STALL_MS 3000

static int send_all(int fd, const uint8_t *p, size_t n)
{
    uint32_t t0 = bo_link_now_ms();
    while (n > 0) {
        if (bo_link_now_ms() - t0 > SEND_STALL_MS)
            return BO_ERR_IO;
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == ENOTSOCK)
            w = write(fd, p, n);
        if (w > 0) {
            t0 = bo_link_now_ms();
            p += w;
            n -= (size_t)w;
        } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            struct pollfd pf = {fd, POLLOUT, 0};
            if (poll(&pf, 1, 100) < 0 && errno != EINTR)
                return BO_ERR_IO;
            if (pf.revents & (POLLERR | POLLHUP))
                return BO_ERR_IO;
        } else {
            return BO_ERR_IO;
        }
    }
    return BO_OK;
}

int bo_link_send(int fd, const uint8_t *pdu, uint16_t len)
{
    uint8_t frame[BO_LINK_HDR_SIZE + BO_LINK_FRAME_MAX];
    /* the header by hand: the port links no core module (att.h only gives the sizes) */
    if (len == 0 || len > BO_LINK_FRAME_MAX || pdu == NULL)
        return BO_ERR_RANGE;
    frame[0] = (uint8_t)len;
    frame[1] = (uint8_t)(len >> 8);
    memcpy(&frame[BO_LINK_HDR_SIZE], pdu, len);
    return send_all(fd, frame, BO_LINK_HDR_SIZE + (size_t)len);
}

int bo_link_recv(int fd, uint8_t *buf, size_t cap, int timeout_ms)
{
    struct pollfd pf = {fd, POLLIN, 0};
    ssize_t n;
    int rc = poll(&pf, 1, timeout_ms);
    if (rc < 0)
        return errno == EINTR ? 0 : BO_ERR_IO;
    if (rc == 0)
        return 0;
    n = read(fd, buf, cap);
    if (n > 0)
        return (int)n;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return 0;
    return BO_ERR_IO; /* 0 = orderly close */
}

void bo_link_close(int fd)
{
    if (fd >= 0)
        close(fd);
}
