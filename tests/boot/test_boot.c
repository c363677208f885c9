/* boot: the decision over an in-memory NOR model: what is installed, refused, retired, run. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "bleota/boot.h"
#include "bleota/endian.h"
#include "bleota/layout_bz2.h"
#include "tboot.h"
#include "tflash.h"
#include "timg.h"

#define V1 0x01000000u /* 1.0.0.0 */
#define V2 0x02000000u /* 2.0.0.0 */
#define FW_LEN (20u * 1024u)

typedef struct fx {
    tflash_t t;
    tkey_t key, other;
    bo_boot_cfg_t cfg;
    uint8_t *img1, *img2;
    size_t len1, len2;
} fx_t;

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    tboot_init(&f->t, &f->key, 11, &f->cfg);
    tkey_gen(&f->other, 22);
    f->img1 = malloc(BO_MD_SIZE + FW_LEN);
    f->img2 = malloc(BO_MD_SIZE + FW_LEN);
    f->len1 =
        timg_build(f->img1, BO_MD_SIZE + FW_LEN, &f->key, V1, FW_LEN - 4096, 1, BO_AUTH_ECDSA);
    f->len2 = timg_build(f->img2, BO_MD_SIZE + FW_LEN, &f->key, V2, FW_LEN, 2, BO_AUTH_ECDSA);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    tboot_free(&f->t, &f->key);
    tkey_free(&f->other);
    free(f->img1);
    free(f->img2);
    free(f);
    return 0;
}

static bool range_is(fx_t *f, uint32_t addr, uint32_t len, uint8_t v)
{
    uint8_t *buf = malloc(len);
    tflash_peek(&f->t, addr, buf, len);
    bool ok = true;
    for (uint32_t i = 0; i < len; i++) {
        ok = ok && buf[i] == v;
    }
    free(buf);
    return ok;
}

static bool slot_holds(fx_t *f, uint32_t addr, const uint8_t *img, size_t len)
{
    uint8_t *buf = malloc(len);
    tflash_peek(&f->t, addr, buf, (uint32_t)len);
    bool ok = memcmp(buf, img, len) == 0;
    free(buf);
    return ok;
}

/* v1 runs from slot 0; slot 1 gets img (possibly damaged). */
static void provision(fx_t *f, const uint8_t *slot1, size_t len1)
{
    tflash_load(&f->t, BO_BZ2_SLOT0, f->img1, (uint32_t)f->len1);
    if (slot1 != NULL) {
        tflash_load(&f->t, BO_BZ2_SLOT1, slot1, (uint32_t)len1);
    }
}

static void expect_run(fx_t *f, uint32_t version, bo_boot_result_t *res)
{
    assert_int_equal(bo_boot_run(&f->cfg, res), BO_OK);
    assert_int_equal(res->action, BO_BOOT_RUN);
    assert_int_equal(res->image.version, version);
    assert_int_equal(f->t.violations, 0);
}

/* A rejected slot 1: never installed, slot 0 untouched, v1 still boots, and the verdict
 * sticks (the header page is retired so it is not re-verified at every boot). */
static void expect_refused(fx_t *f, int why)
{
    bo_boot_result_t res;
    expect_run(f, V1, &res);
    assert_false(res.installed);
    assert_int_equal(res.slot1_status, why);
    assert_true(slot_holds(f, BO_BZ2_SLOT0, f->img1, f->len1));
    assert_true(range_is(f, BO_BZ2_SLOT1, 16, 0xFF));
    expect_run(f, V1, &res);
    assert_int_equal(res.slot1_status, BO_ERR_NOTFOUND);
}

static void boot_empty_flash_is_no_image(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    assert_int_equal(bo_boot_run(&f->cfg, &res), BO_OK);
    assert_int_equal(res.action, BO_BOOT_NO_IMAGE);
    assert_int_equal(res.slot0_status, BO_ERR_NOTFOUND);
    assert_int_equal(res.slot1_status, BO_ERR_NOTFOUND);
    assert_int_equal(f->t.ops, 0); /* nothing written on an empty device */
}

static void boot_authentic_slot0_runs_without_writing(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    provision(f, NULL, 0);
    expect_run(f, V1, &res); /* the first good boot records the version floor: one unit */
    assert_int_equal(f->t.ops, 1);
    expect_run(f, V1, &res);
    assert_false(res.installed);
    assert_int_equal(res.image.fw_len, f->len1 - BO_MD_SIZE);
    assert_int_equal(f->t.ops, 1);
}

static void boot_install_happy_path(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    provision(f, f->img2, f->len2);
    expect_run(f, V2, &res);
    assert_true(res.installed);
    assert_int_equal(res.slot1_status, BO_OK);
    assert_true(slot_holds(f, BO_BZ2_SLOT0, f->img2, f->len2));
}

static void boot_slot1_retired_after_install(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    provision(f, f->img2, f->len2);
    expect_run(f, V2, &res);
    /* slot 1's header page is erased (never installed again); the application erases the
     * rest in idle time (bo_ota_idle), so the install boot does not wait for it */
    assert_true(range_is(f, BO_BZ2_SLOT1, 4096, 0xFF));
    assert_false(range_is(f, BO_BZ2_SLOT1 + 4096, 4096, 0xFF));
    uint64_t ops = f->t.ops;
    expect_run(f, V2, &res); /* next boot: nothing to install, nothing written */
    assert_false(res.installed);
    assert_int_equal(res.slot1_status, BO_ERR_NOTFOUND);
    assert_int_equal(f->t.ops, ops);
}

static void boot_resume_pages_cleared_after_install(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    uint8_t rec[64];
    memset(rec, 0x5A, sizeof rec);
    provision(f, f->img2, f->len2);
    tflash_load(&f->t, BO_BZ2_RESUME_ADDR, rec, sizeof rec);
    tflash_load(&f->t, BO_BZ2_RESUME_ADDR + 2 * 4096, rec, sizeof rec);
    expect_run(f, V2, &res);
    /* all but the last page, the bootloader's status page */
    assert_true(range_is(f, BO_BZ2_RESUME_ADDR, (BO_BZ2_RESUME_PAGES - 1) * 4096, 0xFF));
}

static void boot_refuses_broken_structure(void **state)
{
    fx_t *f = *state;
    f->img2[0x14] = 0x03; /* MD_REV must be 2 */
    provision(f, f->img2, f->len2);
    bo_boot_result_t res;
    expect_run(f, V1, &res);
    assert_false(res.installed);
    assert_int_equal(res.slot1_status, BO_ERR_NOTFOUND);
    assert_true(slot_holds(f, BO_BZ2_SLOT0, f->img1, f->len1));
}

static void boot_refuses_one_flipped_firmware_byte(void **state)
{
    fx_t *f = *state;
    f->img2[BO_MD_SIZE + 777] ^= 0x01;
    provision(f, f->img2, f->len2);
    expect_refused(f, BO_ERR_AUTH);
}

static void boot_refuses_one_flipped_signature_byte(void **state)
{
    fx_t *f = *state;
    f->img2[BO_MD_OFF_FW_SIG + 20] ^= 0x10; /* inside r of the firmware signature */
    provision(f, f->img2, f->len2);
    expect_refused(f, BO_ERR_AUTH);
}

static void boot_refuses_flipped_metadata_byte(void **state)
{
    fx_t *f = *state;
    f->img2[BO_MD_OFF_FW_REV + 3] ^= 0x04; /* version is signed: cannot be raised */
    provision(f, f->img2, f->len2);
    expect_refused(f, BO_ERR_AUTH);
}

static void boot_refuses_wrong_key(void **state)
{
    fx_t *f = *state;
    size_t n = timg_build(f->img2, BO_MD_SIZE + FW_LEN, &f->other, V2, FW_LEN, 2, BO_AUTH_ECDSA);
    provision(f, f->img2, n);
    expect_refused(f, BO_ERR_AUTH);
}

static void boot_refuses_truncated_image(void **state)
{
    fx_t *f = *state;
    provision(f, f->img2, f->len2 - 4096); /* last page never arrived */
    expect_refused(f, BO_ERR_AUTH);
}

static void boot_refuses_older_version(void **state)
{
    fx_t *f = *state;
    size_t n = timg_build(f->img2, BO_MD_SIZE + FW_LEN, &f->key, V1 - 1, FW_LEN, 3, BO_AUTH_ECDSA);
    provision(f, f->img2, n);
    expect_refused(f, BO_ERR_ROLLBACK);
}

static void boot_installs_older_version_when_downgrade_allowed(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    size_t n = timg_build(f->img2, BO_MD_SIZE + FW_LEN, &f->key, V1 - 1, FW_LEN, 3, BO_AUTH_ECDSA);
    provision(f, f->img2, n);
    f->cfg.allow_downgrade = true;
    expect_run(f, V1 - 1, &res);
    assert_true(res.installed);
}

static void boot_reinstalls_same_version(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    size_t n = timg_build(f->img2, BO_MD_SIZE + FW_LEN, &f->key, V1, FW_LEN, 4, BO_AUTH_ECDSA);
    provision(f, f->img2, n);
    expect_run(f, V1, &res);
    assert_true(res.installed);
    assert_true(slot_holds(f, BO_BZ2_SLOT0, f->img2, n));
}

static void boot_default_config_refuses_sha256_images(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    size_t n = timg_build(f->img2, BO_MD_SIZE + FW_LEN, &f->key, V2, FW_LEN, 5, BO_AUTH_SHA256);
    provision(f, f->img2, n);
    expect_run(f, V1, &res);
    assert_false(res.installed);
    assert_int_equal(res.slot1_status, BO_ERR_UNSUPPORTED);
    assert_true(slot_holds(f, BO_BZ2_SLOT1, f->img2, n)); /* not erased: a config matter */
}

/* Signed-digest mode: ECDSA metadata carrying the firmware's SHA-256 (FW_IMG_AUTH 1). */
static void boot_accepts_digest_mode_image_under_secure_default(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    size_t n = timg_build2(f->img2, BO_MD_SIZE + FW_LEN, &f->key, V2, FW_LEN, 5, BO_AUTH_ECDSA,
                           BO_AUTH_SHA256);
    provision(f, f->img2, n);
    bo_boot_image_t info;
    assert_int_equal(bo_boot_authenticate(&f->cfg, 1, &info), BO_OK);
    assert_int_equal(info.version, V2);
    expect_run(f, V2, &res);
    assert_true(res.installed);
}

static void boot_refuses_digest_mode_image_with_flipped_firmware_byte(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    size_t n = timg_build2(f->img2, BO_MD_SIZE + FW_LEN, &f->key, V2, FW_LEN, 5, BO_AUTH_ECDSA,
                           BO_AUTH_SHA256);
    f->img2[BO_MD_SIZE + 1000] ^= 0x04;
    provision(f, f->img2, n);
    assert_int_equal(bo_boot_authenticate(&f->cfg, 1, NULL), BO_ERR_AUTH);
    expect_run(f, V1, &res);
    assert_false(res.installed);
    assert_int_equal(res.slot1_status, BO_ERR_AUTH);
}

static void boot_refuses_digest_mode_without_ecdsa_key_or_with_sha256_metadata(void **state)
{
    fx_t *f = *state;
    size_t n = timg_build2(f->img2, BO_MD_SIZE + FW_LEN, &f->key, V2, FW_LEN, 5, BO_AUTH_ECDSA,
                           BO_AUTH_SHA256);
    provision(f, f->img2, n);
    f->cfg.pubkey = NULL; /* the digest is only as good as the key that signed it */
    assert_int_equal(bo_boot_authenticate(&f->cfg, 1, NULL), BO_ERR_UNSUPPORTED);
    f->cfg.pubkey = f->key.pub;
    f->cfg.allowed_auth = BO_AUTH_MASK(BO_AUTH_SHA256); /* ECDSA not allowed: no binding */
    assert_int_equal(bo_boot_authenticate(&f->cfg, 1, NULL), BO_ERR_UNSUPPORTED);
    f->cfg.allowed_auth = 0;
    n = timg_build2(f->img2, BO_MD_SIZE + FW_LEN, &f->key, V2, FW_LEN, 5, BO_AUTH_SHA256,
                    BO_AUTH_SHA256); /* SHA-256-only metadata: nobody signed it */
    provision(f, f->img2, n);
    assert_int_equal(bo_boot_authenticate(&f->cfg, 1, NULL), BO_ERR_UNSUPPORTED);
}

/* The digest entry gives the same verdicts as reading the slot, without reading it. */
static void boot_authenticate_digests_matches_flash_verdicts(void **state)
{
    fx_t *f = *state;
    uint8_t md_d[32], fw_d[32];
    bo_boot_image_t info;
    for (uint8_t fw = BO_AUTH_SHA256; fw <= BO_AUTH_ECDSA; fw++) {
        timg_build2(f->img2, BO_MD_SIZE + FW_LEN, &f->key, V2, FW_LEN, 9, BO_AUTH_ECDSA, fw);
        bo_md_digest(f->img2, md_d);
        bo_sha256(f->img2 + BO_MD_SIZE, FW_LEN, fw_d);
        memset(&info, 0, sizeof info);
        assert_int_equal(bo_boot_authenticate_digests(&f->cfg, f->img2, md_d, fw_d, &info), BO_OK);
        assert_int_equal(info.fw_len, FW_LEN);
        assert_int_equal(bo_boot_authenticate_digests(&f->cfg, f->img2, NULL, fw_d, NULL), BO_OK);
        fw_d[0] ^= 1;
        assert_int_equal(bo_boot_authenticate_digests(&f->cfg, f->img2, md_d, fw_d, NULL),
                         BO_ERR_AUTH);
        fw_d[0] ^= 1;
        md_d[5] ^= 1;
        assert_int_equal(bo_boot_authenticate_digests(&f->cfg, f->img2, md_d, fw_d, NULL),
                         BO_ERR_AUTH);
    }
}

static void boot_sha256_allowed_installs_sha256_image(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    size_t n = timg_build(f->img2, BO_MD_SIZE + FW_LEN, &f->key, V2, FW_LEN, 5, BO_AUTH_SHA256);
    provision(f, f->img2, n);
    f->cfg.allowed_auth = BO_AUTH_MASK(BO_AUTH_ECDSA) | BO_AUTH_MASK(BO_AUTH_SHA256);
    expect_run(f, V2, &res);
    assert_true(res.installed);
}

static void boot_none_method_refused_unless_allowed(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    size_t n = timg_build(f->img2, BO_MD_SIZE + FW_LEN, &f->key, V2, FW_LEN, 6, BO_AUTH_NONE);
    tflash_load(&f->t, BO_BZ2_SLOT0, f->img2, (uint32_t)n);
    assert_int_equal(bo_boot_run(&f->cfg, &res), BO_OK);
    assert_int_equal(res.action, BO_BOOT_NO_IMAGE);
    assert_int_equal(res.slot0_status, BO_ERR_UNSUPPORTED);
    f->cfg.allowed_auth = BO_AUTH_MASK(BO_AUTH_NONE);
    expect_run(f, V2, &res);
}

static void boot_without_key_nothing_authenticates(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    provision(f, f->img2, f->len2);
    f->cfg.pubkey = NULL;
    assert_int_equal(bo_boot_run(&f->cfg, &res), BO_OK);
    assert_int_equal(res.action, BO_BOOT_NO_IMAGE);
    assert_int_equal(res.slot0_status, BO_ERR_UNSUPPORTED);
    assert_int_equal(res.slot1_status, BO_ERR_UNSUPPORTED);
    assert_true(slot_holds(f, BO_BZ2_SLOT1, f->img2, f->len2)); /* kept for a keyed boot */
}

static void boot_tampered_slot0_is_no_image(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    f->img1[BO_MD_SIZE + 5] ^= 0x80;
    provision(f, NULL, 0);
    assert_int_equal(bo_boot_run(&f->cfg, &res), BO_OK);
    assert_int_equal(res.action, BO_BOOT_NO_IMAGE);
    assert_int_equal(res.slot0_status, BO_ERR_AUTH);
}

static void boot_installs_into_empty_slot0(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    tflash_load(&f->t, BO_BZ2_SLOT1, f->img2, (uint32_t)f->len2);
    expect_run(f, V2, &res);
    assert_true(res.installed);
}

static void boot_copy_that_does_not_verify_keeps_slot1(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    provision(f, f->img2, f->len2);
    f->t.weak_addr = BO_BZ2_SLOT0 + BO_MD_SIZE + 100; /* a slot 0 cell that will not program */
    assert_int_equal(bo_boot_run(&f->cfg, &res), BO_OK);
    assert_false(res.installed);
    assert_int_equal(res.slot1_status, BO_ERR_VERIFY);
    assert_int_equal(res.action, BO_BOOT_NO_IMAGE);             /* the bad copy never runs */
    assert_true(slot_holds(f, BO_BZ2_SLOT1, f->img2, f->len2)); /* kept for the retry */
    f->t.weak_addr = 0;
    expect_run(f, V2, &res); /* the cell recovered: the next boot installs */
    assert_true(res.installed);
}

static void boot_flash_failure_is_reported_not_decided(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    provision(f, f->img2, f->len2);
    tflash_cut(&f->t, 3, false, 0); /* power gone during the slot 0 erase */
    assert_int_equal(bo_boot_run(&f->cfg, &res), BO_ERR_POWER);
    tflash_reboot(&f->t);
    expect_run(f, V2, &res);
    assert_true(res.installed);
}

static void boot_authenticate_rejects_bad_arguments(void **state)
{
    fx_t *f = *state;
    assert_int_equal(bo_boot_authenticate(&f->cfg, 2, NULL), BO_ERR_ARG);
    assert_int_equal(bo_boot_authenticate(NULL, 0, NULL), BO_ERR_ARG);
    assert_int_equal(bo_boot_run(&f->cfg, NULL), BO_ERR_ARG);
}

static void boot_installs_microchip_signed_image(void **state)
{
    fx_t *f = *state;
    bo_boot_result_t res;
    size_t n = 0;
    uint8_t *img =
        timg_read_file(BO_FIXTURES "/ext_light.X.production.signed_1.0.0.1_uart.bin", &n);
    assert_non_null(img);
    tflash_load(&f->t, BO_BZ2_SLOT1, img, (uint32_t)n);
    f->cfg.pubkey = timg_mchp_pub;
    assert_int_equal(bo_boot_authenticate(&f->cfg, 1, NULL), BO_OK);
    expect_run(f, bo_get_le32(img + BO_MD_OFF_FW_REV), &res);
    assert_true(res.installed);
    assert_int_equal(res.image.fw_len, n - BO_MD_SIZE);
    assert_true(slot_holds(f, BO_BZ2_SLOT0, img, n));
    free(img);
}

static void boot_refuses_microchip_image_with_other_key(void **state)
{
    fx_t *f = *state;
    size_t n = 0;
    uint8_t *img =
        timg_read_file(BO_FIXTURES "/ext_light.X.production.signed_1.0.0.1_uart.bin", &n);
    assert_non_null(img);
    provision(f, img, n); /* slot 0 v1 under our key, slot 1 Microchip's under theirs */
    expect_refused(f, BO_ERR_AUTH);
    free(img);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(boot_empty_flash_is_no_image),
        T(boot_authentic_slot0_runs_without_writing),
        T(boot_install_happy_path),
        T(boot_slot1_retired_after_install),
        T(boot_resume_pages_cleared_after_install),
        T(boot_refuses_broken_structure),
        T(boot_refuses_one_flipped_firmware_byte),
        T(boot_accepts_digest_mode_image_under_secure_default),
        T(boot_refuses_digest_mode_image_with_flipped_firmware_byte),
        T(boot_refuses_digest_mode_without_ecdsa_key_or_with_sha256_metadata),
        T(boot_authenticate_digests_matches_flash_verdicts),
        T(boot_refuses_one_flipped_signature_byte),
        T(boot_refuses_flipped_metadata_byte),
        T(boot_refuses_wrong_key),
        T(boot_refuses_truncated_image),
        T(boot_refuses_older_version),
        T(boot_installs_older_version_when_downgrade_allowed),
        T(boot_reinstalls_same_version),
        T(boot_default_config_refuses_sha256_images),
        T(boot_sha256_allowed_installs_sha256_image),
        T(boot_none_method_refused_unless_allowed),
        T(boot_without_key_nothing_authenticates),
        T(boot_tampered_slot0_is_no_image),
        T(boot_installs_into_empty_slot0),
        T(boot_copy_that_does_not_verify_keeps_slot1),
        T(boot_flash_failure_is_reported_not_decided),
        T(boot_authenticate_rejects_bad_arguments),
        T(boot_installs_microchip_signed_image),
        T(boot_refuses_microchip_image_with_other_key),
    };
    return cmocka_run_group_tests_name("boot", tests, NULL, NULL);
}
