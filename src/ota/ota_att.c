/* ota_att: the OTA stack on bleota's ATT server, the one integration every shipped device uses
 * (see ota_att.h). */
#include <string.h>

#include "bleota/otas_att.h"
#include "bleota/ota_att.h"

#define OTA_FIRST_HANDLE 0x0100u /* where Microchip's stack puts the OTA service */

/* Sends a PDU; a refused one (BO_ERR_BUSY) is the caller's to keep. Other errors break the
 * link: remembered for the caller of the public entry. */
static int send_pdu(bo_ota_att_t *d, const uint8_t *pdu, uint16_t len)
{
    int rc = d->send(d->send_ctx, pdu, len);
    if (rc != BO_OK && rc != BO_ERR_BUSY && d->link_err == BO_OK) {
        d->link_err = rc;
    }
    return rc;
}

static int take_link_err(bo_ota_att_t *d)
{
    int rc = d->link_err;
    d->link_err = BO_OK;
    return rc;
}

/* ---- otas <-> ATT handles ----------------------------------------------------------------- */
static uint8_t gatt_read(void *ctx, uint16_t handle, uint8_t *out, uint16_t cap, uint16_t *len)
{
    bo_ota_att_t *d = ctx;
    int a = bo_otas_att_attr(d->handle_of, handle);
    size_t n = 0;
    if (a < 0) {
        return BO_ATT_ERR_READ_NOT_PERMITTED;
    }
    uint8_t st = bo_otas_read(bo_ota_otas(&d->ota), d->conn, (bo_otas_attr_t)a, out, cap, &n);
    *len = (uint16_t)n;
    return st;
}

static uint8_t gatt_write(void *ctx, uint16_t handle, const uint8_t *data, uint16_t len, bool cmd)
{
    bo_ota_att_t *d = ctx;
    int a = bo_otas_att_attr(d->handle_of, handle);
    if (a < 0) {
        return BO_ATT_ERR_WRITE_NOT_PERMITTED;
    }
    return bo_otas_write(bo_ota_otas(&d->ota), d->conn, (bo_otas_attr_t)a, cmd, data, len);
}

/* otas's notify: BO_ERR_BUSY keeps the notification queued in otas until writable. */
static int gatt_notify(void *ctx, uint16_t conn, bo_otas_attr_t attr, const uint8_t *data,
                       size_t len)
{
    bo_ota_att_t *d = ctx;
    uint8_t pdu[BO_OTAS_UPDATE_RSP_LEN + 3u];
    if (!d->connected || conn != d->conn || (unsigned)attr >= BO_OTAS_ATTR_COUNT) {
        return BO_ERR_STATE;
    }
    int n =
        bo_att_server_notify(&d->srv, d->handle_of[attr], data, (uint16_t)len, pdu, sizeof(pdu));
    return n < 0 ? n : send_pdu(d, pdu, (uint16_t)n);
}

static int build_db(bo_ota_att_t *d)
{
    int h = bo_att_db_init(&d->db, d->attrs, BO_OTA_ATT_ATTRS, 1);
    if (h == BO_OK && d->fw_rev != NULL) {
        bo_att_uuid_t u = bo_att_uuid16(BO_GATT_DIS);
        h = bo_att_db_add_service(&d->db, &u);
        u = bo_att_uuid16(BO_GATT_FW_REVISION);
        if (h >= 0) {
            h = bo_att_db_add_char(&d->db, &u, BO_GATT_PROP_READ, BO_ATT_PERM_READ,
                                   (const uint8_t *)d->fw_rev, (uint16_t)strlen(d->fw_rev));
        }
    }
    if (h >= 0) {
        h = bo_att_db_skip_to(&d->db, OTA_FIRST_HANDLE);
    }
    return h < 0 ? h : bo_otas_att_add(&d->db, d->handle_of);
}

/* ---- API ------------------------------------------------------------------------------------- */
void bo_ota_att_defaults(bo_ota_att_cfg_t *cfg)
{
    if (cfg != NULL) {
        memset(cfg, 0, sizeof(*cfg));
        bo_ota_cfg_defaults(&cfg->ota);
    }
}

int bo_ota_att_init(bo_ota_att_t *d, const bo_ota_att_cfg_t *cfg)
{
    if (d == NULL || cfg == NULL || cfg->send == NULL) {
        return BO_ERR_ARG;
    }
    memset(d, 0, sizeof(*d));
    d->fw_rev = cfg->fw_rev;
    d->send = cfg->send;
    d->send_ctx = cfg->send_ctx;
    bo_ota_cfg_t oc = cfg->ota;
    oc.notify = gatt_notify;
    oc.notify_ctx = d;
    int rc = bo_ota_init(&d->ota, &oc);
    if (rc == BO_OK) {
        rc = build_db(d);
    }
    if (rc == BO_OK) {
        bo_att_server_cfg_t sc = {.db = &d->db,
                                  .mtu_max = cfg->mtu_max,
                                  .ctx = d,
                                  .read = gatt_read,
                                  .write = gatt_write};
        rc = bo_att_server_init(&d->srv, &sc);
    }
    return rc;
}

void bo_ota_att_connected(bo_ota_att_t *d, uint16_t conn)
{
    if (d == NULL) {
        return;
    }
    if (d->connected) {
        bo_ota_att_disconnected(d);
    }
    d->connected = true;
    d->conn = conn;
    d->mtu_told = 0;
    d->rsp_len = 0;
    d->link_err = BO_OK;
    bo_att_server_connected(&d->srv);
    (void)bo_otas_connected(bo_ota_otas(&d->ota), conn);
}

void bo_ota_att_disconnected(bo_ota_att_t *d)
{
    if (d == NULL || !d->connected) {
        return;
    }
    d->connected = false;
    d->rsp_len = 0;
    bo_otas_disconnected(bo_ota_otas(&d->ota), d->conn);
}

void bo_ota_att_encrypted(bo_ota_att_t *d, bool encrypted)
{
    if (d != NULL && d->connected) {
        bo_att_server_set_encrypted(&d->srv, encrypted);
        bo_otas_link_encrypted(bo_ota_otas(&d->ota), d->conn, encrypted);
    }
}

/* A kept ATT response goes first: the client waits for it before anything else matters. */
static bool flush_response(bo_ota_att_t *d)
{
    if (d->rsp_len == 0u) {
        return true;
    }
    if (send_pdu(d, d->rsp, d->rsp_len) == BO_ERR_BUSY) {
        return false;
    }
    d->rsp_len = 0;
    return true;
}

int bo_ota_att_pdu(bo_ota_att_t *d, const uint8_t *pdu, uint16_t len, uint32_t now_ms)
{
    if (d == NULL || pdu == NULL || !d->connected) {
        return BO_ERR_ARG;
    }
    int n = bo_att_server_handle(&d->srv, pdu, len, d->rsp, sizeof(d->rsp));
    if (n > 0) {
        d->rsp_len = (uint16_t)n;
        (void)flush_response(d);
    }
    if (d->srv.mtu != d->mtu_told) { /* the window depends on it */
        d->mtu_told = d->srv.mtu;
        (void)bo_ota_set_mtu(&d->ota, d->conn, d->mtu_told);
    }
    /* the Write Response is out (or kept, and otas's answers wait behind it) */
    if (d->rsp_len == 0u) {
        bo_ota_process(&d->ota, now_ms);
    }
    return take_link_err(d);
}

int bo_ota_att_writable(bo_ota_att_t *d, uint32_t now_ms)
{
    if (d == NULL) {
        return BO_ERR_ARG;
    }
    if (d->connected && flush_response(d)) {
        bo_ota_writable(&d->ota, now_ms);
    }
    return take_link_err(d);
}

int bo_ota_att_tick(bo_ota_att_t *d, uint32_t now_ms)
{
    if (d == NULL) {
        return BO_ERR_ARG;
    }
    if (d->rsp_len == 0u) {
        bo_ota_process(&d->ota, now_ms);
    }
    return take_link_err(d);
}

int bo_ota_att_idle(bo_ota_att_t *d, uint32_t now_ms)
{
    if (d == NULL) {
        return 0;
    }
    int rc = bo_ota_idle(&d->ota, now_ms);
    if (rc == 1 && d->rsp_len == 0u) {
        bo_ota_process(&d->ota, now_ms); /* act on a header verdict now */
    }
    return rc;
}

bo_ota_t *bo_ota_att_ota(bo_ota_att_t *d)
{
    return d != NULL ? &d->ota : NULL;
}
