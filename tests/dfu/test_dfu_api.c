/* dfu writer: every API path and misuse, chunking, commit marker, read-back, progressive erase,
 * geometry. Real module code over the posix NOR model; faults come from a flash wrapper. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dfu_test_util.h"
#include "figure_report.h"

#define IMG_SIZE (20u * 1024u)

static bo_nor_t nor;
static bo_layout_t lay;
static uint8_t img[IMG_SIZE];

/* A flash that forwards to the model and can corrupt a read, fail an erase, count erases. */
typedef struct {
    bo_flash_t flash;
    uint32_t erases;
    int corrupt_read_at; /* 1-based read number to corrupt, 0 = never */
    int reads;
    int erase_rc; /* returned instead of erasing when non-zero */
    uint32_t first_erase; /* address of the first erase */
} wrap_t;
static wrap_t w;

static int w_read(void *ctx, uint32_t a, void *b, uint32_t n)
{
    int rc = nor.flash.read(nor.flash.ctx, a, b, n);
    if (rc == BO_OK && ++w.reads == w.corrupt_read_at && n > 0)
        ((uint8_t *)b)[n - 1] ^= 0x01;
    return rc;
}
static int w_prog(void *ctx, uint32_t a, const void *b, uint32_t n)
{
    return nor.flash.prog(nor.flash.ctx, a, b, n);
}
static int w_erase(void *ctx, uint32_t a)
{
    if (w.erase_rc)
        return w.erase_rc;
    if (w.erases++ == 0)
        w.first_erase = a;
    return nor.flash.erase(nor.flash.ctx, a);
}

static int setup(void **state)
{
    if (tu_nor_bz2(&nor) != BO_OK)
        return -1;
    lay = bo_layout_bz2();
    tu_image(img, IMG_SIZE, 1);
    memset(&w, 0, sizeof w);
    w.flash = nor.flash;
    w.flash.read = w_read;
    w.flash.prog = w_prog;
    w.flash.erase = w_erase;
    return 0;
}

static int teardown(void **state)
{
    assert_int_equal(nor.violations, 0); /* dfu never breaks a NOR rule */
    bo_nor_close(&nor);
    return 0;
}

/* Old data in the first n pages of slot 1, so that a download has to erase them. */
static void dirty_pages(uint32_t n)
{
    static const uint8_t z[16] = {0};
    for (uint32_t p = 0; p < n; p++)
        assert_int_equal(nor.flash.prog(nor.flash.ctx, lay.slot1 + p * 4096u + 2048u, z, 16), BO_OK);
}

static void slot_equals(const uint8_t *want, uint32_t len)
{
    uint8_t *b = malloc(len);
    assert_non_null(b);
    assert_int_equal(nor.flash.read(nor.flash.ctx, lay.slot1, b, len), BO_OK);
    assert_memory_equal(b, want, len);
    free(b);
}

static void dfu_init_checks_geometry(void **state)
{
    bo_dfu_t d;
    bo_flash_t f = nor.flash;
    bo_layout_t l = lay;
    assert_int_equal(bo_dfu_init(&d, &f, &l), BO_OK);
    assert_int_equal(d.state, BO_DFU_IDLE);
    assert_int_equal(bo_dfu_init(NULL, &f, &l), BO_ERR_ARG);
    assert_int_equal(bo_dfu_init(&d, NULL, &l), BO_ERR_ARG);
    assert_int_equal(bo_dfu_init(&d, &f, NULL), BO_ERR_ARG);
    f.prog_unit = 32; /* > BO_DFU_UNIT_MAX */
    assert_int_equal(bo_dfu_init(&d, &f, &l), BO_ERR_ARG);
    f.prog_unit = 12; /* not a power of two */
    assert_int_equal(bo_dfu_init(&d, &f, &l), BO_ERR_ARG);
    f = nor.flash;
    f.page_size = 8; /* smaller than the held-back head */
    f.prog_unit = 8;
    assert_int_equal(bo_dfu_init(&d, &f, &l), BO_ERR_ARG);
    f = nor.flash;
    f.prog = NULL;
    assert_int_equal(bo_dfu_init(&d, &f, &l), BO_ERR_ARG);
    f = nor.flash;
    l.slot1 += 16; /* slot not page aligned */
    assert_int_equal(bo_dfu_init(&d, &f, &l), BO_ERR_ARG);
    l = lay;
    l.slot1 = BO_BZ2_FLASH_BASE + BO_BZ2_FLASH_SIZE; /* outside the flash */
    assert_int_equal(bo_dfu_init(&d, &f, &l), BO_ERR_ARG);
    l = lay;
    l.dl_limit = l.slot_size + 4096;
    assert_int_equal(bo_dfu_init(&d, &f, &l), BO_ERR_ARG);
    l.dl_limit = 0;
    assert_int_equal(bo_dfu_init(&d, &f, &l), BO_ERR_ARG);
    l = lay;
    l.resume_pages = 2; /* log needs 2 pages + 1 spare */
    assert_int_equal(bo_dfu_init(&d, &f, &l), BO_ERR_ARG);
    l = lay;
    l.resume_addr -= 4096; /* overlaps the download area */
    assert_int_equal(bo_dfu_init(&d, &f, &l), BO_ERR_ARG);
    l = lay;
    l.resume_addr += 16; /* not page aligned */
    assert_int_equal(bo_dfu_init(&d, &f, &l), BO_ERR_ARG);
    l = lay;
    l.resume_pages = 5; /* runs past the end of the flash */
    assert_int_equal(bo_dfu_init(&d, &f, &l), BO_ERR_ARG);
    l = lay;
    l.resume_addr = 0; /* resume disabled is a valid layout */
    l.resume_pages = 0;
    assert_int_equal(bo_dfu_init(&d, &f, &l), BO_OK);
    /* the BZ2 map: resume pages are the 16 KiB above the download limit */
    assert_int_equal(lay.resume_addr, lay.slot1 + 507904u);
    assert_int_equal(lay.resume_addr + lay.resume_pages * 4096u, lay.slot1 + lay.slot_size);
}

static void dfu_configure_applies_reference_limits(void **state)
{
    bo_dfu_t d;
    assert_int_equal(bo_dfu_init(&d, &nor.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 0), BO_ERR_RANGE);
    assert_int_equal(bo_dfu_configure(&d, 507904u + 16u), BO_ERR_RANGE);
    assert_int_equal(bo_dfu_configure(&d, 100), BO_ERR_ALIGN);
    assert_int_equal(bo_dfu_configure(&d, 8), BO_ERR_ALIGN);
    assert_int_equal(d.state, BO_DFU_IDLE);
    assert_int_equal(bo_dfu_configure(&d, 507904u), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 16), BO_OK); /* reconfigure before start */
    assert_int_equal(d.state, BO_DFU_CONFIGURED);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 32), BO_ERR_BUSY);
    assert_int_equal(d.size, 16);
}

static void dfu_calls_out_of_order_are_refused(void **state)
{
    bo_dfu_t d;
    uint8_t cur[16] = {0}, b[16] = {0};
    assert_int_equal(bo_dfu_init(&d, &nor.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_ERR_STATE);
    assert_int_equal(bo_dfu_write(&d, b, 16), BO_ERR_STATE);
    assert_int_equal(bo_dfu_checkpoint(&d, cur), BO_ERR_STATE);
    assert_int_equal(bo_dfu_finish(&d), BO_ERR_STATE);
    assert_int_equal(bo_dfu_configure(&d, 32), BO_OK);
    assert_int_equal(bo_dfu_write(&d, b, 16), BO_ERR_STATE);
    assert_int_equal(bo_dfu_finish(&d), BO_ERR_STATE);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_ERR_STATE);
    assert_int_equal(bo_dfu_write(&d, NULL, 1), BO_ERR_ARG);
    assert_int_equal(bo_dfu_write(&d, NULL, 0), BO_OK);
    assert_int_equal(bo_dfu_checkpoint(&d, cur), BO_ERR_STATE); /* started without an id */
    assert_int_equal(bo_dfu_resume_clear(&d), BO_ERR_STATE);
    bo_dfu_abort(&d);
    assert_int_equal(d.state, BO_DFU_IDLE);
    assert_int_equal(bo_dfu_write(&d, b, 16), BO_ERR_STATE);
    assert_int_equal(bo_dfu_finish(&d), BO_ERR_STATE);
}

static void dfu_write_past_size_is_refused(void **state)
{
    bo_dfu_t d;
    assert_int_equal(bo_dfu_init(&d, &nor.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 64), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    assert_int_equal(bo_dfu_write(&d, img, 65), BO_ERR_RANGE);
    assert_int_equal(d.offset, 0); /* nothing consumed */
    assert_int_equal(bo_dfu_write(&d, img, 40), BO_OK);
    assert_int_equal(bo_dfu_write(&d, img + 40, 25), BO_ERR_RANGE);
    assert_int_equal(bo_dfu_write(&d, img + 40, 24), BO_OK);
    assert_int_equal(bo_dfu_write(&d, img, 1), BO_ERR_RANGE);
    assert_int_equal(bo_dfu_finish(&d), BO_OK);
    slot_equals(img, 64);
}

static void dfu_write_after_finish_is_refused(void **state)
{
    bo_dfu_t d;
    assert_int_equal(bo_dfu_init(&d, &nor.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 32), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    assert_int_equal(bo_dfu_write(&d, img, 32), BO_OK);
    assert_int_equal(bo_dfu_finish(&d), BO_OK);
    assert_int_equal(d.state, BO_DFU_DONE);
    assert_int_equal(bo_dfu_write(&d, img, 16), BO_ERR_STATE);
    assert_int_equal(bo_dfu_finish(&d), BO_ERR_STATE);
    /* a new download may be configured after DONE */
    assert_int_equal(bo_dfu_configure(&d, 32), BO_OK);
}

static void dfu_finish_before_all_bytes_is_refused(void **state)
{
    bo_dfu_t d;
    assert_int_equal(bo_dfu_init(&d, &nor.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 4096), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    assert_int_equal(bo_dfu_write(&d, img, 4095), BO_OK);
    assert_int_equal(bo_dfu_finish(&d), BO_ERR_STATE);
    assert_int_equal(d.state, BO_DFU_RECEIVING); /* still usable */
    assert_int_equal(bo_dfu_write(&d, img + 4095, 1), BO_OK);
    assert_int_equal(bo_dfu_finish(&d), BO_OK);
    slot_equals(img, 4096);
}

static void dfu_any_chunk_size_gives_the_same_slot(void **state)
{
    static const uint32_t chunks[] = {1, 15, 16, 17, 244, 1000, 0 /* random */};
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        assert_int_equal(bo_nor_wipe(&nor), BO_OK);
        /* a dirty slot: everything must be erased by the download itself */
        uint8_t z[4096] = {0};
        for (uint32_t p = 0; p < IMG_SIZE + 4096; p += 4096)
            assert_int_equal(nor.flash.prog(nor.flash.ctx, lay.slot1 + p, z, 4096), BO_OK);
        tu_run_t r = {.window = 0, .chunk = chunks[i], .seed = 5};
        assert_int_equal(tu_download(&nor.flash, &lay, img, IMG_SIZE, NULL, &r), BO_OK);
        slot_equals(img, IMG_SIZE);
        assert_int_equal(tu_slot_state(&nor.flash, &lay, img, IMG_SIZE), 1);
        /* the page after the image was never touched: progressive erase, not whole slot */
        uint8_t b[16];
        assert_int_equal(nor.flash.read(nor.flash.ctx, lay.slot1 + IMG_SIZE, b, 16), BO_OK);
        assert_int_equal(b[0], 0x00);
        assert_int_equal(nor.erases, IMG_SIZE / 4096);
    }
}

static void dfu_commit_marker_absent_until_finish(void **state)
{
    bo_dfu_t d;
    uint8_t b[16], ff[16];
    memset(ff, 0xFF, sizeof ff);
    assert_int_equal(bo_dfu_init(&d, &nor.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, IMG_SIZE), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    for (uint32_t off = 0; off < IMG_SIZE; off += 1000) {
        uint32_t n = IMG_SIZE - off < 1000 ? IMG_SIZE - off : 1000;
        assert_int_equal(bo_dfu_write(&d, img + off, n), BO_OK);
        assert_int_equal(bo_dfu_read(&d, 0, b, 16), BO_OK);
        assert_memory_equal(b, ff, 16);
    }
    uint8_t hdr[28];
    assert_int_equal(bo_dfu_read(&d, 0, hdr, sizeof hdr), BO_OK);
    assert_false(tu_struct_valid(hdr));
    assert_int_equal(bo_dfu_read(&d, 16, b, 16), BO_OK);
    assert_memory_equal(b, img + 16, 16);
    assert_int_equal(bo_dfu_finish(&d), BO_OK);
    assert_int_equal(bo_dfu_read(&d, 0, b, 16), BO_OK);
    assert_memory_equal(b, img, 16);
    assert_int_equal(tu_slot_state(&nor.flash, &lay, img, IMG_SIZE), 1);
}

static void dfu_readback_mismatch_is_detected(void **state)
{
    bo_dfu_t d;
    w.corrupt_read_at = 3; /* the read-back of the third programmed unit */
    assert_int_equal(bo_dfu_init(&d, &w.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 4096), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    int reads_before = w.reads;
    /* the page's blank check reads it first (16 B per read, a blank page to its end) */
    w.corrupt_read_at = reads_before + (int)(nor.flash.page_size / 16u) + 3;
    assert_int_equal(bo_dfu_write(&d, img, 16 + 16 * 2), BO_OK);
    assert_int_equal(bo_dfu_write(&d, img + 48, 16), BO_ERR_VERIFY);
    assert_int_equal(d.state, BO_DFU_IDLE); /* must be aborted now */
    assert_int_equal(bo_dfu_write(&d, img + 64, 16), BO_ERR_STATE);
    /* the commit marker too */
    assert_int_equal(bo_dfu_configure(&d, 32), BO_OK);
    assert_int_equal(bo_nor_wipe(&nor), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    assert_int_equal(bo_dfu_write(&d, img, 32), BO_OK);
    w.corrupt_read_at = w.reads + 1;
    assert_int_equal(bo_dfu_finish(&d), BO_ERR_VERIFY);
}

static void dfu_port_errors_are_passed_up(void **state)
{
    bo_dfu_t d;
    assert_int_equal(bo_dfu_init(&d, &w.flash, &lay), BO_OK);
    /* a page that does not read blank must be erased: dirty the slot's first page */
    static const uint8_t junk[16] = {0};
    assert_int_equal(nor.flash.prog(nor.flash.ctx, lay.slot1 + 32, junk, 16), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 64), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    w.erase_rc = BO_ERR_IO;
    assert_int_equal(bo_dfu_write(&d, img, 32), BO_ERR_IO);
    assert_int_equal(bo_dfu_configure(&d, 64), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    w.erase_rc = 7; /* a port bug: positive return */
    assert_int_equal(bo_dfu_write(&d, img, 32), BO_ERR_IO);
}

static void dfu_page_is_erased_just_before_its_first_write(void **state)
{
    bo_dfu_t d;
    dirty_pages(3);
    assert_int_equal(bo_dfu_init(&d, &w.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 3 * 4096), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    assert_int_equal(w.erases, 0);
    assert_int_equal(bo_dfu_write(&d, img, 16), BO_OK); /* held back: no flash work */
    assert_int_equal(w.erases, 0);
    assert_int_equal(bo_dfu_write(&d, img + 16, 15), BO_OK); /* partial unit: buffered */
    assert_int_equal(w.erases, 0);
    assert_int_equal(bo_dfu_write(&d, img + 31, 1), BO_OK); /* unit complete: page 0 */
    assert_int_equal(w.erases, 1);
    assert_int_equal(bo_dfu_write(&d, img + 32, 4096 - 32), BO_OK);
    assert_int_equal(w.erases, 1);
    assert_int_equal(bo_dfu_write(&d, img + 4096, 15), BO_OK);
    assert_int_equal(w.erases, 1);
    assert_int_equal(bo_dfu_write(&d, img + 4111, 1), BO_OK);
    assert_int_equal(w.erases, 2);
    assert_int_equal(bo_dfu_write(&d, img + 4112, 2 * 4096 - 16), BO_OK);
    assert_int_equal(w.erases, 3);
    assert_int_equal(bo_dfu_finish(&d), BO_OK);
    assert_int_equal(w.erases, 3);
    slot_equals(img, 3 * 4096);
}

static void dfu_single_unit_image_erases_page_zero_at_finish(void **state)
{
    bo_dfu_t d;
    uint8_t z[16] = {0};
    assert_int_equal(nor.flash.prog(nor.flash.ctx, lay.slot1, z, 16), BO_OK); /* dirty */
    assert_int_equal(bo_dfu_init(&d, &w.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 16), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    assert_int_equal(bo_dfu_write(&d, img, 16), BO_OK);
    assert_int_equal(w.erases, 0);
    assert_int_equal(bo_dfu_finish(&d), BO_OK);
    assert_int_equal(w.erases, 1);
    slot_equals(img, 16);
}

static void dfu_read_is_range_checked(void **state)
{
    bo_dfu_t d;
    uint8_t b[32];
    assert_int_equal(bo_dfu_init(&d, &nor.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_read(&d, lay.slot_size - 16, b, 16), BO_OK);
    assert_int_equal(bo_dfu_read(&d, lay.slot_size - 16, b, 32), BO_ERR_RANGE);
    assert_int_equal(bo_dfu_read(&d, lay.slot_size + 1, b, 0), BO_ERR_RANGE);
    assert_int_equal(bo_dfu_read(&d, 0, NULL, 4), BO_ERR_ARG);
}

/* Smaller program units: the head is several units, programmed last-to-first so the unit at
 * offset 0 (zero fillers) lands last. */
static void dfu_small_program_unit_commits_offset_zero_last(void **state)
{
    static const uint32_t units[] = {4, 8};
    for (size_t i = 0; i < 2; i++) {
        bo_nor_t n;
        assert_int_equal(bo_nor_open(&n, NULL, 0, 64 * 1024, 1024, units[i]), BO_OK);
        bo_layout_t l = {0, 32 * 1024, 28 * 1024, 24 * 1024, 60 * 1024, 4};
        tu_run_t r = {.window = 512, .chunk = 0, .seed = 3};
        uint8_t id[16];
        tu_id(id, 1);
        assert_int_equal(tu_download(&n.flash, &l, img, 8192, id, &r), BO_OK);
        assert_int_equal(tu_slot_state(&n.flash, &l, img, 8192), 1);
        /* cut before the last head unit: the zero fillers at 0 are still blank */
        uint64_t total = n.ops;
        assert_int_equal(bo_nor_wipe(&n), BO_OK);
        bo_nor_cut_before(&n, total, BO_NOR_CUT_CLEAN, 1);
        assert_int_equal(tu_download(&n.flash, &l, img, 8192, id, &r), BO_ERR_POWER);
        assert_int_equal(r.where, 3);
        assert_int_equal(bo_nor_reboot(&n), BO_OK);
        uint8_t b[16];
        assert_int_equal(n.flash.read(n.flash.ctx, 32 * 1024, b, 16), BO_OK);
        assert_int_equal(b[0], 0xFF);
        assert_memory_equal(b + units[i], img + units[i], 16 - units[i]);
        assert_int_equal(tu_slot_state(&n.flash, &l, img, 8192), 0);
        assert_int_equal(n.violations, 0);
        bo_nor_close(&n);
    }
}

/* Idle-time erase: one page ahead at most, never past the image, idempotent, and the data
 * written afterwards lands in the pre-erased page without a second erase. */
static void dfu_erase_ahead_erases_one_page_ahead_within_size(void **state)
{
    bo_dfu_t d;
    const uint32_t ps = BO_BZ2_PAGE_SIZE;
    dirty_pages(3);
    assert_int_equal(bo_dfu_init(&d, &w.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_erase_ahead(&d, ps), 0); /* not receiving: nothing */
    assert_int_equal(bo_dfu_configure(&d, 2u * ps), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    assert_int_equal(bo_dfu_erase_ahead(&d, ps), 1); /* page 0 */
    assert_int_equal(bo_dfu_erase_ahead(&d, ps), 0); /* page 1 is a whole page ahead */
    assert_int_equal(w.erases, 1);
    assert_int_equal(bo_dfu_write(&d, img, 32), BO_OK);
    assert_int_equal(w.erases, 1); /* page 0 not erased again */
    assert_int_equal(bo_dfu_erase_ahead(&d, ps), 1); /* page 1 */
    assert_int_equal(bo_dfu_erase_ahead(&d, ps), 0); /* page 2 is past the image */
    assert_int_equal(bo_dfu_erase_ahead(&d, ps), 0);
    assert_int_equal(w.erases, 2);
    assert_int_equal(bo_dfu_write(&d, img + 32, 2u * ps - 32u), BO_OK);
    assert_int_equal(w.erases, 2);
    assert_int_equal(bo_dfu_finish(&d), BO_OK);
    assert_int_equal(tu_slot_state(&w.flash, &lay, img, 2u * ps), 1);
    w.erase_rc = BO_ERR_IO; /* a failed erase ahead stops the writer like a failed write */
    assert_int_equal(bo_dfu_configure(&d, 3u * ps), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    assert_int_equal(bo_dfu_erase_ahead(&d, ps), BO_ERR_IO);
    assert_int_equal(bo_dfu_write(&d, img, 16), BO_ERR_STATE);
}

/* A page that already reads blank (the idle clean-up erased it) is programmed without an
 * erase: a single-bank flash would stall the CPU for it. */
static void dfu_blank_pages_are_not_erased_again(void **state)
{
    bo_dfu_t d;
    assert_int_equal(bo_dfu_init(&d, &w.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 3 * 4096), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    assert_int_equal(bo_dfu_write(&d, img, 3 * 4096), BO_OK);
    assert_int_equal(bo_dfu_finish(&d), BO_OK);
    assert_int_equal(w.erases, 0);
    slot_equals(img, 3 * 4096);
}

/* The idle clean-up erases what a download left, header page first (the slot is invalid from
 * the first erase on), one page per call, and then has nothing left to do. */
static void dfu_idle_erase_cleans_the_slot_header_page_first(void **state)
{
    bo_dfu_t d;
    assert_int_equal(bo_dfu_init(&d, &w.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 3 * 4096), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    assert_int_equal(bo_dfu_idle_erase(&d), 0); /* never while receiving */
    assert_int_equal(bo_dfu_write(&d, img, 3 * 4096), BO_OK);
    assert_int_equal(bo_dfu_finish(&d), BO_OK);
    int calls = 0, rc;
    while ((rc = bo_dfu_idle_erase(&d)) == 1)
        calls++;
    assert_int_equal(rc, 0);
    assert_int_equal(w.erases, 3);
    assert_int_equal(w.first_erase, lay.slot1);
    assert_in_range(calls, 3, 3 + lay.dl_limit / 4096 / BO_DFU_IDLE_SCAN_PAGES + 1);
    assert_int_equal(bo_dfu_idle_erase(&d), 0);
    assert_int_equal(w.erases, 3);
    assert_int_equal(d.state, BO_DFU_IDLE); /* the committed slot is gone */
    assert_int_equal(tu_slot_state(&w.flash, &lay, img, 3 * 4096), 0);
}

/* A download that may continue (its resume record lives) is left alone. */
static void dfu_idle_erase_keeps_a_resumable_download(void **state)
{
    bo_dfu_t d;
    uint8_t id[BO_DFU_ID_SIZE];
    tu_id(id, 7);
    assert_int_equal(tu_interrupted(&d, &w.flash, &lay, img, 3 * 4096, id, 4096), BO_OK);
    uint32_t before = w.erases;
    assert_int_equal(bo_dfu_idle_erase(&d), 0);
    assert_int_equal(w.erases, before);
    bo_dfu_resume_t res;
    assert_int_equal(bo_dfu_configure(&d, 3 * 4096), BO_OK);
    assert_int_equal(bo_dfu_start(&d, id, &res), BO_OK);
    assert_int_equal(res.offset, 4096);
}

/* Staging: a page stays in RAM until complete (read_received sees it, flash does not), a
 * checkpoint flushes first, and the read-back check still catches a bad unit. */
static void dfu_stage_programs_a_page_when_complete_and_still_verifies(void **state)
{
    static uint8_t stage[BO_BZ2_PAGE_SIZE];
    uint8_t back[1024];
    bo_dfu_t d;
    const uint32_t ps = BO_BZ2_PAGE_SIZE;
    assert_int_equal(bo_dfu_init(&d, &w.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_set_stage(&d, stage, 100), BO_ERR_ARG); /* less than a page */
    assert_int_equal(bo_dfu_set_stage(&d, stage, sizeof stage), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, 3u * ps), BO_OK);
    assert_int_equal(bo_dfu_start(&d, NULL, NULL), BO_OK);
    assert_int_equal(bo_dfu_set_stage(&d, NULL, 0), BO_ERR_BUSY);
    assert_int_equal(bo_dfu_write(&d, img, 1000), BO_OK);
    assert_int_equal(w.erases, 0); /* nothing programmed yet */
    assert_int_equal(bo_dfu_read(&d, 0, back, 1000), BO_OK);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(back[i], 0xFF);
    assert_int_equal(bo_dfu_read_received(&d, 0, back, 1000), BO_OK);
    assert_memory_equal(back, img, 1000);
    assert_int_equal(bo_dfu_write(&d, img + 1000, ps - 1000), BO_OK); /* page complete */
    assert_int_equal(bo_dfu_read(&d, 16, back, 1000), BO_OK);
    assert_memory_equal(back, img + 16, 1000);
    assert_int_equal(bo_dfu_write(&d, img + ps, 512), BO_OK);
    assert_int_equal(bo_dfu_erase_ahead(&d, ps), 1); /* page 1, while its data is staged */
    assert_int_equal(bo_dfu_erase_ahead(&d, ps), 0); /* one page ahead of what is programmed */
    w.corrupt_read_at = w.reads + 3; /* the third read-back of the next flush */
    assert_int_equal(bo_dfu_write(&d, img + ps + 512, ps - 512), BO_ERR_VERIFY);
    assert_int_equal(bo_dfu_write(&d, img, 16), BO_ERR_STATE);
}

static void dfu_reports_its_ram(void **state)
{
    printf("dfu RAM: sizeof(bo_dfu_t) = %zu bytes (of which buffers: head %zu, unit %zu); "
           "log entry %u bytes on the stack while appending\n",
           sizeof(bo_dfu_t), sizeof(((bo_dfu_t *)0)->head), sizeof(((bo_dfu_t *)0)->unit),
           (unsigned)BO_DFU_LOG_ENTRY_SIZE);
    bo_figure_reset("dfu.host_ram"); /* figures for the docs (figure_report.h) */
    bo_figure_u("dfu.host_ram", "bo_dfu_t", sizeof(bo_dfu_t));
    assert_true(sizeof(bo_dfu_t) <= 144); /* the staging buffer is the caller's, not in here */
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(dfu_init_checks_geometry),
        T(dfu_configure_applies_reference_limits),
        T(dfu_calls_out_of_order_are_refused),
        T(dfu_write_past_size_is_refused),
        T(dfu_write_after_finish_is_refused),
        T(dfu_finish_before_all_bytes_is_refused),
        T(dfu_any_chunk_size_gives_the_same_slot),
        T(dfu_commit_marker_absent_until_finish),
        T(dfu_readback_mismatch_is_detected),
        T(dfu_port_errors_are_passed_up),
        T(dfu_page_is_erased_just_before_its_first_write),
        T(dfu_single_unit_image_erases_page_zero_at_finish),
        T(dfu_read_is_range_checked),
        T(dfu_small_program_unit_commits_offset_zero_last),
        T(dfu_erase_ahead_erases_one_page_ahead_within_size),
        T(dfu_blank_pages_are_not_erased_again),
        T(dfu_idle_erase_cleans_the_slot_header_page_first),
        T(dfu_idle_erase_keeps_a_resumable_download),
        T(dfu_stage_programs_a_page_when_complete_and_still_verifies),
        T(dfu_reports_its_ram),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
