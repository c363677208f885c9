/* Installing slot 1 into slot 0, and retiring slot 1 afterwards.
 *
 * Power-fail reasoning (each step is safe to cut, the next boot redoes the install):
 * - slot 1 stays intact and authentic until slot 0 is a verified copy of it, so a cut while
 *   slot 0 is erased or half-copied finds an authentic slot 1 and installs again;
 * - slot 0's first program unit (fillers + identifier) is programmed last, so a half-copied
 *   slot 0 fails the structural check instead of looking like a (bad) image;
 * - slot 1 is retired only after slot 0 is proven by hash (resume record, then header page);
 *   once its header page is erased it can never be installed, and a torn header erase leaves
 *   bytes that must still authenticate to be used. The rest of slot 1 is erased by the
 *   application in idle time (bo_ota_idle), not here: an install boot does not wait for it. */
#include <string.h>
#include "boot_priv.h"

int bo_boot_install(const bo_boot_cfg_t *cfg, const bo_boot_image_t *img)
{
    const bo_flash_t *f = cfg->flash;
    uint32_t s0 = cfg->layout.slot0, s1 = cfg->layout.slot1, u = f->prog_unit;
    /* u divides the chunk: with a power-of-two chunk, u is a power of two up to it */
    _Static_assert((BO_BOOT_CHUNK & (BO_BOOT_CHUNK - 1u)) == 0u, "chunk: a power of two");
    if (f->prog == NULL || f->erase == NULL || u == 0 || u > BO_BOOT_CHUNK || (u & (u - 1u)) != 0) {
        return BO_ERR_ARG;
    }
    /* Whole program units; the tail past the image is whatever slot 1 holds there. */
    uint32_t plen = (BO_MD_SIZE + img->fw_len + u - 1u) & ~(u - 1u);
    if (plen > cfg->layout.slot_size) {
        return BO_ERR_NOSPACE;
    }
    int rc = bo_boot_erase_pages(f, s0, bo_boot_pages(f, plen));
    if (rc == BO_OK) {
        rc = bo_boot_copy(f, s0 + u, s1 + u, plen - u);
    }
    if (rc == BO_OK) {
        rc = bo_boot_copy(f, s0, s1, u); /* the commit unit, last */
    }
    return rc == BO_OK ? bo_boot_verify_slot0(cfg, img) : rc;
}

int bo_boot_retire(const bo_boot_cfg_t *cfg)
{
    const bo_flash_t *f = cfg->flash;
    const bo_layout_t *l = &cfg->layout;
    if (f->erase == NULL) {
        return BO_ERR_ARG;
    }
    /* The resume record describes the download just consumed; it goes first so that no cut
     * can leave a record pointing into a half-erased slot (slot 1 is still intact here, so a
     * cut now only means the next boot finds slot 0 equal to slot 1 and retires again). The
     * last resume page is the status page: never erased here. */
    int rc = BO_OK;
    if (l->resume_addr != 0 && l->resume_pages >= 2) {
        rc = bo_boot_erase_pages(f, l->resume_addr, l->resume_pages - 1u);
    }
    /* Then the header page: from here on slot 1 is structurally empty. */
    if (rc == BO_OK) {
        rc = bo_boot_erase_pages(f, l->slot1, 1);
    }
    return rc;
}
