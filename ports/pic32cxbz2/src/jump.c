/* Hand-over to an image, as Microchip's bootloader does it (reference §7 step 6), plus SysTick
 * off and the instruction cache invalidated (slot 0 may have been rewritten). */
#include "bleota/pic32cxbz2/board.h"
#include "chip.h"

void bo_bz2_jump(uint32_t vtor)
{
    const volatile uint32_t *vt = (const volatile uint32_t *)vtor;
    uint32_t sp = vt[0], pc = vt[1];
    bo_bz2_uart_deinit();
    SysTick->CTRL = 0u;
    /* Microchip's NVIC_DisableIRQ of FLASH_CONTROL, SERCOM0, TC3 and TC0 as one store to the
     * register they share (ICER0), with CMSIS's barriers after it */
    _Static_assert(FLASH_CONTROL_IRQn < 32 && SERCOM0_IRQn < 32 && TC3_IRQn < 32 && TC0_IRQn < 32,
                   "the four interrupts share ICER0");
    NVIC->ICER[0] =
        (1u << FLASH_CONTROL_IRQn) | (1u << SERCOM0_IRQn) | (1u << TC3_IRQn) | (1u << TC0_IRQn);
    __DSB();
    __ISB();
    __disable_irq();
    for (unsigned i = 0; i < 8u; i++) {
        NVIC->ICER[i] = 0xFFFFFFFFu;
        NVIC->ICPR[i] = 0xFFFFFFFFu;
    }
    SCB->ICSR = SCB_ICSR_PENDSTCLR_Msk;
    if ((CMCC_REGS->CMCC_SR & CMCC_SR_CSTS_Msk) != 0u)
        CMCC_REGS->CMCC_MAINT0 = CMCC_MAINT0_INVALL_Msk;
    SCB->VTOR = vtor;
    __DSB();
    __ISB();
    __enable_irq();
    __asm volatile("movs r2, #0\n"
                   "msr control, r2\n"
                   "isb\n"
                   "msr msp, %0\n"
                   "bx %1\n"
                   :
                   : "r"(sp), "r"(pc)
                   : "r2", "memory");
    __builtin_unreachable();
}
