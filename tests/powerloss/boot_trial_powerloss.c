/* boot_powerloss_trial: power cuts at every flash operation of a trial swap, a revert, a
 * confirm, and a permanent install with its floor update; clean and torn, up to three cuts in
 * a row, a transient read error during recovery, and an attacker who writes an older authentic
 * image into slot 1 between the cut and the boot decision (serial DFU runs after recovery).
 * Every run must end running an authentic image at or above the floor, and trial images that
 * never confirm must end reverted. Runs on the posix NOR model (torn erase = random bits). */
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
#include "timg.h"

#define V1 0x01000000u
#define V2 0x02000000u
#define V3 0x03000000u
#define V4 0x04000000u
#define FWA (20u * 1024u)
#define FWB (30u * 1024u) /* different page counts: the swap moves the larger */
#define CAP (BO_MD_SIZE + 32u * 1024u)
#define UNITS (BO_BZ2_FLASH_SIZE / BO_BZ2_PROG_UNIT)
#define MAX_BOOTS 8

typedef struct pl {
    bo_nor_t nor;
    tkey_t key;
    bo_boot_cfg_t cfg;
    uint8_t img[5][CAP]; /* img[v]: version v; 2 and 3 trial, 1 and 4 permanent */
    size_t len[5];
    uint8_t *snap_mem, *snap_units;
} pl_t;

typedef struct stats {
    unsigned runs, torn, multi_cuts, read_errors, attacks, boots, bad, below_floor;
} stats_t;

static uint32_t hash(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x45d9f3bu;
    x ^= x >> 16;
    return x;
}

/* Serial DFU writing slot 1: may itself be cut (then the next boot starts over). */
static int serial_write(pl_t *p, uint32_t addr, const uint8_t *data, size_t len)
{
    const bo_flash_t *f = p->cfg.flash;
    size_t plen = (len + 15) / 16 * 16;
    uint8_t *buf = malloc(plen);
    memset(buf, 0xFF, plen);
    memcpy(buf, data, len);
    int rc = BO_OK;
    for (size_t off = 0; rc == BO_OK && off < plen; off += f->page_size) {
        rc = f->erase(f->ctx, addr + (uint32_t)off);
    }
    if (rc == BO_OK) {
        rc = f->prog(f->ctx, addr, buf, (uint32_t)plen);
    }
    free(buf);
    return rc;
}

/* Factory programming: the same writes, never cut. */
static void load(pl_t *p, uint32_t addr, const uint8_t *data, size_t len)
{
    assert_int_equal(serial_write(p, addr, data, len), BO_OK);
}

static void setup(pl_t *p)
{
    memset(p, 0, sizeof *p);
    assert_int_equal(bo_nor_open(&p->nor, NULL, BO_BZ2_FLASH_BASE, BO_BZ2_FLASH_SIZE,
                                 BO_BZ2_PAGE_SIZE, BO_BZ2_PROG_UNIT),
                     BO_OK);
    tkey_gen(&p->key, 9);
    p->len[1] = timg_build3(p->img[1], CAP, &p->key, V1, FWA, 1, 2, 2, 0);
    p->len[2] = timg_build3(p->img[2], CAP, &p->key, V2, FWB, 2, 2, 2, BO_MD_FLAG_TRIAL);
    p->len[3] = timg_build3(p->img[3], CAP, &p->key, V3, FWB, 3, 2, 2, BO_MD_FLAG_TRIAL);
    p->len[4] = timg_build3(p->img[4], CAP, &p->key, V4, FWA, 4, 2, 2, 0);
    p->cfg.flash = &p->nor.flash;
    p->cfg.layout = bo_layout_bz2();
    p->cfg.pubkey = p->key.pub;
    p->snap_mem = malloc(BO_BZ2_FLASH_SIZE);
    p->snap_units = malloc(UNITS);
}

static void teardown(pl_t *p)
{
    bo_nor_close(&p->nor);
    tkey_free(&p->key);
    free(p->snap_mem);
    free(p->snap_units);
}

static void snapshot(pl_t *p)
{
    memcpy(p->snap_mem, p->nor.mem, BO_BZ2_FLASH_SIZE);
    memcpy(p->snap_units, p->nor.programmed, UNITS);
}

static void restore(pl_t *p)
{
    memcpy(p->nor.mem, p->snap_mem, BO_BZ2_FLASH_SIZE);
    memcpy(p->nor.programmed, p->snap_units, UNITS);
    p->nor.bad_lo = p->nor.bad_hi = 0;
    assert_int_equal(bo_nor_reboot(&p->nor), BO_OK);
}

static bo_boot_result_t boot_ok(pl_t *p)
{
    bo_boot_result_t res;
    assert_int_equal(bo_boot_run(&p->cfg, &res), BO_OK);
    assert_int_equal(res.action, BO_BOOT_RUN);
    return res;
}

static uint32_t floor_now(pl_t *p)
{
    bo_boot_status_t st;
    assert_int_equal(bo_boot_status(&p->cfg, &st), BO_OK);
    return st.floor;
}

/* Which known image slot 0 holds, byte for byte (0: none). */
static int slot0_image(pl_t *p, uint32_t version)
{
    for (int v = 1; v <= 4; v++) {
        if (version == (uint32_t)v << 24 &&
            memcmp(p->nor.mem + (BO_BZ2_SLOT0 - BO_BZ2_FLASH_BASE), p->img[v], p->len[v]) == 0) {
            return v;
        }
    }
    return 0;
}

typedef enum { OP_BOOT, OP_CONFIRM_THEN_BOOT } op_t;

typedef struct scenario {
    const char *name;
    void (*prepare)(pl_t *p); /* from a fresh flash to the state the operation starts in */
    op_t op;
    uint32_t floor_min;  /* the floor before the operation: nothing below may ever run */
    bool attacker;       /* writes v1 into slot 1 after recovery, before the decision */
} scenario_t;

static void prep_factory_v1(pl_t *p)
{
    load(p, BO_BZ2_SLOT0, p->img[1], p->len[1]);
    boot_ok(p);
}

static void prep_swap(pl_t *p)
{
    prep_factory_v1(p);
    load(p, BO_BZ2_SLOT1, p->img[2], p->len[2]);
}

static void prep_trial(pl_t *p)
{
    prep_swap(p);
    assert_true(boot_ok(p).trial);
}

static void prep_permanent_over_v3(pl_t *p)
{
    prep_factory_v1(p);
    load(p, BO_BZ2_SLOT1, p->img[3], p->len[3]);
    boot_ok(p);
    assert_int_equal(bo_boot_confirm(&p->cfg), BO_OK); /* v3 confirmed: floor v3 */
    load(p, BO_BZ2_SLOT1, p->img[4], p->len[4]);
}

static int do_op(pl_t *p, op_t op)
{
    bo_boot_result_t res;
    if (op == OP_CONFIRM_THEN_BOOT) {
        int rc = bo_boot_confirm(&p->cfg);
        if (rc != BO_OK) {
            return rc;
        }
    }
    return bo_boot_run(&p->cfg, &res);
}

/* Boots until a decision completes; the first `cuts` boots are cut at spread points. */
static bo_boot_result_t recover_and_boot(pl_t *p, const scenario_t *sc, stats_t *st,
                                         unsigned cuts, uint32_t seed, bool read_error)
{
    bo_boot_result_t res;
    int rc = BO_ERR_POWER;
    for (unsigned b = 0; b < MAX_BOOTS && rc != BO_OK; b++) {
        assert_int_equal(bo_nor_reboot(&p->nor), BO_OK);
        if (b < cuts) {
            bo_nor_cut_before(&p->nor, 1 + hash(seed + b) % 40u,
                              hash(seed ^ b) & 1u ? BO_NOR_CUT_TORN : BO_NOR_CUT_CLEAN, seed + b);
        }
        if (read_error && b == 0) { /* one unreadable page of slot 1 for this boot only */
            p->nor.bad_lo = BO_BZ2_SLOT1 + 4096u * (1u + seed % 6u);
            p->nor.bad_hi = p->nor.bad_lo + 16u;
        }
        rc = bo_boot_recover(&p->cfg, &res);
        p->nor.bad_lo = p->nor.bad_hi = 0;
        if (rc == BO_OK && sc->attacker) { /* serial DFU: an older authentic image */
            rc = serial_write(p, BO_BZ2_SLOT1, p->img[1], p->len[1]);
        }
        if (rc == BO_OK) {
            rc = bo_boot_run(&p->cfg, &res);
        }
        st->boots++;
        assert_true(rc == BO_OK || rc == BO_ERR_POWER || rc == BO_ERR_IO);
    }
    bo_nor_cut_before(&p->nor, 0, BO_NOR_CUT_CLEAN, 0); /* a cut the boot did not reach */
    assert_int_equal(rc, BO_OK);
    return res;
}

static void check_end(pl_t *p, const scenario_t *sc, stats_t *st, bo_boot_result_t res)
{
    if (res.action != BO_BOOT_RUN || slot0_image(p, res.image.version) == 0) {
        st->bad++;
        return;
    }
    if (res.image.version < sc->floor_min || res.image.version < floor_now(p)) {
        st->below_floor++;
    }
    /* never confirmed: one more reset must bring back the image it replaced */
    if (res.trial) {
        res = boot_ok(p);
        if (!res.reverted || slot0_image(p, res.image.version) == 0) {
            st->bad++;
        }
    }
    assert_int_equal(p->nor.violations, 0);
}

static void search(const scenario_t *sc)
{
    pl_t *p = calloc(1, sizeof *p);
    stats_t st;
    memset(&st, 0, sizeof st);
    setup(p);
    sc->prepare(p);
    snapshot(p);
    uint64_t before = p->nor.ops;
    assert_int_equal(do_op(p, sc->op), BO_OK);
    uint64_t n_ops = p->nor.ops - before;
    assert_true(n_ops >= 1);
    for (uint64_t op = 1; op <= n_ops; op++) {
        for (int torn = 0; torn < 2; torn++) {
            if (torn && op % 2 == 0 && n_ops > 8) {
                continue; /* torn variants of every other operation */
            }
            uint32_t seed = (uint32_t)(op * 2654435761u) ^ (uint32_t)torn;
            restore(p);
            bo_nor_cut_before(&p->nor, op, torn ? BO_NOR_CUT_TORN : BO_NOR_CUT_CLEAN, seed);
            int rc = do_op(p, sc->op);
            assert_true(rc == BO_ERR_POWER || rc == BO_OK);
            unsigned cuts = op % 3 == 0 ? 2u : (op % 3 == 1 ? 1u : 0u); /* up to 3 in all */
            bool read_error = op % 7 == 3;
            st.runs++;
            st.torn += (unsigned)torn;
            st.multi_cuts += cuts > 0;
            st.read_errors += read_error;
            st.attacks += sc->attacker;
            check_end(p, sc, &st, recover_and_boot(p, sc, &st, cuts, seed, read_error));
        }
    }
    printf("boot_powerloss_trial[%s]: %llu flash ops; %u cut runs (%u torn, %u cut 2-3 times, "
           "%u with a read error, %u with an older image written before the decision), %u boots; "
           "ended without an authentic image %u, below the floor %u; NOR violations %llu\n",
           sc->name, (unsigned long long)n_ops, st.runs, st.torn, st.multi_cuts, st.read_errors,
           st.attacks, st.boots, st.bad, st.below_floor,
           (unsigned long long)p->nor.violations);
    assert_int_equal(st.bad, 0);
    assert_int_equal(st.below_floor, 0);
    teardown(p);
    free(p);
}

static void boot_powerloss_trial_swap(void **state)
{
    static const scenario_t sc = {"swap", prep_swap, OP_BOOT, V1, false};
    search(&sc);
}

static void boot_powerloss_trial_revert(void **state)
{
    static const scenario_t sc = {"revert", prep_trial, OP_BOOT, V1, false};
    search(&sc);
}

static void boot_powerloss_trial_confirm(void **state)
{
    static const scenario_t sc = {"confirm", prep_trial, OP_CONFIRM_THEN_BOOT, V1, false};
    search(&sc);
}

static void boot_powerloss_permanent_install_against_downgrade(void **state)
{
    static const scenario_t sc = {"permanent install, v1 written after recovery",
                                  prep_permanent_over_v3, OP_BOOT, V3, true};
    search(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(boot_powerloss_trial_swap),
        cmocka_unit_test(boot_powerloss_trial_revert),
        cmocka_unit_test(boot_powerloss_trial_confirm),
        cmocka_unit_test(boot_powerloss_permanent_install_against_downgrade),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
