/* The application side of the bootloader API: call 0x5001 as Microchip's applications do. */
#include <string.h>
#include "bleota/img.h"
#include "bleota/pic32cxbz2/api.h"

static uint8_t scratch[BO_BZ2_API_SCRATCH] __attribute__((aligned(8)));

int bo_bz2_authenticate(const bo_boot_cfg_t *cfg, int slot, bo_boot_image_t *info)
{
    bo_bz2_auth_fw_fn entry = (bo_bz2_auth_fw_fn)(uintptr_t)BO_BZ2_API_ENTRY;
    if (slot != 0 && slot != 1)
        return BO_ERR_ARG;
    if (!entry((uint8_t)slot, scratch))
        return BO_ERR_AUTH;
    if (info != NULL) {
        uint8_t hdr[BO_MD_SIZE];
        bo_md_t md;
        uint32_t at = slot == 0 ? cfg->layout.slot0 : cfg->layout.slot1;
        memset(info, 0, sizeof *info);
        if (cfg->flash->read(cfg->flash->ctx, at, hdr, sizeof hdr) != BO_OK ||
            bo_md_parse(hdr, &md) != BO_OK)
            return BO_ERR_IO; /* authentic a moment ago: the read failed */
        info->version = md.fw_rev;
        info->fw_len = md.fw_len;
        info->seq_num = md.seq_num;
        info->flags = md.flags;
    }
    return BO_OK;
}
