/* Writing a BLE OTA file (16-byte header + payload, AES-128-CBC with PKCS#7 padding when a key
 * is given): shared by `image ota` (a signed image) and `image delta` (a patch). */
#ifndef BO_IMAGE_OTA_WRITE_H
#define BO_IMAGE_OTA_WRITE_H

#include <stddef.h>
#include <stdint.h>

/* Writes out atomically. Without a key a payload that is not a whole number of 16-byte blocks
 * is padded with zeros. *file_len and *checksum (may be NULL) say what was written. 0, or
 * BO_EXIT_USAGE after a one-line error under `what`. */
int bo_ota_file_write(const char *what, const uint8_t *payload, size_t len, uint32_t version,
                      uint32_t id, const uint8_t *key, const uint8_t *iv, const char *out,
                      size_t *file_len, uint16_t *checksum);

#endif
