/* Private to the NVM driver: the SRAM-resident operation (nvm_ram.c). */
#ifndef BO_BZ2_NVM_PRIV_H
#define BO_BZ2_NVM_PRIV_H

#include <stdint.h>

/* Runs one controller operation (BZ2_NVMOP_*) at addr: data = the 16 bytes of a quad-word (any
 * alignment), src = the bus address of the 1 KiB SRAM source of a row. Waits for another
 * driver's operation first, clears stale errors, invalidates the prefetch cache afterwards. Returns
 * the NVMCON error bits of this operation (0: done). */
uint32_t bo_bz2_p_nvm_run(uint32_t op, uint32_t addr, const void *data, uint32_t src);

/* Returns once no operation runs (another driver's, e.g. Microchip's PDS, started from a task
 * we preempted): the array must not be read while the controller works. Spins in SRAM. */
void bo_bz2_p_nvm_idle(void);

#endif
