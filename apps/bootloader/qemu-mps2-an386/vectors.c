/* The bootloader's vector table: the system exceptions only (it enables no interrupt), with NMI
 * and HardFault ending the run like any unexpected exception. The watchdog is never armed while
 * the bootloader runs (every reset path disarms it, and it is armed for a trial image right
 * before the jump), so the applications' watchdog NMI and watched-HardFault reset, which the
 * port's table names, cannot happen here and are not linked in. */
#include <stdint.h>
#include "bleota/qemu/board.h"

extern uint32_t _estack;

__attribute__((section(".isr_vector"), used)) void (*const bo_qemu_boot_vectors[16])(void) = {
    (void (*)(void))(uintptr_t)&_estack,
    bo_qemu_reset_isr,
    bo_qemu_fault_isr, /* NMI: only the watchdog raises it, and it is off here */
    bo_qemu_fault_isr, /* HardFault */
    bo_qemu_fault_isr, /* MemManage */
    bo_qemu_fault_isr, /* BusFault */
    bo_qemu_fault_isr, /* UsageFault */
    0,
    0,
    0,
    0,
    bo_qemu_fault_isr, /* SVC */
    bo_qemu_fault_isr, /* DebugMon */
    0,
    bo_qemu_fault_isr, /* PendSV */
    bo_qemu_systick_isr,
};
