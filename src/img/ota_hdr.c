/* The 16-byte BLE OTAU file header and its 16-bit byte-sum checksum (reference §3.2-§3.3). */
#include "bleota/endian.h"
#include "bleota/img.h"

int bo_ota_hdr_parse(const uint8_t in[BO_OTA_HDR_SIZE], bo_ota_hdr_t *out)
{
    if (in == NULL || out == NULL) {
        return BO_ERR_ARG;
    }
    /* Only the BZ2 BLE file is in scope: combo files put a Zigbee header before the payload. */
    if (in[0] != BO_OTA_HDR_VER_BZ2 || in[1] > BO_OTA_ENC_AES_CBC || in[12] != BO_OTA_FILE_BLE ||
        in[13] != 0u || in[14] != 0u || in[15] != 0u) {
        return BO_ERR_FORMAT;
    }
    out->header_ver = in[0];
    out->enc = in[1];
    out->checksum = bo_get_le16(&in[2]);
    out->image_id = bo_get_le32(&in[4]);
    out->version = bo_get_le32(&in[8]);
    out->file_type = in[12];
    return BO_OK;
}

void bo_ota_hdr_build(const bo_ota_hdr_t *hdr, uint8_t out[BO_OTA_HDR_SIZE])
{
    out[0] = hdr->header_ver;
    out[1] = hdr->enc;
    bo_put_le16(&out[2], hdr->checksum);
    bo_put_le32(&out[4], hdr->image_id);
    bo_put_le32(&out[8], hdr->version);
    out[12] = hdr->file_type;
    out[13] = 0u;
    out[14] = 0u;
    out[15] = 0u;
}

uint16_t bo_sum16(uint16_t sum, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        sum = (uint16_t)(sum + data[i]);
    }
    return sum;
}

/* Microchip's tool computes 0x10000 - S and would fail for S == 0; modulo 2^16 the right
 * answer there is simply 0, so no input is impossible. */
uint16_t bo_ota_checksum_for(uint16_t sum)
{
    return (uint16_t)(0x10000u - sum);
}
