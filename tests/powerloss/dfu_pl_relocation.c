/* Power cuts during a resume relocation. A first session is cut after it programmed units past
 * its last checkpoint in the same page, so the resume must rewrite that page through the spare
 * page. The second session (the resume) is then cut before every one of its relocation
 * operations, clean and torn; after each, the bootloader invariant holds and a third session
 * resumes from the same checkpoint and ends byte-identical and committed. */
#include <stdio.h>
#include <time.h>

#include "dfu_pl.h"
#include "figure_report.h"

static pl_t pl;

#define FIG "powerloss.dfu_relocation" /* figures for the docs (figure_report.h) */

/* Slot offsets where session 1 dies: past a checkpoint that is not page aligned, in page 0
 * (relocation must leave the head alone), page 1, deep in a page, and the last page. */
static const uint32_t targets[] = {1024 + 608, 3072 + 912, 5120 + 512, 30720 + 704, 66560 + 496};

/* Operation number (1-based) of the dry run that programs the slot unit at off. */
static uint32_t op_of(uint32_t total, uint32_t off)
{
    for (uint32_t i = 0; i < total; i++)
        if (pl.ops[i].kind == 'P' && pl.ops[i].addr == pl.lay.slot1 + off)
            return i + 1;
    return 0;
}

/* Session 1 cut clean at op i; returns whether it stopped there. */
static bool session1(uint32_t i)
{
    tu_run_t r;
    return pl_prepare(&pl, PL_BLANK) == BO_OK &&
           pl_session(&pl, pl.img, pl.id, i, BO_NOR_CUT_CLEAN, i, &r) == BO_ERR_POWER &&
           bo_nor_reboot(&pl.nor) == BO_OK;
}

int main(void)
{
    clock_t t0 = clock();
    uint32_t cuts = 0, torn = 0, relocations = 0, reloc_ops_max = 0;
    if (pl_init(&pl) != BO_OK)
        return 1;
    bo_figure_reset(FIG);
    uint32_t total = pl_dry_run(&pl, PL_BLANK);
    if (total == 0)
        return 1;
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        char where[128];
        uint32_t i = op_of(total, targets[t]);
        snprintf(where, sizeof where, "dfu_powerloss_relocation cut1=%u", i);
        pl_expect(&pl, i != 0, "no such operation", where);
        if (i == 0 || !session1(i)) {
            pl_expect(&pl, false, "session 1 did not stop at its cut", where);
            continue;
        }
        bo_dfu_resume_t res;
        uint64_t reloc_ops = 0;
        pl_expect(&pl, pl_start_only(&pl, pl.id, &res, &reloc_ops) == BO_OK, "resume", where);
        uint32_t n = res.offset;
        pl_expect(&pl, n % 4096 != 0 && targets[t] - n < PL_WINDOW, "unexpected resume point",
                  where);
        pl_expect(&pl, reloc_ops > 2, "resume did not relocate", where);
        relocations++;
        reloc_ops_max = reloc_ops > reloc_ops_max ? (uint32_t)reloc_ops : reloc_ops_max;
        for (uint32_t j = 1; j <= reloc_ops + 2; j++) {
            for (int k = 0; k < 2; k++) {
                bo_nor_cut_kind_t kind = k ? BO_NOR_CUT_TORN : BO_NOR_CUT_CLEAN;
                tu_run_t r2, r3;
                snprintf(where, sizeof where, "dfu_powerloss_relocation cut1=%u cut2=%u %s seed=%u",
                         i, j, k ? "torn" : "clean", j);
                if (!session1(i)) {
                    pl_expect(&pl, false, "session 1 did not stop at its cut", where);
                    continue;
                }
                int rc = pl_session(&pl, pl.img, pl.id, j, kind, j, &r2);
                pl_expect(&pl, rc == BO_ERR_POWER, "session 2 did not stop at its cut", where);
                pl_reboot_and_check(&pl, pl.img, where);
                rc = pl_session(&pl, pl.img, pl.id, 0, BO_NOR_CUT_CLEAN, 0, &r3);
                pl_expect(&pl, rc == BO_OK, "session 3 failed", where);
                pl_expect(&pl, r3.res.offset == n, "session 3 resumed elsewhere", where);
                pl_expect(&pl, tu_slot_state(&pl.nor.flash, &pl.lay, pl.img, PL_IMG_SIZE) == 1,
                          "not committed and identical after session 3", where);
                pl_expect(&pl, pl.nor.violations == 0, "NOR rule broken", where);
                cuts++;
                torn += k;
            }
        }
    }
    printf("dfu_powerloss_relocation: %u relocations (up to %u flash ops each), %u cut points "
           "inside them (%u torn), %u failures (%.1f s)\n",
           relocations, reloc_ops_max, cuts, torn, pl.failures,
           (double)(clock() - t0) / CLOCKS_PER_SEC);
    bo_figure_u(FIG, "relocations", relocations);
    bo_figure_u(FIG, "max_ops", reloc_ops_max);
    bo_figure_u(FIG, "cut_points", cuts);
    bo_figure_u(FIG, "torn", torn);
    bo_figure_u(FIG, "failures", pl.failures);
    uint32_t failures = pl.failures;
    pl_free(&pl);
    return failures == 0 && relocations == sizeof targets / sizeof targets[0] ? 0 : 1;
}
