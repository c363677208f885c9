/* Vector table and reset for every image of this port (bootloader and applications): 16 system
 * exceptions and the chip's 40 interrupts (224 bytes). Unexpected exceptions stop in a loop,
 * as Microchip's default handlers do (the watchdog, when on, then resets the chip). */
#include <stdint.h>
#include "bleota/pic32cxbz2/board.h"
#include "chip.h"

extern uint32_t _sidata, _sdata, _sbss, _ebss, _estack;
extern uint32_t _eramfunc;
int main(void);
void Reset_Handler(void);
void bo_bz2_systick_isr(void);
void bo_bz2_fault_isr(void);
__attribute__((weak)) void bo_bz2_early(void) {}

void bo_bz2_fault_isr(void)
{
    for (;;) {
    }
}

#define IRQS 40u
__attribute__((section(".vectors"), used)) void (*const bo_bz2_vectors[16u + IRQS])(void) = {
    [0] = (void (*)(void))(uintptr_t)&_estack,
    [1] = Reset_Handler,
    [2] = bo_bz2_fault_isr,  /* NMI */
    [3] = bo_bz2_fault_isr,  /* HardFault */
    [4] = bo_bz2_fault_isr,  /* MemManage */
    [5] = bo_bz2_fault_isr,  /* BusFault */
    [6] = bo_bz2_fault_isr,  /* UsageFault */
    [11] = bo_bz2_fault_isr, /* SVC */
    [12] = bo_bz2_fault_isr, /* DebugMon */
    [14] = bo_bz2_fault_isr, /* PendSV */
    [15] = bo_bz2_systick_isr,
    [16 ... 16u + IRQS - 1u] = bo_bz2_fault_isr, /* polled drivers: no interrupt is enabled */
};

/* A linker symbol's address, hidden from the optimiser (an asm output may point to any global):
 * the loops below write memory that holds every other static object, which a points-to
 * analysis (-fipa-pta, cmake/lto.cmake) must not take for the symbol's own 4 bytes. */
static inline uint32_t *section_addr(uint32_t *sym)
{
    __asm("" : "+r"(sym));
    return sym;
}

void Reset_Handler(void)
{
    bo_bz2_early();
    /* .data and .ramfunc: adjacent in RAM and in flash (the linker scripts check it), one copy */
    uint32_t *d = section_addr(&_sdata), *s = section_addr(&_sidata);
    while (d < section_addr(&_eramfunc))
        *d++ = *s++;
    for (d = section_addr(&_sbss); d < section_addr(&_ebss);)
        *d++ = 0u;
    SCB->CPACR |= (3u << 20) | (3u << 22); /* CP10/CP11: the hard-float ABI uses the FPU */
    SCB->VTOR = (uint32_t)(uintptr_t)bo_bz2_vectors;
    __DSB();
    __ISB();
    (void)main();
    for (;;) {
    }
}
