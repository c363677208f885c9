/* bleota bench: design model of the recommended device behaviour (see nextdev.h). */
#include "nextdev.h"

#include <string.h>

#include "bleota/endian.h"

#define MD_SIZE 512u

static void notify(bench_nextdev_t *d, bo_otas_attr_t attr, const uint8_t *v, uint16_t len)
{
    (void)bench_gattdev_notify(&d->gatt, attr, v, len);
}

/* Picks the flash controller's next operation: program what is staged in erased pages first,
 * else erase ahead (at most up to the page after the one being programmed). */
static bool nvm_start(bench_nextdev_t *d)
{
    const bench_dev_cfg_t *c = d->clk.cfg;
    uint32_t staged = d->received - d->received % c->prog_unit;
    uint32_t prog_end = staged < d->erased_end ? staged : d->erased_end;
    uint32_t page_base = d->programmed - d->programmed % c->page_size;
    uint64_t dur;
    if (prog_end > d->programmed) {
        uint32_t units = (prog_end - d->programmed) / c->prog_unit;
        d->nvm_erase = false;
        d->nvm_amount = prog_end - d->programmed;
        d->clk.progs += units;
        dur = (uint64_t)units * c->prog_us * 1000u;
    } else if (d->cfg.inline_flash
                   ? staged > d->erased_end
                   : d->erased_end < d->size && d->erased_end < page_base + 2u * c->page_size) {
        d->nvm_erase = true;
        d->clk.erases++;
        dur = (uint64_t)c->erase_us * 1000u;
    } else {
        return false;
    }
    d->nvm_busy = true;
    d->nvm_end = d->nvm_free + dur;
    return true;
}

/* Runs the flash controller up to time t. */
static void nvm_advance(bench_nextdev_t *d, uint64_t t)
{
    for (;;) {
        if (d->nvm_busy) {
            if (d->nvm_end > t)
                return;
            if (d->nvm_erase)
                d->erased_end += d->clk.cfg->page_size;
            else
                d->programmed += d->nvm_amount;
            d->nvm_busy = false;
            d->nvm_free = d->nvm_end;
        }
        if (!d->started || !nvm_start(d)) {
            if (d->nvm_free < t)
                d->nvm_free = t; /* idle until now: new work starts now */
            return;
        }
    }
}

/* The CPU waits for the flash controller's current operation. */
static bool nvm_wait(bench_nextdev_t *d)
{
    if (!d->nvm_busy)
        return false;
    bench_clock_at(&d->clk, d->nvm_end);
    nvm_advance(d, d->clk.cpu);
    return true;
}

static void on_data(void *ctx, const uint8_t *v, uint16_t len)
{
    bench_nextdev_t *d = ctx;
    const bench_dev_cfg_t *c = d->clk.cfg;
    if (!d->started || d->received + len > d->size || d->win_fill + len > d->window) {
        const uint8_t err = d->started ? 0x03 : 0x01;
        notify(d, BO_OTAS_ATTR_DATA, &err, 1);
        return;
    }
    nvm_advance(d, d->clk.cpu);
    while (d->received + len - d->programmed > d->cfg.staging && nvm_wait(d))
        ;
    bench_clock_aes(&d->clk, len);
    bench_clock_sha(&d->clk, len);
    /* staging copy, then the DFU writer and driver feed the flash and read it back */
    bench_clock_insns(&d->clk, (uint64_t)len * (c->copy_ipk + c->prog_ipk) / 1024u);
    nvm_advance(d, d->clk.cpu);
    d->received += len;
    d->win_fill += len;
    if (d->cfg.inline_flash) {
        nvm_advance(d, d->clk.cpu);
        while (d->programmed < d->received - d->received % c->prog_unit && nvm_wait(d))
            ;
    }
    if (!d->md_started && d->received >= MD_SIZE) {
        d->md_started = true;
        d->md_left = c->ecdsa_insns;
    }
    if (d->win_fill == d->window || d->received == d->size) {
        const uint8_t ok = 0x00;
        d->win_fill = 0;
        notify(d, BO_OTAS_ATTR_DATA, &ok, 1);
    }
}

static void complete(bench_nextdev_t *d)
{
    nvm_advance(d, d->clk.cpu);
    while (d->programmed < d->size && nvm_wait(d))
        ;
    bench_clock_prog(&d->clk, 1); /* the commit marker, programmed last */
    bench_clock_flash_sync(&d->clk);
    bench_clock_sha(&d->clk, 64); /* the digest's last block */
    bench_clock_insns(&d->clk, d->md_left);
    if (d->md_left)
        d->clk.ecdsa++;
    d->md_left = 0;
    if (d->cfg.fw_check == BENCH_FW_ECDSA)
        bench_clock_ecdsa(&d->clk);
}

static void on_ctrl(void *ctx, const uint8_t *v, uint16_t len)
{
    bench_nextdev_t *d = ctx;
    uint8_t rsp[13] = {0x01, len ? v[0] : 0, 0x00};
    uint16_t n = 3;
    if ((len == 14 || len == 19) && v[0] == 0x02) {
        d->size = bo_get_le32(v + 1);
        d->window = d->cfg.window;
        if (d->window == 0) { /* otas's rule: 256 writes of the MTU, at most 65520 B */
            d->window = 256u * (d->gatt.srv.mtu - 3u);
            d->window = d->window < 65520u ? d->window - d->window % 16u : 65520u;
        }
        bo_put_le16(rsp + 3, (uint16_t)d->window);
        n = 13;
    } else if (len == 2 && v[0] == 0x03) {
        d->started = true;
        d->received = d->win_fill = d->programmed = d->erased_end = 0;
        d->nvm_free = d->clk.cpu;
        nvm_advance(d, d->clk.cpu); /* the first page is erased while the client starts */
    } else if (len == 1 && v[0] == 0x04 && d->received == d->size) {
        complete(d);
    } else if (len == 1 && v[0] == 0x05) {
        return; /* Device Reset Request: no notification */
    } else {
        rsp[2] = 0x02;
    }
    notify(d, BO_OTAS_ATTR_CTRL, rsp, n);
}

/* Idle CPU: 1 ms slices of the metadata signature check (received data always goes first). */
static void on_idle(void *ctx)
{
    bench_nextdev_t *d = ctx;
    nvm_advance(d, d->clk.cpu);
    if (d->md_left > 0) {
        uint64_t slice = d->clk.cfg->cpu_hz / 1000u;
        slice = slice < d->md_left ? slice : d->md_left;
        bench_clock_insns(&d->clk, slice);
        d->md_left -= slice;
        if (d->md_left == 0)
            d->clk.ecdsa++;
    }
}

int bench_nextdev_init(bench_nextdev_t *d, bench_link_t *link, const bench_dev_cfg_t *dev,
                       uint16_t mtu, const bench_next_cfg_t *cfg)
{
    memset(d, 0, sizeof *d);
    d->cfg = *cfg;
    bench_clock_init(&d->clk, dev);
    d->svc = (bench_model_svc_t){.ctx = d, .ctrl = on_ctrl, .data = on_data, .idle = on_idle};
    bench_service_t svc = bench_model_service(&d->svc);
    return bench_gattdev_init(&d->gatt, link, &d->clk, mtu, &svc);
}
