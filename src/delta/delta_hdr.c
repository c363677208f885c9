/* The patch header: what it must hold before a decoder looks at a block. */
#include <string.h>

#include "bleota/crc32.h"
#include "bleota/delta.h"
#include "bleota/endian.h"

bool bo_delta_is_patch(const uint8_t *data, size_t len)
{
    return data != NULL && len >= 4u && memcmp(data, BO_DELTA_MAGIC, 4u) == 0;
}

int bo_delta_hdr_parse(const uint8_t in[BO_DELTA_HDR_SIZE], bo_delta_hdr_t *out)
{
    if (in == NULL || out == NULL) {
        return BO_ERR_ARG;
    }
    if (!bo_delta_is_patch(in, BO_DELTA_HDR_SIZE) || in[BO_DELTA_OFF_VERSION] != BO_DELTA_VERSION ||
        in[BO_DELTA_OFF_FLAGS] != 0u ||
        bo_get_le32(in + BO_DELTA_OFF_CRC) != bo_crc32(in, BO_DELTA_OFF_CRC)) {
        return BO_ERR_FORMAT;
    }
    out->target_len = bo_get_le32(in + BO_DELTA_OFF_TARGET_LEN);
    out->base_len = bo_get_le32(in + BO_DELTA_OFF_BASE_LEN);
    memcpy(out->base_id, in + BO_DELTA_OFF_BASE_ID, sizeof out->base_id);
    out->target_rev = bo_get_le32(in + BO_DELTA_OFF_TARGET_REV);
    out->patch_len = bo_get_le32(in + BO_DELTA_OFF_PATCH_LEN);
    if (out->target_len == 0u || out->patch_len < BO_DELTA_HDR_SIZE + BO_DELTA_BLOCK_HDR) {
        return BO_ERR_FORMAT;
    }
    return BO_OK;
}

void bo_delta_hdr_build(const bo_delta_hdr_t *h, uint8_t out[BO_DELTA_HDR_SIZE])
{
    memset(out, 0, BO_DELTA_HDR_SIZE);
    memcpy(out, BO_DELTA_MAGIC, 4u);
    out[BO_DELTA_OFF_VERSION] = BO_DELTA_VERSION;
    bo_put_le32(out + BO_DELTA_OFF_TARGET_LEN, h->target_len);
    bo_put_le32(out + BO_DELTA_OFF_BASE_LEN, h->base_len);
    memcpy(out + BO_DELTA_OFF_BASE_ID, h->base_id, sizeof h->base_id);
    bo_put_le32(out + BO_DELTA_OFF_TARGET_REV, h->target_rev);
    bo_put_le32(out + BO_DELTA_OFF_PATCH_LEN, h->patch_len);
    bo_put_le32(out + BO_DELTA_OFF_CRC, bo_crc32(out, BO_DELTA_OFF_CRC));
}
