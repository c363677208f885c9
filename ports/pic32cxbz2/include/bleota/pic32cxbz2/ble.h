/* bleota on Microchip's Harmony BLE stack (PIC32CX-BZ2 / WBZ451): the OTA service registered
 * with GATTS_AddService at Microchip's handles (0x0100..0x0108, Microchip's UUIDs and
 * settings), a Device Information Service with the running firmware's revision, and the
 * stack's events wired to the one integration of ota.h (docs/harmony.md).
 *
 * Threading (reference §5.2): the stack calls the application's STACK_EventRegister callback in
 * the BLE task; the application copies the event to its own queue, as Microchip's ble_sensor
 * does, and calls bo_bz2_ble_event from the application task. Every call here must come from
 * that one task: OTA Data is decrypted and programmed into slot 1 inside bo_bz2_ble_event, and
 * the verdict (one ECDSA verification) runs there too, never in the BLE task.
 *
 * Sending: a notification the stack refuses for lack of buffers (MBA_RES_NO_RESOURCE, _OOM,
 * _FAIL, _BUSY) stays queued in order and goes out on BLE_GAP_EVT_TX_BUF_AVAILABLE; so does a
 * Write/Read/Error Response (one per link), and nothing that a Control Point command produces
 * is sent before its Write Response went out (Microchip's order). A notification refused for
 * any other reason (the CCCD is off, as the stack sees it) is dropped.
 *
 * Reset: a validated update's Reset Request resets reset_delay_ms later (ota.h) and only when
 * Microchip's PDS has no write pending (PDS_GetPendingItemsCount() == 0); otherwise it is
 * retried every reset_retry_ms until PDS is idle (the reference gives up instead).
 *
 * Calls into the stack, and nothing else: GATTS_AddService, GATTS_SendHandleValue,
 * GATTS_SendWriteResponse, GATTS_SendErrorResponse, GATTS_SendReadResponse,
 * PDS_GetPendingItemsCount; data g_gattUuidPrimSvc, g_gattUuidChar, g_descUuidCcc. */
#ifndef BLEOTA_PIC32CXBZ2_BLE_H
#define BLEOTA_PIC32CXBZ2_BLE_H

#include <stdbool.h>
#include <stdint.h>

#include "ble_gap.h"
#include "gatt.h"
#include "stack_mgr.h"

#include "bleota/ota.h"

#define BO_BZ2_BLE_OTA_START 0x0100u /* Microchip's OTAS_START_HDL */
#define BO_BZ2_BLE_OTA_ATTRS 9u      /* service, 3 x (declaration, value), 2 CCCDs */
#define BO_BZ2_BLE_DIS_START 0x0080u /* Microchip's DIS_START_HDL */
#define BO_BZ2_BLE_DIS_ATTRS 3u      /* service, Firmware Revision declaration + value */
#ifndef BO_BZ2_BLE_LINKS
#define BO_BZ2_BLE_LINKS BO_OTAS_CONN_MAX
#endif
#define BO_BZ2_BLE_RESET_RETRY_MS 100u
#define BO_BZ2_BLE_FW_REV_MAX 16u /* "255.255.255.255" */

typedef struct bo_bz2_ble_cfg {
    /* The OTA stack: from bo_ota_cfg_defaults, platform fields filled by the caller (flash,
     * layout, keys, sys, authenticate, auth_cfg, on_event). notify/notify_ctx are ignored.
     * current_version 0: read from slot 0's signed header at init. */
    bo_ota_cfg_t ota;
    uint16_t dis_start;      /* first DIS handle; 0: no DIS (the application registers its own) */
    uint32_t reset_retry_ms; /* 0: BO_BZ2_BLE_RESET_RETRY_MS */
} bo_bz2_ble_cfg_t;

/* An ATT response waiting for a TX buffer (at most one request is outstanding per link). */
typedef struct bo_bz2_ble_rsp {
    uint8_t kind; /* 0 none, 1 write response, 2 error response, 3 read response */
    GATTS_SendErrRespParams_T err;
    uint16_t read_len;
    uint8_t read_val[4];
} bo_bz2_ble_rsp_t;

typedef struct bo_bz2_ble_link {
    bool used;
    uint16_t conn;
    bo_bz2_ble_rsp_t rsp;
} bo_bz2_ble_link_t;

/* All of it must stay in place after init: the stack keeps pointers into it. */
typedef struct bo_bz2_ble {
    bo_ota_t ota;
    const bo_sys_t *sys; /* the application's: now_ms, reset, watchdog */
    bo_sys_t sys_wrap;   /* handed to ota: its reset waits for PDS */
    bool reset_wanted;
    uint32_t reset_retry_at, reset_retry_ms;
    uint32_t reset_deferrals; /* how often PDS held the reset back */
    uint32_t now;
    bo_bz2_ble_link_t links[BO_BZ2_BLE_LINKS];
    uint32_t dropped; /* notifications the stack refused for good */
    /* the GATT database handed to GATTS_AddService */
    GATTS_Service_T ota_svc, dis_svc;
    GATTS_Attribute_T ota_attrs[BO_BZ2_BLE_OTA_ATTRS], dis_attrs[BO_BZ2_BLE_DIS_ATTRS];
    GATTS_CccdSetting_T cccd[2];
    uint8_t decl[3][19];    /* characteristic declarations: props, handle, UUID */
    uint8_t cccd_val[2][2]; /* storage the stack reads for the CCCDs */
    uint8_t dis_uuid[2], dis_decl[5], fw_rev[BO_BZ2_BLE_FW_REV_MAX];
    uint16_t len[BO_BZ2_BLE_OTA_ATTRS + BO_BZ2_BLE_DIS_ATTRS];
    uint8_t feature_val[2];                 /* never read by the stack (manual read) */
    uint8_t write_val[BLE_ATT_MAX_MTU_LEN]; /* where the stack may put written values */
    union {                                 /* parameters of the call being made */
        GATTS_HandleValueParams_T hv;
        GATTS_SendWriteRespParams_T wr;
        GATTS_SendReadRespParams_T rd;
    } tx;
} bo_bz2_ble_t;

/* The shipped defaults: bo_ota_cfg_defaults, DIS at Microchip's handle, the retry period. */
void bo_bz2_ble_defaults(bo_bz2_ble_cfg_t *cfg);

/* Registers DIS and the OTA service (GATTS_AddService) and initialises the OTA stack. Call it
 * where Microchip's project calls BLE_OTAPS_Init / BLE_DIS_Add. BO_ERR_ARG for what
 * bo_ota_init refuses or a missing sys; BO_ERR_IO when the stack refuses a service. */
int bo_bz2_ble_init(bo_bz2_ble_t *b, const bo_bz2_ble_cfg_t *cfg);

/* One stack event (the application's copy), in the application task. Events of other services
 * and groups are ignored, so every event may be passed. */
void bo_bz2_ble_event(bo_bz2_ble_t *b, const STACK_Event_T *evt);

/* Timers: the inactivity timeout, the delayed reset and its PDS retry. Call every 10-50 ms. */
void bo_bz2_ble_tick(bo_bz2_ble_t *b);

/* Idle work (bo_ota_idle): the header check while data streams in, clean-up of slot 1 after
 * an update. 1 = did something, call again; 0 = nothing left; < 0 = a flash error (retried). */
int bo_bz2_ble_idle(bo_bz2_ble_t *b);

/* The OTA stack inside (bo_ota_update_response, bo_ota_stop, ...). */
bo_ota_t *bo_bz2_ble_ota(bo_bz2_ble_t *b);

/* The handle of an OTA service attribute (BO_OTAS_ATTR_*: service, Feature value, ...). */
uint16_t bo_bz2_ble_handle(bo_otas_attr_t attr);

#endif
