/* Host-only file helpers (see bo_fileio.h). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include "bo_fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

int bo_file_tmp_name(const char *path, char *out, size_t out_size)
{
    int n = snprintf(out, out_size, "%s.tmp", path);
    return (n < 0 || (size_t)n >= out_size) ? -1 : 0;
}

int bo_file_write_atomic(const char *path, const void *data, size_t len, char err[BO_ERRMSG_MAX])
{
    char tmp[4096];
    if (bo_file_tmp_name(path, tmp, sizeof tmp) != 0) {
        snprintf(err, BO_ERRMSG_MAX, "path too long");
        return -1;
    }
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) {
        snprintf(err, BO_ERRMSG_MAX, "cannot create: %s", strerror(errno));
        return -1;
    }
    int ok = fwrite(data, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        remove(tmp);
        snprintf(err, BO_ERRMSG_MAX, "write error");
        return -1;
    }
    if (rename(tmp, path) != 0) {
        snprintf(err, BO_ERRMSG_MAX, "cannot rename into place: %s", strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}
