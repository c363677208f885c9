/* The demo application of the simulated device: what runs after the boot ROM jumps to slot 0.
 * It prints "app: running A.B.C.D" and, when the build has app_ble.c (BO_DEVICE_HAVE_BLE),
 * starts the BLE OTA service on --ble. A reset (dev_request_reset) stops it. */
#ifndef BO_DEVICE_APP_DEMO_H
#define BO_DEVICE_APP_DEMO_H

#include "device.h"

void app_demo_start(bo_device_t *dev);
void app_demo_stop(bo_device_t *dev);

#ifdef BO_DEVICE_HAVE_BLE
/* Provided by app_ble.c (the BLE OTA engineers): serve dev->opt.ble while the app runs.
 * app_ble_start returns 0, or non-zero after printing why (the device then stops). */
int app_ble_start(bo_device_t *dev);
void app_ble_stop(bo_device_t *dev);
#endif

#endif
