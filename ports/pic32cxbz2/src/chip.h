/* The device pack's register definitions, as Microchip's own device.h includes them (without the
 * handler prototypes: this port names its own handlers). Chip builds only. */
#ifndef BO_BZ2_CHIP_H
#define BO_BZ2_CHIP_H

#define DONT_USE_PREDEFINED_CORE_HANDLERS
#define DONT_USE_PREDEFINED_PERIPHERALS_HANDLERS
#include "wbz451.h"
#include "hw.h"

/* The system unlock sequence of CFG_SYSKEY (clock, reset and PMD registers). */
static inline void bo_bz2_p_syskey_unlock(void)
{
    bo_bz2_hw_unlock((uint32_t)(uintptr_t)&CFG_REGS->CFG_SYSKEY);
}

static inline void bo_bz2_p_syskey_lock(void)
{
    CFG_REGS->CFG_SYSKEY = 0x33333333u;
}

#endif
