/* Acceptance 3: after a power cut before every operation of a download (clean; torn for every
 * fifth, every operation of one checkpoint, log page erases and the commit), a new download of the
 * same image resumes from the persisted point: at or after the last checkpoint that completed,
 * never after what was programmed before the cut, re-sending at most one window (1 KiB), and
 * ends byte-identical and committed. A different image (identity or size) never resumes. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dfu_pl.h"
#include "figure_report.h"

static pl_t pl;

#define FIG "powerloss.dfu_resume" /* figures for the docs (figure_report.h) */
static uint8_t snap[PL_IMG_SIZE];

typedef struct {
    uint32_t cuts, torn, in_ckpt, resumed, fresh, max_resent, other_tries, other_resumed;
    uint64_t resent;
} tally_t;

static bool in_log(uint32_t addr)
{
    return addr >= pl.lay.resume_addr &&
           addr < pl.lay.resume_addr + pl.lay.resume_pages * BO_BZ2_PAGE_SIZE;
}

static void resume_after(uint32_t i, bo_nor_cut_kind_t kind, tally_t *t)
{
    char where[96];
    tu_run_t r1, r2;
    snprintf(where, sizeof where, "dfu_powerloss_resume cut=%u %s seed=%u", i,
             kind == BO_NOR_CUT_TORN ? "torn" : "clean", i);
    if (pl_prepare(&pl, PL_BLANK) != BO_OK) {
        pl_expect(&pl, false, "prepare", where);
        return;
    }
    int rc = pl_session(&pl, pl.img, pl.id, i, kind, i, &r1);
    pl_expect(&pl, rc == BO_ERR_POWER, "the cut did not stop the download", where);
    pl_reboot_and_check(&pl, pl.img, where);
    pl_expect(&pl, bo_nor_reboot(&pl.nor) == BO_OK, "reboot", where);
    pl_expect(&pl, pl.nor.flash.read(pl.nor.flash.ctx, pl.lay.slot1, snap, PL_IMG_SIZE) == 0,
              "read", where);
    rc = pl_session(&pl, pl.img, pl.id, 0, BO_NOR_CUT_CLEAN, 0, &r2);
    pl_expect(&pl, rc == BO_OK, "resumed download failed", where);
    uint32_t n = r2.res.offset;
    t->cuts++;
    t->torn += kind == BO_NOR_CUT_TORN;
    t->in_ckpt += r1.where == 2;
    if (n == 0 && r1.where == 3) {
        t->fresh++; /* finish had cleared the record: nothing to resume */
    } else {
        pl_expect(&pl, n >= r1.ckpt_ok, "resumed before the last completed checkpoint", where);
        pl_expect(&pl, n <= r1.sent_end, "resumed after what was sent", where);
        pl_expect(&pl, r1.sent_end - n <= PL_WINDOW, "more than one window re-sent", where);
        pl_expect(&pl, n < 16 || memcmp(snap + 16, pl.img + 16, n - 16) == 0,
                  "resumed after what was programmed", where);
        t->resumed += n > 0;
        t->fresh += n == 0;
        uint32_t resent = r1.sent_end > n ? r1.sent_end - n : 0;
        t->resent += resent;
        t->max_resent = resent > t->max_resent ? resent : t->max_resent;
    }
    pl_expect(&pl, tu_slot_state(&pl.nor.flash, &pl.lay, pl.img, PL_IMG_SIZE) == 1,
              "resumed download not committed and identical", where);
    pl_expect(&pl, pl.nor.violations == 0, "NOR rule broken", where);
}

static void other_after(uint32_t i, tally_t *t)
{
    char where[96];
    tu_run_t r1, r2;
    snprintf(where, sizeof where, "dfu_powerloss_resume other-image cut=%u", i);
    for (int v = 0; v < 2; v++) {
        if (pl_prepare(&pl, PL_BLANK) != BO_OK) {
            pl_expect(&pl, false, "prepare", where);
            return;
        }
        (void)pl_session(&pl, pl.img, pl.id, i, BO_NOR_CUT_CLEAN, i, &r1);
        pl_expect(&pl, bo_nor_reboot(&pl.nor) == BO_OK, "reboot", where);
        int rc;
        if (v == 0) { /* other identity, same size */
            rc = pl_session(&pl, pl.other, pl.id2, 0, BO_NOR_CUT_CLEAN, 0, &r2);
            pl_expect(&pl, tu_slot_state(&pl.nor.flash, &pl.lay, pl.other, PL_IMG_SIZE) == 1,
                      "other image not committed and identical", where);
        } else { /* same identity, other size */
            memset(&r2, 0, sizeof r2);
            r2.window = PL_WINDOW;
            r2.chunk = PL_CHUNK;
            rc = tu_download(&pl.flash, &pl.lay, pl.other, PL_IMG_SIZE - 1024, pl.id, &r2);
            pl_expect(&pl, tu_slot_state(&pl.nor.flash, &pl.lay, pl.other, PL_IMG_SIZE - 1024) == 1,
                      "other-size image not committed and identical", where);
        }
        pl_expect(&pl, rc == BO_OK, "other image download failed", where);
        t->other_tries++;
        t->other_resumed += r2.res.offset != 0;
        pl_expect(&pl, r2.res.offset == 0, "a different image resumed", where);
        pl_expect(&pl, pl.nor.violations == 0, "NOR rule broken", where);
    }
}

int main(void)
{
    clock_t t0 = clock();
    tally_t t = {0};
    if (pl_init(&pl) != BO_OK)
        return 1;
    bo_figure_reset(FIG);
    uint32_t total = pl_dry_run(&pl, PL_BLANK);
    if (total == 0)
        return 1;
    /* every operation (clean), and every fifth torn */
    for (uint32_t i = 1; i <= total; i++) {
        resume_after(i, BO_NOR_CUT_CLEAN, &t);
        if (i % 5 == 0)
            resume_after(i, BO_NOR_CUT_TORN, &t);
    }
    /* every operation of one checkpoint in the middle, and every log page erase */
    uint32_t first = 0;
    for (uint32_t i = total / 2; i < total && first == 0; i++)
        if (in_log(pl.ops[i].addr))
            first = i + 1;
    for (uint32_t i = first; i < first + 6; i++) {
        resume_after(i, BO_NOR_CUT_CLEAN, &t);
        resume_after(i, BO_NOR_CUT_TORN, &t);
    }
    for (uint32_t i = 0; i < total; i++) {
        if (pl.ops[i].kind == 'E' && in_log(pl.ops[i].addr)) {
            resume_after(i + 1, BO_NOR_CUT_CLEAN, &t);
            resume_after(i + 1, BO_NOR_CUT_TORN, &t);
        }
    }
    /* the last operations (checkpoint, record clear, commit marker) */
    for (uint32_t i = total - 7; i <= total; i++) {
        resume_after(i, BO_NOR_CUT_CLEAN, &t);
        resume_after(i, BO_NOR_CUT_TORN, &t);
    }
    for (uint32_t i = total / 10; i < total; i += total / 6)
        other_after(i, &t);
    /* erase ahead: both sessions erase a page early; cut (clean and torn) before every erase
     * and every seventh operation: a pre-erased page never passes for programmed data */
    pl.erase_ahead = true;
    pl.stage = true; /* as ota runs it: one page staged in RAM */
    uint32_t total_ea = pl_dry_run(&pl, PL_BLANK);
    if (total_ea == 0)
        return 1;
    for (uint32_t i = 1; i <= total_ea; i++) {
        if (pl.ops[i - 1].kind == 'E' && !in_log(pl.ops[i - 1].addr)) {
            resume_after(i, BO_NOR_CUT_CLEAN, &t);
            resume_after(i, BO_NOR_CUT_TORN, &t);
        } else if (i % 7 == 0) {
            resume_after(i, BO_NOR_CUT_CLEAN, &t);
        }
    }
    pl.erase_ahead = false;
    pl.stage = false;
    printf("dfu_powerloss_resume: %u cut points (%u torn, %u during checkpoints): %u resumed, "
           "%u restarted from 0; re-sent at most %u bytes (window %u), %.0f on average; "
           "a different image resumed %u of %u times; %u failures (%.1f s)\n",
           t.cuts, t.torn, t.in_ckpt, t.resumed, t.fresh, t.max_resent, PL_WINDOW,
           t.cuts ? (double)t.resent / t.cuts : 0.0, t.other_resumed, t.other_tries, pl.failures,
           (double)(clock() - t0) / CLOCKS_PER_SEC);
    bo_figure_u(FIG, "cut_points", t.cuts);
    bo_figure_u(FIG, "torn", t.torn);
    bo_figure_u(FIG, "in_checkpoint", t.in_ckpt);
    bo_figure_u(FIG, "resumed", t.resumed);
    bo_figure_u(FIG, "restarted", t.fresh);
    bo_figure_u(FIG, "max_resent_bytes", t.max_resent);
    bo_figure_u(FIG, "window_bytes", PL_WINDOW);
    bo_figure_f(FIG, "avg_resent_bytes", t.cuts ? (double)t.resent / t.cuts : 0.0, 0);
    bo_figure_u(FIG, "other_image_tries", t.other_tries);
    bo_figure_u(FIG, "other_image_resumed", t.other_resumed);
    bo_figure_u(FIG, "failures", pl.failures);
    uint32_t failures = pl.failures;
    pl_free(&pl);
    return failures == 0 && t.cuts >= 50 && t.resumed >= 50 ? 0 : 1;
}
