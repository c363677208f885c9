/* bleota bench: the GATT front of the reference-behaviour model (refdev.c). bleota's `att`
 * server with the OTA service laid out as in Microchip's stack (service at 0x0100, reference
 * §1.2), pairing on request, and the model's service behind it, so the model faces the same
 * clients through the same ATT server as bleota's device (which uses its own shipped
 * integration, bo_ota_att: realdev.c).
 *
 * Timing: each received ATT PDU costs pdu_insns, then whatever the service charges to the
 * clock; the ATT response is queued when the server returns, then service->process runs
 * (deferred Control Point work, notifications). */
#ifndef BENCH_GATTDEV_H
#define BENCH_GATTDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "bleota/att.h"
#include "bleota/otas.h"
#include "devcost.h"
#include "link.h"

typedef struct bench_service {
    void *ctx;
    /* ATT Read of an OTA attribute: the ATT error code, *len bytes in out on success. */
    uint8_t (*read)(void *ctx, bo_otas_attr_t attr, uint8_t *out, uint16_t cap, uint16_t *len);
    /* ATT Write Request (cmd false) or Write Command: the ATT status for a request. */
    uint8_t (*write)(void *ctx, bo_otas_attr_t attr, bool cmd, const uint8_t *v, uint16_t len);
    void (*paired)(void *ctx);  /* the link became encrypted; may be NULL */
    void (*process)(void *ctx); /* after every PDU, once its response is queued */
    void (*idle)(void *ctx);    /* when nothing waits: background work; may be NULL */
} bench_service_t;

typedef struct bench_gattdev {
    bench_link_t *link;
    bench_clock_t *clk;
    bo_att_attr_t attrs[16];
    bo_att_db_t db;
    bo_att_server_t srv;
    uint16_t handle_of[BO_OTAS_ATTR_COUNT];
    bench_service_t svc;
} bench_gattdev_t;

/* Builds the database and the server (largest MTU accepted: mtu). 0 or -1. */
int bench_gattdev_init(bench_gattdev_t *g, bench_link_t *link, bench_clock_t *clk, uint16_t mtu,
                       const bench_service_t *svc);
/* Queues a notification of an OTA attribute at the clock's current time. BO_OK or an error. */
int bench_gattdev_notify(bench_gattdev_t *g, bo_otas_attr_t attr, const uint8_t *v, uint16_t len);
/* bench_host_t.handle and .idle of the device. */
uint64_t bench_gattdev_handle(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len);
uint64_t bench_gattdev_idle(void *ctx, uint64_t now);

/* The OTA service shell for behaviour models (refdev): Feature reads 01 01 (like
 * Microchip's BZ2 server, so clients send the 19-byte Update Request), CCCD writes accepted,
 * a Control Point write answered at ATT level first and handed to ctrl() from process(),
 * OTA Data handed to data() at once. */
typedef struct bench_model_svc {
    void *ctx;
    void (*ctrl)(void *ctx, const uint8_t *v, uint16_t len);
    void (*data)(void *ctx, const uint8_t *v, uint16_t len);
    void (*idle)(void *ctx); /* may be NULL */
    uint8_t cp[BO_OTAS_CP_MAX];
    uint16_t cp_len;
    bool cp_pending;
} bench_model_svc_t;

bench_service_t bench_model_service(bench_model_svc_t *m);

#endif
