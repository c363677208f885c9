/* Vector-table check of `image sign` (see image_vectors.h). */
#include "image_vectors.h"

#include <stdio.h>

#include "bleota/endian.h"

/* PIC32CX-BZ2 SRAM 0x20000000-0x2001FFFF (mchp-bz2-platform-reference.md §1.1): the initial SP
 * may be its top, 0x20020000 (a full-descending stack). */
#define BZ2_RAM_BASE 0x20000000u
#define BZ2_RAM_TOP 0x20020000u
/* ARMv7-M's SRAM region, for boards other than the BZ2. */
#define CM_SRAM_BASE 0x20000000u
#define CM_SRAM_TOP 0x40000000u

int bo_vectors_check(const uint8_t *fw, uint32_t len, uint32_t addr, char *why, size_t why_size)
{
    int bz2 = addr == BO_BZ2_FW_ADDR;
    uint32_t ram_lo = bz2 ? BZ2_RAM_BASE : CM_SRAM_BASE, ram_top = bz2 ? BZ2_RAM_TOP : CM_SRAM_TOP;
    if (len < 8u) {
        snprintf(why, why_size,
                 "%u bytes cannot hold a vector table (initial SP, reset vector): link the "
                 "application at 0x%08X, vector table first",
                 len, addr);
        return -1;
    }
    uint32_t sp = bo_get_le32(fw), reset = bo_get_le32(fw + 4);
    uint32_t entry = reset & ~1u;
    uint64_t end = (uint64_t)addr + len;
    if (sp <= ram_lo || sp > ram_top) {
        snprintf(why, why_size,
                 "initial SP 0x%08X is outside RAM (0x%08X-0x%08X): link the application at "
                 "0x%08X, vector table first, stack in RAM",
                 sp, ram_lo, ram_top - 1u, addr);
        return -1;
    }
    if (entry < addr || entry >= end) {
        snprintf(why, why_size,
                 "reset vector 0x%08X is outside the image (0x%08X-0x%08X): link the application "
                 "at 0x%08X",
                 reset, addr, (uint32_t)(end - 1u), addr);
        return -1;
    }
    if ((reset & 1u) == 0u) {
        snprintf(why, why_size,
                 "reset vector 0x%08X has no Thumb bit (bit 0 clear): link the application at "
                 "0x%08X as Thumb code (-mthumb)",
                 reset, addr);
        return -1;
    }
    return 0;
}
