/* bleota posix port: a pseudo-terminal that stands in for the device's UART.
 *
 * The device owns the master side; the slave side gets a stable name through a symlink, so a
 * host tool opens "PATH" as it would open /dev/ttyUSB0. The device keeps its own descriptor on
 * the slave open, so the host can close and reopen PATH without the master seeing a hang-up.
 * Both sides are in raw mode (no echo, no line editing, 8-bit clean). */
#ifndef BLEOTA_POSIX_PTY_H
#define BLEOTA_POSIX_PTY_H

#include "bleota/err.h"

typedef struct bo_pty {
    int master;          /* non-blocking; read/write the device's side of the line here */
    int slave_keep;      /* held open by the device, never used for I/O */
    char link[256];      /* the symlink created, "" if none */
    char slave_name[64]; /* /dev/pts/N */
} bo_pty_t;

/* Creates the pty and the symlink link_path -> /dev/pts/N (an existing symlink at link_path
 * is replaced; a regular file there is an error, EEXIST). BO_OK, BO_ERR_ARG (path too long),
 * or BO_ERR_IO (errno kept). */
int bo_pty_open(bo_pty_t *pty, const char *link_path);
/* Closes both sides and removes the symlink. */
void bo_pty_close(bo_pty_t *pty);

/* Host side: opens a serial device (or a bo_pty link) read/write, raw, non-blocking.
 * Returns the descriptor, or BO_ERR_IO (errno kept). */
int bo_serial_open(const char *path);

#endif
