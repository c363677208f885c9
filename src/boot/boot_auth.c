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

/* Signed-digest mode (MCUboot's "sign the hash"): FW_IMG_AUTH 1 under an ECDSA-signed header.
 * The metadata signature covers FW_IMG_SIG and FW_IMG_LEN, so the firmware digest is bound to
 * the ECDSA key: accepted exactly when the metadata is ECDSA and ECDSA is usable. */
static bool fw_digest_signed(const bo_md_t *md)
{
    return md->fw_auth == BO_AUTH_SHA256 && md->md_auth == BO_AUTH_ECDSA;
}

static int fw_method_usable(const bo_boot_cfg_t *cfg, const bo_md_t *md)
{
    return fw_digest_signed(md) ? method_usable(cfg, BO_AUTH_ECDSA)
                                : method_usable(cfg, md->fw_auth);
}

static uint32_t fw_mask(const bo_boot_cfg_t *cfg, const bo_md_t *md)
{
    return allowed_mask(cfg) | (fw_digest_signed(md) ? BO_AUTH_MASK(BO_AUTH_SHA256) : 0u);
}

/* Structure and size: what makes a header an image of this slot (NOTFOUND otherwise). */
static int md_fits(const bo_boot_cfg_t *cfg, int slot, const uint8_t md512[BO_MD_SIZE], bo_md_t *md)
{
    if (bo_md_parse(md512, md) != BO_OK) {
        return BO_ERR_NOTFOUND;
    }
    uint32_t limit = slot_limit(cfg, slot);
    if (limit < BO_MD_SIZE || md->fw_len > limit - BO_MD_SIZE) {
        return BO_ERR_NOTFOUND; /* cannot be a complete image of this slot */
    }
    return BO_OK;
}

int bo_boot_check_metadata(const bo_boot_cfg_t *cfg, int slot, const uint8_t md512[BO_MD_SIZE],
                           const uint8_t *md_digest, bo_md_t *md)
{
    uint8_t digest[BO_SHA256_SIZE];
    int rc = cfg_ok(cfg, slot);
    if (rc != BO_OK || md512 == NULL || md == NULL) {
        return rc != BO_OK ? rc : BO_ERR_ARG;
    }
    if ((rc = md_fits(cfg, slot, md512, md)) != BO_OK ||
        (rc = method_usable(cfg, md->md_auth)) != BO_OK ||
        (rc = fw_method_usable(cfg, md)) != BO_OK) {
        return rc;
    }
    if (md_digest == NULL) {
        bo_md_digest(md512, digest);
        md_digest = digest;
    }
    return sig_rc(bo_img_check_sig(md->md_auth, md->md_sig, md->md_sig_len, md_digest,
                                   cfg->pubkey, allowed_mask(cfg)));
}

/* An image's two digests, side by side as its identity hashes them. */
typedef struct {
    uint8_t md[BO_SHA256_SIZE]; /* of the metadata's signed range */
    uint8_t fw[BO_SHA256_SIZE]; /* of the firmware */
} digests_t;
_Static_assert(sizeof(digests_t) == 2u * BO_SHA256_SIZE, "digests_t: no padding");

/* The image's identity: what the signatures cover (see bo_boot_image_t.id). */
static void image_id(const digests_t *d, uint8_t out[BO_SHA256_SIZE])
{
    bo_sha256(d, sizeof *d, out);
}

static void fill_info(const bo_md_t *md, bo_boot_image_t *info)
{
    info->version = md->fw_rev;
    info->fw_len = md->fw_len;
    info->seq_num = md->seq_num;
    info->flags = md->flags;
    memset(info->id, 0, sizeof info->id); /* filled by the callers that know md's digest */
}

int bo_boot_check_firmware(const bo_boot_cfg_t *cfg, const bo_md_t *md,
                           const uint8_t fw_digest[BO_SHA256_SIZE], bo_boot_image_t *info)
{
    if (cfg == NULL || md == NULL || fw_digest == NULL) {
        return BO_ERR_ARG;
    }
    int rc = fw_method_usable(cfg, md);
    if (rc == BO_OK) {
        rc = sig_rc(bo_img_check_sig(md->fw_auth, md->fw_sig, md->fw_sig_len, fw_digest,
                                     cfg->pubkey, fw_mask(cfg, md)));
    }
    if (rc == BO_OK && info != NULL) {
        fill_info(md, info);
    }
    return rc;
}

/* The firmware check plus the identity. */
static int check_firmware_id(const bo_boot_cfg_t *cfg, const bo_md_t *md, const digests_t *d,
                             bo_boot_image_t *info)
{
    int rc = bo_boot_check_firmware(cfg, md, d->fw, info);
    if (rc == BO_OK && info != NULL) {
        image_id(d, info->id);
    }
    return rc;
}

int bo_boot_authenticate_digests(const bo_boot_cfg_t *cfg, const uint8_t md512[BO_MD_SIZE],
                                 const uint8_t *md_digest,
                                 const uint8_t fw_digest[BO_SHA256_SIZE], bo_boot_image_t *info)
{
    bo_md_t md;
    digests_t d;
    if (md512 == NULL) {
        return BO_ERR_ARG;
    }
    if (md_digest == NULL) {
        bo_md_digest(md512, d.md);
    } else {
        memcpy(d.md, md_digest, BO_SHA256_SIZE);
    }
    int rc = bo_boot_check_metadata(cfg, 1, md512, d.md, &md);
    if (rc != BO_OK || fw_digest == NULL) {
        return rc != BO_OK ? rc : BO_ERR_ARG; /* as bo_boot_check_firmware */
    }
    memcpy(d.fw, fw_digest, BO_SHA256_SIZE);
    return check_firmware_id(cfg, &md, &d, info);
}

/* Reads a slot's header in its own frame (so the 512-byte copy is gone before the firmware is
 * hashed: peak stack stays well under 1 KiB) and digests it. md NULL: the digest only;
 * otherwise the structure, and with sig the whole metadata check. Metadata first: one hash of
 * RAM, so a forged header costs no firmware read. */
BO_BOOT_NOINLINE static int check_header(const bo_boot_cfg_t *cfg, int slot, bo_md_t *md,
                                         uint8_t md_digest[BO_SHA256_SIZE], bool sig)
{
    uint8_t hdr[BO_MD_SIZE];
    int rc = bo_boot_read(cfg->flash, bo_boot_slot_addr(cfg, slot), hdr, BO_MD_SIZE);
    if (rc != BO_OK) {
        return rc;
    }
    bo_md_digest(hdr, md_digest);
    if (md == NULL) {
        return BO_OK;
    }
    return sig ? bo_boot_check_metadata(cfg, slot, hdr, md_digest, md)
               : md_fits(cfg, slot, hdr, md);
}

static int fw_digest(const bo_boot_cfg_t *cfg, int slot, uint32_t fw_len,
                     uint8_t out[BO_SHA256_SIZE])
{
    return bo_boot_digest(cfg->flash, bo_boot_slot_addr(cfg, slot) + BO_MD_SIZE, fw_len, out);
}

int bo_boot_authenticate(const bo_boot_cfg_t *cfg, int slot, bo_boot_image_t *info)
{
    digests_t d;
    bo_md_t md;
    int rc = cfg_ok(cfg, slot);
    if (rc == BO_OK) {
        rc = check_header(cfg, slot, &md, d.md, true);
    }
    if (rc == BO_OK) {
        rc = fw_digest(cfg, slot, md.fw_len, d.fw);
    }
    return rc != BO_OK ? rc : check_firmware_id(cfg, &md, &d, info);
}

int bo_boot_header(const bo_boot_cfg_t *cfg, int slot, bo_boot_image_t *info)
{
    uint8_t md_digest[BO_SHA256_SIZE];
    bo_md_t md;
    int rc = check_header(cfg, slot, &md, md_digest, false);
    if (rc == BO_OK) {
        fill_info(&md, info);
    }
    return rc;
}

int bo_boot_image_id(const bo_boot_cfg_t *cfg, int slot, uint32_t fw_len,
                     uint8_t id[BO_SHA256_SIZE])
{
    digests_t d;
    int rc = check_header(cfg, slot, NULL, d.md, false);
    if (rc == BO_OK) {
        rc = fw_digest(cfg, slot, fw_len, d.fw);
    }
    if (rc == BO_OK) {
        image_id(&d, id);
    }
    return rc;
}

int bo_boot_verify_slot0(const bo_boot_cfg_t *cfg, const bo_boot_image_t *img)
{
    uint8_t id[BO_SHA256_SIZE];
    int rc = bo_boot_image_id(cfg, 0, img->fw_len, id);
    return rc == BO_OK && memcmp(id, img->id, sizeof id) != 0 ? BO_ERR_VERIFY : rc;
}
