/* The device pack's register definitions, as Microchip's own device.h includes them (without the
 * handler prototypes: this port names its own handlers). Chip builds only. */
#ifndef BO_BZ2_CHIP_H
#define BO_BZ2_CHIP_H

#define DONT_USE_PREDEFINED_CORE_HANDLERS
#define DONT_USE_PREDEFINED_PERIPHERALS_HANDLERS
#include "wbz451.h"

/* The system unlock sequence of CFG_SYSKEY (clock, reset and PMD registers). */
static inline void bo_bz2_p_syskey_unlock(void)
{
    CFG_REGS->CFG_SYSKEY = 0x00000000u;
    CFG_REGS->CFG_SYSKEY = 0xAA996655u;
    CFG_REGS->CFG_SYSKEY = 0x556699AAu;
}

static inline void bo_bz2_p_syskey_lock(void)
{
    CFG_REGS->CFG_SYSKEY = 0x33333333u;
}

#endif
