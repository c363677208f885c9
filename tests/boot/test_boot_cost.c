/* boot: what a boot costs, counted (ECDSA verifications through a --wrap of
 * bo_ecdsa_p256_verify, firmware bytes hashed through a counting flash): an install boot
 * authenticates slot 1 once and proves the copy with one hash of slot 0, the outgoing image is
 * not authenticated again, and the boot policy BO_BOOT_CHECK_AFTER_INSTALL runs a vouched slot
 * 0 on its header, with the floor and the recovery paths still in force. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "bleota/boot.h"
#include "bleota/crypto.h"
#include "bleota/layout_bz2.h"
#include "tboot.h"
#include "tflash.h"
#include "timg.h"

#define V1 0x01000000u
#define V2 0x02000000u
#define FW (40u * 1024u)
#define CAP (BO_MD_SIZE + FW)

static unsigned verifies;

int __real_bo_ecdsa_p256_verify(const uint8_t pub[BO_P256_PUB_SIZE],
                                const uint8_t hash[BO_SHA256_SIZE], const uint8_t *der,
                                size_t der_len);
int __wrap_bo_ecdsa_p256_verify(const uint8_t pub[BO_P256_PUB_SIZE],
                                const uint8_t hash[BO_SHA256_SIZE], const uint8_t *der,
                                size_t der_len);
int __wrap_bo_ecdsa_p256_verify(const uint8_t pub[BO_P256_PUB_SIZE],
                                const uint8_t hash[BO_SHA256_SIZE], const uint8_t *der,
                                size_t der_len)
{
    verifies++;
    return __real_bo_ecdsa_p256_verify(pub, hash, der, der_len);
}

typedef struct fx {
    tflash_t t;
    bo_flash_t counting; /* tflash, with the bytes read counted */
    uint64_t read_bytes;
    tkey_t key;
    bo_boot_cfg_t cfg;
    uint8_t v1[CAP], v2[CAP], v2trial[CAP];
    size_t len;
} fx_t;

static int count_read(void *ctx, uint32_t addr, void *buf, uint32_t len)
{
    fx_t *f = ctx;
    f->read_bytes += len;
    return f->t.flash.read(f->t.flash.ctx, addr, buf, len);
}

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);
    tboot_init(&f->t, &f->key, 5, &f->cfg);
    f->len = timg_build3(f->v1, CAP, &f->key, V1, FW, 1, 2, 2, 0);
    timg_build3(f->v2, CAP, &f->key, V2, FW, 2, 2, 2, 0);
    timg_build3(f->v2trial, CAP, &f->key, V2, FW, 3, 2, 2, BO_MD_FLAG_TRIAL);
    f->counting = f->t.flash;
    f->counting.ctx = f;
    f->counting.read = count_read;
    f->cfg.flash = &f->counting;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    tboot_free(&f->t, &f->key);
    free(f);
    return 0;
}

/* One boot: RUN of version v; the verifications and flash bytes it took. */
static bo_boot_result_t boot(fx_t *f, uint32_t v, unsigned *n_verify, uint64_t *n_read)
{
    bo_boot_result_t res;
    verifies = 0;
    f->read_bytes = 0;
    assert_int_equal(bo_boot_run(&f->cfg, &res), BO_OK);
    assert_int_equal(res.action, BO_BOOT_RUN);
    assert_int_equal(res.image.version, v);
    assert_int_equal(f->t.violations, 0);
    *n_verify = verifies;
    *n_read = f->read_bytes;
    return res;
}

/* v1 in slot 0, booted once (the status page vouches for it from then on). */
static void factory(fx_t *f)
{
    unsigned n;
    uint64_t rd;
    tflash_load(&f->t, BO_BZ2_SLOT0, f->v1, (uint32_t)f->len);
    boot(f, V1, &n, &rd);
    assert_int_equal(n, 2); /* the first boot authenticates: metadata + firmware signature */
}

static void boot_every_boot_policy_authenticates_slot0(void **state)
{
    fx_t *f = *state;
    unsigned n;
    uint64_t rd;
    factory(f);
    boot(f, V1, &n, &rd);
    assert_int_equal(n, 2);
    assert_true(rd >= FW && rd < FW + 8192u); /* one pass over the firmware */
}

static void boot_copy_install_authenticates_slot1_once_and_hashes_slot0_once(void **state)
{
    fx_t *f = *state;
    unsigned n;
    uint64_t rd;
    factory(f);
    tflash_load(&f->t, BO_BZ2_SLOT1, f->v2, (uint32_t)f->len);
    bo_boot_result_t res = boot(f, V2, &n, &rd);
    assert_true(res.installed);
    assert_int_equal(n, 2); /* slot 1 only: neither the outgoing nor the new slot 0 */
    /* slot 1 hashed once and copied once; slot 0 read back once and hashed once: no second
     * hash of slot 1 and no "already equal?" pass */
    assert_true(rd < 4u * FW + 16384u);
    boot(f, V2, &n, &rd); /* the next boot: the usual single authentication */
    assert_int_equal(n, 2);
}

static void boot_trial_swap_authenticates_slot1_once(void **state)
{
    fx_t *f = *state;
    unsigned n;
    uint64_t rd;
    factory(f);
    tflash_load(&f->t, BO_BZ2_SLOT1, f->v2trial, (uint32_t)f->len);
    bo_boot_result_t res = boot(f, V2, &n, &rd);
    assert_true(res.installed && res.trial);
    assert_int_equal(n, 2);
    /* slot 1 hashed; the old image hashed once for the revert proof; every page copied and
     * read back both ways (plus blank checks before erases); the new slot 0 hashed once */
    assert_true(rd < 8u * FW + 32768u);
    res = boot(f, V1, &n, &rd); /* not confirmed: reverted, proven by the stored SHA-256 */
    assert_true(res.reverted);
    assert_int_equal(n, 2); /* the default policy authenticates the restored image */
}

static void boot_after_install_policy_runs_vouched_slot0_on_its_header(void **state)
{
    fx_t *f = *state;
    unsigned n;
    uint64_t rd;
    f->cfg.slot0_check = BO_BOOT_CHECK_AFTER_INSTALL;
    factory(f); /* no record yet: authenticated once, then vouched for */
    for (int i = 0; i < 3; i++) {
        bo_boot_result_t res = boot(f, V1, &n, &rd);
        assert_int_equal(n, 0);
        assert_true(rd < 8192u); /* the status page and two headers, no firmware */
        assert_int_equal(res.image.fw_len, FW);
    }
    /* the trade-off: a firmware byte changed behind the bootloader's back goes unnoticed
     * under this policy, and is refused under the default one */
    uint8_t b;
    tflash_peek(&f->t, BO_BZ2_SLOT0 + BO_MD_SIZE + 100u, &b, 1);
    b ^= 0x01;
    tflash_poke(&f->t, BO_BZ2_SLOT0 + BO_MD_SIZE + 100u, &b, 1);
    boot(f, V1, &n, &rd);
    f->cfg.slot0_check = BO_BOOT_CHECK_EVERY_BOOT;
    bo_boot_result_t res;
    assert_int_equal(bo_boot_run(&f->cfg, &res), BO_OK);
    assert_int_equal(res.action, BO_BOOT_NO_IMAGE);
    assert_int_equal(res.slot0_status, BO_ERR_AUTH);
}

static void boot_after_install_policy_keeps_floor_and_install_checks(void **state)
{
    fx_t *f = *state;
    unsigned n;
    uint64_t rd;
    f->cfg.slot0_check = BO_BOOT_CHECK_AFTER_INSTALL;
    factory(f);
    tflash_load(&f->t, BO_BZ2_SLOT1, f->v2, (uint32_t)f->len);
    bo_boot_result_t res = boot(f, V2, &n, &rd);
    assert_true(res.installed);
    assert_int_equal(n, 2); /* slot 1's authentication, the copy proven by hash */
    boot(f, V2, &n, &rd);
    assert_int_equal(n, 0);
    /* an older image written into slot 0 by other means: its header is below the floor */
    tflash_load(&f->t, BO_BZ2_SLOT0, f->v1, (uint32_t)f->len);
    assert_int_equal(bo_boot_run(&f->cfg, &res), BO_OK);
    assert_int_equal(res.action, BO_BOOT_NO_IMAGE);
    assert_int_equal(res.slot0_status, BO_ERR_ROLLBACK);
}

static void boot_after_install_policy_trusts_a_proven_revert(void **state)
{
    fx_t *f = *state;
    unsigned n;
    uint64_t rd;
    f->cfg.slot0_check = BO_BOOT_CHECK_AFTER_INSTALL;
    factory(f);
    tflash_load(&f->t, BO_BZ2_SLOT1, f->v2trial, (uint32_t)f->len);
    bo_boot_result_t res = boot(f, V2, &n, &rd);
    assert_true(res.trial);
    res = boot(f, V1, &n, &rd); /* reset before confirming */
    assert_true(res.reverted);
    assert_int_equal(n, 0); /* the saved copy is proven by its SHA-256: no ECDSA */
    boot(f, V1, &n, &rd);
    assert_int_equal(n, 0);
}

static void boot_after_install_policy_authenticates_after_a_lost_copy(void **state)
{
    fx_t *f = *state;
    f->cfg.slot0_check = BO_BOOT_CHECK_AFTER_INSTALL;
    factory(f);
    tflash_load(&f->t, BO_BZ2_SLOT1, f->v2, (uint32_t)f->len);
    tflash_cut(&f->t, 40, false, 0); /* power gone in the middle of the copy */
    bo_boot_result_t res;
    assert_int_equal(bo_boot_run(&f->cfg, &res), BO_ERR_POWER);
    tflash_reboot(&f->t);
    /* slot 1 destroyed meanwhile, and slot 0's half copy given a header that parses: slot 0
     * decides alone, unproven, so it must authenticate (and fails) at this boot and the next */
    uint8_t blank[4096];
    memset(blank, 0xFF, sizeof blank);
    tflash_poke(&f->t, BO_BZ2_SLOT1, blank, sizeof blank);
    tflash_poke(&f->t, BO_BZ2_SLOT0, f->v2, 16);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(bo_boot_run(&f->cfg, &res), BO_OK);
        assert_int_equal(res.action, BO_BOOT_NO_IMAGE);
        assert_int_equal(res.slot0_status, BO_ERR_AUTH);
    }
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(boot_every_boot_policy_authenticates_slot0),
        T(boot_copy_install_authenticates_slot1_once_and_hashes_slot0_once),
        T(boot_trial_swap_authenticates_slot1_once),
        T(boot_after_install_policy_runs_vouched_slot0_on_its_header),
        T(boot_after_install_policy_keeps_floor_and_install_checks),
        T(boot_after_install_policy_trusts_a_proven_revert),
        T(boot_after_install_policy_authenticates_after_a_lost_copy),
    };
    return cmocka_run_group_tests_name("boot_cost", tests, NULL, NULL);
}
