/* bleota bench: the real OTA client core (tools/otac) as the central's host. */
#ifndef BENCH_CENTRAL_H
#define BENCH_CENTRAL_H

#include <stdbool.h>
#include <stdint.h>

#include "link.h"
#include "otac.h"
#include "scenario.h"

typedef struct bench_central {
    bench_link_t *link;
    bo_otac_t otac;
    uint64_t now; /* time of the PDU being handled */
    bool req_seen, data_seen;
    uint64_t t_req;      /* Update Request handed to the controller */
    uint64_t t_data;     /* first OTA Data write */
    uint64_t t_last_ack; /* last window acknowledged */
    uint64_t t_done;     /* Complete answer received */
    int complete;        /* its result code, -1 before */
    uint32_t window, windows;
} bench_central_t;

/* Sets up bo_otac for `image` (the OTA payload) with our Rx MTU = the link's MTU and starts
 * it at t = 0. BO_OK or the bo_otac_init error. */
int bench_central_start(bench_central_t *c, bench_link_t *link, const bo_otac_image_t *image);
/* bench_host_t.handle for the central. */
uint64_t bench_central_rx(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len);

/* One update: sets up link l with cfg, bo_otac as the central and `device` as the peripheral,
 * runs until the Complete answer (or a stall: 4 h of virtual time). Fills out's timing,
 * window and link figures; out->ok = 1 when the answer was 00. 0, or -1 on failure. */
int bench_central_run(bench_link_t *l, const bench_link_cfg_t *cfg, bench_host_t device,
                      const bench_image_t *img, bench_run_t *out);

#endif
