/* One flash operation from start to finish, run from SRAM: the PIC32CX-BZ2 has a single flash
 * bank, so no instruction may be fetched from flash while the controller works (the bootloader
 * installs into the bank it runs from, the application writes slot 1 beside its own code).
 *
 * Interrupts stay masked for the whole operation (at most one page erase): a handler would have
 * to fetch from the busy flash anyway. The controller's own interrupt belongs to Microchip's
 * plib (PDS uses it): it is held off during our operation and its pending bit cleared, so
 * another driver never sees a completion that is not its own. An operation another driver
 * started is waited for first. Stale error bits are cleared with a NOP operation first, so the
 * result describes this operation only. The caches are invalidated before returning: the
 * prefetch cache may hold the old contents of what was just written (reference §2.6, gap 1).
 *
 * Everything here is inlined (hw.h), plain code or in SRAM itself (start_and_wait: one copy
 * for the NOP and the operation): no call may leave SRAM. */
#include <stdint.h>
#include "hw.h"
#include "nvm_priv.h"
#include "nvm_regs.h"

__attribute__((always_inline)) static inline void wait_idle(void)
{
    while ((bo_bz2_hw_rd(BZ2_NVMCON) & BZ2_NVMCON_WR) != 0u) {
    }
}

/* The unlock-and-start sequence of the plib's NVM_StartOperationAtAddress: NVMOP may only be
 * changed while WREN is 0, and the status bits live in the same register, hence the aliases.
 * Called with interrupts masked (bo_bz2_p_nvm_run). */
BO_BZ2_RAMFUNC static void start_and_wait(uint32_t op)
{
    bo_bz2_hw_wr(BZ2_NVMCONCLR, BZ2_NVMCON_WREN);
    bo_bz2_hw_wr(BZ2_NVMCONCLR, BZ2_NVMCON_NVMOP_MSK);
    bo_bz2_hw_wr(BZ2_NVMCONSET, op);
    bo_bz2_hw_wr(BZ2_NVMCONSET, BZ2_NVMCON_WREN);
    bo_bz2_hw_unlock(BZ2_NVMKEY);
    bo_bz2_hw_wr(BZ2_NVMCONSET, BZ2_NVMCON_WR);
    wait_idle();
    bo_bz2_hw_wr(BZ2_NVMCONCLR, BZ2_NVMCON_WREN);
}

/* The prefetch cache may hold what another driver's operation just changed: invalidated. */
__attribute__((always_inline)) static inline void invalidate_cache(void)
{
    uint32_t checon = bo_bz2_hw_rd(BZ2_PCHE_CHECON);
    bo_bz2_hw_wr(BZ2_PCHE_CHECON, checon | BZ2_PCHE_ICHEINV | BZ2_PCHE_DCHEINV);
    bo_bz2_hw_wr(BZ2_PCHE_CHECON, checon);
}

BO_BZ2_RAMFUNC void bo_bz2_p_nvm_idle(void)
{
    if ((bo_bz2_hw_rd(BZ2_NVMCON) & BZ2_NVMCON_WR) != 0u) {
        wait_idle();
        invalidate_cache();
    }
}

/* The quad-word's source may be unaligned (Cortex-M4 word loads allow it). */
typedef uint32_t __attribute__((may_alias, aligned(1))) bz2_word_t;

BO_BZ2_RAMFUNC uint32_t bo_bz2_p_nvm_run(uint32_t op, uint32_t addr, const void *data, uint32_t src)
{
    const uint32_t irq = 1u << BZ2_FLASH_CONTROL_IRQN;
    uint32_t pm = bo_bz2_hw_irq_off();
    uint32_t irq_was_on = bo_bz2_hw_rd(BZ2_NVIC_ISER0) & irq;
    bo_bz2_hw_wr(BZ2_NVIC_ICER0, irq);
    wait_idle(); /* another driver's operation */
    if ((bo_bz2_hw_rd(BZ2_NVMCON) & BZ2_NVMCON_ERR) != 0u)
        start_and_wait(BZ2_NVMOP_NOP);
    bo_bz2_hw_wr(BZ2_NVMADDR, addr);
    if (op == BZ2_NVMOP_QUAD) {
        const bz2_word_t *w = data;
        bo_bz2_hw_wr(BZ2_NVMDATA(0), w[0]);
        bo_bz2_hw_wr(BZ2_NVMDATA(1), w[1]);
        bo_bz2_hw_wr(BZ2_NVMDATA(2), w[2]);
        bo_bz2_hw_wr(BZ2_NVMDATA(3), w[3]);
    } else if (op == BZ2_NVMOP_ROW) {
        bo_bz2_hw_wr(BZ2_NVMSRCADDR, src);
    }
    op = bo_bz2_hw_opaque(op); /* one path on: GCC would copy the tail for each known op */
    start_and_wait(op);
    uint32_t err = bo_bz2_hw_rd(BZ2_NVMCON) & BZ2_NVMCON_ERR;
    if (op != BZ2_NVMOP_NOP)
        invalidate_cache();
    bo_bz2_hw_wr(BZ2_NVIC_ICPR0, irq);
    if (irq_was_on != 0u)
        bo_bz2_hw_wr(BZ2_NVIC_ISER0, irq);
    bo_bz2_hw_irq_restore(pm);
    return err;
}
