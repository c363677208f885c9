/* Loading and classifying image files for inspect/verify (see image_file.h). */
#include "image_file.h"

#include <stdlib.h>
#include <string.h>

#include "bleota/endian.h"
#include "bo_fileio.h"
#include "cli.h"

/* A signed image starts with the metadata header's zero fillers, or at least has its fixed
 * MD_REV/CONT_IDX/PL_LEN bytes (so a damaged filler is reported as such); an OTA file starts
 * with HEADER_VER 0x01. */
static int looks_signed(const uint8_t *p, size_t len)
{
    static const uint8_t zero[8] = {0};
    return len >= BO_MD_SIZE && p[0] != BO_OTA_HDR_VER_BZ2 &&
           (memcmp(p, zero, sizeof zero) == 0 ||
            (p[0x14] == 0x02 && p[0x15] == 0x01 && p[0x1A] == 0x55));
}

/* Bytes after a signature inside its 72-byte field: Microchip's tool writes zeros, nothing
 * reads or signs them, so verify insists on zeros to catch any change there. */
static int pad_zero(const uint8_t *field, uint8_t sig_len)
{
    for (size_t i = sig_len; i < BO_MD_SIG_MAX; i++) {
        if (field[i] != 0u) {
            return 0;
        }
    }
    return 1;
}

static void parse_image(bo_image_file_t *f, const uint8_t *img, size_t len)
{
    f->img = img;
    f->img_len = len;
    f->is_patch = bo_delta_is_patch(img, len);
    f->patch_ok = f->is_patch && len >= BO_DELTA_HDR_SIZE &&
                  bo_delta_hdr_parse(img, &f->patch) == BO_OK && f->patch.patch_len <= len;
    f->md_ok = len >= BO_MD_SIZE && bo_md_parse(img, &f->md) == BO_OK;
    f->sig_pad_ok = f->md_ok && pad_zero(&img[BO_MD_OFF_FW_SIG], f->md.fw_sig_len) &&
                    pad_zero(&img[BO_MD_OFF_MD_SIG], f->md.md_sig_len);
}

static void load_ota(bo_image_file_t *f)
{
    const uint8_t *h = f->file;
    f->hdr_ok = bo_ota_hdr_parse(h, &f->hdr) == BO_OK;
    if (!f->hdr_ok) { /* keep the raw fields for inspect */
        f->hdr.header_ver = h[0];
        f->hdr.enc = h[1];
        f->hdr.checksum = bo_get_le16(&h[2]);
        f->hdr.image_id = bo_get_le32(&h[4]);
        f->hdr.version = bo_get_le32(&h[8]);
        f->hdr.file_type = h[12];
    }
    uint16_t s = bo_sum16(bo_sum16(0, h, 2), h + 4, f->len - 4);
    f->expect_cks = bo_ota_checksum_for(s);
    f->encrypted = h[1] != BO_OTA_ENC_NONE;
    if (!f->encrypted) {
        parse_image(f, h + BO_OTA_HDR_SIZE, f->len - BO_OTA_HDR_SIZE);
    }
}

int bo_image_file_load(bo_image_file_t *f, const char *path)
{
    char err[BO_ERRMSG_MAX];
    memset(f, 0, sizeof *f);
    f->path = path;
    if (bo_file_read(path, BO_IMAGE_FILE_MAX, &f->file, &f->len, err) != 0) {
        return bo_cli_err(path, "%s", err);
    }
    if (looks_signed(f->file, f->len)) {
        f->kind = BO_FILE_SIGNED;
        parse_image(f, f->file, f->len);
        return 0;
    }
    if (f->len > 0 && f->file[0] == BO_OTA_HDR_VER_BZ2) {
        /* shorter than an image only as a whole AES payload: a delta patch can be that small */
        if (f->len < BO_OTA_HDR_SIZE + BO_MD_SIZE &&
            (f->len < BO_OTA_HDR_SIZE + BO_AES_BLOCK ||
             (f->len - BO_OTA_HDR_SIZE) % BO_AES_BLOCK != 0u)) {
            bo_image_file_free(f);
            return bo_cli_err(path, "truncated: %zu bytes is too short for an OTA file", f->len);
        }
        f->kind = BO_FILE_OTA;
        load_ota(f);
        return 0;
    }
    size_t len = f->len;
    bo_image_file_free(f);
    if (len < BO_MD_SIZE) {
        return bo_cli_err(path, "not an OTA file or signed image (%zu bytes, too short)", len);
    }
    return bo_cli_err(path, "not an OTA file or signed image");
}

void bo_image_file_decrypt(bo_image_file_t *f, const uint8_t key[16], const uint8_t iv[16])
{
    size_t plen = f->len - BO_OTA_HDR_SIZE;
    if (f->kind != BO_FILE_OTA || !f->encrypted || plen % BO_AES_BLOCK != 0 ||
        plen < BO_AES_BLOCK) {
        return;
    }
    f->plain = malloc(plen);
    if (f->plain == NULL) {
        return;
    }
    bo_aes_cbc_t aes;
    bo_aes_cbc_init(&aes, key, iv, 1);
    bo_aes_cbc_update(&aes, f->file + BO_OTA_HDR_SIZE, f->plain, plen);
    bo_aes_cbc_free(&aes);
    f->decrypted = 1;
    uint8_t n = f->plain[plen - 1];
    f->pad_ok = n >= 1 && n <= BO_AES_BLOCK;
    for (size_t i = 1; f->pad_ok && i <= n; i++) {
        f->pad_ok = f->plain[plen - i] == n;
    }
    /* The reference always appends a whole block; read on without it even if it is damaged so
     * the other checks still say what they can. */
    parse_image(f, f->plain, plen - (f->pad_ok ? n : BO_AES_BLOCK));
}

void bo_image_file_free(bo_image_file_t *f)
{
    free(f->file);
    free(f->plain);
    free(f->rebuilt);
    f->file = NULL;
    f->plain = NULL;
    f->rebuilt = NULL;
}

void bo_image_file_use_rebuilt(bo_image_file_t *f, uint8_t *img, size_t len)
{
    free(f->rebuilt);
    f->rebuilt = img;
    parse_image(f, img, len);
}
