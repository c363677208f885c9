/* The two checksums of PROG_CLUSTER_VERIFY. */
#include "bleota/sdfu.h"

uint32_t bo_sdfu_sum32(uint32_t sum, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        sum += data[i];
    }
    return sum;
}

/* CRC-16/CCITT-FALSE: poly 0x1021, MSB first, no reflection, no final xor. Byte at a time
 * without a table: x is the top byte's index into the 256-entry table, whose entry for 0x1021
 * is x ^ x<<5 ^ x<<12 once x's high nibble has been folded into its low one. */
uint16_t bo_sdfu_crc16(uint16_t crc, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        uint32_t x = (uint32_t)(crc >> 8) ^ data[i];
        x ^= x >> 4;
        crc = (uint16_t)((uint32_t)crc << 8 ^ x << 12 ^ x << 5 ^ x);
    }
    return crc;
}
