/* Acceptance 2 (issue 14): the PIC32CX-BZ2 NVM driver, on the register model of the controller,
 * passes the same flash-contract tests as the posix NOR model, and leaves every rule of the
 * model unbroken while doing so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/pic32cxbz2/board.h"
#include "bleota/posix/nor.h"
#include "flash_contract.h"
#include "nvm_model.h"

static bo_nor_t nor;
static nvmm_t *model;

static const bo_flash_t *posix_open(void)
{
    return bo_nor_open(&nor, NULL, 0x01000000u, 0x00100000u, 4096u, 16u) == BO_OK ? &nor.flash
                                                                                  : NULL;
}

static void posix_close(void)
{
    bo_nor_close(&nor);
}

static const bo_flash_t *bz2_open(void)
{
    if (model == NULL)
        model = malloc(sizeof *model);
    nvmm_reset(model);
    bo_bz2_nvm_init();
    return bo_bz2_flash();
}

/* The driver followed every rule of the controller, whatever the test did. */
static void bz2_close(void)
{
    for (unsigned r = 0; r < NVMM_RULES; r++) {
        if (model->rule[r] != 0u)
            fail_msg("NVM model rule broken %u times: %s", model->rule[r],
                     nvmm_rule_name((nvmm_rule_t)r));
    }
    assert_int_equal(model->starts, model->irq_masked_starts); /* never interruptible */
}

static int run(fc_target_t *t)
{
    struct CMUnitTest *tests = calloc(fc_case_count, sizeof *tests);
    char(*names)[128] = calloc(fc_case_count, sizeof *names);
    for (size_t i = 0; i < fc_case_count; i++) {
        snprintf(names[i], sizeof names[i], "%s_%s", t->name, fc_cases[i].name);
        tests[i].name = names[i];
        tests[i].test_func = fc_cases[i].fn;
        tests[i].setup_func = fc_setup;
        tests[i].teardown_func = fc_teardown;
        tests[i].initial_state = t;
    }
    int rc = _cmocka_run_group_tests(t->name, tests, fc_case_count, NULL, NULL);
    free(tests);
    free(names);
    return rc;
}

int main(void)
{
    fc_target_t posix = {"posix_nor", posix_open, posix_close, NULL};
    fc_target_t bz2 = {"bz2_nvm", bz2_open, bz2_close, NULL};
    int rc = run(&posix);
    rc |= run(&bz2);
    free(model);
    return rc;
}
