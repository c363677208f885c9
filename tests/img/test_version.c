/* img: version text <-> u32 and the payload size limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/img.h"

static void img_version_valid_text_round_trips(void **state)
{
    static const struct {
        const char *text;
        uint32_t val;
    } ok[] = {
        {"1.1.0.0", 0x01010000u}, {"255.255.255.255", 0xFFFFFFFFu}, {"0.0.0.0", 0u},
        {"1.0.0.1", 0x01000001u}, {"10.20.30.40", 0x0A141E28u},     {"100.9.99.199", 0x640963C7u},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        uint32_t v = 0xDEADBEEFu;
        assert_int_equal(bo_version_parse(ok[i].text, &v), BO_OK);
        assert_int_equal(v, ok[i].val);
        char buf[16];
        assert_string_equal(bo_version_format(v, buf), ok[i].text);
    }
}

static void img_version_bad_text_is_refused(void **state)
{
    static const char *const bad[] = {
        "256.0.0.0", "1.2.3",    "1..2.3",    "a.b.c.d",   "01.2.3.4",
        "1.2.3.4.5", "1.2.3.4.", ".1.2.3.4",  "",          "1.2.3.-4",
        "1.2.3.+4",  " 1.2.3.4", "1.2.3.4 ",  "1.2.3.00",  "1000.0.0.0",
        "1.2.3.4x",  "1,2,3,4",  "0x1.2.3.4", "1.2.3.256", "4294967297.0.0.0",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t v = 0xDEADBEEFu;
        assert_int_equal(bo_version_parse(bad[i], &v), BO_ERR_FORMAT);
        assert_int_equal(v, 0xDEADBEEFu);
    }
    uint32_t v;
    assert_int_equal(bo_version_parse(NULL, &v), BO_ERR_ARG);
    assert_int_equal(bo_version_parse("1.2.3.4", NULL), BO_ERR_ARG);
}

static void img_version_format_longest_fits_16(void **state)
{
    char buf[16];
    memset(buf, 'x', sizeof buf);
    bo_version_format(0xFFFFFFFFu, buf);
    assert_int_equal(strlen(buf), 15);
    assert_string_equal(bo_version_format(0x01000000u, buf), "1.0.0.0");
}

static void img_payload_size_limits(void **state)
{
    assert_int_equal(bo_img_check_payload_size(0), BO_ERR_RANGE);
    assert_int_equal(bo_img_check_payload_size(16), BO_OK);
    assert_int_equal(bo_img_check_payload_size(507904), BO_OK);
    assert_int_equal(bo_img_check_payload_size(507920), BO_ERR_RANGE);
    assert_int_equal(bo_img_check_payload_size(17), BO_ERR_ALIGN);
    assert_int_equal(bo_img_check_payload_size(507888 + 8), BO_ERR_ALIGN);
    assert_int_equal(bo_img_check_payload_size(0xFFFFFFF0u), BO_ERR_RANGE);
    assert_int_equal(bo_img_check_payload_size(172080), BO_OK); /* the BLE fixture */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(img_version_valid_text_round_trips),
        cmocka_unit_test(img_version_bad_text_is_refused),
        cmocka_unit_test(img_version_format_longest_fits_16),
        cmocka_unit_test(img_payload_size_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
