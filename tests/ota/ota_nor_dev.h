/* A device for OTA tests on the posix NOR model (power cuts, torn writes): bo_ota with its keys,
 * the real bootloader policy over that flash, a recording transport, an opted-in client. Shared
 * by the power-loss tests of the OTA path (test_ota_powerloss.c, test_ota_delta.c). */
#ifndef BO_TEST_OTA_NOR_DEV_H
#define BO_TEST_OTA_NOR_DEV_H

#include "bleota/ota.h"
#include "bleota/posix/nor.h"
#include "ota_fixture.h"

typedef struct nor_dev {
    bo_nor_t nor;
    bo_ota_t ota;
    bo_boot_cfg_t boot;
    bo_keys_t keys;
    bo_sys_t sys;
    h_rec_t rec;
    uint32_t now;
    /* the application's events (NULL: every request accepted) */
    int (*on_event)(void *ctx, const bo_ota_evt_t *evt);
    void *event_ctx;
} nor_dev_t;

/* A BZ2-sized NOR, all erased. */
nor_dev_t *nor_dev_new(void);
void nor_dev_free(nor_dev_t *d);
/* The "application" boots: a fresh bo_ota_t over whatever the flash holds (Microchip's AES key,
 * SHA-256 images, resume on, current version 1.0.0.0, a window of `window` bytes). */
void nor_dev_boot(nor_dev_t *d, uint16_t window);
/* A client on connection 7 that opted in to resume, 244-byte writes. */
h_client_t nor_dev_client(nor_dev_t *d);
/* Update Request (encrypted, `version`, `len` bytes) and Start: the start index. */
uint32_t nor_dev_request(h_client_t *c, size_t len, uint32_t version);

#endif
