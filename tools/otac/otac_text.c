/* otac: messages and the CRC of the Update Request. */
#include "otac.h"

const char *bo_otac_result_str(bo_otac_result_t r)
{
    switch (r) {
    case BO_OTAC_RUNNING:
        return "still running";
    case BO_OTAC_OK:
        return "done";
    case BO_OTAC_ERR_LINK:
        return "link lost";
    case BO_OTAC_ERR_TIMEOUT:
        return "no answer from the device in time";
    case BO_OTAC_ERR_PROTOCOL:
        return "the device sent something unexpected (protocol error)";
    case BO_OTAC_ERR_NOT_FOUND:
        return "the device has no such service (OTA service/DIS not found)";
    case BO_OTAC_ERR_ATT:
        return "the device refused an ATT request";
    case BO_OTAC_ERR_REJECTED:
        return "update rejected by the device";
    case BO_OTAC_ERR_START:
        return "the device could not start the update";
    case BO_OTAC_ERR_TRANSFER:
        return "the transfer failed on the device";
    case BO_OTAC_ERR_INVALID:
        return "the device found the image invalid";
    }
    return "unknown result";
}

const char *bo_otac_code_str(int code)
{
    switch (code) {
    case 0x00:
        return "success";
    case 0x01:
        return "invalid state";
    case 0x02:
        return "not supported (or refused: version, application, keys)";
    case 0x03:
        return "operation failed (bad data, flash or validation)";
    case 0x04:
        return "invalid parameter (size 0, not a multiple of 16, or too big)";
    case 0x05:
        return "unspecified error (e.g. the device timed out)";
    default:
        return "unknown code";
    }
}

uint16_t bo_otac_crc16(const uint8_t *data, uint32_t len)
{
    uint16_t crc = 0xFFFFu;
    uint32_t i;
    int b;
    for (i = 0; i < len; i++) {
        crc ^= (uint16_t)(data[i] << 8);
        for (b = 0; b < 8; b++)
            crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
    }
    return crc;
}
