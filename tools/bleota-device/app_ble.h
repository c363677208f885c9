/* bleota-device: the demo application's BLE side (app_demo.h declares its entry points
 * app_ble_start/app_ble_stop). While the application runs it listens on --ble PATH (a Unix
 * socket carrying docs/link.md frames) and serves the OTA stack through the one integration
 * every bleota device uses (bo_ota_att, include/bleota/ota_att.h) with its shipped defaults:
 * the ATT server with a Device Information Service whose Firmware Revision String is the
 * running version "a.b.c.d" and the OTA service. Keys come from the device's key store; Update
 * Complete calls bo_boot_authenticate; Reset Request reboots through the boot ROM
 * (dev_request_reset). Idle time goes to bo_ota_att_idle (header check, slot clean-up).
 *
 * Knobs for tests, from the environment (each overrides one shipped default, and
 * --print-config shows the result):
 *   BO_DEVICE_REFUSE_UPDATES=1   the application answers every Update Request "no" (02)
 *   BO_DEVICE_OTA_TIMEOUT_MS=N   inactivity timeout of an update (default 5000)
 *   BO_DEVICE_OTA_WINDOW=N       fixed Max_Fragmented_Image_Size (default 0: automatic)
 *   BO_DEVICE_BLE_MTU=N          largest ATT MTU accepted (default 247, up to 517)
 *   BO_DEVICE_NO_RESUME=1        do not offer the resume extension
 *   BO_DEVICE_NOTIFY_BUSY=N      the link refuses every Nth notification once (transport
 *                                full) and reports room again 20 ms later */
#ifndef BLEOTA_DEVICE_APP_BLE_H
#define BLEOTA_DEVICE_APP_BLE_H

#include <stdbool.h>
#include <stdint.h>
#include "bleota/ota_att.h"
#include "device.h"

typedef struct app_ble_cfg {
    bool refuse_updates;
    uint32_t ota_timeout_ms; /* 0 = the default */
    uint16_t mtu_max;        /* 0 = BO_ATT_MTU_DEFAULT */
    uint16_t window;         /* 0 = automatic */
    bool no_resume;
    uint32_t notify_busy_every; /* 0 = never */
} app_ble_cfg_t;

typedef struct app_ble {
    bo_device_t *dev;
    app_ble_cfg_t cfg;
    int listen_fd, conn_fd;
    int timer;     /* periodic ota processing, -1 when off */
    uint16_t conn; /* id of the current connection (changes per connection) */
    char fw_rev[16];
    bo_link_rx_t rx;
    bo_ota_att_t att;
    uint32_t notifies;   /* notifications offered to the link (BO_DEVICE_NOTIFY_BUSY) */
    bool held;           /* a notification was refused: report room at the next tick */
    bool broken;         /* a send failed: nothing more is sent, the link is dropped soon */
    uint32_t broken_at;  /* now_ms of that failure */
    uint32_t last_rx;    /* now_ms of the last read from the link */
    bool started;
} app_ble_t;

/* Fills cfg as app_ble_start would (shipped defaults + the environment knobs above), for
 * --print-config. Platform fields (flash, keys, callbacks) stay unset. */
void app_ble_config(bo_ota_att_cfg_t *cfg);

#endif
