/* bleota att: the server. One request in, at most one response out; no state beyond the
 * connection's MTU and encryption flag. */
#include <string.h>
#include "bleota/att.h"
#include "bleota/endian.h"

#define HANDLE_MAX 0xFFFFu

int bo_att_server_init(bo_att_server_t *srv, const bo_att_server_cfg_t *cfg)
{
    uint16_t max;
    if (srv == NULL || cfg == NULL || cfg->db == NULL || cfg->read == NULL || cfg->write == NULL)
        return BO_ERR_ARG;
    max = cfg->mtu_max != 0 ? cfg->mtu_max : BO_ATT_MTU_DEFAULT;
    if (max < BO_ATT_MTU_MIN || max > BO_ATT_MTU_MAX)
        return BO_ERR_ARG;
    srv->cfg = *cfg;
    srv->cfg.mtu_max = max;
    bo_att_server_connected(srv);
    return BO_OK;
}

void bo_att_server_connected(bo_att_server_t *srv)
{
    srv->mtu = BO_ATT_MTU_MIN;
    srv->encrypted = false;
}

void bo_att_server_set_encrypted(bo_att_server_t *srv, bool encrypted)
{
    srv->encrypted = encrypted;
}

static int err_rsp(uint8_t *rsp, uint8_t op, uint16_t handle, uint8_t code)
{
    rsp[0] = BO_ATT_OP_ERROR_RSP;
    rsp[1] = op;
    bo_put_le16(&rsp[2], handle);
    rsp[4] = code;
    return 5;
}

/* Reads an attribute's value into out[cap] after the permission checks; ATT status. */
static uint8_t read_value(const bo_att_server_t *srv, const bo_att_attr_t *a, uint8_t *out,
                          uint16_t cap, uint16_t *len)
{
    uint16_t n;
    uint8_t st;
    if (!(a->perm & BO_ATT_PERM_READ))
        return BO_ATT_ERR_READ_NOT_PERMITTED;
    if ((a->perm & BO_ATT_PERM_ENC) && !srv->encrypted)
        return BO_ATT_ERR_INSUFFICIENT_ENC;
    if (a->decl_len > 0 || a->value != NULL) {
        const uint8_t *v = a->decl_len > 0 ? a->decl : a->value;
        n = a->decl_len > 0 ? a->decl_len : a->value_len;
        if (n > cap)
            n = cap;
        memcpy(out, v, n);
        *len = n;
        return 0;
    }
    *len = 0;
    st = srv->cfg.read(srv->cfg.ctx, a->handle, out, cap, len);
    if (st == 0 && *len > cap)
        *len = cap; /* a callback that overstates its length must not leak memory */
    return st;
}

/* Parses start/end of a range request; ATT status (Invalid Handle for a bad range). */
static uint8_t range(const uint8_t *pdu, uint16_t *start, uint16_t *end)
{
    *start = bo_get_le16(&pdu[1]);
    *end = bo_get_le16(&pdu[3]);
    return (*start == 0 || *start > *end) ? BO_ATT_ERR_INVALID_HANDLE : 0;
}

static int on_mtu(bo_att_server_t *srv, const uint8_t *pdu, uint16_t len, uint8_t *rsp)
{
    uint16_t client;
    if (len != 3)
        return err_rsp(rsp, pdu[0], 0, BO_ATT_ERR_INVALID_PDU);
    client = bo_get_le16(&pdu[1]);
    if (client < BO_ATT_MTU_MIN)
        client = BO_ATT_MTU_MIN;
    srv->mtu = client < srv->cfg.mtu_max ? client : srv->cfg.mtu_max;
    rsp[0] = BO_ATT_OP_MTU_RSP;
    bo_put_le16(&rsp[1], srv->cfg.mtu_max);
    return 3;
}

static int on_find_info(const bo_att_server_t *srv, const uint8_t *pdu, uint16_t len, uint8_t *rsp)
{
    const bo_att_db_t *db = srv->cfg.db;
    uint16_t start, end, i, n = 2;
    uint8_t fmt = 0;
    if (len != 5)
        return err_rsp(rsp, pdu[0], 0, BO_ATT_ERR_INVALID_PDU);
    if (range(pdu, &start, &end) != 0)
        return err_rsp(rsp, pdu[0], start, BO_ATT_ERR_INVALID_HANDLE);
    for (i = 0; i < db->count; i++) {
        const bo_att_attr_t *a = &db->attrs[i];
        uint8_t f = a->type.len == 2 ? 1 : 2;
        if (a->handle < start || a->handle > end)
            continue;
        if (fmt == 0)
            fmt = f;
        if (f != fmt || n + 2u + a->type.len > srv->mtu)
            break;
        bo_put_le16(&rsp[n], a->handle);
        memcpy(&rsp[n + 2], a->type.b, a->type.len);
        n = (uint16_t)(n + 2 + a->type.len);
    }
    if (fmt == 0)
        return err_rsp(rsp, pdu[0], start, BO_ATT_ERR_ATTR_NOT_FOUND);
    rsp[0] = BO_ATT_OP_FIND_INFO_RSP;
    rsp[1] = fmt;
    return n;
}

/* Last handle of the group that starts at attrs[i] (a service declaration). */
static uint16_t group_end(const bo_att_db_t *db, uint16_t i)
{
    uint16_t j;
    for (j = (uint16_t)(i + 1); j < db->count; j++)
        if (db->attrs[j].decl_len > 0 && db->attrs[j].type.len == 2 &&
            bo_get_le16(db->attrs[j].type.b) == BO_GATT_PRIMARY_SERVICE)
            return db->attrs[j - 1].handle;
    return HANDLE_MAX; /* the last group runs to the end of the handle space */
}

static bool is_service(const bo_att_attr_t *a)
{
    return a->type.len == 2 && bo_get_le16(a->type.b) == BO_GATT_PRIMARY_SERVICE;
}

static int on_find_by_type(const bo_att_server_t *srv, const uint8_t *pdu, uint16_t len,
                           uint8_t *rsp)
{
    const bo_att_db_t *db = srv->cfg.db;
    uint16_t start, end, type, i, n = 1;
    const uint8_t *val = &pdu[7];
    uint16_t vlen = (uint16_t)(len - 7);
    if (len < 7)
        return err_rsp(rsp, pdu[0], 0, BO_ATT_ERR_INVALID_PDU);
    if (range(pdu, &start, &end) != 0)
        return err_rsp(rsp, pdu[0], start, BO_ATT_ERR_INVALID_HANDLE);
    type = bo_get_le16(&pdu[5]);
    for (i = 0; i < db->count && n + 4u <= srv->mtu; i++) {
        const bo_att_attr_t *a = &db->attrs[i];
        const uint8_t *v = a->decl_len > 0 ? a->decl : a->value;
        uint16_t l = a->decl_len > 0 ? a->decl_len : a->value_len;
        /* only static values are compared: a callback value may be secret or volatile */
        if (a->handle < start || a->handle > end || a->type.len != 2 ||
            bo_get_le16(a->type.b) != type || v == NULL || l != vlen || memcmp(v, val, l) != 0)
            continue;
        bo_put_le16(&rsp[n], a->handle);
        bo_put_le16(&rsp[n + 2], is_service(a) ? group_end(db, i) : a->handle);
        n = (uint16_t)(n + 4);
    }
    if (n == 1)
        return err_rsp(rsp, pdu[0], start, BO_ATT_ERR_ATTR_NOT_FOUND);
    rsp[0] = BO_ATT_OP_FIND_BY_TYPE_RSP;
    return n;
}

/* Read By Type and Read By Group Type share this walk: records of handle [+ group end] + value,
 * all of the first record's length. */
static int list_values(const bo_att_server_t *srv, const uint8_t *pdu, uint16_t len, uint8_t *rsp,
                       bool group)
{
    const bo_att_db_t *db = srv->cfg.db;
    uint16_t start, end, i, n = 2, hdr = group ? 4 : 2;
    bo_att_uuid_t type;
    uint8_t rec = 0;
    if (len != 7 && len != 21)
        return err_rsp(rsp, pdu[0], 0, BO_ATT_ERR_INVALID_PDU);
    if (range(pdu, &start, &end) != 0)
        return err_rsp(rsp, pdu[0], start, BO_ATT_ERR_INVALID_HANDLE);
    type.len = (uint8_t)(len - 5);
    memcpy(type.b, &pdu[5], type.len);
    if (group) {
        bo_att_uuid_t prim = bo_att_uuid16(BO_GATT_PRIMARY_SERVICE);
        bo_att_uuid_t sec = bo_att_uuid16(0x2801);
        if (!bo_att_uuid_eq(&type, &prim) && !bo_att_uuid_eq(&type, &sec))
            return err_rsp(rsp, pdu[0], start, BO_ATT_ERR_UNSUPPORTED_GROUP);
    }
    for (i = 0; i < db->count; i++) {
        const bo_att_attr_t *a = &db->attrs[i];
        uint8_t v[255]; /* one record value at most (1-byte record length) */
        uint16_t vlen = 0, room = (uint16_t)(srv->mtu - 2 - hdr);
        uint8_t st;
        if (a->handle < start || a->handle > end || !bo_att_uuid_eq(&a->type, &type))
            continue;
        if (room > 255 - hdr)
            room = (uint16_t)(255 - hdr); /* the record length is one byte */
        st = read_value(srv, a, v, room, &vlen);
        if (st != 0) {
            if (rec == 0)
                return err_rsp(rsp, pdu[0], a->handle, st);
            break;
        }
        if (rec == 0)
            rec = (uint8_t)(hdr + vlen);
        if (hdr + vlen != rec || n + rec > srv->mtu)
            break;
        bo_put_le16(&rsp[n], a->handle);
        if (group)
            bo_put_le16(&rsp[n + 2], group_end(db, i));
        memcpy(&rsp[n + hdr], v, vlen);
        n = (uint16_t)(n + rec);
    }
    if (rec == 0)
        return err_rsp(rsp, pdu[0], start, BO_ATT_ERR_ATTR_NOT_FOUND);
    rsp[0] = group ? BO_ATT_OP_READ_BY_GROUP_RSP : BO_ATT_OP_READ_BY_TYPE_RSP;
    rsp[1] = rec;
    return n;
}

static int on_read(const bo_att_server_t *srv, const uint8_t *pdu, uint16_t len, uint8_t *rsp)
{
    const bo_att_attr_t *a;
    uint16_t handle, vlen = 0;
    uint8_t st;
    if (len != 3)
        return err_rsp(rsp, pdu[0], 0, BO_ATT_ERR_INVALID_PDU);
    handle = bo_get_le16(&pdu[1]);
    a = bo_att_db_find(srv->cfg.db, handle);
    if (a == NULL)
        return err_rsp(rsp, pdu[0], handle, BO_ATT_ERR_INVALID_HANDLE);
    st = read_value(srv, a, &rsp[1], (uint16_t)(srv->mtu - 1), &vlen);
    if (st != 0)
        return err_rsp(rsp, pdu[0], handle, st);
    rsp[0] = BO_ATT_OP_READ_RSP;
    return 1 + vlen;
}

/* Write Request (answers) and Write Command (never answers). */
static int on_write(const bo_att_server_t *srv, const uint8_t *pdu, uint16_t len, uint8_t *rsp)
{
    bool cmd = pdu[0] == BO_ATT_OP_WRITE_CMD;
    const bo_att_attr_t *a;
    uint16_t handle;
    uint8_t st;
    if (len < 3)
        return cmd ? 0 : err_rsp(rsp, pdu[0], 0, BO_ATT_ERR_INVALID_PDU);
    handle = bo_get_le16(&pdu[1]);
    a = bo_att_db_find(srv->cfg.db, handle);
    if (a == NULL)
        st = BO_ATT_ERR_INVALID_HANDLE;
    else if (!(a->perm & (cmd ? BO_ATT_PERM_WRITE_CMD : BO_ATT_PERM_WRITE)) || a->decl_len > 0 ||
             a->value != NULL)
        st = BO_ATT_ERR_WRITE_NOT_PERMITTED;
    else if ((a->perm & BO_ATT_PERM_ENC) && !srv->encrypted)
        st = BO_ATT_ERR_INSUFFICIENT_ENC;
    else
        st = srv->cfg.write(srv->cfg.ctx, handle, &pdu[3], (uint16_t)(len - 3), cmd);
    if (cmd)
        return 0;
    if (st != 0)
        return err_rsp(rsp, pdu[0], handle, st);
    rsp[0] = BO_ATT_OP_WRITE_RSP;
    return 1;
}

int bo_att_server_handle(bo_att_server_t *srv, const uint8_t *pdu, uint16_t len, uint8_t *rsp,
                         uint16_t cap)
{
    uint8_t op;
    if (srv == NULL || (pdu == NULL && len > 0) || rsp == NULL || cap < srv->mtu)
        return BO_ERR_ARG;
    if (len == 0)
        return 0;
    op = pdu[0];
    /* Commands, responses, notifications and confirmations are never answered. */
    if (op == BO_ATT_OP_WRITE_CMD)
        return len <= srv->mtu ? on_write(srv, pdu, len, rsp) : 0;
    if ((op & BO_ATT_OP_CMD_FLAG) || (op & 1u) || op == 0x1Eu || op == BO_LINK_CTRL)
        return 0;
    if (len > srv->mtu)
        return err_rsp(rsp, op, 0, BO_ATT_ERR_INVALID_PDU);
    switch (op) {
    case BO_ATT_OP_MTU_REQ:
        return on_mtu(srv, pdu, len, rsp);
    case BO_ATT_OP_FIND_INFO_REQ:
        return on_find_info(srv, pdu, len, rsp);
    case BO_ATT_OP_FIND_BY_TYPE_REQ:
        return on_find_by_type(srv, pdu, len, rsp);
    case BO_ATT_OP_READ_BY_TYPE_REQ:
        return list_values(srv, pdu, len, rsp, false);
    case BO_ATT_OP_READ_REQ:
        return on_read(srv, pdu, len, rsp);
    case BO_ATT_OP_READ_BY_GROUP_REQ:
        return list_values(srv, pdu, len, rsp, true);
    case BO_ATT_OP_WRITE_REQ:
        return on_write(srv, pdu, len, rsp);
    default:
        return err_rsp(rsp, op, 0, BO_ATT_ERR_REQ_NOT_SUPPORTED);
    }
}

int bo_att_server_notify(const bo_att_server_t *srv, uint16_t handle, const uint8_t *value,
                         uint16_t len, uint8_t *out, uint16_t cap)
{
    if (srv == NULL || out == NULL || (value == NULL && len > 0))
        return BO_ERR_ARG;
    if (len + 3u > srv->mtu || len + 3u > cap)
        return BO_ERR_RANGE;
    out[0] = BO_ATT_OP_NOTIFY;
    bo_put_le16(&out[1], handle);
    if (len > 0)
        memcpy(&out[3], value, len);
    return 3 + len;
}
