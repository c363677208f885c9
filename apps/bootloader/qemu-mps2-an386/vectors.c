/* The bootloader's vector table: the system exceptions only (it enables no interrupt), with NMI
 * and HardFault ending the run like any unexpected exception. The watchdog is never armed while
 * the bootloader runs (every reset path disarms it, and it is armed for a trial image right
 * before the jump), so the applications' watchdog NMI and watched-HardFault reset, which the
 * port's table names, cannot happen here and are not linked in. */
#include <stdint.h>
#include "bleota/qemu/board.h"

__attribute__((section(".isr_vector"), used)) void (*const bo_qemu_boot_vectors[16])(void) = {
    BO_QEMU_SYSTEM_VECTORS(bo_qemu_fault_isr, bo_qemu_fault_isr)};
