/* bleota bench: reference-behaviour device model (see refdev.h). */
#include "refdev.h"

#include <string.h>

#include "bleota/endian.h"

static void notify(bench_refdev_t *d, bo_otas_attr_t attr, const uint8_t *v, uint16_t len)
{
    (void)bench_gattdev_notify(&d->gatt, attr, v, len);
}

/* The reference writer (MW_DFU_FwImageUpdate): erase on entering a page, program, wait. */
static void program_block(bench_refdev_t *d, uint32_t len)
{
    const bench_dev_cfg_t *cfg = d->clk.cfg;
    uint32_t end = d->written + len;
    while (d->erased_end < end) {
        bench_clock_erase(&d->clk);
        bench_clock_flash_sync(&d->clk);
        d->erased_end += cfg->page_size;
    }
    for (uint32_t u = 0; u < len / cfg->prog_unit; u++) {
        bench_clock_prog(&d->clk, 1);
        bench_clock_flash_sync(&d->clk);
    }
    d->written = end;
}

static void process_window(bench_refdev_t *d)
{
    uint32_t left = d->win_fill;
    while (left > 0) {
        uint32_t n = left < BENCH_REF_BLOCK ? left : BENCH_REF_BLOCK;
        if (d->encrypted)
            bench_clock_aes(&d->clk, n);
        bench_clock_insns(&d->clk, (uint64_t)n * d->clk.cfg->copy_ipk / 1024u);
        program_block(d, n);
        left -= n;
    }
    d->win_fill = 0;
    const uint8_t ok = 0x00;
    notify(d, BO_OTAS_ATTR_DATA, &ok, 1);
}

static void on_data(void *ctx, const uint8_t *v, uint16_t len)
{
    bench_refdev_t *d = ctx;
    if (d->received + len > d->size || d->win_fill + len > BENCH_REF_WINDOW) {
        const uint8_t err = 0x03;
        notify(d, BO_OTAS_ATTR_DATA, &err, 1);
        return;
    }
    bench_clock_insns(&d->clk, (uint64_t)len * d->clk.cfg->copy_ipk / 1024u);
    d->received += len;
    d->win_fill += len;
    if (d->win_fill == BENCH_REF_WINDOW || d->received == d->size)
        process_window(d);
}

static void authenticate(bench_refdev_t *d)
{
    bench_clock_read(&d->clk, d->hashed);
    bench_clock_sha(&d->clk, d->hashed);
    for (uint32_t i = 0; i < d->ecdsa; i++)
        bench_clock_ecdsa(&d->clk);
}

static void on_ctrl(void *ctx, const uint8_t *v, uint16_t len)
{
    bench_refdev_t *d = ctx;
    uint8_t rsp[13] = {0x01, len ? v[0] : 0, 0x00};
    uint16_t n = 3;
    if ((len == 14 || len == 19) && v[0] == 0x02) {
        d->size = bo_get_le32(v + 1);
        d->encrypted = v[13] == 0x01;
        bo_put_le16(rsp + 3, BENCH_REF_WINDOW);
        bo_put_le32(rsp + 9, bo_get_le32(v + 9) - 1u);
        n = 13;
    } else if (len == 2 && v[0] == 0x03) {
        d->received = d->win_fill = d->written = d->erased_end = 0;
    } else if (len == 1 && v[0] == 0x04) {
        if (d->received == d->size)
            authenticate(d);
    } else if (len == 1 && v[0] == 0x05) {
        return; /* Device Reset Request: no notification */
    } else {
        rsp[2] = 0x02;
    }
    notify(d, BO_OTAS_ATTR_CTRL, rsp, n);
}

int bench_refdev_init(bench_refdev_t *d, bench_link_t *link, const bench_dev_cfg_t *cfg,
                      uint16_t mtu, uint32_t hashed, uint32_t ecdsa)
{
    memset(d, 0, sizeof *d);
    bench_clock_init(&d->clk, cfg);
    d->hashed = hashed;
    d->ecdsa = ecdsa;
    d->svc = (bench_model_svc_t){.ctx = d, .ctrl = on_ctrl, .data = on_data};
    bench_service_t svc = bench_model_service(&d->svc);
    return bench_gattdev_init(&d->gatt, link, &d->clk, mtu, &svc);
}
