/* The code memory as NOR flash. SSRAM1 is plain RAM, so this driver enforces what real NOR
 * imposes: erase by page to 0xFF, program whole units, only into erased units never programmed
 * since (one bitmap bit per unit), programming only clears bits. The bitmap lives at a fixed
 * RAM address shared by bootloader and application and survives the guest-level reset; after
 * a cold start (magic absent) it is rebuilt from content. QEMU starts with code memory zeroed
 * where a factory-fresh NOR reads 0xFF, so a page that is entirely 0x00 at a cold start has
 * never been written and is set to 0xFF; then a unit that is not all 0xFF counts as
 * programmed. (A real image with a page-aligned 4 KiB of zeros would be damaged by this; the
 * bootloader would then refuse it, so the failure is loud.) */
#include <stdint.h>
#include <string.h>
#include "bleota/qemu/board.h"

#define UNITS (BO_QEMU_FLASH_SIZE / BO_QEMU_PROG_UNIT)
_Static_assert(BO_QEMU_PROG_UNIT == 16u, "unit_blank() checks 16-byte units");
#define NOR_MAGIC 0x524F4E42u /* "BNOR" */

typedef struct nor_state {
    uint32_t magic;
    uint32_t programmed[UNITS / 32u];
} nor_state_t;

static nor_state_t *nor(void)
{
    return (nor_state_t *)(uintptr_t)BO_QEMU_NOR_STATE_ADDR;
}

static uint8_t *mem(uint32_t addr)
{
    return (uint8_t *)(uintptr_t)addr;
}

static int unit_blank(uint32_t addr)
{
    const uint32_t *w = (const uint32_t *)(uintptr_t)addr;
    return (w[0] & w[1] & w[2] & w[3]) == 0xFFFFFFFFu; /* a 16-byte unit */
}

static int page_zero(uint32_t addr)
{
    const uint32_t *w = (const uint32_t *)(uintptr_t)addr;
    for (uint32_t i = 0; i < BO_QEMU_PAGE_SIZE / 4u; i++)
        if (w[i] != 0u)
            return 0;
    return 1;
}

static void nor_state_init(void)
{
    nor_state_t *s = nor();
    if (s->magic == NOR_MAGIC)
        return;
    for (uint32_t a = BO_QEMU_FLASH_BASE; a < BO_QEMU_FLASH_BASE + BO_QEMU_FLASH_SIZE;
         a += BO_QEMU_PAGE_SIZE)
        if (page_zero(a))
            memset(mem(a), 0xFF, BO_QEMU_PAGE_SIZE);
    /* each word's 32 units: unit b's bit shifted in from the top ends at bit b */
    uint32_t unit = BO_QEMU_FLASH_BASE;
    for (uint32_t i = 0; i < UNITS / 32u; i++) {
        uint32_t word = 0;
        for (uint32_t b = 0; b < 32u; b++, unit += BO_QEMU_PROG_UNIT) {
            word >>= 1;
            if (!unit_blank(unit))
                word |= 1u << 31;
        }
        s->programmed[i] = word;
    }
    s->magic = NOR_MAGIC;
}

/* What ctx holds: see bo_qemu_flash_bz2. */
static uint32_t view_offset(const void *ctx)
{
    return (uint32_t)(uintptr_t)ctx;
}

/* An address below the window wraps around to a distance far above its size. */
static int in_window(uint32_t addr, uint32_t len)
{
    return len <= BO_QEMU_FLASH_SIZE && addr - BO_QEMU_FLASH_BASE <= BO_QEMU_FLASH_SIZE - len;
}

/* One 16-byte unit, word by word: the DFU writer reads back every unit it programs, and a
 * memcpy call costs more than the copy (see bench/qemu-report.md). The Cortex-M4 loads and
 * stores unaligned words, so memcpy of 4 bytes compiles to one instruction. */
static void copy_unit(void *dst, const void *src)
{
    const uint8_t *s = src;
    uint8_t *d = dst;
    uint32_t w0, w1, w2, w3;
    memcpy(&w0, s, 4);
    memcpy(&w1, s + 4, 4);
    memcpy(&w2, s + 8, 4);
    memcpy(&w3, s + 12, 4);
    memcpy(d, &w0, 4);
    memcpy(d + 4, &w1, 4);
    memcpy(d + 8, &w2, 4);
    memcpy(d + 12, &w3, 4);
}

static int nor_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
    addr -= view_offset(ctx);
    if (!in_window(addr, len))
        return BO_ERR_RANGE;
    if (len == BO_QEMU_PROG_UNIT)
        copy_unit(buf, mem(addr));
    else
        memcpy(buf, mem(addr), len);
    return BO_OK;
}

static int nor_erase(void *ctx, uint32_t addr)
{
    addr -= view_offset(ctx);
    if (!in_window(addr, BO_QEMU_PAGE_SIZE))
        return BO_ERR_RANGE;
    if (addr % BO_QEMU_PAGE_SIZE)
        return BO_ERR_ALIGN;
    memset(mem(addr), 0xFF, BO_QEMU_PAGE_SIZE);
    /* the page's units: whole bitmap words, as a page holds a multiple of 32 units */
    _Static_assert(BO_QEMU_PAGE_SIZE / BO_QEMU_PROG_UNIT % 32u == 0u, "whole bitmap words");
    memset(&nor()->programmed[(addr - BO_QEMU_FLASH_BASE) / BO_QEMU_PROG_UNIT / 32u], 0,
           BO_QEMU_PAGE_SIZE / BO_QEMU_PROG_UNIT / 8u);
    return BO_OK;
}

static int nor_prog(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
    addr -= view_offset(ctx);
    if (!in_window(addr, len))
        return BO_ERR_RANGE;
    if (addr % BO_QEMU_PROG_UNIT || len % BO_QEMU_PROG_UNIT)
        return BO_ERR_ALIGN;
    uint32_t *bits = nor()->programmed;
    uint32_t first = (addr - BO_QEMU_FLASH_BASE) / BO_QEMU_PROG_UNIT;
    uint32_t end = first + len / BO_QEMU_PROG_UNIT;
    const uint32_t *w = (const uint32_t *)(uintptr_t)addr;
    for (uint32_t u = first; u < end; u++, w += 4)
        if ((bits[u / 32u] >> (u % 32u)) & 1u || (w[0] & w[1] & w[2] & w[3]) != 0xFFFFFFFFu)
            return BO_ERR_IO; /* a real NOR would not take it; nothing is written */
    /* Programming clears bits (dst &= src); every target byte is 0xFF here, so that is a copy. */
    if (len == BO_QEMU_PROG_UNIT)
        copy_unit(mem(addr), buf);
    else
        memcpy(mem(addr), buf, len);
    for (uint32_t u = first; u < end; u++)
        bits[u / 32u] |= 1u << (u % 32u);
    return BO_OK;
}

/* The code memory seen from view_base: the NOR functions, ctx the distance of the view's
 * addresses from the code memory's (view_offset). */
#define NOR_VIEW(view_base)                                                                       \
    {.ctx = (void *)(uintptr_t)((view_base) - BO_QEMU_FLASH_BASE),                               \
     .base = (view_base),                                                                         \
     .size = BO_QEMU_FLASH_SIZE,                                                                  \
     .page_size = BO_QEMU_PAGE_SIZE,                                                              \
     .prog_unit = BO_QEMU_PROG_UNIT,                                                              \
     .read = nor_read,                                                                            \
     .prog = nor_prog,                                                                            \
     .erase = nor_erase}

const bo_flash_t bo_qemu_flash_dev = NOR_VIEW(BO_QEMU_FLASH_BASE);

const bo_flash_t *bo_qemu_flash(void)
{
    nor_state_init();
    return &bo_qemu_flash_dev;
}

/* ---- The same flash at BZ2's addresses ----------------------------------------------------
 * Host tools for the serial executive (Microchip's scripts, `bleota serial`) address BZ2's
 * program flash (slot 1 at 0x01080000). This view maps [0x01000000, +1 MiB) onto the code
 * memory window, so they work on this board unchanged: the same functions (NOR_VIEW). An
 * address outside the view lands outside the window (modulo 2^32), so the window check
 * refuses it with the same errors. */
#define BZ2_BASE 0x01000000u

const bo_flash_t bo_qemu_flash_bz2_dev = NOR_VIEW(BZ2_BASE);

const bo_flash_t *bo_qemu_flash_bz2(void)
{
    nor_state_init();
    return &bo_qemu_flash_bz2_dev;
}
