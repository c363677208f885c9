#include "ble_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/layout_bz2.h"

/* ---- Platform: flash with failure injection, clock, reset ---------------------------------- */
static int fl_read(void *ctx, uint32_t a, void *b, uint32_t n)
{
    bfx_t *f = ctx;
    return f->nor.flash.read(&f->nor, a, b, n);
}

static int fl_prog(void *ctx, uint32_t a, const void *b, uint32_t n)
{
    bfx_t *f = ctx;
    return f->fail ? BO_ERR_IO : f->nor.flash.prog(&f->nor, a, b, n);
}

static int fl_erase(void *ctx, uint32_t a)
{
    bfx_t *f = ctx;
    return f->fail ? BO_ERR_IO : f->nor.flash.erase(&f->nor, a);
}

static uint32_t sys_now(void *ctx)
{
    return ((bfx_t *)ctx)->now;
}

static void sys_reset(void *ctx)
{
    ((bfx_t *)ctx)->resets++;
}

static int on_event(void *ctx, const bo_ota_evt_t *evt)
{
    bfx_t *f = ctx;
    if (evt->type == BO_OTA_EVT_PROGRESS)
        f->progress++; /* one per window: counted, not kept */
    else if (f->n_evts < BFX_EVT_MAX)
        f->evts[f->n_evts++] = *evt;
    if (evt->type == BO_OTA_EVT_UPDATE_REQUEST)
        return f->req_mode == BFX_DEFER ? BO_OTA_DEFER : BO_OK;
    return BO_OK;
}

static int fake_auth(const bo_boot_cfg_t *cfg, int slot, bo_boot_image_t *info)
{
    (void)cfg;
    assert_int_equal(slot, 1);
    memset(info, 0, sizeof *info);
    info->version = 0x01000001u;
    return BO_OK;
}

static bfx_t *alloc(void)
{
    bfx_t *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(bo_nor_open(&f->nor, NULL, BO_BZ2_FLASH_BASE, BO_BZ2_FLASH_SIZE,
                                 BO_BZ2_PAGE_SIZE, BO_BZ2_PROG_UNIT),
                     BO_OK);
    f->flash = f->nor.flash;
    f->flash.ctx = f;
    f->flash.read = fl_read;
    f->flash.prog = fl_prog;
    f->flash.erase = fl_erase;
    f->sys.ctx = f;
    f->sys.now_ms = sys_now;
    f->sys.reset = sys_reset;
    f->now = 1000u;
    fs_init(&f->fs, &f->ble);
    return f;
}

static void base_cfg(bfx_t *f, bo_bz2_ble_cfg_t *cfg)
{
    bo_bz2_ble_defaults(cfg);
    cfg->ota.flash = &f->flash;
    cfg->ota.layout = bo_layout_bz2();
    cfg->ota.sys = &f->sys;
    cfg->ota.on_event = on_event;
    cfg->ota.event_ctx = f;
}

bfx_t *bfx_new(void)
{
    bfx_t *f = alloc();
    bo_bz2_ble_cfg_t cfg;
    base_cfg(f, &cfg);
    cfg.ota.authenticate = fake_auth;
    cfg.ota.current_version = 0x01000000u;
    assert_int_equal(bo_bz2_ble_init(&f->ble, &cfg), BO_OK);
    return f;
}

static void real_init(bfx_t *f, const bo_keys_t *keys, bo_bz2_ble_cfg_t *out)
{
    bo_bz2_ble_cfg_t cfg;
    base_cfg(f, &cfg);
    memset(&f->boot, 0, sizeof f->boot);
    f->boot.flash = &f->flash;
    f->boot.layout = bo_layout_bz2();
    f->boot.pubkey = keys->ecdsa_pub;
    cfg.ota.keys = keys;
    cfg.ota.authenticate = bo_boot_authenticate;
    cfg.ota.auth_cfg = &f->boot;
    fs_init(&f->fs, &f->ble);
    assert_int_equal(bo_bz2_ble_init(&f->ble, &cfg), BO_OK);
    if (out != NULL)
        *out = cfg;
}

bfx_t *bfx_new_real(const bo_keys_t *keys, bo_bz2_ble_cfg_t *cfg_out)
{
    bfx_t *f = alloc();
    real_init(f, keys, cfg_out);
    return f;
}

void bfx_reboot(bfx_t *f, const bo_keys_t *keys)
{
    fs_free(&f->fs);
    real_init(f, keys, NULL);
}

void bfx_free(bfx_t *f)
{
    assert_int_equal(f->nor.violations, 0);
    assert_int_equal(f->fs.stack_errors, 0);
    fs_free(&f->fs);
    bo_nor_close(&f->nor);
    free(f);
}

void bfx_advance(bfx_t *f, uint32_t ms)
{
    for (uint32_t t = 0; t < ms; t += 10u) {
        f->now += 10u;
        bo_bz2_ble_tick(&f->ble);
    }
}

const bo_ota_evt_t *bfx_last(const bfx_t *f, bo_ota_evt_type_t type)
{
    for (size_t i = f->n_evts; i > 0; i--)
        if (f->evts[i - 1u].type == type)
            return &f->evts[i - 1u];
    return NULL;
}

/* ---- The client ------------------------------------------------------------------------------ */
void bfx_connect(bfx_t *f, uint16_t conn)
{
    static const uint8_t on[2] = {0x01, 0x00};
    fs_connect(&f->fs, conn);
    fs_encrypt(&f->fs, conn);
    assert_int_equal(fs_write(&f->fs, conn, H_CTRL_CCCD, on, 2, false), 0);
    assert_int_equal(fs_write(&f->fs, conn, H_DATA_CCCD, on, 2, false), 0);
}

uint8_t bfx_cp(bfx_t *f, uint16_t conn, const uint8_t *op, size_t len)
{
    return fs_write(&f->fs, conn, H_CTRL, op, (uint16_t)len, false);
}

const fs_sent_t *bfx_ctrl(bfx_t *f, uint16_t conn)
{
    const fs_sent_t *n = fs_next_ntf(&f->fs, conn);
    assert_non_null(n);
    assert_int_equal(n->handle, H_CTRL);
    assert_int_equal(n->data[0], 0x01);
    return n;
}

uint8_t bfx_request(bfx_t *f, uint16_t conn, const uint8_t *req, size_t len, uint16_t *window)
{
    assert_int_equal(bfx_cp(f, conn, req, len), 0);
    const fs_sent_t *n = bfx_ctrl(f, conn);
    assert_int_equal(n->len, BO_OTAS_UPDATE_RSP_LEN);
    assert_int_equal(n->data[1], BO_OTAS_OP_UPDATE_REQ);
    if (window != NULL)
        *window = (uint16_t)(n->data[3] | n->data[4] << 8);
    return n->data[2];
}

static uint8_t simple(bfx_t *f, uint16_t conn, const uint8_t *op, size_t len)
{
    assert_int_equal(bfx_cp(f, conn, op, len), 0);
    const fs_sent_t *n = bfx_ctrl(f, conn);
    assert_int_equal(n->len, 3);
    assert_int_equal(n->data[1], op[0]);
    return n->data[2];
}

uint8_t bfx_start(bfx_t *f, uint16_t conn)
{
    static const uint8_t op[2] = {BO_OTAS_OP_UPDATE_START, 0x01};
    return simple(f, conn, op, sizeof op);
}

uint8_t bfx_complete(bfx_t *f, uint16_t conn)
{
    static const uint8_t op[1] = {BO_OTAS_OP_UPDATE_COMPLETE};
    return simple(f, conn, op, sizeof op);
}

size_t bfx_send(bfx_t *f, uint16_t conn, const uint8_t *payload, size_t len, uint16_t window,
                uint16_t chunk, size_t stop_after)
{
    size_t off = 0, acked = 0, end = stop_after != 0u && stop_after < len ? stop_after : len;
    while (off < end) {
        size_t win_end = off + window < len ? off + window : len;
        while (off < win_end && off < end) {
            size_t n = win_end - off < chunk ? win_end - off : chunk;
            assert_int_equal(fs_write(&f->fs, conn, H_DATA, &payload[off], (uint16_t)n, true), 0);
            off += n;
        }
        if (off < win_end)
            break; /* stopped mid-window */
        const fs_sent_t *a = fs_next_ntf(&f->fs, conn);
        if (a == NULL || a->handle != H_DATA || a->len != 1u || a->data[0] != 0u)
            break;
        acked = off;
    }
    return acked;
}
