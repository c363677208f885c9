/* Fuzz targets' RAM NOR flash (see fuzz_flash.h). */
#include "fuzz_flash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"

static void die(const ff_flash_t *f, const char *what, uint32_t addr, uint32_t len)
{
    fprintf(stderr, "fuzz flash%s%s: %s (addr 0x%08X, len %u)\n", f->name ? " " : "",
            f->name ? f->name : "", what, addr, len);
    abort();
}

static bool inside(const ff_flash_t *f, uint32_t addr, uint32_t len)
{
    return addr >= f->flash.base && (uint64_t)addr + len <= (uint64_t)f->flash.base + f->flash.size;
}

static bool allowed(const ff_flash_t *f, uint32_t addr, uint32_t len)
{
    if (f->nreg == 0u) {
        return true;
    }
    for (uint32_t i = 0; i < f->nreg; i++) {
        if (addr >= f->reg_lo[i] && (uint64_t)addr + len <= f->reg_hi[i]) {
            return true;
        }
    }
    return false;
}

static void mix(ff_flash_t *f, const void *data, uint32_t len)
{
    const uint8_t *p = data;
    for (uint32_t i = 0; i < len; i++) {
        f->hash = (f->hash ^ p[i]) * 0x100000001b3ull;
    }
}

static bool all_ff(const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (p[i] != 0xFFu) {
            return false;
        }
    }
    return true;
}

/* Recomputes "programmed" from contents for the units touching [addr, addr + len). */
static void relabel(ff_flash_t *f, uint32_t addr, uint32_t len, bool keep_used)
{
    uint32_t u = f->flash.prog_unit, off = addr - f->flash.base;
    for (uint32_t k = off / u; k * u < off + len; k++) {
        bool prog = !all_ff(f->mem + k * u, u);
        f->used[k] = (uint8_t)(prog || (keep_used && f->used[k]));
    }
}

/* Counts an operation; false when it must not happen (power gone, injected failure). */
static int op_begin(ff_flash_t *f, bool *tear)
{
    *tear = false;
    if (f->off) {
        return BO_ERR_POWER;
    }
    f->ops++;
    if (f->cut_at != 0u && f->ops >= f->cut_at) {
        f->off = true;
        *tear = f->torn;
        return BO_ERR_POWER;
    }
    if (f->fail_at != 0u && f->ops == f->fail_at) {
        f->fail_at = 0;
        return BO_ERR_IO;
    }
    return BO_OK;
}

static int ff_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
    ff_flash_t *f = ctx;
    if (!inside(f, addr, len)) {
        die(f, "read outside the flash", addr, len);
    }
    if (f->off) {
        return BO_ERR_POWER;
    }
    if (f->bad_hi > f->bad_lo && addr < f->bad_hi && (uint64_t)addr + len > f->bad_lo) {
        return BO_ERR_IO;
    }
    memcpy(buf, f->mem + (addr - f->flash.base), len);
    return BO_OK;
}

static int ff_prog(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
    ff_flash_t *f = ctx;
    uint32_t u = f->flash.prog_unit;
    if (!inside(f, addr, len) || (addr - f->flash.base) % u != 0u || len % u != 0u || len == 0u) {
        die(f, "program misaligned or outside the flash", addr, len);
    }
    if (!allowed(f, addr, len)) {
        die(f, "program outside the allowed regions", addr, len);
    }
    uint32_t off = addr - f->flash.base;
    for (uint32_t k = 0; k < len / u; k++) {
        if (f->used[off / u + k]) {
            if (!f->refuse_reprogram) {
                die(f, "program of a unit programmed since its last erase", addr + k * u, u);
            }
            if (!f->off) {
                f->violations++;
            }
            return f->off ? BO_ERR_POWER : BO_ERR_STATE;
        }
    }
    bool tear;
    int rc = op_begin(f, &tear);
    const uint8_t *b = buf;
    if (rc == BO_ERR_POWER && tear) {
        uint32_t whole = (uint32_t)(fz_rng(&f->rng) % (len / u + 1u)) * u;
        for (uint32_t i = 0; i < len && i < whole + u; i++) {
            uint8_t keep = i < whole ? 0x00u : (uint8_t)fz_rng(&f->rng);
            f->mem[off + i] &= (uint8_t)(b[i] | keep);
        }
        relabel(f, addr, len, true);
        f->torn_op = 'P';
        f->torn_addr = addr;
    }
    if (rc != BO_OK) {
        return rc;
    }
    f->progs++;
    uint8_t t = 'P';
    mix(f, &t, 1);
    mix(f, &addr, sizeof addr);
    mix(f, buf, len);
    for (uint32_t i = 0; i < len; i++) {
        f->mem[off + i] &= b[i];
    }
    memset(f->used + off / u, 1, len / u);
    return BO_OK;
}

static int ff_erase(void *ctx, uint32_t addr)
{
    ff_flash_t *f = ctx;
    uint32_t p = f->flash.page_size, u = f->flash.prog_unit;
    if (!inside(f, addr, p) || (addr - f->flash.base) % p != 0u) {
        die(f, "erase misaligned or outside the flash", addr, p);
    }
    if (!allowed(f, addr, p)) {
        die(f, "erase outside the allowed regions", addr, p);
    }
    uint32_t off = addr - f->flash.base;
    bool tear;
    int rc = op_begin(f, &tear);
    if (rc == BO_ERR_POWER && tear) {
        uint8_t prob = (uint8_t)(fz_rng(&f->rng) | 1u);
        for (uint32_t i = 0; i < p; i++) {
            uint8_t set = 0;
            for (int b = 0; b < 8; b++) {
                set |= (uint8_t)(((uint8_t)fz_rng(&f->rng) < prob) << b);
            }
            f->mem[off + i] |= set;
        }
        for (uint32_t k = 0; k < p / u; k++) { /* erased only if the whole unit reads blank */
            if (all_ff(f->mem + off + k * u, u)) {
                f->used[off / u + k] = 0;
            }
        }
        f->torn_op = 'E';
        f->torn_addr = addr;
    }
    if (rc != BO_OK) {
        return rc;
    }
    f->erases++;
    f->watch_erases += addr == f->watch;
    uint8_t t = 'E';
    mix(f, &t, 1);
    mix(f, &addr, sizeof addr);
    memset(f->mem + off, 0xFF, p);
    memset(f->used + off / u, 0, p / u);
    return BO_OK;
}

void ff_init(ff_flash_t *f, uint32_t base, uint32_t size, uint32_t page, uint32_t unit)
{
    uint8_t *mem = f->mem, *used = f->used;
    uint32_t alloc = f->alloc;
    const char *name = f->name;
    if (alloc < size) {
        free(mem);
        free(used);
        mem = malloc(size);
        used = malloc(size);
        alloc = size;
        if (mem == NULL || used == NULL) {
            abort();
        }
    }
    memset(f, 0, sizeof *f);
    f->mem = mem;
    f->used = used;
    f->alloc = alloc;
    f->name = name;
    memset(mem, 0xFF, size);
    memset(used, 0, size / unit);
    f->flash = (bo_flash_t){f, base, size, page, unit, ff_read, ff_prog, ff_erase};
    f->hash = 0xcbf29ce484222325ull;
}

void ff_allow(ff_flash_t *f, uint32_t lo, uint32_t hi)
{
    if (f->nreg < FF_REGIONS) {
        f->reg_lo[f->nreg] = lo;
        f->reg_hi[f->nreg] = hi;
        f->nreg++;
    }
}

void ff_cut(ff_flash_t *f, uint64_t n, bool torn, uint64_t seed)
{
    f->cut_at = n != 0u ? f->ops + n : 0u;
    f->torn = torn;
    f->rng = seed;
}

void ff_fail(ff_flash_t *f, uint64_t n)
{
    f->fail_at = n != 0u ? f->ops + n : 0u;
}

void ff_reboot(ff_flash_t *f)
{
    f->off = false;
    f->cut_at = 0;
    f->fail_at = 0;
}

uint8_t *ff_at(const ff_flash_t *f, uint32_t addr, uint32_t len)
{
    if (!inside(f, addr, len)) {
        die(f, "harness access outside the flash", addr, len);
    }
    return f->mem + (addr - f->flash.base);
}

void ff_load(ff_flash_t *f, uint32_t addr, const void *data, uint32_t len)
{
    memcpy(ff_at(f, addr, len), data, len);
    relabel(f, addr, len, false);
}

void ff_stray(ff_flash_t *f, uint32_t addr, const void *data, uint32_t len)
{
    uint8_t *m = ff_at(f, addr, len);
    const uint8_t *b = data;
    for (uint32_t i = 0; i < len; i++) {
        m[i] &= b[i];
    }
    relabel(f, addr, len, true);
}

bool ff_blank(const ff_flash_t *f, uint32_t addr, uint32_t len)
{
    uint32_t u = f->flash.prog_unit;
    const uint8_t *m = ff_at(f, addr, len);
    uint32_t off = addr - f->flash.base;
    for (uint32_t k = off / u; k * u < off + len; k++) {
        if (f->used[k]) {
            return false;
        }
    }
    return all_ff(m, len);
}
