/* Shared by sys.c and wdt.c: the two halves of the guest-level reset. */
#ifndef BLEOTA_QEMU_SYS_PRIV_H
#define BLEOTA_QEMU_SYS_PRIV_H

#include <stdint.h>

/* A pointer to a fixed address the compiler cannot reason about (GCC treats addresses below
 * 4 KiB as offsets from NULL and warns). */
static inline const volatile void *bo_qemu_p_fixed_addr(uint32_t addr)
{
    const volatile void *p;
    __asm volatile("" : "=r"(p) : "0"(addr));
    return p;
}

/* What a chip reset does to the core state this port uses: interrupts masked, watchdog
 * disarmed, SysTick off, NVIC interrupts disabled and nothing pending, system handlers no
 * longer active (so a handler-mode caller can return to thread mode), no lazy FP state. */
void bo_qemu_p_core_reset(void);

/* The watchdog stopped and its interrupt cleared (a chip reset does this). */
void bo_qemu_p_wdt_disarm(void);
int bo_qemu_p_wdt_start(void *ctx, uint32_t period_ms);
void bo_qemu_p_wdt_feed(void *ctx);
/* From handler mode, if the watchdog is armed (someone relies on it to recover the board): the
 * core reset, ", reset into the bootloader" ending the caller's console line, and an exception
 * return into the bootloader's reset handler, as the watchdog's NMI does. Else returns. */
void bo_qemu_p_reset_if_watched(void);

#endif
