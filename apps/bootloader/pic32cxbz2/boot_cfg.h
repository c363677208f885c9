/* What the bootloader's main and its exported API share. */
#ifndef BO_BZ2_BOOT_CFG_H
#define BO_BZ2_BOOT_CFG_H

#include "bleota/boot.h"
#include "bleota/pic32cxbz2/board.h"

/* The boot policy of this bootloader over the given flash (a constant object, so that the
 * link-time optimiser folds it into the boot code): its key, the secure default (ECDSA only),
 * no downgrade, slot 0 authenticated at every boot. */
#define BO_BZ2_BOOT_CFG(flash_dev)                                                                 \
    {                                                                                              \
        .flash = &(flash_dev), .layout = BO_BZ2_LAYOUT_INIT, .pubkey = bo_bz2_pubkey,              \
        .allowed_auth = 0, .allow_downgrade = false, .slot0_check = BO_BOOT_CHECK_EVERY_BOOT       \
    }
/* The API's static RAM (top 1 KiB) initialised: data copied, bss zeroed. */
void bo_bz2_api_ram_init(void);

#endif
