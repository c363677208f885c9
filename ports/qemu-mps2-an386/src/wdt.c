/* The CMSDK APB watchdog of mps2-an386 (0x40008000, clocked by SYSCLK = 25 MHz, the SysTick's
 * clock too) and the guest-level reset it triggers.
 *
 * RESEN stays off: on the second expiry QEMU would perform its system reset, which reloads the
 * files it started with and so undoes every flash write. Only INTEN is set; its line is the
 * NMI on this board (QEMU's hw/arm/mps2.c), so the first expiry enters bo_qemu_nmi_isr even
 * with interrupts masked, and the handler does the guest-level reset into the bootloader. */
#include <stdint.h>
#include "bleota/qemu/board.h"
#include "sys_priv.h"

#define WDOG_BASE 0x40008000u
#define WDOG_REG(off) (*(volatile uint32_t *)(WDOG_BASE + (off)))
#define WDOG_LOAD WDOG_REG(0x000u)   /* a write reloads the counter */
#define WDOG_CTRL WDOG_REG(0x008u)   /* bit 0 INTEN, bit 1 RESEN */
#define WDOG_INTCLR WDOG_REG(0x00Cu) /* a write clears the interrupt, reloads the counter */
#define WDOG_MIS WDOG_REG(0x014u)    /* masked interrupt status */
#define WDOG_LOCK WDOG_REG(0xC00u)
#define WDOG_UNLOCK 0x1ACCE551u
#define WDOG_CTRL_INTEN 1u
#define WDOG_TICKS_PER_MS (BO_QEMU_CPU_HZ / 1000u)
#define XPSR_THUMB 0x01000000u
#define SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)

/* Every register write is bracketed by unlock/lock, so a stray store cannot stop it. */
int bo_qemu_p_wdt_start(void *ctx, uint32_t period_ms)
{
    (void)ctx;
    if (period_ms == 0u || period_ms > UINT32_MAX / WDOG_TICKS_PER_MS)
        return BO_ERR_ARG;
    WDOG_LOCK = WDOG_UNLOCK;
    WDOG_LOAD = period_ms * WDOG_TICKS_PER_MS;
    /* QEMU's counter runs from power-on: an expiry latched while INTEN was off would fire
     * as soon as INTEN is set. */
    WDOG_INTCLR = 1u;
    WDOG_CTRL = WDOG_CTRL_INTEN;
    WDOG_LOCK = 0u;
    return BO_OK;
}

void bo_qemu_p_wdt_feed(void *ctx)
{
    (void)ctx;
    WDOG_LOCK = WDOG_UNLOCK;
    WDOG_INTCLR = 1u;
    WDOG_LOCK = 0u;
}

void bo_qemu_p_wdt_disarm(void)
{
    WDOG_LOCK = WDOG_UNLOCK;
    WDOG_INTCLR = 1u; /* first: the NMI line drops before anything else is written */
    WDOG_CTRL = 0u;
    WDOG_LOCK = 0u;
}

/* Exception return from this handler straight into the bootloader's reset handler, in thread
 * mode on MSP: a basic frame whose PC is that reset handler sits just below the bootloader's
 * initial stack pointer, so the stack is where a reset would leave it once the frame pops. */
__attribute__((noreturn)) static void return_into_bootloader(void)
{
    const volatile uint32_t *vt = bo_qemu_p_fixed_addr(BO_QEMU_BOOT_BASE);
    uint32_t sp = vt[0], pc = vt[1];
    SCB_VTOR = BO_QEMU_BOOT_BASE;
    __asm volatile("dsb\n isb" ::: "memory");
    __asm volatile("bic r0, %0, #7\n"
                   "sub r0, r0, #32\n" /* r0-r3, r12, lr, pc, xpsr */
                   "bic r1, %1, #1\n"  /* a stacked PC has no Thumb bit */
                   "str r1, [r0, #24]\n"
                   "str %2, [r0, #28]\n"
                   "movs r1, #0\n"
                   "msr control, r1\n" /* privileged thread mode, as after a reset */
                   "msr msp, r0\n"
                   "isb\n"
                   "mvn lr, #6\n" /* EXC_RETURN 0xFFFFFFF9: thread mode, MSP, basic frame */
                   "bx lr\n"
                   :
                   : "r"(sp), "r"(pc), "r"(XPSR_THUMB)
                   : "r0", "r1", "lr", "memory");
    __builtin_unreachable();
}

/* The line's first half is the caller's (why the reset). */
__attribute__((noreturn)) static void reset_from_handler(void)
{
    bo_qemu_p_core_reset(); /* disarms the watchdog first */
    bo_qemu_puts(", reset into the bootloader\n");
    return_into_bootloader();
}

void bo_qemu_p_reset_if_watched(void)
{
    if ((WDOG_CTRL & WDOG_CTRL_INTEN) != 0u)
        reset_from_handler();
}

void bo_qemu_nmi_isr(void)
{
    if ((WDOG_MIS & 1u) == 0u) /* nothing else raises the NMI on this board */
        bo_qemu_fault_isr();
    bo_qemu_puts("wdt: expired");
    reset_from_handler();
}
