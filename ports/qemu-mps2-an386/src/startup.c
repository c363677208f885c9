/* Reset and exception handlers for every image on this board (bootloader, application,
 * benchmarks); the vector tables that name them are vectors.c's (applications, benchmarks) and
 * the bootloader's own. Any unexpected exception ends the QEMU run with a distinct status, so a
 * test never hangs, except a HardFault while the watchdog is armed (below). */
#include <stdint.h>
#include "bleota/qemu/board.h"
#include "sys_priv.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss;
extern void (*const _svectors[])(void); /* the image's vector table (sections.ld) */
int main(void);

#define BO_SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)
#define BO_SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define BO_EXIT_FAULT 100
#define BO_EXIT_HARDFAULT 101

void bo_qemu_fault_isr(void)
{
    bo_qemu_puts("fault: unexpected exception\n");
    bo_qemu_exit(BO_EXIT_FAULT);
}

/* With the watchdog armed (an image on trial, or one that relies on it) the board is meant to
 * recover: a real chip's fault ends in a reset, by its handler or by the watchdog a period
 * later. The guest-level reset is done at once, so the bootloader decides (an unconfirmed trial
 * image is reverted). Unwatched, nothing would recover the board: end the run. */
void bo_qemu_hardfault_isr(void)
{
    bo_qemu_puts("fault: hard fault");
    bo_qemu_p_reset_if_watched();
    bo_qemu_puts("\n");
    bo_qemu_exit(BO_EXIT_HARDFAULT);
}

/* A linker symbol's address, hidden from the optimiser (an asm output may point to any global):
 * the loops below write memory that holds every other static object, which a points-to
 * analysis (-fipa-pta, cmake/lto.cmake) must not take for the symbol's own 4 bytes. */
static inline uint32_t *section_addr(uint32_t *sym)
{
    __asm("" : "+r"(sym));
    return sym;
}

void bo_qemu_reset_isr(void)
{
    /* The bootloader enters us with VTOR already set; a direct -kernel start does not. */
    BO_SCB_VTOR = (uint32_t)(uintptr_t)_svectors;
    uint32_t *d = section_addr(&_sdata), *s = section_addr(&_sidata);
    while (d < section_addr(&_edata))
        *d++ = *s++;
    for (d = section_addr(&_sbss); d < section_addr(&_ebss);)
        *d++ = 0;
#if defined(__ARM_FP)
    BO_SCB_CPACR |= 0xFu << 20; /* CP10/CP11: the hard-float ABI may use FPU registers */
    __asm volatile("dsb\n isb" ::: "memory");
#endif
    bo_qemu_exit(main());
}
