/* The fake Harmony stack (see fake_stack.h). */
#include "fake_stack.h"

#include <stdlib.h>
#include <string.h>

#include "mba_error_defs.h"
#include "pds.h"

static fake_stack_t *cur;

const uint8_t g_gattUuidPrimSvc[ATT_UUID_LENGTH_2] = {0x00u, 0x28u};
const uint8_t g_gattUuidChar[ATT_UUID_LENGTH_2] = {0x03u, 0x28u};
const uint8_t g_descUuidCcc[ATT_UUID_LENGTH_2] = {0x02u, 0x29u};

void fs_init(fake_stack_t *fs, bo_bz2_ble_t *ble)
{
    memset(fs, 0, sizeof *fs);
    fs->ble = ble;
    fs->auto_tx_available = true;
    cur = fs;
}

void fs_free(fake_stack_t *fs)
{
    free(fs->log);
    fs->log = NULL;
    cur = NULL;
}

static fs_link_t *link_of(fake_stack_t *fs, uint16_t conn)
{
    for (unsigned i = 0; i < 4u; i++)
        if (fs->links[i].used && fs->links[i].conn == conn)
            return &fs->links[i];
    return NULL;
}

const GATTS_Service_T *fs_service_at(const fake_stack_t *fs, uint16_t start)
{
    for (unsigned i = 0; i < fs->nsvc; i++)
        if (fs->svc[i]->startHandle == start)
            return fs->svc[i];
    return NULL;
}

const GATTS_Attribute_T *fs_attr(const fake_stack_t *fs, uint16_t handle)
{
    for (unsigned i = 0; i < fs->nsvc; i++) {
        const GATTS_Service_T *s = fs->svc[i];
        if (handle >= s->startHandle && handle <= s->endHandle)
            return &s->p_attrList[handle - s->startHandle];
    }
    return NULL;
}

static int cccd_index(uint16_t handle)
{
    return handle == 0x0105u ? 0 : handle == 0x0108u ? 1 : -1;
}

static void record(fake_stack_t *fs, const fs_sent_t *s)
{
    if (fs->nlog == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2u : 256u;
        fs->log = realloc(fs->log, fs->cap * sizeof *fs->log);
    }
    fs->log[fs->nlog++] = *s;
}

/* Every Nth send finds no TX buffer. */
static bool no_buffer(fake_stack_t *fs, fs_link_t *l, bool response)
{
    fs->sends++;
    if (fs->no_resource_every != 0u && fs->sends % fs->no_resource_every == 0u &&
        (response || !fs->responses_only)) {
        fs->refusals++;
        l->owed_tx = true;
        return true;
    }
    return false;
}

/* ---- The stack functions the binding calls ----------------------------------------------- */
uint16_t GATTS_AddService(GATTS_Service_T *p_service, uint8_t numAttributes)
{
    fake_stack_t *fs = cur;
    if (p_service == NULL || p_service->p_attrList == NULL ||
        p_service->startHandle < GATTS_APP_ATTRIBUTE_START_HANDLE ||
        p_service->endHandle < p_service->startHandle ||
        numAttributes != p_service->endHandle - p_service->startHandle + 1u || fs->nsvc == 4u)
        return MBA_RES_INVALID_PARA;
    for (unsigned i = 0; i < fs->nsvc; i++)
        if (p_service->startHandle <= fs->svc[i]->endHandle &&
            fs->svc[i]->startHandle <= p_service->endHandle)
            return MBA_RES_INVALID_PARA; /* overlapping handles */
    for (unsigned i = 0; i < numAttributes; i++) {
        const GATTS_Attribute_T *a = &p_service->p_attrList[i];
        if (a->p_uuid == NULL || a->p_value == NULL || a->p_len == NULL || *a->p_len > a->maxLen)
            return MBA_RES_INVALID_PARA;
    }
    fs->svc[fs->nsvc++] = p_service;
    return MBA_RES_SUCCESS;
}

uint16_t GATTS_SendHandleValue(uint16_t connHandle, GATTS_HandleValueParams_T *p_hvParams)
{
    fake_stack_t *fs = cur;
    fs_link_t *l = link_of(fs, connHandle);
    if (l == NULL || p_hvParams->sendType != ATT_HANDLE_VALUE_NTF)
        return MBA_RES_INVALID_PARA;
    int c = cccd_index((uint16_t)(p_hvParams->charHandle + 1u));
    if (c < 0 || (l->cccd[c] & NOTIFICATION) == 0u ||
        p_hvParams->charLength > l->mtu - ATT_HANDLE_VALUE_HEADER_SIZE)
        return MBA_RES_INVALID_PARA; /* the CCCD does not enable it, or too long */
    if (no_buffer(fs, l, false))
        return MBA_RES_NO_RESOURCE;
    fs_sent_t s = {.kind = FS_NTF,
                   .conn = connHandle,
                   .handle = p_hvParams->charHandle,
                   .len = p_hvParams->charLength};
    memcpy(s.data, p_hvParams->charValue, s.len);
    record(fs, &s);
    return MBA_RES_SUCCESS;
}

/* A response must match the link's pending request (else MBA_RES_FAIL, as the stack). */
static uint16_t answer(fake_stack_t *fs, uint16_t conn, uint8_t req, fs_sent_t *s)
{
    fs_link_t *l = link_of(fs, conn);
    if (l == NULL || l->pending == 0u || (req != 0u && l->pending != req)) {
        fs->stack_errors++;
        return MBA_RES_FAIL;
    }
    if (no_buffer(fs, l, true))
        return MBA_RES_NO_RESOURCE;
    s->conn = conn;
    int c = cccd_index(l->pending_handle);
    if (s->kind == FS_WRITE_RSP && c >= 0)
        l->cccd[c] = l->pending_value; /* the write took effect */
    l->pending = 0;
    record(fs, s);
    return MBA_RES_SUCCESS;
}

uint16_t GATTS_SendWriteResponse(uint16_t connHandle, GATTS_SendWriteRespParams_T *p_respParams)
{
    fs_sent_t s = {.kind = FS_WRITE_RSP};
    if (p_respParams->responseType != ATT_WRITE_RSP)
        return MBA_RES_INVALID_PARA;
    return answer(cur, connHandle, ATT_WRITE_REQ, &s);
}

uint16_t GATTS_SendErrorResponse(uint16_t connHandle, GATTS_SendErrRespParams_T *p_errParams)
{
    fs_sent_t s = {.kind = FS_ERR_RSP,
                   .handle = p_errParams->attrHandle,
                   .req = p_errParams->reqOpcode,
                   .code = p_errParams->errorCode};
    return answer(cur, connHandle, p_errParams->reqOpcode, &s);
}

uint16_t GATTS_SendReadResponse(uint16_t connHandle, GATTS_SendReadRespParams_T *p_respParams)
{
    fs_sent_t s = {.kind = FS_READ_RSP, .len = p_respParams->attrLength};
    if (p_respParams->responseType != ATT_READ_RSP || s.len > sizeof s.data)
        return MBA_RES_INVALID_PARA;
    memcpy(s.data, p_respParams->attrValue, s.len);
    return answer(cur, connHandle, ATT_READ_REQ, &s);
}

uint8_t PDS_GetPendingItemsCount(void)
{
    return cur->pds_pending;
}

/* ---- Events into the binding -------------------------------------------------------------- */
/* A GAP event of this id, every other field zero. */
static BLE_GAP_Event_T gap_event(BLE_GAP_EventId_T id)
{
    BLE_GAP_Event_T e;
    memset(&e, 0, sizeof e);
    e.eventId = id;
    return e;
}

static void deliver(fake_stack_t *fs, STACK_GroupId_T group, void *evt, uint16_t len);

static void gap(fake_stack_t *fs, BLE_GAP_Event_T *e)
{
    deliver(fs, STACK_GRP_BLE_GAP, e, (uint16_t)sizeof *e);
}

static void gatt(fake_stack_t *fs, GATT_Event_T *e)
{
    deliver(fs, STACK_GRP_GATT, e, (uint16_t)sizeof *e);
}

/* The stack raises TX_BUF_AVAILABLE once buffers free up after a refusal. */
static void settle(fake_stack_t *fs)
{
    for (unsigned round = 0; fs->auto_tx_available && round < 64u; round++) {
        bool any = false;
        for (unsigned i = 0; i < 4u; i++) {
            fs_link_t *l = &fs->links[i];
            if (l->used && l->owed_tx) {
                l->owed_tx = false;
                any = true;
                BLE_GAP_Event_T e = gap_event(BLE_GAP_EVT_TX_BUF_AVAILABLE);
                e.eventField.evtTxBufAvailable.connHandle = l->conn;
                STACK_Event_T s = {STACK_GRP_BLE_GAP, (uint16_t)sizeof e, (uint8_t *)&e};
                bo_bz2_ble_event(fs->ble, &s);
            }
        }
        if (!any)
            return;
    }
}

static void deliver(fake_stack_t *fs, STACK_GroupId_T group, void *evt, uint16_t len)
{
    STACK_Event_T s = {group, len, evt};
    bo_bz2_ble_event(fs->ble, &s);
    settle(fs);
}

void fs_connect(fake_stack_t *fs, uint16_t conn)
{
    for (unsigned i = 0; i < 4u; i++) {
        if (!fs->links[i].used) {
            memset(&fs->links[i], 0, sizeof fs->links[i]);
            fs->links[i].used = true;
            fs->links[i].conn = conn;
            fs->links[i].mtu = BLE_ATT_DEFAULT_MTU_LEN;
            break;
        }
    }
    BLE_GAP_Event_T e = gap_event(BLE_GAP_EVT_CONNECTED);
    e.eventField.evtConnect.status = GAP_STATUS_SUCCESS;
    e.eventField.evtConnect.connHandle = conn;
    gap(fs, &e);
}

void fs_encrypt(fake_stack_t *fs, uint16_t conn)
{
    link_of(fs, conn)->encrypted = true;
    BLE_GAP_Event_T e = gap_event(BLE_GAP_EVT_ENCRYPT_STATUS);
    e.eventField.evtEncryptStatus.connHandle = conn;
    e.eventField.evtEncryptStatus.status = GAP_STATUS_SUCCESS;
    gap(fs, &e);
}

void fs_mtu(fake_stack_t *fs, uint16_t conn, uint16_t mtu)
{
    link_of(fs, conn)->mtu = mtu;
    GATT_Event_T e;
    memset(&e, 0, sizeof e);
    e.eventId = ATT_EVT_UPDATE_MTU;
    e.eventField.onUpdateMTU.connHandle = conn;
    e.eventField.onUpdateMTU.exchangedMTU = mtu;
    gatt(fs, &e);
}

void fs_disconnect(fake_stack_t *fs, uint16_t conn)
{
    fs_link_t *l = link_of(fs, conn);
    if (l != NULL)
        l->used = false;
    BLE_GAP_Event_T e = gap_event(BLE_GAP_EVT_DISCONNECTED);
    e.eventField.evtDisconnect.connHandle = conn;
    e.eventField.evtDisconnect.reason = 0x13u;
    gap(fs, &e);
}

void fs_tx_available(fake_stack_t *fs, uint16_t conn)
{
    BLE_GAP_Event_T e = gap_event(BLE_GAP_EVT_TX_BUF_AVAILABLE);
    e.eventField.evtTxBufAvailable.connHandle = conn;
    gap(fs, &e);
}

/* The stack's own check of the registered permissions: 0 = pass the request on. */
static uint8_t permitted(fake_stack_t *fs, fs_link_t *l, uint16_t handle, bool write)
{
    const GATTS_Attribute_T *a = fs_attr(fs, handle);
    if (a == NULL)
        return ATT_ERR_INVALID_HANDLE;
    uint8_t need = write ? PERMISSION_WRITE : PERMISSION_READ;
    uint8_t enc = write ? PERMISSION_WRITE_ENC : PERMISSION_READ_ENC;
    if ((a->permissions & need) == 0u)
        return write ? ATT_ERR_WRITE_NOT_PERMITTED : ATT_ERR_READ_NOT_PERMITTED;
    if ((a->permissions & enc) != 0u && !l->encrypted)
        return ATT_ERR_INSUF_AUTHN;
    return 0u;
}

/* The answer the client got for its request since log position from: 0 / code / 0xFF. */
static uint8_t answer_since(fake_stack_t *fs, uint16_t conn, size_t from, uint8_t *out,
                            uint16_t *len)
{
    for (size_t i = from; i < fs->nlog; i++) {
        const fs_sent_t *s = &fs->log[i];
        if (s->conn != conn || s->kind == FS_NTF)
            continue;
        if (s->kind == FS_ERR_RSP)
            return s->code;
        if (out != NULL) {
            memcpy(out, s->data, s->len);
            *len = s->len;
        }
        return 0u;
    }
    return 0xFFu;
}

void fs_raw_write(fake_stack_t *fs, uint16_t conn, uint16_t handle, const uint8_t *data,
                  uint16_t len, uint8_t type)
{
    fs_link_t *l = link_of(fs, conn);
    if (l != NULL && type == ATT_WRITE_REQ) {
        l->pending = ATT_WRITE_REQ;
        l->pending_handle = handle;
        l->pending_value = len == 2u ? (uint16_t)(data[0] | data[1] << 8) : 0u;
    }
    GATT_Event_T e;
    memset(&e, 0, sizeof e);
    e.eventId = GATTS_EVT_WRITE;
    e.eventField.onWrite.connHandle = conn;
    e.eventField.onWrite.attrHandle = handle;
    e.eventField.onWrite.writeType = type;
    e.eventField.onWrite.writeDataLength = len;
    memcpy(e.eventField.onWrite.writeValue, data, len);
    gatt(fs, &e);
}

uint8_t fs_write(fake_stack_t *fs, uint16_t conn, uint16_t handle, const uint8_t *data,
                 uint16_t len, bool cmd)
{
    fs_link_t *l = link_of(fs, conn);
    fs->stack_answer = permitted(fs, l, handle, true);
    if (fs->stack_answer != 0u)
        return cmd ? 0u : fs->stack_answer; /* a refused command is dropped silently */
    if (len > l->mtu - ATT_WRITE_HEADER_SIZE)
        return cmd ? 0u : ATT_ERR_INVALID_ATTRIBUTE_VALUE_LENGTH;
    size_t from = fs->nlog;
    fs_raw_write(fs, conn, handle, data, len, cmd ? ATT_WRITE_CMD : ATT_WRITE_REQ);
    return cmd ? 0u : answer_since(fs, conn, from, NULL, NULL);
}

uint8_t fs_read(fake_stack_t *fs, uint16_t conn, uint16_t handle, uint8_t *out, uint16_t *len)
{
    fs_link_t *l = link_of(fs, conn);
    const GATTS_Attribute_T *a = fs_attr(fs, handle);
    fs->stack_answer = permitted(fs, l, handle, false);
    if (fs->stack_answer != 0u)
        return fs->stack_answer;
    if ((a->settings & SETTING_MANUAL_READ_RSP) == 0u) { /* the stack answers from the value */
        int c = cccd_index(handle);
        uint16_t v = c >= 0 ? l->cccd[c] : 0u;
        *len = c >= 0 ? 2u : *a->p_len;
        if (c >= 0) {
            out[0] = (uint8_t)v;
            out[1] = (uint8_t)(v >> 8);
        } else {
            memcpy(out, a->p_value, *len);
        }
        return 0u;
    }
    l->pending = ATT_READ_REQ;
    l->pending_handle = handle;
    size_t from = fs->nlog;
    GATT_Event_T e;
    memset(&e, 0, sizeof e);
    e.eventId = GATTS_EVT_READ;
    e.eventField.onRead.connHandle = conn;
    e.eventField.onRead.attrHandle = handle;
    e.eventField.onRead.readType = ATT_READ_REQ;
    gatt(fs, &e);
    return answer_since(fs, conn, from, out, len);
}

const fs_sent_t *fs_next_ntf(fake_stack_t *fs, uint16_t conn)
{
    while (fs->seen < fs->nlog) {
        const fs_sent_t *s = &fs->log[fs->seen++];
        if (s->kind == FS_NTF && s->conn == conn)
            return s;
    }
    return NULL;
}
