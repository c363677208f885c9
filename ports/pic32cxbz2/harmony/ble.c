/* Microchip's Harmony BLE stack events -> the OTA stack (ota.h), and back out through the
 * stack's send calls with Microchip's retry pattern (see ble.h). */
#include <stdint.h>
#include <string.h>

#include "pds.h" /* needs <stdint.h> first */

#include "ble_priv.h"
#include "bleota/img.h"

#define RSP_NONE 0u
#define RSP_WRITE 1u
#define RSP_ERROR 2u
#define RSP_READ 3u

static uint32_t now(bo_bz2_ble_t *b)
{
    b->now = b->sys->now_ms(b->sys->ctx);
    return b->now;
}

/* ---- Links ------------------------------------------------------------------------------------
 */
static bo_bz2_ble_link_t *link_of(bo_bz2_ble_t *b, uint16_t conn, bool add)
{
    bo_bz2_ble_link_t *free_slot = NULL;
    for (unsigned i = 0; i < BO_BZ2_BLE_LINKS; i++) {
        if (b->links[i].used && b->links[i].conn == conn)
            return &b->links[i];
        if (!b->links[i].used && free_slot == NULL)
            free_slot = &b->links[i];
    }
    if (add && free_slot != NULL) {
        memset(free_slot, 0, sizeof *free_slot);
        free_slot->used = true;
        free_slot->conn = conn;
    }
    return add ? free_slot : NULL;
}

static bool response_pending(const bo_bz2_ble_t *b)
{
    for (unsigned i = 0; i < BO_BZ2_BLE_LINKS; i++)
        if (b->links[i].used && b->links[i].rsp.kind != RSP_NONE)
            return true;
    return false;
}

/* No buffer now: worth another try at TX_BUF_AVAILABLE. (_FAIL means "memory not available"
 * for a notification, but "no request pending" for a response: see gatt.h.) */
static bool retry_later(uint16_t rc, bool response)
{
    return rc == MBA_RES_NO_RESOURCE || rc == MBA_RES_OOM || rc == MBA_RES_BUSY ||
           (!response && rc == MBA_RES_FAIL);
}

/* Sends the link's kept response; false while the stack still has no room for it. */
static bool flush_response(bo_bz2_ble_t *b, bo_bz2_ble_link_t *l)
{
    uint16_t rc = MBA_RES_SUCCESS;
    switch (l->rsp.kind) {
    case RSP_WRITE:
        memset(&b->tx.wr, 0, sizeof b->tx.wr);
        b->tx.wr.responseType = ATT_WRITE_RSP;
        rc = GATTS_SendWriteResponse(l->conn, &b->tx.wr);
        break;
    case RSP_ERROR:
        rc = GATTS_SendErrorResponse(l->conn, &l->rsp.err);
        break;
    case RSP_READ:
        b->tx.rd.attrLength = l->rsp.read_len;
        b->tx.rd.responseType = ATT_READ_RSP;
        memcpy(b->tx.rd.attrValue, l->rsp.read_val, l->rsp.read_len);
        rc = GATTS_SendReadResponse(l->conn, &b->tx.rd);
        break;
    default:
        return true;
    }
    if (rc != MBA_RES_SUCCESS && retry_later(rc, true))
        return false;
    l->rsp.kind = RSP_NONE; /* sent, or refused for good (the request is gone) */
    return true;
}

static void respond_error(bo_bz2_ble_t *b, uint16_t conn, uint8_t req, uint16_t handle,
                          uint8_t code)
{
    bo_bz2_ble_link_t *l = link_of(b, conn, true);
    if (l == NULL)
        return;
    l->rsp.kind = RSP_ERROR;
    l->rsp.err.reqOpcode = req;
    l->rsp.err.errorCode = code;
    l->rsp.err.attrHandle = handle;
    (void)flush_response(b, l);
}

static void respond(bo_bz2_ble_t *b, uint16_t conn, uint8_t req, uint16_t handle, uint8_t code,
                    const uint8_t *val, uint16_t len)
{
    bo_bz2_ble_link_t *l;
    if (code != BO_OTAS_ATT_OK) {
        respond_error(b, conn, req, handle, code);
        return;
    }
    l = link_of(b, conn, true);
    if (l == NULL)
        return;
    l->rsp.kind = req == ATT_WRITE_REQ ? RSP_WRITE : RSP_READ;
    l->rsp.read_len = len;
    if (len != 0u)
        memcpy(l->rsp.read_val, val, len);
    (void)flush_response(b, l);
}

/* otas's notify: held (BO_ERR_BUSY) until TX_BUF_AVAILABLE when the stack has no buffer. */
static int notify(void *ctx, uint16_t conn, bo_otas_attr_t attr, const uint8_t *data, size_t len)
{
    bo_bz2_ble_t *b = ctx;
    if (len > sizeof b->tx.hv.charValue)
        return BO_ERR_ARG;
    b->tx.hv.charHandle = bo_bz2_ble_handle(attr);
    b->tx.hv.charLength = (uint16_t)len;
    memcpy(b->tx.hv.charValue, data, len);
    b->tx.hv.sendType = ATT_HANDLE_VALUE_NTF;
    uint16_t rc = GATTS_SendHandleValue(conn, &b->tx.hv);
    if (rc == MBA_RES_SUCCESS)
        return BO_OK;
    if (retry_later(rc, false))
        return BO_ERR_BUSY;
    b->dropped++; /* e.g. INVALID_PARA: the stack sees the CCCD off */
    return BO_ERR_IO;
}

/* Control Point answers are produced by bo_ota_process: never before the Write Response. */
static void process(bo_bz2_ble_t *b)
{
    if (!response_pending(b))
        bo_ota_process(&b->ota, b->now);
}

/* ---- Events ------------------------------------------------------------------------------------
 */
static void gap_event(bo_bz2_ble_t *b, const BLE_GAP_Event_T *e)
{
    bo_otas_t *otas = bo_ota_otas(&b->ota);
    bo_bz2_ble_link_t *l;
    switch (e->eventId) {
    case BLE_GAP_EVT_CONNECTED:
        if (e->eventField.evtConnect.status == GAP_STATUS_SUCCESS) {
            (void)link_of(b, e->eventField.evtConnect.connHandle, true);
            (void)bo_otas_connected(otas, e->eventField.evtConnect.connHandle);
        }
        break;
    case BLE_GAP_EVT_DISCONNECTED:
        bo_otas_disconnected(otas, e->eventField.evtDisconnect.connHandle);
        l = link_of(b, e->eventField.evtDisconnect.connHandle, false);
        if (l != NULL)
            l->used = false; /* its kept response goes with it */
        break;
    case BLE_GAP_EVT_ENCRYPT_STATUS:
        bo_otas_link_encrypted(otas, e->eventField.evtEncryptStatus.connHandle,
                               e->eventField.evtEncryptStatus.status == GAP_STATUS_SUCCESS);
        break;
    case BLE_GAP_EVT_TX_BUF_AVAILABLE:
        l = link_of(b, e->eventField.evtTxBufAvailable.connHandle, false);
        if (l == NULL || flush_response(b, l))
            bo_otas_writable(otas); /* held notifications, in order */
        break;
    default:
        break;
    }
}

static void on_write(bo_bz2_ble_t *b, const GATT_EvtWrite_T *w)
{
    int attr = bo_bz2_p_attr_of(w->attrHandle);
    if (attr < 0)
        return; /* not ours */
    if (w->writeType == ATT_WRITE_REQ || w->writeType == ATT_WRITE_CMD) {
        bool cmd = w->writeType == ATT_WRITE_CMD;
        uint16_t n = w->writeDataLength <= sizeof w->writeValue ? w->writeDataLength
                                                                : (uint16_t)sizeof w->writeValue;
        uint8_t code = bo_otas_write(bo_ota_otas(&b->ota), w->connHandle, (bo_otas_attr_t)attr, cmd,
                                     w->writeValue, n);
        if (!cmd)
            respond(b, w->connHandle, ATT_WRITE_REQ, w->attrHandle, code, NULL, 0u);
    } else if (w->writeType == ATT_PREPARE_WRITE_REQ || w->writeType == ATT_EXECUTE_WRITE_REQ) {
        /* every value fits one write: long writes are not offered */
        respond_error(b, w->connHandle, w->writeType, w->attrHandle, ATT_ERR_REQUEST_NOT_SUPPORT);
    }
}

static void on_read(bo_bz2_ble_t *b, const GATT_EvtRead_T *r)
{
    int attr = bo_bz2_p_attr_of(r->attrHandle);
    uint8_t val[4];
    size_t len = 0;
    if (attr < 0)
        return;
    if (r->readType != ATT_READ_REQ) { /* all values are 2 bytes at most (otas.h) */
        respond_error(b, r->connHandle, r->readType, r->attrHandle, ATT_ERR_REQUEST_NOT_SUPPORT);
        return;
    }
    uint8_t code = bo_otas_read(bo_ota_otas(&b->ota), r->connHandle, (bo_otas_attr_t)attr, val,
                                sizeof val, &len);
    respond(b, r->connHandle, ATT_READ_REQ, r->attrHandle, code, val, (uint16_t)len);
}

/* A bonded client's CCCDs restored by the stack: otas learns them as if written. */
static void on_cccd_list(bo_bz2_ble_t *b, const GATT_EvtClientCccdListChange_T *c)
{
    for (unsigned i = 0; c->p_cccdList != NULL && i < c->numOfCccd; i++) {
        int attr = bo_bz2_p_attr_of(c->p_cccdList[i].attrHandle);
        if (attr == BO_OTAS_ATTR_CTRL_CCCD || attr == BO_OTAS_ATTR_DATA_CCCD) {
            uint8_t v[2] = {(uint8_t)c->p_cccdList[i].cccdValue,
                            (uint8_t)(c->p_cccdList[i].cccdValue >> 8)};
            (void)bo_otas_write(bo_ota_otas(&b->ota), c->connHandle, (bo_otas_attr_t)attr, false, v,
                                2u);
        }
    }
}

static void gatt_event(bo_bz2_ble_t *b, const GATT_Event_T *e)
{
    switch (e->eventId) {
    case GATTS_EVT_WRITE:
        on_write(b, &e->eventField.onWrite);
        break;
    case GATTS_EVT_READ:
        on_read(b, &e->eventField.onRead);
        break;
    case ATT_EVT_UPDATE_MTU: /* the window depends on it */
        (void)bo_ota_set_mtu(&b->ota, e->eventField.onUpdateMTU.connHandle,
                             e->eventField.onUpdateMTU.exchangedMTU);
        break;
    case GATTS_EVT_CLIENT_CCCDLIST_CHANGE:
        on_cccd_list(b, &e->eventField.onClientCccdListChange);
        break;
    default:
        break;
    }
}

void bo_bz2_ble_event(bo_bz2_ble_t *b, const STACK_Event_T *evt)
{
    if (b == NULL || evt == NULL || evt->p_event == NULL)
        return;
    (void)now(b);
    if (evt->groupId == STACK_GRP_BLE_GAP)
        gap_event(b, (const void *)evt->p_event);
    else if (evt->groupId == STACK_GRP_GATT)
        gatt_event(b, (const void *)evt->p_event);
    else
        return;
    process(b);
}

/* ---- Reset: never with a PDS write pending ------------------------------------------------------
 */
static void try_reset(bo_bz2_ble_t *b)
{
    if (PDS_GetPendingItemsCount() != 0u) {
        b->reset_deferrals++;
        b->reset_retry_at = b->now + b->reset_retry_ms;
        return;
    }
    b->reset_wanted = false;
    b->sys->reset(b->sys->ctx); /* does not return on the chip */
}

static void wrap_reset(void *ctx)
{
    bo_bz2_ble_t *b = ctx;
    b->reset_wanted = true;
    try_reset(b);
}

static uint32_t wrap_now(void *ctx)
{
    return now(ctx);
}

static int wrap_wdt_start(void *ctx, uint32_t period_ms)
{
    const bo_sys_t *s = ((bo_bz2_ble_t *)ctx)->sys;
    return s->wdt_start(s->ctx, period_ms);
}

static void wrap_wdt_feed(void *ctx)
{
    const bo_sys_t *s = ((bo_bz2_ble_t *)ctx)->sys;
    s->wdt_feed(s->ctx);
}

void bo_bz2_ble_tick(bo_bz2_ble_t *b)
{
    if (b == NULL)
        return;
    (void)now(b);
    if (b->reset_wanted && (int32_t)(b->now - b->reset_retry_at) >= 0)
        try_reset(b);
    process(b);
}

int bo_bz2_ble_idle(bo_bz2_ble_t *b)
{
    if (b == NULL)
        return 0;
    int rc = bo_ota_idle(&b->ota, now(b));
    if (rc == 1)
        process(b); /* act on a header verdict now */
    return rc;
}

/* ---- Set-up -------------------------------------------------------------------------------------
 */
void bo_bz2_ble_defaults(bo_bz2_ble_cfg_t *cfg)
{
    if (cfg == NULL)
        return;
    memset(cfg, 0, sizeof *cfg);
    bo_ota_cfg_defaults(&cfg->ota);
    cfg->dis_start = BO_BZ2_BLE_DIS_START;
    cfg->reset_retry_ms = BO_BZ2_BLE_RESET_RETRY_MS;
}

/* The running firmware's signed FW_IMG_REV (slot 0's header), 0 when it does not parse. */
static uint32_t running_version(const bo_ota_cfg_t *c)
{
    uint8_t hdr[BO_MD_SIZE];
    bo_md_t md;
    if (c->flash->read(c->flash->ctx, c->layout.slot0, hdr, sizeof hdr) != BO_OK ||
        bo_md_parse(hdr, &md) != BO_OK)
        return 0u;
    return md.fw_rev;
}

int bo_bz2_ble_init(bo_bz2_ble_t *b, const bo_bz2_ble_cfg_t *cfg)
{
    if (b == NULL || cfg == NULL || cfg->ota.sys == NULL || cfg->ota.sys->now_ms == NULL ||
        cfg->ota.sys->reset == NULL || cfg->ota.flash == NULL)
        return BO_ERR_ARG;
    memset(b, 0, sizeof *b);
    b->sys = cfg->ota.sys;
    b->reset_retry_ms = cfg->reset_retry_ms != 0u ? cfg->reset_retry_ms : BO_BZ2_BLE_RESET_RETRY_MS;
    b->sys_wrap.ctx = b;
    b->sys_wrap.now_ms = wrap_now;
    b->sys_wrap.reset = wrap_reset;
    b->sys_wrap.wdt_start = b->sys->wdt_start != NULL ? wrap_wdt_start : NULL;
    b->sys_wrap.wdt_feed = b->sys->wdt_feed != NULL ? wrap_wdt_feed : NULL;
    bo_ota_cfg_t oc = cfg->ota;
    oc.sys = &b->sys_wrap;
    oc.notify = notify;
    oc.notify_ctx = b;
    if (oc.current_version == 0u)
        oc.current_version = running_version(&oc);
    int rc = bo_ota_init(&b->ota, &oc);
    if (rc != BO_OK)
        return rc;
    char ver[16];
    memcpy(b->fw_rev, bo_version_format(oc.current_version, ver), sizeof b->fw_rev);
    b->fw_rev[sizeof b->fw_rev - 1u] = 0u;
    return bo_bz2_p_add_services(b, cfg->dis_start);
}

bo_ota_t *bo_bz2_ble_ota(bo_bz2_ble_t *b)
{
    return b != NULL ? &b->ota : NULL;
}
