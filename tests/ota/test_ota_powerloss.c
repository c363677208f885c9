/* Power cut mid-OTA at a spread of flash operations (clean and torn), on the posix NOR model:
 * the half-written slot 1 is never authentic, and after a reboot an opted-in client resumes from
 * the reported start index (checkpoints every 4 KiB: at most one page re-sent) and ends with a valid image. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/img.h"
#include "bleota/ota.h"
#include "bleota/posix/nor.h"
#include "ota_fixture.h" /* harness, make_image */

#define WINDOW 1024u
#define FW_LEN (24u * 1024u)

typedef struct dev {
    bo_nor_t nor;
    bo_ota_t ota;
    bo_boot_cfg_t boot;
    bo_keys_t keys;
    bo_sys_t sys;
    h_rec_t rec;
    uint32_t now;
} dev_t;

static const uint8_t iv[16] = {0};

static int on_event(void *ctx, const bo_ota_evt_t *evt)
{
    return BO_OK; /* accept every request */
}

static int auth(const bo_boot_cfg_t *cfg, int slot, bo_boot_image_t *info)
{
    return bo_boot_authenticate(cfg, slot, info);
}

static void process(void *ctx)
{
    dev_t *d = ctx;
    bo_ota_process(&d->ota, d->now);
}

/* Boots the "application": a fresh bo_ota_t over whatever the flash holds. */
static void boot_app(dev_t *d)
{
    d->keys = (bo_keys_t){.aes_key = mchp_aes_key, .aes_iv = iv};
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
                        .on_event = on_event,
                        .current_version = 0x01000000u,
                        .window = WINDOW,
                        .resume = true};
    assert_int_equal(bo_ota_init(&d->ota, &cfg), BO_OK);
    h_rec_clear(&d->rec);
}

static h_client_t client(dev_t *d)
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

static uint32_t request(h_client_t *c, size_t len)
{
    uint8_t req[19];
    uint32_t start = 0;
    size_t n = h_req(req, (uint32_t)len, BO_IMG_DEFAULT_ID, 0x01000001u, 1, 0x4242, true);
    assert_int_equal(h_request(c, req, n, NULL, &start), 0x00);
    assert_int_equal(h_start(c), 0x00);
    return start;
}

/* Cut before flash operation `op` (counted from the Update Start). Returns false once the cut
 * falls after the whole transfer (nothing left to test). */
static bool cut_and_resume(const uint8_t *p, size_t len, uint64_t op, bo_nor_cut_kind_t kind)
{
    dev_t *d = calloc(1, sizeof(*d));
    assert_non_null(d);
    assert_int_equal(bo_nor_open(&d->nor, NULL, BO_BZ2_FLASH_BASE, BO_BZ2_FLASH_SIZE,
                                 BO_BZ2_PAGE_SIZE, BO_BZ2_PROG_UNIT),
                     BO_OK);
    boot_app(d);
    h_client_t c = client(d);
    assert_int_equal(request(&c, len), 0);
    bo_nor_cut_before(&d->nor, op, kind, (uint32_t)op);
    size_t acked = h_send(&c, p, 0, len, WINDOW, 0);
    bool cut = !d->nor.powered;
    if (cut) {
        /* power is gone: the device reboots; nothing of the download may be authentic */
        assert_int_equal(bo_nor_reboot(&d->nor), BO_OK);
        bo_boot_image_t info;
        assert_int_not_equal(bo_boot_authenticate(&d->boot, 1, &info), BO_OK);
        boot_app(d);
        c = client(d);
        uint32_t start = request(&c, len);
        assert_true(start % BO_OTAS_CHECKPOINT == 0u);
        assert_true(start <= acked); /* never claims more than was acknowledged */
        assert_true(acked - start <= BO_OTAS_CHECKPOINT); /* at most one page again */
        assert_int_equal(h_send(&c, p, start, len, WINDOW, 0), len);
    } else {
        assert_int_equal(acked, len);
    }
    assert_int_equal(h_complete(&c), 0x00);
    bo_nor_close(&d->nor);
    free(d);
    return cut;
}

static void power_cut_mid_transfer_resumes_to_a_valid_image(void **s)
{
    size_t len;
    uint8_t *p = make_image(FW_LEN, 0x01000001u, mchp_aes_key, iv, &len);
    unsigned cuts = 0;
    for (uint64_t op = 1; op < 100000u; op += 23u) {
        bo_nor_cut_kind_t kind = (op / 23u) % 2u ? BO_NOR_CUT_TORN : BO_NOR_CUT_CLEAN;
        if (!cut_and_resume(p, len, op, kind)) {
            break;
        }
        cuts++;
    }
    assert_true(cuts > 20u); /* the spread really covered the transfer */
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(power_cut_mid_transfer_resumes_to_a_valid_image),
    };
    return cmocka_run_group_tests_name("ota_powerloss", tests, NULL, NULL);
}
