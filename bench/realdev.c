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

#define RUN_LIMIT_NS (4ull * 3600u * BENCH_NS_PER_S)
#define CONN 0u
#define RUNNING_VERSION 0x01000000u

typedef struct realdev {
    bench_link_t *link;
    bench_clock_t clk;
    bo_nor_t nor;
    bo_flash_t flash; /* the NOR model behind a port that charges the clock */
    bo_att_attr_t attrs[16];
    bo_att_db_t db;
    bo_att_server_t srv;
    uint16_t handle_of[BO_OTAS_ATTR_COUNT];
    bo_keys_t keys;
    bo_sys_t sys;
    bo_boot_cfg_t boot;
    bo_ota_t ota;
    int verdict; /* BO_OTA_EVT_COMPLETE status; 1 before */
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

/* ---- GATT: the OTA service in an att database, callbacks into otas ----------------------- */
static int attr_of(const realdev_t *d, uint16_t handle)
{
    for (int i = 0; i < BO_OTAS_ATTR_COUNT; i++)
        if (d->handle_of[i] == handle)
            return i;
    return -1;
}

static uint8_t gatt_read(void *ctx, uint16_t handle, uint8_t *out, uint16_t cap, uint16_t *len)
{
    realdev_t *d = ctx;
    int a = attr_of(d, handle);
    size_t n = 0;
    if (a < 0)
        return BO_ATT_ERR_ATTR_NOT_FOUND;
    uint8_t rc = bo_otas_read(bo_ota_otas(&d->ota), CONN, (bo_otas_attr_t)a, out, cap, &n);
    *len = (uint16_t)n;
    return rc;
}

static uint8_t gatt_write(void *ctx, uint16_t handle, const uint8_t *data, uint16_t len, bool cmd)
{
    realdev_t *d = ctx;
    int a = attr_of(d, handle);
    if (a < 0)
        return BO_ATT_ERR_ATTR_NOT_FOUND;
    return bo_otas_write(bo_ota_otas(&d->ota), CONN, (bo_otas_attr_t)a, cmd, data, len);
}

static uint8_t att_perm(uint8_t props, uint8_t perm)
{
    uint8_t p = 0;
    if (perm & BO_OTAS_PERM_READ)
        p |= BO_ATT_PERM_READ;
    if (perm & BO_OTAS_PERM_WRITE)
        p |= BO_ATT_PERM_WRITE;
    if (props & BO_OTAS_PROP_WRITE_NO_RSP)
        p |= BO_ATT_PERM_WRITE_CMD | BO_ATT_PERM_WRITE;
    if (perm & BO_OTAS_PERM_ENC)
        p |= BO_ATT_PERM_ENC;
    return p;
}

/* Microchip's layout: the service at 0x0100 (reference §1.2). */
static int gatt_init(realdev_t *d, uint16_t mtu)
{
    if (bo_att_db_init(&d->db, d->attrs, 16, 1) || bo_att_db_skip_to(&d->db, 0x0100))
        return -1;
    for (int i = 0; i < BO_OTAS_ATTR_COUNT; i++) {
        const bo_otas_attr_desc_t *a = &bo_otas_attr_table[i];
        bo_att_uuid_t u = a->uuid128 ? bo_att_uuid128(a->uuid128) : bo_att_uuid16(a->uuid16);
        int h;
        if (a->kind == BO_OTAS_KIND_SERVICE)
            h = bo_att_db_add_service(&d->db, &u);
        else if (a->kind == BO_OTAS_KIND_VALUE)
            h = bo_att_db_add_char(&d->db, &u, a->props, att_perm(a->props, a->perm), NULL, 0);
        else
            h = bo_att_db_add_cccd(&d->db, att_perm(0, a->perm));
        if (h <= 0)
            return -1;
        d->handle_of[a->attr] = (uint16_t)h;
    }
    bo_att_server_cfg_t cfg = {.db = &d->db, .mtu_max = mtu, .ctx = d, .read = gatt_read,
                               .write = gatt_write};
    if (bo_att_server_init(&d->srv, &cfg))
        return -1;
    bo_att_server_connected(&d->srv);
    return 0;
}

/* ---- ota wiring ------------------------------------------------------------------------- */
static int notify(void *ctx, uint16_t conn, bo_otas_attr_t attr, const uint8_t *data, size_t len)
{
    realdev_t *d = ctx;
    uint8_t pdu[BENCH_ATT_MAX];
    int n = bo_att_server_notify(&d->srv, d->handle_of[attr], data, (uint16_t)len, pdu,
                                 sizeof pdu);
    if (n <= 0)
        return n < 0 ? n : BO_ERR_ARG;
    return bench_link_send_p2c(d->link, d->clk.cpu, pdu, (uint16_t)n) ? BO_ERR_NOSPACE : BO_OK;
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

static void no_reset(void *ctx)
{
}

static int dev_init(realdev_t *d, const bench_dev_cfg_t *dev, const bench_stack_cfg_t *st,
                    const bench_keys_t *k, uint16_t mtu)
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
    bo_ota_cfg_t cfg = {.flash = &d->flash, .layout = bo_layout_bz2(), .keys = &d->keys,
                        .sys = &d->sys, .authenticate = bo_boot_authenticate,
                        .auth_cfg = &d->boot, .notify = notify, .notify_ctx = d,
                        .on_event = on_event, .event_ctx = d,
                        .current_version = RUNNING_VERSION, .window = (uint16_t)st->window};
    if (gatt_init(d, mtu) || bo_ota_init(&d->ota, &cfg) ||
        bo_otas_connected(bo_ota_otas(&d->ota), CONN))
        return -1;
    return 0;
}

static uint64_t dev_handle(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len)
{
    realdev_t *d = ctx;
    uint8_t rsp[BENCH_ATT_MAX];
    bench_clock_at(&d->clk, now);
    bench_clock_insns(&d->clk, d->clk.cfg->pdu_insns);
    if (pdu[0] == BO_LINK_CTRL) {
        /* pairing is a link-layer procedure here: the link is encrypted from the start */
        if (len >= 2 && pdu[1] == BO_LINK_CTRL_PAIR_REQ) {
            const uint8_t paired[2] = {BO_LINK_CTRL, BO_LINK_CTRL_PAIRED};
            bo_att_server_set_encrypted(&d->srv, true);
            bo_otas_link_encrypted(bo_ota_otas(&d->ota), CONN, true);
            (void)bench_link_send_p2c(d->link, d->clk.cpu, paired, 2);
        }
    } else {
        int n = bo_att_server_handle(&d->srv, pdu, len, rsp, sizeof rsp);
        if (n > 0)
            (void)bench_link_send_p2c(d->link, d->clk.cpu, rsp, (uint16_t)n);
    }
    bo_ota_process(&d->ota, now_ms(d));
    return d->clk.cpu;
}

/* The device's main loop when nothing arrived: whatever bo_ota_process finds to do. */
static uint64_t dev_idle(void *ctx, uint64_t now)
{
    realdev_t *d = ctx;
    bench_clock_at(&d->clk, now);
    bo_ota_process(&d->ota, now_ms(d));
    return d->clk.cpu;
}

int bench_run_bleota(const bench_scenario_t *s, const bench_dev_cfg_t *dev,
                     const bench_stack_cfg_t *st, const bench_image_t *img,
                     const bench_keys_t *keys, bench_run_t *out)
{
    memset(out, 0, sizeof *out);
    bench_link_t *l = calloc(1, sizeof *l);
    realdev_t *d = calloc(1, sizeof *d);
    bench_central_t *c = calloc(1, sizeof *c);
    int rc = -1;
    if (!l || !d || !c || dev_init(d, dev, st, keys, s->link.mtu)) {
        out->result = -1;
        goto done;
    }
    d->link = l;
    bench_link_init(l, &s->link, (bench_host_t){c, bench_central_rx, NULL},
                    (bench_host_t){d, dev_handle, dev_idle});
    bo_otac_image_t im = {.payload = img->payload, .len = img->size, .size = img->size,
                          .image_id = img->image_id, .version = img->version, .enc = img->enc};
    g_clk = &d->clk;
    if (bench_central_start(c, l, &im) == BO_OK)
        (void)bench_link_run(l, RUN_LIMIT_NS);
    g_clk = NULL;
    out->ok = c->complete == 0 && d->verdict == BO_OK;
    out->result = c->complete == 0 ? 100 + d->verdict : (int)bo_otac_result(&c->otac);
    out->total_ns = c->t_done - c->t_req;
    out->data_ns = c->t_last_ack - c->t_data;
    out->tail_ns = c->t_done - c->t_last_ack;
    out->window = c->window;
    out->windows = c->windows;
    out->link = l->st;
    out->erases = d->clk.erases;
    out->progs = d->clk.progs;
    out->ecdsa = d->clk.ecdsa;
    out->aes_bytes = d->clk.aes_bytes;
    out->sha_bytes = d->clk.sha_bytes;
    rc = out->ok ? 0 : -1;
done:
    if (d)
        bo_nor_close(&d->nor);
    free(l), free(d), free(c);
    return rc;
}
