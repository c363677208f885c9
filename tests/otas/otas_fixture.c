#include "otas_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void on_event(void *ctx, const bo_otas_evt_t *evt)
{
    fx_t *f = ctx;
    if (f->n_evts < EVT_MAX) {
        f->evts[f->n_evts++] = *evt;
    }
    if (evt->type == BO_OTAS_EVT_UPDATE_REQ && f->req_mode != APP_DEFER) {
        assert_int_equal(
            bo_otas_update_response(&f->otas, f->req_mode == APP_ACCEPT, f->cur_version), BO_OK);
    }
    if (evt->type == BO_OTAS_EVT_COMPLETE && f->comp_mode != APP_DEFER) {
        assert_int_equal(bo_otas_complete_response(&f->otas, f->comp_mode == APP_ACCEPT), BO_OK);
    }
}

void fx_process(void *ctx)
{
    fx_t *f = ctx;
    bo_otas_process(&f->otas, 0);
}

fx_t *fx_new(uint16_t window, bool resume)
{
    fx_t *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    h_flash_open(&f->fl);
    f->layout = bo_layout_bz2();
    assert_int_equal(bo_dfu_init(&f->dfu, &f->fl.flash, &f->layout), BO_OK);
    bo_otas_cfg_t cfg = {.notify = h_notify,
                         .notify_ctx = &f->rec,
                         .on_event = on_event,
                         .event_ctx = f,
                         .dfu = &f->dfu,
                         .window = window,
                         .resume = resume};
    assert_int_equal(bo_otas_init(&f->otas, &cfg), BO_OK);
    f->cur_version = 0x01000000u;
    h_client_t c = {.otas = &f->otas,
                    .rec = &f->rec,
                    .process = fx_process,
                    .process_ctx = f,
                    .conn = 0x40,
                    .chunk = 244};
    f->a = c;
    c.conn = 0x41;
    f->b = c;
    return f;
}

void fx_free(fx_t *f)
{
    h_flash_close(&f->fl); /* asserts the NOR rules held and only slot 1 was written */
    free(f);
}

const bo_otas_evt_t *fx_last(const fx_t *f, bo_otas_evt_type_t type)
{
    for (size_t i = f->n_evts; i > 0; i--) {
        if (f->evts[i - 1].type == type) {
            return &f->evts[i - 1];
        }
    }
    return NULL;
}

size_t fx_count(const fx_t *f, bo_otas_evt_type_t type)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n_evts; i++) {
        n += f->evts[i].type == type;
    }
    return n;
}
