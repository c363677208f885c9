/* Test harness for otas and ota: a strict RAM NOR flash with failure injection, a notification
 * recorder, a fake clock, and helpers that play a GATT client. Only the port is faked. */
#ifndef BO_TEST_OTAS_HARNESS_H
#define BO_TEST_OTAS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bleota/layout_bz2.h"
#include "bleota/otas.h"

/* ---- RAM NOR flash: erase -> 0xFF, program only erased units, once ---------------------- */
typedef struct h_flash {
    bo_flash_t flash;
    uint8_t *mem;
    bool fail_erase; /* inject BO_ERR_IO */
    bool fail_prog;
    unsigned violations; /* NOR rule breaks seen (must stay 0) */
    unsigned progs, erases;
    uint32_t lo, hi; /* lowest / highest+1 address erased or programmed (0, 0: none) */
} h_flash_t;

void h_flash_open(h_flash_t *f); /* the BZ2 program flash, all 0xFF */
void h_flash_close(h_flash_t *f); /* asserts no NOR violation and writes only in slot 1 */

/* ---- Notification recorder ------------------------------------------------------------- */
#define H_NOTIF_MAX 512
typedef struct h_notif {
    uint16_t conn;
    bo_otas_attr_t attr;
    uint8_t len;
    uint8_t data[16];
} h_notif_t;

typedef struct h_rec {
    h_notif_t n[H_NOTIF_MAX];
    size_t count;
    size_t seen; /* h_next() position */
    unsigned busy; /* the next `busy` notifications are refused with BO_ERR_BUSY (transport full) */
} h_rec_t;

int h_notify(void *ctx, uint16_t conn, bo_otas_attr_t attr, const uint8_t *data, size_t len);
void h_rec_clear(h_rec_t *r);
/* The next unread notification, or NULL. */
const h_notif_t *h_next(h_rec_t *r);

/* ---- A GATT client ----------------------------------------------------------------------- */
typedef void (*h_process_fn)(void *ctx);

typedef struct h_client {
    bo_otas_t *otas;
    h_rec_t *rec;
    h_process_fn process;
    void *process_ctx;
    uint16_t conn;
    uint16_t chunk; /* bytes per OTA Data write (ATT_MTU - 3) */
} h_client_t;

/* Encrypt the link and enable both CCCDs; asserts success. */
void h_client_connect(h_client_t *c);
/* Writes to the Control Point and processes; returns the ATT code. */
uint8_t h_cp(h_client_t *c, const uint8_t *data, size_t len);
/* Builds the 19-byte (extended) or 14-byte Update Request. */
size_t h_req(uint8_t out[19], uint32_t size, uint32_t id, uint32_t version, uint8_t enc,
             uint16_t checksum, bool extended);
/* Sends the Update Request, expects the 13-byte response, returns its result; window and start
 * index go to *window / *start when non-NULL. */
uint8_t h_request(h_client_t *c, const uint8_t *req, size_t len, uint16_t *window, uint32_t *start);
/* Sends Update Start (03 01), returns the result byte (0xFF if no response). */
uint8_t h_start(h_client_t *c);
/* Sends Update Complete, returns the result byte (0xFF if no response). */
uint8_t h_complete(h_client_t *c);
/* Sends payload[from..len) respecting the window, expecting a 00 per window. Returns the
 * number of bytes acknowledged (stops early at the first non-00 data notification or after
 * stop_after bytes if non-zero). */
size_t h_send(h_client_t *c, const uint8_t *payload, size_t from, size_t len, uint16_t window,
              size_t stop_after);

/* Reads a file (test fixtures); returns a malloc'd buffer or NULL. */
uint8_t *h_load(const char *path, size_t *len);

#endif
