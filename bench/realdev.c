/* bleota bench: bleota's device stack on the modelled link (see realdev.h). */
#include "realdev.h"

#include <stdlib.h>
#include <string.h>

#include "bleota/att.h"
#include "bleota/boot.h"
#include "bleota/crypto.h"
#include "bleota/layout_bz2.h"
#include "bleota/ota.h"
#include "bleota/posix/nor.h"
#include "central.h"
#include "gattdev.h"

#define CONN 0u
#define RUNNING_VERSION 0x01000000u

typedef struct realdev {
    bench_clock_t clk;
    bo_nor_t nor;
    bo_flash_t flash; /* the NOR model behind a port that charges the clock */
    bench_gattdev_t gatt;
    bo_keys_t keys;
    bo_sys_t sys;
    bo_boot_cfg_t boot;
    bo_ota_t ota;
    int verdict;       /* BO_OTA_EVT_COMPLETE status; 1 before */
    uint64_t bg_left;  /* CPU time the low-priority background task still needs */
    bool complete_cp;  /* an Update Complete was just written */
    uint16_t mtu_told; /* the ATT MTU last reported to otas */
} realdev_t;

/* ---- Crypto accounting: the stack's calls, counted exactly ------------------------------ */
static bench_clock_t *g_clk; /* the device clock while a device run is active */

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

/* ---- ota wiring ------------------------------------------------------------------------- */
static int notify(void *ctx, uint16_t conn, bo_otas_attr_t attr, const uint8_t *data, size_t len)
{
    realdev_t *d = ctx;
    return bench_gattdev_notify(&d->gatt, attr, data, (uint16_t)len);
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

/* ---- the otas service behind the GATT front ------------------------------------------ */
static uint8_t svc_read(void *ctx, bo_otas_attr_t attr, uint8_t *out, uint16_t cap, uint16_t *len)
{
    realdev_t *d = ctx;
    size_t n = 0;
    uint8_t rc = bo_otas_read(bo_ota_otas(&d->ota), CONN, attr, out, cap, &n);
    *len = (uint16_t)n;
    return rc;
}

static uint8_t svc_write(void *ctx, bo_otas_attr_t attr, bool cmd, const uint8_t *v, uint16_t len)
{
    realdev_t *d = ctx;
    if (attr == BO_OTAS_ATTR_CTRL && len >= 1 && v[0] == BO_OTAS_OP_UPDATE_COMPLETE)
        d->complete_cp = true;
    return bo_otas_write(bo_ota_otas(&d->ota), CONN, attr, cmd, v, len);
}

static void svc_paired(void *ctx)
{
    realdev_t *d = ctx;
    bo_otas_link_encrypted(bo_ota_otas(&d->ota), CONN, true);
}

/* After every PDU: the device's main loop calls bo_ota_process. Update Complete first waits
 * for a background check still running (its verdict is what Complete uses); a new ATT MTU is
 * reported to otas (bo_otas_set_mtu), which sizes its window by it. */
static void svc_process(void *ctx)
{
    realdev_t *d = ctx;
    if (d->complete_cp) {
        d->complete_cp = false;
        d->clk.cpu += d->bg_left;
        d->bg_left = 0;
    }
    if (d->gatt.srv.mtu != d->mtu_told) { /* the transport's duty: report the MTU exchange */
        d->mtu_told = d->gatt.srv.mtu;
        (void)bo_otas_set_mtu(bo_ota_otas(&d->ota), CONN, d->mtu_told);
    }
    bo_ota_process(&d->ota, now_ms(d));
}

#define BG_SLICE_NS 1000000u /* the scheduler lets received PDUs preempt it every 1 ms */

/* Idle: bo_ota_process, then bo_ota_background as a low-priority task. The call runs at once
 * in real time; its measured cost is then paid in 1 ms slices of idle CPU time, so received
 * PDUs preempt it as the OTA task would. */
static void svc_idle(void *ctx)
{
    realdev_t *d = ctx;
    bo_ota_process(&d->ota, now_ms(d));
    if (d->bg_left == 0) {
        uint64_t t0 = d->clk.cpu;
        if (bo_ota_background(&d->ota) == 1) {
            d->bg_left = d->clk.cpu - t0;
            d->clk.cpu = t0;
        }
    }
    if (d->bg_left > 0) {
        uint64_t slice = d->bg_left < BG_SLICE_NS ? d->bg_left : BG_SLICE_NS;
        d->clk.cpu += slice;
        d->bg_left -= slice;
    }
}

static int dev_init(realdev_t *d, bench_link_t *l, const bench_dev_cfg_t *dev,
                    const bench_stack_cfg_t *st, const bench_keys_t *k, uint16_t mtu)
{
    bench_clock_init(&d->clk, dev);
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
    d->keys = (bo_keys_t){k->aes_key, k->aes_iv, k->pub};
    d->sys = (bo_sys_t){d, now_ms, no_reset};
    d->boot = (bo_boot_cfg_t){.flash = &d->flash, .layout = bo_layout_bz2(), .pubkey = k->pub};
    bo_ota_cfg_t cfg = {.flash = &d->flash,
                        .layout = bo_layout_bz2(),
                        .keys = &d->keys,
                        .sys = &d->sys,
                        .authenticate = bo_boot_authenticate,
                        .auth_cfg = &d->boot,
                        .notify = notify,
                        .notify_ctx = d,
                        .on_event = on_event,
                        .event_ctx = d,
                        .current_version = RUNNING_VERSION,
                        .window = (uint16_t)st->window};
    bench_service_t svc = {d, svc_read, svc_write, svc_paired, svc_process, svc_idle};
    if (bench_gattdev_init(&d->gatt, l, &d->clk, mtu, &svc) || bo_ota_init(&d->ota, &cfg) ||
        bo_otas_connected(bo_ota_otas(&d->ota), CONN))
        return -1;
    return 0;
}

int bench_run_bleota(const bench_scenario_t *s, const bench_dev_cfg_t *dev,
                     const bench_stack_cfg_t *st, const bench_image_t *img,
                     const bench_keys_t *keys, bench_run_t *out)
{
    memset(out, 0, sizeof *out);
    bench_link_t *l = calloc(1, sizeof *l);
    realdev_t *d = calloc(1, sizeof *d);
    int rc = -1;
    if (l && d && dev_init(d, l, dev, st, keys, s->link.mtu) == 0) {
        g_clk = &d->clk;
        rc = bench_central_run(l, &s->link,
                               (bench_host_t){&d->gatt, bench_gattdev_handle, bench_gattdev_idle},
                               img, out);
        g_clk = NULL;
        if (rc == 0 && d->verdict != BO_OK) {
            out->ok = 0; /* answered 00 but the application saw no valid image: a bench bug */
            out->result = 200;
            rc = -1;
        }
        out->erases = d->clk.erases;
        out->progs = d->clk.progs;
        out->ecdsa = d->clk.ecdsa;
        out->aes_bytes = d->clk.aes_bytes;
        out->sha_bytes = d->clk.sha_bytes;
        out->flash_ns = d->nor.virtual_us * 1000u;
    } else {
        out->result = -1;
    }
    if (d)
        bo_nor_close(&d->nor);
    free(l), free(d);
    return rc;
}
