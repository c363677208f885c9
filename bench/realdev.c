/* bleota bench: bleota's device (bo_ota_att with its shipped defaults) on the modelled link
 * (see realdev.h). */
#include "realdev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bleota/att.h"
#include "bleota/boot.h"
#include "bleota/crypto.h"
#include "bleota/delta.h"
#include "bleota/endian.h"
#include "bleota/layout_bz2.h"
#include "bleota/ota_att.h"
#include "bleota/posix/nor.h"
#include "central.h"

#define CONN 1u
#define RUNNING_VERSION 0x01000000u
#define RUNNING_REV "1.0.0.0"
#define BG_SLICE_NS 1000000u /* the scheduler lets received PDUs preempt it every 1 ms */
#define IDLE_CALLS_MAX 100000u

typedef struct realdev {
    bench_clock_t clk;
    bench_link_t *link;
    bo_nor_t nor;
    bo_flash_t flash; /* the NOR model behind a port that charges the clock */
    bo_keys_t keys;
    bo_sys_t sys;
    bo_boot_cfg_t boot;
    bo_ota_att_t oa;
    int verdict;      /* BO_OTA_EVT_COMPLETE status; 1 before */
    int link_err;     /* first error a bo_ota_att_* call reported */
    uint64_t bg_left; /* CPU time the low-priority header check still needs */
} realdev_t;

/* ---- Crypto accounting: the stack's calls, counted exactly ------------------------------ */
static bench_clock_t *g_clk; /* the device clock while a device run is active */

int __real_bo_delta_feed(bo_delta_t *d, const uint8_t *data, size_t len);
int __wrap_bo_delta_feed(bo_delta_t *d, const uint8_t *data, size_t len);

/* The delta patch decoder: its measured cost per image byte it rebuilds (the flash reads of
 * the base and the DFU writes it makes are charged by the flash port and the DFU figures). */
int __wrap_bo_delta_feed(bo_delta_t *d, const uint8_t *data, size_t len)
{
    uint32_t before = d->out_off;
    int rc = __real_bo_delta_feed(d, data, len);
    if (g_clk)
        bench_clock_insns(g_clk, (uint64_t)(d->out_off - before) * g_clk->cfg->delta_ipk / 1024u);
    return rc;
}

int __real_bo_aes_cbc_update(bo_aes_cbc_t *ctx, const uint8_t *in, uint8_t *out, size_t len);
void __real_bo_sha256_update(bo_sha256_t *ctx, const void *data, size_t len);
void __real_bo_sha256(const void *data, size_t len, uint8_t out[BO_SHA256_SIZE]);
int __real_bo_ecdsa_p256_verify(const uint8_t pub[BO_P256_PUB_SIZE],
                                const uint8_t hash[BO_SHA256_SIZE], const uint8_t *der,
                                size_t der_len);
int __wrap_bo_aes_cbc_update(bo_aes_cbc_t *ctx, const uint8_t *in, uint8_t *out, size_t len);
void __wrap_bo_sha256_update(bo_sha256_t *ctx, const void *data, size_t len);
void __wrap_bo_sha256(const void *data, size_t len, uint8_t out[BO_SHA256_SIZE]);
int __wrap_bo_ecdsa_p256_verify(const uint8_t pub[BO_P256_PUB_SIZE],
                                const uint8_t hash[BO_SHA256_SIZE], const uint8_t *der,
                                size_t der_len);

int __wrap_bo_aes_cbc_update(bo_aes_cbc_t *ctx, const uint8_t *in, uint8_t *out, size_t len)
{
    if (g_clk)
        bench_clock_aes(g_clk, len);
    return __real_bo_aes_cbc_update(ctx, in, out, len);
}

void __wrap_bo_sha256_update(bo_sha256_t *ctx, const void *data, size_t len)
{
    if (g_clk)
        bench_clock_sha(g_clk, len);
    __real_bo_sha256_update(ctx, data, len);
}

void __wrap_bo_sha256(const void *data, size_t len, uint8_t out[BO_SHA256_SIZE])
{
    if (g_clk)
        bench_clock_sha(g_clk, len);
    __real_bo_sha256(data, len, out);
}

int __wrap_bo_ecdsa_p256_verify(const uint8_t pub[BO_P256_PUB_SIZE],
                                const uint8_t hash[BO_SHA256_SIZE], const uint8_t *der,
                                size_t der_len)
{
    if (g_clk)
        bench_clock_ecdsa(g_clk);
    return __real_bo_ecdsa_p256_verify(pub, hash, der, der_len);
}

/* ---- Flash port: the NOR model, timed ---------------------------------------------------- */
static int fl_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
    realdev_t *d = ctx;
    bench_clock_read(&d->clk, len);
    return d->nor.flash.read(d->nor.flash.ctx, addr, buf, len);
}

static int fl_prog(void *ctx, uint32_t addr, const void *buf, uint32_t len)
{
    realdev_t *d = ctx;
    bench_clock_prog(&d->clk, len / d->flash.prog_unit);
    return d->nor.flash.prog(d->nor.flash.ctx, addr, buf, len);
}

static int fl_erase(void *ctx, uint32_t addr)
{
    realdev_t *d = ctx;
    bench_clock_erase(&d->clk);
    return d->nor.flash.erase(d->nor.flash.ctx, addr);
}

/* ---- The application around bo_ota_att ------------------------------------------------- */
static int dev_send(void *ctx, const uint8_t *pdu, uint16_t len)
{
    realdev_t *d = ctx;
    return bench_link_send_p2c(d->link, d->clk.cpu, pdu, len) == 0 ? BO_OK : BO_ERR_BUSY;
}

static int on_event(void *ctx, const bo_ota_evt_t *evt)
{
    realdev_t *d = ctx;
    if (evt->type == BO_OTA_EVT_COMPLETE)
        d->verdict = evt->status;
    return BO_OK; /* UPDATE_REQUEST: accept */
}

static uint32_t now_ms(void *ctx)
{
    realdev_t *d = ctx;
    return (uint32_t)(d->clk.cpu / 1000000u);
}

static void no_reset(void *ctx) {}

static void note_err(realdev_t *d, int rc)
{
    if (rc < 0 && d->link_err == 0)
        d->link_err = rc;
}

/* Update Complete on the Control Point? */
static bool is_complete(const realdev_t *d, const uint8_t *pdu, uint16_t len)
{
    return len >= 4 && pdu[0] == BO_ATT_OP_WRITE_REQ &&
           bo_get_le16(pdu + 1) == d->oa.handle_of[BO_OTAS_ATTR_CTRL] &&
           pdu[3] == BO_OTAS_OP_UPDATE_COMPLETE;
}

/* One ATT PDU (or the pairing request), as the device's BLE task hands it over. */
static uint64_t dev_handle(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len)
{
    realdev_t *d = ctx;
    bench_clock_at(&d->clk, now);
    bench_clock_insns(&d->clk, d->clk.cfg->pdu_insns);
    if (pdu[0] == BO_LINK_CTRL) {
        /* pairing stands for the LL encryption procedure: the link is encrypted from then on */
        if (len >= 2 && pdu[1] == BO_LINK_CTRL_PAIR_REQ) {
            const uint8_t paired[2] = {BO_LINK_CTRL, BO_LINK_CTRL_PAIRED};
            bo_ota_att_encrypted(&d->oa, true);
            (void)bench_link_send_p2c(d->link, d->clk.cpu, paired, 2);
        }
        return d->clk.cpu;
    }
    /* Complete decides with the header check's verdict: a check still running in the
     * low-priority task must finish first. */
    if (is_complete(d, pdu, len)) {
        d->clk.cpu += d->bg_left;
        d->bg_left = 0;
    }
    note_err(d, bo_ota_att_pdu(&d->oa, pdu, len, now_ms(d)));
    return d->clk.cpu;
}

/* Nothing waits: the main loop's tick, then the idle work. A header check (ECDSA) runs at once
 * in real time, but its cost is paid in 1 ms slices of idle CPU time so that received PDUs
 * preempt it, as a low-priority task would; idle flash work stalls the CPU like any flash
 * operation (single bank) or runs beside it (dual panel). */
static uint64_t dev_idle(void *ctx, uint64_t now)
{
    realdev_t *d = ctx;
    bench_clock_at(&d->clk, now);
    if (d->bg_left == 0) {
        note_err(d, bo_ota_att_tick(&d->oa, now_ms(d)));
        uint64_t t0 = d->clk.cpu, e0 = d->clk.ecdsa;
        int rc = bo_ota_att_idle(&d->oa, now_ms(d));
        note_err(d, rc);
        if (rc == 1 && d->clk.ecdsa != e0) {
            d->bg_left = d->clk.cpu - t0;
            d->clk.cpu = t0;
        } else if (rc == 1 && d->clk.cpu == t0) {
            d->clk.cpu++; /* it did something: call it again */
        }
    }
    if (d->bg_left > 0) {
        uint64_t slice = d->bg_left < BG_SLICE_NS ? d->bg_left : BG_SLICE_NS;
        d->clk.cpu += slice;
        d->bg_left -= slice;
    }
    return d->clk.cpu;
}

/* The shipped configuration (bo_ota_att_defaults), the bench's platform, the knobs. */
static void dev_config(bo_ota_att_cfg_t *c, const bench_stack_cfg_t *st)
{
    bo_ota_att_defaults(c);
    c->ota.layout = bo_layout_bz2();
    c->ota.authenticate = bo_boot_authenticate;
    c->ota.current_version = RUNNING_VERSION;
    c->ota.resume = c->ota.resume && c->ota.layout.resume_addr != 0; /* as bleota-device */
    c->fw_rev = RUNNING_REV;
    if (st->window)
        c->ota.window = (uint16_t)st->window;
}

size_t bench_bleota_describe(const bench_stack_cfg_t *st, char *out, size_t cap)
{
    bo_ota_att_cfg_t c;
    dev_config(&c, st);
    return bo_ota_cfg_describe(&c.ota, out, cap);
}

/* Slot 1 as a previous update leaves it: the previous image (prev bytes) programmed, its
 * header page erased by the bootloader after the install; the resume pages erased. Written
 * straight into the NOR model (no time: it happened before). */
static int previous_update(realdev_t *d, uint32_t prev)
{
    const bo_layout_t l = bo_layout_bz2();
    uint8_t unit[256];
    uint32_t page = d->flash.page_size, pu = d->flash.prog_unit;
    if (pu > sizeof unit)
        return -1;
    memset(unit, 0x5A, sizeof unit);
    for (uint32_t off = page; off < prev; off += pu)
        if (d->nor.flash.prog(d->nor.flash.ctx, l.slot1 + off, unit, pu))
            return -1;
    return 0;
}

/* Slot 0: the running image a delta patch applies to (factory-programmed, no time). */
static int running_image(realdev_t *d, const bench_image_t *img)
{
    const bo_layout_t l = bo_layout_bz2();
    uint32_t pu = d->flash.prog_unit;
    uint8_t unit[256];
    if (img->base == NULL)
        return 0;
    if (pu > sizeof unit || img->base_len > l.slot_size)
        return -1;
    for (uint32_t off = 0; off < img->base_len; off += pu) {
        uint32_t n = img->base_len - off < pu ? img->base_len - off : pu;
        memset(unit, 0xFF, pu);
        memcpy(unit, img->base + off, n);
        if (d->nor.flash.prog(d->nor.flash.ctx, l.slot0 + off, unit, pu))
            return -1;
    }
    return 0;
}

static int dev_init(realdev_t *d, bench_link_t *l, const bench_dev_cfg_t *dev,
                    const bench_stack_cfg_t *st, const bench_keys_t *k, const bench_image_t *img)
{
    bench_clock_init(&d->clk, dev);
    d->link = l;
    d->verdict = 1;
    if (bo_nor_open(&d->nor, NULL, BO_BZ2_FLASH_BASE, BO_BZ2_FLASH_SIZE, dev->page_size,
                    dev->prog_unit))
        return -1;
    d->nor.timing.erase_us = dev->erase_us;
    d->nor.timing.prog_us = dev->prog_us;
    d->flash = d->nor.flash;
    d->flash.ctx = d;
    d->flash.read = fl_read;
    d->flash.prog = fl_prog;
    d->flash.erase = fl_erase;
    if (previous_update(d, img->size) || running_image(d, img))
        return -1;
    d->nor.virtual_us = 0;
    d->keys = (bo_keys_t){k->aes_key, k->aes_iv, k->pub};
    d->sys = (bo_sys_t){d, now_ms, no_reset, NULL, NULL};
    d->boot = (bo_boot_cfg_t){.flash = &d->flash, .layout = bo_layout_bz2(), .pubkey = k->pub};
    bo_ota_att_cfg_t c;
    dev_config(&c, st);
    c.send = dev_send;
    c.send_ctx = d;
    c.ota.flash = &d->flash;
    c.ota.keys = &d->keys;
    c.ota.sys = &d->sys;
    c.ota.auth_cfg = &d->boot;
    c.ota.on_event = on_event;
    c.ota.event_ctx = d;
    return bo_ota_att_init(&d->oa, &c) == BO_OK ? 0 : -1;
}

/* The idle work after the previous update, until bo_ota_att_idle has nothing left. */
static int idle_cleanup(realdev_t *d, bench_run_t *out)
{
    for (uint32_t i = 0; i < IDLE_CALLS_MAX; i++) {
        int rc = bo_ota_att_idle(&d->oa, now_ms(d));
        if (rc == 0) {
            bench_clock_flash_sync(&d->clk);
            out->idle_flash_ns = d->clk.cpu;
            out->idle_erases = d->clk.erases;
            return 0;
        }
        if (rc < 0)
            return rc;
    }
    return -1;
}

int bench_run_bleota(const bench_scenario_t *s, const bench_dev_cfg_t *dev,
                     const bench_stack_cfg_t *st, const bench_image_t *img,
                     const bench_keys_t *keys, const bench_client_t *client, bench_run_t *out)
{
    memset(out, 0, sizeof *out);
    bench_link_t *l = calloc(1, sizeof *l);
    realdev_t *d = calloc(1, sizeof *d);
    int rc = -1;
    if (l && d && dev_init(d, l, dev, st, keys, img) == 0) {
        g_clk = &d->clk;
        if (idle_cleanup(d, out) != 0) {
            snprintf(out->why, sizeof out->why, "idle clean-up of slot 1 failed");
        } else {
            /* the update comes later: a fresh clock, the NOR's own account from zero */
            bench_clock_init(&d->clk, dev);
            d->nor.virtual_us = 0;
            bo_ota_att_connected(&d->oa, CONN);
            rc = bench_client_run(l, &s->link, (bench_host_t){d, dev_handle, dev_idle, NULL}, img,
                                  client, out);
            if (rc == 0 && d->verdict != BO_OK) {
                /* answered 00 but the application saw no valid image */
                out->ok = 0;
                snprintf(out->why, sizeof out->why, "Complete answered 00, device verdict %d",
                         d->verdict);
                rc = -1;
            }
            if (d->link_err && out->why[0] == '\0')
                snprintf(out->why, sizeof out->why, "device: error %d", d->link_err);
        }
        g_clk = NULL;
        out->erases = d->clk.erases;
        out->progs = d->clk.progs;
        out->ecdsa = d->clk.ecdsa;
        out->aes_bytes = d->clk.aes_bytes;
        out->sha_bytes = d->clk.sha_bytes;
        out->flash_ns = d->nor.virtual_us * 1000u;
    } else {
        out->result = -1;
        snprintf(out->why, sizeof out->why, "device set-up failed");
    }
    if (d)
        bo_nor_close(&d->nor);
    free(l), free(d);
    return rc;
}
