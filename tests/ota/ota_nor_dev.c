/* The NOR-model OTA test device (see ota_nor_dev.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/img.h"
#include "ota_nor_dev.h"

static const uint8_t zero_iv[16] = {0};

static int accept_all(void *ctx, const bo_ota_evt_t *evt)
{
    nor_dev_t *d = ctx;
    return d->on_event != NULL ? d->on_event(d->event_ctx, evt) : BO_OK;
}

static int auth(const bo_boot_cfg_t *cfg, int slot, bo_boot_image_t *info)
{
    return bo_boot_authenticate(cfg, slot, info);
}

static void process(void *ctx)
{
    nor_dev_t *d = ctx;
    bo_ota_process(&d->ota, d->now);
}

nor_dev_t *nor_dev_new(void)
{
    nor_dev_t *d = calloc(1, sizeof(*d));
    assert_non_null(d);
    assert_int_equal(bo_nor_open(&d->nor, NULL, BO_BZ2_FLASH_BASE, BO_BZ2_FLASH_SIZE,
                                 BO_BZ2_PAGE_SIZE, BO_BZ2_PROG_UNIT),
                     BO_OK);
    return d;
}

void nor_dev_free(nor_dev_t *d)
{
    bo_nor_close(&d->nor);
    free(d);
}

void nor_dev_boot(nor_dev_t *d, uint16_t window)
{
    d->keys = (bo_keys_t){.aes_key = mchp_aes_key, .aes_iv = zero_iv};
    d->boot = (bo_boot_cfg_t){.flash = &d->nor.flash,
                              .layout = bo_layout_bz2(),
                              .allowed_auth = BO_AUTH_MASK(BO_AUTH_SHA256)};
    bo_ota_cfg_t cfg = {.flash = &d->nor.flash,
                        .layout = bo_layout_bz2(),
                        .keys = &d->keys,
                        .sys = &d->sys,
                        .authenticate = auth,
                        .auth_cfg = &d->boot,
                        .notify = h_notify,
                        .notify_ctx = &d->rec,
                        .on_event = accept_all,
                        .event_ctx = d,
                        .current_version = 0x01000000u,
                        .window = window,
                        .resume = true};
    assert_int_equal(bo_ota_init(&d->ota, &cfg), BO_OK);
    h_rec_clear(&d->rec);
}

h_client_t nor_dev_client(nor_dev_t *d)
{
    h_client_t c = {.otas = bo_ota_otas(&d->ota),
                    .rec = &d->rec,
                    .process = process,
                    .process_ctx = d,
                    .conn = 7,
                    .chunk = 244};
    h_client_connect(&c);
    const uint8_t opt = BO_OTAS_OP_RESUME_OPT_IN;
    assert_int_equal(h_cp(&c, &opt, 1), 0);
    assert_int_equal(h_next(&d->rec)->data[2], 0x00);
    return c;
}

uint32_t nor_dev_request(h_client_t *c, size_t len, uint32_t version)
{
    uint8_t req[19];
    uint32_t start = 0;
    size_t n = h_req(req, (uint32_t)len, BO_IMG_DEFAULT_ID, version, 1, 0x4242, true);
    assert_int_equal(h_request(c, req, n, NULL, &start), 0x00);
    assert_int_equal(h_start(c), 0x00);
    return start;
}
