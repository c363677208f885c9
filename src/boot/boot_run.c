/* bo_boot_run: the boot decision. Slot 1 first (install or retire), then slot 0 decides.
 * There is no shortcut path (the reference jumps unchecked on wake from deep sleep): every
 * call authenticates slot 0 before it may say RUN. */
#include <string.h>
#include "boot_priv.h"

#define ST_UNKNOWN 1 /* slot 0 not looked at yet (private, never returned) */

static bool fatal(int rc)
{
    return rc == BO_ERR_IO || rc == BO_ERR_POWER || rc == BO_ERR_ARG;
}

/* Slot 0 already holds exactly slot 1's image (an earlier boot was cut while retiring). */
static int same_image(const bo_boot_cfg_t *cfg, uint32_t len, bool *same)
{
    uint8_t d0[BO_SHA256_SIZE], d1[BO_SHA256_SIZE];
    int rc = bo_boot_digest(cfg->flash, cfg->layout.slot0, len, d0);
    if (rc == BO_OK) {
        rc = bo_boot_digest(cfg->flash, cfg->layout.slot1, len, d1);
    }
    *same = rc == BO_OK && memcmp(d0, d1, sizeof d0) == 0;
    return rc;
}

/* Slot 1 is authentic: refuse a rollback, or install it. *st0 is slot 0's status, reset to
 * ST_UNKNOWN when slot 0 was rewritten. */
static int take_slot1(const bo_boot_cfg_t *cfg, const bo_boot_image_t *img1, int *st0,
                      bo_boot_image_t *img0, bo_boot_result_t *res)
{
    *st0 = bo_boot_authenticate(cfg, 0, img0);
    if (fatal(*st0)) {
        return *st0;
    }
    if (*st0 == BO_OK && !cfg->allow_downgrade && img1->version < img0->version) {
        res->slot1_status = BO_ERR_ROLLBACK;
        return bo_boot_retire(cfg); /* refused once, not re-verified at every boot */
    }
    uint32_t len = BO_MD_SIZE + img1->fw_len;
    bool same = false;
    int rc = BO_OK;
    if (*st0 == BO_OK && img0->fw_len == img1->fw_len) {
        rc = same_image(cfg, len, &same);
    }
    if (rc == BO_OK && !same) {
        rc = bo_boot_install(cfg, len);
        *st0 = ST_UNKNOWN;
    }
    if (rc == BO_ERR_VERIFY) {
        res->slot1_status = rc; /* slot 1 kept: the copy is retried at the next boot */
        return BO_OK;
    }
    if (rc == BO_OK) {
        rc = bo_boot_retire(cfg);
    }
    res->installed = rc == BO_OK;
    return rc;
}

int bo_boot_run(const bo_boot_cfg_t *cfg, bo_boot_result_t *res)
{
    bo_boot_image_t img1 = {0}, img0 = {0};
    int st0 = ST_UNKNOWN;
    if (res == NULL) {
        return BO_ERR_ARG;
    }
    memset(res, 0, sizeof *res);
    res->action = BO_BOOT_NO_IMAGE;
    res->slot0_status = BO_ERR_NOTFOUND;
    int rc = bo_boot_authenticate(cfg, 1, &img1);
    res->slot1_status = rc;
    if (fatal(rc)) {
        return rc;
    }
    if (rc == BO_ERR_AUTH) {
        rc = bo_boot_retire(cfg); /* as the reference: a forged slot 1 is not retried */
    } else if (rc == BO_OK) {
        rc = take_slot1(cfg, &img1, &st0, &img0, res);
    } else {
        rc = BO_OK; /* empty, or a method this build refuses: leave it alone */
    }
    if (rc != BO_OK) {
        return rc;
    }
    if (st0 == ST_UNKNOWN) {
        st0 = bo_boot_authenticate(cfg, 0, &img0);
        if (fatal(st0)) {
            return st0;
        }
    }
    res->slot0_status = st0;
    if (st0 == BO_OK) {
        res->action = BO_BOOT_RUN;
        res->image = img0;
    }
    return BO_OK;
}
