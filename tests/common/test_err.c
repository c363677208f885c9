#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bleota/endian.h"
#include "bleota/err.h"

static void err_every_code_has_a_distinct_name(void **state)
{
    for (int a = BO_ERR_REFUSED; a <= BO_OK; a++) {
        assert_string_not_equal(bo_err_str(a), "unknown error");
        for (int b = a + 1; b <= BO_OK; b++)
            assert_string_not_equal(bo_err_str(a), bo_err_str(b));
    }
    assert_string_equal(bo_err_str(-999), "unknown error");
    assert_string_equal(bo_err_str(1), "unknown error");
    /* the names sit in code order: the first, one inside and the last */
    assert_string_equal(bo_err_str(BO_OK), "ok");
    assert_string_equal(bo_err_str(BO_ERR_AUTH), "authentication failed");
    assert_string_equal(bo_err_str(BO_ERR_REFUSED), "refused");
}

static void endian_helpers_round_trip(void **state)
{
    uint8_t b[4];
    bo_put_le32(b, 0x9B000000u);
    assert_memory_equal(b, "\x00\x00\x00\x9b", 4);
    assert_int_equal(bo_get_le32(b), 0x9B000000u);
    bo_put_be32(b, 0x01020304u);
    assert_memory_equal(b, "\x01\x02\x03\x04", 4);
    assert_int_equal(bo_get_be32(b), 0x01020304u);
    bo_put_le16(b, 0xCBAB);
    assert_int_equal(b[0], 0xAB);
    assert_int_equal(bo_get_le16(b), 0xCBAB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(err_every_code_has_a_distinct_name),
        cmocka_unit_test(endian_helpers_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
