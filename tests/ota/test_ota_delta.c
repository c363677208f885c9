/* Delta patches through the real OTA path (bo_ota + otas + dfu on the posix NOR model): a patch
 * rebuilds the exact image in slot 1; a patch for another base is refused before any flash
 * operation; a power cut at every flash operation of a patched download leaves slot 1
 * structurally invalid or the exact image, and an opted-in client then resumes to the image. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/delta.h"
#include "bleota/img.h"
#include "bleota/ota.h"
#include "delta_enc.h"
#include "ota_nor_dev.h"

#define WINDOW 1024u
#define FW_LEN (24u * 1024u)
#define V1 0x01000000u
#define V2 0x01000001u

typedef struct {
    bool refused;
    bo_otas_refusal_t refusal;
} app_t;

static int on_event(void *ctx, const bo_ota_evt_t *evt)
{
    app_t *a = ctx;
    if (evt->type == BO_OTA_EVT_REFUSED) {
        a->refused = true;
        a->refusal = evt->refusal;
    }
    return BO_OK;
}

/* A device whose slot 0 runs `base` (factory-programmed). */
static nor_dev_t *new_dev(const uint8_t *base, size_t base_len, app_t *app)
{
    nor_dev_t *d = nor_dev_new();
    memcpy(d->nor.mem + (BO_BZ2_SLOT0 - BO_BZ2_FLASH_BASE), base, base_len);
    d->on_event = on_event;
    d->event_ctx = app;
    nor_dev_boot(d, WINDOW);
    return d;
}

typedef struct {
    uint8_t *v1, *v2, *ota; /* plaintext images, the encrypted patch payload */
    size_t v1_len, v2_len, ota_len, patch_len;
} pair_t;

/* v1 and v2 (SHA-256 authenticated, like make_image's), v2 = v1 with a changed stretch, an
 * insertion and new bytes at the end; the patch encrypted with the device's key. */
static void make_pair(pair_t *p, uint32_t base_seed)
{
    p->v1 = make_image(FW_LEN, V1 ^ base_seed, NULL, NULL, &p->v1_len);
    uint8_t *fw = malloc(FW_LEN + 2000u);
    uint32_t x = 0x12345678u; /* new code: bytes no model predicts */
    memcpy(fw, p->v1 + BO_MD_SIZE, 10000);
    for (uint32_t i = 0; i < 13000u; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        fw[10000 + i] = (uint8_t)x; /* an inserted stretch */
    }
    memcpy(fw + 23000, p->v1 + BO_MD_SIZE + 10000, FW_LEN - 10000 - 12000);
    for (uint32_t i = FW_LEN + 2000u - 1000u; i < FW_LEN + 2000u; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        fw[i] = (uint8_t)x;
    }
    for (uint32_t i = 23000; i < FW_LEN; i += 40) {
        fw[i] ^= 0x5A; /* scattered changes, like moved addresses */
    }
    /* the v2 image: make_image's header and signature scheme over this firmware */
    uint8_t *tmp = make_image(FW_LEN + 2000u, V2, NULL, NULL, &p->v2_len);
    memcpy(tmp + BO_MD_SIZE, fw, FW_LEN + 2000u);
    bo_md_t md;
    assert_int_equal(bo_md_parse(tmp, &md), BO_OK);
    bo_sha256(fw, md.fw_len, md.fw_sig);
    bo_md_build(&md, tmp);
    bo_md_digest(tmp, md.md_sig);
    bo_md_build(&md, tmp);
    p->v2 = tmp;
    free(fw);

    bo_delta_hdr_t h = {.target_rev = V2};
    bo_delta_image_id(p->v1, FW_LEN, h.base_id);
    uint8_t *patch;
    char err[128];
    assert_int_equal(bo_delta_make(p->v1, (uint32_t)p->v1_len, p->v2, (uint32_t)p->v2_len, &h,
                                   &patch, &p->patch_len, NULL, err, sizeof err),
                     0);
    assert_true(p->patch_len > 3u * BO_DELTA_BLOCK); /* several resume points */
    p->ota_len = (p->patch_len / 16u + 1u) * 16u;
    p->ota = malloc(p->ota_len);
    memcpy(p->ota, patch, p->patch_len);
    memset(p->ota + p->patch_len, (int)(p->ota_len - p->patch_len), p->ota_len - p->patch_len);
    bo_aes_cbc_t aes;
    static const uint8_t iv[16] = {0};
    assert_int_equal(bo_aes_cbc_init(&aes, mchp_aes_key, iv, 0), BO_OK);
    assert_int_equal(bo_aes_cbc_update(&aes, p->ota, p->ota, p->ota_len), BO_OK);
    bo_aes_cbc_free(&aes);
    free(patch);
}

static void free_pair(pair_t *p)
{
    free(p->v1);
    free(p->v2);
    free(p->ota);
}

static bool slot1_is(nor_dev_t *d, const uint8_t *img, size_t len)
{
    return memcmp(d->nor.mem + (BO_BZ2_SLOT1 - BO_BZ2_FLASH_BASE), img, len) == 0;
}

static bool slot1_structurally_valid(nor_dev_t *d)
{
    bo_md_t md;
    return bo_md_parse(d->nor.mem + (BO_BZ2_SLOT1 - BO_BZ2_FLASH_BASE), &md) == BO_OK;
}

static void delta_patch_rebuilds_the_exact_image_in_slot1(void **s)
{
    pair_t p;
    make_pair(&p, 0);
    app_t app = {0};
    nor_dev_t *d = new_dev(p.v1, p.v1_len, &app);
    h_client_t c = nor_dev_client(d);
    assert_int_equal(nor_dev_request(&c, p.ota_len, V2), 0);
    assert_int_equal(h_send(&c, p.ota, 0, p.ota_len, WINDOW, 0), p.ota_len);
    assert_int_equal(h_complete(&c), 0x00);
    assert_true(slot1_is(d, p.v2, p.v2_len));
    bo_boot_image_t info;
    assert_int_equal(bo_boot_authenticate(&d->boot, 1, &info), BO_OK);
    assert_int_equal(info.version, V2);
    printf("patch %zu bytes for a %zu-byte image\n", p.patch_len, p.v2_len);
    nor_dev_free(d);
    free_pair(&p);
}

static void delta_patch_for_another_base_is_refused_before_any_flash_operation(void **s)
{
    pair_t p;
    make_pair(&p, 0x55u); /* made from another v1 */
    size_t running_len;
    uint8_t *running = make_image(FW_LEN, V1, NULL, NULL, &running_len);
    app_t app = {0};
    nor_dev_t *d = new_dev(running, running_len, &app);
    h_client_t c = nor_dev_client(d);
    assert_int_equal(nor_dev_request(&c, p.ota_len, V2), 0);
    uint64_t ops = d->nor.ops;
    size_t acked = h_send(&c, p.ota, 0, p.ota_len, WINDOW, 0);
    assert_true(acked < p.ota_len);
    assert_true(app.refused);
    assert_int_equal(app.refusal, BO_OTAS_REFUSE_PATCH_BASE);
    assert_int_equal(d->nor.ops, ops); /* not one erase or program */
    assert_false(slot1_structurally_valid(d));
    free(running);
    nor_dev_free(d);
    free_pair(&p);
}

/* Cut before flash operation `op` of the patched download (its Complete included); then
 * reboot and resume. Returns false once the cut falls after the whole update. */
static bool cut_and_resume(const pair_t *p, uint64_t op, bo_nor_cut_kind_t kind)
{
    app_t app = {0};
    nor_dev_t *d = new_dev(p->v1, p->v1_len, &app);
    h_client_t c = nor_dev_client(d);
    assert_int_equal(nor_dev_request(&c, p->ota_len, V2), 0);
    bo_nor_cut_before(&d->nor, op, kind, (uint32_t)op);
    size_t acked = h_send(&c, p->ota, 0, p->ota_len, WINDOW, 0);
    uint8_t res = d->nor.powered ? h_complete(&c) : 0xFFu;
    bool cut = !d->nor.powered;
    if (cut) {
        assert_int_equal(bo_nor_reboot(&d->nor), BO_OK);
        /* the slot is a half-rebuilt image that cannot pass for one, or the image itself */
        assert_true(!slot1_structurally_valid(d) || slot1_is(d, p->v2, p->v2_len));
        nor_dev_boot(d, WINDOW);
        c = nor_dev_client(d);
        uint32_t start = nor_dev_request(&c, p->ota_len, V2);
        assert_true(start % BO_DELTA_BLOCK == 0u); /* a patch block boundary */
        assert_true(start <= acked);
        assert_int_equal(h_send(&c, p->ota, start, p->ota_len, WINDOW, 0), p->ota_len);
        res = h_complete(&c);
    }
    if (res != 0x00 || !slot1_is(d, p->v2, p->v2_len)) {
        fail_msg("cut before operation %llu (%s): Complete %02X, slot 1 %s",
                 (unsigned long long)op, kind == BO_NOR_CUT_TORN ? "torn" : "clean", res,
                 slot1_is(d, p->v2, p->v2_len) ? "exact" : "differs");
    }
    nor_dev_free(d);
    return cut;
}

static void delta_power_cut_at_every_flash_op_leaves_slot1_invalid_or_exact(void **s)
{
    pair_t p;
    make_pair(&p, 0);
    unsigned cuts = 0, torn = 0;
    for (uint64_t op = 1;; op++) {
        bo_nor_cut_kind_t kind = op % 3u == 0u ? BO_NOR_CUT_TORN : BO_NOR_CUT_CLEAN;
        if (!cut_and_resume(&p, op, kind)) {
            break;
        }
        cuts++;
        torn += kind == BO_NOR_CUT_TORN;
    }
    printf("patched download: %u flash operations cut (%u torn), each resumed to the image\n",
           cuts, torn);
    assert_true(cuts > 100u);
    free_pair(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(delta_patch_rebuilds_the_exact_image_in_slot1),
        cmocka_unit_test(delta_patch_for_another_base_is_refused_before_any_flash_operation),
        cmocka_unit_test(delta_power_cut_at_every_flash_op_leaves_slot1_invalid_or_exact),
    };
    return cmocka_run_group_tests_name("ota_delta", tests, NULL, NULL);
}
