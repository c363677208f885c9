/* dfu resume record: checkpoints, resume, identity, clearing, log roll-over, relocation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bleota/crc32.h"
#include "dfu_test_util.h"
#include "figure_report.h"

#define IMG_SIZE (64u * 1024u)

static bo_nor_t nor;
static bo_layout_t lay;
static uint8_t img[IMG_SIZE], other[IMG_SIZE];
static uint8_t id[16], id2[16];

static int setup(void **state)
{
    if (tu_nor_bz2(&nor) != BO_OK)
        return -1;
    lay = bo_layout_bz2();
    tu_image(img, IMG_SIZE, 1);
    tu_image(other, IMG_SIZE, 2);
    tu_id(id, 1);
    tu_id(id2, 2);
    return 0;
}

static int teardown(void **state)
{
    assert_int_equal(nor.violations, 0);
    bo_nor_close(&nor);
    return 0;
}

/* Sends [from, to) in 100-byte chunks and checkpoints every 1024 bytes. */
static void send(bo_dfu_t *d, const uint8_t *im, uint32_t from, uint32_t to)
{
    uint8_t cur[16];
    for (uint32_t off = from; off < to;) {
        uint32_t n = to - off < 100 ? to - off : 100;
        if (off / 1024 != (off + n - 1) / 1024)
            n = 1024 - off % 1024;
        assert_int_equal(bo_dfu_write(d, im + off, n), BO_OK);
        off += n;
        if (off % 1024 == 0) {
            tu_cursor(im, off, cur);
            assert_int_equal(bo_dfu_checkpoint(d, cur), BO_OK);
        }
    }
}

static void start(bo_dfu_t *d, const uint8_t *ident, uint32_t size, bo_dfu_resume_t *res)
{
    assert_int_equal(bo_dfu_init(d, &nor.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(d, size), BO_OK);
    assert_int_equal(bo_dfu_start(d, ident, res), BO_OK);
}

static void finish_and_check(bo_dfu_t *d, const uint8_t *im, uint32_t from)
{
    send(d, im, from, IMG_SIZE);
    assert_int_equal(bo_dfu_finish(d), BO_OK);
    assert_int_equal(tu_slot_state(&nor.flash, &lay, im, IMG_SIZE), 1);
}

static void dfu_resume_continues_from_last_checkpoint(void **state)
{
    bo_dfu_t d;
    bo_dfu_resume_t res;
    start(&d, id, IMG_SIZE, &res);
    assert_int_equal(res.offset, 0);
    send(&d, img, 0, 10000); /* last checkpoint at 9216 */
    bo_dfu_abort(&d);
    start(&d, id, IMG_SIZE, &res);
    assert_int_equal(res.offset, 9216);
    uint8_t cur[16];
    tu_cursor(img, 9216, cur);
    assert_memory_equal(res.cursor, cur, 16);
    assert_int_equal(d.offset, 9216);
    finish_and_check(&d, img, 9216);
}

static void dfu_other_image_never_resumes(void **state)
{
    bo_dfu_t d;
    bo_dfu_resume_t res;
    start(&d, id, IMG_SIZE, &res);
    send(&d, img, 0, 8192);
    bo_dfu_abort(&d);
    start(&d, id2, IMG_SIZE, &res); /* other identity */
    assert_int_equal(res.offset, 0);
    bo_dfu_abort(&d);
    /* and the old record is gone: even the first image no longer resumes */
    start(&d, id, IMG_SIZE, &res);
    assert_int_equal(res.offset, 0);
    send(&d, img, 0, 8192);
    bo_dfu_abort(&d);
    start(&d, id, IMG_SIZE - 16, &res); /* same identity, other size */
    assert_int_equal(res.offset, 0);
    bo_dfu_abort(&d);
    start(&d, id, IMG_SIZE, &res);
    assert_int_equal(res.offset, 0);
    finish_and_check(&d, img, 0);
}

static void dfu_start_without_id_or_resume_starts_fresh(void **state)
{
    bo_dfu_t d;
    bo_dfu_resume_t res;
    start(&d, id, IMG_SIZE, &res);
    send(&d, img, 0, 8192);
    bo_dfu_abort(&d);
    start(&d, id, IMG_SIZE, NULL); /* caller does not want to resume */
    assert_int_equal(d.offset, 0);
    bo_dfu_abort(&d);
    start(&d, id, IMG_SIZE, &res);
    assert_int_equal(res.offset, 0);
    send(&d, img, 0, 8192);
    bo_dfu_abort(&d);
    start(&d, NULL, IMG_SIZE, &res); /* no identity: no resume, record discarded */
    assert_int_equal(res.offset, 0);
    bo_dfu_abort(&d);
    start(&d, id, IMG_SIZE, &res);
    assert_int_equal(res.offset, 0);
}

static void dfu_checkpoint_misuse_is_refused(void **state)
{
    bo_dfu_t d;
    bo_dfu_resume_t res;
    uint8_t cur[16] = {0};
    start(&d, id, IMG_SIZE, &res);
    assert_int_equal(bo_dfu_write(&d, img, 40), BO_OK);
    assert_int_equal(bo_dfu_checkpoint(&d, cur), BO_ERR_ALIGN);
    assert_int_equal(bo_dfu_checkpoint(&d, NULL), BO_ERR_ARG);
    assert_int_equal(bo_dfu_write(&d, img + 40, 8), BO_OK);
    assert_int_equal(bo_dfu_checkpoint(&d, cur), BO_OK);
    /* layout without resume pages */
    bo_layout_t l = lay;
    l.resume_addr = 0;
    l.resume_pages = 0;
    assert_int_equal(bo_dfu_init(&d, &nor.flash, &l), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, IMG_SIZE), BO_OK);
    assert_int_equal(bo_dfu_start(&d, id, &res), BO_OK);
    assert_int_equal(res.offset, 0);
    assert_int_equal(bo_dfu_write(&d, img, 48), BO_OK);
    assert_int_equal(bo_dfu_checkpoint(&d, cur), BO_ERR_UNSUPPORTED);
    assert_int_equal(bo_dfu_resume_clear(&d), BO_ERR_STATE);
    bo_dfu_abort(&d);
    assert_int_equal(bo_dfu_resume_clear(&d), BO_OK);
}

static void dfu_finish_clears_the_record(void **state)
{
    bo_dfu_t d;
    bo_dfu_resume_t res;
    start(&d, id, IMG_SIZE, &res);
    finish_and_check(&d, img, 0);
    start(&d, id, IMG_SIZE, &res);
    assert_int_equal(res.offset, 0);
}

static void dfu_resume_clear_forgets_the_record(void **state)
{
    bo_dfu_t d;
    bo_dfu_resume_t res;
    start(&d, id, IMG_SIZE, &res);
    send(&d, img, 0, 8192);
    bo_dfu_abort(&d);
    assert_int_equal(bo_dfu_resume_clear(&d), BO_OK);
    uint64_t progs = nor.progs;
    assert_int_equal(bo_dfu_resume_clear(&d), BO_OK); /* nothing live: no flash work */
    assert_int_equal(nor.progs, progs);
    start(&d, id, IMG_SIZE, &res);
    assert_int_equal(res.offset, 0);
}

static void dfu_committed_head_is_never_resumed(void **state)
{
    bo_dfu_t d;
    bo_dfu_resume_t res;
    start(&d, id, IMG_SIZE, &res);
    send(&d, img, 0, 8192);
    bo_dfu_abort(&d);
    /* something programmed the head behind dfu's back: that slot must not be continued */
    assert_int_equal(nor.flash.prog(nor.flash.ctx, lay.slot1, img, 16), BO_OK);
    start(&d, id, IMG_SIZE, &res);
    assert_int_equal(res.offset, 0);
    finish_and_check(&d, img, 0);
}

static void dfu_log_rolls_over_its_pages(void **state)
{
    /* 51 entries per 4 KiB page, 3 log pages: five downloads of 63 checkpoints wrap twice */
    bo_dfu_t d;
    bo_dfu_resume_t res;
    for (int round = 0; round < 5; round++) {
        start(&d, id, IMG_SIZE, &res);
        assert_int_equal(res.offset, 0);
        send(&d, img, 0, 40000);
        bo_dfu_abort(&d);
        start(&d, id, IMG_SIZE, &res);
        assert_int_equal(res.offset, 39936);
        finish_and_check(&d, img, 39936);
    }
    assert_true(d.rec_seq > 3 * 51);
}

static void dfu_resume_relocates_a_page_written_past_the_checkpoint(void **state)
{
    bo_dfu_t d;
    bo_dfu_resume_t res;
    start(&d, id, IMG_SIZE, &res);
    send(&d, img, 0, 5 * 1024); /* checkpoint at 5120: inside page 1 */
    assert_int_equal(bo_dfu_write(&d, img + 5120, 512), BO_OK); /* units past it */
    bo_dfu_abort(&d);
    uint64_t erases = nor.erases;
    start(&d, id, IMG_SIZE, &res);
    assert_int_equal(res.offset, 5120);
    assert_int_equal(nor.erases, erases + 2); /* spare page, then the slot page */
    bool blank = true;
    uint8_t b[16];
    for (uint32_t o = 5120; o < 8192; o += 16) {
        assert_int_equal(bo_dfu_read(&d, o, b, 16), BO_OK);
        for (int i = 0; i < 16; i++)
            blank &= b[i] == 0xFF;
    }
    assert_true(blank);
    finish_and_check(&d, img, 5120);
}

static void dfu_resume_relocates_page_zero_without_the_head(void **state)
{
    bo_dfu_t d;
    bo_dfu_resume_t res;
    start(&d, id, IMG_SIZE, &res);
    send(&d, img, 0, 2048);
    assert_int_equal(bo_dfu_write(&d, img + 2048, 100), BO_OK);
    bo_dfu_abort(&d);
    start(&d, id, IMG_SIZE, &res);
    assert_int_equal(res.offset, 2048);
    uint8_t b[16];
    assert_int_equal(bo_dfu_read(&d, 0, b, 16), BO_OK);
    assert_int_equal(b[0], 0xFF);
    finish_and_check(&d, img, 2048);
}

static void dfu_resume_of_clean_page_needs_no_flash_work(void **state)
{
    bo_dfu_t d;
    bo_dfu_resume_t res;
    start(&d, id, IMG_SIZE, &res);
    send(&d, img, 0, 6144);
    bo_dfu_abort(&d);
    uint64_t ops = nor.ops;
    start(&d, id, IMG_SIZE, &res);
    assert_int_equal(res.offset, 6144);
    assert_int_equal(nor.ops, ops);
    finish_and_check(&d, img, 6144);
}

/* 320-byte pages hold exactly four 80-byte entries: "page full" must not alias the next page. */
static void dfu_log_works_when_entries_fill_a_page_exactly(void **state)
{
    bo_nor_t n;
    assert_int_equal(bo_nor_open(&n, NULL, 0, 320 * 100, 320, 16), BO_OK);
    bo_layout_t l = {0, 320 * 20, 320 * 60, 320 * 50, 320 * 70, 4};
    tu_run_t r = {.window = 256, .chunk = 100};
    assert_int_equal(tu_download(&n.flash, &l, img, 8192, id, &r), BO_OK);
    assert_int_equal(tu_slot_state(&n.flash, &l, img, 8192), 1);
    /* again, cut mid-way, then resume */
    assert_int_equal(bo_nor_wipe(&n), BO_OK);
    bo_nor_cut_before(&n, 300, BO_NOR_CUT_TORN, 5);
    assert_int_equal(tu_download(&n.flash, &l, img, 8192, id, &r), BO_ERR_POWER);
    assert_int_equal(bo_nor_reboot(&n), BO_OK);
    assert_int_equal(tu_download(&n.flash, &l, img, 8192, id, &r), BO_OK);
    assert_true(r.res.offset > 0);
    assert_int_equal(tu_slot_state(&n.flash, &l, img, 8192), 1);
    assert_int_equal(n.violations, 0);
    bo_nor_close(&n);
}

/* A CRC-valid entry with the last sequence number (foreign or corrupt log contents) must not
 * win the scan for ever: here a CLEAR at 0xFFFFFFFF would hide the live record, and every
 * later entry (the CLEAR that retires it included) would lose to it. */
static void dfu_log_ignores_an_entry_at_the_end_of_the_sequence_space(void **state)
{
    bo_dfu_t d;
    bo_dfu_resume_t res;
    uint8_t e[BO_DFU_LOG_ENTRY_SIZE];
    assert_int_equal(tu_interrupted(&d, &nor.flash, &lay, img, 3 * 4096, id, 4096), BO_OK);
    /* a copy of that entry, turned into a CLEAR with sequence 0xFFFFFFFF, in the next page */
    assert_int_equal(nor.flash.read(nor.flash.ctx, lay.resume_addr, e, sizeof e), BO_OK);
    e[4] = e[5] = e[6] = e[7] = 0xFF;
    e[8] = 3; /* CLEAR */
    uint32_t crc = bo_crc32(e, sizeof e - 4u);
    for (int i = 0; i < 4; i++)
        e[sizeof e - 4u + (unsigned)i] = (uint8_t)(crc >> (8 * i));
    assert_int_equal(nor.flash.prog(nor.flash.ctx, lay.resume_addr + 4096u, e, sizeof e), BO_OK);
    /* the record still resumes, and the CLEAR of finish retires it */
    assert_int_equal(bo_dfu_configure(&d, 3 * 4096), BO_OK);
    assert_int_equal(bo_dfu_start(&d, id, &res), BO_OK);
    assert_int_equal(res.offset, 4096);
    assert_int_equal(bo_dfu_write(&d, img + 4096, 2 * 4096), BO_OK);
    assert_int_equal(bo_dfu_finish(&d), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 3 * 4096), BO_OK);
    assert_int_equal(bo_dfu_start(&d, id, &res), BO_OK);
    assert_int_equal(res.offset, 0);
    assert_false(d.rec_live);
    assert_int_equal(nor.violations, 0);
}

/* Should the sequence numbers ever run out, the log restarts at 1 (every log page erased) and
 * the newest record survives. */
static void dfu_log_restarts_before_its_sequence_numbers_run_out(void **state)
{
    static const uint8_t cur[BO_DFU_CURSOR_SIZE] = {0};
    bo_dfu_t d;
    bo_dfu_resume_t res;
    assert_int_equal(bo_dfu_init(&d, &nor.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 3 * 4096), BO_OK);
    assert_int_equal(bo_dfu_start(&d, id, NULL), BO_OK);
    assert_int_equal(bo_dfu_write(&d, img, 4096), BO_OK);
    d.rec_seq = BO_DFU_LOG_SEQ_MAX - 2u; /* as after a very long life */
    assert_int_equal(bo_dfu_checkpoint(&d, cur), BO_OK); /* the last number */
    assert_int_equal(bo_dfu_write(&d, img + 4096, 4096), BO_OK);
    assert_int_equal(bo_dfu_checkpoint(&d, cur), BO_OK); /* restart, then 1 */
    assert_int_equal(d.rec_seq, 1);
    bo_dfu_abort(&d);
    assert_int_equal(bo_dfu_configure(&d, 3 * 4096), BO_OK);
    assert_int_equal(bo_dfu_start(&d, id, &res), BO_OK);
    assert_int_equal(res.offset, 8192);
    assert_int_equal(nor.violations, 0);
}

/* The largest download the reference allows, checkpointed every 1 KiB: count what it costs,
 * into a blank slot (the application's idle clean-up leaves it so) and over an old image. */
static void dfu_full_size_download_erases_only_what_it_writes(void **state)
{
    static uint8_t big[BO_BZ2_DL_LIMIT];
    tu_image(big, sizeof big, 9);
    tu_run_t r = {.window = 1024, .chunk = 244};
    assert_int_equal(tu_download(&nor.flash, &lay, big, sizeof big, id, &r), BO_OK);
    assert_int_equal(tu_slot_state(&nor.flash, &lay, big, sizeof big), 1);
    /* a blank slot: no slot erase; 495 checkpoints + 1 clear = 496 log entries, 51 per page:
     * 9 moves to the next of the 2 log pages, only the first into a page still blank */
    assert_int_equal(nor.erases, 8);
    /* over the committed image of another download: each of the 124 slot pages once more */
    uint64_t before = nor.erases;
    uint64_t before_progs = nor.progs, before_us = nor.virtual_us; /* figures (below) */
    tu_image(big, sizeof big, 10);
    assert_int_equal(tu_download(&nor.flash, &lay, big, sizeof big, id2, &r), BO_OK);
    assert_int_equal(tu_slot_state(&nor.flash, &lay, big, sizeof big), 1);
    assert_in_range(nor.erases - before, 124 + 9, 124 + 10);
    printf("dfu full-size download (%u B, 244-B writes, 1 KiB checkpoints): %llu erases, "
           "%llu programs, virtual flash time %.3f s\n",
           (unsigned)sizeof big, (unsigned long long)nor.erases, (unsigned long long)nor.progs,
           (double)nor.virtual_us / 1e6);
    /* figures for the docs (figure_report.h): the blank-slot download, then the one over an
     * old image */
    bo_figure_reset("dfu.full_download");
    bo_figure_u("dfu.full_download", "bytes", sizeof big);
    bo_figure_u("dfu.full_download", "blank.erases", before);
    bo_figure_u("dfu.full_download", "blank.programs", before_progs);
    bo_figure_f("dfu.full_download", "blank.flash_s", (double)before_us / 1e6, 2);
    bo_figure_u("dfu.full_download", "over_old.erases", nor.erases - before);
    bo_figure_u("dfu.full_download", "over_old.programs", nor.progs - before_progs);
    bo_figure_f("dfu.full_download", "over_old.flash_s",
                (double)(nor.virtual_us - before_us) / 1e6, 2);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(dfu_resume_continues_from_last_checkpoint),
        T(dfu_other_image_never_resumes),
        T(dfu_start_without_id_or_resume_starts_fresh),
        T(dfu_checkpoint_misuse_is_refused),
        T(dfu_finish_clears_the_record),
        T(dfu_resume_clear_forgets_the_record),
        T(dfu_committed_head_is_never_resumed),
        T(dfu_log_rolls_over_its_pages),
        T(dfu_resume_relocates_a_page_written_past_the_checkpoint),
        T(dfu_resume_relocates_page_zero_without_the_head),
        T(dfu_resume_of_clean_page_needs_no_flash_work),
        T(dfu_log_works_when_entries_fill_a_page_exactly),
        T(dfu_log_ignores_an_entry_at_the_end_of_the_sequence_space),
        T(dfu_log_restarts_before_its_sequence_numbers_run_out),
        T(dfu_full_size_download_erases_only_what_it_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
