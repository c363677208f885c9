/* bleota bench: link ceiling, flash floor and the reference-behaviour run. */
#include "scenario.h"

#include <stdlib.h>
#include <string.h>

#include "bleota/endian.h"
#include "client.h"
#include "nextdev.h"
#include "refdev.h"

#define CEILING_EVENTS 400u
#define CEILING_PREFILL 64u
#define RUN_LIMIT_NS (4ull * 3600u * BENCH_NS_PER_S) /* 4 h of virtual time: a stalled run */

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
    bench_host_t central = {&c, ignore_rx, NULL};
    bench_host_t device = {&c, ceiling_dev, NULL};
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
    uint64_t pages = (size + dev->page_size - 1u) / dev->page_size;
    uint64_t units = (size + dev->prog_unit - 1u) / dev->prog_unit;
    return (pages * dev->erase_us + units * dev->prog_us) * BENCH_NS_PER_US;
}

static void fill_run(bench_run_t *out, const bench_client_t *c, const bench_link_t *l)
{
    out->result = c->result;
    out->ok = c->done && c->result == 0 && c->acked == c->size;
    out->total_ns = c->t_done;
    out->data_ns = c->t_last_ack - c->t_data;
    out->tail_ns = c->t_done - c->t_last_ack;
    out->window = c->window;
    out->windows = c->windows;
    out->link = l->st;
}

/* Runs the bench client against a device model; the link and client are set up here. */
static int run_model(const bench_scenario_t *s, const bench_image_t *img, bench_link_t *l,
                     bench_host_t device, uint16_t *h_ctrl, uint16_t *h_data, bench_run_t *out)
{
    bench_client_t *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    *c = (bench_client_t){.link = l, .payload = img->payload, .size = img->size,
                          .image_id = img->image_id, .version = img->version,
                          .enc = img->enc, .h_ctrl = 0x0104, .h_data = 0x0107};
    *h_ctrl = c->h_ctrl;
    *h_data = c->h_data;
    bench_link_init(l, &s->link, (bench_host_t){c, bench_client_rx, NULL}, device);
    bench_client_start(c);
    int rc = bench_link_run(l, RUN_LIMIT_NS);
    fill_run(out, c, l);
    free(c);
    return rc == 0 && out->ok ? 0 : -1;
}

static void clock_stats(bench_run_t *out, const bench_clock_t *clk)
{
    out->erases = clk->erases;
    out->progs = clk->progs;
    out->ecdsa = clk->ecdsa;
    out->aes_bytes = clk->aes_bytes;
    out->sha_bytes = clk->sha_bytes;
}

int bench_run_reference(const bench_scenario_t *s, const bench_dev_cfg_t *dev,
                        const bench_image_t *img, bench_run_t *out)
{
    memset(out, 0, sizeof *out);
    bench_link_t *l = calloc(1, sizeof *l);
    bench_refdev_t *d = calloc(1, sizeof *d);
    int rc = -1;
    if (l && d) {
        /* the bootloader hashes the firmware and the metadata's signed range (0x14..0x1FF) */
        bench_refdev_init(d, l, dev, img->fw_len + 512u - 0x14u, img->ecdsa);
        rc = run_model(s, img, l, (bench_host_t){d, bench_refdev_handle, NULL}, &d->h_ctrl,
                       &d->h_data, out);
        clock_stats(out, &d->clk);
    }
    free(l), free(d);
    return rc;
}

int bench_run_next(const bench_scenario_t *s, const bench_dev_cfg_t *dev,
                   const bench_next_cfg_t *cfg, const bench_image_t *img, bench_run_t *out)
{
    memset(out, 0, sizeof *out);
    bench_link_t *l = calloc(1, sizeof *l);
    bench_nextdev_t *d = calloc(1, sizeof *d);
    int rc = -1;
    if (l && d) {
        bench_nextdev_init(d, l, dev, cfg);
        rc = run_model(s, img, l, (bench_host_t){d, bench_nextdev_handle, bench_nextdev_idle},
                       &d->h_ctrl, &d->h_data, out);
        clock_stats(out, &d->clk);
    }
    free(l), free(d);
    return rc;
}
