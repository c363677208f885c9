/* The NVM controller model catches each rule it enforces (a register sequence that breaks it
 * is refused, counted and leaves the flash as it was), and the port's NVM driver uses the
 * controller as the reference says: rows where it can, no 0xFF programming, errors reported
 * and cleared, write protection, another driver's operation waited for, the controller's
 * interrupt left to its owner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../ports/pic32cxbz2/src/hw.h"
#include "../../ports/pic32cxbz2/src/nvm_regs.h"
#include "bleota/pic32cxbz2/board.h"
#include "nvm_model.h"

static nvmm_t *m;
#define A (0x01080000u + 0x2000u) /* a page in slot 1 */

static int setup(void **state)
{
    m = malloc(sizeof *m);
    nvmm_reset(m);
    return 0;
}

static int teardown(void **state)
{
    free(m);
    return 0;
}

static void unlock(void)
{
    nvmm_wr(m, BZ2_NVMKEY, 0u);
    nvmm_wr(m, BZ2_NVMKEY, BZ2_NVMKEY1);
    nvmm_wr(m, BZ2_NVMKEY, BZ2_NVMKEY2);
}

static void select_op(uint32_t op)
{
    nvmm_wr(m, BZ2_NVMCONCLR, BZ2_NVMCON_WREN);
    nvmm_wr(m, BZ2_NVMCONCLR, BZ2_NVMCON_NVMOP_MSK);
    nvmm_wr(m, BZ2_NVMCONSET, op);
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WREN);
}

static void wait_done(void)
{
    while (nvmm_rd(m, BZ2_NVMCON) & BZ2_NVMCON_WR) {
    }
    nvmm_wr(m, BZ2_PCHE_CHECON, BZ2_PCHE_DCHEINV);
}

/* The reference's sequence for one quad-word, as a well-behaved driver does it. */
static void quad(uint32_t addr, uint32_t w)
{
    nvmm_wr(m, BZ2_NVMADDR, addr);
    for (unsigned i = 0; i < 4; i++)
        nvmm_wr(m, BZ2_NVMDATA(i), w);
    select_op(BZ2_NVMOP_QUAD);
    unlock();
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WR);
    wait_done();
}

static uint32_t word_at(uint32_t addr)
{
    uint32_t w;
    memcpy(&w, m->pfm + (addr - NVMM_PFM_BASE), 4);
    return w;
}

static void expect_only(nvmm_rule_t r, unsigned n)
{
    for (unsigned i = 0; i < NVMM_RULES; i++)
        assert_int_equal(m->rule[i], i == (unsigned)r ? n : 0u);
}

/* ---- Each rule, broken once -------------------------------------------------------------- */
static void nvm_model_rule_wrong_unlock(void **state)
{
    quad(A, 0x11111111u); /* a correct sequence works */
    expect_only(NVMM_UNLOCK, 0);
    nvmm_wr(m, BZ2_NVMADDR, A + 16);
    select_op(BZ2_NVMOP_QUAD);
    nvmm_wr(m, BZ2_NVMKEY, 0u);
    nvmm_wr(m, BZ2_NVMKEY, BZ2_NVMKEY2); /* keys out of order */
    nvmm_wr(m, BZ2_NVMKEY, BZ2_NVMKEY1);
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WR);
    assert_int_equal(nvmm_rd(m, BZ2_NVMCON) & BZ2_NVMCON_WR, 0);
    assert_true(nvmm_rd(m, BZ2_NVMCON) & BZ2_NVMCON_WRERR);
    assert_int_equal(word_at(A + 16), 0xFFFFFFFFu);
    assert_int_equal(m->last, NVMM_UNLOCK);
    /* keys right, but something else written between them and WR */
    nvmm_wr(m, BZ2_NVMADDR, A + 32);
    select_op(BZ2_NVMOP_QUAD);
    unlock();
    nvmm_wr(m, BZ2_NVMADDR, A + 32);
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WR);
    assert_int_equal(word_at(A + 32), 0xFFFFFFFFu);
    /* keys right, WREN not set */
    nvmm_wr(m, BZ2_NVMCONCLR, BZ2_NVMCON_WREN);
    unlock();
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WR);
    assert_int_equal(word_at(A + 32), 0xFFFFFFFFu);
    assert_true(m->rule[NVMM_UNLOCK] >= 3u);
}

static void nvm_model_rule_wrong_opcode(void **state)
{
    nvmm_wr(m, BZ2_NVMADDR, 0x01000000u);
    select_op(BZ2_NVMOP_PFM_ERASE); /* the whole program flash: never */
    unlock();
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WR);
    assert_true(nvmm_rd(m, BZ2_NVMCON) & BZ2_NVMCON_WRERR);
    expect_only(NVMM_OPCODE, 1);
    /* NVMOP changed while WREN is set: the write is ignored */
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WREN);
    nvmm_wr(m, BZ2_NVMCONCLR, BZ2_NVMCON_NVMOP_MSK);
    expect_only(NVMM_OPCODE, 2);
    assert_int_equal(nvmm_rd(m, BZ2_NVMCON) & BZ2_NVMCON_NVMOP_MSK, BZ2_NVMOP_PFM_ERASE);
}

static void nvm_model_rule_misaligned_address(void **state)
{
    nvmm_wr(m, BZ2_NVMADDR, A + 8); /* quad-words are 16-byte aligned */
    select_op(BZ2_NVMOP_QUAD);
    unlock();
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WR);
    nvmm_wr(m, BZ2_NVMADDR, A + 16); /* a page erase needs the page address */
    select_op(BZ2_NVMOP_PAGE_ERASE);
    unlock();
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WR);
    nvmm_wr(m, BZ2_NVMADDR, 0x02000000u); /* no flash there */
    select_op(BZ2_NVMOP_QUAD);
    unlock();
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WR);
    expect_only(NVMM_ALIGN, 3);
    assert_int_equal(m->ops[BZ2_NVMOP_QUAD] + m->ops[BZ2_NVMOP_PAGE_ERASE], 0);
}

static void nvm_model_rule_programming_a_non_erased_unit(void **state)
{
    quad(A, 0x0F0F0F0Fu);
    quad(A, 0x00000000u); /* even to clear more bits (DS 24.13) */
    expect_only(NVMM_NOT_ERASED, 1);
    assert_int_equal(word_at(A), 0x0F0F0F0Fu);
    /* after an erase it is allowed again */
    nvmm_wr(m, BZ2_NVMADDR, A);
    select_op(BZ2_NVMOP_PAGE_ERASE);
    unlock();
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WR);
    wait_done();
    nvmm_wr(m, BZ2_NVMCONCLR, 0u);
    select_op(BZ2_NVMOP_NOP); /* clear WRERR of the refused one */
    unlock();
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WR);
    wait_done();
    quad(A, 0x00000000u);
    assert_int_equal(word_at(A), 0u);
    expect_only(NVMM_NOT_ERASED, 1);
}

static void nvm_model_rule_protected_page(void **state)
{
    unlock();
    nvmm_wr(m, BZ2_NVMPWPLT, ((A + 0x1000u) & BZ2_NVM_WP_FIELD) | BZ2_NVM_ULOCK);
    quad(A, 0x12345678u); /* below the limit: protected */
    assert_true(nvmm_rd(m, BZ2_NVMCON) & BZ2_NVMCON_WRERR);
    assert_int_equal(word_at(A), 0xFFFFFFFFu);
    expect_only(NVMM_PROTECTED, 1);
    /* a protection register written without the unlock is not changed */
    nvmm_wr(m, BZ2_NVMPWPLT, BZ2_NVM_ULOCK);
    assert_int_equal(m->rule[NVMM_UNLOCK], 1);
    assert_int_equal(nvmm_rd(m, BZ2_NVMPWPLT) & BZ2_NVM_WP_FIELD, (A + 0x1000u) & BZ2_NVM_WP_FIELD);
    /* frozen (ULOCK cleared): nothing changes it until reset */
    unlock();
    nvmm_wr(m, BZ2_NVMPWPLT + BZ2_CLR, BZ2_NVM_ULOCK);
    unlock();
    nvmm_wr(m, BZ2_NVMPWPLT, BZ2_NVM_ULOCK);
    assert_int_equal(m->rule[NVMM_LOCKED], 1);
}

static void nvm_model_rule_busy_controller(void **state)
{
    nvmm_wr(m, BZ2_NVMADDR, A);
    for (unsigned i = 0; i < 4; i++)
        nvmm_wr(m, BZ2_NVMDATA(i), 0x5A5A5A5Au);
    select_op(BZ2_NVMOP_QUAD);
    unlock();
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WR);
    nvmm_wr(m, BZ2_NVMADDR, A + 16); /* the next operation set up too early */
    assert_int_equal(m->rule[NVMM_BUSY], 1);
    (void)bo_bz2_hw_mem(A, 16); /* the array read while it works */
    assert_int_equal(m->rule[NVMM_BUSY], 2);
    wait_done();
    assert_int_equal(nvmm_rd(m, BZ2_NVMADDR), A); /* the early write was lost */
    assert_int_equal(word_at(A), 0x5A5A5A5Au);
    expect_only(NVMM_BUSY, 2);
}

static void nvm_model_rule_stale_cache_and_row_source(void **state)
{
    nvmm_wr(m, BZ2_NVMADDR, A);
    select_op(BZ2_NVMOP_PAGE_ERASE);
    unlock();
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WR);
    while (nvmm_rd(m, BZ2_NVMCON) & BZ2_NVMCON_WR) {
    }
    (void)bo_bz2_hw_mem(A, 16); /* no invalidation after the operation */
    expect_only(NVMM_STALE, 1);
    nvmm_wr(m, BZ2_PCHE_CHECON, BZ2_PCHE_DCHEINV);
    (void)bo_bz2_hw_mem(A, 16);
    expect_only(NVMM_STALE, 1);
    /* a row whose source is the flash itself: the controller reads SRAM only */
    nvmm_wr(m, BZ2_NVMADDR, A);
    nvmm_wr(m, BZ2_NVMSRCADDR, 0x01000000u);
    select_op(BZ2_NVMOP_ROW);
    unlock();
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WR);
    assert_int_equal(m->rule[NVMM_SOURCE], 1);
    assert_int_equal(word_at(A), 0xFFFFFFFFu);
}

/* ---- The driver on the model ----------------------------------------------------------------- */
static const bo_flash_t *drv(void)
{
    bo_bz2_nvm_init();
    return bo_bz2_flash();
}

static void bz2_nvm_uses_rows_for_aligned_sram_sources(void **state)
{
    const bo_flash_t *f = drv();
    static uint8_t buf[4096 + 1] __attribute__((aligned(4)));
    memset(buf, 0x3C, sizeof buf);
    assert_int_equal(f->prog(f->ctx, A, buf, 4096), BO_OK);
    assert_int_equal(m->ops[BZ2_NVMOP_ROW], 4);
    assert_int_equal(m->ops[BZ2_NVMOP_QUAD], 0);
    assert_int_equal(f->prog(f->ctx, A + 4096, buf + 1, 1024), BO_OK); /* unaligned source */
    assert_int_equal(m->ops[BZ2_NVMOP_ROW], 4);
    assert_int_equal(m->ops[BZ2_NVMOP_QUAD], 64);
    m->sram_rows = false; /* a source outside SRAM (e.g. flash) */
    assert_int_equal(f->prog(f->ctx, A + 8192, buf, 1024), BO_OK);
    assert_int_equal(m->ops[BZ2_NVMOP_QUAD], 128);
    assert_int_equal(nvmm_violations(m), 0);
}

static void bz2_nvm_never_programs_an_all_ff_unit(void **state)
{
    const bo_flash_t *f = drv();
    uint8_t d[64];
    memset(d, 0xFF, sizeof d);
    d[5] = 0x00;
    d[40] = 0x01;
    m->sram_rows = false;
    assert_int_equal(f->prog(f->ctx, A, d, sizeof d), BO_OK);
    assert_int_equal(m->ops[BZ2_NVMOP_QUAD], 2);
    /* so the blank check is exact: those units are still erased in the controller */
    uint8_t z[16] = {0};
    assert_int_equal(f->prog(f->ctx, A + 16, z, 16), BO_OK);
    assert_int_equal(nvmm_violations(m), 0);
}

static void bz2_nvm_reports_a_controller_error_and_clears_it(void **state)
{
    const bo_flash_t *f = drv();
    uint8_t d[16] = {1, 2, 3};
    m->fail_next = true; /* WRERR: the operation did not complete */
    assert_int_equal(f->prog(f->ctx, A, d, 16), BO_ERR_IO);
    assert_int_equal(nvmm_rd(m, BZ2_NVMCON) & BZ2_NVMCON_ERR, 0); /* cleared by a NOP */
    m->fail_next = true;
    assert_int_equal(f->erase(f->ctx, A), BO_ERR_IO);
    assert_int_equal(f->prog(f->ctx, A, d, 16), BO_OK);
    assert_int_equal(nvmm_violations(m), 0);
}

static void bz2_nvm_write_protection_holds_until_reset(void **state)
{
    const bo_flash_t *f = drv();
    uint8_t d[16] = {7};
    /* the running image (slot 0 below PDS) protected and frozen, as the bootloader leaves it */
    assert_int_equal(bo_bz2_nvm_protect(BO_BZ2_PDS_ADDR, 0x01100000u, true), BO_OK);
    assert_int_equal(f->erase(f->ctx, 0x01010000u), BO_ERR_IO);
    assert_int_equal(f->prog(f->ctx, 0x01000000u, d, 16), BO_ERR_IO);
    assert_int_equal(m->rule[NVMM_PROTECTED], 2);
    assert_int_equal(m->pfm[0], 0xFF);
    /* PDS and slot 1 stay writable */
    assert_int_equal(f->erase(f->ctx, BO_BZ2_PDS_ADDR), BO_OK);
    assert_int_equal(f->prog(f->ctx, A, d, 16), BO_OK);
    assert_int_equal(bo_bz2_nvm_protect(0x01000000u, 0x01100000u, false), BO_ERR_STATE);
    assert_int_equal(bo_bz2_nvm_protect(0x01000010u, 0x01100000u, false), BO_ERR_ARG);
    assert_int_equal(nvmm_violations(m), 2u); /* the two refusals, nothing else */
}

static void bz2_nvm_locks_the_boot_flash(void **state)
{
    bo_bz2_nvm_lock_boot_flash();
    assert_int_equal(nvmm_rd(m, BZ2_NVMLBWP), BZ2_NVM_WP_FIELD);
    assert_int_equal(nvmm_rd(m, BZ2_NVMUBWP), BZ2_NVM_WP_FIELD);
    unlock();
    nvmm_wr(m, BZ2_NVMLBWP + BZ2_CLR, 1u); /* the application cannot unprotect page 0 */
    assert_int_equal(m->rule[NVMM_LOCKED], 1);
    quad(0x00000100u, 0u);
    assert_int_equal(m->rule[NVMM_PROTECTED], 1);
    assert_int_equal(m->bfm[0x100], 0xFF);
}

/* Microchip's PDS started a page erase from its task and returned (its plib does not wait);
 * our task runs next: every driver entry waits for it, none touches a register or reads the
 * array meanwhile. */
static void pds_starts_an_erase(void)
{
    nvmm_wr(m, BZ2_NVMADDR, BO_BZ2_PDS_ADDR);
    select_op(BZ2_NVMOP_PAGE_ERASE);
    unlock();
    nvmm_wr(m, BZ2_NVMCONSET, BZ2_NVMCON_WR);
    m->busy_polls = 50;
}

static void bz2_nvm_waits_for_another_drivers_operation(void **state)
{
    const bo_flash_t *f = drv();
    uint8_t d[16] = {9}, b[16];
    pds_starts_an_erase();
    assert_int_equal(f->prog(f->ctx, A, d, 16), BO_OK);
    pds_starts_an_erase();
    assert_int_equal(f->erase(f->ctx, A + 4096u), BO_OK);
    pds_starts_an_erase();
    assert_int_equal(f->read(f->ctx, A, b, 16), BO_OK);
    assert_memory_equal(b, d, 16);
    assert_int_equal(m->ops[BZ2_NVMOP_PAGE_ERASE], 4);
    assert_int_equal(nvmm_violations(m), 0);
}

static void bz2_nvm_leaves_the_flash_interrupt_to_its_owner(void **state)
{
    const bo_flash_t *f = drv();
    nvmm_wr(m, BZ2_NVIC_ISER0, 1u << BZ2_FLASH_CONTROL_IRQN); /* PDS's plib enabled it */
    assert_int_equal(f->erase(f->ctx, A), BO_OK);
    assert_int_equal(m->flash_irq_on_starts, 0); /* held off during ours */
    assert_true(nvmm_rd(m, BZ2_NVIC_ISER0) & (1u << BZ2_FLASH_CONTROL_IRQN)); /* and back on */
    assert_int_equal(m->starts, m->irq_masked_starts);
    assert_int_equal(nvmm_violations(m), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(nvm_model_rule_wrong_unlock, setup, teardown),
        cmocka_unit_test_setup_teardown(nvm_model_rule_wrong_opcode, setup, teardown),
        cmocka_unit_test_setup_teardown(nvm_model_rule_misaligned_address, setup, teardown),
        cmocka_unit_test_setup_teardown(nvm_model_rule_programming_a_non_erased_unit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(nvm_model_rule_protected_page, setup, teardown),
        cmocka_unit_test_setup_teardown(nvm_model_rule_busy_controller, setup, teardown),
        cmocka_unit_test_setup_teardown(nvm_model_rule_stale_cache_and_row_source, setup, teardown),
        cmocka_unit_test_setup_teardown(bz2_nvm_uses_rows_for_aligned_sram_sources, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(bz2_nvm_never_programs_an_all_ff_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(bz2_nvm_reports_a_controller_error_and_clears_it, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(bz2_nvm_write_protection_holds_until_reset, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(bz2_nvm_locks_the_boot_flash, setup, teardown),
        cmocka_unit_test_setup_teardown(bz2_nvm_waits_for_another_drivers_operation, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(bz2_nvm_leaves_the_flash_interrupt_to_its_owner, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
