/* Host-only file helpers for the tools: whole-file reads with a size cap, and writes that
 * never leave a partial output behind (an exclusive temporary file, then rename). Errors come
 * back as a short English problem text in err (for "bleota: <what>: <problem>"). */
#ifndef BO_FILEIO_H
#define BO_FILEIO_H

#include <stddef.h>
#include <stdint.h>

#define BO_ERRMSG_MAX 160

/* Reads all of path into a malloc'd buffer (*data, free() it) of *len bytes. Fails (returns
 * -1, err set) when the file cannot be opened or read, is a directory, or exceeds max bytes. */
int bo_file_read(const char *path, size_t max, uint8_t **data, size_t *len,
                 char err[BO_ERRMSG_MAX]);

#define BO_FILE_PRIVATE 0x1u   /* mode 0600 (keys); otherwise 0666 less the umask */
#define BO_FILE_NOREPLACE 0x2u /* fail if path exists, even as a dangling symlink */
#define BO_FILE_EXISTS (-2)    /* bo_file_write_atomic with BO_FILE_NOREPLACE: path exists */

/* Writes len bytes to path: a new file "<path>.XXXXXX" made by mkstemp (O_EXCL: a symlink or
 * file planted at any name is never opened), fsync'd, then renamed onto path (a symlink at
 * path is replaced, not followed) or, with BO_FILE_NOREPLACE, linked there only if nothing is.
 * On any failure the temporary file is removed, an existing path is left as it was, and -1
 * (or BO_FILE_EXISTS) is returned with err set. */
int bo_file_write_atomic(const char *path, const void *data, size_t len, unsigned flags,
                         char err[BO_ERRMSG_MAX]);

#endif
