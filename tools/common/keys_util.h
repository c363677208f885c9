/* Internal to tools/common: message formatting and file reading shared by the key files. */
#ifndef BLEOTA_TOOLS_KEYS_UTIL_H
#define BLEOTA_TOOLS_KEYS_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "mbedtls/ecp.h"

/* printf into msg (if any) and return err, so failures read `return keys_fail(...)`. */
int bo_keys_fail(char *msg, size_t msg_size, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Whole file into a malloc'd, NUL-terminated buffer (*len excludes the NUL); caps at 1 MiB. */
int bo_keys_read_file(const char *path, uint8_t **buf, size_t *len, char *msg, size_t msg_size);
/* X||Y from a P-256 keypair's public point; BO_ERR_UNSUPPORTED naming the curve otherwise. */
int bo_keys_export_pub(const mbedtls_ecp_keypair *kp, uint8_t pub[64], char *msg, size_t msg_size);

#endif
