/* Host-only file helpers for the tools: whole-file reads with a size cap, and writes that
 * never leave a partial output behind (OUT.tmp, then rename). Errors come back as a short
 * English problem text in err (for "bleota: <what>: <problem>"). */
#ifndef BO_FILEIO_H
#define BO_FILEIO_H

#include <stddef.h>
#include <stdint.h>

#define BO_ERRMSG_MAX 160

/* Reads all of path into a malloc'd buffer (*data, free() it) of *len bytes. Fails (returns
 * -1, err set) when the file cannot be opened or read, is a directory, or exceeds max bytes. */
int bo_file_read(const char *path, size_t max, uint8_t **data, size_t *len,
                 char err[BO_ERRMSG_MAX]);

/* Writes len bytes to path via path.tmp + rename. On any failure the temporary file is removed,
 * an existing path is left as it was, and -1 is returned with err set. */
int bo_file_write_atomic(const char *path, const void *data, size_t len, char err[BO_ERRMSG_MAX]);

/* The temporary name bo_file_write_atomic uses ("<path>.tmp"); -1 if it does not fit. */
int bo_file_tmp_name(const char *path, char *out, size_t out_size);

#endif
