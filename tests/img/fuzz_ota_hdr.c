/* Fuzz target: arbitrary bytes as an OTA file header (and, past 16 bytes, a payload to sum).
 * Properties: the parser never reads past 16 bytes, returns only OK or FORMAT, an accepted header
 * builds back to the same 16 bytes, and the checksum it calls for always zeroes the file sum. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/img.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < BO_OTA_HDR_SIZE) {
        return 0;
    }
    uint8_t hdr[BO_OTA_HDR_SIZE]; /* an exact-size copy so ASan sees any over-read */
    memcpy(hdr, data, sizeof hdr);
    bo_ota_hdr_t h;
    int rc = bo_ota_hdr_parse(hdr, &h);
    if (rc != BO_OK && rc != BO_ERR_FORMAT) {
        abort();
    }
    if (rc == BO_OK) {
        uint8_t back[BO_OTA_HDR_SIZE];
        bo_ota_hdr_build(&h, back);
        if (memcmp(back, hdr, sizeof hdr) != 0) {
            abort();
        }
    }
    /* Checksum property over header (field zeroed) + the rest of the input as payload. */
    hdr[2] = 0;
    hdr[3] = 0;
    uint16_t s =
        bo_sum16(bo_sum16(0, hdr, sizeof hdr), data + BO_OTA_HDR_SIZE, size - BO_OTA_HDR_SIZE);
    if ((uint16_t)(s + bo_ota_checksum_for(s)) != 0) {
        abort();
    }
    return 0;
}
