/* idle_erase_powerloss: the application's idle clean-up of slot 1 (bo_dfu_idle_erase) is cut
 * before each of its flash operations (clean, and torn for every other one). After each cut
 * the bootloader must boot an authentic image, never break a NOR rule, and a new run of the
 * clean-up must finish with slot 1 blank. Two starting states:
 *  - retired: what the bootloader leaves after an install (header page erased, the rest of the
 *    old image still there) — the normal case;
 *  - committed: a complete, authentic, newer image in slot 1 that the application gives up
 *    (the worst case: page 0 goes first, so it is either installed whole or never). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "bleota/boot.h"
#include "bleota/dfu.h"
#include "bleota/layout_bz2.h"
#include "bleota/posix/nor.h"
#include "timg.h"

#define V1 0x01000000u
#define V2 0x02000000u
#define FW1 (24u * 1024u)
#define FW2 (40u * 1024u)
#define UNITS (BO_BZ2_FLASH_SIZE / BO_BZ2_PROG_UNIT)

typedef struct fx {
    bo_nor_t nor;
    tkey_t key;
    bo_boot_cfg_t boot;
    bo_layout_t layout;
    uint8_t *snap_mem, *snap_units;
} fx_t;

static void load(fx_t *f, uint32_t addr, const uint8_t *data, size_t len)
{
    size_t plen = (len + 15u) / 16u * 16u;
    uint8_t *buf = malloc(plen);
    assert_non_null(buf);
    memset(buf, 0xFF, plen);
    memcpy(buf, data, len);
    for (size_t off = 0; off < plen; off += BO_BZ2_PAGE_SIZE)
        assert_int_equal(f->nor.flash.erase(f->nor.flash.ctx, addr + (uint32_t)off), BO_OK);
    assert_int_equal(f->nor.flash.prog(f->nor.flash.ctx, addr, buf, (uint32_t)plen), BO_OK);
    free(buf);
}

static void setup(fx_t *f, bool committed)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(bo_nor_open(&f->nor, NULL, BO_BZ2_FLASH_BASE, BO_BZ2_FLASH_SIZE,
                                 BO_BZ2_PAGE_SIZE, BO_BZ2_PROG_UNIT),
                     BO_OK);
    tkey_gen(&f->key, 11);
    uint8_t *img1 = malloc(BO_MD_SIZE + FW1), *img2 = malloc(BO_MD_SIZE + FW2);
    assert_non_null(img1);
    assert_non_null(img2);
    size_t len1 = timg_build(img1, BO_MD_SIZE + FW1, &f->key, V1, FW1, 1, BO_AUTH_ECDSA);
    size_t len2 = timg_build(img2, BO_MD_SIZE + FW2, &f->key, V2, FW2, 2, BO_AUTH_ECDSA);
    load(f, BO_BZ2_SLOT0, img1, len1);
    load(f, BO_BZ2_SLOT1, img2, len2);
    if (!committed) /* the bootloader retired it: header page erased */
        assert_int_equal(f->nor.flash.erase(f->nor.flash.ctx, BO_BZ2_SLOT1), BO_OK);
    free(img1);
    free(img2);
    f->layout = bo_layout_bz2();
    f->boot = (bo_boot_cfg_t){.flash = &f->nor.flash, .layout = f->layout, .pubkey = f->key.pub};
    f->snap_mem = malloc(BO_BZ2_FLASH_SIZE);
    f->snap_units = malloc(UNITS);
    memcpy(f->snap_mem, f->nor.mem, BO_BZ2_FLASH_SIZE);
    memcpy(f->snap_units, f->nor.programmed, UNITS);
}

static void restore(fx_t *f)
{
    memcpy(f->nor.mem, f->snap_mem, BO_BZ2_FLASH_SIZE);
    memcpy(f->nor.programmed, f->snap_units, UNITS);
    assert_int_equal(bo_nor_reboot(&f->nor), BO_OK);
}

/* The application's idle loop: clean-up steps until done or the power goes. */
static int clean_up(fx_t *f)
{
    bo_dfu_t d;
    int rc;
    assert_int_equal(bo_dfu_init(&d, &f->nor.flash, &f->layout), BO_OK);
    while ((rc = bo_dfu_idle_erase(&d)) == 1) {
    }
    return rc;
}

static bool slot1_blank(const fx_t *f)
{
    const uint8_t *p = f->nor.mem + (BO_BZ2_SLOT1 - BO_BZ2_FLASH_BASE);
    for (uint32_t i = 0; i < f->layout.dl_limit; i++)
        if (p[i] != 0xFF)
            return false;
    return true;
}

static void search(bool committed, const char *name)
{
    fx_t f;
    setup(&f, committed);
    uint64_t before = f.nor.ops;
    assert_int_equal(clean_up(&f), 0);
    uint64_t n_ops = f.nor.ops - before;
    assert_true(n_ops >= 10); /* the pages the old image used */
    unsigned runs = 0, torn = 0, installed = 0;
    for (uint64_t op = 1; op <= n_ops; op++) {
        for (int t = 0; t < (op % 2 == 0 ? 2 : 1); t++) {
            restore(&f);
            bo_nor_cut_before(&f.nor, op, t ? BO_NOR_CUT_TORN : BO_NOR_CUT_CLEAN,
                              (uint32_t)op * 2654435761u);
            assert_int_equal(clean_up(&f), BO_ERR_POWER);
            assert_int_equal(bo_nor_reboot(&f.nor), BO_OK);
            bo_boot_result_t res;
            assert_int_equal(bo_boot_run(&f.boot, &res), BO_OK);
            assert_int_equal(res.action, BO_BOOT_RUN); /* never without an image */
            assert_true(res.image.version == V1 || res.image.version == V2);
            installed += res.installed;
            /* the application runs again and finishes the clean-up */
            assert_int_equal(clean_up(&f), 0);
            assert_true(slot1_blank(&f));
            assert_int_equal(f.nor.violations, 0);
            runs++;
            torn += (unsigned)t;
        }
    }
    printf("idle_erase_powerloss[%s]: %llu flash ops; %u cut runs (%u torn), every one boots an "
           "authentic image (%u installed slot 1 whole), slot 1 blank after the next clean-up; "
           "NOR violations 0\n",
           name, (unsigned long long)n_ops, runs, torn, installed);
    /* page 0 goes first: only a cut before the very first erase can leave slot 1 installable */
    assert_true(installed <= (committed ? 1u : 0u));
    bo_nor_close(&f.nor);
    tkey_free(&f.key);
    free(f.snap_mem);
    free(f.snap_units);
}

static void idle_erase_after_an_install_is_power_cut_safe(void **state)
{
    (void)state;
    search(false, "retired slot");
}

static void idle_erase_of_a_committed_slot_is_power_cut_safe(void **state)
{
    (void)state;
    search(true, "committed slot");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(idle_erase_after_an_install_is_power_cut_safe),
        cmocka_unit_test(idle_erase_of_a_committed_slot_is_power_cut_safe),
    };
    return cmocka_run_group_tests_name("idle_erase_powerloss", tests, NULL, NULL);
}
