/* bleota-device: the demo application's BLE side (app_demo.h declares its entry points
 * app_ble_start/app_ble_stop). While the application runs it listens on --ble PATH (a Unix
 * socket carrying docs/link.md frames), serves the ATT server (att) with the OTA service
 * (otas, driven by ota) and a Device Information Service whose Firmware Revision String is
 * the running version "a.b.c.d". Keys come from the device's key store; Update Complete
 * calls bo_boot_authenticate; Reset Request reboots through the boot ROM (dev_request_reset).
 *
 * Knobs for tests, from the environment (the device's option parser belongs to its owner):
 *   BO_DEVICE_REFUSE_UPDATES=1   the application answers every Update Request "no" (02)
 *   BO_DEVICE_OTA_TIMEOUT_MS=N   inactivity timeout of an update (default 5000)
 *   BO_DEVICE_OTA_WINDOW=N       Max_Fragmented_Image_Size offered (default otas's, 4096)
 *   BO_DEVICE_BLE_MTU=N          largest ATT MTU accepted (default 247, up to 517)
 *   BO_DEVICE_NO_RESUME=1        do not offer the resume extension */
#ifndef BLEOTA_DEVICE_APP_BLE_H
#define BLEOTA_DEVICE_APP_BLE_H

#include <stdbool.h>
#include <stdint.h>
#include "bleota/att.h"
#include "bleota/ota.h"
#include "device.h"

#define APP_BLE_ATTRS 16u

typedef struct app_ble_cfg {
    bool refuse_updates;
    uint32_t ota_timeout_ms; /* 0 = BO_OTA_TIMEOUT_DEFAULT_MS */
    uint16_t mtu_max;        /* 0 = BO_ATT_MTU_DEFAULT */
    uint16_t window;         /* 0 = BO_OTAS_WINDOW_DEFAULT */
    bool no_resume;
} app_ble_cfg_t;

typedef struct app_ble {
    bo_device_t *dev;
    app_ble_cfg_t cfg;
    int listen_fd, conn_fd;
    int timer;     /* periodic ota processing, -1 when off */
    uint16_t conn; /* id of the current connection (changes per connection) */
    bo_att_attr_t attrs[APP_BLE_ATTRS];
    bo_att_db_t db;
    bo_att_server_t srv;
    uint16_t handle_of[BO_OTAS_ATTR_COUNT]; /* otas attribute -> ATT handle */
    char fw_rev[16];
    bo_link_rx_t rx;
    bo_ota_t ota;
    bool broken;                  /* a send failed: drop the connection when safe */
    bool started;
} app_ble_t;

#endif
