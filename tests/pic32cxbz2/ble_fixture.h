/* The Harmony binding on the fake stack, over the posix NOR model (BZ2's program flash), with a
 * scripted application and a client that plays Microchip's OTA client through the stack's
 * events. */
#ifndef BO_TEST_BZ2_BLE_FIXTURE_H
#define BO_TEST_BZ2_BLE_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bleota/posix/nor.h"
#include "fake_stack.h"

#define BFX_CONN 0x40u
#define BFX_EVT_MAX 64u
#define H_FEATURE 0x0102u
#define H_CTRL 0x0104u
#define H_CTRL_CCCD 0x0105u
#define H_DATA 0x0107u
#define H_DATA_CCCD 0x0108u

enum { BFX_ACCEPT = 0, BFX_DEFER };

typedef struct bfx {
    bo_nor_t nor;
    bo_flash_t flash; /* the NOR model, failing on demand */
    bool fail;
    bo_bz2_ble_t ble;
    fake_stack_t fs;
    bo_sys_t sys;
    uint32_t now;
    unsigned resets;
    bo_boot_cfg_t boot; /* for the real policy (bfx_new_real) */
    int req_mode;
    bo_ota_evt_t evts[BFX_EVT_MAX]; /* every event but PROGRESS */
    size_t n_evts;
    unsigned progress;
} bfx_t;

/* The binding with a fake verdict (always authentic, version 0x01000001) and current version
 * 0x01000000: the protocol alone, as the otas conformance fixture. */
bfx_t *bfx_new(void);
/* The binding with the bootloader's real policy (bo_boot_authenticate, streamed digests), the
 * given keys and slot 0 as the flash holds it (current version read from its header). */
bfx_t *bfx_new_real(const bo_keys_t *keys, bo_bz2_ble_cfg_t *cfg_out);
/* Re-initialises the binding over the same flash (a reboot of the application). */
void bfx_reboot(bfx_t *f, const bo_keys_t *keys);
void bfx_free(bfx_t *f); /* asserts the NOR rules held and the stack saw no misuse */

void bfx_advance(bfx_t *f, uint32_t ms); /* time passes, the binding's tick runs */
const bo_ota_evt_t *bfx_last(const bfx_t *f, bo_ota_evt_type_t type);

/* The client: link up, encrypted, both CCCDs enabled (asserts each step). */
void bfx_connect(bfx_t *f, uint16_t conn);
uint8_t bfx_cp(bfx_t *f, uint16_t conn, const uint8_t *op, size_t len);
/* The next Control Point notification (asserted to exist), its result byte. */
const fs_sent_t *bfx_ctrl(bfx_t *f, uint16_t conn);
/* Update Request; returns the result, window and start index through the pointers. */
uint8_t bfx_request(bfx_t *f, uint16_t conn, const uint8_t *req, size_t len, uint16_t *window);
uint8_t bfx_start(bfx_t *f, uint16_t conn);
uint8_t bfx_complete(bfx_t *f, uint16_t conn);
/* Sends payload[0..len) as Write Commands of chunk bytes that never straddle a window, checking
 * one 00 acknowledgement per window (stop_after: stop after that many bytes, 0 = all).
 * Returns the bytes acknowledged. */
size_t bfx_send(bfx_t *f, uint16_t conn, const uint8_t *payload, size_t len, uint16_t window,
                uint16_t chunk, size_t stop_after);

#endif
