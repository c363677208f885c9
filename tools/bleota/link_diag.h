/* Why `update` / `info` could not connect to a link (sim:PATH, unix:PATH, PATH or
 * tcp:HOST:PORT): one probe after bo_link_connect gave up, turned into the OS error and its
 * likely cause, for the one-line error. */
#ifndef BO_LINK_DIAG_H
#define BO_LINK_DIAG_H

#include <stddef.h>

/* Fills why with "<OS error>: <likely cause and fix>". Returns 1 when the spec itself is at fault
 * (a path too long for a socket, a TCP spec without a port, a host that does not resolve), 0
 * otherwise. */
int bo_link_diagnose(const char *spec, char *why, size_t why_size);

#endif
