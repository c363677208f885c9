/* The watchdog (WDT at 0x44000500) under software control: fuse WDTEN = 0 (Microchip's setting)
 * leaves WDTCON.ON to software; the period is fixed by fuse WDTPSR, readable as WDTCON.RUNDIV.
 * Period = 1 ms x 2^RUNDIV on the 32 kHz LPRC: the PIC32 family's formula, not confirmed for BZ2
 * (reference gap 3, [INF]). A kick is one 16-bit store of 0x5743 to the upper half-word. */
#include "bleota/pic32cxbz2/board.h"
#include "chip.h"

#define WDT_CLEAR_ADDR (WDT_BASE_ADDRESS + 2u)
#define WDT_CLEAR_KEY 0x5743u

uint32_t bo_bz2_wdt_period_ms(void)
{
    uint32_t rundiv = (WDT_REGS->WDT_WDTCON & WDT_WDTCON_RUNDIV_Msk) >> WDT_WDTCON_RUNDIV_Pos;
    return rundiv >= 31u ? UINT32_MAX : 1u << rundiv;
}

bool bo_bz2_wdt_fuse_enabled(void)
{
    return (CFG_REGS->CFG_CFGCON2 & CFG_CFGCON2_WDTEN_Msk) != 0u;
}

void bo_bz2_wdt_feed(void)
{
    *(volatile uint16_t *)WDT_CLEAR_ADDR = WDT_CLEAR_KEY;
}

/* The fuse fixes the period: a request the hardware's period covers is armed with that period
 * (the deadline comes later than asked, never earlier); a longer one would reset an application
 * that feeds as asked, and is refused. */
int bo_bz2_wdt_start(uint32_t period_ms)
{
    if (period_ms == 0u || period_ms > bo_bz2_wdt_period_ms())
        return BO_ERR_ARG;
    bo_bz2_wdt_feed();
    WDT_REGS->WDT_WDTCONSET = WDT_WDTCON_ON_Msk;
    return BO_OK;
}
