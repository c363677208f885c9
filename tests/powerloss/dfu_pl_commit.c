/* Power cuts during bo_dfu_finish: the last checkpoint, the record clear and the commit
 * marker, clean and torn, with the log in three positions (the clear entry in the middle of a
 * page, first in a fresh page, so finish erases a log page, and after a wrap). After each cut
 * the bootloader invariant holds and the next download of the same image resumes (or restarts
 * when finish had already cleared the record) and ends byte-identical and committed. */
#include <stdio.h>
#include <time.h>

#include "dfu_pl.h"
#include "figure_report.h"

static pl_t pl;

#define FIG "powerloss.dfu_commit" /* figures for the docs (figure_report.h) */

/* Log entries before the download: 0; 37 (the download's 65 checkpoints end a page exactly,
 * so its clear entry opens page 2 with an erase); 37 + 51 (the same after a wrap to page 0). */
static const uint32_t prefill[] = {0, 37, 37 + 51};

/* The log pages after the first hold old entries, as on a device that downloaded before: a
 * move into them erases them (a page that reads blank would be used without an erase). The
 * last unit of a page is never an entry's (51 x 80 = 4080 bytes), so it can carry the mark. */
static int dirty_log_pages(void)
{
    static const uint8_t old[16] = {0};
    uint32_t ps = pl.nor.flash.page_size;
    int rc = BO_OK;
    for (uint32_t pg = 1; rc == BO_OK && pg + 1u < pl.lay.resume_pages; pg++)
        rc = pl.nor.flash.prog(pl.nor.flash.ctx, pl.lay.resume_addr + pg * ps + ps - 16u, old, 16);
    return rc;
}

static int prepare(uint32_t k)
{
    int rc = pl_prepare(&pl, PL_BLANK);
    if (rc == BO_OK)
        rc = dirty_log_pages();
    return rc == BO_OK ? pl_prefill_log(&pl, k) : rc;
}

int main(void)
{
    clock_t t0 = clock();
    uint32_t cuts = 0, torn = 0, committed = 0, restarted = 0, resumed = 0, log_erases = 0;
    if (pl_init(&pl) != BO_OK)
        return 1;
    bo_figure_reset(FIG);
    for (size_t f = 0; f < sizeof prefill / sizeof prefill[0]; f++) {
        /* dry run from this log position */
        tu_run_t r;
        if (prepare(prefill[f]) != BO_OK)
            return 1;
        uint64_t before = pl.nor.ops;
        uint64_t erases_before = pl.nor.erases;
        pl.nops = 0;
        pl.recording = true;
        int rc = pl_session(&pl, pl.img, pl.id, 0, BO_NOR_CUT_CLEAN, 0, &r);
        pl.recording = false;
        uint32_t total = (uint32_t)(pl.nor.ops - before);
        if (rc != BO_OK || total != pl.nops)
            return 1;
        /* finish's own operations: from the clear entry to the marker */
        uint32_t first = total;
        while (first > 1 && pl.ops[first - 2].addr >= pl.lay.resume_addr)
            first--;
        log_erases += pl.ops[first - 1].kind == 'E';
        (void)erases_before;
        for (uint32_t i = first - 6; i <= total; i++) { /* + the last checkpoint */
            for (int k = 0; k < 2; k++) {
                char where[128];
                tu_run_t r1, r2;
                bo_nor_cut_kind_t kind = k ? BO_NOR_CUT_TORN : BO_NOR_CUT_CLEAN;
                snprintf(where, sizeof where, "dfu_powerloss_commit prefill=%u cut=%u %s seed=%u",
                         prefill[f], i, k ? "torn" : "clean", i);
                if (prepare(prefill[f]) != BO_OK) {
                    pl_expect(&pl, false, "prepare", where);
                    continue;
                }
                rc = pl_session(&pl, pl.img, pl.id, i, kind, i, &r1);
                pl_expect(&pl, rc == BO_ERR_POWER, "the cut did not stop the download", where);
                committed += pl_reboot_and_check(&pl, pl.img, where) == 1;
                rc = pl_session(&pl, pl.img, pl.id, 0, BO_NOR_CUT_CLEAN, 0, &r2);
                pl_expect(&pl, rc == BO_OK, "next download failed", where);
                uint32_t n = r2.res.offset;
                pl_expect(&pl, n == 0 ? r1.where >= 2 : n >= r1.ckpt_ok && n <= r1.sent_end,
                          "wrong resume point", where);
                restarted += n == 0;
                resumed += n != 0;
                pl_expect(&pl, tu_slot_state(&pl.nor.flash, &pl.lay, pl.img, PL_IMG_SIZE) == 1,
                          "not committed and identical after the next download", where);
                pl_expect(&pl, pl.nor.violations == 0, "NOR rule broken", where);
                cuts++;
                torn += k;
            }
        }
    }
    printf("dfu_powerloss_commit: %u cut points around finish (%u torn, %u of 3 log positions "
           "erase a log page in finish): %u resumed, %u restarted, %u left a committed slot, "
           "%u failures (%.1f s)\n",
           cuts, torn, log_erases, resumed, restarted, committed, pl.failures,
           (double)(clock() - t0) / CLOCKS_PER_SEC);
    bo_figure_u(FIG, "cut_points", cuts);
    bo_figure_u(FIG, "torn", torn);
    bo_figure_u(FIG, "log_positions_erasing", log_erases);
    bo_figure_u(FIG, "resumed", resumed);
    bo_figure_u(FIG, "restarted", restarted);
    bo_figure_u(FIG, "committed", committed);
    bo_figure_u(FIG, "failures", pl.failures);
    uint32_t failures = pl.failures;
    pl_free(&pl);
    return failures == 0 && log_erases >= 2 ? 0 : 1;
}
