/* bleota posix port: byte-stream links that carry bleota's ATT framing (docs/link.md).
 * Device side: a Unix-socket listener (one connection at a time). Client side: a connector for
 * "sim:PATH" / "unix:PATH" (Unix socket) and "tcp:HOST:PORT" (e.g. QEMU's UART as a TCP
 * server). All descriptors are plain fds, non-blocking except where said. */
#ifndef BLEOTA_POSIX_LINK_H
#define BLEOTA_POSIX_LINK_H

#include <stddef.h>
#include <stdint.h>
#include "bleota/err.h"

/* Creates a listening Unix socket at path (a stale socket file there is removed first).
 * Returns the fd (non-blocking), or BO_ERR_ARG (path too long) / BO_ERR_IO. */
int bo_link_listen_unix(const char *path);
/* Accepts one pending connection. Returns the fd (non-blocking), BO_ERR_BUSY when none is
 * pending, or BO_ERR_IO. */
int bo_link_accept(int listen_fd);
/* Connects to a link spec: "sim:PATH", "unix:PATH", a plain path, or "tcp:HOST:PORT".
 * Retries refused/absent endpoints until timeout_ms (a device may still be starting).
 * Returns the fd (non-blocking), BO_ERR_ARG for a bad spec, BO_ERR_TIMEOUT or BO_ERR_IO. */
int bo_link_connect(const char *spec, uint32_t timeout_ms);
/* Sends one frame (2-byte LE length + pdu), waiting while the socket is full (at most 3 s
 * without progress). BO_OK, BO_ERR_RANGE for a bad length, BO_ERR_IO when the peer is gone
 * or stuck. */
int bo_link_send(int fd, const uint8_t *pdu, uint16_t len);
/* Reads what is there, waiting up to timeout_ms (-1: forever, 0: not at all). Returns the
 * byte count (> 0), 0 when nothing arrived in time, BO_ERR_IO when the peer closed or failed. */
int bo_link_recv(int fd, uint8_t *buf, size_t cap, int timeout_ms);
/* Closes fd (ignores -1). */
void bo_link_close(int fd);
/* Monotonic milliseconds (CLOCK_MONOTONIC), for clients of this port. */
uint32_t bo_link_now_ms(void);

#endif
