/* The posix NOR flash model: strict NOR rules, operation counting, virtual time, power cuts
 * and torn operations. See bleota/posix/nor.h for the contract and docs/dfu.md for why. */
#define _POSIX_C_SOURCE 200809L

#include "bleota/posix/nor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers ----------------------------------------------------------------------------- */

static uint32_t rng_next(bo_nor_t *nor)
{
    uint32_t x = nor->rng ? nor->rng : 0x9E3779B9u; /* xorshift32 must never hold 0 */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    nor->rng = x;
    return x;
}

static int file_put(bo_nor_t *nor, uint32_t off, uint32_t len)
{
    if (nor->fd < 0)
        return BO_OK;
    while (len > 0) {
        ssize_t n = pwrite(nor->fd, nor->mem + off, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return BO_ERR_IO;
        off += (uint32_t)n;
        len -= (uint32_t)n;
    }
    return BO_OK;
}

static int file_get(bo_nor_t *nor)
{
    uint32_t off = 0;
    while (off < nor->flash.size) {
        ssize_t n = pread(nor->fd, nor->mem + off, nor->flash.size - off, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return BO_ERR_IO;
        off += (uint32_t)n;
    }
    return BO_OK;
}

static bool all_ff(const uint8_t *p, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        if (p[i] != 0xFF)
            return false;
    return true;
}

/* After a load from the file: a unit is erased iff it reads blank. */
static void derive_unit_state(bo_nor_t *nor)
{
    uint32_t unit = nor->flash.prog_unit;
    for (uint32_t u = 0; u < nor->flash.size / unit; u++)
        nor->programmed[u] = all_ff(nor->mem + u * unit, unit) ? 0 : 1;
}

/* Range check shared by all calls; a failure is a caller bug, counted as a violation. */
static int check_range(bo_nor_t *nor, uint32_t addr, uint32_t len)
{
    if (addr < nor->flash.base || addr - nor->flash.base > nor->flash.size ||
        len > nor->flash.size - (addr - nor->flash.base)) {
        nor->violations++;
        return BO_ERR_RANGE;
    }
    return BO_OK;
}

/* Counts the operation and decides whether power dies now. Returns true if this operation is
 * the one the cut was scheduled before. */
static bool op_begin(bo_nor_t *nor)
{
    nor->ops++;
    return nor->cut_at != 0 && nor->ops >= nor->cut_at;
}

static void power_off(bo_nor_t *nor)
{
    nor->powered = false;
    nor->cut_at = 0;
}

/* ---- flash callbacks ------------------------------------------------------------------- */

static int nor_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
    bo_nor_t *nor = ctx;
    if (!nor->powered)
        return BO_ERR_POWER;
    int rc = check_range(nor, addr, len);
    if (rc != BO_OK)
        return rc;
    if (len > 0 && addr < nor->bad_hi && nor->bad_lo < addr + len)
        return BO_ERR_IO; /* an uncorrectable ECC error, set by a test */
    if (len > 0)
        memcpy(buf, nor->mem + (addr - nor->flash.base), len);
    return BO_OK;
}

/* Lands a random subset of the 1->0 transitions of one unit; returns whether any bit landed. */
static bool torn_unit(bo_nor_t *nor, uint8_t *dst, const uint8_t *src, uint32_t len)
{
    bool landed = false;
    for (uint32_t i = 0; i < len; i++) {
        uint8_t keep = (uint8_t)rng_next(nor); /* bits whose clear did not happen */
        uint8_t v = (uint8_t)(dst[i] & (src[i] | keep));
        landed |= v != dst[i];
        dst[i] = v;
    }
    return landed;
}

static int nor_prog(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
    bo_nor_t *nor = ctx;
    uint32_t unit = nor->flash.prog_unit;
    if (!nor->powered)
        return BO_ERR_POWER;
    int rc = check_range(nor, addr, len);
    if (rc != BO_OK)
        return rc;
    uint32_t off = addr - nor->flash.base;
    if (off % unit != 0 || len % unit != 0 || len == 0) {
        nor->violations++;
        return BO_ERR_ALIGN;
    }
    for (uint32_t u = off / unit; u < (off + len) / unit; u++) {
        if (nor->programmed[u]) {
            nor->violations++;
            return BO_ERR_STATE;
        }
    }
    const uint8_t *src = buf;
    uint32_t n = len / unit;
    bool cut = op_begin(nor);
    nor->progs++;
    nor->virtual_us += (uint64_t)n * nor->timing.prog_us;
    if (cut) {
        if (nor->cut_kind == BO_NOR_CUT_TORN) {
            uint32_t j = rng_next(nor) % n;
            for (uint32_t k = 0; k < j; k++) {
                for (uint32_t i = 0; i < unit; i++)
                    nor->mem[off + k * unit + i] &= src[k * unit + i];
                nor->programmed[off / unit + k] = 1;
            }
            if (torn_unit(nor, nor->mem + off + j * unit, src + j * unit, unit))
                nor->programmed[off / unit + j] = 1;
            nor->torn_progs++;
            (void)file_put(nor, off, len);
        }
        power_off(nor);
        return BO_ERR_POWER;
    }
    for (uint32_t i = 0; i < len; i++)
        nor->mem[off + i] &= src[i]; /* NOR programming only clears bits */
    memset(nor->programmed + off / unit, 1, n);
    return file_put(nor, off, len);
}

/* Torn erase: each 0 bit turns 1 with probability p = t/256, t drawn once in [1, 255]. */
static void torn_erase(bo_nor_t *nor, uint32_t off)
{
    uint32_t unit = nor->flash.prog_unit;
    uint32_t t = 1 + rng_next(nor) % 255;
    for (uint32_t i = 0; i < nor->flash.page_size; i++) {
        uint8_t set = 0;
        for (int b = 0; b < 8; b++)
            if ((rng_next(nor) & 0xFFu) < t)
                set |= (uint8_t)(1u << b);
        nor->mem[off + i] |= set;
    }
    for (uint32_t u = off / unit; u < (off + nor->flash.page_size) / unit; u++)
        if (all_ff(nor->mem + u * unit, unit))
            nor->programmed[u] = 0;
    nor->torn_erases++;
}

static int nor_erase(void *ctx, uint32_t addr)
{
    bo_nor_t *nor = ctx;
    uint32_t page = nor->flash.page_size;
    if (!nor->powered)
        return BO_ERR_POWER;
    int rc = check_range(nor, addr, page);
    if (rc != BO_OK)
        return rc;
    uint32_t off = addr - nor->flash.base;
    if (off % page != 0) {
        nor->violations++;
        return BO_ERR_ALIGN;
    }
    bool cut = op_begin(nor);
    nor->erases++;
    nor->virtual_us += nor->timing.erase_us;
    if (cut) {
        if (nor->cut_kind == BO_NOR_CUT_TORN) {
            torn_erase(nor, off);
            (void)file_put(nor, off, page);
        }
        power_off(nor);
        return BO_ERR_POWER;
    }
    memset(nor->mem + off, 0xFF, page);
    memset(nor->programmed + off / nor->flash.prog_unit, 0, page / nor->flash.prog_unit);
    return file_put(nor, off, page);
}

/* ---- lifecycle ----------------------------------------------------------------------------- */

static bool geometry_ok(uint32_t size, uint32_t page, uint32_t unit)
{
    if (unit == 0 || (unit & (unit - 1)) != 0 || page == 0 || page % unit != 0)
        return false;
    return size > 0 && size % page == 0;
}

static int open_file(bo_nor_t *nor, const char *path)
{
    if (strlen(path) >= sizeof nor->path)
        return BO_ERR_ARG;
    strcpy(nor->path, path);
    nor->fd = open(path, O_RDWR | O_CREAT, 0644);
    if (nor->fd < 0)
        return BO_ERR_IO;
    struct stat st;
    if (fstat(nor->fd, &st) != 0)
        return BO_ERR_IO;
    if (st.st_size == (off_t)nor->flash.size) {
        if (file_get(nor) != BO_OK)
            return BO_ERR_IO;
        derive_unit_state(nor);
        return BO_OK;
    }
    /* New or wrong size: a blank device. */
    if (ftruncate(nor->fd, 0) != 0)
        return BO_ERR_IO;
    return file_put(nor, 0, nor->flash.size);
}

int bo_nor_open(bo_nor_t *nor, const char *path, uint32_t base, uint32_t size, uint32_t page_size,
                uint32_t prog_unit)
{
    if (nor == NULL)
        return BO_ERR_ARG;
    memset(nor, 0, sizeof *nor);
    nor->fd = -1;
    if (!geometry_ok(size, page_size, prog_unit) || (uint64_t)base + size > 0x100000000ull)
        return BO_ERR_ARG;
    nor->flash = (bo_flash_t){nor, base, size, page_size, prog_unit, nor_read, nor_prog, nor_erase};
    nor->timing = (bo_nor_timing_t){BO_NOR_ERASE_US_DEFAULT, BO_NOR_PROG_US_DEFAULT, 0};
    nor->powered = true;
    nor->mem = malloc(size);
    nor->programmed = calloc(size / prog_unit, 1);
    if (nor->mem == NULL || nor->programmed == NULL) {
        bo_nor_close(nor);
        return BO_ERR_NOSPACE;
    }
    memset(nor->mem, 0xFF, size);
    if (path != NULL) {
        int rc = open_file(nor, path);
        if (rc != BO_OK) {
            bo_nor_close(nor);
            return rc;
        }
    }
    return BO_OK;
}

void bo_nor_close(bo_nor_t *nor)
{
    if (nor == NULL)
        return;
    if (nor->fd >= 0)
        close(nor->fd);
    free(nor->mem);
    free(nor->programmed);
    nor->fd = -1;
    nor->mem = NULL;
    nor->programmed = NULL;
    nor->powered = false;
}

void bo_nor_cut_before(bo_nor_t *nor, uint64_t op, bo_nor_cut_kind_t kind, uint32_t seed)
{
    nor->cut_at = op == 0 ? 0 : nor->ops + op;
    nor->cut_kind = kind;
    nor->seed = seed;
    nor->rng = seed;
}

int bo_nor_reboot(bo_nor_t *nor)
{
    nor->cut_at = 0;
    nor->powered = true;
    if (nor->fd >= 0) {
        if (file_get(nor) != BO_OK)
            return BO_ERR_IO;
        derive_unit_state(nor);
    }
    return BO_OK;
}

int bo_nor_wipe(bo_nor_t *nor)
{
    memset(nor->mem, 0xFF, nor->flash.size);
    memset(nor->programmed, 0, nor->flash.size / nor->flash.prog_unit);
    nor->ops = nor->erases = nor->progs = nor->virtual_us = nor->violations = 0;
    nor->torn_progs = nor->torn_erases = 0;
    nor->cut_at = 0;
    nor->powered = true;
    return file_put(nor, 0, nor->flash.size);
}
