/* bleota crc32: CRC-32 (IEEE 802.3, reflected, init and final xor 0xFFFFFFFF), bitwise: the
 * resume log protects 76-byte entries, which does not justify a 1 KiB table. */
#ifndef BLEOTA_CRC32_H
#define BLEOTA_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32 of len bytes ("123456789" gives 0xCBF43926). */
uint32_t bo_crc32(const uint8_t *p, size_t len);

#endif
