/* bleota bench: link ceiling, flash floor and the reference-behaviour run. */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/endian.h"
#include "central.h"
#include "refdev.h"
#include "stockcli.h"

#define CEILING_EVENTS 400u
#define CEILING_PREFILL 64u

/* Ceiling: the device takes every PDU instantly and the central always has the next write. */
typedef struct ceiling {
    bench_link_t *link;
    uint64_t payload;
    uint8_t pdu[BENCH_ATT_MAX];
    uint16_t len;
} ceiling_t;

static uint64_t ceiling_dev(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len)
{
    ceiling_t *c = ctx;
    c->payload += (uint64_t)len - 3u;
    (void)bench_link_send_c2p(c->link, now, c->pdu, c->len);
    return now;
}

static uint64_t ignore_rx(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len)
{
    return now;
}

uint64_t bench_link_ceiling(const bench_link_cfg_t *cfg)
{
    bench_link_t *l = calloc(1, sizeof *l);
    if (!l)
        return 0;
    ceiling_t c = {.link = l, .len = cfg->mtu};
    c.pdu[0] = 0x52; /* Write Command, MTU-3 bytes of value */
    bo_put_le16(c.pdu + 1, 0x0107);
    bench_host_t central = {&c, ignore_rx, NULL, NULL};
    bench_host_t device = {&c, ceiling_dev, NULL, NULL};
    bench_link_init(l, cfg, central, device);
    for (uint32_t i = 0; i < CEILING_PREFILL; i++)
        (void)bench_link_send_c2p(l, 0, c.pdu, c.len);
    uint64_t iv = (uint64_t)cfg->interval_us * BENCH_NS_PER_US;
    (void)bench_link_run(l, CEILING_EVENTS * iv - 1u);
    uint64_t bps = c.payload * BENCH_NS_PER_S / (l->st.events * iv);
    free(l);
    return bps;
}

uint64_t bench_flash_floor_ns(const bench_dev_cfg_t *dev, uint32_t size)
{
    /* the shipped device erases slot 1 in idle time after the previous update: what the update
     * itself cannot avoid is programming the image into the blank slot */
    uint64_t units = (size + dev->prog_unit - 1u) / dev->prog_unit;
    return units * dev->prog_us * BENCH_NS_PER_US;
}

static void clock_stats(bench_run_t *out, const bench_clock_t *clk)
{
    out->erases = clk->erases;
    out->progs = clk->progs;
    out->ecdsa = clk->ecdsa;
    out->aes_bytes = clk->aes_bytes;
    out->sha_bytes = clk->sha_bytes;
    out->flash_ns = (clk->erases * clk->cfg->erase_us + clk->progs * clk->cfg->prog_us) * 1000u;
}

int bench_client_run(bench_link_t *l, const bench_link_cfg_t *cfg, bench_host_t device,
                     const bench_image_t *img, const bench_client_t *client, bench_run_t *out)
{
    if (client->kind == BENCH_CLIENT_STOCK)
        return bench_stock_run(l, cfg, device, img, client->txq, client->wait_ms, out);
    return bench_central_run(l, cfg, device, img, client->txq, client->resume, out);
}

int bench_run_reference(const bench_scenario_t *s, const bench_dev_cfg_t *dev,
                        const bench_image_t *img, const bench_client_t *client, bench_run_t *out)
{
    memset(out, 0, sizeof *out);
    bench_link_t *l = calloc(1, sizeof *l);
    bench_refdev_t *d = calloc(1, sizeof *d);
    int rc = -1;
    if (l && d) {
        /* the bootloader hashes the firmware and the metadata's signed range (0x14..0x1FF) */
        if (bench_refdev_init(d, l, dev, s->link.mtu, img->fw_len + 512u - 0x14u, img->ecdsa) == 0)
            rc = bench_client_run(
                l, &s->link,
                (bench_host_t){&d->gatt, bench_gattdev_handle, bench_gattdev_idle, NULL}, img,
                client, out);
        /* a premature Complete is answered 00 too (reference §2.8): the image must be whole */
        if (rc == 0 && d->received != d->size) {
            out->ok = 0;
            snprintf(out->why, sizeof out->why, "the server got %u of %u bytes", d->received,
                     d->size);
            rc = -1;
        }
        clock_stats(out, &d->clk);
    }
    free(l), free(d);
    return rc;
}
