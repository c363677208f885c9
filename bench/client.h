/* bleota bench: the OTA client as the central's host, speaking Microchip's protocol at ATT
 * level (mchp-ota-reference.md §2): Update Request, Start, windows of Write Commands of at most
 * MTU-3 bytes cut on window boundaries, wait for the 1-byte acknowledgement of each window,
 * Update Complete. The measured time runs from the Update Request (t = 0) to the moment the
 * Complete answer is received. The phone is infinitely fast: it reacts when a PDU arrives. */
#ifndef BENCH_CLIENT_H
#define BENCH_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "link.h"

typedef struct bench_client {
    bench_link_t *link;
    const uint8_t *payload; /* what goes over OTA Data */
    uint32_t size;
    uint32_t image_id, version;
    uint8_t enc;
    uint16_t h_ctrl, h_data; /* value handles of Control Point and OTA Data */
    /* progress */
    uint32_t window;   /* server's Max_Fragmented_Image_Size */
    uint32_t sent;     /* bytes queued on OTA Data */
    uint32_t acked;    /* bytes acknowledged by window notifications */
    uint32_t windows;  /* acknowledgements received */
    bool complete_sent;
    bool done;
    int result;        /* 0 = Complete answered 00; else the failing result/ATT code (>0) */
    uint64_t t_data;   /* first data byte queued */
    uint64_t t_last_ack; /* last window acknowledged */
    uint64_t t_done;
} bench_client_t;

/* Sends the Update Request at t = 0. */
void bench_client_start(bench_client_t *c);
/* bench_host_t.handle for the central. */
uint64_t bench_client_rx(void *ctx, uint64_t now, const uint8_t *pdu, uint16_t len);

#endif
