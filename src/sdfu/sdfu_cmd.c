/* The executive's commands. Every write is bounded by the window; reads by the flash. */
#include <string.h>
#include "bleota/endian.h"
#include "sdfu_priv.h"

#define RD_CHUNK 64u

static uint32_t word(const bo_sdfu_t *s, uint32_t i)
{
    return s->hdr[i];
}

/* addr + len <= base + size without 64 bits: addr - base cannot wrap once addr >= base. */
static bool in_flash(const bo_flash_t *f, uint32_t addr, uint32_t len)
{
    return addr >= f->base && addr - f->base <= f->size && len <= f->size - (addr - f->base);
}

static uint32_t page_erase(bo_sdfu_t *s)
{
    const bo_flash_t *f = s->cfg.flash;
    uint32_t pages = word(s, 0) & 0xFFFFu, addr = word(s, 1);
    /* pages * page_size <= win_hi - addr, as a division: the product may not fit 32 bits */
    if (s->frame_len < 8 || (addr - f->base) % f->page_size != 0 || addr < s->cfg.win_lo ||
        addr > s->cfg.win_hi || pages > (s->cfg.win_hi - addr) / f->page_size) {
        return BO_SDFU_FAIL;
    }
    for (; pages > 0; pages--, addr += f->page_size) {
        if (f->erase(f->ctx, addr) != BO_OK) {
            return BO_SDFU_FAIL;
        }
    }
    return BO_SDFU_PASS;
}

#define SCAN_BLANK 0u /* flash_scan: every byte must be 0xFF (else SUM_BYTES / SUM_CRC16) */

/* Reads [addr, addr + len) in chunks, folding it into *acc by method. False on a read error or,
 * for SCAN_BLANK, on a byte that is not 0xFF. Shared by BLANK_CHECK and the cluster verify. */
static bool flash_scan(const bo_flash_t *f, uint32_t method, uint32_t addr, uint32_t len,
                       uint32_t *acc)
{
    uint8_t buf[RD_CHUNK];
    uint32_t a = *acc;
    while (len > 0) {
        uint32_t n = len < RD_CHUNK ? len : RD_CHUNK;
        if (f->read(f->ctx, addr, buf, n) != BO_OK) {
            return false;
        }
        if (method == BO_SDFU_SUM_CRC16) {
            a = bo_sdfu_crc16((uint16_t)a, buf, n);
        } else {
            uint32_t sum = bo_sdfu_sum32(0, buf, n);
            if (method == SCAN_BLANK && sum != 0xFFu * n) {
                return false; /* n <= 64 bytes: their sum is 255 * n only if all are 0xFF */
            }
            a += sum;
        }
        addr += n;
        len -= n;
    }
    *acc = a;
    return true;
}

/* ---- PROG_CLUSTER_VERIFY: programmed one unit at a time as the bytes stream in ---------- */

/* The program unit is a power of two (it divides 4096, checked by bo_sdfu_init): masks, no
 * divisions. The cluster's byte i is frame byte 16 + i, so frame_len alone tracks progress. */
static uint32_t unit_mask(const bo_sdfu_t *s)
{
    return s->cfg.flash->prog_unit - 1u;
}

void bo_sdfu_cluster_begin(bo_sdfu_t *s)
{
    uint32_t mask = unit_mask(s);
    uint32_t method = word(s, 0) & 0xFFFFu, addr = word(s, 1), len = word(s, 2);
    if (len <= BO_SDFU_CLUSTER_MAX) {
        /* complete once its payload is in: answering then, not after the idle gap, makes
         * streaming faster and immune to a host that stalls between frames */
        s->frame_end = BO_SDFU_HDR + len;
    }
    s->prog_ok = (method == BO_SDFU_SUM_BYTES || method == BO_SDFU_SUM_CRC16) &&
                 len <= BO_SDFU_CLUSTER_MAX && ((addr - s->cfg.flash->base) & mask) == 0 &&
                 bo_sdfu_in_window(s, addr, (len + mask) & ~mask);
}

/* Programs the unit buffer at cluster offset off. */
static void program_unit(bo_sdfu_t *s, uint32_t off)
{
    const bo_flash_t *f = s->cfg.flash;
    if (f->prog(f->ctx, word(s, 1) + off, s->unit, f->prog_unit) != BO_OK) {
        s->prog_ok = false; /* keep swallowing the frame, answer FAIL at its end */
    }
}

void bo_sdfu_cluster_byte(bo_sdfu_t *s, uint8_t b)
{
    /* i < len: with prog_ok, len <= 4096 and the frame ends at its last byte (frame_end) */
    uint32_t i = s->frame_len - BO_SDFU_HDR - 1u, mask = unit_mask(s);
    s->unit[i & mask] = b;
    if ((i & mask) == mask) {
        program_unit(s, i - mask);
    }
}

/* PROG_CLUSTER_VERIFY's frame ended: programs a short tail, padded with erased bytes. True if
 * the whole cluster was programmed, so that the flash is to be verified. */
static bool cluster_end(bo_sdfu_t *s)
{
    uint32_t len = word(s, 2), mask = unit_mask(s), fill = len & mask;
    /* prog_ok implies len <= 4096, so frame_end = 16 + len ends the frame once all is in */
    bool whole = s->frame_len == s->frame_end;
    if (s->prog_ok && whole && fill > 0) {
        memset(s->unit + fill, 0xFF, mask + 1u - fill);
        program_unit(s, len - fill);
    }
    return s->prog_ok && whole;
}

/* Runs the command of a frame that ended (at least its command word arrived). BLANK_CHECK and
 * PROG_CLUSTER_VERIFY share one flash scan. */
void bo_sdfu_command(bo_sdfu_t *s, uint32_t cmd)
{
    uint8_t rsp[8]; /* the response word, then GET_DEVICEID's ID */
    size_t rsp_len = 4;
    uint32_t code = BO_SDFU_FAIL, method = SCAN_BLANK, sum = 0;
    switch (cmd) {
    case BO_SDFU_CMD_EXEC_VERSION:
        code = BO_SDFU_VERSION;
        break;
    case BO_SDFU_CMD_GET_DEVICEID:
        code = BO_SDFU_PASS;
        bo_put_le32(rsp + 4, s->cfg.device_id);
        rsp_len = 8;
        break;
    case BO_SDFU_CMD_PAGE_ERASE:
        code = page_erase(s);
        break;
    case BO_SDFU_CMD_BLANK_CHECK:
    case BO_SDFU_CMD_PROG_CLUSTER:
        if (cmd == BO_SDFU_CMD_PROG_CLUSTER) {
            if (!cluster_end(s)) {
                break;
            }
            method = word(s, 0) & 0xFFFFu;
            sum = method == BO_SDFU_SUM_CRC16 ? 0xFFFFu : 0u;
        } else if (s->frame_len < 12 || !in_flash(s->cfg.flash, word(s, 1), word(s, 2))) {
            break;
        }
        if (flash_scan(s->cfg.flash, method, word(s, 1), word(s, 2), &sum) &&
            (method == SCAN_BLANK || sum == word(s, 3))) {
            code = BO_SDFU_PASS;
        }
        break;
    case BO_SDFU_CMD_RESET:
        /* no answer: the device is gone (as the reference) */
        if (s->cfg.sys != NULL && s->cfg.sys->reset != NULL) {
            s->cfg.sys->reset(s->cfg.sys->ctx);
        }
        return;
    default: /* CHIP_ERASE included: the reference's erases 15 MiB, bleota refuses it */
        code = BO_SDFU_NACK;
        break;
    }
    bo_put_le32(rsp, (cmd << 16) | code);
    s->cfg.tx(s->cfg.tx_ctx, rsp, rsp_len);
}
