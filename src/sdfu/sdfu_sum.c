/* The two checksums of PROG_CLUSTER_VERIFY. */
#include "bleota/sdfu.h"

uint32_t bo_sdfu_sum32(uint32_t sum, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        sum += data[i];
    }
    return sum;
}

/* CRC-16/CCITT-FALSE: poly 0x1021, MSB first, no reflection, no final xor. Bitwise: the
 * bootloader is size-bound and a cluster is only 4 KiB. */
uint16_t bo_sdfu_crc16(uint16_t crc, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint16_t)(data[i] << 8);
        for (int b = 0; b < 8; b++) {
            crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
        }
    }
    return crc;
}
