/* The flash port contract (include/bleota/port.h, docs/porting.md) as cmocka tests over any
 * bo_flash_t covering BZ2's program flash (0x01000000, 1 MiB, 4 KiB pages, 16-byte units).
 * The same list runs against the posix NOR model and against the PIC32CX-BZ2 NVM driver on
 * the register model (test_flash_contract.c). */
#ifndef BO_TEST_BZ2_FLASH_CONTRACT_H
#define BO_TEST_BZ2_FLASH_CONTRACT_H

#include <stddef.h>
#include "bleota/port.h"

/* cmocka state of every contract test: the flash under test, reset to all-erased by setup. */
typedef struct fc_target {
    const char *name;
    const bo_flash_t *(*open)(void); /* a factory-fresh flash (all 0xFF) */
    void (*close)(void);             /* asserts the target's own invariants (no violations) */
    const bo_flash_t *flash;
} fc_target_t;

int fc_setup(void **state);
int fc_teardown(void **state);

/* One entry per contract rule (each a CMUnitTest test_func). */
extern const struct fc_case {
    const char *name;
    void (*fn)(void **state);
} fc_cases[];
extern const size_t fc_case_count;

#endif
