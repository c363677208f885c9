/* bleota att: client side, request builders and response parsers. The client's state
 * (what it asked, what it waits for) lives with its user, e.g. tools/otac. */
#include <string.h>
#include "bleota/att.h"
#include "bleota/endian.h"

int bo_att_req_mtu(uint8_t *out, uint16_t cap, uint16_t client_rx_mtu)
{
    if (out == NULL || cap < 3)
        return BO_ERR_NOSPACE;
    out[0] = BO_ATT_OP_MTU_REQ;
    bo_put_le16(&out[1], client_rx_mtu);
    return 3;
}

static int range_req(uint8_t *out, uint16_t cap, uint8_t op, uint16_t start, uint16_t end,
                     const bo_att_uuid_t *type)
{
    uint16_t n = (uint16_t)(5 + (type != NULL ? type->len : 0));
    if (type != NULL && type->len != 2 && type->len != 16)
        return BO_ERR_ARG;
    if (out == NULL || cap < n)
        return BO_ERR_NOSPACE;
    out[0] = op;
    bo_put_le16(&out[1], start);
    bo_put_le16(&out[3], end);
    if (type != NULL)
        memcpy(&out[5], type->b, type->len);
    return n;
}

int bo_att_req_find_info(uint8_t *out, uint16_t cap, uint16_t start, uint16_t end)
{
    return range_req(out, cap, BO_ATT_OP_FIND_INFO_REQ, start, end, NULL);
}

int bo_att_req_find_service(uint8_t *out, uint16_t cap, uint16_t start, uint16_t end,
                            const bo_att_uuid_t *service)
{
    bo_att_uuid_t prim = bo_att_uuid16(BO_GATT_PRIMARY_SERVICE);
    int n;
    if (service == NULL || (service->len != 2 && service->len != 16))
        return BO_ERR_ARG;
    if (cap < 7 + service->len)
        return BO_ERR_NOSPACE;
    n = range_req(out, cap, BO_ATT_OP_FIND_BY_TYPE_REQ, start, end, &prim);
    if (n < 0)
        return n;
    memcpy(&out[7], service->b, service->len);
    return 7 + service->len;
}

int bo_att_req_read_by_type(uint8_t *out, uint16_t cap, uint16_t start, uint16_t end,
                            const bo_att_uuid_t *type)
{
    if (type == NULL)
        return BO_ERR_ARG;
    return range_req(out, cap, BO_ATT_OP_READ_BY_TYPE_REQ, start, end, type);
}

int bo_att_req_read_by_group(uint8_t *out, uint16_t cap, uint16_t start, uint16_t end,
                             const bo_att_uuid_t *type)
{
    if (type == NULL)
        return BO_ERR_ARG;
    return range_req(out, cap, BO_ATT_OP_READ_BY_GROUP_REQ, start, end, type);
}

int bo_att_req_read(uint8_t *out, uint16_t cap, uint16_t handle)
{
    if (out == NULL || cap < 3)
        return BO_ERR_NOSPACE;
    out[0] = BO_ATT_OP_READ_REQ;
    bo_put_le16(&out[1], handle);
    return 3;
}

int bo_att_req_write(uint8_t *out, uint16_t cap, uint16_t handle, const uint8_t *value,
                     uint16_t len, bool cmd)
{
    if (value == NULL && len > 0)
        return BO_ERR_ARG;
    if (out == NULL || cap < 3u + len)
        return BO_ERR_NOSPACE;
    out[0] = cmd ? BO_ATT_OP_WRITE_CMD : BO_ATT_OP_WRITE_REQ;
    bo_put_le16(&out[1], handle);
    if (len > 0)
        memcpy(&out[3], value, len);
    return 3 + len;
}

int bo_att_parse_error(const uint8_t *pdu, uint16_t len, uint8_t *req_op, uint16_t *handle,
                       uint8_t *code)
{
    if (pdu == NULL || len != 5 || pdu[0] != BO_ATT_OP_ERROR_RSP)
        return BO_ERR_FORMAT;
    *req_op = pdu[1];
    *handle = bo_get_le16(&pdu[2]);
    *code = pdu[4];
    return BO_OK;
}

int bo_att_parse_mtu_rsp(const uint8_t *pdu, uint16_t len, uint16_t *server_rx_mtu)
{
    if (pdu == NULL || len != 3 || pdu[0] != BO_ATT_OP_MTU_RSP)
        return BO_ERR_FORMAT;
    *server_rx_mtu = bo_get_le16(&pdu[1]);
    return BO_OK;
}

int bo_att_iter_init(bo_att_iter_t *it, const uint8_t *pdu, uint16_t len)
{
    uint16_t first;
    uint8_t rec, min;
    if (it == NULL || pdu == NULL || len < 2)
        return BO_ERR_FORMAT;
    switch (pdu[0]) {
    case BO_ATT_OP_FIND_INFO_RSP:
        if (pdu[1] != 1 && pdu[1] != 2)
            return BO_ERR_FORMAT;
        rec = pdu[1] == 1 ? 4 : 18;
        first = 2;
        min = rec;
        break;
    case BO_ATT_OP_FIND_BY_TYPE_RSP:
        rec = 4;
        first = 1;
        min = rec;
        break;
    case BO_ATT_OP_READ_BY_TYPE_RSP:
    case BO_ATT_OP_READ_BY_GROUP_RSP:
        rec = pdu[1];
        first = 2;
        min = pdu[0] == BO_ATT_OP_READ_BY_TYPE_RSP ? 2 : 4;
        break;
    default:
        return BO_ERR_FORMAT;
    }
    if (rec < min || len <= first || (len - first) % rec != 0)
        return BO_ERR_FORMAT;
    it->p = &pdu[first];
    it->left = (uint16_t)(len - first);
    it->rec_len = rec;
    return BO_OK;
}

int bo_att_iter_next(bo_att_iter_t *it, uint16_t *handle, const uint8_t **data, uint16_t *len)
{
    if (it->left < it->rec_len || it->rec_len < 2)
        return BO_ERR_NOTFOUND;
    *handle = bo_get_le16(it->p);
    *data = it->p + 2;
    *len = (uint16_t)(it->rec_len - 2);
    it->p += it->rec_len;
    it->left = (uint16_t)(it->left - it->rec_len);
    return BO_OK;
}
