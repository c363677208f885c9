/* A bo_otas_t on a RAM flash with a scripted application (accept / reject / defer). */
#ifndef BO_TEST_OTAS_FIXTURE_H
#define BO_TEST_OTAS_FIXTURE_H

#include "harness.h"

enum { APP_ACCEPT = 0, APP_REJECT, APP_DEFER };

#define EVT_MAX 256
typedef struct fx {
    h_flash_t fl;
    bo_layout_t layout;
    bo_dfu_t dfu;
    bo_otas_t otas;
    h_rec_t rec;
    h_client_t a, b; /* two connections */
    int req_mode, comp_mode;
    uint32_t cur_version;
    bo_otas_evt_t evts[EVT_MAX];
    size_t n_evts;
} fx_t;

/* window 0 = default; resume: offer the extension. */
fx_t *fx_new(uint16_t window, bool resume);
void fx_free(fx_t *f);
void fx_process(void *ctx);
/* The last event of a type, or NULL. */
const bo_otas_evt_t *fx_last(const fx_t *f, bo_otas_evt_type_t type);
size_t fx_count(const fx_t *f, bo_otas_evt_type_t type);

#endif
