/* Installing slot 1 into slot 0, and retiring slot 1 afterwards.
 *
 * Power-fail reasoning (each step is safe to cut, the next boot redoes the install):
 * - slot 1 stays intact and authentic until slot 0 is a verified copy of it, so a cut while
 *   slot 0 is erased or half-copied finds an authentic slot 1 and installs again;
 * - slot 0's first program unit (fillers + identifier) is programmed last, so a half-copied
 *   slot 0 fails the structural check instead of looking like a (bad) image;
 * - slot 1 is retired only after the hash compare (resume record, then header page); once its
 *   header page is erased it can never be installed, and a torn header erase leaves bytes that
 *   must still authenticate to be used. The rest of slot 1 is erased by the application in
 *   idle time (bo_ota_idle), not here: an install boot does not wait for it. */
#include <string.h>
#include "boot_priv.h"

static uint32_t round_up(uint32_t v, uint32_t unit)
{
    return (v + unit - 1u) / unit * unit;
}

/* Copies [from, from+len) to [to, to+len) skipping the first program unit. */
static int copy_body(const bo_flash_t *f, uint32_t to, uint32_t from, uint32_t len)
{
    uint8_t buf[BO_BOOT_CHUNK];
    uint32_t off = f->prog_unit;
    while (off < len) {
        uint32_t n = len - off < sizeof buf ? len - off : (uint32_t)sizeof buf;
        int rc = bo_boot_read(f, from + off, buf, n);
        if (rc == BO_OK) {
            rc = bo_boot_prog(f, to + off, buf, n);
        }
        if (rc != BO_OK) {
            return rc;
        }
        off += n;
    }
    return BO_OK;
}

static int copy_head(const bo_flash_t *f, uint32_t to, uint32_t from)
{
    uint8_t buf[BO_BOOT_CHUNK];
    int rc = bo_boot_read(f, from, buf, f->prog_unit);
    return rc == BO_OK ? bo_boot_prog(f, to, buf, f->prog_unit) : rc;
}

int bo_boot_install(const bo_boot_cfg_t *cfg, uint32_t len)
{
    const bo_flash_t *f = cfg->flash;
    uint32_t s0 = cfg->layout.slot0, s1 = cfg->layout.slot1;
    uint8_t d0[BO_SHA256_SIZE], d1[BO_SHA256_SIZE];
    if (f->prog == NULL || f->erase == NULL || f->prog_unit == 0 || f->prog_unit > BO_BOOT_CHUNK ||
        BO_BOOT_CHUNK % f->prog_unit != 0) {
        return BO_ERR_ARG;
    }
    /* Whole program units; the tail past len is whatever slot 1 holds there (never hashed). */
    uint32_t plen = round_up(len, f->prog_unit);
    if (plen > cfg->layout.slot_size) {
        return BO_ERR_NOSPACE;
    }
    int rc = bo_boot_erase_pages(f, s0, bo_boot_pages(f, plen));
    if (rc == BO_OK) {
        rc = copy_body(f, s0, s1, plen);
    }
    if (rc == BO_OK) {
        rc = copy_head(f, s0, s1);
    }
    if (rc == BO_OK) {
        rc = bo_boot_digest(f, s0, len, d0);
    }
    if (rc == BO_OK) {
        rc = bo_boot_digest(f, s1, len, d1);
    }
    if (rc == BO_OK && memcmp(d0, d1, sizeof d0) != 0) {
        rc = BO_ERR_VERIFY;
    }
    return rc;
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
