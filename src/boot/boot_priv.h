/* Internal to src/boot: shared helpers of the authenticate / install / run files. */
#ifndef BO_BOOT_PRIV_H
#define BO_BOOT_PRIV_H

#include <stdint.h>
#include "bleota/boot.h"
#include "bleota/crypto.h"

#ifndef BO_BOOT_CHUNK
#define BO_BOOT_CHUNK 256u /* bytes per flash read/copy step (stack) */
#endif

/* Keeps a big local buffer in its own frame instead of the caller's (stack peak, not speed). */
#if defined(__GNUC__)
#define BO_BOOT_NOINLINE __attribute__((noinline))
#else
#define BO_BOOT_NOINLINE
#endif

/* Flash calls, with any port return other than 0 or a bo_err_t folded into BO_ERR_IO. */
int bo_boot_read(const bo_flash_t *f, uint32_t addr, void *buf, uint32_t len);
int bo_boot_prog(const bo_flash_t *f, uint32_t addr, const void *buf, uint32_t len);
int bo_boot_erase_pages(const bo_flash_t *f, uint32_t addr, uint32_t pages);

/* SHA-256 of len flash bytes from addr. BO_OK or a flash error. */
int bo_boot_digest(const bo_flash_t *f, uint32_t addr, uint32_t len, uint8_t out[BO_SHA256_SIZE]);

/* Copies slot 1's first len bytes into slot 0 (erase, copy, commit unit last, hash compare).
 * BO_OK, BO_ERR_VERIFY when the copy differs, or a flash error. */
int bo_boot_install(const bo_boot_cfg_t *cfg, uint32_t len);

/* Retires slot 1 after an install or a refusal: the resume pages, then its header page (the
 * application erases the rest in idle time). BO_OK or a flash error. */
int bo_boot_retire(const bo_boot_cfg_t *cfg);

static inline uint32_t bo_boot_slot_addr(const bo_boot_cfg_t *cfg, int slot)
{
    return slot == 0 ? cfg->layout.slot0 : cfg->layout.slot1;
}

static inline uint32_t bo_boot_pages(const bo_flash_t *f, uint32_t len)
{
    return (len + f->page_size - 1u) / f->page_size;
}

#endif
