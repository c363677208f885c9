/* ATT server: every request, its error paths, MTU limits, encryption enforcement and GATT
 * discovery over a table holding the OTA service and DIS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "att_fixture.h"
#include "bleota/endian.h"

static fx_t F;
static uint8_t rsp[BO_ATT_MTU_MAX];

static int req(const uint8_t *pdu, uint16_t len)
{
    return bo_att_server_handle(&F.srv, pdu, len, rsp, sizeof rsp);
}

static void assert_error(int n, uint8_t op, uint16_t handle, uint8_t code)
{
    assert_int_equal(n, 5);
    assert_int_equal(rsp[0], BO_ATT_OP_ERROR_RSP);
    assert_int_equal(rsp[1], op);
    assert_int_equal(bo_get_le16(&rsp[2]), handle);
    assert_int_equal(rsp[4], code);
}

static void exchange_mtu(uint16_t client)
{
    uint8_t p[3];
    bo_att_req_mtu(p, 3, client);
    assert_int_equal(req(p, 3), 3);
}

static int setup(void **state)
{
    return fx_setup(&F, 0);
}

static void att_mtu_exchange_takes_the_smaller_of_both(void **state)
{
    uint8_t p[3] = {BO_ATT_OP_MTU_REQ, 0x05, 0x02}; /* client 517 */
    assert_int_equal(F.srv.mtu, 23);
    assert_int_equal(req(p, 3), 3);
    assert_int_equal(rsp[0], BO_ATT_OP_MTU_RSP);
    assert_int_equal(bo_get_le16(&rsp[1]), BO_ATT_MTU_DEFAULT);
    assert_int_equal(F.srv.mtu, 247);
    exchange_mtu(100);
    assert_int_equal(F.srv.mtu, 100);
    exchange_mtu(5); /* below the LE minimum: stays usable */
    assert_int_equal(F.srv.mtu, 23);
}

static void att_mtu_max_is_configurable_up_to_517(void **state)
{
    bo_att_server_cfg_t cfg = F.srv.cfg;
    bo_att_server_t s;
    cfg.mtu_max = 517;
    assert_int_equal(bo_att_server_init(&F.srv, &cfg), BO_OK);
    exchange_mtu(517);
    assert_int_equal(F.srv.mtu, 517);
    cfg.mtu_max = 518;
    assert_int_equal(bo_att_server_init(&s, &cfg), BO_ERR_ARG);
    cfg.mtu_max = 22;
    assert_int_equal(bo_att_server_init(&s, &cfg), BO_ERR_ARG);
}

static void att_mtu_request_of_wrong_length_is_invalid_pdu(void **state)
{
    uint8_t p[4] = {BO_ATT_OP_MTU_REQ, 0xF7, 0x00, 0x00};
    assert_error(req(p, 4), BO_ATT_OP_MTU_REQ, 0, BO_ATT_ERR_INVALID_PDU);
    assert_int_equal(F.srv.mtu, 23);
}

static void att_pdu_longer_than_mtu_is_invalid_pdu(void **state)
{
    uint8_t p[30] = {0}, v[21] = {0};
    bo_att_server_set_encrypted(&F.srv, true);
    bo_att_req_write(p, sizeof p, F.h_ctrl, v, 21, false); /* 24 bytes > MTU 23 */
    assert_error(req(p, 24), BO_ATT_OP_WRITE_REQ, 0, BO_ATT_ERR_INVALID_PDU);
    assert_int_equal(F.writes, 0);
    bo_att_req_write(p, sizeof p, F.h_data, v, 21, true);
    assert_int_equal(req(p, 24), 0); /* a command is dropped silently */
    assert_int_equal(F.writes, 0);
    exchange_mtu(247);
    bo_att_req_write(p, sizeof p, F.h_ctrl, v, 21, false);
    assert_int_equal(req(p, 24), 1);
    assert_int_equal(F.writes, 1);
}

static void att_read_by_group_lists_primary_services_one_uuid_size_at_a_time(void **state)
{
    uint8_t p[7];
    bo_att_uuid_t prim = bo_att_uuid16(BO_GATT_PRIMARY_SERVICE);
    int n;
    exchange_mtu(247);
    bo_att_req_read_by_group(p, 7, 1, 0xFFFF, &prim);
    n = req(p, 7);
    assert_int_equal(n, 2 + 6); /* DIS only: the OTA record has another length */
    assert_int_equal(rsp[0], BO_ATT_OP_READ_BY_GROUP_RSP);
    assert_int_equal(rsp[1], 6);
    assert_int_equal(bo_get_le16(&rsp[2]), F.h_dis);
    assert_int_equal(bo_get_le16(&rsp[4]), F.h_fwrev);
    assert_int_equal(bo_get_le16(&rsp[6]), BO_GATT_DIS);
    bo_att_req_read_by_group(p, 7, (uint16_t)(F.h_fwrev + 1), 0xFFFF, &prim);
    n = req(p, 7);
    assert_int_equal(n, 2 + 20);
    assert_int_equal(bo_get_le16(&rsp[2]), F.h_svc);
    assert_int_equal(bo_get_le16(&rsp[4]), 0xFFFF); /* last group ends at the end */
    assert_memory_equal(&rsp[6], fx_uuid_svc, 16);
    bo_att_req_read_by_group(p, 7, (uint16_t)(F.h_svc + 1), 0xFFFF, &prim);
    assert_error(req(p, 7), BO_ATT_OP_READ_BY_GROUP_REQ, F.h_svc + 1, BO_ATT_ERR_ATTR_NOT_FOUND);
}

static void att_read_by_group_of_a_non_grouping_type_is_refused(void **state)
{
    uint8_t p[7];
    bo_att_uuid_t t = bo_att_uuid16(BO_GATT_CHARACTERISTIC);
    bo_att_req_read_by_group(p, 7, 1, 0xFFFF, &t);
    assert_error(req(p, 7), BO_ATT_OP_READ_BY_GROUP_REQ, 1, BO_ATT_ERR_UNSUPPORTED_GROUP);
}

static void att_find_by_type_value_finds_the_ota_service_by_uuid(void **state)
{
    uint8_t p[23];
    bo_att_uuid_t svc = bo_att_uuid128(fx_uuid_svc);
    bo_att_uuid_t dis = bo_att_uuid16(BO_GATT_DIS);
    int n = bo_att_req_find_service(p, sizeof p, 1, 0xFFFF, &svc);
    assert_int_equal(n, 23);
    assert_int_equal(req(p, (uint16_t)n), 5);
    assert_int_equal(rsp[0], BO_ATT_OP_FIND_BY_TYPE_RSP);
    assert_int_equal(bo_get_le16(&rsp[1]), 0x0100);
    assert_int_equal(bo_get_le16(&rsp[3]), 0xFFFF);
    n = bo_att_req_find_service(p, sizeof p, 1, 0xFFFF, &dis);
    assert_int_equal(req(p, (uint16_t)n), 5);
    assert_int_equal(bo_get_le16(&rsp[1]), F.h_dis);
    assert_int_equal(bo_get_le16(&rsp[3]), F.h_fwrev); /* group ends before the next service */
}

static void att_find_by_type_value_of_an_absent_uuid_is_not_found(void **state)
{
    uint8_t p[23], other[16];
    bo_att_uuid_t u;
    int n;
    memcpy(other, fx_uuid_svc, 16);
    other[0] ^= 1;
    u = bo_att_uuid128(other);
    n = bo_att_req_find_service(p, sizeof p, 1, 0xFFFF, &u);
    assert_error(req(p, (uint16_t)n), BO_ATT_OP_FIND_BY_TYPE_REQ, 1, BO_ATT_ERR_ATTR_NOT_FOUND);
    u = bo_att_uuid128(fx_uuid_svc);
    n = bo_att_req_find_service(p, sizeof p, 0x0101, 0xFFFF, &u); /* range after it */
    assert_error(req(p, (uint16_t)n), BO_ATT_OP_FIND_BY_TYPE_REQ, 0x0101,
                 BO_ATT_ERR_ATTR_NOT_FOUND);
    assert_error(req(p, 6), BO_ATT_OP_FIND_BY_TYPE_REQ, 0, BO_ATT_ERR_INVALID_PDU);
}

static void att_read_by_type_lists_the_ota_characteristics(void **state)
{
    uint8_t p[7];
    bo_att_uuid_t t = bo_att_uuid16(BO_GATT_CHARACTERISTIC);
    bo_att_iter_t it;
    uint16_t h, l;
    const uint8_t *d;
    int n;
    exchange_mtu(247);
    bo_att_req_read_by_type(p, 7, F.h_svc, 0xFFFF, &t);
    n = req(p, 7);
    assert_int_equal(n, 2 + 3 * 21);
    assert_int_equal(bo_att_iter_init(&it, rsp, (uint16_t)n), BO_OK);
    assert_int_equal(bo_att_iter_next(&it, &h, &d, &l), BO_OK);
    assert_int_equal(h, 0x0101);
    assert_int_equal(l, 19);
    assert_int_equal(d[0], BO_GATT_PROP_READ);
    assert_int_equal(bo_get_le16(&d[1]), F.h_feat);
    assert_memory_equal(&d[3], fx_uuid_feat, 16);
    assert_int_equal(bo_att_iter_next(&it, &h, &d, &l), BO_OK);
    assert_int_equal(bo_get_le16(&d[1]), F.h_ctrl);
    assert_int_equal(d[0], BO_GATT_PROP_WRITE | BO_GATT_PROP_NOTIFY);
    assert_int_equal(bo_att_iter_next(&it, &h, &d, &l), BO_OK);
    assert_int_equal(bo_get_le16(&d[1]), F.h_data);
    assert_memory_equal(&d[3], fx_uuid_data, 16);
    assert_int_equal(bo_att_iter_next(&it, &h, &d, &l), BO_ERR_NOTFOUND);
}

static void att_read_by_type_fills_at_most_one_mtu(void **state)
{
    uint8_t p[7];
    bo_att_uuid_t t = bo_att_uuid16(BO_GATT_CHARACTERISTIC);
    bo_att_req_read_by_type(p, 7, F.h_svc, 0xFFFF, &t);
    assert_int_equal(req(p, 7), 2 + 21); /* MTU 23: one record per response */
    assert_int_equal(bo_get_le16(&rsp[2]), 0x0101);
    bo_att_req_read_by_type(p, 7, 0x0102, 0xFFFF, &t);
    assert_int_equal(req(p, 7), 2 + 21);
    assert_int_equal(bo_get_le16(&rsp[2]), 0x0103);
    assert_error(req(p, 8), BO_ATT_OP_READ_BY_TYPE_REQ, 0, BO_ATT_ERR_INVALID_PDU);
}

static void att_read_by_type_of_a_protected_value_needs_pairing(void **state)
{
    uint8_t p[21];
    bo_att_uuid_t t = bo_att_uuid128(fx_uuid_feat);
    int n = bo_att_req_read_by_type(p, sizeof p, 1, 0xFFFF, &t);
    assert_int_equal(n, 21);
    assert_error(req(p, (uint16_t)n), BO_ATT_OP_READ_BY_TYPE_REQ, F.h_feat,
                 BO_ATT_ERR_INSUFFICIENT_ENC);
    assert_int_equal(F.reads, 0);
    bo_att_server_set_encrypted(&F.srv, true);
    F.value[0] = 1;
    F.value[1] = 1;
    F.value_len = 2;
    assert_int_equal(req(p, (uint16_t)n), 2 + 4);
    assert_int_equal(rsp[1], 4);
    assert_int_equal(bo_get_le16(&rsp[2]), F.h_feat);
    assert_int_equal(rsp[4], 1);
    assert_int_equal(F.reads, 1);
}

static void att_find_information_lists_descriptors_and_their_uuids(void **state)
{
    uint8_t p[5];
    bo_att_iter_t it;
    uint16_t h, l;
    const uint8_t *d;
    int n;
    bo_att_req_find_info(p, 5, (uint16_t)(F.h_ctrl + 1), (uint16_t)(F.h_data - 2));
    n = req(p, 5);
    assert_int_equal(n, 2 + 4);
    assert_int_equal(rsp[1], 1);
    assert_int_equal(bo_att_iter_init(&it, rsp, (uint16_t)n), BO_OK);
    assert_int_equal(bo_att_iter_next(&it, &h, &d, &l), BO_OK);
    assert_int_equal(h, F.h_ctrl_cccd);
    assert_int_equal(bo_get_le16(d), BO_GATT_CCCD);
    bo_att_req_find_info(p, 5, F.h_data, F.h_data); /* a 128-bit type: format 2 */
    n = req(p, 5);
    assert_int_equal(n, 2 + 18);
    assert_int_equal(rsp[1], 2);
    assert_memory_equal(&rsp[4], fx_uuid_data, 16);
}

static void att_find_information_with_a_bad_range_is_refused(void **state)
{
    uint8_t p[5];
    bo_att_req_find_info(p, 5, 0, 5);
    assert_error(req(p, 5), BO_ATT_OP_FIND_INFO_REQ, 0, BO_ATT_ERR_INVALID_HANDLE);
    bo_att_req_find_info(p, 5, 9, 8);
    assert_error(req(p, 5), BO_ATT_OP_FIND_INFO_REQ, 9, BO_ATT_ERR_INVALID_HANDLE);
    bo_att_req_find_info(p, 5, 0x0200, 0xFFFF);
    assert_error(req(p, 5), BO_ATT_OP_FIND_INFO_REQ, 0x0200, BO_ATT_ERR_ATTR_NOT_FOUND);
    assert_error(req(p, 4), BO_ATT_OP_FIND_INFO_REQ, 0, BO_ATT_ERR_INVALID_PDU);
}

static void att_read_returns_the_dis_firmware_revision_without_pairing(void **state)
{
    uint8_t p[3];
    bo_att_req_read(p, 3, F.h_fwrev);
    assert_int_equal(req(p, 3), 1 + 7);
    assert_int_equal(rsp[0], BO_ATT_OP_READ_RSP);
    assert_memory_equal(&rsp[1], "1.0.0.0", 7);
    assert_error(req(p, 2), BO_ATT_OP_READ_REQ, 0, BO_ATT_ERR_INVALID_PDU);
}

static void att_read_truncates_to_mtu_minus_one(void **state)
{
    uint8_t p[3];
    bo_att_server_set_encrypted(&F.srv, true);
    memset(F.value, 0xAB, sizeof F.value);
    F.value_len = 600;
    bo_att_req_read(p, 3, F.h_feat);
    assert_int_equal(req(p, 3), 23);
    exchange_mtu(517);
    assert_int_equal(req(p, 3), 247);
}

static void att_read_of_an_unknown_or_write_only_handle_fails(void **state)
{
    uint8_t p[3];
    bo_att_req_read(p, 3, 0x0050);
    assert_error(req(p, 3), BO_ATT_OP_READ_REQ, 0x0050, BO_ATT_ERR_INVALID_HANDLE);
    bo_att_req_read(p, 3, 0);
    assert_error(req(p, 3), BO_ATT_OP_READ_REQ, 0, BO_ATT_ERR_INVALID_HANDLE);
    bo_att_req_read(p, 3, F.h_ctrl);
    assert_error(req(p, 3), BO_ATT_OP_READ_REQ, F.h_ctrl, BO_ATT_ERR_READ_NOT_PERMITTED);
}

static void att_encryption_is_enforced_until_paired_and_again_after_reconnect(void **state)
{
    uint8_t p[5] = {0};
    uint8_t on[2] = {1, 0};
    bo_att_req_read(p, 3, F.h_feat);
    assert_error(req(p, 3), BO_ATT_OP_READ_REQ, F.h_feat, BO_ATT_ERR_INSUFFICIENT_ENC);
    bo_att_req_write(p, 5, F.h_ctrl_cccd, on, 2, false);
    assert_error(req(p, 5), BO_ATT_OP_WRITE_REQ, F.h_ctrl_cccd, BO_ATT_ERR_INSUFFICIENT_ENC);
    assert_int_equal(F.writes, 0);
    bo_att_server_set_encrypted(&F.srv, true);
    assert_int_equal(req(p, 5), 1);
    assert_int_equal(rsp[0], BO_ATT_OP_WRITE_RSP);
    assert_int_equal(F.writes, 1);
    bo_att_server_connected(&F.srv);
    assert_false(F.srv.encrypted);
    assert_error(req(p, 5), BO_ATT_OP_WRITE_REQ, F.h_ctrl_cccd, BO_ATT_ERR_INSUFFICIENT_ENC);
}

static void att_write_request_reaches_the_service_and_its_status_is_returned(void **state)
{
    uint8_t p[8];
    uint8_t v[5] = {0x03, 0x01, 2, 3, 4};
    bo_att_server_set_encrypted(&F.srv, true);
    bo_att_req_write(p, 8, F.h_ctrl, v, 2, false);
    assert_int_equal(req(p, 5), 1);
    assert_int_equal(F.last_write_handle, F.h_ctrl);
    assert_int_equal(F.last_write_len, 2);
    assert_memory_equal(F.last_write, v, 2);
    assert_false(F.last_write_cmd);
    F.write_status = BO_ATT_ERR_APP;
    assert_error(req(p, 5), BO_ATT_OP_WRITE_REQ, F.h_ctrl, BO_ATT_ERR_APP);
    F.write_status = 0;
    assert_error(req(p, 2), BO_ATT_OP_WRITE_REQ, 0, BO_ATT_ERR_INVALID_PDU);
}

static void att_write_to_a_read_only_or_missing_attribute_is_refused(void **state)
{
    uint8_t p[8], v[2] = {1, 0};
    bo_att_server_set_encrypted(&F.srv, true);
    bo_att_req_write(p, 8, F.h_fwrev, v, 2, false);
    assert_error(req(p, 5), BO_ATT_OP_WRITE_REQ, F.h_fwrev, BO_ATT_ERR_WRITE_NOT_PERMITTED);
    bo_att_req_write(p, 8, F.h_svc, v, 2, false);
    assert_error(req(p, 5), BO_ATT_OP_WRITE_REQ, F.h_svc, BO_ATT_ERR_WRITE_NOT_PERMITTED);
    bo_att_req_write(p, 8, F.h_feat, v, 2, false);
    assert_error(req(p, 5), BO_ATT_OP_WRITE_REQ, F.h_feat, BO_ATT_ERR_WRITE_NOT_PERMITTED);
    bo_att_req_write(p, 8, 0x0300, v, 2, false);
    assert_error(req(p, 5), BO_ATT_OP_WRITE_REQ, 0x0300, BO_ATT_ERR_INVALID_HANDLE);
    assert_int_equal(F.writes, 0);
}

static void att_write_command_is_never_answered(void **state)
{
    uint8_t p[30], v[20];
    memset(v, 0x5A, sizeof v);
    bo_att_req_write(p, sizeof p, F.h_data, v, 20, true);
    assert_int_equal(req(p, 23), 0); /* not paired: dropped, no error PDU */
    assert_int_equal(F.writes, 0);
    bo_att_server_set_encrypted(&F.srv, true);
    F.write_status = BO_ATT_ERR_APP;
    assert_int_equal(req(p, 23), 0);
    assert_int_equal(F.writes, 1);
    assert_true(F.last_write_cmd);
    assert_int_equal(F.last_write_len, 20);
    bo_att_req_write(p, sizeof p, F.h_ctrl, v, 2, true); /* no Write Command permission */
    assert_int_equal(req(p, 5), 0);
    assert_int_equal(F.writes, 1);
    assert_int_equal(req(p, 2), 0);
}

static void att_unknown_requests_are_not_supported_and_other_pdus_ignored(void **state)
{
    uint8_t blob[5] = {0x0C, 0x02, 0x01, 0x00, 0x00};
    uint8_t other[3] = {0x20, 0x00, 0x00};
    uint8_t cmd[3] = {0x7F, 0x01, 0x00};
    uint8_t notif[4] = {BO_ATT_OP_NOTIFY, 0x04, 0x01, 0x00};
    uint8_t conf[1] = {0x1E};
    uint8_t ctrl[2] = {BO_LINK_CTRL, BO_LINK_CTRL_PAIR_REQ};
    assert_error(req(blob, 5), 0x0C, 0, BO_ATT_ERR_REQ_NOT_SUPPORTED);
    assert_error(req(other, 3), 0x20, 0, BO_ATT_ERR_REQ_NOT_SUPPORTED);
    assert_int_equal(req(cmd, 3), 0);
    assert_int_equal(req(notif, 4), 0);
    assert_int_equal(req(conf, 1), 0);
    assert_int_equal(req(ctrl, 2), 0);
    assert_int_equal(req(NULL, 0), 0);
    assert_int_equal(bo_att_server_handle(&F.srv, blob, 5, rsp, 22), BO_ERR_ARG);
}

static void att_notification_must_fit_the_negotiated_mtu(void **state)
{
    uint8_t out[BO_ATT_MTU_MAX], v[300];
    memset(v, 7, sizeof v);
    assert_int_equal(bo_att_server_notify(&F.srv, F.h_data, v, 1, out, sizeof out), 4);
    assert_int_equal(out[0], BO_ATT_OP_NOTIFY);
    assert_int_equal(bo_get_le16(&out[1]), F.h_data);
    assert_int_equal(out[3], 7);
    assert_int_equal(bo_att_server_notify(&F.srv, F.h_data, v, 20, out, sizeof out), 23);
    assert_int_equal(bo_att_server_notify(&F.srv, F.h_data, v, 21, out, sizeof out), BO_ERR_RANGE);
    exchange_mtu(247);
    assert_int_equal(bo_att_server_notify(&F.srv, F.h_data, v, 244, out, sizeof out), 247);
    assert_int_equal(bo_att_server_notify(&F.srv, F.h_data, v, 244, out, 100), BO_ERR_RANGE);
}

static void att_db_refuses_what_does_not_fit(void **state)
{
    bo_att_attr_t a[3];
    bo_att_db_t db;
    bo_att_uuid_t u = bo_att_uuid16(0x1234);
    assert_int_equal(bo_att_db_init(&db, a, 3, 0), BO_ERR_ARG);
    assert_int_equal(bo_att_db_init(&db, a, 3, 0xFFFE), BO_OK);
    assert_int_equal(bo_att_db_add_service(&db, &u), 0xFFFE);
    assert_int_equal(bo_att_db_add_char(&db, &u, 0, BO_ATT_PERM_READ, NULL, 0),
                     BO_ERR_NOSPACE /* handles ran out */);
    assert_int_equal(db.count, 1);
    assert_int_equal(bo_att_db_skip_to(&db, 0x0010), BO_ERR_ARG);
    assert_int_equal(bo_att_db_init(&db, a, 2, 1), BO_OK);
    assert_int_equal(bo_att_db_add_service(&db, &u), 1);
    assert_int_equal(bo_att_db_add_char(&db, &u, 0, BO_ATT_PERM_READ, NULL, 0), BO_ERR_NOSPACE);
    assert_int_equal(bo_att_db_add_cccd(&db, 0), 2);
    assert_int_equal(bo_att_db_add_cccd(&db, 0), BO_ERR_NOSPACE);
    u.len = 3;
    assert_int_equal(bo_att_db_add_service(&db, &u), BO_ERR_ARG);
}

static void att_uuid16_equals_its_base_uuid128_form(void **state)
{
    uint8_t b[16] = {0xFB, 0x34, 0x9B, 0x5F, 0x80, 0x00, 0x00, 0x80,
                     0x00, 0x10, 0x00, 0x00, 0x0A, 0x18, 0x00, 0x00};
    bo_att_uuid_t a = bo_att_uuid16(BO_GATT_DIS), c = bo_att_uuid128(b);
    assert_true(bo_att_uuid_eq(&a, &c));
    b[12] = 0x0B;
    c = bo_att_uuid128(b);
    assert_false(bo_att_uuid_eq(&a, &c));
}

#define T(f) cmocka_unit_test_setup(f, setup)
int main(void)
{
    const struct CMUnitTest tests[] = {
        T(att_mtu_exchange_takes_the_smaller_of_both),
        T(att_mtu_max_is_configurable_up_to_517),
        T(att_mtu_request_of_wrong_length_is_invalid_pdu),
        T(att_pdu_longer_than_mtu_is_invalid_pdu),
        T(att_read_by_group_lists_primary_services_one_uuid_size_at_a_time),
        T(att_read_by_group_of_a_non_grouping_type_is_refused),
        T(att_find_by_type_value_finds_the_ota_service_by_uuid),
        T(att_find_by_type_value_of_an_absent_uuid_is_not_found),
        T(att_read_by_type_lists_the_ota_characteristics),
        T(att_read_by_type_fills_at_most_one_mtu),
        T(att_read_by_type_of_a_protected_value_needs_pairing),
        T(att_find_information_lists_descriptors_and_their_uuids),
        T(att_find_information_with_a_bad_range_is_refused),
        T(att_read_returns_the_dis_firmware_revision_without_pairing),
        T(att_read_truncates_to_mtu_minus_one),
        T(att_read_of_an_unknown_or_write_only_handle_fails),
        T(att_encryption_is_enforced_until_paired_and_again_after_reconnect),
        T(att_write_request_reaches_the_service_and_its_status_is_returned),
        T(att_write_to_a_read_only_or_missing_attribute_is_refused),
        T(att_write_command_is_never_answered),
        T(att_unknown_requests_are_not_supported_and_other_pdus_ignored),
        T(att_notification_must_fit_the_negotiated_mtu),
        T(att_db_refuses_what_does_not_fit),
        T(att_uuid16_equals_its_base_uuid128_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
