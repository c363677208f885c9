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
    uint16_t txq; /* the central stack's TX queue (ATT packets): send() answers BUSY beyond */
    uint64_t now; /* time of the PDU being handled */
    bool req_seen, data_seen;
    uint64_t t_req;      /* Update Request handed to the controller */
    uint64_t t_data;     /* first OTA Data write */
    uint64_t t_last_ack; /* last window acknowledged */
    uint64_t t_done;     /* Complete answer received */
    int complete;        /* its result code, -1 before */
    uint32_t window, windows;
    uint32_t busy; /* OTA Data writes the full TX queue refused (otac sends them again) */
} bench_central_t;

/* Sets up bo_otac for `image` (the OTA payload) as `bleota update` does (default timeouts;
 * resume: as with --resume), with our Rx MTU = the link's MTU, and starts it at t = 0. BO_OK or
 * the bo_otac_init error. */
int bench_central_start(bench_central_t *c, bench_link_t *link, const bo_otac_image_t *image,
                        uint16_t txq, bool resume);
/* bench_host_t.handle / .idle (timer tick) / .writable for the central. */
uint64_t bench_central_rx(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len);
uint64_t bench_central_tick(void *ctx, uint64_t now);
void bench_central_writable(void *ctx, uint64_t now);

/* One update: sets up link l with cfg, bo_otac as the central and `device` as the peripheral,
 * runs until the Complete answer, a client failure, or 4 h of virtual time. Fills out's timing,
 * window and link figures; out->ok = 1 when the answer was 00. 0, or -1 on failure. */
int bench_central_run(bench_link_t *l, const bench_link_cfg_t *cfg, bench_host_t device,
                      const bench_image_t *img, uint16_t txq, bool resume, bench_run_t *out);

#endif
