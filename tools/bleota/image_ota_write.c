/* Writing a BLE OTA file (see image_ota_write.h). */
#include "image_ota_write.h"

#include <stdlib.h>
#include <string.h>

#include "bleota/crypto.h"
#include "bleota/img.h"
#include "bo_fileio.h"
#include "cli.h"

int bo_ota_file_write(const char *what, const uint8_t *payload, size_t len, uint32_t version,
                      uint32_t id, const uint8_t *key, const uint8_t *iv, const char *out,
                      size_t *file_len, uint16_t *checksum)
{
    /* PKCS#7 always adds 1..16 bytes (a whole block to an aligned payload), as Microchip's tool */
    size_t plen = key != NULL ? (len / BO_AES_BLOCK + 1u) * BO_AES_BLOCK
                              : (len + BO_AES_BLOCK - 1u) / BO_AES_BLOCK * BO_AES_BLOCK;
    if (bo_img_check_payload_size((uint32_t)plen) != BO_OK) {
        return bo_cli_err(what, "payload of %zu bytes is too large for a BLE OTA file (at most %u)",
                          plen, BO_IMG_MAX_PAYLOAD);
    }
    uint8_t *file = calloc(1, BO_OTA_HDR_SIZE + plen);
    if (file == NULL) {
        return bo_cli_err(what, "out of memory");
    }
    uint8_t *p = file + BO_OTA_HDR_SIZE;
    memcpy(p, payload, len);
    if (key != NULL) {
        memset(p + len, (int)(plen - len), plen - len);
        bo_aes_cbc_t aes;
        bo_aes_cbc_init(&aes, key, iv, 0);
        bo_aes_cbc_update(&aes, p, p, plen);
        bo_aes_cbc_free(&aes);
    }
    bo_ota_hdr_t h = {BO_OTA_HDR_VER_BZ2, key != NULL ? BO_OTA_ENC_AES_CBC : BO_OTA_ENC_NONE, 0, id,
                      version, BO_OTA_FILE_BLE};
    bo_ota_hdr_build(&h, file);
    h.checksum = bo_ota_checksum_for(bo_sum16(0, file, BO_OTA_HDR_SIZE + plen));
    bo_ota_hdr_build(&h, file);
    char err[BO_ERRMSG_MAX];
    int rc = bo_file_write_atomic(out, file, BO_OTA_HDR_SIZE + plen, 0u, err);
    free(file);
    if (rc != 0) {
        return bo_cli_err(out, "%s", err);
    }
    if (file_len != NULL) {
        *file_len = BO_OTA_HDR_SIZE + plen;
    }
    if (checksum != NULL) {
        *checksum = h.checksum;
    }
    return 0;
}
