/* bo_crc32 is the IEEE CRC-32: the standard check value, the empty input, and one flipped bit
 * changes it (what the resume log relies on to reject a torn entry). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bleota/crc32.h"

static void crc32_matches_the_ieee_check_value(void **state)
{
    (void)state;
    assert_int_equal(bo_crc32((const uint8_t *)"123456789", 9), 0xCBF43926u);
    assert_int_equal(bo_crc32((const uint8_t *)"", 0), 0x00000000u);
}

static void crc32_changes_with_any_flipped_bit(void **state)
{
    (void)state;
    uint8_t buf[76] = {0};
    uint32_t ref = bo_crc32(buf, sizeof buf);
    for (size_t i = 0; i < sizeof buf * 8u; i++) {
        buf[i / 8u] ^= (uint8_t)(1u << (i % 8u));
        assert_int_not_equal(bo_crc32(buf, sizeof buf), ref);
        buf[i / 8u] ^= (uint8_t)(1u << (i % 8u));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc32_matches_the_ieee_check_value),
        cmocka_unit_test(crc32_changes_with_any_flipped_bit),
    };
    return cmocka_run_group_tests_name("common_crc32", tests, NULL, NULL);
}
