/* Host-only file helpers (see bo_fileio.h). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "bo_fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int bo_file_read(const char *path, size_t max, uint8_t **data, size_t *len, char err[BO_ERRMSG_MAX])
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, BO_ERRMSG_MAX, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, BO_ERRMSG_MAX, "is a directory");
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, BO_ERRMSG_MAX, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
        fclose(f);
        snprintf(err, BO_ERRMSG_MAX, "too large (more than %zu bytes)", max);
        return -1;
    }
    /* Read up to one byte more than expected so growth or a pipe past max is still caught. */
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1u : max + 1u, n = 0;
    uint8_t *buf = malloc(cap);
    if (buf == NULL) {
        fclose(f);
        snprintf(err, BO_ERRMSG_MAX, "out of memory");
        return -1;
    }
    while (n < cap) {
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0) {
            break;
        }
        n += r;
    }
    int rd_err = ferror(f);
    fclose(f);
    if (rd_err) {
        free(buf);
        snprintf(err, BO_ERRMSG_MAX, "read error");
        return -1;
    }
    if (n > max || (S_ISREG(st.st_mode) && n == cap)) {
        free(buf);
        if (n > max) {
            snprintf(err, BO_ERRMSG_MAX, "too large (more than %zu bytes)", max);
        } else {
            snprintf(err, BO_ERRMSG_MAX, "changed while being read");
        }
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* tmp onto path unless something is there: link() refuses atomically. File systems without
 * hard links get a check, then rename (racy, but it never writes through a symlink). */
static int place_new(const char *tmp, const char *path)
{
    struct stat st;
    if (link(tmp, path) == 0) {
        unlink(tmp);
        return 0;
    }
    if (errno == EEXIST) {
        return BO_FILE_EXISTS;
    }
    if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS) {
        return -1;
    }
    if (lstat(path, &st) == 0) {
        errno = EEXIST;
        return BO_FILE_EXISTS;
    }
    return rename(tmp, path) == 0 ? 0 : -1;
}

/* So that the rename itself survives a power cut; best effort. */
static void sync_dir(const char *path)
{
    char dir[4096] = ".";
    const char *slash = strrchr(path, '/');
    if (slash != NULL) {
        size_t n = slash == path ? 1u : (size_t)(slash - path);
        if (n >= sizeof dir) {
            return;
        }
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

int bo_file_write_atomic(const char *path, const void *data, size_t len, unsigned flags,
                         char err[BO_ERRMSG_MAX])
{
    char tmp[4096];
    int n = snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        snprintf(err, BO_ERRMSG_MAX, "path too long");
        return -1;
    }
    int fd = mkstemp(tmp); /* 0600, O_EXCL */
    if (fd < 0) {
        snprintf(err, BO_ERRMSG_MAX, "cannot create: %s", strerror(errno));
        return -1;
    }
    int ok = 1;
    if ((flags & BO_FILE_PRIVATE) == 0u) {
        mode_t um = umask(0); /* the umask can only be read by setting it */
        umask(um);
        ok = fchmod(fd, 0666 & ~um) == 0;
    }
    ok = ok && write_all(fd, data, len) == 0 && fsync(fd) == 0;
    int e = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        e = errno;
    }
    if (!ok) {
        unlink(tmp);
        snprintf(err, BO_ERRMSG_MAX, "write error: %s", strerror(e));
        return -1;
    }
    int rc = (flags & BO_FILE_NOREPLACE) != 0u ? place_new(tmp, path)
                                               : (rename(tmp, path) == 0 ? 0 : -1);
    if (rc != 0) {
        e = errno;
        unlink(tmp);
        if (rc == BO_FILE_EXISTS) {
            snprintf(err, BO_ERRMSG_MAX, "already exists");
        } else {
            snprintf(err, BO_ERRMSG_MAX, "cannot rename into place: %s", strerror(e));
        }
        return rc;
    }
    sync_dir(path);
    return 0;
}
