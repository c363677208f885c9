/* boot_powerloss_install: cut power before every flash operation of an install (and tear a
 * spread of them), reboot until the bootloader finishes, and check every run ends booting an
 * authentic image: always the new one here, since slot 1 was complete before the install.
 * A second cut during the recovery boot is added for a sample of runs. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "bleota/boot.h"
#include "bleota/layout_bz2.h"
#include "bleota/posix/nor.h"
#include "figure_report.h"
#include "tflash.h"
#include "timg.h"

#define V1 0x01000000u
#define V2 0x02000000u
#define FW1 (24u * 1024u)
#define FW2 (40u * 1024u) /* >= 32 KiB, not page aligned with its header: 10.1 pages */
#define MAX_BOOTS 6
#define FIG "powerloss.boot_install" /* figures for the docs (figure_report.h) */

typedef struct stats {
    unsigned runs, torn, double_cuts, boots, new_img, old_img, unbootable, violations;
} stats_t;

/* The same search runs over two NOR models: the test one (torn erase = an erased prefix) and
 * the project's posix model (torn erase = random bits of the page set). */
typedef enum { M_TFLASH, M_POSIX } model_t;

typedef struct pl {
    model_t model;
    tflash_t t;
    bo_nor_t nor;
    tkey_t key;
    bo_boot_cfg_t cfg;
    uint8_t *img1, *img2, *snap_mem, *snap_units;
    size_t len1, len2;
    uint64_t base_violations;
} pl_t;

#define UNITS (BO_BZ2_FLASH_SIZE / BO_BZ2_PROG_UNIT)

static uint8_t *mem(pl_t *p)
{
    return p->model == M_TFLASH ? p->t.mem : p->nor.mem;
}

static uint8_t *units(pl_t *p)
{
    return p->model == M_TFLASH ? p->t.used : p->nor.programmed;
}

static uint64_t ops(pl_t *p)
{
    return p->model == M_TFLASH ? p->t.ops : p->nor.ops;
}

static uint64_t violations(pl_t *p)
{
    return (p->model == M_TFLASH ? p->t.violations : p->nor.violations) - p->base_violations;
}

/* Power on. The next cut counts operations from here. */
static void power_on(pl_t *p)
{
    if (p->model == M_TFLASH) {
        tflash_reboot(&p->t);
    } else {
        assert_int_equal(bo_nor_reboot(&p->nor), BO_OK);
    }
}

/* Cut power before the n-th flash operation from now. */
static void cut(pl_t *p, uint64_t n, bool torn, uint32_t seed)
{
    if (p->model == M_TFLASH) {
        tflash_cut(&p->t, p->t.ops + n, torn, seed);
    } else {
        bo_nor_cut_before(&p->nor, n, torn ? BO_NOR_CUT_TORN : BO_NOR_CUT_CLEAN, seed);
    }
}

static void snapshot(pl_t *p)
{
    p->snap_mem = malloc(BO_BZ2_FLASH_SIZE);
    p->snap_units = malloc(UNITS);
    memcpy(p->snap_mem, mem(p), BO_BZ2_FLASH_SIZE);
    memcpy(p->snap_units, units(p), UNITS);
}

static void restore(pl_t *p)
{
    memcpy(mem(p), p->snap_mem, BO_BZ2_FLASH_SIZE);
    memcpy(units(p), p->snap_units, UNITS);
    p->base_violations += violations(p);
    power_on(p);
}

static bool slot0_holds(pl_t *p, const uint8_t *img, size_t len)
{
    return memcmp(mem(p) + (BO_BZ2_SLOT0 - BO_BZ2_FLASH_BASE), img, len) == 0;
}

static void peek(pl_t *p, uint32_t addr, uint8_t *out, size_t len)
{
    memcpy(out, mem(p) + (addr - BO_BZ2_FLASH_BASE), len);
}

/* Factory programming through the model's own erase/program. */
static void load(pl_t *p, uint32_t addr, const uint8_t *data, size_t len)
{
    const bo_flash_t *f = p->cfg.flash;
    size_t plen = (len + 15) / 16 * 16;
    uint8_t *buf = malloc(plen);
    memset(buf, 0xFF, plen);
    memcpy(buf, data, len);
    for (size_t off = 0; off < plen; off += f->page_size) {
        assert_int_equal(f->erase(f->ctx, addr + (uint32_t)off), BO_OK);
    }
    assert_int_equal(f->prog(f->ctx, addr, buf, (uint32_t)plen), BO_OK);
    free(buf);
}

static void setup_flash(pl_t *p, model_t model)
{
    uint8_t rec[32];
    memset(p, 0, sizeof *p);
    p->model = model;
    if (model == M_TFLASH) {
        tflash_init(&p->t);
        p->cfg.flash = &p->t.flash;
    } else {
        assert_int_equal(bo_nor_open(&p->nor, NULL, BO_BZ2_FLASH_BASE, BO_BZ2_FLASH_SIZE,
                                     BO_BZ2_PAGE_SIZE, BO_BZ2_PROG_UNIT),
                         BO_OK);
        p->cfg.flash = &p->nor.flash;
    }
    tkey_gen(&p->key, 7);
    p->img1 = malloc(BO_MD_SIZE + FW1);
    p->img2 = malloc(BO_MD_SIZE + FW2);
    p->len1 = timg_build(p->img1, BO_MD_SIZE + FW1, &p->key, V1, FW1, 100, BO_AUTH_ECDSA);
    p->len2 = timg_build(p->img2, BO_MD_SIZE + FW2, &p->key, V2, FW2, 200, BO_AUTH_ECDSA);
    load(p, BO_BZ2_SLOT0, p->img1, p->len1);
    load(p, BO_BZ2_SLOT1, p->img2, p->len2);
    memset(rec, 0xA5, sizeof rec);
    load(p, BO_BZ2_RESUME_ADDR, rec, sizeof rec);
    p->cfg.layout = bo_layout_bz2();
    p->cfg.pubkey = p->key.pub;
    snapshot(p);
}

static void teardown_flash(pl_t *p)
{
    if (p->model == M_TFLASH) {
        tflash_free(&p->t);
    } else {
        bo_nor_close(&p->nor);
    }
    tkey_free(&p->key);
    free(p->img1);
    free(p->img2);
    free(p->snap_mem);
    free(p->snap_units);
}

/* Boots until bo_boot_run completes (the first boot may carry a second cut). */
static void finish(pl_t *p, stats_t *st, uint64_t second_cut, bool torn, uint32_t seed)
{
    bo_boot_result_t res;
    int rc = BO_ERR_POWER;
    for (int boot = 0; boot < MAX_BOOTS && rc != BO_OK; boot++) {
        power_on(p);
        if (boot == 0 && second_cut != 0) {
            cut(p, second_cut, torn, seed);
        }
        rc = bo_boot_run(&p->cfg, &res);
        st->boots++;
        assert_true(rc == BO_OK || rc == BO_ERR_POWER);
    }
    assert_int_equal(rc, BO_OK);
    st->violations += (unsigned)violations(p);
    if (res.action != BO_BOOT_RUN) {
        st->unbootable++;
        return;
    }
    if (res.image.version == V2 && slot0_holds(p, p->img2, p->len2)) {
        st->new_img++;
    } else if (res.image.version == V1 && slot0_holds(p, p->img1, p->len1)) {
        st->old_img++;
    }
    /* the install is finished for good: slot 1 and the resume record are retired */
    uint8_t blank[16], head[16];
    memset(blank, 0xFF, sizeof blank);
    peek(p, BO_BZ2_SLOT1, head, sizeof head);
    assert_memory_equal(head, blank, sizeof blank);
    peek(p, BO_BZ2_RESUME_ADDR, head, sizeof head);
    assert_memory_equal(head, blank, sizeof blank);
}

static void one_run(pl_t *p, stats_t *st, uint64_t op, bool torn, uint64_t n_ops)
{
    bo_boot_result_t res;
    restore(p);
    cut(p, op, torn, (uint32_t)op * 2654435761u);
    assert_int_equal(bo_boot_run(&p->cfg, &res), BO_ERR_POWER);
    st->runs++;
    st->boots++;
    st->torn += torn;
    /* a sample of runs is cut again while recovering, at a point spread over the install */
    uint64_t second = op % 5 == 0 ? 1 + (op * 37) % n_ops : 0;
    st->double_cuts += second != 0;
    finish(p, st, second, op % 2 == 0, (uint32_t)op);
}

static void search(model_t model, const char *name)
{
    pl_t p;
    stats_t st;
    bo_boot_result_t res;
    memset(&st, 0, sizeof st);
    setup_flash(&p, model);
    /* dry run: count the install's operations */
    uint64_t before = ops(&p);
    assert_int_equal(bo_boot_run(&p.cfg, &res), BO_OK);
    assert_true(res.installed);
    uint64_t n_ops = ops(&p) - before;
    assert_true(n_ops > 20);
    for (uint64_t op = 1; op <= n_ops; op++) {
        one_run(&p, &st, op, false, n_ops);
        if (op % 3 == 1) {
            one_run(&p, &st, op, true, n_ops);
        }
    }
    printf("boot_powerloss_install[%s]: image %u B, %llu flash ops per install; %u cut runs "
           "(%u torn, %u cut twice), %u boots; ended with new image %u, old %u, "
           "unbootable %u; NOR violations %u\n",
           name, (unsigned)p.len2, (unsigned long long)n_ops, st.runs, st.torn, st.double_cuts,
           st.boots, st.new_img, st.old_img, st.unbootable, st.violations);
    {
        const char *m = model == M_TFLASH ? "test_nor" : "posix_nor";
        char k[64];
        const struct {
            const char *name;
            unsigned long long v;
        } figs[] = {{"image_bytes", p.len2},  {"ops", n_ops},
                    {"runs", st.runs},        {"torn", st.torn},
                    {"cut_twice", st.double_cuts}, {"boots", st.boots},
                    {"new_image", st.new_img}, {"old_image", st.old_img},
                    {"unbootable", st.unbootable}, {"violations", st.violations}};
        for (size_t i = 0; i < sizeof figs / sizeof figs[0]; i++) {
            snprintf(k, sizeof k, "%s.%s", m, figs[i].name);
            bo_figure_u(FIG, k, figs[i].v);
        }
    }
    assert_int_equal(st.unbootable, 0);
    assert_int_equal(st.violations, 0);
    /* slot 1 was complete before the install started: every run must end on it */
    assert_int_equal(st.new_img, st.runs);
    teardown_flash(&p);
}

static void boot_powerloss_install_test_nor(void **state)
{
    search(M_TFLASH, "test NOR");
}

static void boot_powerloss_install_posix_nor(void **state)
{
    search(M_POSIX, "posix NOR");
}

/* The other half of the promise: a slot 1 whose download never completed (commit unit
 * missing) is ignored and the old image keeps running, untouched. */
static void boot_powerloss_incomplete_download_keeps_old_image(void **state)
{
    pl_t p;
    bo_boot_result_t res;
    setup_flash(&p, M_TFLASH);
    memset(mem(&p) + (BO_BZ2_SLOT1 - BO_BZ2_FLASH_BASE), 0xFF, 16);
    uint64_t before = ops(&p);
    assert_int_equal(bo_boot_run(&p.cfg, &res), BO_OK);
    assert_int_equal(res.action, BO_BOOT_RUN);
    assert_int_equal(res.image.version, V1);
    assert_false(res.installed);
    assert_int_equal(ops(&p), before + 1); /* only the floor, recorded at a first good boot */
    assert_true(slot0_holds(&p, p.img1, p.len1));
    teardown_flash(&p);
}

int main(void)
{
    bo_figure_reset(FIG);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(boot_powerloss_install_test_nor),
        cmocka_unit_test(boot_powerloss_install_posix_nor),
        cmocka_unit_test(boot_powerloss_incomplete_download_keeps_old_image),
    };
    return cmocka_run_group_tests_name("boot_powerloss", tests, NULL, NULL);
}
