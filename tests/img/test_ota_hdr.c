/* img: the 16-byte OTA file header and its checksum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "bleota/img.h"
#include "fixture.h"

static void img_ota_hdr_of_fixture_parses_to_readme_facts(void **state)
{
    size_t len = 0;
    uint8_t *f = fixture_load(FIX_OTA, &len);
    assert_non_null(f);
    assert_int_equal(len, 172096);
    bo_ota_hdr_t h;
    assert_int_equal(bo_ota_hdr_parse(f, &h), BO_OK);
    assert_int_equal(h.header_ver, 1);
    assert_int_equal(h.enc, BO_OTA_ENC_AES_CBC);
    assert_int_equal(h.checksum, 0xCBAB);
    assert_int_equal(h.image_id, 0x9B000000u);
    assert_int_equal(h.version, 0x01010000u);
    assert_int_equal(h.file_type, BO_OTA_FILE_BLE);
    free(f);
}

static void img_ota_checksum_of_fixture_is_cbab(void **state)
{
    size_t len = 0;
    uint8_t *f = fixture_load(FIX_OTA, &len);
    assert_non_null(f);
    /* Byte sum of everything but the checksum field, plus the field's value, is zero... */
    uint16_t all = bo_sum16(bo_sum16(0, f, 2), f + 4, len - 4);
    assert_int_equal((uint16_t)(all + (f[2] | f[3] << 8)), 0);
    /* ...and recomputing it with the field zeroed, in two chained parts, gives 0xCBAB. */
    f[2] = 0;
    f[3] = 0;
    uint16_t s = bo_sum16(0, f, BO_OTA_HDR_SIZE);
    s = bo_sum16(s, f + BO_OTA_HDR_SIZE, len - BO_OTA_HDR_SIZE);
    assert_int_equal(s, all);
    assert_int_equal(bo_ota_checksum_for(s), 0xCBAB);
    free(f);
}

static void img_ota_checksum_for_zero_sum_is_zero(void **state)
{
    /* Microchip's tool would try to store 0x10000 here; 0 keeps the file sum at 0. */
    assert_int_equal(bo_ota_checksum_for(0), 0);
    assert_int_equal(bo_ota_checksum_for(1), 0xFFFF);
    assert_int_equal(bo_ota_checksum_for(0xFFFF), 1);
    uint8_t b[3] = {0xFF, 0xFF, 0x02}; /* sums to 0x0200 */
    uint16_t s = bo_sum16(0, b, sizeof b);
    assert_int_equal(s, 0x0200);
    assert_int_equal((uint16_t)(s + bo_ota_checksum_for(s)), 0);
}

static void img_ota_hdr_build_parse_round_trip(void **state)
{
    bo_ota_hdr_t in = {BO_OTA_HDR_VER_BZ2, BO_OTA_ENC_NONE, 0x1234,
                       0xA1B2C3D4u,        0x01020304u,     BO_OTA_FILE_BLE};
    uint8_t raw[BO_OTA_HDR_SIZE];
    memset(raw, 0xEE, sizeof raw);
    bo_ota_hdr_build(&in, raw);
    const uint8_t expect[BO_OTA_HDR_SIZE] = {0x01, 0x00, 0x34, 0x12, 0xD4, 0xC3, 0xB2, 0xA1,
                                             0x04, 0x03, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00};
    assert_memory_equal(raw, expect, sizeof raw);
    bo_ota_hdr_t out;
    assert_int_equal(bo_ota_hdr_parse(raw, &out), BO_OK);
    assert_int_equal(out.header_ver, in.header_ver);
    assert_int_equal(out.enc, in.enc);
    assert_int_equal(out.checksum, in.checksum);
    assert_int_equal(out.image_id, in.image_id);
    assert_int_equal(out.version, in.version);
    assert_int_equal(out.file_type, in.file_type);
}

static void img_ota_hdr_each_bad_field_is_refused(void **state)
{
    static const struct {
        unsigned off;
        uint8_t val;
    } bad[] = {
        {0, 0x00},  {0, 0x02},  {0, 0xFF},  /* header version */
        {1, 0x02},  {1, 0xFF},              /* encryption */
        {12, 0x00}, {12, 0x02}, {12, 0x03}, /* file type (combo is out of scope) */
        {13, 0x01}, {14, 0x80}, {15, 0xFF}, /* reserved */
    };
    const uint8_t good[BO_OTA_HDR_SIZE] = {0x01, 0x01, 0xAB, 0xCB, 0,    0, 0, 0x9B,
                                           0,    0,    1,    1,    0x01, 0, 0, 0};
    bo_ota_hdr_t h;
    assert_int_equal(bo_ota_hdr_parse(good, &h), BO_OK);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t raw[BO_OTA_HDR_SIZE];
        memcpy(raw, good, sizeof raw);
        raw[bad[i].off] = bad[i].val;
        h.header_ver = 0x77;
        assert_int_equal(bo_ota_hdr_parse(raw, &h), BO_ERR_FORMAT);
        assert_int_equal(h.header_ver, 0x77); /* untouched on failure */
    }
    assert_int_equal(bo_ota_hdr_parse(NULL, &h), BO_ERR_ARG);
    assert_int_equal(bo_ota_hdr_parse(good, NULL), BO_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(img_ota_hdr_of_fixture_parses_to_readme_facts),
        cmocka_unit_test(img_ota_checksum_of_fixture_is_cbab),
        cmocka_unit_test(img_ota_checksum_for_zero_sum_is_zero),
        cmocka_unit_test(img_ota_hdr_build_parse_round_trip),
        cmocka_unit_test(img_ota_hdr_each_bad_field_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
