/* Clocks as Microchip's bootloader sets them (reference §3.4, plib_clk.c of the generated
 * bootloader): RF PLL, SPLL, SYSCLK 64 MHz; the same register values, so SERCOM0 and the
 * application inherit what they expect. Then the SysTick millisecond clock. */
#include "bleota/pic32cxbz2/board.h"
#include "chip.h"
#include "hw.h"

#define READY_POLLS 8000u

/* Prefetch cache: 1 wait state (enough for 64 and 48 MHz), prefetch on, address wait state
 * off. From SRAM with idle bus time after it (errata: clearing ADRWS needs it). */
BO_BZ2_RAMFUNC static void pche_setup(void)
{
    uint32_t c = PCHE_REGS->PCHE_CHECON;
    c &= ~(PCHE_CHECON_PFMWS_Msk | PCHE_CHECON_ADRWS_Msk | PCHE_CHECON_PREFEN_Msk);
    PCHE_REGS->PCHE_CHECON = c | PCHE_CHECON_PFMWS(1u) | PCHE_CHECON_PREFEN_Msk;
    __asm volatile("nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop" ::: "memory");
}

/* Waits for a subsystem status bit; sets the bypass bit when it never comes, as the plib. */
static void wait_or_bypass(uint32_t status_msk, uint32_t bypass_msk)
{
    for (uint32_t i = 0; i < READY_POLLS; i++)
        if ((BTZBSYS_REGS->BTZBSYS_SUBSYS_STATUS_REG1 & status_msk) != 0u)
            return;
    BTZBSYS_REGS->BTZBSYS_SUBSYS_CNTRL_REG1 |= bypass_msk;
}

void bo_bz2_clock_init(void)
{
    pche_setup();
    while ((CFG_REGS->CFG_MISCSTAT & CFG_MISCSTAT_CLDORDY_Msk) == 0u) {
    }
    wait_or_bypass(BTZBSYS_SUBSYS_STATUS_REG1_xtal_ready_out_Msk,
                   BTZBSYS_SUBSYS_CNTRL_REG1_subsys_bypass_xtal_ready_Msk);
    BLE_REGS->BLE_DPLL_RG2 &= (uint16_t)~0x0002u; /* RF PLL on */
    wait_or_bypass(BTZBSYS_SUBSYS_STATUS_REG1_pll_lock_out_Msk,
                   BTZBSYS_SUBSYS_CNTRL_REG1_subsys_bypass_pll_lock_Msk);
    bo_bz2_p_syskey_unlock();
    CRU_REGS->CRU_SPLLCON = 0xC0000108u; /* SPLL from the RF PLL, POSTDIV1 1 */
    CRU_REGS->CRU_OSCCON = 0x00000100u;  /* NOSC = SPLL */
    CRU_REGS->CRU_OSCCONSET = CRU_OSCCON_OSWEN_Msk;
    while ((CRU_REGS->CRU_OSCCON & CRU_OSCCON_OSWEN_Msk) != 0u) {
    }
    CRU_REGS->CRU_PB3DIV = CRU_PB3DIV_PBDIVON_Msk | CRU_PB3DIV_PBDIV(9u);
    /* REFO1 (SERCOM0/1 and TC0/1 clock): SYSCLK undivided, so SERCOM0 runs at 64 MHz as the
     * plib's baud value assumes [INF: the plib's REFO1CON value is not in the reference] */
    CRU_REGS->CRU_REFO1CON =
        CRU_REFO1CON_ROSEL(CRU_REFO1CON_ROSEL_SYSCLK_Val) | CRU_REFO1CON_ON_Msk;
    CFG_REGS->CFG_CFGPCLKGEN1 = 0x09009000u;
    CFG_REGS->CFG_CFGPCLKGEN2 = 0x00000000u;
    CFG_REGS->CFG_CFGPCLKGEN3 = 0x99000000u;
    CFG_REGS->CFG_PMD1 = 0x200101CFu;
    CFG_REGS->CFG_PMD3 = 0x000074CEu;
    bo_bz2_p_syskey_lock();
    BTZBSYS_REGS->BTZBSYS_SUBSYS_CNTRL_REG1 |= 0x10u; /* subsystem clock source: PLL */
    BTZBSYS_REGS->BTZBSYS_SUBSYS_CNTRL_REG0 = 0x01000000u;
    pche_setup();
}

/* ---- SysTick millisecond clock ------------------------------------------------------------- */
static volatile uint32_t ms_ticks;

void bo_bz2_systick_isr(void);
void bo_bz2_systick_isr(void)
{
    ms_ticks++;
}

void bo_bz2_tick_start(uint32_t cpu_hz)
{
    SysTick->LOAD = cpu_hz / 1000u - 1u;
    SysTick->VAL = 0u;
    SysTick->CTRL = SysTick_CTRL_CLKSOURCE_Msk | SysTick_CTRL_TICKINT_Msk | SysTick_CTRL_ENABLE_Msk;
}

uint32_t bo_bz2_now_ms(void)
{
    return ms_ticks;
}

/* ---- bo_sys_t ----------------------------------------------------------------------------- */
static uint32_t sys_now(void *ctx)
{
    (void)ctx;
    return bo_bz2_now_ms();
}

static void sys_reset(void *ctx)
{
    (void)ctx;
    bo_bz2_reset();
}

static int sys_wdt_start(void *ctx, uint32_t period_ms)
{
    (void)ctx;
    return bo_bz2_wdt_start(period_ms);
}

static void sys_wdt_feed(void *ctx)
{
    (void)ctx;
    bo_bz2_wdt_feed();
}

const bo_sys_t bo_bz2_sys_dev = {.now_ms = sys_now,
                                 .reset = sys_reset,
                                 .wdt_start = sys_wdt_start,
                                 .wdt_feed = sys_wdt_feed};

const bo_sys_t *bo_bz2_sys(void)
{
    return &bo_bz2_sys_dev;
}
