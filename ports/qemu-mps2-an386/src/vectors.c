/* The vector table of applications and benchmarks: the 16 system exceptions and the board's 32
 * interrupts. Linked into an image by EXTERN(bo_qemu_vectors) in ld/app.ld and ld/bench.ld; the
 * bootloader has its own (apps/bootloader/qemu-mps2-an386/vectors.c). */
#include <stdint.h>
#include "bleota/qemu/board.h"

/* NMI: the watchdog's expiry; HardFault: a reset into the bootloader while watched. The 32
 * interrupts stay 0: no image on this board enables one (polled drivers). */
__attribute__((section(".isr_vector"), used)) void (*const bo_qemu_vectors[48])(void) = {
    BO_QEMU_SYSTEM_VECTORS(bo_qemu_nmi_isr, bo_qemu_hardfault_isr)};
