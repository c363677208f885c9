/* Acceptance 2: a 66 KiB download (checkpointing every 1 KiB, 244-byte writes) with power cut
 * before every flash operation in turn, then again with that operation torn (a torn program
 * or a torn erase, depending on the operation; the acceptance asks this for every tenth).
 * After each cut the bootloader must see slot 1 either structurally invalid (commit marker
 * absent) or complete and byte-identical: never structurally valid with wrong content.
 * Two passes: over a blank flash, and over an interrupted download of another image; then both
 * again with erase-ahead (bo_dfu_erase_ahead after each write; the second also with a staged
 * page, bo_dfu_set_stage), every erase also torn. */
#include <stdio.h>
#include <time.h>

#include "dfu_pl.h"
#include "figure_report.h"

static pl_t pl;

#define FIG "powerloss.dfu_every_op" /* figures for the docs (figure_report.h) */

typedef struct {
    uint32_t cuts, torn_p, torn_e, committed;
} tally_t;

static void cut_once(int mode, uint32_t i, bo_nor_cut_kind_t kind, tally_t *t)
{
    char where[96];
    tu_run_t r;
    snprintf(where, sizeof where, "dfu_powerloss_every_op pass=%d cut=%u %s seed=%u", mode, i,
             kind == BO_NOR_CUT_TORN ? "torn" : "clean", i);
    if (pl_prepare(&pl, mode) != BO_OK) {
        pl_expect(&pl, false, "prepare", where);
        return;
    }
    uint64_t torn = pl.nor.torn_progs + pl.nor.torn_erases;
    uint64_t torn_e = pl.nor.torn_erases;
    int rc = pl_session(&pl, pl.img, pl.id, i, kind, i, &r);
    pl_expect(&pl, rc == BO_ERR_POWER, "the cut did not stop the download", where);
    t->committed += pl_reboot_and_check(&pl, pl.img, where) == 1;
    t->cuts++;
    if (kind == BO_NOR_CUT_TORN) {
        uint64_t now = pl.nor.torn_progs + pl.nor.torn_erases;
        pl_expect(&pl, now == torn + 1, "no torn operation happened", where);
        t->torn_e += pl.nor.torn_erases > torn_e;
        t->torn_p += pl.nor.torn_erases == torn_e;
    }
}

int main(void)
{
    clock_t t0 = clock();
    tally_t t = {0};
    uint32_t expected = 0;
    if (pl_init(&pl) != BO_OK)
        return 1;
    bo_figure_reset(FIG);
    bo_figure_u(FIG, "image_bytes", PL_IMG_SIZE);
    for (int mode = PL_BLANK; mode <= PL_DIRTY; mode++) {
        uint32_t total = pl_dry_run(&pl, mode);
        if (total == 0) {
            printf("dfu_powerloss: dry run failed (pass %d)\n", mode);
            return 1;
        }
        uint32_t erases = 0;
        for (uint32_t i = 0; i < total; i++)
            erases += pl.ops[i].kind == 'E';
        printf("dfu_powerloss: pass %d (%s): %u-byte image, %u flash ops (%u erases)\n", mode,
               mode == PL_BLANK ? "blank flash" : "over an interrupted other download", PL_IMG_SIZE,
               total, erases);
        bo_figure_u(FIG, mode == PL_BLANK ? "ops_blank" : "ops_dirty", total);
        for (uint32_t i = 1; i <= total; i++) {
            cut_once(mode, i, BO_NOR_CUT_CLEAN, &t);
            cut_once(mode, i, BO_NOR_CUT_TORN, &t);
        }
        expected += 2 * total;
    }
    /* Erase ahead (an idle device erases the next page early): cut before every operation,
     * and tear every erase, over both starting points. */
    pl.erase_ahead = true;
    for (int mode = PL_BLANK; mode <= PL_DIRTY; mode++) {
        pl.stage = mode == PL_DIRTY; /* the second pass also stages a page in RAM, as ota does */
        uint32_t total = pl_dry_run(&pl, mode);
        if (total == 0) {
            printf("dfu_powerloss: erase-ahead dry run failed (pass %d)\n", mode);
            return 1;
        }
        uint32_t erases = 0;
        for (uint32_t i = 1; i <= total; i++) {
            cut_once(mode, i, BO_NOR_CUT_CLEAN, &t);
            expected++;
            if (pl.ops[i - 1].kind == 'E') {
                cut_once(mode, i, BO_NOR_CUT_TORN, &t);
                expected++;
                erases++;
            }
        }
        printf("dfu_powerloss: erase-ahead pass %d: %u flash ops (%u erases)\n", mode, total,
               erases);
    }
    pl.erase_ahead = false;
    pl.stage = false;
    printf("dfu_powerloss: %u cut points, %u torn programs, %u torn erases, %u left a committed "
           "slot, %u failures (%.1f s)\n",
           t.cuts, t.torn_p, t.torn_e, t.committed, pl.failures,
           (double)(clock() - t0) / CLOCKS_PER_SEC);
    bo_figure_u(FIG, "cut_points", t.cuts);
    bo_figure_u(FIG, "torn_programs", t.torn_p);
    bo_figure_u(FIG, "torn_erases", t.torn_e);
    bo_figure_u(FIG, "committed", t.committed);
    bo_figure_u(FIG, "failures", pl.failures);
    uint32_t failures = pl.failures;
    pl_free(&pl);
    return failures == 0 && t.cuts == expected ? 0 : 1;
}
