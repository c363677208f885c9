/* What the bootloader's main and its exported API share. */
#ifndef BO_BZ2_BOOT_CFG_H
#define BO_BZ2_BOOT_CFG_H

#include "bleota/boot.h"

/* The boot policy of this bootloader: its key, the secure default (ECDSA only), no downgrade,
 * over the given flash. */
void bo_bz2_boot_config(bo_boot_cfg_t *cfg, const bo_flash_t *flash);
/* The API's static RAM (top 1 KiB) initialised: data copied, bss zeroed. */
void bo_bz2_api_ram_init(void);

#endif
