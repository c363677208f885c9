/* Register and memory access for the drivers that also run on the host against the register
 * model of tests/pic32cxbz2 (the NVM driver). On the chip these are plain volatile accesses;
 * built with BO_BZ2_MODEL, every access goes to the model, which checks the sequence. */
#ifndef BO_BZ2_HW_H
#define BO_BZ2_HW_H

#include <stdbool.h>
#include <stdint.h>

#if defined(BO_BZ2_MODEL)
uint32_t bo_bz2_hw_rd(uint32_t addr);
void bo_bz2_hw_wr(uint32_t addr, uint32_t val);
/* The program-flash array as the CPU reads it (the model checks the controller is idle). */
const uint8_t *bo_bz2_hw_mem(uint32_t addr, uint32_t len);
/* The bus address of a RAM buffer the controller's row programming may read, or false when
 * the buffer is not in SRAM (the model decides which host buffers count as SRAM). */
bool bo_bz2_hw_sram(const void *p, uint32_t len, uint32_t *bus);
uint32_t bo_bz2_hw_irq_off(void);
void bo_bz2_hw_irq_restore(uint32_t primask);
#define BO_BZ2_RAMFUNC
#else
__attribute__((always_inline)) static inline uint32_t bo_bz2_hw_rd(uint32_t addr)
{
    return *(volatile const uint32_t *)(uintptr_t)addr;
}

__attribute__((always_inline)) static inline void bo_bz2_hw_wr(uint32_t addr, uint32_t val)
{
    *(volatile uint32_t *)(uintptr_t)addr = val;
}

static inline const uint8_t *bo_bz2_hw_mem(uint32_t addr, uint32_t len)
{
    (void)len;
    return (const uint8_t *)(uintptr_t)addr;
}

#define BO_BZ2_SRAM_BASE 0x20000000u
#define BO_BZ2_SRAM_SIZE 0x00020000u

__attribute__((always_inline)) static inline bool bo_bz2_hw_sram(const void *p, uint32_t len,
                                                                 uint32_t *bus)
{
    uint32_t a = (uint32_t)(uintptr_t)p;
    *bus = a;
    return a >= BO_BZ2_SRAM_BASE && len <= BO_BZ2_SRAM_SIZE &&
           a - BO_BZ2_SRAM_BASE <= BO_BZ2_SRAM_SIZE - len;
}

__attribute__((always_inline)) static inline uint32_t bo_bz2_hw_irq_off(void)
{
    uint32_t pm;
    __asm volatile("mrs %0, primask\n cpsid i" : "=r"(pm)::"memory");
    return pm;
}

__attribute__((always_inline)) static inline void bo_bz2_hw_irq_restore(uint32_t primask)
{
    __asm volatile("msr primask, %0" ::"r"(primask) : "memory");
}

/* Code that runs while the (single-bank) flash is busy: in SRAM, called with a long call. */
#define BO_BZ2_RAMFUNC __attribute__((section(".ramfunc"), noinline, long_call))
#endif

/* v, of a value the optimiser no longer knows (an empty asm): no constant rebuilt from it, no
 * code copied per known value. */
__attribute__((always_inline)) static inline uint32_t bo_bz2_hw_opaque(uint32_t v)
{
    __asm("" : "+r"(v));
    return v;
}

/* The unlock sequence of NVMKEY and CFG_SYSKEY: 0, 0xAA996655, then its complement 0x556699AA,
 * taken at run time (one MVN, where GCC builds the constant in three 32-bit instructions). */
__attribute__((always_inline)) static inline void bo_bz2_hw_unlock(uint32_t key_reg)
{
    uint32_t key = bo_bz2_hw_opaque(0xAA996655u);
    bo_bz2_hw_wr(key_reg, 0u);
    bo_bz2_hw_wr(key_reg, key);
    bo_bz2_hw_wr(key_reg, ~key);
}

#endif
