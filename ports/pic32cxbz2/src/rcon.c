/* Reset cause (RCON, sticky flags) and the software reset, as Microchip's plib_rcon does it. */
#include "bleota/pic32cxbz2/board.h"
#include "chip.h"

uint32_t bo_bz2_reset_cause(void)
{
    return RCON_REGS->RCON_RCON;
}

void bo_bz2_reset_cause_clear(uint32_t mask)
{
    RCON_REGS->RCON_RCONCLR = mask;
}

void bo_bz2_reset(void)
{
    __disable_irq();
    bo_bz2_p_syskey_unlock();
    RCON_REGS->RCON_RSWRSTSET = RCON_RSWRST_SWRST_Msk;
    (void)RCON_REGS->RCON_RSWRST; /* the read triggers the reset */
    for (;;) {
    }
}
