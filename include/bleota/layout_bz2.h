/* The PIC32CX-BZ2 / WBZ451 program-flash map (mchp-ota-reference.md §4.1), as data. */
#ifndef BLEOTA_LAYOUT_BZ2_H
#define BLEOTA_LAYOUT_BZ2_H

#include "bleota/port.h"

#define BO_BZ2_FLASH_BASE 0x01000000u
#define BO_BZ2_FLASH_SIZE 0x00100000u /* 1 MiB program flash */
#define BO_BZ2_PAGE_SIZE 4096u
#define BO_BZ2_PROG_UNIT 16u
#define BO_BZ2_SLOT0 0x01000000u
#define BO_BZ2_SLOT1 0x01080000u
#define BO_BZ2_SLOT_SIZE 0x00080000u
#define BO_BZ2_DL_LIMIT 507904u /* 0x7C000: the reference writer's limit */
/* The 16 KiB of slot 1 above the download limit are never written by a download: bleota keeps
 * the DFU resume record there (see docs/dfu.md). */
#define BO_BZ2_RESUME_ADDR (BO_BZ2_SLOT1 + BO_BZ2_DL_LIMIT)
#define BO_BZ2_RESUME_PAGES 4u

static inline bo_layout_t bo_layout_bz2(void)
{
    bo_layout_t l = {BO_BZ2_SLOT0, BO_BZ2_SLOT1,       BO_BZ2_SLOT_SIZE,
                     BO_BZ2_DL_LIMIT, BO_BZ2_RESUME_ADDR, BO_BZ2_RESUME_PAGES};
    return l;
}

#endif
