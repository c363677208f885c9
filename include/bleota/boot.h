/* bleota boot: decides what runs. Scans slot 1 and slot 0 with the reference structural check,
 * authenticates, installs slot 1 into slot 0 power-fail safely, and tells the port where to
 * jump — or that there is nothing to run and serial DFU must stay in charge. */
#ifndef BLEOTA_BOOT_H
#define BLEOTA_BOOT_H

#include <stdbool.h>
#include <stdint.h>
#include "bleota/err.h"
#include "bleota/img.h"
#include "bleota/port.h"

/* When bo_boot_run authenticates slot 0 (docs/bootloader.md, "Boot policy"). An install never
 * authenticates the image it just copied again (it is proven by hash against what slot 1's
 * authentication covered), under either policy. */
typedef enum {
    BO_BOOT_CHECK_EVERY_BOOT = 0,    /* every boot, as Microchip's bootloader (default) */
    BO_BOOT_CHECK_AFTER_INSTALL = 1, /* only when the status page cannot vouch for slot 0 (it
                                        was not proven since last written): a settled boot
                                        reads its header (structure, version floor) and runs */
} bo_boot_check_t;

typedef struct bo_boot_cfg {
    const bo_flash_t *flash;
    bo_layout_t layout;
    const uint8_t *pubkey;  /* 64-byte X||Y; NULL: no ECDSA key provisioned */
    uint32_t allowed_auth;  /* BO_AUTH_MASK(...) bits; 0 means the secure default: ECDSA only */
    bool allow_downgrade;   /* install an older FW_IMG_REV than slot 0's (default: refuse) */
    bo_boot_check_t slot0_check; /* default (0): authenticate slot 0 at every boot */
} bo_boot_cfg_t;

/* What an authenticated slot holds. */
typedef struct bo_boot_image {
    uint32_t version;  /* FW_IMG_REV */
    uint32_t fw_len;   /* FW_IMG_LEN */
    uint32_t seq_num;
    uint8_t flags;     /* BO_MD_FLAG_* (signed) */
    /* What the signature covers, never the unsigned bytes (SEQ_NUM, identifier, the signature
     * encoding): SHA-256 of the metadata digest then the firmware digest. Two authentic images
     * with the same id are the same image. All zero when slot 0 ran on its header alone
     * (BO_BOOT_CHECK_AFTER_INSTALL: nothing was hashed). */
    uint8_t id[BO_SHA256_SIZE];
} bo_boot_image_t;

/* Authenticates the image in slot (0 or 1): structure, firmware digest/signature, metadata
 * digest/signature, with the methods the config allows. BO_OK only for a fully authenticated
 * image (info filled if non-NULL); BO_ERR_NOTFOUND for an empty or structurally invalid slot;
 * BO_ERR_UNSUPPORTED for a method the build does not allow; BO_ERR_AUTH for a bad signature;
 * BO_ERR_IO for flash errors; BO_ERR_CRYPTO for a crypto backend failure (not proof of a bad
 * image: the bootloader never retires a slot for it). Secure default (allowed_auth == 0):
 * ECDSA only (plus signed-digest mode, see below); ECDSA without a provisioned key (pubkey
 * NULL) is BO_ERR_UNSUPPORTED.
 * Reads flash in small chunks; uses no more than ~1 KiB of stack.
 * This is the call the application makes on Update Complete (the reference's
 * authenticate_fw_image). */
int bo_boot_authenticate(const bo_boot_cfg_t *cfg, int slot, bo_boot_image_t *info);

/* The same policy, split for a caller that hashed the image itself while receiving it (ota:
 * the slot is not read again) and checks the header early. One policy for all three entries:
 * - Methods: each field's method must be allowed (secure default: ECDSA only, key needed),
 *   except signed-digest mode: FW_IMG_AUTH 1 (SHA-256 digest in FW_IMG_SIG) is accepted exactly
 *   when MD_AUTH is 2 (ECDSA) and ECDSA is usable, because the metadata signature covers
 *   FW_IMG_SIG and FW_IMG_LEN. SHA-256-only metadata stays refused under the default.
 * bo_boot_check_metadata: structure (bo_md_parse), FW_IMG_LEN within the slot, methods, and the
 * metadata signature over md_digest (NULL: computed from md512, which must then hold the bytes
 * 0x014..0x1FF as in the slot). *md is filled when the header parses. Returns as
 * bo_boot_authenticate (NOTFOUND, UNSUPPORTED, AUTH, CRYPTO, ARG).
 * bo_boot_check_firmware: the firmware field of an already checked *md against fw_digest
 * (SHA-256 of the FW_IMG_LEN bytes after the header); BO_OK fills info if non-NULL.
 * bo_boot_authenticate_digests: both, for slot 1. No flash access in any of them. */
int bo_boot_check_metadata(const bo_boot_cfg_t *cfg, int slot, const uint8_t md512[BO_MD_SIZE],
                           const uint8_t *md_digest, bo_md_t *md);
int bo_boot_check_firmware(const bo_boot_cfg_t *cfg, const bo_md_t *md,
                           const uint8_t fw_digest[BO_SHA256_SIZE], bo_boot_image_t *info);
int bo_boot_authenticate_digests(const bo_boot_cfg_t *cfg, const uint8_t md512[BO_MD_SIZE],
                                 const uint8_t *md_digest,
                                 const uint8_t fw_digest[BO_SHA256_SIZE], bo_boot_image_t *info);

typedef enum {
    BO_BOOT_RUN = 0,     /* slot 0 holds an authentic image: jump to it */
    BO_BOOT_NO_IMAGE,    /* nothing authentic to run: stay in serial DFU, never jump */
} bo_boot_action_t;

/* The image state kept in the status page (docs/bootloader.md has the state diagram). */
typedef enum {
    BO_BOOT_ST_NONE = 0,        /* no record yet (factory state): the floor comes from slot 0 */
    BO_BOOT_ST_IDLE = 1,        /* slot 0 confirmed or permanent; nothing in progress */
    BO_BOOT_ST_INSTALLING = 2,  /* a permanent image is being copied from slot 1 */
    BO_BOOT_ST_SWAPPING = 3,    /* a trial image is being swapped in (progress in the log pages) */
    BO_BOOT_ST_TRIAL_READY = 4, /* swapped in, not yet started */
    BO_BOOT_ST_TRIAL = 5,       /* started on trial: a reset before bo_boot_confirm reverts it */
    BO_BOOT_ST_REVERTING = 6,   /* the previous image is being copied back */
} bo_boot_state_t;

typedef struct bo_boot_status {
    bo_boot_state_t state;
    uint32_t floor; /* lowest FW_IMG_REV that may be installed or run (0: none recorded) */
    bool journal;   /* the layout has a status page (resume area of at least 4 pages) */
} bo_boot_status_t;

typedef struct bo_boot_result {
    bo_boot_action_t action;
    bo_boot_image_t image;  /* slot 0's image when action == BO_BOOT_RUN */
    bool installed;         /* slot 1 was installed during this boot */
    bool trial;             /* slot 0 runs on trial: arm the watchdog, the image must confirm */
    bool reverted;          /* an unconfirmed trial image was replaced by the previous one */
    bool revert_lost;       /* it could not be: the saved copy was gone (slot 1 rewritten) */
    bool current;           /* slot 1 held the running image (same id): retired, not installed */
    int slot1_status;       /* what was found in slot 1 (BO_OK, BO_ERR_NOTFOUND, _AUTH, ...;
                               BO_ERR_ROLLBACK: authentic but below the floor, refused and
                               retired; BO_ERR_VERIFY: the copy differed, slot 1 kept for a
                               retry; BO_ERR_IO: unreadable, treated as invalid) */
    int slot0_status;       /* why slot 0 cannot run, when action == BO_BOOT_NO_IMAGE
                               (BO_ERR_ROLLBACK: authentic but below the floor) */
    uint32_t floor;         /* the version floor after this boot */
} bo_boot_result_t;

/* The whole boot decision: install a valid slot 1 (if allowed), then validate slot 0.
 * Returns BO_OK with *res filled, or BO_ERR_IO / BO_ERR_POWER when flash failed mid-way (the
 * next boot recovers), BO_ERR_ARG for a bad config or res == NULL.
 * Slot 1: authentic -> rollback check (older FW_IMG_REV than the floor and slot 0's version is
 * refused unless allow_downgrade) -> trial swap or copy (first program unit last, every chunk
 * read back), slot 0 then proven by one hash against slot 1's authenticated identity -> retire
 * slot 1 (resume pages, header page). At most one authentication per install boot: the
 * outgoing slot 0 is trusted from its header when the status page vouches for it.
 * Bad signature or rollback: slot 1's header page is erased (not retried every boot).
 * Empty / unsupported method: left alone. A power cut anywhere is finished by the next call.
 * Slot 0 is then authenticated (or, per cfg->slot0_check, only when it must be). */
int bo_boot_run(const bo_boot_cfg_t *cfg, bo_boot_result_t *res);

/* Finishes whatever a reset interrupted, before anything else may touch flash (serial DFU
 * included): an interrupted copy or swap is completed, an unconfirmed trial image is reverted
 * (res->reverted), an interrupted revert is finished. bo_boot_run calls it first too; a port
 * that offers serial DFU calls it before. Fills res->reverted / revert_lost / floor.
 * BO_OK, or a flash error (the next boot continues). */
int bo_boot_recover(const bo_boot_cfg_t *cfg, bo_boot_result_t *res);

/* The state and floor from the status page (reads flash only). */
int bo_boot_status(const bo_boot_cfg_t *cfg, bo_boot_status_t *out);

/* Called by the application once its self-test passed: keeps the running trial image and
 * raises the floor to its version. BO_OK also when there is nothing to confirm (a permanent
 * image, or confirmed already). Costs one program unit, never an erase. */
int bo_boot_confirm(const bo_boot_cfg_t *cfg);

#endif
