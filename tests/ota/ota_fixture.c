#include "ota_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/img.h"

const uint8_t mchp_aes_key[16] = {0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00, 0x11,
                                  0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99};
const uint8_t mchp_pub[64] = {
    0xc2, 0x81, 0x8f, 0xbb, 0x28, 0x61, 0x47, 0x8b, 0xa2, 0x53, 0x37, 0x79, 0xd4, 0x63, 0x18, 0x7c,
    0x8b, 0x41, 0x59, 0xa9, 0x5f, 0x0b, 0x6b, 0x94, 0x4e, 0xb9, 0x57, 0xa1, 0x03, 0xfe, 0x20, 0xbf,
    0x2b, 0xb8, 0x14, 0x2a, 0x64, 0xb5, 0xae, 0x4a, 0x83, 0x80, 0xdd, 0xe6, 0xee, 0x29, 0x89, 0xdd,
    0xa0, 0x9a, 0xc7, 0xda, 0x82, 0xeb, 0x56, 0x62, 0x90, 0x5d, 0x66, 0xc5, 0xbc, 0x30, 0x3c, 0x84};

static int on_event(void *ctx, const bo_ota_evt_t *evt)
{
    ofx_t *f = ctx;
    if (f->n_evts < OEVT_MAX) {
        f->evts[f->n_evts++] = *evt;
    }
    if (evt->type == BO_OTA_EVT_UPDATE_REQUEST) {
        return f->app_mode == APP_ACCEPT
                   ? BO_OK
                   : (f->app_mode == APP_DEFER ? BO_OTA_DEFER : BO_ERR_REFUSED);
    }
    return BO_OK;
}

static int authenticate(const bo_boot_cfg_t *cfg, int slot, bo_boot_image_t *info)
{
    ofx_t *f = (ofx_t *)(void *)((char *)(uintptr_t)cfg - offsetof(ofx_t, boot));
    f->auth_calls++;
    assert_int_equal(slot, 1);
    if (!f->fake_auth) {
        return bo_boot_authenticate(cfg, slot, info);
    }
    info->version = f->fake_version;
    return f->fake_status;
}

static void sys_reset(void *ctx)
{
    ofx_t *f = ctx;
    f->resets++;
}

void ofx_process(void *ctx)
{
    ofx_t *f = ctx;
    bo_ota_process(&f->ota, f->now);
}

ofx_t *ofx_new(const ofx_opts_t *o)
{
    ofx_t *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    h_flash_open(&f->fl);
    memcpy(f->aes_key, mchp_aes_key, 16);
    memcpy(f->pub, mchp_pub, 64);
    f->keys.aes_key = f->aes_key;
    f->keys.aes_iv = f->aes_iv;
    f->keys.ecdsa_pub = f->pub;
    f->boot.flash = &f->fl.flash;
    f->boot.layout = bo_layout_bz2();
    f->boot.pubkey = f->pub;
    f->boot.allowed_auth = BO_AUTH_MASK(BO_AUTH_SHA256) | BO_AUTH_MASK(BO_AUTH_ECDSA);
    f->sys.ctx = f;
    f->sys.reset = sys_reset;
    f->now = 1000;
    bo_ota_cfg_t cfg = {
        .flash = &f->fl.flash,
        .layout = bo_layout_bz2(),
        .keys = o->no_keys ? NULL : &f->keys,
        .sys = &f->sys,
        .authenticate = authenticate,
        .auth_cfg = &f->boot,
        .notify = h_notify,
        .notify_ctx = &f->rec,
        .on_event = on_event,
        .event_ctx = f,
        .current_version = o->current_version ? o->current_version : 0x01000000u,
        .timeout_ms = o->timeout_ms,
        /* ota policy tests: a fixed window unless one is asked for (the automatic window is
         * otas_rules' and the integration tests' business) */
        .window = o->window != 0u ? o->window : (uint16_t)BO_OTAS_WINDOW_DEFAULT,
        .resume = o->resume,
        .auth_from_flash = o->auth_from_flash,
    };
    assert_int_equal(bo_ota_init(&f->ota, &cfg), BO_OK);
    h_client_t c = {.otas = bo_ota_otas(&f->ota),
                    .rec = &f->rec,
                    .process = ofx_process,
                    .process_ctx = f,
                    .conn = 0x40,
                    .chunk = 244};
    f->a = c;
    c.conn = 0x41;
    f->b = c;
    return f;
}

void ofx_free(ofx_t *f)
{
    h_flash_close(&f->fl); /* asserts the NOR rules held and only slot 1 was written */
    free(f);
}

const bo_ota_evt_t *ofx_last(const ofx_t *f, bo_ota_evt_type_t type)
{
    for (size_t i = f->n_evts; i > 0; i--) {
        if (f->evts[i - 1].type == type) {
            return &f->evts[i - 1];
        }
    }
    return NULL;
}

size_t ofx_count(const ofx_t *f, bo_ota_evt_type_t type)
{
    size_t n = 0;
    for (size_t i = 0; i < f->n_evts; i++) {
        n += f->evts[i].type == type;
    }
    return n;
}

uint8_t *make_image(uint32_t fw_len, uint32_t signed_version, const uint8_t *key, const uint8_t *iv,
                    size_t *len)
{
    size_t total = BO_MD_SIZE + fw_len + (key != NULL ? 16u : 0u);
    uint8_t *p = malloc(total);
    assert_non_null(p);
    uint8_t *fw = &p[BO_MD_SIZE];
    for (uint32_t i = 0; i < fw_len; i++) {
        fw[i] = (uint8_t)(i ^ (i >> 8) ^ signed_version);
    }
    bo_md_t md;
    memset(&md, 0, sizeof(md));
    memcpy(md.manu_id, "MCHP", 4);
    md.seq_num = 1;
    md.md_auth = BO_AUTH_SHA256;
    md.fw_auth = BO_AUTH_SHA256;
    md.fw_rev = signed_version;
    md.fw_len = fw_len;
    md.fw_sig_len = 32;
    bo_sha256(fw, fw_len, md.fw_sig);
    md.md_sig_len = 32;
    bo_md_build(&md, p);
    bo_md_digest(p, md.md_sig);
    bo_md_build(&md, p);
    if (key != NULL) {
        memset(&p[BO_MD_SIZE + fw_len], 0x10, 16); /* PKCS#7 block, as Microchip's tool */
        bo_aes_cbc_t aes;
        assert_int_equal(bo_aes_cbc_init(&aes, key, iv, 0), BO_OK);
        assert_int_equal(bo_aes_cbc_update(&aes, p, p, total), BO_OK);
        bo_aes_cbc_free(&aes);
    }
    *len = total;
    return p;
}

uint8_t run_update(ofx_t *f, h_client_t *c, const uint8_t *payload, size_t len, uint32_t version,
                   uint8_t enc, uint16_t checksum, int *step)
{
    uint8_t req[19];
    uint16_t window = 0;
    size_t n = h_req(req, (uint32_t)len, BO_IMG_DEFAULT_ID, version, enc, checksum, true);
    uint8_t r = h_request(c, req, n, &window, NULL);
    if (r != 0) {
        *step = 2;
        return r;
    }
    r = h_start(c);
    if (r != 0) {
        *step = 3;
        return r;
    }
    assert_int_equal(h_send(c, payload, 0, len, window, 0), len);
    *step = 4;
    return h_complete(c);
}
