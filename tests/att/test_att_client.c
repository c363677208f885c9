/* ATT client helpers: requests are well formed and responses are parsed strictly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "att_fixture.h"
#include "bleota/endian.h"

static void att_client_requests_have_the_spec_layout(void **state)
{
    uint8_t b[32];
    bo_att_uuid_t u = bo_att_uuid16(BO_GATT_CHARACTERISTIC);
    uint8_t v[2] = {1, 0};
    assert_int_equal(bo_att_req_mtu(b, sizeof b, 247), 3);
    assert_int_equal(b[0], 0x02);
    assert_int_equal(bo_get_le16(&b[1]), 247);
    assert_int_equal(bo_att_req_read_by_type(b, sizeof b, 0x100, 0xFFFF, &u), 7);
    assert_int_equal(b[0], 0x08);
    assert_int_equal(bo_get_le16(&b[1]), 0x100);
    assert_int_equal(bo_get_le16(&b[3]), 0xFFFF);
    assert_int_equal(bo_get_le16(&b[5]), 0x2803);
    assert_int_equal(bo_att_req_write(b, sizeof b, 0x105, v, 2, false), 5);
    assert_int_equal(b[0], 0x12);
    assert_int_equal(bo_att_req_write(b, sizeof b, 0x107, v, 2, true), 5);
    assert_int_equal(b[0], 0x52);
    assert_int_equal(bo_att_req_read(b, sizeof b, 0x102), 3);
    assert_int_equal(b[0], 0x0A);
    assert_int_equal(bo_att_req_find_info(b, sizeof b, 1, 2), 5);
    assert_int_equal(b[0], 0x04);
}

static void att_client_requests_refuse_small_buffers(void **state)
{
    uint8_t b[8], v[8] = {0};
    bo_att_uuid_t u = bo_att_uuid128(fx_uuid_svc);
    assert_int_equal(bo_att_req_mtu(b, 2, 247), BO_ERR_NOSPACE);
    assert_int_equal(bo_att_req_find_service(b, sizeof b, 1, 0xFFFF, &u), BO_ERR_NOSPACE);
    assert_int_equal(bo_att_req_write(b, sizeof b, 1, v, 6, false), BO_ERR_NOSPACE);
    assert_int_equal(bo_att_req_write(b, sizeof b, 1, v, 5, true), 8);
    u.len = 4;
    assert_int_equal(bo_att_req_read_by_type(b, sizeof b, 1, 2, &u), BO_ERR_ARG);
}

static void att_client_parses_error_and_mtu_responses(void **state)
{
    uint8_t e[5] = {0x01, 0x12, 0x05, 0x01, 0x0F}, m[3] = {0x03, 0x05, 0x02};
    uint8_t op, code;
    uint16_t h, mtu;
    assert_int_equal(bo_att_parse_error(e, 5, &op, &h, &code), BO_OK);
    assert_int_equal(op, 0x12);
    assert_int_equal(h, 0x0105);
    assert_int_equal(code, 0x0F);
    assert_int_equal(bo_att_parse_error(e, 4, &op, &h, &code), BO_ERR_FORMAT);
    assert_int_equal(bo_att_parse_mtu_rsp(m, 3, &mtu), BO_OK);
    assert_int_equal(mtu, 517);
    assert_int_equal(bo_att_parse_mtu_rsp(e, 3, &mtu), BO_ERR_FORMAT);
}

static void att_client_iterator_rejects_malformed_lists(void **state)
{
    bo_att_iter_t it;
    uint8_t bad_fmt[6] = {0x05, 3, 1, 0, 0, 0x28};
    uint8_t ragged[7] = {0x09, 4, 1, 0, 2, 0, 9};
    uint8_t empty[2] = {0x09, 4};
    uint8_t short_rec[4] = {0x09, 1, 1, 0};
    uint8_t group_short[5] = {0x11, 3, 1, 0, 2};
    uint8_t notlist[3] = {0x0B, 1, 2};
    uint8_t fbt[9] = {0x07, 0x00, 0x01, 0xFF, 0xFF, 0x10, 0x00, 0x20, 0x00};
    uint16_t h, l;
    const uint8_t *d;
    assert_int_equal(bo_att_iter_init(&it, bad_fmt, 6), BO_ERR_FORMAT);
    assert_int_equal(bo_att_iter_init(&it, ragged, 7), BO_ERR_FORMAT);
    assert_int_equal(bo_att_iter_init(&it, empty, 2), BO_ERR_FORMAT);
    assert_int_equal(bo_att_iter_init(&it, short_rec, 4), BO_ERR_FORMAT);
    assert_int_equal(bo_att_iter_init(&it, group_short, 5), BO_ERR_FORMAT);
    assert_int_equal(bo_att_iter_init(&it, notlist, 3), BO_ERR_FORMAT);
    assert_int_equal(bo_att_iter_init(&it, fbt, 9), BO_OK);
    assert_int_equal(bo_att_iter_next(&it, &h, &d, &l), BO_OK);
    assert_int_equal(h, 0x0100);
    assert_int_equal(bo_get_le16(d), 0xFFFF);
    assert_int_equal(bo_att_iter_next(&it, &h, &d, &l), BO_OK);
    assert_int_equal(h, 0x0010);
    assert_int_equal(bo_att_iter_next(&it, &h, &d, &l), BO_ERR_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(att_client_requests_have_the_spec_layout),
        cmocka_unit_test(att_client_requests_refuse_small_buffers),
        cmocka_unit_test(att_client_parses_error_and_mtu_responses),
        cmocka_unit_test(att_client_iterator_rejects_malformed_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
