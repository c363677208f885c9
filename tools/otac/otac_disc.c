/* otac: GATT discovery by UUID (OTA service, its characteristics and CCCDs) and the DIS read
 * of `bleota info`. */
#include <string.h>
#include "bleota/endian.h"
#include "bleota/otas.h"
#include "otac_priv.h"

/* Sends the request for the step; false when the session ended. */
static bool ask(bo_otac_t *c, uint32_t now, int n, uint8_t rsp_op, const uint8_t *pdu)
{
    if (n < 0) {
        otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
        return false;
    }
    return otac_request(c, now, pdu, n, rsp_op);
}

static void find_service(bo_otac_t *c, uint32_t now, const bo_att_uuid_t *u)
{
    uint8_t p[32];
    int n = bo_att_req_find_service(p, sizeof p, 1, 0xFFFF, u);
    ask(c, now, n, BO_ATT_OP_FIND_BY_TYPE_RSP, p);
}

void otac_disc_start(bo_otac_t *c, uint32_t now)
{
    bo_att_uuid_t u;
    if (c->cfg.mode == BO_OTAC_MODE_INFO) {
        otac_enter(c, S_FIND_DIS, "discover DIS");
        u = bo_att_uuid16(BO_GATT_DIS);
    } else {
        otac_enter(c, S_FIND_SVC, "discover OTA service");
        u = bo_att_uuid128(bo_otas_uuid_service);
    }
    find_service(c, now, &u);
}

static void read_chars(bo_otac_t *c, uint32_t now)
{
    uint8_t p[8];
    bo_att_uuid_t t = bo_att_uuid16(BO_GATT_CHARACTERISTIC);
    ask(c, now, bo_att_req_read_by_type(p, sizeof p, c->next, c->svc_end, &t),
        BO_ATT_OP_READ_BY_TYPE_RSP, p);
}

/* Last handle belonging to the characteristic whose value handle is val. */
static uint16_t char_end(const bo_otac_t *c, uint16_t val)
{
    uint16_t end = c->svc_end;
    uint8_t i;
    for (i = 0; i < c->nchars; i++)
        if (c->decl[i] > val && c->decl[i] - 1u < end)
            end = (uint16_t)(c->decl[i] - 1u);
    return end;
}

static void find_cccd(bo_otac_t *c, uint32_t now, uint16_t from, uint16_t val)
{
    uint8_t p[8];
    uint16_t end = char_end(c, val);
    if (from > end || from == 0) {
        otac_end(c, BO_OTAC_ERR_NOT_FOUND, 0);
        return;
    }
    c->next = from;
    ask(c, now, bo_att_req_find_info(p, sizeof p, from, end), BO_ATT_OP_FIND_INFO_RSP, p);
}

/* Matches the discovered characteristics with the OTA UUIDs. */
static void chars_done(bo_otac_t *c, uint32_t now)
{
    uint8_t i;
    for (i = 0; i < c->nchars; i++) {
        if (memcmp(c->uuid[i], bo_otas_uuid_feature, 16) == 0)
            c->h_feature = c->val[i];
        else if (memcmp(c->uuid[i], bo_otas_uuid_ctrl, 16) == 0)
            c->h_ctrl = c->val[i];
        else if (memcmp(c->uuid[i], bo_otas_uuid_data, 16) == 0)
            c->h_data = c->val[i];
    }
    if (c->h_feature == 0 || c->h_ctrl == 0 || c->h_data == 0) {
        otac_end(c, BO_OTAC_ERR_NOT_FOUND, 0);
        return;
    }
    otac_enter(c, S_CCCD_CTRL, "discover CCCDs");
    find_cccd(c, now, (uint16_t)(c->h_ctrl + 1), c->h_ctrl);
}

static void on_chars(bo_otac_t *c, const uint8_t *pdu, uint16_t len, uint32_t now)
{
    bo_att_iter_t it;
    uint16_t h = 0, l;
    const uint8_t *d;
    if (bo_att_iter_init(&it, pdu, len) != BO_OK) {
        otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
        return;
    }
    while (bo_att_iter_next(&it, &h, &d, &l) == BO_OK) {
        if (l != 5 && l != 19) {
            otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
            return;
        }
        if (c->nchars < BO_OTAC_CHARS_MAX && h >= c->next) {
            c->decl[c->nchars] = h;
            c->val[c->nchars] = bo_get_le16(&d[1]);
            memset(c->uuid[c->nchars], 0, 16);
            if (l == 19)
                memcpy(c->uuid[c->nchars], &d[3], 16);
            c->nchars++;
        }
    }
    if (h < c->next || h >= c->svc_end) { /* no progress (bad server) or the end: stop */
        chars_done(c, now);
        return;
    }
    c->next = (uint16_t)(h + 1);
    read_chars(c, now);
}

/* Find Information answer while looking for a CCCD after value handle val. */
static void on_cccd(bo_otac_t *c, const uint8_t *pdu, uint16_t len, uint32_t now, uint16_t val)
{
    bo_att_iter_t it;
    uint16_t h = 0, l;
    const uint8_t *d;
    if (bo_att_iter_init(&it, pdu, len) != BO_OK) {
        otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
        return;
    }
    while (bo_att_iter_next(&it, &h, &d, &l) == BO_OK) {
        if (l == 2 && bo_get_le16(d) == BO_GATT_CCCD && h > val) {
            if (c->state == S_CCCD_CTRL) {
                c->h_ctrl_cccd = h;
                c->state = S_CCCD_DATA;
                find_cccd(c, now, (uint16_t)(c->h_data + 1), c->h_data);
            } else {
                c->h_data_cccd = h;
                otac_after_discovery(c, now);
            }
            return;
        }
    }
    if (h < c->next) {
        otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
        return;
    }
    find_cccd(c, now, (uint16_t)(h + 1), val);
}

/* A Find By Type Value answer: the first group found. */
static bool group(bo_otac_t *c, const uint8_t *pdu, uint16_t len)
{
    bo_att_iter_t it;
    uint16_t h, l;
    const uint8_t *d;
    if (bo_att_iter_init(&it, pdu, len) != BO_OK || bo_att_iter_next(&it, &h, &d, &l) != BO_OK ||
        bo_get_le16(d) < h) {
        otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
        return false;
    }
    c->svc_start = h;
    c->svc_end = bo_get_le16(d);
    c->next = h;
    return true;
}

static void on_fw_rev(bo_otac_t *c, const uint8_t *pdu, uint16_t len)
{
    bo_att_iter_t it;
    uint16_t h, l;
    const uint8_t *d;
    if (bo_att_iter_init(&it, pdu, len) != BO_OK || bo_att_iter_next(&it, &h, &d, &l) != BO_OK) {
        otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
        return;
    }
    if (l >= sizeof c->fw_rev)
        l = sizeof c->fw_rev - 1;
    memcpy(c->fw_rev, d, l);
    c->fw_rev[l] = '\0';
    otac_end(c, BO_OTAC_OK, 0);
}

/* An Error Response during discovery: "not found" ends some walks normally. */
static void on_error(bo_otac_t *c, const uint8_t *pdu, uint16_t len, uint32_t now)
{
    uint8_t op, code;
    uint16_t h;
    if (bo_att_parse_error(pdu, len, &op, &h, &code) != BO_OK) {
        otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
        return;
    }
    if (code != BO_ATT_ERR_ATTR_NOT_FOUND) {
        otac_end(c, BO_OTAC_ERR_ATT, code);
        return;
    }
    if (c->state == S_CHARS)
        chars_done(c, now);
    else
        otac_end(c, BO_OTAC_ERR_NOT_FOUND, 0);
}

void otac_disc_on_rsp(bo_otac_t *c, const uint8_t *pdu, uint16_t len, uint32_t now)
{
    uint8_t p[8];
    bo_att_uuid_t t = bo_att_uuid16(BO_GATT_FW_REVISION);
    if (pdu[0] == BO_ATT_OP_ERROR_RSP) {
        on_error(c, pdu, len, now);
        return;
    }
    switch (c->state) {
    case S_FIND_SVC:
        if (group(c, pdu, len)) {
            otac_enter(c, S_CHARS, "discover characteristics");
            read_chars(c, now);
        }
        break;
    case S_CHARS:
        on_chars(c, pdu, len, now);
        break;
    case S_CCCD_CTRL:
        on_cccd(c, pdu, len, now, c->h_ctrl);
        break;
    case S_CCCD_DATA:
        on_cccd(c, pdu, len, now, c->h_data);
        break;
    case S_FIND_DIS:
        if (group(c, pdu, len)) {
            otac_enter(c, S_READ_REV, "read firmware revision");
            ask(c, now, bo_att_req_read_by_type(p, sizeof p, c->svc_start, c->svc_end, &t),
                BO_ATT_OP_READ_BY_TYPE_RSP, p);
        }
        break;
    case S_READ_REV:
        on_fw_rev(c, pdu, len);
        break;
    default:
        otac_end(c, BO_OTAC_ERR_PROTOCOL, 0);
        break;
    }
}
