/* bleota bench: the real OTA client core (tools/otac) as the central's host. */
#ifndef BENCH_CENTRAL_H
#define BENCH_CENTRAL_H

#include <stdbool.h>
#include <stdint.h>

#include "link.h"
#include "otac.h"

typedef struct bench_central {
    bench_link_t *link;
    bo_otac_t otac;
    uint64_t now;        /* time of the PDU being handled */
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

#endif
