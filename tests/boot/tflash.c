#include "tflash.h"
#include <stdlib.h>
#include <string.h>
#include "bleota/layout_bz2.h"

static uint32_t rnd(tflash_t *t)
{
    t->seed = t->seed * 1103515245u + 12345u;
    return t->seed >> 8;
}

static bool in(const tflash_t *t, uint32_t addr, uint32_t len)
{
    return addr >= t->flash.base && (uint64_t)addr + len <= (uint64_t)t->flash.base + t->flash.size;
}

/* Counts an op; false when power is (now) off. Sets *tear for the op that is cut torn. */
static bool op_begin(tflash_t *t, bool *tear)
{
    *tear = false;
    if (t->off) {
        return false;
    }
    t->ops++;
    if (t->cut_at != 0 && t->ops >= t->cut_at) {
        t->off = true;
        *tear = t->torn;
        return false;
    }
    return true;
}

static int t_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
    tflash_t *t = ctx;
    if (t->off) {
        return BO_ERR_POWER;
    }
    if (!in(t, addr, len)) {
        return BO_ERR_RANGE;
    }
    if (t->bad_read != 0 && addr <= t->bad_read && t->bad_read - addr < len) {
        return BO_ERR_IO;
    }
    memcpy(buf, t->mem + (addr - t->flash.base), len);
    return BO_OK;
}

static int t_prog(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
    tflash_t *t = ctx;
    uint32_t u = t->flash.prog_unit;
    if (!in(t, addr, len) || (addr - t->flash.base) % u || len % u) {
        t->violations++;
        return BO_ERR_ALIGN;
    }
    uint32_t off = addr - t->flash.base;
    for (uint32_t i = 0; i < len / u; i++) {
        if (t->used[off / u + i]) {
            t->violations++;
            return BO_ERR_STATE;
        }
    }
    bool tear;
    if (!op_begin(t, &tear)) {
        if (tear) { /* a random subset of the 1->0 transitions lands */
            const uint8_t *b = buf;
            for (uint32_t i = 0; i < len; i++) {
                t->mem[off + i] &= (uint8_t)(b[i] | (uint8_t)rnd(t));
            }
        }
        return BO_ERR_POWER;
    }
    const uint8_t *b = buf;
    for (uint32_t i = 0; i < len; i++) {
        t->mem[off + i] &= b[i];
    }
    if (t->weak_addr >= addr && t->weak_addr < addr + len) {
        t->mem[t->weak_addr - t->flash.base] = 0xFF;
    }
    memset(t->used + off / u, 1, len / u);
    return BO_OK;
}

static int t_erase(void *ctx, uint32_t addr)
{
    tflash_t *t = ctx;
    uint32_t p = t->flash.page_size, u = t->flash.prog_unit;
    if (!in(t, addr, p) || (addr - t->flash.base) % p) {
        t->violations++;
        return BO_ERR_ALIGN;
    }
    uint32_t off = addr - t->flash.base;
    bool tear;
    if (!op_begin(t, &tear)) {
        if (tear) { /* part of the page (a prefix, in units) is erased */
            uint32_t n = (rnd(t) % (p / u)) * u;
            memset(t->mem + off, 0xFF, n);
            /* a torn page is not trusted erased: the model keeps its units marked used */
        }
        return BO_ERR_POWER;
    }
    memset(t->mem + off, 0xFF, p);
    memset(t->used + off / u, 0, p / u);
    return BO_OK;
}

void tflash_init(tflash_t *t)
{
    memset(t, 0, sizeof *t);
    t->flash = (bo_flash_t){t,
                            BO_BZ2_FLASH_BASE,
                            BO_BZ2_FLASH_SIZE,
                            BO_BZ2_PAGE_SIZE,
                            BO_BZ2_PROG_UNIT,
                            t_read,
                            t_prog,
                            t_erase};
    t->mem = malloc(BO_BZ2_FLASH_SIZE);
    t->used = calloc(BO_BZ2_FLASH_SIZE / BO_BZ2_PROG_UNIT, 1);
    memset(t->mem, 0xFF, BO_BZ2_FLASH_SIZE);
}

void tflash_free(tflash_t *t)
{
    free(t->mem);
    free(t->used);
}

void tflash_cut(tflash_t *t, uint64_t n, bool torn, uint32_t seed)
{
    t->cut_at = n;
    t->torn = torn;
    t->seed = seed;
}

void tflash_reboot(tflash_t *t)
{
    t->off = false;
    t->cut_at = 0;
    t->ops = 0;
}

void tflash_poke(tflash_t *t, uint32_t addr, const void *data, uint32_t len)
{
    memcpy(t->mem + (addr - t->flash.base), data, len);
}

void tflash_peek(tflash_t *t, uint32_t addr, void *data, uint32_t len)
{
    memcpy(data, t->mem + (addr - t->flash.base), len);
}

void tflash_load(tflash_t *t, uint32_t addr, const void *data, uint32_t len)
{
    uint32_t p = t->flash.page_size, u = t->flash.prog_unit;
    uint32_t off = addr - t->flash.base, pages = (len + p - 1) / p;
    memset(t->mem + off, 0xFF, pages * p);
    memset(t->used + off / u, 0, pages * p / u);
    memcpy(t->mem + off, data, len);
    memset(t->used + off / u, 1, (len + u - 1) / u);
}
