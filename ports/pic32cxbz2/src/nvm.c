/* The NVM controller behind the flash port contract (port.h): erase one 4 KiB page, program
 * 16-byte quad-words or 1 KiB rows, read the memory-mapped array. The operation itself runs
 * from SRAM (nvm_ram.c); this file checks the request and picks the operations.
 *
 * Strict like the NOR model: misaligned or out-of-window requests are refused before the
 * controller is touched, and so is a program over anything that is not blank. The controller
 * cannot tell a quad-word programmed with 0xFF from an erased one, and reprogramming a written
 * quad-word is forbidden (DS 24.13), so an all-0xFF quad-word is never programmed: then "reads
 * 0xFF" means "erased" and the blank check is exact. (A row is programmed whole; the contract
 * gives each unit one program per erase, so its 0xFF units are not programmed again.)
 * Built for the host with BO_BZ2_MODEL, every register access goes to the register model of
 * tests/pic32cxbz2. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "bleota/pic32cxbz2/board.h"
#include "hw.h"
#include "nvm_priv.h"
#include "nvm_regs.h"

/* An address below the window wraps around to a distance far above its size. */
static bool in_window(uint32_t addr, uint32_t len)
{
    return len <= BZ2_PFM_SIZE && addr - BZ2_PFM_BASE <= BZ2_PFM_SIZE - len;
}

static bool all_ff(const uint8_t *p, uint32_t len)
{
    uint8_t acc = 0xFFu;
    for (uint32_t i = 0; i < len; i++)
        acc &= p[i];
    return acc == 0xFFu;
}

/* A failed operation leaves WRERR/LVDERR set: a NOP clears them for the next one. */
static int run(uint32_t op, uint32_t addr, const void *data, uint32_t src)
{
    if (bo_bz2_p_nvm_run(op, addr, data, src) == 0u)
        return BO_OK;
    (void)bo_bz2_p_nvm_run(BZ2_NVMOP_NOP, 0u, NULL, 0u);
    return BO_ERR_IO;
}

static int nvm_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
    (void)ctx;
    if (!in_window(addr, len))
        return BO_ERR_RANGE;
    if (len != 0u) {
        bo_bz2_p_nvm_idle();
        memcpy(buf, bo_bz2_hw_mem(addr, len), len);
    }
    return BO_OK;
}

static int nvm_erase(void *ctx, uint32_t addr)
{
    (void)ctx;
    if (!in_window(addr, BZ2_NVM_PAGE))
        return BO_ERR_RANGE;
    if (addr % BZ2_NVM_PAGE != 0u)
        return BO_ERR_ALIGN;
    return run(BZ2_NVMOP_PAGE_ERASE, addr, NULL, 0u);
}

static int prog_quad(uint32_t addr, const uint8_t *src)
{
    if (all_ff(src, BZ2_NVM_QUAD))
        return BO_OK; /* stays erased: see the top */
    return run(BZ2_NVMOP_QUAD, addr, src, 0u);
}

/* A whole row in one operation when the controller can fetch the source itself: 1 KiB of
 * word-aligned SRAM (the OTA staging buffer is; flash or unaligned sources are not). */
static bool row_source(uint32_t addr, const uint8_t *src, uint32_t left, uint32_t *bus)
{
    return addr % BZ2_NVM_ROW == 0u && left >= BZ2_NVM_ROW && ((uintptr_t)src & 3u) == 0u &&
           bo_bz2_hw_sram(src, BZ2_NVM_ROW, bus);
}

static int nvm_prog(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
    (void)ctx;
    const uint8_t *src = buf;
    if (!in_window(addr, len))
        return BO_ERR_RANGE;
    if (addr % BZ2_NVM_QUAD != 0u || len % BZ2_NVM_QUAD != 0u || len == 0u)
        return BO_ERR_ALIGN;
    bo_bz2_p_nvm_idle();
    if (!all_ff(bo_bz2_hw_mem(addr, len), len))
        return BO_ERR_IO; /* not erased: real flash would not take it; nothing written */
    for (uint32_t off = 0; off < len;) {
        uint32_t bus;
        int rc;
        if (row_source(addr + off, src + off, len - off, &bus)) {
            rc = all_ff(src + off, BZ2_NVM_ROW) ? BO_OK : run(BZ2_NVMOP_ROW, addr + off, NULL, bus);
            off += BZ2_NVM_ROW;
        } else {
            rc = prog_quad(addr + off, src + off);
            off += BZ2_NVM_QUAD;
        }
        if (rc != BO_OK)
            return rc;
    }
    return BO_OK;
}

/* The program flash's geometry with the given operations (the driver, or the read-only view). */
#define PFM_DEV(rd, pr, er)                                                                       \
    {.base = BZ2_PFM_BASE,                                                                        \
     .size = BZ2_PFM_SIZE,                                                                        \
     .page_size = BZ2_NVM_PAGE,                                                                   \
     .prog_unit = BZ2_NVM_QUAD,                                                                   \
     .read = (rd),                                                                                \
     .prog = (pr),                                                                                \
     .erase = (er)}

const bo_flash_t bo_bz2_flash_dev = PFM_DEV(nvm_read, nvm_prog, nvm_erase);

const bo_flash_t *bo_bz2_flash(void)
{
    return &bo_bz2_flash_dev;
}

/* ---- Read only, nothing in RAM ------------------------------------------------------------- */
static int ro_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
    (void)ctx;
    if (!in_window(addr, len))
        return BO_ERR_RANGE;
    if (len != 0u)
        memcpy(buf, bo_bz2_hw_mem(addr, len), len);
    return BO_OK;
}

static int ro_prog(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
    (void)ctx;
    (void)addr;
    (void)buf;
    (void)len;
    return BO_ERR_STATE;
}

static int ro_erase(void *ctx, uint32_t addr)
{
    (void)ctx;
    (void)addr;
    return BO_ERR_STATE;
}

const bo_flash_t bo_bz2_flash_reader_dev = PFM_DEV(ro_read, ro_prog, ro_erase);

const bo_flash_t *bo_bz2_flash_reader(void)
{
    return &bo_bz2_flash_reader_dev;
}

void bo_bz2_nvm_init(void)
{
    (void)bo_bz2_p_nvm_run(BZ2_NVMOP_NOP, 0u, NULL, 0u);
}

/* ---- Write protection -------------------------------------------------------------------------
 * The protection registers only take a write right after the unlock sequence (DS 24.7.1); the
 * sequence must not be interrupted. The 24-bit fields hold the low address bits, as the plib
 * writes them (reference §2.4, [INF]). */
static void unlocked_write(uint32_t reg, uint32_t val)
{
    uint32_t pm = bo_bz2_hw_irq_off();
    bo_bz2_hw_unlock(BZ2_NVMKEY);
    bo_bz2_hw_wr(reg, val);
    bo_bz2_hw_irq_restore(pm);
}

int bo_bz2_nvm_protect(uint32_t below, uint32_t from, bool lock)
{
    if (below < BZ2_PFM_BASE || from < BZ2_PFM_BASE || below - BZ2_PFM_BASE > BZ2_PFM_SIZE ||
        from - BZ2_PFM_BASE > BZ2_PFM_SIZE || below % BZ2_NVM_PAGE != 0u ||
        from % BZ2_NVM_PAGE != 0u)
        return BO_ERR_ARG;
    if ((bo_bz2_hw_rd(BZ2_NVMPWPLT) & BZ2_NVM_ULOCK) == 0u ||
        (bo_bz2_hw_rd(BZ2_NVMPWPGTE) & BZ2_NVM_ULOCK) == 0u)
        return BO_ERR_STATE;
    /* "from" at the end of the flash protects nothing: the field's reset value 0xFFFFFF */
    uint32_t gte = from - BZ2_PFM_BASE == BZ2_PFM_SIZE ? BZ2_NVM_WP_FIELD : from;
    unlocked_write(BZ2_NVMPWPLT, (below & BZ2_NVM_WP_FIELD) | BZ2_NVM_ULOCK);
    unlocked_write(BZ2_NVMPWPGTE, (gte & BZ2_NVM_WP_FIELD) | BZ2_NVM_ULOCK);
    if (lock) {
        unlocked_write(BZ2_NVMPWPLT + BZ2_CLR, BZ2_NVM_ULOCK);
        unlocked_write(BZ2_NVMPWPGTE + BZ2_CLR, BZ2_NVM_ULOCK);
    }
    return BO_OK;
}

/* One boot-flash half (NVMLBWP or NVMUBWP), unless already frozen: every page protected, then
 * the register frozen. */
__attribute__((noinline)) static void lock_boot_half(uint32_t reg)
{
    if ((bo_bz2_hw_rd(reg) & BZ2_NVM_ULOCK) != 0u) {
        unlocked_write(reg + BZ2_SET, BZ2_NVM_WP_FIELD);
        unlocked_write(reg + BZ2_CLR, BZ2_NVM_ULOCK);
    }
}

void bo_bz2_nvm_lock_boot_flash(void)
{
    lock_boot_half(BZ2_NVMLBWP);
    lock_boot_half(BZ2_NVMUBWP);
}
