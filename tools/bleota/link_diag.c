/* Connection diagnosis for the link commands (see link_diag.h). */
#define _POSIX_C_SOURCE 200809L
#include "link_diag.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define PROBE_MS 1000 /* a TCP probe must not add a long hang to a failure */

/* connect() once on a fresh socket, waiting at most PROBE_MS; 0 or the errno. */
static int probe(const struct sockaddr *addr, socklen_t addr_len, int family)
{
    int fd = socket(family, SOCK_STREAM, 0), e = 0;
    socklen_t e_len = sizeof e;
    if (fd < 0) {
        return errno;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (connect(fd, addr, addr_len) != 0) {
        e = errno;
        if (e == EINPROGRESS) {
            struct pollfd pf = {fd, POLLOUT, 0};
            e = poll(&pf, 1, PROBE_MS) == 1 ? 0 : ETIMEDOUT;
            if (e == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &e_len) != 0) {
                e = errno;
            }
        }
    }
    close(fd);
    return e;
}

static int unix_why(const char *path, char *why, size_t n)
{
    struct sockaddr_un a;
    struct stat st;
    if (path[0] == '\0') {
        snprintf(why, n, "no socket path: want sim:PATH (bleota-device --ble PATH)");
        return 1;
    }
    if (strlen(path) >= sizeof a.sun_path) {
        snprintf(why, n,
                 "path too long for a Unix socket (at most %zu bytes): use a shorter path "
                 "for bleota-device --ble",
                 sizeof a.sun_path - 1u);
        return 1;
    }
    if (stat(path, &st) != 0) {
        int e = errno;
        if (e == ENOENT) {
            snprintf(why, n, "%s: no such socket: is bleota-device running with --ble %s?",
                     strerror(e), path);
        } else {
            snprintf(why, n, "%s: check the path and its directories' permissions", strerror(e));
        }
        return 0;
    }
    if (!S_ISSOCK(st.st_mode)) {
        snprintf(why, n, "not a socket: give the path bleota-device was started with (--ble PATH)");
        return 0;
    }
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path, path, strlen(path) + 1u);
    int e = probe((const struct sockaddr *)&a, sizeof a, AF_UNIX);
    if (e == ECONNREFUSED) {
        snprintf(why, n, "%s: a stale socket, nothing listens on it: start bleota-device --ble %s",
                 strerror(e), path);
    } else if (e != 0) {
        snprintf(why, n, "%s: check the socket's permissions and that bleota-device owns it",
                 strerror(e));
    } else {
        snprintf(why, n, "the device did not accept the connection in time: is it busy or stuck?");
    }
    return 0;
}

static void tcp_connect_why(int e, const char *host, const char *port, char *why, size_t n)
{
    if (e == ECONNREFUSED) {
        snprintf(why, n,
                 "%s: nothing listens on %s:%s (is the device or QEMU serving its link "
                 "there?)",
                 strerror(e), host, port);
    } else if (e == ETIMEDOUT) {
        snprintf(why, n, "%s: %s does not answer on port %s (wrong host, or a firewall?)",
                 strerror(e), host, port);
    } else if (e != 0) {
        snprintf(why, n, "%s: check the host %s and the network", strerror(e), host);
    } else {
        snprintf(why, n, "the device did not accept the connection in time: is it busy or stuck?");
    }
}

static int tcp_why(const char *hostport, char *why, size_t n)
{
    char host[256];
    const char *colon = strrchr(hostport, ':');
    struct addrinfo hints, *res = NULL;
    if (colon == NULL || colon == hostport || colon[1] == '\0' ||
        (size_t)(colon - hostport) >= sizeof host) {
        snprintf(why, n, "want tcp:HOST:PORT");
        return 1;
    }
    memcpy(host, hostport, (size_t)(colon - hostport));
    host[colon - hostport] = '\0';
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int g = getaddrinfo(host, colon + 1, &hints, &res);
    if (g != 0) {
        snprintf(why, n, "cannot resolve %s port %s: %s: check the host name and port", host,
                 colon + 1, gai_strerror(g));
        return 1;
    }
    int e = probe(res->ai_addr, res->ai_addrlen, res->ai_family);
    freeaddrinfo(res);
    tcp_connect_why(e, host, colon + 1, why, n);
    return 0;
}

int bo_link_diagnose(const char *spec, char *why, size_t why_size)
{
    if (strncmp(spec, "tcp:", 4) == 0) {
        return tcp_why(spec + 4, why, why_size);
    }
    if (strncmp(spec, "sim:", 4) == 0 || strncmp(spec, "unix:", 5) == 0) {
        return unix_why(strchr(spec, ':') + 1, why, why_size);
    }
    return unix_why(spec, why, why_size);
}
