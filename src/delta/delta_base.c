/* Is the running image a patch's base? Its identity, SHA-256(metadata digest || firmware
 * digest) as the bootloader computes it (what the image's signatures cover; for an unsigned
 * image, its bytes), is compared with the patch's base id, reading slot 0 in small pieces. One
 * hash of the running image per patch download, before anything is written. */
#include <string.h>

#include "bleota/crypto.h"
#include "bleota/delta.h"
#include "bleota/endian.h"
#include "bleota/img.h"

#define CHUNK 64u

static int rd(const bo_flash_t *f, uint32_t addr, uint8_t *buf, uint32_t len)
{
    int rc = f->read(f->ctx, addr, buf, len);
    return rc == BO_OK ? BO_OK : (rc < 0 && rc >= BO_ERR_REFUSED ? rc : BO_ERR_IO);
}

int bo_delta_base_check(const bo_flash_t *f, uint32_t slot0, const bo_delta_hdr_t *h)
{
    uint8_t buf[CHUNK], d[2u * BO_SHA256_SIZE];
    uint32_t fw_len = 0;
    bo_sha256_t sha;
    if (f == NULL || f->read == NULL || h == NULL) {
        return BO_ERR_ARG;
    }
    /* the metadata digest (bo_md_digest): the signed range, MD_SIG_SZ and MD_SIG as zeros */
    bo_sha256_init(&sha);
    for (uint32_t off = 0; off < BO_MD_SIZE; off += CHUNK) {
        int rc = rd(f, slot0 + off, buf, CHUNK);
        if (rc != BO_OK) {
            return rc;
        }
        if (off <= BO_MD_OFF_FW_LEN && BO_MD_OFF_FW_LEN + 4u <= off + CHUNK) {
            fw_len = bo_get_le32(buf + (BO_MD_OFF_FW_LEN - off));
        }
        for (uint32_t i = 0; i < CHUNK; i++) {
            if (off + i >= BO_MD_OFF_MD_SIG_SZ) {
                buf[i] = 0;
            }
        }
        uint32_t from = off < BO_MD_SIGNED_OFF ? BO_MD_SIGNED_OFF - off : 0u;
        if (from < CHUNK) {
            bo_sha256_update(&sha, buf + from, CHUNK - from);
        }
    }
    bo_sha256_final(&sha, d);
    if (fw_len > BO_IMG_FW_MAX || BO_MD_SIZE + fw_len != h->base_len) {
        return BO_ERR_NOTFOUND; /* another image runs: the patch cannot rebuild its target */
    }
    bo_sha256_init(&sha);
    for (uint32_t off = 0; off < fw_len; off += CHUNK) {
        uint32_t n = fw_len - off < CHUNK ? fw_len - off : CHUNK;
        int rc = rd(f, slot0 + BO_MD_SIZE + off, buf, n);
        if (rc != BO_OK) {
            return rc;
        }
        bo_sha256_update(&sha, buf, n);
    }
    bo_sha256_final(&sha, d + BO_SHA256_SIZE);
    uint8_t id[BO_SHA256_SIZE];
    bo_sha256(d, sizeof d, id);
    return memcmp(id, h->base_id, BO_DELTA_ID_SIZE) == 0 ? BO_OK : BO_ERR_NOTFOUND;
}

void bo_delta_image_id(const uint8_t *img, uint32_t fw_len, uint8_t out[BO_DELTA_ID_SIZE])
{
    uint8_t d[2u * BO_SHA256_SIZE];
    bo_md_digest(img, d);
    bo_sha256(img + BO_MD_SIZE, fw_len, d + BO_SHA256_SIZE);
    bo_sha256(d, sizeof d, d);
    memcpy(out, d, BO_DELTA_ID_SIZE);
}
