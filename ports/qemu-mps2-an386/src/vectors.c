/* The vector table of applications and benchmarks: the 16 system exceptions and the board's 32
 * interrupts. Linked into an image by EXTERN(bo_qemu_vectors) in ld/app.ld and ld/bench.ld; the
 * bootloader has its own (apps/bootloader/qemu-mps2-an386/vectors.c). */
#include <stdint.h>
#include "bleota/qemu/board.h"

extern uint32_t _estack;

__attribute__((section(".isr_vector"), used)) void (*const bo_qemu_vectors[48])(void) = {
    (void (*)(void))(uintptr_t)&_estack,
    bo_qemu_reset_isr,
    bo_qemu_nmi_isr,       /* NMI: the watchdog */
    bo_qemu_hardfault_isr, /* HardFault */
    bo_qemu_fault_isr,     /* MemManage */
    bo_qemu_fault_isr,     /* BusFault */
    bo_qemu_fault_isr,     /* UsageFault */
    0,
    0,
    0,
    0,
    bo_qemu_fault_isr, /* SVC */
    bo_qemu_fault_isr, /* DebugMon */
    0,
    bo_qemu_fault_isr, /* PendSV */
    bo_qemu_systick_isr,
    /* the 32 interrupts stay 0: no image on this board enables one (polled drivers) */
};
