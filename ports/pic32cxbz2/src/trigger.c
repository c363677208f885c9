/* The GPIO trigger of Microchip's serial-DFU bootloader: PB4 (SW2 on the WBZ451 Curiosity
 * board), low = stay in serial DFU. Microchip reads the pin once with no pull-up and no
 * settling time and relies on the board's pull-up; here the internal pull-up is on and the
 * level is read after it settles, so a board without one does not fall into DFU by chance. */
#include "bleota/pic32cxbz2/board.h"
#include "chip.h"

#define TRIGGER_PIN (1u << 4) /* PB4 */
#define SETTLE_LOOPS 3200u    /* 3 to 4 cycles each: 150-200 us at 64 MHz */

bool bo_bz2_trigger_held(void)
{
    GPIOB_REGS->GPIO_ANSELCLR = TRIGGER_PIN; /* digital */
    GPIOB_REGS->GPIO_TRISSET = TRIGGER_PIN;  /* input */
    GPIOB_REGS->GPIO_CNPUSET = TRIGGER_PIN;
    for (uint32_t i = SETTLE_LOOPS; i != 0u; i--)
        __asm volatile(""); /* a register loop the compiler keeps (no volatile stack slot) */
    return (GPIOB_REGS->GPIO_PORT & TRIGGER_PIN) == 0u;
}
