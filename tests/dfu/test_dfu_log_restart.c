/* dfu resume log: the restart at the end of the sequence space never brings a superseded
 * record back. Found by the fuzz target dfu_log (tests/fuzz/corpus/dfu_log/
 * seed_log_restart_cut): a CRC-valid entry with the last valid sequence number (foreign or
 * corrupt log contents) forces the restart, which erased the log pages in index order; a cut
 * after the page holding the newest entries was erased, before the other one, left an older
 * PROGRESS record of image A as the newest valid entry although a CLEAR had retired it and
 * image B had been written over the slot since, so A resumed over B's bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bleota/crc32.h"
#include "bleota/endian.h"
#include "dfu_test_util.h"

#define SIZE (3u * 4096u)

static uint8_t img_a[SIZE], img_b[SIZE];

static void dfu_log_restart_cut_never_resurrects_a_retired_record(void **state)
{
    (void)state;
    bo_nor_t nor;
    bo_dfu_t d;
    bo_dfu_resume_t res;
    uint8_t id_a[16], id_b[16], id_c[16], cur[16] = {0};
    bo_layout_t lay = bo_layout_bz2(); /* 2 log pages of 51 entries */
    assert_int_equal(tu_nor_bz2(&nor), BO_OK);
    tu_image(img_a, SIZE, 1);
    tu_image(img_b, SIZE, 2);
    tu_id(id_a, 1);
    tu_id(id_b, 2);
    tu_id(id_c, 3);

    /* A: 102 checkpoints, log pages 0 and 1 full; the newest is PROGRESS(A, 1632) in page 1 */
    assert_int_equal(bo_dfu_init(&d, &nor.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, SIZE), BO_OK);
    assert_int_equal(bo_dfu_start(&d, id_a, &res), BO_OK);
    for (uint32_t i = 0; i < 102; i++) {
        assert_int_equal(bo_dfu_write(&d, img_a + 16u * i, 16), BO_OK);
        assert_int_equal(bo_dfu_checkpoint(&d, cur), BO_OK);
    }
    bo_dfu_abort(&d);
    /* B starts afresh: its CLEAR opens page 0 again; B's bytes go over A's */
    assert_int_equal(bo_dfu_configure(&d, SIZE), BO_OK);
    assert_int_equal(bo_dfu_start(&d, id_b, &res), BO_OK);
    assert_int_equal(bo_dfu_write(&d, img_b, 4096), BO_OK);
    bo_dfu_abort(&d);

    /* a foreign, CRC-valid entry with the last valid sequence number, next to that CLEAR */
    uint8_t e[BO_DFU_LOG_ENTRY_SIZE] = {0};
    bo_put_le32(e, 0x46444F42u); /* "BODF" */
    bo_put_le32(e + 4, BO_DFU_LOG_SEQ_MAX - 1u);
    e[8] = 1; /* PROGRESS */
    e[9] = 1; /* version */
    memset(e + 20, 0x77, 16); /* an id that is none of ours */
    bo_put_le32(e + sizeof e - 4u, bo_crc32(e, sizeof e - 4u));
    assert_int_equal(nor.flash.prog(nor.flash.ctx, lay.resume_addr + BO_DFU_LOG_ENTRY_SIZE, e,
                                    sizeof e),
                     BO_OK);

    /* the next append restarts the log (both pages erased): cut before the second erase */
    assert_int_equal(bo_dfu_init(&d, &nor.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, SIZE), BO_OK);
    bo_nor_cut_before(&nor, 2, BO_NOR_CUT_CLEAN, 1);
    assert_int_equal(bo_dfu_start(&d, id_c, &res), BO_ERR_POWER);
    assert_int_equal(bo_nor_reboot(&nor), BO_OK);

    /* A must start afresh: resuming would continue at 1632 over B's bytes */
    assert_int_equal(bo_dfu_init(&d, &nor.flash, &lay), BO_OK);
    assert_int_equal(bo_dfu_configure(&d, SIZE), BO_OK);
    assert_int_equal(bo_dfu_start(&d, id_a, &res), BO_OK);
    assert_int_equal(res.offset, 0);
    /* and the restart completes at the next append */
    assert_int_equal(bo_dfu_write(&d, img_a, 32), BO_OK);
    assert_int_equal(bo_dfu_checkpoint(&d, cur), BO_OK);
    assert_true(d.rec_seq < 3);
    assert_int_equal(nor.violations, 0);
    bo_nor_close(&nor);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dfu_log_restart_cut_never_resurrects_a_retired_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
