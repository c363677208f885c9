/* bo_boot_authenticate: the reference's structural check plus signature checks, over flash. */
#include <string.h>
#include "boot_priv.h"

/* Secure default: a zero mask means ECDSA only (never "everything", as the reference does). */
static uint32_t allowed_mask(const bo_boot_cfg_t *cfg)
{
    return cfg->allowed_auth ? cfg->allowed_auth : BO_AUTH_MASK(BO_AUTH_ECDSA);
}

/* A method is usable if the config allows it and, for ECDSA, a key is provisioned. */
static int method_usable(const bo_boot_cfg_t *cfg, uint8_t method)
{
    if (method > BO_AUTH_ECDSA || (allowed_mask(cfg) & BO_AUTH_MASK(method)) == 0) {
        return BO_ERR_UNSUPPORTED;
    }
    if (method == BO_AUTH_ECDSA && cfg->pubkey == NULL) {
        return BO_ERR_UNSUPPORTED; /* no key: nothing authenticates, but nothing is erased */
    }
    return BO_OK;
}

/* bo_img_check_sig's verdict folded into the boot contract. */
static int sig_rc(int rc)
{
    if (rc == BO_OK || rc == BO_ERR_UNSUPPORTED || rc == BO_ERR_IO || rc == BO_ERR_CRYPTO) {
        return rc; /* a backend failure is not proof of a bad image: never retire for it */
    }
    return BO_ERR_AUTH; /* bad digest, bad DER, key mismatch: all "not authentic" */
}

static int cfg_ok(const bo_boot_cfg_t *cfg, int slot)
{
    const bo_flash_t *f = cfg ? cfg->flash : NULL;
    if (f == NULL || (slot != 0 && slot != 1) || f->read == NULL || f->page_size == 0) {
        return BO_ERR_ARG;
    }
    return BO_OK;
}

/* Largest image a slot may hold: slot 1 stops at the download limit (resume pages follow). */
static uint32_t slot_limit(const bo_boot_cfg_t *cfg, int slot)
{
    const bo_layout_t *l = &cfg->layout;
    if (slot == 1 && l->dl_limit != 0 && l->dl_limit < l->slot_size) {
        return l->dl_limit;
    }
    return l->slot_size;
}

/* Reads, parses and authenticates the metadata header (its own frame, so the 512-byte copy
 * is gone before the firmware is hashed: peak stack stays well under 1 KiB). */
BO_BOOT_NOINLINE static int check_header(const bo_boot_cfg_t *cfg, int slot, bo_md_t *md)
{
    uint8_t hdr[BO_MD_SIZE];
    uint8_t digest[BO_SHA256_SIZE];
    int rc = bo_boot_read(cfg->flash, bo_boot_slot_addr(cfg, slot), hdr, BO_MD_SIZE);
    if (rc != BO_OK) {
        return rc;
    }
    if (bo_md_parse(hdr, md) != BO_OK) {
        return BO_ERR_NOTFOUND;
    }
    uint32_t limit = slot_limit(cfg, slot);
    if (limit < BO_MD_SIZE || md->fw_len > limit - BO_MD_SIZE) {
        return BO_ERR_NOTFOUND; /* cannot be a complete image of this slot */
    }
    if ((rc = method_usable(cfg, md->md_auth)) != BO_OK ||
        (rc = method_usable(cfg, md->fw_auth)) != BO_OK) {
        return rc;
    }
    /* Metadata first: one hash of RAM, so a forged header costs no firmware read. */
    bo_md_digest(hdr, digest);
    return sig_rc(bo_img_check_sig(md->md_auth, md->md_sig, md->md_sig_len, digest, cfg->pubkey,
                                   allowed_mask(cfg)));
}

int bo_boot_authenticate(const bo_boot_cfg_t *cfg, int slot, bo_boot_image_t *info)
{
    uint8_t digest[BO_SHA256_SIZE];
    bo_md_t md;
    int rc = cfg_ok(cfg, slot);
    if (rc != BO_OK) {
        return rc;
    }
    rc = check_header(cfg, slot, &md);
    if (rc != BO_OK) {
        return rc;
    }
    rc = bo_boot_digest(cfg->flash, bo_boot_slot_addr(cfg, slot) + BO_MD_SIZE, md.fw_len, digest);
    if (rc != BO_OK) {
        return rc;
    }
    rc = sig_rc(bo_img_check_sig(md.fw_auth, md.fw_sig, md.fw_sig_len, digest, cfg->pubkey,
                                 allowed_mask(cfg)));
    if (rc != BO_OK) {
        return rc;
    }
    if (info != NULL) {
        info->version = md.fw_rev;
        info->fw_len = md.fw_len;
        info->seq_num = md.seq_num;
    }
    return BO_OK;
}
