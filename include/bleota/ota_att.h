/* bleota ota_att: the one application-side wiring of the OTA stack onto bleota's own ATT server,
 * used by every integration bleota ships (the simulated device, the Cortex-M4 demo, the timing
 * model), so what is measured is what users run.
 *
 * It owns the attribute database (Device Information's Firmware Revision at 0x0001, the OTA
 * service at 0x0100 where Microchip's stack puts it), the ATT server and the OTA stack (ota.h),
 * and does what an application must do around them:
 * - routes reads and writes to otas, answers requests;
 * - reports the negotiated ATT MTU to otas (the window depends on it);
 * - runs bo_ota_process after every PDU (Control Point results go out after the Write
 *   Response) and on every tick (timeout, delayed reset);
 * - keeps a notification or response the transport could not queue (send returns
 *   BO_ERR_BUSY) and sends it from bo_ota_att_writable;
 * - gives bo_ota_idle the idle time: the header check overlaps the transfer, the download slot
 *   is erased after an update, not during the next one.
 * A product on a vendor BLE stack wires the same calls of ota.h to its stack's events instead
 * (docs/porting.md). One link at a time. No heap, no globals. */
#ifndef BLEOTA_OTA_ATT_H
#define BLEOTA_OTA_ATT_H

#include <stdbool.h>
#include <stdint.h>
#include "bleota/att.h"
#include "bleota/ota.h"

#define BO_OTA_ATT_ATTRS 16u /* attribute database capacity (DIS + OTA service) */

typedef struct bo_ota_att_cfg {
    /* The OTA stack. notify/notify_ctx are ignored (ota_att sends the notifications). */
    bo_ota_cfg_t ota;
    const char *fw_rev; /* DIS Firmware Revision string, kept by pointer; NULL: no DIS */
    uint16_t mtu_max;   /* largest ATT MTU accepted; 0 = BO_ATT_MTU_DEFAULT (247) */
    /* Sends one ATT PDU on the link: BO_OK; BO_ERR_BUSY when the transport has no room now
     * (the PDU is kept and sent again from bo_ota_att_writable); any other error means the link
     * is broken (reported by bo_ota_att_pdu / _tick / _writable). */
    int (*send)(void *ctx, const uint8_t *pdu, uint16_t len);
    void *send_ctx;
} bo_ota_att_cfg_t;

typedef struct bo_ota_att {
    bo_ota_t ota;
    bo_att_db_t db;
    bo_att_attr_t attrs[BO_OTA_ATT_ATTRS];
    bo_att_server_t srv;
    uint16_t handle_of[BO_OTAS_ATTR_COUNT];
    const char *fw_rev;
    int (*send)(void *ctx, const uint8_t *pdu, uint16_t len);
    void *send_ctx;
    bool connected;
    uint16_t conn;     /* handle of the current link */
    uint16_t mtu_told; /* the ATT MTU last reported to otas */
    int link_err;      /* first send error other than BUSY since the last report */
    /* an ATT response the transport refused (one request is outstanding at a time) */
    uint16_t rsp_len;
    uint8_t rsp[BO_ATT_MTU_MAX];
} bo_ota_att_t;

/* The shipped defaults: bo_ota_cfg_defaults for the stack, mtu_max 0; the caller then sets the
 * platform fields (flash, layout, keys, sys, authenticate, auth_cfg, on_event, current_version)
 * and the transport (send, fw_rev). */
void bo_ota_att_defaults(bo_ota_att_cfg_t *cfg);

/* Builds the database and the server, initialises the OTA stack. BO_ERR_ARG for a missing send
 * or what bo_ota_init refuses; BO_ERR_NOSPACE if the database does not fit. */
int bo_ota_att_init(bo_ota_att_t *d, const bo_ota_att_cfg_t *cfg);

/* A link came up (conn: any handle, new for every link) / went down / became encrypted. */
void bo_ota_att_connected(bo_ota_att_t *d, uint16_t conn);
void bo_ota_att_disconnected(bo_ota_att_t *d);
void bo_ota_att_encrypted(bo_ota_att_t *d, bool encrypted);

/* One received ATT PDU: answered (through send), the MTU reported when it changed, then
 * bo_ota_process. Returns BO_OK, or the link error of a send (the caller drops the link). */
int bo_ota_att_pdu(bo_ota_att_t *d, const uint8_t *pdu, uint16_t len, uint32_t now_ms);

/* The transport has room again: a kept response, then kept notifications, go out. Returns as
 * bo_ota_att_pdu. */
int bo_ota_att_writable(bo_ota_att_t *d, uint32_t now_ms);

/* Timers (inactivity timeout, delayed reset): call at least every few tens of ms. Returns as
 * bo_ota_att_pdu. */
int bo_ota_att_tick(bo_ota_att_t *d, uint32_t now_ms);

/* Idle work (bo_ota_idle): call when no PDU waits. 1 = did something (call again), 0 = nothing
 * left, < 0 = an idle flash error (retried at the next call). */
int bo_ota_att_idle(bo_ota_att_t *d, uint32_t now_ms);

/* The OTA stack inside (for bo_ota_update_response, bo_ota_stop, ...). */
bo_ota_t *bo_ota_att_ota(bo_ota_att_t *d);

#endif
