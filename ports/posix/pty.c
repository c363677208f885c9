/* The simulated UART: a raw pseudo-terminal with a symlinked slave (see pty.h). */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include "bleota/posix/pty.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

/* 8-N-1, no echo, no canonical mode, no translation: bytes in, bytes out. */
static int make_raw(int fd)
{
    struct termios t;
    if (tcgetattr(fd, &t) != 0) {
        return BO_ERR_IO;
    }
    t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_oflag &= ~(tcflag_t)OPOST;
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    t.c_cflag |= CS8 | CLOCAL | CREAD;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    cfsetispeed(&t, B115200);
    cfsetospeed(&t, B115200);
    return tcsetattr(fd, TCSANOW, &t) == 0 ? BO_OK : BO_ERR_IO;
}

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0 ? BO_OK : BO_ERR_IO;
}

int bo_pty_open(bo_pty_t *pty, const char *link_path)
{
    memset(pty, 0, sizeof *pty);
    pty->master = pty->slave_keep = -1;
    if (link_path == NULL || strlen(link_path) >= sizeof pty->link) {
        return BO_ERR_ARG;
    }
    pty->master = posix_openpt(O_RDWR | O_NOCTTY);
    if (pty->master < 0 || grantpt(pty->master) != 0 || unlockpt(pty->master) != 0) {
        goto fail;
    }
    const char *name = ptsname(pty->master);
    if (name == NULL || strlen(name) >= sizeof pty->slave_name) {
        goto fail;
    }
    strcpy(pty->slave_name, name);
    pty->slave_keep = open(pty->slave_name, O_RDWR | O_NOCTTY);
    if (pty->slave_keep < 0 || make_raw(pty->slave_keep) != BO_OK ||
        set_nonblock(pty->master) != BO_OK) {
        goto fail;
    }
    struct stat st;
    if (lstat(link_path, &st) == 0) {
        if (!S_ISLNK(st.st_mode)) {
            errno = EEXIST; /* never replace a real file */
            goto fail;
        }
        unlink(link_path); /* a stale link from an earlier run */
    }
    if (symlink(pty->slave_name, link_path) != 0) {
        goto fail;
    }
    strcpy(pty->link, link_path);
    return BO_OK;
fail:;
    int e = errno;
    bo_pty_close(pty);
    errno = e;
    return BO_ERR_IO;
}

void bo_pty_close(bo_pty_t *pty)
{
    if (pty->link[0] != '\0') {
        unlink(pty->link);
        pty->link[0] = '\0';
    }
    if (pty->slave_keep >= 0) {
        close(pty->slave_keep);
    }
    if (pty->master >= 0) {
        close(pty->master);
    }
    pty->master = pty->slave_keep = -1;
}

int bo_serial_open(const char *path)
{
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        return BO_ERR_IO;
    }
    if (isatty(fd) && make_raw(fd) != BO_OK) {
        int e = errno;
        close(fd);
        errno = e;
        return BO_ERR_IO;
    }
    return fd;
}
